// One libpq connection to PostgreSQL, used by one thread: statements, COPY FROM STDIN, and
// errors as one sentence naming the server (never the password). Every call either succeeds or
// returns false with the reason in *error; after a failure that lost the connection, ok() is
// false and the owner reconnects. See docs/scale-out.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace gw::accounting::postgres {

// A statement's result rows as text (every value of the gateway's tables is an integer or text).
struct PgRows {
  std::vector<std::vector<std::string>> rows;
  int64_t affected = 0;  // rows changed by an INSERT/UPDATE/DELETE (PQcmdTuples)
};

class PgConnection {
 public:
  // `url`: a libpq connection string, "postgresql://user:password@host:port/db?..." or
  // "host=... dbname=...". Connecting gives up after `timeout` (libpq connect_timeout,
  // whole seconds, at least 2). Over TCP, a server that vanishes later is noticed within about
  // 15 s (keepalives, tcp_user_timeout); over a Unix socket a server that hangs without closing
  // it holds the caller until it answers. Returns null with *error set when the server cannot be
  // reached or refuses the login.
  static std::unique_ptr<PgConnection> Connect(const std::string& url,
                                               std::chrono::milliseconds timeout,
                                               std::string* error);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one or more statements without parameters (BEGIN, COMMIT, migrations).
  bool Exec(std::string_view sql, std::string* error);
  // Runs one statement with text parameters; *rows (may be null) receives the result.
  bool Query(const std::string& sql, const std::vector<std::string>& params, PgRows* rows,
             std::string* error);
  // Runs `copy_sql` ("COPY t (cols) FROM STDIN") and sends `data` in COPY text format.
  bool CopyIn(const std::string& copy_sql, std::string_view data, std::string* error);

  // False once the connection is broken (the server went away); the owner should reconnect.
  bool ok() const;
  // "postgresql host:port/db" for messages, without credentials.
  const std::string& describe() const { return describe_; }

 private:
  PgConnection(pg_conn* conn, std::string describe);
  bool Check(pg_result* result, PgRows* rows, std::string* error);

  pg_conn* conn_;
  std::string describe_;
};

// Appends `value` to `out` as one field of COPY text format (backslash, tab, newline and
// carriage return escaped). A byte PostgreSQL would refuse in a text (not UTF-8, or a NUL)
// becomes U+FFFD, so one odd header can never stop the shipping.
void AppendCopyText(std::string_view value, std::string* out);

// "postgresql host:port/db" of a connection string, without connecting and without the
// credentials: the name of a server in messages before a connection exists.
std::string DescribeConnectionString(const std::string& url);

// A SQL identifier quoted for PostgreSQL ("user" is a reserved word).
std::string QuoteIdentifier(std::string_view name);

}  // namespace gw::accounting::postgres

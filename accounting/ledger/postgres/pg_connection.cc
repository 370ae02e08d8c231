#include "accounting/ledger/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <algorithm>

namespace gw::accounting::postgres {
namespace {

// libpq's messages end with a newline and may span lines: one line for logs and errors.
std::string OneLine(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text.empty() ? "unknown error" : text;
}

// "postgresql host:port/db" from the parts libpq gives (null or "" when not set).
std::string DescribeServer(const char* host, const char* port, const char* db) {
  std::string text = "postgresql ";
  text += host && *host ? host : "localhost";
  if (port && *port) text += std::string(":") + port;
  if (db && *db) text += std::string("/") + db;
  return text;
}

std::string Describe(pg_conn* conn) {
  return DescribeServer(PQhost(conn), PQport(conn), PQdb(conn));
}

}  // namespace

std::string DescribeConnectionString(const std::string& url) {
  char* ignored = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &ignored);
  PQfreemem(ignored);
  if (options == nullptr) return "postgresql (a connection string libpq cannot read)";
  const char* host = nullptr;
  const char* port = nullptr;
  const char* db = nullptr;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    const std::string_view keyword = option->keyword;
    if (keyword == "host") host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") db = option->val;
  }
  std::string text = DescribeServer(host, port, db);
  PQconninfoFree(options);
  return text;
}

std::unique_ptr<PgConnection> PgConnection::Connect(const std::string& url,
                                                    std::chrono::milliseconds timeout,
                                                    std::string* error) {
  // libpq counts whole seconds and takes anything below 2 as 2.
  const auto seconds = std::max<int64_t>(2, (timeout.count() + 999) / 1000);
  const std::string timeout_text = std::to_string(seconds);
  // dbname is expanded as a connection string or URI; the keywords after it override it.
  // Over TCP, a server host that vanishes is noticed within about 15 s (keepalives, and
  // tcp_user_timeout for unacknowledged writes) instead of the kernel's 15 minutes; a statement
  // the server runs for more than 60 s is cancelled by it.
  const char* keywords[] = {"dbname",           "connect_timeout",
                            "application_name", "keepalives",
                            "keepalives_idle",  "keepalives_interval",
                            "keepalives_count", "tcp_user_timeout",
                            "options",          nullptr};
  const char* values[] = {
      url.c_str(), timeout_text.c_str(),         "llm-gateway", "1", "5", "2", "3",
      "15000",     "-c statement_timeout=60000", nullptr};
  pg_conn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    *error = "postgresql: out of memory";
    return nullptr;
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    *error = Describe(conn) + ": cannot connect: " + OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return nullptr;
  }
  // The gateway's statements never depend on the server's encoding or time zone.
  std::unique_ptr<PgConnection> connection(new PgConnection(conn, Describe(conn)));
  // Notices ("relation ... already exists, skipping") are not problems: libpq would print
  // them on stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (!connection->Exec("SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'", error)) {
    return nullptr;
  }
  return connection;
}

PgConnection::PgConnection(pg_conn* conn, std::string describe)
    : conn_(conn), describe_(std::move(describe)) {}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::ok() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PgConnection::Check(pg_result* result, PgRows* rows, std::string* error) {
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    *error =
        describe_ + ": " + OneLine(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    PQclear(result);
    return false;
  }
  if (rows != nullptr) {
    rows->rows.clear();
    const int n = PQntuples(result);
    const int columns = PQnfields(result);
    rows->rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      auto& row = rows->rows.emplace_back();
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) row.emplace_back(PQgetvalue(result, r, c));
    }
    const char* affected = PQcmdTuples(result);
    rows->affected = affected && *affected ? std::stoll(affected) : 0;
  }
  PQclear(result);
  return true;
}

bool PgConnection::Exec(std::string_view sql, std::string* error) {
  const std::string text(sql);
  // PQexec runs every statement of the string; the result is the last one's.
  pg_result* result = PQexec(conn_, text.c_str());
  // An error in an earlier statement ends the string; its result is the one returned.
  return Check(result, nullptr, error);
}

bool PgConnection::Query(const std::string& sql, const std::vector<std::string>& params,
                         PgRows* rows, std::string* error) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param.c_str());
  pg_result* result = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0);
  return Check(result, rows, error);
}

bool PgConnection::CopyIn(const std::string& copy_sql, std::string_view data, std::string* error) {
  pg_result* start = PQexec(conn_, copy_sql.c_str());
  if (start == nullptr || PQresultStatus(start) != PGRES_COPY_IN) {
    // An error result fills *error; any other means the statement was not a COPY FROM STDIN.
    if (Check(start, nullptr, error)) *error = describe_ + ": not a COPY FROM STDIN: " + copy_sql;
    return false;
  }
  PQclear(start);
  // Sent in pieces so a large batch is not one allocation inside libpq.
  constexpr size_t kPiece = 1 << 20;
  for (size_t offset = 0; offset < data.size(); offset += kPiece) {
    const size_t size = std::min(kPiece, data.size() - offset);
    if (PQputCopyData(conn_, data.data() + offset, static_cast<int>(size)) != 1) {
      *error = describe_ + ": COPY failed: " + OneLine(PQerrorMessage(conn_));
      PQputCopyEnd(conn_, "aborted");
      while (pg_result* rest = PQgetResult(conn_)) PQclear(rest);
      return false;
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    *error = describe_ + ": COPY failed: " + OneLine(PQerrorMessage(conn_));
    while (pg_result* rest = PQgetResult(conn_)) PQclear(rest);
    return false;
  }
  bool ok = true;
  while (pg_result* result = PQgetResult(conn_)) {
    if (ok) {
      ok = Check(result, nullptr, error);
    } else {
      PQclear(result);
    }
  }
  return ok;
}

namespace {

// The length of the valid UTF-8 sequence at the start of `s` (1-4), or 0 when it is not one
// PostgreSQL accepts (overlong forms, surrogates, above U+10FFFF, truncated, NUL).
size_t ValidUtf8Length(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto continuation = [&](size_t i, unsigned char low = 0x80, unsigned char high = 0xBF) {
    return i < s.size() && byte(i) >= low && byte(i) <= high;
  };
  const unsigned char lead = byte(0);
  if (lead == 0) return 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
    return continuation(1, low, high) && continuation(2) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
    return continuation(1, low, high) && continuation(2) && continuation(3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

void AppendCopyText(std::string_view value, std::string* out) {
  for (size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0') {
      // SQLite keeps any bytes; PostgreSQL refuses a text that is not UTF-8 or holds a NUL, and
      // one such row would stop the shipping for good: each bad byte becomes U+FFFD.
      const size_t length = ValidUtf8Length(value.substr(i));
      if (length == 0) {
        out->append("\xEF\xBF\xBD");
        ++i;
      } else {
        out->append(value.substr(i, length));
        i += length;
      }
      continue;
    }
    ++i;
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      default:
        out->push_back(c);
    }
  }
}

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace gw::accounting::postgres

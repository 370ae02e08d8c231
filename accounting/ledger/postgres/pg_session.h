// A connection to PostgreSQL shared by the threads of one component (the reports' reader, the
// key table): connected on first use and again after a failure, at most once a second (in
// between, calls fail at once, so request workers do not each wait for the connect timeout),
// with the calls serialized on it. Failures throw LedgerError "<what>: <reason>", the reason
// naming the server (never the password). Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "accounting/ledger/postgres/pg_connection.h"

namespace gw::accounting::postgres {

class PgSession {
 public:
  // `what` starts every error message ("the shared usage ledger"). `on_connect` (may be empty)
  // runs on each new connection before it is used (migrations); its failure is the connect's.
  PgSession(std::string url, std::chrono::milliseconds connect_timeout, std::string what,
            std::function<bool(PgConnection&, std::string* error)> on_connect = {});
  ~PgSession();

  // Runs `work` on the connection, alone. `work` returns false with *error set on a failure;
  // if the connection was lost, the next call connects again. Throws LedgerError.
  void Run(const std::function<bool(PgConnection&, std::string* error)>& work);
  // Run() inside BEGIN ... COMMIT: rolled back when `work` fails or throws (and rethrown).
  void Transaction(const std::function<bool(PgConnection&, std::string* error)>& work);
  // Runs one statement with `params` ($1...); throws LedgerError.
  void Query(const std::string& sql, const std::vector<std::string>& params, PgRows* rows);

  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::chrono::milliseconds connect_timeout_;
  std::string what_;
  std::function<bool(PgConnection&, std::string*)> on_connect_;
  std::mutex mu_;  // guards connection_, retry_after_, last_error_; held through a call
  std::unique_ptr<PgConnection> connection_;
  std::chrono::steady_clock::time_point retry_after_{};  // no connect before (after a failure)
  std::string last_error_;
};

}  // namespace gw::accounting::postgres

#include "accounting/ledger/postgres/pg_session.h"

#include "accounting/ledger/ledger_error.h"

namespace gw::accounting::postgres {

PgSession::PgSession(std::string url, std::chrono::milliseconds connect_timeout, std::string what,
                     std::function<bool(PgConnection&, std::string* error)> on_connect)
    : url_(std::move(url)),
      connect_timeout_(connect_timeout),
      what_(std::move(what)),
      on_connect_(std::move(on_connect)) {}

PgSession::~PgSession() = default;

void PgSession::Run(const std::function<bool(PgConnection&, std::string* error)>& work) {
  std::lock_guard lock(mu_);
  std::string error;
  if (!connection_ || !connection_->ok()) {
    connection_.reset();
    if (std::chrono::steady_clock::now() < retry_after_) {
      throw LedgerError(what_ + ": " + last_error_);
    }
    auto connection = PgConnection::Connect(url_, connect_timeout_, &error);
    if (connection && on_connect_ && !on_connect_(*connection, &error)) connection.reset();
    if (!connection) {
      last_error_ = error;
      retry_after_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      throw LedgerError(what_ + ": " + error);
    }
    connection_ = std::move(connection);
  }
  if (!work(*connection_, &error)) {
    if (!connection_->ok()) connection_.reset();
    throw LedgerError(what_ + ": " + error);
  }
}

void PgSession::Transaction(const std::function<bool(PgConnection&, std::string* error)>& work) {
  Run([&](PgConnection& connection, std::string* error) {
    if (!connection.Exec("BEGIN", error)) return false;
    bool done = false;
    try {
      done = work(connection, error) && connection.Exec("COMMIT", error);
    } catch (...) {
      std::string ignored;
      connection.Exec("ROLLBACK", &ignored);
      throw;
    }
    if (!done && connection.ok()) {
      std::string ignored;
      connection.Exec("ROLLBACK", &ignored);
    }
    return done;
  });
}

void PgSession::Query(const std::string& sql, const std::vector<std::string>& params,
                      PgRows* rows) {
  Run([&](PgConnection& connection, std::string* error) {
    return connection.Query(sql, params, rows, error);
  });
}

}  // namespace gw::accounting::postgres

// Ships the records of this instance's SQLite ledger to the shared PostgreSQL ledger
// (accounting.store: postgres, docs/scale-out.md). The local file stays the first, crash-safe
// home of every record (the request path is unchanged); a background thread copies the records
// past a watermark (postgres_shipping.through_rowid, in the same file) to PostgreSQL in batches:
// COPY into a temporary table, then one INSERT ... ON CONFLICT (id) DO NOTHING that also adds
// the rows it inserted to the shared daily rollup, in one transaction. Then the watermark moves.
//  - PostgreSQL unreachable: the records wait in the local file (retention keeps them,
//    LedgerOptions::keep_unshipped) and are shipped when it is back. Never lost.
//  - A batch shipped but not marked (a crash, a lost COMMIT reply): it is shipped again and
//    its records are skipped by id. Never counted twice.
// Every public member is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace gw::accounting::postgres {

class PgConnection;
class ShippingSource;

struct ShipperOptions {
  std::string ledger_path;  // this instance's SQLite ledger (already opened by its Ledger)
  std::string url;          // libpq connection string (postgresql://...)
  std::string instance;     // stored in generations.instance: which gateway wrote the record
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds interval{200};         // how often new local records are looked for
  std::chrono::milliseconds retry_interval{1000};  // between attempts while PostgreSQL fails
  std::chrono::milliseconds stop_timeout{5000};    // Stop() keeps shipping the backlog this long
  size_t batch = 5000;                             // records per transaction at most
  std::chrono::milliseconds busy_timeout{2000};    // the local file's lock (the ledger writes)
  // One line per event (shipping failed, shipping again); empty: stderr.
  std::function<void(std::string_view)> log;
};

class PostgresShipper {
 public:
  struct Stats {
    uint64_t shipped = 0;     // records inserted into PostgreSQL by this process
    uint64_t duplicates = 0;  // records PostgreSQL already had (a batch shipped again)
    uint64_t batches = 0;     // committed transactions
    uint64_t errors = 0;      // failed connects, batches or watermark updates (each retried)
    int64_t backlog = 0;      // local records not yet shipped (by rowid)
    bool connected = false;   // the last attempt reached PostgreSQL
    std::string last_error;   // of the last failure; "" once shipping works again
  };

  // Opens the local ledger (throws LedgerError naming it). Does not connect yet.
  explicit PostgresShipper(ShipperOptions options);
  ~PostgresShipper();  // Stop()
  PostgresShipper(const PostgresShipper&) = delete;
  PostgresShipper& operator=(const PostgresShipper&) = delete;

  void Start();  // the shipping thread (once)
  // Ships what is left for at most stop_timeout, then stops; what is still unshipped stays in
  // the local file for the next start. Idempotent.
  void Stop();
  void Wake();  // ships now rather than at the next interval

  Stats GetStats() const;
  // Waits until `predicate(GetStats())` holds (checked after every step); false on timeout.
  bool WaitFor(const std::function<bool(const Stats&)>& predicate,
               std::chrono::milliseconds timeout) const;

 private:
  void Run();
  bool Step(std::string* error);  // one batch; false on failure
  bool EnsureConnected(std::string* error);
  void Succeeded(uint64_t inserted, uint64_t duplicates, int64_t backlog, bool shipped);
  void Failed(const std::string& error);
  void Log(const std::string& line) const;

  ShipperOptions options_;
  std::unique_ptr<ShippingSource> source_;    // shipping thread only
  std::unique_ptr<PgConnection> connection_;  // shipping thread only
  std::string insert_sql_, copy_sql_;         // built from the local columns at connect

  mutable std::mutex mu_;  // guards stats_, stopping_, wake_
  mutable std::condition_variable cv_;
  Stats stats_;
  bool stopping_ = false;
  bool wake_ = false;
  bool outage_logged_ = false;  // shipping thread only: one line per outage

  std::mutex lifecycle_mu_;  // Start/Stop
  std::thread thread_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace gw::accounting::postgres

// The usage reports of the shared PostgreSQL ledger (accounting.store: postgres): /v1/activity,
// the rankings and the spend of managed keys over every instance's records, from the shared
// full-key rollups (usage_daily, usage_hourly, maintained by the shippers, pg_shipper.h).
// Records are there once their instance shipped them: postgres.ship_interval_ms after they were
// written, while PostgreSQL is reachable. Connects on first use and again after a failure (at most
// once a second: in between, calls fail at once); a failure throws LedgerError naming the server.
// Thread-safe (calls are serialized on one connection).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accounting/ledger/usage_reports.h"

namespace gw::accounting::postgres {

class PgConnection;
struct PgRows;

class PgUsageReader : public UsageSource {
 public:
  // `now_ms`: the clock of default date ranges (empty: the system clock).
  PgUsageReader(std::string url, std::chrono::milliseconds connect_timeout,
                std::function<int64_t()> now_ms = {});
  ~PgUsageReader() override;

  std::vector<ActivityRow> Activity(const ActivityQuery& query) override;
  std::vector<UsageRow> GroupedSum(UsageDimension by, DayRange range,
                                   const UsageFilters& filters) override;
  std::vector<DailyUsageRow> GroupedDailySum(UsageDimension by, DayRange range,
                                             const UsageFilters& filters) override;
  std::vector<UsageRow> GroupedHourlySum(UsageDimension by, int64_t from_hour, int64_t to_hour,
                                         const UsageFilters& filters) override;
  std::map<std::string, std::string> ModelAuthors(DayRange range) override;
  int64_t Today() const override;
  int64_t NowHour() const override;

 private:
  // Sums per value of `by` (and per bucket when `per_bucket`; else bucket 0) from the rollup
  // `table` whose bucket column `bucket` is within [first, last].
  std::vector<std::pair<int64_t, UsageRow>> Grouped(std::string_view table, std::string_view bucket,
                                                    UsageDimension by, int64_t first, int64_t last,
                                                    const UsageFilters& filters, bool per_bucket);
  // Runs `sql` with `params` ($1...); throws LedgerError.
  void Run(const std::string& sql, const std::vector<std::string>& params, PgRows* rows);

  std::string url_;
  std::chrono::milliseconds connect_timeout_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;  // guards connection_, retry_after_, last_error_
  std::unique_ptr<PgConnection> connection_;
  std::chrono::steady_clock::time_point retry_after_{};  // no connect before (after a failure)
  std::string last_error_;
};

}  // namespace gw::accounting::postgres

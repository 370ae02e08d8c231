// The usage reports of the shared PostgreSQL ledger (accounting.store: postgres): /v1/activity,
// the rankings and the spend of managed keys over every instance's records, from the shared
// full-key rollups (usage_daily, usage_hourly, maintained by the shippers, pg_shipper.h).
// Records are there once their instance shipped them: postgres.ship_interval_ms after they were
// written, while PostgreSQL is reachable. Reads go through one PgSession (pg_session.h): a
// failure throws LedgerError naming the server. Thread-safe (calls serialize on one connection).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accounting/ledger/usage_reports.h"

namespace gw::accounting::postgres {

class PgSession;

class PgUsageReader : public UsageSource {
 public:
  // `now_ms`: the clock of default date ranges (empty: the system clock).
  PgUsageReader(std::string url, std::chrono::milliseconds connect_timeout,
                std::function<int64_t()> now_ms = {});
  ~PgUsageReader() override;

  std::optional<GenerationRecord> FindGeneration(std::string_view id) override;
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
  std::unique_ptr<PgSession> session_;
  std::function<int64_t()> now_ms_;
};

}  // namespace gw::accounting::postgres

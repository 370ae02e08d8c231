// Read-only reports over the ledger's rollups (never the raw records, except FindGeneration by
// id): daily activity rows and usage grouped by one dimension over a date range. A LedgerReader
// has its own read-only connection (WAL: it reads while the gateway writes); its methods are
// serialized by a mutex, so open one reader per thread for parallel reports. Dates are UTC days.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "accounting/generation_record.h"
#include "accounting/ledger/ledger_error.h"

namespace gw::accounting {

namespace sqlite {
class Db;
class Stmt;
}  // namespace sqlite

// Inclusive range of UTC days (days since 1970-01-01).
struct DayRange {
  int64_t from_day = 0;
  int64_t to_day = 0;
};

// Optional equality filters on the rollup dimensions; nullopt = any value.
struct UsageFilters {
  std::optional<std::string> api_key_id;
  std::optional<std::string> user;
  std::optional<std::string> model;
  std::optional<std::string> provider;
  std::optional<std::string> app;
};

struct ActivityQuery {
  std::optional<std::string> from;  // YYYY-MM-DD; default: 29 days before `to`
  std::optional<std::string> to;    // YYYY-MM-DD; default: today (UTC)
  UsageFilters filters;
};

struct ActivityRow {
  std::string date;  // YYYY-MM-DD
  std::string model;
  std::string provider;
  int64_t requests = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t cost_nano = 0;

  bool operator==(const ActivityRow&) const = default;
};

enum class UsageDimension { kModel, kProvider, kAuthor, kApp, kApiKey, kUser, kDay };

// "model" | "provider" | "author" | "app" | "key" | "user" | "day"
std::optional<UsageDimension> ParseUsageDimension(std::string_view name);
std::string_view UsageDimensionName(UsageDimension dimension);

// The rollup tables' column of `by` ("user" quoted: a reserved word in PostgreSQL, the same
// identifier to SQLite). The SQL of both ledgers is built with it.
std::string_view UsageDimensionColumn(UsageDimension by);

// " AND <column> = <mark><n> ..." for each filter that is set, numbered from `first` (mark '?'
// for SQLite, '$' for PostgreSQL); their values are appended to *values in the same order.
std::string UsageFilterSql(const UsageFilters& filters, char mark, int first,
                           std::vector<std::string>* values);

struct UsageQuery {
  UsageDimension by = UsageDimension::kModel;
  std::optional<std::string> from;  // as in ActivityQuery
  std::optional<std::string> to;
  UsageFilters filters;
};

struct UsageRow {
  std::string name;  // the dimension's value ("" = none, e.g. requests without an app)
  int64_t requests = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t tokens_prompt = 0;  // normalized counts
  int64_t tokens_completion = 0;
  int64_t cost_nano = 0;

  void Add(const UsageRow& other);
  bool operator==(const UsageRow&) const = default;
};

// One day's sums for one value of a dimension (GroupedDailySum).
struct DailyUsageRow {
  int64_t day = 0;  // epoch day
  UsageRow usage;
};

struct UsageReport {
  UsageDimension by = UsageDimension::kModel;
  std::string from;  // the resolved range, YYYY-MM-DD
  std::string to;
  std::vector<UsageRow> rows;  // by day: chronological; else by cost, then tokens, descending
  UsageRow totals;             // name "total"
};

// Resolves optional from/to dates against `today` (epoch day). Returns "" and fills *range, or
// a message for the user ("from: expected a date YYYY-MM-DD, got \"2025-13-01\"").
std::string ResolveDayRange(const std::optional<std::string>& from,
                            const std::optional<std::string>& to, int64_t today, DayRange* range);

// The usage that /v1/activity, the rankings and the spend of managed keys read: this instance's
// ledger file (LedgerReader) or the ledger every instance ships to (postgres::PgUsageReader,
// accounting.store: postgres). Implementations throw LedgerError for a bad date range or a
// failed read; they serialize their own calls.
class UsageSource {
 public:
  virtual ~UsageSource() = default;
  // The record of a generation id, once it is in this source (GET /v1/generation).
  virtual std::optional<GenerationRecord> FindGeneration(std::string_view id) = 0;
  virtual std::vector<ActivityRow> Activity(const ActivityQuery& query) = 0;
  // The building block of reports and rankings: sums per value of `by` over `range`, rows in
  // no particular order.
  virtual std::vector<UsageRow> GroupedSum(UsageDimension by, DayRange range,
                                           const UsageFilters& filters) = 0;
  // The same sums per day and value (rankings bucket them into periods), in no particular order.
  virtual std::vector<DailyUsageRow> GroupedDailySum(UsageDimension by, DayRange range,
                                                     const UsageFilters& filters) = 0;
  // The same sums per value over the hours [from_hour, to_hour] (epoch hours, inclusive), from
  // the hourly rollups: what cuts a compared period at the hour (rankings.h). `by` is not kDay.
  virtual std::vector<UsageRow> GroupedHourlySum(UsageDimension by, int64_t from_hour,
                                                 int64_t to_hour, const UsageFilters& filters) = 0;
  // model -> author of the models with usage in `range`.
  virtual std::map<std::string, std::string> ModelAuthors(DayRange range) = 0;
  virtual int64_t Today() const = 0;    // UTC epoch day of the source's clock
  virtual int64_t NowHour() const = 0;  // UTC epoch hour of the source's clock
};

class LedgerReader : public UsageSource {
 public:
  // Opens `path` read-only. Throws LedgerError when it is missing, corrupt, or of another schema
  // version. `now_ms` is the clock for default date ranges (empty: the system clock).
  static std::unique_ptr<LedgerReader> Open(const std::string& path,
                                            std::function<int64_t()> now_ms = {});
  ~LedgerReader() override;

  std::optional<GenerationRecord> FindGeneration(std::string_view id) override;

  // Throw LedgerError for a bad date range (see ResolveDayRange) or a database failure.
  std::vector<ActivityRow> Activity(const ActivityQuery& query) override;
  UsageReport Usage(const UsageQuery& query);

  std::vector<UsageRow> GroupedSum(UsageDimension by, DayRange range,
                                   const UsageFilters& filters) override;
  std::vector<DailyUsageRow> GroupedDailySum(UsageDimension by, DayRange range,
                                             const UsageFilters& filters) override;
  std::vector<UsageRow> GroupedHourlySum(UsageDimension by, int64_t from_hour, int64_t to_hour,
                                         const UsageFilters& filters) override;
  std::map<std::string, std::string> ModelAuthors(DayRange range) override;
  int64_t Today() const override;
  int64_t NowHour() const override;

  // Runs `sql` (prepared once, then cached) with `params` bound to ?1.. in order and hands each
  // result row to `visit`: the building block of the reports of other ledger modules
  // (insights_reports.h). Throws LedgerError on a database failure.
  using SqlParam = std::variant<int64_t, std::string_view>;
  void ForEachRow(const std::string& sql, std::initializer_list<SqlParam> params,
                  const std::function<void(const sqlite::Stmt&)>& visit);

 private:
  LedgerReader(std::string path, std::function<int64_t()> now_ms);
  sqlite::Stmt& Prepare(const std::string& sql);  // cached per SQL text
  DayRange Resolve(const std::optional<std::string>& from, const std::optional<std::string>& to);
  // Runs `sql` (a grouped-sum query: [day,] value, the sums of kSums) with ?1 and ?2 bound to
  // `first` and `last` and the filters from ?3 on; `visit(day, row)` gets each row (day 0
  // unless `per_day`).
  void ForEachGroupedRow(const std::string& sql, UsageDimension by, int64_t first, int64_t last,
                         const UsageFilters& filters, bool per_day,
                         const std::function<void(int64_t, UsageRow&&)>& visit);

  std::string path_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  std::unique_ptr<sqlite::Db> db_;
  std::map<std::string, std::unique_ptr<sqlite::Stmt>> statements_;
};

}  // namespace gw::accounting

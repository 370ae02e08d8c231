#include "accounting/ledger/usage_reports.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "accounting/ledger/generation_row.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/schema.h"
#include "accounting/ledger/sqlite_db.h"
#include "accounting/ledger/utc_time.h"

namespace gw::accounting {
namespace {

constexpr std::string_view kSums =
    "SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(reasoning_tokens), "
    "SUM(cached_tokens), SUM(tokens_prompt), SUM(tokens_completion), SUM(cost_nano)";

// The same measures unsummed, for rows that are their own group.
constexpr std::string_view kColumns =
    "requests, prompt_tokens, completion_tokens, reasoning_tokens, cached_tokens, tokens_prompt, "
    "tokens_completion, cost_nano";

struct Where {
  std::string sql;                  // " AND col = ?3 ..."
  std::vector<std::string> values;  // bound from ?3 on
};

bool HasWideFilter(const UsageFilters& f) {
  return f.api_key_id.has_value() || f.user.has_value() || f.app.has_value();
}

// Only an app filter among key/user/app: usage_daily_app answers it.
bool OnlyAppFilter(const UsageFilters& f) {
  return f.app.has_value() && !f.api_key_id.has_value() && !f.user.has_value();
}

Where FilterClause(const UsageFilters& f) {
  Where where;
  where.sql = UsageFilterSql(f, '?', 3, &where.values);
  return where;
}

std::optional<RollupDim> DimOf(UsageDimension by) {
  switch (by) {
    case UsageDimension::kApp:
      return RollupDim::kApp;
    case UsageDimension::kApiKey:
      return RollupDim::kApiKey;
    case UsageDimension::kUser:
      return RollupDim::kUser;
    default:
      return std::nullopt;
  }
}

// The bucket of the rollup tables a query reads: days (every report) or hours (the rankings'
// hour cut). The hourly tables have no app-by-model table; usage_hourly answers instead.
enum class Grain { kDay, kHour };

struct GrainTables {
  const char* bucket;  // the bucket's column
  const char* dim;     // (dim, bucket, value)
  const char* model;   // (bucket, model, provider, author)
  const char* app;     // (app, bucket, model, provider, author)
  const char* full;    // the full key
};

GrainTables TablesOf(Grain grain) {
  if (grain == Grain::kHour) {
    return {"hour", "usage_hourly_dim", "usage_hourly_model", "usage_hourly", "usage_hourly"};
  }
  return {"day", "usage_daily_dim", "usage_daily_model", "usage_daily_app", "usage_daily"};
}

// Picks the narrowest rollup of `grain` that answers the query (daily names; hourly alike):
//   usage_daily_dim   - by app/key/user, no filters (a few rows per value and day)
//   usage_daily_model - by model/provider/author/day, filters on model/provider only
//   usage_daily_app   - filtered by app (and model/provider), not grouped by key or user
//   usage_daily       - anything else: clustered by api_key_id, indexed by (user, day)
// ?1 and ?2 bound the bucket. `per_day`: the bucket is the first column and part of the grouping.
std::string GroupedSql(UsageDimension by, const UsageFilters& f, const Where& where, bool per_day,
                       Grain grain = Grain::kDay) {
  const GrainTables tables = TablesOf(grain);
  const std::string bucket = tables.bucket;
  const std::string day_column = per_day ? bucket + ", " : "";
  const bool no_filters = where.values.empty();
  if (no_filters && DimOf(by) && per_day) {
    // (dim, day, value) is the table's key: each row is already its own group, and reading
    // the columns as they are is ~4x faster than summing groups of one.
    return "SELECT " + bucket + ", value, " + std::string(kColumns) + " FROM " + tables.dim +
           " WHERE dim = " + std::to_string(static_cast<int>(*DimOf(by))) + " AND " + bucket +
           " BETWEEN ?1 AND ?2";
  }
  if (no_filters && DimOf(by)) {
    return "SELECT value, " + std::string(kSums) + " FROM " + tables.dim +
           " WHERE dim = " + std::to_string(static_cast<int>(*DimOf(by))) + " AND " + bucket +
           " BETWEEN ?1 AND ?2 GROUP BY value";
  }
  const char* table = tables.full;
  if (!HasWideFilter(f) && !DimOf(by)) {
    table = tables.model;
  } else if (OnlyAppFilter(f) && by != UsageDimension::kApiKey && by != UsageDimension::kUser) {
    table = tables.app;
  }
  const std::string column(UsageDimensionColumn(by));
  return "SELECT " + day_column + column + ", " + std::string(kSums) + " FROM " + table +
         " WHERE " + bucket + " BETWEEN ?1 AND ?2" + where.sql + " GROUP BY " + day_column + column;
}

[[noreturn]] void ThrowQuery(const std::string& path, sqlite3* db) {
  sqlite::Failure failure;
  failure.code = sqlite3_extended_errcode(db);
  failure.message = sqlite3_errmsg(db);
  throw LedgerError(DescribeLedgerFailure(path, failure));
}

}  // namespace

std::string_view UsageDimensionColumn(UsageDimension by) {
  switch (by) {
    case UsageDimension::kModel:
      return "model";
    case UsageDimension::kProvider:
      return "provider";
    case UsageDimension::kAuthor:
      return "author";
    case UsageDimension::kApp:
      return "app";
    case UsageDimension::kApiKey:
      return "api_key_id";
    case UsageDimension::kUser:
      return "\"user\"";
    case UsageDimension::kDay:
      return "day";
  }
  return "model";
}

std::string UsageFilterSql(const UsageFilters& f, char mark, int first,
                           std::vector<std::string>* values) {
  const std::pair<UsageDimension, const std::optional<std::string>*> filters[] = {
      {UsageDimension::kApiKey, &f.api_key_id},
      {UsageDimension::kUser, &f.user},
      {UsageDimension::kModel, &f.model},
      {UsageDimension::kProvider, &f.provider},
      {UsageDimension::kApp, &f.app}};
  std::string sql;
  int number = first;
  for (const auto& [dimension, value] : filters) {
    if (!value->has_value()) continue;
    values->push_back(**value);
    sql += std::string(" AND ") + std::string(UsageDimensionColumn(dimension)) + " = " + mark +
           std::to_string(number++);
  }
  return sql;
}

std::optional<UsageDimension> ParseUsageDimension(std::string_view name) {
  for (auto d : {UsageDimension::kModel, UsageDimension::kProvider, UsageDimension::kAuthor,
                 UsageDimension::kApp, UsageDimension::kApiKey, UsageDimension::kUser,
                 UsageDimension::kDay}) {
    if (UsageDimensionName(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view UsageDimensionName(UsageDimension dimension) {
  switch (dimension) {
    case UsageDimension::kModel:
      return "model";
    case UsageDimension::kProvider:
      return "provider";
    case UsageDimension::kAuthor:
      return "author";
    case UsageDimension::kApp:
      return "app";
    case UsageDimension::kApiKey:
      return "key";
    case UsageDimension::kUser:
      return "user";
    case UsageDimension::kDay:
      return "day";
  }
  return "model";
}

void UsageRow::Add(const UsageRow& o) {
  requests += o.requests;
  prompt_tokens += o.prompt_tokens;
  completion_tokens += o.completion_tokens;
  reasoning_tokens += o.reasoning_tokens;
  cached_tokens += o.cached_tokens;
  tokens_prompt += o.tokens_prompt;
  tokens_completion += o.tokens_completion;
  cost_nano += o.cost_nano;
}

std::string ResolveDayRange(const std::optional<std::string>& from,
                            const std::optional<std::string>& to, int64_t today, DayRange* range) {
  DayRange r;
  r.to_day = today;
  if (to) {
    const auto day = ParseDay(*to);
    if (!day) return "to: expected a date YYYY-MM-DD, got \"" + *to + "\"";
    r.to_day = *day;
  }
  r.from_day = r.to_day - 29;
  if (from) {
    const auto day = ParseDay(*from);
    if (!day) return "from: expected a date YYYY-MM-DD, got \"" + *from + "\"";
    r.from_day = *day;
  }
  if (r.from_day > r.to_day) {
    return "from (" + FormatDay(r.from_day) + ") is after to (" + FormatDay(r.to_day) + ")";
  }
  *range = r;
  return "";
}

std::unique_ptr<LedgerReader> LedgerReader::Open(const std::string& path,
                                                 std::function<int64_t()> now_ms) {
  return std::unique_ptr<LedgerReader>(new LedgerReader(path, std::move(now_ms)));
}

LedgerReader::LedgerReader(std::string path, std::function<int64_t()> now_ms)
    : path_(std::move(path)), now_ms_(std::move(now_ms)) {
  db_ = std::make_unique<sqlite::Db>(OpenLedgerForReading(path_, std::chrono::milliseconds(2000)));
}

LedgerReader::~LedgerReader() = default;

int64_t LedgerReader::Today() const { return DayBucket(now_ms_ ? now_ms_() : NowEpochMs()); }

int64_t LedgerReader::NowHour() const { return HourBucket(now_ms_ ? now_ms_() : NowEpochMs()); }

sqlite::Stmt& LedgerReader::Prepare(const std::string& sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<sqlite::Stmt>(db_->get(), sql);
  return *slot;
}

DayRange LedgerReader::Resolve(const std::optional<std::string>& from,
                               const std::optional<std::string>& to) {
  DayRange range;
  const std::string error = ResolveDayRange(from, to, Today(), &range);
  if (!error.empty()) throw LedgerError(error);
  return range;
}

std::optional<GenerationRecord> LedgerReader::FindGeneration(std::string_view id) {
  std::lock_guard lock(mu_);
  sqlite::Stmt& stmt = Prepare(std::string(kSelectGenerationByIdSql));
  stmt.Bind(1, id);
  std::optional<GenerationRecord> found;
  const int rc = stmt.Step();
  if (rc == SQLITE_ROW) found = ReadGeneration(stmt);
  stmt.Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) ThrowQuery(path_, db_->get());
  return found;
}

void LedgerReader::ForEachGroupedRow(const std::string& sql, UsageDimension by, int64_t first,
                                     int64_t last, const UsageFilters& filters, bool per_day,
                                     const std::function<void(int64_t, UsageRow&&)>& visit) {
  std::lock_guard lock(mu_);
  const Where where = FilterClause(filters);
  sqlite::Stmt& stmt = Prepare(sql);
  stmt.Bind(1, first);
  stmt.Bind(2, last);
  for (size_t i = 0; i < where.values.size(); ++i) {
    stmt.Bind(static_cast<int>(i) + 3, std::string_view(where.values[i]));
  }
  const int value_column = per_day ? 1 : 0;
  int rc = SQLITE_ROW;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    UsageRow row;
    row.name =
        by == UsageDimension::kDay ? FormatDay(stmt.Int(value_column)) : stmt.Text(value_column);
    row.requests = stmt.Int(value_column + 1);
    row.prompt_tokens = stmt.Int(value_column + 2);
    row.completion_tokens = stmt.Int(value_column + 3);
    row.reasoning_tokens = stmt.Int(value_column + 4);
    row.cached_tokens = stmt.Int(value_column + 5);
    row.tokens_prompt = stmt.Int(value_column + 6);
    row.tokens_completion = stmt.Int(value_column + 7);
    row.cost_nano = stmt.Int(value_column + 8);
    visit(per_day ? stmt.Int(0) : 0, std::move(row));
  }
  stmt.Reset();
  if (rc != SQLITE_DONE) ThrowQuery(path_, db_->get());
}

std::vector<UsageRow> LedgerReader::GroupedSum(UsageDimension by, DayRange range,
                                               const UsageFilters& filters) {
  std::vector<UsageRow> rows;
  ForEachGroupedRow(GroupedSql(by, filters, FilterClause(filters), /*per_day=*/false), by,
                    range.from_day, range.to_day, filters, /*per_day=*/false,
                    [&rows](int64_t, UsageRow&& row) { rows.push_back(std::move(row)); });
  return rows;
}

std::vector<UsageRow> LedgerReader::GroupedHourlySum(UsageDimension by, int64_t from_hour,
                                                     int64_t to_hour, const UsageFilters& filters) {
  const std::string sql =
      GroupedSql(by, filters, FilterClause(filters), /*per_day=*/false, Grain::kHour);
  std::vector<UsageRow> rows;
  ForEachGroupedRow(sql, by, from_hour, to_hour, filters, /*per_day=*/false,
                    [&rows](int64_t, UsageRow&& row) { rows.push_back(std::move(row)); });
  return rows;
}

std::vector<DailyUsageRow> LedgerReader::GroupedDailySum(UsageDimension by, DayRange range,
                                                         const UsageFilters& filters) {
  std::vector<DailyUsageRow> rows;
  ForEachGroupedRow(GroupedSql(by, filters, FilterClause(filters), /*per_day=*/true), by,
                    range.from_day, range.to_day, filters, /*per_day=*/true,
                    [&rows](int64_t day, UsageRow&& row) {
                      rows.push_back(DailyUsageRow{day, std::move(row)});
                    });
  return rows;
}

void LedgerReader::ForEachRow(const std::string& sql, std::initializer_list<SqlParam> params,
                              const std::function<void(const sqlite::Stmt&)>& visit) {
  std::lock_guard lock(mu_);
  sqlite::Stmt& stmt = Prepare(sql);
  int index = 1;
  for (const SqlParam& param : params) {
    std::visit([&](const auto& value) { stmt.Bind(index++, value); }, param);
  }
  int rc = SQLITE_ROW;
  while ((rc = stmt.Step()) == SQLITE_ROW) visit(stmt);
  stmt.Reset();
  if (rc != SQLITE_DONE) ThrowQuery(path_, db_->get());
}

std::map<std::string, std::string> LedgerReader::ModelAuthors(DayRange range) {
  std::lock_guard lock(mu_);
  sqlite::Stmt& stmt = Prepare(
      "SELECT model, MAX(author) FROM usage_daily_model WHERE day BETWEEN ?1 AND ?2 "
      "GROUP BY model");
  stmt.Bind(1, range.from_day);
  stmt.Bind(2, range.to_day);
  std::map<std::string, std::string> authors;
  int rc = SQLITE_ROW;
  while ((rc = stmt.Step()) == SQLITE_ROW) authors.emplace(stmt.Text(0), stmt.Text(1));
  stmt.Reset();
  if (rc != SQLITE_DONE) ThrowQuery(path_, db_->get());
  return authors;
}

UsageReport LedgerReader::Usage(const UsageQuery& query) {
  const DayRange range = Resolve(query.from, query.to);
  UsageReport report;
  report.by = query.by;
  report.from = FormatDay(range.from_day);
  report.to = FormatDay(range.to_day);
  report.rows = GroupedSum(query.by, range, query.filters);
  if (query.by == UsageDimension::kDay) {
    std::sort(report.rows.begin(), report.rows.end(),
              [](const UsageRow& a, const UsageRow& b) { return a.name < b.name; });
  } else {
    std::sort(report.rows.begin(), report.rows.end(), [](const UsageRow& a, const UsageRow& b) {
      const int64_t ta = a.prompt_tokens + a.completion_tokens;
      const int64_t tb = b.prompt_tokens + b.completion_tokens;
      if (a.cost_nano != b.cost_nano) return a.cost_nano > b.cost_nano;
      if (ta != tb) return ta > tb;
      return a.name < b.name;
    });
  }
  report.totals.name = "total";
  for (const UsageRow& row : report.rows) report.totals.Add(row);
  return report;
}

std::vector<ActivityRow> LedgerReader::Activity(const ActivityQuery& query) {
  const DayRange range = Resolve(query.from, query.to);
  std::lock_guard lock(mu_);
  const Where where = FilterClause(query.filters);
  const std::string sql = std::string(
                              "SELECT day, model, provider, SUM(requests), SUM(prompt_tokens), "
                              "SUM(completion_tokens), SUM(reasoning_tokens), SUM(cached_tokens), "
                              "SUM(cost_nano) FROM ") +
                          (OnlyAppFilter(query.filters)   ? "usage_daily_app"
                           : HasWideFilter(query.filters) ? "usage_daily"
                                                          : "usage_daily_model") +
                          " WHERE day BETWEEN ?1 AND ?2" + where.sql +
                          " GROUP BY day, model, provider ORDER BY day, model, provider";
  sqlite::Stmt& stmt = Prepare(sql);
  stmt.Bind(1, range.from_day);
  stmt.Bind(2, range.to_day);
  for (size_t i = 0; i < where.values.size(); ++i) {
    stmt.Bind(static_cast<int>(i) + 3, std::string_view(where.values[i]));
  }
  std::vector<ActivityRow> rows;
  int rc = SQLITE_ROW;
  while ((rc = stmt.Step()) == SQLITE_ROW) {
    ActivityRow row;
    row.date = FormatDay(stmt.Int(0));
    row.model = stmt.Text(1);
    row.provider = stmt.Text(2);
    row.requests = stmt.Int(3);
    row.prompt_tokens = stmt.Int(4);
    row.completion_tokens = stmt.Int(5);
    row.reasoning_tokens = stmt.Int(6);
    row.cached_tokens = stmt.Int(7);
    row.cost_nano = stmt.Int(8);
    rows.push_back(std::move(row));
  }
  stmt.Reset();
  if (rc != SQLITE_DONE) ThrowQuery(path_, db_->get());
  return rows;
}

}  // namespace gw::accounting

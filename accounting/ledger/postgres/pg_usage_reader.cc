#include "accounting/ledger/postgres/pg_usage_reader.h"

#include "accounting/ledger/generation_row.h"
#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/postgres/pg_schema.h"
#include "accounting/ledger/postgres/pg_session.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/utc_time.h"

namespace gw::accounting::postgres {
namespace {

int64_t Int(const std::string& text) { return text.empty() ? 0 : std::stoll(text); }

// A PostgreSQL result row as ReadGenerationRow reads it.
struct PgRowView {
  const std::vector<std::string>& values;
  std::string Text(int column) const { return values.at(static_cast<size_t>(column)); }
  int64_t Int(int column) const { return ::gw::accounting::postgres::Int(Text(column)); }
};

// The rows of a grouped sum without their buckets.
std::vector<UsageRow> Rows(std::vector<std::pair<int64_t, UsageRow>> grouped) {
  std::vector<UsageRow> rows;
  rows.reserve(grouped.size());
  for (auto& bucket_and_row : grouped) rows.push_back(std::move(bucket_and_row.second));
  return rows;
}

}  // namespace

PgUsageReader::PgUsageReader(std::string url, std::chrono::milliseconds connect_timeout,
                             std::function<int64_t()> now_ms)
    : session_(std::make_unique<PgSession>(std::move(url), connect_timeout,
                                           "the shared usage ledger", MigrateToLatest)),
      now_ms_(std::move(now_ms)) {}

PgUsageReader::~PgUsageReader() = default;

int64_t PgUsageReader::Today() const { return DayBucket(now_ms_ ? now_ms_() : NowEpochMs()); }

int64_t PgUsageReader::NowHour() const { return HourBucket(now_ms_ ? now_ms_() : NowEpochMs()); }

std::optional<GenerationRecord> PgUsageReader::FindGeneration(std::string_view id) {
  PgRows rows;
  session_->Query("SELECT " + std::string(kGenerationColumns) + " FROM generations WHERE id = $1",
                  {std::string(id)}, &rows);
  if (rows.rows.empty()) return std::nullopt;
  return ReadGenerationRow(PgRowView{rows.rows[0]});
}

std::vector<ActivityRow> PgUsageReader::Activity(const ActivityQuery& query) {
  DayRange range;
  const std::string problem = ResolveDayRange(query.from, query.to, Today(), &range);
  if (!problem.empty()) throw LedgerError(problem);
  std::vector<std::string> params = {std::to_string(range.from_day), std::to_string(range.to_day)};
  // Text compared byte for byte as in SQLite: the filters are equalities, the order is
  // COLLATE "C" below, whatever the database's collation.
  const std::string where = UsageFilterSql(query.filters, '$', 3, &params);
  PgRows rows;
  session_->Query(
      "SELECT day, model, provider, sum(requests), sum(prompt_tokens), sum(completion_tokens), "
      "sum(reasoning_tokens), sum(cached_tokens), sum(cost_nano) FROM usage_daily "
      "WHERE day BETWEEN $1 AND $2" +
          where +
          " GROUP BY day, model, provider "
          "ORDER BY day, model COLLATE \"C\", provider COLLATE \"C\"",
      params, &rows);
  std::vector<ActivityRow> activity;
  activity.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    ActivityRow row;
    row.date = FormatDay(Int(r[0]));
    row.model = r[1];
    row.provider = r[2];
    row.requests = Int(r[3]);
    row.prompt_tokens = Int(r[4]);
    row.completion_tokens = Int(r[5]);
    row.reasoning_tokens = Int(r[6]);
    row.cached_tokens = Int(r[7]);
    row.cost_nano = Int(r[8]);
    activity.push_back(std::move(row));
  }
  return activity;
}

std::vector<std::pair<int64_t, UsageRow>> PgUsageReader::Grouped(
    std::string_view table, std::string_view bucket, UsageDimension by, int64_t first, int64_t last,
    const UsageFilters& filters, bool per_bucket) {
  std::vector<std::string> params = {std::to_string(first), std::to_string(last)};
  const std::string where = UsageFilterSql(filters, '$', 3, &params);
  const std::string column(UsageDimensionColumn(by));
  const std::string group = per_bucket ? std::string(bucket) + ", " + column : column;
  PgRows rows;
  session_->Query(
      "SELECT " + group +
          ", sum(requests), sum(prompt_tokens), sum(completion_tokens), sum(reasoning_tokens), "
          "sum(cached_tokens), sum(tokens_prompt), sum(tokens_completion), sum(cost_nano) FROM " +
          std::string(table) + " WHERE " + std::string(bucket) + " BETWEEN $1 AND $2" + where +
          " GROUP BY " + group,
      params, &rows);
  std::vector<std::pair<int64_t, UsageRow>> sums;
  sums.reserve(rows.rows.size());
  const size_t at = per_bucket ? 1 : 0;  // the value's column
  for (const auto& r : rows.rows) {
    UsageRow row;
    row.name = by == UsageDimension::kDay ? FormatDay(Int(r[at])) : r[at];
    row.requests = Int(r[at + 1]);
    row.prompt_tokens = Int(r[at + 2]);
    row.completion_tokens = Int(r[at + 3]);
    row.reasoning_tokens = Int(r[at + 4]);
    row.cached_tokens = Int(r[at + 5]);
    row.tokens_prompt = Int(r[at + 6]);
    row.tokens_completion = Int(r[at + 7]);
    row.cost_nano = Int(r[at + 8]);
    sums.emplace_back(per_bucket ? Int(r[0]) : 0, std::move(row));
  }
  return sums;
}

std::vector<UsageRow> PgUsageReader::GroupedSum(UsageDimension by, DayRange range,
                                                const UsageFilters& filters) {
  return Rows(Grouped("usage_daily", "day", by, range.from_day, range.to_day, filters, false));
}

std::vector<DailyUsageRow> PgUsageReader::GroupedDailySum(UsageDimension by, DayRange range,
                                                          const UsageFilters& filters) {
  std::vector<DailyUsageRow> rows;
  for (auto& [day, row] :
       Grouped("usage_daily", "day", by, range.from_day, range.to_day, filters, true)) {
    rows.push_back(DailyUsageRow{day, std::move(row)});
  }
  return rows;
}

std::vector<UsageRow> PgUsageReader::GroupedHourlySum(UsageDimension by, int64_t from_hour,
                                                      int64_t to_hour,
                                                      const UsageFilters& filters) {
  return Rows(Grouped("usage_hourly", "hour", by, from_hour, to_hour, filters, false));
}

std::map<std::string, std::string> PgUsageReader::ModelAuthors(DayRange range) {
  // max() over COLLATE "C": the byte order SQLite's MAX() uses, whatever the database's.
  PgRows rows;
  session_->Query(
      "SELECT model, max(author COLLATE \"C\") FROM usage_daily WHERE day BETWEEN $1 AND $2 "
      "GROUP BY model",
      {std::to_string(range.from_day), std::to_string(range.to_day)}, &rows);
  std::map<std::string, std::string> authors;
  for (const auto& r : rows.rows) authors.emplace(r[0], r[1]);
  return authors;
}

}  // namespace gw::accounting::postgres

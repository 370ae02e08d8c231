#include "accounting/ledger/postgres/pg_usage_reader.h"

#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/postgres/pg_connection.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/utc_time.h"

namespace gw::accounting::postgres {
namespace {

int64_t Int(const std::string& text) { return text.empty() ? 0 : std::stoll(text); }

}  // namespace

PgUsageReader::PgUsageReader(std::string url, std::chrono::milliseconds connect_timeout,
                             std::function<int64_t()> now_ms)
    : url_(std::move(url)), connect_timeout_(connect_timeout), now_ms_(std::move(now_ms)) {}

PgUsageReader::~PgUsageReader() = default;

int64_t PgUsageReader::Today() const { return DayBucket(now_ms_ ? now_ms_() : NowEpochMs()); }

void PgUsageReader::Run(const std::string& sql, const std::vector<std::string>& params,
                        PgRows* rows) {
  std::lock_guard lock(mu_);
  std::string error;
  if (!connection_ || !connection_->ok()) {
    // After a failed connect, callers fail at once for a second rather than each waiting for
    // the connect timeout in turn (they are request workers).
    const auto now = std::chrono::steady_clock::now();
    if (now < retry_after_) throw LedgerError("the shared usage ledger: " + last_error_);
    connection_ = PgConnection::Connect(url_, connect_timeout_, &error);
    if (!connection_) {
      last_error_ = error;
      retry_after_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      throw LedgerError("the shared usage ledger: " + error);
    }
  }
  if (!connection_->Query(sql, params, rows, &error)) {
    if (!connection_->ok()) connection_.reset();
    throw LedgerError("the shared usage ledger: " + error);
  }
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
  Run("SELECT day, model, provider, sum(requests), sum(prompt_tokens), sum(completion_tokens), "
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

std::vector<UsageRow> PgUsageReader::GroupedSum(UsageDimension by, DayRange range,
                                                const UsageFilters& filters) {
  std::vector<std::string> params = {std::to_string(range.from_day), std::to_string(range.to_day)};
  const std::string where = UsageFilterSql(filters, '$', 3, &params);
  const std::string column(UsageDimensionColumn(by));
  PgRows rows;
  Run("SELECT " + column +
          ", sum(requests), sum(prompt_tokens), sum(completion_tokens), sum(reasoning_tokens), "
          "sum(cached_tokens), sum(tokens_prompt), sum(tokens_completion), sum(cost_nano) "
          "FROM usage_daily WHERE day BETWEEN $1 AND $2" +
          where + " GROUP BY " + column,
      params, &rows);
  std::vector<UsageRow> sums;
  sums.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    UsageRow row;
    row.name = by == UsageDimension::kDay ? FormatDay(Int(r[0])) : r[0];
    row.requests = Int(r[1]);
    row.prompt_tokens = Int(r[2]);
    row.completion_tokens = Int(r[3]);
    row.reasoning_tokens = Int(r[4]);
    row.cached_tokens = Int(r[5]);
    row.tokens_prompt = Int(r[6]);
    row.tokens_completion = Int(r[7]);
    row.cost_nano = Int(r[8]);
    sums.push_back(std::move(row));
  }
  return sums;
}

}  // namespace gw::accounting::postgres

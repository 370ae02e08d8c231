#include "accounting/ledger/insights_rollups.h"

#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>

#include "accounting/ledger/rollup_sql.h"
#include "accounting/ledger/rollups.h"

namespace gw::accounting {
namespace {

// The summed columns of the model, category and language tables (BindSums binds them so).
constexpr std::string_view kInsightSumColumns[] = {
    "requests",      "prompt_tokens", "completion_tokens", "reasoning_tokens",
    "tools_offered", "tool_calls",    "cost_nano"};
// The one summed column of the usage table.
constexpr std::string_view kRequestsColumn[] = {"requests"};

void BindSums(sqlite::Stmt& stmt, int first, const InsightSums& s) {
  int index = first;
  for (int64_t value : {s.requests, s.prompt_tokens, s.completion_tokens, s.reasoning_tokens,
                        s.tools_offered, s.tool_calls, s.cost_nano}) {
    stmt.Bind(index++, value);
  }
}

// Binds the parts of a key tuple to ?1.. in order; returns the next index.
template <class Tuple>
int BindKey(sqlite::Stmt& stmt, const Tuple& key) {
  int index = 1;
  std::apply([&](const auto&... part) { (stmt.Bind(index++, part), ...); }, key);
  return index;
}

template <class Map>
bool WriteSums(sqlite3* db, sqlite::Stmt& stmt, const Map& map, sqlite::Failure* failure) {
  for (const auto& [key, sums] : map) {
    BindSums(stmt, BindKey(stmt, key), sums);
    if (!StepOnce(db, stmt, failure)) return false;
  }
  return true;
}

template <class Map>
bool WriteCounts(sqlite3* db, sqlite::Stmt& stmt, const Map& map, sqlite::Failure* failure) {
  for (const auto& [key, requests] : map) {
    stmt.Bind(BindKey(stmt, key), requests);
    if (!StepOnce(db, stmt, failure)) return false;
  }
  return true;
}

}  // namespace

int64_t WeekBucket(int64_t epoch_ms) {
  const int64_t shifted = DayBucket(epoch_ms) + 3;  // day -3 (1969-12-29) was a Monday
  return shifted >= 0 ? shifted / 7 : -((-shifted + 6) / 7);
}

int64_t WeekFirstDay(int64_t week) { return week * 7 - 3; }

int LengthBucket(int64_t tokens) {
  if (tokens <= 0) return 0;
  return 1 + static_cast<int>(std::floor(4.0 * std::log2(static_cast<double>(tokens))));
}

double LengthBucketMidpoint(int bucket) {
  if (bucket <= 0) return 0;
  return std::exp2((static_cast<double>(bucket) - 0.5) / 4.0);
}

void InsightSums::Add(const GenerationRecord& r) {
  requests += 1;
  prompt_tokens += r.native.prompt;
  completion_tokens += r.native.completion;
  reasoning_tokens += r.native.reasoning;
  tools_offered += r.tools_offered ? 1 : 0;
  tool_calls += r.tool_called ? 1 : 0;
  cost_nano += r.cost.total;
}

namespace {

std::string Own(std::string_view text) { return std::string(text); }
int64_t Own(int64_t value) { return value; }

// The value of `key` (a tuple of views) in `map`, inserted with owned strings when new.
template <class Map, class... Parts>
typename Map::mapped_type& Slot(Map& map, const std::tuple<Parts...>& key) {
  auto found = map.find(key);
  if (found == map.end()) {
    found = map.emplace(std::apply(
                            [](const auto&... part) { return std::make_tuple(Own(part)...); }, key),
                        typename Map::mapped_type{})
                .first;
  }
  return found->second;
}

}  // namespace

void InsightsBatch::Add(const GenerationRecord& r) {
  if (r.provider.empty() || r.http_status != 200) return;  // no provider answered it
  using std::string_view;
  const int64_t week = WeekBucket(r.created_at_ms);
  Slot(models_,
       std::tuple<int64_t, string_view, string_view, string_view, int64_t, int64_t, int64_t>{
           week, r.model, r.author, r.model_origin, r.model_open_weights, r.model_parameters_m,
           r.model_reasoning})
      .Add(r);
  Slot(categories_, std::tuple<int64_t, string_view, string_view>{week, r.category, r.author})
      .Add(r);
  Slot(languages_, std::tuple<int64_t, string_view>{week, r.language}).Add(r);
  for (const auto& [kind, tokens] : {std::pair{LengthKind::kPrompt, r.native.prompt},
                                     std::pair{LengthKind::kCompletion, r.native.completion}}) {
    LengthCounts& counts = Slot(lengths_, std::tuple<int64_t, string_view, int64_t>{
                                              week, r.category, static_cast<int64_t>(kind)});
    const auto bucket = static_cast<size_t>(LengthBucket(tokens));
    if (counts.size() <= bucket) counts.resize(bucket + 1, 0);
    ++counts[bucket];
  }
  const std::pair<UsageEntity, string_view> entities[] = {{UsageEntity::kApiKey, r.api_key_id},
                                                          {UsageEntity::kUser, r.user},
                                                          {UsageEntity::kApp, r.app}};
  for (const auto& [kind, entity] : entities) {
    if (entity.empty()) continue;
    Slot(usage_, std::tuple<string_view, int64_t, string_view, int64_t>{
                     r.model, static_cast<int64_t>(kind), entity, week}) += 1;
  }
}

void InsightsBatch::Clear() {
  models_.clear();
  categories_.clear();
  languages_.clear();
  lengths_.clear();
  usage_.clear();
}

InsightsWriter::InsightsWriter(sqlite3* db)
    : db_(db),
      model_(db, UpsertSql("insights_weekly_model",
                           {"week", "model", "author", "origin", "open_weights", "parameters_m",
                            "reasoning"},
                           kInsightSumColumns)),
      category_(db, UpsertSql("insights_weekly_category", {"week", "category", "author"},
                              kInsightSumColumns)),
      language_(db,
                UpsertSql("insights_weekly_language", {"week", "language"}, kInsightSumColumns)),
      length_read_(db,
                   "SELECT histogram FROM insights_weekly_length WHERE week = ?1 AND "
                   "category = ?2 AND kind = ?3"),
      length_(db,
              "INSERT INTO insights_weekly_length (week, category, kind, histogram) VALUES (?1, "
              "?2, ?3, ?4) ON CONFLICT (week, category, kind) DO UPDATE SET histogram = "
              "excluded.histogram"),
      usage_(db, UpsertSql("insights_model_usage", {"model", "entity_kind", "entity", "week"},
                           kRequestsColumn)) {}

bool InsightsWriter::Write(const InsightsBatch& batch, sqlite::Failure* failure) {
  return WriteSums(db_, model_, batch.models(), failure) &&
         WriteSums(db_, category_, batch.categories(), failure) &&
         WriteSums(db_, language_, batch.languages(), failure) && WriteLengths(batch, failure) &&
         WriteCounts(db_, usage_, batch.usage(), failure);
}

bool InsightsWriter::WriteLengths(const InsightsBatch& batch, sqlite::Failure* failure) {
  LengthCounts counts;
  for (const auto& [key, added] : batch.lengths()) {
    counts = added;
    BindKey(length_read_, key);
    const int rc = length_read_.Step();
    if (rc == SQLITE_ROW) {
      const std::string_view stored = length_read_.TextView(0);
      if (!AddLengthHistogram(stored, counts)) {
        // (The message first: the text lives until the statement resets.)
        *failure = {SQLITE_CORRUPT, "insights_weekly_length holds a malformed histogram: " +
                                        std::string(stored.substr(0, 80))};
        length_read_.Reset();
        return false;
      }
    } else if (rc != SQLITE_DONE) {
      *failure = sqlite::Failure{rc, sqlite3_errmsg(db_)};
      length_read_.Reset();
      return false;
    }
    length_read_.Reset();
    const std::string histogram = FormatLengthHistogram(counts);  // bound without a copy
    BindKey(length_, key);
    length_.Bind(4, histogram);
    if (!StepOnce(db_, length_, failure)) return false;
  }
  return true;
}

}  // namespace gw::accounting

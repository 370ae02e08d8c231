#include "accounting/ledger/rollups.h"

#include <functional>
#include <string>

#include "accounting/ledger/rollup_sql.h"

namespace gw::accounting {
namespace {

// The summed columns of every usage rollup table, in table order (BindSums binds them so).
constexpr std::string_view kUsageSumColumns[] = {
    "requests",      "prompt_tokens",      "completion_tokens", "reasoning_tokens",
    "cached_tokens", "cache_write_tokens", "tokens_prompt",     "tokens_completion",
    "cost_nano",     "cancelled",          "estimated"};

std::string UsageUpsertSql(std::string_view table, std::initializer_list<std::string_view> keys) {
  return UpsertSql(table, keys, kUsageSumColumns);
}

void BindSums(sqlite::Stmt& stmt, int first, const RollupSums& s) {
  const int64_t values[] = {s.requests,         s.prompt_tokens,     s.completion_tokens,
                            s.reasoning_tokens, s.cached_tokens,     s.cache_write_tokens,
                            s.tokens_prompt,    s.tokens_completion, s.cost_nano,
                            s.cancelled,        s.estimated};
  int index = first;
  for (int64_t value : values) stmt.Bind(index++, value);
}

// Binds a key's parts to ?1.. in its table's column order; returns the index of the first sum.
int BindKey(sqlite::Stmt& stmt, const RollupBatch::FullKey& k) {
  stmt.Bind(1, k.bucket);
  stmt.Bind(2, k.model);
  stmt.Bind(3, k.provider);
  stmt.Bind(4, k.author);
  stmt.Bind(5, k.app);
  stmt.Bind(6, k.api_key_id);
  stmt.Bind(7, k.user);
  return 8;
}
int BindKey(sqlite::Stmt& stmt, const RollupBatch::ModelKey& k) {
  stmt.Bind(1, k.bucket);
  stmt.Bind(2, k.model);
  stmt.Bind(3, k.provider);
  stmt.Bind(4, k.author);
  return 5;
}
int BindKey(sqlite::Stmt& stmt, const RollupBatch::DimKey& k) {
  stmt.Bind(1, int64_t{k.dim});
  stmt.Bind(2, k.bucket);
  stmt.Bind(3, k.value);
  return 4;
}
// usage_daily_app's key: a FullKey without api_key_id and user.
int BindAppKey(sqlite::Stmt& stmt, const RollupBatch::FullKey& k) {
  stmt.Bind(1, k.bucket);
  stmt.Bind(2, k.model);
  stmt.Bind(3, k.provider);
  stmt.Bind(4, k.author);
  stmt.Bind(5, k.app);
  return 6;
}

// One upsert per key of `map`; false (with *failure) on the first failing statement.
template <class Map, class Bind>
bool WriteEach(sqlite3* db, sqlite::Stmt& stmt, const Map& map, Bind bind_key,
               sqlite::Failure* failure) {
  for (const auto& [key, sums] : map) {
    BindSums(stmt, bind_key(stmt, key), sums);
    if (!StepOnce(db, stmt, failure)) return false;
  }
  return true;
}

template <class Map>
bool WriteEach(sqlite3* db, sqlite::Stmt& stmt, const Map& map, sqlite::Failure* failure) {
  return WriteEach(
      db, stmt, map, [](sqlite::Stmt& s, const auto& key) { return BindKey(s, key); }, failure);
}

}  // namespace

int64_t HourBucket(int64_t epoch_ms) {
  return epoch_ms >= 0 ? epoch_ms / kMsPerHour : -((-epoch_ms + kMsPerHour - 1) / kMsPerHour);
}

int64_t DayBucket(int64_t epoch_ms) {
  return epoch_ms >= 0 ? epoch_ms / kMsPerDay : -((-epoch_ms + kMsPerDay - 1) / kMsPerDay);
}

void RollupSums::Add(const GenerationRecord& r) {
  requests += 1;
  prompt_tokens += r.native.prompt;
  completion_tokens += r.native.completion;
  reasoning_tokens += r.native.reasoning;
  cached_tokens += r.native.cached;
  cache_write_tokens += r.native.cache_write;
  if (r.tokens_prompt > 0) tokens_prompt += r.tokens_prompt;
  if (r.tokens_completion > 0) tokens_completion += r.tokens_completion;
  cost_nano += r.cost.total;
  cancelled += r.cancelled ? 1 : 0;
  estimated += r.estimated ? 1 : 0;
}

void RollupSums::Add(const RollupSums& o) {
  requests += o.requests;
  prompt_tokens += o.prompt_tokens;
  completion_tokens += o.completion_tokens;
  reasoning_tokens += o.reasoning_tokens;
  cached_tokens += o.cached_tokens;
  cache_write_tokens += o.cache_write_tokens;
  tokens_prompt += o.tokens_prompt;
  tokens_completion += o.tokens_completion;
  cost_nano += o.cost_nano;
  cancelled += o.cancelled;
  estimated += o.estimated;
}

size_t RollupBatch::Hash::operator()(const FullKey& k) const {
  std::hash<std::string_view> h;
  size_t seed = std::hash<int64_t>()(k.bucket);
  for (std::string_view part : {k.model, k.provider, k.author, k.app, k.api_key_id, k.user}) {
    seed = MixHash(seed, h(part));
  }
  return seed;
}

size_t RollupBatch::Hash::operator()(const ModelKey& k) const {
  std::hash<std::string_view> h;
  size_t seed = std::hash<int64_t>()(k.bucket);
  for (std::string_view part : {k.model, k.provider, k.author}) seed = MixHash(seed, h(part));
  return seed;
}

size_t RollupBatch::Hash::operator()(const DimKey& k) const {
  return MixHash(MixHash(std::hash<int64_t>()(k.bucket), static_cast<size_t>(k.dim)),
                 std::hash<std::string_view>()(k.value));
}

void RollupBatch::Add(const GenerationRecord& r) {
  const int64_t day = DayBucket(r.created_at_ms);
  const int64_t hour = HourBucket(r.created_at_ms);
  FullKey key{hour, r.model, r.provider, r.author, r.app, r.api_key_id, r.user};
  hourly_[key].Add(r);
  hourly_model_[ModelKey{hour, r.model, r.provider, r.author}].Add(r);
  hourly_dim_[DimKey{static_cast<int>(RollupDim::kApp), hour, r.app}].Add(r);
  hourly_dim_[DimKey{static_cast<int>(RollupDim::kApiKey), hour, r.api_key_id}].Add(r);
  hourly_dim_[DimKey{static_cast<int>(RollupDim::kUser), hour, r.user}].Add(r);
  key.bucket = day;
  RollupSums& daily = daily_[key];
  daily.Add(r);
  model_[ModelKey{day, r.model, r.provider, r.author}].Add(r);
  app_[FullKey{day, r.model, r.provider, r.author, r.app, {}, {}}].Add(r);
  dim_[DimKey{static_cast<int>(RollupDim::kApp), day, r.app}].Add(r);
  dim_[DimKey{static_cast<int>(RollupDim::kApiKey), day, r.api_key_id}].Add(r);
  dim_[DimKey{static_cast<int>(RollupDim::kUser), day, r.user}].Add(r);
}

void RollupBatch::Clear() {
  hourly_.clear();
  daily_.clear();
  model_.clear();
  app_.clear();
  dim_.clear();
  hourly_model_.clear();
  hourly_dim_.clear();
}

RollupWriter::RollupWriter(sqlite3* db)
    : db_(db),
      hourly_(db, UsageUpsertSql("usage_hourly", {"hour", "model", "provider", "author", "app",
                                                  "api_key_id", "user"})),
      daily_(db, UsageUpsertSql("usage_daily", {"day", "model", "provider", "author", "app",
                                                "api_key_id", "user"})),
      model_(db, UsageUpsertSql("usage_daily_model", {"day", "model", "provider", "author"})),
      app_(db, UsageUpsertSql("usage_daily_app", {"day", "model", "provider", "author", "app"})),
      dim_(db, UsageUpsertSql("usage_daily_dim", {"dim", "day", "value"})),
      hourly_model_(db,
                    UsageUpsertSql("usage_hourly_model", {"hour", "model", "provider", "author"})),
      hourly_dim_(db, UsageUpsertSql("usage_hourly_dim", {"dim", "hour", "value"})) {}

bool RollupWriter::Write(const RollupBatch& batch, sqlite::Failure* failure) {
  return WriteEach(db_, hourly_, batch.hourly(), failure) &&
         WriteEach(db_, daily_, batch.daily(), failure) &&
         WriteEach(db_, model_, batch.daily_model(), failure) &&
         WriteEach(db_, hourly_model_, batch.hourly_model(), failure) &&
         WriteEach(db_, app_, batch.daily_app(), BindAppKey, failure) &&
         WriteEach(db_, dim_, batch.daily_dim(), failure) &&
         WriteEach(db_, hourly_dim_, batch.hourly_dim(), failure);
}

}  // namespace gw::accounting

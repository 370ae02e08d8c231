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

bool WriteFull(sqlite3* db, sqlite::Stmt& stmt,
               const std::unordered_map<RollupBatch::FullKey, RollupSums, RollupBatch::Hash>& map,
               sqlite::Failure* failure) {
  for (const auto& [k, sums] : map) {
    stmt.Bind(1, k.bucket);
    stmt.Bind(2, k.model);
    stmt.Bind(3, k.provider);
    stmt.Bind(4, k.author);
    stmt.Bind(5, k.app);
    stmt.Bind(6, k.api_key_id);
    stmt.Bind(7, k.user);
    BindSums(stmt, 8, sums);
    if (!StepOnce(db, stmt, failure)) return false;
  }
  return true;
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
  if (!WriteFull(db_, hourly_, batch.hourly(), failure)) return false;
  if (!WriteFull(db_, daily_, batch.daily(), failure)) return false;
  if (!WriteModel(model_, batch.daily_model(), failure)) return false;
  if (!WriteModel(hourly_model_, batch.hourly_model(), failure)) return false;
  for (const auto& [k, sums] : batch.daily_app()) {
    app_.Bind(1, k.bucket);
    app_.Bind(2, k.model);
    app_.Bind(3, k.provider);
    app_.Bind(4, k.author);
    app_.Bind(5, k.app);
    BindSums(app_, 6, sums);
    if (!StepOnce(db_, app_, failure)) return false;
  }
  if (!WriteDim(dim_, batch.daily_dim(), failure)) return false;
  return WriteDim(hourly_dim_, batch.hourly_dim(), failure);
}

bool RollupWriter::WriteModel(
    sqlite::Stmt& stmt,
    const std::unordered_map<RollupBatch::ModelKey, RollupSums, RollupBatch::Hash>& map,
    sqlite::Failure* failure) {
  for (const auto& [k, sums] : map) {
    stmt.Bind(1, k.bucket);
    stmt.Bind(2, k.model);
    stmt.Bind(3, k.provider);
    stmt.Bind(4, k.author);
    BindSums(stmt, 5, sums);
    if (!StepOnce(db_, stmt, failure)) return false;
  }
  return true;
}

bool RollupWriter::WriteDim(
    sqlite::Stmt& stmt,
    const std::unordered_map<RollupBatch::DimKey, RollupSums, RollupBatch::Hash>& map,
    sqlite::Failure* failure) {
  for (const auto& [k, sums] : map) {
    stmt.Bind(1, int64_t{k.dim});
    stmt.Bind(2, k.bucket);
    stmt.Bind(3, k.value);
    BindSums(stmt, 4, sums);
    if (!StepOnce(db_, stmt, failure)) return false;
  }
  return true;
}

}  // namespace gw::accounting

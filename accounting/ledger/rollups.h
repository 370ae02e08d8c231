// The rollups: a batch of records aggregated in memory by bucket and dimensions, then written
// with one upsert per distinct key (`col = col + excluded.col`) in the batch's transaction.
// Tables (see docs/ledger.md): usage_hourly and usage_daily (full key), usage_hourly_model and
// usage_daily_model (hour or day, model, provider, author), usage_daily_app (app, day, model,
// provider, author), usage_daily_dim (dim, day, value) and usage_hourly_dim (hour, dim, value).
// Consumer thread only.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "accounting/generation_record.h"
#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

inline constexpr int64_t kMsPerHour = 3'600'000;
inline constexpr int64_t kMsPerDay = 86'400'000;

// UTC bucket numbers: hours / days since the unix epoch (floor division).
int64_t HourBucket(int64_t epoch_ms);
int64_t DayBucket(int64_t epoch_ms);

// The summed columns of every rollup table, in table order.
struct RollupSums {
  int64_t requests = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t cache_write_tokens = 0;
  int64_t tokens_prompt = 0;  // normalized; records still at -1 add nothing
  int64_t tokens_completion = 0;
  int64_t cost_nano = 0;
  int64_t cancelled = 0;
  int64_t estimated = 0;

  void Add(const GenerationRecord& record);
  void Add(const RollupSums& other);
};

// Values of usage_daily_dim.dim and usage_hourly_dim.dim.
enum class RollupDim : int { kApp = 0, kApiKey = 1, kUser = 2 };

// Aggregates records by key. Keys are views into the added records, which must outlive it.
class RollupBatch {
 public:
  struct FullKey {
    int64_t bucket;
    std::string_view model, provider, author, app, api_key_id, user;
    bool operator==(const FullKey&) const = default;
  };
  struct ModelKey {
    int64_t bucket;  // hour or day, by table
    std::string_view model, provider, author;
    bool operator==(const ModelKey&) const = default;
  };
  struct DimKey {
    int dim;
    int64_t bucket;  // hour or day, by table
    std::string_view value;
    bool operator==(const DimKey&) const = default;
  };
  struct Hash {
    size_t operator()(const FullKey& k) const;
    size_t operator()(const ModelKey& k) const;
    size_t operator()(const DimKey& k) const;
  };

  void Add(const GenerationRecord& record);
  void Clear();
  bool empty() const { return daily_.empty(); }

  const std::unordered_map<FullKey, RollupSums, Hash>& hourly() const { return hourly_; }
  const std::unordered_map<FullKey, RollupSums, Hash>& daily() const { return daily_; }
  const std::unordered_map<ModelKey, RollupSums, Hash>& daily_model() const { return model_; }
  // Keyed by FullKey with api_key_id and user empty.
  const std::unordered_map<FullKey, RollupSums, Hash>& daily_app() const { return app_; }
  const std::unordered_map<DimKey, RollupSums, Hash>& daily_dim() const { return dim_; }
  const std::unordered_map<ModelKey, RollupSums, Hash>& hourly_model() const {
    return hourly_model_;
  }
  const std::unordered_map<DimKey, RollupSums, Hash>& hourly_dim() const { return hourly_dim_; }

 private:
  std::unordered_map<FullKey, RollupSums, Hash> hourly_;
  std::unordered_map<FullKey, RollupSums, Hash> daily_;
  std::unordered_map<ModelKey, RollupSums, Hash> model_;
  std::unordered_map<FullKey, RollupSums, Hash> app_;
  std::unordered_map<DimKey, RollupSums, Hash> dim_;
  std::unordered_map<ModelKey, RollupSums, Hash> hourly_model_;
  std::unordered_map<DimKey, RollupSums, Hash> hourly_dim_;
};

// The prepared upserts of the rollup tables on one connection.
class RollupWriter {
 public:
  explicit RollupWriter(sqlite3* db);
  // Upserts every key of `batch`; the caller owns the transaction. False (with *failure) on
  // the first failing statement.
  bool Write(const RollupBatch& batch, sqlite::Failure* failure);

 private:
  sqlite3* db_;
  sqlite::Stmt hourly_, daily_, model_, app_, dim_, hourly_model_, hourly_dim_;
};

}  // namespace gw::accounting

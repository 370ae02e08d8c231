// The insights rollups (docs/insights.md): each batch of served records aggregated in memory by
// week and the dimensions the analyses read, then added to its table with one upsert per
// distinct key in the batch's transaction, like the usage rollups (rollups.h). Tables:
// insights_weekly_model (the served model and its attributes as recorded), _category (task
// category by model author), _language, _length (prompt and completion length histograms per
// category) and insights_model_usage (which key, user and app used which model in which week,
// for retention cohorts). Consumer thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "accounting/generation_record.h"
#include "accounting/ledger/rollup_sql.h"
#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

// Weeks start on Monday 00:00 UTC; week 0 is the one holding 1970-01-01 (a Thursday).
int64_t WeekBucket(int64_t epoch_ms);
// The first day (days since the epoch) of `week`.
int64_t WeekFirstDay(int64_t week);

// Length histograms use four buckets per doubling: 0 holds 0 tokens, bucket b >= 1 holds
// [2^((b-1)/4), 2^(b/4)) tokens, so a median read from them lies in the quarter-octave of the
// exact one (within 19%; of an even count, of the lower middle).
int LengthBucket(int64_t tokens);
double LengthBucketMidpoint(int bucket);  // the geometric middle of the bucket; 0 for bucket 0

// insights_model_usage.entity_kind: who used a model.
enum class UsageEntity : int { kApiKey = 0, kUser = 1, kApp = 2 };
// insights_weekly_length.kind.
enum class LengthKind : int { kPrompt = 0, kCompletion = 1 };

// The summed columns of the model, category and language tables.
struct InsightSums {
  int64_t requests = 0;
  int64_t prompt_tokens = 0;  // native counts, as the rankings
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;
  int64_t tools_offered = 0;  // requests that offered tools
  int64_t tool_calls = 0;     // requests whose answer called one
  int64_t cost_nano = 0;

  void Add(const GenerationRecord& record);
};

// Aggregates served records (those with a provider) by key. Keys are views into the added
// records, which must outlive the batch.
class InsightsBatch {
 public:
  // week, model, author, origin, open_weights, parameters_m, reasoning
  using ModelKey = std::tuple<int64_t, std::string_view, std::string_view, std::string_view,
                              int64_t, int64_t, int64_t>;
  using CategoryKey = std::tuple<int64_t, std::string_view, std::string_view>;  // +author
  using LanguageKey = std::tuple<int64_t, std::string_view>;
  using LengthKey = std::tuple<int64_t, std::string_view, int64_t, int64_t>;  // kind, bucket
  // model, entity kind, entity, week
  using UsageKey = std::tuple<std::string_view, int64_t, std::string_view, int64_t>;
  struct Hash {
    template <class Tuple>
    size_t operator()(const Tuple& key) const {
      size_t seed = 0;
      std::apply([&](const auto&... part) { ((seed = MixHash(seed, HashPart(part))), ...); }, key);
      return seed;
    }
    static size_t HashPart(int64_t value) { return std::hash<int64_t>()(value); }
    static size_t HashPart(std::string_view value) { return std::hash<std::string_view>()(value); }
  };

  void Add(const GenerationRecord& record);
  void Clear();

  const std::unordered_map<ModelKey, InsightSums, Hash>& models() const { return models_; }
  const std::unordered_map<CategoryKey, InsightSums, Hash>& categories() const {
    return categories_;
  }
  const std::unordered_map<LanguageKey, InsightSums, Hash>& languages() const { return languages_; }
  const std::unordered_map<LengthKey, int64_t, Hash>& lengths() const { return lengths_; }
  const std::unordered_map<UsageKey, int64_t, Hash>& usage() const { return usage_; }

 private:
  std::unordered_map<ModelKey, InsightSums, Hash> models_;
  std::unordered_map<CategoryKey, InsightSums, Hash> categories_;
  std::unordered_map<LanguageKey, InsightSums, Hash> languages_;
  std::unordered_map<LengthKey, int64_t, Hash> lengths_;
  std::unordered_map<UsageKey, int64_t, Hash> usage_;
};

// The prepared upserts of the insights tables on one connection.
class InsightsWriter {
 public:
  explicit InsightsWriter(sqlite3* db);
  // Upserts every key of `batch`; the caller owns the transaction. False (with *failure) on
  // the first failing statement.
  bool Write(const InsightsBatch& batch, sqlite::Failure* failure);

 private:
  sqlite3* db_;
  sqlite::Stmt model_, category_, language_, length_, usage_;
};

}  // namespace gw::accounting

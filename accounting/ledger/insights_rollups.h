// The insights rollups (docs/insights.md): served records aggregated in memory by week and the
// dimensions the analyses read, then added to their tables with one upsert per distinct key. Not
// in each batch's transaction like the usage rollups (rollups.h): that would add five tables'
// pages to every commit an answer waits for under `durability: commit`. The ledger's writer
// accumulates them and flushes about once a second with a watermark (LedgerWriter). Tables:
// insights_weekly_model (the served model and its attributes as recorded), _category (task
// category by model author), _language, _length (prompt and completion length histograms per
// category, one row each: length_histogram.h) and insights_model_usage (which key, user and app
// used which model in which week, for retention cohorts). Consumer thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "accounting/generation_record.h"
#include "accounting/ledger/length_histogram.h"
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

// Aggregates served records (answered with 200 by a provider) by key, over as many batches as
// the ledger writes between two insights flushes (LedgerWriter::FlushInsights). Keys are owned
// copies: the records may be gone by the flush. A record adds no allocation unless it brings a
// new key.
class InsightsBatch {
 public:
  // week, model, author, origin, open_weights, parameters_m, reasoning
  using ModelKey =
      std::tuple<int64_t, std::string, std::string, std::string, int64_t, int64_t, int64_t>;
  using CategoryKey = std::tuple<int64_t, std::string, std::string>;  // week, category, author
  using LanguageKey = std::tuple<int64_t, std::string>;               // week, language
  using LengthKey = std::tuple<int64_t, std::string, int64_t>;        // week, category, kind
  // model, entity kind, entity, week
  using UsageKey = std::tuple<std::string, int64_t, std::string, int64_t>;
  // Hash and equality that also take the same tuples with string_views (lookup without a copy).
  struct Hash {
    using is_transparent = void;
    template <class Tuple>
    size_t operator()(const Tuple& key) const {
      size_t seed = 0;
      std::apply([&](const auto&... part) { ((seed = MixHash(seed, HashPart(part))), ...); }, key);
      return seed;
    }
    static size_t HashPart(int64_t value) { return std::hash<int64_t>()(value); }
    static size_t HashPart(std::string_view value) { return std::hash<std::string_view>()(value); }
  };
  struct Equal {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return [&]<size_t... I>(std::index_sequence<I...>) {
        return ((std::get<I>(a) == std::get<I>(b)) && ...);
      }
      (std::make_index_sequence<std::tuple_size_v<A>>());
    }
  };
  template <class Key, class Value>
  using Map = std::unordered_map<Key, Value, Hash, Equal>;

  void Add(const GenerationRecord& record);
  void Clear();
  bool empty() const { return models_.empty(); }

  const Map<ModelKey, InsightSums>& models() const { return models_; }
  const Map<CategoryKey, InsightSums>& categories() const { return categories_; }
  const Map<LanguageKey, InsightSums>& languages() const { return languages_; }
  const Map<LengthKey, LengthCounts>& lengths() const { return lengths_; }
  const Map<UsageKey, int64_t>& usage() const { return usage_; }

 private:
  Map<ModelKey, InsightSums> models_;
  Map<CategoryKey, InsightSums> categories_;
  Map<LanguageKey, InsightSums> languages_;
  Map<LengthKey, LengthCounts> lengths_;
  Map<UsageKey, int64_t> usage_;
};

// The prepared upserts of the insights tables on one connection.
class InsightsWriter {
 public:
  explicit InsightsWriter(sqlite3* db);
  // Upserts every key of `batch`; the caller owns the transaction. False (with *failure) on
  // the first failing statement.
  bool Write(const InsightsBatch& batch, sqlite::Failure* failure);

 private:
  // Adds the batch's length histograms to their rows (read, add, write back).
  bool WriteLengths(const InsightsBatch& batch, sqlite::Failure* failure);

  sqlite3* db_;
  sqlite::Stmt model_, category_, language_, length_read_, length_, usage_;
};

}  // namespace gw::accounting

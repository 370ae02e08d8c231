#include "bench/ledger/insights_traffic.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "accounting/generation_record.h"
#include "accounting/ledger/insights_rollups.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/utc_time.h"
#include "config/task_category.h"

namespace gw::bench {
namespace {

using accounting::GenerationRecord;

constexpr int64_t kMsPerWeek = 7 * accounting::kMsPerDay;
constexpr int kNever = 1'000;

// A model as the config describes it, its list price (USD per million tokens), when it appears
// and goes away (weeks after the range's first week, on a 104-week range; scaled to others) and
// how popular it is once out.
struct Model {
  const char* id;
  const char* origin;
  bool open_weights;
  int parameters_b;  // 0: unknown
  bool reasoning;
  double usd_in, usd_out;
  int release, retire;
  double popularity;
};

// clang-format off
constexpr Model kModels[] = {
    {"openai/gpt-4o", "US", false, 0, false, 2.5, 10, 0, 80, 8},
    {"openai/gpt-4o-mini", "US", false, 0, false, 0.15, 0.6, 0, 90, 10},
    {"openai/o1", "US", false, 0, true, 15, 60, 0, 60, 1},
    {"openai/o3-mini", "US", false, 0, true, 1.1, 4.4, 11, kNever, 3},
    {"openai/o3", "US", false, 0, true, 2, 8, 32, kNever, 3},
    {"openai/o4-mini", "US", false, 0, true, 1.1, 4.4, 32, kNever, 4},
    {"openai/gpt-4.1", "US", false, 0, false, 2, 8, 32, kNever, 5},
    {"openai/gpt-4.1-mini", "US", false, 0, false, 0.4, 1.6, 32, kNever, 5},
    {"openai/gpt-4.1-nano", "US", false, 0, false, 0.1, 0.4, 32, kNever, 2},
    {"openai/gpt-5", "US", false, 0, true, 1.25, 10, 62, kNever, 9},
    {"openai/gpt-5-mini", "US", false, 0, true, 0.25, 2, 62, kNever, 6},
    {"openai/gpt-5-nano", "US", false, 0, true, 0.05, 0.4, 62, kNever, 2},
    {"openai/gpt-oss-120b", "US", true, 117, true, 0.1, 0.5, 62, kNever, 4},
    {"openai/gpt-oss-20b", "US", true, 21, true, 0.05, 0.2, 62, kNever, 2},
    {"anthropic/claude-3.5-sonnet", "US", false, 0, false, 3, 15, 0, 55, 12},
    {"anthropic/claude-3.5-haiku", "US", false, 0, false, 0.8, 4, 0, kNever, 3},
    {"anthropic/claude-3.7-sonnet", "US", false, 0, true, 3, 15, 19, 85, 12},
    {"anthropic/claude-sonnet-4", "US", false, 0, true, 3, 15, 42, kNever, 18},
    {"anthropic/claude-opus-4", "US", false, 0, true, 15, 75, 42, 75, 3},
    {"anthropic/claude-opus-4.1", "US", false, 0, true, 15, 75, 62, kNever, 3},
    {"anthropic/claude-sonnet-4.5", "US", false, 0, true, 3, 15, 78, kNever, 16},
    {"anthropic/claude-haiku-4.5", "US", false, 0, true, 1, 5, 82, kNever, 5},
    {"anthropic/claude-opus-4.5", "US", false, 0, true, 5, 25, 93, kNever, 6},
    {"google/gemini-1.5-pro", "US", false, 0, false, 1.25, 5, 0, 55, 2},
    {"google/gemini-1.5-flash", "US", false, 0, false, 0.075, 0.3, 0, 75, 4},
    {"google/gemini-2.0-flash", "US", false, 0, false, 0.1, 0.4, 13, kNever, 10},
    {"google/gemini-2.0-flash-lite", "US", false, 0, false, 0.075, 0.3, 19, kNever, 3},
    {"google/gemini-2.5-pro", "US", false, 0, true, 1.25, 10, 27, kNever, 10},
    {"google/gemini-2.5-flash", "US", false, 0, true, 0.3, 2.5, 34, kNever, 12},
    {"google/gemini-2.5-flash-lite", "US", false, 0, false, 0.1, 0.4, 51, kNever, 4},
    {"google/gemini-3-pro", "US", false, 0, true, 2, 12, 91, kNever, 6},
    {"google/gemma-3-27b-it", "US", true, 27, false, 0.1, 0.2, 23, kNever, 2},
    {"google/gemma-3-12b-it", "US", true, 12, false, 0.05, 0.1, 23, kNever, 1},
    {"google/gemma-3-4b-it", "US", true, 4, false, 0.02, 0.04, 23, kNever, 1},
    {"x-ai/grok-2", "US", false, 0, false, 2, 10, 0, 57, 1},
    {"x-ai/grok-3", "US", false, 0, false, 3, 15, 25, kNever, 2},
    {"x-ai/grok-3-mini", "US", false, 0, true, 0.3, 0.5, 25, kNever, 2},
    {"x-ai/grok-4", "US", false, 0, true, 3, 15, 57, kNever, 3},
    {"x-ai/grok-code-fast-1", "US", false, 0, true, 0.2, 1.5, 68, kNever, 8},
    {"x-ai/grok-4-fast", "US", false, 0, true, 0.2, 0.5, 76, kNever, 5},
    {"meta-llama/llama-3.1-8b-instruct", "US", true, 8, false, 0.02, 0.05, 0, kNever, 3},
    {"meta-llama/llama-3.1-70b-instruct", "US", true, 70, false, 0.4, 0.4, 0, 60, 2},
    {"meta-llama/llama-3.1-405b-instruct", "US", true, 405, false, 0.8, 0.8, 0, 70, 1},
    {"meta-llama/llama-3.3-70b-instruct", "US", true, 70, false, 0.13, 0.4, 0, kNever, 4},
    {"meta-llama/llama-4-maverick", "US", true, 400, false, 0.15, 0.6, 30, kNever, 2},
    {"meta-llama/llama-4-scout", "US", true, 109, false, 0.08, 0.3, 30, kNever, 2},
    {"mistralai/mistral-large", "FR", true, 123, false, 2, 6, 0, kNever, 1},
    {"mistralai/mistral-small-3.1-24b", "FR", true, 24, false, 0.05, 0.1, 25, kNever, 2},
    {"mistralai/mistral-nemo", "FR", true, 12, false, 0.02, 0.04, 0, kNever, 3},
    {"mistralai/codestral", "FR", false, 0, false, 0.3, 0.9, 8, kNever, 2},
    {"mistralai/mistral-medium-3", "FR", false, 0, false, 0.4, 2, 38, kNever, 1},
    {"mistralai/magistral-medium", "FR", false, 0, true, 2, 5, 47, kNever, 1},
    {"mistralai/devstral-small", "FR", true, 24, false, 0.07, 0.28, 42, kNever, 1},
    {"deepseek/deepseek-chat", "CN", true, 671, false, 0.27, 1.1, 0, kNever, 6},
    {"deepseek/deepseek-r1", "CN", true, 671, true, 0.55, 2.19, 9, kNever, 6},
    {"deepseek/deepseek-chat-v3.1", "CN", true, 671, true, 0.2, 0.8, 66, kNever, 5},
    {"deepseek/deepseek-v3.2", "CN", true, 685, true, 0.28, 0.42, 78, kNever, 5},
    {"qwen/qwen-2.5-72b-instruct", "CN", true, 72, false, 0.12, 0.39, 0, kNever, 2},
    {"qwen/qwen-2.5-coder-32b-instruct", "CN", true, 32, false, 0.06, 0.15, 0, kNever, 2},
    {"qwen/qwen3-235b-a22b", "CN", true, 235, true, 0.13, 0.6, 36, kNever, 4},
    {"qwen/qwen3-32b", "CN", true, 32, true, 0.05, 0.2, 36, kNever, 2},
    {"qwen/qwen3-8b", "CN", true, 8, true, 0.03, 0.1, 36, kNever, 1},
    {"qwen/qwen3-coder", "CN", true, 480, false, 0.22, 0.95, 59, kNever, 6},
    {"qwen/qwen3-max", "CN", false, 0, false, 1.2, 6, 76, kNever, 2},
    {"moonshotai/kimi-k2", "CN", true, 1000, false, 0.5, 2.4, 57, kNever, 5},
    {"moonshotai/kimi-k2-thinking", "CN", true, 1000, true, 0.6, 2.5, 89, kNever, 3},
    {"z-ai/glm-4.5", "CN", true, 355, true, 0.35, 1.5, 61, kNever, 4},
    {"z-ai/glm-4.5-air", "CN", true, 106, true, 0.13, 0.85, 61, kNever, 2},
    {"z-ai/glm-4.6", "CN", true, 355, true, 0.4, 1.75, 78, kNever, 5},
    {"minimax/minimax-m2", "CN", true, 230, true, 0.25, 1, 85, kNever, 4},
    {"cohere/command-r-plus", "CA", false, 0, false, 2.5, 10, 0, kNever, 1},
    {"cohere/command-a", "CA", true, 111, false, 2.5, 10, 23, kNever, 1},
    {"microsoft/phi-4", "US", true, 14, false, 0.06, 0.14, 8, kNever, 1},
    {"nvidia/llama-3.1-nemotron-70b-instruct", "US", true, 70, false, 0.12, 0.3, 0, kNever, 1},
    {"amazon/nova-pro-v1", "US", false, 0, false, 0.8, 3.2, 0, kNever, 1},
    {"amazon/nova-lite-v1", "US", false, 0, false, 0.06, 0.24, 0, kNever, 1},
    {"perplexity/sonar", "US", false, 0, false, 1, 1, 8, kNever, 1},
    {"ai21/jamba-1.6-large", "IL", true, 398, false, 2, 8, 23, kNever, 0.5},
    {"local/support-finetune-8b", "", true, 8, false, 0.01, 0.01, 15, kNever, 1},
    {"local/qwen3-30b-a3b", "", true, 30, true, 0.01, 0.01, 40, kNever, 1},
};

// ISO 639-1 codes of the users' languages and their weights; a prompt's language is sometimes
// undetermined ("") whatever its user writes.
constexpr std::pair<const char*, double> kLanguages[] = {
    {"en", 52}, {"zh", 9}, {"es", 5}, {"ru", 4}, {"pt", 4}, {"de", 4}, {"fr", 4}, {"ja", 3},
    {"ko", 2}, {"it", 1.5}, {"tr", 1.5}, {"vi", 1.2}, {"id", 1.2}, {"ar", 1}, {"pl", 1},
    {"nl", 0.8}, {"hi", 0.8}, {"uk", 0.7}, {"fa", 0.5}, {"th", 0.4}, {"sv", 0.4}, {"cs", 0.3},
    {"ro", 0.3}, {"he", 0.3}, {"el", 0.2}, {"hu", 0.2}, {"da", 0.2}, {"fi", 0.2}, {"bn", 0.2},
    {"bg", 0.2},
};

// Per category (config::TaskCategory order): share of requests, median prompt and completion
// tokens, and how often tools are offered.
struct CategoryTraffic {
  double weight;
  double prompt_median, completion_median;
  double tools;
};
constexpr CategoryTraffic kCategories[] = {
    {40, 8000, 600, 0.75},   // programming (coding agents send long contexts)
    {12, 4000, 300, 0.02},   // roleplay
    {4, 500, 500, 0.02},     // translation
    {10, 200, 400, 0.10},    // general_qa
    {7, 1200, 500, 0.20},    // productivity
    {4, 600, 500, 0.05},     // education
    {4, 800, 900, 0.02},     // creative_writing
    {3, 600, 400, 0.05},     // marketing
    {2.5, 500, 500, 0.05},   // science
    {3, 400, 400, 0.15},     // technology
    {1.5, 300, 400, 0.05},   // health
    {2, 700, 400, 0.10},     // finance
    {1, 2000, 600, 0.05},    // legal
    {1.5, 2500, 700, 0.05},  // academia
    {1, 60, 60, 0.05},       // trivia
    {3.5, 30, 40, 0.02},     // other
};
// clang-format on
static_assert(std::size(kCategories) == config::kTaskCategoryCount);

// Draws an index with probability proportional to its weight (cumulative weights, a few dozen).
class Picker {
 public:
  void Reset() { cumulative_.clear(); }
  void Add(double weight) {
    cumulative_.push_back((cumulative_.empty() ? 0 : cumulative_.back()) + std::max(0.0, weight));
  }
  bool empty() const { return cumulative_.empty() || cumulative_.back() <= 0; }
  template <class Rng>
  size_t Pick(Rng& rng) const {
    const double x = std::uniform_real_distribution<double>(0, cumulative_.back())(rng);
    const auto found = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return std::min(static_cast<size_t>(found - cumulative_.begin()), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

struct User {
  std::string name;
  int key = 0;
  int app = 0;        // main app
  int language = 0;   // index in kLanguages
  int category = 0;   // usual task
  int join = 0;       // first week (range-relative)
  int leave = 0;      // first week gone
  double active = 0;  // chance of using the gateway in a week it is around
  double rate = 0;    // relative requests per active week
  int favourites[3] = {0, 0, 0};
};

class Traffic {
 public:
  explicit Traffic(const InsightsTrafficOptions& options)
      : options_(options), rng_(options.seed), scale_(options.weeks / 104.0) {
    for (int i = 0; i < options.apps; ++i) {
      app_names_.push_back("app-" + std::to_string(i));
      app_picker_.Add(1.0 / std::pow(i + 1, 0.9));
      // A third of the apps declare their category in the config: mostly coding agents.
      const bool declares = Uniform() < 0.33;
      app_category_.push_back(!declares         ? -1
                              : Uniform() < 0.6 ? 0
                                                : static_cast<int>(category_picker().Pick(rng_)));
    }
    for (int i = 0; i < options.keys; ++i) key_names_.push_back("key-" + std::to_string(i));
    Picker language_picker;
    for (const auto& [code, weight] : kLanguages) language_picker.Add(weight);
    std::exponential_distribution<double> lifetime(1.0 / (30.0 * scale_));
    std::lognormal_distribution<double> rate(0.0, 1.3);
    for (int i = 0; i < options.users; ++i) {
      User u;
      u.name = "user-" + std::to_string(i);
      u.key = static_cast<int>(rng_() % static_cast<uint64_t>(options.keys));
      u.app = static_cast<int>(app_picker_.Pick(rng_));
      u.language = static_cast<int>(language_picker.Pick(rng_));
      u.category = app_category_[u.app] >= 0 ? app_category_[u.app]
                                             : static_cast<int>(category_picker().Pick(rng_));
      // A quarter were there when the range starts; the rest join at a growing pace.
      u.join =
          Uniform() < 0.25 ? 0 : static_cast<int>(options.weeks * std::sqrt(Uniform()) * 0.999);
      u.leave = Uniform() < 0.35 ? kNever : u.join + 1 + static_cast<int>(lifetime(rng_));
      u.active = 0.35 + 0.6 * Uniform();
      u.rate = rate(rng_);
      users_.push_back(std::move(u));
    }
  }

  InsightsTrafficResult Fill(sqlite3* db) {
    const auto start = std::chrono::steady_clock::now();
    const int64_t now = accounting::NowEpochMs();
    const int64_t last_week = accounting::WeekBucket(now);
    const int64_t first_week = last_week - options_.weeks + 1;
    const int64_t first_ms = accounting::WeekFirstDay(first_week) * accounting::kMsPerDay;
    // Traffic grows about fourfold over two years; the current week has run only so far.
    std::vector<double> volume(static_cast<size_t>(options_.weeks));
    double sum = 0;
    for (int w = 0; w < options_.weeks; ++w) {
      const int64_t week_ms = first_ms + w * kMsPerWeek;
      const double elapsed = std::clamp(
          static_cast<double>(now - week_ms) / static_cast<double>(kMsPerWeek), 0.0, 1.0);
      volume[static_cast<size_t>(w)] = std::exp(0.0135 * w / scale_) * elapsed;
      sum += volume[static_cast<size_t>(w)];
    }
    accounting::InsightsBatch batch;
    accounting::InsightsWriter writer(db);
    InsightsTrafficResult result;
    GenerationRecord r;
    r.provider = "provider";
    std::vector<int> active;
    for (int w = 0; w < options_.weeks; ++w) {
      const int64_t week_ms = first_ms + w * kMsPerWeek;
      const int64_t span = std::min(kMsPerWeek, std::max<int64_t>(1, now - week_ms));
      PrepareWeek(w);
      active.clear();
      double weights = 0;
      for (int i = 0; i < static_cast<int>(users_.size()); ++i) {
        User& u = users_[static_cast<size_t>(i)];
        if (w < u.join || w >= u.leave || Uniform() >= u.active) continue;
        UpdateFavourites(u, w);
        active.push_back(i);
        weights += u.rate;
      }
      const double week_records =
          static_cast<double>(options_.records) * volume[static_cast<size_t>(w)] / sum;
      for (const int i : active) {
        const User& u = users_[static_cast<size_t>(i)];
        const double expected = week_records * u.rate / weights;
        const auto count = static_cast<int64_t>(expected + Uniform());  // rounded at random
        for (int64_t n = 0; n < count; ++n) {
          MakeRecord(u, week_ms + static_cast<int64_t>(rng_() % static_cast<uint64_t>(span)), r);
          ++result.records;
          if (r.http_status != 200) continue;
          ++result.served;
          batch.Add(r);
        }
      }
      Flush(db, writer, batch);
    }
    accounting::sqlite::Stmt watermark(db,
                                       "UPDATE insights_state SET through_rowid = ?1 WHERE id = 1");
    watermark.Bind(1, result.records);
    accounting::sqlite::Failure failure;
    if (!accounting::StepOnce(db, watermark, &failure)) {
      throw std::runtime_error("insights watermark: " + failure.message);
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  }

 private:
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }

  Picker& category_picker() {
    if (category_picker_.empty()) {
      for (const CategoryTraffic& c : kCategories) category_picker_.Add(c.weight);
    }
    return category_picker_;
  }

  int Scaled(int week) const {
    return week >= kNever ? kNever : static_cast<int>(std::lround(week * scale_));
  }

  // The models out in week `w`, weighted by popularity (ramping up over their first weeks); and
  // the same weights with the newest releases favoured, for users who switch.
  void PrepareWeek(int w) {
    model_picker_.Reset();
    switch_picker_.Reset();
    for (const Model& m : kModels) {
      const int release = Scaled(m.release);
      const bool out = w >= release && w < Scaled(m.retire);
      const double ramp = out ? std::min(1.0, (w - release + 1) / 3.0) : 0.0;
      model_picker_.Add(m.popularity * ramp);
      switch_picker_.Add(m.popularity * ramp * (w - release < 10 * scale_ + 1 ? 4.0 : 1.0));
    }
  }

  bool Usable(int model, int w) const {
    const Model& m = kModels[model];
    return w >= Scaled(m.release) && w < Scaled(m.retire);
  }

  // A user keeps three favourite models; now and then one is replaced, favouring new releases,
  // and a retired one always is.
  void UpdateFavourites(User& u, int w) {
    const bool joining = w == u.join;
    for (int& favourite : u.favourites) {
      if (joining || !Usable(favourite, w)) favourite = static_cast<int>(model_picker_.Pick(rng_));
    }
    if (!joining && Uniform() < 0.04) {
      u.favourites[1 + rng_() % 2] = u.favourites[0];
      u.favourites[0] = static_cast<int>(switch_picker_.Pick(rng_));
    }
  }

  void MakeRecord(const User& u, int64_t created_at_ms, GenerationRecord& r) {
    const double choice = Uniform();
    const int model = choice < 0.5    ? u.favourites[0]
                      : choice < 0.72 ? u.favourites[1]
                      : choice < 0.82 ? u.favourites[2]
                                      : static_cast<int>(model_picker_.Pick(rng_));
    const Model& m = kModels[model];
    const double where = Uniform();
    const int app = where < 0.75  ? u.app
                    : where < 0.9 ? static_cast<int>(app_picker_.Pick(rng_))
                                  : -1;
    int category = app >= 0 ? app_category_[static_cast<size_t>(app)] : -1;
    if (category < 0) {
      category = Uniform() < 0.7 ? u.category : static_cast<int>(category_picker().Pick(rng_));
    }
    const CategoryTraffic& traffic = kCategories[category];
    r.created_at_ms = created_at_ms;
    r.model = m.id;
    r.author.assign(r.model, 0, r.model.find('/'));
    r.model_origin = m.origin;
    r.model_open_weights = m.open_weights;
    r.model_parameters_m = int64_t{m.parameters_b} * 1000;
    r.model_reasoning = m.reasoning;
    r.api_key_id = key_names_[static_cast<size_t>(u.key)];
    r.user = u.name;
    r.app = app >= 0 ? app_names_[static_cast<size_t>(app)] : std::string();
    r.category = config::TaskCategoryName(static_cast<config::TaskCategory>(category));
    r.language = Uniform() < 0.07 ? "" : kLanguages[u.language].first;
    r.native.prompt = LogNormal(traffic.prompt_median, 1.2, 200'000);
    r.native.completion = LogNormal(traffic.completion_median, 1.0, 32'000);
    r.native.reasoning = m.reasoning
                             ? static_cast<int64_t>(static_cast<double>(r.native.completion) *
                                                    (0.2 + 0.5 * Uniform()))
                             : 0;
    r.tools_offered = Uniform() < traffic.tools;
    r.tool_called = r.tools_offered && Uniform() < 0.45;
    // USD per million tokens = nano-USD per thousandth of a token.
    r.cost.total =
        static_cast<int64_t>(static_cast<double>(r.native.prompt) * m.usd_in * 1000 +
                             static_cast<double>(r.native.completion) * m.usd_out * 1000);
    r.http_status = Uniform() < 0.02 ? 502 : 200;  // failed at its provider: not counted
  }

  int64_t LogNormal(double median, double sigma, int64_t cap) {
    const double x = median * std::exp(sigma * std::normal_distribution<double>(0, 1)(rng_));
    return std::clamp<int64_t>(std::llround(x), 1, cap);
  }

  static void Flush(sqlite3* db, accounting::InsightsWriter& writer,
                    accounting::InsightsBatch& batch) {
    accounting::sqlite::Failure failure;
    accounting::sqlite::Stmt begin(db, "BEGIN"), commit(db, "COMMIT");
    if (!accounting::StepOnce(db, begin, &failure) || !writer.Write(batch, &failure) ||
        !accounting::StepOnce(db, commit, &failure)) {
      throw std::runtime_error("insights fill: " + failure.message);
    }
    batch.Clear();
  }

  InsightsTrafficOptions options_;
  std::mt19937_64 rng_;
  double scale_;  // weeks / 104: release and retirement weeks, lifetimes and growth scale
  std::vector<std::string> app_names_, key_names_;
  std::vector<int> app_category_;  // declared category per app, -1 none
  std::vector<User> users_;
  Picker app_picker_, category_picker_, model_picker_, switch_picker_;
};

}  // namespace

InsightsTrafficResult FillInsights(sqlite3* db, const InsightsTrafficOptions& options) {
  return Traffic(options).Fill(db);
}

}  // namespace gw::bench

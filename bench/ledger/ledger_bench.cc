// ledger_bench: (a) sustained records/s through Ledger (producer threads -> consumer -> SQLite,
// realistic records with several attempts over ~10 models, providers, apps, users); (b) report
// query latency over rollups holding 10 million records spread over 90 days; (c) the insights
// analyses over the insights rollups of another 10 million records spread over two years.
// Prints Markdown.
//
//   ledger_bench [--dir DIR] [--records N] [--producers N] [--report-records N] [--days N]
//                [--insights-records N] [--insights-weeks N] [--skip-write] [--skip-reports]
//                [--skip-insights] [--insights-only]
//
// (b) fills the rollup tables with the ledger's own RollupBatch/RollupWriter (the same code and
// rows the ledger's consumer writes), without the raw `generations` rows: reports never read
// raw rows, so their size does not change the query plans (see docs/ledger.md). (c) fills the
// insights tables of the same file with InsightsBatch/InsightsWriter (insights_traffic.h);
// --insights-only measures (c) again on the file a previous run left in DIR.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "accounting/ledger/insights_reports.h"
#include "accounting/ledger/ledger.h"
#include "accounting/ledger/rankings.h"
#include "accounting/ledger/rollups.h"
#include "accounting/ledger/schema.h"
#include "accounting/ledger/usage_reports.h"
#include "accounting/ledger/utc_time.h"
#include "bench/ledger/insights_traffic.h"

namespace {

using namespace gw::accounting;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct ModelInfo {
  const char* id;
  std::vector<const char*> providers;
};

const std::vector<ModelInfo>& Models() {
  static const std::vector<ModelInfo> models = {
      {"openai/gpt-4o-mini", {"openai", "azure"}},
      {"openai/gpt-4o", {"openai", "azure"}},
      {"anthropic/claude-3.5-sonnet", {"anthropic", "bedrock"}},
      {"anthropic/claude-3-haiku", {"anthropic"}},
      {"meta-llama/llama-3.1-8b-instruct", {"groq", "together", "local-vllm"}},
      {"meta-llama/llama-3.1-70b-instruct", {"together", "groq"}},
      {"google/gemini-1.5-flash", {"google"}},
      {"mistralai/mistral-large", {"mistral"}},
      {"deepseek/deepseek-chat", {"deepseek", "together"}},
      {"qwen/qwen-2.5-72b-instruct", {"together", "local-vllm"}},
  };
  return models;
}

// A population of users: each has one key, a main app and three favourite models.
struct Population {
  struct User {
    std::string name, key, app;
    int models[3];
  };
  std::vector<User> users;
  std::vector<std::string> apps;

  explicit Population(int user_count) {
    std::mt19937 rng(42);
    for (int i = 0; i < 20; ++i) apps.push_back("App " + std::to_string(i));
    apps.push_back("");  // requests without an X-Title / HTTP-Referer
    for (int i = 0; i < user_count; ++i) {
      User u;
      u.name = "user-" + std::to_string(i);
      u.key = "key-" + std::to_string(i % 50);
      u.app = apps[rng() % apps.size()];
      for (int& m : u.models) m = static_cast<int>(rng() % Models().size());
      users.push_back(u);
    }
  }
};

class RecordMaker {
 public:
  RecordMaker(const Population& population, uint64_t seed) : population_(population), rng_(seed) {}

  GenerationRecord Make(int64_t created_at_ms) {
    const auto& user = population_.users[rng_() % population_.users.size()];
    const ModelInfo& model = Models()[user.models[rng_() % 3]];
    GenerationRecord r;
    r.id = NextId(created_at_ms);
    r.created_at_ms = created_at_ms;
    r.api_key_id = user.key;
    r.user = user.name;
    r.app = rng_() % 5 == 0 ? population_.apps[rng_() % population_.apps.size()] : user.app;
    r.app_title = r.app;
    r.http_referer = r.app.empty() ? "" : "https://example.com/" + r.app;
    r.model = model.id;
    r.model_requested = model.id;
    r.author = r.model.substr(0, r.model.find('/'));
    const size_t attempts = 1 + (rng_() % 8 == 0 ? 1 + rng_() % 2 : 0);
    for (size_t i = 0; i < attempts; ++i) {
      AttemptEntry a;
      a.model = model.id;
      a.provider = model.providers[(i + rng_()) % model.providers.size()];
      a.status = i + 1 < attempts ? 503 : 200;
      a.latency_ms = 50 + static_cast<int64_t>(rng_() % 2000);
      if (i + 1 < attempts) a.error = "upstream returned 503: overloaded";
      r.attempts.push_back(std::move(a));
    }
    r.provider = r.attempts.back().provider;
    r.endpoint = r.model.substr(r.model.find('/') + 1);
    r.streamed = rng_() % 2 == 0;
    r.cancelled = rng_() % 50 == 0;
    r.finish_reason = "stop";
    r.native_finish_reason = "stop";
    r.latency_ms = 200 + static_cast<int64_t>(rng_() % 5000);
    r.generation_time_ms = r.latency_ms - 20;
    r.time_to_first_token_ms = r.streamed ? 150 : -1;
    r.native.prompt = 50 + static_cast<int64_t>(rng_() % 4000);
    r.native.completion = 10 + static_cast<int64_t>(rng_() % 1000);
    r.native.cached = r.native.prompt / 3;
    r.native.reasoning = r.native.completion / 4;
    r.tokens_prompt = r.native.prompt;
    r.tokens_completion = r.native.completion;
    r.cost.prompt = r.native.prompt * 150;
    r.cost.completion = r.native.completion * 600;
    r.cost.total = r.cost.prompt + r.cost.completion;
    return r;
  }

 private:
  // The gateway's format (gateway/generation_id.h): "gen-<13-digit unix ms>-<8 hex prefix of
  // the generator><8 hex counter>", so ids sort by time as they do in production.
  std::string NextId(int64_t created_at_ms) {
    char id[48];
    std::snprintf(id, sizeof id, "gen-%013lld-%08x%08x", static_cast<long long>(created_at_ms),
                  prefix_, counter_++);
    return id;
  }

  const Population& population_;
  std::mt19937_64 rng_;
  uint32_t prefix_ = static_cast<uint32_t>(rng_());
  uint32_t counter_ = 0;
};

struct Args {
  std::string dir = "/tmp/gw_ledger_bench";
  int64_t records = 1'000'000;
  int producers = 2;
  int64_t report_records = 10'000'000;
  int days = 90;
  int64_t insights_records = 10'000'000;
  int insights_weeks = 104;
  bool write = true;
  bool reports = true;
  bool insights = true;
  bool insights_only = false;  // measure the insights of an already filled DIR/reports.db
};

void BenchWrite(const Args& args, const Population& population) {
  const std::string path = args.dir + "/write.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  LedgerOptions options;
  options.path = path;
  options.queue_capacity = static_cast<size_t>(args.records) + 1;  // measure, never refuse
  auto ledger = Ledger::Open(options);
  ledger->Start();
  // Records are made before the clock starts, so the producers only Push (as the gateway's
  // workers do at the end of a request) and the consumer has a core to itself.
  const int64_t now = NowEpochMs();
  const int64_t per_producer = args.records / args.producers;
  std::vector<std::vector<GenerationRecord>> made(static_cast<size_t>(args.producers));
  for (int p = 0; p < args.producers; ++p) {
    RecordMaker maker(population, 1000 + static_cast<uint64_t>(p));
    made[p].reserve(static_cast<size_t>(per_producer));
    for (int64_t i = 0; i < per_producer; ++i) made[p].push_back(maker.Make(now + i / 100));
  }
  std::vector<std::thread> producers;
  const auto start = Clock::now();
  for (int p = 0; p < args.producers; ++p) {
    producers.emplace_back([&, p] {
      for (GenerationRecord& record : made[p]) ledger->Push(std::move(record));
    });
  }
  for (auto& t : producers) t.join();
  const double push_s = Seconds(start);
  ledger->Stop();
  const double total_s = Seconds(start);
  const auto stats = ledger->GetStats();
  ledger.reset();
  const double written = static_cast<double>(stats.written);
  std::printf("## (a) sustained write rate\n\n");
  std::printf(
      "%lld records (%d producer threads, %zu models), batches of at most %zu, WAL, "
      "synchronous=NORMAL\n\n",
      static_cast<long long>(stats.written), args.producers, Models().size(), options.max_batch);
  std::printf("| measure | value |\n| --- | --- |\n");
  std::printf("| end to end (first Push to Stop returned) | %.0f records/s |\n", written / total_s);
  std::printf("| Push (producers, concurrent with writing) | %.0f records/s |\n", written / push_s);
  std::printf("| consumer write capacity (records / time inside transactions) | %.0f records/s |\n",
              written / (stats.batch_ms_total / 1000.0));
  std::printf("| batches | %llu (mean %.1f ms, max %.1f ms) |\n",
              static_cast<unsigned long long>(stats.batches),
              stats.batch_ms_total / static_cast<double>(stats.batches), stats.max_batch_ms);
  std::printf("| background WAL checkpoints | %llu |\n",
              static_cast<unsigned long long>(stats.checkpoints));
  std::printf("| database size | %.0f MB |\n\n",
              static_cast<double>(std::filesystem::file_size(path)) / 1e6);
}

void FillRollups(const Args& args, const Population& population, const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  sqlite::Db db = OpenLedgerForWriting(path, std::chrono::milliseconds(1000));
  sqlite::Failure failure;
  db.Exec("PRAGMA cache_size = -262144", &failure);
  RollupWriter writer(db.get());
  RecordMaker maker(population, 7);
  const int64_t end_ms = NowEpochMs();
  const int64_t start_ms = end_ms - int64_t{args.days} * kMsPerDay;
  const double step =
      static_cast<double>(end_ms - start_ms) / static_cast<double>(args.report_records);
  const int64_t chunk = 200'000;
  std::vector<GenerationRecord> records;
  records.reserve(chunk);
  const auto start = Clock::now();
  for (int64_t done = 0; done < args.report_records;) {
    records.clear();
    RollupBatch batch;
    for (int64_t i = 0; i < chunk && done < args.report_records; ++i, ++done) {
      records.push_back(
          maker.Make(start_ms + static_cast<int64_t>(static_cast<double>(done) * step)));
    }
    for (const auto& r : records) batch.Add(r);
    if (!db.Exec("BEGIN", &failure) || !writer.Write(batch, &failure) ||
        !db.Exec("COMMIT", &failure)) {
      std::fprintf(stderr, "fill failed: %s\n", failure.message.c_str());
      std::exit(1);
    }
  }
  std::fprintf(stderr, "filled rollups of %lld records in %.1f s\n",
               static_cast<long long>(args.report_records), Seconds(start));
}

int64_t Count(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  int64_t n = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    n = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return n;
}

template <typename F>
void Measure(const char* name, F query) {
  auto start = Clock::now();
  size_t rows = query();
  const double first_ms = Seconds(start) * 1000;
  std::vector<double> ms;
  for (int i = 0; i < 20; ++i) {
    start = Clock::now();
    rows = query();
    ms.push_back(Seconds(start) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("| %s | %zu | %.2f | %.2f | %.2f |\n", name, rows, first_ms, ms[ms.size() / 2],
              ms.back());
}

// GET /v1/rankings and /v1/rankings/timeseries compute (docs/rankings.md); their JSON adds
// microseconds. Each ranking reads four periods (the current one and three before it).
void BenchRankings(LedgerReader& reader) {
  std::printf("| rankings query (today) | rows | first ms | median ms | max ms |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: |\n");
  for (auto by : {UsageDimension::kModel, UsageDimension::kAuthor, UsageDimension::kProvider,
                  UsageDimension::kApp, UsageDimension::kApiKey, UsageDimension::kUser}) {
    const std::string name = "rankings by " + std::string(UsageDimensionName(by)) + ", week";
    Measure(name.c_str(), [&] {
      RankingsQuery q;
      q.by = by;
      return ComputeRankings(reader, q).rows.size();
    });
  }
  for (Period period : {Period::kDay, Period::kMonth}) {
    const std::string name = "rankings by model, " + std::string(PeriodName(period));
    Measure(name.c_str(), [&] {
      RankingsQuery q;
      q.period = period;
      return ComputeRankings(reader, q).rows.size();
    });
  }
  Measure("rankings by user, month, trending", [&] {
    RankingsQuery q;
    q.by = UsageDimension::kUser;
    q.period = Period::kMonth;
    q.order = RankOrder::kTrending;
    return ComputeRankings(reader, q).rows.size();
  });
  Measure("rankings by model, week, key = key-3", [&] {
    RankingsQuery q;
    q.filters.api_key_id = "key-3";
    return ComputeRankings(reader, q).rows.size();
  });
  Measure("timeseries by model, 12 weeks, top 10",
          [&] { return ComputeTimeseries(reader, {}).series.size(); });
  Measure("timeseries by app, 90 days, top 10", [&] {
    TimeseriesQuery q;
    q.by = UsageDimension::kApp;
    q.period = Period::kDay;
    q.buckets = 90;
    return ComputeTimeseries(reader, q).series.size();
  });
  Measure("timeseries by user, 3 months, cost", [&] {
    TimeseriesQuery q;
    q.by = UsageDimension::kUser;
    q.period = Period::kMonth;
    q.buckets = 3;
    q.metric = RankMetric::kCost;
    return ComputeTimeseries(reader, q).series.size();
  });
  std::printf("\n");
}

// GET /v1/insights and its analyses compute (docs/insights.md); each for the default 12 weeks
// and the most, 104. Retention is of the model used most over the last 12 weeks.
void BenchInsights(LedgerReader& reader, const std::string& model) {
  std::printf("| insights query | rows | first ms | median ms | max ms |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: |\n");
  for (const size_t weeks : {size_t{12}, size_t{104}}) {
    const WeekRange range = LastWeeks(reader.Today(), weeks);
    const std::string of = ", " + std::to_string(weeks) + " weeks";
    Measure(("weekly totals" + of).c_str(), [&] {
      return InsightsWeekly(reader, {range.first - 1, range.last}).size();
    });
    Measure(("model classes" + of).c_str(),
            [&] { return InsightsModelClasses(reader, range).size(); });
    Measure(("model sizes" + of).c_str(), [&] { return InsightsModelSizes(reader, range).size(); });
    Measure(("categories" + of).c_str(),
            [&] { return InsightsCategories(reader, range, false).size(); });
    Measure(("categories by author" + of).c_str(),
            [&] { return InsightsCategories(reader, range, true).size(); });
    Measure(("languages" + of).c_str(), [&] { return InsightsLanguages(reader, range).size(); });
    Measure(("lengths" + of).c_str(), [&] { return InsightsLengths(reader, range).size(); });
    Measure(("price-usage" + of).c_str(),
            [&] { return InsightsPriceUsage(reader, range).rows.size(); });
    for (const auto& [by, name] :
         {std::pair{UsageEntity::kUser, "user"}, std::pair{UsageEntity::kApiKey, "key"},
          std::pair{UsageEntity::kApp, "app"}}) {
      Measure(("retention by " + std::string(name) + of).c_str(),
              [&] { return InsightsRetention(reader, range, model, by).size(); });
    }
  }
  std::printf("\n");
}

// (c): fills the insights rollups of `path` unless `fill` is false (measure a filled ledger).
void BenchInsightsOf(const Args& args, const std::string& path, bool fill) {
  gw::bench::InsightsTrafficOptions options;
  options.records = args.insights_records;
  options.weeks = args.insights_weeks;
  // (Opening it for writing also upgrades the schema of a ledger an older build filled.)
  sqlite::Db db = OpenLedgerForWriting(path, std::chrono::milliseconds(1000));
  if (fill) {
    sqlite::Failure failure;
    db.Exec("PRAGMA cache_size = -262144", &failure);
    const gw::bench::InsightsTrafficResult result = gw::bench::FillInsights(db.get(), options);
    std::fprintf(stderr, "filled insights rollups of %lld records (%lld served) in %.1f s\n",
                 static_cast<long long>(result.records), static_cast<long long>(result.served),
                 result.seconds);
  }
  db = sqlite::Db();
  auto reader = LedgerReader::Open(path);
  // Retention of the model with the most tokens over the last 12 weeks (the first row of
  // /v1/insights/price-usage): its cohorts are about the largest.
  const std::string top_model =
      InsightsPriceUsage(*reader, LastWeeks(reader->Today(), 12)).rows.at(0).model;
  std::printf("## (c) insights queries\n\n");
  std::printf(
      "Insights rollups of %lld records (watermark) over %d weeks (%d users, %d keys, %d apps, "
      "~80 models); rows: insights_weekly_model %lld, _category %lld, _language %lld, _length "
      "%lld, insights_model_usage %lld; retention of %s; file %.0f MB\n\n",
      static_cast<long long>(Count(path, "SELECT through_rowid FROM insights_state")),
      options.weeks, options.users, options.keys, options.apps,
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM insights_weekly_model")),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM insights_weekly_category")),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM insights_weekly_language")),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM insights_weekly_length")),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM insights_model_usage")),
      top_model.c_str(), static_cast<double>(std::filesystem::file_size(path)) / 1e6);
  BenchInsights(*reader, top_model);
}

void BenchReports(const Args& args, const Population& population) {
  const std::string path = args.dir + "/reports.db";
  FillRollups(args, population, path);
  auto reader = LedgerReader::Open(path);
  const std::string today = FormatDay(reader->Today());
  const std::string month_ago = FormatDay(reader->Today() - 29);
  std::printf("## (b) report queries\n\n");
  std::printf(
      "Rollups of %lld records over %d days (%d users, 50 keys, 21 apps, %zu models); "
      "rows: usage_hourly %lld, usage_daily %lld, usage_daily_model %lld, "
      "usage_daily_dim %lld; file %.0f MB\n\n",
      static_cast<long long>(args.report_records), args.days,
      static_cast<int>(population.users.size()), Models().size(),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM usage_hourly")),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM usage_daily")),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM usage_daily_model")),
      static_cast<long long>(Count(path, "SELECT COUNT(*) FROM usage_daily_dim")),
      static_cast<double>(std::filesystem::file_size(path)) / 1e6);
  std::printf("| query (last 30 days) | rows | first ms | median ms | max ms |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: |\n");
  Measure("activity, unfiltered", [&] { return reader->Activity({}).size(); });
  for (auto by : {UsageDimension::kModel, UsageDimension::kProvider, UsageDimension::kUser,
                  UsageDimension::kApp, UsageDimension::kApiKey, UsageDimension::kDay}) {
    const std::string name = "usage by " + std::string(UsageDimensionName(by));
    Measure(name.c_str(), [&] {
      UsageQuery q;
      q.by = by;
      q.from = month_ago;
      q.to = today;
      return reader->Usage(q).rows.size();
    });
  }
  Measure("activity, user = user-7", [&] {
    ActivityQuery q;
    q.filters.user = "user-7";
    return reader->Activity(q).size();
  });
  Measure("activity, key = key-3", [&] {
    ActivityQuery q;
    q.filters.api_key_id = "key-3";
    return reader->Activity(q).size();
  });
  Measure("activity, app = App 3", [&] {
    ActivityQuery q;
    q.filters.app = "App 3";
    return reader->Activity(q).size();
  });
  Measure("activity, model = openai/gpt-4o", [&] {
    ActivityQuery q;
    q.filters.model = "openai/gpt-4o";
    return reader->Activity(q).size();
  });
  Measure("usage by model, key = key-3", [&] {
    UsageQuery q;
    q.filters.api_key_id = "key-3";
    return reader->Usage(q).rows.size();
  });
  Measure("usage by model, 90 days", [&] {
    UsageQuery q;
    q.from = FormatDay(reader->Today() - args.days);
    return reader->Usage(q).rows.size();
  });
  std::printf("\n");
  BenchRankings(*reader);
  reader.reset();
  if (args.insights) BenchInsightsOf(args, path, true);
}

Args Parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--dir") {
      args.dir = next();
    } else if (a == "--records") {
      args.records = std::stoll(next());
    } else if (a == "--producers") {
      args.producers = std::max(1, std::stoi(next()));
    } else if (a == "--report-records") {
      args.report_records = std::stoll(next());
    } else if (a == "--days") {
      args.days = std::max(1, std::stoi(next()));
    } else if (a == "--insights-records") {
      args.insights_records = std::stoll(next());
    } else if (a == "--insights-weeks") {
      args.insights_weeks = std::clamp(std::stoi(next()), 1, 104);
    } else if (a == "--insights-only") {
      args.insights_only = true;
    } else if (a == "--skip-insights") {
      args.insights = false;
    } else if (a == "--skip-write") {
      args.write = false;
    } else if (a == "--skip-reports") {
      args.reports = false;
    } else {
      std::fprintf(stderr,
                   "usage: ledger_bench [--dir DIR] [--records N] [--producers N] "
                   "[--report-records N] [--days N] [--insights-records N] [--insights-weeks N] "
                   "[--skip-write] [--skip-reports] [--skip-insights] [--insights-only]\n");
      std::exit(a == "--help" ? 0 : 2);
    }
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = Parse(argc, argv);
  std::filesystem::create_directories(args.dir);
  const Population population(200);
  if (args.insights_only) {
    BenchInsightsOf(args, args.dir + "/reports.db", false);
    return 0;
  }
  if (args.write) BenchWrite(args, population);
  if (args.reports) BenchReports(args, population);
  return 0;
}

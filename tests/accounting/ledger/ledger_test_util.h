// Helpers of the ledger tests: a fresh directory per test under the gtest temp dir, and records.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <utility>

#include "accounting/generation_record.h"
#include "accounting/ledger/ledger.h"

namespace gw::accounting::testing {

// 2026-03-10T00:00:00Z
inline constexpr int64_t kDay0Ms = 1'773'100'800'000;
inline constexpr int64_t kHourMs = 3'600'000;
inline constexpr int64_t kDayMs = 86'400'000;

inline std::string FreshDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("ledger_" + std::to_string(::getpid())) /
                                    (std::string(info->test_suite_name()) + "." + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

struct RecordSpec {
  std::string id;
  int64_t created_at_ms = kDay0Ms;
  std::string model = "openai/gpt-4o-mini";
  std::string provider = "openai";
  std::string app = "";
  std::string api_key_id = "";
  std::string user = "";
  int64_t prompt = 100;
  int64_t completion = 20;
  int64_t cost = 1'500;  // nano-USD
};

// Options of a test ledger at `dir`/ledger.db: no retention pass, log lines dropped.
inline LedgerOptions QuietOptions(const std::string& dir) {
  LedgerOptions options;
  options.path = dir + "/ledger.db";
  options.retention_days = 0;
  options.log = [](std::string_view) {};
  return options;
}

inline GenerationRecord MakeRecord(const RecordSpec& s) {
  GenerationRecord r;
  r.id = s.id;
  r.created_at_ms = s.created_at_ms;
  r.model = s.model;
  r.model_requested = s.model;
  r.author = s.model.substr(0, s.model.find('/'));
  r.provider = s.provider;
  r.endpoint = "upstream-" + s.model;
  r.app = s.app;
  r.app_title = s.app;
  r.api_key_id = s.api_key_id;
  r.user = s.user;
  r.finish_reason = "stop";
  r.native_finish_reason = "stop";
  r.latency_ms = 420;
  r.generation_time_ms = 400;
  r.time_to_first_token_ms = 80;
  r.streamed = true;
  r.native.prompt = s.prompt;
  r.native.completion = s.completion;
  r.native.cached = s.prompt / 4;
  r.native.reasoning = s.completion / 2;
  r.native.cache_write = 3;
  r.cost.prompt = s.cost / 2;
  r.cost.completion = s.cost - s.cost / 2;
  r.cost.total = s.cost;
  AttemptEntry failed;
  failed.model = s.model;
  failed.provider = "other";
  failed.status = 503;
  failed.latency_ms = 12;
  failed.error = "upstream \"busy\"";
  AttemptEntry served;
  served.model = s.model;
  served.provider = s.provider;
  served.status = 200;
  served.latency_ms = 400;
  r.attempts = {failed, served};
  return r;
}

inline GenerationRecord MakeRecord(const std::string& id) {
  RecordSpec spec;
  spec.id = id;
  return MakeRecord(spec);
}

// One integer from a SQL query on a separate connection.
// Reads the first column of the first row of `sql` with `read`; `none` when there is no row.
template <class T, class Read>
T QueryFirst(const std::string& path, const std::string& sql, T none, Read read) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  T value = std::move(none);
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = read(stmt);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

// The first column of the first row as text; "(none)" when there is no row.
inline std::string QueryText(const std::string& path, const std::string& sql) {
  return QueryFirst<std::string>(path, sql, "(none)", [](sqlite3_stmt* stmt) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
  });
}

inline int64_t QueryInt(const std::string& path, const std::string& sql) {
  return QueryFirst<int64_t>(path, sql, -1,
                             [](sqlite3_stmt* stmt) { return sqlite3_column_int64(stmt, 0); });
}

}  // namespace gw::accounting::testing

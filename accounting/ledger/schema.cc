#include "accounting/ledger/schema.h"

#include <filesystem>
#include <system_error>

#include "accounting/ledger/ledger_error.h"

namespace gw::accounting {
namespace {

// Version 1: raw records and the full-key hourly and daily rollups. usage_daily is clustered
// by key first: reports scoped to the calling API key read one contiguous range.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE generations (
  id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  api_key_id TEXT NOT NULL,
  user TEXT NOT NULL,
  http_referer TEXT NOT NULL,
  app_title TEXT NOT NULL,
  app TEXT NOT NULL,
  model_requested TEXT NOT NULL,
  model TEXT NOT NULL,
  author TEXT NOT NULL,
  provider TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  streamed INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  finish_reason TEXT NOT NULL,
  native_finish_reason TEXT NOT NULL,
  latency_ms INTEGER NOT NULL,
  time_to_first_token_ms INTEGER NOT NULL,
  generation_time_ms INTEGER NOT NULL,
  native_prompt INTEGER NOT NULL,
  native_completion INTEGER NOT NULL,
  native_cached INTEGER NOT NULL,
  native_cache_write INTEGER NOT NULL,
  native_reasoning INTEGER NOT NULL,
  tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL,
  cost_prompt INTEGER NOT NULL,
  cost_completion INTEGER NOT NULL,
  cost_cached_read INTEGER NOT NULL,
  cost_cache_write INTEGER NOT NULL,
  cost_reasoning INTEGER NOT NULL,
  cost_request INTEGER NOT NULL,
  cost_total INTEGER NOT NULL,
  attempts TEXT NOT NULL
);
CREATE UNIQUE INDEX generations_id ON generations(id);
CREATE INDEX generations_created_at ON generations(created_at_ms);

CREATE TABLE usage_hourly (
  hour INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL, author TEXT NOT NULL,
  app TEXT NOT NULL, api_key_id TEXT NOT NULL, user TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL, cost_nano INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  PRIMARY KEY (hour, model, provider, author, app, api_key_id, user)
) WITHOUT ROWID;

CREATE TABLE usage_daily (
  day INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL, author TEXT NOT NULL,
  app TEXT NOT NULL, api_key_id TEXT NOT NULL, user TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL, cost_nano INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  PRIMARY KEY (api_key_id, day, model, provider, author, app, user)
) WITHOUT ROWID;
)sql";

// Version 2: narrow daily rollups that serve reports and rankings in a few thousand rows per
// month: by model/provider, by one of app/key/user, and per app by model/provider (app-scoped
// activity); an index for user-filtered reports on the full-key table; a backfill of all three
// from usage_daily.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE usage_daily_model (
  day INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL, author TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL, cost_nano INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  PRIMARY KEY (day, model, provider, author)
) WITHOUT ROWID;

CREATE TABLE usage_daily_dim (
  dim INTEGER NOT NULL, day INTEGER NOT NULL, value TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL, cost_nano INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  PRIMARY KEY (dim, day, value)
) WITHOUT ROWID;

CREATE TABLE usage_daily_app (
  app TEXT NOT NULL, day INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
  author TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL, cost_nano INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  PRIMARY KEY (app, day, model, provider, author)
) WITHOUT ROWID;

CREATE INDEX usage_daily_user ON usage_daily(user, day);

INSERT INTO usage_daily_model
SELECT day, model, provider, author, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens),
       SUM(reasoning_tokens), SUM(cached_tokens), SUM(cache_write_tokens), SUM(tokens_prompt),
       SUM(tokens_completion), SUM(cost_nano), SUM(cancelled), SUM(estimated)
FROM usage_daily GROUP BY day, model, provider, author;

INSERT INTO usage_daily_app
SELECT app, day, model, provider, author, SUM(requests), SUM(prompt_tokens),
       SUM(completion_tokens), SUM(reasoning_tokens), SUM(cached_tokens), SUM(cache_write_tokens),
       SUM(tokens_prompt), SUM(tokens_completion), SUM(cost_nano), SUM(cancelled), SUM(estimated)
FROM usage_daily GROUP BY app, day, model, provider, author;

INSERT INTO usage_daily_dim
SELECT d.dim, u.day, CASE d.dim WHEN 0 THEN u.app WHEN 1 THEN u.api_key_id ELSE u.user END,
       SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(reasoning_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(tokens_prompt), SUM(tokens_completion),
       SUM(cost_nano), SUM(cancelled), SUM(estimated)
FROM usage_daily u, (SELECT 0 AS dim UNION ALL SELECT 1 UNION ALL SELECT 2) d
GROUP BY 1, 2, 3;
)sql";

// The API (wire dialect) each request came in by; records written before it existed were all
// chat or legacy completions, and are labelled chat_completions.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE generations ADD COLUMN api TEXT NOT NULL DEFAULT 'chat_completions';
)sql";

// What the insights analyses read per request (docs/insights.md): the conversation's shape,
// tools, the prompt's language and task category, and the served model's attributes as the
// config described them then; and the weekly insights rollups over them (insights_rollups.h).
// Records written before have the defaults: no category or language ("" = not recorded),
// attributes unknown. The rollups start empty: the records before lack what they group by.
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE generations ADD COLUMN message_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN tools_offered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN tool_called INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE generations ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE generations ADD COLUMN model_origin TEXT NOT NULL DEFAULT '';
ALTER TABLE generations ADD COLUMN model_open_weights INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN model_parameters_m INTEGER NOT NULL DEFAULT 0;
ALTER TABLE generations ADD COLUMN model_reasoning INTEGER NOT NULL DEFAULT 0;

CREATE TABLE insights_weekly_model (
  week INTEGER NOT NULL, model TEXT NOT NULL, author TEXT NOT NULL, origin TEXT NOT NULL,
  open_weights INTEGER NOT NULL, parameters_m INTEGER NOT NULL, reasoning INTEGER NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, tools_offered INTEGER NOT NULL, tool_calls INTEGER NOT NULL,
  cost_nano INTEGER NOT NULL,
  PRIMARY KEY (week, model, author, origin, open_weights, parameters_m, reasoning)
) WITHOUT ROWID;

CREATE TABLE insights_weekly_category (
  week INTEGER NOT NULL, category TEXT NOT NULL, author TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, tools_offered INTEGER NOT NULL, tool_calls INTEGER NOT NULL,
  cost_nano INTEGER NOT NULL,
  PRIMARY KEY (week, category, author)
) WITHOUT ROWID;

CREATE TABLE insights_weekly_language (
  week INTEGER NOT NULL, language TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, tools_offered INTEGER NOT NULL, tool_calls INTEGER NOT NULL,
  cost_nano INTEGER NOT NULL,
  PRIMARY KEY (week, language)
) WITHOUT ROWID;

CREATE TABLE insights_weekly_length (
  week INTEGER NOT NULL, category TEXT NOT NULL, kind INTEGER NOT NULL, bucket INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  PRIMARY KEY (week, category, kind, bucket)
) WITHOUT ROWID;

CREATE TABLE insights_state (
  id INTEGER PRIMARY KEY CHECK (id = 1), through_rowid INTEGER NOT NULL
);
INSERT INTO insights_state VALUES (1, (SELECT IFNULL(MAX(rowid), 0) FROM generations));

CREATE TABLE insights_model_usage (
  model TEXT NOT NULL, entity_kind INTEGER NOT NULL, entity TEXT NOT NULL, week INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  PRIMARY KEY (model, entity_kind, entity, week)
) WITHOUT ROWID;
)sql";

// Version 5: narrow hourly rollups, as version 2's daily ones, so that cutting a compared
// period at the hour (rankings.h) reads a few rows per hour, not every key's; backfilled from
// usage_hourly; the dim table keyed by the hour first (unlike usage_daily_dim), so that a
// commit's rows of the three dimensions share a page. And the length histograms as one row per
// week, category and kind (length_histogram.h) instead of one per bucket: 45 times fewer rows to
// read.
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE usage_hourly_model (
  hour INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL, author TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL, cost_nano INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  PRIMARY KEY (hour, model, provider, author)
) WITHOUT ROWID;

CREATE TABLE usage_hourly_dim (
  dim INTEGER NOT NULL, hour INTEGER NOT NULL, value TEXT NOT NULL,
  requests INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
  cache_write_tokens INTEGER NOT NULL, tokens_prompt INTEGER NOT NULL,
  tokens_completion INTEGER NOT NULL, cost_nano INTEGER NOT NULL, cancelled INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  PRIMARY KEY (hour, dim, value)
) WITHOUT ROWID;

INSERT INTO usage_hourly_model
SELECT hour, model, provider, author, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens),
       SUM(reasoning_tokens), SUM(cached_tokens), SUM(cache_write_tokens), SUM(tokens_prompt),
       SUM(tokens_completion), SUM(cost_nano), SUM(cancelled), SUM(estimated)
FROM usage_hourly GROUP BY hour, model, provider, author;

INSERT INTO usage_hourly_dim
SELECT d.dim, u.hour, CASE d.dim WHEN 0 THEN u.app WHEN 1 THEN u.api_key_id ELSE u.user END,
       SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(reasoning_tokens),
       SUM(cached_tokens), SUM(cache_write_tokens), SUM(tokens_prompt), SUM(tokens_completion),
       SUM(cost_nano), SUM(cancelled), SUM(estimated)
FROM usage_hourly u, (SELECT 0 AS dim UNION ALL SELECT 1 UNION ALL SELECT 2) d
GROUP BY 1, 2, 3;

CREATE TABLE insights_weekly_length_v5 (
  week INTEGER NOT NULL, category TEXT NOT NULL, kind INTEGER NOT NULL, histogram TEXT NOT NULL,
  PRIMARY KEY (week, category, kind)
) WITHOUT ROWID;

INSERT INTO insights_weekly_length_v5
SELECT week, category, kind, group_concat(bucket || ':' || requests, ' ')
FROM (SELECT * FROM insights_weekly_length WHERE requests != 0
      ORDER BY week, category, kind, bucket)
GROUP BY week, category, kind;

DROP TABLE insights_weekly_length;
ALTER TABLE insights_weekly_length_v5 RENAME TO insights_weekly_length;
)sql";

// Version 6: how far the records have been shipped to the shared PostgreSQL ledger
// (accounting.store: postgres, docs/scale-out.md). Starts at 0: a ledger whose gateway moves to
// PostgreSQL ships its whole history, each record once.
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE postgres_shipping (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  through_rowid INTEGER NOT NULL
);
INSERT INTO postgres_shipping VALUES (1, 0);
)sql";

constexpr Migration kMigrations[] = {
    {1, "raw generations, hourly and daily rollups", kVersion1},
    {2, "narrow daily rollups (model/provider, app/key/user, app by model) and report index",
     kVersion2},
    {3, "the API each request came in by (generations.api)", kVersion3},
    {4,
     "insights: conversation shape, tools, language, task category, model attributes, weekly "
     "insights rollups",
     kVersion4},
    {5,
     "narrow hourly rollups (model/provider, app/key/user) for the rankings' hour cut; length "
     "histograms one row each",
     kVersion5},
    {6, "how far the records have been shipped to PostgreSQL (postgres_shipping)", kVersion6},
};

[[noreturn]] void Fail(const std::string& path, const sqlite::Failure& failure) {
  throw LedgerError(DescribeLedgerFailure(path, failure));
}

void ExecOrThrow(sqlite::Db& db, const std::string& path, std::string_view sql) {
  sqlite::Failure failure;
  if (!db.Exec(sql, &failure)) Fail(path, failure);
}

void CreateParentDirectory(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    throw LedgerError("usage ledger " + path + ": cannot create directory " + parent.string() +
                      ": " + ec.message());
  }
}

}  // namespace

std::span<const Migration> LedgerMigrations() { return kMigrations; }

std::string DescribeLedgerFailure(const std::string& path, const sqlite::Failure& failure) {
  const std::string prefix = "usage ledger " + path;
  switch (failure.code & 0xFF) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return prefix + " is not a SQLite database or is corrupt: " + failure.message;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return prefix + " is locked by another process (" + failure.message +
             "); stop the other program writing it or use another file";
    case SQLITE_READONLY:
      return prefix + " is read-only (" + failure.message + ")";
    case SQLITE_CANTOPEN:
      return prefix + " cannot be opened (" + failure.message +
             "); check that it exists and its directory is writable";
    case SQLITE_FULL:
      return prefix + " cannot be written: " + failure.message;
    default:
      return prefix + ": " + failure.message;
  }
}

int LedgerSchemaVersion(sqlite::Db& db, const std::string& path) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA user_version", -1, &raw, nullptr) != SQLITE_OK) {
    Fail(path, db.LastFailure());
  }
  const int rc = sqlite3_step(raw);
  const int version = rc == SQLITE_ROW ? sqlite3_column_int(raw, 0) : -1;
  sqlite3_finalize(raw);
  if (rc != SQLITE_ROW) Fail(path, db.LastFailure());
  return version;
}

void MigrateLedger(sqlite::Db& db, const std::string& path, std::span<const Migration> steps) {
  ExecOrThrow(db, path, "BEGIN IMMEDIATE");
  try {
    const int known = steps.empty() ? 0 : steps.back().version;
    const int version = LedgerSchemaVersion(db, path);
    if (version > known) {
      throw LedgerError("usage ledger " + path + " has schema version " + std::to_string(version) +
                        ", newer than this gateway knows (" + std::to_string(known) +
                        "); run a newer gateway or use another file");
    }
    for (const Migration& step : steps) {
      if (step.version <= version) continue;
      sqlite::Failure failure;
      if (!db.Exec(step.sql, &failure)) {
        throw LedgerError("usage ledger " + path + ": migration to schema version " +
                          std::to_string(step.version) + " (" + std::string(step.description) +
                          ") failed: " + failure.message);
      }
      ExecOrThrow(db, path, "PRAGMA user_version = " + std::to_string(step.version));
    }
    ExecOrThrow(db, path, "COMMIT");
  } catch (...) {
    db.Exec("ROLLBACK", nullptr);
    throw;
  }
}

sqlite::Db OpenLedgerForWriting(const std::string& path, std::chrono::milliseconds busy_timeout,
                                std::span<const Migration> steps) {
  CreateParentDirectory(path);
  int rc = SQLITE_OK;
  sqlite::Db db = sqlite::OpenConnection(
      path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, &rc);
  if (rc != SQLITE_OK) Fail(path, db.LastFailure());
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
  // The first statements touch the file: a corrupt file or a held lock shows here.
  LedgerSchemaVersion(db, path);
  if (sqlite3_db_readonly(db.get(), "main") == 1) {
    throw LedgerError("usage ledger " + path +
                      " is read-only; the gateway must be able to write it");
  }
  ExecOrThrow(db, path, "PRAGMA journal_mode = WAL");
  ExecOrThrow(db, path, "PRAGMA synchronous = NORMAL");
  // A 16 MiB page cache: generation ids are time-ordered, so the id index grows at its right
  // edge and the rollup upserts touch the current hour and day; the hot pages are few. No
  // memory-mapped I/O: the gateway's resident memory stays independent of the ledger's size.
  ExecOrThrow(db, path, "PRAGMA cache_size = -16384");
  MigrateLedger(db, path, steps);
  return db;
}

sqlite::Db OpenLedgerForReading(const std::string& path, std::chrono::milliseconds busy_timeout) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw LedgerError("usage ledger " + path + " does not exist");
  }
  int rc = SQLITE_OK;
  sqlite::Db db = sqlite::OpenConnection(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &rc);
  if (rc != SQLITE_OK) Fail(path, db.LastFailure());
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
  const int version = LedgerSchemaVersion(db, path);
  const int current = LedgerMigrations().back().version;
  if (version != current) {
    throw LedgerError("usage ledger " + path + " has schema version " + std::to_string(version) +
                      ", this program reads version " + std::to_string(current) +
                      (version < current ? "; start the gateway once to upgrade it"
                                         : "; use a newer version of this program"));
  }
  // Reports read small rollup tables; lookups by id touch a few index pages.
  ExecOrThrow(db, path, "PRAGMA cache_size = -2048");
  return db;
}

}  // namespace gw::accounting

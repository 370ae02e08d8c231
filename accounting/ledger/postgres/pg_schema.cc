#include "accounting/ledger/postgres/pg_schema.h"

namespace gw::accounting::postgres {
namespace {

// Version 1: the raw records, with the columns of the SQLite ledger's generations table (the
// shipper copies them by name, so a column missing here is an error naming it), and the
// full-key daily rollup, maintained in the transaction that inserts the records.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE generations (
  id text PRIMARY KEY,
  created_at_ms bigint NOT NULL,
  api_key_id text NOT NULL,
  "user" text NOT NULL,
  http_referer text NOT NULL,
  app_title text NOT NULL,
  app text NOT NULL,
  model_requested text NOT NULL,
  model text NOT NULL,
  author text NOT NULL,
  provider text NOT NULL,
  endpoint text NOT NULL,
  streamed bigint NOT NULL,
  cancelled bigint NOT NULL,
  estimated bigint NOT NULL,
  http_status bigint NOT NULL,
  finish_reason text NOT NULL,
  native_finish_reason text NOT NULL,
  latency_ms bigint NOT NULL,
  time_to_first_token_ms bigint NOT NULL,
  generation_time_ms bigint NOT NULL,
  native_prompt bigint NOT NULL,
  native_completion bigint NOT NULL,
  native_cached bigint NOT NULL,
  native_cache_write bigint NOT NULL,
  native_reasoning bigint NOT NULL,
  tokens_prompt bigint NOT NULL,
  tokens_completion bigint NOT NULL,
  cost_prompt bigint NOT NULL,
  cost_completion bigint NOT NULL,
  cost_cached_read bigint NOT NULL,
  cost_cache_write bigint NOT NULL,
  cost_reasoning bigint NOT NULL,
  cost_request bigint NOT NULL,
  cost_total bigint NOT NULL,
  attempts text NOT NULL,
  api text NOT NULL,
  message_count bigint NOT NULL,
  tools_offered bigint NOT NULL,
  tool_called bigint NOT NULL,
  language text NOT NULL,
  category text NOT NULL,
  model_origin text NOT NULL,
  model_open_weights bigint NOT NULL,
  model_parameters_m bigint NOT NULL,
  model_reasoning bigint NOT NULL,
  instance text NOT NULL DEFAULT ''
);
CREATE INDEX generations_created_at ON generations (created_at_ms);

CREATE TABLE usage_daily (
  day bigint NOT NULL, model text NOT NULL, provider text NOT NULL, author text NOT NULL,
  app text NOT NULL, api_key_id text NOT NULL, "user" text NOT NULL,
  requests bigint NOT NULL, prompt_tokens bigint NOT NULL, completion_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL, cached_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL, tokens_prompt bigint NOT NULL,
  tokens_completion bigint NOT NULL, cost_nano bigint NOT NULL, cancelled bigint NOT NULL,
  estimated bigint NOT NULL,
  PRIMARY KEY (api_key_id, day, model, provider, author, app, "user")
);
CREATE INDEX usage_daily_day ON usage_daily (day);
)sql";

// Version 2: the full-key hourly rollup, maintained with usage_daily, that cuts a compared
// period at the hour in rankings (rankings.h); filled from the records already shipped.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE usage_hourly (
  hour bigint NOT NULL, model text NOT NULL, provider text NOT NULL, author text NOT NULL,
  app text NOT NULL, api_key_id text NOT NULL, "user" text NOT NULL,
  requests bigint NOT NULL, prompt_tokens bigint NOT NULL, completion_tokens bigint NOT NULL,
  reasoning_tokens bigint NOT NULL, cached_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL, tokens_prompt bigint NOT NULL,
  tokens_completion bigint NOT NULL, cost_nano bigint NOT NULL, cancelled bigint NOT NULL,
  estimated bigint NOT NULL,
  PRIMARY KEY (api_key_id, hour, model, provider, author, app, "user")
);
CREATE INDEX usage_hourly_hour ON usage_hourly (hour);
INSERT INTO usage_hourly
SELECT created_at_ms / 3600000, model, provider, author, app, api_key_id, "user", count(*),
       sum(native_prompt), sum(native_completion), sum(native_reasoning), sum(native_cached),
       sum(native_cache_write), sum(greatest(tokens_prompt, 0)),
       sum(greatest(tokens_completion, 0)), sum(cost_total), sum(cancelled), sum(estimated)
FROM generations GROUP BY 1, 2, 3, 4, 5, 6, 7;
)sql";

// Version 3: the key table shared by every instance (accounting.keys_store: postgres; the
// columns of the SQLite one, key_store.cc), and a version that every committed change to it
// bumps, by trigger, so that instances notice changes made anywhere (even by hand in psql) with
// one cheap read a second (KeyTable::Version).
constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE api_keys (
  hash text PRIMARY KEY,
  name text NOT NULL,
  label text NOT NULL,
  disabled bigint NOT NULL,
  limit_nano bigint,
  limit_reset text NOT NULL,
  expires_at_ms bigint,
  created_at_ms bigint NOT NULL,
  updated_at_ms bigint NOT NULL,
  policy text NOT NULL
);
CREATE TABLE api_keys_version (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  version bigint NOT NULL
);
INSERT INTO api_keys_version VALUES (true, 0);
CREATE FUNCTION api_keys_changed() RETURNS trigger LANGUAGE plpgsql
  SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE api_keys_version SET version = version + 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION api_keys_changed();
)sql";

constexpr PgMigration kMigrations[] = {
    {1, "raw generations and the full-key daily rollup", kVersion1},
    {2, "the full-key hourly rollup (rankings' hour cut)", kVersion2},
    {3, "the shared key table and its change version", kVersion3},
};

// Any constant shared by every gateway: the key of the advisory lock held while migrating.
constexpr std::string_view kMigrationLock = "SELECT pg_advisory_xact_lock(7401020019)";

}  // namespace

std::span<const PgMigration> PostgresLedgerMigrations() { return kMigrations; }

bool MigratePostgresLedger(PgConnection& connection, std::span<const PgMigration> steps,
                           std::string* error) {
  const auto fail = [&](const std::string& message) {
    *error = message;
    std::string ignored;
    connection.Exec("ROLLBACK", &ignored);
    return false;
  };
  const int latest = steps.empty() ? 0 : steps.back().version;
  const auto newer = [&](int version) {
    return connection.describe() + ": the ledger schema is version " + std::to_string(version) +
           ", newer than this gateway knows (" + std::to_string(latest) + "); upgrade the gateway";
  };
  // Up to date (every start but the first): no DDL and no lock, so a role that may only insert
  // and select connects too (CREATE ... IF NOT EXISTS needs the CREATE privilege even when the
  // table exists).
  PgRows current;
  if (!connection.Query("SELECT CASE WHEN to_regclass('gw_schema_migrations') IS NULL THEN -1 "
                        "ELSE 0 END",
                        {}, &current, error)) {
    return false;
  }
  if (current.rows.at(0).at(0) == "0") {
    if (!connection.Query("SELECT coalesce(max(version), 0) FROM gw_schema_migrations", {},
                          &current, error)) {
      return false;
    }
    const int version = std::stoi(current.rows.at(0).at(0));
    if (version > latest) {
      *error = newer(version);
      return false;
    }
    if (version == latest) return true;
  }
  for (;;) {
    std::string failure;
    if (!connection.Exec("BEGIN", &failure)) return fail(failure);
    PgRows rows;
    // A step may rewrite a large table (version 2 fills usage_hourly from every record): no
    // statement timeout for it (the connection's 60 s applies to everything else), and the
    // lock waits for an instance migrating meanwhile however long that takes.
    if (!connection.Exec("SET LOCAL statement_timeout = 0", &failure) ||
        !connection.Exec(kMigrationLock, &failure) ||
        !connection.Exec("CREATE TABLE IF NOT EXISTS gw_schema_migrations ("
                         "version integer PRIMARY KEY, description text NOT NULL, "
                         "applied_at timestamptz NOT NULL DEFAULT now())",
                         &failure) ||
        !connection.Query("SELECT coalesce(max(version), 0) FROM gw_schema_migrations", {}, &rows,
                          &failure)) {
      return fail(failure);
    }
    const int version = std::stoi(rows.rows.at(0).at(0));
    if (version > latest) return fail(newer(version));
    if (version == latest) return connection.Exec("COMMIT", error) || fail(*error);
    const PgMigration& step = steps[version];  // steps are numbered 1, 2, ... in order
    if (!connection.Exec(step.sql, &failure) ||
        !connection.Query("INSERT INTO gw_schema_migrations (version, description) "
                          "VALUES ($1, $2)",
                          {std::to_string(step.version), std::string(step.description)}, nullptr,
                          &failure) ||
        !connection.Exec("COMMIT", &failure)) {
      return fail(connection.describe() + ": migration " + std::to_string(step.version) +
                  " failed: " + failure);
    }
  }
}

bool MigrateToLatest(PgConnection& connection, std::string* error) {
  return MigratePostgresLedger(connection, PostgresLedgerMigrations(), error);
}

}  // namespace gw::accounting::postgres

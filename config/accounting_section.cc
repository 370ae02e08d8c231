// The `accounting` block (docs/configuration.md, docs/accounting.md).
#include "config/sections.h"

namespace gw::config::internal {
namespace {

// accounting.limits (docs/scale-out.md).
void ReadLimits(const Field& field, Diagnostics& diag, LimitsConfig* out) {
  const auto map = MapReader::Open(field, {"store", "on_failure", "reservation_ttl_s"}, diag);
  if (!map) return;
  if (std::optional<Field> store = map->Get("store")) {
    if (std::optional<std::string> name = ReadString(*store, diag)) {
      if (*name == "memory") {
        out->store = LimitsStore::kMemory;
      } else if (*name == "redis") {
        out->store = LimitsStore::kRedis;
      } else {
        diag.Add(*store, "unknown value \"" + *name + "\"; expected one of: memory, redis");
      }
    }
  }
  if (std::optional<Field> on_failure = map->Get("on_failure")) {
    if (std::optional<std::string> name = ReadString(*on_failure, diag)) {
      if (*name == "closed" || *name == "open") {
        out->fail_open = *name == "open";
      } else {
        diag.Add(*on_failure, "unknown value \"" + *name + "\"; expected one of: closed, open");
      }
    }
  }
  if (std::optional<Field> item = map->Get("reservation_ttl_s")) {
    if (auto number = ReadUnsigned(*item, 1, 86'400, diag)) out->reservation_ttl_s = *number;
  }
}

}  // namespace

void ReadAccounting(const Field& field, Diagnostics& diag, AccountingConfig* out) {
  const auto map = MapReader::Open(
      field,
      {"data_dir", "database", "queue_capacity", "flush_interval_ms", "max_batch", "retention_days",
       "durability", "keys_database", "keys_store", "limits", "store"},
      diag);
  if (!map) return;
  auto path = [&](std::string_view key, std::string* target) {
    const std::optional<Field> item = map->Get(key);
    if (!item) return;
    std::optional<std::string> text = ReadString(*item, diag);
    if (!text) return;
    if (text->empty()) {
      diag.Add(*item, "must not be empty");
      return;
    }
    *target = std::move(*text);
  };
  path("data_dir", &out->data_dir);
  path("database", &out->database);
  path("keys_database", &out->keys_database);
  if (std::optional<Field> limits = map->Get("limits")) ReadLimits(*limits, diag, &out->limits);
  auto bounded = [&](std::string_view key, uint64_t min, uint64_t max, uint32_t* target) {
    if (std::optional<Field> item = map->Get(key)) {
      if (auto number = ReadUnsigned(*item, min, max, diag))
        *target = static_cast<uint32_t>(*number);
    }
  };
  bounded("queue_capacity", 1, 100'000'000, &out->queue_capacity);
  bounded("flush_interval_ms", 1, 60'000, &out->flush_interval_ms);
  bounded("max_batch", 1, 1'000'000, &out->max_batch);
  bounded("retention_days", 0, 36'500, &out->retention_days);
  const auto store_of = [&](std::string_view key) -> std::optional<LedgerStore> {
    const std::optional<Field> item = map->Get(key);
    if (!item) return std::nullopt;
    const std::optional<std::string> name = ReadString(*item, diag);
    if (!name) return std::nullopt;
    if (*name == "sqlite") return LedgerStore::kSqlite;
    if (*name == "postgres") return LedgerStore::kPostgres;
    diag.Add(*item, "unknown value \"" + *name + "\"; expected one of: sqlite, postgres");
    return std::nullopt;
  };
  if (const std::optional<LedgerStore> store = store_of("store")) out->store = *store;
  if (const std::optional<LedgerStore> keys = store_of("keys_store")) out->keys_store = *keys;
  if (std::optional<Field> durability = map->Get("durability")) {
    if (std::optional<std::string> name = ReadString(*durability, diag)) {
      if (*name == "commit") {
        out->durability = AccountingDurability::kCommit;
      } else if (*name == "async") {
        out->durability = AccountingDurability::kAsync;
      } else {
        diag.Add(*durability, "unknown value \"" + *name + "\"; expected one of: commit, async");
      }
    }
  }
}

}  // namespace gw::config::internal

namespace gw::config::internal {

void ReadRedis(const Field& field, const EnvLookup& env, Diagnostics& diag, RedisConfig* out) {
  const auto map = MapReader::Open(field, {"url", "timeout_ms", "prefix"}, diag);
  if (!map) return;
  if (std::optional<Field> url = map->Require("url")) {
    if (std::optional<Secret> secret = ReadSecretRef(*url, env, diag)) out->url = *secret;
  }
  if (std::optional<Field> item = map->Get("timeout_ms")) {
    if (auto number = ReadUnsigned(*item, 1, 60'000, diag)) out->timeout_ms = *number;
  }
  if (std::optional<Field> item = map->Get("prefix")) {
    if (std::optional<std::string> prefix = ReadString(*item, diag)) out->prefix = *prefix;
  }
}

}  // namespace gw::config::internal

namespace gw::config::internal {

void ReadPostgres(const Field& field, const EnvLookup& env, Diagnostics& diag,
                  PostgresConfig* out) {
  const auto map = MapReader::Open(
      field, {"url", "connect_timeout_ms", "ship_interval_ms", "batch", "instance"}, diag);
  if (!map) return;
  if (std::optional<Field> url = map->Require("url")) {
    if (std::optional<Secret> secret = ReadSecretRef(*url, env, diag)) out->url = *secret;
  }
  auto bounded = [&](std::string_view key, uint64_t min, uint64_t max, uint32_t* target) {
    if (std::optional<Field> item = map->Get(key)) {
      if (auto number = ReadUnsigned(*item, min, max, diag)) {
        *target = static_cast<uint32_t>(*number);
      }
    }
  };
  bounded("connect_timeout_ms", 1, 60'000, &out->connect_timeout_ms);
  bounded("ship_interval_ms", 1, 60'000, &out->ship_interval_ms);
  bounded("batch", 1, 1'000'000, &out->batch);
  if (std::optional<Field> item = map->Get("instance")) {
    if (std::optional<std::string> instance = ReadString(*item, diag)) {
      out->instance = *instance;
    }
  }
}

}  // namespace gw::config::internal

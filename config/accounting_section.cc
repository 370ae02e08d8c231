// The `accounting` block (docs/configuration.md, docs/accounting.md).
#include "config/sections.h"

namespace gw::config::internal {

void ReadAccounting(const Field& field, Diagnostics& diag, AccountingConfig* out) {
  const auto map = MapReader::Open(field,
                                   {"data_dir", "database", "queue_capacity", "flush_interval_ms",
                                    "max_batch", "retention_days", "durability"},
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

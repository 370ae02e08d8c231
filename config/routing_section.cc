// The `routing` block and a model's `routing` block (docs/configuration.md, docs/routing.md).
#include "config/sections.h"

namespace gw::config::internal {
namespace {

constexpr uint32_t kMaxAttempts = 100;
// The health tracker keeps one-second counts for this long (routing/health_tracker.h).
constexpr uint32_t kMaxOutageWindowS = 120;

void ReadSort(const MapReader& map, Diagnostics& diag, std::string* out) {
  const std::optional<Field> field = map.Get("sort");
  if (!field) return;
  std::optional<std::string> sort = ReadString(*field, diag);
  if (!sort) return;
  if (*sort != "price" && *sort != "throughput" && *sort != "latency") {
    diag.Add(*field,
             "unknown value \"" + *sort + "\"; expected one of: price, throughput, latency");
    return;
  }
  *out = std::move(*sort);
}

// Statuses that already fail over (429, 5xx) are accepted too; what a status below 400 would
// mean (retrying a success) is not.
void ReadRetryStatuses(const Field& field, Diagnostics& diag, std::vector<uint16_t>* out) {
  const std::optional<std::vector<Field>> items = ReadList(field, diag);
  if (!items) return;
  std::vector<uint16_t> statuses;
  for (const Field& item : *items) {
    if (auto status = ReadUnsigned(item, 400, 599, diag)) {
      statuses.push_back(static_cast<uint16_t>(*status));
    }
  }
  *out = std::move(statuses);
}

void ReadHealth(const Field& field, Diagnostics& diag, HealthConfig* out) {
  const auto map =
      MapReader::Open(field,
                      {"outage_window_s", "outage_min_requests", "outage_error_percent",
                       "cooldown_s", "max_cooldown_s", "probe_percent", "outage_policy", "share"},
                      diag);
  if (!map) return;
  auto bounded = [&](std::string_view key, uint64_t min, uint64_t max, uint32_t* value) {
    if (std::optional<Field> item = map->Get(key)) {
      if (auto number = ReadUnsigned(*item, min, max, diag))
        *value = static_cast<uint32_t>(*number);
    }
  };
  bounded("outage_window_s", 1, kMaxOutageWindowS, &out->outage_window_s);
  bounded("outage_min_requests", 1, 1000000, &out->outage_min_requests);
  bounded("outage_error_percent", 1, 100, &out->outage_error_percent);
  bounded("cooldown_s", 1, 86400, &out->cooldown_s);
  bounded("max_cooldown_s", 1, 86400, &out->max_cooldown_s);
  bounded("probe_percent", 1, 100, &out->probe_percent);
  if (std::optional<Field> policy = map->Get("outage_policy")) {
    if (std::optional<std::string> name = ReadString(*policy, diag)) {
      if (*name == "fallback") {
        out->outage_policy = OutagePolicy::kFallback;
      } else if (*name == "exclude") {
        out->outage_policy = OutagePolicy::kExclude;
      } else {
        diag.Add(*policy, "unknown value \"" + *name + "\"; expected one of: fallback, exclude");
      }
    }
  }
  if (std::optional<Field> share = map->Get("share")) {
    if (std::optional<bool> value = ReadBool(*share, diag)) out->share = *value;
  }
  if (out->max_cooldown_s < out->cooldown_s) {
    diag.Add(map->field(), "max_cooldown_s (" + std::to_string(out->max_cooldown_s) +
                               ") is below cooldown_s (" + std::to_string(out->cooldown_s) + ")");
  }
}

}  // namespace

void ReadRouting(const Field& field, Diagnostics& diag, RoutingConfig* out) {
  const auto map = MapReader::Open(field,
                                   {"sort", "max_attempts", "total_timeout_ms", "retry_statuses",
                                    "session_idle_timeout_s", "health"},
                                   diag);
  if (!map) return;
  ReadSort(*map, diag, &out->sort);
  if (std::optional<Field> attempts = map->Get("max_attempts")) {
    if (auto count = ReadUnsigned(*attempts, 1, kMaxAttempts, diag)) {
      out->max_attempts = static_cast<uint32_t>(*count);
    }
  }
  map->Uint32("total_timeout_ms", &out->total_timeout_ms);
  if (std::optional<Field> statuses = map->Get("retry_statuses")) {
    ReadRetryStatuses(*statuses, diag, &out->retry_statuses);
  }
  map->Uint32("session_idle_timeout_s", &out->session_idle_timeout_s, 1);
  if (std::optional<Field> health = map->Get("health")) ReadHealth(*health, diag, &out->health);
}

void ReadModelRouting(const Field& field, Diagnostics& diag, std::string* sort) {
  const auto map = MapReader::Open(field, {"sort"}, diag);
  if (!map) return;
  ReadSort(*map, diag, sort);
}

}  // namespace gw::config::internal

// The `routing` block and a model's `routing` block (docs/configuration.md, docs/routing.md).
#include "config/sections.h"

namespace gw::config::internal {
namespace {

constexpr uint32_t kMaxAttempts = 100;

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

}  // namespace

void ReadRouting(const Field& field, Diagnostics& diag, RoutingConfig* out) {
  const auto map = MapReader::Open(field, {"sort", "max_attempts", "total_timeout_ms"}, diag);
  if (!map) return;
  ReadSort(*map, diag, &out->sort);
  if (std::optional<Field> attempts = map->Get("max_attempts")) {
    if (auto count = ReadUnsigned(*attempts, 1, kMaxAttempts, diag)) {
      out->max_attempts = static_cast<uint32_t>(*count);
    }
  }
  map->Uint32("total_timeout_ms", &out->total_timeout_ms);
}

void ReadModelRouting(const Field& field, Diagnostics& diag, std::string* sort) {
  const auto map = MapReader::Open(field, {"sort"}, diag);
  if (!map) return;
  ReadSort(*map, diag, sort);
}

}  // namespace gw::config::internal

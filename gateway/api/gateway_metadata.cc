#include "gateway/api/gateway_metadata.h"

#include <boost/beast/core/string.hpp>
#include <nlohmann/json.hpp>

namespace gw::api {

bool WantsGatewayMetadata(std::string_view header_value) {
  return boost::beast::iequals(header_value, "enabled");
}

std::string GatewayMetadataJson(const routing::Snapshot& snapshot, const routing::RoutePlan& plan,
                                std::span<const AttemptRecord> attempts,
                                const routing::Attempt* serving) {
  nlohmann::json candidates = nlohmann::json::array();
  for (const routing::Attempt& attempt : plan.attempts) {
    candidates.push_back(
        {{"model", attempt.model->id},
         {"provider", attempt.provider->name},
         {"status", routing::StatusName(snapshot.Health(attempt.endpoint_id).status)}});
  }
  nlohmann::json excluded = nlohmann::json::array();
  for (const routing::Exclusion& exclusion : plan.exclusions) {
    excluded.push_back({{"model", exclusion.model->id},
                        {"provider", exclusion.endpoint->provider},
                        {"reason", routing::ReasonName(exclusion.reason)}});
  }
  nlohmann::json tried = nlohmann::json::array();
  for (const AttemptRecord& attempt : attempts) {
    nlohmann::json record = {
        {"model", attempt.model},
        {"provider", attempt.provider},
        {"status", attempt.status},
        {"latency_ms", std::chrono::duration<double, std::milli>(attempt.latency).count()}};
    if (!attempt.error.empty()) record["error"] = attempt.error;
    tried.push_back(std::move(record));
  }
  nlohmann::json metadata = {{"strategy", routing::StrategyName(plan.strategy)},
                             {"candidates", std::move(candidates)},
                             {"excluded", std::move(excluded)},
                             {"attempts", std::move(tried)},
                             {"sticky", plan.sticky}};
  if (serving != nullptr) {
    metadata["serving"] = {{"model", serving->model->id}, {"provider", serving->provider->name}};
  }
  // A header value must not carry control characters: dump escapes them, and non-ASCII too.
  return metadata.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace gw::api

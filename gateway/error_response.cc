#include "gateway/error_response.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "dialects/anthropic/messages_codec.h"
#include "providers/errors.h"

namespace gw {

std::string ErrorBody(int status, std::string_view message) {
  return ErrorBody(status, message, nlohmann::json::object());
}

std::string ErrorBody(int status, std::string_view message, const nlohmann::json& metadata) {
  nlohmann::json error = {{"code", status}, {"message", message}};
  if (!metadata.empty()) error["metadata"] = metadata;
  // Invalid UTF-8 in an upstream message must not turn into an exception here.
  return nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
}

int WireStatus(ErrorShape shape, int status) {
  return shape == ErrorShape::kAnthropic && status == 503 ? 529 : status;
}

std::string ErrorBody(ErrorShape shape, int status, std::string_view message,
                      const nlohmann::json& metadata) {
  if (shape == ErrorShape::kOpenAi) return ErrorBody(status, message, metadata);
  nlohmann::json error = {{"type", dialects::anthropic::ErrorTypeOf(status)}, {"message", message}};
  if (!metadata.empty()) error["metadata"] = metadata;
  return nlohmann::json{{"type", "error"}, {"error", std::move(error)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string AnthropicErrorEvent(int status, std::string_view message, std::string_view raw) {
  nlohmann::json metadata = nlohmann::json::object();
  if (!raw.empty()) metadata["raw"] = raw;
  return "event: error\ndata: " + ErrorBody(ErrorShape::kAnthropic, status, message, metadata) +
         "\n\n";
}

int StatusForUpstreamFailure(const boost::system::error_code& error, int upstream_status) {
  using providers::Errc;
  if (error.category() != providers::UpstreamCategory()) return 502;
  switch (static_cast<Errc>(error.value())) {
    case Errc::kFirstByteTimeout:
    case Errc::kIdleTimeout:
    case Errc::kTotalTimeout:
      return 408;
    case Errc::kClientGone:
      return 499;
    case Errc::kCancelled:
      return 503;
    case Errc::kUnsupported:
      return 400;
    case Errc::kUpstreamStatus:
      if (upstream_status == 429 || upstream_status == 413 || upstream_status == 408) {
        return upstream_status;
      }
      if (upstream_status == 400 || upstream_status == 422) return 400;
      if (upstream_status == 529) return 503;  // Anthropic's "overloaded"
      return 502;
    default:
      return 502;
  }
}

RouteFailure NoRouteFailure(const routing::RoutePlan& plan, ErrorShape shape) {
  const std::vector<std::string_view>& requested_models = plan.requested_models;
  RouteFailure failure;
  nlohmann::json metadata = {{"requested_models", requested_models}};
  if (plan.error == routing::PlanError::kUnknownModel) {
    failure.status = 404;
    failure.message = requested_models.size() == 1
                          ? "model \"" + std::string(requested_models.front()) +
                                "\" is not served by this gateway"
                          : "none of the requested models is served by this gateway";
    metadata["code"] = "unknown_model";
    metadata["unknown_models"] = plan.unknown_models;
  } else {
    // 400 for size alone, 404 for the request's own constraints (the leader's answer; SDKs do
    // not retry it), 503 when an outage is among the reasons (a retry may succeed).
    if (plan.error == routing::PlanError::kRequestTooLarge) {
      failure.status = 400;
      metadata["code"] = "request_too_large";
      failure.message = "the request does not fit any endpoint: ";
    } else if (plan.error == routing::PlanError::kNoEndpointMatches) {
      failure.status = 404;
      metadata["code"] = "no_endpoint_matches_request";
      failure.message = "no endpoint matches the request's provider preferences and parameters: ";
    } else {
      failure.status = 503;
      metadata["code"] = "no_endpoint_meets_requirements";
      failure.message = "no endpoint meets the request's routing requirements: ";
    }
    nlohmann::json excluded = nlohmann::json::array();
    for (size_t i = 0; i < plan.exclusions.size(); ++i) {
      const routing::Exclusion& exclusion = plan.exclusions[i];
      const std::string_view reason = routing::ReasonName(exclusion.reason);
      excluded.push_back({{"model", exclusion.model->id},
                          {"provider", exclusion.endpoint->provider},
                          {"reason", reason},
                          {"detail", exclusion.detail}});
      if (i > 0) failure.message += "; ";
      failure.message += exclusion.endpoint->provider + " for " + exclusion.model->id + " (" +
                         std::string(reason) + ": " + exclusion.detail + ")";
    }
    metadata["excluded_by"] = std::move(excluded);
    if (!plan.unknown_models.empty()) metadata["unknown_models"] = plan.unknown_models;
  }
  failure.body = ErrorBody(shape, failure.status, failure.message, metadata);
  return failure;
}

std::string MidStreamErrorEvent(const MidStreamError& error) {
  nlohmann::json metadata = nlohmann::json::object();
  if (!error.provider.empty()) metadata["provider_name"] = error.provider;
  if (!error.raw.empty()) metadata["raw"] = error.raw;
  nlohmann::json error_object = {{"code", error.code}, {"message", error.message}};
  if (!metadata.empty()) error_object["metadata"] = std::move(metadata);
  nlohmann::json body = {{"id", error.id},
                         {"object", error.object},
                         {"created", static_cast<int64_t>(std::time(nullptr))},
                         {"model", error.model},
                         {"error", std::move(error_object)},
                         {"choices",
                          {{{"index", 0},
                            {"delta", {{"content", ""}}},
                            {"finish_reason", "error"},
                            {"native_finish_reason", "error"}}}}};
  if (!error.provider.empty()) body["provider"] = error.provider;
  return "data: " + body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n\n";
}

}  // namespace gw

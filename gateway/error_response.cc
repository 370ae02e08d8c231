#include "gateway/error_response.h"

#include <ctime>
#include <nlohmann/json.hpp>

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
    case Errc::kUpstreamStatus:
      if (upstream_status == 429 || upstream_status == 413 || upstream_status == 408) {
        return upstream_status;
      }
      if (upstream_status == 400 || upstream_status == 422) return 400;
      return 502;
    default:
      return 502;
  }
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

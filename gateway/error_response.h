// The one place that turns errors into the wire error shape of the API a request came in by:
//   OpenAI (API.md):  {"error":{"code":<status>,"message":"...","metadata":{...}}}
//   Anthropic:        {"type":"error","error":{"type":"<error type>","message":"...",
//                      "metadata":{...}}}
// and the one mid-stream error event of each. Pure functions; any thread.
#pragma once

#include <boost/system/error_code.hpp>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "routing/plan.h"

namespace gw {

// The error body for `status` with a human-readable message naming the problem.
std::string ErrorBody(int status, std::string_view message);
std::string ErrorBody(int status, std::string_view message, const nlohmann::json& metadata);

// Which shape a route's errors take: the Messages routes answer as Anthropic does.
enum class ErrorShape { kOpenAi, kAnthropic };

// The status sent for `status` in `shape`: Anthropic's clients know "overloaded" as 529, so a
// 503 (no capacity, accounting behind, a provider overloaded) goes out as 529 there.
int WireStatus(ErrorShape shape, int status);

// ErrorBody in the given shape; metadata as for ErrorBody (kept under error.metadata). The
// Anthropic type follows the status (dialects::anthropic::ErrorTypeOf).
std::string ErrorBody(ErrorShape shape, int status, std::string_view message,
                      const nlohmann::json& metadata);

// The Anthropic stream's error event: "event: error\ndata:
// {\"type\":\"error\",\"error\":{...}}\n\n".
std::string AnthropicErrorEvent(int status, std::string_view message, std::string_view raw);

// The status a client gets when an upstream attempt failed before anything was relayed
// (`error` is a providers::Errc, `upstream_status` the provider's HTTP status if it answered):
//   connection, DNS or TLS failure, connect timeout (the provider is
//   unreachable), malformed or broken answer .......................... 502
//   first-byte, idle or total timeout .................................. 408 (API.md's timeout)
//   provider said 429 -> 429; 400/422 -> 400; 413 -> 413; 408 -> 408; 529 (Anthropic's
//     overloaded) -> 503; anything else -> 502
//     (a provider's 401/403/404 is the gateway's configuration problem, not the client's)
//   client gone ......................................................... 499 (log only)
//   cancelled by the gateway's shutdown ................................. 503
//   the endpoint's API cannot express the request (kUnsupported) ........ 400
int StatusForUpstreamFailure(const boost::system::error_code& error, int upstream_status);

// The answer when routing found nothing to try (docs/routing.md, "When nothing fits"):
//   no requested model in the catalogue ............................... 404
//   every endpoint excluded, only for the request's size (context) ...... 400
//   every endpoint excluded by the request's preferences or filters ..... 503
// metadata: {code, requested_models, excluded_by: [{model, provider, reason, detail}],
// unknown_models?}; the message names each excluded endpoint and why.
struct RouteFailure {
  int status = 503;
  std::string message;
  std::string body;
};
RouteFailure NoRouteFailure(const routing::RoutePlan& plan, ErrorShape shape = ErrorShape::kOpenAi);

// The final SSE event of a stream that failed after its first byte (API.md "Mid-stream error"):
// "data: {id, object: chat.completion.chunk, created, model, provider?,
// error{code,message,metadata?},
//  choices:[{index:0, delta:{content:""}, finish_reason:"error",
//  native_finish_reason:"error"}]}\n\n".
struct MidStreamError {
  std::string_view id;
  std::string_view model;
  std::string_view provider;
  std::string_view object = "chat.completion.chunk";  // "text_completion" for /completions
  int code = 502;
  std::string_view message;
  std::string_view raw;  // the upstream's own error text, if any (metadata.raw)
};
std::string MidStreamErrorEvent(const MidStreamError& error);

}  // namespace gw

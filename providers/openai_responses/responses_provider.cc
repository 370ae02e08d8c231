#include "providers/openai_responses/responses_provider.h"

#include "providers/errors.h"
#include "providers/openai_responses/responses_stamp.h"
#include "providers/request_splice.h"

namespace gw::providers::openai_responses {

std::string ResponsesProvider::PrepareRequest(const ProviderCall& call, UpstreamRequest& request) {
  if (call.inbound != dialects::Dialect::kResponses) {
    return "an openai-responses endpoint takes Responses requests (POST /v1/responses) only; "
           "give the model an api: openai or api: anthropic endpoint for " +
           std::string(dialects::DialectName(call.inbound)) + " requests";
  }
  request.target = call.provider->base_url.path_prefix + "/responses";
  request.body = SpliceRequestBody(*call.body, call.endpoint->upstream_model);
  return {};
}

void ResponsesProvider::TranslateWhole(const ProviderCall& call, std::string_view body,
                                       ProviderOutcome& outcome) {
  std::string why;
  std::optional<std::string> stamped = StampWholeResponse(body, call.stamp, outcome.facts, &why);
  if (!stamped) {
    // An {"error": ...} object answered with 200 is the upstream's error, not a broken body.
    const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
    const bool error_object = parsed.is_object() && parsed.contains("error") &&
                              parsed["error"].is_object() && !parsed.contains("output");
    Fail(outcome, call, error_object ? Errc::kUpstreamError : Errc::kMalformedResponse,
         error_object ? UpstreamErrorMessage(body) : why);
    return;
  }
  outcome.body = std::move(*stamped);
}

std::unique_ptr<EventTranslator> ResponsesProvider::NewEventTranslator(const ProviderCall& call) {
  return std::make_unique<StreamStamper>(call.stamp);
}

}  // namespace gw::providers::openai_responses

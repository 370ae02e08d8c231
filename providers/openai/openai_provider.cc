#include "providers/openai/openai_provider.h"

#include "providers/errors.h"
#include "providers/openai/openai_request.h"
#include "providers/openai/openai_response.h"
#include "providers/openai/openai_stream.h"

namespace gw::providers::openai {
namespace {

// True for a body like {"error": {...}} that carries no completion.
bool IsErrorObject(const std::vector<json::Member>& members) {
  return json::FindMember(members, "error") != nullptr &&
         json::FindMember(members, "choices") == nullptr;
}

}  // namespace

std::string OpenAiProvider::PrepareRequest(const ProviderCall& call, UpstreamRequest& request) {
  if (call.inbound == dialects::Dialect::kAnthropicMessages) {
    return "an OpenAI-compatible endpoint takes Messages requests only translated";
  }
  request.target =
      call.provider->base_url.path_prefix +
      (call.inbound == dialects::Dialect::kCompletions ? "/completions" : "/chat/completions");
  request.body = RewriteRequestBody(*call.body, call.endpoint->upstream_model, call.stream);
  return {};
}

void OpenAiProvider::TranslateWhole(const ProviderCall& call, std::string_view body,
                                    ProviderOutcome& outcome) {
  // One validating scan serves the error check and the rewrite.
  std::vector<json::Member> members;
  if (json::ScanObject(body, members)) {
    std::string why;
    RewriteResponse(body, call.stamp, outcome.facts, &why);  // (only to word the reason)
    Fail(outcome, call, Errc::kMalformedResponse, why);
    return;
  }
  if (IsErrorObject(members)) {  // some servers answer errors with 200
    Fail(outcome, call, Errc::kUpstreamError, UpstreamErrorMessage(body));
    return;
  }
  outcome.body = RewriteScannedResponse(members, body.size(), call.stamp, outcome.facts);
}

std::unique_ptr<EventTranslator> OpenAiProvider::NewEventTranslator(const ProviderCall& call) {
  return std::make_unique<StreamTranslator>(call.stamp);
}

}  // namespace gw::providers::openai

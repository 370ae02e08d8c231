#include "providers/anthropic/anthropic_provider.h"

#include <nlohmann/json.hpp>

#include "dialects/anthropic/messages_codec.h"
#include "dialects/openai_chat/chat_codec.h"
#include "providers/anthropic/anthropic_facts.h"
#include "providers/errors.h"
#include "providers/openai/openai_response.h"
#include "providers/request_splice.h"

namespace gw::providers::anthropic {
namespace {

using dialects::Dialect;

// Anthropic's base URL is the host (https://api.anthropic.com), as in its SDKs; a base URL that
// already ends in /v1 is taken as well.
std::string MessagesTarget(const config::Url& url) {
  return url.path_prefix.ends_with("/v1") ? url.path_prefix + "/messages"
                                          : url.path_prefix + "/v1/messages";
}

// A Chat Completions body as an Anthropic Messages body, through the internal representation.
std::string TranslateChatRequest(const ProviderCall& call, std::string& body) {
  const nlohmann::json chat = nlohmann::json::parse(call.raw_body, nullptr, false);
  if (chat.is_discarded()) return "the request body is not valid JSON";
  dialects::Request request;
  std::string problem = dialects::openai_chat::DecodeRequest(chat, request);
  if (!problem.empty()) return problem;
  request.stream = call.stream;
  const int64_t default_max = call.endpoint->max_completion_tokens > 0
                                  ? call.endpoint->max_completion_tokens
                                  : kDefaultMaxTokens;
  body = dialects::anthropic::EncodeRequest(request, call.endpoint->upstream_model, default_max)
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return {};
}

}  // namespace

std::string AnthropicProvider::PrepareRequest(const ProviderCall& call, UpstreamRequest& request) {
  request.target = MessagesTarget(call.provider->base_url);
  std::string_view version = call.provider->anthropic_version;
  if (call.inbound == Dialect::kAnthropicMessages) {
    request.body = SpliceRequestBody(*call.body, call.endpoint->upstream_model);
    for (const auto& [name, value] : call.forward_headers) {
      if (name == "anthropic-version" && !value.empty()) {
        version = value;
      } else if (!value.empty()) {
        request.headers.emplace_back(name, value);
      }
    }
  } else if (call.inbound == Dialect::kChatCompletions) {
    std::string problem = TranslateChatRequest(call, request.body);
    if (!problem.empty()) return problem;
  } else {
    return "legacy completions cannot be sent to an Anthropic endpoint; use chat completions";
  }
  request.headers.emplace_back("anthropic-version", version);
  return {};
}

void AnthropicProvider::TranslateWhole(const ProviderCall& call, std::string_view body,
                                       ProviderOutcome& outcome) {
  if (call.inbound == Dialect::kAnthropicMessages) {
    // Passthrough: the body goes to the client as it came; only its facts are read.
    std::vector<json::Member> members;
    if (std::optional<json::ScanError> error = json::ScanObject(body, members)) {
      Fail(outcome, call, Errc::kMalformedResponse,
           "upstream returned invalid JSON at byte " + std::to_string(error->offset) + ": " +
               error->message);
      return;
    }
    const json::Member* type = json::FindMember(members, "type");
    if (type != nullptr && json::StringContents(type->value) == "error") {
      Fail(outcome, call, Errc::kUpstreamError, UpstreamErrorMessage(body));
      return;
    }
    AddPassthroughFacts(members, outcome.facts);
    outcome.body = std::string(body);
    return;
  }
  const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    Fail(outcome, call, Errc::kMalformedResponse, "upstream returned invalid JSON");
    return;
  }
  if (parsed.value("type", "") == "error") {  // an error answered with 200
    Fail(outcome, call, Errc::kUpstreamError, UpstreamErrorMessage(body));
    return;
  }
  dialects::Response response;
  const std::string problem = dialects::anthropic::DecodeResponse(parsed, response);
  if (!problem.empty()) {
    Fail(outcome, call, Errc::kMalformedResponse, problem);
    return;
  }
  const std::string chat = dialects::openai_chat::EncodeResponse(response);
  std::string why;
  std::optional<std::string> rewritten =
      openai::RewriteResponse(chat, call.stamp, outcome.facts, &why);
  if (!rewritten) {
    Fail(outcome, call, Errc::kMalformedResponse, why);
    return;
  }
  outcome.body = std::move(*rewritten);
}

std::unique_ptr<EventTranslator> AnthropicProvider::NewEventTranslator(const ProviderCall& call) {
  if (call.inbound == Dialect::kAnthropicMessages) {
    return std::make_unique<PassthroughTranslator>();
  }
  return std::make_unique<ToChatTranslator>(call.stamp);
}

}  // namespace gw::providers::anthropic

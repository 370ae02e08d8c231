// The adapter for an upstream that speaks the OpenAI Responses API natively (`api:
// openai-responses`, e.g. api.openai.com): a Responses request passes through to
// <base_url>/responses with `model` rewritten and the router's fields dropped (the gateway has
// already expanded a previous_response_id into the input: the upstream does not know the
// gateway's ids); the answer is relayed in its own dialect, stamped and
// priced (responses_stamp.h). Chat Completions, legacy completions and Messages requests are
// not translated to Responses: the attempt fails with kUnsupported and the plan's next endpoint
// takes the request. One instance per worker.
#pragma once

#include "providers/http_provider.h"

namespace gw::providers::openai_responses {

class ResponsesProvider final : public HttpProvider {
 public:
  explicit ResponsesProvider(UpstreamClient& client) : HttpProvider(client) {}

 protected:
  std::string PrepareRequest(const ProviderCall& call, UpstreamRequest& request) override;
  void TranslateWhole(const ProviderCall& call, std::string_view body,
                      ProviderOutcome& outcome) override;
  std::unique_ptr<EventTranslator> NewEventTranslator(const ProviderCall& call) override;
};

}  // namespace gw::providers::openai_responses

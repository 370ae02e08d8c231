// The adapter for Anthropic's Messages API (`api: anthropic`): the dialect half over the shared
// network flow (HttpProvider). A Messages request passes through with only `model` rewritten
// and its anthropic-version / anthropic-beta headers forwarded; a Chat Completions request is
// translated through the internal representation (dialects/), and the answer translated back
// into the chat dialect, where the OpenAI rewriter stamps and prices it as for any endpoint.
// One instance per worker.
#pragma once

#include "providers/http_provider.h"

namespace gw::providers::anthropic {

// The completion limit sent when a translated request has none (Anthropic requires one): the
// endpoint's max_completion_tokens when configured, else this.
inline constexpr int64_t kDefaultMaxTokens = 4096;

class AnthropicProvider final : public HttpProvider {
 public:
  explicit AnthropicProvider(UpstreamClient& client) : HttpProvider(client) {}

 protected:
  std::string PrepareRequest(const ProviderCall& call, UpstreamRequest& request) override;
  void TranslateWhole(const ProviderCall& call, std::string_view body,
                      ProviderOutcome& outcome) override;
  std::unique_ptr<EventTranslator> NewEventTranslator(const ProviderCall& call) override;
};

}  // namespace gw::providers::anthropic

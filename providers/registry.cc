#include "providers/registry.h"

#include "providers/anthropic/anthropic_provider.h"
#include "providers/openai/openai_provider.h"
#include "providers/openai_responses/responses_provider.h"

namespace gw::providers {

std::unique_ptr<Provider> MakeProvider(config::ProviderKind kind, UpstreamClient& client) {
  switch (kind) {
    case config::ProviderKind::kOpenAi:
      return std::make_unique<openai::OpenAiProvider>(client);
    case config::ProviderKind::kAnthropic:
      return std::make_unique<anthropic::AnthropicProvider>(client);
    case config::ProviderKind::kOpenAiResponses:
      return std::make_unique<openai_responses::ResponsesProvider>(client);
  }
  return std::make_unique<openai::OpenAiProvider>(client);
}

}  // namespace gw::providers

// The adapter for OpenAI-compatible upstreams (OpenAI, DeepSeek, Groq, Together, Mistral, xAI,
// vLLM, llama.cpp, Ollama ...): the dialect half over the shared network flow (HttpProvider).
// A chat or legacy completions body is spliced (openai_request), the answer rewritten
// (openai_response / openai_stream). One instance per worker.
#pragma once

#include "providers/http_provider.h"

namespace gw::providers::openai {

class OpenAiProvider final : public HttpProvider {
 public:
  explicit OpenAiProvider(UpstreamClient& client) : HttpProvider(client) {}

 protected:
  std::string PrepareRequest(const ProviderCall& call, UpstreamRequest& request) override;
  void TranslateWhole(const ProviderCall& call, std::string_view body,
                      ProviderOutcome& outcome) override;
  std::unique_ptr<EventTranslator> NewEventTranslator(const ProviderCall& call) override;
};

}  // namespace gw::providers::openai

// The adapter for OpenAI-compatible upstreams (OpenAI, DeepSeek, Groq, Together, Mistral, xAI,
// vLLM, llama.cpp, Ollama ...): the network half. The pure translation it relies on lives in
// openai_request / openai_response / openai_stream / sse_parser. One instance per worker.
#pragma once

#include "providers/http/upstream_client.h"
#include "providers/provider.h"

namespace gw::providers::openai {

class OpenAiProvider final : public Provider {
 public:
  explicit OpenAiProvider(UpstreamClient& client) : client_(client) {}
  boost::asio::awaitable<ProviderOutcome> Complete(ProviderCall call, StreamSink& sink) override;

 private:
  boost::asio::awaitable<void> RelayStream(const ProviderCall& call, UpstreamResponse& response,
                                           StreamSink& sink, ProviderOutcome& outcome);
  boost::asio::awaitable<void> ReadWhole(const ProviderCall& call, UpstreamResponse& response,
                                         ProviderOutcome& outcome);
  UpstreamClient& client_;
};

}  // namespace gw::providers::openai

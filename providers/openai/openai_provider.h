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
  struct StreamState;
  // Streams: sends the request and reads up to the first translated event (or the failure),
  // while the caller keeps sending keep-alives.
  boost::asio::awaitable<UpstreamClient::Result> OpenStream(const ProviderCall& call,
                                                            UpstreamRequest request,
                                                            StreamState& state,
                                                            ProviderOutcome& outcome);
  boost::asio::awaitable<void> RelayRest(const ProviderCall& call, UpstreamResponse& response,
                                         StreamSink& sink, StreamState& state,
                                         ProviderOutcome& outcome);
  boost::asio::awaitable<bool> ReadEvents(const ProviderCall& call, UpstreamResponse& response,
                                          StreamState& state, ProviderOutcome& outcome);
  boost::asio::awaitable<void> ReadWhole(const ProviderCall& call, UpstreamResponse& response,
                                         ProviderOutcome& outcome);
  boost::asio::awaitable<bool> ReadErrorStatus(const ProviderCall& call, UpstreamResponse& response,
                                               ProviderOutcome& outcome);
  UpstreamClient& client_;
};

}  // namespace gw::providers::openai

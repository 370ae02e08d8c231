// The network half that every HTTP + SSE provider adapter shares (hop 5): send the request
// through the worker's UpstreamClient, read an error status, read a whole answer, or open a
// stream (keep-alives to the client until its first event) and relay it event by event.
// An adapter derives from it and supplies its dialect: the request it sends, the translation of
// a whole answer, and an EventTranslator per stream. One instance per worker.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "providers/event_translator.h"
#include "providers/http/upstream_client.h"
#include "providers/provider.h"

namespace gw::providers {

class HttpProvider : public Provider {
 public:
  explicit HttpProvider(UpstreamClient& client) : client_(client) {}
  boost::asio::awaitable<ProviderOutcome> Complete(ProviderCall call, StreamSink& sink) final;

 protected:
  // Fills the target, body and headers of the upstream request (the caller set the rest).
  // Returns "" or why this endpoint cannot take the call (the attempt fails with kUnsupported).
  virtual std::string PrepareRequest(const ProviderCall& call, UpstreamRequest& request) = 0;
  // Non-stream: translates the upstream's whole 2xx body into outcome.body and outcome.facts,
  // or fails the outcome (Fail) with kMalformedResponse / kUpstreamError.
  virtual void TranslateWhole(const ProviderCall& call, std::string_view body,
                              ProviderOutcome& outcome) = 0;
  virtual std::unique_ptr<EventTranslator> NewEventTranslator(const ProviderCall& call) = 0;

  // Sets outcome.error and a message naming the provider ("provider \"x\": <error> (detail)").
  static void Fail(ProviderOutcome& outcome, const ProviderCall& call,
                   boost::system::error_code error, std::string_view detail);
  // The start of an upstream text for metadata.raw (at most 4 KiB, "..." when cut).
  static std::string Truncate(std::string_view text);
  // The human part of an upstream error body: error.message (OpenAI's and Anthropic's shape),
  // or `message`, `detail`, or a bare string; empty if the body says nothing readable.
  static std::string UpstreamErrorMessage(std::string_view body);

 private:
  struct StreamState;
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

}  // namespace gw::providers

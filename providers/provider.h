// The one interface between the gateway and an upstream vendor (hop 5 of the data path): send a
// request to one endpoint and deliver the answer, streamed through a sink or whole. Adapters
// live in providers/<vendor>/ and are listed in providers/registry.cc. One Provider instance per
// worker thread (it uses that worker's UpstreamClient); called on that thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "base/json/json_scan.h"
#include "config/config.h"
#include "dialects/dialect.h"
#include "providers/completion.h"

namespace gw::providers {

// Where a streamed answer goes; implemented by the gateway over the client connection.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  // An SSE comment keep-alive while the upstream has not answered yet. false = client gone.
  virtual boost::asio::awaitable<bool> KeepAlive() = 0;
  // Complete SSE events ("data: ...\n\n"...), already translated. false = client gone.
  virtual boost::asio::awaitable<bool> Events(std::string_view events) = 0;
};

struct ProviderCall {
  const config::ProviderConfig* provider = nullptr;
  const config::EndpointConfig* endpoint = nullptr;
  // The dialect of `body`. An adapter takes the dialects of its family as they are
  // (passthrough) and translates the others through the internal representation
  // (docs/dialects.md); one it cannot serve fails the attempt with Errc::kUnsupported.
  dialects::Dialect inbound = dialects::Dialect::kChatCompletions;
  const std::vector<json::Member>* body = nullptr;  // validated top-level members of the body
  std::string_view raw_body;                        // the whole body they point into
  // Client headers an adapter of the inbound dialect's family forwards on passthrough
  // (anthropic-version, anthropic-beta); views into the client's request.
  std::vector<std::pair<std::string_view, std::string_view>> forward_headers;
  bool stream = false;
  ResponseStamp stamp;
  std::chrono::milliseconds keepalive_interval{0};  // 0: no keep-alives
  std::chrono::steady_clock::time_point start;      // anchors the total timeout
  // The request's own deadline across attempts (routing.total_timeout_ms); max() = none.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

struct ProviderOutcome {
  boost::system::error_code error;  // providers::Errc; empty = the answer was delivered
  int upstream_status = 0;          // the upstream's HTTP status, when it answered
  std::string message;              // what went wrong, naming the provider; no secrets
  std::string upstream_raw;         // the upstream's own error text (truncated), if any
  bool relayed = false;             // answer content reached the sink: no fallback any more
  std::string retry_after;          // the provider's Retry-After on a 429, passed on
  std::string body;                 // non-stream: our rewritten response body
  CompletionFacts facts;            // usage, finish reason, generated size
  std::chrono::steady_clock::duration time_to_first_byte{};
  // Time spent waiting on the provider (connect, send, head, body reads); the rest of the
  // attempt is the gateway's own work.
  std::chrono::steady_clock::duration upstream_wait{};
};

class Provider {
 public:
  virtual ~Provider() = default;
  // Sends `call` upstream. Streams go to `sink` as they arrive; a non-stream answer is returned
  // in ProviderOutcome::body. Never throws.
  virtual boost::asio::awaitable<ProviderOutcome> Complete(ProviderCall call, StreamSink& sink) = 0;
};

}  // namespace gw::providers

// The HTTP/1.1 client every provider adapter uses to reach its upstream: plain or TLS (SNI,
// certificate + hostname verification against the system CA store unless the provider opts
// out), a keep-alive connection pool, and the four timeouts (connect, first byte, idle between
// reads, total). One UpstreamClient per worker thread, used only on that thread: no locks.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "providers/http/pool_stats.h"

namespace boost::asio::ssl {
class context;
}

namespace gw::providers {

struct UpstreamRequest {
  const config::ProviderConfig* provider = nullptr;  // address, TLS, headers, key, timeouts
  std::string target;                                // path + query, e.g. "/v1/chat/completions"
  std::string body;                                  // JSON
  bool expect_event_stream = false;                  // sends Accept: text/event-stream
  // Headers of the adapter's dialect (anthropic-version ...); the provider's configured
  // `headers` override them. The key goes as Authorization: Bearer, or x-api-key (Anthropic).
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, every moment spent waiting on this upstream (connecting, sending, awaiting the
  // head and each body read) is added here: the "time spent on the provider" of the metrics.
  std::chrono::steady_clock::duration* wait_time = nullptr;
  // Caps the provider's total timeout: the request's deadline across all its attempts.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Overrides provider->timeouts.first_byte_ms when non-zero (an endpoint's
  // first_token_timeout_ms).
  uint32_t first_byte_ms = 0;
};

// A response whose head has arrived; the body is read incrementally. Owns its connection: it
// goes back to the pool only if the body was read to the end and the server allows keep-alive.
class UpstreamResponse {
 public:
  virtual ~UpstreamResponse() = default;
  virtual int status() const = 0;
  virtual std::string_view content_type() const = 0;
  virtual std::string_view header(std::string_view name) const = 0;

  // The next piece of the (de-chunked) body. Empty `data` with no error means the body is
  // complete. `data` stays valid until the next call. An error is sticky: every later call
  // returns it again. Deadline: the idle timeout, or the first-token deadline while one is set;
  // both capped by the attempt's total deadline.
  struct Piece {
    boost::system::error_code error;
    std::string_view data;
  };
  virtual boost::asio::awaitable<Piece> ReadSome() = 0;

  // Streams: until the first event arrived, reads wait at most until `deadline` and running
  // past it is Errc::kFirstByteTimeout (a time-to-first-token limit even for servers that send
  // their response head at once). Cleared when the first event arrived.
  virtual void SetFirstTokenDeadline(std::chrono::steady_clock::time_point deadline) = 0;
  virtual void ClearFirstTokenDeadline() = 0;

  // Reads the rest of the body into `out`; fails with kMalformedResponse beyond `limit` bytes.
  virtual boost::asio::awaitable<boost::system::error_code> ReadAll(std::string& out,
                                                                    size_t limit) = 0;
};

class UpstreamClient {
 public:
  // `tls` is shared by all workers (SSL_CTX is safe to share for creating connections).
  // `stats` (may be null) receives the connection gauges of the providers it lists; it must
  // outlive the client.
  UpstreamClient(boost::asio::io_context& io, boost::asio::ssl::context& tls,
                 PoolStatsTable* stats);
  ~UpstreamClient();

  struct Result {
    boost::system::error_code error;             // providers::Errc
    std::string detail;                          // e.g. the OS error text, no secrets
    std::unique_ptr<UpstreamResponse> response;  // set when error is empty
    // When the request was written + timeouts.first_byte_ms: the first byte (and, for streams,
    // the first event) is due by then.
    std::chrono::steady_clock::time_point first_byte_deadline;
  };

  // Connects (or reuses a pooled connection; if a reused one turns out dead, retries once on a
  // fresh connection), sends the request and waits for the final response head (1xx interim
  // responses are skipped). `attempt_start` anchors the total timeout. Cancellation (terminal)
  // ends it with Errc::kCancelled.
  boost::asio::awaitable<Result> Send(UpstreamRequest request,
                                      std::chrono::steady_clock::time_point attempt_start);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The TLS context for upstream connections: system CA store, TLS >= 1.2, peer verification on.
// Throws std::runtime_error if the CA store cannot be loaded.
std::unique_ptr<boost::asio::ssl::context> MakeUpstreamTlsContext();

}  // namespace gw::providers

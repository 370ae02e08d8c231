// The answering side of one HTTP exchange, as a handler sees it. Implemented by the session
// (gateway/server/http_session.cc) over a plain or TLS connection; owned by the session and valid
// only during RequestHandler::Handle. Worker thread only, like everything on a connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/status.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::server {

using HeaderList = std::vector<std::pair<std::string_view, std::string>>;
inline const HeaderList kNoHeaders;

// What a handler learned about a request, beyond what the session knows (method, path, status,
// timing, bytes), for the access log and the metrics. Handlers fill it as they go.
struct RequestLog {
  std::string model;     // the catalogue model that served (or the requested one, if none did)
  std::string provider;  // the provider of the last attempt; empty: none was attempted
  std::string generation_id;
  std::string error;  // short reason for a non-2xx answer
  // Summed over attempts: time spent waiting on providers (providers::ProviderOutcome).
  std::chrono::steady_clock::duration upstream_wait{};
  // Streams: when the first content event was written to the client; epoch = never.
  std::chrono::steady_clock::time_point first_token_at{};
};

// The session's account of one request once its answer ended (or was cut short).
struct FinishedRequest {
  std::string_view method;
  std::string_view target;
  int status = 0;
  bool completed = false;                          // false: the response was cut off
  std::chrono::steady_clock::time_point started;   // first byte of the request
  std::chrono::steady_clock::time_point read;      // the request was read whole (or refused)
  std::chrono::steady_clock::time_point finished;  // last byte of the answer
  size_t bytes_in = 0;
  size_t bytes_out = 0;
  const RequestLog* details = nullptr;
};

class Responder {
 public:
  virtual ~Responder() = default;

  // Sends a whole response. Returns false when the client is gone (the connection is closed).
  // (No default arguments on purpose: GCC 12 mishandles temporaries created inside co_await
  // expressions, so callers pass named objects - see docs/architecture.md.)
  virtual boost::asio::awaitable<bool> Send(boost::beast::http::status status,
                                            std::string_view content_type, std::string body,
                                            const HeaderList& extra_headers) = 0;

  // Starts a streamed 200 response (e.g. text/event-stream): chunked for HTTP/1.1, raw and
  // ended by closing the connection for HTTP/1.0. Then WriteChunk any number of times,
  // then EndStream. Each returns false when the client is gone; the handler should then stop.
  virtual boost::asio::awaitable<bool> BeginStream(std::string_view content_type,
                                                   const HeaderList& extra_headers) = 0;
  virtual boost::asio::awaitable<bool> WriteChunk(std::string_view data) = 0;
  virtual boost::asio::awaitable<bool> EndStream() = 0;

  // True once any byte of the response head was written: no other status can be sent any more.
  virtual bool started() const = 0;

  // Closes the connection without completing the response (the simulator's "disconnect").
  virtual void Abort() = 0;

  RequestLog& log() { return log_; }

 private:
  RequestLog log_;
};

}  // namespace gw::server

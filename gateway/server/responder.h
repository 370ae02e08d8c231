// The answering side of one HTTP exchange, as a handler sees it. Implemented by the session
// (gateway/server/http_session.cc) over a plain or TLS connection; owned by the session and valid
// only during RequestHandler::Handle. Worker thread only, like everything on a connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/status.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gw::server {

using HeaderList = std::vector<std::pair<std::string_view, std::string>>;
inline const HeaderList kNoHeaders;

// What the access log line says about a request beyond method/path/status/latency/bytes.
// Handlers fill it as they learn things.
struct RequestLog {
  std::string model;
  std::string provider;
  std::string generation_id;
  std::string error;  // short reason for a non-2xx answer
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

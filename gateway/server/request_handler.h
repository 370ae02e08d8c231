// The application behind the HTTP server: one instance per worker thread, created by the
// factory the server is given, so per-worker state (upstream pools) needs no locks.
// Handle runs on that worker's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/server/responder.h"

namespace gw::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using RequestHead = boost::beast::http::request_header<>;

// An answer decided from a request's head alone, sent without reading its body.
struct EarlyAnswer {
  boost::beast::http::status status = boost::beast::http::status::bad_request;
  std::string content_type = "application/json";
  std::string body;
  HeaderList headers;
  std::string log_error;  // for the access log
};

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;

  // Called when a request's head has arrived, before any body byte is read and before
  // "100 Continue" is sent. A returned answer is sent instead of reading the body (the
  // connection then closes unless the request has no body), so unknown paths and callers
  // without a valid key cannot make the server buffer a large body. Default: go on.
  virtual std::optional<EarlyAnswer> CheckHead(const RequestHead& /*head*/) { return std::nullopt; }

  // Answers one request through `responder`. Must not throw. If it returns without having
  // answered, the session sends a 500. The request is the handler's to consume: it may move the
  // body out (accounting keeps it for counting) once it no longer reads it.
  virtual boost::asio::awaitable<void> Handle(Request& request, Responder& responder) = 0;

  // Called once per request the session answered or gave up on (early answers and protocol
  // errors included), after the last byte was written. Default: nothing.
  virtual void Finished(const FinishedRequest& /*request*/) {}

  // Called on the worker's thread about every TimerAnchor::kPeriod (250 ms) while the worker
  // runs, between requests: for periodic hand-offs (live endpoint health). Must be quick.
  virtual void Tick() {}
};

// Called once per worker, on the thread that starts the server, before any worker runs.
// `worker_index` is 0-based.
using HandlerFactory =
    std::function<std::unique_ptr<RequestHandler>(boost::asio::io_context& io, int worker_index)>;

}  // namespace gw::server

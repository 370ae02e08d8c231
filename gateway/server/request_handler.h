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

#include "gateway/server/responder.h"

namespace gw::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // Answers one request through `responder`. Must not throw. If it returns without having
  // answered, the session sends a 500.
  virtual boost::asio::awaitable<void> Handle(const Request& request, Responder& responder) = 0;
};

// Called once per worker, on the thread that starts the server, before any worker runs.
// `worker_index` is 0-based.
using HandlerFactory =
    std::function<std::unique_ptr<RequestHandler>(boost::asio::io_context& io, int worker_index)>;

}  // namespace gw::server

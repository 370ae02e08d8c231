// One server worker: an io_context run by one thread, its listener, its RequestHandler and the
// registry of its live connections (for shutdown). Everything here except `io` is touched only
// on the worker's own thread; other threads reach it by posting to `io`.
#pragma once

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <list>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "gateway/server/request_handler.h"
#include "gateway/server/timer_anchor.h"

namespace boost::asio::ssl {
class context;
}

namespace gw::server {

// A connection as the worker's registry sees it.
struct LiveConnection {
  bool busy = false;       // between the first byte of a request and the end of its response
  bool answering = false;  // the current response's head went out (a stream may be under way)
  boost::asio::cancellation_signal cancel;  // emitted (terminal) to end the session
  // The client socket, while the session runs: closed when the grace period is over, so that
  // whatever the session does next (a keep-alive, the next chunk) fails at once.
  boost::asio::ip::tcp::socket* socket = nullptr;
};

struct Worker {
  // Declared first so it is destroyed last: the handler's sockets need its services.
  boost::asio::io_context io{1};
  const config::ServerConfig* config = nullptr;
  std::string service;                       // for log lines
  boost::asio::ssl::context* tls = nullptr;  // null = plain HTTP
  std::unique_ptr<RequestHandler> handler;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::list<LiveConnection> connections;
  TimerAnchor timer_anchor{io};
  bool shutting_down = false;

  // Ends idle sessions now; busy ones finish their response and then close.
  void BeginShutdown();
  // Ends every session now (the grace period is over): a response under way is cut (its socket
  // closed); a request not answered yet is cancelled, so its handler answers 503 and closes.
  void CancelAll();
};

}  // namespace gw::server

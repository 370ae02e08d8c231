// The HTTP/1.1 server: N worker threads, each with its own io_context and its own SO_REUSEPORT
// listener on the same port, optional TLS termination, per-request access log, ordered
// shutdown. Owned by main(); Start/Shutdown are called from the owning thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "config/config.h"
#include "gateway/server/request_handler.h"

namespace gw::server {

class HttpServer {
 public:
  // `service_name` prefixes log lines ("gateway", "gateway-sim").
  HttpServer(config::ServerConfig config, HandlerFactory factory, std::string service_name);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds every worker's listener and starts the worker threads. Throws std::runtime_error with
  // a message naming the address (or the TLS file) when it cannot.
  void Start();

  // The bound port (useful with port 0). Valid after Start.
  uint16_t port() const;
  int worker_count() const;

  // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish for up
  // to `grace`, then stops whatever is left and joins the workers. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);

  // True between Start and the beginning of Shutdown (drives GET /ready).
  bool accepting() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Blocks SIGINT/SIGTERM in the calling thread (call before Start so workers inherit the mask),
// and later waits for one of them. Returns the signal number.
void BlockTerminationSignals();
int WaitForTerminationSignal();

}  // namespace gw::server

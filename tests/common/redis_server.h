// Test fixture part: a real redis-server (Debian's) started as a child process in a scratch
// directory, listening on a Unix socket only (no port to collide with parallel tests). Waits for
// the server's "ready to accept connections" line rather than sleeping; stops it on
// destruction. With `persistent`, the server keeps an append-only file (fsync always), so a
// Restart keeps its data, as a production Redis configured for the gateway does.
#pragma once

#include <memory>
#include <string>

#include "tests/integration/child_process.h"

namespace gw::testing {

class RedisServer {
 public:
  explicit RedisServer(bool persistent = false);
  ~RedisServer();

  // unix:///<scratch>/redis.sock
  std::string url() const { return "unix://" + socket_; }
  const std::string& socket() const { return socket_; }
  // Stops the server (SIGTERM; it is unreachable until Start) and starts it again.
  void Stop();
  void Start();

 private:
  std::string dir_;
  std::string socket_;
  bool persistent_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace gw::testing

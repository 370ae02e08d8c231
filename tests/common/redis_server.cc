#include "tests/common/redis_server.h"

#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace gw::testing {

RedisServer::RedisServer(bool persistent) : persistent_(persistent) {
  // A client writing to a stopped server gets SIGPIPE; the gateway ignores it (http_server.cc),
  // so the test process does too (redis_client.h).
  signal(SIGPIPE, SIG_IGN);
  std::string pattern = (std::filesystem::temp_directory_path() / "gw-redis-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  socket_ = dir_ + "/redis.sock";
  Start();
}

RedisServer::~RedisServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void RedisServer::Start() {
  std::vector<std::string> argv = {"/usr/bin/redis-server",
                                   "--port",
                                   "0",
                                   "--unixsocket",
                                   socket_,
                                   "--dir",
                                   dir_,
                                   "--save",
                                   "",
                                   "--appendonly",
                                   persistent_ ? "yes" : "no"};
  if (persistent_) argv.insert(argv.end(), {"--appendfsync", "always"});
  process_ = std::make_unique<ChildProcess>(argv);
  const auto ready = process_->WaitForLine([](const std::string& line) {
    // "Ready to accept connections" (TCP) or "... now ready to accept connections at <socket>".
    return line.find("eady to accept connections") != std::string::npos;
  });
  if (!ready) throw std::runtime_error("redis-server did not start (is it installed?)");
}

void RedisServer::Stop() {
  if (!process_) return;
  process_->Signal(SIGTERM);
  process_->WaitForExit();
  process_.reset();
}

}  // namespace gw::testing

// Test fixture part: a real PostgreSQL server (Debian's postgresql-15) in a scratch directory,
// listening on a Unix socket only (no port to collide with parallel tests), with a fresh
// cluster made by initdb. Waits for the server's "ready to accept connections" line rather than
// sleeping. PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user
// the Debian package creates. Stopped on destruction.
#pragma once

#include <memory>
#include <string>

#include "tests/integration/child_process.h"

namespace gw::testing {

class PostgresServer {
 public:
  PostgresServer();  // throws when the server cannot be set up or started
  ~PostgresServer();

  // postgresql://gw@/postgres?host=<scratch directory>
  std::string url() const;
  // Stops the server; `crash`: an immediate shutdown (SIGQUIT: no checkpoint, recovery from the
  // WAL at the next start, as after a crash); else a fast shutdown (SIGINT). Unreachable until
  // Start.
  void Stop(bool crash = false);
  void Start();

 private:
  std::string dir_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace gw::testing

#include "tests/common/postgres_server.h"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace gw::testing {
namespace {

constexpr char kBin[] = "/usr/lib/postgresql/15/bin/";

// `argv` run through sh with stderr joined to stdout (the server logs to stderr) and, as root,
// as the postgres user; exec all the way, so the child's pid is the program's.
std::vector<std::string> AsServerUser(const std::vector<std::string>& argv) {
  std::string command = "exec ";
  if (geteuid() == 0) command += "setpriv --reuid=postgres --regid=postgres --init-groups ";
  for (const std::string& arg : argv) command += "'" + arg + "' ";
  command += "2>&1";
  return {"/bin/sh", "-c", command};
}

}  // namespace

PostgresServer::PostgresServer() {
  // A client writing to a stopped server gets SIGPIPE; the gateway ignores it.
  signal(SIGPIPE, SIG_IGN);
  std::string pattern = (std::filesystem::temp_directory_path() / "gw-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  if (geteuid() == 0) {
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) {
      throw std::runtime_error("no postgres user: is postgresql-15 installed?");
    }
    if (chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      throw std::runtime_error("cannot chown " + dir_);
    }
  }
  ChildProcess initdb(AsServerUser({std::string(kBin) + "initdb", "-D", dir_ + "/data", "-U", "gw",
                                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"}));
  const auto status = initdb.WaitForExit(std::chrono::seconds(60));
  if (status != 0) {
    std::string output;
    for (const std::string& line : initdb.Lines()) output += line + "\n";
    throw std::runtime_error("initdb failed (is postgresql-15 installed?):\n" + output);
  }
  Start();
}

PostgresServer::~PostgresServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresServer::url() const { return "postgresql://gw@/postgres?host=" + dir_; }

void PostgresServer::Start() {
  // No TCP; the socket in the scratch directory. fsync off: the tests stop the server, never
  // the machine, and committed data survives a server crash without it.
  process_ = std::make_unique<ChildProcess>(
      AsServerUser({std::string(kBin) + "postgres", "-D", dir_ + "/data", "-k", dir_, "-c",
                    "listen_addresses=", "-c", "fsync=off", "-c", "max_connections=50"}));
  const auto ready = process_->WaitForLine(
      [](const std::string& line) {
        return line.find("ready to accept connections") != std::string::npos;
      },
      std::chrono::seconds(60));
  if (!ready) throw std::runtime_error("postgres did not start in " + dir_);
}

void PostgresServer::Stop(bool crash) {
  if (!process_) return;
  process_->Signal(crash ? SIGQUIT : SIGINT);
  process_->WaitForExit(std::chrono::seconds(60));
  process_.reset();
}

}  // namespace gw::testing

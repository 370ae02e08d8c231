// A child process for integration tests (the real gateway or simulator binary): started with
// its stdout captured line by line by a reader thread, so tests synchronise on what it prints
// (the "listening" line, access-log lines) instead of sleeping. Killed on destruction if it is
// still running (tests normally stop it with SIGTERM and check its exit status).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace gw::testing {

class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`. stderr is inherited (visible in the test log).
  explicit ChildProcess(std::vector<std::string> argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until a stdout line satisfies `match` and returns it; nullopt if the process exits or
  // `limit` passes first (the limit is a safety net against hangs, not a synchronisation).
  std::optional<std::string> WaitForLine(
      const std::function<bool(const std::string&)>& match,
      std::chrono::milliseconds limit = std::chrono::seconds(20));
  std::vector<std::string> Lines() const;

  // The port of its {"event":"listening",...,"port":N} line (waits for it); 0 on failure.
  int WaitForListeningPort();

  // Sends a signal, unless the process has already been reaped.
  void Signal(int signal_number);
  // Waits for the exit and returns the exit status (128+signal if killed); nullopt on timeout.
  std::optional<int> WaitForExit(std::chrono::milliseconds limit = std::chrono::seconds(20));
  int pid() const { return pid_; }

 private:
  void ReadLines(int fd);

  int pid_ = -1;
  std::optional<int> exit_status_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool eof_ = false;
};

// Paths of the binaries under test (set by CMake).
std::string GatewayBinary();
// Runs `gateway <args>` to its end, both output streams captured: {exit status, output}.
std::pair<int, std::string> RunGateway(const std::string& args);
std::string SimulatorBinary();

// Writes `text` to a fresh file in the test's temp directory and returns its path.
std::string WriteTempFile(const std::string& name, const std::string& text);

}  // namespace gw::testing

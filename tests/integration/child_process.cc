#include "tests/integration/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace gw::testing {

ChildProcess::ChildProcess(std::vector<std::string> argv) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  const pid_t parent = getpid();
  // fork + exec rather than posix_spawn, for PR_SET_PDEATHSIG: if the test process dies (a
  // failed assertion aborts it), its children die with it instead of holding ctest's output
  // pipe open until the test's timeout. Between fork and exec only async-signal-safe calls.
  pid_ = fork();
  if (pid_ == 0) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
    if (dup2(pipe_fds[1], STDOUT_FILENO) < 0) _exit(127);
    execve(args[0], args.data(), environ);
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid_ < 0) {
    close(pipe_fds[0]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  reader_ = std::thread([this, fd = pipe_fds[0]] { ReadLines(fd); });
}

ChildProcess::~ChildProcess() {
  if (!exit_status_) {
    kill(pid_, SIGKILL);
    WaitForExit();
  }
  if (reader_.joinable()) reader_.join();
}

void ChildProcess::ReadLines(int fd) {
  std::string pending;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    pending.append(buffer, static_cast<size_t>(n));
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::lock_guard lock(mutex_);
      lines_.push_back(pending.substr(0, newline));
      pending.erase(0, newline + 1);
      changed_.notify_all();
    }
  }
  close(fd);
  std::lock_guard lock(mutex_);
  eof_ = true;
  changed_.notify_all();
}

std::optional<std::string> ChildProcess::WaitForLine(
    const std::function<bool(const std::string&)>& match, std::chrono::milliseconds limit) {
  std::unique_lock lock(mutex_);
  size_t checked = 0;
  std::optional<std::string> found;
  changed_.wait_for(lock, limit, [&] {
    for (; checked < lines_.size(); ++checked) {
      if (match(lines_[checked])) {
        found = lines_[checked];
        return true;
      }
    }
    return eof_;
  });
  return found;
}

std::vector<std::string> ChildProcess::Lines() const {
  std::lock_guard lock(mutex_);
  return lines_;
}

int ChildProcess::WaitForListeningPort() {
  auto line = WaitForLine(
      [](const std::string& l) { return l.find("\"event\":\"listening\"") != std::string::npos; });
  if (!line) return 0;
  const auto at = line->find("\"port\":");
  return at == std::string::npos ? 0 : std::atoi(line->c_str() + at + 7);
}

void ChildProcess::Signal(int signal_number) {
  if (!exit_status_) kill(pid_, signal_number);
}

std::optional<int> ChildProcess::WaitForExit(std::chrono::milliseconds limit) {
  if (exit_status_) return exit_status_;
  // waitpid has no timeout; a helper thread waits and we wait on it with the limit.
  std::atomic<bool> done{false};
  int status = 0;
  std::thread waiter([&] {
    waitpid(pid_, &status, 0);
    std::lock_guard lock(mutex_);
    done = true;
    changed_.notify_all();
  });
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, limit, [&] { return done.load(); });
  }
  if (!done) kill(pid_, SIGKILL);
  waiter.join();
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return done ? exit_status_ : std::nullopt;
}

std::string GatewayBinary() { return GW_GATEWAY_BINARY; }

std::pair<int, std::string> RunGateway(const std::string& args) {
  ChildProcess process({"/bin/sh", "-c", GatewayBinary() + " " + args + " 2>&1"});
  process.WaitForLine([](const std::string&) { return false; });  // until its output ends
  const auto status = process.WaitForExit();
  std::string output;
  for (const auto& line : process.Lines()) output += line + "\n";
  return {status.value_or(-1), output};
}
std::string SimulatorBinary() { return GW_SIMULATOR_BINARY; }

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const char* dir = std::getenv("TMPDIR");
  std::string path =
      std::string(dir ? dir : "/tmp") + "/gw-it-" + std::to_string(getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace gw::testing

#include "gateway/server/log.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace gw::server {
namespace {

void WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // stdout closed: logging must never take the server down
    text.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void LogJsonLine(std::string_view json_object) {
  std::string line;
  line.reserve(json_object.size() + 1);
  line.append(json_object).push_back('\n');
  LogLine(line);
}

void LogLine(std::string_view line_with_newline) { WriteAll(STDOUT_FILENO, line_with_newline); }

void LogError(std::string_view service, std::string_view message) {
  std::string line;
  line.reserve(service.size() + message.size() + 3);
  line.append(service).append(": ").append(message).push_back('\n');
  WriteAll(STDERR_FILENO, line);
}

std::string UtcTimestamp() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count();
  const time_t secs = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace gw::server

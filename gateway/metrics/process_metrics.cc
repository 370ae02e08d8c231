#include "gateway/metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace gw::metrics {
namespace {

// The fields of /proc/self/stat after the command name (which may contain spaces), so that
// fields()[0] is field 3 of proc(5) (state).
std::optional<std::vector<std::string>> ReadStatFields() {
  std::ifstream file("/proc/self/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  const size_t end_of_name = line.rfind(')');
  if (end_of_name == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(end_of_name + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(std::move(field));
  return fields;
}

std::optional<long long> BootTimeSeconds() {
  std::ifstream file("/proc/stat");
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("btime ", 0) == 0) return std::stoll(line.substr(6));
  }
  return std::nullopt;
}

uint64_t CountOpenFds() {
  std::error_code ec;
  uint64_t count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  return count;
}

}  // namespace

void WriteProcessMetrics(PrometheusWriter& out) {
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const long page_size = sysconf(_SC_PAGESIZE);
  // proc(5) numbers: utime 14, stime 15, starttime 22, vsize 23, rss 24 -> indexes 11, 12, 19,
  // 20, 21 of the fields after the name.
  if (const auto fields = ReadStatFields(); fields && fields->size() > 21) {
    const double cpu = (std::stod((*fields)[11]) + std::stod((*fields)[12])) / ticks;
    out.Family("process_cpu_seconds_total", "counter", "User and system CPU time spent, seconds.");
    out.Sample("process_cpu_seconds_total", {}, cpu);
    out.Family("process_resident_memory_bytes", "gauge", "Resident memory size, bytes.");
    out.Sample("process_resident_memory_bytes", {},
               static_cast<int64_t>(std::stoll((*fields)[21]) * page_size));
    out.Family("process_virtual_memory_bytes", "gauge", "Virtual memory size, bytes.");
    out.Sample("process_virtual_memory_bytes", {}, static_cast<int64_t>(std::stoll((*fields)[20])));
    if (const auto boot = BootTimeSeconds()) {
      out.Family("process_start_time_seconds", "gauge",
                 "Start time of the process since the Unix epoch, seconds.");
      out.Sample("process_start_time_seconds", {},
                 static_cast<double>(*boot) + std::stod((*fields)[19]) / ticks);
    }
  }
  out.Family("process_open_fds", "gauge", "Open file descriptors.");
  out.Sample("process_open_fds", {}, CountOpenFds());
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.Family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
    out.Sample("process_max_fds", {}, static_cast<uint64_t>(limit.rlim_cur));
  }
}

}  // namespace gw::metrics

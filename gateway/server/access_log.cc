#include "gateway/server/access_log.h"

#include <cstdio>
#include <string>

#include "base/json/json_writer.h"
#include "gateway/server/log.h"

namespace gw::server {
namespace {

void AppendField(std::string& line, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  line.append(",\"").append(name).append("\":");
  json::AppendJsonString(line, value);
}

void AppendNumber(std::string& line, std::string_view name, unsigned long long value) {
  line.append(",\"").append(name).append("\":").append(std::to_string(value));
}

}  // namespace

void WriteAccessLog(std::string_view service, const FinishedRequest& entry) {
  std::string line;
  line.reserve(256);
  line.append("{\"ts\":\"").append(UtcTimestamp()).append("\"");
  AppendField(line, "service", service);
  AppendField(line, "method", entry.method);
  AppendField(line, "path", entry.target);
  AppendNumber(line, "status", static_cast<unsigned long long>(entry.status));
  line.append(",\"completed\":").append(entry.completed ? "true" : "false");
  char latency[32];
  std::snprintf(latency, sizeof latency, "%.3f",
                std::chrono::duration<double, std::milli>(entry.finished - entry.started).count());
  line.append(",\"latency_ms\":").append(latency);
  AppendNumber(line, "bytes_in", entry.bytes_in);
  AppendNumber(line, "bytes_out", entry.bytes_out);
  if (entry.details != nullptr) {
    AppendField(line, "model", entry.details->model);
    AppendField(line, "provider", entry.details->provider);
    AppendField(line, "generation_id", entry.details->generation_id);
    AppendField(line, "error", entry.details->error);
  }
  line.append("}\n");
  LogLine(line);
}

}  // namespace gw::server

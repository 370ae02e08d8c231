// Process log output: one JSON object per line on stdout (access log, lifecycle events) and
// plain lines on stderr (problems). Each line is written with a single write(2), so lines from
// different threads never interleave and nothing is buffered in the process. Any thread.
#pragma once

#include <string>
#include <string_view>

namespace gw::server {

// Writes `json_object` (without newline) plus '\n' to stdout.
void LogJsonLine(std::string_view json_object);

// Writes "<service>: <message>\n" to stderr. Messages must never contain secrets.
void LogError(std::string_view service, std::string_view message);

// Current UTC time as "2026-11-22T10:15:30.123Z".
std::string UtcTimestamp();

}  // namespace gw::server

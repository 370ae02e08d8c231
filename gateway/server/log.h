// Process log output: one JSON object per line on stdout (access log, lifecycle events) and
// plain lines on stderr (problems). Each line is written with a single write(2), so lines from
// different threads never interleave and nothing is buffered in the process. Any thread.
#pragma once

#include <string>
#include <string_view>

namespace gw::server {

// Writes `json_object` (without newline) plus '\n' to stdout. Copies it once to add the '\n'.
void LogJsonLine(std::string_view json_object);

// Writes `line_with_newline` (a whole line, its '\n' included) to stdout as it is: for hot
// callers (the access log) that build the line with its newline and so avoid that copy.
void LogLine(std::string_view line_with_newline);

// Writes "<service>: <message>\n" to stderr. Messages must never contain secrets.
void LogError(std::string_view service, std::string_view message);

// Current UTC time as "2026-11-22T10:15:30.123Z".
std::string UtcTimestamp();

}  // namespace gw::server

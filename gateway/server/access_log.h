// The structured access log: one JSON line per answered request on stdout. Written by the
// session when a request ends; any worker thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <string_view>

#include "gateway/server/responder.h"

namespace gw::server {

struct AccessLogEntry {
  std::string_view service;
  std::string_view method;
  std::string_view target;
  int status = 0;
  bool completed = false;  // false: the response was cut (client gone, aborted)
  std::chrono::steady_clock::duration latency{};
  size_t bytes_in = 0;
  size_t bytes_out = 0;
  const RequestLog* details = nullptr;  // model, provider, generation id, error
};

// {"ts":"...","service":"gateway","method":"POST","path":"/v1/chat/completions","status":200,
//  "completed":true,"latency_ms":1.234,"bytes_in":312,"bytes_out":845,"model":"...",
//  "provider":"...","generation_id":"gen-...","error":"..."} (empty details are omitted)
void WriteAccessLog(const AccessLogEntry& entry);

}  // namespace gw::server

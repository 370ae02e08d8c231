// The structured access log: one JSON line per answered request on stdout. Written by the
// session when a request ends; any worker thread.
#pragma once

#include <string_view>

#include "gateway/server/responder.h"

namespace gw::server {

// {"ts":"...","service":"gateway","method":"POST","path":"/v1/chat/completions","status":200,
//  "completed":true,"latency_ms":1.234,"bytes_in":312,"bytes_out":845,"model":"...",
//  "provider":"...","generation_id":"gen-...","error":"..."} (empty details are omitted)
void WriteAccessLog(std::string_view service, const FinishedRequest& request);

}  // namespace gw::server

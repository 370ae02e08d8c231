// Reading the events an adapter hands to a stream sink: complete SSE events, each ending with a
// blank line ("data: <payload>\n\n" from the chat rewriter). The gateway's translating sinks
// take the payloads one by one. Pure; any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace gw::api {

// The next `data:` payload of `events` from byte `at` on (events without a data line are
// skipped); advances `at` past it. False when there is none left.
inline bool NextDataPayload(std::string_view events, size_t& at, std::string_view& payload) {
  constexpr std::string_view kData = "data: ";
  while (at < events.size()) {
    size_t end = events.find("\n\n", at);
    if (end == std::string_view::npos) end = events.size();
    std::string_view event = events.substr(at, end - at);
    at = end + 2;
    if (!event.starts_with(kData)) continue;
    payload = event.substr(kData.size());
    return true;
  }
  return false;
}

}  // namespace gw::api

// Invariant checks of the fuzz targets: a violated one prints what was expected and aborts, which
// libFuzzer reports as a crash (with the input saved). Independent of NDEBUG.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)

namespace gw::fuzz {

// The input as text.
inline std::string_view AsText(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace gw::fuzz

#include "base/json/json_scan.h"

namespace gw::fuzz {

// Checks events the gateway writes to a client: each "[event: <name>\n]data: <payload>\n\n",
// the payload valid JSON (or the chat stream's final "[DONE]").
inline void CheckEventStream(std::string_view events) {
  while (!events.empty()) {
    const size_t end = events.find("\n\n");
    FUZZ_CHECK(end != std::string_view::npos);
    std::string_view event = events.substr(0, end);
    events.remove_prefix(end + 2);
    if (event.starts_with("event: ")) {
      const size_t line_end = event.find('\n');
      FUZZ_CHECK(line_end != std::string_view::npos);
      event.remove_prefix(line_end + 1);
    }
    FUZZ_CHECK(event.starts_with("data: "));
    event.remove_prefix(6);
    FUZZ_CHECK(event == "[DONE]" || !gw::json::Validate(event));
  }
}

}  // namespace gw::fuzz

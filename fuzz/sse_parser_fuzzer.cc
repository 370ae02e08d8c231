// providers/sse_parser: an upstream's event stream, bytes in, `data` payloads out.
// Input: byte 0 sets the event size limit, byte 1 the size of the pieces the stream arrives in,
// the rest is the stream. Invariants: the payloads do not depend on how the stream is split (a
// split stream may fail earlier, see below); the parser never reports more bytes than it was
// fed, never a payload over the limit or with a line break, and never holds more than the limit.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "providers/sse_parser.h"

namespace {

struct Run {
  std::vector<std::string> payloads;
  bool ok = true;
};

Run Parse(std::string_view stream, size_t piece_size, size_t max_event_bytes) {
  gw::providers::SseParser parser(max_event_bytes);
  Run run;
  size_t fed = 0;
  size_t reported = 0;
  const auto on_data = [&](std::string_view payload) {
    FUZZ_CHECK(payload.size() <= max_event_bytes);
    // Relayed on one `data:` line: a payload never holds a line break.
    FUZZ_CHECK(payload.find_first_of("\r\n") == std::string_view::npos);
    reported += payload.size();
    FUZZ_CHECK(reported <= fed);
    run.payloads.emplace_back(payload);
  };
  for (size_t at = 0; at < stream.size() && run.ok; at += piece_size) {
    const std::string_view piece = stream.substr(at, piece_size);
    fed += piece.size();
    run.ok = parser.Feed(piece, on_data);
    if (run.ok) FUZZ_CHECK(parser.buffered() <= max_event_bytes);
  }
  if (run.ok) run.ok = parser.Finish(on_data);
  return run;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t max_event_bytes = 1 + size_t{data[0]} * 8;  // 1..2041: the limit is reachable
  const size_t piece_size = 1 + data[1] % 64;
  const std::string_view stream = gw::fuzz::AsText(data + 2, size - 2);

  const Run whole = Parse(stream, stream.size() + 1, max_event_bytes);
  const Run pieces = Parse(stream, piece_size, max_event_bytes);
  // The limit counts a partial line held between Feed calls (any field, comments too), which
  // only a split stream has: pieces may fail where the whole stream passes, never the reverse,
  // and up to the failure they deliver the same payloads.
  if (!whole.ok) FUZZ_CHECK(!pieces.ok);
  if (pieces.ok) FUZZ_CHECK(whole.payloads == pieces.payloads);
  if (whole.ok && !pieces.ok) {
    FUZZ_CHECK(pieces.payloads.size() <= whole.payloads.size());
    FUZZ_CHECK(std::equal(pieces.payloads.begin(), pieces.payloads.end(), whole.payloads.begin()));
  }
  return 0;
}

// Incremental Server-Sent Events decoder for upstream streams: bytes in, `data` payloads out.
// Owned by one upstream stream (one per attempt); not thread-safe, used on that stream's worker.
// Handles fragments split anywhere (even inside "\r\n"), \n / \r\n / \r line endings, comments
// (": PROCESSING" keep-alives) and non-data fields, per the WHATWG event-stream grammar.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gw::providers {

class SseParser {
 public:
  static constexpr size_t kDefaultMaxEventBytes = size_t{8} << 20;  // 8 MiB

  explicit SseParser(size_t max_event_bytes = kDefaultMaxEventBytes)
      : max_event_bytes_(max_event_bytes) {}

  // Consumes the next bytes of the stream and calls on_data(std::string_view payload) for each
  // event that ends (at a blank line) and had at least one `data` line: the data lines joined
  // with ' ' (not the spec's '\n': the payload is relayed on one `data:` line, see Feed's .cc),
  // one space after "data:" stripped. The payload view is valid only during the call.
  // Returns false, now and on every later call, once an event (its data plus any partial line)
  // exceeds max_event_bytes: the caller treats the upstream as malformed.
  // An event that lies whole inside `bytes` with one data line is passed without copying.
  template <class OnData>
  bool Feed(std::string_view bytes, OnData&& on_data);

  // At the end of the stream: treats a partial last line as complete and delivers an event that
  // was not closed by a blank line (lenient: the standard drops it, but some upstreams end with
  // "data: [DONE]\n" and close). Returns false if the parser had failed.
  template <class OnData>
  bool Finish(OnData&& on_data);

  // Bytes held for the unfinished event: its partial line plus data lines already seen.
  size_t buffered() const { return line_.size() + (has_pending_ ? pending_.size() : data_.size()); }

 private:
  // The first '\r' or '\n' in [p, end), or end. *lf caches the next '\n' across calls, so a
  // stream using bare '\r' endings is not rescanned to its end for every line.
  static const char* FindLineEnd(const char* p, const char* end, const char** lf);
  // The byte after the terminator at line_end; a '\r' that ends the bytes sets skip_lf_.
  const char* SkipTerminator(const char* line_end, const char* end);
  // Takes one complete line (without its terminator). `stable` means it points into the bytes of
  // the current Feed call rather than into line_. Returns false if the event grew too large.
  bool TakeLine(std::string_view line, bool stable);
  // True when an event is complete: a blank line after at least one data line.
  bool EventReady(std::string_view line) const { return line.empty() && has_data_; }
  std::string_view EventPayload() const { return has_pending_ ? pending_ : data_; }
  void ClearEvent();
  // Copies a pending zero-copy payload into data_ before the Feed bytes it points to go away.
  void SavePending();
  bool Fail();

  size_t max_event_bytes_;
  std::string line_;          // partial line carried over from the previous Feed
  std::string data_;          // data lines of the current event, when copied
  std::string_view pending_;  // the current event's only data line, still inside Feed's bytes
  bool has_pending_ = false;
  bool has_data_ = false;  // the current event has at least one data line
  bool skip_lf_ = false;   // the last Feed ended with '\r': a leading '\n' completes "\r\n"
  bool failed_ = false;
};

template <class OnData>
bool SseParser::Feed(std::string_view bytes, OnData&& on_data) {
  if (failed_) return false;
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  if (skip_lf_ && p < end) {
    if (*p == '\n') ++p;
    skip_lf_ = false;
  }
  const char* lf = p;  // the next '\n' at or after p (end if none), found lazily
  while (p < end) {
    const char* line_end = FindLineEnd(p, end, &lf);
    if (line_end == end) {
      if (buffered() + (end - p) > max_event_bytes_) return Fail();
      line_.append(p, end);
      break;
    }
    const bool stable = line_.empty();
    std::string_view line(p, line_end - p);
    if (!stable) line = line_.append(line);
    p = SkipTerminator(line_end, end);
    if (EventReady(line)) {
      on_data(EventPayload());
      ClearEvent();
    } else if (!TakeLine(line, stable)) {
      return Fail();
    }
    line_.clear();
  }
  SavePending();
  return true;
}

template <class OnData>
bool SseParser::Finish(OnData&& on_data) {
  if (failed_) return false;
  if (!line_.empty()) {
    const std::string last = std::move(line_);
    line_.clear();
    if (!TakeLine(last, false)) return Fail();
  }
  if (has_data_) on_data(EventPayload());
  ClearEvent();
  skip_lf_ = false;
  return true;
}

}  // namespace gw::providers

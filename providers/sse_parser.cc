#include "providers/sse_parser.h"

#include <cstring>

namespace gw::providers {

const char* SseParser::FindLineEnd(const char* p, const char* end, const char** lf) {
  if (*lf <= p) {
    const void* found = std::memchr(p, '\n', end - p);
    *lf = found != nullptr ? static_cast<const char*>(found) : end;
  }
  const void* cr = std::memchr(p, '\r', *lf - p);
  return cr != nullptr ? static_cast<const char*>(cr) : *lf;
}

const char* SseParser::SkipTerminator(const char* line_end, const char* end) {
  const char* p = line_end + 1;
  if (*line_end == '\r') {
    if (p == end) {
      skip_lf_ = true;
    } else if (*p == '\n') {
      ++p;
    }
  }
  return p;
}

bool SseParser::TakeLine(std::string_view line, bool stable) {
  if (line.empty() || line.front() == ':') return true;  // stray blank line, or a comment
  const size_t colon = line.find(':');
  if (line.substr(0, colon) != "data") return true;  // event:, id:, retry:, unknown fields
  std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (!has_data_ && stable) {
    pending_ = value;
    has_pending_ = true;
  } else {
    SavePending();
    // A space, not the '\n' of the SSE spec: every payload is re-framed as one `data:` line
    // (a line break would end the event early), and payloads are JSON, where a line break is
    // whitespace outside strings and invalid inside them.
    if (has_data_) data_ += ' ';
    data_ += value;
  }
  has_data_ = true;
  return EventPayload().size() <= max_event_bytes_;
}

void SseParser::ClearEvent() {
  data_.clear();
  pending_ = {};
  has_pending_ = false;
  has_data_ = false;
}

void SseParser::SavePending() {
  if (!has_pending_) return;
  data_.assign(pending_);
  pending_ = {};
  has_pending_ = false;
}

bool SseParser::Fail() {
  failed_ = true;
  ClearEvent();
  line_.clear();
  return false;
}

}  // namespace gw::providers

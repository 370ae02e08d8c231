#include "providers/openai/sse_parser.h"

namespace gw::providers::openai {

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
    if (has_data_) data_ += '\n';
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

}  // namespace gw::providers::openai

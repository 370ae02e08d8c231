// String escaping with the same SWAR lane test as the scanner: runs of bytes that need no escape
// are found 8 bytes at a time and appended in one call.
#include "providers/json/json_writer.h"

#include "providers/json/json_internal.h"

namespace gw::providers::json {
namespace {

// First byte in [p, end) that must be escaped, or end.
const char* FindEscapeNeeded(const char* p, const char* end) {
  while (end - p >= 8) {
    const uint64_t lanes = internal::EscapeNeededLanes(internal::Load8(p));
    if (lanes != 0) return p + internal::FirstLane(lanes);
    p += 8;
  }
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20) return p;
    ++p;
  }
  return end;
}

void AppendEscaped(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(escape, sizeof escape);
    }
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view utf8) {
  out.reserve(out.size() + utf8.size() + 2);
  out += '"';
  const char* p = utf8.data();
  const char* end = p + utf8.size();
  while (p < end) {
    const char* special = FindEscapeNeeded(p, end);
    out.append(p, special);
    if (special == end) break;
    AppendEscaped(out, static_cast<unsigned char>(*special));
    p = special + 1;
  }
  out += '"';
}

}  // namespace gw::providers::json

// String escaping with the same SWAR lane test as the scanner: runs of ASCII bytes that need no
// escape are found 8 bytes at a time and appended in one call; UTF-8 sequences are checked.
#include "base/json/json_writer.h"

#include "base/json/json_internal.h"

namespace gw::json {
namespace {

// First byte in [p, end) that must be escaped or is not ASCII, or end.
const char* FindSpecial(const char* p, const char* end) {
  while (end - p >= 8) {
    const uint64_t lanes = internal::StringSpecialLanes(internal::Load8(p));
    if (lanes != 0) return p + internal::FirstLane(lanes);
    p += 8;
  }
  while (p < end) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return p;
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

void AppendJsonString(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const char* special = FindSpecial(p, end);
    out.append(p, special);
    if (special == end) break;
    const auto c = static_cast<unsigned char>(*special);
    if (c < 0x80) {
      AppendEscaped(out, c);
      p = special + 1;
      continue;
    }
    const auto* u = reinterpret_cast<const unsigned char*>(special);
    const int length = internal::Utf8SequenceLength(u, reinterpret_cast<const unsigned char*>(end));
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      p = special + 1;
    } else {
      out.append(special, static_cast<size_t>(length));
      p = special + length;
    }
  }
  out += '"';
}

}  // namespace gw::json

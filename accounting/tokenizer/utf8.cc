#include "accounting/tokenizer/utf8.h"

#include <cstring>

namespace gw::accounting::tokenizer {
namespace {

// Examines the sequence starting at p[0] (p < end). Returns its length if it is well formed;
// otherwise returns 0 and sets `subpart` to the length of its maximal ill-formed subpart (>= 1):
// the lead byte plus the continuation bytes that were valid so far (WHATWG "bytes seen").
int CheckSequence(const unsigned char* p, const unsigned char* end, int& subpart) {
  const unsigned char b0 = p[0];
  int needed;
  unsigned char lower = 0x80, upper = 0xBF;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    needed = 1;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    needed = 2;
    if (b0 == 0xE0) lower = 0xA0;  // overlong
    if (b0 == 0xED) upper = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    needed = 3;
    if (b0 == 0xF0) lower = 0x90;  // overlong
    if (b0 == 0xF4) upper = 0x8F;  // above U+10FFFF
  } else {
    subpart = 1;  // C0, C1, F5..FF or a stray continuation byte
    return 0;
  }
  for (int i = 1; i <= needed; ++i) {
    if (p + i >= end || p[i] < lower || p[i] > upper) {
      subpart = i;
      return 0;
    }
    lower = 0x80;
    upper = 0xBF;
  }
  return needed + 1;
}

// Loads 8 bytes; the ASCII fast path tests them at once.
std::uint64_t Load64(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

}  // namespace

std::size_t FindInvalidUtf8(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = begin + text.size();
  const unsigned char* p = begin;
  while (p < end) {
    if (end - p >= 8 && (Load64(p) & 0x8080808080808080ull) == 0) {
      p += 8;
      continue;
    }
    int subpart = 0;
    const int length = CheckSequence(p, end, subpart);
    if (length == 0) return static_cast<std::size_t>(p - begin);
    p += length;
  }
  return std::string_view::npos;
}

std::string ReplaceInvalidUtf8(std::string_view text) {
  static constexpr char kReplacement[] = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char* end = p + text.size();
  while (p < end) {
    int subpart = 0;
    const int length = CheckSequence(p, end, subpart);
    if (length > 0) {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(length));
      p += length;
    } else {
      out.append(kReplacement, 3);
      p += subpart;
    }
  }
  return out;
}

}  // namespace gw::accounting::tokenizer

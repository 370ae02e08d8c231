// Byte-level building blocks shared by the JSON scanner, walkers and writer: 8-byte SWAR lane
// tests, escape decoding and UTF-8 sequence checks. Internal to base/json (not for other
// modules); pure inline functions, any thread.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace gw::json::internal {

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighs = 0x8080808080808080ULL;

// Eight bytes as a little-endian word, so that lane i is byte p[i] on every host.
inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// Lane masks: the high bit of a lane is set for each flagged byte. A borrow can only flag lanes
// ABOVE a truly flagged one, so the lowest set bit is exact (use FirstLane); "any" is exact too.

// Bytes that end a plain run inside a string being validated: '"', '\\', < 0x20, >= 0x80.
inline uint64_t StringSpecialLanes(uint64_t v) {
  const uint64_t quote = (v ^ (kOnes * '"')) - kOnes;
  const uint64_t slash = (v ^ (kOnes * '\\')) - kOnes;
  const uint64_t control = v - kOnes * 0x20;
  return (quote | slash | control | v) & kHighs;
}

// Bytes that must be escaped when writing a string: '"', '\\', < 0x20 (bytes >= 0x80 are not).
inline uint64_t EscapeNeededLanes(uint64_t v) {
  const uint64_t quote = (v ^ (kOnes * '"')) - kOnes;
  const uint64_t slash = (v ^ (kOnes * '\\')) - kOnes;
  const uint64_t control = v - kOnes * 0x20;
  return (quote | slash | control) & ~v & kHighs;
}

// Index of the first flagged lane of a non-zero mask.
inline int FirstLane(uint64_t mask) { return std::countr_zero(mask) >> 3; }

inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

enum class EscapeStatus : uint8_t { kOk, kTruncated, kBadEscape, kBadHex, kUnpairedSurrogate };

// Reads the four hex digits of a \u escape at p: the value, or kHexBad / kHexTruncated.
inline constexpr int32_t kHexBad = -1;
inline constexpr int32_t kHexTruncated = -2;
inline int32_t Hex4(const char* p, const char* end) {
  int32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    if (end - p <= i) return kHexTruncated;
    const int digit = HexValue(p[i]);
    if (digit < 0) return kHexBad;
    value = value * 16 + digit;
  }
  return value;
}

// What a one-letter escape (\n, \", ...) stands for, by its letter; 0 for the others.
constexpr std::array<char, 256> MakeShortEscapes() {
  std::array<char, 256> table{};
  table['"'] = '"';
  table['\\'] = '\\';
  table['/'] = '/';
  table['b'] = '\b';
  table['f'] = '\f';
  table['n'] = '\n';
  table['r'] = '\r';
  table['t'] = '\t';
  return table;
}
inline constexpr std::array<char, 256> kShortEscapes = MakeShortEscapes();

// Decodes the \u escape at s (a surrogate pair, two escapes, as one code point); sets *p past it,
// or on kBadHex to the escape holding the bad digit.
inline EscapeStatus ParseUnicodeEscape(const char* s, const char** p, const char* end,
                                       uint32_t* code_point) {
  const int32_t unit = Hex4(s + 2, end);
  if (unit == kHexTruncated) return EscapeStatus::kTruncated;
  if (unit == kHexBad) return EscapeStatus::kBadHex;
  if (unit >= 0xDC00 && unit <= 0xDFFF) return EscapeStatus::kUnpairedSurrogate;
  if (unit < 0xD800 || unit > 0xDBFF) {
    *code_point = static_cast<uint32_t>(unit);
    *p = s + 6;
    return EscapeStatus::kOk;
  }
  if (end - s < 8 || s[6] != '\\' || s[7] != 'u') return EscapeStatus::kUnpairedSurrogate;
  const int32_t low = Hex4(s + 8, end);
  if (low == kHexTruncated) return EscapeStatus::kTruncated;
  if (low == kHexBad) {
    *p = s + 6;
    return EscapeStatus::kBadHex;
  }
  if (low < 0xDC00 || low > 0xDFFF) return EscapeStatus::kUnpairedSurrogate;
  *code_point = 0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) +
                (static_cast<uint32_t>(low) - 0xDC00);
  *p = s + 12;
  return EscapeStatus::kOk;
}

// Decodes the escape at *p (which is '\\') into a code point and advances *p past it. On error
// *p is left at the escape, except for kBadHex in the second half of a surrogate pair.
inline EscapeStatus ParseEscape(const char** p, const char* end, uint32_t* code_point) {
  const char* s = *p;
  if (end - s < 2) return EscapeStatus::kTruncated;
  if (s[1] == 'u') return ParseUnicodeEscape(s, p, end, code_point);
  const char decoded = kShortEscapes[static_cast<unsigned char>(s[1])];
  if (decoded == 0) return EscapeStatus::kBadEscape;
  *code_point = static_cast<unsigned char>(decoded);
  *p = s + 2;
  return EscapeStatus::kOk;
}

inline bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the well-formed UTF-8 sequence (Unicode Table 3-7) starting with the non-ASCII byte
// at p, or 0 if it is ill-formed or truncated by `end`.
inline int Utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  const unsigned char lead = p[0];
  const std::ptrdiff_t available = end - p;
  if (lead < 0xC2) return 0;  // stray continuation byte, or overlong 0xC0/0xC1
  if (lead < 0xE0) return available >= 2 && IsContinuation(p[1]) ? 2 : 0;
  if (lead < 0xF0) {
    if (available < 3) return 0;
    const unsigned char lo = lead == 0xE0 ? 0xA0 : 0x80;  // E0 80..9F would be overlong
    const unsigned char hi = lead == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
    return p[1] >= lo && p[1] <= hi && IsContinuation(p[2]) ? 3 : 0;
  }
  if (lead < 0xF5) {
    if (available < 4) return 0;
    const unsigned char lo = lead == 0xF0 ? 0x90 : 0x80;  // F0 80..8F would be overlong
    const unsigned char hi = lead == 0xF4 ? 0x8F : 0xBF;  // F4 90.. would exceed U+10FFFF
    return p[1] >= lo && p[1] <= hi && IsContinuation(p[2]) && IsContinuation(p[3]) ? 4 : 0;
  }
  return 0;
}

}  // namespace gw::json::internal

// UTF-8 helpers for the tokenizer: validation, the replacement of ill-formed sequences (as the
// WHATWG TextDecoder does it) and decoding of code points from well-formed text. Pure functions;
// any thread may call them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gw::accounting::tokenizer {

// The byte offset of the first ill-formed UTF-8 sequence in `text`, or npos if it is well formed.
// Well formed means: no overlong forms, no surrogates (ED A0..BF), nothing above U+10FFFF and no
// truncated sequence at the end.
std::size_t FindInvalidUtf8(std::string_view text);

// `text` with every maximal ill-formed subpart replaced by U+FFFD (EF BF BD): the "maximal
// subpart" practice of Unicode chapter 3 and the WHATWG Encoding standard, so the result equals
// TextEncoder.encode(new TextDecoder().decode(bytes)) in JavaScript. E.g. "a\xE4\xB8" -> "a\uFFFD"
// (one replacement for the truncated 3-byte sequence), "\xC0\xAF" -> "\uFFFD\uFFFD".
std::string ReplaceInvalidUtf8(std::string_view text);

// The code point at `p`, which must start a well-formed sequence (e.g. after FindInvalidUtf8
// returned npos); sets `length` to its byte length (1-4).
inline char32_t DecodeUtf8(const unsigned char* p, int& length) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) {
    length = 1;
    return b0;
  }
  if (b0 < 0xE0) {
    length = 2;
    return (char32_t{b0 & 0x1Fu} << 6) | (p[1] & 0x3Fu);
  }
  if (b0 < 0xF0) {
    length = 3;
    return (char32_t{b0 & 0x0Fu} << 12) | (char32_t{p[1] & 0x3Fu} << 6) | (p[2] & 0x3Fu);
  }
  length = 4;
  return (char32_t{b0 & 0x07u} << 18) | (char32_t{p[1] & 0x3Fu} << 12) |
         (char32_t{p[2] & 0x3Fu} << 6) | (p[3] & 0x3Fu);
}

}  // namespace gw::accounting::tokenizer

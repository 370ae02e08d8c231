// UTF-8 code points: decoding one well-formed sequence and encoding one scalar value. Used by
// the JSON walkers (escapes to UTF-8) and the insights' word scanners. Pure; any thread.
#pragma once

#include <string_view>

namespace gw::text {

// Decodes the UTF-8 sequence that starts `text` into *cp and returns its length (1-4), or 0 when
// it is not well formed (a stray continuation byte, an overlong form, a surrogate, a value above
// U+10FFFF, a truncated sequence) or `text` is empty.
inline int DecodeUtf8(std::string_view text, char32_t* cp) {
  if (text.empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto continuation = [&](size_t i) { return i < text.size() && (p[i] & 0xC0) == 0x80; };
  const unsigned char lead = p[0];
  if (lead < 0x80) return *cp = lead, 1;
  if (lead >= 0xC2 && lead < 0xE0) {
    if (!continuation(1)) return 0;
    return *cp = (lead & 0x1Fu) << 6 | (p[1] & 0x3Fu), 2;
  }
  if (lead >= 0xE0 && lead < 0xF0) {
    if (!continuation(1) || !continuation(2)) return 0;
    const char32_t value = (lead & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
    if (value < 0x800 || (value >= 0xD800 && value <= 0xDFFF)) return 0;
    return *cp = value, 3;
  }
  if (lead >= 0xF0 && lead < 0xF5) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    const char32_t value =
        (lead & 0x07u) << 18 | (p[1] & 0x3Fu) << 12 | (p[2] & 0x3Fu) << 6 | (p[3] & 0x3Fu);
    if (value < 0x10000 || value > 0x10FFFF) return 0;
    return *cp = value, 4;
  }
  return 0;
}

// Writes the UTF-8 form of a scalar value (below U+110000, not a surrogate) to `out` (char or
// char8_t, which aliases nothing else), which has room for 4 bytes; returns its size.
template <class Char>
inline int EncodeUtf8(char32_t cp, Char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<Char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<Char>(0xC0 | (cp >> 6));
    out[1] = static_cast<Char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<Char>(0xE0 | (cp >> 12));
    out[1] = static_cast<Char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<Char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<Char>(0xF0 | (cp >> 18));
  out[1] = static_cast<Char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<Char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<Char>(0x80 | (cp & 0x3F));
  return 4;
}

}  // namespace gw::text

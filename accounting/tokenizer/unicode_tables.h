// The Unicode character classes of the cl100k_base / o200k_base pre-tokenization regexes, as
// Node's RegExp (`u` flag) defines them: letters by case, marks, numbers and \s. Any thread may
// use CharClasses::Get() and its lookups.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace gw::accounting::tokenizer {

// Bits of a code point's class; a code point has at most one letter bit, and a letter has no
// other bit. 0 means none of them (punctuation, symbols, controls, unassigned, surrogates).
enum CharClass : std::uint8_t {
  kUpper = 1,        // \p{Lu} | \p{Lt}
  kLower = 2,        // \p{Ll}
  kOtherLetter = 4,  // \p{Lm} | \p{Lo}
  kMark = 8,         // \p{M}
  kNumber = 16,      // \p{N}
  kSpace = 32,       // \s (JavaScript's: WhiteSpace + LineTerminator, includes U+FEFF)
};
inline constexpr std::uint8_t kLetter = kUpper | kLower | kOtherLetter;  // \p{L}

// An inclusive code point range whose code points all have class `classes`.
struct UnicodeRange {
  char32_t first;
  char32_t last;
  std::uint8_t classes;
};

// Generated (unicode_ranges.generated.cc): sorted, disjoint; code points not covered have class 0.
extern const UnicodeRange kUnicodeRanges[];
extern const std::size_t kUnicodeRangeCount;

// The class of every code point: a two-stage table (128 code points per block, equal blocks
// shared). Get() builds it on first use (< 5 ms, thread-safe); it is immutable afterwards.
class CharClasses {
 public:
  static const CharClasses& Get();

  // The class bits of code point `cp` (<= 0x10FFFF).
  std::uint8_t Of(char32_t cp) const {
    if (cp < kBlockSize) return classes_[cp];  // block 0 is stored first
    return classes_[(std::size_t{block_of_[cp >> kBlockBits]} << kBlockBits) |
                    (cp & (kBlockSize - 1))];
  }

 private:
  static constexpr int kBlockBits = 7;
  static constexpr char32_t kBlockSize = char32_t{1} << kBlockBits;

  CharClasses();

  std::vector<std::uint16_t> block_of_;  // (cp >> kBlockBits) -> block number
  std::vector<std::uint8_t> classes_;    // block number * kBlockSize + low bits -> class bits
};

}  // namespace gw::accounting::tokenizer

// Pre-tokenization: splits text into the pieces that tiktoken's regex for an encoding matches,
// by a hand-written scanner over code points (no regex library). The pieces are then
// byte-pair encoded one by one. Immutable after construction; any thread may use it.
//
// cl100k_base (js-tiktoken's pattern; the contractions are spelled out, no `(?i)`):
//   's|'t|'re|'ve|'m|'ll|'d (any case)  |  [^\r\n\p{L}\p{N}]?\p{L}+  |  \p{N}{1,3}
//   |  ' '?[^\s\p{L}\p{N}]+[\r\n]*  |  \s*[\r\n]+  |  \s+(?!\S)  |  \s+
// o200k_base:
//   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(contraction)?
//   |  [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(contraction)?
//   |  \p{N}{1,3}  |  ' '?[^\s\p{L}\p{N}]+[\r\n/]*  |  \s*[\r\n]+  |  \s+(?!\S)  |  \s+
// The scanner returns what a backtracking engine (JavaScript's) returns: the first alternative
// that matches at the position, each quantifier's longest choice that lets the rest match.
// docs/tokenizer.md walks through how each alternative is resolved.
#pragma once

#include <cstddef>
#include <string_view>

#include "accounting/tokenizer/encoding.h"
#include "accounting/tokenizer/unicode_tables.h"

namespace gw::accounting::tokenizer {

class Pretokenizer {
 public:
  explicit Pretokenizer(Encoding encoding) : encoding_(encoding), classes_(CharClasses::Get()) {}

  // The end (exclusive byte offset) of the piece that starts at `pos` < text.size(). `text` must
  // be well-formed UTF-8 (see utf8.h). Scanning restarts at `text`'s start and stops at its end,
  // as the regex does on the substring it is given.
  std::size_t PieceEnd(std::string_view text, std::size_t pos) const;

  // Calls `on_piece(std::string_view)` for each piece of well-formed `text`, in order. The pieces
  // are non-empty and concatenate to `text`.
  template <typename OnPiece>
  void ForEachPiece(std::string_view text, OnPiece&& on_piece) const {
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t end = PieceEnd(text, pos);
      on_piece(text.substr(pos, end - pos));
      pos = end;
    }
  }

 private:
  Encoding encoding_;
  const CharClasses& classes_;
};

}  // namespace gw::accounting::tokenizer

#include "accounting/tokenizer/pretokenizer.h"

#include "accounting/tokenizer/utf8.h"

namespace gw::accounting::tokenizer {
namespace {

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and [\p{Ll}\p{Lm}\p{Lo}\p{M}] of the o200k_base pattern.
constexpr std::uint8_t kUpperish = kUpper | kOtherLetter | kMark;
constexpr std::uint8_t kLowerish = kLower | kOtherLetter | kMark;

// One code point of the text, or the end of the text (length 0, no class).
struct CodePoint {
  char32_t value;
  std::uint8_t classes;
  int length;
};

// Scans one piece. Positions are byte offsets into the text.
class Scanner {
 public:
  Scanner(std::string_view text, const CharClasses& classes)
      : text_(reinterpret_cast<const unsigned char*>(text.data())),
        size_(text.size()),
        classes_(classes) {}

  std::size_t Cl100kPieceEnd(std::size_t pos) const;
  std::size_t O200kPieceEnd(std::size_t pos) const;

 private:
  CodePoint At(std::size_t pos) const {
    if (pos >= size_) return {0, 0, 0};
    if (text_[pos] < 0x80) return {text_[pos], classes_.Of(text_[pos]), 1};
    int length = 0;
    const char32_t cp = DecodeUtf8(text_ + pos, length);
    return {cp, classes_.Of(cp), length};
  }

  static bool IsCrLf(CodePoint c) { return c.value == '\r' || c.value == '\n'; }
  // [^\r\n\p{L}\p{N}]: the optional prefix of a word.
  static bool IsWordPrefix(CodePoint c) {
    return c.length > 0 && !IsCrLf(c) && (c.classes & (kLetter | kNumber)) == 0;
  }
  // [^\s\p{L}\p{N}]
  static bool IsPunctuation(CodePoint c) {
    return c.length > 0 && (c.classes & (kLetter | kNumber | kSpace)) == 0;
  }

  // The end of the longest run from `pos` of code points having a class in `mask`.
  std::size_t RunEnd(std::size_t pos, std::uint8_t mask) const;
  // If a contraction ('s 't 're 've 'm 'll 'd, any case) starts at `pos`, its end; else 0.
  std::size_t ContractionEnd(std::size_t pos) const;
  // \p{N}{1,3} at `pos`, which is a number.
  std::size_t NumberEnd(std::size_t pos) const;
  // ' '?[^\s\p{L}\p{N}]+ followed by [\r\n]* (or [\r\n/]* if `slash`); 0 if it does not match.
  std::size_t PunctuationEnd(std::size_t pos, bool slash) const;
  // \s*[\r\n]+ | \s+(?!\S) | \s+ at `pos`, which is whitespace.
  std::size_t WhitespaceEnd(std::size_t pos) const;
  // o200k's first word alternative after its optional prefix, from `pos`: Upperish* Lowerish+
  // contraction?; 0 if it does not match.
  std::size_t O200kCasedWordEnd(std::size_t pos) const;
  // o200k's second word alternative after its prefix: Upperish+ Lowerish* contraction?; or 0.
  std::size_t O200kUpperWordEnd(std::size_t pos) const;

  const unsigned char* text_;
  std::size_t size_;
  const CharClasses& classes_;
};

std::size_t Scanner::RunEnd(std::size_t pos, std::uint8_t mask) const {
  for (CodePoint c = At(pos); (c.classes & mask) != 0; c = At(pos)) pos += c.length;
  return pos;
}

std::size_t Scanner::ContractionEnd(std::size_t pos) const {
  if (pos + 1 >= size_ || text_[pos] != '\'') return 0;
  const unsigned char first = text_[pos + 1] | 0x20;  // ASCII lower case; others never match
  if (first == 's' || first == 't' || first == 'm' || first == 'd') return pos + 2;
  if (pos + 2 >= size_) return 0;
  const unsigned char second = text_[pos + 2] | 0x20;
  if ((first == 'r' && second == 'e') || (first == 'v' && second == 'e') ||
      (first == 'l' && second == 'l')) {
    return pos + 3;
  }
  return 0;
}

std::size_t Scanner::NumberEnd(std::size_t pos) const {
  for (int digits = 0; digits < 3; ++digits) {
    const CodePoint c = At(pos);
    if ((c.classes & kNumber) == 0) break;
    pos += c.length;
  }
  return pos;
}

std::size_t Scanner::PunctuationEnd(std::size_t pos, bool slash) const {
  if (text_[pos] == ' ' && IsPunctuation(At(pos + 1))) ++pos;
  if (!IsPunctuation(At(pos))) return 0;
  // The greedy runs never need to give back: [\r\n] is \s, so not in the first class, and '/'
  // is in it, so the first run already took every '/' directly after it.
  do {
    pos += At(pos).length;
  } while (IsPunctuation(At(pos)));
  while (pos < size_ &&
         (text_[pos] == '\r' || text_[pos] == '\n' || (slash && text_[pos] == '/'))) {
    ++pos;
  }
  return pos;
}

std::size_t Scanner::WhitespaceEnd(std::size_t pos) const {
  std::size_t end = pos;
  std::size_t after_last_newline = 0;  // 0: no \r or \n in the run
  std::size_t last_start = pos;        // where the run's last code point starts
  for (CodePoint c = At(end); (c.classes & kSpace) != 0; c = At(end)) {
    if (IsCrLf(c)) after_last_newline = end + 1;
    last_start = end;
    end += c.length;
  }
  // \s*[\r\n]+: \s* backtracks until [\r\n]+ can start, i.e. to the run's last newline.
  if (after_last_newline != 0) return after_last_newline;
  // \s+(?!\S): the whole run at the end of the text, else all but the run's last code point
  // (which the next piece, a word or punctuation, takes as its prefix).
  if (end == size_ || last_start == pos) return end;  // the latter: \s+ (one code point)
  return last_start;
}

std::size_t Scanner::Cl100kPieceEnd(std::size_t pos) const {
  const CodePoint c = At(pos);
  if (c.value == '\'') {
    if (const std::size_t end = ContractionEnd(pos)) return end;
  }
  if (c.classes & kLetter) return RunEnd(pos, kLetter);
  if (IsWordPrefix(c) && (At(pos + c.length).classes & kLetter)) {
    return RunEnd(pos + c.length, kLetter);
  }
  if (c.classes & kNumber) return NumberEnd(pos);
  if (const std::size_t end = PunctuationEnd(pos, /*slash=*/false)) return end;
  return WhitespaceEnd(pos);  // what remains is whitespace
}

std::size_t Scanner::O200kCasedWordEnd(std::size_t pos) const {
  // Upperish* is greedy; if no Lowerish follows, it gives back code points until its last
  // Lowerish one (Lm, Lo and M are in both classes) can be the Lowerish+.
  std::size_t after_last_lowerish = 0;
  CodePoint c = At(pos);
  for (; (c.classes & kUpperish) != 0; c = At(pos)) {
    pos += c.length;
    if (c.classes & kLowerish) after_last_lowerish = pos;
  }
  std::size_t end;
  if (c.classes & kLowerish) {
    end = RunEnd(pos, kLowerish);
  } else if (after_last_lowerish != 0) {
    end = after_last_lowerish;
  } else {
    return 0;
  }
  const std::size_t contraction = ContractionEnd(end);
  return contraction != 0 ? contraction : end;
}

std::size_t Scanner::O200kUpperWordEnd(std::size_t pos) const {
  const std::size_t upper_end = RunEnd(pos, kUpperish);
  if (upper_end == pos) return 0;
  const std::size_t end = RunEnd(upper_end, kLowerish);
  const std::size_t contraction = ContractionEnd(end);
  return contraction != 0 ? contraction : end;
}

std::size_t Scanner::O200kPieceEnd(std::size_t pos) const {
  const CodePoint c = At(pos);
  const bool prefix = IsWordPrefix(c);
  // Each word alternative first with its optional prefix taken, then without it.
  std::size_t end = 0;
  if (prefix && (end = O200kCasedWordEnd(pos + c.length))) return end;
  if ((end = O200kCasedWordEnd(pos))) return end;
  if (prefix && (end = O200kUpperWordEnd(pos + c.length))) return end;
  if ((end = O200kUpperWordEnd(pos))) return end;
  if (c.classes & kNumber) return NumberEnd(pos);
  if ((end = PunctuationEnd(pos, /*slash=*/true))) return end;
  return WhitespaceEnd(pos);
}

}  // namespace

std::size_t Pretokenizer::PieceEnd(std::string_view text, std::size_t pos) const {
  const Scanner scanner(text, classes_);
  return encoding_ == Encoding::kCl100kBase ? scanner.Cl100kPieceEnd(pos)
                                            : scanner.O200kPieceEnd(pos);
}

}  // namespace gw::accounting::tokenizer

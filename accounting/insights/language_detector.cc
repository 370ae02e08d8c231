#include "accounting/insights/language_detector.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "accounting/insights/language_profiles.h"
#include "base/text/utf8.h"

namespace gw::accounting::insights {
namespace {

using enum Script;

// Only the start of a prompt is read: its language shows in the first sentences. The scan stops
// at kMaxScanBytes or once it has scored kMaxScoredWords Latin or Cyrillic words, enough to tell.
constexpr size_t kMaxScanBytes = 4096;
constexpr int kMaxScoredWords = 128;

// What a word, one of its endings and one of its distinctive letters are worth to the profiles
// that list them (shared among them when several do).
constexpr float kWordWeight = 1.0f;
constexpr float kEndingWeight = 0.5f;
constexpr float kLetterWeight = 0.5f;
// A profile wins with at least this score, this far ahead of the next one, with evidence from
// at least kMinWords words (a listed word, ending or distinctive letter), and with at least
// kMinScorePerWord per word read: a language without a profile matches a word here and there
// (Lorem ipsum, Tagalog, Icelandic score under 0.15 a word; prose of a profile, over 0.18).
constexpr float kMinScore = 1.0f;
constexpr float kMinMargin = 0.3f;
constexpr int kMinWords = 2;
constexpr float kMinScorePerWord = 0.15f;

// What one letter of a script weighs against the others when a prompt mixes scripts. A Han
// character, a kana or a Hangul syllable is worth a few Latin letters (a syllable or a word);
// and prompts in other scripts routinely carry English terms, product names and error messages,
// while English prompts rarely carry other scripts, so every other letter counts double.
constexpr int kLatinLetterWeight = 1;
constexpr int kAlphabetLetterWeight = 2;
constexpr int kSyllableWeight = 5;
// A script decides only with this much weight: two Han characters, four Greek letters, ...
constexpr int kMinScriptWeight = 8;

constexpr int ScriptWeight(Script script) {
  if (script == kLatin) return kLatinLetterWeight;
  if (script == kHangul || script == kKana || script == kHan) return kSyllableWeight;
  return kAlphabetLetterWeight;
}

bool IsDigit(unsigned char b) { return b >= '0' && b <= '9'; }
bool IsAsciiLetter(unsigned char b) { return static_cast<unsigned>((b | 0x20) - 'a') < 26u; }
bool IsAsciiAlnum(unsigned char b) { return IsDigit(b) || IsAsciiLetter(b); }
bool IsBlank(unsigned char b) { return b == ' ' || b == '\t' || b == '\r'; }

// A line of code pasted without a fence: it ends like a statement or a block and has another
// code symbol (a Greek question ends with ';' too), or one in six of its visible bytes is a code
// symbol (prose has a parenthesis or a percentage or two in a sentence). The code symbols are
// $%&()_;<=>[\]{|}, counted by disjoint ranges added up (not or-ed, which the compiler turns
// into a bit test) so that the loop is vectorized.
bool IsCodeLine(std::string_view line) {
  int blanks = 0;
  int symbols = 0;
  for (const char ch : line) {
    const auto b = static_cast<uint8_t>(ch);
    blanks += (b == ' ') + (static_cast<uint8_t>(b - '\t') < 5);
    symbols += (static_cast<uint8_t>(b - '$') < 3) + (static_cast<uint8_t>(b - '(') < 2) +
               (static_cast<uint8_t>(b - ';') < 4) + (static_cast<uint8_t>(b - '[') < 3) +
               (static_cast<uint8_t>(b - '{') < 3) + (b == '_');
  }
  const int visible = static_cast<int>(line.size()) - blanks;
  if (visible == 0) return false;
  const char last = line[line.find_last_not_of(" \t\n\v\f\r")];
  const bool ends_like_code = last == ';' || last == '{' || last == '}';
  return (ends_like_code && symbols >= 2) || symbols * 6 >= visible;
}

// A markdown code fence: ``` or ~~~ after at most three spaces.
bool IsFence(std::string_view line) {
  const size_t start = line.find_first_not_of(' ');
  if (start == std::string_view::npos || start > 3) return false;
  const std::string_view rest = line.substr(start);
  return rest.starts_with("```") || rest.starts_with("~~~");
}

// An array indexed by Script.
template <typename T>
struct PerScript {
  std::array<T, static_cast<size_t>(kCount)> values{};
  T& operator[](Script script) { return values[static_cast<size_t>(script)]; }
  const T& operator[](Script script) const { return values[static_cast<size_t>(script)]; }
};

// What the scan found: letters per script and the profiles' scores, over the prose only.
struct Evidence {
  PerScript<int> letters;
  // Letters of the Arabic script that only Persian, Arabic or Urdu use (or that they write
  // differently: Persian ی ک where Arabic has ي ك).
  int persian = 0;
  int arabic = 0;
  int urdu = 0;
  std::array<float, kProfileCount> scores{};
  PerScript<int> words;          // Latin and Cyrillic words scored
  PerScript<int> telling_words;  // those that matched some profile
  int scored_words = 0;
};

void CountArabicLetter(char32_t c, Evidence& evidence) {
  constexpr std::u32string_view kPersianLetters = U"\u067E\u0686\u0698\u06AF\u06CC\u06A9";
  constexpr std::u32string_view kArabicLetters = U"\u064A\u0643\u0629\u0649";
  constexpr std::u32string_view kUrduLetters = U"\u0679\u0688\u0691\u06BA\u06C1\u06D2\u06D3";
  evidence.persian += kPersianLetters.find(c) != std::u32string_view::npos;  // پ چ ژ گ ی ک
  evidence.arabic += kArabicLetters.find(c) != std::u32string_view::npos;    // ي ك ة ى
  evidence.urdu += kUrduLetters.find(c) != std::u32string_view::npos;        // ٹ ڈ ڑ ں ہ ے ۓ
}

// Shares `weight` among the profiles of `mask`; whether there were any.
bool AddShares(ProfileMask mask, float weight, Evidence& evidence) {
  if (mask == 0) return false;
  const float share = weight / static_cast<float>(std::popcount(mask));
  for (; mask != 0; mask &= mask - 1) evidence.scores[std::countr_zero(mask)] += share;
  return true;
}

bool IsApostrophe(char32_t c) { return c == '\'' || c == 0x2019; }

// One pass over the prose of a prompt: fenced blocks, lines of code, `inline code`, URLs and
// words that look like identifiers are left out. Latin and Cyrillic words are scored against the
// profiles as they end; the letters of the other scripts are only counted.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text.substr(0, kMaxScanBytes)) {}

  const Evidence& Run() {
    bool in_fence = false;
    for (size_t begin = 0; begin < text_.size() && !done_;) {
      const size_t newline = text_.find('\n', begin);
      const size_t end = newline == std::string_view::npos ? text_.size() : newline;
      const std::string_view line = text_.substr(begin, end - begin);
      if (IsFence(line)) {
        in_fence = !in_fence;
      } else if (!in_fence && !IsCodeLine(line)) {
        ScanLine(begin, end);
      }
      begin = end + 1;
    }
    return evidence_;
  }

 private:
  static constexpr size_t kWordBufferBytes = 48;
  static constexpr int kMaxWordMarks = 8;

  unsigned char Byte(size_t i) const {
    return i < text_.size() ? static_cast<unsigned char>(text_[i]) : ' ';
  }

  void ScanLine(size_t begin, size_t end) {
    for (size_t i = begin; i < end && !done_;) {
      const unsigned char b = Byte(i);
      if (IsAsciiLetter(b)) {
        i = AddAsciiLetters(i, end);  // the common case, first
        continue;
      }
      if (b == '`') {
        // Inline code runs to the next backtick on the line; a lone one is punctuation.
        const size_t close = text_.substr(0, end).find('`', i + 1);
        EndWord(i);
        i = close == std::string_view::npos ? i + 1 : close + 1;
        continue;
      }
      if (b == ':' && Byte(i + 1) == '/' && Byte(i + 2) == '/') {
        EndWord(i);  // a URL's scheme: the rest of it, to the next blank, is no prose
        while (i < end && !IsBlank(Byte(i))) ++i;
        continue;
      }
      char32_t c = b;
      const int length = b < 0x80 ? 1 : gw::text::DecodeUtf8(text_.substr(i, end - i), &c);
      if (length == 0) {
        ++i;  // not UTF-8: skipped, as if it were not there
        continue;
      }
      ScanChar(c, i, i + length, end);
      i += length;
    }
    EndWord(end);
  }

  // `c` spans [at, next) of a line that ends at `end`.
  void ScanChar(char32_t c, size_t at, size_t next, size_t end) {
    const Letter letter = DescribeLetter(c);
    const Script script = letter.script();
    if (script == kLatin || script == kCyrillic) return AddWordLetter(c, letter, at);
    if (script == kMark) return;
    if (IsApostrophe(c) && word_active_ && next < end) {
      char32_t following = 0;
      if (gw::text::DecodeUtf8(text_.substr(next, end - next), &following) > 0 &&
          DescribeLetter(following).script() == word_script_) {
        AppendLetter('\'');  // an elision ("l'", "dell'") or a contraction ("don'"): a word
      }
    }
    EndWord(at);
    if (script == kNone) return;
    ++evidence_.letters[script];
    if (script == kArabic) CountArabicLetter(c, evidence_);
  }

  void StartWordIfNeeded(Script script, size_t at) {
    if (word_active_ && word_script_ == script) return;
    EndWord(at);
    word_active_ = true;
    word_script_ = script;
    word_start_ = at;
    word_bytes_ = 0;
    word_letters_ = 0;
    word_marks_ = 0;
    word_camel_ = word_overflow_ = previous_lower_ = false;
  }

  // AddWordLetter for the run of ASCII letters from text_[begin], the most frequent by far.
  size_t AddAsciiLetters(size_t begin, size_t end) {
    StartWordIfNeeded(kLatin, begin);
    const char* text = text_.data();
    bool previous_lower = previous_lower_;
    bool camel = word_camel_;
    size_t i = begin;
    for (; i < end && IsAsciiLetter(static_cast<unsigned char>(text[i])); ++i) {
      const bool upper = text[i] < 'a';
      camel |= upper && previous_lower;
      previous_lower = !upper;
    }
    const size_t room = kWordBufferBytes - word_bytes_;
    const size_t count = i - begin;
    for (size_t k = 0; k < std::min(count, room); ++k) {
      word_[word_bytes_ + k] = static_cast<char8_t>(text[begin + k] | 0x20);
    }
    word_bytes_ += std::min(count, room);
    word_overflow_ |= count > room;
    word_letters_ += static_cast<int>(count);
    word_camel_ = camel;
    previous_lower_ = previous_lower;
    return i;
  }

  void AddWordLetter(char32_t c, const Letter& letter, size_t at) {
    StartWordIfNeeded(letter.script(), at);
    word_camel_ |= letter.lower() != c && previous_lower_;  // camelCase: an identifier
    previous_lower_ = letter.lower() == c;
    // Branch-free (distinctive letters come at random): a letter that is not distinctive, or one
    // past kMaxWordMarks, is written to the spare last slot or overwritten by the next one.
    word_mark_profiles_[word_marks_] = letter.profiles();
    word_marks_ += letter.profiles() != 0 && word_marks_ < kMaxWordMarks;
    ++word_letters_;
    AppendLetter(letter.lower());
  }

  void AppendLetter(char32_t lower) {
    if (word_bytes_ + 3 > kWordBufferBytes) {
      word_overflow_ = true;
      return;
    }
    word_bytes_ +=
        gw::text::EncodeUtf8(lower, word_ + word_bytes_);  // below U+10000: 3 bytes at most
  }

  // The word that ends before text_[end] is part of some code when the characters around it
  // are: snake_case, member.access, call(, $var, @user, path/name, --flag, a::b, scheme://.
  bool LooksLikeCode(size_t end) const {
    constexpr std::string_view kCodeBefore = "_.$@#/\\<&%~=";
    constexpr std::string_view kCodeAfter = "_([{<=$@/\\";
    const auto is_in = [](std::string_view set, unsigned char b) {
      return b != 0 && set.find(static_cast<char>(b)) != std::string_view::npos;
    };
    const unsigned char before = word_start_ > 0 ? Byte(word_start_ - 1) : ' ';
    const unsigned char after = Byte(end);
    const unsigned char after2 = Byte(end + 1);
    if (IsDigit(before) || IsDigit(after) || is_in(kCodeBefore, before) ||
        is_in(kCodeAfter, after)) {
      return true;
    }
    if (before == '-' &&
        (word_start_ < 2 || IsBlank(Byte(word_start_ - 2)) || Byte(word_start_ - 2) == '-')) {
      return true;  // a command-line flag, not a hyphenated word
    }
    return (after == '.' && IsAsciiAlnum(after2)) ||
           (after == ':' && (after2 == ':' || after2 == '/')) || (after == '-' && after2 == '>');
  }

  // The tail of an English contraction ('s 't 're 'll 've 'd 'm): no word of its own, and "s"
  // and "ve" are Czech words. (Turkish case endings after a name, "Roma'ya", do count.)
  bool IsContractionTail() const {
    const bool after_apostrophe =
        (word_start_ >= 1 && Byte(word_start_ - 1) == '\'') ||
        (word_start_ >= 3 && text_.substr(word_start_ - 3, 3) == "\xE2\x80\x99");
    if (!after_apostrophe) return false;
    const std::string_view word = Word();
    return word == "s" || word == "t" || word == "re" || word == "ll" || word == "ve" ||
           word == "d" || word == "m";
  }

  void EndWord(size_t end) {
    if (word_active_) FinishWord(end);
  }

  void FinishWord(size_t end) {
    word_active_ = false;
    if (word_camel_ || LooksLikeCode(end)) return;
    evidence_.letters[word_script_] += word_letters_;
    if (word_overflow_ || IsContractionTail()) return;
    done_ = ++evidence_.scored_words == kMaxScoredWords;
    ++evidence_.words[word_script_];
    const std::string_view word = Word();
    const WordEvidence found = LookUpWord(word, word_letters_);
    bool told = AddShares(found.word, kWordWeight, evidence_);
    told |= AddShares(found.ending, kEndingWeight, evidence_);
    for (int i = 0; i < word_marks_; ++i) {
      told |= AddShares(word_mark_profiles_[i], kLetterWeight, evidence_);
    }
    evidence_.telling_words[word_script_] += told ? 1 : 0;
  }

  // The word being read, lowercase UTF-8 (char8_t: a store into it changes no other member,
  // which the compiler has to assume of a char).
  std::string_view Word() const { return {reinterpret_cast<const char*>(word_), word_bytes_}; }

  std::string_view text_;
  Evidence evidence_;
  bool done_ = false;  // kMaxScoredWords words scored
  char8_t word_[kWordBufferBytes] = {};
  size_t word_bytes_ = 0;
  size_t word_start_ = 0;
  int word_letters_ = 0;
  Script word_script_ = kNone;
  bool word_active_ = false;
  bool word_camel_ = false;
  bool word_overflow_ = false;
  // The profiles of the word's distinctive letters (Letter::profiles()), the first few, in order.
  std::array<ProfileMask, kMaxWordMarks + 1> word_mark_profiles_{};
  int word_marks_ = 0;
  bool previous_lower_ = false;
};

// The profile of `script` (Latin or Cyrillic) that scores clearly best, or "".
std::string_view BestProfile(const Evidence& evidence, Script script) {
  if (evidence.telling_words[script] < kMinWords) return "";
  const int first = script == kLatin ? 0 : kFirstCyrillicProfile;
  const int last = script == kLatin ? kFirstCyrillicProfile : kProfileCount;
  int best = first;
  float second = 0;
  for (int profile = first + 1; profile < last; ++profile) {
    if (evidence.scores[profile] > evidence.scores[best]) {
      second = evidence.scores[best];
      best = profile;
    } else {
      second = std::max(second, evidence.scores[profile]);
    }
  }
  const float score = evidence.scores[best];
  if (score < kMinScore || score - second < kMinMargin) return "";
  if (score < kMinScorePerWord * static_cast<float>(evidence.words[script])) return "";
  return kProfileCodes[best];
}

// Urdu has letters of its own (ے ہ ں ...); Persian writes ی ک and has پ چ ژ گ, where Arabic
// writes ي ك and has ة ى. Arabic when nothing tells.
std::string_view ArabicScriptLanguage(const Evidence& evidence) {
  if (evidence.urdu >= 2) return "ur";
  return evidence.persian > evidence.arabic ? "fa" : "ar";
}

std::string_view LanguageOfScript(const Evidence& evidence, Script script) {
  switch (script) {
    case kLatin:
    case kCyrillic:
      return BestProfile(evidence, script);
    case kArabic:
      return ArabicScriptLanguage(evidence);
    case kHan: {
      // Japanese mixes kana into its Han characters; Chinese has none (a stray one aside).
      const int kana = evidence.letters[kKana];
      return kana > 0 && kana * 20 >= kana + evidence.letters[kHan] ? "ja" : "zh";
    }
    default:
      return ScriptLanguage(script);
  }
}

// The script with the most weight decides; when it is Latin or Cyrillic and its words do not
// (names, identifiers, a language without a profile), the next one may.
std::string_view Decide(const Evidence& evidence) {
  PerScript<int> weights;
  for (int i = static_cast<int>(kLatin); i < static_cast<int>(kCount); ++i) {
    const auto script = static_cast<Script>(i);
    weights[script] = evidence.letters[script] * ScriptWeight(script);
  }
  weights[kHan] += weights[kKana];  // Han and kana are one writing system here
  weights[kKana] = 0;
  while (true) {
    const auto top = std::max_element(weights.values.begin(), weights.values.end());
    if (*top < kMinScriptWeight) return "";
    const auto script = static_cast<Script>(top - weights.values.begin());
    const std::string_view language = LanguageOfScript(evidence, script);
    if (!language.empty()) return language;
    *top = 0;
  }
}

}  // namespace

std::string_view DetectLanguage(std::string_view text) { return Decide(Scanner(text).Run()); }

}  // namespace gw::accounting::insights

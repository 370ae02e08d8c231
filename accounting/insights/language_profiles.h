// The built-in tables of the language detector (language_detector.h): the script of each letter,
// and the profiles of the languages written in the Latin and Cyrillic scripts, which it tells
// apart by their words rather than their script: per language, its frequent short words, some
// typical word endings and its distinctive letters. Constant, built at compile time; any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace gw::accounting::insights {

// One bit per profile, in the order of kProfileCodes.
using ProfileMask = uint32_t;

inline constexpr std::string_view kProfileCodes[] = {
    // Latin script.
    "en", "es", "fr", "de", "pt", "it", "nl", "pl", "tr", "vi", "id", "sv", "cs", "ro", "da", "fi",
    "hu",
    // Cyrillic script.
    "ru", "uk", "bg", "sr", "mk", "be"};
inline constexpr int kProfileCount = sizeof(kProfileCodes) / sizeof(kProfileCodes[0]);
inline constexpr int kFirstCyrillicProfile = 17;

// The writing systems the detector tells apart. kMark is a combining mark (part of the letter
// before it); kNone, anything that is no letter (digits, punctuation, symbols, emoji).
enum class Script : uint8_t {
  kNone,
  kMark,
  kLatin,
  kCyrillic,
  kGreek,
  kArmenian,
  kHebrew,
  kArabic,
  kDevanagari,  // the nine Indic scripts from U+0900 to U+0D7F, in their Unicode order
  kBengali,
  kGurmukhi,
  kGujarati,
  kOriya,
  kTamil,
  kTelugu,
  kKannada,
  kMalayalam,
  kSinhala,
  kThai,
  kLao,
  kMyanmar,
  kGeorgian,
  kKhmer,
  kHangul,
  kKana,
  kHan,
  kCount,
};

// The language a script stands for on its own: "el" for Greek, "ko" for Hangul, ...; "" for
// Latin, Cyrillic, Arabic, Han and kana, whose languages the words or letters tell apart.
std::string_view ScriptLanguage(Script script);

// What the tables know of one code point, packed into one 64-bit word so that it is returned in
// a register (GCC returns a struct of the three fields through the stack, which made the
// detector a third slower on Chinese text).
class Letter {
 public:
  constexpr Letter(Script script, char32_t lower, ProfileMask profiles)
      : bits_(uint64_t{profiles} << 32 | uint64_t{lower} << 8 | static_cast<uint8_t>(script)) {}

  // Its script (the vowel signs of the Indic scripts count as letters; their digits and dandas
  // are kNone).
  Script script() const { return static_cast<Script>(bits_ & 0xFF); }
  // A Latin or Cyrillic letter's lowercase (Turkish İ becomes i); any other code point itself.
  char32_t lower() const { return static_cast<char32_t>(bits_ >> 8 & 0xFFFFFF); }
  // The profiles that use lower() as one of their distinctive letters (ñ, ß, ł, ő, і, ў, ...);
  // 0 for the letters most of them share, and outside Latin and Cyrillic.
  ProfileMask profiles() const { return static_cast<ProfileMask>(bits_ >> 32); }

 private:
  uint64_t bits_;
};

// What the tables know of the code point `c`.
Letter DescribeLetter(char32_t c);

// What one word says: the profiles whose word list holds it or, for a word no list holds, those
// that own its longest listed ending (of 2 to 5 letters, leaving at least two before it).
struct WordEvidence {
  ProfileMask word = 0;
  ProfileMask ending = 0;
};

// `word` is lowercase UTF-8 of `letters` code points (Latin or Cyrillic; a French or Italian
// elision keeps its apostrophe, "l'"). Words longer than 32 bytes match nothing.
WordEvidence LookUpWord(std::string_view word, int letters);

}  // namespace gw::accounting::insights

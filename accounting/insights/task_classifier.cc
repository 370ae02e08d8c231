#include "accounting/insights/task_classifier.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <string_view>

#include "accounting/insights/task_cues.h"
#include "base/text/utf8.h"

namespace gw::accounting::insights {

using config::AllTaskCategories;
using config::kTaskCategoryCount;
using config::TaskCategory;
using config::TaskCategoryName;
namespace {

// How much a cue counts, by the part of the prompt it is in: the latest user turn says what this
// request is for; the system text and older turns set the context.
constexpr int kSystemMultiplier = 2;
constexpr int kLatestMultiplier = 3;
constexpr int kOlderMultiplier = 1;
// Tools are counted whole, once each, up to this many points per category.
constexpr int kMaxToolPoints = 12;
// The least score that decides a category; a question with no such category is general_qa.
constexpr int kMinScore = 6;
constexpr int kQuestionScore = 7;
constexpr int kMinQuestionWords = 3;
// A named persona ("You are Kai, a barista") decides alone, even in the system text.
constexpr int kPersonaWeight = kMinScore;
// Longer words are no cue (a URL, a base64 blob); their bytes are skipped.
constexpr size_t kMaxWordBytes = 48;
// The longest chains of open phrase prefixes kept at once.
constexpr size_t kMaxOpenPhrases = 6;
// An asterisk action ("*smiles softly*") is at most this long.
constexpr size_t kMaxActionBytes = 160;

using Scores = std::array<int, kTaskCategoryCount>;

int& ScoreOf(Scores& scores, TaskCategory category) {
  return scores[static_cast<size_t>(category)];
}

constexpr bool IsAsciiWordByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
constexpr bool IsAsciiLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Decodes the UTF-8 sequence at `text[i]` (a byte >= 0x80); `size` is 1 for an invalid byte,
// whose code point is then 0.
struct CodePoint {
  uint32_t value;
  size_t size;
};
CodePoint Decode(std::string_view text, size_t i) {
  char32_t value = 0;
  const int size = gw::text::DecodeUtf8(text.substr(i), &value);
  if (size == 0) return {0, 1};
  return {static_cast<uint32_t>(value), static_cast<size_t>(size)};
}

// Letters of scripts written with spaces between words: Latin, Greek, Cyrillic, Armenian,
// Hebrew, Arabic, Indic. Other code points end a word.
bool IsWordLetter(uint32_t cp) {
  return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x370 && cp <= 0x6FF) ||
         (cp >= 0x900 && cp <= 0xDFF);
}
bool IsCjk(uint32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
         (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF);
}
// The lowercase of the uppercase letters of Latin-1, Latin Extended-A, Greek and Cyrillic.
uint32_t ToLower(uint32_t cp) {
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB) ||
      (cp >= 0x410 && cp <= 0x42F)) {
    return cp + 0x20;
  }
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) && cp % 2 == 0) return cp + 1;
  return cp;
}

// The structural cues of one part, turned into points when the part ends.
struct Features {
  int fences = 0;       // ``` code fences
  int code_marks = 0;   // braces, ";" at a line's end, "=>", "->", "::", "==", "()", `inline`
  int identifiers = 0;  // camelCase and snake_case words
  int error_names = 0;  // TypeError, NullPointerException
  int actions = 0;      // *smiles softly*
  int personas = 0;     // a capitalized name after "you are", "act as"
  int words = 0;
  int latin_letters = 0;
  int other_letters = 0;  // letters of other scripts
  bool question = false;  // a "?", or a first word that opens a question
};

// Each ASCII byte that belongs in a word (letters, digits, "_"): its lowercase, and whether it
// is a capital or an underscore. `fold` is 0 for the other bytes.
struct WordByte {
  char fold = 0;
  bool marked = false;  // a capital or "_": the word's shape needs a second look
};
constexpr std::array<WordByte, 256> kWordBytes = [] {
  std::array<WordByte, 256> bytes{};
  for (int c = 0; c < 128; ++c) {
    if (!IsAsciiWordByte(static_cast<unsigned char>(c))) continue;
    const bool upper = c >= 'A' && c <= 'Z';
    bytes[c] = {static_cast<char>(upper ? c | 0x20 : c), upper || c == '_'};
  }
  return bytes;
}();

// What reading a word noted besides its lowercase letters; plain values, kept in registers.
struct WordBits {
  bool capitalized = false;  // the first letter is uppercase
  int other_letters = 0;     // bytes of letters of scripts other than Latin
};

// Whether `word` (as written; `lower` is its lowercase) is an identifier (camelCase, snake_case)
// or an error's name (TypeError, NullPointerException). Read only for a word with a capital or
// an underscore.
struct Humps {
  bool identifier = false;
  bool error_name = false;
};
Humps HumpsOf(std::string_view word, std::string_view lower, bool capitalized) {
  int lower_run = 0;
  int letters = 0;
  bool hump = false;  // a capital right after two small letters
  bool underscore = false;
  for (const char byte : word) {
    const auto c = static_cast<unsigned char>(byte);
    hump = hump || (c >= 'A' && c <= 'Z' && lower_run >= 2);
    lower_run = c >= 'a' && c <= 'z' ? lower_run + 1 : 0;
    letters += IsAsciiLetter(c);
    underscore = underscore || c == '_';
  }
  const bool lower_first = word[0] >= 'a' && word[0] <= 'z';
  return {(hump && lower_first) || (underscore && letters >= 2),
          hump && capitalized && (lower.ends_with("error") || lower.ends_with("exception"))};
}

// Reads one part of the prompt (the system text, the latest user turn or the older ones) word by
// word in one pass and adds its cues' points to the scores.
class PartScanner {
 public:
  PartScanner(const CueTables& tables, Scores& scores, int multiplier, bool latest)
      : tables_(tables), scores_(scores), multiplier_(multiplier), latest_(latest) {}

  void Scan(std::string_view text);

 private:
  size_t ReadWord(size_t i);
  size_t ReadLetter(size_t i, size_t& size, WordBits& bits, char* lower) const;
  size_t ReadNonAsciiSeparator(size_t i, CodePoint cp);
  size_t ReadPunctuation(size_t i);
  void ReadAsterisk(size_t i);
  bool ApostropheAt(size_t i, size_t size, bool in_word) const;
  void ScoreWord(std::string_view text, size_t start, bool capitalized);
  void FollowPhrases(const Cue* cue, std::string_view text, uint32_t hash, bool opening);
  void LookUp(std::string_view key);
  void LookUpMarked(std::string_view mark, std::string_view text);
  void Count(const Cue& cue, bool opening);
  void MatchSubstrings(size_t i, uint32_t first);
  void ScoreFeatures();
  void ClosePhrases() { open_count_ = 0; }

  const CueTables& tables_;
  Scores& scores_;
  const int multiplier_;
  const bool latest_;
  std::string_view text_;
  bool first_word_ = true;
  Features features_;
  std::bitset<kMaxCueIds> seen_;
  std::array<const Cue*, kMaxOpenPhrases> open_{};
  size_t open_count_ = 0;
  bool after_introduction_ = false;  // the last word ended "you are", "act as", ...
  size_t action_open_ = std::string_view::npos;
};

void PartScanner::Scan(std::string_view text) {
  text_ = text;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ') {  // keeps phrases open; the most common separator
      ++i;
    } else if (IsAsciiWordByte(c)) {
      i = ReadWord(i);
    } else if (c < 0x80) {
      i = ReadPunctuation(i);
    } else {
      const CodePoint cp = Decode(text, i);
      i = IsWordLetter(cp.value) ? ReadWord(i) : ReadNonAsciiSeparator(i, cp);
    }
  }
  ScoreFeatures();
}

// An apostrophe of `size` bytes at `text_[i]` inside a word ("don't", "you’re").
bool PartScanner::ApostropheAt(size_t i, size_t size, bool in_word) const {
  return in_word && i + size < text_.size() && IsAsciiLetter(text_[i + size]);
}

// Reads the word at `text_[i]`, lowercased, and scores it; returns where it ends (`i` when no
// word starts there). Letters past kMaxWordBytes make the word no cue.
size_t PartScanner::ReadWord(size_t i) {
  const std::string_view text = text_;
  std::array<char, kMaxWordBytes + 4> lower;  // + "++" of "c++"
  size_t size = 0;
  WordBits bits;
  bits.capitalized = text[i] >= 'A' && text[i] <= 'Z';
  bool marked = false;  // an ASCII capital or "_": the word's humps need a look
  const size_t start = i;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const WordByte byte = kWordBytes[c];
    if (byte.fold != 0) {  // the common case, kept tight
      lower[size] = byte.fold;
      size += size < kMaxWordBytes;
      marked |= byte.marked;
      ++i;
      continue;
    }
    const size_t used = ReadLetter(i, size, bits, lower.data());
    if (used == 0) break;
    i += used;
  }
  if (i == start) return i;
  // The bytes of ASCII letters and digits stand for Latin letters.
  features_.latin_letters += static_cast<int>(i - start) - bits.other_letters;
  features_.other_letters += bits.other_letters;
  if (marked) {
    const Humps humps =
        HumpsOf(text.substr(start, i - start), {lower.data(), size}, bits.capitalized);
    features_.identifiers += humps.identifier;
    features_.error_names += humps.error_name;
  }
  // "c++", "c#", "f#": the signs belong to the name.
  const size_t signs =
      text.substr(i, 2) == "++" ? 2
      : i < text.size() && text[i] == '#' && (i + 1 == text.size() || !IsAsciiWordByte(text[i + 1]))
          ? 1
          : 0;
  std::copy_n(text.data() + i, signs, lower.data() + size);
  // A longer word is no cue.
  if (size < kMaxWordBytes) ScoreWord({lower.data(), size + signs}, start, bits.capitalized);
  return i + signs;
}

// Reads the apostrophe or non-ASCII letter at `text_[i]` into the word of `size` bytes at
// `lower`; returns its size in `text_`, or 0 when the word ends there.
size_t PartScanner::ReadLetter(size_t i, size_t& size, WordBits& bits, char* lower) const {
  const auto c = static_cast<unsigned char>(text_[i]);
  const CodePoint cp = c < 0x80 ? CodePoint{c, 1} : Decode(text_, i);
  const bool apostrophe =
      (cp.value == '\'' || cp.value == 0x2019) && ApostropheAt(i, cp.size, size > 0);
  if (!apostrophe && (c < 0x80 || !IsWordLetter(cp.value))) return 0;
  if (size + 3 > kMaxWordBytes) {
    size = kMaxWordBytes;  // too long
    return cp.size;
  }
  const uint32_t letter = apostrophe ? '\'' : ToLower(cp.value);
  if (size == 0) bits.capitalized = letter != cp.value;
  // Counted in bytes: the caller counts the rest of the word's bytes as Latin letters.
  if (!apostrophe && cp.value > 0x24F) bits.other_letters += static_cast<int>(cp.size);
  size += gw::text::EncodeUtf8(letter, lower + size);
  return cp.size;
}

size_t PartScanner::ReadNonAsciiSeparator(size_t i, CodePoint cp) {
  if (IsCjk(cp.value)) {
    ++features_.other_letters;
    if (tables_.StartsSubstring(cp.value)) MatchSubstrings(i, cp.value);
  } else if (cp.value == 0xBF || cp.value == 0xFF1F) {  // ¿ ？
    features_.question = true;
  }
  ClosePhrases();
  return i + cp.size;
}

void PartScanner::ScoreWord(std::string_view text, size_t start, bool capitalized) {
  Features& f = features_;
  ++f.words;
  const bool opening = latest_ && first_word_;
  first_word_ = false;
  const uint32_t hash = WordHash(text);
  const Cue* cue = tables_.words.Find(text, hash);
  // A plural in "s" counts as its singular.
  if (cue == nullptr && text.size() > 3 && text.back() == 's') {
    const std::string_view singular = text.substr(0, text.size() - 1);
    cue = tables_.words.Find(singular, WordHash(singular));
  }
  if (after_introduction_ && capitalized && (cue == nullptr || !cue->names_assistant)) {
    ++f.personas;
  }
  if (opening && cue != nullptr && cue->opens_question) f.question = true;
  // "16gb", "144hz": the unit after the number.
  if (cue == nullptr && text[0] >= '0' && text[0] <= '9') {
    const size_t unit = text.find_first_not_of("0123456789");
    if (unit != std::string_view::npos) LookUp(text.substr(unit));
  }
  const size_t s = start;
  if (s >= 2 && text_[s - 1] == '.' && IsAsciiWordByte(text_[s - 2])) {
    LookUpMarked(".", text);  // a file extension: "main.py"
  } else if (s >= 2 && text_[s - 1] == '{' && text_[s - 2] == '{') {
    LookUpMarked("{{", text);  // a template placeholder: "{{char}}"
  } else if (s >= 1 && text_[s - 1] == '#' && (s == 1 || IsSpace(text_[s - 2]))) {
    LookUpMarked("#", text);  // a directive: "#include"
  }
  FollowPhrases(cue, text, hash, opening);
}

// Counts `cue` (of `text`, whose WordHash is `hash`) and the phrases that the open prefixes
// continue into with it, and keeps the ones that go on as the open prefixes of the next word.
void PartScanner::FollowPhrases(const Cue* cue, std::string_view text, uint32_t hash,
                                bool opening) {
  std::array<const Cue*, kMaxOpenPhrases> next;
  size_t next_count = 0;
  bool introduction = false;
  const auto follow = [&](const Cue* matched, bool is_opening) {
    if (matched == nullptr) return;
    Count(*matched, is_opening);
    if (matched->continues && next_count < kMaxOpenPhrases) next[next_count++] = matched;
    introduction = introduction || matched->introduces_name;
  };
  follow(cue, opening);
  for (size_t k = 0; k < open_count_; ++k) {
    follow(tables_.words.FindPhrase(*open_[k], text, PhraseHash(open_[k]->hash, hash)), false);
  }
  std::copy_n(next.begin(), next_count, open_.begin());
  open_count_ = next_count;
  after_introduction_ = introduction;
}

void PartScanner::LookUp(std::string_view key) {
  if (const Cue* cue = tables_.words.Find(key, WordHash(key))) Count(*cue, false);
}

void PartScanner::LookUpMarked(std::string_view mark, std::string_view text) {
  std::array<char, kMaxWordBytes + 8> key;
  std::copy(mark.begin(), mark.end(), key.begin());
  std::copy(text.begin(), text.end(), key.begin() + mark.size());
  LookUp({key.data(), mark.size() + text.size()});
}

// Each cue counts once per part: a word repeated through a long paste is one piece of evidence.
void PartScanner::Count(const Cue& cue, bool opening) {
  if (seen_[cue.id]) return;
  bool counted = false;
  for (uint8_t k = 0; k < cue.hit_count; ++k) {
    const CueHit& hit = cue.hits[k];
    if (hit.opening_only && !opening) continue;
    ScoreOf(scores_, hit.category) += hit.weight * multiplier_;
    counted = true;
  }
  if (counted) seen_[cue.id] = true;
}

void PartScanner::MatchSubstrings(size_t i, uint32_t first) {
  const std::string_view rest = text_.substr(i);
  for (const SubstringCue& cue : tables_.SubstringsStartingWith(first)) {
    if (seen_[cue.id] || !rest.starts_with(cue.text)) continue;
    seen_[cue.id] = true;
    ScoreOf(scores_, cue.hit.category) += cue.hit.weight * multiplier_;
  }
}

// Two-character operators of code.
bool IsCodePair(std::string_view pair) {
  constexpr std::string_view kPairs[] = {"=>", "==", "->", "::", "!=", "&&",
                                         "||", "()", "</", "/>", "+="};
  return std::find(std::begin(kPairs), std::end(kPairs), pair) != std::end(kPairs);
}

// Reads the punctuation at `text_[i]`; returns where reading goes on. Spaces, "-" and "/" keep
// phrases open ("role-play"); other punctuation ends them.
size_t PartScanner::ReadPunctuation(size_t i) {
  const char c = text_[i];
  const char next = i + 1 < text_.size() ? text_[i + 1] : '\0';
  Features& f = features_;
  if (IsCodePair(text_.substr(i, 2))) {
    ++f.code_marks;
    ClosePhrases();
    return i + 2;
  }
  switch (c) {
    case ' ':
    case '\t':
    case '-':
    case '/':
      return i + 1;
    case '\n':
      action_open_ = std::string_view::npos;
      break;
    case '?':
      f.question = true;
      break;
    case '*':
      ReadAsterisk(i);
      return i + (next == '*' ? 2 : 1);
    case '`':
      if (text_.substr(i, 3) == "```") {
        ++f.fences;
        ClosePhrases();
        return i + 3;
      }
      ++f.code_marks;
      break;
    case '{':
    case '}':
      if (next != c && (i == 0 || text_[i - 1] != c)) ++f.code_marks;  // not "{{char}}"
      break;
    case ';':
      if (next == '\n' || next == '\r' || next == '\0') ++f.code_marks;
      break;
    default:
      break;
  }
  ClosePhrases();
  return i + 1;
}

// An action between single asterisks: opened by a "*" after a space and before a letter, closed
// by one after a letter, on the same line.
void PartScanner::ReadAsterisk(size_t i) {
  const char prev = i > 0 ? text_[i - 1] : ' ';
  const char next = i + 1 < text_.size() ? text_[i + 1] : ' ';
  if (next == '*') {  // bold, or a rule
    action_open_ = std::string_view::npos;
    return;
  }
  if (action_open_ != std::string_view::npos && !IsSpace(prev) && !IsAsciiWordByte(next) &&
      i - action_open_ <= kMaxActionBytes) {
    ++features_.actions;
    action_open_ = std::string_view::npos;
    return;
  }
  if ((IsSpace(prev) || prev == '"') && !IsSpace(next)) action_open_ = i;
}

void PartScanner::ScoreFeatures() {
  const Features& f = features_;
  int programming = f.fences > 0 ? 5 : 0;
  programming += f.code_marks >= 8 ? 4 : f.code_marks >= 3 ? 2 : 0;
  programming += std::min(f.identifiers, 3);
  if (f.error_names > 0) programming += 4;
  int roleplay = f.actions >= 2 ? 5 : f.actions == 1 ? 3 : 0;
  if (f.personas > 0) roleplay += kPersonaWeight;
  // Text in two scripts: often a translation's source next to its request.
  const int translation = f.latin_letters >= 10 && f.other_letters >= 4 ? 2 : 0;
  ScoreOf(scores_, TaskCategory::kProgramming) += programming * multiplier_;
  ScoreOf(scores_, TaskCategory::kRoleplay) += roleplay * multiplier_;
  ScoreOf(scores_, TaskCategory::kTranslation) += translation * multiplier_;
  // A question of a few words at least ("hello?" is a greeting).
  if (latest_ && f.question && f.words >= kMinQuestionWords) {
    ScoreOf(scores_, TaskCategory::kGeneralQa) += kQuestionScore;
  }
}

// Where the latest user turn ends in `prompt.user` (ReadPromptText marks it, maybe at 0: a turn
// without text); a PromptText built without the mark is one turn.
size_t LatestTurnEnd(const PromptText& prompt) {
  if (!prompt.latest_user_size) return prompt.user.size();
  return std::min(*prompt.latest_user_size, prompt.user.size());
}

void ScoreTools(const CueTables& tables, const std::vector<std::string>& names, Scores& scores) {
  Scores points{};
  std::array<char, 64> lower;
  for (const std::string& name : names) {
    if (name.size() > lower.size()) continue;
    std::transform(name.begin(), name.end(), lower.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; });
    const std::string_view key(lower.data(), name.size());
    const Cue* cue = tables.tools.Find(key, CueHash(key));
    if (cue == nullptr) continue;
    for (uint8_t k = 0; k < cue->hit_count; ++k) {
      ScoreOf(points, cue->hits[k].category) += cue->hits[k].weight;
    }
  }
  for (size_t c = 0; c < kTaskCategoryCount; ++c) scores[c] += std::min(points[c], kMaxToolPoints);
}

// The highest score decides; on a tie the category listed first in task_category.h wins.
// general_qa and other are the fallbacks: they win only when strictly ahead of the rest.
TaskCategory Decide(const Scores& scores) {
  TaskCategory best = TaskCategory::kOther;
  int best_score = 0;
  for (TaskCategory category : AllTaskCategories()) {
    if (category == TaskCategory::kGeneralQa || category == TaskCategory::kOther) continue;
    if (scores[static_cast<size_t>(category)] > best_score) {
      best = category;
      best_score = scores[static_cast<size_t>(category)];
    }
  }
  for (TaskCategory fallback : {TaskCategory::kGeneralQa, TaskCategory::kOther}) {
    if (scores[static_cast<size_t>(fallback)] > best_score) {
      best = fallback;
      best_score = scores[static_cast<size_t>(fallback)];
    }
  }
  return best_score >= kMinScore ? best : TaskCategory::kOther;
}

}  // namespace

TaskCategory ClassifyTask(const PromptText& prompt) {
  const CueTables& tables = GetCueTables();
  Scores scores{};
  PartScanner(tables, scores, kSystemMultiplier, false).Scan(prompt.system);
  const std::string_view user = prompt.user;
  const size_t latest_end = LatestTurnEnd(prompt);
  PartScanner(tables, scores, kLatestMultiplier, true).Scan(user.substr(0, latest_end));
  if (latest_end < user.size()) {
    PartScanner(tables, scores, kOlderMultiplier, false).Scan(user.substr(latest_end));
  }
  ScoreTools(tables, prompt.tool_names, scores);
  return Decide(scores);
}

}  // namespace gw::accounting::insights

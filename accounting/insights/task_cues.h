// The cue tables of the task classifier (task_classifier.h; docs/insights.md, "Task categories"):
// the words, phrases, first words, substrings and tool names that count towards each category,
// with their weights, and the hash tables they are looked up in. Built once on first use,
// immutable afterwards; any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/task_category.h"

namespace gw::accounting::insights {

// Ids of the cues of CueTables::words and ::substrings are below this (a fixed-size set per part).
inline constexpr size_t kMaxCueIds = 8192;

// What a cue gives when it matches: `weight` points to `category`, before the multiplier of the
// part of the prompt it is in. An `opening_only` hit counts only for the first word of the latest
// user turn ("who" opens a trivia question; elsewhere it says nothing).
struct CueHit {
  config::TaskCategory category = config::TaskCategory::kOther;
  uint8_t weight = 0;
  bool opening_only = false;
};

// One key of a CueTable: a lowercase word, or a phrase of words joined by single spaces.
struct Cue {
  static constexpr size_t kMaxHits = 3;

  std::string_view key;
  uint32_t hash = 0;
  uint16_t id = 0;               // dense, below CueTables::id_count: to count a cue once per part
  bool continues = false;        // a longer phrase starts with `key` + " "
  bool opens_question = false;   // as the first word, makes the turn a question ("how", "qué")
  bool introduces_name = false;  // "you are", "act as": a capitalized name next is a persona
  bool names_assistant = false;  // "claude", "chatgpt": a persona introduction that is not one
  uint8_t hit_count = 0;
  std::array<CueHit, kMaxHits> hits;
};

// The hash of one word (no spaces), 8 bytes at a time; the last 1-7 by overlapping loads.
inline uint32_t WordHash(std::string_view word) {
  constexpr uint64_t kMultiplier = 0x9FB21C651E98DF25ull;
  const auto load32 = [](const char* p) {
    uint32_t value;
    std::memcpy(&value, p, 4);
    return uint64_t{value};
  };
  const char* p = word.data();
  size_t rest = word.size();
  uint64_t hash = 0x9E3779B97F4A7C15ull ^ rest;
  for (; rest >= 8; p += 8, rest -= 8) {
    uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    hash = (hash ^ chunk) * kMultiplier;
    hash ^= hash >> 29;
  }
  uint64_t tail = 0;
  if (rest >= 4) {
    tail = (load32(p) << 32) | load32(p + rest - 4);
  } else if (rest > 0) {
    const auto byte = [&](size_t k) { return uint64_t{static_cast<unsigned char>(p[k])}; };
    tail = (byte(0) << 16) | (byte(rest / 2) << 8) | byte(rest - 1);
  }
  hash = (hash ^ tail) * kMultiplier;
  return static_cast<uint32_t>(hash >> 32);
}
// The hash of a phrase: the hash of its first words combined with its last word's.
inline uint32_t PhraseHash(uint32_t prefix, uint32_t word) {
  return static_cast<uint32_t>(((uint64_t{prefix} << 32) | word) * 0xD6E8FEB86659FD93ull >> 32);
}
// The hash of a key: of its one word, or of its words (separated by single spaces) combined.
uint32_t CueHash(std::string_view key);

// An open-addressing hash table of cues keyed by their text.
class CueTable {
 public:
  CueTable();
  // The cue whose key is `key`, whose CueHash is `hash`; or nullptr.
  const Cue* Find(std::string_view key, uint32_t hash) const {
    return MayHold(hash) ? Probe(key, hash) : nullptr;
  }
  // The cue whose key is `prefix.key` + " " + `word`, where `hash` is its CueHash; or nullptr.
  const Cue* FindPhrase(const Cue& prefix, std::string_view word, uint32_t hash) const {
    return MayHold(hash) ? ProbePhrase(prefix, word, hash) : nullptr;
  }
  // The cue of `key`, added when missing (its id taken from `next_id`, which then advances).
  Cue& Upsert(std::string_view key, uint16_t& next_id);

 private:
  // Most words are no cue: one bit per value of a hash's low 16 bits rules out nearly all of them
  // from an 8 KiB filter that stays in L1.
  static constexpr size_t kFilterBits = 65536;
  bool MayHold(uint32_t hash) const {
    const uint32_t bit = hash & (kFilterBits - 1);
    return (filter_[bit / 64] >> (bit % 64) & 1) != 0;
  }
  const Cue* Probe(std::string_view key, uint32_t hash) const;
  const Cue* ProbePhrase(const Cue& prefix, std::string_view word, uint32_t hash) const;

  // A power of two, several times the cue count so that probes stay short; read only for the
  // words that pass the filter.
  static constexpr size_t kSlots = 16384;
  struct Slot {
    uint16_t fingerprint = 0;  // the hash's high bits (the slot is chosen by its low bits)
    uint16_t cue = 0;          // index into cues_ + 1; 0 is an empty slot
  };
  static uint16_t Fingerprint(uint32_t hash) { return static_cast<uint16_t>(hash >> 16); }
  std::vector<uint64_t> filter_;
  std::vector<Slot> slots_;
  std::vector<Cue> cues_;
};

// A cue matched as a substring, for the scripts written without spaces between words (Chinese,
// Japanese; Korean too, whose words carry suffixes).
struct SubstringCue {
  std::string_view text;
  uint32_t first = 0;  // its first code point
  CueHit hit;
  uint16_t id = 0;
};

struct CueTables {
  CueTable words;  // words and phrases of the system and user text, and their first words
  CueTable tools;  // tool names, lowercase, matched whole
  // Whether a substring cue begins with `cp` (a code point below U+10000).
  bool StartsSubstring(uint32_t cp) const {
    return (substring_starts[cp / 64] >> (cp % 64) & 1) != 0;
  }
  // The substring cues that begin with `cp`.
  std::span<const SubstringCue> SubstringsStartingWith(uint32_t cp) const;

  std::vector<SubstringCue> substrings;    // by first code point
  std::vector<uint64_t> substring_starts;  // a bit per code point below U+10000
  uint16_t id_count = 0;                   // ids of `words` and `substrings`
  std::deque<std::string> phrase_texts;    // the keys of generated phrases (stable addresses)
};

// The tables, built from the cue lists in task_cues.cc on first use.
const CueTables& GetCueTables();

}  // namespace gw::accounting::insights

// OpenAI tiktoken's cl100k_base and o200k_base encodings in C++: byte-level BPE giving exactly
// the ids js-tiktoken gives (tests/accounting/tokenizer/ checks a corpus against it). The
// process-wide instances come from Tokenizer::Get; they are immutable, so any thread may call
// any method at any time. See docs/tokenizer.md.
//
// Input is UTF-8. Ill-formed UTF-8 is tokenized as if each maximal ill-formed subpart were
// U+FFFD (the WHATWG TextDecoder's replacement, see utf8.h): Encode(bytes) equals js-tiktoken's
// encode(new TextDecoder().decode(bytes)), and Decode then returns the replaced text, not the
// original bytes. (A JavaScript string's lone surrogates likewise become U+FFFD in js-tiktoken.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/tokenizer/encoding.h"
#include "accounting/tokenizer/pretokenizer.h"
#include "accounting/tokenizer/rank_table.h"

namespace gw::accounting::tokenizer {

class Tokenizer {
 public:
  // The process-wide instance of `encoding`, loaded from the embedded rank file and verified
  // against its SHA-256 on first use (thread-safe; concurrent first callers wait for one load).
  // Throws std::runtime_error naming the problem if the embedded data is corrupt (a later call
  // tries again).
  static const Tokenizer& Get(Encoding encoding);

  // A tokenizer for `encoding` from the text of a .tiktoken file, which must have SHA-256
  // `expected_sha256` (hex). Throws std::runtime_error if it does not or cannot be parsed. Get()
  // uses this with the embedded files; tests use it with corrupted ones.
  static std::unique_ptr<Tokenizer> Load(Encoding encoding, std::string_view name,
                                         std::string_view tiktoken_text,
                                         std::string_view expected_sha256);

  // The ids of `utf8`, special-token text included as ordinary text (tiktoken's
  // encode_ordinary; what counting user content needs).
  std::vector<std::uint32_t> Encode(std::string_view utf8) const;

  // The ids of `utf8` where every occurrence of a special token's exact text (e.g.
  // "<|endoftext|>") becomes that token's id (tiktoken's encode with allowed_special="all").
  std::vector<std::uint32_t> EncodeWithSpecial(std::string_view utf8) const;

  // Encode(utf8).size(), without building the vector.
  std::size_t Count(std::string_view utf8) const;

  // The bytes of `ids` concatenated (special tokens give their text). Throws std::out_of_range
  // for an id that is neither a rank nor a special token.
  std::string Decode(std::span<const std::uint32_t> ids) const;

  Encoding encoding() const { return encoding_; }
  // The number of ordinary tokens (ranks).
  std::size_t vocabulary_size() const { return ranks_.size(); }

 private:
  Tokenizer(Encoding encoding, RankTable ranks);

  // Calls `on_id(uint32_t)` for each id of well-formed `text`, all of it ordinary text.
  template <typename OnId>
  void EncodeOrdinary(std::string_view text, OnId&& on_id) const;
  // The special token whose text occurs first in `text` from `from`, and where; nullopt if none.
  std::optional<std::pair<std::size_t, SpecialToken>> FindSpecial(std::string_view text,
                                                                  std::size_t from) const;

  Encoding encoding_;
  RankTable ranks_;
  Pretokenizer pretokenizer_;
  std::span<const SpecialToken> special_;
};

}  // namespace gw::accounting::tokenizer

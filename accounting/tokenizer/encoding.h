// The encodings the tokenizer implements (OpenAI tiktoken's cl100k_base and o200k_base): their
// names and special tokens. Constant data; any thread may call these.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace gw::accounting::tokenizer {

enum class Encoding {
  kCl100kBase,  // GPT-3.5, GPT-4, text-embedding-3-*
  kO200kBase,   // GPT-4o, GPT-4.1, GPT-5, o1/o3/o4
};

// "cl100k_base" or "o200k_base" (exact, as tiktoken spells them); nullopt for anything else.
std::optional<Encoding> EncodingByName(std::string_view name);

// The tiktoken name of `encoding`.
std::string_view EncodingName(Encoding encoding);

// A special token: text that EncodeWithSpecial maps to one id outside the ranks.
struct SpecialToken {
  std::string_view text;
  std::uint32_t id;
};

// The special tokens of `encoding`, in tiktoken's order (the order the alternatives of its
// special-token regex are tried in).
std::span<const SpecialToken> SpecialTokens(Encoding encoding);

}  // namespace gw::accounting::tokenizer

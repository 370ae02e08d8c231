#include "accounting/tokenizer/encoding.h"

namespace gw::accounting::tokenizer {
namespace {

// From tiktoken_ext/openai_public.py (and js-tiktoken's ranks, which agree).
constexpr SpecialToken kCl100kSpecial[] = {
    {"<|endoftext|>", 100257},  {"<|fim_prefix|>", 100258},  {"<|fim_middle|>", 100259},
    {"<|fim_suffix|>", 100260}, {"<|endofprompt|>", 100276},
};
constexpr SpecialToken kO200kSpecial[] = {
    {"<|endoftext|>", 199999},
    {"<|endofprompt|>", 200018},
};

}  // namespace

std::optional<Encoding> EncodingByName(std::string_view name) {
  if (name == "cl100k_base") return Encoding::kCl100kBase;
  if (name == "o200k_base") return Encoding::kO200kBase;
  return std::nullopt;
}

std::string_view EncodingName(Encoding encoding) {
  return encoding == Encoding::kCl100kBase ? "cl100k_base" : "o200k_base";
}

std::span<const SpecialToken> SpecialTokens(Encoding encoding) {
  if (encoding == Encoding::kCl100kBase) return kCl100kSpecial;
  return kO200kSpecial;
}

}  // namespace gw::accounting::tokenizer

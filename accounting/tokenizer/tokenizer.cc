#include "accounting/tokenizer/tokenizer.h"

#include <stdexcept>

#include "accounting/tokenizer/bpe.h"
#include "accounting/tokenizer/checksum.h"
#include "accounting/tokenizer/embedded_data.h"
#include "accounting/tokenizer/utf8.h"

namespace gw::accounting::tokenizer {
namespace {

std::unique_ptr<Tokenizer> LoadEmbedded(Encoding encoding) {
  const EmbeddedRankFile file = EmbeddedRanks(encoding);
  return Tokenizer::Load(encoding, std::string("embedded ") + std::string(file.file_name),
                         file.contents, file.sha256);
}

// `text` if it is well-formed UTF-8; else a copy with the ill-formed parts replaced, kept in
// `storage`.
std::string_view WellFormed(std::string_view text, std::string& storage) {
  if (FindInvalidUtf8(text) == std::string_view::npos) return text;
  storage = ReplaceInvalidUtf8(text);
  return storage;
}

}  // namespace

const Tokenizer& Tokenizer::Get(Encoding encoding) {
  // One function-local static per encoding: C++ makes their initialization thread-safe, and
  // loading one does not wait for the other.
  if (encoding == Encoding::kCl100kBase) {
    static const std::unique_ptr<Tokenizer> cl100k = LoadEmbedded(Encoding::kCl100kBase);
    return *cl100k;
  }
  static const std::unique_ptr<Tokenizer> o200k = LoadEmbedded(Encoding::kO200kBase);
  return *o200k;
}

std::unique_ptr<Tokenizer> Tokenizer::Load(Encoding encoding, std::string_view name,
                                           std::string_view tiktoken_text,
                                           std::string_view expected_sha256) {
  VerifySha256(name, tiktoken_text, expected_sha256);
  return std::unique_ptr<Tokenizer>(new Tokenizer(encoding, RankTable::Parse(name, tiktoken_text)));
}

Tokenizer::Tokenizer(Encoding encoding, RankTable ranks)
    : encoding_(encoding),
      ranks_(std::move(ranks)),
      pretokenizer_(encoding),
      special_(SpecialTokens(encoding)) {}

template <typename OnId>
void Tokenizer::EncodeOrdinary(std::string_view text, OnId&& on_id) const {
  std::vector<std::uint32_t> merged;  // reused by every piece that is not a single token
  pretokenizer_.ForEachPiece(text, [&](std::string_view piece) {
    const std::uint32_t rank = ranks_.Find(piece);
    if (rank != RankTable::kNoRank) {
      on_id(rank);
      return;
    }
    merged.clear();
    BytePairEncode(ranks_, piece, merged);
    for (std::uint32_t id : merged) on_id(id);
  });
}

std::vector<std::uint32_t> Tokenizer::Encode(std::string_view utf8) const {
  std::string storage;
  const std::string_view text = WellFormed(utf8, storage);
  std::vector<std::uint32_t> ids;
  ids.reserve(text.size() / 4 + 4);
  EncodeOrdinary(text, [&](std::uint32_t id) { ids.push_back(id); });
  return ids;
}

std::size_t Tokenizer::Count(std::string_view utf8) const {
  std::string storage;
  const std::string_view text = WellFormed(utf8, storage);
  std::size_t count = 0;
  EncodeOrdinary(text, [&](std::uint32_t) { ++count; });
  return count;
}

std::optional<std::pair<std::size_t, SpecialToken>> Tokenizer::FindSpecial(std::string_view text,
                                                                           std::size_t from) const {
  // Every special token starts with "<|"; at each '<', the first token in tiktoken's order
  // that matches (the leftmost match of its alternation regex).
  for (std::size_t at = text.find('<', from); at != std::string_view::npos;
       at = text.find('<', at + 1)) {
    for (const SpecialToken& special : special_) {
      if (text.substr(at).starts_with(special.text)) return std::pair{at, special};
    }
  }
  return std::nullopt;
}

std::vector<std::uint32_t> Tokenizer::EncodeWithSpecial(std::string_view utf8) const {
  std::string storage;
  const std::string_view text = WellFormed(utf8, storage);
  std::vector<std::uint32_t> ids;
  ids.reserve(text.size() / 4 + 4);
  const auto push = [&](std::uint32_t id) { ids.push_back(id); };
  std::size_t start = 0;
  while (true) {
    const auto special = FindSpecial(text, start);
    // The text between special tokens is scanned on its own, as js-tiktoken's regex runs on
    // each substring.
    const std::size_t end = special ? special->first : text.size();
    EncodeOrdinary(text.substr(start, end - start), push);
    if (!special) break;
    ids.push_back(special->second.id);
    start = end + special->second.text.size();
  }
  return ids;
}

std::string Tokenizer::Decode(std::span<const std::uint32_t> ids) const {
  std::string bytes;
  for (std::uint32_t id : ids) {
    std::string_view token = ranks_.Bytes(id);
    if (token.empty()) {
      for (const SpecialToken& special : special_) {
        if (special.id == id) token = special.text;
      }
    }
    if (token.empty()) {
      throw std::out_of_range("tokenizer: id " + std::to_string(id) + " is not a token of " +
                              std::string(EncodingName(encoding_)));
    }
    bytes += token;
  }
  return bytes;
}

}  // namespace gw::accounting::tokenizer

// The ranks of an encoding: a bidirectional map between token byte strings and their ranks (the
// token ids), parsed from a .tiktoken file. Lookups by bytes go through an open-addressing hash
// table (linear probing, load factor < 0.4, hash tag and length checked before the bytes are
// compared). Immutable after Parse; any thread may call the const methods.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

namespace gw::accounting::tokenizer {

class RankTable {
 public:
  static constexpr std::uint32_t kNoRank = std::numeric_limits<std::uint32_t>::max();

  // Parses the tiktoken format: one "<base64 token bytes> <decimal rank>\n" line per token.
  // Requires every single byte to be a token (byte-level BPE) and no duplicate token or rank.
  // Throws std::runtime_error naming `name` and the offending line otherwise.
  static RankTable Parse(std::string_view name, std::string_view tiktoken_text);

  // The rank of the token with bytes [bytes, bytes + size), or kNoRank.
  std::uint32_t Find(const unsigned char* bytes, std::size_t size) const {
    if (size > max_token_size_ || size == 0) return kNoRank;
    if (size == 1) return byte_ranks_[bytes[0]];
    if (size == 2) return pair_ranks_[(std::size_t{bytes[0]} << 8) | bytes[1]];
    const std::uint64_t hash = Hash(bytes, size);
    const std::uint32_t tag = Tag(hash, size);
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot slot = slots_[i];
      if (slot.rank == kNoRank) return kNoRank;
      if (slot.tag == tag && EqualBytes(slot.rank, bytes, size)) return slot.rank;
    }
  }
  std::uint32_t Find(std::string_view bytes) const {
    return Find(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  }

  // The bytes of token `rank`; empty if `rank` is not a rank of the table.
  std::string_view Bytes(std::uint32_t rank) const {
    if (rank >= spans_.size()) return {};
    return std::string_view(bytes_.data() + spans_[rank].offset, spans_[rank].size);
  }

  std::size_t size() const { return size_; }
  std::size_t max_token_size() const { return max_token_size_; }

 private:
  struct Slot {
    std::uint32_t tag;   // hash bits and the token's size (Tag())
    std::uint32_t rank;  // kNoRank: empty
  };
  struct Span {
    std::uint32_t offset;
    std::uint32_t size;  // 0: no token has this rank
  };

  RankTable() = default;
  void Insert(std::string_view name, std::size_t line, std::string_view token, std::uint32_t rank);
  void BuildIndex(std::string_view name);

  static std::uint64_t Hash(const unsigned char* bytes, std::size_t size);
  static std::uint32_t Tag(std::uint64_t hash, std::size_t size) {
    return (static_cast<std::uint32_t>(hash >> 32) & ~0xFFu) | static_cast<std::uint32_t>(size);
  }
  // Whether token `rank` is [bytes, bytes + size), given that its size is `size` (the tag
  // matched). Inline word compares: these strings are short, a memcmp call costs more.
  bool EqualBytes(std::uint32_t rank, const unsigned char* bytes, std::size_t size) const {
    const auto* token = reinterpret_cast<const unsigned char*>(bytes_.data()) + spans_[rank].offset;
    if (size >= 8) {
      for (std::size_t i = 0; i + 8 < size; i += 8) {
        if (Load64(token + i) != Load64(bytes + i)) return false;
      }
      return Load64(token + size - 8) == Load64(bytes + size - 8);
    }
    if (size >= 4) {
      return Load32(token) == Load32(bytes) && Load32(token + size - 4) == Load32(bytes + size - 4);
    }
    return std::memcmp(token, bytes, size) == 0;
  }
  static std::uint64_t Load64(const unsigned char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }
  static std::uint32_t Load32(const unsigned char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
  }

  std::vector<char> bytes_;  // every token's bytes, back to back
  std::vector<Span> spans_;  // indexed by rank
  std::vector<Slot> slots_;  // power-of-two size
  std::size_t mask_ = 0;     // slots_.size() - 1
  std::size_t size_ = 0;     // number of tokens
  std::size_t max_token_size_ = 0;
  std::uint32_t byte_ranks_[256] = {};     // 1-byte tokens
  std::vector<std::uint32_t> pair_ranks_;  // 2-byte tokens: (b0 << 8 | b1) -> rank or kNoRank
};

}  // namespace gw::accounting::tokenizer

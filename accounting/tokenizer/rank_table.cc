#include "accounting/tokenizer/rank_table.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <iterator>
#include <stdexcept>
#include <string>

namespace gw::accounting::tokenizer {
namespace {

constexpr std::size_t kMaxTokenSize = 255;  // Tag() keeps the size in 8 bits

[[noreturn]] void Fail(std::string_view name, std::size_t line, std::string_view problem) {
  throw std::runtime_error("tokenizer: " + std::string(name) + " line " + std::to_string(line) +
                           ": " + std::string(problem));
}

// 0-63 for the base64 alphabet, 64 for '=', 255 for anything else.
constexpr std::array<std::uint8_t, 256> kBase64Values = [] {
  std::array<std::uint8_t, 256> values{};
  values.fill(255);
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    values[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
  }
  values['='] = 64;
  return values;
}();

// Appends the bytes `text` encodes (standard base64, padded) to `out`; false if malformed.
bool DecodeBase64(std::string_view text, std::vector<char>& out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t group = 0;
    int padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const std::uint8_t v = kBase64Values[static_cast<unsigned char>(text[i + j])];
      if (v == 255) return false;
      if (v == 64) {
        if (i + 4 != text.size() || j < 2) return false;  // '=' only ends the last group
        ++padding;
      } else if (padding > 0) {
        return false;
      }
      group = (group << 6) | (v & 63);
    }
    out.push_back(static_cast<char>(group >> 16));
    if (padding < 2) out.push_back(static_cast<char>((group >> 8) & 0xFF));
    if (padding < 1) out.push_back(static_cast<char>(group & 0xFF));
  }
  return true;
}

// 64x64 -> 128-bit multiply, folded (the wyhash mixer).
std::uint64_t Mix(std::uint64_t a, std::uint64_t b) {
  const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

}  // namespace

std::uint64_t RankTable::Hash(const unsigned char* bytes, std::size_t size) {
  constexpr std::uint64_t kSeed0 = 0xa0761d6478bd642full, kSeed1 = 0xe7037ed1a0b428dbull;
  std::uint64_t a, b, seed = kSeed0;
  if (size <= 16) {
    if (size >= 8) {
      a = Load64(bytes);
      b = Load64(bytes + size - 8);
    } else if (size >= 4) {
      a = Load32(bytes);
      b = Load32(bytes + size - 4);
    } else {
      a = (std::uint64_t{bytes[0]} << 16) | (std::uint64_t{bytes[size >> 1]} << 8) |
          bytes[size - 1];
      b = 0;
    }
  } else {
    std::size_t i = 0;
    for (; i + 16 < size; i += 16) {
      seed = Mix(Load64(bytes + i) ^ kSeed1, Load64(bytes + i + 8) ^ seed);
    }
    a = Load64(bytes + size - 16);
    b = Load64(bytes + size - 8);
  }
  return Mix(a ^ kSeed1 ^ size, b ^ seed);
}

RankTable RankTable::Parse(std::string_view name, std::string_view text) {
  RankTable table;
  table.bytes_.reserve(text.size() * 3 / 4);
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (line.empty()) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) Fail(name, line_number, "expected \"<base64> <rank>\"");
    const std::string_view rank_text = line.substr(space + 1);
    std::uint32_t rank = 0;
    const auto [end, error] =
        std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (error != std::errc() || end != rank_text.data() + rank_text.size() || rank == kNoRank) {
      Fail(name, line_number, "bad rank");
    }
    const std::size_t offset = table.bytes_.size();
    if (!DecodeBase64(line.substr(0, space), table.bytes_)) Fail(name, line_number, "bad base64");
    const std::size_t size = table.bytes_.size() - offset;
    if (size > kMaxTokenSize) Fail(name, line_number, "token longer than 255 bytes");
    if (rank >= table.spans_.size()) table.spans_.resize(std::size_t{rank} + 1, Span{0, 0});
    if (table.spans_[rank].size != 0) Fail(name, line_number, "duplicate rank");
    table.spans_[rank] = {static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(size)};
    table.max_token_size_ = std::max(table.max_token_size_, size);
    ++table.size_;
  }
  table.BuildIndex(name);
  return table;
}

void RankTable::BuildIndex(std::string_view name) {
  std::fill(std::begin(byte_ranks_), std::end(byte_ranks_), kNoRank);
  pair_ranks_.assign(std::size_t{1} << 16, kNoRank);
  slots_.assign(std::bit_ceil(std::max<std::size_t>(size_ * 5 / 2, 16)), Slot{0, kNoRank});
  mask_ = slots_.size() - 1;
  for (std::uint32_t rank = 0; rank < spans_.size(); ++rank) {
    const Span span = spans_[rank];
    if (span.size == 0) continue;
    const auto* bytes = reinterpret_cast<const unsigned char*>(bytes_.data() + span.offset);
    if (Find(bytes, span.size) != kNoRank) {
      throw std::runtime_error("tokenizer: " + std::string(name) + ": duplicate token of rank " +
                               std::to_string(rank));
    }
    if (span.size == 1) {
      byte_ranks_[bytes[0]] = rank;
    } else if (span.size == 2) {
      pair_ranks_[(std::size_t{bytes[0]} << 8) | bytes[1]] = rank;
    } else {
      const std::uint64_t hash = Hash(bytes, span.size);
      std::size_t i = hash & mask_;
      while (slots_[i].rank != kNoRank) i = (i + 1) & mask_;
      slots_[i] = {Tag(hash, span.size), rank};
    }
  }
  for (std::uint32_t rank : byte_ranks_) {
    if (rank == kNoRank) {
      throw std::runtime_error("tokenizer: " + std::string(name) +
                               ": not every byte is a token (not a byte-level BPE)");
    }
  }
}

}  // namespace gw::accounting::tokenizer

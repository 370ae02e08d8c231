#include "accounting/tokenizer/bpe.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "accounting/tokenizer/checksum.h"
#include "accounting/tokenizer/embedded_data.h"

namespace gw::accounting::tokenizer {
namespace {

const RankTable& Cl100kRanks() {
  static const RankTable ranks =
      RankTable::Parse("cl100k_base", EmbeddedRanks(Encoding::kCl100kBase).contents);
  return ranks;
}

std::vector<std::uint32_t> Linear(std::string_view piece) {
  std::vector<std::uint32_t> out;
  BytePairEncodeLinear(Cl100kRanks(), piece, out);
  return out;
}
std::vector<std::uint32_t> Heap(std::string_view piece) {
  std::vector<std::uint32_t> out;
  BytePairEncodeHeap(Cl100kRanks(), piece, out);
  return out;
}

TEST(BpeTest, SingleBytesAndWholeTokens) {
  EXPECT_EQ(Linear("a"), std::vector<std::uint32_t>{64});
  EXPECT_EQ(Linear(" hello"), std::vector<std::uint32_t>{24748});
  EXPECT_EQ(Heap(" hello"), std::vector<std::uint32_t>{24748});
}

// The heap strategy (long pieces) merges exactly like tiktoken's linear one, on pieces shaped
// like real ones (letters, repeats, bytes of multi-byte characters) up to the linear limit.
TEST(BpeTest, HeapAndLinearStrategiesAgree) {
  std::mt19937 random(12345);
  const std::string alphabets[] = {"ab", "abcdefghijklmnopqrstuvwxyz", " etaoinshrdlu",
                                   "\xe4\xb8\xad\xe6\x96\x87\xf0\x9f\x99\x82", "0123456789=-"};
  for (int round = 0; round < 400; ++round) {
    const std::string& alphabet = alphabets[round % std::size(alphabets)];
    const std::size_t size = 1 + random() % kLinearMergeLimit;
    std::string piece;
    for (std::size_t i = 0; i < size; ++i) piece += alphabet[random() % alphabet.size()];
    ASSERT_EQ(Heap(piece), Linear(piece)) << piece;
  }
  // Each output decodes back to the piece.
  const std::string piece(1000, 'a');
  std::string decoded;
  for (std::uint32_t rank : Heap(piece)) decoded += Cl100kRanks().Bytes(rank);
  EXPECT_EQ(decoded, piece);
}

}  // namespace
}  // namespace gw::accounting::tokenizer

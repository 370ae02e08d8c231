// Byte-pair encoding of one pre-tokenized piece, with tiktoken's merge rule: repeatedly merge
// the adjacent pair of parts whose concatenation has the lowest rank (the leftmost one on ties)
// until no adjacent pair is a token. Pure functions of their arguments; any thread may call them.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "accounting/tokenizer/rank_table.h"

namespace gw::accounting::tokenizer {

// Appends the ranks of `piece` (non-empty) to `out`. Pieces up to kLinearMergeLimit bytes use
// tiktoken's own algorithm on a stack array (a linear scan per merge: fast for the short pieces
// that are nearly all of them); longer ones a min-heap of candidate merges (O(n log n)), so a
// megabyte without a space costs what it should.
void BytePairEncode(const RankTable& ranks, std::string_view piece,
                    std::vector<std::uint32_t>& out);

inline constexpr std::size_t kLinearMergeLimit = 128;

// The two strategies, exposed so tests can check that they agree on any input.
void BytePairEncodeLinear(const RankTable& ranks, std::string_view piece,
                          std::vector<std::uint32_t>& out);
void BytePairEncodeHeap(const RankTable& ranks, std::string_view piece,
                        std::vector<std::uint32_t>& out);

}  // namespace gw::accounting::tokenizer

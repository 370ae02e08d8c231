#include "accounting/tokenizer/bpe.h"

#include <functional>
#include <queue>

namespace gw::accounting::tokenizer {
namespace {

constexpr std::uint32_t kNoRank = RankTable::kNoRank;

}  // namespace

void BytePairEncode(const RankTable& ranks, std::string_view piece,
                    std::vector<std::uint32_t>& out) {
  if (piece.size() <= kLinearMergeLimit) {
    BytePairEncodeLinear(ranks, piece, out);
  } else {
    BytePairEncodeHeap(ranks, piece, out);
  }
}

// tiktoken's _byte_pair_merge: parts are [starts[i], starts[i + 1]); pair_ranks[i] is the rank
// of parts i and i + 1 merged (kNoRank if that is not a token).
void BytePairEncodeLinear(const RankTable& ranks, std::string_view piece,
                          std::vector<std::uint32_t>& out) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(piece.data());
  std::uint32_t starts[kLinearMergeLimit + 1];
  std::uint32_t pair_ranks[kLinearMergeLimit];
  std::size_t parts = piece.size();
  for (std::size_t i = 0; i <= parts; ++i) starts[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = 0; i + 1 < parts; ++i) pair_ranks[i] = ranks.Find(bytes + i, 2);
  // The rank of parts i and i + 1 merged, given the current starts.
  const auto merged_rank = [&](std::size_t i) {
    if (i + 2 > parts) return kNoRank;
    return ranks.Find(bytes + starts[i], starts[i + 2] - starts[i]);
  };
  while (parts > 1) {
    std::size_t best = 0;
    for (std::size_t i = 1; i + 1 < parts; ++i) {
      if (pair_ranks[i] < pair_ranks[best]) best = i;
    }
    if (pair_ranks[best] == kNoRank) break;
    // Merge part best + 1 into part best.
    // (Plain loops: the arrays are short, and a memmove call costs more than the copy.)
    for (std::size_t i = best + 1; i < parts; ++i) starts[i] = starts[i + 1];
    for (std::size_t i = best + 1; i + 2 < parts; ++i) pair_ranks[i] = pair_ranks[i + 1];
    --parts;
    if (best > 0) pair_ranks[best - 1] = merged_rank(best - 1);
    if (best + 1 < parts) pair_ranks[best] = merged_rank(best);
  }
  for (std::size_t i = 0; i < parts; ++i) {
    out.push_back(ranks.Find(bytes + starts[i], starts[i + 1] - starts[i]));
  }
}

// The same merges in the same order: a min-heap of candidate merges ordered by (rank, start);
// a candidate is stale (skipped) once either of its parts has changed, which the part's start
// and its pair's end detect (a pair's rank depends only on the bytes it spans).
void BytePairEncodeHeap(const RankTable& ranks, std::string_view piece,
                        std::vector<std::uint32_t>& out) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(piece.data());
  const auto size = static_cast<std::uint32_t>(piece.size());
  // Parts as a linked list over their start bytes: next[s] is the start of the part after the
  // one starting at s (size for the last); alive[s] whether a part starts at s.
  std::vector<std::uint32_t> next(size), previous(size);
  std::vector<bool> alive(size, true);
  for (std::uint32_t s = 0; s < size; ++s) {
    next[s] = s + 1;
    previous[s] = s == 0 ? 0 : s - 1;
  }
  struct Candidate {
    std::uint32_t rank, start, end;  // merging the parts that span [start, end)
    bool operator>(const Candidate& other) const {
      return rank != other.rank ? rank > other.rank : start > other.start;
    }
  };
  std::vector<Candidate> storage;
  storage.reserve(size);
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap(std::greater<>{},
                                                                              std::move(storage));
  const auto push_pair = [&](std::uint32_t start) {
    if (next[start] >= size) return;
    const std::uint32_t end = next[next[start]];
    const std::uint32_t rank = ranks.Find(bytes + start, end - start);
    if (rank != kNoRank) heap.push({rank, start, end});
  };
  for (std::uint32_t s = 0; s + 1 < size; ++s) push_pair(s);
  while (!heap.empty()) {
    const Candidate top = heap.top();
    heap.pop();
    if (!alive[top.start] || next[top.start] >= size || next[next[top.start]] != top.end) {
      continue;
    }
    const std::uint32_t removed = next[top.start];
    alive[removed] = false;
    next[top.start] = top.end;
    if (top.end < size) previous[top.end] = top.start;
    if (top.start > 0) push_pair(previous[top.start]);
    push_pair(top.start);
  }
  for (std::uint32_t s = 0; s < size; s = next[s]) {
    out.push_back(ranks.Find(bytes + s, next[s] - s));
  }
}

}  // namespace gw::accounting::tokenizer

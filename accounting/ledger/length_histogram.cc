#include "accounting/ledger/length_histogram.h"

#include <charconv>

namespace gw::accounting {
namespace {

// The largest bucket a count of tokens can fall in is about 4 x 63; anything above is corrupt.
constexpr int64_t kMaxBucket = 1024;

}  // namespace

std::string FormatLengthHistogram(const LengthCounts& counts) {
  std::string text;
  char number[24];
  for (size_t bucket = 0; bucket < counts.size(); ++bucket) {
    if (counts[bucket] == 0) continue;
    if (!text.empty()) text.push_back(' ');
    text.append(number, std::to_chars(number, number + sizeof number, bucket).ptr);
    text.push_back(':');
    text.append(number, std::to_chars(number, number + sizeof number, counts[bucket]).ptr);
  }
  return text;
}

bool AddLengthHistogram(std::string_view text, LengthCounts& counts) {
  const char* at = text.data();
  const char* const end = text.data() + text.size();
  while (at < end) {
    int64_t bucket = 0, requests = 0;
    auto [after_bucket, bucket_error] = std::from_chars(at, end, bucket);
    if (bucket_error != std::errc() || after_bucket == end || *after_bucket != ':' || bucket < 0 ||
        bucket > kMaxBucket) {
      return false;
    }
    auto [after_requests, requests_error] = std::from_chars(after_bucket + 1, end, requests);
    if (requests_error != std::errc()) return false;
    if (counts.size() <= static_cast<size_t>(bucket)) counts.resize(bucket + 1, 0);
    counts[static_cast<size_t>(bucket)] += requests;
    at = after_requests;
    if (at < end) {
      if (*at != ' ' || at + 1 == end) return false;
      ++at;
    }
  }
  return true;
}

}  // namespace gw::accounting

// The text form of one length histogram as insights_weekly_length stores it (one row per week,
// category and kind; docs/ledger.md): "bucket:requests" pairs of the non-empty buckets, in
// ascending bucket order, separated by spaces, e.g. "0:3 37:12 38:40". One row per histogram
// instead of one per bucket: the lengths analysis over two years reads ~3,000 rows, not ~140,000
// (bench/README.md, "Insights over 10 million records").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw::accounting {

// Requests per bucket (index = bucket, LengthBucket in insights_rollups.h).
using LengthCounts = std::vector<int64_t>;

// The text of `counts`; "" when every bucket is empty.
std::string FormatLengthHistogram(const LengthCounts& counts);

// Adds the histogram `text` into `counts` (grown as needed); pairs may come in any order. False
// when the text is not of the form above (counts then holds the pairs read before the fault).
bool AddLengthHistogram(std::string_view text, LengthCounts& counts);

}  // namespace gw::accounting

// Rankings over the ledger's daily rollups (docs/rankings.md): a leaderboard of one dimension
// for a calendar period, with shares, change against the previous period, growth against the
// mean of the three before it, and an `other` row; and the per-period series of the top names
// for a stacked chart. One grouped query per call; the period arithmetic is in periods.h.
// Functions of a LedgerReader (whose methods serialize); they throw what it throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/ledger/periods.h"
#include "accounting/ledger/usage_reports.h"

namespace gw::accounting {

enum class RankOrder { kTokens, kCost, kRequests, kTrending };
std::optional<RankOrder> ParseRankOrder(std::string_view name);  // "tokens" | ... | "trending"
std::string_view RankOrderName(RankOrder order);

// What a series measures: tokens (prompt + completion), cost (nano-USD) or requests.
enum class RankMetric { kTokens, kCost, kRequests };
std::optional<RankMetric> ParseRankMetric(std::string_view name);
std::string_view RankMetricName(RankMetric metric);

struct RankingsQuery {
  UsageDimension by = UsageDimension::kModel;  // any but kDay
  Period period = Period::kWeek;
  std::optional<int64_t> at_day;  // the period containing this epoch day; default today
  size_t limit = 20;              // >= 1
  RankOrder order = RankOrder::kTokens;
  UsageFilters filters;
};

struct RankedRow {
  std::optional<int64_t> rank;  // 1..limit; empty for the `other` row and the totals
  bool other = false;
  UsageRow usage;      // usage.name is the dimension's value
  std::string author;  // by model only
  int64_t previous_tokens = 0;
  double share = 0;              // percent of the period's tokens, 2 decimals
  std::optional<double> change;  // percent vs previous_tokens, 2 decimals; empty when that is 0
  std::optional<double> trend;   // percent vs the mean of the 3 previous periods; empty when 0

  int64_t Tokens() const { return usage.prompt_tokens + usage.completion_tokens; }
};

struct Rankings {
  DayRange range;     // the period, cut at today
  DayRange previous;  // what `change` compares with (cut like for like while range is running)
  // While the period runs: where `previous` ends (epoch ms, exclusive). Its last day counts up
  // to the end of the hour of day now in progress, as today counts so far. Empty when complete.
  std::optional<int64_t> previous_until_ms;
  bool complete = false;        // the period ended before today
  RankedRow totals;             // every row's sum; name "total"
  std::vector<RankedRow> rows;  // ranked rows, then the `other` row when some are left over
};

Rankings ComputeRankings(UsageSource& reader, const RankingsQuery& query);

struct TimeseriesQuery {
  UsageDimension by = UsageDimension::kModel;
  Period period = Period::kWeek;
  size_t buckets = 12;            // >= 1
  size_t top = 10;                // >= 1
  std::optional<int64_t> at_day;  // the last bucket is the period containing it; default today
  RankMetric metric = RankMetric::kTokens;
  UsageFilters filters;
};

struct Series {
  std::string name;
  bool other = false;
  int64_t total = 0;            // sum of values
  std::vector<int64_t> values;  // one per bucket, in the metric's unit
};

struct Timeseries {
  std::vector<DayRange> buckets;       // oldest first; the last cut at today
  bool last_complete = true;           // false while the last bucket's period contains today
  std::vector<int64_t> bucket_totals;  // every name's sum per bucket
  std::vector<Series> series;          // the top names by total, then `other` if any
};

Timeseries ComputeTimeseries(UsageSource& reader, const TimeseriesQuery& query);

}  // namespace gw::accounting

// The insights analyses over the weekly insights rollups (insights_rollups.h, docs/insights.md):
// token volume and its growth, shares by model class, model size, task category and language,
// prompt and completion lengths, reasoning and tool-call shares, price against usage, and
// retention cohorts per model. Each reads one or two queries over a range of whole weeks; functions
// of a LedgerReader (whose methods serialize) that throw what it throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/ledger/insights_rollups.h"
#include "accounting/ledger/usage_reports.h"

namespace gw::accounting {

// Whole weeks (WeekBucket numbers), inclusive.
struct WeekRange {
  int64_t first = 0;
  int64_t last = 0;
  size_t size() const { return static_cast<size_t>(last - first + 1); }
};
// The `weeks` weeks that end with the one holding `today` (an epoch day).
WeekRange LastWeeks(int64_t today, size_t weeks);

// The sums of one week (all models), or of one group within the range.
struct InsightTotals {
  int64_t requests = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;
  int64_t tools_offered = 0;
  int64_t tool_calls = 0;
  int64_t cost_nano = 0;
  int64_t Tokens() const { return prompt_tokens + completion_tokens; }
  void Add(const InsightTotals& other);
};

// Every week of `range`, oldest first (weeks without traffic are zero).
struct WeekTotals {
  int64_t week = 0;
  InsightTotals totals;
};
std::vector<WeekTotals> InsightsWeekly(LedgerReader& reader, WeekRange range);

// The model class of a record's model: proprietary, or open weights by the origin of its maker
// (an open-weight model without origin_country counts as rest of world).
std::string_view ModelClassOf(bool open_weights, std::string_view origin);
// small < 15B parameters, medium 15-70B, large > 70B, unknown when the config gives none.
std::string_view SizeClassOf(int64_t parameters_m);

// The tokens of one name (a class, category, language ...) in one week, or over the range
// (week empty).
struct NamedTotals {
  std::optional<int64_t> week;
  std::string name;
  std::string author;  // categories by author only
  InsightTotals totals;
};
// Per week and model class; per week and size class.
std::vector<NamedTotals> InsightsModelClasses(LedgerReader& reader, WeekRange range);
std::vector<NamedTotals> InsightsModelSizes(LedgerReader& reader, WeekRange range);
// Per category over the range; with `by_author`, per category and model author.
std::vector<NamedTotals> InsightsCategories(LedgerReader& reader, WeekRange range, bool by_author);
// The per-category rows of InsightsCategories(..., by_author = true)'s answer `by_author`,
// without reading them again (the answer of by_author = false).
std::vector<NamedTotals> SumOverAuthors(const std::vector<NamedTotals>& by_author);
// Per language over the range ("" = undetermined or not recorded).
std::vector<NamedTotals> InsightsLanguages(LedgerReader& reader, WeekRange range);

// Prompt and completion lengths of one week for one category, or for every category of the
// week. The category "" (not recorded) has rows of its own, apart from the every-category row.
struct LengthRow {
  int64_t week = 0;
  std::optional<std::string> category;  // nullopt: every category
  int64_t requests = 0;
  int64_t prompt_tokens = 0;  // sums (native counts): the week's tokens of the category
  int64_t completion_tokens = 0;
  double mean_prompt = 0;
  double mean_completion = 0;
  double median_prompt = 0;  // from the histogram (within 19%, insights_rollups.h)
  double median_completion = 0;
};
// Per week (oldest first): the every-category row, then the categories in name order.
std::vector<LengthRow> InsightsLengths(LedgerReader& reader, WeekRange range);

// The median of a length histogram (bucket -> requests), interpolated in log space within the
// bucket that holds the middle request; 0 for an empty histogram.
double HistogramMedian(const std::vector<std::pair<int, int64_t>>& buckets);

// One model's tokens and effective price over the range, and its quadrant around the medians of
// the models listed (price per million tokens, tokens).
struct PriceUsageRow {
  std::string model;
  std::string author;
  InsightTotals totals;
  double usd_per_million_tokens = 0;
  std::string quadrant;  // "{high,low}_price_{high,low}_usage"
};
struct PriceUsage {
  double median_usd_per_million_tokens = 0;
  double median_tokens = 0;
  std::vector<PriceUsageRow> rows;  // by tokens, most first; models with no tokens are left out
};
PriceUsage InsightsPriceUsage(LedgerReader& reader, WeekRange range);

// Retention cohorts of one model: the keys, users or apps that first used it in week W (over
// all recorded history), and the share of them that used it in W+1 .. W+N.
struct Cohort {
  int64_t week = 0;
  int64_t size = 0;
  // Percent (2 decimals), one per later week up to the range's last week; nullopt for every
  // week when the cohort is empty (a share of nothing).
  std::vector<std::optional<double>> retained;
};
std::vector<Cohort> InsightsRetention(LedgerReader& reader, WeekRange range, std::string_view model,
                                      UsageEntity by);

}  // namespace gw::accounting

#include "accounting/ledger/rankings.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "accounting/ledger/rollups.h"

namespace gw::accounting {
namespace {

constexpr size_t kHistory = 3;  // previous periods behind `trend`

// To 2 decimals; + 0.0 turns a rounded -0 into 0 (JSON "-0" would read as a fall).
double RoundPercent(double value) { return std::round(value * 100.0) / 100.0 + 0.0; }

// Percent growth of `now` against `before`; empty when there is nothing to compare with.
std::optional<double> Growth(double now, double before) {
  if (before <= 0) return std::nullopt;
  return RoundPercent((now - before) / before * 100.0);
}

int64_t MetricOf(const UsageRow& row, RankMetric metric) {
  switch (metric) {
    case RankMetric::kTokens:
      return row.prompt_tokens + row.completion_tokens;
    case RankMetric::kCost:
      return row.cost_nano;
    case RankMetric::kRequests:
      return row.requests;
  }
  return 0;
}

// One name's sums: the current period and the token counts of the previous ones.
struct NameTotals {
  UsageRow current;
  std::array<int64_t, kHistory> previous_tokens{};
};

// Fills the derived members of `row` from its sums and history.
void Derive(const std::array<int64_t, kHistory>& history, int64_t period_tokens, RankedRow& row) {
  row.previous_tokens = history[0];
  row.change = Growth(static_cast<double>(row.Tokens()), static_cast<double>(history[0]));
  double mean = 0;
  for (int64_t tokens : history) mean += static_cast<double>(tokens);
  row.trend = Growth(static_cast<double>(row.Tokens()), mean / kHistory);
  row.share = period_tokens > 0 ? RoundPercent(static_cast<double>(row.Tokens()) * 100.0 /
                                               static_cast<double>(period_tokens))
                                : 0;
}

// True when a ranks before b under `order`; ties: more tokens, then name.
bool RanksBefore(const RankedRow& a, const RankedRow& b, RankOrder order) {
  switch (order) {
    case RankOrder::kTokens:
      break;
    case RankOrder::kCost:
      if (a.usage.cost_nano != b.usage.cost_nano) return a.usage.cost_nano > b.usage.cost_nano;
      break;
    case RankOrder::kRequests:
      if (a.usage.requests != b.usage.requests) return a.usage.requests > b.usage.requests;
      break;
    case RankOrder::kTrending:
      if (a.trend.has_value() != b.trend.has_value()) return a.trend.has_value();
      if (a.trend && *a.trend != *b.trend) return *a.trend > *b.trend;
      break;
  }
  if (a.Tokens() != b.Tokens()) return a.Tokens() > b.Tokens();
  return a.usage.name < b.usage.name;
}

}  // namespace

std::optional<RankOrder> ParseRankOrder(std::string_view name) {
  for (RankOrder order :
       {RankOrder::kTokens, RankOrder::kCost, RankOrder::kRequests, RankOrder::kTrending}) {
    if (RankOrderName(order) == name) return order;
  }
  return std::nullopt;
}

std::string_view RankOrderName(RankOrder order) {
  switch (order) {
    case RankOrder::kTokens:
      return "tokens";
    case RankOrder::kCost:
      return "cost";
    case RankOrder::kRequests:
      return "requests";
    case RankOrder::kTrending:
      return "trending";
  }
  return "tokens";
}

std::optional<RankMetric> ParseRankMetric(std::string_view name) {
  for (RankMetric metric : {RankMetric::kTokens, RankMetric::kCost, RankMetric::kRequests}) {
    if (RankMetricName(metric) == name) return metric;
  }
  return std::nullopt;
}

std::string_view RankMetricName(RankMetric metric) {
  switch (metric) {
    case RankMetric::kTokens:
      return "tokens";
    case RankMetric::kCost:
      return "cost";
    case RankMetric::kRequests:
      return "requests";
  }
  return "tokens";
}

Rankings ComputeRankings(UsageSource& reader, const RankingsQuery& query) {
  const int64_t today = reader.Today();
  const DayRange period = PeriodContaining(query.period, query.at_day.value_or(today));
  Rankings result;
  result.range = period;
  result.complete = period.to_day < today;
  const bool running = period.from_day <= today && today <= period.to_day;
  if (running) result.range.to_day = today;

  // The previous periods, cut to the running period's length so that they compare like for
  // like (docs/rankings.md): whole days up to the day that matches today, and of that day the
  // hours up to the one in progress now.
  std::array<DayRange, kHistory> history;
  DayRange full = period;
  for (DayRange& previous : history) {
    full = PeriodBefore(query.period, full);
    previous = running ? FirstDays(full, DayCount(result.range)) : full;
  }
  result.previous = history[0];
  result.totals.usage.name = "total";
  if (period.from_day > today) return result;  // a period still to come: nothing yet
  // The hour of today now in progress (0-23), when the previous periods are cut by the hour.
  const std::optional<int64_t> hour_of_day =
      running ? std::optional<int64_t>(reader.NowHour() - today * 24) : std::nullopt;
  if (hour_of_day) {
    result.previous_until_ms = (result.previous.to_day * 24 + *hour_of_day + 1) * kMsPerHour;
  }

  std::map<std::string, NameTotals> names;
  const DayRange span{history[kHistory - 1].from_day, result.range.to_day};
  for (DailyUsageRow& daily : reader.GroupedDailySum(query.by, span, query.filters)) {
    const int64_t day = daily.day;
    const auto within = [day](const DayRange& r) { return r.from_day <= day && day <= r.to_day; };
    if (within(result.range)) {
      names[daily.usage.name].current.Add(daily.usage);
      continue;
    }
    for (size_t k = 0; k < kHistory; ++k) {
      // Days past a cut period's end are not compared; its last day is read by the hour below.
      if (!within(history[k]) || (hour_of_day && day == history[k].to_day)) continue;
      names[daily.usage.name].previous_tokens[k] +=
          daily.usage.prompt_tokens + daily.usage.completion_tokens;
      break;
    }
  }
  if (hour_of_day) {
    for (size_t k = 0; k < kHistory; ++k) {
      const int64_t first_hour = history[k].to_day * 24;
      for (const UsageRow& hourly : reader.GroupedHourlySum(
               query.by, first_hour, first_hour + *hour_of_day, query.filters)) {
        names[hourly.name].previous_tokens[k] += hourly.prompt_tokens + hourly.completion_tokens;
      }
    }
  }

  std::array<int64_t, kHistory> total_history{};
  std::vector<RankedRow> rows;
  for (auto& [name, totals] : names) {
    for (size_t k = 0; k < kHistory; ++k) total_history[k] += totals.previous_tokens[k];
    result.totals.usage.Add(totals.current);
    if (totals.current.requests == 0 && MetricOf(totals.current, RankMetric::kTokens) == 0 &&
        totals.current.cost_nano == 0) {
      continue;  // used in earlier periods only
    }
    RankedRow row;
    row.usage = std::move(totals.current);
    row.usage.name = name;
    rows.push_back(std::move(row));
  }
  const int64_t period_tokens = result.totals.Tokens();
  Derive(total_history, period_tokens, result.totals);
  for (RankedRow& row : rows) Derive(names[row.usage.name].previous_tokens, period_tokens, row);
  std::sort(rows.begin(), rows.end(),
            [order = query.order](const RankedRow& a, const RankedRow& b) {
              return RanksBefore(a, b, order);
            });

  const size_t kept = std::min(rows.size(), std::max<size_t>(query.limit, 1));
  if (query.by == UsageDimension::kModel) {
    const std::map<std::string, std::string> authors = reader.ModelAuthors(result.range);
    for (size_t i = 0; i < kept; ++i) {
      const auto found = authors.find(rows[i].usage.name);
      if (found != authors.end()) rows[i].author = found->second;
    }
  }
  for (size_t i = 0; i < kept; ++i) {
    rows[i].rank = static_cast<int64_t>(i) + 1;
    result.rows.push_back(std::move(rows[i]));
  }
  if (kept < rows.size()) {
    // The rest, and the rest's share of every previous period (the totals minus the ranked).
    RankedRow other;
    other.other = true;
    other.usage.name = "other";
    std::array<int64_t, kHistory> other_history = total_history;
    for (size_t i = kept; i < rows.size(); ++i) other.usage.Add(rows[i].usage);
    for (const RankedRow& ranked : result.rows) {
      const std::array<int64_t, kHistory>& previous = names[ranked.usage.name].previous_tokens;
      for (size_t k = 0; k < kHistory; ++k) other_history[k] -= previous[k];
    }
    Derive(other_history, period_tokens, other);
    result.rows.push_back(std::move(other));
  }
  return result;
}

Timeseries ComputeTimeseries(UsageSource& reader, const TimeseriesQuery& query) {
  const int64_t today = reader.Today();
  const size_t bucket_count = std::max<size_t>(query.buckets, 1);
  Timeseries result;
  result.buckets.resize(bucket_count);
  DayRange period = PeriodContaining(query.period, query.at_day.value_or(today));
  for (size_t i = bucket_count; i-- > 0;) {
    result.buckets[i] = period;
    period = PeriodBefore(query.period, period);
  }
  DayRange& last = result.buckets.back();
  result.last_complete = last.to_day < today;
  if (last.from_day <= today && today < last.to_day) last.to_day = today;
  result.bucket_totals.assign(bucket_count, 0);

  // name -> per-bucket values
  std::map<std::string, std::vector<int64_t>> values;
  const DayRange span{result.buckets.front().from_day, last.to_day};
  for (const DailyUsageRow& daily : reader.GroupedDailySum(query.by, span, query.filters)) {
    // The bucket of the day: the last one that starts on or before it.
    const auto after =
        std::upper_bound(result.buckets.begin(), result.buckets.end(), daily.day,
                         [](int64_t day, const DayRange& bucket) { return day < bucket.from_day; });
    if (after == result.buckets.begin()) continue;
    const size_t index = static_cast<size_t>(after - result.buckets.begin()) - 1;
    if (daily.day > result.buckets[index].to_day) continue;
    const int64_t value = MetricOf(daily.usage, query.metric);
    std::vector<int64_t>& series = values[daily.usage.name];
    series.resize(bucket_count, 0);
    series[index] += value;
    result.bucket_totals[index] += value;
  }

  std::vector<Series> all;
  for (auto& [name, series_values] : values) {
    Series series;
    series.name = name;
    series.values = std::move(series_values);
    for (int64_t value : series.values) series.total += value;
    all.push_back(std::move(series));
  }
  std::sort(all.begin(), all.end(), [](const Series& a, const Series& b) {
    if (a.total != b.total) return a.total > b.total;
    return a.name < b.name;
  });
  const size_t kept = std::min(all.size(), std::max<size_t>(query.top, 1));
  for (size_t i = 0; i < kept; ++i) result.series.push_back(std::move(all[i]));
  if (kept < all.size()) {
    Series other;
    other.name = "other";
    other.other = true;
    other.values.assign(bucket_count, 0);
    for (size_t i = kept; i < all.size(); ++i) {
      for (size_t b = 0; b < bucket_count; ++b) other.values[b] += all[i].values[b];
      other.total += all[i].total;
    }
    result.series.push_back(std::move(other));
  }
  return result;
}

}  // namespace gw::accounting

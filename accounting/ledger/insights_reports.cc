#include "accounting/ledger/insights_reports.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/length_histogram.h"
#include "accounting/ledger/rollups.h"

namespace gw::accounting {
namespace {

// The summed columns as the tables name them, in InsightTotals order.
constexpr std::string_view kSums =
    "SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(reasoning_tokens), "
    "SUM(tools_offered), SUM(tool_calls), SUM(cost_nano)";

// The summed columns themselves, for queries that sum in C++.
constexpr std::string_view kColumns =
    "requests, prompt_tokens, completion_tokens, reasoning_tokens, tools_offered, tool_calls, "
    "cost_nano";

// Reads the sums starting at `column`.
InsightTotals ReadTotals(const sqlite::Stmt& row, int column) {
  InsightTotals t;
  t.requests = row.Int(column);
  t.prompt_tokens = row.Int(column + 1);
  t.completion_tokens = row.Int(column + 2);
  t.reasoning_tokens = row.Int(column + 3);
  t.tools_offered = row.Int(column + 4);
  t.tool_calls = row.Int(column + 5);
  t.cost_nano = row.Int(column + 6);
  return t;
}

std::string Sql(std::string_view a, std::string_view b = "", std::string_view c = "") {
  std::string sql(a);
  sql += b;
  sql += c;
  return sql;
}

// Per week and a class derived from the model rows' attributes. Summed here: SQLite would sort
// every row of the range to group by week and attributes; the rows come in week order.
template <class ClassOf>
std::vector<NamedTotals> WeeklyByModelClass(LedgerReader& reader, WeekRange range,
                                            std::string_view columns, ClassOf class_of) {
  std::map<std::pair<int64_t, std::string_view>, InsightTotals> sums;  // names are static
  reader.ForEachRow(
      Sql("SELECT week, ", columns,
          Sql(", ", kColumns, " FROM insights_weekly_model WHERE week BETWEEN ?1 AND ?2")),
      {range.first, range.last}, [&](const sqlite::Stmt& row) {
        sums[{row.Int(0), class_of(row)}].Add(ReadTotals(row, 3));
      });
  std::vector<NamedTotals> rows;
  for (auto& [key, totals] : sums) {
    rows.push_back({key.first, std::string(key.second), "", totals});
  }
  return rows;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

}  // namespace

void InsightTotals::Add(const InsightTotals& t) {
  requests += t.requests;
  prompt_tokens += t.prompt_tokens;
  completion_tokens += t.completion_tokens;
  reasoning_tokens += t.reasoning_tokens;
  tools_offered += t.tools_offered;
  tool_calls += t.tool_calls;
  cost_nano += t.cost_nano;
}

WeekRange LastWeeks(int64_t today, size_t weeks) {
  const int64_t last = WeekBucket(today * kMsPerDay);
  return {last - static_cast<int64_t>(weeks) + 1, last};
}

std::vector<WeekTotals> InsightsWeekly(LedgerReader& reader, WeekRange range) {
  std::vector<WeekTotals> weeks(range.size());
  for (size_t i = 0; i < weeks.size(); ++i) weeks[i].week = range.first + static_cast<int64_t>(i);
  reader.ForEachRow(Sql("SELECT week, ", kSums,
                        " FROM insights_weekly_model WHERE week BETWEEN ?1 AND ?2 GROUP BY week"),
                    {range.first, range.last}, [&](const sqlite::Stmt& row) {
                      weeks[static_cast<size_t>(row.Int(0) - range.first)].totals =
                          ReadTotals(row, 1);
                    });
  return weeks;
}

std::string_view ModelClassOf(bool open_weights, std::string_view origin) {
  if (!open_weights) return "proprietary";
  return origin == "CN" ? "open_weights_china" : "open_weights_rest_of_world";
}

std::string_view SizeClassOf(int64_t parameters_m) {
  if (parameters_m <= 0) return "unknown";
  if (parameters_m < 15'000) return "small";
  return parameters_m <= 70'000 ? "medium" : "large";
}

std::vector<NamedTotals> InsightsModelClasses(LedgerReader& reader, WeekRange range) {
  return WeeklyByModelClass(reader, range, "open_weights, origin", [](const sqlite::Stmt& row) {
    return ModelClassOf(row.Int(1) != 0, row.TextView(2));
  });
}

std::vector<NamedTotals> InsightsModelSizes(LedgerReader& reader, WeekRange range) {
  // (Two columns like the classes' query, so the sums start at the same column.)
  return WeeklyByModelClass(reader, range, "parameters_m, parameters_m",
                            [](const sqlite::Stmt& row) { return SizeClassOf(row.Int(1)); });
}

std::vector<NamedTotals> InsightsCategories(LedgerReader& reader, WeekRange range, bool by_author) {
  // Summed here: SQLite would sort every row of the range to group them by category (three times
  // slower over 104 weeks).
  std::vector<NamedTotals> rows;
  std::unordered_map<std::string, size_t> index;  // category '\0' author -> rows
  std::string key;
  reader.ForEachRow(Sql("SELECT category, author, ", kColumns,
                        " FROM insights_weekly_category WHERE week BETWEEN ?1 AND ?2"),
                    {range.first, range.last}, [&](const sqlite::Stmt& row) {
                      const std::string_view category = row.TextView(0);
                      const std::string_view author = by_author ? row.TextView(1) : "";
                      key.assign(category).push_back('\0');
                      key.append(author);
                      const auto [found, added] = index.try_emplace(key, rows.size());
                      if (added) {
                        rows.push_back({std::nullopt, std::string(category), std::string(author),
                                        InsightTotals{}});
                      }
                      rows[found->second].totals.Add(ReadTotals(row, 2));
                    });
  std::sort(rows.begin(), rows.end(), [](const NamedTotals& a, const NamedTotals& b) {
    return std::tie(a.name, a.author) < std::tie(b.name, b.author);
  });
  return rows;
}

std::vector<NamedTotals> SumOverAuthors(const std::vector<NamedTotals>& by_author) {
  std::vector<NamedTotals> rows;  // by_author is in (name, author) order: a name's rows together
  for (const NamedTotals& row : by_author) {
    if (rows.empty() || rows.back().name != row.name)
      rows.push_back({std::nullopt, row.name, "", InsightTotals{}});
    rows.back().totals.Add(row.totals);
  }
  return rows;
}

std::vector<NamedTotals> InsightsLanguages(LedgerReader& reader, WeekRange range) {
  std::vector<NamedTotals> rows;
  reader.ForEachRow(
      Sql("SELECT language, ", kSums,
          " FROM insights_weekly_language WHERE week BETWEEN ?1 AND ?2 GROUP BY language"),
      {range.first, range.last}, [&](const sqlite::Stmt& row) {
        rows.push_back({std::nullopt, row.Text(0), "", ReadTotals(row, 1)});
      });
  return rows;
}

double HistogramMedian(const std::vector<std::pair<int, int64_t>>& buckets) {
  int64_t total = 0;
  for (const auto& [bucket, requests] : buckets) total += requests;
  if (total == 0) return 0;
  const double middle = static_cast<double>(total) / 2;
  int64_t below = 0;
  for (const auto& [bucket, requests] : buckets) {
    if (static_cast<double>(below + requests) >= middle && requests > 0) {
      if (bucket == 0) return 0;
      // Where the middle falls within the bucket, in log space between its edges.
      const double within = (middle - static_cast<double>(below)) / static_cast<double>(requests);
      return std::exp2((static_cast<double>(bucket) - 1 + within) / 4.0);
    }
    below += requests;
  }
  return LengthBucketMidpoint(buckets.back().first);
}

namespace {

// The length rows of every week of `range`, means and medians still to compute: per week the
// every-category row, then each category in name order. Summed here from the category table's
// rows in key order (week, category, author), one category's authors after the other: SQLite's
// GROUP BY over the same rows takes three times as long.
std::vector<LengthRow> LengthSums(LedgerReader& reader, WeekRange range) {
  std::vector<LengthRow> rows;
  size_t all = 0;  // the every-category row of the week being read
  reader.ForEachRow(
      "SELECT week, category, requests, prompt_tokens, completion_tokens FROM "
      "insights_weekly_category WHERE week BETWEEN ?1 AND ?2 ORDER BY week, category",
      {range.first, range.last}, [&](const sqlite::Stmt& row) {
        const int64_t week = row.Int(0);
        if (rows.empty() || rows[all].week != week) {
          all = rows.size();
          rows.push_back({week, std::nullopt});
        }
        const std::string_view category = row.TextView(1);
        if (rows.size() - 1 == all || *rows.back().category != category) {
          rows.push_back({week, std::string(category)});
        }
        for (LengthRow* sums : {&rows[all], &rows.back()}) {
          sums->requests += row.Int(2);
          sums->prompt_tokens += row.Int(3);
          sums->completion_tokens += row.Int(4);
        }
      });
  return rows;
}
// The medians of the length histogram `counts` (bucket -> requests).
double CountsMedian(const LengthCounts& counts) {
  std::vector<std::pair<int, int64_t>> buckets;
  for (size_t bucket = 0; bucket < counts.size(); ++bucket) {
    if (counts[bucket] > 0) buckets.emplace_back(static_cast<int>(bucket), counts[bucket]);
  }
  return HistogramMedian(buckets);
}

// Sets the medians of `rows` (LengthSums) from the length histograms, one row per (week,
// category, kind), read in key order like `rows`: a cursor walks both, no map, no sort. The
// every-category medians merge the week's histograms of each kind.
void SetLengthMedians(LedgerReader& reader, WeekRange range, std::vector<LengthRow>& rows) {
  const auto median_of = [](LengthRow& row, int64_t kind) -> double& {
    return kind == static_cast<int64_t>(LengthKind::kPrompt) ? row.median_prompt
                                                             : row.median_completion;
  };
  LengthCounts counts;
  LengthCounts all[2];  // the week's, every category, per kind
  std::optional<int64_t> week;
  size_t cursor = 0;             // rows[cursor]: at or before the row of the histogram being read
  size_t all_row = rows.size();  // the week's every-category row; none: the week had no sums
  const auto end_week = [&] {
    for (const int64_t kind : {0, 1}) {
      if (all_row < rows.size()) median_of(rows[all_row], kind) = CountsMedian(all[kind]);
      all[kind].clear();
    }
  };
  reader.ForEachRow(
      "SELECT week, category, kind, histogram FROM insights_weekly_length "
      "WHERE week BETWEEN ?1 AND ?2 ORDER BY week, category, kind",
      {range.first, range.last}, [&](const sqlite::Stmt& row) {
        const int64_t row_week = row.Int(0);
        const std::string_view category = row.TextView(1);
        const int64_t kind = row.Int(2);
        if (kind != 0 && kind != 1) return;  // no such kind (LengthKind)
        if (week != row_week) {
          if (week) end_week();
          week = row_week;
          while (cursor < rows.size() && rows[cursor].week < row_week) ++cursor;
          all_row = cursor < rows.size() && rows[cursor].week == row_week && !rows[cursor].category
                        ? cursor
                        : rows.size();
        }
        counts.clear();
        if (!AddLengthHistogram(row.TextView(3), counts)) {
          throw LedgerError("insights_weekly_length holds a malformed histogram for week " +
                            std::to_string(row_week) + ", category '" + std::string(category) +
                            "'");
        }
        LengthCounts& merged = all[kind];
        if (merged.size() < counts.size()) merged.resize(counts.size(), 0);
        for (size_t bucket = 0; bucket < counts.size(); ++bucket) merged[bucket] += counts[bucket];
        // The category's row: after the every-category one, categories in name order.
        while (cursor < rows.size() && rows[cursor].week == row_week &&
               (!rows[cursor].category || *rows[cursor].category < category)) {
          ++cursor;
        }
        if (cursor < rows.size() && rows[cursor].week == row_week &&
            rows[cursor].category == category) {
          median_of(rows[cursor], kind) = CountsMedian(counts);
        }
      });
  if (week) end_week();
}
}  // namespace

std::vector<LengthRow> InsightsLengths(LedgerReader& reader, WeekRange range) {
  std::vector<LengthRow> rows = LengthSums(reader, range);
  SetLengthMedians(reader, range, rows);
  for (LengthRow& row : rows) {
    if (row.requests > 0) {
      row.mean_prompt = static_cast<double>(row.prompt_tokens) / static_cast<double>(row.requests);
      row.mean_completion =
          static_cast<double>(row.completion_tokens) / static_cast<double>(row.requests);
    }
  }
  return rows;
}

PriceUsage InsightsPriceUsage(LedgerReader& reader, WeekRange range) {
  PriceUsage result;
  reader.ForEachRow(Sql("SELECT model, MAX(author), ", kSums,
                        " FROM insights_weekly_model WHERE week BETWEEN ?1 AND ?2 GROUP BY model"),
                    {range.first, range.last}, [&](const sqlite::Stmt& row) {
                      PriceUsageRow out{row.Text(0), row.Text(1), ReadTotals(row, 2), 0, ""};
                      if (out.totals.Tokens() <= 0) return;
                      // nano-USD per token = USD per billion tokens; / 1000: per million.
                      out.usd_per_million_tokens = static_cast<double>(out.totals.cost_nano) /
                                                   static_cast<double>(out.totals.Tokens()) /
                                                   1000.0;
                      result.rows.push_back(std::move(out));
                    });
  std::vector<double> prices;
  std::vector<double> tokens;
  for (const PriceUsageRow& row : result.rows) {
    prices.push_back(row.usd_per_million_tokens);
    tokens.push_back(static_cast<double>(row.totals.Tokens()));
  }
  result.median_usd_per_million_tokens = Median(prices);
  result.median_tokens = Median(tokens);
  for (PriceUsageRow& row : result.rows) {
    // At the median counts as low: a quadrant split of one model puts it at low/low.
    row.quadrant = std::string(row.usd_per_million_tokens > result.median_usd_per_million_tokens
                                   ? "high_price_"
                                   : "low_price_") +
                   (static_cast<double>(row.totals.Tokens()) > result.median_tokens ? "high_usage"
                                                                                    : "low_usage");
  }
  std::sort(result.rows.begin(), result.rows.end(),
            [](const PriceUsageRow& a, const PriceUsageRow& b) {
              if (a.totals.Tokens() != b.totals.Tokens())
                return a.totals.Tokens() > b.totals.Tokens();
              return a.model < b.model;
            });
  return result;
}

std::vector<Cohort> InsightsRetention(LedgerReader& reader, WeekRange range, std::string_view model,
                                      UsageEntity by) {
  std::vector<Cohort> cohorts(range.size());
  // cohort index -> per later week, how many of its members were active then.
  std::vector<std::vector<int64_t>> active(range.size());
  for (size_t i = 0; i < cohorts.size(); ++i) {
    cohorts[i].week = range.first + static_cast<int64_t>(i);
    active[i].assign(static_cast<size_t>(range.last - cohorts[i].week), 0);
  }
  // The model's rows over all history up to the range's end, in key order: each entity's weeks
  // together, the first one first (its cohort). Counted as they come: no map of entities.
  std::string entity;
  std::vector<int64_t>* counts = nullptr;  // the entity's cohort's; null: before the range
  int64_t first = 0;
  bool any = false;
  reader.ForEachRow(
      "SELECT entity, week FROM insights_model_usage WHERE model = ?1 AND entity_kind = ?2 "
      "AND week <= ?3 ORDER BY entity, week",
      {model, static_cast<int64_t>(by), range.last}, [&](const sqlite::Stmt& row) {
        const int64_t week = row.Int(1);
        if (!any || row.TextView(0) != entity) {
          any = true;
          entity.assign(row.TextView(0));
          first = week;
          counts = nullptr;
          if (first >= range.first) {  // else its cohort began before the range
            const auto index = static_cast<size_t>(first - range.first);
            ++cohorts[index].size;
            counts = &active[index];
          }
        } else if (counts != nullptr) {
          ++(*counts)[static_cast<size_t>(week - first - 1)];
        }
      });
  for (size_t i = 0; i < cohorts.size(); ++i) {
    const auto size = static_cast<double>(cohorts[i].size);
    for (const int64_t count : active[i]) {
      cohorts[i].retained.push_back(
          cohorts[i].size > 0
              ? std::optional(std::round(static_cast<double>(count) * 10000.0 / size) / 100.0)
              : std::nullopt);
    }
  }
  return cohorts;
}

}  // namespace gw::accounting

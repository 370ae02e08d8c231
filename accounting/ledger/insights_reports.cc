#include "accounting/ledger/insights_reports.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "accounting/ledger/rollups.h"

namespace gw::accounting {
namespace {

// The summed columns as the tables name them, in InsightTotals order.
constexpr std::string_view kSums =
    "SUM(requests), SUM(prompt_tokens), SUM(completion_tokens), SUM(reasoning_tokens), "
    "SUM(tools_offered), SUM(tool_calls), SUM(cost_nano)";

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

// Per week and a class derived from the model rows' attributes.
template <class ClassOf>
std::vector<NamedTotals> WeeklyByModelClass(LedgerReader& reader, WeekRange range,
                                            std::string_view columns, ClassOf class_of) {
  std::map<std::pair<int64_t, std::string>, InsightTotals> sums;
  reader.ForEachRow(Sql("SELECT week, ", columns,
                        Sql(", ", kSums,
                            " FROM insights_weekly_model WHERE week BETWEEN ?1 AND ?2 "
                            "GROUP BY week, " +
                                std::string(columns))),
                    {range.first, range.last}, [&](const sqlite::Stmt& row) {
                      const std::string name = class_of(row);
                      sums[{row.Int(0), name}].Add(ReadTotals(row, 3));
                    });
  std::vector<NamedTotals> rows;
  for (auto& [key, totals] : sums) rows.push_back({key.first, key.second, "", totals});
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
    return std::string(ModelClassOf(row.Int(1) != 0, row.Text(2)));
  });
}

std::vector<NamedTotals> InsightsModelSizes(LedgerReader& reader, WeekRange range) {
  // (Two columns like the classes' query; a literal 0 would be read as a column number.)
  return WeeklyByModelClass(
      reader, range, "parameters_m, parameters_m",
      [](const sqlite::Stmt& row) { return std::string(SizeClassOf(row.Int(1))); });
}

std::vector<NamedTotals> InsightsCategories(LedgerReader& reader, WeekRange range, bool by_author) {
  std::vector<NamedTotals> rows;
  const std::string group = by_author ? "category, author" : "category, ''";
  reader.ForEachRow(Sql("SELECT ", group,
                        Sql(", ", kSums,
                            " FROM insights_weekly_category WHERE week BETWEEN ?1 AND ?2 "
                            "GROUP BY " +
                                group)),
                    {range.first, range.last}, [&](const sqlite::Stmt& row) {
                      rows.push_back({std::nullopt, row.Text(0), row.Text(1), ReadTotals(row, 2)});
                    });
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

std::vector<LengthRow> InsightsLengths(LedgerReader& reader, WeekRange range) {
  // (week, category) -> sums; nullopt (ordered first) holds every category of the week.
  std::map<std::pair<int64_t, std::optional<std::string>>, LengthRow> rows;
  reader.ForEachRow(
      "SELECT week, category, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens) FROM "
      "insights_weekly_category WHERE week BETWEEN ?1 AND ?2 GROUP BY week, category",
      {range.first, range.last}, [&](const sqlite::Stmt& row) {
        for (const std::optional<std::string>& category :
             {std::optional(row.Text(1)), std::optional<std::string>()}) {
          LengthRow& out = rows[{row.Int(0), category}];
          out.week = row.Int(0);
          out.category = category;
          out.requests += row.Int(2);
          out.mean_prompt += static_cast<double>(row.Int(3));  // sums until divided below
          out.mean_completion += static_cast<double>(row.Int(4));
        }
      });
  // (week, category, kind) -> bucket -> requests, in bucket order.
  std::map<std::tuple<int64_t, std::optional<std::string>, int64_t>, std::map<int, int64_t>>
      histograms;
  reader.ForEachRow(
      "SELECT week, category, kind, bucket, requests FROM insights_weekly_length "
      "WHERE week BETWEEN ?1 AND ?2",
      {range.first, range.last}, [&](const sqlite::Stmt& row) {
        for (const std::optional<std::string>& category :
             {std::optional(row.Text(1)), std::optional<std::string>()}) {
          histograms[{row.Int(0), category, row.Int(2)}][static_cast<int>(row.Int(3))] +=
              row.Int(4);
        }
      });
  std::vector<LengthRow> out;
  for (auto& [key, row] : rows) {
    if (row.requests > 0) {
      row.mean_prompt /= static_cast<double>(row.requests);
      row.mean_completion /= static_cast<double>(row.requests);
    }
    for (const LengthKind kind : {LengthKind::kPrompt, LengthKind::kCompletion}) {
      const auto found = histograms.find({key.first, key.second, static_cast<int64_t>(kind)});
      if (found == histograms.end()) continue;
      const std::vector<std::pair<int, int64_t>> buckets(found->second.begin(),
                                                         found->second.end());
      (kind == LengthKind::kPrompt ? row.median_prompt : row.median_completion) =
          HistogramMedian(buckets);
    }
    out.push_back(std::move(row));
  }
  return out;
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
  // entity -> the weeks it used the model, over all history up to the range's end.
  std::map<std::string, std::set<int64_t>> weeks_of;
  reader.ForEachRow(
      "SELECT entity, week FROM insights_model_usage WHERE model = ?1 AND entity_kind = ?2 "
      "AND week <= ?3",
      {model, static_cast<int64_t>(by), range.last},
      [&](const sqlite::Stmt& row) { weeks_of[row.Text(0)].insert(row.Int(1)); });
  std::vector<Cohort> cohorts(range.size());
  // cohort index -> per later week, how many of its members were active then.
  std::vector<std::vector<int64_t>> active(range.size());
  for (size_t i = 0; i < cohorts.size(); ++i) {
    cohorts[i].week = range.first + static_cast<int64_t>(i);
    active[i].assign(static_cast<size_t>(range.last - cohorts[i].week), 0);
  }
  for (const auto& [entity, weeks] : weeks_of) {
    const int64_t first = *weeks.begin();
    if (first < range.first) continue;  // its cohort began before the range
    const auto index = static_cast<size_t>(first - range.first);
    ++cohorts[index].size;
    for (const int64_t week : weeks) {
      if (week > first) ++active[index][static_cast<size_t>(week - first - 1)];
    }
  }
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

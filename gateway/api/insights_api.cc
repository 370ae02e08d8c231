#include "gateway/api/insights_api.h"

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

#include "accounting/ledger/insights_reports.h"
#include "accounting/ledger/utc_time.h"
#include "gateway/api/insights_table.h"
#include "gateway/api/query_string.h"

namespace gw::api {
namespace {

using accounting::InsightTotals;
using accounting::JsonWriter;
using accounting::WeekRange;

constexpr size_t kDefaultWeeks = 12;
constexpr size_t kMaxWeeks = 104;

struct Analysis {
  InsightsAnalysis analysis;
  std::string_view path;
  std::string_view name;  // the answer's "object" is "insights.<name>"
};

constexpr Analysis kAnalyses[] = {
    {InsightsAnalysis::kOverview, "/v1/insights", "overview"},
    {InsightsAnalysis::kTokens, "/v1/insights/tokens", "tokens"},
    {InsightsAnalysis::kModelClasses, "/v1/insights/model-classes", "model_classes"},
    {InsightsAnalysis::kModelSizes, "/v1/insights/model-sizes", "model_sizes"},
    {InsightsAnalysis::kCategories, "/v1/insights/categories", "categories"},
    {InsightsAnalysis::kLanguages, "/v1/insights/languages", "languages"},
    {InsightsAnalysis::kLengths, "/v1/insights/lengths", "lengths"},
    {InsightsAnalysis::kReasoningAndTools, "/v1/insights/reasoning-and-tools",
     "reasoning_and_tools"},
    {InsightsAnalysis::kPriceUsage, "/v1/insights/price-usage", "price_usage"},
    {InsightsAnalysis::kRetention, "/v1/insights/retention", "retention"},
};

const Analysis& Describe(InsightsAnalysis analysis) {
  for (const Analysis& one : kAnalyses) {
    if (one.analysis == analysis) return one;
  }
  return kAnalyses[0];
}

struct Parameters {
  size_t weeks = kDefaultWeeks;
  std::optional<int64_t> at_day;
  bool csv = false;
  std::string model;                                            // retention
  accounting::UsageEntity by = accounting::UsageEntity::kUser;  // retention
  bool by_given = false;                                        // retention: `by` was in the query
};

// Reads one parameter into `out`; "" or the 400's message.
std::string ReadParameter(const QueryParameter& parameter, Parameters* out) {
  const std::string& value = parameter.value;
  if (parameter.name == "weeks") {
    const auto [end, error] =
        std::from_chars(value.data(), value.data() + value.size(), out->weeks);
    if (value.empty() || error != std::errc() || end != value.data() + value.size() ||
        out->weeks < 1 || out->weeks > kMaxWeeks) {
      return "weeks: expected an integer from 1 to " + std::to_string(kMaxWeeks) + ", got \"" +
             value + "\"";
    }
  } else if (parameter.name == "at") {
    out->at_day = accounting::ParseDay(value);
    if (!out->at_day) return "at: expected a date YYYY-MM-DD, got \"" + value + "\"";
  } else if (parameter.name == "format") {
    if (value != "json" && value != "csv") {
      return "format: expected one of json, csv, got \"" + value + "\"";
    }
    out->csv = value == "csv";
  } else if (parameter.name == "model") {
    if (value.empty()) return "model: must not be empty";
    out->model = value;
  } else if (parameter.name == "by") {
    out->by_given = true;
    if (value == "key") {
      out->by = accounting::UsageEntity::kApiKey;
    } else if (value == "user") {
      out->by = accounting::UsageEntity::kUser;
    } else if (value == "app") {
      out->by = accounting::UsageEntity::kApp;
    } else {
      return "by: expected one of key, user, app, got \"" + value + "\"";
    }
  }
  return "";
}

// The `by` value that names `by`.
std::string EntityName(accounting::UsageEntity by) {
  return by == accounting::UsageEntity::kApiKey ? "key"
         : by == accounting::UsageEntity::kUser ? "user"
                                                : "app";
}

std::string WeekName(int64_t week) { return accounting::FormatDay(accounting::WeekFirstDay(week)); }

// The columns every weekly row starts with: the week's Monday, and whether it is over.
void WeekCells(int64_t week, int64_t today_week, std::vector<InsightCell>& row) {
  row.emplace_back(WeekName(week));
  row.emplace_back(week < today_week);
}

// Growth is against the week before, so the week before the range is read too (for the first
// row's growth only).
InsightTable TokensTable(accounting::LedgerReader& reader, WeekRange range, int64_t today_week) {
  InsightTable table{{"week", "complete", "requests", "prompt_tokens", "completion_tokens",
                      "tokens", "cost", "growth"},
                     {}};
  const std::vector<accounting::WeekTotals> weeks =
      accounting::InsightsWeekly(reader, {range.first - 1, range.last});
  int64_t previous = weeks.front().totals.Tokens();
  for (auto week = weeks.begin() + 1; week != weeks.end(); ++week) {
    std::vector<InsightCell> row;
    WeekCells(week->week, today_week, row);
    const InsightTotals& t = week->totals;
    row.insert(row.end(), {t.requests, t.prompt_tokens, t.completion_tokens, t.Tokens(),
                           UsdCell{t.cost_nano}, Percent(t.Tokens() - previous, previous)});
    previous = t.Tokens();
    table.rows.push_back(std::move(row));
  }
  return table;
}

// Per week and class: tokens, requests and the share of the week's tokens.
InsightTable WeeklySharesTable(const std::vector<accounting::NamedTotals>& rows,
                               std::string_view column, int64_t today_week) {
  std::map<int64_t, int64_t> week_tokens;
  for (const auto& row : rows) week_tokens[*row.week] += row.totals.Tokens();
  InsightTable table{{"week", "complete", std::string(column), "requests", "tokens", "share"}, {}};
  for (const auto& row : rows) {
    std::vector<InsightCell> cells;
    WeekCells(*row.week, today_week, cells);
    cells.insert(cells.end(), {row.name, row.totals.requests, row.totals.Tokens(),
                               Percent(row.totals.Tokens(), week_tokens[*row.week])});
    table.rows.push_back(std::move(cells));
  }
  return table;
}

// Over the range, most tokens first: name, tokens, requests, share of the total (or of the
// author's tokens when `by_author`).
InsightTable SharesTable(std::vector<accounting::NamedTotals> rows, std::string_view column,
                         bool by_author) {
  std::map<std::string, int64_t> totals;  // per author ("" = all)
  for (const auto& row : rows) totals[by_author ? row.author : ""] += row.totals.Tokens();
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.author != b.author) return a.author < b.author;
    if (a.totals.Tokens() != b.totals.Tokens()) return a.totals.Tokens() > b.totals.Tokens();
    return a.name < b.name;
  });
  InsightTable table;
  if (by_author) table.columns.push_back("author");
  table.columns.insert(table.columns.end(), {std::string(column), "requests", "tokens", "share"});
  for (const auto& row : rows) {
    std::vector<InsightCell> cells;
    if (by_author) cells.emplace_back(row.author);
    cells.insert(cells.end(), {TextOrNull(row.name), row.totals.requests, row.totals.Tokens(),
                               Percent(row.totals.Tokens(), totals[by_author ? row.author : ""])});
    table.rows.push_back(std::move(cells));
  }
  return table;
}

// The every-category row's category is "all" (no category is named so); a category that was not
// recorded is null.
InsightTable LengthsTable(accounting::LedgerReader& reader, WeekRange range, int64_t today_week) {
  // The token sums come last: they were added later, and CSV readers may read columns by place.
  InsightTable table{
      {"week", "complete", "category", "requests", "mean_prompt_tokens", "median_prompt_tokens",
       "mean_completion_tokens", "median_completion_tokens", "prompt_tokens", "completion_tokens"},
      {}};
  for (const accounting::LengthRow& row : accounting::InsightsLengths(reader, range)) {
    std::vector<InsightCell> cells;
    WeekCells(row.week, today_week, cells);
    InsightCell category = row.category ? TextOrNull(*row.category) : std::string("all");
    cells.insert(cells.end(),
                 {std::move(category), row.requests, Rounded(row.mean_prompt),
                  Rounded(row.median_prompt), Rounded(row.mean_completion),
                  Rounded(row.median_completion), row.prompt_tokens, row.completion_tokens});
    table.rows.push_back(std::move(cells));
  }
  return table;
}

InsightTable ReasoningAndToolsTable(accounting::LedgerReader& reader, WeekRange range,
                                    int64_t today_week) {
  InsightTable table{
      {"week", "complete", "requests", "completion_tokens", "reasoning_tokens", "reasoning_share",
       "tools_offered", "tools_offered_share", "tool_calls", "tool_call_share"},
      {}};
  for (const accounting::WeekTotals& week : accounting::InsightsWeekly(reader, range)) {
    std::vector<InsightCell> cells;
    WeekCells(week.week, today_week, cells);
    const InsightTotals& t = week.totals;
    cells.insert(cells.end(), {t.requests, t.completion_tokens, t.reasoning_tokens,
                               Percent(t.reasoning_tokens, t.completion_tokens), t.tools_offered,
                               Percent(t.tools_offered, t.requests), t.tool_calls,
                               Percent(t.tool_calls, t.requests)});
    table.rows.push_back(std::move(cells));
  }
  return table;
}

InsightTable PriceUsageTable(const accounting::PriceUsage& report) {
  InsightTable table{
      {"model", "author", "requests", "tokens", "cost", "usd_per_million_tokens", "quadrant"}, {}};
  for (const accounting::PriceUsageRow& row : report.rows) {
    table.rows.push_back({row.model, row.author, row.totals.requests, row.totals.Tokens(),
                          UsdCell{row.totals.cost_nano}, row.usd_per_million_tokens, row.quadrant});
  }
  return table;
}

InsightTable RetentionTable(const std::vector<accounting::Cohort>& cohorts, size_t weeks) {
  InsightTable table{{"cohort_week", "size"}, {}};
  for (size_t k = 1; k < weeks; ++k) table.columns.push_back("week_" + std::to_string(k));
  for (const accounting::Cohort& cohort : cohorts) {
    std::vector<InsightCell> cells{WeekName(cohort.week), cohort.size};
    for (size_t k = 0; k + 1 < weeks; ++k) {
      if (k < cohort.retained.size() && cohort.retained[k]) {
        cells.emplace_back(*cohort.retained[k]);
      } else {
        cells.emplace_back(std::monostate{});  // not observable yet, or an empty cohort
      }
    }
    table.rows.push_back(std::move(cells));
  }
  return table;
}

void WriteRange(JsonWriter& json, WeekRange range) {
  json.Key("weeks").BeginObject();
  json.Member("from", WeekName(range.first));
  json.Member("to", accounting::FormatDay(accounting::WeekFirstDay(range.last) + 6));
  json.Member("count", static_cast<int64_t>(range.size()));
  json.EndObject();
}

// The overview: the range's totals and the headline of each analysis.
std::string OverviewJson(accounting::LedgerReader& reader, WeekRange range, int64_t today_week) {
  const std::vector<accounting::WeekTotals> weekly = accounting::InsightsWeekly(reader, range);
  InsightTotals total;
  for (const auto& week : weekly) total.Add(week.totals);
  JsonWriter json;
  json.BeginObject().Member("object", "insights.overview");
  WriteRange(json, range);
  InsightTable totals{
      {"requests", "tokens", "prompt_tokens", "completion_tokens", "cost", "reasoning_share",
       "tool_call_share"},
      {{total.requests, total.Tokens(), total.prompt_tokens, total.completion_tokens,
        UsdCell{total.cost_nano}, Percent(total.reasoning_tokens, total.completion_tokens),
        Percent(total.tool_calls, total.requests)}}};
  json.Key("totals");
  totals.WriteRowJson(json, 0);
  json.Key("weekly");
  TokensTable(reader, range, today_week).WriteJson(json);
  std::map<std::string, accounting::NamedTotals> merged;  // the range's sum per class
  for (const accounting::NamedTotals& row : accounting::InsightsModelClasses(reader, range)) {
    accounting::NamedTotals& into = merged[row.name];
    into.name = row.name;
    into.totals.Add(row.totals);
  }
  std::vector<accounting::NamedTotals> class_rows;
  for (auto& [name, row] : merged) class_rows.push_back(std::move(row));
  json.Key("model_classes");
  SharesTable(std::move(class_rows), "class", false).WriteJson(json);
  json.Key("categories");
  SharesTable(accounting::InsightsCategories(reader, range, false), "category", false)
      .WriteJson(json);
  json.Key("languages");
  SharesTable(accounting::InsightsLanguages(reader, range), "language", false).WriteJson(json);
  json.EndObject();
  return json.Take();
}

// The analysis's table, and extra members of its JSON answer.
struct Computed {
  InsightTable table;
  std::function<void(JsonWriter&)> extra;
};

Computed Compute(InsightsAnalysis analysis, const Parameters& p, accounting::LedgerReader& reader,
                 WeekRange range, int64_t today_week) {
  switch (analysis) {
    case InsightsAnalysis::kTokens:
      return {TokensTable(reader, range, today_week), {}};
    case InsightsAnalysis::kModelClasses:
      return {
          WeeklySharesTable(accounting::InsightsModelClasses(reader, range), "class", today_week),
          {}};
    case InsightsAnalysis::kModelSizes:
      return {WeeklySharesTable(accounting::InsightsModelSizes(reader, range), "size", today_week),
              {}};
    case InsightsAnalysis::kCategories: {
      // One read: the overall rows are the by-author ones summed.
      const std::vector<accounting::NamedTotals> author_rows =
          accounting::InsightsCategories(reader, range, true);
      InsightTable by_author = SharesTable(author_rows, "category", true);
      return {SharesTable(accounting::SumOverAuthors(author_rows), "category", false),
              [by_author](JsonWriter& json) {
                json.Key("by_author");
                by_author.WriteJson(json);
              }};
    }
    case InsightsAnalysis::kLanguages:
      return {SharesTable(accounting::InsightsLanguages(reader, range), "language", false), {}};
    case InsightsAnalysis::kLengths:
      return {LengthsTable(reader, range, today_week), {}};
    case InsightsAnalysis::kReasoningAndTools:
      return {ReasoningAndToolsTable(reader, range, today_week), {}};
    case InsightsAnalysis::kPriceUsage: {
      const accounting::PriceUsage report = accounting::InsightsPriceUsage(reader, range);
      return {
          PriceUsageTable(report), [report](JsonWriter& json) {
            json.Key("median_usd_per_million_tokens").Double(report.median_usd_per_million_tokens);
            json.Key("median_tokens").Double(report.median_tokens);
          }};
    }
    case InsightsAnalysis::kRetention: {
      const std::string by = EntityName(p.by);
      return {
          RetentionTable(accounting::InsightsRetention(reader, range, p.model, p.by), range.size()),
          [model = p.model, by](JsonWriter& json) {
            json.Member("model", model);
            json.Member("by", by);
          }};
    }
    case InsightsAnalysis::kOverview:
      break;
  }
  return {};
}

}  // namespace

std::optional<InsightsAnalysis> InsightsAnalysisOfPath(std::string_view path) {
  for (const Analysis& one : kAnalyses) {
    if (one.path == path) return one.analysis;
  }
  return std::nullopt;
}

UsageAnswer InsightsAnswer(InsightsAnalysis analysis, std::string_view target, bool admin,
                           accounting::LedgerReader& reader) {
  std::string problem;
  const bool retention = analysis == InsightsAnalysis::kRetention;
  const std::optional<std::vector<QueryParameter>> parameters =
      retention ? ReadParameters(target, {"weeks", "at", "format", "model", "by"}, &problem)
      : analysis == InsightsAnalysis::kOverview
          ? ReadParameters(target, {"weeks", "at"}, &problem)
          : ReadParameters(target, {"weeks", "at", "format"}, &problem);
  if (!parameters) return UsageFailure(400, std::move(problem));
  Parameters p;
  for (const QueryParameter& parameter : *parameters) {
    problem = ReadParameter(parameter, &p);
    if (!problem.empty()) return UsageFailure(400, std::move(problem));
  }
  if (retention && p.model.empty()) {
    return UsageFailure(400, "model: required (the model whose users' retention to show)");
  }
  if (retention && p.by != accounting::UsageEntity::kApp && !admin) {
    return UsageFailure(403, "by=" + EntityName(p.by) + (p.by_given ? "" : " (the default)") +
                                 ": retention of keys and users is readable by admin keys only; "
                                 "by=app is not restricted");
  }
  const int64_t today = reader.Today();
  if (p.at_day && *p.at_day > today) {
    return UsageFailure(400, "at: " + accounting::FormatDay(*p.at_day) + " is after today (" +
                                 accounting::FormatDay(today) + ", UTC)");
  }
  const WeekRange range = accounting::LastWeeks(p.at_day.value_or(today), p.weeks);
  const int64_t today_week = accounting::LastWeeks(today, 1).last;
  UsageAnswer answer;
  try {
    if (analysis == InsightsAnalysis::kOverview) {
      answer.body = OverviewJson(reader, range, today_week);
      return answer;
    }
    const Computed computed = Compute(analysis, p, reader, range, today_week);
    const std::string_view name = Describe(analysis).name;
    if (p.csv) {
      answer.content_type = "text/csv; charset=utf-8";
      answer.disposition = "attachment; filename=\"insights-" + std::string(name) + ".csv\"";
      answer.body = computed.table.Csv();
      return answer;
    }
    JsonWriter json;
    json.BeginObject().Member("object", "insights." + std::string(name));
    WriteRange(json, range);
    if (computed.extra) computed.extra(json);
    json.Key("data");
    computed.table.WriteJson(json);
    json.EndObject();
    answer.body = json.Take();
  } catch (const std::exception& error) {
    return UsageFailure(503, std::string("the usage ledger cannot be read: ") + error.what());
  }
  return answer;
}

}  // namespace gw::api

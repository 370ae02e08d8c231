#include "gateway/api/rankings_api.h"

#include <charconv>
#include <functional>

#include "accounting/ledger/json_text.h"
#include "accounting/ledger/rankings.h"
#include "accounting/ledger/utc_time.h"
#include "gateway/api/query_string.h"

namespace gw::api {
namespace {

using accounting::JsonWriter;

constexpr std::string_view kDimensions = "model, author, provider, app, key, user";

// The parameters both endpoints share, read into their query's fields.
struct CommonParameters {
  accounting::UsageDimension by = accounting::UsageDimension::kModel;
  accounting::Period period = accounting::Period::kWeek;
  std::optional<int64_t> at_day;
  accounting::UsageFilters filters;
};

// An integer in [min, max]; else a message naming the parameter.
std::string ReadCount(const QueryParameter& parameter, size_t min, size_t max, size_t* out) {
  const std::string& text = parameter.value;
  size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return parameter.name + ": expected an integer from " + std::to_string(min) + " to " +
           std::to_string(max) + ", got \"" + text + "\"";
  }
  *out = value;
  return "";
}

// Reads one shared parameter; false when `parameter` is not one of them. *problem is set for a
// bad value.
bool ReadCommon(const QueryParameter& parameter, CommonParameters* common, std::string* problem) {
  const std::string& name = parameter.name;
  const std::string& value = parameter.value;
  if (name == "by") {
    const std::optional<accounting::UsageDimension> by = accounting::ParseUsageDimension(value);
    if (!by || *by == accounting::UsageDimension::kDay) {
      *problem = "by: expected one of " + std::string(kDimensions) + ", got \"" + value + "\"";
    } else {
      common->by = *by;
    }
  } else if (name == "period") {
    const std::optional<accounting::Period> period = accounting::ParsePeriod(value);
    if (!period) {
      *problem = "period: expected one of day, week, month, got \"" + value + "\"";
    } else {
      common->period = *period;
    }
  } else if (name == "at") {
    common->at_day = accounting::ParseDay(value);
    if (!common->at_day) *problem = "at: expected a date YYYY-MM-DD, got \"" + value + "\"";
  } else if (name == "key") {
    common->filters.api_key_id = value;
  } else if (name == "user") {
    common->filters.user = value;
  } else if (name == "model") {
    common->filters.model = value;
  } else if (name == "provider") {
    common->filters.provider = value;
  } else if (name == "app") {
    common->filters.app = value;
  } else {
    return false;
  }
  return true;
}

void WriteRange(JsonWriter& json, const accounting::DayRange& range) {
  json.Member("from", accounting::FormatDay(range.from_day));
  json.Member("to", accounting::FormatDay(range.to_day));
}

void WriteOptionalPercent(JsonWriter& json, std::string_view key, std::optional<double> value) {
  json.Key(key);
  if (value) {
    json.Double(*value);
  } else {
    json.Null();
  }
}

// The sums of a row or of the totals.
void WriteSums(JsonWriter& json, const accounting::RankedRow& row) {
  json.Member("tokens", row.Tokens());
  json.Member("prompt_tokens", row.usage.prompt_tokens);
  json.Member("completion_tokens", row.usage.completion_tokens);
  json.Member("reasoning_tokens", row.usage.reasoning_tokens);
  json.Member("requests", row.usage.requests);
  json.Key("cost").Usd(row.usage.cost_nano);
  json.Member("previous_tokens", row.previous_tokens);
  WriteOptionalPercent(json, "change", row.change);
}

void WriteRow(JsonWriter& json, const accounting::RankedRow& row, bool by_model) {
  json.BeginObject();
  json.Key("rank");
  if (row.rank) {
    json.Int(*row.rank);
  } else {
    json.Null();
  }
  json.Member("name", row.usage.name);
  if (row.other) json.Member("other", true);
  if (by_model && !row.other) json.Member("author", row.author);
  WriteSums(json, row);
  json.Key("share").Double(row.share);
  WriteOptionalPercent(json, "trend", row.trend);
  json.EndObject();
}

// What a caller may ask for: every key's and user's usage is an admin's (docs/rankings.md,
// "Who may read"); anyone may read the other dimensions. Also refuses a date after today.
// Returns "" or the 403/400 answer's message in *status/*problem.
std::string CheckScope(const CommonParameters& common, const RankingsCaller& caller, int64_t today,
                       int* status) {
  *status = 403;
  if (!caller.admin) {
    const bool per_key = common.by == accounting::UsageDimension::kApiKey ||
                         common.by == accounting::UsageDimension::kUser;
    if (per_key) {
      return "by=" + std::string(accounting::UsageDimensionName(common.by)) +
             ": rankings of keys and users are readable by admin keys only";
    }
    if (common.filters.user) return "user: filtering by user is for admin keys only";
    if (common.filters.api_key_id && *common.filters.api_key_id != caller.key_id) {
      return "key: a key can filter only by its own id (this key is " +
             (caller.key_id.empty() ? std::string("none") : caller.key_id) + ")";
    }
  }
  *status = 400;
  if (common.at_day && *common.at_day > today) {
    return "at: " + accounting::FormatDay(*common.at_day) + " is after today (" +
           accounting::FormatDay(today) + ", UTC)";
  }
  return "";
}

// Checks the shared parameters against the caller (CheckScope) and copies them into the query
// (a RankingsQuery or a TimeseriesQuery); the refusal when there is one.
template <typename Query>
std::optional<UsageAnswer> ApplyCommon(CommonParameters common, const RankingsCaller& caller,
                                       accounting::UsageSource& reader, Query* query) {
  int status = 0;
  if (std::string refused = CheckScope(common, caller, reader.Today(), &status); !refused.empty()) {
    return UsageFailure(status, std::move(refused));
  }
  query->by = common.by;
  query->period = common.period;
  query->at_day = common.at_day;
  query->filters = std::move(common.filters);
  return std::nullopt;
}

// Runs `compute` and turns a ledger failure into a 503.
UsageAnswer Answer(const std::function<std::string()>& compute) {
  UsageAnswer answer;
  try {
    answer.body = compute();
  } catch (const std::exception& error) {
    return UsageFailure(503, std::string("the usage ledger cannot be read: ") + error.what());
  }
  return answer;
}

}  // namespace

UsageAnswer RankingsAnswer(std::string_view target, const RankingsCaller& caller,
                           accounting::UsageSource& reader) {
  std::string problem;
  const std::optional<std::vector<QueryParameter>> parameters = ReadParameters(
      target, {"by", "period", "at", "limit", "order", "key", "user", "model", "provider", "app"},
      &problem);
  if (!parameters) return UsageFailure(400, std::move(problem));
  CommonParameters common;
  accounting::RankingsQuery query;
  for (const QueryParameter& parameter : *parameters) {
    if (ReadCommon(parameter, &common, &problem)) {
      // read
    } else if (parameter.name == "limit") {
      problem = ReadCount(parameter, 1, 1000, &query.limit);
    } else if (parameter.name == "order") {
      const std::optional<accounting::RankOrder> order =
          accounting::ParseRankOrder(parameter.value);
      if (!order) {
        problem = "order: expected one of tokens, cost, requests, trending, got \"" +
                  parameter.value + "\"";
      } else {
        query.order = *order;
      }
    }
    if (!problem.empty()) return UsageFailure(400, std::move(problem));
  }
  if (std::optional<UsageAnswer> refused = ApplyCommon(std::move(common), caller, reader, &query)) {
    return std::move(*refused);
  }
  return Answer([&] {
    const accounting::Rankings rankings = accounting::ComputeRankings(reader, query);
    const bool by_model = query.by == accounting::UsageDimension::kModel;
    JsonWriter json;
    json.BeginObject();
    json.Member("object", "rankings");
    json.Member("by", accounting::UsageDimensionName(query.by));
    json.Member("period", accounting::PeriodName(query.period));
    json.Member("order", accounting::RankOrderName(query.order));
    WriteRange(json, rankings.range);
    json.Member("complete", rankings.complete);
    json.Key("previous").BeginObject();
    WriteRange(json, rankings.previous);
    if (rankings.previous_until_ms) {
      json.Member("until", accounting::FormatIsoUtc(*rankings.previous_until_ms));
    }
    json.EndObject();
    json.Key("totals").BeginObject();
    WriteSums(json, rankings.totals);
    json.EndObject();
    json.Key("data").BeginArray();
    for (const accounting::RankedRow& row : rankings.rows) WriteRow(json, row, by_model);
    json.EndArray();
    json.EndObject();
    return json.Take();
  });
}

UsageAnswer TimeseriesAnswer(std::string_view target, const RankingsCaller& caller,
                             accounting::UsageSource& reader) {
  std::string problem;
  const std::optional<std::vector<QueryParameter>> parameters = ReadParameters(
      target,
      {"by", "period", "at", "buckets", "top", "metric", "key", "user", "model", "provider", "app"},
      &problem);
  if (!parameters) return UsageFailure(400, std::move(problem));
  CommonParameters common;
  accounting::TimeseriesQuery query;
  for (const QueryParameter& parameter : *parameters) {
    if (ReadCommon(parameter, &common, &problem)) {
      // read
    } else if (parameter.name == "buckets") {
      problem = ReadCount(parameter, 1, 366, &query.buckets);
    } else if (parameter.name == "top") {
      problem = ReadCount(parameter, 1, 50, &query.top);
    } else if (parameter.name == "metric") {
      const std::optional<accounting::RankMetric> metric =
          accounting::ParseRankMetric(parameter.value);
      if (!metric) {
        problem = "metric: expected one of tokens, cost, requests, got \"" + parameter.value + "\"";
      } else {
        query.metric = *metric;
      }
    }
    if (!problem.empty()) return UsageFailure(400, std::move(problem));
  }
  if (std::optional<UsageAnswer> refused = ApplyCommon(std::move(common), caller, reader, &query)) {
    return std::move(*refused);
  }
  return Answer([&] {
    const accounting::Timeseries series = accounting::ComputeTimeseries(reader, query);
    const bool cost = query.metric == accounting::RankMetric::kCost;
    const auto value = [cost](JsonWriter& json, int64_t v) {
      if (cost) {
        json.Usd(v);
      } else {
        json.Int(v);
      }
    };
    JsonWriter json;
    json.BeginObject();
    json.Member("object", "rankings.timeseries");
    json.Member("by", accounting::UsageDimensionName(query.by));
    json.Member("period", accounting::PeriodName(query.period));
    json.Member("metric", accounting::RankMetricName(query.metric));
    json.Key("buckets").BeginArray();
    for (size_t i = 0; i < series.buckets.size(); ++i) {
      json.BeginObject();
      WriteRange(json, series.buckets[i]);
      json.Member("complete", i + 1 < series.buckets.size() || series.last_complete);
      json.Key("total");
      value(json, series.bucket_totals[i]);
      json.EndObject();
    }
    json.EndArray();
    json.Key("series").BeginArray();
    for (const accounting::Series& one : series.series) {
      json.BeginObject();
      json.Member("name", one.name);
      if (one.other) json.Member("other", true);
      json.Key("total");
      value(json, one.total);
      json.Key("values").BeginArray();
      for (int64_t v : one.values) value(json, v);
      json.EndArray();
      json.EndObject();
    }
    json.EndArray();
    json.EndObject();
    return json.Take();
  });
}

}  // namespace gw::api

#include "accounting/ledger/usage_format.h"

#include <algorithm>
#include <cstdlib>

#include "accounting/ledger/json_text.h"

namespace gw::accounting {
namespace {

void UsageRowJson(JsonWriter& w, const UsageRow& row) {
  w.BeginObject()
      .Member("name", row.name)
      .Member("requests", row.requests)
      .Member("prompt_tokens", row.prompt_tokens)
      .Member("completion_tokens", row.completion_tokens)
      .Member("reasoning_tokens", row.reasoning_tokens)
      .Member("cached_tokens", row.cached_tokens)
      .Member("tokens_prompt", row.tokens_prompt)
      .Member("tokens_completion", row.tokens_completion)
      .Key("cost")
      .Usd(row.cost_nano)
      .EndObject();
}

std::vector<std::string> TableCells(const UsageRow& row) {
  return {row.name.empty() ? "(none)" : row.name,
          WithThousands(row.requests),
          WithThousands(row.prompt_tokens),
          WithThousands(row.completion_tokens),
          WithThousands(row.reasoning_tokens),
          WithThousands(row.cached_tokens),
          FixedUsd(row.cost_nano, 6)};
}

}  // namespace

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string WithThousands(int64_t value) {
  const bool negative = value < 0;
  std::string digits = std::to_string(value);
  if (negative) digits.erase(0, 1);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  if (negative) out.insert(out.begin(), '-');
  return out;
}

std::string FixedUsd(int64_t nano_usd, int decimals) {
  decimals = std::clamp(decimals, 0, 9);
  int64_t divisor = 1;
  for (int i = decimals; i < 9; ++i) divisor *= 10;
  const bool negative = nano_usd < 0;
  // Magnitude as unsigned so INT64_MIN does not overflow.
  uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(nano_usd) : static_cast<uint64_t>(nano_usd);
  const uint64_t d = static_cast<uint64_t>(divisor);
  magnitude = magnitude / d + (magnitude % d * 2 >= d ? 1 : 0);
  uint64_t unit = 1;
  for (int i = 0; i < decimals; ++i) unit *= 10;
  std::string out;
  if (negative && magnitude != 0) out.push_back('-');
  out.append(std::to_string(magnitude / unit));
  if (decimals > 0) {
    const std::string fraction = std::to_string(magnitude % unit);
    out.push_back('.');
    out.append(static_cast<size_t>(decimals) - fraction.size(), '0');
    out.append(fraction);
  }
  return out;
}

std::string ActivityCsv(const std::vector<ActivityRow>& rows) {
  std::string out =
      "date,model,provider_name,requests,prompt_tokens,completion_tokens,reasoning_tokens,"
      "cached_tokens,usage\r\n";
  for (const ActivityRow& r : rows) {
    out += CsvField(r.date) + ',' + CsvField(r.model) + ',' + CsvField(r.provider) + ',' +
           std::to_string(r.requests) + ',' + std::to_string(r.prompt_tokens) + ',' +
           std::to_string(r.completion_tokens) + ',' + std::to_string(r.reasoning_tokens) + ',' +
           std::to_string(r.cached_tokens) + ',' + UsdNumber(r.cost_nano) + "\r\n";
  }
  return out;
}

std::string ActivityJson(const std::vector<ActivityRow>& rows) {
  JsonWriter w;
  w.BeginArray();
  for (const ActivityRow& r : rows) {
    w.BeginObject()
        .Member("date", r.date)
        .Member("model", r.model)
        .Member("provider_name", r.provider)
        .Member("requests", r.requests)
        .Member("prompt_tokens", r.prompt_tokens)
        .Member("completion_tokens", r.completion_tokens)
        .Member("reasoning_tokens", r.reasoning_tokens)
        .Member("cached_tokens", r.cached_tokens)
        .Key("usage")
        .Usd(r.cost_nano)
        .EndObject();
  }
  w.EndArray();
  return w.Take();
}

std::string FormatUsageTable(const UsageReport& report) {
  std::vector<std::vector<std::string>> lines;
  lines.push_back({std::string(UsageDimensionName(report.by)), "requests", "prompt", "completion",
                   "reasoning", "cached", "cost_usd"});
  for (const UsageRow& row : report.rows) lines.push_back(TableCells(row));
  lines.push_back(TableCells(report.totals));
  std::vector<size_t> widths(lines.front().size(), 0);
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  const auto render = [&](const std::vector<std::string>& line) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      const std::string pad(widths[i] - line[i].size(), ' ');
      if (i > 0) text += "  ";
      text += i == 0 ? line[i] + pad : pad + line[i];  // names left, numbers right
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text + "\n";
  };
  std::string rule;
  for (size_t i = 0; i < widths.size(); ++i)
    rule += std::string(widths[i], '-') + (i + 1 < widths.size() ? "  " : "");
  std::string out = "usage by " + std::string(UsageDimensionName(report.by)) + ", " + report.from +
                    " to " + report.to + " (UTC)\n\n";
  out += render(lines.front()) + rule + "\n";
  for (size_t i = 1; i + 1 < lines.size(); ++i) out += render(lines[i]);
  out += rule + "\n" + render(lines.back());
  return out;
}

std::string FormatUsageCsv(const UsageReport& report) {
  std::string out = std::string(UsageDimensionName(report.by)) +
                    ",requests,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,"
                    "cost_usd\r\n";
  const auto line = [](const UsageRow& r) {
    return CsvField(r.name) + ',' + std::to_string(r.requests) + ',' +
           std::to_string(r.prompt_tokens) + ',' + std::to_string(r.completion_tokens) + ',' +
           std::to_string(r.reasoning_tokens) + ',' + std::to_string(r.cached_tokens) + ',' +
           UsdNumber(r.cost_nano) + "\r\n";
  };
  for (const UsageRow& row : report.rows) out += line(row);
  out += line(report.totals);
  return out;
}

std::string FormatUsageJson(const UsageReport& report) {
  JsonWriter w;
  w.BeginObject()
      .Member("by", UsageDimensionName(report.by))
      .Member("from", report.from)
      .Member("to", report.to)
      .Key("data")
      .BeginArray();
  for (const UsageRow& row : report.rows) UsageRowJson(w, row);
  w.EndArray().Key("totals");
  UsageRowJson(w, report.totals);
  w.EndObject();
  return w.Take();
}

}  // namespace gw::accounting

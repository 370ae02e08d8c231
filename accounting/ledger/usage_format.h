// Report output formats: activity rows as CSV (the /v1/activity export) and JSON, and a usage
// report as an aligned text table, CSV or JSON for the CLI. USD amounts are exact decimals from
// integer nano-USD (JSON outputs are built as text for that reason, see json_text.h). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/ledger/usage_reports.h"

namespace gw::accounting {

// Header "date,model,provider_name,requests,prompt_tokens,completion_tokens,reasoning_tokens,
// cached_tokens,usage" and one line per row (CRLF line ends, RFC 4180 quoting), usage in USD.
std::string ActivityCsv(const std::vector<ActivityRow>& rows);

// JSON array text: [{"date","model","provider_name","requests","prompt_tokens",
// "completion_tokens","reasoning_tokens","cached_tokens","usage"}], usage an exact USD number.
std::string ActivityJson(const std::vector<ActivityRow>& rows);

// Aligned text table with a header, a totals row, tokens with thousands separators and costs in
// USD rounded to 6 decimals.
std::string FormatUsageTable(const UsageReport& report);
// CSV: <by>,requests,prompt_tokens,completion_tokens,reasoning_tokens,cached_tokens,cost_usd
// plus a final "total" line.
std::string FormatUsageCsv(const UsageReport& report);
// JSON object text: {"by","from","to","data":[{"name",...,"cost"}],"totals":{...}}.
std::string FormatUsageJson(const UsageReport& report);

// One CSV field, quoted when it holds a comma, quote, CR or LF (quotes doubled).
std::string CsvField(std::string_view value);
// 1234567 -> "1,234,567"
std::string WithThousands(int64_t value);
// nano-USD rounded half away from zero to `decimals` (0..9) with exactly that many decimals.
std::string FixedUsd(int64_t nano_usd, int decimals);

}  // namespace gw::accounting

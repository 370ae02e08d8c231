// GET /v1/insights (the overview) and GET /v1/insights/{analysis}: parameter parsing,
// validation and the answer (JSON, or CSV with format=csv) of each analysis, as pure functions
// over a ledger reader, so they are tested without a server. The contract is docs/insights.md.
// Who may call them is decided before, as for the rankings (GatewayHandler,
// server.auth.rankings); beyond that, retention by key or user is for admin keys only, as the
// rankings by key and user are. Worker thread.
#pragma once

#include <optional>
#include <string_view>

#include "accounting/ledger/usage_reports.h"
#include "gateway/api/usage_api.h"

namespace gw::api {

enum class InsightsAnalysis {
  kOverview,           // /v1/insights
  kTokens,             // /v1/insights/tokens: weekly tokens and growth
  kModelClasses,       // /v1/insights/model-classes: proprietary / open weights by origin
  kModelSizes,         // /v1/insights/model-sizes: small / medium / large
  kCategories,         // /v1/insights/categories: task categories, overall and per author
  kLanguages,          // /v1/insights/languages
  kLengths,            // /v1/insights/lengths: prompt and completion lengths per week
  kReasoningAndTools,  // /v1/insights/reasoning-and-tools: reasoning-token and tool-call shares
  kPriceUsage,         // /v1/insights/price-usage: price against tokens per model
  kRetention,          // /v1/insights/retention: cohorts of one model
};

// The analysis a path names ("/v1/insights", "/v1/insights/languages"); nullopt for any other.
std::optional<InsightsAnalysis> InsightsAnalysisOfPath(std::string_view path);

// `target` is the request target with its query; `admin` tells whether the caller holds an
// admin key. 400 names a bad parameter and its allowed values (or a date after today); 403 names
// `by` when a caller that is not an admin asks for the retention of keys or users (by=key,
// by=user, the default), which single them out like the rankings by key and user; 503 when the
// ledger cannot be read.
UsageAnswer InsightsAnswer(InsightsAnalysis analysis, std::string_view target, bool admin,
                           accounting::LedgerReader& reader);

}  // namespace gw::api

// GET /v1/rankings (a leaderboard of one dimension for a period) and GET
// /v1/rankings/timeseries (the per-period series of the top names): parameter parsing,
// validation and the JSON answer, as pure functions over a ledger reader, so they are tested
// without a server. The contract is docs/rankings.md. Who may call them is decided before
// (GatewayHandler, server.auth.rankings). Worker thread.
#pragma once

#include <string_view>

#include "accounting/ledger/usage_reports.h"
#include "gateway/api/usage_api.h"

namespace gw::api {

// `target` is the request target with its query. 400 names a bad parameter and the allowed
// values; 503 when the ledger cannot be read.
UsageAnswer RankingsAnswer(std::string_view target, accounting::LedgerReader& reader);
UsageAnswer TimeseriesAnswer(std::string_view target, accounting::LedgerReader& reader);

}  // namespace gw::api

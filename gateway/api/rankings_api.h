// GET /v1/rankings (a leaderboard of one dimension for a period) and GET
// /v1/rankings/timeseries (the per-period series of the top names): parameter parsing,
// validation and the JSON answer, as pure functions over a usage source (this instance's ledger or
// the shared one), so they are tested without a server. The contract is docs/rankings.md. Who may
// call them is decided before (GatewayHandler, server.auth.rankings). Worker thread.
#pragma once

#include <string>
#include <string_view>

#include "accounting/ledger/usage_reports.h"
#include "gateway/api/usage_api.h"

namespace gw::api {

// Who asks: rankings by key or user, and the `user` filter, are for admins (an admin key, or
// anyone when auth is off); a plain key may filter by its own `key` only (403 otherwise).
struct RankingsCaller {
  bool admin = false;
  std::string key_id;  // "" without a key
};

// `target` is the request target with its query. 400 names a bad parameter and the allowed
// values (or a date after today); 403 for what `caller` may not read; 503 when the ledger
// cannot be read.
UsageAnswer RankingsAnswer(std::string_view target, const RankingsCaller& caller,
                           accounting::UsageSource& reader);
UsageAnswer TimeseriesAnswer(std::string_view target, const RankingsCaller& caller,
                             accounting::UsageSource& reader);

}  // namespace gw::api

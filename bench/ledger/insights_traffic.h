// Realistic insights traffic for the bench ledger (bench/README.md, "Insights over 10 million
// records"): records over the last N weeks from a population of users who join over time, churn,
// keep a few favourite models and switch to new releases, each with a language, a main app and
// key, and a usual task; ~80 models with their attributes and prices, released and retired over
// the range. The records go through the product's InsightsBatch and InsightsWriter (the rows the
// ledger's insights flush writes), one flush per week of traffic. Single-threaded.
#pragma once

#include <cstdint>

#include "accounting/ledger/sqlite_db.h"

namespace gw::bench {

struct InsightsTrafficOptions {
  int64_t records = 10'000'000;  // including the ~2% that no provider served
  int weeks = 104;               // ending with the current (partial) week
  int users = 8'000;
  int keys = 2'500;
  int apps = 1'000;
  uint64_t seed = 18;
};

struct InsightsTrafficResult {
  int64_t records = 0;  // made, served or not
  int64_t served = 0;   // counted by the insights (a provider answered 200)
  double seconds = 0;
};

// Adds the traffic's insights rollups to the ledger `db` (schema applied) and sets the insights
// watermark (insights_state.through_rowid) to the number of records made, as if the ledger held
// them. Throws std::runtime_error on a failed write.
InsightsTrafficResult FillInsights(sqlite3* db, const InsightsTrafficOptions& options);

}  // namespace gw::bench

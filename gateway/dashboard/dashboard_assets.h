// The dashboard pages (/rankings, /activity, /insights, /keys, the model pages), their shared
// script and style sheet and the /insights page's own, embedded into the binary at build time (an
// assembler .incbin, see dashboard_assets.cc). Constant data: any thread may call FindAsset; the
// table is built once, on first use, and never changes.
#pragma once

#include <string_view>

namespace gw::dashboard {

struct Asset {
  std::string_view content_type;  // e.g. "text/html; charset=utf-8"
  std::string_view body;          // the file's bytes, as built into the binary
  std::string_view etag;          // a strong ETag, quoted: a hash of `body`
};

// "/rankings" -> rankings.html, "/activity" -> activity.html, "/insights" -> insights.html,
// "/keys" -> keys.html, "/dashboard/dashboard.js", "/dashboard/dashboard.css",
// "/dashboard/insights.js", "/dashboard/insights.css" (exact match of the path, without a
// query), and "/models/{author}/{slug}" (any path under /models/) -> model.html; nullptr for
// anything else. Thread-safe, no allocation per call.
const Asset* FindAsset(std::string_view path);

}  // namespace gw::dashboard

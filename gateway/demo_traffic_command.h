// `gateway demo-traffic --config FILE [...]`: fills the usage ledger with weeks of realistic,
// backdated history by sending planned traffic (demo_traffic_model.h) over real HTTP through an
// in-process gateway that honours X-Gateway-Demo-Time, on an ephemeral loopback port. Meant for
// the demo's simulators (docs/demo-traffic.md). Run by main(); single-threaded entry points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gw {

struct DemoTrafficOptions {
  std::string config_file;
  uint32_t weeks = 12;
  uint32_t requests_per_day = 300;
  uint64_t seed = 1;
  std::optional<std::string> end;  // YYYY-MM-DD; default today (UTC)
  uint32_t concurrency = 16;
  bool if_empty = false;      // do nothing when the ledger holds any record
  bool append = false;        // add to a ledger that holds records (refused otherwise)
  bool allow_remote = false;  // also send to providers that are not on loopback
};

// Parses the arguments after "demo-traffic". Returns "" and fills *out, or a message naming the
// bad argument (main exits with status 2).
std::string ParseDemoTrafficCommand(const std::vector<std::string>& args, DemoTrafficOptions* out);

// Runs the command; prints progress and a summary on stdout, problems on stderr. Returns the
// exit status: 0 (also when --if-empty found records), 1 on a failure (bad config, unreachable
// provider, failed requests).
int RunDemoTrafficCommand(const DemoTrafficOptions& options);

}  // namespace gw

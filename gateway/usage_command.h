// `gateway usage --config FILE [--from DATE] [--to DATE] [--by DIMENSION] [--format FORMAT]`:
// a usage report from the ledger the configuration names, printed as an aligned table (with a
// totals row), CSV or JSON. Reads the rollups through a read-only connection, so it works
// while the gateway runs. Run by main(); single-threaded.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gw {

struct UsageCommandOptions {
  std::string config_file;
  std::optional<std::string> from;  // YYYY-MM-DD
  std::optional<std::string> to;
  std::string by = "model";      // model|provider|author|app|key|user|day
  std::string format = "table";  // table|csv|json
};

// Parses the arguments after "usage". Returns "" and fills *out, or a message naming the bad
// argument.
std::string ParseUsageCommand(const std::vector<std::string>& args, UsageCommandOptions* out);

// Prints the report to stdout. Returns the exit status: 0, or 1 after printing the problem (an
// invalid config, a missing or unreadable ledger, a bad date) to stderr.
int RunUsageCommand(const UsageCommandOptions& options);

}  // namespace gw

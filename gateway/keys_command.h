// `gateway keys create|list|show|update|delete|import --config FILE ...`: the management API's
// operations (docs/keys.md) on the key table the configuration names (its SQLite file, or the
// shared table in PostgreSQL), from the command line; and `import --from FILE`, which copies the
// keys of a SQLite key file into that table (moving to keys_store: postgres). Works while the
// gateway runs: the gateway sees the change within a second (the key table's version is polled).
// Run by main(); single-threaded.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace gw {

struct KeysCommandOptions {
  std::string action;  // create | list | show | update | delete | import
  std::string config_file;
  std::string hash;  // show, update, delete
  // The key fields given as flags, by flag name without "--" (name, limit, reset, expires, ...)
  // in the order given; "disable"/"enable" have the value "".
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::string> model_rate_limits;  // --model-rate MODEL=RPM/TPM, repeatable
  bool include_disabled = true;                // list: --active-only clears it
  std::string format;                          // list: table (default) | json
  std::string from;                            // import: the SQLite key file to copy
};

// Parses the arguments after "keys". Returns "" and fills *out, or a message naming the bad
// argument.
std::string ParseKeysCommand(const std::vector<std::string>& args, KeysCommandOptions* out);

// Runs the action; prints JSON (the management API's bodies) or, for list, a table to stdout.
// Returns the exit status: 0, or 1 after printing the problem to stderr.
int RunKeysCommand(const KeysCommandOptions& options);

}  // namespace gw

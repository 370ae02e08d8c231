// The gateway-sim command line: listen address, workers, the default SimOptions and the test
// aids. Parsed once by main() before the server starts; pure, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "gateway/simulator/sim_options.h"

namespace gw::simulator {

struct CommandLine {
  config::ListenAddress listen{"127.0.0.1", 9101};
  uint32_t workers = 1;  // 0 = one per core
  SimOptions defaults;
  std::vector<std::string> models;  // what GET /v1/models lists; empty = {"sim-model"}
  bool access_log = false;
  std::string tls_cert_file;  // --tls-cert/--tls-key: serve HTTPS (both or neither)
  std::string tls_key_file;
  bool record_requests = false;  // keep the last completion request for GET /sim/last-request
  bool help = false;             // --help was given: print Usage() and exit 0
  bool version = false;          // --version was given: print the version and exit 0
};

// Parses argv[1..]; every value flag accepts "--flag value" and "--flag=value". Returns "" on
// success, else one line for stderr (main then exits with status 2).
std::string ParseCommandLine(int argc, const char* const* argv, CommandLine* out);

// The --help text.
std::string Usage();

inline constexpr std::string_view kSimVersion = "0.1.0";

}  // namespace gw::simulator

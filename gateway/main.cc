// The `gateway` command: `serve --config FILE`, `check-config FILE`, `usage`, `demo-traffic`,
// `--help`, `--version`.
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.h"
#include "gateway/app.h"
#include "gateway/demo_traffic_command.h"
#include "gateway/server/http_server.h"
#include "gateway/server/log.h"
#include "gateway/usage_command.h"

namespace {

constexpr std::string_view kUsage =
    "usage: gateway <command> [options]\n"
    "\n"
    "An OpenAI-compatible LLM routing gateway.\n"
    "\n"
    "commands:\n"
    "  serve --config FILE     run the gateway with the YAML configuration FILE\n"
    "  check-config FILE       validate FILE; print every problem with its line and column\n"
    "  usage --config FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "        [--by model|provider|author|app|key|user|day] [--format table|csv|json]\n"
    "                          usage report from the ledger (default: the last 30 days by model)\n"
    "  demo-traffic --config FILE [--weeks N] [--requests-per-day N] [--seed N]\n"
    "        [--end YYYY-MM-DD] [--concurrency N] [--if-empty | --append]\n"
    "        [--allow-remote-providers]\n"
    "                          fill the ledger with weeks of backdated demo traffic, sent\n"
    "                          through the configured (local) providers; docs/demo-traffic.md\n"
    "\n"
    "options:\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "\n"
    "Docs: README.md, docs/configuration.md. SIGTERM/SIGINT shut down gracefully.\n";

void PrintErrors(const std::vector<gw::config::ConfigError>& errors, const std::string& file) {
  std::fprintf(stderr, "%s: %zu problem%s\n", file.c_str(), errors.size(),
               errors.size() == 1 ? "" : "s");
  for (const auto& error : errors) std::fprintf(stderr, "  %s\n", error.ToString().c_str());
}

int CheckConfig(const std::string& file) {
  gw::config::LoadResult result = gw::config::LoadConfigFile(file, gw::config::ProcessEnv());
  if (!result.errors.empty()) {
    PrintErrors(result.errors, file);
    return 1;
  }
  const auto& config = *result.config;
  size_t endpoints = 0;
  for (const auto& model : config.models) endpoints += model.endpoints.size();
  std::printf("%s: ok (%zu providers, %zu models, %zu endpoints, listen %s:%u)\n", file.c_str(),
              config.providers.size(), config.models.size(), endpoints,
              config.server.listen.host.c_str(), config.server.listen.port);
  return 0;
}

// Request bodies up to max_body_bytes (16 MiB) are allocated and freed on every request. With
// glibc's defaults, large ones are mmapped or trimmed back to the kernel after each request and
// page-faulted in again by the next (measured: a third of the CPU of 400 KB requests). Keeping
// freed memory in the heap up to these bounds removes that; RSS then stays at its high-water
// mark instead of shrinking (bench/README.md reports both).
void TuneAllocator() {
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
}

int Serve(const std::string& file) {
  TuneAllocator();
  gw::config::LoadResult result = gw::config::LoadConfigFile(file, gw::config::ProcessEnv());
  if (!result.errors.empty()) {
    PrintErrors(result.errors, file);
    return 1;
  }
  gw::server::BlockTerminationSignals();
  try {
    gw::GatewayApp app(std::move(*result.config));
    gw::GatewayServer server(app);
    server.Start();
    const int signal_number = gw::server::WaitForTerminationSignal();
    gw::server::LogJsonLine("{\"event\":\"shutdown\",\"service\":\"gateway\",\"signal\":" +
                            std::to_string(signal_number) + "}");
    server.Stop();  // every queued usage record is written before the process exits
    gw::server::LogJsonLine(R"({"event":"stopped","service":"gateway"})");
  } catch (const std::exception& error) {
    gw::server::LogError("gateway", error.what());
    return 1;
  }
  return 0;
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "gateway: %s\n\n%.*s", message.c_str(), static_cast<int>(kUsage.size()),
               kUsage.data());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return UsageError("no command given");
  const std::string& command = args[0];
  if (command == "-h" || command == "--help" || command == "help") {
    std::fwrite(kUsage.data(), 1, kUsage.size(), stdout);
    return 0;
  }
  if (command == "-V" || command == "--version") {
    std::printf("gateway %s\n", GW_VERSION);
    return 0;
  }
  if (command == "check-config") {
    if (args.size() != 2) return UsageError("check-config takes exactly one FILE");
    return CheckConfig(args[1]);
  }
  if (command == "usage") {
    gw::UsageCommandOptions options;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (std::string problem = gw::ParseUsageCommand(rest, &options); !problem.empty()) {
      return UsageError(problem);
    }
    return gw::RunUsageCommand(options);
  }
  if (command == "demo-traffic") {
    gw::DemoTrafficOptions options;
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (std::string problem = gw::ParseDemoTrafficCommand(rest, &options); !problem.empty()) {
      return UsageError(problem);
    }
    return gw::RunDemoTrafficCommand(options);
  }
  if (command == "serve") {
    if (args.size() == 3 && (args[1] == "--config" || args[1] == "-c")) return Serve(args[2]);
    if (args.size() == 2 && args[1].starts_with("--config=")) return Serve(args[1].substr(9));
    return UsageError("serve needs --config FILE");
  }
  return UsageError("unknown command \"" + command + "\"");
}

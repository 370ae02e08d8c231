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
#include "gateway/keys_command.h"
#include "gateway/server/http_server.h"
#include "gateway/server/log.h"
#include "gateway/usage_command.h"

namespace {

// One entry per command: the overview (`gateway --help`) lists each synopsis and summary; the
// command's own help (`gateway <command> --help`) adds its details.
struct CommandHelp {
  std::string_view name;
  std::string_view synopsis;  // the arguments after the name, on as many lines as needed
  std::string_view summary;
  std::string_view details;
};

constexpr CommandHelp kCommands[] = {
    {"serve", "--config FILE", "run the gateway with the YAML configuration FILE",
     "  -c, --config FILE       the configuration (docs/configuration.md); also --config=FILE\n"
     "\n"
     "SIGTERM/SIGINT shut down gracefully: in-flight requests get the configured grace period\n"
     "and every usage record is written before the process exits.\n"},
    {"check-config", "FILE", "validate FILE; print every problem with its line and column",
     "Exits 0 and prints a one-line summary when FILE is valid, 1 with the problems otherwise.\n"},
    {"usage",
     "--config FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
     "      [--by model|provider|author|app|key|user|day] [--format table|csv|json]",
     "usage report from the ledger (default: the last 30 days by model)",
     "  -c, --config FILE       the configuration whose ledger (accounting.data_dir) is read\n"
     "  --from, --to DATE       the UTC days to report, both included\n"
     "  --by DIMENSION          one row per model, provider, author, app, key, user or day\n"
     "  --format FORMAT         table (default), csv or json\n"
     "\n"
     "Reads the ledger while the gateway runs. docs/accounting.md describes the numbers.\n"},
    {"demo-traffic",
     "--config FILE [--weeks N] [--requests-per-day N] [--seed N]\n"
     "      [--end YYYY-MM-DD] [--concurrency N] [--if-empty | --append]\n"
     "      [--allow-remote-providers]",
     "fill the ledger with weeks of backdated demo traffic, sent through the configured\n"
     "      (local) providers",
     "  -c, --config FILE       the configuration whose providers and ledger are used\n"
     "  --weeks N               how many weeks of traffic, ending at --end (default 12)\n"
     "  --requests-per-day N    the average daily volume (default 300)\n"
     "  --seed N                the random seed: the same seed, the same traffic (default 1)\n"
     "  --end YYYY-MM-DD        the last day of traffic (default: today, UTC)\n"
     "  --concurrency N         requests in flight (default 16)\n"
     "  --if-empty              do nothing if the ledger already has records\n"
     "  --append                add to a ledger that already has records\n"
     "  --allow-remote-providers  send to providers that are not on loopback\n"
     "\n"
     "docs/demo-traffic.md describes the traffic.\n"},
    {"keys", "create|list|show|update|delete|import --config FILE [HASH] [options]",
     "manage API keys: credit limits, expiry, model and provider lists, rate limits",
     "  create --name NAME [fields]   a new key; prints it with its secret (shown once)\n"
     "  list [--active-only] [--format table|json]\n"
     "  show HASH                     the key with its usage and remaining credit\n"
     "  update HASH [fields]          changes the given fields only\n"
     "  delete HASH\n"
     "  import --from FILE            copies the keys of a SQLite key file the table lacks\n"
     "                                (moving to accounting.keys_store: postgres)\n"
     "  -c, --config FILE             the configuration whose data directory holds the keys\n"
     "\n"
     "fields:\n"
     "  --name NAME\n"
     "  --limit USD|none              credit limit per reset period\n"
     "  --reset daily|weekly|monthly|none   when the limit resets (UTC; weeks from Monday)\n"
     "  --expires ISO-8601|none       refused from this instant on\n"
     "  --disable, --enable\n"
     "  --allow-models, --deny-models, --allow-providers, --deny-providers A,B,...\n"
     "  --rpm N, --tpm N              requests and tokens per minute for the key (0: none)\n"
     "  --model-rate MODEL=RPM/TPM    per-model rate limit, repeatable (none: clear all)\n"
     "  --user-limit USD|none, --user-rpm N, --user-tpm N   per end user (`user` field)\n"
     "\n"
     "Works while the gateway runs (it sees the change within a second). docs/keys.md.\n"},
};

const CommandHelp* FindCommand(std::string_view name) {
  for (const CommandHelp& command : kCommands) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

std::string OverviewHelp() {
  std::string text =
      "usage: gateway <command> [options]\n"
      "\n"
      "An OpenAI-compatible LLM routing gateway.\n"
      "\n"
      "commands:\n";
  for (const CommandHelp& command : kCommands) {
    text.append("  ").append(command.name).append(" ").append(command.synopsis).append("\n");
    text.append("      ").append(command.summary).append("\n");
  }
  text.append(
      "\n"
      "options:\n"
      "  -h, --help              show this help; `gateway <command> --help` shows the command's\n"
      "  -V, --version           show the version\n"
      "\n"
      "Docs: README.md, docs/configuration.md.\n");
  return text;
}

std::string CommandUsage(const CommandHelp& command) {
  std::string text = "usage: gateway ";
  text.append(command.name).append(" ").append(command.synopsis).append("\n\n");
  text.append(command.summary).append("\n\n").append(command.details);
  return text;
}

bool IsHelpFlag(std::string_view arg) { return arg == "-h" || arg == "--help"; }

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

// A usage problem: the message, then the command's usage (the overview for an unknown command)
// on stderr; exit status 2.
int UsageError(const std::string& message, const CommandHelp* command = nullptr) {
  const std::string usage = command ? CommandUsage(*command) : OverviewHelp();
  std::fprintf(stderr, "gateway: %s\n\n%s", message.c_str(), usage.c_str());
  return 2;
}

int PrintHelp(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return UsageError("no command given");
  const std::string& command = args[0];
  if (IsHelpFlag(command) || command == "help") {
    if (args.size() == 2 && FindCommand(args[1]) != nullptr) {
      return PrintHelp(CommandUsage(*FindCommand(args[1])));
    }
    return PrintHelp(OverviewHelp());
  }
  if (command == "-V" || command == "--version") {
    std::printf("gateway %s\n", GW_VERSION);
    return 0;
  }
  const CommandHelp* help = FindCommand(command);
  if (help == nullptr) return UsageError("unknown command \"" + command + "\"");
  // `--help` anywhere after the command shows its usage (not "missing value" or "no such file").
  for (size_t i = 1; i < args.size(); ++i) {
    if (IsHelpFlag(args[i])) return PrintHelp(CommandUsage(*help));
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "check-config") {
    if (rest.size() != 1) return UsageError("check-config takes exactly one FILE", help);
    return CheckConfig(rest[0]);
  }
  if (command == "usage") {
    gw::UsageCommandOptions options;
    if (std::string problem = gw::ParseUsageCommand(rest, &options); !problem.empty()) {
      return UsageError(problem, help);
    }
    return gw::RunUsageCommand(options);
  }
  if (command == "demo-traffic") {
    gw::DemoTrafficOptions options;
    if (std::string problem = gw::ParseDemoTrafficCommand(rest, &options); !problem.empty()) {
      return UsageError(problem, help);
    }
    return gw::RunDemoTrafficCommand(options);
  }
  if (command == "keys") {
    gw::KeysCommandOptions options;
    if (std::string problem = gw::ParseKeysCommand(rest, &options); !problem.empty()) {
      return UsageError(problem, help);
    }
    return gw::RunKeysCommand(options);
  }
  // serve
  if (rest.size() == 2 && (rest[0] == "--config" || rest[0] == "-c")) return Serve(rest[1]);
  if (rest.size() == 1 && rest[0].starts_with("--config=")) return Serve(rest[0].substr(9));
  return UsageError("serve needs --config FILE", help);
}

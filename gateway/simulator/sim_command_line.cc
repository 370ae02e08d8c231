#include "gateway/simulator/sim_command_line.h"

#include <charconv>

#include "config/net_address.h"

namespace gw::simulator {
namespace {

constexpr uint32_t kMaxWorkers = 1024;

// Flags that take no value.
bool ApplySwitch(std::string_view flag, CommandLine* out) {
  if (flag == "--help" || flag == "-h") {
    out->help = true;
  } else if (flag == "--version") {
    out->version = true;
  } else if (flag == "--access-log") {
    out->access_log = true;
  } else if (flag == "--record-requests") {
    out->record_requests = true;
  } else {
    return false;
  }
  return true;
}

std::string ParseModels(std::string_view text, std::vector<std::string>* models) {
  models->clear();
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    if (name.empty()) return "--models: empty model name in the list";
    models->emplace_back(name);
    if (comma == std::string_view::npos) return "";
    text = text.substr(comma + 1);
  }
}

// "--ttft-ms" -> "ttft_ms".
std::string OptionName(std::string_view flag) {
  std::string name(flag.substr(2));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

bool IsValueFlag(std::string_view flag) {
  return flag == "--listen" || flag == "--workers" || flag == "--models" || flag == "--tls-cert" ||
         flag == "--tls-key" || (flag.starts_with("--") && IsKnownOption(OptionName(flag)));
}

// Flags that take a value.
std::string ApplyValueFlag(std::string_view flag, std::string_view value, CommandLine* out) {
  if (flag == "--listen") {
    std::string error = config::ParseListenAddress(value, &out->listen);
    return error.empty() ? "" : "--listen: " + error;
  }
  if (flag == "--workers") {
    uint32_t workers = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, workers);
    if (value.empty() || ec != std::errc() || ptr != end || workers > kMaxWorkers) {
      return "--workers: expected an integer from 0 (one per core) to 1024";
    }
    out->workers = workers;
    return "";
  }
  if (flag == "--models") return ParseModels(value, &out->models);
  if (flag == "--tls-cert" || flag == "--tls-key") {
    if (value.empty()) return std::string(flag) + ": expected a PEM file path";
    (flag == "--tls-cert" ? out->tls_cert_file : out->tls_key_file) = std::string(value);
    return "";
  }
  std::string error = SetOption(OptionName(flag), value, &out->defaults);
  return error.empty() ? "" : std::string(flag) + ": " + error;
}

}  // namespace

std::string ParseCommandLine(int argc, const char* const* argv, CommandLine* out) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!arg.starts_with("--") && arg != "-h") {
      return "unexpected argument \"" + std::string(arg) + "\" (see --help)";
    }
    if (ApplySwitch(arg, out)) continue;
    const size_t eq = arg.find('=');
    const std::string_view flag = arg.substr(0, eq);
    if (!IsValueFlag(flag)) return "unknown flag " + std::string(flag) + " (see --help)";
    std::string_view value;
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
    } else if (IsBoolOption(OptionName(flag)) &&
               (i + 1 == argc || std::string_view(argv[i + 1]).starts_with("--"))) {
      value = "true";  // a bare boolean flag: --tool-call
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return std::string(flag) + " needs a value (see --help)";
    }
    std::string error = ApplyValueFlag(flag, value, out);
    if (!error.empty()) return error;
  }
  if (out->tls_cert_file.empty() != out->tls_key_file.empty()) {
    return "--tls-cert and --tls-key go together";
  }
  return "";
}

std::string Usage() {
  return R"(gateway-sim: an upstream simulator speaking OpenAI (chat/completions, completions,
responses, models) and Anthropic (messages, messages/count_tokens) with configurable latency,
pacing, errors, malformed output and disconnects.

Usage: gateway-sim [flags]

Server:
  --listen HOST:PORT        address to bind (default 127.0.0.1:9101; port 0 = any free port)
  --workers N               worker threads (default 1; 0 = one per core)
  --models a,b,c            models listed by GET /v1/models (default sim-model); any model
                            name is accepted by the completion endpoints
  --access-log              one JSON line per request on stdout
  --record-requests         keep the last completion request for GET /sim/last-request
  --tls-cert FILE           serve HTTPS with this PEM certificate chain (needs --tls-key)
  --tls-key FILE            the PEM private key for --tls-cert
  --help, --version

Behaviour defaults (each can be overridden per request, see docs/simulator.md):
  --ttft-ms N               delay before the first token / the response head (default 0)
  --tokens-per-second X     pace of the tokens after the first (default 0 = no pause)
  --chunk-interval-ms N     fixed gap between tokens; wins over --tokens-per-second
  --tokens N                output tokens (default 16), cut by the request's max_tokens
  --error-rate P            probability 0..1 of answering with --status (default 0)
  --status CODE             status of injected errors, 400..599 (default 500)
  --malformed P             probability 0..1 of a truncated body / a broken SSE event
  --disconnect-after N      drop the connection after N content chunks (default never)
  --usage true|false        report usage at all (default true)
  --bad-usage true|false    report usage with invalid counts (default false)
  --cached-tokens N         prompt_tokens_details.cached_tokens / cache_read_input_tokens
                            (/v1/responses: input_tokens_details.cached_tokens)
  --reasoning-tokens N      reported as completion_tokens_details.reasoning_tokens (default 0);
                            /v1/responses: output_tokens_details, and a reasoning item
  --seed N                  text PRNG seed; a request's "seed" field wins (default 0)
  --early-head [true|false] stream head at once, first token after --ttft-ms (default false)
  --tool-call [true|false]  answer requests that offer tools with a tool call (default false)
  --thinking-tokens N       /v1/messages: a thinking block of N words first; /v1/responses: a
                            reasoning item whose summary has N words (default 0)
  --cache-write-tokens N    /v1/messages: usage.cache_creation_input_tokens (default 0)
  --stream-error-after N    in-stream error event after N content chunks (default never)
  --close-after-response [true|false]
                            close each connection once its answer is complete, although the
                            answer allowed keep-alive; prints a "connection_closed" line
                            (default false)

Per request: header "x-sim-options: ttft_ms=20&tokens=64" or a model suffix
"sim-model?status=503&error_rate=1" (the suffix is applied after the header).
Exit status 2 on a bad flag.
)";
}

}  // namespace gw::simulator

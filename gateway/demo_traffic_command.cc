#include "gateway/demo_traffic_command.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "accounting/ledger/rollups.h"
#include "accounting/ledger/usage_reports.h"
#include "accounting/ledger/utc_time.h"
#include "config/loader.h"
#include "gateway/api/inference_handler.h"
#include "gateway/app.h"
#include "gateway/demo_apps.h"
#include "gateway/demo_chat_body.h"
#include "gateway/demo_traffic_model.h"

namespace gw {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

// Sent to loopback providers: the simulator answers at once, the request's max_tokens sets the
// answer's length, and a request that offers tools gets a call of one unless it ends with a
// tool's result (docs/simulator.md, per-request overrides).
constexpr std::string_view kSimOptionsHeader = "x-sim-options";
constexpr std::string_view kFastSimulator =
    "ttft_ms=0&tokens_per_second=0&chunk_interval_ms=0&tokens=4096&tool_call=true";

template <typename T>
std::string ParseNumber(const std::string& name, const std::string& value, T min, T max, T* out) {
  T number{};
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size() || number < min || number > max) {
    return name + ": expected a whole number " + std::to_string(min) + ".." + std::to_string(max) +
           ", got \"" + value + "\"";
  }
  *out = number;
  return "";
}

// True when every address `host` resolves to is a loopback one (a name is resolved, not
// trusted: "127.example.com" may be anywhere). False when it does not resolve.
bool IsLoopback(const std::string& host) {
  asio::io_context io;
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto addresses = resolver.resolve(host, "0", ec);
  if (ec || addresses.empty()) return false;
  for (const auto& entry : addresses) {
    if (!entry.endpoint().address().is_loopback()) return false;
  }
  return true;
}

// Requests counted in the ledger's rollups (every record ever written, even those whose raw row
// retention removed); 0 when there is no ledger file yet. Throws accounting::LedgerError.
int64_t CountRecords(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;
  std::unique_ptr<accounting::LedgerReader> reader = accounting::LedgerReader::Open(path);
  int64_t requests = 0;
  for (const accounting::UsageRow& row : reader->GroupedSum(
           accounting::UsageDimension::kModel, accounting::DayRange{-1'000'000, 10'000'000}, {})) {
    requests += row.requests;
  }
  return requests;
}

// "" when every provider an endpoint uses accepts a TCP connection, else the problem.
std::string CheckProvidersReachable(const config::Config& config) {
  std::set<std::string> used;
  for (const auto& model : config.models) {
    for (const auto& endpoint : model.endpoints) used.insert(endpoint.provider);
  }
  asio::io_context io;
  for (const config::ProviderConfig& provider : config.providers) {
    if (!used.contains(provider.name)) continue;
    boost::system::error_code ec;
    tcp::resolver resolver(io);
    const auto addresses =
        resolver.resolve(provider.base_url.host, std::to_string(provider.base_url.port), ec);
    tcp::socket socket(io);
    if (!ec) asio::connect(socket, addresses, ec);
    if (ec) {
      return "provider \"" + provider.name + "\" (" + provider.base_url.host + ":" +
             std::to_string(provider.base_url.port) + ") is not reachable: " + ec.message() +
             ". Start it first (scripts/run.sh starts the demo's simulators).";
    }
  }
  return "";
}

// The in-process copy of the config: an ephemeral loopback port without TLS or access log, and
// instant simulators. The simulator overrides go in a header the gateway sends to every loopback
// provider (provider `headers`), so the upstream model names, and with them the records' fields,
// stay as configured; an endpoint's own model-name suffix still wins (the simulator applies it
// after the header).
void AdaptConfig(config::Config& config) {
  config.server.listen = config::ListenAddress{"127.0.0.1", 0};
  config.server.tls.reset();
  config.server.access_log = false;
  for (config::ProviderConfig& provider : config.providers) {
    if (!IsLoopback(provider.base_url.host)) continue;
    bool merged = false;
    for (auto& [name, value] : provider.headers) {
      if (!boost::beast::iequals(name, kSimOptionsHeader)) continue;
      value = std::string(kFastSimulator) + "&" + value;  // the configured options win
      merged = true;
    }
    if (!merged) provider.headers.emplace_back(kSimOptionsHeader, kFastSimulator);
  }
}

// One keep-alive connection to the in-process gateway, used by one sending thread (blocking
// Beast calls; a receive timeout on the socket is the safety net against a hang).
class Connection {
 public:
  explicit Connection(uint16_t port) : port_(port), socket_(io_) {}

  // Sends `request`; fills *response. Returns "" or the transport problem. A kept-alive
  // connection the server closed in the meantime is reopened once.
  std::string Exchange(http::request<http::string_body>& request,
                       http::response<http::string_body>* response) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool reused = socket_.is_open();
      if (!reused) {
        if (std::string problem = Connect(); !problem.empty()) return problem;
      }
      boost::system::error_code ec;
      http::write(socket_, request, ec);
      http::response_parser<http::string_body> parser;
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      if (!ec) http::read(socket_, buffer_, parser, ec);
      if (ec) {
        Close();
        if (reused && !parser.got_some()) continue;  // the idle connection had been closed
        return ec.message();
      }
      *response = parser.release();
      if (!response->keep_alive()) Close();
      return "";
    }
    return "connection closed";
  }

 private:
  std::string Connect() {
    boost::system::error_code ec;
    socket_.connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port_), ec);
    if (ec) return "connect: " + ec.message();
    const int one = 1;
    setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const timeval timeout{120, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    buffer_.clear();
    return "";
  }
  void Close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    buffer_.clear();
  }

  uint16_t port_;
  asio::io_context io_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

struct SendState {
  const demo::TrafficPlan* plan = nullptr;
  const std::vector<demo::DemoModel>* models = nullptr;
  std::vector<std::string> keys;  // bearer keys of server.auth.keys (one per app, round robin)
  uint16_t port = 0;
  std::atomic<size_t> next{0};
  std::atomic<size_t> sent{0};
  std::atomic<size_t> ok{0};
  std::atomic<size_t> failed{0};
  std::atomic<bool> abort{false};
  std::mutex mu;
  std::vector<std::string> problems;  // the first few, for the summary
};

http::request<http::string_body> MakeRequest(const SendState& state,
                                             const demo::DemoRequest& planned) {
  http::request<http::string_body> request{http::verb::post, "/v1/chat/completions", 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(state.port));
  request.set(http::field::content_type, "application/json");
  request.set(api::kDemoTimeHeader, std::to_string(planned.created_at_ms));
  const demo::DemoApp& app = demo::DemoApps()[planned.app];
  if (!app.title.empty()) request.set("X-Title", app.title);
  if (!app.referer.empty()) request.set("HTTP-Referer", app.referer);
  if (!state.keys.empty()) {
    request.set(http::field::authorization,
                "Bearer " + state.keys[planned.app % state.keys.size()]);
  }
  request.body() = demo::BuildDemoChatBody(planned, (*state.models)[planned.model].id);
  request.prepare_payload();
  return request;
}

// "" when the answer is a complete success.
std::string CheckAnswer(const demo::DemoRequest& planned,
                        const http::response<http::string_body>& response) {
  const std::string& body = response.body();
  if (response.result_int() != 200) {
    return "HTTP " + std::to_string(response.result_int()) + ": " + body.substr(0, 300);
  }
  if (planned.stream) {
    if (body.find("data: [DONE]") == std::string::npos ||
        body.find(R"("finish_reason":"error")") != std::string::npos) {
      return "stream ended badly: " + body.substr(body.size() > 300 ? body.size() - 300 : 0);
    }
  } else if (body.find(R"("usage")") == std::string::npos) {
    return "answer without usage: " + body.substr(0, 300);
  }
  return "";
}

void SendLoop(SendState& state) {
  Connection connection(state.port);
  const std::vector<demo::DemoRequest>& requests = state.plan->requests;
  while (!state.abort.load(std::memory_order_relaxed)) {
    const size_t index = state.next.fetch_add(1);
    if (index >= requests.size()) break;
    http::request<http::string_body> request = MakeRequest(state, requests[index]);
    http::response<http::string_body> response;
    std::string problem = connection.Exchange(request, &response);
    if (problem.empty()) problem = CheckAnswer(requests[index], response);
    state.sent.fetch_add(1);
    if (problem.empty()) {
      state.ok.fetch_add(1);
      continue;
    }
    const size_t failed = state.failed.fetch_add(1) + 1;
    {
      std::lock_guard lock(state.mu);
      if (state.problems.size() < 3) state.problems.push_back(problem);
    }
    // Mostly failures: something is wrong with the providers; stop rather than fill the ledger
    // with failed requests.
    if (failed >= 20 && failed * 2 > state.sent.load()) state.abort.store(true);
  }
}

std::string Seconds(Clock::duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", std::chrono::duration<double>(duration).count());
  return text;
}

}  // namespace

std::string ParseDemoTrafficCommand(const std::vector<std::string>& args, DemoTrafficOptions* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "--if-empty") {
      out->if_empty = true;
      continue;
    }
    if (name == "--append") {
      out->append = true;
      continue;
    }
    if (name == "--allow-remote-providers") {
      out->allow_remote = true;
      continue;
    }
    std::string value;
    if (const size_t equals = name.find('=');
        name.starts_with("--") && equals != std::string::npos) {
      value = name.substr(equals + 1);
      name.resize(equals);
    } else if (name != "--config" && name != "-c" && name != "--weeks" &&
               name != "--requests-per-day" && name != "--seed" && name != "--end" &&
               name != "--concurrency") {
      return "unknown option \"" + name + "\"";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return name + " needs a value";
    }
    std::string problem;
    if (name == "--config" || name == "-c") {
      out->config_file = value;
    } else if (name == "--weeks") {
      problem = ParseNumber<uint32_t>(name, value, 1, 104, &out->weeks);
    } else if (name == "--requests-per-day") {
      problem = ParseNumber<uint32_t>(name, value, 1, 100'000, &out->requests_per_day);
    } else if (name == "--seed") {
      problem =
          ParseNumber<uint64_t>(name, value, 0, std::numeric_limits<uint64_t>::max(), &out->seed);
    } else if (name == "--concurrency") {
      problem = ParseNumber<uint32_t>(name, value, 1, 256, &out->concurrency);
    } else if (name == "--end") {
      if (!accounting::ParseDay(value)) {
        problem = "--end: expected a date YYYY-MM-DD, got \"" + value + "\"";
      }
      out->end = value;
    } else {
      problem = "unknown option \"" + name + "\"";
    }
    if (!problem.empty()) return problem;
  }
  if (out->config_file.empty()) return "demo-traffic needs --config FILE";
  return "";
}

int RunDemoTrafficCommand(const DemoTrafficOptions& options) {
  config::LoadResult loaded = config::LoadConfigFile(options.config_file, config::ProcessEnv());
  if (!loaded.errors.empty()) {
    std::fprintf(stderr, "gateway demo-traffic: %s: %s\n", options.config_file.c_str(),
                 loaded.errors.front().ToString().c_str());
    return 1;
  }
  config::Config config = std::move(*loaded.config);
  const std::string ledger_path = config.accounting.DatabasePath();
  const int64_t now_ms = accounting::NowEpochMs();
  const int64_t today = accounting::DayBucket(now_ms);
  const int64_t end_day = options.end ? *accounting::ParseDay(*options.end) : today;
  if (end_day > today) {
    std::fprintf(stderr, "gateway demo-traffic: --end %s is in the future (today is %s UTC)\n",
                 options.end->c_str(), accounting::FormatDay(today).c_str());
    return 1;
  }
  if (!options.allow_remote) {
    for (const config::ProviderConfig& provider : config.providers) {
      if (IsLoopback(provider.base_url.host)) continue;
      std::fprintf(stderr,
                   "gateway demo-traffic: provider \"%s\" (%s) is not on this machine; demo "
                   "traffic is meant for local simulators and would be sent (and billed) there. "
                   "Pass --allow-remote-providers to do it anyway.\n",
                   provider.name.c_str(), provider.base_url.host.c_str());
      return 1;
    }
  }

  int64_t records_before = 0;
  try {
    records_before = CountRecords(ledger_path);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "gateway demo-traffic: %s\n", error.what());
    return 1;
  }
  if (options.if_empty && records_before > 0) {
    std::printf(
        "demo-traffic: the ledger %s already holds %lld records; nothing to do "
        "(--if-empty)\n",
        ledger_path.c_str(), static_cast<long long>(records_before));
    return 0;
  }
  if (records_before > 0 && !options.append) {
    std::fprintf(stderr,
                 "gateway demo-traffic: the ledger %s already holds %lld records; demo traffic "
                 "would mix invented, backdated usage into them. Pass --if-empty to skip, "
                 "--append to add it anyway, or point accounting.data_dir elsewhere.\n",
                 ledger_path.c_str(), static_cast<long long>(records_before));
    return 1;
  }
  if (std::string problem = CheckProvidersReachable(config); !problem.empty()) {
    std::fprintf(stderr, "gateway demo-traffic: %s\n", problem.c_str());
    return 1;
  }

  const std::vector<demo::DemoModel> models = demo::DemoModelsOf(config);
  demo::TrafficOptions traffic;
  traffic.weeks = options.weeks;
  traffic.requests_per_day = options.requests_per_day;
  traffic.seed = options.seed;
  traffic.end_day = end_day;
  traffic.not_after_ms = end_day == today ? now_ms : 0;
  const demo::TrafficPlan plan = demo::PlanDemoTraffic(models, traffic);

  SendState state;
  state.plan = &plan;
  state.models = &models;
  // The apps' keys: the plain keys in turn, or the admin keys when there are only those.
  const std::vector<config::Secret>& keys =
      config.server.auth_keys.empty() ? config.server.admin_keys : config.server.auth_keys;
  for (const config::Secret& key : keys) state.keys.push_back(key.value);
  const std::string rankings_url =
      std::string(config.server.tls ? "https://" : "http://") +
      (config.server.listen.host == "0.0.0.0" || config.server.listen.host == "::"
           ? "127.0.0.1"
           : config.server.listen.host) +
      ":" + std::to_string(config.server.listen.port) + "/rankings";
  AdaptConfig(config);
  Clock::duration elapsed{};
  try {
    GatewayApp app(std::move(config), /*honor_demo_time_header=*/true);
    GatewayServer server(app);
    server.Start();
    state.port = server.port();
    std::printf(
        "demo-traffic: sending %zu requests dated %s to %s through an in-process gateway "
        "on 127.0.0.1:%u (%u at a time)\n",
        plan.requests.size(), accounting::FormatDay(plan.first_day).c_str(),
        accounting::FormatDay(plan.last_day).c_str(), state.port, options.concurrency);
    std::fflush(stdout);
    const Clock::time_point start = Clock::now();
    std::vector<std::thread> senders;
    for (uint32_t i = 0; i < options.concurrency; ++i) {
      senders.emplace_back([&state] { SendLoop(state); });
    }
    for (std::thread& sender : senders) sender.join();
    elapsed = Clock::now() - start;
    server.Stop();  // every queued record is written
  } catch (const std::exception& error) {
    std::fprintf(stderr, "gateway demo-traffic: %s\n", error.what());
    return 1;
  }

  int64_t records_after = records_before;
  try {
    records_after = CountRecords(ledger_path);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "gateway demo-traffic: reading the ledger back: %s\n", error.what());
    return 1;
  }
  std::string special;
  if (plan.trending_model != demo::kNoModel) {
    special += " Trending: " + models[plan.trending_model].id + " (from " +
               accounting::FormatDay(plan.trending_start_day) + ")";
  }
  if (plan.declining_model != demo::kNoModel) {
    special += "; declining: " + models[plan.declining_model].id;
  }
  if (plan.rising_model != demo::kNoModel) special += "; rising: " + models[plan.rising_model].id;
  if (!special.empty()) special += ".";
  std::printf(
      "demo-traffic: sent %zu requests (%zu ok, %zu failed) in %s s, dated %s to %s (%u weeks, "
      "%lld days), %zu models, %zu apps; the ledger %s now holds %lld records (+%lld).%s "
      "Start `gateway serve` with this config and open %s.\n",
      state.sent.load(), state.ok.load(), state.failed.load(), Seconds(elapsed).c_str(),
      accounting::FormatDay(plan.first_day).c_str(), accounting::FormatDay(plan.last_day).c_str(),
      options.weeks, static_cast<long long>(plan.last_day - plan.first_day + 1), models.size(),
      demo::DemoApps().size(), ledger_path.c_str(), static_cast<long long>(records_after),
      static_cast<long long>(records_after - records_before), special.c_str(),
      rankings_url.c_str());
  for (const std::string& problem : state.problems) {
    std::fprintf(stderr, "demo-traffic: a failed request: %s\n", problem.c_str());
  }
  if (state.abort.load()) {
    std::fprintf(stderr, "demo-traffic: stopped early: most requests failed\n");
  }
  return state.failed.load() == 0 ? 0 : 1;
}

}  // namespace gw

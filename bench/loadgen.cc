// gw_loadgen: a small HTTP load generator for what wrk cannot measure, SSE streaming (time to the
// first `data:` event, gaps between events, stalls), plus a plain request mode as a cross-check
// to wrk. One io_context on the main thread; each of --concurrency keep-alive connections is a
// coroutine sending requests back to back. Loopback targets only; every run is bounded by
// --duration-s / --requests and a hard deadline, so it always stops by itself.
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr uint64_t kMaxBodyBytes = 64ull << 20;

constexpr std::string_view kUsage =
    "usage: gw_loadgen --url http://127.0.0.1:PORT/v1/chat/completions [options]\n"
    "\n"
    "  --mode stream|request   SSE streams (TTFT, chunk gaps, stalls) or plain requests [stream]\n"
    "  --concurrency N         keep-alive connections, each sending back to back [1]\n"
    "  --duration-s S          measure for S seconds (after --warmup-s) [5, or 300 as a cap\n"
    "                          when --requests is given]\n"
    "  --requests N            stop after N measured requests in total [no limit]\n"
    "  --warmup-s S            send, but do not record, for S seconds first [0]\n"
    "  --body-file FILE        request body as is (stream mode: include \"stream\":true)\n"
    "  --model NAME            model of the built-in body [sim-model]\n"
    "  --prompt-bytes N        built-in body: a user prompt of about N bytes [small, ~300 B body]\n"
    "  --header 'Name: value'  extra request header (repeatable)\n"
    "  --chunk-interval-ms N   expected gap between events [chunk_interval_ms of x-sim-options,\n"
    "                          else 0]\n"
    "  --stall-ms N            a gap longer than expected + N ms counts as a stall, and an\n"
    "                          event later than its schedule + N ms counts as late [50]\n"
    "  --expect-ttft-ms N      the upstream's first event is due N ms after the request\n"
    "                          [ttft_ms of x-sim-options or of the model's ?options, else 0]\n"
    "  --expect-tokens N       content events per stream, for the schedule [tokens of the sim\n"
    "                          options, else unknown: no lateness]\n"
    "  --ramp-s S              start the connections evenly over S seconds [0: all at once]\n"
    "  --hang-up-after-events N  stream mode: close the connection after N SSE events of each\n"
    "                          stream, as a client that hangs up mid-stream (counted in hung_up,\n"
    "                          not in errors) [never]\n"
    "  --timeout-s S           per-operation timeout [30]; a connection whose connect fails\n"
    "                          stops (counted in connect_errors)\n"
    "  --json                  print one machine-readable JSON line instead of text\n"
    "  --print-body            print the built-in body (with --model, --prompt-bytes, --mode)\n"
    "\n"
    "Times are from the start of writing a request: TTFT to the first `data:` line, stream to\n"
    "the end of the response; gaps are between the ends of consecutive events of one stream.\n"
    "Schedule (when --expect-tokens is known): event j of a stream is due at request start + ttft "
    "+\n"
    "min(max(j - 1, 0), tokens - 1) x interval (the simulator sends the role event and the first\n"
    "token together); lateness = arrival - due, an upper bound on the delivery delay.\n"
    "Percentiles are nearest-rank over the measured requests. Exit status: 0 when at least one\n"
    "request succeeded (or was hung up on as asked), 1 otherwise, 2 for bad options.\n";

struct Options {
  bool stream = true;
  std::string url;
  int concurrency = 1;
  double duration_s = 0;  // 0 = default
  uint64_t requests = 0;  // 0 = no limit
  double warmup_s = 0;
  std::string body_file;
  std::string model = "sim-model";
  size_t prompt_bytes = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  int64_t chunk_interval_ms = -1;  // -1 = from x-sim-options
  int64_t stall_ms = 50;
  int64_t expect_ttft_ms = -1;  // -1 = from the simulator options
  int64_t expect_tokens = -1;   // -1 = from the simulator options; 0 = unknown
  double ramp_s = 0;
  double timeout_s = 30;
  int64_t hang_up_after_events = -1;  // -1 = never
  bool json = false;
  bool print_body = false;
};

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "gw_loadgen: %s\n", message.c_str());
  std::exit(2);
}

template <class T>
T ParseNumber(std::string_view flag, std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < T{}) {
    Fail(std::string(flag) + ": expected a non-negative number, got \"" + std::string(text) + "\"");
  }
  return value;
}

Clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The value of `key` in an "a=1&b=2" string, if present.
std::optional<std::string_view> QueryValue(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == key) return part.substr(eq + 1);
  }
  return std::nullopt;
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    std::string inline_value;
    if (size_t eq = flag.find('='); flag.starts_with("--") && eq != std::string_view::npos) {
      inline_value = std::string(flag.substr(eq + 1));
      flag = flag.substr(0, eq);
    }
    const bool has_inline = flag.size() != std::string_view(argv[i]).size();
    auto value = [&]() -> std::string {
      if (has_inline) return inline_value;
      if (i + 1 >= argc) Fail(std::string(flag) + ": missing value");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage.data(), stdout);
      std::exit(0);
    } else if (flag == "--mode") {
      const std::string mode = value();
      if (mode != "stream" && mode != "request") Fail("--mode: expected stream or request");
      options.stream = mode == "stream";
    } else if (flag == "--url") {
      options.url = value();
    } else if (flag == "--concurrency") {
      options.concurrency = ParseNumber<int>(flag, value());
      if (options.concurrency < 1 || options.concurrency > 10000) Fail("--concurrency: 1..10000");
    } else if (flag == "--duration-s") {
      options.duration_s = ParseNumber<double>(flag, value());
    } else if (flag == "--requests") {
      options.requests = ParseNumber<uint64_t>(flag, value());
    } else if (flag == "--warmup-s") {
      options.warmup_s = ParseNumber<double>(flag, value());
    } else if (flag == "--body-file") {
      options.body_file = value();
    } else if (flag == "--model") {
      options.model = value();
    } else if (flag == "--prompt-bytes") {
      options.prompt_bytes = ParseNumber<size_t>(flag, value());
    } else if (flag == "--header") {
      const std::string header = value();
      const size_t colon = header.find(':');
      if (colon == std::string::npos || colon == 0) Fail("--header: expected 'Name: value'");
      options.headers.emplace_back(header.substr(0, colon),
                                   std::string(Trim(std::string_view(header).substr(colon + 1))));
    } else if (flag == "--chunk-interval-ms") {
      options.chunk_interval_ms = ParseNumber<int64_t>(flag, value());
    } else if (flag == "--stall-ms") {
      options.stall_ms = ParseNumber<int64_t>(flag, value());
    } else if (flag == "--expect-ttft-ms") {
      options.expect_ttft_ms = ParseNumber<int64_t>(flag, value());
    } else if (flag == "--expect-tokens") {
      options.expect_tokens = ParseNumber<int64_t>(flag, value());
    } else if (flag == "--ramp-s") {
      options.ramp_s = ParseNumber<double>(flag, value());
    } else if (flag == "--timeout-s") {
      options.timeout_s = ParseNumber<double>(flag, value());
    } else if (flag == "--hang-up-after-events") {
      options.hang_up_after_events = ParseNumber<int64_t>(flag, value());
      if (options.hang_up_after_events < 0) Fail("--hang-up-after-events: must be >= 0");
    } else if (flag == "--json") {
      options.json = true;
    } else if (flag == "--print-body") {
      options.print_body = true;
    } else {
      Fail("unknown option \"" + std::string(flag) + "\" (see --help)");
    }
  }
  if (options.duration_s == 0) options.duration_s = options.requests > 0 ? 300 : 5;
  if (options.timeout_s <= 0) Fail("--timeout-s: must be positive");
  // Unset expectations come from the simulator options the request carries: the
  // x-sim-options header, else the model's "?k=v&..." suffix.
  auto from_sim_options = [&options](std::string_view key, int64_t& out) {
    if (out >= 0) return;
    out = 0;
    std::string_view source;
    const size_t question = options.model.find('?');
    if (question != std::string::npos)
      source = std::string_view(options.model).substr(question + 1);
    for (const auto& [name, header_value] : options.headers) {
      if (beast::iequals(name, "x-sim-options")) source = header_value;
    }
    if (auto text = QueryValue(source, key)) {
      out = ParseNumber<int64_t>("simulator option " + std::string(key), *text);
    }
  };
  from_sim_options("chunk_interval_ms", options.chunk_interval_ms);
  from_sim_options("ttft_ms", options.expect_ttft_ms);
  from_sim_options("tokens", options.expect_tokens);
  if (!options.print_body && options.url.empty()) Fail("--url is required (see --help)");
  return options;
}

// --- Request bodies ------------------------------------------------------------------------

void AppendJsonEscaped(std::string_view text, std::string& out) {
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
}

// Pieces of a realistic long prompt (a code-review request): prose, code with quotes and
// backslashes, a log excerpt, some non-ASCII text. Mixed deterministically by MakePrompt.
constexpr std::string_view kPromptPieces[] = {
    "The service keeps one connection pool per worker thread, so the hot path takes no locks. "
    "When a request arrives we decode only the fields routing needs and forward the rest of the "
    "body untouched; re-serialising a 400 KB prompt would cost more than the routing itself.\n\n",
    "```cpp\nstd::string Escape(std::string_view in) {\n\tstd::string out;\n\tfor (char c : in) {"
    "\n\t\tif (c == '\"' || c == '\\\\') out += '\\\\';\n\t\tout += c;\n\t}\n\treturn out;  "
    "// \"quoted\" and back\\slashed\n}\n```\n",
    "```python\ndef load(path: str) -> dict:\n    with open(path, encoding=\"utf-8\") as f:\n"
    "        data = json.load(f)\n    return {k: v for k, v in data.items() if not "
    "k.startswith(\"_\")}\n```\n",
    "2024-05-14T09:12:03.117Z INFO  upstream=\"sim\" status=200 ttft_ms=212 tokens=431 "
    "path=\"C:\\\\logs\\\\gw.log\"\n2024-05-14T09:12:03.402Z WARN  retry attempt=2 "
    "reason=\"timeout\"\n",
    "Résumé of the design review — naïve caching was rejected: the café-style \"grab what you "
    "need\" approach → unbounded memory. Über-simple is fine; ünicode must round-trip. "
    "日本語も。\n",
    "| field | type | note |\n|---|---|---|\n| model | string | required |\n| stream | bool | "
    "optional, default false |\n| max_tokens | int | ≥ 1 |\n\n",
    "Please review the function below for correctness and performance, then suggest a version "
    "that avoids the extra copy. Explain each change in one sentence.\n",
};

std::string MakePrompt(size_t bytes) {
  std::string prompt;
  prompt.reserve(bytes + 512);
  uint64_t state = 0x9e3779b97f4a7c15ull;  // splitmix64: the same prompt on every run
  for (int section = 1; prompt.size() < bytes; ++section) {
    state += 0x9e3779b97f4a7c15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    prompt += "## Section " + std::to_string(section) + "\n";
    prompt += kPromptPieces[z % std::size(kPromptPieces)];
  }
  return prompt;
}

std::string MakeBody(const Options& options) {
  std::string body = "{\"model\":\"";
  AppendJsonEscaped(options.model, body);
  body +=
      "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant. Answer "
      "briefly and precisely.\"},{\"role\":\"user\",\"content\":\"";
  AppendJsonEscaped(options.prompt_bytes > 0
                        ? MakePrompt(options.prompt_bytes)
                        : "What is the capital of France? Please answer in one short sentence.",
                    body);
  body += "\"}],\"temperature\":0.7,\"max_tokens\":64,\"user\":\"bench-user-0001\"";
  body += options.stream ? ",\"stream\":true}" : ",\"stream\":false}";
  return body;
}

// --- Target ----------------------------------------------------------------------------------

struct Target {
  std::string host;  // as written, for the Host header
  std::string port;
  std::string path;
};

Target ParseUrl(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!std::string_view(url).starts_with(kScheme)) Fail("--url: only http:// is supported");
  std::string_view rest = std::string_view(url).substr(kScheme.size());
  const size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  Target target;
  target.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  const size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos || authority.ends_with(']')) {
    target.host = std::string(authority);
    target.port = "80";
  } else {
    target.host = std::string(authority.substr(0, colon));
    target.port = std::string(authority.substr(colon + 1));
  }
  if (target.host.empty()) Fail("--url: missing host");
  return target;
}

// Resolves the target and refuses anything that is not a loopback address.
tcp::endpoint ResolveLoopback(asio::io_context& io, const Target& target) {
  std::string host = target.host;
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto results = resolver.resolve(host, target.port, ec);
  if (ec || results.empty()) Fail("cannot resolve " + target.host + ": " + ec.message());
  for (const auto& entry : results) {
    if (!entry.endpoint().address().is_loopback()) {
      Fail("refusing non-loopback target " + entry.endpoint().address().to_string());
    }
  }
  return results.begin()->endpoint();
}

std::string BuildRequest(const Options& options, const Target& target, const std::string& body) {
  std::string request = "POST " + target.path + " HTTP/1.1\r\nHost: " + target.host + ":" +
                        target.port + "\r\nContent-Type: application/json\r\n";
  if (options.stream) request += "Accept: text/event-stream\r\n";
  for (const auto& [name, value] : options.headers) request += name + ": " + value + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return request + body;
}

// --- SSE scanning ----------------------------------------------------------------------------

// Follows an event stream byte by byte: when the first `data:` line starts, when each event
// ends (blank line after data), the longest gap between two event ends, and `data: [DONE]`.
class SseScanner {
 public:
  void Feed(std::string_view bytes, Clock::time_point now) {
    for (const char c : bytes) {
      if (c == '\n') {
        EndLine(now);
        continue;
      }
      if (line_length_ < kKeep) line_[line_length_] = c;
      ++line_length_;
      if (line_length_ == 5 && std::string_view(line_, 5) == "data:") {
        event_has_data_ = true;
        if (!first_data_) first_data_ = now;
      }
    }
  }

  std::optional<Clock::time_point> first_data() const { return first_data_; }
  int64_t max_gap_us() const { return max_gap_us_; }
  int64_t events() const { return events_; }
  bool done() const { return done_; }
  const std::vector<int64_t>& gaps_us() const { return gaps_us_; }
  const std::vector<Clock::time_point>& event_ends() const { return event_ends_; }

 private:
  static constexpr size_t kKeep = 16;

  void EndLine(Clock::time_point now) {
    std::string_view line(line_, std::min(line_length_, kKeep));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == "data: [DONE]" || line == "data:[DONE]") done_ = true;
    if (line.empty() && line_length_ <= 1 && event_has_data_) {
      if (last_event_) {
        const int64_t gap =
            std::chrono::duration_cast<std::chrono::microseconds>(now - *last_event_).count();
        gaps_us_.push_back(gap);
        max_gap_us_ = std::max(max_gap_us_, gap);
      }
      last_event_ = now;
      event_ends_.push_back(now);
      ++events_;
      event_has_data_ = false;
    }
    line_length_ = 0;
  }

  char line_[kKeep] = {};
  size_t line_length_ = 0;
  bool event_has_data_ = false;
  bool done_ = false;
  int64_t events_ = 0;
  int64_t max_gap_us_ = 0;
  std::vector<int64_t> gaps_us_;
  std::vector<Clock::time_point> event_ends_;
  std::optional<Clock::time_point> first_data_;
  std::optional<Clock::time_point> last_event_;
};

// --- The run ---------------------------------------------------------------------------------

struct Results {
  std::vector<int64_t> ttft_us;   // stream: to the first data line; request: unused
  std::vector<int64_t> total_us;  // stream: whole stream; request: whole response
  int64_t max_gap_us = 0;
  int64_t stalls = 0;           // gaps longer than expected + stall threshold
  int64_t streams_stalled = 0;  // streams with at least one stall
  int64_t max_lateness_us = 0;  // the latest event against its schedule (--expect-tokens)
  int64_t late_events = 0;      // events later than their schedule + stall threshold
  int64_t streams_late = 0;     // streams with at least one late event
  int64_t events = 0;
  int64_t connect_errors = 0;
  int64_t io_errors = 0;
  int64_t status_errors = 0;
  int64_t incomplete = 0;  // streams without data: [DONE]
  int64_t hung_up = 0;     // streams this client closed on purpose (--hang-up-after-events)
  std::map<unsigned, int64_t> statuses;
  uint64_t bytes_in = 0;
};

struct Run {
  Run(const Options& run_options, tcp::endpoint target, std::string request_bytes)
      : options(run_options), endpoint(target), request(std::move(request_bytes)) {}

  const Options& options;
  const tcp::endpoint endpoint;
  const std::string request;        // the whole request, head and body, sent as is
  Clock::time_point measure_from;   // end of warm-up
  Clock::time_point send_until;     // no request starts after this
  Clock::time_point hard_deadline;  // every operation ends by then
  uint64_t started_measured = 0;
  Clock::time_point last_done;
  Results results;

  bool MayStart(Clock::time_point now) const {
    if (now >= send_until) return false;
    return options.requests == 0 || now < measure_from || started_measured < options.requests;
  }
  Clock::duration OpTimeout() const {
    const Clock::duration op = Seconds(options.timeout_s);
    return std::max<Clock::duration>(std::min(op, hard_deadline - Clock::now()),
                                     std::chrono::milliseconds(1));
  }
};

int64_t MicrosBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::microseconds>(to - from).count();
}

void RecordStream(Run& run, const SseScanner& sse, Clock::time_point start, Clock::time_point end) {
  Results& results = run.results;
  const int64_t allowed_us = (run.options.chunk_interval_ms + run.options.stall_ms) * 1000;
  int64_t stalls = 0;
  for (int64_t gap : sse.gaps_us()) stalls += gap > allowed_us ? 1 : 0;
  results.stalls += stalls;
  results.streams_stalled += stalls > 0 ? 1 : 0;
  results.events += sse.events();
  results.max_gap_us = std::max(results.max_gap_us, sse.max_gap_us());
  results.ttft_us.push_back(MicrosBetween(start, *sse.first_data()));
  results.total_us.push_back(MicrosBetween(start, end));
  const Options& options = run.options;
  if (options.expect_tokens <= 0) return;
  int64_t late = 0;
  for (size_t j = 0; j < sse.event_ends().size(); ++j) {
    const int64_t position = std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(j) - 1, 0),
                                               options.expect_tokens - 1);
    const Clock::time_point due =
        start +
        std::chrono::milliseconds(options.expect_ttft_ms + position * options.chunk_interval_ms);
    const int64_t lateness = MicrosBetween(due, sse.event_ends()[j]);
    results.max_lateness_us = std::max(results.max_lateness_us, lateness);
    late += lateness > options.stall_ms * 1000 ? 1 : 0;
  }
  results.late_events += late;
  results.streams_late += late > 0 ? 1 : 0;
}

// One exchange on an open connection. Returns false when the connection must be dropped.
asio::awaitable<bool> Exchange(Run& run, beast::tcp_stream& stream, beast::flat_buffer& buffer) {
  Results& results = run.results;
  const Clock::time_point start = Clock::now();
  const bool measured = start >= run.measure_from;
  if (measured) ++run.started_measured;
  stream.expires_after(run.OpTimeout());
  auto [write_ec, written] =
      co_await asio::async_write(stream, asio::buffer(run.request), kNoThrow);
  if (write_ec) {
    if (measured) ++results.io_errors;
    co_return false;
  }
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxBodyBytes);
  SseScanner sse;
  auto on_chunk = [&sse](uint64_t, std::string_view data, boost::system::error_code&) {
    sse.Feed(data, Clock::now());
    return data.size();
  };
  parser.on_chunk_body(on_chunk);  // stored by reference: on_chunk outlives the parser's use
  while (!parser.is_done()) {
    stream.expires_after(run.OpTimeout());
    auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, kNoThrow);
    if (ec) {
      if (measured) ++results.io_errors;
      co_return false;
    }
    results.bytes_in += n;
    if (run.options.hang_up_after_events >= 0 && sse.events() >= run.options.hang_up_after_events) {
      if (measured) ++results.hung_up;
      co_return false;  // the caller closes the connection mid-answer
    }
  }
  const Clock::time_point end = Clock::now();
  if (run.options.stream && !parser.chunked()) sse.Feed(parser.get().body(), end);
  run.last_done = std::max(run.last_done, end);
  const unsigned status = parser.get().result_int();
  if (measured) {
    ++results.statuses[status];
    if (status != 200) {
      ++results.status_errors;
    } else if (!run.options.stream) {
      results.total_us.push_back(MicrosBetween(start, end));
    } else if (!sse.done() || !sse.first_data()) {
      ++results.incomplete;
    } else {
      RecordStream(run, sse, start, end);
    }
  }
  co_return parser.get().keep_alive();
}

// Connection `index` of the run; with --ramp-s it starts index/concurrency of the ramp late.
asio::awaitable<void> Connection(Run& run, int index) {
  const auto executor = co_await asio::this_coro::executor;
  if (run.options.ramp_s > 0) {
    asio::steady_timer delay(executor);
    delay.expires_after(Seconds(run.options.ramp_s * index / run.options.concurrency));
    co_await delay.async_wait(kNoThrow);
  }
  beast::tcp_stream stream(executor);
  beast::flat_buffer buffer;
  bool open = false;
  while (run.MayStart(Clock::now())) {
    if (!open) {
      stream.expires_after(run.OpTimeout());
      auto [ec] = co_await stream.async_connect(run.endpoint, kNoThrow);
      if (ec) {  // a loopback server that refuses is down: this connection gives up
        ++run.results.connect_errors;
        break;
      }
      stream.socket().set_option(tcp::no_delay(true));
      buffer.clear();
      open = true;
    }
    open = co_await Exchange(run, stream, buffer);
    if (!open) stream.close();
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.close();
}

// --- Report ----------------------------------------------------------------------------------

// The result as ordered name/value pairs; values are JSON literals (numbers, objects).
using Fields = std::vector<std::pair<std::string, std::string>>;

std::string Fixed(double value, int decimals = 1) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Nearest-rank percentiles (and max, mean) of `samples`, as fields named `name`_p50_us etc.
void AddPercentiles(std::string_view name, std::vector<int64_t> samples, Fields& fields) {
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double p) -> int64_t {
    if (samples.empty()) return 0;
    const size_t index = static_cast<size_t>(std::ceil(p / 100.0 * samples.size()));
    return samples[std::clamp<size_t>(index, 1, samples.size()) - 1];
  };
  double sum = 0;
  for (int64_t sample : samples) sum += static_cast<double>(sample);
  const std::string prefix(name);
  fields.emplace_back(prefix + "_p50_us", std::to_string(rank(50)));
  fields.emplace_back(prefix + "_p90_us", std::to_string(rank(90)));
  fields.emplace_back(prefix + "_p99_us", std::to_string(rank(99)));
  fields.emplace_back(prefix + "_max_us", std::to_string(rank(100)));
  fields.emplace_back(prefix + "_mean_us", Fixed(samples.empty() ? 0 : sum / samples.size()));
}

Fields ResultFields(const Run& run, double seconds) {
  const Options& options = run.options;
  const Results& r = run.results;
  const size_t ok = r.total_us.size();
  Fields fields = {
      {"mode", options.stream ? "\"stream\"" : "\"request\""},
      {"concurrency", std::to_string(options.concurrency)},
      {"seconds", Fixed(seconds, 3)},
      {"requests", std::to_string(ok)},
      {"rps", Fixed(seconds > 0 ? static_cast<double>(ok) / seconds : 0)},
      {"errors", std::to_string(r.connect_errors + r.io_errors + r.status_errors + r.incomplete)},
      {"connect_errors", std::to_string(r.connect_errors)},
      {"io_errors", std::to_string(r.io_errors)},
      {"status_errors", std::to_string(r.status_errors)},
      {"incomplete", std::to_string(r.incomplete)},
      {"hung_up", std::to_string(r.hung_up)},
  };
  if (options.stream) {
    AddPercentiles("ttft", r.ttft_us, fields);
    AddPercentiles("stream", r.total_us, fields);
    fields.emplace_back("events", std::to_string(r.events));
    fields.emplace_back("max_gap_us", std::to_string(r.max_gap_us));
    fields.emplace_back("stalls", std::to_string(r.stalls));
    fields.emplace_back("streams_stalled", std::to_string(r.streams_stalled));
    fields.emplace_back("max_lateness_us", std::to_string(r.max_lateness_us));
    fields.emplace_back("late_events", std::to_string(r.late_events));
    fields.emplace_back("streams_late", std::to_string(r.streams_late));
    fields.emplace_back("expected_interval_ms", std::to_string(options.chunk_interval_ms));
    fields.emplace_back("stall_ms", std::to_string(options.stall_ms));
  } else {
    AddPercentiles("latency", r.total_us, fields);
  }
  fields.emplace_back("bytes_in", std::to_string(r.bytes_in));
  std::string statuses = "{";
  for (const auto& [status, count] : r.statuses) {
    statuses += (statuses.size() > 1 ? ",\"" : "\"") + std::to_string(status) +
                "\":" + std::to_string(count);
  }
  fields.emplace_back("statuses", statuses + "}");
  return fields;
}

std::string FormatJson(const Fields& fields) {
  std::string line = "{";
  for (const auto& [name, value] : fields) {
    line += (line.size() > 1 ? ",\"" : "\"") + name + "\":" + value;
  }
  return line + "}\n";
}

std::string FormatText(const Fields& fields) {
  std::string text;
  for (const auto& [name, value] : fields) {
    char line[128];
    std::snprintf(line, sizeof line, "%-22s %s\n", name.c_str(), value.c_str());
    text += line;
  }
  return text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) Fail("cannot read " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  const std::string body =
      options.body_file.empty() ? MakeBody(options) : ReadFile(options.body_file);
  if (options.print_body) {
    std::fwrite(body.data(), 1, body.size(), stdout);
    return 0;
  }
  asio::io_context io(1);
  const Target target = ParseUrl(options.url);
  Run run(options, ResolveLoopback(io, target), BuildRequest(options, target, body));
  run.measure_from = Clock::now() + Seconds(options.warmup_s);
  run.send_until = run.measure_from + Seconds(options.duration_s);
  run.hard_deadline = run.send_until + Seconds(options.timeout_s);
  run.last_done = run.measure_from;
  for (int i = 0; i < options.concurrency; ++i) {
    asio::co_spawn(io, Connection(run, i), asio::detached);
  }
  io.run();
  const double seconds = std::chrono::duration<double>(run.last_done - run.measure_from).count();
  const Fields fields = ResultFields(run, seconds);
  const std::string report = options.json ? FormatJson(fields) : FormatText(fields);
  std::fputs(report.c_str(), stdout);
  return run.results.total_us.empty() && run.results.hung_up == 0 ? 1 : 0;
}

#include "providers/openai/openai_provider.h"

#include <nlohmann/json.hpp>

#include "providers/await_with_ticks.h"
#include "providers/errors.h"
#include "providers/openai/openai_request.h"
#include "providers/openai/openai_stream.h"
#include "providers/openai/sse_parser.h"

namespace gw::providers::openai {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr size_t kMaxRawBytes = 4096;
constexpr size_t kMaxResponseBytes = 64 * 1024 * 1024;

std::string Truncate(std::string_view text, size_t limit) {
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, limit)) + "...";
}

// The human part of an upstream error body: error.message (OpenAI shape), or `message`,
// `detail`, or a bare string; empty if the body says nothing readable.
std::string UpstreamErrorMessage(std::string_view body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return {};
  const nlohmann::json* error = &parsed;
  if (parsed.is_object() && parsed.contains("error")) error = &parsed["error"];
  if (error->is_string()) return error->get<std::string>();
  if (!error->is_object()) return {};
  for (const char* key : {"message", "detail", "msg"}) {
    auto it = error->find(key);
    if (it != error->end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

// True for a body like {"error": {...}} that carries no completion.
bool IsErrorObject(const std::vector<json::Member>& members) {
  return json::FindMember(members, "error") != nullptr &&
         json::FindMember(members, "choices") == nullptr;
}

void Fail(ProviderOutcome& outcome, const ProviderCall& call, boost::system::error_code error,
          std::string_view detail) {
  outcome.error = error;
  outcome.message = "provider \"" + call.provider->name + "\": " + error.message();
  if (!detail.empty()) outcome.message.append(" (").append(detail).append(")");
}

}  // namespace

// A stream's decoding state, shared by the opening phase and the relay.
struct OpenAiProvider::StreamState {
  explicit StreamState(const ResponseStamp& stamp) : translator(stamp) {}
  SseParser parser;
  StreamTranslator translator;
  std::string events;  // translated, not yet relayed
  StreamTranslator::Outcome stop = StreamTranslator::Outcome::kContinue;
  bool body_done = false;
};

asio::awaitable<ProviderOutcome> OpenAiProvider::Complete(ProviderCall call, StreamSink& sink) {
  ProviderOutcome outcome;
  UpstreamRequest request;
  request.provider = call.provider;
  request.target = call.provider->base_url.path_prefix + std::string(call.api_path);
  request.body = RewriteRequestBody(*call.body, call.endpoint->upstream_model, call.stream);
  request.expect_event_stream = call.stream;
  request.wait_time = &outcome.upstream_wait;
  request.deadline = call.deadline;
  request.first_byte_ms = call.endpoint->first_token_timeout_ms;

  if (!call.stream) {
    UpstreamClient::Result sent = co_await client_.Send(std::move(request), call.start);
    if (sent.error) {
      Fail(outcome, call, sent.error, sent.detail);
      co_return outcome;
    }
    outcome.time_to_first_byte = Clock::now() - call.start;
    const bool failed = co_await ReadErrorStatus(call, *sent.response, outcome);
    if (!failed) co_await ReadWhole(call, *sent.response, outcome);
    co_return outcome;
  }
  // Keep-alives go to the client until the first event is ready, not just the response head:
  // servers like vLLM send their head at once and the first token after the prefill.
  StreamState state(call.stamp);
  std::function<asio::awaitable<bool>()> keep_alive = [&sink]() { return sink.KeepAlive(); };
  UpstreamClient::Result opened = co_await AwaitWithTicks(
      OpenStream(call, std::move(request), state, outcome), call.keepalive_interval, keep_alive);
  if (opened.response) co_await RelayRest(call, *opened.response, sink, state, outcome);
  outcome.facts = state.translator.facts();
  co_return outcome;
}

asio::awaitable<bool> OpenAiProvider::ReadErrorStatus(const ProviderCall& call,
                                                      UpstreamResponse& response,
                                                      ProviderOutcome& outcome) {
  outcome.upstream_status = response.status();
  if (response.status() >= 200 && response.status() <= 299) co_return false;
  std::string body;
  co_await response.ReadAll(body, kMaxErrorBodyBytes);
  const std::string said = UpstreamErrorMessage(body);
  Fail(outcome, call, Errc::kUpstreamStatus,
       "HTTP " + std::to_string(response.status()) + (said.empty() ? "" : ": " + said));
  outcome.upstream_raw = Truncate(body, kMaxRawBytes);
  if (response.status() == 429) outcome.retry_after = std::string(response.header("Retry-After"));
  co_return true;
}

asio::awaitable<void> OpenAiProvider::ReadWhole(const ProviderCall& call,
                                                UpstreamResponse& response,
                                                ProviderOutcome& outcome) {
  std::string body;
  const boost::system::error_code read_error = co_await response.ReadAll(body, kMaxResponseBytes);
  if (read_error) {
    Fail(outcome, call, read_error, "");
    co_return;
  }
  // One validating scan serves the error check and the rewrite.
  std::vector<json::Member> members;
  if (json::ScanObject(body, members)) {
    std::string why;
    RewriteResponse(body, call.stamp, outcome.facts, &why);  // (only to word the reason)
    Fail(outcome, call, Errc::kMalformedResponse, why);
    outcome.upstream_raw = Truncate(body, kMaxRawBytes);
    co_return;
  }
  if (IsErrorObject(members)) {  // some servers answer errors with 200
    Fail(outcome, call, Errc::kUpstreamError, UpstreamErrorMessage(body));
    outcome.upstream_raw = Truncate(body, kMaxRawBytes);
    co_return;
  }
  outcome.body = RewriteScannedResponse(members, body.size(), call.stamp, outcome.facts);
}

asio::awaitable<UpstreamClient::Result> OpenAiProvider::OpenStream(const ProviderCall& call,
                                                                   UpstreamRequest request,
                                                                   StreamState& state,
                                                                   ProviderOutcome& outcome) {
  UpstreamClient::Result sent = co_await client_.Send(std::move(request), call.start);
  if (sent.error) {
    Fail(outcome, call, sent.error, sent.detail);
    co_return sent;
  }
  UpstreamResponse& response = *sent.response;
  const bool failed = co_await ReadErrorStatus(call, response, outcome);
  if (failed) {
    sent.response.reset();
    co_return sent;
  }
  if (response.content_type().find("text/event-stream") == std::string_view::npos) {
    // A server that ignored `stream` or answered an error with 200: nothing to relay.
    std::string body;
    co_await response.ReadAll(body, kMaxErrorBodyBytes);
    const std::string said = UpstreamErrorMessage(body);
    Fail(outcome, call, Errc::kMalformedResponse,
         said.empty()
             ? "expected an event stream, got \"" + std::string(response.content_type()) + "\""
             : said);
    outcome.upstream_raw = Truncate(body, kMaxRawBytes);
    sent.response.reset();
    co_return sent;
  }
  response.SetFirstTokenDeadline(sent.first_byte_deadline);
  co_await ReadEvents(call, response, state, outcome);
  response.ClearFirstTokenDeadline();
  outcome.time_to_first_byte = Clock::now() - call.start;
  co_return sent;
}

asio::awaitable<void> OpenAiProvider::RelayRest(const ProviderCall& call,
                                                UpstreamResponse& response, StreamSink& sink,
                                                StreamState& state, ProviderOutcome& outcome) {
  for (;;) {
    if (!state.events.empty()) {
      outcome.relayed = true;
      const bool delivered = co_await sink.Events(state.events);
      state.events.clear();
      if (!delivered) {
        Fail(outcome, call, Errc::kClientGone, "");
        co_return;
      }
    }
    if (outcome.error || state.body_done) co_return;
    co_await ReadEvents(call, response, state, outcome);
  }
}

// Reads until translated events are ready, the body ended or something failed (then outcome
// carries the error; events translated before the failure are still relayed). Returns true
// when events are ready.
asio::awaitable<bool> OpenAiProvider::ReadEvents(const ProviderCall& call,
                                                 UpstreamResponse& response, StreamState& state,
                                                 ProviderOutcome& outcome) {
  using Outcome = StreamTranslator::Outcome;
  auto translate = [&state](std::string_view payload) {
    if (state.stop != Outcome::kContinue && state.stop != Outcome::kDone) return;
    if (state.translator.saw_done()) return;  // nothing after [DONE] is relayed
    const Outcome result = state.translator.Translate(payload, state.events);
    if (result != Outcome::kContinue) state.stop = result;
  };
  for (;;) {
    const UpstreamResponse::Piece piece = co_await response.ReadSome();
    if (piece.error || piece.data.empty()) {
      state.body_done = true;
      state.parser.Finish(translate);  // a last event the upstream did not terminate
      // After [DONE] the answer is complete: how the connection ends no longer matters.
      if (state.translator.saw_done()) co_return !state.events.empty();
      Fail(outcome, call, piece.error ? piece.error : Errc::kStreamBroken,
           piece.error ? "" : "the stream ended without [DONE]");
      co_return !state.events.empty();
    }
    if (!state.parser.Feed(piece.data, translate)) {
      Fail(outcome, call, Errc::kMalformedResponse, "an SSE event exceeded the size limit");
      co_return !state.events.empty();
    }
    if (state.stop == Outcome::kUpstreamError) {
      Fail(outcome, call, Errc::kUpstreamError, state.translator.error_message());
      outcome.upstream_raw = Truncate(state.translator.error_raw(), kMaxRawBytes);
      co_return !state.events.empty();
    }
    if (state.stop == Outcome::kMalformed) {
      Fail(outcome, call, Errc::kMalformedResponse, state.translator.error_message());
      co_return !state.events.empty();
    }
    if (!state.events.empty()) co_return true;
  }
}

}  // namespace gw::providers::openai

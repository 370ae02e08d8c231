#include "providers/http_provider.h"

#include <nlohmann/json.hpp>

#include "providers/await_with_ticks.h"
#include "providers/errors.h"
#include "providers/sse_parser.h"

namespace gw::providers {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using Outcome = EventTranslator::Outcome;

constexpr size_t kMaxErrorBodyBytes = 64 * 1024;
constexpr size_t kMaxRawBytes = 4096;
constexpr size_t kMaxResponseBytes = 64 * 1024 * 1024;

}  // namespace

std::string HttpProvider::Truncate(std::string_view text) {
  if (text.size() <= kMaxRawBytes) return std::string(text);
  return std::string(text.substr(0, kMaxRawBytes)) + "...";
}

std::string HttpProvider::UpstreamErrorMessage(std::string_view body) {
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

void HttpProvider::Fail(ProviderOutcome& outcome, const ProviderCall& call,
                        boost::system::error_code error, std::string_view detail) {
  outcome.error = error;
  outcome.message = "provider \"" + call.provider->name + "\": " + error.message();
  if (!detail.empty()) outcome.message.append(" (").append(detail).append(")");
}

// A stream's decoding state, shared by the opening phase and the relay.
struct HttpProvider::StreamState {
  explicit StreamState(std::unique_ptr<EventTranslator> t) : translator(std::move(t)) {}
  SseParser parser;
  std::unique_ptr<EventTranslator> translator;
  std::string events;  // translated, not yet relayed
  Outcome stop = Outcome::kContinue;
  bool body_done = false;
};

asio::awaitable<ProviderOutcome> HttpProvider::Complete(ProviderCall call, StreamSink& sink) {
  ProviderOutcome outcome;
  UpstreamRequest request;
  request.provider = call.provider;
  request.expect_event_stream = call.stream;
  request.wait_time = &outcome.upstream_wait;
  request.deadline = call.deadline;
  request.first_byte_ms = call.endpoint->first_token_timeout_ms;
  const std::string unsupported = PrepareRequest(call, request);
  if (!unsupported.empty()) {
    Fail(outcome, call, Errc::kUnsupported, unsupported);
    co_return outcome;
  }

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
  StreamState state(NewEventTranslator(call));
  std::function<asio::awaitable<bool>()> keep_alive = [&sink]() { return sink.KeepAlive(); };
  UpstreamClient::Result opened = co_await AwaitWithTicks(
      OpenStream(call, std::move(request), state, outcome), call.keepalive_interval, keep_alive);
  if (opened.response) co_await RelayRest(call, *opened.response, sink, state, outcome);
  outcome.facts = state.translator->facts();
  co_return outcome;
}

asio::awaitable<bool> HttpProvider::ReadErrorStatus(const ProviderCall& call,
                                                    UpstreamResponse& response,
                                                    ProviderOutcome& outcome) {
  outcome.upstream_status = response.status();
  if (response.status() >= 200 && response.status() <= 299) co_return false;
  std::string body;
  co_await response.ReadAll(body, kMaxErrorBodyBytes);
  const std::string said = UpstreamErrorMessage(body);
  Fail(outcome, call, Errc::kUpstreamStatus,
       "HTTP " + std::to_string(response.status()) + (said.empty() ? "" : ": " + said));
  outcome.upstream_raw = Truncate(body);
  if (response.status() == 429) outcome.retry_after = std::string(response.header("Retry-After"));
  co_return true;
}

asio::awaitable<void> HttpProvider::ReadWhole(const ProviderCall& call, UpstreamResponse& response,
                                              ProviderOutcome& outcome) {
  std::string body;
  const boost::system::error_code read_error = co_await response.ReadAll(body, kMaxResponseBytes);
  if (read_error) {
    Fail(outcome, call, read_error, "");
    co_return;
  }
  TranslateWhole(call, body, outcome);
  if (outcome.error) outcome.upstream_raw = Truncate(body);
}

asio::awaitable<UpstreamClient::Result> HttpProvider::OpenStream(const ProviderCall& call,
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
    outcome.upstream_raw = Truncate(body);
    sent.response.reset();
    co_return sent;
  }
  response.SetFirstTokenDeadline(sent.first_byte_deadline);
  co_await ReadEvents(call, response, state, outcome);
  response.ClearFirstTokenDeadline();
  outcome.time_to_first_byte = Clock::now() - call.start;
  co_return sent;
}

asio::awaitable<void> HttpProvider::RelayRest(const ProviderCall& call, UpstreamResponse& response,
                                              StreamSink& sink, StreamState& state,
                                              ProviderOutcome& outcome) {
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
asio::awaitable<bool> HttpProvider::ReadEvents(const ProviderCall& call, UpstreamResponse& response,
                                               StreamState& state, ProviderOutcome& outcome) {
  EventTranslator& translator = *state.translator;
  auto translate = [&state, &translator](std::string_view payload) {
    if (state.stop != Outcome::kContinue && state.stop != Outcome::kDone) return;
    if (translator.saw_done()) return;  // nothing after the end of the answer is relayed
    const Outcome result = translator.Translate(payload, state.events);
    if (result != Outcome::kContinue) state.stop = result;
  };
  for (;;) {
    const UpstreamResponse::Piece piece = co_await response.ReadSome();
    if (piece.error || piece.data.empty()) {
      state.body_done = true;
      state.parser.Finish(translate);  // a last event the upstream did not terminate
      // After the end of the answer, how the connection ends no longer matters.
      if (translator.saw_done()) co_return !state.events.empty();
      Fail(outcome, call, piece.error ? piece.error : Errc::kStreamBroken,
           piece.error ? "" : "the stream ended before the answer was complete");
      co_return !state.events.empty();
    }
    if (!state.parser.Feed(piece.data, translate)) {
      Fail(outcome, call, Errc::kMalformedResponse, "an SSE event exceeded the size limit");
      co_return !state.events.empty();
    }
    if (state.stop == Outcome::kUpstreamError) {
      Fail(outcome, call, Errc::kUpstreamError, translator.error_message());
      outcome.upstream_raw = Truncate(translator.error_raw());
      co_return !state.events.empty();
    }
    if (state.stop == Outcome::kMalformed) {
      Fail(outcome, call, Errc::kMalformedResponse, translator.error_message());
      co_return !state.events.empty();
    }
    if (!state.events.empty()) co_return true;
  }
}

}  // namespace gw::providers

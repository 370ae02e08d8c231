#include "providers/openai/openai_provider.h"

#include <nlohmann/json.hpp>

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
bool IsErrorObject(std::string_view body) {
  std::vector<json::Member> members;
  if (json::ScanObject(body, members)) return false;
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

asio::awaitable<ProviderOutcome> OpenAiProvider::Complete(ProviderCall call, StreamSink& sink) {
  ProviderOutcome outcome;
  UpstreamRequest request;
  request.provider = call.provider;
  request.target = call.provider->base_url.path_prefix + std::string(call.api_path);
  request.body = RewriteRequestBody(*call.body, call.endpoint->upstream_model, call.stream);
  request.expect_event_stream = call.stream;
  WaitingHook on_waiting;
  if (call.stream) on_waiting = [&sink]() { return sink.KeepAlive(); };

  UpstreamClient::Result sent =
      co_await client_.Send(std::move(request), call.start, call.keepalive_interval, on_waiting);
  if (sent.error) {
    Fail(outcome, call, sent.error, sent.detail);
    co_return outcome;
  }
  UpstreamResponse& response = *sent.response;
  outcome.time_to_first_byte = Clock::now() - call.start;
  outcome.upstream_status = response.status();
  if (response.status() < 200 || response.status() > 299) {
    std::string body;
    co_await response.ReadAll(body, kMaxErrorBodyBytes);
    std::string said = UpstreamErrorMessage(body);
    Fail(outcome, call, Errc::kUpstreamStatus,
         "HTTP " + std::to_string(response.status()) + (said.empty() ? "" : ": " + said));
    outcome.upstream_raw = Truncate(body, kMaxRawBytes);
    co_return outcome;
  }
  if (call.stream) {
    co_await RelayStream(call, response, sink, outcome);
  } else {
    co_await ReadWhole(call, response, outcome);
  }
  co_return outcome;
}

asio::awaitable<void> OpenAiProvider::ReadWhole(const ProviderCall& call,
                                                UpstreamResponse& response,
                                                ProviderOutcome& outcome) {
  std::string body;
  if (auto ec = co_await response.ReadAll(body, kMaxResponseBytes)) {
    Fail(outcome, call, ec, "");
    co_return;
  }
  if (IsErrorObject(body)) {  // some servers answer errors with 200
    std::string said = UpstreamErrorMessage(body);
    Fail(outcome, call, Errc::kUpstreamError, said);
    outcome.upstream_raw = Truncate(body, kMaxRawBytes);
    co_return;
  }
  std::string why;
  std::optional<std::string> ours = RewriteResponse(body, call.stamp, outcome.facts, &why);
  if (!ours) {
    Fail(outcome, call, Errc::kMalformedResponse, why);
    outcome.upstream_raw = Truncate(body, kMaxRawBytes);
    co_return;
  }
  outcome.body = std::move(*ours);
}

asio::awaitable<void> OpenAiProvider::RelayStream(const ProviderCall& call,
                                                  UpstreamResponse& response, StreamSink& sink,
                                                  ProviderOutcome& outcome) {
  if (response.content_type().find("text/event-stream") == std::string_view::npos) {
    // A server that ignored `stream` or answered an error with 200: nothing to relay.
    std::string body;
    co_await response.ReadAll(body, kMaxErrorBodyBytes);
    std::string said = UpstreamErrorMessage(body);
    Fail(outcome, call, Errc::kMalformedResponse,
         said.empty()
             ? "expected an event stream, got \"" + std::string(response.content_type()) + "\""
             : said);
    outcome.upstream_raw = Truncate(body, kMaxRawBytes);
    co_return;
  }
  SseParser parser;
  StreamTranslator translator(call.stamp);
  std::string events;
  for (;;) {
    UpstreamResponse::Piece piece = co_await response.ReadSome();
    if (piece.error) {
      Fail(outcome, call, piece.error, "");
      break;
    }
    if (piece.data.empty()) {  // body complete
      // An upstream may close after its last event without the final blank line.
      events.clear();
      parser.Finish([&](std::string_view payload) {
        if (!translator.saw_done()) translator.Translate(payload, events);
      });
      if (!events.empty()) {
        outcome.relayed = true;
        const bool delivered = co_await sink.Events(events);
        if (!delivered) {
          Fail(outcome, call, Errc::kClientGone, "");
          break;
        }
      }
      if (!translator.saw_done()) {
        Fail(outcome, call, Errc::kStreamBroken, "the stream ended without [DONE]");
      }
      break;
    }
    if (translator.saw_done()) continue;  // drain to the end so the connection is reusable
    events.clear();
    StreamTranslator::Outcome stop = StreamTranslator::Outcome::kContinue;
    const bool fits = parser.Feed(piece.data, [&](std::string_view payload) {
      if (stop != StreamTranslator::Outcome::kContinue) return;
      StreamTranslator::Outcome result = translator.Translate(payload, events);
      if (result == StreamTranslator::Outcome::kUpstreamError ||
          result == StreamTranslator::Outcome::kMalformed) {
        stop = result;
      } else if (result == StreamTranslator::Outcome::kDone) {
        stop = result;
      }
    });
    if (!events.empty()) {
      outcome.relayed = true;
      const bool delivered = co_await sink.Events(events);
      if (!delivered) {
        Fail(outcome, call, Errc::kClientGone, "");
        break;
      }
    }
    if (!fits) {
      Fail(outcome, call, Errc::kMalformedResponse, "an SSE event exceeded the size limit");
      break;
    }
    if (stop == StreamTranslator::Outcome::kUpstreamError) {
      Fail(outcome, call, Errc::kUpstreamError, translator.error_message());
      outcome.upstream_raw = Truncate(translator.error_raw(), kMaxRawBytes);
      break;
    }
    if (stop == StreamTranslator::Outcome::kMalformed) {
      Fail(outcome, call, Errc::kMalformedResponse, translator.error_message());
      break;
    }
  }
  outcome.facts = translator.facts();
}

}  // namespace gw::providers::openai

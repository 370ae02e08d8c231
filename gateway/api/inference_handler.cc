#include "gateway/api/inference_handler.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "accounting/cost.h"
#include "accounting/ledger/utc_time.h"
#include "accounting/token_estimate.h"
#include "gateway/api/attempt_usage_meter.h"
#include "gateway/api/gateway_metadata.h"
#include "gateway/api/key_gate.h"
#include "gateway/api/messages_translation.h"
#include "gateway/api/responses_translation.h"
#include "gateway/error_response.h"
#include "gateway/health/attempt_observation.h"
#include "gateway/server/log.h"
#include "providers/errors.h"
#include "providers/registry.h"

namespace gw::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kEventStream = "text/event-stream";
constexpr std::string_view kKeepAliveComment = ": PROCESSING\n\n";
constexpr std::string_view kSessionIdHeader = "x-session-id";
constexpr std::string_view kDoneEvent = "data: [DONE]\n\n";

// The client side of a stream: starts the SSE response lazily, on the first keep-alive or
// event, so that an attempt failing before that can still be answered with a real status.
class ClientStreamSink final : public providers::StreamSink {
 public:
  // `metadata`, when set, gives the X-Gateway-Metadata header at the moment the stream starts.
  // `final_event`: the stream's last event ("data: [DONE]", Anthropic's message_stop), held
  // back when an Events() call ends with it; "" when the last event varies (Responses'
  // response.completed carries the whole response) and its producer calls HoldBack instead.
  ClientStreamSink(server::Responder& responder, const std::string& generation_id,
                   std::function<std::string()> metadata, std::string_view final_event)
      : responder_(responder),
        headers_{{"X-Generation-Id", generation_id}},
        metadata_(std::move(metadata)),
        final_event_(final_event) {}

  asio::awaitable<bool> KeepAlive() override {
    const bool open = co_await Begin();
    if (!open) co_return Gone();
    const bool written = co_await responder_.WriteChunk(kKeepAliveComment);
    if (!written) co_return Gone();
    co_return true;
  }
  // The final event ("data: [DONE]") is held back (done_pending) until the request's usage
  // record is in the ledger: a client that reads it and asks GET /v1/generation must find it.
  asio::awaitable<bool> Events(std::string_view events) override {
    server::RequestLog& log = responder_.log();
    if (log.first_token_at == Clock::time_point{}) log.first_token_at = Clock::now();
    if (!final_event_.empty() && events.ends_with(final_event_)) {
      done_pending_ = true;
      events.remove_suffix(final_event_.size());
      if (events.empty()) co_return true;
    }
    const bool open = co_await Begin();
    if (!open) co_return Gone();
    const bool written = co_await responder_.WriteChunk(events);
    if (!written) co_return Gone();
    co_return true;
  }

  // Holds `final_event` back like the fixed final event (a translator's last event).
  void HoldBack(std::string final_event) {
    final_event_ = std::move(final_event);
    done_pending_ = true;
  }

  // Writes the held-back final event (starting the stream if nothing else did).
  asio::awaitable<bool> WriteDone() {
    const bool open = co_await Begin();
    if (!open) co_return Gone();
    const bool written = co_await responder_.WriteChunk(final_event_);
    if (!written) co_return Gone();
    co_return true;
  }

  bool done_pending() const { return done_pending_; }
  bool client_gone() const { return client_gone_; }

 private:
  bool Gone() {
    client_gone_ = true;
    return false;
  }

  asio::awaitable<bool> Begin() {
    if (responder_.started()) co_return true;
    if (metadata_) headers_.emplace_back(kGatewayMetadataHeader, metadata_());
    const bool begun = co_await responder_.BeginStream(kEventStream, headers_);
    co_return begun;
  }

  server::Responder& responder_;
  server::HeaderList headers_;
  std::function<std::string()> metadata_;
  std::string final_event_;
  bool done_pending_ = false;
  bool client_gone_ = false;
};

// A rough prompt size for routing (context fit, expected cost) before the tokenizer exists:
// about four bytes of request body per token, which over-counts the JSON syntax around short
// messages (the safe side for a context check). docs/routing.md states it.
int64_t EstimatePromptTokens(size_t body_bytes) { return static_cast<int64_t>(body_bytes / 4); }

dialects::Dialect DialectOf(InferenceKind kind) {
  switch (kind) {
    case InferenceKind::kChat:
      return dialects::Dialect::kChatCompletions;
    case InferenceKind::kCompletion:
      return dialects::Dialect::kCompletions;
    case InferenceKind::kMessages:
      return dialects::Dialect::kAnthropicMessages;
    case InferenceKind::kResponses:
      return dialects::Dialect::kResponses;
  }
  return dialects::Dialect::kChatCompletions;
}

ErrorShape ShapeOf(InferenceKind kind) {
  return kind == InferenceKind::kMessages ? ErrorShape::kAnthropic : ErrorShape::kOpenAi;
}

// An error answer in the shape of the request's API.
asio::awaitable<void> SendError(server::Responder& responder, InferenceKind kind, int status,
                                std::string message, const nlohmann::json& metadata,
                                const server::HeaderList& headers) {
  responder.log().error = message;
  const ErrorShape shape = ShapeOf(kind);
  std::string body = ErrorBody(shape, status, message, metadata);
  const auto wire_status = static_cast<http::status>(WireStatus(shape, status));
  co_await responder.Send(wire_status, kJson, std::move(body), headers);
}

// The headers a Messages request forwards to an Anthropic endpoint (docs/dialects.md).
constexpr std::array<std::string_view, 2> kAnthropicForwardedHeaders = {"anthropic-version",
                                                                        "anthropic-beta"};

}  // namespace

struct InferenceHandler::Exchange {
  InferenceKind kind;
  Clock::time_point started;
  size_t body_bytes;
  server::Request& request;  // its body moves into the usage record at the end
  server::Responder& responder;
  InferenceRequest body;
  std::shared_ptr<const routing::Snapshot> snapshot;
  std::string generation_id{};
  providers::ProviderOutcome outcome{};      // of the last attempt
  const routing::Attempt* served = nullptr;  // the attempt that answered, if any
  std::vector<AttemptRecord> attempts{};
  bool want_metadata = false;                 // X-Gateway-Metadata: enabled
  const routing::RoutePlan* plan = nullptr;   // while Serve runs
  const routing::Attempt* current = nullptr;  // the attempt in progress
  std::chrono::system_clock::time_point received = std::chrono::system_clock::now();
  // The last attempt made (the one that served, or relayed part of an answer before failing).
  const routing::Attempt* last = nullptr;
  Clock::time_point last_start{};
  std::optional<AttemptUsageMeter> meter{};  // of the attempt in progress / the last one
  std::string api_key_id{};                  // the caller's key id; "" when auth is off
  bool client_gone = false;                  // a write to the client failed
  // A Messages request for an OpenAI-compatible endpoint: the chat body it was translated to
  // (once, on the first such attempt) and its members; translated_answer: the last attempt was
  // such, its answer is in the chat dialect.
  std::string chat_body{};
  std::vector<json::Member> chat_members{};
  bool translated_answer = false;
  // A Responses request (every endpoint gets the chat body it translates to): what its answer
  // echoes and the conversation it continues; the attempt's translating stream sink, if any.
  std::optional<ResponsesTurn> responses{};
  ResponsesSink* responses_stream = nullptr;
  // The body for a Responses-native endpoint when the request continues a stored response
  // (NativeResponsesBody), made on the first attempt at one, and its members.
  std::string native_body{};
  std::vector<json::Member> native_members{};
  // The caller's managed key's limits on this request, when it has one.
  std::optional<KeyGate> key_gate{};
};

namespace {

// The X-Gateway-Metadata header for the answer, when the request asked for it.
void AddMetadataHeader(const InferenceHandler::Exchange& exchange, server::HeaderList& headers) {
  if (!exchange.want_metadata || exchange.plan == nullptr) return;
  headers.emplace_back(
      kGatewayMetadataHeader,
      GatewayMetadataJson(*exchange.snapshot, *exchange.plan, exchange.attempts, nullptr));
}

}  // namespace

InferenceHandler::InferenceHandler(asio::io_context& io, InferenceSettings settings)
    : settings_(settings),
      client_(io, *settings.upstream_tls, &settings.metrics->pools()),
      rng_(std::random_device{}()) {}

// Counts the attempt in the metrics and in its endpoint's live health.
void InferenceHandler::RecordAttempt(const Exchange& exchange, const routing::Attempt& attempt,
                                     const providers::ProviderCall& call) {
  const providers::ProviderOutcome& outcome = exchange.outcome;
  const std::string& provider = attempt.provider->name;
  if (outcome.error == providers::Errc::kUpstreamStatus) {
    const std::string result = "http_" + std::to_string(outcome.upstream_status);
    settings_.metrics->RecordAttempt(provider, result);
  } else {
    settings_.metrics->RecordAttempt(provider, providers::ErrcName(outcome.error));
  }
  health::AttemptFacts facts;
  facts.endpoint_id = attempt.endpoint_id;
  facts.stream = call.stream;
  facts.start = call.start;
  facts.end = Clock::now();
  facts.retry_statuses = &exchange.snapshot->config().routing.retry_statuses;
  if (std::optional<routing::HealthObservation> observation =
          health::ObserveAttempt(outcome, facts)) {
    settings_.health->Record(*observation);
  }
}

providers::Provider& InferenceHandler::ProviderFor(config::ProviderKind kind) {
  auto& slot = providers_[kind];
  if (!slot) slot = providers::MakeProvider(kind, client_);
  return *slot;
}

asio::awaitable<void> InferenceHandler::Handle(InferenceKind kind, server::Request& request,
                                               server::Responder& responder, std::string api_key_id,
                                               keys::ApiKeyPtr key) {
  Exchange exchange{kind,      Clock::now(), request.body().size(),      request,
                    responder, {},           settings_.snapshots->Load()};
  std::string refusal;
  if (settings_.usage != nullptr && !settings_.usage->Admit(&refusal)) {
    const server::HeaderList retry_after{{"Retry-After", "1"}};
    const nlohmann::json none = nlohmann::json::object();
    co_await SendError(responder, kind, 503, std::move(refusal), none, retry_after);
    co_return;
  }
  std::string problem = DecodeInferenceRequest(request.body(), kind, exchange.body);
  if (!problem.empty()) {
    const nlohmann::json none = nlohmann::json::object();
    co_await SendError(responder, kind, 400, std::move(problem), none, server::kNoHeaders);
    co_return;
  }
  responder.log().model = exchange.body.model;
  exchange.api_key_id = std::move(api_key_id);
  exchange.want_metadata = WantsGatewayMetadata(request[kGatewayMetadataHeader]);
  // Sticky routing key: the body's session_id, else the x-session-id header.
  if (exchange.body.session_id.empty()) {
    exchange.body.session_id = std::string(request[kSessionIdHeader]);
  }
  if (key != nullptr && settings_.key_limits != nullptr) {
    // The key's model rules first (a forbidden request takes nothing from the rate limits),
    // then its rate limits.
    KeyGate& gate = exchange.key_gate.emplace(*settings_.key_limits, std::move(key),
                                              exchange.body.user, exchange.body.model);
    std::optional<KeyRefusal> refusal = gate.CheckModels(exchange.body.models);
    if (!refusal) refusal = gate.AdmitRequest(accounting::NowEpochMs());
    if (refusal) {
      const nlohmann::json none = nlohmann::json::object();
      co_await SendError(responder, kind, refusal->status, std::move(refusal->message), none,
                         refusal->headers);
      co_return;
    }
  }
  if (kind == InferenceKind::kResponses) {
    const int refused = co_await PrepareResponses(exchange);
    if (refused != 0) co_return;
  }
  co_await Serve(exchange);
}

asio::awaitable<void> InferenceHandler::Serve(Exchange& exchange) {
  server::Responder& responder = exchange.responder;
  const InferenceRequest& body = exchange.body;
  routing::RequestFacts facts;
  facts.model = body.model;
  facts.fallback_models = &body.models;
  facts.preferences = &body.preferences;
  facts.estimated_prompt_tokens = EstimatePromptTokens(exchange.body_bytes);
  facts.max_tokens = body.max_tokens;
  facts.parameters = &body.parameters;
  const bool sticky = !body.session_id.empty();
  if (sticky)
    facts.sticky_endpoint_id =
        settings_.sessions->Find(body.session_id, body.model, exchange.started);
  routing::RoutePlan plan =
      routing::Plan(*exchange.snapshot, facts, std::chrono::system_clock::now(), rng_);
  if (plan.error != routing::PlanError::kNone) {
    const ErrorShape shape = ShapeOf(exchange.kind);
    RouteFailure failure = NoRouteFailure(plan, shape);
    responder.log().error = failure.message;
    const auto status = static_cast<http::status>(WireStatus(shape, failure.status));
    co_await responder.Send(status, kJson, std::move(failure.body), server::kNoHeaders);
    co_return;
  }
  exchange.generation_id = ids_.Next();
  responder.log().generation_id = exchange.generation_id;
  exchange.plan = &plan;
  std::function<std::string()> stream_metadata;
  if (exchange.want_metadata) {
    stream_metadata = [&exchange]() {
      return GatewayMetadataJson(*exchange.snapshot, *exchange.plan, exchange.attempts,
                                 exchange.current);
    };
  }
  const bool messages = exchange.kind == InferenceKind::kMessages;
  const bool responses = exchange.kind == InferenceKind::kResponses;
  // A Responses stream's final event carries the whole response: the translating sink hands
  // it over (HoldBack) rather than the client sink recognising it.
  ClientStreamSink sink(responder, exchange.generation_id, std::move(stream_metadata),
                        messages    ? dialects::kMessageStopEvent
                        : responses ? std::string_view()
                                    : kDoneEvent);
  std::optional<MessagesStreamSink> translating_sink;
  std::optional<ResponsesStreamSink> responses_sink;
  std::optional<ResponsesPassthroughSink> responses_passthrough_sink;
  std::string untranslatable;  // why the Messages body could not be translated to chat

  // routing.max_attempts and routing.total_timeout_ms bound the failover (docs/routing.md).
  const config::RoutingConfig& limits = exchange.snapshot->config().routing;
  const Clock::time_point deadline =
      limits.total_timeout_ms == 0
          ? Clock::time_point::max()
          : exchange.started + std::chrono::milliseconds(limits.total_timeout_ms);
  for (const routing::Attempt& attempt : plan.attempts) {
    if (exchange.attempts.size() >= limits.max_attempts) break;
    if (!exchange.attempts.empty() && Clock::now() >= deadline) break;
    if (exchange.key_gate && !exchange.key_gate->Allows(attempt)) continue;
    providers::ProviderCall call;
    call.deadline = deadline;
    call.provider = attempt.provider;
    call.endpoint = attempt.endpoint;
    call.inbound = DialectOf(exchange.kind);
    call.body = &body.members;
    call.raw_body = exchange.request.body();
    call.stream = body.stream;
    providers::StreamSink* attempt_sink = &sink;
    const bool native_responses =
        responses && attempt.provider->kind == config::ProviderKind::kOpenAiResponses;
    exchange.translated_answer =
        (responses && !native_responses) ||
        (messages && attempt.provider->kind != config::ProviderKind::kAnthropic);
    if (native_responses) {
      // A Responses-native endpoint takes the request in its own dialect (the conversation
      // expanded: NativeResponsesBody) and answers in it.
      // A request without previous_response_id goes as the client sent it (call.body as set).
      if (json::FindMember(body.members, "previous_response_id") != nullptr) {
        if (exchange.native_body.empty()) {
          exchange.native_body = NativeResponsesBody(exchange.request.body(), *exchange.responses);
          if (json::ScanObject(exchange.native_body, exchange.native_members)) continue;
        }
        call.body = &exchange.native_members;
        call.raw_body = exchange.native_body;
      }
    } else if (responses) {
      // Every other endpoint takes a Responses request as chat (PrepareResponses translated
      // it); an Anthropic endpoint's adapter goes on from chat to Messages.
      call.inbound = dialects::Dialect::kChatCompletions;
      call.body = &exchange.chat_members;
      call.raw_body = exchange.chat_body;
    } else if (exchange.translated_answer) {
      // A Messages client, an OpenAI-compatible endpoint: the endpoint gets the chat body the
      // request translates to, and the answer is translated back (messages_translation.h).
      // A body the chat dialect cannot express skips this endpoint (an Anthropic one later in
      // the plan takes it as it is); if no endpoint could take it, it is the client's 400.
      untranslatable = TranslatedChatBody(exchange);
      if (!untranslatable.empty()) continue;
      call.inbound = dialects::Dialect::kChatCompletions;
      call.body = &exchange.chat_members;
      call.raw_body = exchange.chat_body;
    } else if (messages) {
      for (std::string_view name : kAnthropicForwardedHeaders) {
        call.forward_headers.emplace_back(name, exchange.request[name]);
      }
    }
    call.stamp = {exchange.generation_id, attempt.model->id, attempt.provider->name};
    if (settings_.usage != nullptr) {
      // A Responses request's prompt is estimated from its chat translation, whatever the
      // endpoint takes: the meter reads chat messages.
      const std::string_view prompt =
          responses ? std::string_view(exchange.chat_body) : call.raw_body;
      exchange.meter.emplace(attempt.endpoint->pricing, TokenizerOf(*attempt.model), prompt,
                             exchange.kind != InferenceKind::kCompletion);
      call.stamp.usage_meter = &*exchange.meter;
    }
    if (exchange.key_gate) {
      // The worst case of this endpoint is reserved before it is called; an endpoint the
      // budget cannot afford is skipped (a cheaper one later in the plan may fit).
      int64_t prompt_tokens = 0;
      if (exchange.key_gate->NeedsPromptTokens()) {
        const providers::CompletionFacts nothing_generated;
        prompt_tokens = exchange.meter ? exchange.meter->Estimate(nothing_generated).prompt_tokens
                                       : facts.estimated_prompt_tokens;
      }
      if (!exchange.key_gate->Reserve(attempt, prompt_tokens, body.max_tokens,
                                      accounting::NowEpochMs())) {
        continue;
      }
    }
    if (native_responses && body.stream) {
      exchange.responses_stream = &responses_passthrough_sink.emplace(sink);
      attempt_sink = exchange.responses_stream;
    } else if (responses && body.stream) {
      exchange.responses_stream = &responses_sink.emplace(sink, exchange.responses->context);
      attempt_sink = exchange.responses_stream;
    } else if (exchange.translated_answer && body.stream) {
      // The prompt as message_start reports it: the meter's count, else routing's estimate.
      const providers::CompletionFacts nothing_generated;
      const int64_t input_tokens = exchange.meter
                                       ? exchange.meter->Estimate(nothing_generated).prompt_tokens
                                       : facts.estimated_prompt_tokens;
      attempt_sink = &translating_sink.emplace(sink, input_tokens);
    }
    call.keepalive_interval = settings_.stream_keepalive;
    call.start = Clock::now();
    exchange.current = &attempt;
    exchange.last = &attempt;
    exchange.last_start = call.start;
    exchange.outcome = co_await ProviderFor(attempt.provider->kind).Complete(call, *attempt_sink);
    exchange.current = nullptr;
    const providers::ProviderOutcome& outcome = exchange.outcome;
    responder.log().model = attempt.model->id;
    responder.log().provider = attempt.provider->name;
    responder.log().upstream_wait += outcome.upstream_wait;
    RecordAttempt(exchange, attempt, call);
    exchange.attempts.push_back({attempt.model->id, attempt.provider->name, outcome.upstream_status,
                                 outcome.error ? outcome.message : "", Clock::now() - call.start});
    if (!outcome.error) {
      exchange.served = &attempt;
      if (sticky && !(plan.sticky && &attempt == &plan.attempts.front())) {
        settings_.sessions->Remember(body.session_id, body.model, attempt.endpoint_id,
                                     Clock::now());
      }
      break;
    }
    // After content reached the client, or for a failure another endpoint would repeat (the
    // client's own mistake), there is nothing left to try.
    if (outcome.relayed ||
        !providers::IsRetryable(outcome.error, outcome.upstream_status, limits.retry_statuses)) {
      break;
    }
  }

  if (exchange.attempts.empty() && exchange.key_gate) {
    if (std::optional<KeyRefusal> refusal = exchange.key_gate->NothingTried()) {
      const nlohmann::json none = nlohmann::json::object();
      co_await SendError(responder, exchange.kind, refusal->status, std::move(refusal->message),
                         none, refusal->headers);
      co_return;
    }
  }
  if (exchange.attempts.empty() && !untranslatable.empty()) {
    const nlohmann::json none = nlohmann::json::object();
    co_await SendError(responder, exchange.kind, 400, std::move(untranslatable), none,
                       server::kNoHeaders);
    co_return;
  }
  exchange.client_gone = sink.client_gone();
  // Everything below writes the end of the answer (a stream's held-back final event, a whole
  // body, an error): it waits for the record to be durable (RecordUsage).
  if (settings_.usage != nullptr) co_await RecordUsage(exchange);
  if (exchange.served == nullptr) {
    co_await AnswerFailure(exchange);
  } else if (body.stream) {
    if (responses) {
      std::string final_event = exchange.responses_stream->TakeFinalEvent();
      if (!final_event.empty()) {
        StoreResponse(exchange, ResponseOfFinalEvent(final_event));
        sink.HoldBack(std::move(final_event));
      }
    }
    bool open = true;
    if (sink.done_pending()) open = co_await sink.WriteDone();
    if (open) co_await responder.EndStream();
  } else {
    server::HeaderList headers{{"X-Generation-Id", exchange.generation_id}};
    AddMetadataHeader(exchange, headers);
    std::string answer = std::move(exchange.outcome.body);
    if (exchange.translated_answer) {
      std::string translated;
      const std::string problem =
          responses ? ChatToResponsesResponse(answer, exchange.responses->context, translated)
                    : ChatToMessagesResponse(answer, translated);
      if (!problem.empty()) {  // our own chat answer, so this is a gateway bug: say so
        const nlohmann::json none = nlohmann::json::object();
        std::string message = "the gateway could not translate the answer: " + problem;
        co_await SendError(responder, exchange.kind, 500, std::move(message), none, headers);
        co_return;
      }
      answer = std::move(translated);
    }
    if (responses) StoreResponse(exchange, answer);
    co_await responder.Send(http::status::ok, kJson, std::move(answer), headers);
  }
}

asio::awaitable<int> InferenceHandler::PrepareResponses(Exchange& exchange) {
  const nlohmann::json none = nlohmann::json::object();
  nlohmann::json history;  // null: the request starts a conversation
  const json::Member* previous = json::FindMember(exchange.body.members, "previous_response_id");
  if (previous != nullptr && previous->kind == json::ValueKind::kString) {
    const std::string id =
        json::UnescapeString(json::StringContents(previous->value)).value_or(std::string());
    std::optional<responses::StoredResponse> stored;
    if (settings_.response_store != nullptr) {
      stored = settings_.response_store->Get(id, exchange.api_key_id);
    }
    if (stored) history = nlohmann::json::parse(stored->items_json, nullptr, false);
    if (!stored || !history.is_array()) {
      // Another key's response is reported exactly like an unknown one.
      std::string message = "previous_response_id: no response found with id \"" + id +
                            "\" (responses are kept when created with store: true, for the "
                            "ledger's retention, and only for the key that created them)";
      co_await SendError(exchange.responder, exchange.kind, 404, std::move(message), none,
                         server::kNoHeaders);
      co_return 404;
    }
  }
  const int64_t created_at =
      std::chrono::duration_cast<std::chrono::seconds>(exchange.received.time_since_epoch())
          .count();
  ResponsesTurn& turn = exchange.responses.emplace();
  std::string problem =
      ResponsesToChatBody(exchange.request.body(), history, exchange.body.model, created_at, turn);
  if (problem.empty()) {
    exchange.chat_body = std::move(turn.chat_body);
    if (std::optional<json::ScanError> error =
            json::ScanObject(exchange.chat_body, exchange.chat_members)) {
      problem = "the gateway could not translate the request: " + error->message;
    }
  }
  if (!problem.empty()) {
    co_await SendError(exchange.responder, exchange.kind, 400, std::move(problem), none,
                       server::kNoHeaders);
    co_return 400;
  }
  co_return 0;
}

void InferenceHandler::StoreResponse(const Exchange& exchange, std::string_view response_json) {
  const ResponsesTurn& turn = *exchange.responses;
  if (settings_.response_store == nullptr || !turn.context.store || response_json.empty()) return;
  responses::StoredResponse stored;
  stored.id = exchange.generation_id;  // the response's id on every path
  stored.key_id = exchange.api_key_id;
  stored.created_at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(exchange.received.time_since_epoch())
          .count();
  stored.response_json = std::string(response_json);
  stored.items_json = ConversationAfter(turn, response_json);
  const std::string error = settings_.response_store->Put(stored);
  if (!error.empty()) {
    // The answer still goes out; only its continuation is lost. Say so in the log.
    const nlohmann::json line = {{"event", "response_store_error"},
                                 {"generation_id", exchange.generation_id},
                                 {"detail", error}};
    server::LogJsonLine(line.dump());
  }
}

std::string InferenceHandler::TranslatedChatBody(Exchange& exchange) {
  if (!exchange.chat_body.empty()) return {};
  std::string problem =
      MessagesToChatBody(exchange.request.body(), exchange.body.model, exchange.chat_body);
  if (!problem.empty()) return problem;
  if (std::optional<json::ScanError> error =
          json::ScanObject(exchange.chat_body, exchange.chat_members)) {
    return "the gateway could not translate the request: " + error->message;
  }
  return {};
}

asio::awaitable<void> InferenceHandler::RecordUsage(Exchange& exchange) {
  const providers::ProviderOutcome& outcome = exchange.outcome;
  const providers::CompletionFacts& facts = outcome.facts;
  const Clock::time_point now = Clock::now();
  const auto ms = [](Clock::duration duration) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(duration).count();
  };
  accounting::GenerationRecord record;
  record.id = exchange.generation_id;
  record.created_at_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(exchange.received.time_since_epoch())
          .count();
  if (settings_.honor_demo_time_header) {
    const std::string_view demo_time = exchange.request[kDemoTimeHeader];
    int64_t demo_ms = 0;
    const auto [end, error] =
        std::from_chars(demo_time.data(), demo_time.data() + demo_time.size(), demo_ms);
    if (error == std::errc() && end == demo_time.data() + demo_time.size() && demo_ms > 0) {
      record.created_at_ms = demo_ms;
    }
  }
  record.api_key_id = exchange.api_key_id;
  record.user = exchange.body.user;
  record.http_referer = std::string(exchange.request["HTTP-Referer"]);
  record.app_title = std::string(exchange.request["X-Title"]);
  record.app = !record.app_title.empty() ? record.app_title : record.http_referer;
  record.model_requested = exchange.body.model;
  record.api = std::string(dialects::DialectName(DialectOf(exchange.kind)));
  record.streamed = exchange.body.stream;
  // The request ended before its answer: the client went away (seen by the provider as a failed
  // relay, or by the sink as a failed keep-alive, which cancels the attempt), or the shutdown
  // grace period ran out (kCancelled). Either way what was relayed is charged, as generated.
  record.cancelled = outcome.error == providers::Errc::kClientGone ||
                     outcome.error == providers::Errc::kCancelled || exchange.client_gone;
  record.http_status = exchange.served != nullptr || exchange.responder.started()
                           ? 200
                           : StatusForUpstreamFailure(outcome.error, outcome.upstream_status);
  const routing::Attempt* attempt = exchange.last;
  if (attempt != nullptr) {
    record.model = attempt->model->id;
    record.author = attempt->model->author;
    record.provider = attempt->provider->name;
    record.endpoint = attempt->endpoint->upstream_model;
    record.generation_time_ms = ms(now - exchange.last_start);
    record.model_origin = attempt->model->origin_country;
    record.model_open_weights = attempt->model->open_weights;
    record.model_parameters_m = attempt->model->parameters_m;
    record.model_reasoning = attempt->model->reasoning;
  }
  if (const config::AppConfig* app = exchange.snapshot->config().FindApp(record.app);
      app != nullptr && app->category) {
    record.category = std::string(config::TaskCategoryName(*app->category));
  }
  record.finish_reason = facts.finish_reason;
  record.native_finish_reason = facts.native_finish_reason;
  // An attempt that failed after content went out ended the answer with an error chunk, unless
  // the answer was complete already (finished, and its usage chunk with the cost relayed): then
  // the record charges what the client was told.
  const bool complete_before_failure = facts.usage && !facts.usage_estimated &&
                                       !facts.finish_reason.empty() &&
                                       facts.finish_reason != "error";
  if (outcome.error && !record.cancelled && !complete_before_failure) {
    record.finish_reason = "error";
  }
  record.tool_called = record.finish_reason == "tool_calls";
  record.latency_ms = ms(now - exchange.started);
  const Clock::time_point first_token = exchange.responder.log().first_token_at;
  if (first_token != Clock::time_point{})
    record.time_to_first_token_ms = ms(first_token - exchange.started);

  // Native counts: the provider's, else (no usage, a broken stream, a client gone) the estimate
  // of the meter, which counts the prompt and the text actually relayed.
  if (facts.usage_malformed && !(facts.usage && !facts.usage_estimated)) {
    settings_.usage->CountMalformedUsage();
    const nlohmann::json line = {
        {"event", "malformed_usage"},
        {"generation_id", record.id},
        {"provider", record.provider},
        {"detail", "the provider's usage object was invalid; the counts were estimated"}};
    server::LogJsonLine(line.dump());
  }
  const bool relayed = exchange.served != nullptr || outcome.relayed;
  if (facts.usage) {
    record.native = ToTokenCounts(*facts.usage);
    record.estimated = facts.usage_estimated;
  } else if (relayed && exchange.meter) {
    record.native = ToTokenCounts(exchange.meter->Estimate(facts));
    record.estimated = true;
  }
  if (relayed && attempt != nullptr) {
    record.cost =
        accounting::PriceRequest(attempt->endpoint->pricing, record.native, record.finish_reason);
  }
  if (exchange.key_gate) {
    const auto tokens = static_cast<uint64_t>(std::max<int64_t>(0, record.native.prompt) +
                                              std::max<int64_t>(0, record.native.completion));
    exchange.key_gate->Settle(record.cost.total, record.created_at_ms, tokens,
                              accounting::NowEpochMs());
  }
  for (const AttemptRecord& tried : exchange.attempts) {
    accounting::AttemptEntry entry;
    entry.model = std::string(tried.model);
    entry.provider = std::string(tried.provider);
    entry.status = tried.status;
    entry.latency_ms = ms(tried.latency);
    entry.error = tried.error;
    record.attempts.push_back(std::move(entry));
  }
  // The prompt goes to the accounting consumer, which reads the insights from it off the
  // request path (accounting::FillRequestInsights). Normalized counts (o200k_base): a model that
  // uses that tokenizer has them already, its native counts (the provider's, or our estimate
  // with it); others hand their completion text over too, and the consumer counts both.
  // Nothing relayed: nothing read, nothing counted.
  const bool normalized_tokenizer =
      attempt != nullptr && accounting::tokenizer::EncodingByName(attempt->model->tokenizer) ==
                                accounting::kNormalizedEncoding;
  if (!relayed || normalized_tokenizer) {
    record.tokens_prompt = record.native.prompt;
    record.tokens_completion = record.native.completion;
  }
  if (relayed) {
    // Every attempt is over: nothing reads the body any more, so it moves into the record.
    record.prompt_is_chat = exchange.kind != InferenceKind::kCompletion;
    // A Responses body has no `messages`: the chat body it was translated to is what the
    // consumer reads.
    record.prompt_source = exchange.kind == InferenceKind::kResponses
                               ? std::move(exchange.chat_body)
                               : std::move(exchange.request.body());
    // Where the request body's parts are, as its decoding found them (the consumer then needs
    // no walk of it); a translated Responses body has none.
    if (exchange.kind != InferenceKind::kResponses) {
      record.prompt_layout = std::move(exchange.body.layout);
    }
    exchange.chat_members.clear();  // views into the moved chat body
    exchange.body.members.clear();  // views into the moved body
    exchange.meter.reset();         // ... and so does the meter
    if (!normalized_tokenizer) {
      record.completion_source = std::move(exchange.outcome.facts.completion_text);
    }
  }
  co_await settings_.usage->Record(std::move(record));
}

asio::awaitable<void> InferenceHandler::AnswerFailure(Exchange& exchange) {
  server::Responder& responder = exchange.responder;
  const providers::ProviderOutcome& outcome = exchange.outcome;
  responder.log().error = outcome.message;
  const int status = StatusForUpstreamFailure(outcome.error, outcome.upstream_status);
  if (outcome.error == providers::Errc::kClientGone || exchange.client_gone) {
    co_return;  // nobody to answer
  }
  if (responder.started() && exchange.responses_stream != nullptr) {
    // A Responses stream ends with response.failed (or `error` before response.created).
    const std::string events = exchange.responses_stream->FailureEvents(status, outcome.message);
    bool written = true;
    if (!events.empty()) written = co_await responder.WriteChunk(events);
    if (written) co_await responder.EndStream();
    co_return;
  }
  if (responder.started() && exchange.kind == InferenceKind::kMessages) {
    const std::string event = AnthropicErrorEvent(status, outcome.message, outcome.upstream_raw);
    const bool written = co_await responder.WriteChunk(event);
    if (written) co_await responder.EndStream();
    co_return;
  }
  if (responder.started()) {
    // The stream is open (keep-alives or content went out): the error travels in-band.
    MidStreamError error;
    error.id = exchange.generation_id;
    error.model = responder.log().model;
    error.provider = responder.log().provider;
    if (exchange.kind == InferenceKind::kCompletion) error.object = "text_completion";
    error.code = status;
    error.message = outcome.message;
    error.raw = outcome.upstream_raw;
    const std::string event = MidStreamErrorEvent(error);
    const bool written = co_await responder.WriteChunk(event);
    if (written) co_await responder.EndStream();
    co_return;
  }
  nlohmann::json metadata = {{"provider_name", responder.log().provider}};
  if (!outcome.upstream_raw.empty()) metadata["raw"] = outcome.upstream_raw;
  if (exchange.attempts.size() > 1) {
    nlohmann::json attempts = nlohmann::json::array();
    for (const AttemptRecord& attempt : exchange.attempts) {
      attempts.push_back({{"provider_name", attempt.provider},
                          {"status", attempt.status},
                          {"error", attempt.error}});
    }
    metadata["attempts"] = std::move(attempts);
  }
  server::HeaderList headers{{"X-Generation-Id", exchange.generation_id}};
  if (!outcome.retry_after.empty()) headers.emplace_back("Retry-After", outcome.retry_after);
  AddMetadataHeader(exchange, headers);
  // Cancelled by the shutdown (the grace period is over): the provider did not fail; say why.
  std::string message = outcome.error == providers::Errc::kCancelled
                            ? "the gateway is shutting down: the request was cancelled before the "
                              "provider answered; retry it"
                            : outcome.message;
  co_await SendError(responder, exchange.kind, status, std::move(message), metadata, headers);
}

}  // namespace gw::api

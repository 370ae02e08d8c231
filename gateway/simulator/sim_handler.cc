#include "gateway/simulator/sim_handler.h"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>

#include "gateway/server/log.h"
#include "gateway/simulator/sim_anthropic.h"
#include "gateway/simulator/sim_anthropic_request.h"
#include "gateway/simulator/sim_plan.h"
#include "gateway/simulator/sim_request.h"
#include "gateway/simulator/sim_responses.h"
#include "gateway/simulator/sim_responses_api.h"
#include "gateway/simulator/sim_responses_api_request.h"
#include "gateway/simulator/sim_text.h"

namespace gw::simulator {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::awaitable;

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kEventStream = "text/event-stream";
constexpr std::string_view kHealthBody = R"({"status":"ok"})";
// Zero-delay streams are written in pieces of about this size instead of one write per event.
constexpr size_t kStreamFlushBytes = 16 * 1024;

std::string ModelsBody(const std::vector<std::string>& models) {
  nlohmann::json data = nlohmann::json::array();
  for (const std::string& id : models) {
    data.push_back({{"id", id}, {"object", "model"}, {"created", 0}, {"owned_by", "gateway-sim"}});
  }
  if (models.empty()) {
    data.push_back(
        {{"id", "sim-model"}, {"object", "model"}, {"created", 0}, {"owned_by", "gateway-sim"}});
  }
  return nlohmann::json({{"object", "list"}, {"data", std::move(data)}}).dump();
}

class SimHandler final : public server::RequestHandler {
 public:
  SimHandler(asio::io_context& io, std::shared_ptr<const SimSettings> settings,
             std::shared_ptr<const std::string> models_body, uint32_t worker_index)
      : io_(io),
        settings_(std::move(settings)),
        models_body_(std::move(models_body)),
        worker_index_(worker_index),
        rng_(settings_->defaults.seed ^ (0xA24BAED4963EE407ull * (worker_index + 1))) {}

  awaitable<void> Handle(server::Request& request, server::Responder& responder) override;

 private:
  awaitable<void> HandleCompletion(const server::Request& request, server::Responder& responder,
                                   Api api);
  awaitable<void> HandleMessages(const server::Request& request, server::Responder& responder);
  awaitable<void> HandleResponsesApi(const server::Request& request, server::Responder& responder);
  awaitable<void> HandleCountTokens(const server::Request& request, server::Responder& responder);
  // A whole answer: `body` after the ttft delay and `tokens - 1` token intervals.
  awaitable<void> SendWhole(std::string body, StreamTiming timing, uint64_t tokens,
                            server::Responder& responder);
  awaitable<void> SendStream(StreamSource& source, StreamTiming timing,
                             server::Responder& responder);
  // Resolves the final options (defaults, then x-sim-options, then the model suffix).
  std::string ResolveOptions(const server::Request& request, std::string_view suffix,
                             SimOptions* options) const;
  // An invalid_request_error with this status, message and code.
  awaitable<void> SendError(server::Responder& responder, http::status status, std::string message,
                            std::string_view code, server::HeaderList headers);
  // An Anthropic-shaped error ({"type":"error","error":{"type","message"}}).
  awaitable<void> SendAnthropicError(server::Responder& responder, http::status status,
                                     std::string message, server::HeaderList headers);
  // The error_rate fault: `status` with the body a provider would send (429: Retry-After), in
  // OpenAI's shape or (`anthropic`) Anthropic's.
  awaitable<void> SendSimulatedError(server::Responder& responder, uint32_t status, bool anthropic);
  awaitable<void> SendLastRequest(server::Responder& responder);
  // The close_after_response option: the answer is complete; closes the connection and prints
  // {"event":"connection_closed",...} on stdout, after the close, for tests to wait on.
  void CloseAfterResponse(server::Responder& responder);
  // The disconnect_after fault: writes `pending` stream bytes, then drops the connection.
  awaitable<void> Disconnect(server::Responder& responder, std::string_view pending);
  // False when the wait was cancelled (server shutdown): the caller then drops the request.
  awaitable<bool> Wait(asio::steady_timer& timer, asio::steady_timer::time_point deadline);
  // "chatcmpl-sim-<n>", "cmpl-sim-<n>", "resp_sim-<n>" or "msg_sim_<n>": n counts every answer
  // of the process.
  std::string NextId(std::string_view prefix);

  asio::io_context& io_;
  std::shared_ptr<const SimSettings> settings_;
  std::shared_ptr<const std::string> models_body_;
  uint32_t worker_index_;
  SimRng rng_;             // error/malformed draws of this worker
  uint64_t requests_ = 0;  // completions answered by this worker, for ids
};

// The one method each known path answers to, or nullopt for an unknown path.
std::optional<http::verb> AllowedMethod(std::string_view path) {
  if (path == "/v1/chat/completions" || path == "/v1/completions" || path == "/v1/responses" ||
      path == "/v1/messages" || path == "/v1/messages/count_tokens") {
    return http::verb::post;
  }
  if (path == "/v1/models" || path == "/health" || path == "/sim/last-request") {
    return http::verb::get;
  }
  return std::nullopt;
}

awaitable<void> SimHandler::Handle(server::Request& request, server::Responder& responder) {
  std::string_view path = request.target();
  path = path.substr(0, path.find('?'));
  const std::optional<http::verb> allowed = AllowedMethod(path);
  if (!allowed) {
    co_await SendError(responder, http::status::not_found, "unknown path " + std::string(path),
                       "unknown_url", {});
  } else if (request.method() != *allowed) {
    const std::string verb(http::to_string(*allowed));
    server::HeaderList headers;
    headers.emplace_back("allow", verb);
    std::string message = std::string(request.method_string()) + " is not allowed on " +
                          std::string(path) + " (use " + verb + ")";
    if (path.starts_with("/v1/messages")) {
      co_await SendAnthropicError(responder, http::status::method_not_allowed, std::move(message),
                                  std::move(headers));
    } else {
      co_await SendError(responder, http::status::method_not_allowed, std::move(message),
                         "method_not_allowed", std::move(headers));
    }
  } else if (path == "/v1/messages") {
    co_await HandleMessages(request, responder);
  } else if (path == "/v1/messages/count_tokens") {
    co_await HandleCountTokens(request, responder);
  } else if (path == "/v1/chat/completions") {
    co_await HandleCompletion(request, responder, Api::kChat);
  } else if (path == "/v1/completions") {
    co_await HandleCompletion(request, responder, Api::kCompletions);
  } else if (path == "/v1/responses") {
    co_await HandleResponsesApi(request, responder);
  } else if (path == "/v1/models") {
    co_await responder.Send(http::status::ok, kJson, *models_body_, server::kNoHeaders);
  } else if (path == "/health") {
    co_await responder.Send(http::status::ok, kJson, std::string(kHealthBody), server::kNoHeaders);
  } else {
    co_await SendLastRequest(responder);
  }
}

awaitable<void> SimHandler::HandleCompletion(const server::Request& request,
                                             server::Responder& responder, Api api) {
  if (settings_->recorder) settings_->recorder->Record(request);
  CompletionRequest parsed;
  std::string error = ParseCompletionRequest(request.body(), api, &parsed);
  const ModelSpec model = SplitModel(parsed.model);
  responder.log().model = std::string(model.name);
  SimOptions options = settings_->defaults;
  if (error.empty()) error = ResolveOptions(request, model.overrides, &options);
  if (!error.empty()) {
    co_await SendError(responder, http::status::bad_request, std::move(error), {}, {});
    co_return;
  }
  if (rng_.Chance(options.error_rate)) {
    co_await SendSimulatedError(responder, options.status, false);
    co_return;
  }
  CompletionPlan plan = MakePlan(parsed, api, model.name, options);
  plan.malformed = rng_.Chance(options.malformed);
  plan.id = NextId(api == Api::kChat ? "chatcmpl-sim-" : "cmpl-sim-");
  plan.created = static_cast<int64_t>(std::time(nullptr));
  responder.log().generation_id = plan.id;
  const StreamTiming timing = plan.Timing();
  if (plan.stream) {
    StreamComposer composer(plan);
    co_await SendStream(composer, timing, responder);
  } else {
    std::string body = BuildWholeBody(plan);
    co_await SendWhole(std::move(body), timing, plan.tokens, responder);
  }
  if (options.close_after_response) CloseAfterResponse(responder);
}

awaitable<void> SimHandler::HandleResponsesApi(const server::Request& request,
                                               server::Responder& responder) {
  if (settings_->recorder) settings_->recorder->Record(request);
  ResponsesApiRequest parsed;
  std::string error = ParseResponsesApiRequest(request.body(), &parsed);
  const ModelSpec model = SplitModel(parsed.model);
  responder.log().model = std::string(model.name);
  SimOptions options = settings_->defaults;
  if (error.empty()) error = ResolveOptions(request, model.overrides, &options);
  if (!error.empty()) {
    co_await SendError(responder, http::status::bad_request, std::move(error), {}, {});
    co_return;
  }
  if (rng_.Chance(options.error_rate)) {
    co_await SendSimulatedError(responder, options.status, false);
    co_return;
  }
  ResponsesApiPlan plan = MakeResponsesApiPlan(parsed, model.name, options);
  plan.malformed = rng_.Chance(options.malformed);
  plan.id = NextId("resp_sim-");
  plan.created_at = static_cast<int64_t>(std::time(nullptr));
  responder.log().generation_id = plan.id;
  const StreamTiming timing = plan.timing;
  if (plan.stream) {
    ResponsesApiStreamComposer composer(plan);
    co_await SendStream(composer, timing, responder);
  } else {
    std::string body = BuildResponsesApiBody(plan);
    co_await SendWhole(std::move(body), timing, plan.ContentDeltas(), responder);
  }
  if (options.close_after_response) CloseAfterResponse(responder);
}

awaitable<void> SimHandler::HandleMessages(const server::Request& request,
                                           server::Responder& responder) {
  if (settings_->recorder) settings_->recorder->Record(request);
  MessagesRequest parsed;
  std::string error = ParseMessagesRequest(request.body(), MessagesEndpoint::kCreate, &parsed);
  const ModelSpec model = SplitModel(parsed.model);
  responder.log().model = std::string(model.name);
  SimOptions options = settings_->defaults;
  if (error.empty()) error = ResolveOptions(request, model.overrides, &options);
  if (!error.empty()) {
    server::HeaderList no_headers;
    co_await SendAnthropicError(responder, http::status::bad_request, std::move(error),
                                std::move(no_headers));
    co_return;
  }
  if (rng_.Chance(options.error_rate)) {
    co_await SendSimulatedError(responder, options.status, true);
    co_return;
  }
  MessagesPlan plan = MakeMessagesPlan(parsed, model.name, options);
  plan.malformed = rng_.Chance(options.malformed);
  plan.id = NextId("msg_sim_");
  responder.log().generation_id = plan.id;
  const StreamTiming timing = plan.timing;
  if (plan.stream) {
    MessagesStreamComposer composer(plan);
    co_await SendStream(composer, timing, responder);
  } else {
    std::string body = BuildMessageBody(plan);
    co_await SendWhole(std::move(body), timing, plan.ContentDeltas(), responder);
  }
  if (options.close_after_response) CloseAfterResponse(responder);
}

awaitable<void> SimHandler::HandleCountTokens(const server::Request& request,
                                              server::Responder& responder) {
  if (settings_->recorder) settings_->recorder->Record(request);
  MessagesRequest parsed;
  std::string error = ParseMessagesRequest(request.body(), MessagesEndpoint::kCountTokens, &parsed);
  responder.log().model = std::string(SplitModel(parsed.model).name);
  if (!error.empty()) {
    server::HeaderList no_headers;
    co_await SendAnthropicError(responder, http::status::bad_request, std::move(error),
                                std::move(no_headers));
    co_return;
  }
  std::string body = CountTokensBody(parsed.prompt_tokens);
  co_await responder.Send(http::status::ok, kJson, std::move(body), server::kNoHeaders);
}

std::string SimHandler::ResolveOptions(const server::Request& request, std::string_view suffix,
                                       SimOptions* options) const {
  auto header = request.find("x-sim-options");
  if (header != request.end()) {
    std::string error = ApplyOverrides(header->value(), "x-sim-options", options);
    if (!error.empty()) return error;
  }
  return ApplyOverrides(suffix, "model suffix", options);
}

awaitable<void> SimHandler::SendWhole(std::string body, StreamTiming timing, uint64_t tokens,
                                      server::Responder& responder) {
  const int64_t generation_us =
      timing.ttft_us + (tokens > 0 ? static_cast<int64_t>(tokens - 1) * timing.interval_us : 0);
  if (generation_us > 0) {
    asio::steady_timer timer(io_);
    const auto deadline =
        asio::steady_timer::clock_type::now() + std::chrono::microseconds(generation_us);
    const bool waited = co_await Wait(timer, deadline);
    if (!waited) {
      responder.Abort();
      co_return;
    }
  }
  if (timing.disconnect_after >= 0) {
    co_await Disconnect(responder, "");
    co_return;
  }
  co_await responder.Send(http::status::ok, kJson, std::move(body), server::kNoHeaders);
}

awaitable<void> SimHandler::SendStream(StreamSource& source, StreamTiming timing,
                                       server::Responder& responder) {
  asio::steady_timer timer(io_);
  auto first_token_at = asio::steady_timer::clock_type::now();
  if (timing.early_head) {
    const bool begun = co_await responder.BeginStream(kEventStream, server::kNoHeaders);
    if (!begun) co_return;
  }
  if (timing.ttft_us > 0) {
    first_token_at += std::chrono::microseconds(timing.ttft_us);
    const bool waited = co_await Wait(timer, first_token_at);
    if (!waited) {
      responder.Abort();
      co_return;
    }
  }
  if (!timing.early_head) {
    const bool begun = co_await responder.BeginStream(kEventStream, server::kNoHeaders);
    if (!begun) co_return;
  }
  std::string out;
  source.AppendOpening(out);
  const auto drop_at = static_cast<uint64_t>(timing.disconnect_after);     // -1: never reached
  const auto error_at = static_cast<uint64_t>(timing.stream_error_after);  // -1: never reached
  while (source.content_chunks() < std::min(drop_at, error_at) && source.has_more()) {
    // A paced stream writes each token position when its time comes; an unpaced one in pieces.
    const uint32_t position = source.next_position();
    const bool paced = timing.interval_us > 0 && position > 0 && source.at_new_position();
    if (paced || out.size() >= kStreamFlushBytes) {
      const bool written = co_await responder.WriteChunk(out);
      if (!written) co_return;
      out.clear();
    }
    if (paced) {
      const auto due = first_token_at + std::chrono::microseconds(position * timing.interval_us);
      const bool waited = co_await Wait(timer, due);
      if (!waited) {
        responder.Abort();
        co_return;
      }
    }
    source.AppendContentChunk(out);
  }
  if (source.content_chunks() == drop_at) {
    co_await Disconnect(responder, out);
    co_return;
  }
  if (source.content_chunks() == error_at) {
    source.AppendStreamError(out);
    responder.log().error = "simulated stream error";
  } else {
    source.AppendClosing(out);
  }
  const bool written = co_await responder.WriteChunk(out);
  if (!written) co_return;
  co_await responder.EndStream();
}

void SimHandler::CloseAfterResponse(server::Responder& responder) {
  if (!responder.started()) return;
  responder.Abort();  // the answer is out in full: this only closes the connection
  server::LogJsonLine(R"({"event":"connection_closed","service":"gateway-sim",)"
                      R"("reason":"close_after_response"})");
}

awaitable<void> SimHandler::Disconnect(server::Responder& responder, std::string_view pending) {
  if (!pending.empty()) co_await responder.WriteChunk(pending);
  responder.log().error = "simulated disconnect";
  responder.Abort();
}

awaitable<bool> SimHandler::Wait(asio::steady_timer& timer,
                                 asio::steady_timer::time_point deadline) {
  timer.expires_at(deadline);
  auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

awaitable<void> SimHandler::SendError(server::Responder& responder, http::status status,
                                      std::string message, std::string_view code,
                                      server::HeaderList headers) {
  std::string body = ErrorBody(message, "invalid_request_error", code);
  responder.log().error = std::move(message);
  co_await responder.Send(status, kJson, std::move(body), headers);
}

awaitable<void> SimHandler::SendAnthropicError(server::Responder& responder, http::status status,
                                               std::string message, server::HeaderList headers) {
  std::string body = AnthropicErrorBody(AnthropicErrorType(static_cast<uint32_t>(status)), message);
  responder.log().error = std::move(message);
  co_await responder.Send(status, kJson, std::move(body), headers);
}

awaitable<void> SimHandler::SendSimulatedError(server::Responder& responder, uint32_t status,
                                               bool anthropic) {
  responder.log().error = "simulated error";
  server::HeaderList headers;
  if (status == 429) headers.emplace_back("retry-after", "1");
  std::string body = anthropic ? AnthropicSimulatedErrorBody(status) : SimulatedErrorBody(status);
  co_await responder.Send(static_cast<http::status>(status), kJson, std::move(body), headers);
}

awaitable<void> SimHandler::SendLastRequest(server::Responder& responder) {
  if (!settings_->recorder) {
    co_await SendError(responder, http::status::not_found,
                       "request recording is off: start gateway-sim with --record-requests",
                       "recording_off", {});
    co_return;
  }
  std::optional<std::string> last = settings_->recorder->LastAsJson();
  if (!last) {
    co_await SendError(responder, http::status::not_found, "no completion request received yet",
                       "no_request", {});
    co_return;
  }
  co_await responder.Send(http::status::ok, kJson, std::move(*last), server::kNoHeaders);
}

std::string SimHandler::NextId(std::string_view prefix) {
  const uint64_t n = requests_++ * settings_->worker_count + worker_index_ + 1;
  return std::string(prefix) + std::to_string(n);
}

}  // namespace

server::HandlerFactory MakeSimHandlerFactory(std::shared_ptr<const SimSettings> settings) {
  auto models_body = std::make_shared<const std::string>(ModelsBody(settings->models));
  return [settings = std::move(settings), models_body = std::move(models_body)](
             asio::io_context& io, int worker_index) -> std::unique_ptr<server::RequestHandler> {
    return std::make_unique<SimHandler>(io, settings, models_body,
                                        static_cast<uint32_t>(worker_index));
  };
}

}  // namespace gw::simulator

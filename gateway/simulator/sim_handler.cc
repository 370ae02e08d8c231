#include "gateway/simulator/sim_handler.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>

#include "gateway/simulator/sim_plan.h"
#include "gateway/simulator/sim_request.h"
#include "gateway/simulator/sim_responses.h"
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
  awaitable<void> SendWhole(const CompletionPlan& plan, server::Responder& responder);
  awaitable<void> SendStream(const CompletionPlan& plan, server::Responder& responder);
  // Resolves the final options (defaults, then x-sim-options, then the model suffix).
  std::string ResolveOptions(const server::Request& request, std::string_view suffix,
                             SimOptions* options) const;
  // An invalid_request_error with this status, message and code.
  awaitable<void> SendError(server::Responder& responder, http::status status, std::string message,
                            std::string_view code, server::HeaderList headers);
  // The error_rate fault: `status` with the body a provider would send (429: Retry-After).
  awaitable<void> SendSimulatedError(server::Responder& responder, uint32_t status);
  awaitable<void> SendLastRequest(server::Responder& responder);
  // The disconnect_after fault: writes `pending` stream bytes, then drops the connection.
  awaitable<void> Disconnect(server::Responder& responder, std::string_view pending);
  // False when the wait was cancelled (server shutdown): the caller then drops the request.
  awaitable<bool> Wait(asio::steady_timer& timer, asio::steady_timer::time_point deadline);
  std::string NextId(Api api);

  asio::io_context& io_;
  std::shared_ptr<const SimSettings> settings_;
  std::shared_ptr<const std::string> models_body_;
  uint32_t worker_index_;
  SimRng rng_;             // error/malformed draws of this worker
  uint64_t requests_ = 0;  // completions answered by this worker, for ids
};

// The one method each known path answers to, or nullopt for an unknown path.
std::optional<http::verb> AllowedMethod(std::string_view path) {
  if (path == "/v1/chat/completions" || path == "/v1/completions") return http::verb::post;
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
    co_await SendError(responder, http::status::method_not_allowed,
                       std::string(request.method_string()) + " is not allowed on " +
                           std::string(path) + " (use " + verb + ")",
                       "method_not_allowed", std::move(headers));
  } else if (path == "/v1/chat/completions") {
    co_await HandleCompletion(request, responder, Api::kChat);
  } else if (path == "/v1/completions") {
    co_await HandleCompletion(request, responder, Api::kCompletions);
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
    co_await SendSimulatedError(responder, options.status);
    co_return;
  }
  CompletionPlan plan = MakePlan(parsed, api, model.name, options);
  plan.malformed = rng_.Chance(options.malformed);
  plan.id = NextId(api);
  plan.created = static_cast<int64_t>(std::time(nullptr));
  responder.log().generation_id = plan.id;
  if (plan.stream) {
    co_await SendStream(plan, responder);
  } else {
    co_await SendWhole(plan, responder);
  }
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

awaitable<void> SimHandler::SendWhole(const CompletionPlan& plan, server::Responder& responder) {
  const int64_t generation_us =
      plan.ttft_us + (plan.tokens > 0 ? int64_t{plan.tokens - 1} * plan.interval_us : 0);
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
  if (plan.disconnect_after >= 0) {
    co_await Disconnect(responder, "");
    co_return;
  }
  co_await responder.Send(http::status::ok, kJson, BuildWholeBody(plan), server::kNoHeaders);
}

awaitable<void> SimHandler::SendStream(const CompletionPlan& plan, server::Responder& responder) {
  asio::steady_timer timer(io_);
  auto first_token_at = asio::steady_timer::clock_type::now();
  if (plan.early_head) {
    const bool begun = co_await responder.BeginStream(kEventStream, server::kNoHeaders);
    if (!begun) co_return;
  }
  if (plan.ttft_us > 0) {
    first_token_at += std::chrono::microseconds(plan.ttft_us);
    const bool waited = co_await Wait(timer, first_token_at);
    if (!waited) {
      responder.Abort();
      co_return;
    }
  }
  if (!plan.early_head) {
    const bool begun = co_await responder.BeginStream(kEventStream, server::kNoHeaders);
    if (!begun) co_return;
  }
  StreamComposer composer(plan);
  std::string out;
  composer.AppendOpening(out);
  const auto drop_at = static_cast<uint64_t>(plan.disconnect_after);  // -1: never reached
  while (composer.content_chunks() < drop_at && composer.has_more()) {
    // A paced stream writes each token position when its time comes; an unpaced one in pieces.
    const uint32_t position = composer.next_position();
    const bool new_position = composer.content_chunks() % plan.choices == 0;
    const bool paced = plan.interval_us > 0 && position > 0 && new_position;
    if (paced || out.size() >= kStreamFlushBytes) {
      const bool written = co_await responder.WriteChunk(out);
      if (!written) co_return;
      out.clear();
    }
    if (paced) {
      const auto due = first_token_at + std::chrono::microseconds(position * plan.interval_us);
      const bool waited = co_await Wait(timer, due);
      if (!waited) {
        responder.Abort();
        co_return;
      }
    }
    composer.AppendContentChunk(out);
  }
  if (composer.content_chunks() == drop_at) {
    co_await Disconnect(responder, out);
    co_return;
  }
  composer.AppendClosing(out);
  const bool written = co_await responder.WriteChunk(out);
  if (!written) co_return;
  co_await responder.EndStream();
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

awaitable<void> SimHandler::SendSimulatedError(server::Responder& responder, uint32_t status) {
  responder.log().error = "simulated error";
  server::HeaderList headers;
  if (status == 429) headers.emplace_back("retry-after", "1");
  co_await responder.Send(static_cast<http::status>(status), kJson, SimulatedErrorBody(status),
                          headers);
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

std::string SimHandler::NextId(Api api) {
  const uint64_t n = requests_++ * settings_->worker_count + worker_index_ + 1;
  return (api == Api::kChat ? "chatcmpl-sim-" : "cmpl-sim-") + std::to_string(n);
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

#include "gateway/api/gateway_handler.h"

#include <nlohmann/json.hpp>

#include "accounting/ledger/utc_time.h"
#include "gateway/api/endpoints_listing.h"
#include "gateway/api/insights_api.h"
#include "gateway/api/keys_api.h"
#include "gateway/api/models_listing.h"
#include "gateway/api/query_string.h"
#include "gateway/api/rankings_api.h"
#include "gateway/api/usage_api.h"
#include "gateway/dashboard/dashboard_assets.h"
#include "gateway/error_response.h"

namespace gw::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
constexpr std::string_view kJson = "application/json";

enum class Endpoint {
  kUnknown,
  kHealth,
  kReady,
  kModels,
  kModel,  // one model object: /v1/models/{author}/{slug}
  kModelEndpoints,
  kMetrics,
  kChat,
  kCompletion,
  kMessages,             // Anthropic Messages (Claude Code, the Anthropic SDKs)
  kMessagesCountTokens,  // Anthropic's token count of a Messages request
  kResponses,            // OpenAI Responses (Codex CLI, the Agents SDK)
  kStoredResponse,       // GET / DELETE /v1/responses/{id}
  kGeneration,
  kActivity,
  kRankings,
  kRankingsTimeseries,
  kInsights,       // /v1/insights and /v1/insights/{analysis}
  kKey,            // GET /v1/key: the calling key
  kCredits,        // GET /v1/credits
  kKeys,           // GET, POST /v1/keys (admin keys)
  kKeyByHash,      // GET, PATCH, DELETE /v1/keys/{hash} (admin keys)
  kDashboardHome,  // "/": redirects to the rankings page
  kDashboard       // the pages and their script and style (gateway/dashboard)
};

// The `endpoint` label of the request metrics: a fixed set, never the raw path.
std::string_view MetricName(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kHealth:
      return "health";
    case Endpoint::kReady:
      return "ready";
    case Endpoint::kModels:
      return "models";
    case Endpoint::kModel:
      return "model";
    case Endpoint::kModelEndpoints:
      return "model_endpoints";
    case Endpoint::kMetrics:
      return "metrics";
    case Endpoint::kChat:
      return "chat_completions";
    case Endpoint::kCompletion:
      return "completions";
    case Endpoint::kMessages:
      return "messages";
    case Endpoint::kMessagesCountTokens:
      return "messages_count_tokens";
    case Endpoint::kResponses:
      return "responses";
    case Endpoint::kStoredResponse:
      return "stored_response";
    case Endpoint::kGeneration:
      return "generation";
    case Endpoint::kActivity:
      return "activity";
    case Endpoint::kRankings:
      return "rankings";
    case Endpoint::kRankingsTimeseries:
      return "rankings_timeseries";
    case Endpoint::kInsights:
      return "insights";
    case Endpoint::kKey:
      return "key";
    case Endpoint::kCredits:
      return "credits";
    case Endpoint::kKeys:
    case Endpoint::kKeyByHash:
      return "keys";
    case Endpoint::kDashboardHome:
    case Endpoint::kDashboard:
      return "dashboard";
    case Endpoint::kUnknown:
      break;
  }
  return "other";
}

struct Route {
  Endpoint endpoint;
  http::verb method;       // HEAD is also accepted where this is GET
  std::string_view allow;  // for 405
};

// Strips the query string and the /api prefix of the /api/v1 alias.
std::string_view NormalizePath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target.starts_with("/api/v1/")) target.remove_prefix(4);
  if (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
  return target;
}

// "/v1/models/{author}/{slug}/endpoints" -> "{author}/{slug}"; "" for any other path.
std::string_view ModelOfEndpointsPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/v1/models/";
  constexpr std::string_view kSuffix = "/endpoints";
  if (path.size() <= kPrefix.size() + kSuffix.size() || !path.starts_with(kPrefix) ||
      !path.ends_with(kSuffix)) {
    return {};
  }
  return path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
}

// "/v1/models/{author}/{slug}" -> "{author}/{slug}" (still percent-encoded: the SDKs differ on
// whether they encode the slash); "" for any other path, /endpoints paths included.
std::string_view ModelOfModelPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/v1/models/";
  if (path.size() <= kPrefix.size() || !path.starts_with(kPrefix) ||
      !ModelOfEndpointsPath(path).empty()) {
    return {};
  }
  return path.substr(kPrefix.size());
}

// "/v1/responses/{id}" -> "{id}"; "" for any other path.
std::string_view ResponseIdOfPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/v1/responses/";
  if (path.size() <= kPrefix.size() || !path.starts_with(kPrefix)) return {};
  const std::string_view id = path.substr(kPrefix.size());
  return id.find('/') == std::string_view::npos ? id : std::string_view();
}

// "/v1/keys/{hash}" -> "{hash}"; "" for any other path.
std::string_view KeyHashOfPath(std::string_view path) {
  constexpr std::string_view kPrefix = "/v1/keys/";
  if (path.size() <= kPrefix.size() || !path.starts_with(kPrefix)) return {};
  const std::string_view hash = path.substr(kPrefix.size());
  return hash.find('/') == std::string_view::npos ? hash : std::string_view();
}

Route Resolve(std::string_view path) {
  if (path == "/health") return {Endpoint::kHealth, http::verb::get, "GET, HEAD"};
  if (path == "/ready") return {Endpoint::kReady, http::verb::get, "GET, HEAD"};
  if (path == "/v1/models") return {Endpoint::kModels, http::verb::get, "GET, HEAD"};
  if (path == "/metrics") return {Endpoint::kMetrics, http::verb::get, "GET, HEAD"};
  if (path == "/v1/chat/completions") return {Endpoint::kChat, http::verb::post, "POST"};
  if (path == "/v1/completions") return {Endpoint::kCompletion, http::verb::post, "POST"};
  if (path == "/v1/messages") return {Endpoint::kMessages, http::verb::post, "POST"};
  if (path == "/v1/messages/count_tokens") {
    return {Endpoint::kMessagesCountTokens, http::verb::post, "POST"};
  }
  if (path == "/v1/responses") return {Endpoint::kResponses, http::verb::post, "POST"};
  if (!ResponseIdOfPath(path).empty()) {
    return {Endpoint::kStoredResponse, http::verb::get, "GET, HEAD, DELETE"};
  }
  if (path == "/v1/generation") return {Endpoint::kGeneration, http::verb::get, "GET, HEAD"};
  if (path == "/v1/activity") return {Endpoint::kActivity, http::verb::get, "GET, HEAD"};
  if (path == "/v1/rankings") return {Endpoint::kRankings, http::verb::get, "GET, HEAD"};
  if (path == "/v1/rankings/timeseries") {
    return {Endpoint::kRankingsTimeseries, http::verb::get, "GET, HEAD"};
  }
  if (InsightsAnalysisOfPath(path)) return {Endpoint::kInsights, http::verb::get, "GET, HEAD"};
  if (path == "/v1/key") return {Endpoint::kKey, http::verb::get, "GET, HEAD"};
  if (path == "/v1/credits") return {Endpoint::kCredits, http::verb::get, "GET, HEAD"};
  if (path == "/v1/keys") return {Endpoint::kKeys, http::verb::get, "GET, HEAD, POST"};
  if (!KeyHashOfPath(path).empty()) {
    return {Endpoint::kKeyByHash, http::verb::get, "GET, HEAD, PATCH, DELETE"};
  }
  if (path == "/") return {Endpoint::kDashboardHome, http::verb::get, "GET, HEAD"};
  if (dashboard::FindAsset(path) != nullptr) {
    return {Endpoint::kDashboard, http::verb::get, "GET, HEAD"};
  }
  if (!ModelOfEndpointsPath(path).empty()) {
    return {Endpoint::kModelEndpoints, http::verb::get, "GET, HEAD"};
  }
  if (!ModelOfModelPath(path).empty()) return {Endpoint::kModel, http::verb::get, "GET, HEAD"};
  return {Endpoint::kUnknown, http::verb::unknown, ""};
}

// HEAD is answered like GET; the session leaves the body out.
// A stored response may also be deleted; keys are created, updated and deleted.
bool MethodAllowed(const Route& route, http::verb method) {
  return method == route.method ||
         (route.method == http::verb::get && method == http::verb::head) ||
         (route.endpoint == Endpoint::kStoredResponse && method == http::verb::delete_) ||
         (route.endpoint == Endpoint::kKeys && method == http::verb::post) ||
         (route.endpoint == Endpoint::kKeyByHash &&
          (method == http::verb::patch || method == http::verb::delete_));
}

// Sends the answer of a usage, rankings, insights or keys endpoint: its status, content type and
// body, its CSV download name if any; a failure's message goes to the access log.
asio::awaitable<void> SendUsageAnswer(UsageAnswer answer, server::Responder& responder) {
  if (answer.status >= 300) responder.log().error = answer.error;
  server::HeaderList headers;
  if (!answer.disposition.empty()) headers.emplace_back("Content-Disposition", answer.disposition);
  co_await responder.Send(static_cast<http::status>(answer.status), answer.content_type,
                          std::move(answer.body), headers);
}

constexpr std::string_view kOkBody = R"({"status":"ok"})";
constexpr std::string_view kReadyBody = R"({"status":"ready"})";

asio::awaitable<void> SendError(server::Responder& responder, http::status status,
                                std::string message, const server::HeaderList& headers) {
  responder.log().error = message;
  std::string body = ErrorBody(static_cast<int>(status), message);
  co_await responder.Send(status, kJson, std::move(body), headers);
}

// The Messages routes answer in Anthropic's error shape, everything else in OpenAI's.
ErrorShape ShapeOf(std::string_view path) {
  return path.starts_with("/v1/messages") ? ErrorShape::kAnthropic : ErrorShape::kOpenAi;
}

server::EarlyAnswer Refusal(http::status status, std::string message, server::HeaderList headers,
                            ErrorShape shape = ErrorShape::kOpenAi) {
  server::EarlyAnswer answer;
  answer.status = static_cast<http::status>(WireStatus(shape, static_cast<int>(status)));
  answer.body = ErrorBody(shape, static_cast<int>(status), message, nlohmann::json::object());
  answer.headers = std::move(headers);
  answer.log_error = std::move(message);
  return answer;
}

// /health is always ok; /ready only while `ready` (the server accepts connections).
asio::awaitable<void> AnswerProbe(Endpoint endpoint, bool ready, server::Responder& responder) {
  if (endpoint == Endpoint::kReady && !ready) {
    std::string message = "not ready: the gateway is starting or shutting down";
    co_await SendError(responder, http::status::service_unavailable, std::move(message),
                       server::kNoHeaders);
    co_return;
  }
  std::string body(endpoint == Endpoint::kReady ? kReadyBody : kOkBody);
  co_await responder.Send(http::status::ok, kJson, std::move(body), server::kNoHeaders);
}

// The caller's credential: the Authorization header, or Anthropic's x-api-key (Claude Code and
// the Anthropic SDKs send their key so) as if it were a bearer token.
std::string Credential(const server::RequestHead& head) {
  const std::string_view authorization = head[http::field::authorization];
  if (!authorization.empty()) return std::string(authorization);
  const std::string_view api_key = head["x-api-key"];
  if (api_key.empty()) return {};
  return "Bearer " + std::string(api_key);
}

// Resolves a path, with /metrics unknown while the metrics endpoint is switched off.
Route Resolve(std::string_view path, const config::MetricsConfig& metrics) {
  const Route route = Resolve(path);
  if (route.endpoint == Endpoint::kMetrics && !metrics.enabled) {
    return {Endpoint::kUnknown, http::verb::unknown, ""};
  }
  return route;
}

// Counts a request as in flight while it lives.
class InFlight {
 public:
  explicit InFlight(metrics::WorkerMetrics& metrics) : metrics_(metrics) {
    metrics_.RequestBegan();
  }
  ~InFlight() { metrics_.RequestEnded(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  metrics::WorkerMetrics& metrics_;
};

}  // namespace

GatewayHandler::GatewayHandler(asio::io_context& io, GatewaySettings settings)
    : settings_(std::move(settings)), inference_(io, settings_.inference) {}

std::optional<server::EarlyAnswer> GatewayHandler::CheckHead(const server::RequestHead& head) {
  AuthResult auth;
  return Admit(head, auth);
}

std::optional<server::EarlyAnswer> GatewayHandler::Admit(const server::RequestHead& head,
                                                         AuthResult& auth) {
  const std::string_view path = NormalizePath(head.target());
  const Route route = Resolve(path, settings_.metrics_endpoint);
  const ErrorShape shape = ShapeOf(path);
  if (route.endpoint == Endpoint::kUnknown) {
    return Refusal(http::status::not_found, "unknown path \"" + std::string(path) + "\"", {},
                   shape);
  }
  if (!MethodAllowed(route, head.method())) {
    return Refusal(http::status::method_not_allowed,
                   "method " + std::string(head.method_string()) + " is not allowed on " +
                       std::string(path) + "; use " + std::string(route.allow),
                   {{"Allow", std::string(route.allow)}}, shape);
  }
  if (route.endpoint == Endpoint::kHealth || route.endpoint == Endpoint::kReady) {
    return std::nullopt;  // probes need no key
  }
  if (route.endpoint == Endpoint::kMetrics && !settings_.metrics_endpoint.require_key) {
    return std::nullopt;
  }
  // The pages hold no data; their script calls the API with a key (docs/rankings.md).
  if (route.endpoint == Endpoint::kDashboard || route.endpoint == Endpoint::kDashboardHome) {
    return std::nullopt;
  }
  // The insights read the same ledger as the rankings and follow their access rule.
  const bool rankings = route.endpoint == Endpoint::kRankings ||
                        route.endpoint == Endpoint::kRankingsTimeseries ||
                        route.endpoint == Endpoint::kInsights;
  auth = settings_.authenticator->Check(Credential(head));
  if (rankings && settings_.rankings_access == config::RankingsAccess::kPublic) {
    return std::nullopt;  // a key is not needed; an admin key still reads more
  }
  if (!auth.ok) {
    return Refusal(http::status::unauthorized, auth.error, {{"WWW-Authenticate", "Bearer"}}, shape);
  }
  const bool management =
      route.endpoint == Endpoint::kKeys || route.endpoint == Endpoint::kKeyByHash;
  if (management && !auth.admin) {
    return Refusal(http::status::forbidden,
                   "managing keys needs an admin key (server.auth.admin_keys); this key (" +
                       (auth.managed != nullptr ? auth.managed->label : auth.key_id) +
                       ") is not one",
                   {});
  }
  if (rankings && settings_.rankings_access == config::RankingsAccess::kAdmin && !auth.admin) {
    return Refusal(http::status::forbidden,
                   "the rankings and insights are readable by admin keys only "
                   "(server.auth.rankings: admin); this key (" +
                       auth.key_id + ") is not one of server.auth.admin_keys",
                   {});
  }
  return std::nullopt;
}

// (Every argument built from something else is a named local first: GCC 12 mishandles
// temporaries created inside co_await expressions, see docs/architecture.md.)
asio::awaitable<void> GatewayHandler::Handle(server::Request& request,
                                             server::Responder& responder) {
  // The session ran CheckHead already; checking again keeps Handle correct on its own and
  // costs a few comparisons. `auth` is the one authentication every route below uses.
  AuthResult auth;
  std::optional<server::EarlyAnswer> refusal = Admit(request.base(), auth);
  if (refusal) {
    responder.log().error = refusal->log_error;
    co_await responder.Send(refusal->status, kJson, std::move(refusal->body), refusal->headers);
    co_return;
  }
  const InFlight in_flight(*settings_.inference.metrics);
  const Route route = Resolve(NormalizePath(request.target()), settings_.metrics_endpoint);
  if (route.endpoint == Endpoint::kMetrics) {
    std::string page = settings_.metrics->Render();
    co_await responder.Send(http::status::ok, metrics::kPrometheusContentType, std::move(page),
                            server::kNoHeaders);
    co_return;
  }
  if (route.endpoint == Endpoint::kHealth || route.endpoint == Endpoint::kReady) {
    const bool ready = settings_.ready();
    co_await AnswerProbe(route.endpoint, ready, responder);
    co_return;
  }
  if (route.endpoint == Endpoint::kModels) {
    std::string body = *settings_.models_json;
    co_await responder.Send(http::status::ok, kJson, std::move(body), server::kNoHeaders);
    co_return;
  }
  if (route.endpoint == Endpoint::kModel || route.endpoint == Endpoint::kModelEndpoints) {
    co_await AnswerModel(route.endpoint == Endpoint::kModelEndpoints,
                         NormalizePath(request.target()), responder);
    co_return;
  }
  if (route.endpoint == Endpoint::kDashboardHome) {
    const server::HeaderList headers{{"Location", "/rankings"}};
    std::string body = "See /rankings\n";
    co_await responder.Send(http::status::found, "text/plain; charset=utf-8", std::move(body),
                            headers);
    co_return;
  }
  if (route.endpoint == Endpoint::kDashboard) {
    co_await AnswerDashboard(request, responder);
    co_return;
  }
  if (route.endpoint == Endpoint::kRankings || route.endpoint == Endpoint::kRankingsTimeseries) {
    const bool timeseries = route.endpoint == Endpoint::kRankingsTimeseries;
    const std::string_view target = request.target();
    RankingsCaller caller;
    caller.admin = auth.ok && auth.admin;
    caller.key_id = auth.key_id;
    co_await AnswerRankings(timeseries, target, caller, responder);
    co_return;
  }
  if (route.endpoint == Endpoint::kInsights) {
    const std::string_view target = request.target();
    const bool admin = auth.ok && auth.admin;
    co_await AnswerInsights(target, admin, responder);
    co_return;
  }
  if (route.endpoint == Endpoint::kGeneration || route.endpoint == Endpoint::kActivity) {
    const std::string_view target = request.target();
    // A key reads only its own usage; an admin key (or anyone when auth is off) reads all.
    std::string key_id = auth.admin ? std::string() : auth.key_id;
    if (route.endpoint == Endpoint::kGeneration) {
      co_await AnswerGeneration(target, std::move(key_id), responder);
    } else {
      co_await AnswerActivity(target, std::move(key_id), responder);
    }
    co_return;
  }
  if (route.endpoint == Endpoint::kKey || route.endpoint == Endpoint::kCredits ||
      route.endpoint == Endpoint::kKeys || route.endpoint == Endpoint::kKeyByHash) {
    co_await AnswerKeys(request, std::move(auth), responder);
    co_return;
  }
  if (route.endpoint == Endpoint::kMessagesCountTokens) {
    co_await inference_.CountTokens(request, responder);
    co_return;
  }
  if (route.endpoint == Endpoint::kStoredResponse) {
    // Only the key that created a response reads or deletes it ("" when auth is off).
    std::string key_id = auth.key_id;
    const bool erase = request.method() == http::verb::delete_;
    const std::string_view id = ResponseIdOfPath(NormalizePath(request.target()));
    co_await AnswerStoredResponse(erase, id, std::move(key_id), responder);
    co_return;
  }
  InferenceKind kind = InferenceKind::kCompletion;
  if (route.endpoint == Endpoint::kChat) kind = InferenceKind::kChat;
  if (route.endpoint == Endpoint::kMessages) kind = InferenceKind::kMessages;
  if (route.endpoint == Endpoint::kResponses) kind = InferenceKind::kResponses;
  // The key's non-secret id attributes the usage record ("" when auth is off); a managed
  // key's limits apply to the request.
  co_await inference_.Handle(kind, request, responder, std::move(auth.key_id),
                             std::move(auth.managed));
}

asio::awaitable<void> GatewayHandler::AnswerKeys(const server::Request& request, AuthResult auth,
                                                 server::Responder& responder) {
  const std::string_view path = NormalizePath(request.target());
  const Endpoint endpoint = Resolve(path).endpoint;
  UsageAnswer answer;
  std::string error;
  KeysContext context;
  context.registry = settings_.key_registry;
  context.limits = settings_.inference.key_limits;
  context.now_ms = [] { return accounting::NowEpochMs(); };
  if (context.registry == nullptr || context.limits == nullptr) {
    answer = UsageFailure(503, "key management is not enabled in this process");
  } else {
    context.reader = UsageReader(&error);
    KeysCaller caller{std::move(auth.key_id), auth.admin, std::move(auth.managed)};
    if (endpoint == Endpoint::kKey) {
      answer = KeyInfoAnswer(caller, context);
    } else if (endpoint == Endpoint::kCredits) {
      answer = CreditsAnswer(caller, context);
    } else {
      const std::string method = request.method() == http::verb::head
                                     ? std::string("GET")
                                     : std::string(request.method_string());
      answer =
          ManageKeysAnswer(method, KeyHashOfPath(path), request.target(), request.body(), context);
    }
    if (answer.status == 503 && context.reader == nullptr) answer = UsageFailure(503, error);
  }
  co_await SendUsageAnswer(std::move(answer), responder);
}

asio::awaitable<void> GatewayHandler::AnswerStoredResponse(bool erase, std::string_view id,
                                                           std::string key_id,
                                                           server::Responder& responder) {
  responses::ResponseStore* store = settings_.inference.response_store;
  bool found = false;
  std::string body;
  if (store != nullptr && erase) {
    found = store->Delete(id, key_id);
    const nlohmann::json deleted = {{"id", id}, {"object", "response.deleted"}, {"deleted", true}};
    body = deleted.dump();
  } else if (store != nullptr) {
    std::optional<responses::StoredResponse> stored = store->Get(id, key_id);
    found = stored.has_value();
    if (found) body = std::move(stored->response_json);
  }
  if (!found) {
    // Another key's response is reported exactly like an unknown one.
    std::string message = "no response found with id \"" + std::string(id) +
                          "\" (responses are kept when created with store: true, for the "
                          "ledger's retention, and only for the key that created them)";
    co_await SendError(responder, http::status::not_found, std::move(message), server::kNoHeaders);
    co_return;
  }
  co_await responder.Send(http::status::ok, kJson, std::move(body), server::kNoHeaders);
}

asio::awaitable<void> GatewayHandler::AnswerModel(bool endpoints, std::string_view path,
                                                  server::Responder& responder) {
  const std::string_view encoded = endpoints ? ModelOfEndpointsPath(path) : ModelOfModelPath(path);
  const std::optional<std::string> model = DecodePathPart(encoded);
  if (!model) {
    std::string message = "malformed percent-escape in the model id \"";
    message.append(encoded);
    message.append("\"");
    co_await SendError(responder, http::status::bad_request, std::move(message),
                       server::kNoHeaders);
    co_return;
  }
  const std::shared_ptr<const routing::Snapshot> snapshot = settings_.inference.snapshots->Load();
  std::optional<std::string> body =
      endpoints ? BuildEndpointsListing(*snapshot, *model) : BuildModelObject(*snapshot, *model);
  if (!body) {
    std::string message = "unknown model \"" + *model + "\"; GET /v1/models lists the models";
    co_await SendError(responder, http::status::not_found, std::move(message), server::kNoHeaders);
    co_return;
  }
  co_await responder.Send(http::status::ok, kJson, std::move(*body), server::kNoHeaders);
}

asio::awaitable<void> GatewayHandler::AnswerGeneration(std::string_view target,
                                                       std::string caller_key_id,
                                                       server::Responder& responder) {
  UsageAnswer answer;
  if (settings_.inference.usage == nullptr) {
    answer = UsageFailure(503, "usage accounting is not enabled");
  } else {
    answer =
        GenerationAnswer(target, caller_key_id, *settings_.inference.usage, settings_.shared_usage);
  }
  co_await SendUsageAnswer(std::move(answer), responder);
}

asio::awaitable<void> GatewayHandler::AnswerActivity(std::string_view target,
                                                     std::string caller_key_id,
                                                     server::Responder& responder) {
  std::string error;
  accounting::UsageSource* reader = UsageReader(&error);
  UsageAnswer answer = reader == nullptr ? UsageFailure(503, std::move(error))
                                         : ActivityAnswer(target, caller_key_id, *reader);
  co_await SendUsageAnswer(std::move(answer), responder);
}

asio::awaitable<void> GatewayHandler::AnswerRankings(bool timeseries, std::string_view target,
                                                     RankingsCaller caller,
                                                     server::Responder& responder) {
  std::string error;
  accounting::UsageSource* reader = UsageReader(&error);
  UsageAnswer answer;
  if (reader == nullptr) {
    answer = UsageFailure(503, std::move(error));
  } else if (timeseries) {
    answer = TimeseriesAnswer(target, caller, *reader);
  } else {
    answer = RankingsAnswer(target, caller, *reader);
  }
  co_await SendUsageAnswer(std::move(answer), responder);
}

asio::awaitable<void> GatewayHandler::AnswerInsights(std::string_view target, bool admin,
                                                     server::Responder& responder) {
  std::string error;
  accounting::LedgerReader* reader = Reader(&error);
  UsageAnswer answer;
  if (reader == nullptr) {
    answer = UsageFailure(503, std::move(error));
  } else {
    answer = InsightsAnswer(*InsightsAnalysisOfPath(NormalizePath(target)), target, admin, *reader);
  }
  co_await SendUsageAnswer(std::move(answer), responder);
}

// The page assets are compiled in and never change while the process runs: a strong ETag, and
// `no-cache` so that a browser revalidates (a 304 costs nothing) and sees a new build at once.
asio::awaitable<void> GatewayHandler::AnswerDashboard(const server::Request& request,
                                                      server::Responder& responder) {
  const dashboard::Asset* asset = dashboard::FindAsset(NormalizePath(request.target()));
  const server::HeaderList headers{{"ETag", std::string(asset->etag)},
                                   {"Cache-Control", "no-cache"},
                                   {"X-Content-Type-Options", "nosniff"}};
  if (request[http::field::if_none_match] == asset->etag) {
    std::string no_body;
    co_await responder.Send(http::status::not_modified, asset->content_type, std::move(no_body),
                            headers);
    co_return;
  }
  std::string body(asset->body);
  co_await responder.Send(http::status::ok, asset->content_type, std::move(body), headers);
}

accounting::LedgerReader* GatewayHandler::Reader(std::string* error) {
  if (reader_) return reader_.get();
  try {
    reader_ = accounting::LedgerReader::Open(settings_.ledger_path);
  } catch (const std::exception& failure) {
    *error = std::string("the usage ledger cannot be read: ") + failure.what();
    return nullptr;
  }
  return reader_.get();
}

accounting::UsageSource* GatewayHandler::UsageReader(std::string* error) {
  if (settings_.shared_usage != nullptr) return settings_.shared_usage;
  return Reader(error);
}

void GatewayHandler::Tick() {
  inference_.Tick();
  // Keys changed by the CLI (another process) are seen within a second.
  if (settings_.key_registry != nullptr) settings_.key_registry->Refresh();
  if (settings_.inference.key_limits != nullptr) {
    settings_.inference.key_limits->Sweep(accounting::NowEpochMs());
  }
}

void GatewayHandler::Finished(const server::FinishedRequest& request) {
  using std::chrono::nanoseconds;
  const server::RequestLog& log = *request.details;
  metrics::RequestSample sample;
  sample.endpoint =
      MetricName(Resolve(NormalizePath(request.target), settings_.metrics_endpoint).endpoint);
  sample.status = request.status;
  sample.total = request.finished - request.started;
  if (!log.provider.empty()) {  // an attempt was made: model is a catalogue id
    sample.model = log.model;
    sample.provider = log.provider;
    if (log.first_token_at != std::chrono::steady_clock::time_point{}) {
      sample.time_to_first_token = log.first_token_at - request.started;
    }
    const nanoseconds own = request.finished - request.read - log.upstream_wait;
    sample.overhead = std::max(own, nanoseconds::zero());
  }
  settings_.inference.metrics->RecordRequest(sample);
}

}  // namespace gw::api

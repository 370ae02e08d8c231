#include "gateway/api/gateway_handler.h"

#include "gateway/error_response.h"

namespace gw::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
constexpr std::string_view kJson = "application/json";

enum class Endpoint { kUnknown, kHealth, kReady, kModels, kChat, kCompletion };

struct Route {
  Endpoint endpoint;
  http::verb method;
  std::string_view allow;  // for 405
};

// Strips the query string and the /api prefix of the /api/v1 alias.
std::string_view NormalizePath(std::string_view target) {
  target = target.substr(0, target.find('?'));
  if (target.starts_with("/api/v1/")) target.remove_prefix(4);
  if (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
  return target;
}

Route Resolve(std::string_view path) {
  if (path == "/health") return {Endpoint::kHealth, http::verb::get, "GET"};
  if (path == "/ready") return {Endpoint::kReady, http::verb::get, "GET"};
  if (path == "/v1/models") return {Endpoint::kModels, http::verb::get, "GET"};
  if (path == "/v1/chat/completions") return {Endpoint::kChat, http::verb::post, "POST"};
  if (path == "/v1/completions") return {Endpoint::kCompletion, http::verb::post, "POST"};
  return {Endpoint::kUnknown, http::verb::unknown, ""};
}

constexpr std::string_view kOkBody = R"({"status":"ok"})";
constexpr std::string_view kReadyBody = R"({"status":"ready"})";

asio::awaitable<void> SendError(server::Responder& responder, http::status status,
                                std::string message, const server::HeaderList& headers) {
  responder.log().error = message;
  co_await responder.Send(status, kJson, ErrorBody(static_cast<int>(status), message), headers);
}

}  // namespace

GatewayHandler::GatewayHandler(asio::io_context& io, GatewaySettings settings)
    : settings_(std::move(settings)), inference_(io, settings_.inference) {}

asio::awaitable<void> GatewayHandler::Handle(const server::Request& request,
                                             server::Responder& responder) {
  const std::string_view path = NormalizePath(request.target());
  const Route route = Resolve(path);
  if (route.endpoint == Endpoint::kUnknown) {
    co_await SendError(responder, http::status::not_found,
                       "unknown path \"" + std::string(path) + "\"", server::kNoHeaders);
    co_return;
  }
  if (request.method() != route.method) {
    const server::HeaderList allow{{"Allow", std::string(route.allow)}};
    co_await SendError(responder, http::status::method_not_allowed,
                       "method " + std::string(request.method_string()) + " is not allowed on " +
                           std::string(path) + "; use " + std::string(route.allow),
                       allow);
    co_return;
  }
  switch (route.endpoint) {
    case Endpoint::kHealth:
      co_await responder.Send(http::status::ok, kJson, std::string(kOkBody), server::kNoHeaders);
      co_return;
    case Endpoint::kReady:
      if (settings_.ready()) {
        co_await responder.Send(http::status::ok, kJson, std::string(kReadyBody),
                                server::kNoHeaders);
      } else {
        std::string message = "not ready: the gateway is starting or shutting down";
        co_await SendError(responder, http::status::service_unavailable, std::move(message),
                           server::kNoHeaders);
      }
      co_return;
    default:
      break;
  }
  const AuthResult auth = settings_.authenticator->Check(request[http::field::authorization]);
  if (!auth.ok) {
    const server::HeaderList challenge{{"WWW-Authenticate", "Bearer"}};
    co_await SendError(responder, http::status::unauthorized, auth.error, challenge);
    co_return;
  }
  if (route.endpoint == Endpoint::kModels) {
    co_await responder.Send(http::status::ok, kJson, *settings_.models_json, server::kNoHeaders);
  } else {
    co_await inference_.Handle(
        route.endpoint == Endpoint::kChat ? InferenceKind::kChat : InferenceKind::kCompletion,
        request, responder);
  }
}

}  // namespace gw::api

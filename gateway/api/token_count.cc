// POST /v1/messages/count_tokens: Anthropic's token count of a Messages request, answered
// locally as {"input_tokens": N}. N is the model's configured tokenizer (tokenizer:,
// o200k_base by default) run over the request's text: the system prompt, every text, thinking,
// tool call and tool result of the messages, and each tool's name, description and schema.
// Exact for models whose tokenizer is that one; for Claude models (whose tokenizer is not
// public) an estimate, documented in docs/dialects.md. Nothing goes upstream and nothing is
// billed.
#include <nlohmann/json.hpp>

#include "dialects/anthropic/messages_codec.h"
#include "gateway/api/attempt_usage_meter.h"
#include "gateway/api/inference_handler.h"
#include "gateway/error_response.h"

namespace gw::api {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;

int64_t CountParts(const std::vector<dialects::Part>& parts,
                   const accounting::tokenizer::Tokenizer& tokenizer) {
  int64_t tokens = 0;
  for (const dialects::Part& part : parts) {
    tokens += static_cast<int64_t>(tokenizer.Count(part.text));
    tokens += static_cast<int64_t>(tokenizer.Count(part.name));
    tokens += static_cast<int64_t>(tokenizer.Count(part.arguments));
    tokens += CountParts(part.content, tokenizer);
  }
  return tokens;
}

int64_t CountRequest(const dialects::Request& request,
                     const accounting::tokenizer::Tokenizer& tokenizer) {
  int64_t tokens = CountParts(request.system, tokenizer);
  for (const dialects::Message& message : request.messages) {
    tokens += CountParts(message.parts, tokenizer);
  }
  for (const dialects::Tool& tool : request.tools) {
    tokens += static_cast<int64_t>(tokenizer.Count(tool.name));
    tokens += static_cast<int64_t>(tokenizer.Count(tool.description));
    tokens += static_cast<int64_t>(tokenizer.Count(tool.parameters.dump()));
  }
  return tokens;
}

// The model of a request id, with a :variant suffix (":floor", ":nitro") ignored.
const config::ModelConfig* FindModel(const routing::Snapshot& snapshot, std::string_view id) {
  if (const config::ModelConfig* model = snapshot.FindModel(id)) return model;
  const size_t colon = id.rfind(':');
  return colon == std::string_view::npos ? nullptr : snapshot.FindModel(id.substr(0, colon));
}

asio::awaitable<void> Refuse(server::Responder& responder, int status, std::string message) {
  responder.log().error = message;
  std::string body = ErrorBody(ErrorShape::kAnthropic, status, message, nlohmann::json::object());
  const auto wire = static_cast<http::status>(WireStatus(ErrorShape::kAnthropic, status));
  co_await responder.Send(wire, "application/json", std::move(body), server::kNoHeaders);
}

// Decodes the body; count_tokens takes a Messages body without max_tokens.
std::string Decode(std::string_view body, dialects::Request& request) {
  nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return "request body is not valid JSON";
  if (!parsed.is_object()) return "request body must be a JSON object";
  if (!parsed.contains("max_tokens")) parsed["max_tokens"] = 1;
  if (!parsed.contains("model") || !parsed["model"].is_string()) {
    return "model: required field is missing or not a string";
  }
  return dialects::anthropic::DecodeRequest(parsed, request);
}

}  // namespace

asio::awaitable<void> InferenceHandler::CountTokens(server::Request& request,
                                                    server::Responder& responder) {
  dialects::Request decoded;
  std::string problem = Decode(request.body(), decoded);
  if (!problem.empty()) {
    co_await Refuse(responder, 400, std::move(problem));
    co_return;
  }
  responder.log().model = decoded.model;
  const std::shared_ptr<const routing::Snapshot> snapshot = settings_.snapshots->Load();
  const config::ModelConfig* model = FindModel(*snapshot, decoded.model);
  if (model == nullptr) {
    std::string message = "model \"" + decoded.model + "\" is not served by this gateway";
    co_await Refuse(responder, 404, std::move(message));
    co_return;
  }
  const int64_t tokens = CountRequest(decoded, TokenizerOf(*model));
  std::string body = "{\"input_tokens\":" + std::to_string(tokens) + "}";
  co_await responder.Send(http::status::ok, "application/json", std::move(body),
                          server::kNoHeaders);
}

}  // namespace gw::api

#include "gateway/api/responses_translation.h"

namespace gw::api {
namespace {

namespace asio = boost::asio;
namespace responses = dialects::openai_responses;

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string ResponsesToChatBody(std::string_view responses_body, const nlohmann::json& history,
                                std::string_view model, int64_t created_at, ResponsesTurn& turn) {
  const nlohmann::json parsed = nlohmann::json::parse(responses_body, nullptr, false);
  if (parsed.is_discarded()) return "request body is not valid JSON";
  dialects::Request request;
  std::string problem = responses::DecodeRequest(parsed, request, history);
  if (!problem.empty()) return problem;
  turn.context = responses::ContextFromRequest(parsed, created_at);
  turn.conversation = history.is_array() ? history : nlohmann::json::array();
  if (parsed.contains("input")) {
    for (nlohmann::json& item : responses::InputItems(parsed["input"])) {
      turn.conversation.push_back(std::move(item));
    }
  }
  turn.chat_body = Dump(dialects::openai_chat::EncodeRequest(request, model));
  return {};
}

std::string ChatToResponsesResponse(std::string_view chat_body,
                                    const responses::ResponseContext& context,
                                    std::string& responses_body) {
  const nlohmann::json parsed = nlohmann::json::parse(chat_body, nullptr, false);
  if (parsed.is_discarded()) return "the endpoint's answer is not valid JSON";
  dialects::Response response;
  std::string problem = dialects::openai_chat::DecodeResponse(parsed, response);
  if (!problem.empty()) return problem;
  responses_body = responses::EncodeResponse(response, context);
  return {};
}

std::string ResponseOfFinalEvent(std::string_view event) {
  constexpr std::string_view kData = "data: ";
  const size_t data = event.find(kData);
  if (data == std::string_view::npos) return {};
  event.remove_prefix(data + kData.size());
  const nlohmann::json parsed = nlohmann::json::parse(event, nullptr, false);
  if (!parsed.is_object() || !parsed.contains("response")) return {};
  return Dump(parsed["response"]);
}

asio::awaitable<bool> ResponsesStreamSink::KeepAlive() {
  const bool open = co_await client_.KeepAlive();
  co_return open;
}

asio::awaitable<bool> ResponsesStreamSink::Events(std::string_view events) {
  using Result = dialects::openai_chat::StreamDecoder::Result;
  constexpr std::string_view kData = "data: ";
  out_.clear();
  // The adapter writes complete events, "data: <payload>\n\n" each.
  size_t at = 0;
  while (at < events.size()) {
    size_t end = events.find("\n\n", at);
    if (end == std::string_view::npos) end = events.size();
    std::string_view event = events.substr(at, end - at);
    at = end + 2;
    if (!event.starts_with(kData)) continue;
    event.remove_prefix(kData.size());
    ir_.clear();
    const Result result = decoder_.Decode(event, ir_);
    for (const dialects::StreamEvent& item : ir_) encoder_.Encode(item, out_);
    if (result == Result::kDone) {
      // Finish writes the closing item events and the final event; the final one is kept.
      // Events end with a blank line, which JSON text cannot contain, so the last "\n\n"
      // before the end separates the final event from the others.
      std::string tail;
      encoder_.Finish(tail);
      const size_t previous_end = tail.size() > 2 ? tail.rfind("\n\n", tail.size() - 3) : std::string::npos;
      const size_t final_start = previous_end == std::string::npos ? 0 : previous_end + 2;
      final_event_ = tail.substr(final_start);
      out_.append(tail, 0, final_start);
    }
  }
  if (out_.empty()) co_return true;
  const bool delivered = co_await client_.Events(out_);
  co_return delivered;
}

std::string ResponsesStreamSink::FailureEvents(int status, std::string message) {
  dialects::StreamEvent error;
  error.kind = dialects::StreamEvent::Kind::kError;
  error.status = status;
  error.text = std::move(message);
  std::string out;
  encoder_.Encode(error, out);
  return out;
}

}  // namespace gw::api

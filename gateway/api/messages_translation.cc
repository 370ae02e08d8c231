#include "gateway/api/messages_translation.h"

#include <nlohmann/json.hpp>

#include "gateway/api/relayed_events.h"

namespace gw::api {
namespace {

namespace asio = boost::asio;

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string MessagesToChatBody(std::string_view messages_body, std::string_view model,
                               std::string& chat_body) {
  const nlohmann::json parsed = nlohmann::json::parse(messages_body, nullptr, false);
  if (parsed.is_discarded()) return "request body is not valid JSON";
  dialects::Request request;
  std::string problem = dialects::anthropic::DecodeRequest(parsed, request);
  if (!problem.empty()) return problem;
  chat_body = Dump(dialects::openai_chat::EncodeRequest(request, model));
  return {};
}

std::string ChatToMessagesResponse(std::string_view chat_body, std::string& messages_body) {
  const nlohmann::json parsed = nlohmann::json::parse(chat_body, nullptr, false);
  if (parsed.is_discarded()) return "the endpoint's answer is not valid JSON";
  dialects::Response response;
  std::string problem = dialects::openai_chat::DecodeResponse(parsed, response);
  if (!problem.empty()) return problem;
  messages_body = dialects::anthropic::EncodeResponse(response);
  return {};
}

asio::awaitable<bool> MessagesStreamSink::KeepAlive() {
  const bool open = co_await client_.KeepAlive();
  co_return open;
}

asio::awaitable<bool> MessagesStreamSink::Events(std::string_view events) {
  using Result = dialects::openai_chat::StreamDecoder::Result;
  out_.clear();
  size_t at = 0;
  std::string_view event;
  while (NextDataPayload(events, at, event)) {
    ir_.clear();
    const Result result = decoder_.Decode(event, ir_);
    for (dialects::StreamEvent& item : ir_) {
      if (item.kind == dialects::StreamEvent::Kind::kStart) {
        item.usage.emplace().prompt_tokens = estimated_input_tokens_;
      }
      encoder_.Encode(item, out_);
    }
    if (result == Result::kDone) encoder_.Finish(out_);
  }
  if (out_.empty()) co_return true;
  const bool delivered = co_await client_.Events(out_);
  co_return delivered;
}

}  // namespace gw::api

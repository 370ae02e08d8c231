// The Anthropic response translators, both directions: a chat.completion for a Messages client
// (gateway/api/messages_translation ChatToMessagesResponse) and a Messages response for a chat
// client (anthropic::DecodeResponse + openai_chat::EncodeResponse, as the Anthropic adapter).
// Input: byte 0 picks the direction, the rest is the endpoint's answer. Invariants: what a
// decoder accepts encodes to valid JSON that the other dialect's decoder accepts.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "dialects/anthropic/messages_codec.h"
#include "dialects/openai_chat/chat_codec.h"
#include "fuzz/fuzz_check.h"
#include "gateway/api/messages_translation.h"

namespace {

namespace anthropic = gw::dialects::anthropic;
namespace openai_chat = gw::dialects::openai_chat;
using nlohmann::json;

json ParseValid(const std::string& text) {
  FUZZ_CHECK(!gw::json::Validate(text));
  json parsed = json::parse(text, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded());
  return parsed;
}

void ChatToMessages(std::string_view body) {
  std::string messages_body;
  if (!gw::api::ChatToMessagesResponse(body, messages_body).empty()) return;
  gw::dialects::Response response;
  FUZZ_CHECK(anthropic::DecodeResponse(ParseValid(messages_body), response).empty());
}

void MessagesToChat(std::string_view body) {
  const json messages = json::parse(body, nullptr, false);
  if (messages.is_discarded()) return;
  gw::dialects::Response response;
  if (!anthropic::DecodeResponse(messages, response).empty()) return;
  const std::string chat_body = openai_chat::EncodeResponse(response);
  gw::dialects::Response again;
  FUZZ_CHECK(openai_chat::DecodeResponse(ParseValid(chat_body), again).empty());
  (void)ParseValid(anthropic::EncodeResponse(again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view body = gw::fuzz::AsText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    ChatToMessages(body);
  } else {
    MessagesToChat(body);
  }
  return 0;
}

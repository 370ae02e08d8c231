// The Anthropic request translators, both directions (dialects/anthropic, dialects/openai_chat):
// a Messages body for an OpenAI-compatible endpoint (gateway/api/messages_translation) and a chat
// body for an Anthropic endpoint (the Anthropic adapter's DecodeRequest + EncodeRequest).
// Input: byte 0 picks the direction, the rest is the client's body. Invariants: what a decoder
// accepts encodes to valid JSON that the other dialect's decoder accepts in turn, and the
// encoded request survives a second decode/encode.
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

// Serialized as the gateway sends it, then parsed back as the upstream would.
json Resend(const json& body) {
  const std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  FUZZ_CHECK(!gw::json::Validate(text));
  json parsed = json::parse(text, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded());
  return parsed;
}

// Messages in, chat out (the route's translation), then back again.
void MessagesToChat(std::string_view body) {
  std::string chat_body;
  if (!gw::api::MessagesToChatBody(body, "upstream-model", chat_body).empty()) return;
  FUZZ_CHECK(!gw::json::Validate(chat_body));
  const json chat = json::parse(chat_body, nullptr, false);
  FUZZ_CHECK(!chat.is_discarded());
  gw::dialects::Request request;
  FUZZ_CHECK(openai_chat::DecodeRequest(chat, request).empty());
  (void)Resend(anthropic::EncodeRequest(request, "upstream-model", 1024));
}

// Chat in, Messages out (for an Anthropic endpoint), then decoded as Anthropic's.
void ChatToMessages(std::string_view body) {
  const json chat = json::parse(body, nullptr, false);
  if (chat.is_discarded()) return;
  gw::dialects::Request request;
  if (!openai_chat::DecodeRequest(chat, request).empty()) return;
  const json messages = Resend(anthropic::EncodeRequest(request, "claude-model", 4096));
  gw::dialects::Request again;
  FUZZ_CHECK(anthropic::DecodeRequest(messages, again).empty());
  (void)Resend(openai_chat::EncodeRequest(again, "model"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view body = gw::fuzz::AsText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    MessagesToChat(body);
  } else {
    ChatToMessages(body);
  }
  return 0;
}

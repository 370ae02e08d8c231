// The Messages route's half of translation, for a Messages client served by an OpenAI-compatible
// endpoint (docs/dialects.md): the request decoded into the internal representation and encoded
// as a chat body; the endpoint's answer, already stamped and priced in the chat dialect by its
// adapter, decoded and encoded back as a Messages response or stream. One MessagesStreamSink
// per attempt; worker thread only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dialects/anthropic/messages_codec.h"
#include "dialects/openai_chat/chat_codec.h"
#include "providers/provider.h"

namespace gw::api {

// The Messages body as a chat completions body for `model` (the adapter puts the upstream name
// in). Returns "" or a message naming what is wrong with the body, for a 400.
std::string MessagesToChatBody(std::string_view messages_body, std::string_view model,
                               std::string& chat_body);

// A whole chat.completion, as the gateway's adapter rewrote it (our id, public model, cost in
// its usage), as a Messages response with the same id, model and usage (+ cost). Returns "" or
// why it could not be read.
std::string ChatToMessagesResponse(std::string_view chat_body, std::string& messages_body);

// Translates the chat chunk events an adapter relays into Messages events and hands those to
// the client's sink. The chat stream's "data: [DONE]" becomes message_delta + message_stop.
// message_start carries `estimated_input_tokens` (the chat stream reports usage only at its
// end; message_delta then carries the provider's counts).
class MessagesStreamSink final : public providers::StreamSink {
 public:
  MessagesStreamSink(providers::StreamSink& client, int64_t estimated_input_tokens)
      : client_(client), estimated_input_tokens_(estimated_input_tokens) {}
  boost::asio::awaitable<bool> KeepAlive() override;
  boost::asio::awaitable<bool> Events(std::string_view events) override;

 private:
  providers::StreamSink& client_;
  int64_t estimated_input_tokens_;
  dialects::openai_chat::StreamDecoder decoder_;
  dialects::anthropic::StreamEncoder encoder_;
  std::vector<dialects::StreamEvent> ir_;
  std::string out_;
};

}  // namespace gw::api

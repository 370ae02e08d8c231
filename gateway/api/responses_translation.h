// The Responses route's half of translation (docs/dialects.md): every endpoint gets the chat
// completions body a Responses request translates to (an Anthropic endpoint's adapter takes it
// on to Messages, as for any chat client), and the answer, stamped and priced in the chat
// dialect by the adapter, is encoded back as a Responses object or event stream. One
// ResponsesStreamSink per attempt; worker thread only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_responses/responses_codec.h"
#include "providers/provider.h"

namespace gw::api {

// One Responses request, decoded: what its answer echoes, the conversation it continues, and
// the chat body every attempt sends.
struct ResponsesTurn {
  dialects::openai_responses::ResponseContext context;
  // The stored history (null when none) followed by this request's input items: what a stored
  // response keeps, with its output items appended, for a later previous_response_id.
  nlohmann::json conversation = nlohmann::json::array();
  std::string chat_body;  // for `model` (the adapter puts the upstream name in)
};

// Decodes a Responses body that continues `history` (the stored items of previous_response_id,
// or null) into `turn`. `created_at`: the arrival time in seconds. Returns "" or a message
// naming what is wrong with the body, for a 400.
std::string ResponsesToChatBody(std::string_view responses_body, const nlohmann::json& history,
                                std::string_view model, int64_t created_at, ResponsesTurn& turn);

// A whole chat.completion, as the gateway's adapter rewrote it (our id, public model, cost in
// its usage), as a Responses object with that id, model and usage (+ cost). Returns "" or why it
// could not be read.
std::string ChatToResponsesResponse(std::string_view chat_body,
                                    const dialects::openai_responses::ResponseContext& context,
                                    std::string& responses_body);

// The Responses object inside a final stream event ("event: response.completed\ndata:
// {..., "response": {...}}"), as JSON text; "" when the event has none.
std::string ResponseOfFinalEvent(std::string_view event);

// Translates the chat chunk events an adapter relays into Responses events and hands those to
// the client's sink. The chat stream's "data: [DONE]" becomes the closing item events, which go
// out at once, and the final response.completed / .incomplete event, which is kept for the
// caller (TakeFinalEvent): the client's sink holds it back until the usage record is durable and
// the response is stored, so a client that has it can retrieve the response.
class ResponsesStreamSink final : public providers::StreamSink {
 public:
  ResponsesStreamSink(providers::StreamSink& client,
                      dialects::openai_responses::ResponseContext context)
      : client_(client), encoder_(std::move(context)) {}
  boost::asio::awaitable<bool> KeepAlive() override;
  boost::asio::awaitable<bool> Events(std::string_view events) override;

  // The final event, once the chat stream ended ("" before).
  std::string TakeFinalEvent() { return std::move(final_event_); }
  // The events that end the stream after a failure: response.failed, or a bare `error` event
  // when response.created never went out. `status` is the HTTP status the failure maps to.
  std::string FailureEvents(int status, std::string message);

 private:
  providers::StreamSink& client_;
  dialects::openai_chat::StreamDecoder decoder_;
  dialects::openai_responses::StreamEncoder encoder_;
  std::vector<dialects::StreamEvent> ir_;
  std::string out_;
  std::string final_event_;
};

}  // namespace gw::api

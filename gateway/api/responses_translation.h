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

#include "base/json/json_scan.h"
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

// The body for a Responses-native endpoint (`api: openai-responses`) of a request that continues
// a stored response: the client's `client_body` (already decoded into `turn`) with its
// previous_response_id expanded into `input` (the upstream does not know the gateway's ids).
// A body without previous_response_id is returned as it is (the route sends such a request as
// the client sent it without calling this).
std::string NativeResponsesBody(std::string_view client_body, const ResponsesTurn& turn);

// A whole chat.completion, as the gateway's adapter rewrote it (our id, public model, cost in
// its usage), as a Responses object with that id, model and usage (+ cost). Returns "" or why it
// could not be read.
std::string ChatToResponsesResponse(std::string_view chat_body,
                                    const dialects::openai_responses::ResponseContext& context,
                                    std::string& responses_body);

// The Responses object inside a final stream event ("event: response.completed\ndata:
// {..., "response": {...}}"), its exact JSON text (a view into `event`); "" when it has none.
std::string_view ResponseOfFinalEvent(std::string_view event);

// What a stored response keeps for a later previous_response_id: the turn's conversation followed
// by the output items of `response_json` (the Responses object the client got), as a JSON array.
std::string ConversationAfter(const ResponsesTurn& turn, std::string_view response_json);

// What the route needs of the sink of a Responses stream, translated or passed through: the
// final event (kept, for the caller to hold back until the usage record is durable and the
// response stored, so a client that has it can retrieve the response) and the events that end
// the stream after a failure (response.failed; a bare `error` event when response.created
// never went out). `status` is the HTTP status the failure maps to.
class ResponsesSink : public providers::StreamSink {
 public:
  // The final event, once the upstream's stream ended ("" before).
  virtual std::string TakeFinalEvent() = 0;
  virtual std::string FailureEvents(int status, std::string message) = 0;
};

// Translates the chat chunk events an adapter relays into Responses events and hands those to
// the client's sink. The chat stream's "data: [DONE]" becomes the closing item events, which go
// out at once, and the final response.completed / .incomplete event, which is kept.
class ResponsesStreamSink final : public ResponsesSink {
 public:
  ResponsesStreamSink(providers::StreamSink& client,
                      dialects::openai_responses::ResponseContext context)
      : client_(client), encoder_(std::move(context)) {}
  boost::asio::awaitable<bool> KeepAlive() override;
  boost::asio::awaitable<bool> Events(std::string_view events) override;

  std::string TakeFinalEvent() override { return std::move(final_event_); }
  std::string FailureEvents(int status, std::string message) override;

 private:
  providers::StreamSink& client_;
  dialects::openai_chat::StreamDecoder decoder_;
  dialects::openai_responses::StreamEncoder encoder_;
  std::vector<dialects::StreamEvent> ir_;
  std::string out_;
  std::string final_event_;
};

// A Responses-native endpoint's events (already stamped by its adapter) to the client's sink as
// they are, except the final response.completed / .incomplete, which is kept. Remembers the
// response object of response.created and the last sequence_number, for a response.failed
// that continues the stream's numbering.
class ResponsesPassthroughSink final : public ResponsesSink {
 public:
  explicit ResponsesPassthroughSink(providers::StreamSink& client) : client_(client) {}
  boost::asio::awaitable<bool> KeepAlive() override;
  boost::asio::awaitable<bool> Events(std::string_view events) override;
  std::string TakeFinalEvent() override { return std::move(final_event_); }
  std::string FailureEvents(int status, std::string message) override;

 private:
  providers::StreamSink& client_;
  nlohmann::ordered_json created_;  // response.created's response object; null before
  int64_t next_sequence_ = 0;
  std::string out_;
  std::string final_event_;
};

}  // namespace gw::api

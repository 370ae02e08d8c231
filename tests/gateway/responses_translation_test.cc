// The Responses route's translation helpers (gateway/api/responses_translation.h): the request
// translated to chat with a stored history, the body for a native endpoint, the whole answer
// back, and the two stream sinks: which events go out at once, which final event is kept back,
// and the failure events that end a started stream.
#include "gateway/api/responses_translation.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gw::api {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

// A client sink that records what reaches it.
class RecordingSink final : public providers::StreamSink {
 public:
  asio::awaitable<bool> KeepAlive() override {
    ++keepalives;
    co_return true;
  }
  asio::awaitable<bool> Events(std::string_view events) override {
    written += events;
    co_return true;
  }
  std::string written;
  int keepalives = 0;
};

// Feeds `events` to `sink` (one Events call each) on an io_context and runs it to the end.
void Feed(providers::StreamSink& sink, const std::vector<std::string>& events) {
  asio::io_context io;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (const std::string& event : events) {
          const bool delivered = co_await sink.Events(event);
          EXPECT_TRUE(delivered);
        }
      },
      asio::detached);
  io.run();
}

struct SseEvent {
  std::string type;
  json data;
};

std::vector<SseEvent> Parse(const std::string& sse) {
  std::vector<SseEvent> events;
  size_t at = 0;
  while (at < sse.size()) {
    const size_t end = sse.find("\n\n", at);
    const std::string block = sse.substr(at, end - at);
    at = end + 2;
    EXPECT_TRUE(block.starts_with("event: ")) << block;
    const size_t data = block.find("\ndata: ");
    events.push_back({block.substr(7, data - 7), json::parse(block.substr(data + 7))});
  }
  return events;
}

TEST(ResponsesTranslationTest, ABodyWithHistoryBecomesOneChatConversation) {
  const json history = json::parse(R"([
    {"type":"message","role":"user","content":[{"type":"input_text","text":"first"}]},
    {"type":"message","role":"assistant","content":[{"type":"output_text","text":"answer"}]}])");
  ResponsesTurn turn;
  const std::string problem = ResponsesToChatBody(
      R"({"model":"m/x","input":"second","instructions":"Be brief","store":false})", history, "m/x",
      1700000000, turn);
  ASSERT_EQ(problem, "");
  const json chat = json::parse(turn.chat_body);
  EXPECT_EQ(chat["model"], "m/x");
  ASSERT_EQ(chat["messages"].size(), 4u) << chat.dump();
  EXPECT_EQ(chat["messages"][0]["role"], "system");
  EXPECT_EQ(chat["messages"][1]["role"], "user");
  EXPECT_EQ(chat["messages"][2]["role"], "assistant");
  EXPECT_EQ(chat["messages"][3]["role"], "user");
  // The conversation to store: the history, then this input as an item.
  ASSERT_EQ(turn.conversation.size(), 3u);
  EXPECT_EQ(turn.conversation[2]["content"][0]["text"], "second");
  EXPECT_FALSE(turn.context.store);
  EXPECT_EQ(turn.context.created_at, 1700000000);
  EXPECT_EQ(turn.context.instructions, "Be brief");
}

TEST(ResponsesTranslationTest, WhatTheDecoderRefusesIsNamed) {
  ResponsesTurn turn;
  EXPECT_EQ(ResponsesToChatBody("{", nullptr, "m", 0, turn), "request body is not valid JSON");
  EXPECT_EQ(
      ResponsesToChatBody(R"({"model":"m","input":[{"type":"bogus"}]})", nullptr, "m", 0, turn)
          .substr(0, 14),
      "input[0].type:");
}

TEST(ResponsesTranslationTest, TheNativeBodyIsTheClientsUnlessItContinuesAConversation) {
  ResponsesTurn turn;
  const std::string plain = R"({"model":"m","input":"hi","store":true})";
  ASSERT_EQ(ResponsesToChatBody(plain, nullptr, "m", 0, turn), "");
  EXPECT_EQ(NativeResponsesBody(plain, turn), plain);

  const json history = json::parse(
      R"([{"type":"message","role":"user","content":[{"type":"input_text","text":"a"}]}])");
  const std::string continued =
      R"({"model":"m","previous_response_id":"gen-1","input":"b","tools":[]})";
  ASSERT_EQ(ResponsesToChatBody(continued, history, "m", 0, turn), "");
  const std::string native = NativeResponsesBody(continued, turn);
  const json body = json::parse(native);
  EXPECT_FALSE(body.contains("previous_response_id"));
  ASSERT_EQ(body["input"].size(), 2u);
  EXPECT_EQ(body["input"][0]["content"][0]["text"], "a");
  EXPECT_EQ(body["input"][1]["content"][0]["text"], "b");
  EXPECT_TRUE(native.starts_with(R"({"model":"m","input":)")) << native;  // order kept
}

TEST(ResponsesTranslationTest, AWholeChatAnswerBecomesAResponsesObject) {
  ResponsesTurn turn;
  ASSERT_EQ(ResponsesToChatBody(R"({"model":"m","input":"hi"})", nullptr, "m", 5, turn), "");
  std::string body;
  const std::string chat =
      R"({"id":"gen-7","object":"chat.completion","model":"m/x","choices":[{"index":0,)"
      R"("message":{"role":"assistant","content":"Hello"},"finish_reason":"length"}],)"
      R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,"cost":0.5}})";
  ASSERT_EQ(ChatToResponsesResponse(chat, turn.context, body), "");
  const json response = json::parse(body);
  EXPECT_EQ(response["id"], "gen-7");
  EXPECT_EQ(response["status"], "incomplete");
  EXPECT_EQ(response["incomplete_details"]["reason"], "max_output_tokens");
  EXPECT_EQ(response["usage"]["cost"], 0.5);
  EXPECT_EQ(response["created_at"], 5);
  EXPECT_EQ(ChatToResponsesResponse("nope", turn.context, body),
            "the endpoint's answer is not valid JSON");
}

TEST(ResponsesTranslationTest, TheFinalEventsResponseObjectIsFound) {
  EXPECT_EQ(ResponseOfFinalEvent("event: response.completed\ndata: "
                                 R"({"type":"response.completed","response":{"id":"x"}})"
                                 "\n\n"),
            R"({"id":"x"})");
  EXPECT_EQ(ResponseOfFinalEvent("event: error\ndata: {\"type\":\"error\"}\n\n"), "");
  EXPECT_EQ(ResponseOfFinalEvent("no data line"), "");
}

TEST(ResponsesTranslationTest, TheStoredConversationIsTheTurnThenTheOutputItems) {
  ResponsesTurn turn;
  ASSERT_EQ(ResponsesToChatBody(R"({"model":"m","input":"hi"})", nullptr, "m", 0, turn), "");
  const json items = json::parse(ConversationAfter(
      turn, R"({"id":"gen-1","output":[{"type":"message","role":"assistant","content":[]},)"
            R"({"type":"function_call","call_id":"c"}],"usage":null})"));
  ASSERT_EQ(items.size(), 3u) << items;
  EXPECT_EQ(items[0]["content"][0]["text"], "hi");
  EXPECT_EQ(items[1]["type"], "message");
  EXPECT_EQ(items[2]["call_id"], "c");
  // No output (or no object): the turn alone.
  EXPECT_EQ(json::parse(ConversationAfter(turn, R"({"output":[]})")).size(), 1u);
  EXPECT_EQ(json::parse(ConversationAfter(turn, "not json")).size(), 1u);
}

// The chat chunks an adapter relays for a two-token answer, usage last.
std::vector<std::string> ChatChunks(const std::string& text_with_event_marker) {
  const std::string head = R"(data: {"id":"gen-1","object":"chat.completion.chunk","model":"m/x",)";
  return {
      head + R"("choices":[{"index":0,"delta":{"role":"assistant","content":""}}]})" + "\n\n",
      head + R"("choices":[{"index":0,"delta":{"content":")" + text_with_event_marker + R"("}}]})" +
          "\n\n" + head + R"("choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})" + "\n\n",
      head + R"("choices":[],"usage":{"prompt_tokens":2,"completion_tokens":2,)" +
          R"("total_tokens":4,"cost":1}})" + "\n\ndata: [DONE]\n\n",
  };
}

TEST(ResponsesTranslationTest, TheTranslatingSinkKeepsOnlyTheFinalEventBack) {
  ResponsesTurn turn;
  ASSERT_EQ(ResponsesToChatBody(R"({"model":"m","input":"hi"})", nullptr, "m", 0, turn), "");
  RecordingSink client;
  ResponsesStreamSink sink(client, turn.context);
  // Text that looks like an event boundary must not split the final event.
  Feed(sink, ChatChunks(R"(event: x\n\ndata: y)"));
  const std::vector<SseEvent> sent = Parse(client.written);
  ASSERT_FALSE(sent.empty());
  EXPECT_EQ(sent.front().type, "response.created");
  EXPECT_EQ(sent.back().type, "response.output_item.done");
  for (size_t i = 0; i < sent.size(); ++i) {
    EXPECT_EQ(sent[i].data["type"], sent[i].type);
    EXPECT_EQ(sent[i].data["sequence_number"], i);
  }
  const std::string final_event = sink.TakeFinalEvent();
  const std::vector<SseEvent> kept = Parse(final_event);
  ASSERT_EQ(kept.size(), 1u) << final_event;
  EXPECT_EQ(kept[0].type, "response.completed");
  EXPECT_EQ(kept[0].data["sequence_number"], sent.size());
  EXPECT_EQ(kept[0].data["response"]["output"][0]["content"][0]["text"], "event: x\n\ndata: y");
  EXPECT_EQ(kept[0].data["response"]["usage"]["cost"], 1);
  EXPECT_EQ(sink.TakeFinalEvent(), "");  // taken once
}

TEST(ResponsesTranslationTest, TheTranslatingSinkEndsAStartedStreamWithResponseFailed) {
  ResponsesTurn turn;
  ASSERT_EQ(ResponsesToChatBody(R"({"model":"m","input":"hi"})", nullptr, "m", 0, turn), "");
  RecordingSink client;
  ResponsesStreamSink sink(client, turn.context);
  Feed(sink, {ChatChunks("partial")[0]});
  const size_t sent = Parse(client.written).size();
  const std::vector<SseEvent> failed = Parse(sink.FailureEvents(429, "slow down"));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].type, "response.failed");
  EXPECT_EQ(failed[0].data["sequence_number"], sent);
  EXPECT_EQ(failed[0].data["response"]["status"], "failed");
  EXPECT_EQ(failed[0].data["response"]["error"]["code"], "rate_limit_exceeded");
  EXPECT_EQ(failed[0].data["response"]["error"]["message"], "slow down");

  // Nothing started (only keep-alives went out): a bare error event.
  ResponsesStreamSink fresh(client, turn.context);
  const std::vector<SseEvent> error = Parse(fresh.FailureEvents(502, "upstream down"));
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0].type, "error");
  EXPECT_EQ(error[0].data["message"], "upstream down");
}

// A native stream as its adapter relays it (already stamped, with event lines).
std::string NativeEvent(const std::string& type, int sequence, const std::string& rest) {
  return "event: " + type + "\ndata: {\"type\":\"" + type +
         "\",\"sequence_number\":" + std::to_string(sequence) + rest + "}\n\n";
}

TEST(ResponsesTranslationTest, ThePassthroughSinkKeepsTheFinalEventAndContinuesTheNumbering) {
  RecordingSink client;
  ResponsesPassthroughSink sink(client);
  const std::string created =
      NativeEvent("response.created", 0, R"(,"response":{"id":"gen-2","status":"in_progress"})");
  const std::string delta = NativeEvent("response.output_text.delta", 1, R"(,"delta":"x")");
  const std::string completed =
      NativeEvent("response.completed", 2, R"(,"response":{"id":"gen-2","status":"completed"})");
  Feed(sink, {created, delta + completed});
  EXPECT_EQ(client.written, created + delta);
  EXPECT_EQ(sink.TakeFinalEvent(), completed);

  RecordingSink cut_client;
  ResponsesPassthroughSink cut(cut_client);
  Feed(cut, {created + delta});
  const std::vector<SseEvent> failed = Parse(cut.FailureEvents(502, "gone"));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].type, "response.failed");
  EXPECT_EQ(failed[0].data["sequence_number"], 2);
  EXPECT_EQ(failed[0].data["response"]["id"], "gen-2");
  EXPECT_EQ(failed[0].data["response"]["status"], "failed");
  EXPECT_EQ(failed[0].data["response"]["error"]["code"], "server_error");

  ResponsesPassthroughSink unstarted(cut_client);
  const std::vector<SseEvent> error = Parse(unstarted.FailureEvents(503, "busy"));
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0].type, "error");
  EXPECT_EQ(error[0].data["sequence_number"], 0);
}

}  // namespace
}  // namespace gw::api

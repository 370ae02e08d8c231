#include "providers/anthropic/anthropic_facts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "base/json/json_scan.h"
#include "dialects/dialect.h"
#include "providers/sse_parser.h"

namespace gw::providers::anthropic {
namespace {

using Outcome = EventTranslator::Outcome;
using Json = nlohmann::json;

std::string ReadGolden(const std::string& name) {
  std::ifstream file(std::string(GW_SOURCE_DIR) + "/tests/data/providers/" + name,
                     std::ios::binary);
  EXPECT_TRUE(file.good()) << name;
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// Runs a recorded upstream stream through SseParser + `translator` in `piece`-byte feeds.
std::string Relay(const std::string& upstream, size_t piece, EventTranslator& translator,
                  std::vector<Outcome>* outcomes) {
  SseParser parser;
  std::string out;
  for (size_t at = 0; at < upstream.size(); at += piece) {
    EXPECT_TRUE(parser.Feed(std::string_view(upstream).substr(at, piece), [&](std::string_view d) {
      outcomes->push_back(translator.Translate(d, out));
    }));
  }
  EXPECT_TRUE(parser.Finish(
      [&](std::string_view d) { outcomes->push_back(translator.Translate(d, out)); }));
  return out;
}

// The recorded stream has 16 events; all but message_stop continue.
std::vector<Outcome> ExpectedOutcomes() {
  std::vector<Outcome> outcomes(15, Outcome::kContinue);
  outcomes.push_back(Outcome::kDone);
  return outcomes;
}

// The data payloads of "data: ...\n\n" events.
std::vector<std::string> DataEvents(const std::string& sse) {
  std::vector<std::string> events;
  size_t at = 0;
  while (at < sse.size()) {
    const size_t end = sse.find("\n\n", at);
    if (end == std::string::npos) break;
    const std::string event = sse.substr(at, end - at);
    at = end + 2;
    EXPECT_EQ(event.rfind("data: ", 0), 0u) << event;
    events.push_back(event.substr(6));
  }
  EXPECT_EQ(at, sse.size()) << "trailing bytes: " << sse.substr(at);
  return events;
}

// --- PassthroughTranslator ---------------------------------------------------------------------

TEST(PassthroughTranslatorTest, RecordedStreamIsRelayedEventByEventInEveryFeedSize) {
  const std::string upstream = ReadGolden("anthropic_messages_stream.sse");
  const std::string expected = ReadGolden("anthropic_messages_stream.expected.sse");
  // The golden expectation ends with the gateway's own message_stop, byte for byte.
  ASSERT_TRUE(expected.ends_with(dialects::kMessageStopEvent));
  for (size_t piece : {upstream.size(), size_t{1}, size_t{2}, size_t{7}, size_t{64}, size_t{333}}) {
    PassthroughTranslator translator;
    std::vector<Outcome> outcomes;
    EXPECT_EQ(Relay(upstream, piece, translator, &outcomes), expected) << "piece " << piece;
    EXPECT_EQ(outcomes, ExpectedOutcomes()) << "piece " << piece;
    EXPECT_TRUE(translator.saw_done());
    EXPECT_EQ(translator.error_message(), "");
    EXPECT_EQ(translator.error_raw(), "");
    const CompletionFacts& facts = translator.facts();
    // message_start: input 100, cache write 20, cache read 1000; message_delta: output 42.
    // Neutral: prompt = 100 + 1000 + 20 = 1120, total = 1120 + 42 = 1162.
    ASSERT_TRUE(facts.usage.has_value());
    EXPECT_EQ(*facts.usage, (TokenUsage{1120, 42, 1162, 1000, 20, 0}));
    EXPECT_FALSE(facts.usage_estimated);
    EXPECT_FALSE(facts.usage_malformed);
    EXPECT_EQ(facts.finish_reason, "tool_calls");
    EXPECT_EQ(facts.native_finish_reason, "tool_use");
    // thinking "Let me think" (12) + text `Hello "wörld"` (14 bytes: ö is 2) + input JSON pieces
    // `{"city":` (8) and ` "Paris"}` (9); the signature is not generated text.
    EXPECT_EQ(facts.completion_chars, 12 + 14 + 8 + 9);
    EXPECT_EQ(facts.completion_text,
              "Let me think"
              "Hello \\\"w\xC3\xB6rld\\\""
              "{\\\"city\\\":"
              " \\\"Paris\\\"}");
  }
}

TEST(PassthroughTranslatorTest, EachEventIsReframedFromItsPayloadType) {
  PassthroughTranslator translator;
  std::string out;
  const std::string ping = R"({"type": "ping"})";
  EXPECT_EQ(translator.Translate(ping, out), Outcome::kContinue);
  EXPECT_EQ(out, "event: ping\ndata: {\"type\": \"ping\"}\n\n");
  out.clear();
  // Unknown event types pass as they are.
  const std::string future = R"({"type":"future_event","x":[1,{"y":null}]})";
  EXPECT_EQ(translator.Translate(future, out), Outcome::kContinue);
  EXPECT_EQ(out, "event: future_event\ndata: " + future + "\n\n");
  EXPECT_FALSE(translator.facts().usage.has_value());
  EXPECT_EQ(translator.facts().finish_reason, "");
  EXPECT_FALSE(translator.saw_done());
  out.clear();
  EXPECT_EQ(translator.Translate(R"({ "type" : "message_stop" , "extra": 1 })", out),
            Outcome::kDone);
  EXPECT_EQ(out, dialects::kMessageStopEvent);
  EXPECT_TRUE(translator.saw_done());
}

TEST(PassthroughTranslatorTest, MessageDeltaCountsOverrideMessageStartAndNullsAreIgnored) {
  PassthroughTranslator translator;
  std::string out;
  translator.Translate(
      R"({"type":"message_start","message":{"id":"m","usage":{"input_tokens":7,)"
      R"("cache_read_input_tokens":3,"cache_creation_input_tokens":null,"output_tokens":1}}})",
      out);
  ASSERT_TRUE(translator.facts().usage.has_value());
  EXPECT_EQ(*translator.facts().usage, (TokenUsage{10, 1, 11, 3, 0, 0}));
  // Newer API versions repeat the input counts in message_delta; null ones keep the earlier.
  translator.Translate(
      R"({"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},)"
      R"("usage":{"input_tokens":null,"cache_creation_input_tokens":4,"output_tokens":9}})",
      out);
  EXPECT_EQ(*translator.facts().usage, (TokenUsage{14, 9, 23, 3, 4, 0}));
  EXPECT_EQ(translator.facts().finish_reason, "length");
  EXPECT_EQ(translator.facts().native_finish_reason, "max_tokens");
}

TEST(PassthroughTranslatorTest, ErrorEventIsAnUpstreamErrorWithItsMessage) {
  PassthroughTranslator translator;
  std::string out = "kept";
  const std::string error =
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded \"now\""}})";
  EXPECT_EQ(translator.Translate(error, out), Outcome::kUpstreamError);
  EXPECT_EQ(out, "kept");  // not relayed as is
  EXPECT_EQ(translator.error_message(), "Overloaded \"now\"");
  EXPECT_EQ(translator.error_raw(), error);
  EXPECT_FALSE(translator.saw_done());

  PassthroughTranslator bare;
  EXPECT_EQ(bare.Translate(R"({"type":"error"})", out), Outcome::kUpstreamError);
  EXPECT_EQ(bare.error_message(), "the provider sent an error event");
  EXPECT_EQ(bare.error_raw(), R"({"type":"error"})");
}

TEST(PassthroughTranslatorTest, InvalidJsonIsMalformed) {
  PassthroughTranslator translator;
  std::string out;
  EXPECT_EQ(translator.Translate(R"({"type": broken)", out), Outcome::kMalformed);
  EXPECT_NE(translator.error_message().find("invalid JSON"), std::string::npos)
      << translator.error_message();
  EXPECT_EQ(translator.Translate("", out), Outcome::kMalformed);
  EXPECT_EQ(translator.Translate("[1]", out), Outcome::kMalformed);
  EXPECT_EQ(translator.Translate("{\"type\":\"ping\",\"a\":\"\xC3\"}", out), Outcome::kMalformed);
  EXPECT_EQ(out, "");
  EXPECT_FALSE(translator.saw_done());
}

// --- AddPassthroughFacts (a whole Messages response) -------------------------------------------

CompletionFacts FactsOf(const std::string& body) {
  std::vector<json::Member> members;
  EXPECT_FALSE(json::ScanObject(body, members).has_value()) << body;
  CompletionFacts facts;
  AddPassthroughFacts(members, facts);
  return facts;
}

TEST(AddPassthroughFactsTest, UsageAndStopReasonOfAWholeResponse) {
  const CompletionFacts facts = FactsOf(
      R"({"id":"msg_1","type":"message","role":"assistant","model":"claude",)"
      R"("content":[{"type":"thinking","thinking":"hm","signature":"sig"},)"
      R"({"type":"text","text":"Hi"},{"type":"tool_use","id":"t","name":"f","input":{"a":1}}],)"
      R"("stop_reason":"tool_use","stop_sequence":null,)"
      R"("usage":{"input_tokens":100,"cache_creation_input_tokens":100,)"
      R"("cache_read_input_tokens":1000,"output_tokens":350}})");
  // docs/dialects.md: 100 + 1000 + 100 = 1200 prompt, 350 completion, 1550 total.
  ASSERT_TRUE(facts.usage.has_value());
  EXPECT_EQ(*facts.usage, (TokenUsage{1200, 350, 1550, 1000, 100, 0}));
  EXPECT_EQ(facts.finish_reason, "tool_calls");
  EXPECT_EQ(facts.native_finish_reason, "tool_use");
  // With usage the generated text is not collected.
  EXPECT_EQ(facts.completion_chars, 0);
  EXPECT_EQ(facts.completion_text, "");
}

TEST(AddPassthroughFactsTest, WithoutUsageTheGeneratedTextIsCollected) {
  const CompletionFacts facts =
      FactsOf(R"({"content":[{"type":"thinking","thinking":"hm","signature":"sig"},)"
              R"({"type":"text","text":"Hi \"x\""},)"
              R"({"type":"tool_use","id":"t","name":"f","input":{"a":1}}],)"
              R"("stop_reason":"end_turn"})");
  EXPECT_FALSE(facts.usage.has_value());
  EXPECT_EQ(facts.finish_reason, "stop");
  EXPECT_EQ(facts.native_finish_reason, "end_turn");
  // "hm" (2) + `Hi "x"` (6) + the input's JSON text `{"a":1}` (7).
  EXPECT_EQ(facts.completion_chars, 2 + 6 + 7);
  EXPECT_EQ(facts.completion_text, R"(hmHi \"x\"{\"a\":1})");
}

TEST(AddPassthroughFactsTest, NullStopReasonLeavesFinishEmpty) {
  const CompletionFacts facts =
      FactsOf(R"({"content":[],"stop_reason":null,"usage":{"input_tokens":5,"output_tokens":0}})");
  EXPECT_EQ(facts.finish_reason, "");
  EXPECT_EQ(facts.native_finish_reason, "");
  ASSERT_TRUE(facts.usage.has_value());
  EXPECT_EQ(*facts.usage, (TokenUsage{5, 0, 5, 0, 0, 0}));
}

// --- ToChatTranslator --------------------------------------------------------------------------

TEST(ToChatTranslatorTest, RecordedStreamBecomesStampedChatChunksInEveryFeedSize) {
  const std::string upstream = ReadGolden("anthropic_messages_stream.sse");
  for (size_t piece : {upstream.size(), size_t{1}, size_t{5}, size_t{64}}) {
    ToChatTranslator translator(ResponseStamp{"gen-x", "pub/model", "p", nullptr});
    std::vector<Outcome> outcomes;
    const std::string out = Relay(upstream, piece, translator, &outcomes);
    EXPECT_EQ(outcomes, ExpectedOutcomes()) << "piece " << piece;
    EXPECT_TRUE(translator.saw_done());
    ASSERT_TRUE(out.ends_with("data: [DONE]\n\n")) << out;

    const std::vector<std::string> events = DataEvents(out);
    // role, reasoning, content, tool call start, 2 argument pieces, finish, usage, [DONE].
    ASSERT_EQ(events.size(), 9u) << out;
    EXPECT_EQ(events.back(), "[DONE]");
    std::vector<Json> chunks;
    for (size_t i = 0; i + 1 < events.size(); ++i) {
      chunks.push_back(Json::parse(events[i]));
      const Json& chunk = chunks.back();
      EXPECT_EQ(chunk["id"], "gen-x") << events[i];
      EXPECT_EQ(chunk["model"], "pub/model") << events[i];
      EXPECT_EQ(chunk["provider"], "p") << events[i];
      EXPECT_EQ(chunk["object"], "chat.completion.chunk") << events[i];
      EXPECT_TRUE(chunk["created"].is_number_integer()) << events[i];
    }
    auto delta = [&](size_t i) { return chunks[i]["choices"][0]["delta"]; };
    EXPECT_EQ(delta(0), (Json{{"role", "assistant"}, {"content", ""}}));
    EXPECT_EQ(delta(1), (Json{{"reasoning", "Let me think"}}));
    EXPECT_EQ(delta(2), (Json{{"content", "Hello \"w\xC3\xB6rld\""}}));
    EXPECT_EQ(delta(3),
              Json::parse(R"({"tool_calls":[{"index":0,"id":"toolu_01A09q90qw90lq917835lq9",)"
                          R"("type":"function","function":{"name":"get_weather",)"
                          R"("arguments":""}}]})"));
    EXPECT_EQ(delta(4),
              Json::parse(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]})"));
    EXPECT_EQ(
        delta(5),
        Json::parse(R"({"tool_calls":[{"index":0,"function":{"arguments":" \"Paris\"}"}}]})"));
    for (size_t i = 0; i < 5; ++i) {
      EXPECT_TRUE(chunks[i]["choices"][0]["finish_reason"].is_null()) << events[i];
      EXPECT_FALSE(chunks[i]["choices"][0].contains("native_finish_reason")) << events[i];
    }
    EXPECT_EQ(delta(6), Json::object());
    EXPECT_EQ(chunks[6]["choices"][0]["finish_reason"], "tool_calls");
    // docs/dialects.md section 4: on Chat <- Anthropic the rewriter sets native_finish_reason
    // from the (normalized) chat finish_reason.
    EXPECT_EQ(chunks[6]["choices"][0]["native_finish_reason"], "tool_calls");
    // The usage chunk: prompt 100 + 1000 read + 20 written = 1120; no meter, so no cost.
    EXPECT_EQ(chunks[7]["choices"], Json::array());
    const Json& usage = chunks[7]["usage"];
    EXPECT_EQ(usage["prompt_tokens"], 1120);
    EXPECT_EQ(usage["completion_tokens"], 42);
    EXPECT_EQ(usage["total_tokens"], 1162);
    EXPECT_EQ(usage["prompt_tokens_details"]["cached_tokens"], 1000);
    EXPECT_EQ(usage["prompt_tokens_details"]["cache_write_tokens"], 20);
    EXPECT_EQ(usage["completion_tokens_details"]["reasoning_tokens"], 0);
    EXPECT_FALSE(usage.contains("cost"));

    const CompletionFacts& facts = translator.facts();
    ASSERT_TRUE(facts.usage.has_value());
    EXPECT_EQ(*facts.usage, (TokenUsage{1120, 42, 1162, 1000, 20, 0}));
    EXPECT_EQ(facts.finish_reason, "tool_calls");
    EXPECT_EQ(facts.native_finish_reason, "tool_calls");
    // reasoning 12 + content 14 + arguments 8 + 9, as the chat rewriter counts them.
    EXPECT_EQ(facts.completion_chars, 12 + 14 + 8 + 9);
  }
}

TEST(ToChatTranslatorTest, ErrorEventIsAnUpstreamError) {
  ToChatTranslator translator(ResponseStamp{"gen-x", "pub/model", "p", nullptr});
  std::string out;
  EXPECT_EQ(translator.Translate(R"({"type":"message_start","message":{"id":"m","model":"c",)"
                                 R"("usage":{"input_tokens":1,"output_tokens":1}}})",
                                 out),
            Outcome::kContinue);
  const std::string before = out;
  const std::string error =
      R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})";
  EXPECT_EQ(translator.Translate(error, out), Outcome::kUpstreamError);
  EXPECT_EQ(translator.error_message(), "Overloaded");
  EXPECT_EQ(translator.error_raw(), error);
  EXPECT_FALSE(translator.saw_done());
}

TEST(ToChatTranslatorTest, InvalidJsonAndOutOfOrderEventsAreMalformed) {
  ToChatTranslator translator(ResponseStamp{"gen-x", "pub/model", "p", nullptr});
  std::string out;
  EXPECT_EQ(translator.Translate(R"({"type": broken)", out), Outcome::kMalformed);
  EXPECT_FALSE(translator.error_message().empty());
  ToChatTranslator early(ResponseStamp{"gen-x", "pub/model", "p", nullptr});
  // A block event before message_start.
  EXPECT_EQ(early.Translate(R"({"type":"content_block_start","index":0,)"
                            R"("content_block":{"type":"text","text":""}})",
                            out),
            Outcome::kMalformed);
  EXPECT_FALSE(early.error_message().empty());
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace gw::providers::anthropic

#include "providers/openai/openai_stream.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "providers/sse_parser.h"

namespace gw::providers::openai {
namespace {

using Outcome = StreamTranslator::Outcome;

std::string ReadGolden(const std::string& name) {
  std::ifstream file(std::string(GW_SOURCE_DIR) + "/tests/data/providers/" + name,
                     std::ios::binary);
  EXPECT_TRUE(file.good()) << name;
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// Runs a recorded upstream stream through SseParser + StreamTranslator in `piece`-byte feeds.
std::string Relay(const std::string& upstream, size_t piece, StreamTranslator& translator,
                  std::vector<Outcome>* outcomes) {
  SseParser parser;
  std::string out;
  for (size_t at = 0; at < upstream.size(); at += piece) {
    EXPECT_TRUE(parser.Feed(std::string_view(upstream).substr(at, piece), [&](std::string_view d) {
      outcomes->push_back(translator.Translate(d, out));
    }));
  }
  return out;
}

TEST(StreamTranslatorTest, RecordedOpenAiStreamGolden) {
  const std::string upstream = ReadGolden("openai_chat_stream.sse");
  const std::string expected = ReadGolden("openai_chat_stream.expected.sse");
  for (size_t piece : {upstream.size(), size_t{1}, size_t{7}, size_t{64}}) {
    StreamTranslator translator({"gen-stream-1", "openai/gpt-4o-mini", "OpenAI"});
    std::vector<Outcome> outcomes;
    EXPECT_EQ(Relay(upstream, piece, translator, &outcomes), expected) << "piece " << piece;
    EXPECT_EQ(outcomes,
              (std::vector<Outcome>{Outcome::kContinue, Outcome::kContinue, Outcome::kContinue,
                                    Outcome::kContinue, Outcome::kContinue, Outcome::kDone}));
    EXPECT_TRUE(translator.saw_done());
    EXPECT_EQ(translator.chunks(), 5);
    const CompletionFacts& facts = translator.facts();
    EXPECT_EQ(facts.finish_reason, "stop");
    EXPECT_EQ(facts.native_finish_reason, "stop");
    EXPECT_EQ(facts.completion_chars, 28);
    ASSERT_TRUE(facts.usage.has_value());
    EXPECT_EQ(*facts.usage, (TokenUsage{9, 12, 21, 0, 0, 0}));
  }
}

TEST(StreamTranslatorTest, CountsToolCallArgumentsAndKeepsLastFinishReason) {
  StreamTranslator translator({"g", "m", "P"});
  std::string out;
  EXPECT_EQ(
      translator.Translate(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":)"
                           R"({"name":"f","arguments":"{\"a\":"}}]},"finish_reason":null}]})",
                           out),
      Outcome::kContinue);
  EXPECT_EQ(
      translator.Translate(R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":)"
                           R"({"arguments":"1}"}}]},"finish_reason":"tool_calls"}]})",
                           out),
      Outcome::kContinue);
  EXPECT_EQ(translator.Translate(R"({"choices":[{"index":0,"delta":{"reasoning":"hm"},)"
                                 R"("finish_reason":null}]})",
                                 out),
            Outcome::kContinue);
  EXPECT_EQ(translator.facts().completion_chars, 5 + 2 + 2);
  EXPECT_EQ(translator.facts().finish_reason, "tool_calls");
  EXPECT_FALSE(translator.facts().usage.has_value());
  EXPECT_FALSE(translator.saw_done());
  EXPECT_EQ(out.find("data: {\"id\":\"g\",\"model\":\"m\",\"provider\":\"P\",\"choices\":[{"), 0u);
  EXPECT_NE(out.find(R"("finish_reason":"tool_calls","native_finish_reason":"tool_calls")"),
            std::string::npos);
  // A null finish_reason gets no native_finish_reason in a stream.
  EXPECT_EQ(out.find(R"("finish_reason":null,"native)"), std::string::npos);
}

TEST(StreamTranslatorTest, CompletionsChunksCountText) {
  StreamTranslator translator({"g", "m", "P"});
  std::string out;
  EXPECT_EQ(translator.Translate(R"({"object":"text_completion","choices":[{"text":"ab\n",)"
                                 R"("index":0,"finish_reason":"length"}],"model":"x"})",
                                 out),
            Outcome::kContinue);
  EXPECT_EQ(out,
            "data: {\"id\":\"g\",\"object\":\"text_completion\",\"choices\":[{\"text\":\"ab\\n\","
            "\"index\":0,\"finish_reason\":\"length\",\"native_finish_reason\":\"length\"}],"
            "\"model\":\"m\",\"provider\":\"P\"}\n\n");
  EXPECT_EQ(translator.facts().completion_chars, 3);
}

TEST(StreamTranslatorTest, InBandUpstreamError) {
  StreamTranslator translator({"g", "m", "P"});
  std::string out = "kept";
  const std::string error = R"({"message":"Rate limit \"hit\"","type":"rate_limit","code":429})";
  EXPECT_EQ(translator.Translate(R"({"id":"x","error":)" + error + "}", out),
            Outcome::kUpstreamError);
  EXPECT_EQ(out, "kept");
  EXPECT_EQ(translator.error_message(), "Rate limit \"hit\"");
  EXPECT_EQ(translator.error_raw(), error);
  EXPECT_EQ(translator.chunks(), 0);

  EXPECT_EQ(translator.Translate(R"({"error":"plain text"})", out), Outcome::kUpstreamError);
  EXPECT_EQ(translator.error_message(), "plain text");
  EXPECT_EQ(translator.Translate(R"({"error":{"code":500}})", out), Outcome::kUpstreamError);
  EXPECT_EQ(translator.error_message(), R"({"code":500})");
  // A null error is no error.
  EXPECT_EQ(translator.Translate(R"({"error":null,"choices":[]})", out), Outcome::kContinue);
}

TEST(StreamTranslatorTest, MalformedPayloads) {
  StreamTranslator translator({"g", "m", "P"});
  std::string out;
  EXPECT_EQ(translator.Translate(R"({"choices":[)", out), Outcome::kMalformed);
  EXPECT_EQ(translator.error_message(),
            "upstream sent invalid JSON in a stream chunk at byte 12: unexpected end of input");
  EXPECT_EQ(translator.Translate("[1]", out), Outcome::kMalformed);
  EXPECT_EQ(translator.error_message(), "upstream stream chunk is not a JSON object");
  EXPECT_EQ(translator.Translate("", out), Outcome::kMalformed);
  EXPECT_EQ(translator.Translate("DONE", out), Outcome::kMalformed);
  EXPECT_EQ(translator.Translate("{\"a\":\"\xC3\"}", out), Outcome::kMalformed);
  EXPECT_EQ(out, "");
  EXPECT_EQ(translator.chunks(), 0);
  EXPECT_EQ(translator.Translate(" [DONE] ", out), Outcome::kDone);
  EXPECT_EQ(out, "data: [DONE]\n\n");
}

TEST(StreamTranslatorTest, LaterUsageReplacesEarlierAndBadUsageIsIgnored) {
  StreamTranslator translator({"g", "m", "P"});
  std::string out;
  translator.Translate(R"({"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}})", out);
  translator.Translate(R"({"choices":[],"usage":{"prompt_tokens":"bad"}})", out);
  ASSERT_TRUE(translator.facts().usage.has_value());
  EXPECT_EQ(translator.facts().usage->total_tokens, 3);
  translator.Translate(R"({"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":5}})", out);
  EXPECT_EQ(translator.facts().usage->total_tokens, 9);
  EXPECT_EQ(translator.chunks(), 3);
}

}  // namespace
}  // namespace gw::providers::openai

#include "gateway/simulator/sim_request.h"

#include <gtest/gtest.h>

namespace gw::simulator {
namespace {

TEST(SimRequestTest, ReadsTheChatFields) {
  CompletionRequest request;
  ASSERT_EQ(ParseCompletionRequest(
                R"({"model":"m?tokens=3","messages":[{"role":"user","content":"12345678"},)"
                R"({"role":"user","content":[{"type":"text","text":"abcd"}]}],"stream":true,)"
                R"("stream_options":{"include_usage":true},"max_tokens":10,)"
                R"("max_completion_tokens":8,"seed":-1,"n":2,"temperature":0.5})",
                Api::kChat, &request),
            "");
  EXPECT_EQ(request.model, "m?tokens=3");
  EXPECT_TRUE(request.stream);
  EXPECT_TRUE(request.include_usage);
  EXPECT_EQ(request.max_tokens, 8u);
  EXPECT_EQ(request.seed, UINT64_MAX);
  EXPECT_EQ(request.choices, 2u);
  EXPECT_EQ(request.prompt_tokens, 3u);  // ceil(12 / 4)
}

TEST(SimRequestTest, OptionalFieldsMayBeNullOrAbsent) {
  CompletionRequest request;
  ASSERT_EQ(ParseCompletionRequest(
                R"({"model":"m","messages":[],"stream":null,"max_tokens":null,"n":null})",
                Api::kChat, &request),
            "");
  EXPECT_FALSE(request.stream);
  EXPECT_FALSE(request.include_usage);
  EXPECT_FALSE(request.max_tokens);
  EXPECT_FALSE(request.seed);
  EXPECT_EQ(request.choices, 1u);
  EXPECT_EQ(request.prompt_tokens, 0u);
}

TEST(SimRequestTest, UnescapesTheModel) {
  CompletionRequest request;
  ASSERT_EQ(ParseCompletionRequest(R"({"model":"a\/b\u0021","messages":[]})", Api::kChat, &request),
            "");
  EXPECT_EQ(request.model, "a/b!");
}

TEST(SimRequestTest, LegacyPromptForms) {
  CompletionRequest request;
  ASSERT_EQ(
      ParseCompletionRequest(R"({"model":"m","prompt":"hello"})", Api::kCompletions, &request), "");
  EXPECT_EQ(request.prompt_tokens, 2u);
  EXPECT_EQ(request.choices, 1u);
  request = {};
  ASSERT_EQ(ParseCompletionRequest(R"({"model":"m","prompt":["abcd","efgh"],"n":3})",
                                   Api::kCompletions, &request),
            "");
  EXPECT_EQ(request.prompt_tokens, 2u);
  EXPECT_EQ(request.choices, 6u);
  request = {};
  ASSERT_EQ(
      ParseCompletionRequest(R"({"model":"m","prompt":[1,2,3]})", Api::kCompletions, &request), "");
  EXPECT_EQ(request.prompt_tokens, 3u);
  EXPECT_EQ(request.choices, 1u);
  request = {};
  ASSERT_EQ(ParseCompletionRequest(R"({"model":"m"})", Api::kCompletions, &request), "");
}

struct BadBody {
  Api api;
  const char* body;
  const char* message;
};

class SimRequestErrorTest : public testing::TestWithParam<BadBody> {};

TEST_P(SimRequestErrorTest, RejectsWithAMessageNamingTheField) {
  CompletionRequest request;
  const std::string error = ParseCompletionRequest(GetParam().body, GetParam().api, &request);
  EXPECT_EQ(error.substr(0, std::string_view(GetParam().message).size()), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, SimRequestErrorTest,
    testing::Values(
        BadBody{Api::kChat, R"({"model":"m",)", "invalid JSON body at byte"},
        BadBody{Api::kChat, "[]", "invalid JSON body at byte"},
        BadBody{Api::kChat, R"({"messages":[]})", "model is required"},
        BadBody{Api::kChat, R"({"model":1,"messages":[]})", "model must be a string"},
        BadBody{Api::kChat, R"({"model":"m"})", "messages is required"},
        BadBody{Api::kChat, R"({"model":"m","messages":{}})", "messages must be an array"},
        BadBody{Api::kChat, R"({"model":"m","messages":[1]})", "messages[] must be objects"},
        BadBody{Api::kChat, R"({"model":"m","messages":[],"stream":"yes"})",
                "stream must be a boolean"},
        BadBody{Api::kChat, R"({"model":"m","messages":[],"stream_options":1})",
                "stream_options must be an object"},
        BadBody{Api::kChat, R"({"model":"m","messages":[],"max_tokens":-1})",
                "max_tokens must be a non-negative integer"},
        BadBody{Api::kChat, R"({"model":"m","messages":[],"max_completion_tokens":1.5})",
                "max_completion_tokens must be a non-negative integer"},
        BadBody{Api::kChat, R"({"model":"m","messages":[],"seed":"1"})", "seed must be an integer"},
        BadBody{Api::kChat, R"({"model":"m","messages":[],"n":0})",
                "n must be an integer from 1 to 128"},
        BadBody{Api::kCompletions, R"({"model":"m","prompt":{}})", "prompt must be a string"},
        BadBody{Api::kCompletions, R"({"model":"m","prompt":["a","b"],"n":100})",
                "n times the number of prompts must be at most 128"}),
    [](const testing::TestParamInfo<BadBody>& info) {
      return "case" + std::to_string(info.index);
    });

}  // namespace
}  // namespace gw::simulator

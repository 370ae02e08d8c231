#include "gateway/api/inference_request.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/insights/prompt_text.h"

namespace gw::api {
namespace {

constexpr std::string_view kMessages = R"("messages":[{"role":"user","content":"hi"}])";

std::string Decode(std::string_view body, InferenceKind kind = InferenceKind::kChat) {
  InferenceRequest request;
  return DecodeInferenceRequest(body, kind, request);
}

// A chat body with a valid model and messages plus `extra` members (", "-joined by the caller).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out += part;
  return out;
}

// A chat body with a valid model and messages plus `extra` members (","-joined by the caller).
std::string ChatWith(std::string_view extra) {
  return Cat({R"({"model":"m",)", kMessages, extra.empty() ? "" : ",", extra, "}"});
}

struct Rejection {
  std::string_view body;
  std::string_view message;
};

void ExpectRejections(const std::vector<Rejection>& cases, InferenceKind kind) {
  for (const Rejection& rejection : cases) {
    SCOPED_TRACE(rejection.body);
    EXPECT_EQ(Decode(rejection.body, kind), rejection.message);
  }
}

TEST(DecodeInferenceRequestTest, AcceptsAChatBodyAndExtractsItsFacts) {
  const std::string body =
      R"({"model":"openai/gpt-4o-mini","messages":[{"role":"system","content":"be brief"},)"
      R"({"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":null}],)"
      R"("stream":true,"max_tokens":256,"user":"alice","session_id":"s-42","temperature":0.2})";
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(body, InferenceKind::kChat, request), "");
  EXPECT_EQ(request.kind, InferenceKind::kChat);
  EXPECT_EQ(request.model, "openai/gpt-4o-mini");
  EXPECT_TRUE(request.models.empty());
  EXPECT_TRUE(request.stream);
  ASSERT_TRUE(request.max_tokens.has_value());
  EXPECT_EQ(*request.max_tokens, 256);
  EXPECT_EQ(request.user, "alice");
  EXPECT_EQ(request.session_id, "s-42");
  ASSERT_EQ(request.members.size(), 7u);
  EXPECT_EQ(request.members[0].raw_key, "model");
  EXPECT_EQ(request.members[0].value, R"("openai/gpt-4o-mini")");
  EXPECT_EQ(request.members[6].raw_key, "temperature");
  EXPECT_EQ(request.members[6].value, "0.2");
}

TEST(DecodeInferenceRequestTest, MembersAreViewsIntoTheBody) {
  const std::string body = ChatWith(R"("seed":7)");
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(body, InferenceKind::kChat, request), "");
  for (const auto& member : request.members) {
    EXPECT_GE(member.value.data(), body.data());
    EXPECT_LE(member.value.data() + member.value.size(), body.data() + body.size());
  }
}

TEST(DecodeInferenceRequestTest, DefaultsWhenOptionalFactsAreAbsent) {
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(ChatWith(""), InferenceKind::kChat, request), "");
  EXPECT_EQ(request.model, "m");
  EXPECT_FALSE(request.stream);
  EXPECT_FALSE(request.max_tokens.has_value());
  EXPECT_EQ(request.user, "");
  EXPECT_EQ(request.session_id, "");
  EXPECT_TRUE(request.models.empty());
}

TEST(DecodeInferenceRequestTest, StreamFalseIsNotStreaming) {
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(ChatWith(R"("stream":false)"), InferenceKind::kChat, request),
            "");
  EXPECT_FALSE(request.stream);
}

TEST(DecodeInferenceRequestTest, AcceptsACompletionBody) {
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(R"({"model":"m","prompt":"Once upon","max_tokens":16})",
                                   InferenceKind::kCompletion, request),
            "");
  EXPECT_EQ(request.kind, InferenceKind::kCompletion);
  EXPECT_EQ(request.model, "m");
  EXPECT_EQ(request.max_tokens, 16);
  EXPECT_EQ(Decode(R"({"model":"m","prompt":["a","b"]})", InferenceKind::kCompletion), "");
  EXPECT_EQ(Decode(R"({"model":"m","prompt":[[1,2,3]]})", InferenceKind::kCompletion), "");
}

TEST(DecodeInferenceRequestTest, CompletionsDoNotNeedMessagesAndChatDoesNotNeedPrompt) {
  EXPECT_EQ(Decode(R"({"model":"m","prompt":"x"})", InferenceKind::kCompletion), "");
  EXPECT_EQ(Decode(ChatWith(""), InferenceKind::kChat), "");
}

TEST(DecodeInferenceRequestTest, ResetsThePreviousResult) {
  InferenceRequest request;
  ASSERT_EQ(
      DecodeInferenceRequest(ChatWith(R"("stream":true,"user":"u","models":["a"],"max_tokens":5)"),
                             InferenceKind::kChat, request),
      "");
  ASSERT_EQ(
      DecodeInferenceRequest(R"({"model":"n","prompt":"p"})", InferenceKind::kCompletion, request),
      "");
  EXPECT_EQ(request.kind, InferenceKind::kCompletion);
  EXPECT_EQ(request.model, "n");
  EXPECT_FALSE(request.stream);
  EXPECT_EQ(request.user, "");
  EXPECT_TRUE(request.models.empty());
  EXPECT_FALSE(request.max_tokens.has_value());
  EXPECT_EQ(request.members.size(), 2u);
}

TEST(DecodeInferenceRequestTest, ReadsTheModelsFallbackList) {
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(ChatWith(R"("models":["a/x","b/y","c\/z"])"),
                                   InferenceKind::kChat, request),
            "");
  EXPECT_EQ(request.model, "m");
  EXPECT_EQ(request.models, (std::vector<std::string>{"a/x", "b/y", "c/z"}));
}

TEST(DecodeInferenceRequestTest, TakesTheModelFromModelsWhenModelIsAbsentOrNull) {
  for (std::string_view model_member : {"", R"("model":null,)"}) {
    SCOPED_TRACE(model_member);
    const std::string body =
        Cat({"{", model_member, R"("models":["first","second"],)", kMessages, "}"});
    InferenceRequest request;
    ASSERT_EQ(DecodeInferenceRequest(body, InferenceKind::kChat, request), "");
    EXPECT_EQ(request.model, "first");
    EXPECT_EQ(request.models, (std::vector<std::string>{"first", "second"}));
  }
}

TEST(DecodeInferenceRequestTest, MaxCompletionTokensFillsMaxTokens) {
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(ChatWith(R"("max_completion_tokens":1024)"),
                                   InferenceKind::kChat, request),
            "");
  EXPECT_EQ(request.max_tokens, 1024);
}

TEST(DecodeInferenceRequestTest, MaxCompletionTokensWinsOverMaxTokensInEitherOrder) {
  for (std::string_view fields : {R"("max_tokens":100,"max_completion_tokens":5)",
                                  R"("max_completion_tokens":5,"max_tokens":100)"}) {
    InferenceRequest request;
    ASSERT_EQ(DecodeInferenceRequest(ChatWith(fields), InferenceKind::kChat, request), "");
    EXPECT_EQ(request.max_tokens, 5) << fields;
  }
}

TEST(DecodeInferenceRequestTest, RejectsDuplicateKeysInsideAMessage) {
  EXPECT_EQ(Decode(R"({"model":"m","messages":[{"role":"user","role":5,"content":"x"}]})"),
            "messages[0]: duplicate key \"role\"");
  EXPECT_EQ(Decode(R"({"model":"m","messages":[{"role":"user","content":"a","content":"b"}]})"),
            "messages[0]: duplicate key \"content\"");
}

TEST(DecodeInferenceRequestTest, EveryChatRoleIsAcceptedAndAnUnknownOneIsNamed) {
  for (std::string_view role : {"system", "user", "assistant", "tool", "developer", "function"}) {
    EXPECT_EQ(Decode(Cat({R"({"model":"m","messages":[{"role":")", role, R"(","content":"x"}]})"})),
              "")
        << role;
  }
  EXPECT_EQ(Decode(R"({"model":"m","messages":[{"role":"user","content":"a"},)"
                   R"({"role":"wizard","content":"b"}]})"),
            "messages[1].role: unknown role \"wizard\"; expected one of system, user, assistant, "
            "tool, developer, function");
  // Roles are case-sensitive, as upstreams read them.
  EXPECT_NE(Decode(R"({"model":"m","messages":[{"role":"User","content":"a"}]})"), "");
}

TEST(DecodeInferenceRequestTest, AMessagesBodyHasUserAssistantAndSystemRoles) {
  // `system` inside `messages` is what Claude Code 2.x sends (DIALECTS.md); the real client
  // failed against the gateway when it was refused.
  const std::string_view ok =
      R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a"},)"
      R"({"role":"system","content":"s"},{"role":"assistant","content":"b"}]})";
  EXPECT_EQ(Decode(ok, InferenceKind::kMessages), "");
  EXPECT_EQ(Decode(R"({"model":"m","max_tokens":5,"messages":[{"role":"tool","content":"a"}]})",
                   InferenceKind::kMessages),
            "messages[0].role: unknown role \"tool\"; expected one of user, assistant, system");
}

TEST(DecodeInferenceRequestTest, StopAndTransformsArraysHoldStrings) {
  EXPECT_EQ(Decode(ChatWith(R"("stop":["a",1])")), "stop[1]: expected a string");
  EXPECT_EQ(Decode(ChatWith(R"("transforms":[{}])")), "transforms[0]: expected a string");
  EXPECT_EQ(Decode(ChatWith(R"("stop":["a","b"],"transforms":["middle-out"])")), "");
}

TEST(DecodeInferenceRequestTest, UnescapesStringFacts) {
  InferenceRequest request;
  ASSERT_EQ(
      DecodeInferenceRequest(R"({"model":"a\/b","user":"\u00e9l\u00e8ve","session_id":"s\"1",)" +
                                 std::string(kMessages) + "}",
                             InferenceKind::kChat, request),
      "");
  EXPECT_EQ(request.model, "a/b");
  EXPECT_EQ(request.user, "\xC3\xA9l\xC3\xA8ve");
  EXPECT_EQ(request.session_id, "s\"1");
}

TEST(DecodeInferenceRequestTest, MatchesEscapedKeys) {
  InferenceRequest request;
  ASSERT_EQ(
      DecodeInferenceRequest(Cat({R"({"mod\u0065l":"m","str\u0065am":true,)", kMessages, "}"}),
                             InferenceKind::kChat, request),
      "");
  EXPECT_EQ(request.model, "m");
  EXPECT_TRUE(request.stream);
  EXPECT_EQ(Decode(Cat({R"({"model":"m","t\u0065mperature":"hot",)", kMessages, "}"})),
            "temperature: expected a number");
}

TEST(DecodeInferenceRequestTest, AcceptsNullForEveryOptionalField) {
  const std::string body = ChatWith(
      R"("stream":null,"max_tokens":null,"max_completion_tokens":null,"n":null,"seed":null,)"
      R"("top_logprobs":null,"top_k":null,"temperature":null,"top_p":null,"min_p":null,)"
      R"("top_a":null,"presence_penalty":null,"frequency_penalty":null,)"
      R"("repetition_penalty":null,"stop":null,"tools":null,"tool_choice":null,)"
      R"("parallel_tool_calls":null,"response_format":null,"stream_options":null,)"
      R"("logit_bias":null,"metadata":null,"user":null,"models":null,"provider":null,)"
      R"("route":null,"transforms":null,"usage":null,"session_id":null)");
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(body, InferenceKind::kChat, request), "");
  EXPECT_EQ(request.model, "m");
  EXPECT_FALSE(request.stream);
  EXPECT_FALSE(request.max_tokens.has_value());
  EXPECT_EQ(request.user, "");
  EXPECT_EQ(request.session_id, "");
  EXPECT_TRUE(request.models.empty());
}

TEST(DecodeInferenceRequestTest, AcceptsEveryTypedFieldWithItsRightType) {
  EXPECT_EQ(Decode(ChatWith(
                R"("stream":true,"max_tokens":1,"n":2,"seed":-3,"top_logprobs":0,"top_k":40,)"
                R"("temperature":0.7,"top_p":1,"min_p":0.05,"top_a":0,"presence_penalty":-0.5,)"
                R"("frequency_penalty":1e-1,"repetition_penalty":1.1,"stop":["\n"],)"
                R"("tools":[],"tool_choice":"auto","parallel_tool_calls":false,)"
                R"("response_format":{"type":"json_object"},"stream_options":{},)"
                R"("logit_bias":{},"metadata":{},"user":"u","models":[],"provider":{},)"
                R"("route":"fallback","transforms":[],"usage":{"include":true},)"
                R"("session_id":"s")")),
            "");
  EXPECT_EQ(Decode(ChatWith(R"("stop":"END","tool_choice":{"type":"function"})")), "");
}

TEST(DecodeInferenceRequestTest, PassesUnknownFieldsThrough) {
  const std::string body = ChatWith(R"("x_vendor":{"anything":[1,"two"]})");
  InferenceRequest request;
  ASSERT_EQ(DecodeInferenceRequest(body, InferenceKind::kChat, request), "");
  ASSERT_EQ(request.members.size(), 3u);
  EXPECT_EQ(request.members[2].raw_key, "x_vendor");
  EXPECT_EQ(request.members[2].value, R"({"anything":[1,"two"]})");
}

TEST(DecodeInferenceRequestTest, RejectsAnEmptyBody) {
  EXPECT_EQ(Decode(""), "request body is empty: expected a JSON object");
  EXPECT_EQ(Decode("", InferenceKind::kCompletion),
            "request body is empty: expected a JSON object");
}

TEST(DecodeInferenceRequestTest, RejectsMalformedJsonNamingTheByte) {
  ExpectRejections(
      {
          {R"({"model": })",
           "request body is not valid JSON: expected a value: unexpected character '}' at "
           "byte 10"},
          {R"({"model":"m")", "request body is not valid JSON: unexpected end of input at byte 12"},
          {R"({"model":"m",})",
           "request body is not valid JSON: expected a string key: unexpected character '}' at "
           "byte 13"},
          {R"({"model":"m"} x)",
           "request body is not valid JSON: unexpected data after the JSON value: unexpected "
           "character 'x' at byte 14"},
          {"   ", "request body is not valid JSON: unexpected end of input at byte 3"},
          {R"({"model":"m","model":"n"})",
           "request body is not valid JSON: duplicate key \"model\" at byte 13"},
          {R"({"temperature":01})",
           "request body is not valid JSON: invalid number: leading zero at byte 16"},
      },
      InferenceKind::kChat);
}

TEST(DecodeInferenceRequestTest, RejectsInvalidUtf8NamingTheByte) {
  ExpectRejections(
      {
          {"{\"model\":\"a\xFF\"}", "request body is not valid UTF-8 (byte 11)"},
          {"{\"model\":\"m\",\"user\":\"\xC3\"}", "request body is not valid UTF-8 (byte 21)"},
          {"{\"model\":\"\xC0\xAF\"}", "request body is not valid UTF-8 (byte 10)"},
          {"{\"model\":\"\xED\xA0\x80\"}", "request body is not valid UTF-8 (byte 10)"},
          {"{\"model\":\"m\"\xFF}", "request body is not valid UTF-8 (byte 12)"},
      },
      InferenceKind::kChat);
}

TEST(DecodeInferenceRequestTest, RejectsATopLevelThatIsNotAnObject) {
  for (std::string_view body : {"[]", "\"text\"", "42", "null", "true"}) {
    SCOPED_TRACE(body);
    EXPECT_EQ(Decode(body),
              "request body is not valid JSON: top-level value is not an object at byte 0");
  }
  EXPECT_EQ(Decode("  [1]"),
            "request body is not valid JSON: top-level value is not an object at byte 2");
}

TEST(DecodeInferenceRequestTest, RejectsAMissingModel) {
  ExpectRejections(
      {
          {R"({"messages":[{"role":"user","content":"hi"}]})", "model: required field is missing"},
          {R"({"model":null,"messages":[{"role":"user","content":"hi"}]})",
           "model: required field is missing"},
          {R"({"model":"","messages":[{"role":"user","content":"hi"}]})",
           "model: expected a non-empty model id"},
          {R"({"models":[""],"messages":[{"role":"user","content":"hi"}]})",
           "models[0]: expected a non-empty model id"},
          {R"({"models":[],"messages":[{"role":"user","content":"hi"}]})",
           "model: required field is missing"},
      },
      InferenceKind::kChat);
  EXPECT_EQ(Decode(R"({"prompt":"p"})", InferenceKind::kCompletion),
            "model: required field is missing");
}

TEST(DecodeInferenceRequestTest, RejectsAModelOfTheWrongType) {
  for (std::string_view model : {"42", "true", "[\"m\"]", "{\"id\":\"m\"}"}) {
    SCOPED_TRACE(model);
    const std::string body = Cat({R"({"model":)", model, ",", kMessages, "}"});
    EXPECT_EQ(Decode(body), "model: expected a string");
  }
}

TEST(DecodeInferenceRequestTest, RejectsBadMessages) {
  ExpectRejections(
      {
          {R"({"model":"m"})", "messages: required field is missing"},
          {R"({"model":"m","messages":null})", "messages: required field is missing"},
          {R"({"model":"m","messages":[]})", "messages: must contain at least one message"},
          {R"({"model":"m","messages":"hi"})", "messages: expected an array of messages"},
          {R"({"model":"m","messages":{"role":"user"}})",
           "messages: expected an array of messages"},
          {R"({"model":"m","messages":["hi"]})", "messages[0]: expected an object"},
          {R"({"model":"m","messages":[{"role":"user","content":"a"},null]})",
           "messages[1]: expected an object"},
          {R"({"model":"m","messages":[{"content":"hi"}]})",
           "messages[0].role: required field is missing"},
          {R"({"model":"m","messages":[{"role":"user"},{"role":"assistant"},{"role":7}]})",
           "messages[2].role: expected a string"},
          {R"({"model":"m","messages":[{"role":null}]})", "messages[0].role: expected a string"},
          {R"({"model":"m","messages":[{"role":"user","content":42}]})",
           "messages[0].content: expected a string, an array of content parts, or null"},
          {R"({"model":"m","messages":[{"role":"user","content":{"text":"hi"}}]})",
           "messages[0].content: expected a string, an array of content parts, or null"},
          {R"({"model":"m","messages":[{"role":"user","content":true}]})",
           "messages[0].content: expected a string, an array of content parts, or null"},
      },
      InferenceKind::kChat);
}

TEST(DecodeInferenceRequestTest, RejectsABadPrompt) {
  ExpectRejections(
      {
          {R"({"model":"m"})", "prompt: required field is missing"},
          {R"({"model":"m","prompt":null})", "prompt: required field is missing"},
          {R"({"model":"m","prompt":[]})", "prompt: must not be an empty array"},
          {R"({"model":"m","prompt":42})", "prompt: expected a string or an array"},
          {R"({"model":"m","prompt":{"text":"x"}})", "prompt: expected a string or an array"},
          {R"({"model":"m","prompt":false})", "prompt: expected a string or an array"},
      },
      InferenceKind::kCompletion);
}

TEST(DecodeInferenceRequestTest, RejectsEachTypedFieldWithTheWrongType) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {R"("stream":"yes")", "stream: expected a boolean"},
      {R"("stream":1)", "stream: expected a boolean"},
      {R"("temperature":"hot")", "temperature: expected a number"},
      {R"("top_p":[1])", "top_p: expected a number"},
      {R"("top_k":true)", "top_k: expected a number"},
      {R"("min_p":"0.1")", "min_p: expected a number"},
      {R"("top_a":{})", "top_a: expected a number"},
      {R"("presence_penalty":"x")", "presence_penalty: expected a number"},
      {R"("frequency_penalty":false)", "frequency_penalty: expected a number"},
      {R"("repetition_penalty":"1")", "repetition_penalty: expected a number"},
      {R"("max_tokens":1.5)", "max_tokens: expected an integer"},
      {R"("max_tokens":1e3)", "max_tokens: expected an integer"},
      {R"("max_tokens":"100")", "max_tokens: expected an integer"},
      {R"("max_completion_tokens":2.0)", "max_completion_tokens: expected an integer"},
      {R"("n":1.5)", "n: expected an integer"},
      {R"("seed":"42")", "seed: expected an integer"},
      {R"("top_logprobs":0.5)", "top_logprobs: expected an integer"},
      {R"("tools":{})", "tools: expected an array"},
      {R"("tool_choice":1)", "tool_choice: expected a string or an object"},
      {R"("tool_choice":[])", "tool_choice: expected a string or an object"},
      {R"("parallel_tool_calls":"true")", "parallel_tool_calls: expected a boolean"},
      {R"("stop":5)", "stop: expected a string or an array of strings"},
      {R"("stop":{})", "stop: expected a string or an array of strings"},
      {R"("response_format":"json")", "response_format: expected an object"},
      {R"("stream_options":true)", "stream_options: expected an object"},
      {R"("logit_bias":[])", "logit_bias: expected an object"},
      {R"("metadata":"m")", "metadata: expected an object"},
      {R"("user":42)", "user: expected a string"},
      {R"("models":"a")", "models: expected an array of model ids"},
      {R"("models":{})", "models: expected an array of model ids"},
      {R"("models":[1])", "models[0]: expected a model id string"},
      {R"("models":["a",null])", "models[1]: expected a model id string"},
      {R"("provider":"openai")", "provider: expected an object"},
      {R"("route":["fallback"])", "route: expected a string"},
      {R"("transforms":"middle-out")", "transforms: expected an array of strings"},
      {R"("usage":true)", "usage: expected an object"},
      {R"("session_id":7)", "session_id: expected a string"},
  };
  for (const auto& [member, message] : cases) {
    SCOPED_TRACE(member);
    EXPECT_EQ(Decode(ChatWith(member)), message);
  }
}

TEST(DecodeInferenceRequestTest, TypeChecksApplyToCompletionsToo) {
  EXPECT_EQ(Decode(R"({"model":"m","prompt":"p","stream":"yes"})", InferenceKind::kCompletion),
            "stream: expected a boolean");
  EXPECT_EQ(Decode(R"({"model":"m","prompt":"p","max_tokens":0})", InferenceKind::kCompletion),
            "max_tokens: expected a positive integer");
}

TEST(DecodeInferenceRequestTest, RejectsMaxTokensThatAreNotPositive) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {R"("max_tokens":0)", "max_tokens: expected a positive integer"},
      {R"("max_tokens":-1)", "max_tokens: expected a positive integer"},
      {R"("max_tokens":-0)", "max_tokens: expected a positive integer"},
      {R"("max_tokens":99999999999999999999)", "max_tokens: expected a positive integer"},
      {R"("max_completion_tokens":0)", "max_completion_tokens: expected a positive integer"},
      {R"("max_completion_tokens":-20)", "max_completion_tokens: expected a positive integer"},
  };
  for (const auto& [member, message] : cases) {
    SCOPED_TRACE(member);
    EXPECT_EQ(Decode(ChatWith(member)), message);
  }
}

TEST(DecodeInferenceRequestTest, ReportsTheFirstProblemInDocumentOrder) {
  EXPECT_EQ(Decode(R"({"stream":"yes","temperature":"hot","model":"m"})"),
            "stream: expected a boolean");
  // Field types are checked before messages.
  EXPECT_EQ(Decode(R"({"model":"m","messages":[],"temperature":"hot"})"),
            "temperature: expected a number");
}

// The layout the decoding notes lets the insights read the prompt without walking the body
// again; what they read must be what a walk finds.
TEST(DecodeInferenceRequestTest, TheLayoutReadsAsTheBodyDoes) {
  const std::vector<std::pair<InferenceKind, std::string>> bodies = {
      {InferenceKind::kChat,
       R"({"model":"m","messages":[{"role":"system","content":"Be brief."},
           {"role":"user","content":"first"},{"role":"assistant","content":null},
           {"role":"developer","content":[{"type":"text","text":"More rules"}]},
           {"role":"user","content":[{"type":"text","text":"second \u00e9"}]}],
         "tools":[{"type":"function","function":{"name":"get_weather"}}]})"},
      {InferenceKind::kMessages,
       R"({"model":"m","max_tokens":5,"system":[{"type":"text","text":"You are Claude Code."}],
         "messages":[{"role":"user","content":"fix it"},{"role":"assistant","content":"ok"},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"x"}]}],
         "tools":[{"name":"Bash","input_schema":{}}]})"},
      {InferenceKind::kCompletion, R"({"model":"m","prompt":["once","upon"]})"},
  };
  for (const auto& [kind, body] : bodies) {
    InferenceRequest request;
    ASSERT_EQ(DecodeInferenceRequest(body, kind, request), "") << body;
    ASSERT_TRUE(request.layout.known);
    const bool chat = kind != InferenceKind::kCompletion;
    const accounting::insights::PromptText walked =
        accounting::insights::ReadPromptText(body, chat);
    const accounting::insights::PromptText laid_out =
        accounting::insights::ReadPromptTextOfLayout(body, request.layout, chat);
    EXPECT_EQ(laid_out.system, walked.system) << body;
    EXPECT_EQ(laid_out.user, walked.user) << body;
    EXPECT_EQ(laid_out.latest_user_size, walked.latest_user_size) << body;
    EXPECT_EQ(laid_out.tool_names, walked.tool_names) << body;
    EXPECT_EQ(laid_out.message_count, walked.message_count) << body;
    EXPECT_EQ(laid_out.tools_offered, walked.tools_offered) << body;
    EXPECT_FALSE(walked.user.empty()) << body;
  }
}

TEST(DecodeInferenceRequestTest, AResponsesBodyHasNoLayout) {
  InferenceRequest request;
  ASSERT_EQ(
      DecodeInferenceRequest(R"({"model":"m","input":"hi"})", InferenceKind::kResponses, request),
      "");
  EXPECT_FALSE(request.layout.known);
}

}  // namespace
}  // namespace gw::api

#include "providers/openai/openai_request.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gw::providers::openai {
namespace {

std::string Rewrite(const std::string& body, std::string_view model, bool stream) {
  std::vector<json::Member> members;
  const std::optional<json::ScanError> error = json::ScanObject(body, members);
  EXPECT_FALSE(error.has_value()) << error->message;
  std::string out = RewriteRequestBody(members, model, stream);
  EXPECT_FALSE(json::Validate(out).has_value()) << out;
  return out;
}

TEST(IsRouterOnlyFieldTest, NamesTheRouterExtensions) {
  for (const char* key : {"models", "provider", "route", "transforms", "usage", "session_id"}) {
    EXPECT_TRUE(IsRouterOnlyField(key)) << key;
  }
  for (const char* key : {"model", "messages", "stream", "stream_options", "user", "tools", ""}) {
    EXPECT_FALSE(IsRouterOnlyField(key)) << key;
  }
}

TEST(RewriteRequestBodyTest, ReplacesModelAndCopiesTheRestByteForByte) {
  const std::string body =
      "{ \"model\" : \"openai/gpt-4o\",\n  \"messages\": [ {\"role\": \"user\", \"content\": "
      "\"caf\xC3\xA9 \\\"q\\\" \\u00e9\\n\"} ],\n  \"temperature\": 0.70, \"stop\": null,"
      " \"tools\": [{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}] }";
  EXPECT_EQ(Rewrite(body, "gpt-4o-2024-08-06", false),
            "{\"model\":\"gpt-4o-2024-08-06\",\"messages\":[ {\"role\": \"user\", \"content\": "
            "\"caf\xC3\xA9 \\\"q\\\" \\u00e9\\n\"} ],\"temperature\":0.70,\"stop\":null,"
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]}");
}

TEST(RewriteRequestBodyTest, KeepsMemberOrder) {
  EXPECT_EQ(Rewrite(R"({"messages":[],"n":2,"model":"a","user":"u"})", "b", false),
            R"({"messages":[],"n":2,"model":"b","user":"u"})");
}

TEST(RewriteRequestBodyTest, AddsAMissingModelFirst) {
  EXPECT_EQ(Rewrite(R"({"models":["a","b"],"messages":[]})", "a-upstream", false),
            R"({"model":"a-upstream","messages":[]})");
  EXPECT_EQ(Rewrite("{}", "m", false), R"({"model":"m"})");
}

TEST(RewriteRequestBodyTest, EscapesTheUpstreamModel) {
  EXPECT_EQ(Rewrite(R"({"model":"x"})", "we\"ird\\model\n\xC3\xA9", false),
            "{\"model\":\"we\\\"ird\\\\model\\n\xC3\xA9\"}");
}

TEST(RewriteRequestBodyTest, DropsEachRouterOnlyField) {
  const char* fields[] = {"models", "provider", "route", "transforms", "usage", "session_id"};
  for (const char* field : fields) {
    const std::string body = std::string(R"({"model":"m",")") + field +
                             R"(":{"order":["a"],"x":[1,{"y":"}"}]},"messages":[]})";
    EXPECT_EQ(Rewrite(body, "u", false), R"({"model":"u","messages":[]})") << field;
  }
  const std::string all =
      R"({"models":["a"],"provider":{"sort":"price"},"model":"m","route":"fallback",)"
      R"("transforms":["middle-out"],"usage":{"include":true},"session_id":"s1","user":"u1"})";
  EXPECT_EQ(Rewrite(all, "u", false), R"({"model":"u","user":"u1"})");
  // An escaped spelling still names the router's field.
  EXPECT_EQ(Rewrite(R"({"model":"m","pro\u0076ider":{},"user":"u1"})", "u", false),
            R"({"model":"u","user":"u1"})");
}

TEST(RewriteRequestBodyTest, StreamAddsStreamOptionsWhenAbsent) {
  EXPECT_EQ(Rewrite(R"({"model":"m","stream":true,"messages":[]})", "u", true),
            R"({"model":"u","stream":true,"messages":[],"stream_options":{"include_usage":true}})");
}

TEST(RewriteRequestBodyTest, StreamReplacesNullOrNonObjectStreamOptions) {
  for (const char* value : {"null", "\"yes\"", "true", "[]", "1"}) {
    const std::string body =
        std::string(R"({"model":"m","stream_options":)") + value + R"(,"stream":true})";
    EXPECT_EQ(Rewrite(body, "u", true),
              R"({"model":"u","stream_options":{"include_usage":true},"stream":true})")
        << value;
  }
}

TEST(RewriteRequestBodyTest, StreamMergesIntoClientStreamOptions) {
  EXPECT_EQ(Rewrite(R"({"stream":true,"stream_options":{"include_usage":false,)"
                    R"("continuous_usage_stats":true, "x" : [1,2]},"model":"m"})",
                    "u", true),
            R"({"stream":true,"stream_options":{"continuous_usage_stats":true,"x":[1,2],)"
            R"("include_usage":true},"model":"u"})");
  EXPECT_EQ(Rewrite(R"({"model":"m","stream":true,"stream_options":{}})", "u", true),
            R"({"model":"u","stream":true,"stream_options":{"include_usage":true}})");
  EXPECT_EQ(Rewrite(R"({"model":"m","stream":true,"stream_options":{"include_\u0075sage":0}})", "u",
                    true),
            R"({"model":"u","stream":true,"stream_options":{"include_usage":true}})");
}

TEST(RewriteRequestBodyTest, NonStreamDropsStreamOptions) {
  EXPECT_EQ(Rewrite(R"({"model":"m","stream_options":{"include_usage":false},"n":1})", "u", false),
            R"({"model":"u","n":1})");
  EXPECT_EQ(Rewrite(R"({"model":"m","stream":false})", "u", false),
            R"({"model":"u","stream":false})");
}

TEST(RewriteRequestBodyTest, WorksForCompletionsBodies) {
  const std::string body =
      R"({"model":"m","prompt":["Say \"this\"", "x"],"max_tokens":7,"echo":false,)"
      R"("provider":{"only":["a"]},"stream":true})";
  const std::string out = Rewrite(body, "gpt-3.5-turbo-instruct", true);
  EXPECT_EQ(out,
            R"({"model":"gpt-3.5-turbo-instruct","prompt":["Say \"this\"", "x"],"max_tokens":7,)"
            R"("echo":false,"stream":true,"stream_options":{"include_usage":true}})");
  EXPECT_EQ(nlohmann::json::parse(out)["prompt"][0], "Say \"this\"");
}

}  // namespace
}  // namespace gw::providers::openai

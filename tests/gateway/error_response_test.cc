#include "gateway/error_response.h"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "providers/errors.h"

namespace gw {
namespace {

using nlohmann::json;
using providers::Errc;

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

TEST(ErrorBodyTest, HasCodeAndMessageAndNoMetadataByDefault) {
  const json body = json::parse(ErrorBody(404, "model \"nope\" is not in the catalogue"));
  EXPECT_EQ(body, json::parse(R"({"error":{"code":404,
                                           "message":"model \"nope\" is not in the catalogue"}})"));
  EXPECT_FALSE(body["error"].contains("metadata"));
}

TEST(ErrorBodyTest, AnthropicShapeHasTheTypeOfItsStatus) {
  const json metadata = {{"raw", "upstream said no"}};
  EXPECT_EQ(json::parse(ErrorBody(ErrorShape::kAnthropic, 404, "no such model", json::object())),
            json::parse(R"({"type":"error","error":{"type":"not_found_error",
                                                      "message":"no such model"}})"));
  EXPECT_EQ(json::parse(ErrorBody(ErrorShape::kAnthropic, 503, "busy", metadata)),
            json::parse(R"({"type":"error","error":{"type":"overloaded_error","message":"busy",
                                                      "metadata":{"raw":"upstream said no"}}})"));
  const std::pair<int, std::string_view> types[] = {{400, "invalid_request_error"},
                                                    {401, "authentication_error"},
                                                    {402, "billing_error"},
                                                    {403, "permission_error"},
                                                    {404, "not_found_error"},
                                                    {408, "invalid_request_error"},
                                                    {413, "request_too_large"},
                                                    {429, "rate_limit_error"},
                                                    {500, "api_error"},
                                                    {502, "api_error"},
                                                    {503, "overloaded_error"},
                                                    {529, "overloaded_error"}};
  for (const auto& [status, type] : types) {
    const json body = json::parse(ErrorBody(ErrorShape::kAnthropic, status, "m", json::object()));
    EXPECT_EQ(body["error"]["type"], type) << status;
  }
  // The OpenAI shape is the default one.
  EXPECT_EQ(ErrorBody(ErrorShape::kOpenAi, 400, "bad", json::object()), ErrorBody(400, "bad"));
}

TEST(ErrorBodyTest, AnthropicClientsGetOverloadedAs529) {
  EXPECT_EQ(WireStatus(ErrorShape::kAnthropic, 503), 529);
  EXPECT_EQ(WireStatus(ErrorShape::kAnthropic, 502), 502);
  EXPECT_EQ(WireStatus(ErrorShape::kAnthropic, 429), 429);
  EXPECT_EQ(WireStatus(ErrorShape::kOpenAi, 503), 503);
}

TEST(ErrorBodyTest, AnthropicErrorEventEndsAStream) {
  const std::string event = AnthropicErrorEvent(502, "provider broke", "raw text");
  ASSERT_TRUE(event.starts_with("event: error\ndata: ")) << event;
  ASSERT_TRUE(event.ends_with("\n\n")) << event;
  const std::string data =
      event.substr(std::string_view("event: error\ndata: ").size(),
                   event.size() - 2 - std::string_view("event: error\ndata: ").size());
  EXPECT_EQ(json::parse(data), json::parse(R"({"type":"error","error":{"type":"api_error",
      "message":"provider broke","metadata":{"raw":"raw text"}}})"));
}

TEST(ErrorBodyTest, OmitsEmptyMetadata) {
  const json body = json::parse(ErrorBody(400, "bad", json::object()));
  EXPECT_EQ(body, json::parse(R"({"error":{"code":400,"message":"bad"}})"));
}

TEST(ErrorBodyTest, IncludesMetadataWhenGiven) {
  const json metadata = {{"provider_name", "openai"}, {"raw", "upstream said no"}};
  const json body = json::parse(ErrorBody(502, "provider error", metadata));
  EXPECT_EQ(body, json::parse(R"({"error":{"code":502,"message":"provider error",
      "metadata":{"provider_name":"openai","raw":"upstream said no"}}})"));
}

TEST(ErrorBodyTest, CarriesAnAvailabilityObject) {
  const json metadata = {{"code", "no_endpoints"},
                         {"requested_models", {"a/b"}},
                         {"excluded_by", {{{"provider", "p1"}, {"reason", "max_price"}}}}};
  const json body = json::parse(ErrorBody(503, "no provider meets the requirements", metadata));
  EXPECT_EQ(body["error"]["code"], 503);
  EXPECT_EQ(body["error"]["metadata"], metadata);
}

TEST(ErrorBodyTest, IsOneLine) {
  const std::string body = ErrorBody(400, "x", {{"k", "v"}});
  EXPECT_EQ(body.find('\n'), std::string::npos);
}

TEST(ErrorBodyTest, EscapesTheMessage) {
  const std::string message = "quote \" backslash \\ newline \n tab \t";
  const json body = json::parse(ErrorBody(400, message));
  EXPECT_EQ(body["error"]["message"], message);
}

TEST(ErrorBodyTest, InvalidUtf8InTheMessageDoesNotThrow) {
  std::string body;
  ASSERT_NO_THROW(body = ErrorBody(502, "bad \xFF byte"));
  const json parsed = json::parse(body);
  EXPECT_EQ(parsed["error"]["message"],
            std::string("bad ").append(kReplacementCharacter).append(" byte"));
  EXPECT_EQ(parsed["error"]["code"], 502);
}

TEST(ErrorBodyTest, InvalidUtf8InTheMetadataDoesNotThrow) {
  std::string body;
  ASSERT_NO_THROW(body = ErrorBody(502, "provider error", {{"raw", "\xC3("}}));
  const json parsed = json::parse(body);
  EXPECT_EQ(parsed["error"]["metadata"]["raw"], std::string(kReplacementCharacter) + "(");
}

boost::system::error_code Upstream(Errc errc) { return providers::make_error_code(errc); }

TEST(StatusForUpstreamFailureTest, MapsEveryUpstreamErrorWithoutAStatus) {
  const std::vector<std::pair<Errc, int>> table = {
      {Errc::kResolveFailed, 502},  {Errc::kConnectFailed, 502},     {Errc::kTlsFailed, 502},
      {Errc::kConnectTimeout, 502}, {Errc::kFirstByteTimeout, 408},  {Errc::kIdleTimeout, 408},
      {Errc::kTotalTimeout, 408},   {Errc::kMalformedResponse, 502}, {Errc::kStreamBroken, 502},
      {Errc::kUpstreamError, 502},  {Errc::kClientGone, 499},        {Errc::kUnsupported, 400},
  };
  for (const auto& [errc, status] : table) {
    SCOPED_TRACE(Upstream(errc).message());
    EXPECT_EQ(StatusForUpstreamFailure(Upstream(errc), 0), status);
    // The provider's status only matters for kUpstreamStatus.
    EXPECT_EQ(StatusForUpstreamFailure(Upstream(errc), 429), status);
  }
}

TEST(StatusForUpstreamFailureTest, MapsTheProvidersStatus) {
  const std::vector<std::pair<int, int>> table = {
      {429, 429}, {400, 400}, {422, 400}, {413, 413}, {408, 408}, {401, 502},
      {403, 502}, {404, 502}, {402, 502}, {409, 502}, {500, 502}, {502, 502},
      {503, 502}, {504, 502}, {0, 502},   {529, 503},  // Anthropic's "overloaded"
  };
  for (const auto& [upstream, status] : table) {
    SCOPED_TRACE(upstream);
    EXPECT_EQ(StatusForUpstreamFailure(Upstream(Errc::kUpstreamStatus), upstream), status);
  }
}

TEST(StatusForUpstreamFailureTest, ErrorsOfOtherCategoriesAre502) {
  EXPECT_EQ(StatusForUpstreamFailure(boost::asio::error::connection_reset, 0), 502);
  EXPECT_EQ(StatusForUpstreamFailure(boost::asio::error::timed_out, 0), 502);
  // Same numeric value as kFirstByteTimeout, but not the upstream category.
  EXPECT_EQ(
      StatusForUpstreamFailure(boost::system::error_code(static_cast<int>(Errc::kFirstByteTimeout),
                                                         boost::system::generic_category()),
                               0),
      502);
}

// Splits an SSE event into its JSON payload, checking the framing.
json ParseEvent(const std::string& event) {
  constexpr std::string_view kPrefix = "data: ";
  EXPECT_EQ(event.substr(0, kPrefix.size()), kPrefix);
  EXPECT_GE(event.size(), kPrefix.size() + 2);
  EXPECT_EQ(event.substr(event.size() - 2), "\n\n");
  const std::string payload = event.substr(kPrefix.size(), event.size() - kPrefix.size() - 2);
  EXPECT_EQ(payload.find('\n'), std::string::npos) << "a data line must not contain a newline";
  return json::parse(payload);
}

MidStreamError Failure(std::string_view id, std::string_view message) {
  MidStreamError error;
  error.id = id;
  error.model = "openai/gpt-4o-mini";
  error.provider = "openai";
  error.message = message;
  return error;
}

TEST(MidStreamErrorEventTest, HasEveryFieldOfTheFinalErrorChunk) {
  MidStreamError error = Failure("gen-1", "provider connection ended");
  error.raw = "upstream reset";
  const int64_t before = std::time(nullptr);
  const std::string event = MidStreamErrorEvent(error);
  const int64_t after = std::time(nullptr);
  const json chunk = ParseEvent(event);
  EXPECT_EQ(chunk["id"], "gen-1");
  EXPECT_EQ(chunk["object"], "chat.completion.chunk");
  ASSERT_TRUE(chunk["created"].is_number_integer());
  EXPECT_GE(chunk["created"].get<int64_t>(), before);
  EXPECT_LE(chunk["created"].get<int64_t>(), after);
  EXPECT_EQ(chunk["model"], "openai/gpt-4o-mini");
  EXPECT_EQ(chunk["provider"], "openai");
  EXPECT_EQ(chunk["error"], json::parse(R"({"code":502,"message":"provider connection ended",
      "metadata":{"provider_name":"openai","raw":"upstream reset"}})"));
  EXPECT_EQ(chunk["choices"], json::parse(R"([{"index":0,"delta":{"content":""},
      "finish_reason":"error","native_finish_reason":"error"}])"));
  EXPECT_EQ(chunk.size(), 7u) << chunk.dump();
}

TEST(MidStreamErrorEventTest, UsesTheGivenCodeAndObject) {
  MidStreamError error = Failure("gen-2", "stream stalled");
  error.object = "text_completion";
  error.code = 408;
  const json chunk = ParseEvent(MidStreamErrorEvent(error));
  EXPECT_EQ(chunk["object"], "text_completion");
  EXPECT_EQ(chunk["error"]["code"], 408);
  EXPECT_EQ(chunk["error"]["message"], "stream stalled");
  EXPECT_EQ(chunk["choices"][0]["finish_reason"], "error");
}

TEST(MidStreamErrorEventTest, MetadataHasNoRawWithoutUpstreamText) {
  const json chunk = ParseEvent(MidStreamErrorEvent(Failure("gen-3", "x")));
  EXPECT_EQ(chunk["error"]["metadata"], json::parse(R"({"provider_name":"openai"})"));
}

TEST(MidStreamErrorEventTest, OmitsEmptyMetadataAndProvider) {
  MidStreamError error;
  error.id = "gen-4";
  error.model = "m";
  error.message = "lost";
  const json chunk = ParseEvent(MidStreamErrorEvent(error));
  EXPECT_FALSE(chunk["error"].contains("metadata"));
  EXPECT_FALSE(chunk.contains("provider"));
  EXPECT_EQ(chunk["choices"][0]["finish_reason"], "error");
}

TEST(MidStreamErrorEventTest, InvalidUtf8DoesNotThrow) {
  MidStreamError error = Failure("gen-4", "bad \xFF");
  error.raw = "\xFE raw";
  std::string event;
  ASSERT_NO_THROW(event = MidStreamErrorEvent(error));
  const json chunk = ParseEvent(event);
  EXPECT_EQ(chunk["error"]["message"], std::string("bad ").append(kReplacementCharacter));
  EXPECT_EQ(chunk["error"]["metadata"]["raw"], std::string(kReplacementCharacter) + " raw");
}

TEST(MidStreamErrorEventTest, EscapesNewlinesInsideTheDataLine) {
  const json chunk = ParseEvent(MidStreamErrorEvent(Failure("gen-5", "line1\nline2\r\n\ndata: x")));
  EXPECT_EQ(chunk["error"]["message"], "line1\nline2\r\n\ndata: x");
}

}  // namespace
}  // namespace gw

#include "gateway/simulator/sim_responses.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gw::simulator {
namespace {

using nlohmann::json;

TEST(SimResponsesTest, ErrorBodyHasTheOpenAiShape) {
  const json body = json::parse(ErrorBody("bad \"x\"", "invalid_request_error", ""));
  EXPECT_EQ(body["error"]["message"], "bad \"x\"");
  EXPECT_EQ(body["error"]["type"], "invalid_request_error");
  EXPECT_TRUE(body["error"]["code"].is_null());
  EXPECT_TRUE(body["error"]["param"].is_null());
}

TEST(SimResponsesTest, SimulatedErrorsUseOpenAiTypes) {
  const json limited = json::parse(SimulatedErrorBody(429));
  EXPECT_EQ(limited["error"]["type"], "rate_limit_error");
  EXPECT_EQ(limited["error"]["code"], "rate_limit_exceeded");
  const json unavailable = json::parse(SimulatedErrorBody(503));
  EXPECT_EQ(unavailable["error"]["type"], "server_error");
  EXPECT_NE(unavailable["error"]["message"].get<std::string>().find("503"), std::string::npos);
  EXPECT_EQ(json::parse(SimulatedErrorBody(400))["error"]["type"], "invalid_request_error");
}

TEST(SimResponsesTest, ModelNamesAreEscaped) {
  const ResponseIdentity identity{Api::kChat, "chatcmpl-sim-1", 1, "we\"ird\nmodel"};
  const ChoiceText choice{"hi", "stop"};
  const json body = json::parse(BuildCompletionBody(identity, {&choice, 1}, nullptr));
  EXPECT_EQ(body["model"], "we\"ird\nmodel");
  EXPECT_FALSE(body.contains("usage"));
}

}  // namespace
}  // namespace gw::simulator

#include "dialects/finish_reason.h"

#include <gtest/gtest.h>

namespace gw::dialects {
namespace {

TEST(NormalizeFinishReasonTest, MapsKnownReasons) {
  const std::pair<const char*, const char*> cases[] = {
      {"stop", "stop"},
      {"eos", "stop"},
      {"end_turn", "stop"},
      {"stop_sequence", "stop"},
      {"length", "length"},
      {"max_tokens", "length"},
      {"model_length", "length"},
      {"tool_calls", "tool_calls"},
      {"function_call", "tool_calls"},
      {"tool_use", "tool_calls"},
      {"content_filter", "content_filter"},
      {"safety", "content_filter"},
      {"recitation", "content_filter"},
      {"refusal", "content_filter"},
      {"error", "error"},
      {"abort", "error"},
      {"cancelled", "error"},
      {"STOP", "stop"},
      {"MAX_TOKENS", "length"},
      {"SAFETY", "content_filter"},
  };
  for (const auto& [native, normalized] : cases) {
    EXPECT_EQ(NormalizeFinishReason(native), normalized) << native;
  }
}

TEST(NormalizeFinishReasonTest, UnknownReasonsMeanStop) {
  for (const char* native : {"", "weird", "stopped", "length ", "tool_calls2"}) {
    EXPECT_EQ(NormalizeFinishReason(native), "stop") << native;
  }
}

}  // namespace
}  // namespace gw::dialects

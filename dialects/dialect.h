// The wire dialects the gateway speaks, inbound (what a client sent) and outbound (what an
// endpoint's provider understands), and their names in records, metrics and docs.
// Plain enum and pure functions; any thread.
#pragma once

#include <string_view>

namespace gw::dialects {

enum class Dialect {
  kChatCompletions,    // OpenAI POST /v1/chat/completions
  kCompletions,        // OpenAI legacy POST /v1/completions
  kAnthropicMessages,  // Anthropic POST /v1/messages
  kResponses,          // OpenAI POST /v1/responses
};

// "chat_completions", "completions", "messages", "responses": the `api` of a usage record.
std::string_view DialectName(Dialect dialect);

// The family an endpoint must speak to take a request of `inbound` as it is (passthrough):
// the OpenAI dialects (Responses included) belong to an OpenAI-compatible endpoint, Messages to
// an Anthropic one.
enum class ApiFamily { kOpenAi, kAnthropic };
ApiFamily FamilyOf(Dialect inbound);

// The last event of an Anthropic Messages stream, exactly as the gateway writes it (its
// encoder and the passthrough relay both end so; the gateway holds it back until the usage
// record is queued, as it holds back a chat stream's "data: [DONE]").
inline constexpr std::string_view kMessageStopEvent =
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

}  // namespace gw::dialects

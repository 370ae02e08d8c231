// Hop 3 of the data path: decodes and validates a /chat/completions or /completions body into
// the few facts the gateway decides on, without copying or re-serializing the body (the
// members are views into it). Pure; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/insights/prompt_layout.h"
#include "base/json/json_scan.h"
#include "routing/preferences.h"

namespace gw::api {

// The inference APIs, by route: /chat/completions, /completions, /messages (Anthropic),
// /responses (OpenAI Responses).
enum class InferenceKind { kChat, kCompletion, kMessages, kResponses };

struct InferenceRequest {
  InferenceKind kind = InferenceKind::kChat;
  std::vector<json::Member> members;  // views into the body; valid while it lives
  std::string model;                  // as requested (may carry a :variant suffix)
  std::vector<std::string> models;    // router fallback list, may be empty
  bool stream = false;
  std::optional<int64_t> max_tokens;  // max_tokens, max_completion_tokens or max_output_tokens
  std::string user;
  std::string session_id;
  routing::ProviderPreferences preferences;  // the `provider` object
  // The OpenAI parameters the body sets (every top-level field but the model, the input, the
  // stream switches and the router's own): filled only when provider.require_parameters is on.
  std::vector<std::string> parameters;
  // Where the prompt's parts are in the body, for the insights (not for a Responses body).
  accounting::insights::PromptLayout layout;
};

// Fills `out` from `body`. Returns an empty string when the body is acceptable, else a message
// naming the problem for a 400 ("request body is not valid JSON: ... at byte 12",
// "messages[2].role: expected a string", "temperature: expected a number"). A Messages body
// also needs `max_tokens`; its end user is metadata.user_id. Only the top level and the
// messages' roles and content kinds are checked here: a body that passes through to an
// Anthropic endpoint is Anthropic's to validate, one that is translated is checked whole by its
// decoder (dialects/anthropic). A Responses body needs `input` (checked whole by
// dialects/openai_responses); its token limit is max_output_tokens, its end user `user` or
// `safety_identifier`.
std::string DecodeInferenceRequest(std::string_view body, InferenceKind kind,
                                   InferenceRequest& out);

}  // namespace gw::api

// Maps the finish reasons that upstream providers report onto the five the router's API promises
// (stop | length | tool_calls | content_filter | error); the raw value travels separately as
// native_finish_reason. Shared by the OpenAI adapter and the chat codec; pure, any thread.
#pragma once

#include <string_view>

namespace gw::dialects {

// Returns one of "stop", "length", "tool_calls", "content_filter", "error" (static storage).
// Matching ignores ASCII case (Gemini reports "STOP", "MAX_TOKENS"):
//   stop           <- stop, eos, end_turn, stop_sequence
//   length         <- length, max_tokens, model_length
//   tool_calls     <- tool_calls, function_call, tool_use
//   content_filter <- content_filter, safety, recitation, refusal, prohibited_content, blocklist,
//                     spii
//   error          <- error, abort, cancelled, canceled
//   stop           <- anything else (including ""): an unknown reason still means "it ended".
std::string_view NormalizeFinishReason(std::string_view native);

}  // namespace gw::dialects

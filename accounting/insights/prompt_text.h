// The part of a request's prompt that the insight detectors read (language, task category):
// the system instructions, the user turns and the names of the tools offered. Finding the
// messages parses the whole body, a cost that grows with its size; only the kept prefix of each
// text is unescaped, and each part is capped, so the detectors read a few KiB at most. Built on
// the accounting consumer thread from the request body the record carries; any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/insights/prompt_layout.h"

namespace gw::accounting::insights {

// At most this many bytes of each part are kept (cut at a UTF-8 character boundary).
inline constexpr size_t kMaxSystemTextBytes = 2048;
inline constexpr size_t kMaxUserTextBytes = 6144;

struct PromptText {
  std::string system;  // system / developer instructions, in order, joined by "\n"
  std::string user;    // the user turns' text, the latest turn first, joined by "\n"
  // user[0, *latest_user_size) is the latest turn's text, possibly empty (an Anthropic user turn
  // of tool results only); the rest, after a "\n" when both have text, is the older turns'.
  // nullopt: not marked, all of `user` is one turn.
  std::optional<size_t> latest_user_size;
  std::vector<std::string> tool_names;  // the tools offered, in order (at most 64)
  int64_t message_count = 0;            // the conversation's messages (chat and Messages bodies)
  bool tools_offered = false;           // a non-empty `tools` (or legacy `functions`) list
};

// Reads `body`, a request body of the chat completions, Anthropic Messages or (legacy)
// completions API (`chat` false: a `prompt` string or list of strings). A body that is not a
// JSON object gives an empty PromptText.
PromptText ReadPromptText(std::string_view body, bool chat);

// ReadPromptText for a body known to be valid JSON (the gateway's request path validated it, or
// built it): the same result without the validating pass. On other text the result is
// unspecified (nothing outside `body` is read).
PromptText ReadValidatedPromptText(std::string_view body, bool chat);

// ReadValidatedPromptText with the body's layout as its validation found it (prompt_layout.h):
// the same result without walking the body, only the spans of the sample are read. A layout
// that is not `known` walks the body.
PromptText ReadPromptTextOfLayout(std::string_view body, const PromptLayout& layout, bool chat);

}  // namespace gw::accounting::insights

// The part of a request's prompt that the insight detectors read (language, task category):
// the system instructions, the user turns and the names of the tools offered, unescaped and
// capped so that a 400 KB prompt costs what a 10 KB one does. Built on the accounting consumer
// thread from the request body the record carries; any thread, no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw::accounting::insights {

// At most this many bytes of each part are kept (cut at a UTF-8 character boundary).
inline constexpr size_t kMaxSystemTextBytes = 2048;
inline constexpr size_t kMaxUserTextBytes = 6144;

struct PromptText {
  std::string system;           // system / developer instructions, in order, joined by "\n"
  std::string user;             // the user turns' text, the latest turn first, joined by "\n"
  size_t latest_user_size = 0;  // user[0, latest_user_size) is the latest turn's text
  std::vector<std::string> tool_names;  // the tools offered, in order (at most 64)
  int64_t message_count = 0;            // the conversation's messages (chat and Messages bodies)
  bool tools_offered = false;           // a non-empty `tools` (or legacy `functions`) list
};

// Reads `body`, a request body of the chat completions, Anthropic Messages or (legacy)
// completions API (`chat` false: a `prompt` string or list of strings). A body that is not a
// JSON object gives an empty PromptText.
PromptText ReadPromptText(std::string_view body, bool chat);

}  // namespace gw::accounting::insights

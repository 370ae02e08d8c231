// Where the parts of a request body that the insights read are: byte spans of the values of the
// top-level `system`, `prompt`, `tools` and `functions` and of each message's `content`, with the
// message's role. The gateway's request path fills it while it validates the body (it walks the
// messages anyway), so that the accounting consumer reads the prompt sample
// (ReadPromptTextOfLayout, prompt_text.h) without walking a large body again; ReadPromptText
// builds one itself by walking. Plain value; any thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::accounting::insights {

// A JSON value of the body: [offset, offset + size) of its text, and its kind; size 0 = absent.
struct PromptSpan {
  uint32_t offset = 0;
  uint32_t size = 0;
  gw::json::ValueKind kind = gw::json::ValueKind::kNull;
};

enum class PromptRole : uint8_t {
  kOther,   // assistant, tool, function
  kSystem,  // system or developer
  kUser,
};

struct PromptMessage {
  PromptRole role = PromptRole::kOther;
  PromptSpan content;  // absent when the message has none
};

struct PromptLayout {
  bool known = false;  // filled (the spans index the body it was made from)
  PromptSpan system;   // Anthropic's top-level `system`
  PromptSpan prompt;   // the legacy completions API's `prompt`
  PromptSpan tools;
  PromptSpan functions;
  std::vector<PromptMessage> messages;  // every message, in order
};

// The span of `value`, a view into `body`.
PromptSpan SpanOf(std::string_view body, std::string_view value, gw::json::ValueKind kind);

// Sets the top-level spans and `known` from the body's top-level members (views into `body`).
void SetTopLevelSpans(std::string_view body, const std::vector<gw::json::Member>& members,
                      PromptLayout& layout);

// Appends one message from its members (views into `body`): its role class and content span.
void AppendMessage(std::string_view body, const std::vector<gw::json::Member>& message,
                   PromptLayout& layout);

}  // namespace gw::accounting::insights

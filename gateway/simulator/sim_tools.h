// The tool_call option's answers: which tool of a request gets called and with what input. The
// input is a small deterministic JSON object built from the tool's JSON schema, so a client that
// validates it against the schema mostly accepts it. Works on spans of an already validated
// request body (OpenAI chat, OpenAI Responses or Anthropic `tools`); pure, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gw::simulator {

enum class ToolDialect {
  kOpenAi,     // [{"type":"function","function":{"name","parameters"}}], tool_choice "none" /
               // {"type":"function","function":{"name"}}
  kAnthropic,  // [{"name","input_schema"}], tool_choice {"type":"none"|"auto"|"any"|"tool"}
  // The Responses API: [{"type":"function","name","parameters"}] (tools of other types are
  // built-in ones, never called), tool_choice "none" / {"type":"function","name"}; a built-in
  // tool's choice ({"type":"web_search_preview"}, ...) calls nothing.
  kOpenAiResponses,
};

struct ToolCall {
  std::string name;   // JSON-escaped as in the request, without quotes
  std::string input;  // a JSON object, e.g. {"city":"river","days":1}
};

// The call to answer with, or nullopt when the request offers no named tool or tool_choice says
// none. `tools` and `tool_choice` are value spans of a validated body (empty = absent). The
// chosen tool is the one tool_choice names, else the first tool with a name (for
// kOpenAiResponses: the first of type "function"). Its input has one member per schema property
// (document order): a string is a word of sim_text (seeded by `seed`), a number or integer 1, a
// boolean true, an array [], anything else {}; a property with an `enum` takes its first value.
// No schema or no properties: {}.
std::optional<ToolCall> PickToolCall(ToolDialect dialect, std::string_view tools,
                                     std::string_view tool_choice, uint64_t seed);

// Splits `text` into pieces of at most `max_bytes` (>= 4) without cutting a UTF-8 sequence; the
// pieces concatenate to `text`. An empty text gives no pieces.
std::vector<std::string_view> SplitPieces(std::string_view text, size_t max_bytes);

// Bytes per streamed piece of tool input / arguments; each piece counts one output token.
inline constexpr size_t kToolPieceBytes = 8;

}  // namespace gw::simulator

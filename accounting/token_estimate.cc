#include "accounting/token_estimate.h"

#include <nlohmann/json.hpp>
#include <string>

namespace gw::accounting {
namespace {

using nlohmann::json;

// OpenAI's rule for its chat models (gpt-3.5-turbo-0613 onwards, gpt-4, gpt-4o).
constexpr int64_t kTokensPerMessage = 3;
constexpr int64_t kTokensPerName = 1;
constexpr int64_t kReplyPrimingTokens = 3;

int64_t CountString(const tokenizer::Tokenizer& tokenizer, const json& value) {
  if (!value.is_string()) return 0;
  return static_cast<int64_t>(tokenizer.Count(value.get_ref<const std::string&>()));
}

// A message's content: a string, or parts of which the text parts count; in a Messages body
// also thinking text, tool_use inputs (as JSON text) and tool_result contents.
int64_t CountContent(const tokenizer::Tokenizer& tokenizer, const json& content) {
  if (content.is_string()) return CountString(tokenizer, content);
  if (!content.is_array()) return 0;
  int64_t tokens = 0;
  for (const json& part : content) {
    if (!part.is_object()) continue;
    if (auto text = part.find("text"); text != part.end()) tokens += CountString(tokenizer, *text);
    if (auto thinking = part.find("thinking"); thinking != part.end()) {
      tokens += CountString(tokenizer, *thinking);
    }
    if (auto input = part.find("input"); input != part.end() && input->is_object()) {
      tokens += static_cast<int64_t>(tokenizer.Count(input->dump()));
    }
    if (auto result = part.find("content"); result != part.end()) {
      tokens += CountContent(tokenizer, *result);
    }
  }
  return tokens;
}

int64_t CountFunctionCall(const tokenizer::Tokenizer& tokenizer, const json& function) {
  if (!function.is_object()) return 0;
  int64_t tokens = 0;
  if (auto name = function.find("name"); name != function.end())
    tokens += CountString(tokenizer, *name);
  if (auto arguments = function.find("arguments"); arguments != function.end())
    tokens += CountString(tokenizer, *arguments);
  return tokens;
}

int64_t CountMessage(const tokenizer::Tokenizer& tokenizer, const json& message) {
  if (!message.is_object()) return 0;
  int64_t tokens = kTokensPerMessage;
  for (auto it = message.begin(); it != message.end(); ++it) {
    const std::string& key = it.key();
    if (key == "content") {
      tokens += CountContent(tokenizer, it.value());
    } else if (key == "role" || key == "tool_call_id") {
      tokens += CountString(tokenizer, it.value());
    } else if (key == "name") {
      tokens += CountString(tokenizer, it.value()) + kTokensPerName;
    } else if (key == "function_call") {
      tokens += CountFunctionCall(tokenizer, it.value());
    } else if (key == "tool_calls" && it.value().is_array()) {
      for (const json& call : it.value()) {
        if (call.is_object() && call.contains("function"))
          tokens += CountFunctionCall(tokenizer, call["function"]);
      }
    }
  }
  return tokens;
}

// A chat body, or an Anthropic Messages body (its top-level `system` counts as one message).
int64_t CountChat(const tokenizer::Tokenizer& tokenizer, const json& body) {
  int64_t tokens = 0;
  if (auto system = body.find("system"); system != body.end()) {
    tokens += kTokensPerMessage + CountContent(tokenizer, *system);
  }
  if (auto messages = body.find("messages"); messages != body.end() && messages->is_array()) {
    for (const json& message : *messages) tokens += CountMessage(tokenizer, message);
    tokens += kReplyPrimingTokens;
  }
  for (std::string_view key : {"tools", "functions"}) {
    auto definitions = body.find(key);
    if (definitions != body.end() && definitions->is_array() && !definitions->empty()) {
      tokens += static_cast<int64_t>(tokenizer.Count(definitions->dump()));
    }
  }
  return tokens;
}

int64_t CountLegacyPrompt(const tokenizer::Tokenizer& tokenizer, const json& body) {
  auto prompt = body.find("prompt");
  if (prompt == body.end()) return 0;
  if (prompt->is_string()) return CountString(tokenizer, *prompt);
  int64_t tokens = 0;
  if (prompt->is_array()) {
    for (const json& item : *prompt) tokens += CountString(tokenizer, item);
  }
  return tokens;
}

}  // namespace

int64_t CountPromptTokens(const tokenizer::Tokenizer& tokenizer, std::string_view request_body,
                          bool chat) {
  const json body = json::parse(request_body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return static_cast<int64_t>(tokenizer.Count(request_body));
  return chat ? CountChat(tokenizer, body) : CountLegacyPrompt(tokenizer, body);
}

int64_t CountCompletionTokens(const tokenizer::Tokenizer& tokenizer,
                              std::string_view escaped_text) {
  if (escaped_text.empty()) return 0;
  if (escaped_text.find('\\') == std::string_view::npos) {
    return static_cast<int64_t>(tokenizer.Count(escaped_text));
  }
  std::string quoted;
  quoted.reserve(escaped_text.size() + 2);
  quoted += '"';
  quoted += escaped_text;
  quoted += '"';
  const json text = json::parse(quoted, nullptr, /*allow_exceptions=*/false);
  if (!text.is_string()) return static_cast<int64_t>(tokenizer.Count(escaped_text));
  return static_cast<int64_t>(tokenizer.Count(text.get_ref<const std::string&>()));
}

void FillNormalizedCounts(GenerationRecord& record) {
  if (record.tokens_prompt >= 0 && record.tokens_completion >= 0) return;
  const tokenizer::Tokenizer& tokenizer = tokenizer::Tokenizer::Get(kNormalizedEncoding);
  record.tokens_prompt =
      record.prompt_source.empty()
          ? 0
          : CountPromptTokens(tokenizer, record.prompt_source, record.prompt_is_chat);
  record.tokens_completion = CountCompletionTokens(tokenizer, record.completion_source);
  std::string().swap(record.prompt_source);
  std::string().swap(record.completion_source);
}

}  // namespace gw::accounting

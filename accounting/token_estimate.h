// Local token counts, for when a provider reports no usage (the estimate) and for the normalized
// counts every record carries. The prompt is counted the way OpenAI documents for its chat
// models (the "num_tokens_from_messages" rule), an approximation of what a chat template adds:
//   3 tokens per message + the tokens of its role, content and name (+1 when a name is given)
//   + the function name and arguments of each tool call + the tokens of the tool result's id,
//   + the tokens of the `tools` array as compact JSON, + 3 tokens that prime the reply.
// Content given as parts counts the text parts; images, audio and files are not counted (their
// token cost depends on the provider). An Anthropic Messages body counts the same way, plus its
// top-level `system` as one message and, in content blocks, thinking text, tool_use inputs (as
// JSON text) and tool_result contents. Legacy completions count `prompt` (a string or a list of
// strings). Pure functions over a thread-safe tokenizer; any thread. docs/accounting.md.
#pragma once

#include <cstdint>
#include <string_view>

#include "accounting/generation_record.h"
#include "accounting/tokenizer/tokenizer.h"

namespace gw::accounting {

// Prompt tokens of a /chat/completions or /messages (`chat`) or /completions request body (JSON). A
// body that is not valid JSON counts as plain text.
int64_t CountPromptTokens(const tokenizer::Tokenizer& tokenizer, std::string_view request_body,
                          bool chat);

// Tokens of generated text given as escaped JSON string contents (CompletionFacts'
// completion_text, GenerationRecord::completion_source); unescaped first.
int64_t CountCompletionTokens(const tokenizer::Tokenizer& tokenizer, std::string_view escaped_text);

// The encoding every record's normalized counts use, so that rankings compare models fairly.
inline constexpr tokenizer::Encoding kNormalizedEncoding = tokenizer::Encoding::kO200kBase;

// Fills tokens_prompt / tokens_completion from the record's prompt_source / completion_source
// with kNormalizedEncoding, then releases both sources. The accounting consumer calls it (off
// the request path); a no-op for a record already counted.
void FillNormalizedCounts(GenerationRecord& record);

}  // namespace gw::accounting

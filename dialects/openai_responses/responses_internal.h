// Helpers shared by the files of the Responses codec: a required-member check for the decoders;
// item ids, output items, the response object and its usage for the encoders, so a stream's
// final object and a whole response are built by the same code. Private to
// dialects/openai_responses/; pure, any thread.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "dialects/openai_chat/chat_internal.h"
#include "dialects/openai_responses/responses_codec.h"

namespace gw::dialects::openai_responses::internal {

// Reads the string `object[key]`; records "<path>.<key>: required" when it is absent or null
// (and the chat helpers' type error when it is not a string).
bool RequireString(const nlohmann::json& object, const char* key, const std::string& path,
                   std::string& out, openai_chat::internal::Errors& errors);

// "<prefix>_<suffix>_<index>", suffix = response_id without a leading "resp_" or "gen-".
std::string ItemId(std::string_view prefix, std::string_view response_id, size_t index);

// {"type":"output_text","text","annotations":[],"logprobs":[]}
nlohmann::ordered_json OutputText(const std::string& text);

// A message item; `content` is [] while in progress, else [OutputText(text)].
nlohmann::ordered_json MessageItem(const std::string& id, std::string_view status,
                                   nlohmann::ordered_json content);

// A reasoning item: summary [] when `summary` is empty, else one summary_text part;
// encrypted_content only when not empty.
nlohmann::ordered_json ReasoningItem(const std::string& id, const std::string& summary,
                                     const std::string& encrypted_content);

nlohmann::ordered_json FunctionCallItem(const std::string& id, std::string_view status,
                                        const std::string& call_id, const std::string& name,
                                        const std::string& arguments);

// How a response ended, from its normalized finish reason (ir.h): status, incomplete_details
// and error (both null unless they apply).
struct Outcome {
  std::string status;
  nlohmann::ordered_json incomplete_details;
  nlohmann::ordered_json error;
};
Outcome OutcomeOf(std::string_view finish_reason);

// The `error` member of a failed response: {code, message}; code "rate_limit_exceeded" for
// HTTP status 429, else "server_error" (OpenAI's codes; Codex retries on both).
nlohmann::ordered_json ErrorOf(int status, const std::string& message);

// A Responses usage object (see EncodeResponse), or null when there is no usage.
nlohmann::ordered_json UsageOf(const std::optional<TokenUsage>& usage, const nlohmann::json& extra);

// The whole response object, members in the order OpenAI writes them.
nlohmann::ordered_json ResponseObject(const std::string& id, const std::string& model,
                                      const ResponseContext& context, const Outcome& outcome,
                                      nlohmann::ordered_json output, nlohmann::ordered_json usage);

// JSON text; invalid UTF-8 replaced (upstream text is not trusted to be valid).
std::string Dump(const nlohmann::ordered_json& value);

}  // namespace gw::dialects::openai_responses::internal

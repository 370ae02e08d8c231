// Helpers shared by the files of the Chat Completions codec (chat_codec.h): JSON type checks that
// name the failing path, usage and finish-reason mapping, OpenRouter's reasoning_details.
// Private to the OpenAI dialects (dialects/openai_chat/, and dialects/openai_responses/, which
// shares the JSON checks and their error wording); pure, any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/ir.h"

namespace gw::dialects::openai_chat::internal {

// Collects the first error of a decode as "<path>: <what>".
class Errors {
 public:
  // Records the error (the first one wins) and returns false.
  bool Fail(std::string_view path, std::string_view what);
  bool ok() const { return message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// `object[key]`, or nullptr when `object` is not an object or the member is absent or null
// (null is treated as absent everywhere: SDKs send explicit nulls for unset fields).
const nlohmann::json* Find(const nlohmann::json& object, const char* key);

std::string Join(std::string_view path, std::string_view key);  // "a" + "b" -> "a.b"
std::string At(std::string_view path, size_t index);            // "a", 2 -> "a[2]"

// Typed reads of `object[key]` at `path`: false when absent or null (out untouched, no error)
// or of the wrong type (error recorded); true when `out` was set.
bool ReadString(const nlohmann::json& object, const char* key, std::string_view path,
                std::string& out, Errors& errors);
bool ReadInt(const nlohmann::json& object, const char* key, std::string_view path, int64_t& out,
             Errors& errors);
bool ReadBool(const nlohmann::json& object, const char* key, std::string_view path, bool& out,
              Errors& errors);
bool ReadNumber(const nlohmann::json& object, const char* key, std::string_view path, double& out,
                Errors& errors);

// The reasoning of an assistant message (request or response) as parts appended to
// `out`: OpenRouter's reasoning_details when it yields any ({type: "reasoning.text", text,
// signature} -> kThinking, {type: "reasoning.summary", summary} -> kThinking,
// {type: "reasoning.encrypted", data} -> kRedactedThinking; other types skipped), else the
// `reasoning` string, else `reasoning_content`.
bool DecodeMessageReasoning(const nlohmann::json& message, std::string_view path,
                            std::vector<Part>& out, Errors& errors);

// A chat usage object into TokenUsage; every member the IR has no field for goes to `extra`
// (an object, or null when there is none).
bool DecodeUsage(const nlohmann::json& usage, std::string_view path, TokenUsage& out,
                 nlohmann::json& extra, Errors& errors);

// TokenUsage (+ the members of `extra` not already set) as a chat usage object.
nlohmann::ordered_json EncodeUsage(const TokenUsage& usage, const nlohmann::json& extra);

// A part of `kind` with `text` (designated initializers of Part warn about the other members).
Part MakePart(Part::Kind kind, std::string text = "");

// The current time in seconds since the epoch (the `created` member).
int64_t NowSeconds();

}  // namespace gw::dialects::openai_chat::internal

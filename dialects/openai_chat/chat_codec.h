// The OpenAI Chat Completions dialect to and from the internal representation (dialects/ir.h):
// requests, whole responses and stream chunks. Used where the inbound dialect and the endpoint's
// differ; chat-to-OpenAI-compatible is passthrough (providers/openai/) and never comes here.
// Pure; any thread (one StreamDecoder / StreamEncoder per stream).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/ir.h"

namespace gw::dialects::openai_chat {

// Decodes a chat completions request body (already parsed). Returns "" when acceptable, else a
// message naming the field for a 400 ("messages[2].role: unknown role \"robot\"").
std::string DecodeRequest(const nlohmann::json& body, Request& out);

// Encodes `request` as a chat completions body with `model`.
nlohmann::json EncodeRequest(const Request& request, std::string_view model);

// Decodes a whole chat.completion (choice 0). Returns "" or what is wrong with it.
std::string DecodeResponse(const nlohmann::json& body, Response& out);

// Encodes a whole chat.completion as JSON text (one choice; `usage` with usage_extra merged).
std::string EncodeResponse(const Response& response);

// The `data:` payloads of a chat.completion.chunk stream into IR events.
class StreamDecoder {
 public:
  enum class Result { kContinue, kDone, kError, kMalformed };
  // `data` is one payload ("[DONE]" ends the stream: kDone).
  Result Decode(std::string_view data, std::vector<StreamEvent>& out);
  const std::string& error_message() const { return error_message_; }
  int error_status() const { return error_status_; }

 private:
  // A tool call in progress: the chunk's `index` for it and its id.
  struct ToolCallSlot {
    int64_t chunk_index = 0;
    std::string id;
  };
  void DecodeChoice(const nlohmann::json& choice, std::vector<StreamEvent>& out);
  void DecodeDelta(const nlohmann::json& delta, std::vector<StreamEvent>& out);
  void DecodeToolCall(const nlohmann::json& call, size_t position, std::vector<StreamEvent>& out);
  Result DecodeError(const nlohmann::json& error, std::vector<StreamEvent>& out);

  bool started_ = false;
  std::vector<ToolCallSlot> tool_calls_;  // IR index -> slot, in order of appearance
  std::string error_message_;
  int error_status_ = 0;
};

// IR events into chat.completion.chunk events ("data: <json>\n\n"); Finish() appends the usage
// chunk (choices: []) if a kUsage event came, then "data: [DONE]\n\n".
class StreamEncoder {
 public:
  void Encode(const StreamEvent& event, std::string& out);
  void Finish(std::string& out);

 private:
  // Appends "data: <chunk>\n\n" for a chunk with choice 0 `delta` and `finish_reason`.
  void AppendChunk(nlohmann::ordered_json delta, const nlohmann::ordered_json& finish_reason,
                   std::string& out);
  // The chunk's id, object, created and model members.
  nlohmann::ordered_json ChunkHead() const;
  // The gateway's mid-stream error chunk (API.md, Errors): code = status, or 502 when unknown.
  void AppendError(const StreamEvent& event, std::string& out);
  void Start(std::string& out);

  bool started_ = false;
  bool finished_ = false;
  std::string id_, model_;
  int64_t created_ = 0;
  std::optional<TokenUsage> usage_;
  nlohmann::json usage_extra_;
};

}  // namespace gw::dialects::openai_chat

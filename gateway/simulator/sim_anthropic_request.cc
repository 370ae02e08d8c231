#include "gateway/simulator/sim_anthropic_request.h"

#include <charconv>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::simulator {
namespace {

using json::ValueKind;

// Scratch vectors reused while walking the messages.
struct Scratch {
  std::vector<json::Element> blocks;
  std::vector<json::Member> fields;
  std::vector<json::Element> inner_blocks;
  std::vector<json::Member> inner_fields;
};

// Bytes of the `text` strings of an array of blocks (non-recursive).
uint64_t BlockTextBytes(std::string_view blocks_text, std::vector<json::Element>& blocks,
                        std::vector<json::Member>& fields) {
  uint64_t bytes = 0;
  json::ArrayElements(blocks_text, blocks);
  for (const json::Element& block : blocks) {
    json::ObjectMembers(block.value, fields);
    const json::Member* text = json::FindMember(fields, "text");
    if (text != nullptr && text->kind == ValueKind::kString) {
      bytes += json::StringContents(text->value).size();
    }
  }
  return bytes;
}

// Bytes of a string or of an array of blocks; sets *tool_result when a block is a tool_result.
uint64_t ContentBytes(const json::Member& content, Scratch& scratch, bool* tool_result) {
  if (content.kind == ValueKind::kString) return json::StringContents(content.value).size();
  if (content.kind != ValueKind::kArray) return 0;
  uint64_t bytes = BlockTextBytes(content.value, scratch.blocks, scratch.fields);
  // tool_result blocks carry their text in `content` (a string or blocks).
  for (const json::Element& block : scratch.blocks) {
    json::ObjectMembers(block.value, scratch.fields);
    const json::Member* type = json::FindMember(scratch.fields, "type");
    if (type == nullptr || type->kind != ValueKind::kString ||
        json::StringContents(type->value) != "tool_result") {
      continue;
    }
    *tool_result = true;
    const json::Member* inner = json::FindMember(scratch.fields, "content");
    if (inner == nullptr) continue;
    if (inner->kind == ValueKind::kString) {
      bytes += json::StringContents(inner->value).size();
    } else if (inner->kind == ValueKind::kArray) {
      bytes += BlockTextBytes(inner->value, scratch.inner_blocks, scratch.inner_fields);
    }
  }
  return bytes;
}

std::string ReadMessages(const json::Member* messages, uint64_t* bytes, MessagesRequest* out) {
  if (messages == nullptr) return "messages: Field required";
  if (messages->kind != ValueKind::kArray) return "messages: Input should be a valid list";
  std::vector<json::Element> elements;
  std::vector<json::Member> fields;
  Scratch scratch;
  json::ArrayElements(messages->value, elements);
  for (size_t i = 0; i < elements.size(); ++i) {
    if (elements[i].kind != ValueKind::kObject) {
      return "messages." + std::to_string(i) + ": Input should be a valid dictionary";
    }
    json::ObjectMembers(elements[i].value, fields);
    const json::Member* content = json::FindMember(fields, "content");
    bool tool_result = false;
    if (content != nullptr) *bytes += ContentBytes(*content, scratch, &tool_result);
    if (i + 1 == elements.size()) {
      const json::Member* role = json::FindMember(fields, "role");
      out->after_tool_result = tool_result && role != nullptr && role->kind == ValueKind::kString &&
                               json::StringContents(role->value) == "user";
    }
  }
  return "";
}

std::string ReadMaxTokens(const json::Member* max_tokens, MessagesRequest* out) {
  if (max_tokens == nullptr) return "max_tokens: Field required";
  int64_t value = 0;
  const char* end = max_tokens->value.data() + max_tokens->value.size();
  auto [ptr, ec] = std::from_chars(max_tokens->value.data(), end, value);
  if (max_tokens->kind != ValueKind::kNumber || ec != std::errc() || ptr != end) {
    return "max_tokens: Input should be a valid integer";
  }
  if (value < 1) return "max_tokens: Input should be greater than or equal to 1";
  out->max_tokens = value > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(value);
  return "";
}

// `thinking`: enabled/adaptive turn the thinking block on; anything else leaves it off.
void ReadThinking(const json::Member* thinking, MessagesRequest* out) {
  if (thinking == nullptr || thinking->kind != ValueKind::kObject) return;
  std::vector<json::Member> fields;
  json::ObjectMembers(thinking->value, fields);
  const json::Member* type = json::FindMember(fields, "type");
  if (type == nullptr || type->kind != ValueKind::kString) return;
  const std::string_view name = json::StringContents(type->value);
  out->thinking = name == "enabled" || name == "adaptive";
}

std::string_view ValueOf(const std::vector<json::Member>& members, std::string_view name) {
  const json::Member* member = json::FindMember(members, name);
  if (member == nullptr || member->kind == ValueKind::kNull) return {};
  return member->value;
}

}  // namespace

std::string ParseMessagesRequest(std::string_view body, MessagesEndpoint endpoint,
                                 MessagesRequest* out) {
  std::vector<json::Member> members;
  if (std::optional<json::ScanError> error = json::ScanObject(body, members)) {
    return "invalid JSON body at byte " + std::to_string(error->offset) + ": " + error->message;
  }
  const json::Member* model = json::FindMember(members, "model");
  if (model == nullptr) return "model: Field required";
  if (model->kind != ValueKind::kString) return "model: Input should be a valid string";
  std::optional<std::string> name = json::UnescapeString(json::StringContents(model->value));
  if (!name) return "model: Input should be a valid string";
  out->model = std::move(*name);
  if (endpoint == MessagesEndpoint::kCreate) {
    std::string error = ReadMaxTokens(json::FindMember(members, "max_tokens"), out);
    if (!error.empty()) return error;
    const json::Member* stream = json::FindMember(members, "stream");
    if (stream != nullptr && stream->kind != ValueKind::kNull) {
      if (stream->kind != ValueKind::kTrue && stream->kind != ValueKind::kFalse) {
        return "stream: Input should be a valid boolean";
      }
      out->stream = stream->kind == ValueKind::kTrue;
    }
  }
  uint64_t bytes = 0;
  std::string error = ReadMessages(json::FindMember(members, "messages"), &bytes, out);
  if (!error.empty()) return error;
  const json::Member* system = json::FindMember(members, "system");
  if (system != nullptr) {
    Scratch scratch;
    bool ignored = false;
    bytes += ContentBytes(*system, scratch, &ignored);
  }
  out->prompt_tokens = (bytes + 3) / 4;
  ReadThinking(json::FindMember(members, "thinking"), out);
  out->tools = ValueOf(members, "tools");
  out->tool_choice = ValueOf(members, "tool_choice");
  return "";
}

}  // namespace gw::simulator

#include "dialects/openai_chat/chat_internal.h"

#include <chrono>

namespace gw::dialects::openai_chat::internal {
namespace {

using nlohmann::json;

// Reads one non-negative count of a usage object; true when it was set (absent: out untouched).
bool ReadCount(const json& object, const char* key, std::string_view path, int64_t& out,
               Errors& errors) {
  int64_t value = 0;
  if (!ReadInt(object, key, path, value, errors)) return false;
  if (value < 0) return errors.Fail(Join(path, key), "expected a non-negative integer");
  out = value;
  return true;
}

bool DecodeDetail(const json& detail, std::string_view path, std::vector<Part>& out,
                  Errors& errors) {
  if (!detail.is_object()) return errors.Fail(path, "expected an object");
  std::string type;
  if (!ReadString(detail, "type", path, type, errors)) {
    if (errors.ok()) errors.Fail(Join(path, "type"), "required");
    return false;
  }
  Part part;
  if (type == "reasoning.text") {
    part.kind = Part::Kind::kThinking;
    ReadString(detail, "text", path, part.text, errors);
    ReadString(detail, "signature", path, part.signature, errors);
  } else if (type == "reasoning.summary") {
    part.kind = Part::Kind::kThinking;
    ReadString(detail, "summary", path, part.text, errors);
  } else if (type == "reasoning.encrypted") {
    part.kind = Part::Kind::kRedactedThinking;
    ReadString(detail, "data", path, part.text, errors);
  } else {
    return true;
  }
  if (errors.ok()) out.push_back(std::move(part));
  return errors.ok();
}

bool DecodeReasoningDetails(const json& details, std::string_view path, std::vector<Part>& out,
                            Errors& errors) {
  if (!details.is_array()) return errors.Fail(path, "expected an array");
  for (size_t i = 0; i < details.size(); ++i) {
    if (!DecodeDetail(details[i], At(path, i), out, errors)) return false;
  }
  return true;
}

}  // namespace

bool Errors::Fail(std::string_view path, std::string_view what) {
  if (message_.empty()) {
    message_.assign(path);
    message_ += ": ";
    message_ += what;
  }
  return false;
}

const json* Find(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Join(std::string_view path, std::string_view key) {
  std::string joined(path);
  if (!joined.empty()) joined += '.';
  joined += key;
  return joined;
}

std::string At(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

bool ReadString(const json& object, const char* key, std::string_view path, std::string& out,
                Errors& errors) {
  const json* value = Find(object, key);
  if (value == nullptr) return false;
  if (!value->is_string()) return errors.Fail(Join(path, key), "expected a string");
  out = value->get<std::string>();
  return true;
}

bool ReadInt(const json& object, const char* key, std::string_view path, int64_t& out,
             Errors& errors) {
  const json* value = Find(object, key);
  if (value == nullptr) return false;
  if (value->is_number_integer()) {
    out = value->get<int64_t>();
    return true;
  }
  if (value->is_number_float()) {
    double number = value->get<double>();
    // In range first: converting a double outside int64's range is undefined (1e28 was).
    if (number >= -0x1p63 && number < 0x1p63 &&
        number == static_cast<double>(static_cast<int64_t>(number))) {
      out = static_cast<int64_t>(number);
      return true;
    }
  }
  return errors.Fail(Join(path, key), "expected an integer");
}

bool ReadBool(const json& object, const char* key, std::string_view path, bool& out,
              Errors& errors) {
  const json* value = Find(object, key);
  if (value == nullptr) return false;
  if (!value->is_boolean()) return errors.Fail(Join(path, key), "expected a boolean");
  out = value->get<bool>();
  return true;
}

bool ReadNumber(const json& object, const char* key, std::string_view path, double& out,
                Errors& errors) {
  const json* value = Find(object, key);
  if (value == nullptr) return false;
  if (!value->is_number()) return errors.Fail(Join(path, key), "expected a number");
  out = value->get<double>();
  return true;
}

bool DecodeMessageReasoning(const json& message, std::string_view path, std::vector<Part>& out,
                            Errors& errors) {
  if (const json* details = Find(message, "reasoning_details")) {
    const size_t before = out.size();
    if (!DecodeReasoningDetails(*details, Join(path, "reasoning_details"), out, errors)) {
      return false;
    }
    if (out.size() > before) return true;
  }
  std::string text;
  if (!ReadString(message, "reasoning", path, text, errors) && errors.ok()) {
    ReadString(message, "reasoning_content", path, text, errors);
  }
  if (!text.empty()) out.push_back(MakePart(Part::Kind::kThinking, std::move(text)));
  return errors.ok();
}

bool DecodeUsage(const json& usage, std::string_view path, TokenUsage& out, json& extra,
                 Errors& errors) {
  if (!usage.is_object()) return errors.Fail(path, "expected an object");
  out = TokenUsage{};
  ReadCount(usage, "prompt_tokens", path, out.prompt_tokens, errors);
  ReadCount(usage, "completion_tokens", path, out.completion_tokens, errors);
  if (!ReadCount(usage, "total_tokens", path, out.total_tokens, errors) && errors.ok()) {
    out.total_tokens = AddCounts(out.prompt_tokens, out.completion_tokens);
  }
  const std::string prompt_path = Join(path, "prompt_tokens_details");
  const std::string completion_path = Join(path, "completion_tokens_details");
  if (const json* details = Find(usage, "prompt_tokens_details")) {
    if (!details->is_object()) return errors.Fail(prompt_path, "expected an object");
    ReadCount(*details, "cached_tokens", prompt_path, out.cached_tokens, errors);
    ReadCount(*details, "cache_write_tokens", prompt_path, out.cache_write_tokens, errors);
  }
  if (const json* details = Find(usage, "completion_tokens_details")) {
    if (!details->is_object()) return errors.Fail(completion_path, "expected an object");
    ReadCount(*details, "reasoning_tokens", completion_path, out.reasoning_tokens, errors);
  }
  extra = nullptr;
  for (const auto& [key, value] : usage.items()) {
    if (key == "prompt_tokens" || key == "completion_tokens" || key == "total_tokens" ||
        key == "prompt_tokens_details" || key == "completion_tokens_details") {
      continue;
    }
    extra[key] = value;
  }
  return errors.ok();
}

nlohmann::ordered_json EncodeUsage(const TokenUsage& usage, const json& extra) {
  const int64_t total =
      usage.total_tokens != 0 ? usage.total_tokens : usage.prompt_tokens + usage.completion_tokens;
  nlohmann::ordered_json out = {
      {"prompt_tokens", usage.prompt_tokens},
      {"completion_tokens", usage.completion_tokens},
      {"total_tokens", total},
      {"prompt_tokens_details",
       {{"cached_tokens", usage.cached_tokens}, {"cache_write_tokens", usage.cache_write_tokens}}},
      {"completion_tokens_details", {{"reasoning_tokens", usage.reasoning_tokens}}},
  };
  if (extra.is_object()) {
    for (const auto& [key, value] : extra.items()) {
      if (!out.contains(key)) out[key] = value;
    }
  }
  return out;
}

Part MakePart(Part::Kind kind, std::string text) {
  Part part;
  part.kind = kind;
  part.text = std::move(text);
  return part;
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace gw::dialects::openai_chat::internal

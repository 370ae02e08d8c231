#include "gateway/api/inference_request.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>

#include "gateway/api/provider_preferences.h"

namespace gw::api {
namespace {

using json::ValueKind;

// Which JSON kinds a known field accepts (null is always accepted: SDKs send it for "unset").
enum Accept : unsigned {
  kString = 1u << 0,
  kNumber = 1u << 1,
  kInteger = 1u << 2,
  kBool = 1u << 3,
  kObject = 1u << 4,
  kArray = 1u << 5,
};

struct FieldRule {
  std::string_view name;
  unsigned accept;
  std::string_view expected;  // for the message
};

// Standard OpenAI fields and the router extensions of API.md whose types we check. Fields not
// listed pass through untouched: the provider validates what it alone understands.
constexpr std::array kRules = {
    FieldRule{"model", kString, "a string"},
    FieldRule{"stream", kBool, "a boolean"},
    FieldRule{"max_tokens", kInteger, "an integer"},
    FieldRule{"max_completion_tokens", kInteger, "an integer"},
    FieldRule{"n", kInteger, "an integer"},
    FieldRule{"seed", kInteger, "an integer"},
    FieldRule{"top_logprobs", kInteger, "an integer"},
    FieldRule{"top_k", kNumber, "a number"},
    FieldRule{"temperature", kNumber, "a number"},
    FieldRule{"top_p", kNumber, "a number"},
    FieldRule{"min_p", kNumber, "a number"},
    FieldRule{"top_a", kNumber, "a number"},
    FieldRule{"presence_penalty", kNumber, "a number"},
    FieldRule{"frequency_penalty", kNumber, "a number"},
    FieldRule{"repetition_penalty", kNumber, "a number"},
    FieldRule{"stop", kString | kArray, "a string or an array of strings"},
    FieldRule{"tools", kArray, "an array"},
    FieldRule{"tool_choice", kString | kObject, "a string or an object"},
    FieldRule{"parallel_tool_calls", kBool, "a boolean"},
    FieldRule{"response_format", kObject, "an object"},
    FieldRule{"stream_options", kObject, "an object"},
    FieldRule{"logit_bias", kObject, "an object"},
    FieldRule{"metadata", kObject, "an object"},
    FieldRule{"user", kString, "a string"},
    FieldRule{"models", kArray, "an array of model ids"},
    FieldRule{"provider", kObject, "an object"},
    FieldRule{"route", kString, "a string"},
    FieldRule{"transforms", kArray, "an array of strings"},
    FieldRule{"usage", kObject, "an object"},
    FieldRule{"session_id", kString, "a string"},
};

bool IsInteger(std::string_view number) {
  return number.find_first_of(".eE") == std::string_view::npos;
}

bool KindAccepted(const json::Member& member, unsigned accept) {
  switch (member.kind) {
    case ValueKind::kNull:
      return true;
    case ValueKind::kString:
      return accept & kString;
    case ValueKind::kTrue:
    case ValueKind::kFalse:
      return accept & kBool;
    case ValueKind::kObject:
      return accept & kObject;
    case ValueKind::kArray:
      return accept & kArray;
    case ValueKind::kNumber:
      return (accept & kNumber) || ((accept & kInteger) && IsInteger(member.value));
  }
  return false;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Responses fields whose types are checked on /v1/responses (the shared ones above too).
constexpr std::array kResponsesRules = {
    FieldRule{"input", kString | kArray, "a string or an array of input items"},
    FieldRule{"instructions", kString, "a string"},
    FieldRule{"max_output_tokens", kInteger, "an integer"},
    FieldRule{"previous_response_id", kString, "a string"},
    FieldRule{"store", kBool, "a boolean"},
    FieldRule{"background", kBool, "a boolean"},
    FieldRule{"text", kObject, "an object"},
    FieldRule{"reasoning", kObject, "an object"},
    FieldRule{"include", kArray, "an array of strings"},
    FieldRule{"safety_identifier", kString, "a string"},
    FieldRule{"prompt_cache_key", kString, "a string"},
};

// Anthropic Messages fields whose types are checked on /v1/messages (the shared ones above too).
constexpr std::array kMessagesRules = {
    FieldRule{"system", kString | kArray, "a string or an array of content blocks"},
    FieldRule{"stop_sequences", kArray, "an array of strings"},
    FieldRule{"thinking", kObject, "an object"},
    FieldRule{"tool_choice", kObject, "an object"},
};

std::string StringValue(const json::Member& member) {
  auto unescaped = json::UnescapeString(json::StringContents(member.value));
  return unescaped ? *unescaped : std::string();
}

// The roles each dialect defines. Chat: OpenAI's documented roles (`function` is deprecated but
// still sent by older clients). Messages: Anthropic's two plus `system`, which Claude Code 2.x
// sends inside `messages` (mid-conversation environment notes, DIALECTS.md) next to the
// top-level `system` field; the translator maps it to a system turn. Anything else is refused
// rather than forwarded: an upstream would reject it or, worse, drop the message silently.
constexpr std::array<std::string_view, 6> kChatRoles = {"system", "user",      "assistant",
                                                        "tool",   "developer", "function"};
constexpr std::array<std::string_view, 3> kMessagesRoles = {"user", "assistant", "system"};

template <size_t N>
std::string CheckRole(const json::Member& role, const std::array<std::string_view, N>& roles,
                      const std::string& where) {
  const std::string value = StringValue(role);
  for (std::string_view known : roles) {
    if (value == known) return {};
  }
  std::string error = where + ".role: unknown role \"" + value + "\"; expected one of";
  for (size_t i = 0; i < N; ++i) {
    error.append(i == 0 ? " " : ", ");
    error.append(roles[i]);
  }
  return error;
}

// Also notes each message's role and content span in `layout` (for the insights, which then need
// no second walk of the body).
std::string CheckMessages(std::string_view body, const json::Member* messages, InferenceKind kind,
                          accounting::insights::PromptLayout& layout) {
  if (messages == nullptr || messages->kind == ValueKind::kNull) {
    return "messages: required field is missing";
  }
  if (messages->kind != ValueKind::kArray) return "messages: expected an array of messages";
  std::vector<json::Element> elements;
  json::ArrayElements(messages->value, elements);
  if (elements.empty()) return "messages: must contain at least one message";
  layout.messages.reserve(elements.size());
  std::vector<json::Member> fields;
  for (size_t i = 0; i < elements.size(); ++i) {
    const std::string where = "messages[" + std::to_string(i) + "]";
    if (elements[i].kind != ValueKind::kObject) return where + ": expected an object";
    json::ObjectMembers(elements[i].value, fields);
    // Parsers disagree on which copy of a repeated key wins; refuse the ambiguity.
    for (std::string_view key : {"role", "content"}) {
      size_t copies = 0;
      for (const json::Member& field : fields) copies += json::KeyIs(field.raw_key, key) ? 1 : 0;
      if (copies > 1) return where + ": duplicate key \"" + std::string(key) + "\"";
    }
    const json::Member* role = json::FindMember(fields, "role");
    if (role == nullptr) return where + ".role: required field is missing";
    if (role->kind != ValueKind::kString) return where + ".role: expected a string";
    std::string role_error = kind == InferenceKind::kMessages
                                 ? CheckRole(*role, kMessagesRoles, where)
                                 : CheckRole(*role, kChatRoles, where);
    if (!role_error.empty()) return role_error;
    const json::Member* content = json::FindMember(fields, "content");
    if (content != nullptr && content->kind != ValueKind::kString &&
        content->kind != ValueKind::kArray && content->kind != ValueKind::kNull) {
      return where + ".content: expected a string, an array of content parts, or null";
    }
    accounting::insights::AppendMessage(body, fields, layout);
  }
  return {};
}

std::string CheckPrompt(const json::Member* prompt) {
  if (prompt == nullptr || prompt->kind == ValueKind::kNull) {
    return "prompt: required field is missing";
  }
  if (prompt->kind == ValueKind::kString) return {};
  if (prompt->kind != ValueKind::kArray) return "prompt: expected a string or an array";
  std::vector<json::Element> elements;
  json::ArrayElements(prompt->value, elements);
  if (elements.empty()) return "prompt: must not be an empty array";
  return {};
}

std::string CheckModels(const json::Member& member, std::vector<std::string>& models) {
  if (member.kind == ValueKind::kNull) return {};
  std::vector<json::Element> elements;
  json::ArrayElements(member.value, elements);
  for (size_t i = 0; i < elements.size(); ++i) {
    if (elements[i].kind != ValueKind::kString) {
      return "models[" + std::to_string(i) + "]: expected a model id string";
    }
    auto id = json::UnescapeString(json::StringContents(elements[i].value));
    if (!id || id->empty()) {
      return "models[" + std::to_string(i) + "]: expected a non-empty model id";
    }
    models.push_back(std::move(*id));
  }
  return {};
}

// `stop` and `transforms` arrays hold strings only.
std::string CheckStringArray(const json::Member& member, std::string_view name) {
  if (member.kind != ValueKind::kArray) return {};
  std::vector<json::Element> elements;
  json::ArrayElements(member.value, elements);
  for (size_t i = 0; i < elements.size(); ++i) {
    if (elements[i].kind != ValueKind::kString) {
      return std::string(name) + "[" + std::to_string(i) + "]: expected a string";
    }
  }
  return {};
}

// A token limit field: a positive integer.
std::string ReadTokenLimit(const json::Member& member, std::string_view name,
                           std::optional<int64_t>& out) {
  out = ParseInteger(member.value);
  if (!out || *out < 1) return std::string(name) + ": expected a positive integer";
  return {};
}

// Fields every endpoint takes (the model, the input, the stream switches, attribution) and the
// router's own: not "parameters" for provider.require_parameters.
constexpr std::array<std::string_view, 13> kNotParameters = {
    "model",    "messages", "prompt",     "stream", "stream_options", "user",      "models",
    "provider", "route",    "transforms", "usage",  "session_id",     "max_tokens"};

void ListParameters(InferenceRequest& out) {
  for (const json::Member& member : out.members) {
    if (member.kind == ValueKind::kNull) continue;
    const bool excluded =
        std::any_of(kNotParameters.begin(), kNotParameters.end(),
                    [&](std::string_view name) { return json::KeyIs(member.raw_key, name); });
    if (excluded) continue;
    if (std::optional<std::string> key = json::UnescapeString(member.raw_key)) {
      out.parameters.push_back(std::move(*key));
    }
  }
}

// Reads the fields the gateway decides on; the types were checked already.
std::string ExtractFacts(InferenceRequest& out) {
  std::optional<int64_t> max_tokens;
  std::optional<int64_t> max_completion_tokens;
  bool model_given = false;
  for (const json::Member& member : out.members) {
    if (member.kind == ValueKind::kNull) continue;
    std::string error;
    if (json::KeyIs(member.raw_key, "model")) {
      out.model = StringValue(member);
      model_given = true;
    } else if (json::KeyIs(member.raw_key, "stream")) {
      out.stream = member.kind == ValueKind::kTrue;
    } else if (json::KeyIs(member.raw_key, "max_tokens")) {
      error = ReadTokenLimit(member, "max_tokens", max_tokens);
    } else if (json::KeyIs(member.raw_key, "max_completion_tokens")) {
      error = ReadTokenLimit(member, "max_completion_tokens", max_completion_tokens);
    } else if (json::KeyIs(member.raw_key, "stop") || json::KeyIs(member.raw_key, "transforms")) {
      error = CheckStringArray(member, json::KeyIs(member.raw_key, "stop") ? "stop" : "transforms");
    } else if (json::KeyIs(member.raw_key, "user")) {
      out.user = StringValue(member);
    } else if (json::KeyIs(member.raw_key, "session_id")) {
      out.session_id = StringValue(member);
    } else if (json::KeyIs(member.raw_key, "models")) {
      error = CheckModels(member, out.models);
    } else if (json::KeyIs(member.raw_key, "provider")) {
      error = DecodeProviderPreferences(member.value, out.preferences);
    }
    if (!error.empty()) return error;
  }
  if (out.preferences.require_parameters) ListParameters(out);
  // OpenAI deprecated max_tokens for max_completion_tokens: the newer field wins.
  out.max_tokens = max_completion_tokens ? max_completion_tokens : max_tokens;
  if (model_given && out.model.empty()) return "model: expected a non-empty model id";
  if (out.model.empty() && out.models.empty()) return "model: required field is missing";
  if (out.model.empty()) out.model = out.models.front();
  return {};
}

// Messages: max_tokens is required (Anthropic's rule, so a body that works here works there),
// and the end user is metadata.user_id.
std::string ExtractMessagesFacts(InferenceRequest& out) {
  const json::Member* max_tokens = json::FindMember(out.members, "max_tokens");
  if (max_tokens == nullptr || max_tokens->kind == ValueKind::kNull) {
    return "max_tokens: required field is missing";
  }
  const json::Member* metadata = json::FindMember(out.members, "metadata");
  if (metadata == nullptr || metadata->kind != ValueKind::kObject) return {};
  std::vector<json::Member> fields;
  json::ObjectMembers(metadata->value, fields);
  const json::Member* user_id = json::FindMember(fields, "user_id");
  if (user_id == nullptr || user_id->kind == ValueKind::kNull) return {};
  if (user_id->kind != ValueKind::kString) return "metadata.user_id: expected a string";
  out.user = StringValue(*user_id);
  return {};
}

// Responses: `input` is required (a string or an array; its items are the codec's to check),
// unless the request continues a stored response (previous_response_id), as on OpenAI.
std::string CheckInput(const json::Member* input, bool continues) {
  if (input == nullptr || input->kind == ValueKind::kNull) {
    return continues ? std::string() : "input: required field is missing";
  }
  if (input->kind == ValueKind::kString && input->value.size() <= 2) {
    return "input: expected a non-empty string or array";
  }
  if (input->kind == ValueKind::kArray) {
    std::vector<json::Element> items;
    json::ArrayElements(input->value, items);
    if (items.empty()) return "input: expected a non-empty string or array";
  }
  return {};
}

// Responses: the token limit is max_output_tokens and the end user may be safety_identifier
// (OpenAI's successor of `user`; `user` wins when both are set).
std::string ExtractResponsesFacts(InferenceRequest& out) {
  out.max_tokens.reset();  // a chat `max_tokens` is no Responses field: nothing sends it on
  const json::Member* limit = json::FindMember(out.members, "max_output_tokens");
  if (limit != nullptr && limit->kind != ValueKind::kNull) {
    std::string error = ReadTokenLimit(*limit, "max_output_tokens", out.max_tokens);
    if (!error.empty()) return error;
  }
  if (const json::Member* include = json::FindMember(out.members, "include");
      include != nullptr && include->kind == ValueKind::kArray) {
    std::vector<json::Element> items;
    json::ArrayElements(include->value, items);
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].kind != ValueKind::kString) {
        return "include[" + std::to_string(i) + "]: expected a string";
      }
    }
  }
  const json::Member* safety = json::FindMember(out.members, "safety_identifier");
  if (out.user.empty() && safety != nullptr && safety->kind == ValueKind::kString) {
    out.user = StringValue(*safety);
  }
  return {};
}

}  // namespace

std::string DecodeInferenceRequest(std::string_view body, InferenceKind kind,
                                   InferenceRequest& out) {
  out = InferenceRequest{};
  out.kind = kind;
  if (body.empty()) return "request body is empty: expected a JSON object";
  if (auto error = json::ScanObject(body, out.members)) {
    if (error->invalid_utf8) {
      return "request body is not valid UTF-8 (byte " + std::to_string(error->offset) + ")";
    }
    return "request body is not valid JSON: " + error->message + " at byte " +
           std::to_string(error->offset);
  }
  // A Responses body is translated to a chat body first; the insights read that one.
  if (kind != InferenceKind::kResponses) {
    accounting::insights::SetTopLevelSpans(body, out.members, out.layout);
  }
  for (const json::Member& member : out.members) {
    for (const FieldRule& rule : kRules) {
      if (json::KeyIs(member.raw_key, rule.name) && !KindAccepted(member, rule.accept)) {
        return std::string(rule.name) + ": expected " + std::string(rule.expected);
      }
    }
  }
  if (kind == InferenceKind::kMessages || kind == InferenceKind::kResponses) {
    const auto& rules = kind == InferenceKind::kMessages
                            ? std::span<const FieldRule>(kMessagesRules)
                            : std::span<const FieldRule>(kResponsesRules);
    for (const json::Member& member : out.members) {
      for (const FieldRule& rule : rules) {
        if (json::KeyIs(member.raw_key, rule.name) && !KindAccepted(member, rule.accept)) {
          return std::string(rule.name) + ": expected " + std::string(rule.expected);
        }
      }
    }
  }
  std::string error;
  switch (kind) {
    case InferenceKind::kCompletion:
      error = CheckPrompt(json::FindMember(out.members, "prompt"));
      break;
    case InferenceKind::kResponses:
      error = CheckInput(json::FindMember(out.members, "input"), [&] {
        const json::Member* previous = json::FindMember(out.members, "previous_response_id");
        return previous != nullptr && previous->kind == ValueKind::kString;
      }());
      break;
    case InferenceKind::kChat:
    case InferenceKind::kMessages:
      error = CheckMessages(body, json::FindMember(out.members, "messages"), kind, out.layout);
      break;
  }
  if (!error.empty()) return error;
  error = ExtractFacts(out);
  if (!error.empty()) return error;
  if (kind == InferenceKind::kMessages) return ExtractMessagesFacts(out);
  if (kind == InferenceKind::kResponses) return ExtractResponsesFacts(out);
  return {};
}

}  // namespace gw::api

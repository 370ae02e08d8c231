#include "accounting/insights/prompt_text.h"

#include <algorithm>
#include <optional>

#include "base/json/json_scan.h"

namespace gw::accounting::insights {
namespace {

using gw::json::Element;
using gw::json::Member;
using gw::json::ValueKind;

constexpr size_t kMaxToolNames = 64;
// The longest JSON escape: a surrogate pair, \uD83D\uDE00.
constexpr size_t kLongestEscape = 12;

std::vector<Member> MembersOf(std::string_view object) {
  std::vector<Member> members;
  gw::json::ObjectMembers(object, members);
  return members;
}

std::vector<Element> ElementsOf(std::string_view array) {
  std::vector<Element> elements;
  gw::json::ArrayElements(array, elements);
  return elements;
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 character.
void CutAtCharacter(std::string& text, size_t limit) {
  if (text.size() <= limit) return;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
}

// The length of the longest prefix of `raw` (a JSON string's contents) within `size` bytes that
// does not end inside a raw multi-byte UTF-8 character: UnescapeString copies raw bytes as they
// are, so the cut must fall before a character's lead byte. (Escapes are ASCII.)
size_t RawCharacterBoundary(std::string_view raw, size_t size) {
  if (size >= raw.size()) return raw.size();
  while (size > 0 && (static_cast<unsigned char>(raw[size]) & 0xC0) == 0x80) --size;
  return size;
}

// Appends a JSON string value to `out` (after "\n" when `out` has text), unescaped, while `out`
// stays within `limit` bytes. Only a prefix of a long string is unescaped: unescaping a 400 KB
// message costs what its first `limit` bytes do.
void AppendString(std::string_view value, size_t limit, std::string& out) {
  if (!out.empty() && out.size() < limit) out.push_back('\n');
  if (out.size() >= limit) return;
  std::string_view raw = gw::json::StringContents(value);
  const size_t room = limit - out.size();
  std::optional<std::string> text;
  if (raw.size() <= room) {
    text = gw::json::UnescapeString(raw);
  } else {
    // A prefix may end inside an escape: shorten it until it unescapes.
    for (size_t cut = 0; cut <= kLongestEscape && !text; ++cut) {
      const size_t size = RawCharacterBoundary(raw, room - std::min(cut, room));
      text = gw::json::UnescapeString(raw.substr(0, size));
    }
  }
  if (!text) return;
  CutAtCharacter(*text, room);
  out += *text;
}

// A message's or a system field's content: a string, or parts whose `text` is kept (tool
// results and images are not what the user wrote).
void AppendContent(const Member& content, size_t limit, std::string& out) {
  if (content.kind == ValueKind::kString) {
    AppendString(content.value, limit, out);
    return;
  }
  if (content.kind != ValueKind::kArray) return;
  for (const Element& part : ElementsOf(content.value)) {
    if (part.kind == ValueKind::kString) {
      AppendString(part.value, limit, out);
      continue;
    }
    if (part.kind != ValueKind::kObject) continue;
    const std::vector<Member> members = MembersOf(part.value);
    const Member* text = gw::json::FindMember(members, "text");
    if (text != nullptr && text->kind == ValueKind::kString) AppendString(text->value, limit, out);
  }
}

std::string RoleOf(const std::vector<Member>& message) {
  const Member* role = gw::json::FindMember(message, "role");
  if (role == nullptr || role->kind != ValueKind::kString) return "";
  return gw::json::UnescapeString(gw::json::StringContents(role->value)).value_or("");
}

void ReadMessages(const Member& messages, PromptText& out) {
  const std::vector<Element> elements = ElementsOf(messages.value);
  out.message_count = static_cast<int64_t>(elements.size());
  std::vector<std::vector<Member>> users;
  for (const Element& element : elements) {
    if (element.kind != ValueKind::kObject) continue;
    std::vector<Member> message = MembersOf(element.value);
    const std::string role = RoleOf(message);
    const Member* content = gw::json::FindMember(message, "content");
    if (content == nullptr) continue;
    if (role == "system" || role == "developer") {
      AppendContent(*content, kMaxSystemTextBytes, out.system);
    } else if (role == "user") {
      users.push_back(std::move(message));
    }
  }
  // The latest turn first: it says what this request is for. It is marked even when it holds no
  // text (tool results only), so that the older turns are not taken for it.
  for (auto user = users.rbegin(); user != users.rend(); ++user) {
    if (out.user.size() >= kMaxUserTextBytes) break;
    AppendContent(*gw::json::FindMember(*user, "content"), kMaxUserTextBytes, out.user);
    if (user == users.rbegin()) out.latest_user_size = out.user.size();
  }
}

// `tools` of the chat API ({type, function: {name}}) or of Anthropic's ({name}); legacy
// `functions` ({name}).
void ReadToolNames(const Member& tools, PromptText& out) {
  for (const Element& tool : ElementsOf(tools.value)) {
    out.tools_offered = true;
    if (tool.kind != ValueKind::kObject || out.tool_names.size() >= kMaxToolNames) continue;
    std::vector<Member> members = MembersOf(tool.value);
    if (const Member* function = gw::json::FindMember(members, "function");
        function != nullptr && function->kind == ValueKind::kObject) {
      members = MembersOf(function->value);
    }
    const Member* name = gw::json::FindMember(members, "name");
    if (name == nullptr || name->kind != ValueKind::kString) continue;
    std::optional<std::string> text =
        gw::json::UnescapeString(gw::json::StringContents(name->value));
    if (text && !text->empty()) out.tool_names.push_back(std::move(*text));
  }
}

PromptText ReadPromptTextOfMembers(const std::vector<Member>& members, bool chat) {
  PromptText out;
  if (!chat) {
    if (const Member* prompt = gw::json::FindMember(members, "prompt")) {
      AppendContent(*prompt, kMaxUserTextBytes, out.user);
      out.latest_user_size = out.user.size();
    }
    return out;
  }
  if (const Member* system = gw::json::FindMember(members, "system")) {  // Anthropic Messages
    AppendContent(*system, kMaxSystemTextBytes, out.system);
  }
  if (const Member* messages = gw::json::FindMember(members, "messages");
      messages != nullptr && messages->kind == ValueKind::kArray) {
    ReadMessages(*messages, out);
  }
  for (std::string_view key : {"tools", "functions"}) {
    const Member* tools = gw::json::FindMember(members, key);
    if (tools != nullptr && tools->kind == ValueKind::kArray) ReadToolNames(*tools, out);
  }
  return out;
}

}  // namespace

PromptText ReadPromptText(std::string_view body, bool chat) {
  std::vector<Member> members;
  if (gw::json::ScanObject(body, members)) return {};  // validates as it finds the members
  return ReadPromptTextOfMembers(members, chat);
}

PromptText ReadValidatedPromptText(std::string_view body, bool chat) {
  const size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || body[start] != '{') return {};
  return ReadPromptTextOfMembers(MembersOf(body), chat);
}

}  // namespace gw::accounting::insights

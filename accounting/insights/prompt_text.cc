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

// A value of `body` at `span`, as a member for AppendContent and ReadToolNames; a span outside
// `body` (a layout of another text) reads as null.
Member MemberAt(std::string_view body, const PromptSpan& span) {
  if (span.offset > body.size() || span.size > body.size() - span.offset) {
    return Member{{}, {}, ValueKind::kNull};
  }
  return Member{{}, body.substr(span.offset, span.size), span.kind};
}

// The layout of a body found by walking it: its top-level members and every message.
PromptLayout LayoutOfMembers(std::string_view body, const std::vector<Member>& members) {
  PromptLayout layout;
  SetTopLevelSpans(body, members, layout);
  const Member* messages = gw::json::FindMember(members, "messages");
  if (messages == nullptr || messages->kind != ValueKind::kArray) return layout;
  std::vector<Member> fields;
  for (const Element& element : ElementsOf(messages->value)) {
    fields.clear();
    if (element.kind == ValueKind::kObject) gw::json::ObjectMembers(element.value, fields);
    AppendMessage(body, fields, layout);
  }
  return layout;
}

}  // namespace

PromptText ReadPromptText(std::string_view body, bool chat) {
  std::vector<Member> members;
  if (gw::json::ScanObject(body, members)) return {};  // validates as it finds the members
  return ReadPromptTextOfLayout(body, LayoutOfMembers(body, members), chat);
}

PromptText ReadValidatedPromptText(std::string_view body, bool chat) {
  const size_t start = body.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || body[start] != '{') return {};
  return ReadPromptTextOfLayout(body, LayoutOfMembers(body, MembersOf(body)), chat);
}

PromptText ReadPromptTextOfLayout(std::string_view body, const PromptLayout& layout, bool chat) {
  PromptText out;
  if (!layout.known) return ReadValidatedPromptText(body, chat);
  if (!chat) {
    if (layout.prompt.size > 0) {
      AppendContent(MemberAt(body, layout.prompt), kMaxUserTextBytes, out.user);
      out.latest_user_size = out.user.size();
    }
    return out;
  }
  if (layout.system.size > 0) {  // Anthropic Messages
    AppendContent(MemberAt(body, layout.system), kMaxSystemTextBytes, out.system);
  }
  out.message_count = static_cast<int64_t>(layout.messages.size());
  for (const PromptMessage& message : layout.messages) {
    if (message.role == PromptRole::kSystem && message.content.size > 0) {
      AppendContent(MemberAt(body, message.content), kMaxSystemTextBytes, out.system);
    }
  }
  // The user turns, the latest first: it says what this request is for. It is marked even when
  // it holds no text (tool results only), so that the older turns are not taken for it.
  bool latest = true;
  for (auto message = layout.messages.rbegin(); message != layout.messages.rend(); ++message) {
    if (message->role != PromptRole::kUser || message->content.size == 0) continue;
    if (out.user.size() >= kMaxUserTextBytes) break;
    AppendContent(MemberAt(body, message->content), kMaxUserTextBytes, out.user);
    if (latest) out.latest_user_size = out.user.size();
    latest = false;
  }
  for (const PromptSpan& tools : {layout.tools, layout.functions}) {
    if (tools.kind == ValueKind::kArray) ReadToolNames(MemberAt(body, tools), out);
  }
  return out;
}

}  // namespace gw::accounting::insights

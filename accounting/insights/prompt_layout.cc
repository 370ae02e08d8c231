#include "accounting/insights/prompt_layout.h"

namespace gw::accounting::insights {

PromptSpan SpanOf(std::string_view body, std::string_view value, gw::json::ValueKind kind) {
  return {static_cast<uint32_t>(value.data() - body.data()), static_cast<uint32_t>(value.size()),
          kind};
}

void SetTopLevelSpans(std::string_view body, const std::vector<gw::json::Member>& members,
                      PromptLayout& layout) {
  layout.known = true;
  const auto set = [&](std::string_view key, PromptSpan& span) {
    if (const gw::json::Member* member = gw::json::FindMember(members, key)) {
      span = SpanOf(body, member->value, member->kind);
    }
  };
  set("system", layout.system);
  set("prompt", layout.prompt);
  set("tools", layout.tools);
  set("functions", layout.functions);
}

void AppendMessage(std::string_view body, const std::vector<gw::json::Member>& message,
                   PromptLayout& layout) {
  PromptMessage out;
  if (const gw::json::Member* role = gw::json::FindMember(message, "role");
      role != nullptr && role->kind == gw::json::ValueKind::kString) {
    const std::string_view name = gw::json::StringContents(role->value);
    if (gw::json::KeyIs(name, "system") || gw::json::KeyIs(name, "developer")) {
      out.role = PromptRole::kSystem;
    } else if (gw::json::KeyIs(name, "user")) {
      out.role = PromptRole::kUser;
    }
  }
  if (const gw::json::Member* content = gw::json::FindMember(message, "content")) {
    out.content = SpanOf(body, content->value, content->kind);
  }
  layout.messages.push_back(out);
}

}  // namespace gw::accounting::insights

#include "gateway/demo_chat_body.h"

#include <cstdio>
#include <iterator>
#include <optional>
#include <vector>

#include "base/json/json_writer.h"
#include "gateway/demo_random.h"

namespace gw::demo {
namespace {

// Between an ask and what is pasted after it, and between pasted pieces.
constexpr std::string_view kSeparator = "\n\n";
constexpr std::string_view kFence = "```";
constexpr std::string_view kClosingFence = "\n```";

struct Message {
  std::string_view role;
  std::string content;
  std::optional<ToolCallText> call;  // an assistant's tool call (content is then null)
  std::string call_id;               // of the call, or of the call a tool message answers
};

// Bytes of `text` in a JSON string, escapes included: what the simulator counts.
size_t EscapedSize(std::string_view text) {
  size_t size = 0;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '"' || byte == '\\' || byte == '\n' || byte == '\r' || byte == '\t' ||
        byte == '\b' || byte == '\f') {
      size += 2;
    } else if (byte < 0x20) {
      size += 6;
    } else {
      ++size;
    }
  }
  return size;
}

size_t ContentSize(const std::vector<Message>& messages) {
  size_t size = 0;
  for (const Message& message : messages) size += EscapedSize(message.content);
  return size;
}

// Appends to `out` the longest prefix of `text` that is whole UTF-8 characters and at most
// `budget` escaped bytes; returns the escaped bytes appended.
size_t AppendPrefix(std::string& out, std::string_view text, size_t budget) {
  if (const size_t whole = EscapedSize(text); whole <= budget) {
    out.append(text);
    return whole;
  }
  size_t used = 0, end = 0;
  while (end < text.size()) {
    const auto lead = static_cast<unsigned char>(text[end]);
    const size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    const size_t escaped = lead < 0x80 ? EscapedSize(text.substr(end, 1)) : length;
    if (used + escaped > budget) break;
    used += escaped;
    end += length;
  }
  out.append(text.substr(0, end));
  return used;
}

bool OddFences(std::string_view text) {
  size_t fences = 0;
  for (size_t at = text.find(kFence); at != std::string_view::npos;
       at = text.find(kFence, at + kFence.size())) {
    ++fences;
  }
  return fences % 2 == 1;
}

// Appends to `out` a prefix of `piece` of at most `budget` escaped bytes, as AppendPrefix; a
// code block it cuts is closed, so the text after it does not read as code (nor code as text).
size_t AppendCut(std::string& out, std::string_view piece, size_t budget) {
  std::string cut;
  size_t used = AppendPrefix(cut, piece, budget);
  if (used < EscapedSize(piece) && OddFences(cut)) {
    const size_t closing = EscapedSize(kClosingFence);
    cut.clear();
    used = AppendPrefix(cut, piece, budget > closing ? budget - closing : 0);
    if (OddFences(cut)) {
      cut += kClosingFence;
      used += closing;
    }
  }
  out += cut;
  return used;
}

// Appends pieces drawn from `pieces` (each after a separator) to `content` until `deficit`
// escaped bytes are added: the last piece is cut, and spaces make up what a cut left.
void Extend(std::string& content, std::span<const std::string_view> pieces, size_t deficit,
            Rng& rng) {
  while (deficit > 0) {
    const std::string_view piece = rng.Choose(pieces);
    const std::string_view separator = content.empty() ? "" : kSeparator;
    if (EscapedSize(separator) >= deficit) break;
    content += separator;
    deficit -= EscapedSize(separator);
    const size_t added = AppendCut(content, piece, deficit);
    deficit -= added;
    if (added < EscapedSize(piece)) break;  // cut: the budget is spent
  }
  content.append(deficit, ' ');
}

// The text the request is written from: its topic in its language, else in English, else in
// whatever language the topic has.
const TopicText& TextOf(const DemoRequest& request) {
  if (const TopicText* text = FindTopicText(request.category, request.topic, request.language)) {
    return *text;
  }
  if (const TopicText* text = FindTopicText(request.category, request.topic, Language::kEnglish)) {
    return *text;
  }
  for (const TopicText& text : AllTopicTexts()) {
    if (text.category == request.category) return text;
  }
  return AllTopicTexts().front();
}

class Conversation {
 public:
  Conversation(const DemoRequest& request, const DemoApp& app, const TopicText& text)
      : request_(request), app_(app), text_(text), rng_(request.text_seed) {
    replies_ = text.replies.empty() ? GenericReplies(text.language) : text.replies;
    followups_ = text.followups.empty() ? text.asks : text.followups;
  }

  std::vector<Message> Build() {
    if (!app_.system_prompts.empty()) {
      const std::string_view system = rng_.Choose(std::span(app_.system_prompts));
      if (!system.empty()) messages_.push_back({"system", std::string(system), {}, {}});
    }
    for (uint32_t turn = 0; turn < request_.history; ++turn) {
      AddUserTurn(turn == 0);
      if (request_.tools) AddToolExchange();
      messages_.push_back({"assistant", std::string(rng_.Choose(replies_)), {}, {}});
    }
    latest_ = messages_.size();
    AddUserTurn(request_.history == 0);
    if (request_.tool_result_last) AddToolExchange();
    Pad(static_cast<size_t>(request_.prompt_tokens) * 4);
    return std::move(messages_);
  }

 private:
  // A user turn: a whole request (with one piece of what it refers to pasted after it, for an
  // app that pastes), or a later turn of the conversation.
  void AddUserTurn(bool ask) {
    std::string content(ask ? rng_.Choose(text_.asks) : rng_.Choose(followups_));
    if (ask && Pastes()) {
      content += kSeparator;
      content += rng_.Choose(text_.material);
    }
    messages_.push_back({"user", std::move(content), {}, {}});
  }

  bool Pastes() const { return app_.padding == Padding::kPasted && !text_.material.empty(); }

  void AddToolExchange() {
    const std::span<const ToolCallText> calls = ToolCalls(app_.tools);
    const std::span<const std::string_view> results = ToolResults(app_.tools);
    if (calls.empty() || results.empty()) return;
    char id[32];
    std::snprintf(id, sizeof id, "call_%016llx", static_cast<unsigned long long>(rng_.Next()));
    messages_.push_back({"assistant", "", rng_.Choose(calls), id});
    messages_.push_back({"tool", std::string(rng_.Choose(results)), {}, id});
    last_tool_ = messages_.size() - 1;
  }

  // Brings the contents up to `target` escaped bytes: in the last tool result, the retrieved
  // passages of the system prompt, what is pasted after the latest request, or earlier turns.
  void Pad(size_t target) {
    const size_t size = ContentSize(messages_);
    if (size >= target) return;
    const size_t deficit = target - size;
    if (last_tool_) {
      Extend(messages_[*last_tool_].content, ToolResults(app_.tools), deficit, rng_);
    } else if (app_.padding == Padding::kSystemContext && !messages_.empty() &&
               messages_.front().role == "system" && !ContextMaterial().empty()) {
      Extend(messages_.front().content, ContextMaterial(), deficit, rng_);
    } else if (Pastes()) {
      Extend(messages_[latest_].content, text_.material, deficit, rng_);
    } else {
      PadWithHistory(target);
    }
  }

  // Retrieved passages: the topic's material, in English when its language has none.
  std::span<const std::string_view> ContextMaterial() const {
    if (!text_.material.empty()) return text_.material;
    const TopicText* english = FindTopicText(text_.category, text_.topic, Language::kEnglish);
    return english ? english->material : std::span<const std::string_view>();
  }

  // Earlier exchanges before the latest request, as many as fit, and the last answer extended
  // to the exact size.
  void PadWithHistory(size_t target) {
    std::optional<size_t> last_reply;
    if (latest_ > 0 && messages_[latest_ - 1].role == "assistant" && !messages_[latest_ - 1].call) {
      last_reply = latest_ - 1;
    }
    size_t size = ContentSize(messages_);
    std::vector<Message> older;  // in the order a chat grows, before the latest request
    while (size < target) {
      Message user{"user", std::string(rng_.Choose(text_.asks)), {}, {}};
      Message reply{"assistant", std::string(rng_.Choose(replies_)), {}, {}};
      const size_t exchange = EscapedSize(user.content) + EscapedSize(reply.content);
      if ((last_reply || !older.empty()) && exchange > target - size) break;
      size += exchange;
      older.push_back(std::move(user));
      older.push_back(std::move(reply));
    }
    if (!older.empty()) {
      messages_.insert(messages_.begin() + static_cast<std::ptrdiff_t>(latest_),
                       std::make_move_iterator(older.begin()),
                       std::make_move_iterator(older.end()));
      latest_ += older.size();
      last_reply = latest_ - 1;
    }
    if (size < target) Extend(messages_[*last_reply].content, replies_, target - size, rng_);
  }

  const DemoRequest& request_;
  const DemoApp& app_;
  const TopicText& text_;
  Rng rng_;
  std::span<const std::string_view> replies_;
  std::span<const std::string_view> followups_;
  std::vector<Message> messages_;
  size_t latest_ = 0;  // the latest user turn
  std::optional<size_t> last_tool_;
};

void AppendMessage(std::string& body, const Message& message) {
  body += R"({"role":)";
  json::AppendJsonString(body, message.role);
  if (message.call) {
    body += R"(,"content":null,"tool_calls":[{"id":)";
    json::AppendJsonString(body, message.call_id);
    body += R"(,"type":"function","function":{"name":)";
    json::AppendJsonString(body, message.call->name);
    body += R"(,"arguments":)";
    json::AppendJsonString(body, message.call->arguments);
    body += "}}]}";
    return;
  }
  if (message.role == "tool") {
    body += R"(,"tool_call_id":)";
    json::AppendJsonString(body, message.call_id);
  }
  body += R"(,"content":)";
  json::AppendJsonString(body, message.content);
  body += '}';
}

}  // namespace

std::string BuildDemoChatBody(const DemoRequest& request, std::string_view model) {
  const DemoApp& app = DemoApps()[request.app % DemoApps().size()];
  const std::vector<Message> messages = Conversation(request, app, TextOf(request)).Build();
  std::string body = R"({"model":)";
  json::AppendJsonString(body, model);
  body += R"(,"messages":[)";
  for (size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) body += ',';
    AppendMessage(body, messages[i]);
  }
  body += R"(],"max_tokens":)" + std::to_string(request.max_tokens);
  if (request.tools && !ToolsJson(app.tools).empty()) {
    body += R"(,"tools":)";
    body += ToolsJson(app.tools);
  }
  if (!request.user.empty()) {
    body += R"(,"user":)";
    json::AppendJsonString(body, request.user);
  }
  if (request.stream) body += R"(,"stream":true)";
  body += '}';
  return body;
}

}  // namespace gw::demo

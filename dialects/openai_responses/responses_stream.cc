// StreamEncoder: IR stream events as a Responses event stream (the contract is in
// responses_codec.h). The final object is built by the helpers EncodeResponse uses
// (responses_internal.h), so a stream and a whole response of the same content carry the same
// items and usage.
#include <utility>

#include "dialects/openai_responses/responses_codec.h"
#include "dialects/openai_responses/responses_internal.h"

namespace gw::dialects::openai_responses {
namespace {

using ojson = nlohmann::ordered_json;

ojson SummaryPart(const std::string& text) { return {{"type", "summary_text"}, {"text", text}}; }

}  // namespace

StreamEncoder::StreamEncoder(ResponseContext context) : context_(std::move(context)) {}

void StreamEncoder::Emit(std::string_view type, const ojson& fields, std::string& out) {
  ojson event = {{"type", type}, {"sequence_number", sequence_++}};
  for (const auto& [key, value] : fields.items()) event[key] = value;
  out += "event: ";
  out += type;
  out += "\ndata: ";
  out += internal::Dump(event);
  out += "\n\n";
}

void StreamEncoder::EmitResponse(std::string_view type, const std::string& status,
                                 const ojson& error, const ojson& incomplete_details,
                                 std::string& out) {
  const internal::Outcome outcome{status, incomplete_details, error};
  const bool final = status != "in_progress";
  Emit(type,
       {{"response", internal::ResponseObject(
                         id_, model_, context_, outcome, final ? Output() : ojson::array(),
                         final ? internal::UsageOf(usage_, usage_extra_) : ojson(nullptr))}},
       out);
}

void StreamEncoder::Encode(const StreamEvent& event, std::string& out) {
  using Kind = StreamEvent::Kind;
  if (failed_ || finished_) return;
  switch (event.kind) {
    case Kind::kError:
      return EncodeError(event, out);
    case Kind::kStart:
      if (started_) return;
      started_ = true;
      id_ = event.id;
      model_ = event.model;
      EmitResponse("response.created", "in_progress", nullptr, nullptr, out);
      EmitResponse("response.in_progress", "in_progress", nullptr, nullptr, out);
      return;
    case Kind::kFinish:
      finish_reason_ = event.finish_reason;
      return;
    case Kind::kUsage:
      usage_ = event.usage;
      usage_extra_ = event.usage_extra;
      return;
    default:
      break;
  }
  if (!started_) return;  // content before kStart: dropped (see the class comment)
  switch (event.kind) {
    case Kind::kTextDelta:
      return EncodeText(event.text, out);
    case Kind::kThinkingDelta:
      return EncodeThinking(event.text, out);
    case Kind::kSignature:
      return EncodeSignature(event.text, out);
    case Kind::kRedactedThinking:
      return EncodeRedacted(event.text, out);
    case Kind::kToolCallStart:
      return EncodeToolCallStart(event, out);
    case Kind::kToolCallDelta:
      return EncodeToolCallDelta(event, out);
    default:
      return;
  }
}

void StreamEncoder::EncodeText(const std::string& text, std::string& out) {
  if (text.empty()) return;
  if (!current_ || items_[*current_].kind != ItemKind::kMessage) {
    CloseCurrent(out);
    Item item;
    item.kind = ItemKind::kMessage;
    item.id = internal::ItemId("msg", id_, items_.size());
    current_ = Open(std::move(item), out);
    Emit("response.content_part.added",
         {{"item_id", items_[*current_].id},
          {"output_index", *current_},
          {"content_index", 0},
          {"part", internal::OutputText("")}},
         out);
  }
  Item& item = items_[*current_];
  item.text += text;
  Emit("response.output_text.delta",
       {{"item_id", item.id},
        {"output_index", *current_},
        {"content_index", 0},
        {"delta", text},
        {"logprobs", ojson::array()}},
       out);
}

void StreamEncoder::EncodeThinking(const std::string& text, std::string& out) {
  if (text.empty()) return;
  // Thinking after a signature belongs to a new item (the signature ended the last one).
  if (!current_ || items_[*current_].kind != ItemKind::kReasoning ||
      !items_[*current_].encrypted_content.empty()) {
    CloseCurrent(out);
    Item item;
    item.kind = ItemKind::kReasoning;
    item.id = internal::ItemId("rs", id_, items_.size());
    current_ = Open(std::move(item), out);
  }
  Item& item = items_[*current_];
  if (!item.summary_open) {
    item.summary_open = true;
    Emit("response.reasoning_summary_part.added",
         {{"item_id", item.id},
          {"output_index", *current_},
          {"summary_index", 0},
          {"part", SummaryPart("")}},
         out);
  }
  item.text += text;
  Emit("response.reasoning_summary_text.delta",
       {{"item_id", item.id}, {"output_index", *current_}, {"summary_index", 0}, {"delta", text}},
       out);
}

void StreamEncoder::EncodeSignature(const std::string& signature, std::string& out) {
  if (signature.empty()) return;
  if (current_ && items_[*current_].kind == ItemKind::kReasoning) {
    items_[*current_].encrypted_content += signature;
    return;
  }
  CloseCurrent(out);
  Item item;
  item.kind = ItemKind::kReasoning;
  item.id = internal::ItemId("rs", id_, items_.size());
  item.encrypted_content = signature;
  current_ = Open(std::move(item), out);
}

void StreamEncoder::EncodeRedacted(const std::string& data, std::string& out) {
  CloseCurrent(out);
  Item item;
  item.kind = ItemKind::kReasoning;
  item.id = internal::ItemId("rs", id_, items_.size());
  item.encrypted_content = data;
  Close(Open(std::move(item), out), "completed", out);
}

void StreamEncoder::EncodeToolCallStart(const StreamEvent& event, std::string& out) {
  CloseCurrent(out);
  Item item;
  item.kind = ItemKind::kFunctionCall;
  item.id = internal::ItemId("fc", id_, items_.size());
  item.call_id = event.id;
  item.name = event.name;
  calls_[event.index] = Open(std::move(item), out);
}

// Arguments go to their call's item, which stays open until Finish(): chat may interleave the
// deltas of several calls. A delta for a call never started is dropped.
void StreamEncoder::EncodeToolCallDelta(const StreamEvent& event, std::string& out) {
  auto call = calls_.find(event.index);
  if (call == calls_.end() || event.text.empty()) return;
  Item& item = items_[call->second];
  item.text += event.text;
  Emit("response.function_call_arguments.delta",
       {{"item_id", item.id}, {"output_index", call->second}, {"delta", event.text}}, out);
}

void StreamEncoder::EncodeError(const StreamEvent& event, std::string& out) {
  failed_ = true;
  const ojson error = internal::ErrorOf(event.status, event.text);
  if (!started_) {
    Emit("error", {{"code", error.at("code")}, {"message", event.text}, {"param", nullptr}}, out);
    return;
  }
  EmitResponse("response.failed", "failed", error, nullptr, out);
}

size_t StreamEncoder::Open(Item item, std::string& out) {
  const size_t index = items_.size();
  items_.push_back(std::move(item));
  Emit("response.output_item.added",
       {{"output_index", index}, {"item", ItemJson(index, /*added=*/true)}}, out);
  return index;
}

void StreamEncoder::Close(size_t index, std::string_view status, std::string& out) {
  Item& item = items_[index];
  if (item.done) return;
  item.done = true;
  item.status = status;
  if (current_ == index) current_.reset();
  if (item.kind == ItemKind::kMessage) {
    Emit("response.output_text.done",
         {{"item_id", item.id},
          {"output_index", index},
          {"content_index", 0},
          {"text", item.text},
          {"logprobs", ojson::array()}},
         out);
    Emit("response.content_part.done",
         {{"item_id", item.id},
          {"output_index", index},
          {"content_index", 0},
          {"part", internal::OutputText(item.text)}},
         out);
  } else if (item.kind == ItemKind::kReasoning && item.summary_open) {
    Emit("response.reasoning_summary_text.done",
         {{"item_id", item.id}, {"output_index", index}, {"summary_index", 0}, {"text", item.text}},
         out);
    Emit("response.reasoning_summary_part.done",
         {{"item_id", item.id},
          {"output_index", index},
          {"summary_index", 0},
          {"part", SummaryPart(item.text)}},
         out);
  } else if (item.kind == ItemKind::kFunctionCall) {
    if (item.text.empty()) item.text = "{}";  // as EncodeResponse writes a call without arguments
    Emit("response.function_call_arguments.done",
         {{"item_id", item.id}, {"output_index", index}, {"arguments", item.text}}, out);
  }
  Emit("response.output_item.done",
       {{"output_index", index}, {"item", ItemJson(index, /*added=*/false)}}, out);
}

void StreamEncoder::CloseCurrent(std::string& out) {
  if (current_) Close(*current_, "completed", out);
}

ojson StreamEncoder::ItemJson(size_t index, bool added) const {
  const Item& item = items_[index];
  // In a final object, an item still open (a failed stream) is "incomplete" with what it got.
  const std::string status = added ? "in_progress" : item.done ? item.status : "incomplete";
  switch (item.kind) {
    case ItemKind::kMessage:
      return internal::MessageItem(
          item.id, status,
          added ? ojson::array() : ojson::array({internal::OutputText(item.text)}));
    case ItemKind::kReasoning:
      return internal::ReasoningItem(item.id, added ? "" : item.text, item.encrypted_content);
    case ItemKind::kFunctionCall:
      return internal::FunctionCallItem(item.id, status, item.call_id, item.name,
                                        added ? "" : item.text);
  }
  return nullptr;
}

ojson StreamEncoder::Output() const {
  ojson output = ojson::array();
  for (size_t i = 0; i < items_.size(); ++i) output.push_back(ItemJson(i, /*added=*/false));
  return output;
}

void StreamEncoder::Finish(std::string& out) {
  if (failed_ || finished_ || !started_) return;
  finished_ = true;
  const internal::Outcome outcome = internal::OutcomeOf(finish_reason_);
  for (size_t i = 0; i < items_.size(); ++i) {
    const bool last = i + 1 == items_.size();
    Close(i, last && outcome.status == "incomplete" ? "incomplete" : "completed", out);
  }
  const char* type = outcome.status == "completed"    ? "response.completed"
                     : outcome.status == "incomplete" ? "response.incomplete"
                                                      : "response.failed";
  EmitResponse(type, outcome.status, outcome.error, outcome.incomplete_details, out);
}

}  // namespace gw::dialects::openai_responses

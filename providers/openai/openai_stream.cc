#include "providers/openai/openai_stream.h"

namespace gw::providers::openai {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

}  // namespace

StreamTranslator::StreamTranslator(ResponseStamp stamp)
    : rewriter_(stamp, ResponseRewriter::Mode::kStreamChunk) {}

StreamTranslator::Outcome StreamTranslator::Translate(std::string_view payload, std::string& out) {
  payload = Trim(payload);
  if (payload == "[DONE]") {
    saw_done_ = true;
    const size_t mark = out.size();
    out += "data: ";
    if (rewriter_.AppendEstimatedUsageChunk(object_, created_, facts_, out)) {
      out += "\n\n";
    } else {
      out.resize(mark);
    }
    out += "data: [DONE]\n\n";
    return Outcome::kDone;
  }
  if (std::optional<json::ScanError> error = json::ScanObject(payload, members_)) {
    error_message_ = payload.empty() || payload.front() == '{'
                         ? "upstream sent invalid JSON in a stream chunk at byte " +
                               std::to_string(error->offset) + ": " + error->message
                         : "upstream stream chunk is not a JSON object";
    return Outcome::kMalformed;
  }
  const json::Member* error = json::FindMember(members_, "error");
  if (error != nullptr && error->kind != json::ValueKind::kNull) return UpstreamError(*error);
  if (chunks_ == 0) RememberChunkShape();
  out += "data: ";
  rewriter_.Append(members_, facts_, out);
  out += "\n\n";
  ++chunks_;
  return Outcome::kContinue;
}

// The `object` and `created` of the upstream's chunks, for a usage chunk of our own.
void StreamTranslator::RememberChunkShape() {
  const json::Member* object = json::FindMember(members_, "object");
  if (object != nullptr && object->kind == json::ValueKind::kString) object_.assign(object->value);
  const json::Member* created = json::FindMember(members_, "created");
  if (created != nullptr && created->kind == json::ValueKind::kNumber) {
    created_.assign(created->value);
  }
}

StreamTranslator::Outcome StreamTranslator::UpstreamError(const json::Member& error) {
  error_raw_.assign(error.value);
  const json::Member* message = nullptr;
  if (error.kind == json::ValueKind::kObject) {
    json::ObjectMembers(error.value, error_members_);
    message = json::FindMember(error_members_, "message");
  } else if (error.kind == json::ValueKind::kString) {
    message = &error;
  }
  std::optional<std::string> text;
  if (message != nullptr && message->kind == json::ValueKind::kString) {
    text = json::UnescapeString(json::StringContents(message->value));
  }
  error_message_ = text && !text->empty() ? std::move(*text) : error_raw_;
  return Outcome::kUpstreamError;
}

}  // namespace gw::providers::openai

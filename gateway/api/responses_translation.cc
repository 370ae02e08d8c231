#include "gateway/api/responses_translation.h"

#include <charconv>

#include "gateway/api/relayed_events.h"

namespace gw::api {
namespace {

namespace asio = boost::asio;
namespace responses = dialects::openai_responses;

template <typename Json>
std::string Dump(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::string ResponsesToChatBody(std::string_view responses_body, const nlohmann::json& history,
                                std::string_view model, int64_t created_at, ResponsesTurn& turn) {
  const nlohmann::json parsed = nlohmann::json::parse(responses_body, nullptr, false);
  if (parsed.is_discarded()) return "request body is not valid JSON";
  dialects::Request request;
  std::string problem = responses::DecodeRequest(parsed, request, history);
  if (!problem.empty()) return problem;
  turn.context = responses::ContextFromRequest(parsed, created_at);
  turn.conversation = history.is_array() ? history : nlohmann::json::array();
  if (parsed.contains("input")) {
    for (nlohmann::json& item : responses::InputItems(parsed["input"])) {
      turn.conversation.push_back(std::move(item));
    }
  }
  turn.chat_body = Dump(dialects::openai_chat::EncodeRequest(request, model));
  return {};
}

std::string NativeResponsesBody(std::string_view client_body, const ResponsesTurn& turn) {
  // Member order kept (ordered_json), only `input` and previous_response_id change.
  nlohmann::ordered_json body = nlohmann::ordered_json::parse(client_body, nullptr, false);
  if (!body.is_object() || !body.contains("previous_response_id")) return std::string(client_body);
  body["input"] = turn.conversation;
  body.erase("previous_response_id");
  return Dump(body);
}

std::string ChatToResponsesResponse(std::string_view chat_body,
                                    const responses::ResponseContext& context,
                                    std::string& responses_body) {
  const nlohmann::json parsed = nlohmann::json::parse(chat_body, nullptr, false);
  if (parsed.is_discarded()) return "the endpoint's answer is not valid JSON";
  dialects::Response response;
  std::string problem = dialects::openai_chat::DecodeResponse(parsed, response);
  if (!problem.empty()) return problem;
  responses_body = responses::EncodeResponse(response, context);
  return {};
}

std::string_view ResponseOfFinalEvent(std::string_view event) {
  constexpr std::string_view kData = "data: ";
  const size_t data = event.find(kData);
  if (data == std::string_view::npos) return {};
  event.remove_prefix(data + kData.size());
  event = event.substr(0, event.find('\n'));
  // The member's exact text: the stored object reads byte for byte as the event did.
  std::vector<json::Member> members;
  if (json::ScanObject(event, members)) return {};
  const json::Member* response = json::FindMember(members, "response");
  if (response == nullptr || response->kind != json::ValueKind::kObject) return {};
  return response->value;
}

std::string ConversationAfter(const ResponsesTurn& turn, std::string_view response_json) {
  std::string items = Dump(turn.conversation);  // "[...]"
  std::vector<json::Member> members;
  if (json::ScanObject(response_json, members)) return items;
  const json::Member* output = json::FindMember(members, "output");
  if (output == nullptr || output->kind != json::ValueKind::kArray) return items;
  // Splices the output items' text after the conversation's: "[a,b]" + "[c]" -> "[a,b,c]".
  std::vector<json::Element> elements;
  json::ArrayElements(output->value, elements);
  items.pop_back();
  for (const json::Element& element : elements) {
    if (items.size() > 1) items += ',';
    items += element.value;
  }
  items += ']';
  return items;
}

asio::awaitable<bool> ResponsesStreamSink::KeepAlive() {
  const bool open = co_await client_.KeepAlive();
  co_return open;
}

asio::awaitable<bool> ResponsesStreamSink::Events(std::string_view events) {
  using Result = dialects::openai_chat::StreamDecoder::Result;
  out_.clear();
  size_t at = 0;
  std::string_view event;
  while (NextDataPayload(events, at, event)) {
    ir_.clear();
    const Result result = decoder_.Decode(event, ir_);
    for (const dialects::StreamEvent& item : ir_) encoder_.Encode(item, out_);
    if (result == Result::kDone) {
      // Finish writes the closing item events and the final event; the final one is kept.
      // Events end with a blank line, which JSON text cannot contain, so the last "\n\n"
      // before the end separates the final event from the others.
      std::string tail;
      encoder_.Finish(tail);
      const size_t previous_end =
          tail.size() > 2 ? tail.rfind("\n\n", tail.size() - 3) : std::string::npos;
      const size_t final_start = previous_end == std::string::npos ? 0 : previous_end + 2;
      final_event_ = tail.substr(final_start);
      out_.append(tail, 0, final_start);
    }
  }
  if (out_.empty()) co_return true;
  const bool delivered = co_await client_.Events(out_);
  co_return delivered;
}

std::string ResponsesStreamSink::FailureEvents(int status, std::string message) {
  dialects::StreamEvent error;
  error.kind = dialects::StreamEvent::Kind::kError;
  error.status = status;
  error.text = std::move(message);
  std::string out;
  encoder_.Encode(error, out);
  return out;
}

asio::awaitable<bool> ResponsesPassthroughSink::KeepAlive() {
  const bool open = co_await client_.KeepAlive();
  co_return open;
}

asio::awaitable<bool> ResponsesPassthroughSink::Events(std::string_view events) {
  constexpr std::string_view kEvent = "event: ";
  constexpr std::string_view kSequence = "\"sequence_number\":";
  out_.clear();
  // The adapter writes complete events, "event: <type>\ndata: <json>\n\n" each.
  size_t at = 0;
  while (at < events.size()) {
    size_t end = events.find("\n\n", at);
    end = end == std::string_view::npos ? events.size() : end + 2;
    const std::string_view event = events.substr(at, end - at);
    at = end;
    std::string_view type = event.starts_with(kEvent) ? event.substr(kEvent.size()) : "";
    type = type.substr(0, type.find('\n'));
    if (const size_t number = event.find(kSequence); number != std::string_view::npos) {
      int64_t sequence = 0;
      const char* first = event.data() + number + kSequence.size();
      const auto [last, error] = std::from_chars(first, event.data() + event.size(), sequence);
      if (error == std::errc() && last != first) next_sequence_ = sequence + 1;
    }
    if (type == "response.created") {
      const size_t data = event.find("data: ");
      const nlohmann::ordered_json parsed =
          data == std::string_view::npos
              ? nlohmann::ordered_json()
              : nlohmann::ordered_json::parse(event.substr(data + 6), nullptr, false);
      if (parsed.is_object() && parsed.contains("response")) created_ = parsed["response"];
    }
    if (type == "response.completed" || type == "response.incomplete") {
      final_event_ = std::string(event);
    } else {
      out_ += event;
    }
  }
  if (out_.empty()) co_return true;
  const bool delivered = co_await client_.Events(out_);
  co_return delivered;
}

std::string ResponsesPassthroughSink::FailureEvents(int status, std::string message) {
  const std::string code = status == 429 ? "rate_limit_exceeded" : "server_error";
  nlohmann::ordered_json event;
  std::string_view type = "error";
  if (created_.is_object()) {
    type = "response.failed";
    nlohmann::ordered_json response = created_;
    response["status"] = "failed";
    response["error"] = {{"code", code}, {"message", message}};
    event = {{"type", type}, {"sequence_number", next_sequence_}, {"response", response}};
  } else {
    event = {{"type", type},
             {"sequence_number", next_sequence_},
             {"code", code},
             {"message", message},
             {"param", nullptr}};
  }
  ++next_sequence_;
  std::string out = "event: ";
  out += type;
  out += "\ndata: ";
  out += event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += "\n\n";
  return out;
}

}  // namespace gw::api

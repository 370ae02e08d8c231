// Responses event streams. A streamed answer for a Responses client, as the server produces it:
// the upstream's SSE stream through the endpoint's adapter (an OpenAI-compatible one's
// StreamTranslator, an Anthropic one's ToChatTranslator, or none: raw chat chunk payloads) into
// gateway/api/responses_translation ResponsesStreamSink (openai_chat::StreamDecoder +
// openai_responses::StreamEncoder, run on an io_context), then the sink's held-back final event,
// or its failure events when the attempt fails. And a Responses-native upstream's events through
// openai_responses::StreamDecoder, re-encoded by its StreamEncoder.
// Input: byte 0 picks the path (bits 0-1), whether the adapter's events reach the sink one
// payload at a time or in one batch (bit 2) and the failure status (bit 3: 429, else 502); the
// rest is the upstream's stream (SSE bytes).
// Invariants: the adapter's chat events are well framed (fuzz_check.h CheckEventStream: the sink
// splits them at blank lines). On what the client gets: each event "event: T\ndata: J\n\n" with J a
// JSON object of type T and sequence_number 0, 1, 2, ...; response.created and response.in_progress
// first (or a lone `error`); output items added at the next output index, their deltas, done events
// and output_item.done agreeing with each other; at most one final event (response.completed,
// .incomplete, .failed), last, with the status its name says, the items as they were done and
// the text, thinking and tool calls the IR events carried. Our own stream decodes with our own
// StreamDecoder (never malformed, ending as the stream ends) to the content of the final object,
// which DecodeResponse reads. The native decoder numbers tool calls 0, 1, ... in order of start
// (dialects/ir.h) and never reports negative counts.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/json/json_scan.h"
#include "dialects/openai_chat/chat_codec.h"
#include "dialects/openai_responses/responses_codec.h"
#include "fuzz/fuzz_check.h"
#include "gateway/api/responses_translation.h"
#include "providers/anthropic/anthropic_facts.h"
#include "providers/openai/openai_stream.h"
#include "providers/sse_parser.h"

namespace {

namespace asio = boost::asio;
namespace openai_chat = gw::dialects::openai_chat;
namespace responses = gw::dialects::openai_responses;
using gw::dialects::StreamEvent;
using nlohmann::json;
using Outcome = gw::providers::EventTranslator::Outcome;

const responses::ResponseContext& Context() {
  static const responses::ResponseContext context = responses::ContextFromRequest(
      json::parse(R"({"model":"gpt-5-codex","instructions":"Be brief.","store":true,
        "tools":[{"type":"function","name":"shell","parameters":{"type":"object"}}],
        "reasoning":{"effort":"medium","summary":"auto"},"stream":true})"),
      1700000000);
  return context;
}

std::vector<std::string> Payloads(std::string_view stream) {
  std::vector<std::string> payloads;
  gw::providers::SseParser parser(64 * 1024);
  const auto on_data = [&](std::string_view payload) { payloads.emplace_back(payload); };
  if (parser.Feed(stream, on_data)) parser.Finish(on_data);
  return payloads;
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  const size_t first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kWhitespace) - first + 1);
}

// The `data:` payloads of "data: ...\n\n" events, as the sink splits them.
std::vector<std::string> DataOf(std::string_view events) {
  std::vector<std::string> payloads;
  while (!events.empty()) {
    size_t end = events.find("\n\n");
    if (end == std::string_view::npos) end = events.size();
    const std::string_view event = events.substr(0, end);
    events.remove_prefix(std::min(events.size(), end + 2));
    if (event.starts_with("data: ")) payloads.emplace_back(event.substr(6));
  }
  return payloads;
}

// ---- What the IR events that reached the encoder carried ----

struct Content {
  std::string text, thinking;
  std::vector<std::string> calls;  // call_id, name, arguments ("{}" when none)
  bool operator==(const Content&) const = default;
};

std::string CallKey(const std::string& id, const std::string& name, std::string arguments) {
  return id + '\0' + name + '\0' + (arguments.empty() ? "{}" : arguments);
}

Content ContentOf(const gw::dialects::Response& response) {
  Content content;
  for (const gw::dialects::Part& part : response.content) {
    if (part.kind == gw::dialects::Part::Kind::kText) content.text += part.text;
    if (part.kind == gw::dialects::Part::Kind::kThinking) content.thinking += part.text;
    if (part.kind == gw::dialects::Part::Kind::kToolCall) {
      content.calls.push_back(CallKey(part.id, part.name, part.arguments));
    }
  }
  return content;
}

// Collects IR events up to where an encoder stops (an error, or the end of the stream).
struct IrContent {
  std::string text, thinking;
  std::map<int, std::pair<std::string, std::string>> calls;  // index -> id + name, arguments
  size_t call_starts = 0;
  bool started = false, stopped = false;

  void Add(const StreamEvent& event) {
    if (stopped) return;
    if (event.kind == StreamEvent::Kind::kError) stopped = true;
    if (event.kind == StreamEvent::Kind::kStart) started = true;
    if (!started) return;
    switch (event.kind) {
      case StreamEvent::Kind::kTextDelta:
        text += event.text;
        break;
      case StreamEvent::Kind::kThinkingDelta:
        thinking += event.text;
        break;
      case StreamEvent::Kind::kToolCallStart:
        ++call_starts;
        calls[event.index] = {event.id + '\0' + event.name + '\0', ""};
        break;
      case StreamEvent::Kind::kToolCallDelta:
        if (auto call = calls.find(event.index); call != calls.end()) {
          call->second.second += event.text;
        }
        break;
      default:
        break;
    }
  }
};

// ---- The client's stream ----

struct Item {
  std::string type, id, text;
  bool summary_open = false, done = false;
  json done_item;
};

const json& Member(const json& object, const char* key) {
  FUZZ_CHECK(object.is_object() && object.contains(key));
  return object[key];
}

std::string StringMember(const json& object, const char* key) {
  const json& value = Member(object, key);
  FUZZ_CHECK(value.is_string());
  return value.get<std::string>();
}

bool IsFinal(const std::string& type) {
  return type == "response.completed" || type == "response.incomplete" || type == "response.failed";
}

struct ClientStream {
  std::vector<std::pair<std::string, std::string>> events;  // type, payload
  json final_response;                                      // the final event's, or null
  std::string final_type;
};

// Checks an event stream written to a Responses client and returns its events.
ClientStream CheckClientStream(std::string_view stream) {
  ClientStream out;
  std::vector<Item> items;
  std::set<std::string> ids;
  std::string response_id;
  bool ended = false;
  while (!stream.empty()) {
    FUZZ_CHECK(!ended);  // nothing after a final event or an error
    FUZZ_CHECK(stream.starts_with("event: "));
    const size_t type_end = stream.find('\n');
    FUZZ_CHECK(type_end != std::string_view::npos);
    const std::string type(stream.substr(7, type_end - 7));
    stream.remove_prefix(type_end + 1);
    FUZZ_CHECK(stream.starts_with("data: "));
    const size_t data_end = stream.find("\n\n");
    FUZZ_CHECK(data_end != std::string_view::npos);
    const std::string payload(stream.substr(6, data_end - 6));
    stream.remove_prefix(data_end + 2);
    FUZZ_CHECK(payload.find('\n') == std::string::npos);
    const json event = json::parse(payload, nullptr, false);
    FUZZ_CHECK(event.is_object());
    FUZZ_CHECK(StringMember(event, "type") == type);
    const size_t index = out.events.size();
    FUZZ_CHECK(Member(event, "sequence_number") == index);
    out.events.emplace_back(type, payload);

    if (type == "error") {  // before response.created only, and alone
      FUZZ_CHECK(index == 0);
      const std::string code = StringMember(event, "code");
      FUZZ_CHECK(code == "server_error" || code == "rate_limit_exceeded");
      StringMember(event, "message");
      ended = true;
      continue;
    }
    if (index == 0) FUZZ_CHECK(type == "response.created");
    if (index == 1) FUZZ_CHECK(type == "response.in_progress");
    if (type == "response.created" || type == "response.in_progress") {
      FUZZ_CHECK(index <= 1);
      const json& response = Member(event, "response");
      FUZZ_CHECK(StringMember(response, "object") == "response");
      FUZZ_CHECK(StringMember(response, "status") == "in_progress");
      FUZZ_CHECK(Member(response, "output") == json::array());
      if (index == 0) response_id = StringMember(response, "id");
      FUZZ_CHECK(StringMember(response, "id") == response_id);
      continue;
    }
    FUZZ_CHECK(index >= 2);
    if (IsFinal(type)) {
      ended = true;
      out.final_type = type;
      out.final_response = Member(event, "response");
      const json& response = out.final_response;
      FUZZ_CHECK(StringMember(response, "object") == "response");
      FUZZ_CHECK(StringMember(response, "id") == response_id);
      const std::string status = StringMember(response, "status");
      FUZZ_CHECK(type == "response." + status);
      const json& output = Member(response, "output");
      FUZZ_CHECK(output.is_array() && output.size() == items.size());
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].done) {
          FUZZ_CHECK(output[i] == items[i].done_item);
        } else {
          // Only a failed stream leaves items open: the object shows them incomplete.
          FUZZ_CHECK(status == "failed");
          FUZZ_CHECK(StringMember(output[i], "id") == items[i].id);
          if (items[i].type != "reasoning") {
            FUZZ_CHECK(StringMember(output[i], "status") == "incomplete");
          }
        }
      }
      if (status == "incomplete") {
        const std::string reason = StringMember(Member(response, "incomplete_details"), "reason");
        FUZZ_CHECK(reason == "max_output_tokens" || reason == "content_filter");
        if (!items.empty() && items.back().type != "reasoning") {
          FUZZ_CHECK(StringMember(output.back(), "status") == "incomplete");
        }
      }
      if (status == "failed") {
        const std::string code = StringMember(Member(response, "error"), "code");
        FUZZ_CHECK(code == "server_error" || code == "rate_limit_exceeded");
      } else {
        FUZZ_CHECK(Member(response, "error").is_null());
      }
      continue;
    }

    const json& output_index = Member(event, "output_index");
    FUZZ_CHECK(output_index.is_number_unsigned());
    const size_t at = output_index.get<size_t>();
    if (type == "response.output_item.added") {
      FUZZ_CHECK(at == items.size());
      const json& added = Member(event, "item");
      Item item;
      item.type = StringMember(added, "type");
      item.id = StringMember(added, "id");
      FUZZ_CHECK(item.type == "message" || item.type == "reasoning" ||
                 item.type == "function_call");
      FUZZ_CHECK(ids.insert(item.id).second);
      if (item.type != "reasoning") FUZZ_CHECK(StringMember(added, "status") == "in_progress");
      // Redacted thinking is added and done at once, everything else starts empty.
      if (item.type == "function_call") FUZZ_CHECK(StringMember(added, "arguments").empty());
      items.push_back(std::move(item));
      continue;
    }
    FUZZ_CHECK(at < items.size());
    Item& item = items[at];
    FUZZ_CHECK(!item.done);
    if (type == "response.output_item.done") {
      const json& done = Member(event, "item");
      FUZZ_CHECK(StringMember(done, "id") == item.id && StringMember(done, "type") == item.type);
      if (item.type == "message") {
        const json& content = Member(done, "content");
        FUZZ_CHECK(content.is_array() && content.size() == 1);
        FUZZ_CHECK(StringMember(content[0], "text") == item.text);
      } else if (item.type == "function_call") {
        FUZZ_CHECK(StringMember(done, "arguments") == (item.text.empty() ? "{}" : item.text));
      } else {
        const json& summary = Member(done, "summary");
        FUZZ_CHECK(summary.is_array() && summary.size() == (item.text.empty() ? 0u : 1u));
        if (!item.text.empty()) FUZZ_CHECK(StringMember(summary[0], "text") == item.text);
      }
      item.done = true;
      item.done_item = done;
      continue;
    }
    FUZZ_CHECK(StringMember(event, "item_id") == item.id);
    if (type == "response.content_part.added") {
      FUZZ_CHECK(item.type == "message");
    } else if (type == "response.output_text.delta") {
      FUZZ_CHECK(item.type == "message");
      const std::string delta = StringMember(event, "delta");
      FUZZ_CHECK(!delta.empty());
      item.text += delta;
    } else if (type == "response.output_text.done") {
      FUZZ_CHECK(item.type == "message" && StringMember(event, "text") == item.text);
    } else if (type == "response.content_part.done") {
      FUZZ_CHECK(item.type == "message");
      FUZZ_CHECK(StringMember(Member(event, "part"), "text") == item.text);
    } else if (type == "response.reasoning_summary_part.added") {
      FUZZ_CHECK(item.type == "reasoning" && !item.summary_open);
      item.summary_open = true;
    } else if (type == "response.reasoning_summary_text.delta") {
      FUZZ_CHECK(item.type == "reasoning" && item.summary_open);
      const std::string delta = StringMember(event, "delta");
      FUZZ_CHECK(!delta.empty());
      item.text += delta;
    } else if (type == "response.reasoning_summary_text.done") {
      FUZZ_CHECK(item.type == "reasoning" && StringMember(event, "text") == item.text);
    } else if (type == "response.reasoning_summary_part.done") {
      FUZZ_CHECK(item.type == "reasoning");
      FUZZ_CHECK(StringMember(Member(event, "part"), "text") == item.text);
    } else if (type == "response.function_call_arguments.delta") {
      FUZZ_CHECK(item.type == "function_call");
      const std::string delta = StringMember(event, "delta");
      FUZZ_CHECK(!delta.empty());
      item.text += delta;
    } else if (type == "response.function_call_arguments.done") {
      FUZZ_CHECK(item.type == "function_call");
      FUZZ_CHECK(StringMember(event, "arguments") == (item.text.empty() ? "{}" : item.text));
    } else {
      FUZZ_CHECK(false && "an event type the encoder does not write");
    }
  }
  return out;
}

// Our own stream through our own decoder, and the final object through DecodeResponse: the same
// content, which is what the IR events carried.
void CheckRoundTrip(const ClientStream& stream, const IrContent& ir) {
  if (stream.events.empty()) return;
  responses::StreamDecoder decoder;
  std::vector<StreamEvent> events;
  responses::StreamDecoder::Result result = responses::StreamDecoder::Result::kContinue;
  for (size_t i = 0; i < stream.events.size(); ++i) {
    FUZZ_CHECK(result == responses::StreamDecoder::Result::kContinue);
    result = decoder.Decode(stream.events[i].second, events);
  }
  const std::string& last = stream.events.back().first;
  if (last == "response.completed" || last == "response.incomplete") {
    FUZZ_CHECK(result == responses::StreamDecoder::Result::kDone);
  } else if (last == "response.failed" || last == "error") {
    FUZZ_CHECK(result == responses::StreamDecoder::Result::kError);
  } else {
    FUZZ_CHECK(result == responses::StreamDecoder::Result::kContinue);
  }
  if (last == "error") return;

  IrContent decoded;
  const StreamEvent* finish = nullptr;
  const StreamEvent* usage = nullptr;
  for (const StreamEvent& event : events) {
    decoded.Add(event);
    if (event.kind == StreamEvent::Kind::kFinish) finish = &event;
    if (event.kind == StreamEvent::Kind::kUsage) usage = &event;
  }
  FUZZ_CHECK(decoded.text == ir.text && decoded.thinking == ir.thinking);
  FUZZ_CHECK(decoded.call_starts == ir.call_starts);
  if (stream.final_response.is_null()) return;

  gw::dialects::Response whole;
  FUZZ_CHECK(responses::DecodeResponse(stream.final_response, whole).empty());
  const Content content = ContentOf(whole);
  FUZZ_CHECK(content.text == ir.text && content.thinking == ir.thinking);
  FUZZ_CHECK(content.calls.size() == ir.call_starts);
  std::vector<std::string> calls;  // by IR index, which is output order
  for (const auto& [index, call] : decoded.calls) {
    calls.push_back(call.first + (call.second.empty() ? "{}" : call.second));
  }
  FUZZ_CHECK(calls == content.calls);
  if (finish != nullptr) {
    FUZZ_CHECK(finish->finish_reason == whole.finish_reason);
    FUZZ_CHECK((usage != nullptr) == whole.usage.has_value());
    if (usage != nullptr) FUZZ_CHECK(usage->usage == whole.usage);
  }
}

// ---- The server's path: adapter, sink, final event ----

class ClientSink final : public gw::providers::StreamSink {
 public:
  asio::awaitable<bool> KeepAlive() override { co_return true; }
  asio::awaitable<bool> Events(std::string_view events) override {
    received += events;
    co_return true;
  }
  std::string received;
};

// Runs the sink's Events coroutine to its end, as the server's worker would.
void Deliver(gw::api::ResponsesStreamSink& sink, std::string_view events) {
  static asio::io_context io;
  bool finished = false;
  asio::co_spawn(io, sink.Events(events), [&](std::exception_ptr error, bool delivered) {
    FUZZ_CHECK(!error && delivered);
    finished = true;
  });
  io.restart();
  io.run();
  FUZZ_CHECK(finished);
}

// The chat events an adapter hands to the sink, decoded as the sink decodes them.
void AddChatEvents(openai_chat::StreamDecoder& decoder, std::string_view events, IrContent& ir) {
  std::vector<StreamEvent> decoded;
  for (const std::string& payload : DataOf(events)) {
    decoded.clear();
    const openai_chat::StreamDecoder::Result result = decoder.Decode(payload, decoded);
    for (const StreamEvent& event : decoded) ir.Add(event);
    if (result == openai_chat::StreamDecoder::Result::kDone) ir.stopped = true;
  }
}

// One attempt: the upstream's payloads through `translator` (null: the payloads are chat chunks
// that reach the sink as they are) into the sink; then the final event or the failure events.
void Serve(gw::providers::EventTranslator* translator, const std::vector<std::string>& payloads,
           bool batch, int failure_status) {
  ClientSink client;
  gw::api::ResponsesStreamSink sink(client, Context());
  openai_chat::StreamDecoder reference;
  IrContent ir;
  std::string pending;
  bool done = false;
  std::string failure = "the upstream stream ended early";
  for (const std::string& payload : payloads) {
    std::string out;
    Outcome outcome = Outcome::kContinue;
    if (translator != nullptr) {
      outcome = translator->Translate(payload, out);
      gw::fuzz::CheckEventStream(out);  // what a chat client would get from the adapter
    } else if (payload.find("\n\n") == std::string::npos) {  // an adapter writes one event each
      out = "data: " + payload + "\n\n";
      if (Trim(payload) == "[DONE]") {  // where an adapter stops, writing it as it does
        out = "data: [DONE]\n\n";
        outcome = Outcome::kDone;
      }
    }
    pending += out;
    if (!batch && !pending.empty()) {
      AddChatEvents(reference, pending, ir);
      Deliver(sink, pending);
      pending.clear();
    }
    if (outcome == Outcome::kDone) {
      done = true;
      break;
    }
    if (outcome != Outcome::kContinue) {
      failure = translator->error_message();
      break;
    }
  }
  if (!pending.empty()) {
    AddChatEvents(reference, pending, ir);
    Deliver(sink, pending);
  }
  std::string stream = client.received;
  const std::string final_event = sink.TakeFinalEvent();
  if (done) {
    stream += final_event;  // the server holds it back until the usage record is durable
    if (!final_event.empty()) {
      const std::string_view object = gw::api::ResponseOfFinalEvent(final_event);
      FUZZ_CHECK(!object.empty() && !gw::json::Validate(object));  // what the store keeps
    }
  } else {
    FUZZ_CHECK(final_event.empty());
    // A stream that is open (the server wrote to it) ends with response.failed.
    if (!stream.empty()) stream += sink.FailureEvents(failure_status, failure);
  }
  const ClientStream checked = CheckClientStream(stream);
  // A stream that reached its end has ended for the client too.
  if (done && !checked.events.empty()) {
    FUZZ_CHECK(!checked.final_type.empty() || checked.events.back().first == "error");
  }
  CheckRoundTrip(checked, ir);
}

// ---- A Responses-native upstream ----

void Native(const std::vector<std::string>& payloads, int failure_status) {
  using Result = responses::StreamDecoder::Result;
  responses::StreamDecoder decoder;
  responses::StreamEncoder encoder(Context());
  std::vector<StreamEvent> events;
  IrContent ir;
  std::string stream;
  bool started = false;
  int call_starts = 0;
  Result result = Result::kContinue;
  for (const std::string& payload : payloads) {
    events.clear();
    result = decoder.Decode(payload, events);
    for (const StreamEvent& event : events) {
      // dialects/ir.h: one start, first; tool calls numbered 0, 1, ... as they start.
      FUZZ_CHECK((event.kind == StreamEvent::Kind::kStart) == !started ||
                 event.kind == StreamEvent::Kind::kError);
      if (event.kind == StreamEvent::Kind::kStart) started = true;
      if (event.kind == StreamEvent::Kind::kToolCallStart) {
        FUZZ_CHECK(event.index == call_starts);
        ++call_starts;
      }
      if (event.kind == StreamEvent::Kind::kToolCallDelta) {
        FUZZ_CHECK(event.index >= 0 && event.index < call_starts);
      }
      if (event.kind == StreamEvent::Kind::kUsage) {
        FUZZ_CHECK(event.usage.has_value());
        const gw::dialects::TokenUsage& usage = *event.usage;
        FUZZ_CHECK(usage.prompt_tokens >= 0 && usage.completion_tokens >= 0);
        FUZZ_CHECK(usage.total_tokens >= 0 && usage.cached_tokens >= 0);
        FUZZ_CHECK(usage.reasoning_tokens >= 0);
      }
      ir.Add(event);
      encoder.Encode(event, stream);
    }
    if (result == Result::kError) {
      FUZZ_CHECK(!events.empty() && events.back().kind == StreamEvent::Kind::kError);
      FUZZ_CHECK(!decoder.error_message().empty());
    }
    if (result != Result::kContinue) break;
  }
  if (result == Result::kDone) {
    encoder.Finish(stream);
  } else if (result != Result::kError) {
    StreamEvent failure;
    failure.kind = StreamEvent::Kind::kError;
    failure.status = failure_status;
    failure.text = result == Result::kMalformed ? decoder.error_message() : "ended early";
    encoder.Encode(failure, stream);
  }
  const ClientStream checked = CheckClientStream(stream);
  CheckRoundTrip(checked, ir);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::vector<std::string> payloads = Payloads(gw::fuzz::AsText(data + 1, size - 1));
  const bool batch = (data[0] & 4) != 0;
  const int failure_status = (data[0] & 8) != 0 ? 429 : 502;
  const gw::providers::ResponseStamp stamp{
      .id = "gen-fuzz", .model = "vendor/model", .provider = "fuzz"};
  switch (data[0] % 4) {
    case 0:
      Serve(nullptr, payloads, batch, failure_status);
      break;
    case 1: {
      gw::providers::openai::StreamTranslator translator(stamp);
      Serve(&translator, payloads, batch, failure_status);
      break;
    }
    case 2: {
      gw::providers::anthropic::ToChatTranslator translator(stamp);
      Serve(&translator, payloads, batch, failure_status);
      break;
    }
    case 3:
      Native(payloads, failure_status);
      break;
  }
  return 0;
}

// The Anthropic stream translators, both directions: an Anthropic endpoint's event stream for a
// chat client (providers/anthropic ToChatTranslator, behind the real SSE parser) and a chat
// chunk stream for a Messages client (openai_chat::StreamDecoder into anthropic::StreamEncoder,
// what gateway/api/messages_translation's MessagesStreamSink does per event).
// Input: byte 0 picks the direction; the rest is the upstream's stream (SSE bytes). Invariant:
// every event written to the client is well framed and carries valid JSON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dialects/anthropic/messages_codec.h"
#include "dialects/openai_chat/chat_codec.h"
#include "fuzz/fuzz_check.h"
#include "providers/anthropic/anthropic_facts.h"
#include "providers/sse_parser.h"

namespace {

namespace anthropic = gw::dialects::anthropic;
namespace openai_chat = gw::dialects::openai_chat;

std::vector<std::string> Payloads(std::string_view stream) {
  std::vector<std::string> payloads;
  gw::providers::SseParser parser(64 * 1024);
  const auto on_data = [&](std::string_view payload) { payloads.emplace_back(payload); };
  if (parser.Feed(stream, on_data)) parser.Finish(on_data);
  return payloads;
}

void AnthropicToChat(std::string_view stream) {
  const gw::providers::ResponseStamp stamp{
      .id = "gen-fuzz", .model = "vendor/model", .provider = "anthropic"};
  gw::providers::anthropic::ToChatTranslator translator(stamp);
  std::string out;
  for (const std::string& payload : Payloads(stream)) {
    if (translator.Translate(payload, out) != gw::providers::EventTranslator::Outcome::kContinue) {
      break;
    }
  }
  gw::fuzz::CheckEventStream(out);
}

void ChatToAnthropic(std::string_view stream) {
  using Result = openai_chat::StreamDecoder::Result;
  openai_chat::StreamDecoder decoder;
  anthropic::StreamEncoder encoder;
  std::vector<gw::dialects::StreamEvent> events;
  std::string out;
  for (const std::string& payload : Payloads(stream)) {
    events.clear();
    const Result result = decoder.Decode(payload, events);
    for (gw::dialects::StreamEvent& event : events) {
      if (event.kind == gw::dialects::StreamEvent::Kind::kStart) {
        event.usage.emplace().prompt_tokens = 12;  // the route's estimate
      }
      encoder.Encode(event, out);
    }
    if (result == Result::kDone) encoder.Finish(out);
    if (result != Result::kContinue) break;
  }
  gw::fuzz::CheckEventStream(out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view stream = gw::fuzz::AsText(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    AnthropicToChat(stream);
  } else {
    ChatToAnthropic(stream);
  }
  return 0;
}

// Accounting facts (usage, finish reason, generated text) read from Anthropic's answers as they
// pass through untouched, and the stream translators of the two Anthropic paths:
// passthrough (Messages in, Messages out) and translated (Anthropic out, Chat Completions in).
// One translator per stream; used on that stream's worker thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dialects/anthropic/messages_codec.h"
#include "dialects/openai_chat/chat_codec.h"
#include "providers/event_translator.h"
#include "providers/openai/openai_stream.h"

namespace gw::providers::anthropic {

// Adds one IR event's facts: text, thinking and tool-argument deltas to the generated text, the
// finish reason, the usage.
void AddFacts(const dialects::StreamEvent& event, CompletionFacts& facts);
// The facts of a whole response.
void AddFacts(const dialects::Response& response, CompletionFacts& facts);

// Messages stream in, the same Messages stream out: each event is relayed as
// "event: <type>\ndata: <payload>\n\n" (the `type` of the payload names the event, as Anthropic's
// do), read for its facts on the way. An `error` event is an in-band upstream error.
class PassthroughTranslator final : public EventTranslator {
 public:
  Outcome Translate(std::string_view payload, std::string& out) override;
  const CompletionFacts& facts() const override { return facts_; }
  bool saw_done() const override { return saw_done_; }
  const std::string& error_message() const override { return error_message_; }
  const std::string& error_raw() const override { return error_raw_; }

 private:
  dialects::anthropic::StreamDecoder decoder_;
  std::vector<dialects::StreamEvent> events_;
  std::vector<json::Member> members_;
  CompletionFacts facts_;
  std::string error_message_, error_raw_;
  bool saw_done_ = false;
};

// Messages stream in, chat.completion.chunk stream out: Anthropic's events decoded into IR
// events, encoded as chat chunks, and those stamped and priced by the OpenAI StreamTranslator.
class ToChatTranslator final : public EventTranslator {
 public:
  explicit ToChatTranslator(const ResponseStamp& stamp) : chat_(stamp) {}
  Outcome Translate(std::string_view payload, std::string& out) override;
  const CompletionFacts& facts() const override { return chat_.facts(); }
  bool saw_done() const override { return chat_.saw_done(); }
  const std::string& error_message() const override { return error_message_; }
  const std::string& error_raw() const override { return error_raw_; }

 private:
  // Feeds every "data: ...\n\n" event of encoded_ to the chat translator.
  Outcome Relay(std::string& out);

  dialects::anthropic::StreamDecoder decoder_;
  dialects::openai_chat::StreamEncoder encoder_;
  openai::StreamTranslator chat_;
  std::vector<dialects::StreamEvent> events_;
  std::string encoded_;
  std::string error_message_, error_raw_;
};

}  // namespace gw::providers::anthropic

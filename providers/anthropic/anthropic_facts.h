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

// The facts of a whole Messages response that passes through, read without building it: the
// top-level members of `body` (validated by json::ScanObject). Usage and stop_reason; the
// generated text only when there is no usage (it is what an estimate counts).
void AddPassthroughFacts(const std::vector<json::Member>& body, CompletionFacts& facts);

// Messages stream in, the same Messages stream out: each event is relayed as
// "event: <type>\ndata: <payload>\n\n" (the `type` of the payload names the event, as Anthropic's
// do), read for its facts on the way with the scanner only (a DOM just for the small usage
// objects of message_start and message_delta). An `error` event is an in-band upstream error.
class PassthroughTranslator final : public EventTranslator {
 public:
  Outcome Translate(std::string_view payload, std::string& out) override;
  const CompletionFacts& facts() const override { return facts_; }
  bool saw_done() const override { return saw_done_; }
  const std::string& error_message() const override { return error_message_; }
  const std::string& error_raw() const override { return error_raw_; }

 private:
  void AddUsage(std::string_view usage_object);
  void AddDelta(std::string_view delta_object);

  std::vector<json::Member> members_, inner_;
  nlohmann::json usage_;  // Anthropic's usage so far: message_start's, updated by message_delta
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

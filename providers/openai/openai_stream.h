// Per-stream translation of upstream chat/completions chunks (the `data:` payloads of an SSE
// stream) into the router's chunks, collecting usage and finish facts along the way.
// Owned by the session relaying one upstream stream; not thread-safe, used on that worker.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/json/json_scan.h"
#include "providers/event_translator.h"
#include "providers/openai/openai_response.h"

namespace gw::providers::openai {

class StreamTranslator final : public EventTranslator {
 public:
  explicit StreamTranslator(ResponseStamp stamp);  // the stamp's views must outlive the translator

  // kContinue: chunk appended; kDone: upstream sent [DONE], "data: [DONE]\n\n" appended;
  // kUpstreamError: an in-band error ({"error": {...}}), nothing appended; kMalformed: the
  // payload is not valid JSON / not an object, nothing appended.
  using Outcome = EventTranslator::Outcome;

  // Translates one upstream `data:` payload (surrounding whitespace ignored). A JSON chunk is
  // rewritten like RewriteResponse (id, model, provider stamped; choices[].finish_reason
  // normalized, with native_finish_reason added when it is non-null) and appended as
  // "data: <chunk>\n\n". Every chunk passes, including the final usage chunk with `choices: []`.
  // Facts: usage from each chunk with a `usage` object (the last one wins), the last non-null
  // finish_reason of any choice, and completion_chars summed over the deltas (see
  // CompletionFacts). A chunk whose `error` member is present and not null is kUpstreamError.
  // With a UsageMeter in the stamp, usage objects get their cost, and a stream that reaches
  // [DONE] without valid usage gets an estimated usage chunk just before "data: [DONE]".
  Outcome Translate(std::string_view payload, std::string& out) override;

  const CompletionFacts& facts() const override { return facts_; }
  bool saw_done() const override { return saw_done_; }
  int64_t chunks() const { return chunks_; }  // JSON chunks translated
  // kUpstreamError: the upstream error's message (or its raw text if it has none);
  // kMalformed: the reason.
  const std::string& error_message() const override { return error_message_; }
  const std::string& error_raw() const override {
    return error_raw_;
  }  // kUpstreamError: error value text

 private:
  Outcome UpstreamError(const json::Member& error);
  void RememberChunkShape();

  ResponseRewriter rewriter_;
  CompletionFacts facts_;
  std::vector<json::Member> members_;
  std::vector<json::Member> error_members_;
  std::string error_message_;
  std::string error_raw_;
  std::string object_ = "\"chat.completion.chunk\"";  // raw `object` of the upstream's chunks
  std::string created_;                               // raw `created` of its first chunk
  int64_t chunks_ = 0;
  bool saw_done_ = false;
};

}  // namespace gw::providers::openai

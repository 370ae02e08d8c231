// The passthrough half of the `api: openai-responses` adapter: a Responses answer from a
// Responses-native upstream, relayed in its own dialect with the gateway's stamp (our generation
// id as the response id, the public model) and the exact cost in its usage object, and the
// accounting facts read from it on the way. Whole answers and stream events are read into a DOM
// (nlohmann): a native Responses endpoint is a remote API, and its small events are not where a
// request's time goes. One StreamStamper per stream; any thread, used on one.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "dialects/openai_responses/responses_codec.h"
#include "providers/event_translator.h"

namespace gw::providers::openai_responses {

// Stamps a whole Responses object (id, model; cost members in `usage`, an estimated usage when
// it has none and the stamp has a meter) and records its facts. Returns the rewritten body, or
// nullopt with *error saying why the body is not a Responses object.
std::optional<std::string> StampWholeResponse(std::string_view body, const ResponseStamp& stamp,
                                              CompletionFacts& facts, std::string* error);

// A Responses event stream in, the same events out ("event: <type>\ndata: <json>\n\n"), those
// that carry the response object stamped as above (response.created ... response.completed).
// response.completed / response.incomplete end the answer (kDone; the final one carries the
// cost); response.failed and `error` are in-band upstream errors (not relayed: the gateway ends
// the client's stream with its own response.failed, naming the provider).
class StreamStamper final : public EventTranslator {
 public:
  explicit StreamStamper(const ResponseStamp& stamp) : stamp_(stamp) {}
  Outcome Translate(std::string_view payload, std::string& out) override;
  const CompletionFacts& facts() const override { return facts_; }
  bool saw_done() const override { return saw_done_; }
  const std::string& error_message() const override { return error_message_; }
  const std::string& error_raw() const override { return error_raw_; }

 private:
  const ResponseStamp stamp_;  // views into the call, which outlives the stream
  dialects::openai_responses::StreamDecoder decoder_;
  std::vector<dialects::StreamEvent> events_;
  CompletionFacts facts_;
  std::string error_message_, error_raw_;
  bool saw_done_ = false;
};

}  // namespace gw::providers::openai_responses

// What every provider adapter shares, whatever its wire dialect: the stamp put on an answer
// (our generation id, the public model, the provider), the facts accounting takes from it
// (usage, finish reason, generated text) and the usage meter that prices it as it is relayed.
// Vocabulary of the providers module; plain types and one interface, used on a worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "providers/usage.h"

namespace gw::providers {

class UsageMeter;

struct ResponseStamp {
  std::string_view id;        // our generation id, "gen-..."
  std::string_view model;     // the public model id
  std::string_view provider;  // provider name
  // Prices the usage object (and estimates usage the upstream did not report); null = the
  // usage object passes untouched. Outlives the rewriter; called on its thread.
  UsageMeter* usage_meter = nullptr;
};

struct CompletionFacts {
  // As the upstream reported it; with a UsageMeter, the local estimate when it reported none
  // (usage_estimated) by the end of a whole response or of a stream that reached [DONE].
  std::optional<TokenUsage> usage;
  bool usage_estimated = false;
  bool usage_malformed = false;      // an upstream usage object was invalid and ignored
  std::string finish_reason;         // normalized, of choice 0 ("" if none)
  std::string native_finish_reason;  // raw (unescaped), of choice 0
  // UTF-8 bytes of generated text across choices: message/delta `content`, `refusal`,
  // `reasoning`, `reasoning_content`, tool_calls[].function.arguments, function_call.arguments,
  // and `text` for completions. Used to estimate tokens when the upstream reports no usage.
  int64_t completion_chars = 0;
  // The same generated text as escaped JSON string contents, concatenated (unescape to count
  // tokens; pieces of a surrogate pair split across chunks join up again).
  std::string completion_text;
};

// Accounting's part in a response being relayed, implemented by the gateway for one attempt.
// With a meter, the rewritten response's `usage` object (moved to the end of its object) gets
// the cost members; a response (or a stream at [DONE]) without valid usage gets an estimated
// usage object. Used on the relaying worker thread only.
class UsageMeter {
 public:
  virtual ~UsageMeter() = default;
  // Appends the cost members for `usage` as reported (no leading comma):
  // "cost":..,"cost_details":{..}
  virtual void AppendCostMembers(const TokenUsage& usage, const CompletionFacts& facts,
                                 std::string& out) = 0;
  // The local estimate of usage from the request and `facts` (the text generated so far).
  virtual TokenUsage Estimate(const CompletionFacts& facts) = 0;
  // Appends a whole usage object for an estimate, cost members included.
  virtual void AppendEstimatedUsage(const TokenUsage& estimate, const CompletionFacts& facts,
                                    std::string& out) = 0;
};

}  // namespace gw::providers

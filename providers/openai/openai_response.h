// Rewrites an upstream OpenAI-compatible completion (a whole response, or one stream chunk) into
// the router's dialect: our generation id, the public model id and the provider name stamped on
// top, finish reasons normalized, and the facts accounting needs pulled out on the way.
// Owned by the OpenAI adapter; pure, any thread (one ResponseRewriter per stream, not shared).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json/json_scan.h"
#include "providers/completion.h"

namespace gw::providers::openai {

// Validates the upstream body (must be a JSON object) and returns our body: top-level `id` and
// `model` replaced by the stamp (added first when absent), `provider` set (replaced in place, or
// added after `model`), every other member copied byte for byte; in each object of `choices`,
// `finish_reason` normalized (null stays null) followed by `native_finish_reason` with the raw
// value (null if null; an upstream native_finish_reason is replaced). Fills `facts` (reset
// first). On malformed input returns nullopt and sets *error (if non-null) to a short reason:
// "upstream returned invalid JSON at byte 17: ..." or "upstream response is not an object".
std::optional<std::string> RewriteResponse(std::string_view upstream_body,
                                           const ResponseStamp& stamp, CompletionFacts& facts,
                                           std::string* error);

// RewriteResponse for a body the caller already scanned with json::ScanObject (`members` point
// into it; `body_size` sizes the output), so it is not scanned twice.
std::string RewriteScannedResponse(const std::vector<json::Member>& members, size_t body_size,
                                   const ResponseStamp& stamp, CompletionFacts& facts);

// The rewrite behind RewriteResponse, for objects already scanned with json::ScanObject. It
// keeps the escaped stamp and its scratch vectors, so a stream rewrites chunk after chunk
// without allocating (StreamTranslator holds one).
class ResponseRewriter {
 public:
  enum class Mode : uint8_t {
    kResponse,     // facts are of choice 0; native_finish_reason added even when null
    kStreamChunk,  // facts accumulate (last non-null finish reason wins, usage when non-null);
                   // native_finish_reason added only when finish_reason is non-null
  };

  ResponseRewriter(const ResponseStamp& stamp, Mode mode);

  // Appends the rewritten object to `out` and records its facts into `facts`.
  void Append(const std::vector<json::Member>& members, CompletionFacts& facts, std::string& out);

  // With a meter and no usage in `facts` yet: estimates it, marks it estimated, and appends the
  // usage chunk a stream ends with, {"id":..,"object":..,"created":..,"model":..,"provider":..,
  // "choices":[],"usage":{..}} (`object` and `created` are raw JSON values, as the upstream's
  // chunks had them). Otherwise appends nothing and returns false.
  bool AppendEstimatedUsageChunk(std::string_view object, std::string_view created,
                                 CompletionFacts& facts, std::string& out);

 private:
  void AppendChoices(std::string_view choices_array, CompletionFacts& facts, std::string& out);
  void AppendChoice(std::string_view choice_object, bool first, CompletionFacts& facts,
                    std::string& out);
  void AppendUsage(const json::Member* usage, CompletionFacts& facts, std::string& out);
  void AddGenerated(std::string_view message_object, CompletionFacts& facts);
  void AddArguments(std::string_view function_object, CompletionFacts& facts);

  Mode mode_;
  UsageMeter* meter_;
  std::string id_member_;        // "id":"gen-..." (escaped once, pasted into every object)
  std::string model_member_;     // "model":"..."
  std::string provider_member_;  // "provider":"..."
  std::vector<json::Element> choices_, calls_;
  std::vector<json::Member> choice_, message_, call_, function_, usage_;
};

}  // namespace gw::providers::openai

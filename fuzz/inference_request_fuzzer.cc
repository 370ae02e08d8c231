// The request JSON path: gateway/api/inference_request (decoding and validating a client's
// /chat/completions, /completions or /messages body) and the passthrough rewrite of an accepted
// body (providers/request_splice, providers/openai/openai_request).
// Input: byte 0 picks the route, the rest is the body. Invariants: an accepted body is valid
// JSON; every rewrite of it is a valid JSON object without duplicate keys, with exactly the
// upstream model and none of the router's own fields.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/json/json_scan.h"
#include "fuzz/fuzz_check.h"
#include "gateway/api/inference_request.h"
#include "providers/openai/openai_request.h"
#include "providers/request_splice.h"

namespace {

// An upstream model name that needs escaping.
constexpr std::string_view kUpstreamModel = "vendor/model-\"x\"\\\n\xC3\xA9";

void CheckRewritten(const std::string& body) {
  std::vector<gw::json::Member> members;
  FUZZ_CHECK(!gw::json::ScanObject(body, members));  // valid, an object, no duplicate key
  const gw::json::Member* model = gw::json::FindMember(members, "model");
  FUZZ_CHECK(model != nullptr && model->kind == gw::json::ValueKind::kString);
  FUZZ_CHECK(gw::json::UnescapeString(gw::json::StringContents(model->value)) ==
             std::string(kUpstreamModel));
  for (const gw::json::Member& member : members) {
    FUZZ_CHECK(!gw::providers::IsRouterOnlyField(member.raw_key));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const gw::api::InferenceKind kind = data[0] % 3 == 0   ? gw::api::InferenceKind::kChat
                                      : data[0] % 3 == 1 ? gw::api::InferenceKind::kCompletion
                                                         : gw::api::InferenceKind::kMessages;
  const std::string_view body = gw::fuzz::AsText(data + 1, size - 1);

  gw::api::InferenceRequest request;
  const std::string problem = gw::api::DecodeInferenceRequest(body, kind, request);
  if (!problem.empty()) return 0;
  FUZZ_CHECK(!gw::json::Validate(body));
  CheckRewritten(gw::providers::SpliceRequestBody(request.members, kUpstreamModel));
  CheckRewritten(
      gw::providers::openai::RewriteRequestBody(request.members, kUpstreamModel, request.stream));
  CheckRewritten(
      gw::providers::openai::RewriteRequestBody(request.members, kUpstreamModel, !request.stream));
  return 0;
}

// The usage scanner: how the gateway reads, prices and estimates what an upstream reports.
// providers/usage (ParseUsage), the OpenAI adapter's response and stream rewrite that pulls the
// facts out (providers/openai), the Anthropic passthrough facts (providers/anthropic), and the
// gateway's meter (gateway/api/attempt_usage_meter: pricing, tokenizer estimates).
// Input: byte 0 picks the reader; the rest is a usage object, a whole response, or stream
// payloads one per line. Invariants: counts are never negative; every rewritten body and event
// is valid JSON; a priced response carries the cost.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "accounting/tokenizer/tokenizer.h"
#include "base/json/json_scan.h"
#include "fuzz/fuzz_check.h"
#include "gateway/api/attempt_usage_meter.h"
#include "providers/anthropic/anthropic_facts.h"
#include "providers/openai/openai_response.h"
#include "providers/openai/openai_stream.h"
#include "providers/usage.h"

namespace {

namespace providers = gw::providers;
namespace tokenizer = gw::accounting::tokenizer;

void CheckUsage(const providers::TokenUsage& usage) {
  FUZZ_CHECK(usage.prompt_tokens >= 0 && usage.completion_tokens >= 0);
  FUZZ_CHECK(usage.total_tokens >= 0 && usage.cached_tokens >= 0);
  FUZZ_CHECK(usage.cache_write_tokens >= 0 && usage.reasoning_tokens >= 0);
}

void CheckFacts(const providers::CompletionFacts& facts) {
  if (facts.usage) CheckUsage(*facts.usage);
  FUZZ_CHECK(facts.completion_chars >= 0);
}

gw::config::Pricing Prices() {
  gw::config::Pricing pricing;
  pricing.prompt = 2'000'000'000;
  pricing.completion = 8'000'000'000;
  pricing.cached_read = 500'000'000;
  pricing.request = 1'000;
  return pricing;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// An upstream's stream through a translator, stopping where the relay stops.
void Relay(providers::EventTranslator& translator, std::string_view payloads) {
  std::string out;
  for (std::string_view payload : Lines(payloads)) {
    const providers::EventTranslator::Outcome outcome = translator.Translate(payload, out);
    CheckFacts(translator.facts());
    if (outcome != providers::EventTranslator::Outcome::kContinue) break;
  }
  gw::fuzz::CheckEventStream(out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view text = gw::fuzz::AsText(data + 1, size - 1);
  static const gw::config::Pricing pricing = Prices();
  const tokenizer::Tokenizer& o200k = tokenizer::Tokenizer::Get(tokenizer::Encoding::kO200kBase);
  constexpr std::string_view kRequest = R"({"messages":[{"role":"user","content":"Hello"}]})";
  gw::api::AttemptUsageMeter meter(pricing, o200k, kRequest, true);
  providers::ResponseStamp stamp{
      .id = "gen-fuzz", .model = "vendor/model", .provider = "fuzz", .usage_meter = &meter};

  switch (data[0] % 4) {
    case 0:
      if (const std::optional<providers::TokenUsage> usage = providers::ParseUsage(text)) {
        CheckUsage(*usage);
      }
      break;
    case 1: {
      providers::CompletionFacts facts;
      const std::optional<std::string> body =
          providers::openai::RewriteResponse(text, stamp, facts, nullptr);
      if (!body) break;
      FUZZ_CHECK(!gw::json::Validate(*body));
      CheckFacts(facts);
      FUZZ_CHECK(facts.usage.has_value());  // reported, or estimated by the meter
      break;
    }
    case 2: {
      providers::openai::StreamTranslator translator(stamp);
      Relay(translator, text);
      break;
    }
    case 3: {
      providers::anthropic::PassthroughTranslator translator;
      Relay(translator, text);
      std::vector<gw::json::Member> members;
      if (!gw::json::ScanObject(text, members)) {
        providers::CompletionFacts facts;
        providers::anthropic::AddPassthroughFacts(members, facts);
        CheckFacts(facts);
      }
      break;
    }
  }
  return 0;
}

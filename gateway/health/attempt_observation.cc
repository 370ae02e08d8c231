#include "gateway/health/attempt_observation.h"

#include "providers/errors.h"

namespace gw::health {
namespace {

using Result = routing::HealthObservation::Result;
using Milliseconds = std::chrono::duration<double, std::milli>;
using Seconds = std::chrono::duration<double>;

// Below this a generation time says more about timer resolution than about speed.
constexpr std::chrono::microseconds kMinGenerationTime{500};

// The completion tokens the upstream reported, else the usual estimate of 4 bytes per token.
int64_t CompletionTokens(const providers::CompletionFacts& facts) {
  if (facts.usage && facts.usage->completion_tokens > 0) return facts.usage->completion_tokens;
  return facts.completion_chars / 4;
}

// Whether a failed attempt counts against the endpoint: a 429 is a rate limit; every failure
// that would fail over to another endpoint (providers::IsRetryable) is an error of this one;
// the rest (the request's own 4xx, a client that left, a request this endpoint's API cannot
// express) says nothing about it.
std::optional<Result> FailureKind(const providers::ProviderOutcome& outcome,
                                  const std::vector<uint16_t>* retry_statuses) {
  if (outcome.error == providers::Errc::kUnsupported) return std::nullopt;
  if (outcome.error == providers::Errc::kUpstreamStatus && outcome.upstream_status == 429) {
    return Result::kRateLimited;
  }
  static const std::vector<uint16_t> kNone;
  const bool retryable = providers::IsRetryable(outcome.error, outcome.upstream_status,
                                                retry_statuses ? *retry_statuses : kNone);
  if (retryable) return Result::kError;
  return std::nullopt;
}

}  // namespace

std::optional<routing::HealthObservation> ObserveAttempt(const providers::ProviderOutcome& outcome,
                                                         const AttemptFacts& facts) {
  routing::HealthObservation observation;
  observation.endpoint_id = facts.endpoint_id;
  observation.at = facts.end;
  if (outcome.error) {
    const std::optional<Result> kind = FailureKind(outcome, facts.retry_statuses);
    if (!kind) return std::nullopt;
    observation.result = *kind;
    return observation;
  }
  observation.result = Result::kSuccess;
  // Streams: the first token is observable, and generation runs from it to the end. A whole
  // (non-stream) answer shows neither: its throughput spans the whole attempt, prefill included.
  std::chrono::steady_clock::duration generation = facts.end - facts.start;
  if (facts.stream && outcome.time_to_first_byte > std::chrono::steady_clock::duration::zero()) {
    observation.latency_ms = static_cast<float>(Milliseconds(outcome.time_to_first_byte).count());
    generation -= outcome.time_to_first_byte;
  }
  const int64_t tokens = CompletionTokens(outcome.facts);
  if (tokens > 0 && generation >= kMinGenerationTime) {
    observation.tokens_per_second =
        static_cast<float>(static_cast<double>(tokens) / Seconds(generation).count());
  }
  return observation;
}

}  // namespace gw::health

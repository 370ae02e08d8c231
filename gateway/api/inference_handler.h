// POST /v1/chat/completions, /v1/completions, /v1/messages and /v1/responses: decode (hop 3), plan
// (hop 4), call the provider of each planned endpoint until one answers (hop 5), relay the answer
// (hop 6). One instance per worker (it owns that worker's upstream client); worker thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <random>

#include "accounting/keys/key_limits.h"
#include "gateway/api/inference_request.h"
#include "gateway/api/usage_recorder.h"
#include "gateway/generation_id.h"
#include "gateway/health/health_monitor.h"
#include "gateway/keys/key_registry.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/responses/response_store.h"
#include "gateway/server/request_handler.h"
#include "providers/http/upstream_client.h"
#include "providers/provider.h"
#include "routing/plan.h"
#include "routing/snapshot.h"

namespace gw::api {

struct InferenceSettings {
  const routing::SnapshotHolder* snapshots = nullptr;
  boost::asio::ssl::context* upstream_tls = nullptr;
  std::chrono::milliseconds stream_keepalive{0};
  metrics::WorkerMetrics* metrics = nullptr;    // this worker's; required
  health::HealthRecorder* health = nullptr;     // this worker's; required
  routing::StickySessions* sessions = nullptr;  // shared; required
  UsageRecorder* usage = nullptr;               // shared; null = no accounting (tests)
  // shared; the Responses API's stored conversations; null = nothing stored (tests)
  responses::ResponseStore* response_store = nullptr;
  // shared; the budgets and rate limits of managed keys; null = not enforced (tests)
  accounting::keys::KeyLimits* key_limits = nullptr;
  // Only `gateway demo-traffic` sets this: the X-Gateway-Demo-Time header (epoch milliseconds)
  // then dates the usage record, so generated history spans weeks. `serve` never honours it.
  bool honor_demo_time_header = false;
};

// The header that backdates a usage record under InferenceSettings::honor_demo_time_header.
inline constexpr std::string_view kDemoTimeHeader = "X-Gateway-Demo-Time";

class InferenceHandler {
 public:
  InferenceHandler(boost::asio::io_context& io, InferenceSettings settings);

  // `api_key_id`: the caller's key id for the usage record ("" when auth is off); `key`: the
  // caller's managed key, whose limits apply (key_gate.h), or null.
  boost::asio::awaitable<void> Handle(InferenceKind kind, server::Request& request,
                                      server::Responder& responder, std::string api_key_id,
                                      keys::ApiKeyPtr key);
  // POST /v1/messages/count_tokens (token_count.cc).
  boost::asio::awaitable<void> CountTokens(server::Request& request, server::Responder& responder);
  // The worker's periodic tick: hands the health observations over.
  void Tick() { settings_.health->Flush(); }

  struct Exchange;  // one request's state while it is served (inference_handler.cc)

 private:
  boost::asio::awaitable<void> Serve(Exchange& exchange);
  boost::asio::awaitable<void> AnswerFailure(Exchange& exchange);
  providers::Provider& ProviderFor(config::ProviderKind kind);
  // A Messages request for an OpenAI-compatible endpoint: translates the body into
  // exchange.chat_body once. Returns "" or the problem with the body (a 400).
  std::string TranslatedChatBody(Exchange& exchange);
  // A Responses request: resolves previous_response_id in the store and translates the body
  // into exchange.responses and exchange.chat_body. Returns 0, or the status of the answer it
  // sent (404 for an unknown or foreign previous response, 400 for a body it cannot translate).
  boost::asio::awaitable<int> PrepareResponses(Exchange& exchange);
  // Stores a Responses answer (`response_json`, the object the client gets) when the request
  // asked to (`store`, on by default). Called before the answer's last bytes go out, so a
  // client that has them can retrieve or continue the response.
  void StoreResponse(const Exchange& exchange, std::string_view response_json);
  void RecordAttempt(const Exchange& exchange, const routing::Attempt& attempt,
                     const providers::ProviderCall& call);
  // Builds the request's generation record and hands it to accounting; called before the last
  // bytes of the answer go out, so GET /v1/generation finds it once the client has them. Under
  // `accounting.durability: commit` it completes once the record is committed to the ledger
  // (UsageRecorder::Record), so a client that has the end of an answer has a durable record.
  boost::asio::awaitable<void> RecordUsage(Exchange& exchange);

  InferenceSettings settings_;
  providers::UpstreamClient client_;
  std::map<config::ProviderKind, std::unique_ptr<providers::Provider>> providers_;
  GenerationIdGenerator ids_;
  std::mt19937_64 rng_;
};

}  // namespace gw::api

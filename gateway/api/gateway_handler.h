// The gateway's RequestHandler: maps method + path to an endpoint, checks the caller's key,
// answers the small endpoints itself (health, readiness, model list, a model's endpoints,
// metrics, a generation's record, the activity report, the rankings, the key endpoints and the
// dashboard pages)
// and records every request in the metrics. Also served under
// the /api/v1 alias of /v1. One instance per worker; worker thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "accounting/ledger/usage_reports.h"
#include "gateway/api/inference_handler.h"
#include "gateway/api/rankings_api.h"
#include "gateway/auth.h"
#include "gateway/server/request_handler.h"

namespace gw::api {

struct GatewaySettings {
  InferenceSettings inference;  // inference.metrics is also where this handler records
  const Authenticator* authenticator = nullptr;
  metrics::GatewayMetrics* metrics = nullptr;  // renders GET /metrics
  config::MetricsConfig metrics_endpoint;
  std::function<bool()> ready;                     // false while starting or shutting down
  std::shared_ptr<const std::string> models_json;  // the GET /v1/models body
  std::string ledger_path;  // the usage ledger, read by GET /v1/activity and /v1/rankings*
  // The shared ledger (accounting.store: postgres): /v1/activity, /v1/rankings* and the usage
  // of /v1/key and /v1/credits read it instead, so they cover every instance. Null: the ledger
  // file. Outlives the handler; thread-safe.
  accounting::UsageSource* shared_usage = nullptr;
  // Who may read /v1/rankings* (with auth on; see docs/rankings.md).
  config::RankingsAccess rankings_access = config::RankingsAccess::kAnyKey;
  // The managed keys (shared): /v1/key, /v1/credits and the /v1/keys management API; null =
  // those answer 503 (tests). Budgets and rate limits are inference.key_limits.
  keys::KeyRegistry* key_registry = nullptr;
};

class GatewayHandler final : public server::RequestHandler {
 public:
  GatewayHandler(boost::asio::io_context& io, GatewaySettings settings);
  // Refuses from the head alone: unknown path (404), wrong method (405), missing or invalid
  // key (401), before the body of such a request is read.
  std::optional<server::EarlyAnswer> CheckHead(const server::RequestHead& head) override;
  boost::asio::awaitable<void> Handle(server::Request& request,
                                      server::Responder& responder) override;
  // Records the request in this worker's metrics.
  void Finished(const server::FinishedRequest& request) override;
  // Hands this worker's endpoint health observations to the monitor.
  void Tick() override;

 private:
  // GET /v1/models/{author}/{slug} (the model object) or .../endpoints (its endpoints); the id
  // may have its slash percent-encoded.
  boost::asio::awaitable<void> AnswerModel(bool endpoints, std::string_view path,
                                           server::Responder& responder);
  // `caller_key_id`: the calling key's id, "" when auth is off (see usage_api.h).
  boost::asio::awaitable<void> AnswerGeneration(std::string_view target, std::string caller_key_id,
                                                server::Responder& responder);
  // GET (or, `erase`, DELETE) /v1/responses/{id}: the stored response if `key_id` created it.
  boost::asio::awaitable<void> AnswerStoredResponse(bool erase, std::string_view id,
                                                    std::string key_id,
                                                    server::Responder& responder);
  boost::asio::awaitable<void> AnswerActivity(std::string_view target, std::string caller_key_id,
                                              server::Responder& responder);
  boost::asio::awaitable<void> AnswerRankings(bool timeseries, std::string_view target,
                                              RankingsCaller caller, server::Responder& responder);
  // GET /v1/insights[/{analysis}] (insights_api.h); `admin`: the caller holds an admin key.
  boost::asio::awaitable<void> AnswerInsights(std::string_view target, bool admin,
                                              server::Responder& responder);
  // GET /v1/key, GET /v1/credits, /v1/keys and /v1/keys/{hash} (keys_api.h).
  // CheckHead's work; `auth` gets the caller's authentication when the route checks it (left
  // !ok for the routes that need no key). Handle authenticates once through it, so a key
  // revoked between the head and the body cannot turn into an anonymous caller.
  std::optional<server::EarlyAnswer> Admit(const server::RequestHead& head, AuthResult& auth);
  boost::asio::awaitable<void> AnswerKeys(const server::Request& request, AuthResult auth,
                                          server::Responder& responder);
  boost::asio::awaitable<void> AnswerDashboard(const server::Request& request,
                                               server::Responder& responder);
  // This worker's read connection to the ledger, opened on first use; null (and *error set)
  // when the database cannot be opened.
  accounting::LedgerReader* Reader(std::string* error);
  // What the usage reports read (/v1/activity, /v1/rankings*, the usage of /v1/key and
  // /v1/credits): the shared ledger when there is one, else Reader(). Insights read this
  // instance's file (Reader()); /v1/generation reads it first, then the shared ledger.
  accounting::UsageSource* UsageReader(std::string* error);

  GatewaySettings settings_;
  InferenceHandler inference_;
  std::unique_ptr<accounting::LedgerReader> reader_;
};

}  // namespace gw::api

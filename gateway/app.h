// Wiring: turns a validated Config into the process-wide shared parts (routing snapshot,
// authenticator, upstream TLS context, model listing, metrics, sticky sessions, the endpoint
// health monitor, the usage ledger and its recorder, the key table with the keys' budgets and
// rate limits) and the per-worker handler factory.
// Built once by main() before the server starts; the shared parts are read-only afterwards.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "accounting/keys/key_limits.h"
#include "accounting/keys/key_table.h"
#include "accounting/keys/redis_key_limits.h"
#include "accounting/ledger/ledger.h"
#include "accounting/ledger/postgres/pg_shipper.h"
#include "accounting/ledger/usage_reports.h"
#include "config/config.h"
#include "gateway/api/usage_recorder.h"
#include "gateway/auth.h"
#include "gateway/health/health_monitor.h"
#include "gateway/keys/key_registry.h"
#include "gateway/metrics/gateway_metrics.h"
#include "gateway/responses/response_store.h"
#include "gateway/server/request_handler.h"
#include "routing/snapshot.h"
#include "routing/sticky_sessions.h"

namespace boost::asio::ssl {
class context;
}

namespace gw {

namespace server {
class HttpServer;
}

class GatewayApp {
 public:
  // Throws std::runtime_error when a start-up resource cannot be loaded: the CA store, the
  // tokenizer data, or the ledger database (accounting::LedgerError names the file).
  // `honor_demo_time_header`: see api::InferenceSettings (only `gateway demo-traffic` sets it).
  explicit GatewayApp(config::Config config, bool honor_demo_time_header = false);
  ~GatewayApp();

  const config::Config& config() const { return snapshots_->Load()->config(); }

  // `ready` answers GET /ready (the server's accepting state).
  server::HandlerFactory MakeHandlerFactory(std::function<bool()> ready);
  // The live health monitor's thread: start once the workers exist, stop before they go.
  void StartHealthMonitor() { health_->Start(); }
  void StopHealthMonitor() { health_->Stop(); }
  // The ledger's consumer thread: start with the server; stop after the last request ended,
  // which writes every record still queued (the SIGTERM flush).
  // With accounting.store: postgres, the shipper starts with it and stops after it (so it
  // ships the last records the ledger wrote).
  void StartAccounting();
  void StopAccounting();

 private:
  // The limits shared through Redis (accounting.limits.store: redis); throws naming a bad URL.
  std::unique_ptr<accounting::keys::KeyLimits> MakeRedisKeyLimits(
      const config::RedisConfig& redis, const config::LimitsConfig& limits,
      accounting::keys::SpentLoader spent_loader);

  std::unique_ptr<routing::SnapshotHolder> snapshots_;
  std::unique_ptr<StaticKeyAuthenticator> bootstrap_keys_;  // server.auth.keys / admin_keys
  std::unique_ptr<boost::asio::ssl::context> upstream_tls_;
  std::shared_ptr<const std::string> models_json_;
  std::unique_ptr<metrics::GatewayMetrics> metrics_;
  std::unique_ptr<routing::StickySessions> sessions_;
  std::unique_ptr<health::HealthMonitor> health_;  // after what it refers to
  std::unique_ptr<api::UsageRecorder> usage_;      // before the ledger, whose thread uses it
  std::unique_ptr<accounting::Ledger> ledger_;
  // Ships the ledger's records to PostgreSQL (accounting.store: postgres); else null.
  std::unique_ptr<accounting::postgres::PostgresShipper> shipper_;
  std::unique_ptr<responses::ResponseStore> response_store_;  // POST /v1/responses with store
  // Managed keys (docs/keys.md): the table, its in-memory copy, the authenticator over both
  // kinds of key, and the budgets and rate limits; spend is loaded through spend_reader_.
  std::unique_ptr<accounting::keys::KeyTable> key_store_;
  std::unique_ptr<keys::KeyRegistry> key_registry_;
  std::unique_ptr<KeyAuthenticator> authenticator_;
  // The shared ledger's reports (accounting.store: postgres): /v1/activity and the keys' spend
  // over every instance; else null.
  std::unique_ptr<accounting::UsageSource> shared_usage_;
  std::mutex spend_reader_mu_;  // guards spend_reader_ (opened on first use)
  std::unique_ptr<accounting::LedgerReader> spend_reader_;
  std::unique_ptr<accounting::keys::KeyLimits> key_limits_;
  // Set when the limits are shared in Redis (accounting.limits.store: redis).
  accounting::keys::RedisKeyLimits* redis_limits_ = nullptr;
  bool honor_demo_time_header_ = false;
};

// A GatewayApp served over HTTP: Start() starts accounting, the listener and the health
// monitor, in that order; Stop() shuts the listener down gracefully (server.timeouts.
// shutdown_grace_ms) and then stops the monitor and accounting, which writes every queued usage
// record. Used by `serve` and by `demo-traffic`; start and stop on one thread.
class GatewayServer {
 public:
  explicit GatewayServer(GatewayApp& app);
  ~GatewayServer();

  void Start();
  void Stop();
  uint16_t port() const;  // the bound port (after Start; useful with port 0)

 private:
  GatewayApp& app_;
  // GET /ready on the worker threads reads the server's own accepting flag through this
  // pointer. It is published before Start, so /ready is true as soon as the "listening" line is
  // out (Start sets the flag before logging it); atomic, so no order of these lines can race.
  std::atomic<const server::HttpServer*> published_{nullptr};
  std::unique_ptr<server::HttpServer> server_;
};

}  // namespace gw

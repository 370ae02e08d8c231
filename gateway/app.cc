#include "gateway/app.h"

#include <openssl/crypto.h>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>

#include "accounting/keys/redis_key_limits.h"
#include "accounting/ledger/postgres/pg_shipper.h"
#include "accounting/ledger/postgres/pg_usage_reader.h"
#include "accounting/ledger/postgres/shipping_source.h"
#include "accounting/token_estimate.h"
#include "accounting/tokenizer/tokenizer.h"
#include "gateway/api/gateway_handler.h"
#include "gateway/api/models_listing.h"
#include "gateway/keys/open_key_table.h"
#include "gateway/server/http_server.h"
#include "gateway/server/log.h"
#include "providers/http/upstream_client.h"

namespace gw {

namespace {

// The client of the `redis` block; throws naming the config key when its URL is malformed.
std::unique_ptr<redis::RedisClient> MakeRedisClient(const config::RedisConfig& redis) {
  std::string problem;
  std::optional<redis::RedisAddress> address = redis::ParseRedisUrl(redis.url.value, &problem);
  if (!address) {
    throw std::runtime_error("redis.url (environment variable " + redis.url.env_var +
                             "): " + problem);
  }
  return std::make_unique<redis::RedisClient>(std::move(*address),
                                              std::chrono::milliseconds(redis.timeout_ms));
}

// The shipper of the ledger to the `postgres` block's server (accounting.store: postgres).
std::unique_ptr<accounting::postgres::PostgresShipper> MakeShipper(
    const config::PostgresConfig& postgres, const std::string& ledger_path) {
  accounting::postgres::ShipperOptions options;
  options.ledger_path = ledger_path;
  options.url = postgres.url.value;
  options.instance = postgres.instance;
  if (options.instance.empty()) {
    // Stable across restarts and unique per instance: the machine and its ledger file.
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    options.instance = std::string(host) + ":" + ledger_path;
  }
  options.connect_timeout = std::chrono::milliseconds(postgres.connect_timeout_ms);
  options.interval = std::chrono::milliseconds(postgres.ship_interval_ms);
  options.batch = postgres.batch;
  options.log = [](std::string_view message) { server::LogError("postgres_ledger", message); };
  return std::make_unique<accounting::postgres::PostgresShipper>(std::move(options));
}

}  // namespace

GatewayApp::GatewayApp(config::Config config, bool honor_demo_time_header)
    : honor_demo_time_header_(honor_demo_time_header) {
  // The authenticator keeps the keys' digests; the plain keys are wiped from the configuration
  // the gateway keeps (the environment it was read from is the operator's to protect).
  bootstrap_keys_ =
      std::make_unique<StaticKeyAuthenticator>(config.server.auth_keys, config.server.admin_keys);
  for (auto* keys : {&config.server.auth_keys, &config.server.admin_keys}) {
    for (config::Secret& key : *keys) {
      OPENSSL_cleanse(key.value.data(), key.value.size());
      key.value.clear();
    }
  }
  auto shared_config = std::make_shared<const config::Config>(std::move(config));
  auto snapshot = std::make_shared<const routing::Snapshot>(shared_config);
  models_json_ = std::make_shared<const std::string>(api::BuildModelsListing(*snapshot));
  snapshots_ = std::make_unique<routing::SnapshotHolder>(std::move(snapshot));
  upstream_tls_ = providers::MakeUpstreamTlsContext();
  std::vector<std::string> provider_names;
  for (const config::ProviderConfig& provider : shared_config->providers) {
    provider_names.push_back(provider.name);
  }
  metrics_ = std::make_unique<metrics::GatewayMetrics>(std::move(provider_names));
  sessions_ = std::make_unique<routing::StickySessions>(
      std::chrono::seconds(shared_config->routing.session_idle_timeout_s));
  health_ = std::make_unique<health::HealthMonitor>(*snapshots_, sessions_.get());
  if (shared_config->redis && shared_config->routing.health.share) {
    health_->Share(std::make_unique<health::SharedHealth>(
        MakeRedisClient(*shared_config->redis), shared_config->redis->prefix,
        health::EndpointNamesOf(*shared_config),
        [](std::string_view message) { server::LogError("health_share", message); }));
  }

  // The tokenizers load (and verify their data) now rather than on the first request that
  // needs an estimate: the normalized encoding and every model's own.
  accounting::tokenizer::Tokenizer::Get(accounting::kNormalizedEncoding);
  for (const config::ModelConfig& model : shared_config->models) {
    if (auto encoding = accounting::tokenizer::EncodingByName(model.tokenizer)) {
      accounting::tokenizer::Tokenizer::Get(*encoding);
    }
  }
  const config::AccountingConfig& accounting = shared_config->accounting;
  accounting::LedgerOptions options;
  options.path = accounting.DatabasePath();
  options.queue_capacity = accounting.queue_capacity;
  options.flush_interval = std::chrono::milliseconds(accounting.flush_interval_ms);
  options.max_batch = accounting.max_batch;
  options.retention_days = accounting.retention_days;
  const bool commit = accounting.durability == config::AccountingDurability::kCommit;
  // Under `durability: commit` answers wait for the consumer's commit: it runs at normal
  // priority (at nice 19 it would get a trickle of a core the workers keep busy) and fsyncs
  // every commit (docs/architecture.md, "Durability of usage records").
  options.sync_every_commit = commit;
  options.background_priority = !commit;
  usage_ = std::make_unique<api::UsageRecorder>(commit ? api::Durability::kCommit
                                                       : api::Durability::kAsync);
  options.prepare = [usage = usage_.get()](accounting::GenerationRecord& record) {
    usage->Prepare(record);
  };
  options.log = [](std::string_view line) { server::LogJsonLine(line); };
  options.keep_unshipped = accounting.store == config::LedgerStore::kPostgres;
  ledger_ = accounting::Ledger::Open(std::move(options));
  if (accounting.store == config::LedgerStore::kPostgres) {
    shipper_ = MakeShipper(*shared_config->postgres, accounting.DatabasePath());
  }
  response_store_ = std::make_unique<responses::ResponseStore>(accounting.ResponseStorePath(),
                                                               accounting.retention_days);
  usage_->Attach(*ledger_);
  key_store_ = keys::OpenKeyTable(*shared_config);
  key_registry_ = std::make_unique<keys::KeyRegistry>(*key_store_);
  // A table in PostgreSQL is polled on a thread of its own, never by a request worker.
  if (accounting.keys_store == config::LedgerStore::kPostgres) key_registry_->StartPolling();
  authenticator_ = std::make_unique<KeyAuthenticator>(*bootstrap_keys_, *key_registry_);
  if (accounting.store == config::LedgerStore::kPostgres) {
    shared_usage_ = std::make_unique<accounting::postgres::PgUsageReader>(
        shared_config->postgres->url.value,
        std::chrono::milliseconds(shared_config->postgres->connect_timeout_ms));
  }
  // A key's spend in its period comes from the ledger's rollups (docs/keys.md): every
  // instance's, from the shared ledger, when the limits are shared too (plus this instance's
  // records not shipped yet); else this one's file.
  const bool shared_spend =
      shared_usage_ != nullptr && accounting.limits.store == config::LimitsStore::kRedis;
  accounting::keys::SpentLoader spent_loader =
      [this, shared_spend, path = accounting.DatabasePath()](
          std::string_view key, std::string_view user, int64_t from_day) -> int64_t {
    const std::lock_guard lock(spend_reader_mu_);
    if (!spend_reader_) spend_reader_ = accounting::LedgerReader::Open(path);
    accounting::UsageSource* source =
        shared_spend ? shared_usage_.get()
                     : static_cast<accounting::UsageSource*>(spend_reader_.get());
    accounting::UsageFilters filters;
    filters.api_key_id = std::string(key);
    if (!user.empty()) filters.user = std::string(user);
    const int64_t today = source->Today();
    if (from_day > today) return 0;
    int64_t spent = 0;
    for (const accounting::UsageRow& row :
         source->GroupedSum(accounting::UsageDimension::kApiKey, {from_day, today}, filters)) {
      spent += row.cost_nano;
    }
    if (shared_spend) {
      // A record shipped in the instant before its watermark moved is counted twice: errs on
      // the refusing side, for one batch at most.
      spent += accounting::postgres::UnshippedSpend(*spend_reader_, key, user, from_day);
    }
    return spent;
  };
  if (accounting.limits.store == config::LimitsStore::kRedis) {
    key_limits_ =
        MakeRedisKeyLimits(*shared_config->redis, accounting.limits, std::move(spent_loader));
  } else {
    key_limits_ = std::make_unique<accounting::keys::LocalKeyLimits>(std::move(spent_loader));
  }
  metrics_->AddCollector(
      [usage = usage_.get()](metrics::PrometheusWriter& writer) { usage->Collect(writer); });
  if (const health::SharedHealth* shared = health_->shared()) {
    metrics_->AddCollector([shared](metrics::PrometheusWriter& writer) {
      writer.Family("gateway_health_share_errors_total", "counter",
                    "Exchanges of endpoint health with the other instances (Redis) that failed.");
      writer.Sample("gateway_health_share_errors_total", {}, shared->failures());
    });
  }
  if (shipper_ != nullptr) {
    metrics_->AddCollector([shipper = shipper_.get()](metrics::PrometheusWriter& writer) {
      const auto stats = shipper->GetStats();
      writer.Family("gateway_ledger_postgres_shipped_total", "counter",
                    "Usage records this instance inserted into the shared PostgreSQL ledger.");
      writer.Sample("gateway_ledger_postgres_shipped_total", {}, stats.shipped);
      writer.Family("gateway_ledger_postgres_duplicates_total", "counter",
                    "Records shipped again that PostgreSQL already had (skipped by id).");
      writer.Sample("gateway_ledger_postgres_duplicates_total", {}, stats.duplicates);
      writer.Family("gateway_ledger_postgres_errors_total", "counter",
                    "Failed attempts to ship records to PostgreSQL (each retried).");
      writer.Sample("gateway_ledger_postgres_errors_total", {}, stats.errors);
      writer.Family("gateway_ledger_postgres_backlog", "gauge",
                    "Records in this instance's ledger file not yet shipped to PostgreSQL.");
      writer.Sample("gateway_ledger_postgres_backlog", {}, stats.backlog);
      writer.Family("gateway_ledger_postgres_up", "gauge",
                    "1 while the last attempt to ship reached PostgreSQL, else 0.");
      writer.Sample("gateway_ledger_postgres_up", {}, int64_t{stats.connected ? 1 : 0});
    });
  }
  if (redis_limits_ != nullptr) {
    metrics_->AddCollector([limits = redis_limits_](metrics::PrometheusWriter& writer) {
      writer.Family("gateway_limits_store_errors_total", "counter",
                    "Calls to the shared limits store (Redis) that failed: unreachable, timed "
                    "out or answered an error.");
      writer.Sample("gateway_limits_store_errors_total", {}, limits->failures());
    });
  }
}

void GatewayApp::StartAccounting() {
  ledger_->Start();
  if (shipper_) shipper_->Start();
}

void GatewayApp::StopAccounting() {
  ledger_->Stop();
  if (shipper_) shipper_->Stop();
}

std::unique_ptr<accounting::keys::KeyLimits> GatewayApp::MakeRedisKeyLimits(
    const config::RedisConfig& redis, const config::LimitsConfig& limits,
    accounting::keys::SpentLoader spent_loader) {
  auto client = MakeRedisClient(redis);
  accounting::keys::RedisLimitsOptions options;
  options.prefix = redis.prefix;
  options.reservation_ttl = std::chrono::seconds(limits.reservation_ttl_s);
  options.fail_open = limits.fail_open;
  options.log = [](std::string_view message) { server::LogError("limits_store", message); };
  auto shared = std::make_unique<accounting::keys::RedisKeyLimits>(
      std::move(client), std::move(spent_loader), std::move(options));
  redis_limits_ = shared.get();
  return shared;
}

GatewayApp::~GatewayApp() = default;

server::HandlerFactory GatewayApp::MakeHandlerFactory(std::function<bool()> ready) {
  return [this, ready = std::move(ready)](boost::asio::io_context& io, int /*worker_index*/) {
    api::GatewaySettings settings;
    settings.inference.snapshots = snapshots_.get();
    settings.inference.upstream_tls = upstream_tls_.get();
    settings.inference.stream_keepalive =
        std::chrono::milliseconds(config().server.stream_keepalive_ms);
    settings.inference.metrics = &metrics_->AddWorker();
    settings.inference.health = &health_->AddWorker();
    settings.inference.sessions = sessions_.get();
    settings.inference.usage = usage_.get();
    settings.inference.response_store = response_store_.get();
    settings.inference.key_limits = key_limits_.get();
    settings.key_registry = key_registry_.get();
    settings.inference.honor_demo_time_header = honor_demo_time_header_;
    settings.ledger_path = config().accounting.DatabasePath();
    settings.shared_usage = shared_usage_.get();
    settings.rankings_access = config().server.rankings_access;
    settings.metrics = metrics_.get();
    settings.metrics_endpoint = config().server.metrics;
    settings.authenticator = authenticator_.get();
    settings.ready = ready;
    settings.models_json = models_json_;
    return std::make_unique<api::GatewayHandler>(io, std::move(settings));
  };
}

GatewayServer::GatewayServer(GatewayApp& app) : app_(app) {
  auto ready = [this] {
    const server::HttpServer* published = published_.load(std::memory_order_acquire);
    return published != nullptr && published->accepting();
  };
  server_ = std::make_unique<server::HttpServer>(app_.config().server,
                                                 app_.MakeHandlerFactory(ready), "gateway");
  published_.store(server_.get(), std::memory_order_release);
}

GatewayServer::~GatewayServer() = default;

void GatewayServer::Start() {
  app_.StartAccounting();
  server_->Start();
  app_.StartHealthMonitor();
}

void GatewayServer::Stop() {
  server_->Shutdown(std::chrono::milliseconds(app_.config().server.timeouts.shutdown_grace_ms));
  app_.StopHealthMonitor();
  app_.StopAccounting();  // every queued usage record is written before this returns
}

uint16_t GatewayServer::port() const { return server_->port(); }

}  // namespace gw

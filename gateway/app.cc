#include "gateway/app.h"

#include <boost/asio/ssl/context.hpp>

#include "gateway/api/gateway_handler.h"
#include "gateway/api/models_listing.h"
#include "providers/http/upstream_client.h"

namespace gw {

GatewayApp::GatewayApp(config::Config config) {
  auto shared_config = std::make_shared<const config::Config>(std::move(config));
  auto snapshot = std::make_shared<const routing::Snapshot>(shared_config);
  models_json_ = std::make_shared<const std::string>(api::BuildModelsListing(*snapshot));
  snapshots_ = std::make_unique<routing::SnapshotHolder>(std::move(snapshot));
  authenticator_ = std::make_unique<StaticKeyAuthenticator>(shared_config->server.auth_keys);
  upstream_tls_ = providers::MakeUpstreamTlsContext();
  std::vector<std::string> provider_names;
  for (const config::ProviderConfig& provider : shared_config->providers) {
    provider_names.push_back(provider.name);
  }
  metrics_ = std::make_unique<metrics::GatewayMetrics>(std::move(provider_names));
  sessions_ = std::make_unique<routing::StickySessions>(
      std::chrono::seconds(shared_config->routing.session_idle_timeout_s));
  health_ = std::make_unique<health::HealthMonitor>(*snapshots_, sessions_.get());
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
    settings.metrics = metrics_.get();
    settings.metrics_endpoint = config().server.metrics;
    settings.authenticator = authenticator_.get();
    settings.ready = ready;
    settings.models_json = models_json_;
    return std::make_unique<api::GatewayHandler>(io, std::move(settings));
  };
}

}  // namespace gw

// The explicit list of provider adapters, by config kind: adding a vendor means one line in
// registry.cc. Called when a worker starts.
#pragma once

#include <memory>

#include "config/config.h"
#include "providers/http/upstream_client.h"
#include "providers/provider.h"

namespace gw::providers {

// The adapter for `kind`, sending through `client` (the worker's). Never null.
std::unique_ptr<Provider> MakeProvider(config::ProviderKind kind, UpstreamClient& client);

}  // namespace gw::providers

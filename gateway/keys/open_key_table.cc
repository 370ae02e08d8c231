#include "gateway/keys/open_key_table.h"

#include <chrono>

#include "accounting/keys/key_store.h"
#include "accounting/keys/postgres/pg_key_table.h"

namespace gw::keys {

std::unique_ptr<accounting::keys::KeyTable> OpenKeyTable(const config::Config& config) {
  if (config.accounting.keys_store == config::LedgerStore::kPostgres) {
    return std::make_unique<accounting::keys::PgKeyTable>(
        config.postgres->url.value, std::chrono::milliseconds(config.postgres->connect_timeout_ms));
  }
  return std::make_unique<accounting::keys::KeyStore>(
      accounting::keys::KeyStorePathFor(config.accounting));
}

}  // namespace gw::keys

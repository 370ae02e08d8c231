// The key table a configuration names (docs/keys.md, docs/scale-out.md): the SQLite file
// (accounting.keys_store: sqlite, the default) or the table in the shared PostgreSQL database
// (keys_store: postgres). One place for the gateway and the
// `gateway keys` CLI, so that both always open the same table.
#pragma once

#include <memory>

#include "accounting/keys/key_table.h"
#include "config/config.h"

namespace gw::keys {

// Opens the SQLite file (creating it; throws LedgerError naming it when it cannot), or returns
// the PostgreSQL table, which connects on first use. The loader has checked that a `postgres`
// block exists when the keys are in PostgreSQL.
std::unique_ptr<accounting::keys::KeyTable> OpenKeyTable(const config::Config& config);

}  // namespace gw::keys

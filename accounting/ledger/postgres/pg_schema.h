// The shared ledger's PostgreSQL schema as an ordered list of versioned migrations, applied by
// whichever gateway instance connects first (an advisory lock serializes instances starting at
// once). The applied versions are rows of gw_schema_migrations. See docs/scale-out.md.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "accounting/ledger/postgres/pg_connection.h"

namespace gw::accounting::postgres {

struct PgMigration {
  int version;  // 1, 2, 3 ... in order
  std::string_view description;
  std::string_view sql;
};

// Every migration this binary knows, oldest first.
std::span<const PgMigration> PostgresLedgerMigrations();

// Applies the missing migrations of `steps`, each in its own transaction. False with *error when
// the server fails or its schema is newer than this binary (a newer gateway migrated it).
bool MigratePostgresLedger(PgConnection& connection, std::span<const PgMigration> steps,
                           std::string* error);
// MigratePostgresLedger with every migration this binary knows: what each component (shipper,
// usage reader, key table) runs on a new connection, so none depends on another having run.
bool MigrateToLatest(PgConnection& connection, std::string* error);

}  // namespace gw::accounting::postgres

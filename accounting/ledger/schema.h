// The ledger's SQLite schema as an ordered list of migrations, and opening a ledger file with
// every start-up failure turned into a LedgerError that names the file. The schema version is
// PRAGMA user_version. Called at start-up only (Ledger::Open, LedgerReader::Open, tools).
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <string_view>

#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

struct Migration {
  int version;  // user_version after this step; steps are numbered 1, 2, 3 ... in order
  std::string_view description;
  std::string_view sql;
};

// Every migration this binary knows, oldest first. The last one's version is the current schema.
std::span<const Migration> LedgerMigrations();

// Brings the database to the last version of `steps` inside one write transaction. Throws
// LedgerError when the file's version is newer than the last step (a newer gateway wrote it).
void MigrateLedger(sqlite::Db& db, const std::string& path, std::span<const Migration> steps);

// The file's PRAGMA user_version.
int LedgerSchemaVersion(sqlite::Db& db, const std::string& path);

// Opens `path` for writing: creates the parent directory, sets WAL mode, synchronous=NORMAL and
// the busy timeout, checks that the file is a writable SQLite database and migrates it.
sqlite::Db OpenLedgerForWriting(const std::string& path, std::chrono::milliseconds busy_timeout,
                                std::span<const Migration> steps = LedgerMigrations());

// Opens an existing ledger read-only (WAL readers see committed data while the gateway writes).
// Throws when the file is missing, corrupt, or of a schema version other than the current one.
sqlite::Db OpenLedgerForReading(const std::string& path, std::chrono::milliseconds busy_timeout);

// "usage ledger <path> ...": a failure explained for a sysadmin.
std::string DescribeLedgerFailure(const std::string& path, const sqlite::Failure& failure);

}  // namespace gw::accounting

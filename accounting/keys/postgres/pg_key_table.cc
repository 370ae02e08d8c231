#include "accounting/keys/postgres/pg_key_table.h"

#include "accounting/keys/key_policy.h"
#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/postgres/pg_schema.h"
#include "accounting/ledger/postgres/pg_session.h"

namespace gw::accounting::keys {
namespace {

using postgres::PgConnection;
using postgres::PgRows;

// NULL (no limit, no expiry) reads as "" (an integer is never empty) and is written from "".
constexpr std::string_view kSelect =
    "SELECT hash, name, label, disabled, coalesce(limit_nano::text, ''), limit_reset, "
    "coalesce(expires_at_ms::text, ''), created_at_ms, updated_at_ms, policy FROM api_keys";

int64_t Int(const std::string& text) { return std::stoll(text); }

ApiKey ReadKey(const std::vector<std::string>& row) {
  ApiKey key;
  key.hash = row.at(0);
  key.name = row.at(1);
  key.label = row.at(2);
  key.disabled = row.at(3) != "0";
  if (!row.at(4).empty()) key.limit_nano = Int(row.at(4));
  key.limit_reset = ParseLimitReset(row.at(5)).value_or(LimitReset::kNone);
  if (!row.at(6).empty()) key.expires_at_ms = Int(row.at(6));
  key.created_at_ms = Int(row.at(7));
  key.updated_at_ms = Int(row.at(8));
  ReadPolicy(row.at(9), key);
  return key;
}

// The parameters $1..$10 of a key's row, in kSelect's order.
std::vector<std::string> ParamsOf(const ApiKey& key) {
  return {key.hash,
          key.name,
          key.label,
          key.disabled ? "1" : "0",
          key.limit_nano ? std::to_string(*key.limit_nano) : "",
          std::string(LimitResetName(key.limit_reset)),
          key.expires_at_ms ? std::to_string(*key.expires_at_ms) : "",
          std::to_string(key.created_at_ms),
          std::to_string(key.updated_at_ms),
          PolicyJson(key)};
}

constexpr std::string_view kUpdate =
    "UPDATE api_keys SET name = $2, label = $3, disabled = $4, "
    "limit_nano = NULLIF($5, '')::bigint, limit_reset = $6, "
    "expires_at_ms = NULLIF($7, '')::bigint, created_at_ms = $8, updated_at_ms = $9, "
    "policy = $10 WHERE hash = $1";

}  // namespace

PgKeyTable::PgKeyTable(std::string url, std::chrono::milliseconds connect_timeout)
    : describe_(postgres::DescribeConnectionString(url)) {
  session_ = std::make_unique<postgres::PgSession>(
      std::move(url), connect_timeout, "the shared key table", postgres::MigrateToLatest);
}

PgKeyTable::~PgKeyTable() = default;

std::vector<ApiKey> PgKeyTable::List() {
  PgRows rows;
  // Oldest first, as the SQLite table; hashes compared byte for byte, whatever the collation.
  session_->Query(std::string(kSelect) + " ORDER BY created_at_ms, hash COLLATE \"C\"", {}, &rows);
  std::vector<ApiKey> keys;
  keys.reserve(rows.rows.size());
  for (const auto& row : rows.rows) keys.push_back(ReadKey(row));
  return keys;
}

std::optional<ApiKey> PgKeyTable::Get(std::string_view hash) {
  PgRows rows;
  session_->Query(std::string(kSelect) + " WHERE hash = $1", {std::string(hash)}, &rows);
  if (rows.rows.empty()) return std::nullopt;
  return ReadKey(rows.rows[0]);
}

bool PgKeyTable::Insert(const ApiKey& key) {
  PgRows rows;
  session_->Query(
      "INSERT INTO api_keys (hash, name, label, disabled, limit_nano, limit_reset, "
      "expires_at_ms, created_at_ms, updated_at_ms, policy) VALUES ($1, $2, $3, $4, "
      "NULLIF($5, '')::bigint, $6, NULLIF($7, '')::bigint, $8, $9, $10) "
      "ON CONFLICT (hash) DO NOTHING",
      ParamsOf(key), &rows);
  return rows.affected > 0;
}

KeyTable::Modified PgKeyTable::Modify(std::string_view hash,
                                      const std::function<std::string(ApiKey&)>& apply) {
  Modified result;
  session_->Transaction([&](PgConnection& connection, std::string* error) {
    result = {};
    PgRows rows;
    if (!connection.Query(std::string(kSelect) + " WHERE hash = $1 FOR UPDATE", {std::string(hash)},
                          &rows, error)) {
      return false;
    }
    if (rows.rows.empty()) return true;
    ApiKey key = ReadKey(rows.rows[0]);
    result.problem = apply(key);
    if (!result.problem.empty()) return true;  // nothing written: the commit only unlocks
    if (!connection.Query(std::string(kUpdate), ParamsOf(key), nullptr, error)) return false;
    result.key = std::move(key);
    return true;
  });
  return result;
}

bool PgKeyTable::Delete(std::string_view hash) {
  PgRows rows;
  session_->Query("DELETE FROM api_keys WHERE hash = $1", {std::string(hash)}, &rows);
  return rows.affected > 0;
}

int64_t PgKeyTable::Version() {
  PgRows rows;
  session_->Query("SELECT version FROM api_keys_version", {}, &rows);
  if (rows.rows.empty()) {
    throw LedgerError("the shared key table: " + describe_ + ": api_keys_version has no row");
  }
  return Int(rows.rows[0][0]);
}

}  // namespace gw::accounting::keys

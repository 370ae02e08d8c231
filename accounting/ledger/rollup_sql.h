// What every rollup writer shares: the upsert statement that adds a batch's sums to a row, one
// step of a prepared statement, and the hash mixing of composite keys. Consumer thread only.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

// INSERT INTO table (keys, sums) VALUES (?1 ...) ON CONFLICT (keys) DO UPDATE SET
// s = s + excluded.s for every sum: parameters are the keys, then the sums, in order.
std::string UpsertSql(std::string_view table, std::initializer_list<std::string_view> keys,
                      std::span<const std::string_view> sums);

// Steps `stmt` once and resets it; false with *failure unless it completed.
bool StepOnce(sqlite3* db, sqlite::Stmt& stmt, sqlite::Failure* failure);

// Combines a hash into a seed (boost::hash_combine's mixing).
inline size_t MixHash(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

}  // namespace gw::accounting

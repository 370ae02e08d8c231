#include "accounting/ledger/rollup_sql.h"

namespace gw::accounting {

std::string UpsertSql(std::string_view table, std::initializer_list<std::string_view> keys,
                      std::span<const std::string_view> sums) {
  std::string conflict;
  for (std::string_view key : keys) {
    if (!conflict.empty()) conflict += ", ";
    conflict += key;
  }
  std::string columns = conflict;
  std::string set;
  for (std::string_view sum : sums) {
    columns += ", ";
    columns += sum;
    if (!set.empty()) set += ", ";
    set += std::string(sum) + " = " + std::string(sum) + " + excluded." + std::string(sum);
  }
  std::string values;
  const size_t count = keys.size() + sums.size();
  for (size_t i = 1; i <= count; ++i) values += (i == 1 ? "?" : ", ?") + std::to_string(i);
  return "INSERT INTO " + std::string(table) + " (" + columns + ") VALUES (" + values +
         ") ON CONFLICT (" + conflict + ") DO UPDATE SET " + set;
}

bool StepOnce(sqlite3* db, sqlite::Stmt& stmt, sqlite::Failure* failure) {
  const int rc = stmt.Step();
  stmt.Reset();
  if (rc == SQLITE_DONE) return true;
  failure->code = rc;
  failure->message = sqlite3_errmsg(db);
  return false;
}

}  // namespace gw::accounting

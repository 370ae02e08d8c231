// How a GenerationRecord maps to a row of the `generations` table: the insert statement, its
// bindings, and reading a row back. Shared by the ledger's writer and Find, and the reader.
// Pure helpers; the statements belong to their caller's thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "accounting/generation_record.h"
#include "accounting/ledger/sqlite_db.h"

namespace gw::accounting {

// INSERT OR IGNORE: a record whose id is already stored changes nothing (sqlite3_changes == 0),
// so a retried batch can never store or count a record twice.
extern const std::string_view kInsertGenerationSql;
// SELECT <every column> FROM generations WHERE id = ?1
extern const std::string_view kSelectGenerationByIdSql;

// Binds every column of `record`. `attempts_json` receives the attempts as JSON and must stay
// alive until the statement is stepped (text is bound without a copy).
void BindGeneration(sqlite::Stmt& stmt, const GenerationRecord& record, std::string* attempts_json);

// Reads the current row of a kSelectGenerationByIdSql statement.
GenerationRecord ReadGeneration(const sqlite::Stmt& stmt);

// The attempts column: [{"model","provider","status","latency_ms","error"}, ...].
std::string AttemptsToJson(const std::vector<AttemptEntry>& attempts);
std::vector<AttemptEntry> AttemptsFromJson(std::string_view json);

}  // namespace gw::accounting

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
// Every column ReadGenerationRow reads, in its order (for SQLite and PostgreSQL alike).
extern const std::string_view kGenerationColumns;
// SELECT <kGenerationColumns> FROM generations WHERE id = ?1
extern const std::string kSelectGenerationByIdSql;

// Binds every column of `record`. `attempts_json` receives the attempts as JSON and must stay
// alive until the statement is stepped (text is bound without a copy).
void BindGeneration(sqlite::Stmt& stmt, const GenerationRecord& record, std::string* attempts_json);

// The attempts column: [{"model","provider","status","latency_ms","error"}, ...].
std::string AttemptsToJson(const std::vector<AttemptEntry>& attempts);
std::vector<AttemptEntry> AttemptsFromJson(std::string_view json);

// Reads a row of kGenerationColumns from anything with Text(i) and Int(i): a SQLite statement,
// or a PostgreSQL row (postgres/pg_usage_reader.cc).
template <class Row>
GenerationRecord ReadGenerationRow(const Row& s) {
  GenerationRecord r;
  r.id = s.Text(0);
  r.created_at_ms = s.Int(1);
  r.api_key_id = s.Text(2);
  r.user = s.Text(3);
  r.http_referer = s.Text(4);
  r.app_title = s.Text(5);
  r.app = s.Text(6);
  r.model_requested = s.Text(7);
  r.model = s.Text(8);
  r.author = s.Text(9);
  r.provider = s.Text(10);
  r.endpoint = s.Text(11);
  r.streamed = s.Int(12) != 0;
  r.cancelled = s.Int(13) != 0;
  r.estimated = s.Int(14) != 0;
  r.http_status = static_cast<int>(s.Int(15));
  r.finish_reason = s.Text(16);
  r.native_finish_reason = s.Text(17);
  r.latency_ms = s.Int(18);
  r.time_to_first_token_ms = s.Int(19);
  r.generation_time_ms = s.Int(20);
  r.native.prompt = s.Int(21);
  r.native.completion = s.Int(22);
  r.native.cached = s.Int(23);
  r.native.cache_write = s.Int(24);
  r.native.reasoning = s.Int(25);
  r.tokens_prompt = s.Int(26);
  r.tokens_completion = s.Int(27);
  r.cost.prompt = s.Int(28);
  r.cost.completion = s.Int(29);
  r.cost.cached_read = s.Int(30);
  r.cost.cache_write = s.Int(31);
  r.cost.reasoning = s.Int(32);
  r.cost.request = s.Int(33);
  r.cost.total = s.Int(34);
  r.attempts = AttemptsFromJson(s.Text(35));
  r.api = s.Text(36);
  r.message_count = s.Int(37);
  r.tools_offered = s.Int(38) != 0;
  r.tool_called = s.Int(39) != 0;
  r.language = s.Text(40);
  r.category = s.Text(41);
  r.model_origin = s.Text(42);
  r.model_open_weights = s.Int(43) != 0;
  r.model_parameters_m = s.Int(44);
  r.model_reasoning = s.Int(45) != 0;
  return r;
}

// Reads the current row of a kSelectGenerationByIdSql statement.
GenerationRecord ReadGeneration(const sqlite::Stmt& stmt);

}  // namespace gw::accounting

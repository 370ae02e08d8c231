#include "accounting/ledger/generation_row.h"

#include <nlohmann/json.hpp>

#include "accounting/ledger/json_text.h"

namespace gw::accounting {

const std::string_view kInsertGenerationSql =
    "INSERT OR IGNORE INTO generations (id, created_at_ms, api_key_id, user, http_referer, "
    "app_title, app, model_requested, model, author, provider, endpoint, streamed, cancelled, "
    "estimated, http_status, finish_reason, native_finish_reason, latency_ms, "
    "time_to_first_token_ms, generation_time_ms, native_prompt, native_completion, native_cached, "
    "native_cache_write, native_reasoning, tokens_prompt, tokens_completion, cost_prompt, "
    "cost_completion, cost_cached_read, cost_cache_write, cost_reasoning, cost_request, "
    "cost_total, attempts, api, message_count, tools_offered, tool_called, language, category, "
    "model_origin, model_open_weights, model_parameters_m, model_reasoning) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
    "?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, "
    "?41, ?42, ?43, ?44, ?45, ?46)";

// "user" quoted: a reserved word in PostgreSQL, the same identifier to SQLite.
const std::string_view kGenerationColumns =
    "id, created_at_ms, api_key_id, \"user\", http_referer, app_title, app, model_requested, "
    "model, author, provider, endpoint, streamed, cancelled, estimated, http_status, "
    "finish_reason, native_finish_reason, latency_ms, time_to_first_token_ms, "
    "generation_time_ms, native_prompt, native_completion, native_cached, native_cache_write, "
    "native_reasoning, tokens_prompt, tokens_completion, cost_prompt, cost_completion, "
    "cost_cached_read, cost_cache_write, cost_reasoning, cost_request, cost_total, attempts, "
    "api, message_count, tools_offered, tool_called, language, category, model_origin, "
    "model_open_weights, model_parameters_m, model_reasoning";

const std::string kSelectGenerationByIdSql =
    "SELECT " + std::string(kGenerationColumns) + " FROM generations WHERE id = ?1";

void BindGeneration(sqlite::Stmt& stmt, const GenerationRecord& r, std::string* attempts_json) {
  *attempts_json = AttemptsToJson(r.attempts);
  stmt.Bind(1, r.id);
  stmt.Bind(2, r.created_at_ms);
  stmt.Bind(3, r.api_key_id);
  stmt.Bind(4, r.user);
  stmt.Bind(5, r.http_referer);
  stmt.Bind(6, r.app_title);
  stmt.Bind(7, r.app);
  stmt.Bind(8, r.model_requested);
  stmt.Bind(9, r.model);
  stmt.Bind(10, r.author);
  stmt.Bind(11, r.provider);
  stmt.Bind(12, r.endpoint);
  stmt.Bind(13, int64_t{r.streamed});
  stmt.Bind(14, int64_t{r.cancelled});
  stmt.Bind(15, int64_t{r.estimated});
  stmt.Bind(16, int64_t{r.http_status});
  stmt.Bind(17, r.finish_reason);
  stmt.Bind(18, r.native_finish_reason);
  stmt.Bind(19, r.latency_ms);
  stmt.Bind(20, r.time_to_first_token_ms);
  stmt.Bind(21, r.generation_time_ms);
  stmt.Bind(22, r.native.prompt);
  stmt.Bind(23, r.native.completion);
  stmt.Bind(24, r.native.cached);
  stmt.Bind(25, r.native.cache_write);
  stmt.Bind(26, r.native.reasoning);
  stmt.Bind(27, r.tokens_prompt);
  stmt.Bind(28, r.tokens_completion);
  stmt.Bind(29, r.cost.prompt);
  stmt.Bind(30, r.cost.completion);
  stmt.Bind(31, r.cost.cached_read);
  stmt.Bind(32, r.cost.cache_write);
  stmt.Bind(33, r.cost.reasoning);
  stmt.Bind(34, r.cost.request);
  stmt.Bind(35, r.cost.total);
  stmt.Bind(36, std::string_view(*attempts_json));
  stmt.Bind(37, r.api);
  stmt.Bind(38, r.message_count);
  stmt.Bind(39, int64_t{r.tools_offered});
  stmt.Bind(40, int64_t{r.tool_called});
  stmt.Bind(41, r.language);
  stmt.Bind(42, r.category);
  stmt.Bind(43, r.model_origin);
  stmt.Bind(44, int64_t{r.model_open_weights});
  stmt.Bind(45, r.model_parameters_m);
  stmt.Bind(46, int64_t{r.model_reasoning});
}

GenerationRecord ReadGeneration(const sqlite::Stmt& stmt) { return ReadGenerationRow(stmt); }

std::string AttemptsToJson(const std::vector<AttemptEntry>& attempts) {
  JsonWriter w;
  w.BeginArray();
  for (const AttemptEntry& a : attempts) {
    w.BeginObject()
        .Member("model", a.model)
        .Member("provider", a.provider)
        .Member("status", int64_t{a.status})
        .Member("latency_ms", a.latency_ms)
        .Member("error", a.error)
        .EndObject();
  }
  w.EndArray();
  return w.Take();
}

std::vector<AttemptEntry> AttemptsFromJson(std::string_view json) {
  std::vector<AttemptEntry> attempts;
  const auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return attempts;
  for (const auto& item : parsed) {
    if (!item.is_object()) continue;
    AttemptEntry a;
    a.model = item.value("model", "");
    a.provider = item.value("provider", "");
    a.status = item.value("status", 0);
    a.latency_ms = item.value("latency_ms", int64_t{0});
    a.error = item.value("error", "");
    attempts.push_back(std::move(a));
  }
  return attempts;
}

}  // namespace gw::accounting

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

const std::string_view kSelectGenerationByIdSql =
    "SELECT id, created_at_ms, api_key_id, user, http_referer, app_title, app, model_requested, "
    "model, author, provider, endpoint, streamed, cancelled, estimated, http_status, "
    "finish_reason, native_finish_reason, latency_ms, time_to_first_token_ms, "
    "generation_time_ms, native_prompt, native_completion, native_cached, native_cache_write, "
    "native_reasoning, tokens_prompt, tokens_completion, cost_prompt, cost_completion, "
    "cost_cached_read, cost_cache_write, cost_reasoning, cost_request, cost_total, attempts, "
    "api, message_count, tools_offered, tool_called, language, category, model_origin, "
    "model_open_weights, model_parameters_m, model_reasoning FROM generations WHERE id = ?1";

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

GenerationRecord ReadGeneration(const sqlite::Stmt& s) {
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

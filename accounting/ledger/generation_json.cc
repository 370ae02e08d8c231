#include "accounting/ledger/generation_json.h"

#include "accounting/ledger/json_text.h"
#include "accounting/ledger/utc_time.h"

namespace gw::accounting {
namespace {

// A count that is -1 until known: null then.
void CountOrNull(JsonWriter& w, std::string_view key, int64_t value) {
  w.Key(key);
  if (value < 0) {
    w.Null();
  } else {
    w.Int(value);
  }
}

// "" -> null, for optional text fields.
void TextOrNull(JsonWriter& w, std::string_view key, const std::string& value) {
  w.Key(key);
  if (value.empty()) {
    w.Null();
  } else {
    w.String(value);
  }
}

}  // namespace

std::string GenerationJson(const GenerationRecord& r) {
  JsonWriter w;
  w.BeginObject()
      .Member("id", r.id)
      .Member("model", r.model)
      .Member("provider_name", r.provider)
      .Member("created_at", FormatIsoUtc(r.created_at_ms))
      .Member("streamed", r.streamed)
      .Member("cancelled", r.cancelled);
  TextOrNull(w, "finish_reason", r.finish_reason);
  TextOrNull(w, "native_finish_reason", r.native_finish_reason);
  w.Member("latency", r.latency_ms).Member("generation_time", r.generation_time_ms);
  CountOrNull(w, "time_to_first_token", r.time_to_first_token_ms);
  CountOrNull(w, "tokens_prompt", r.tokens_prompt);
  CountOrNull(w, "tokens_completion", r.tokens_completion);
  w.Member("native_tokens_prompt", r.native.prompt)
      .Member("native_tokens_completion", r.native.completion)
      .Member("native_tokens_reasoning", r.native.reasoning)
      .Member("native_tokens_cached", r.native.cached)
      .Member("native_tokens_cache_write", r.native.cache_write)
      .Key("total_cost")
      .Usd(r.cost.total)
      .Key("usage")
      .Usd(r.cost.total)
      .Key("cost_details")
      .BeginObject()
      .Key("prompt")
      .Usd(r.cost.prompt)
      .Key("completion")
      .Usd(r.cost.completion)
      .Key("input_cache_read")
      .Usd(r.cost.cached_read)
      .Key("input_cache_write")
      .Usd(r.cost.cache_write)
      .Key("internal_reasoning")
      .Usd(r.cost.reasoning)
      .Key("request")
      .Usd(r.cost.request)
      .EndObject()
      .Member("estimated", r.estimated);
  TextOrNull(w, "app_id", r.app);
  TextOrNull(w, "http_referer", r.http_referer);
  TextOrNull(w, "app_title", r.app_title);
  TextOrNull(w, "user", r.user);
  TextOrNull(w, "api_key_id", r.api_key_id);
  w.Member("api", r.api)
      .Member("model_requested", r.model_requested)
      .Member("endpoint", r.endpoint)
      .Member("http_status", int64_t{r.http_status})
      .Member("message_count", r.message_count)
      .Member("tools_offered", r.tools_offered)
      .Member("tool_called", r.tool_called);
  TextOrNull(w, "language", r.language);
  TextOrNull(w, "category", r.category);
  w.Key("model_attributes").BeginObject();
  TextOrNull(w, "origin_country", r.model_origin);
  w.Member("open_weights", r.model_open_weights);
  w.Key("parameters_b");
  if (r.model_parameters_m > 0) {
    w.Decimal(r.model_parameters_m, 3);
  } else {
    w.Null();
  }
  w.Member("reasoning", r.model_reasoning).EndObject().Key("provider_responses").BeginArray();
  for (const AttemptEntry& a : r.attempts) {
    w.BeginObject()
        .Member("provider_name", a.provider)
        .Member("model", a.model)
        .Member("status", int64_t{a.status})
        .Member("latency", a.latency_ms);
    TextOrNull(w, "error", a.error);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace gw::accounting

// One request's usage record: what the request path hands to accounting when an inference
// request ends, and what the ledger stores and GET /v1/generation returns. Plain value type;
// built on a worker thread, then moved to the accounting consumer thread (never shared).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "accounting/insights/prompt_layout.h"

namespace gw::accounting {

// Token counts of one request. Native counts are the provider's (or the local estimate when
// the provider reported none); `prompt` includes `cached` and `cache_write`, `completion`
// includes `reasoning`, as in the OpenAI usage object.
struct TokenCounts {
  int64_t prompt = 0;
  int64_t completion = 0;
  int64_t cached = 0;       // prompt tokens read from the provider's prompt cache
  int64_t cache_write = 0;  // prompt tokens written to the provider's prompt cache
  int64_t reasoning = 0;    // completion tokens spent on reasoning

  bool operator==(const TokenCounts&) const = default;
};

// What a request cost, in nano-USD (1 USD = 1'000'000'000), per price component.
// total == prompt + completion + cached_read + cache_write + reasoning + request.
struct Cost {
  int64_t prompt = 0;       // uncached prompt tokens
  int64_t completion = 0;   // completion tokens (reasoning excluded when priced separately)
  int64_t cached_read = 0;  // cached prompt tokens
  int64_t cache_write = 0;  // prompt tokens written to the cache
  int64_t reasoning = 0;    // reasoning tokens, when the endpoint prices them separately
  int64_t request = 0;      // the endpoint's per-request price
  int64_t total = 0;

  bool operator==(const Cost&) const = default;
};

// One try of one endpoint (a request that failed over has several).
struct AttemptEntry {
  std::string model;     // public model id tried
  std::string provider;  // provider name
  int status = 0;        // the upstream's HTTP status; 0 when it never answered
  int64_t latency_ms = 0;
  std::string error;  // empty when this attempt served the request

  bool operator==(const AttemptEntry&) const = default;
};

struct GenerationRecord {
  std::string id;               // "gen-..."
  int64_t created_at_ms = 0;    // unix epoch ms when the request arrived (UTC)
  std::string api_key_id;       // hash id of the calling key; "" when keys are not configured
  std::string user;             // the request's `user`
  std::string http_referer;     // HTTP-Referer header (the app's URL)
  std::string app_title;        // X-Title header (the app's display name)
  std::string app;              // the app a report groups by: app_title, else http_referer, else ""
  std::string model_requested;  // as the client asked (may carry a :variant suffix)
  // The API it came in by: "chat_completions", "completions" or "messages"
  // (dialects::DialectName).
  std::string api = "chat_completions";
  std::string model;     // public id of the model that served (and is billed)
  std::string author;    // the part of `model` before '/'
  std::string provider;  // provider that served; "" when none did
  std::string endpoint;  // the provider's own model name (upstream_model)
  bool streamed = false;
  bool cancelled = false;     // the client went away before the answer was complete
  bool estimated = false;     // native counts were estimated locally (the provider gave none)
  int http_status = 200;      // what the client was answered (a stream that started: 200)
  std::string finish_reason;  // normalized: stop|length|tool_calls|content_filter|error|""
  std::string native_finish_reason;     // as the provider sent it
  int64_t latency_ms = 0;               // request arrival -> response complete
  int64_t time_to_first_token_ms = -1;  // streams: arrival -> first content event; -1 = none
  int64_t generation_time_ms = 0;       // serving attempt start -> response complete
  TokenCounts native;
  // Normalized counts with the common tokenizer (o200k_base), filled off the request path by
  // the accounting consumer; -1 until counted.
  int64_t tokens_prompt = -1;
  int64_t tokens_completion = -1;
  Cost cost;
  std::vector<AttemptEntry> attempts;

  // What the insights analyses read (docs/insights.md). The served model's attributes are
  // copied from the config when the request is served, so history keeps the catalogue of its
  // day when the config changes.
  int64_t message_count = 0;   // the conversation's messages (0: legacy completions)
  bool tools_offered = false;  // the request offered tools (a non-empty `tools`/`functions`)
  bool tool_called = false;    // the answer called a tool (finish_reason "tool_calls")
  std::string language;        // ISO 639-1 of the user's text; "" undetermined
  // insights::TaskCategoryName: the app's declared category (config `apps`), else the
  // classifier's, decided off the request path; "" in records written before it existed.
  std::string category;
  std::string model_origin;         // ISO 3166-1 alpha-2 of the model's maker; "" unknown
  bool model_open_weights = false;  // its weights are published
  int64_t model_parameters_m = 0;   // its parameter count in millions; 0 unknown
  bool model_reasoning = false;     // it reasons before answering

  // Inputs of the normalized count, consumed (and cleared) by the accounting consumer; never
  // stored in the ledger.
  std::string prompt_source;      // the client's request body (JSON)
  bool prompt_is_chat = true;     // body has `messages` (else `prompt`, legacy completions)
  std::string completion_source;  // generated text as escaped JSON string contents, concatenated
  // Where prompt_source's parts are, as the request path found them (unknown: the consumer
  // walks the body).
  insights::PromptLayout prompt_layout;
};

}  // namespace gw::accounting

// The upstream simulator's behaviour knobs and their two textual forms: command-line flags (the
// process defaults) and per-request override strings ("ttft_ms=20&tokens=64", from the
// x-sim-options header or a model-name suffix). Pure functions over plain structs; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gw::simulator {

// How one request behaves. Every field can be set by a flag and overridden per request; the
// option names (left) are the override keys, the flags are the same with '-' for '_'.
struct SimOptions {
  uint32_t ttft_ms = 0;             // ttft_ms: delay before the first token (and response head)
  double tokens_per_second = 0;     // tokens_per_second: pace after the first token; 0 = no pause
  uint32_t chunk_interval_ms = 0;   // chunk_interval_ms: pace as a fixed gap; wins when non-zero
  uint32_t tokens = 16;             // tokens: output length before max_tokens applies
  double error_rate = 0;            // error_rate: probability (0..1) of answering `status`
  uint32_t status = 500;            // status: the injected error's HTTP status (400..599)
  double malformed = 0;             // malformed: probability (0..1) of a broken body / event
  int64_t disconnect_after = -1;    // disconnect_after: drop after N content chunks; -1 = never
  bool usage = true;                // usage: whether usage is ever reported
  bool bad_usage = false;           // bad_usage: usage objects with invalid counts (a faulty
                                    // provider: "prompt_tokens":"unknown", a negative completion)
  uint32_t cached_tokens = 0;       // cached_tokens: prompt_tokens_details.cached_tokens
  uint32_t reasoning_tokens = 0;    // reasoning_tokens: completion_tokens_details.reasoning_tokens
  uint64_t seed = 0;                // seed: text PRNG seed (the request's `seed` field wins)
  bool early_head = false;          // early_head: a stream's response head goes out at once and
                                    // the first token after ttft_ms (as vLLM and TGI do)
  bool tool_call = false;           // tool_call: answer with a call of the request's first tool
                                    // (OpenAI tool_calls / Anthropic tool_use) when it has tools
  uint32_t thinking_tokens = 0;     // thinking_tokens: Anthropic thinking block of N words
  uint32_t cache_write_tokens = 0;  // cache_write_tokens: Anthropic cache_creation_input_tokens
  int64_t stream_error_after = -1;  // stream_error_after: in-stream error event after N content
                                    // chunks, then the stream ends; -1 = never
  bool close_after_response = false;  // close_after_response: close the connection once the
                                      // answer is complete although its head allowed keep-alive
                                      // (a server whose idle timer fired): the client's pooled
                                      // connection goes stale

  // The pause between two content tokens, in microseconds (0 = none).
  int64_t TokenIntervalUs() const;
};

// Sets one option by its override name ("ttft_ms") from its text value. Returns "" on success,
// else a message naming the option and the accepted values; *options is then unchanged.
std::string SetOption(std::string_view name, std::string_view value, SimOptions* options);

// True for the override names above ("ttft_ms", ...).
bool IsKnownOption(std::string_view name);

// True for the options that take true/false (their flags may be given without a value).
bool IsBoolOption(std::string_view name);

// Applies "name=value&name=value" (empty segments ignored) on top of *options. Returns "" on
// success, else a message that starts with `source` (e.g. "x-sim-options") and names the option.
// On error *options may hold the segments before the bad one.
std::string ApplyOverrides(std::string_view text, std::string_view source, SimOptions* options);

// Splits "sim-model?ttft_ms=5" into the model name and the override string (empty if no '?').
struct ModelSpec {
  std::string_view name;
  std::string_view overrides;
};
ModelSpec SplitModel(std::string_view model);

}  // namespace gw::simulator

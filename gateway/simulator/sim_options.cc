#include "gateway/simulator/sim_options.h"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

namespace gw::simulator {
namespace {

std::optional<uint64_t> ParseUnsigned(std::string_view text, uint64_t max) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > max) return std::nullopt;
  return value;
}

std::optional<double> ParseDouble(std::string_view text, double min, double max) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value) || value < min ||
      value > max) {
    return std::nullopt;
  }
  return value;
}

std::string Invalid(std::string_view name, std::string_view expected, std::string_view value) {
  return "option " + std::string(name) + ": expected " + std::string(expected) + ", got \"" +
         std::string(value) + "\"";
}

// One setter per option; each returns "" or the message for a bad value.
using Setter = std::string (*)(std::string_view name, std::string_view value, SimOptions* o);

template <uint32_t SimOptions::*kField, uint64_t kMax>
std::string SetU32(std::string_view name, std::string_view value, SimOptions* o) {
  auto parsed = ParseUnsigned(value, kMax);
  if (!parsed) return Invalid(name, "an integer from 0 to " + std::to_string(kMax), value);
  o->*kField = static_cast<uint32_t>(*parsed);
  return "";
}

template <double SimOptions::*kField>
std::string SetProbability(std::string_view name, std::string_view value, SimOptions* o) {
  auto parsed = ParseDouble(value, 0, 1);
  if (!parsed) return Invalid(name, "a probability from 0 to 1", value);
  o->*kField = *parsed;
  return "";
}

std::string SetTokensPerSecond(std::string_view name, std::string_view value, SimOptions* o) {
  auto parsed = ParseDouble(value, 0, 1e6);
  if (!parsed) return Invalid(name, "a number from 0 to 1000000", value);
  o->tokens_per_second = *parsed;
  return "";
}

std::string SetStatus(std::string_view name, std::string_view value, SimOptions* o) {
  auto parsed = ParseUnsigned(value, 599);
  if (!parsed || *parsed < 400) return Invalid(name, "an HTTP status from 400 to 599", value);
  o->status = static_cast<uint32_t>(*parsed);
  return "";
}

// A chunk count, or -1 / "never" (disconnect_after, stream_error_after).
template <int64_t SimOptions::*kField>
std::string SetChunkCount(std::string_view name, std::string_view value, SimOptions* o) {
  if (value == "-1" || value == "never") {
    o->*kField = -1;
    return "";
  }
  auto parsed = ParseUnsigned(value, 1'000'000'000);
  if (!parsed) return Invalid(name, "a chunk count >= 0, or -1 / never", value);
  o->*kField = static_cast<int64_t>(*parsed);
  return "";
}

template <bool SimOptions::*kField>
std::string SetBool(std::string_view name, std::string_view value, SimOptions* o) {
  if (value == "true" || value == "1") {
    o->*kField = true;
  } else if (value == "false" || value == "0") {
    o->*kField = false;
  } else {
    return Invalid(name, "true or false", value);
  }
  return "";
}

std::string SetSeed(std::string_view name, std::string_view value, SimOptions* o) {
  auto parsed = ParseUnsigned(value, UINT64_MAX);
  if (!parsed) return Invalid(name, "an unsigned 64-bit integer", value);
  o->seed = *parsed;
  return "";
}

struct OptionSpec {
  std::string_view name;
  Setter set;
};

constexpr std::array<OptionSpec, 19> kOptions{{
    {"ttft_ms", &SetU32<&SimOptions::ttft_ms, 3'600'000>},
    {"tokens_per_second", &SetTokensPerSecond},
    {"chunk_interval_ms", &SetU32<&SimOptions::chunk_interval_ms, 3'600'000>},
    {"tokens", &SetU32<&SimOptions::tokens, 1'000'000>},
    {"error_rate", &SetProbability<&SimOptions::error_rate>},
    {"status", &SetStatus},
    {"malformed", &SetProbability<&SimOptions::malformed>},
    {"disconnect_after", &SetChunkCount<&SimOptions::disconnect_after>},
    {"usage", &SetBool<&SimOptions::usage>},
    {"bad_usage", &SetBool<&SimOptions::bad_usage>},
    {"cached_tokens", &SetU32<&SimOptions::cached_tokens, 1'000'000'000>},
    {"reasoning_tokens", &SetU32<&SimOptions::reasoning_tokens, 1'000'000'000>},
    {"seed", &SetSeed},
    {"early_head", &SetBool<&SimOptions::early_head>},
    {"tool_call", &SetBool<&SimOptions::tool_call>},
    {"thinking_tokens", &SetU32<&SimOptions::thinking_tokens, 1'000'000>},
    {"cache_write_tokens", &SetU32<&SimOptions::cache_write_tokens, 1'000'000'000>},
    {"stream_error_after", &SetChunkCount<&SimOptions::stream_error_after>},
    {"close_after_response", &SetBool<&SimOptions::close_after_response>},
}};

}  // namespace

int64_t SimOptions::TokenIntervalUs() const {
  if (chunk_interval_ms > 0) return int64_t{chunk_interval_ms} * 1000;
  if (tokens_per_second > 0) return std::llround(1e6 / tokens_per_second);
  return 0;
}

std::string SetOption(std::string_view name, std::string_view value, SimOptions* options) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.name == name) return spec.set(name, value, options);
  }
  return "unknown option \"" + std::string(name) +
         "\" (known: ttft_ms, tokens_per_second, chunk_interval_ms, tokens, error_rate, status, "
         "malformed, disconnect_after, usage, bad_usage, cached_tokens, reasoning_tokens, seed, "
         "early_head, tool_call, thinking_tokens, cache_write_tokens, stream_error_after, "
         "close_after_response)";
}

bool IsKnownOption(std::string_view name) {
  for (const OptionSpec& spec : kOptions) {
    if (spec.name == name) return true;
  }
  return false;
}

bool IsBoolOption(std::string_view name) {
  return name == "usage" || name == "bad_usage" || name == "early_head" || name == "tool_call" ||
         name == "close_after_response";
}

std::string ApplyOverrides(std::string_view text, std::string_view source, SimOptions* options) {
  while (!text.empty()) {
    const size_t amp = text.find('&');
    const std::string_view segment = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (segment.empty()) continue;
    const size_t eq = segment.find('=');
    if (eq == std::string_view::npos) {
      return std::string(source) + ": \"" + std::string(segment) + "\" is not name=value";
    }
    std::string error = SetOption(segment.substr(0, eq), segment.substr(eq + 1), options);
    if (!error.empty()) return std::string(source) + ": " + error;
  }
  return "";
}

ModelSpec SplitModel(std::string_view model) {
  const size_t question = model.find('?');
  if (question == std::string_view::npos) return {model, {}};
  return {model.substr(0, question), model.substr(question + 1)};
}

}  // namespace gw::simulator

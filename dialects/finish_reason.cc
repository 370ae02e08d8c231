#include "dialects/finish_reason.h"

#include <array>

namespace gw::dialects {
namespace {

struct Mapping {
  std::string_view native;
  std::string_view normalized;
};

constexpr std::string_view kStop = "stop";
constexpr std::string_view kLength = "length";
constexpr std::string_view kToolCalls = "tool_calls";
constexpr std::string_view kContentFilter = "content_filter";
constexpr std::string_view kError = "error";

constexpr std::array<Mapping, 21> kMappings = {{
    {"stop", kStop},
    {"eos", kStop},
    {"end_turn", kStop},
    {"stop_sequence", kStop},
    {"length", kLength},
    {"max_tokens", kLength},
    {"model_length", kLength},
    {"tool_calls", kToolCalls},
    {"function_call", kToolCalls},
    {"tool_use", kToolCalls},
    {"content_filter", kContentFilter},
    {"safety", kContentFilter},
    {"recitation", kContentFilter},
    {"refusal", kContentFilter},
    {"prohibited_content", kContentFilter},
    {"blocklist", kContentFilter},
    {"spii", kContentFilter},
    {"error", kError},
    {"abort", kError},
    {"cancelled", kError},
    {"canceled", kError},
}};

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view NormalizeFinishReason(std::string_view native) {
  for (const Mapping& mapping : kMappings) {
    if (EqualsIgnoringAsciiCase(native, mapping.native)) return mapping.normalized;
  }
  return kStop;
}

}  // namespace gw::dialects

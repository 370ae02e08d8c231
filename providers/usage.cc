// ParseUsage over the project's JSON scanner: usage objects are small, but they arrive on every
// response and stream, so no DOM and no exceptions.
#include "providers/usage.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::providers {
namespace {

using json::Member;
using json::ValueKind;

enum class Count : uint8_t { kAbsent, kOk, kBad };

// Counts above this are no token counts (2^53: beyond it JSON numbers lose integer precision);
// the bound also keeps total = prompt + completion, and the sums accounting makes, from
// overflowing.
constexpr int64_t kMaxCount = int64_t{1} << 53;

// Reads a non-negative integral JSON number up to kMaxCount; `text` is a validated number token.
bool ParseCount(std::string_view text, int64_t* out) {
  const char* end = text.data() + text.size();
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc() && ptr == end) {
    *out = value;
    return value >= 0 && value <= kMaxCount;
  }
  double real = 0;
  auto [real_ptr, real_ec] = std::from_chars(text.data(), end, real);
  if (real_ec != std::errc() || real_ptr != end) return false;
  if (!(real >= 0 && real <= static_cast<double>(kMaxCount)) || std::floor(real) != real) {
    return false;
  }
  *out = static_cast<int64_t>(real);
  return true;
}

// The count member `name` of an object's members.
Count ReadCount(const std::vector<Member>& members, std::string_view name, int64_t* out) {
  const Member* member = json::FindMember(members, name);
  if (member == nullptr || member->kind == ValueKind::kNull) return Count::kAbsent;
  if (member->kind != ValueKind::kNumber) return Count::kBad;
  return ParseCount(member->value, out) ? Count::kOk : Count::kBad;
}

// Reads `name` from the detail object `object_name` (absent or null: nothing to read).
Count ReadDetail(const std::vector<Member>& members, std::string_view object_name,
                 std::string_view name, int64_t* out) {
  const Member* object = json::FindMember(members, object_name);
  if (object == nullptr || object->kind == ValueKind::kNull) return Count::kAbsent;
  if (object->kind != ValueKind::kObject) return Count::kBad;
  std::vector<Member> details;
  json::ObjectMembers(object->value, details);
  return ReadCount(details, name, out);
}

}  // namespace

std::optional<TokenUsage> ParseUsage(std::string_view usage_object_json) {
  std::vector<Member> members;
  if (json::ScanObject(usage_object_json, members)) return std::nullopt;
  TokenUsage usage;
  Count total = Count::kAbsent;
  const Count counts[] = {
      ReadCount(members, "prompt_tokens", &usage.prompt_tokens),
      ReadCount(members, "completion_tokens", &usage.completion_tokens),
      total = ReadCount(members, "total_tokens", &usage.total_tokens),
      ReadDetail(members, "prompt_tokens_details", "cache_write_tokens", &usage.cache_write_tokens),
      ReadDetail(members, "completion_tokens_details", "reasoning_tokens", &usage.reasoning_tokens),
  };
  Count cached =
      ReadDetail(members, "prompt_tokens_details", "cached_tokens", &usage.cached_tokens);
  if (cached == Count::kAbsent) {
    cached = ReadCount(members, "prompt_cache_hit_tokens", &usage.cached_tokens);
  }
  if (cached == Count::kBad) return std::nullopt;
  for (Count count : counts) {
    if (count == Count::kBad) return std::nullopt;
  }
  if (total == Count::kAbsent) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

}  // namespace gw::providers

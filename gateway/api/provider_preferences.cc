#include "gateway/api/provider_preferences.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/json/json_scan.h"
#include "config/config.h"
#include "config/money.h"

namespace gw::api {
namespace {

using json::ValueKind;

constexpr int64_t kNanoUsdPerUsd = 1'000'000'000;

std::string Field(std::string_view name) { return "provider." + std::string(name); }

std::optional<std::string> StringOf(const json::Element& element) {
  if (element.kind != ValueKind::kString) return std::nullopt;
  return json::UnescapeString(json::StringContents(element.value));
}

std::optional<std::string> StringOf(const json::Member& member) {
  return StringOf(json::Element{member.value, member.kind});
}

// An array of non-empty strings.
std::string ReadNames(const json::Member& member, std::string_view name,
                      std::vector<std::string>& out) {
  if (member.kind != ValueKind::kArray) return Field(name) + ": expected an array of strings";
  std::vector<json::Element> elements;
  json::ArrayElements(member.value, elements);
  for (size_t i = 0; i < elements.size(); ++i) {
    std::optional<std::string> text = StringOf(elements[i]);
    if (!text || text->empty()) {
      return Field(name) + "[" + std::to_string(i) + "]: expected a non-empty string";
    }
    out.push_back(std::move(*text));
  }
  return {};
}

std::string ReadBool(const json::Member& member, std::string_view name, bool& out) {
  if (member.kind == ValueKind::kTrue || member.kind == ValueKind::kFalse) {
    out = member.kind == ValueKind::kTrue;
    return {};
  }
  return Field(name) + ": expected true or false";
}

// "price" | "throughput" | "latency", or {by: ..., partition: "model" | "none"}.
std::string ReadSort(const json::Member& member, routing::ProviderPreferences& out) {
  const std::string expected = ": expected one of price, throughput, latency";
  if (member.kind == ValueKind::kString) {
    const std::optional<std::string> name = StringOf(member);
    const std::optional<routing::SortBy> by = name ? routing::ParseSortBy(*name) : std::nullopt;
    if (!by) return Field("sort") + expected + ", got \"" + name.value_or("") + "\"";
    out.sort = *by;
    return {};
  }
  if (member.kind != ValueKind::kObject) {
    return Field("sort") + ": expected a string or an object {by, partition}";
  }
  std::vector<json::Member> fields;
  json::ObjectMembers(member.value, fields);
  for (const json::Member& field : fields) {
    const std::optional<std::string> text = StringOf(field);
    if (json::KeyIs(field.raw_key, "by")) {
      const std::optional<routing::SortBy> by = text ? routing::ParseSortBy(*text) : std::nullopt;
      if (!by) return Field("sort.by") + expected;
      out.sort = *by;
    } else if (json::KeyIs(field.raw_key, "partition")) {
      if (text != "model" && text != "none") {
        return Field("sort.partition") + ": expected \"model\" or \"none\"";
      }
      out.sort_across_models = *text == "none";
    } else {
      return Field("sort") + ": unknown field \"" + std::string(field.raw_key) +
             "\"; expected by, partition";
    }
  }
  if (out.sort == routing::SortBy::kNone) return Field("sort.by") + ": required";
  return {};
}

// A price limit in USD (per 1M tokens, or per request) as a JSON number, read exactly.
std::string ReadPrice(const json::Member& member, std::string_view name,
                      std::optional<int64_t>& out) {
  const std::string field = Field("max_price.") + std::string(name);
  if (member.kind != ValueKind::kNumber) return field + ": expected a number of USD";
  out = config::ParseUsdDecimal(member.value, kNanoUsdPerUsd);
  if (!out) {
    return field + ": expected a non-negative decimal number of USD with at most 9 decimals, got " +
           std::string(member.value);
  }
  return {};
}

std::string ReadMaxPrice(const json::Member& member, routing::MaxPrice& out) {
  if (member.kind != ValueKind::kObject) {
    return Field("max_price") + ": expected an object {prompt, completion, request}";
  }
  std::vector<json::Member> fields;
  json::ObjectMembers(member.value, fields);
  for (const json::Member& field : fields) {
    std::string error;
    if (json::KeyIs(field.raw_key, "prompt")) {
      error = ReadPrice(field, "prompt", out.prompt);
    } else if (json::KeyIs(field.raw_key, "completion")) {
      error = ReadPrice(field, "completion", out.completion);
    } else if (json::KeyIs(field.raw_key, "request")) {
      error = ReadPrice(field, "request", out.request);
    } else if (json::KeyIs(field.raw_key, "image") || json::KeyIs(field.raw_key, "audio")) {
      continue;  // limits on media prices: this gateway routes text only
    } else {
      error = Field("max_price") + ": unknown field \"" + std::string(field.raw_key) +
              "\"; expected prompt, completion, request";
    }
    if (!error.empty()) return error;
  }
  return {};
}

// A positive number, or a percentile object of which p50 is used ({p50, p75, p90, p99}).
std::string ReadPerformance(const json::Member& member, std::string_view name,
                            std::optional<double>& out) {
  std::string_view text = member.value;
  if (member.kind == ValueKind::kObject) {
    std::vector<json::Member> fields;
    json::ObjectMembers(member.value, fields);
    const json::Member* p50 = json::FindMember(fields, "p50");
    if (p50 == nullptr || p50->kind != ValueKind::kNumber) {
      return Field(name) + ": expected a number or an object with a numeric p50";
    }
    text = p50->value;
  } else if (member.kind != ValueKind::kNumber) {
    return Field(name) + ": expected a number or an object {p50, p75, p90, p99}";
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
    return Field(name) + ": expected a positive number";
  }
  out = value;
  return {};
}

std::string ReadQuantizations(const json::Member& member, std::vector<std::string>& out) {
  std::string error = ReadNames(member, "quantizations", out);
  if (!error.empty()) return error;
  for (const std::string& quantization : out) {
    if (std::find(config::kQuantizationNames.begin(), config::kQuantizationNames.end(),
                  quantization) == config::kQuantizationNames.end()) {
      return Field("quantizations") + ": unknown quantization \"" + quantization +
             "\"; expected int4, int8, fp4, fp6, fp8, fp16, bf16, fp32, unknown";
    }
  }
  return {};
}

std::string ReadDataCollection(const json::Member& member, bool& deny) {
  const std::optional<std::string> text = StringOf(member);
  if (text != "allow" && text != "deny") {
    return Field("data_collection") + ": expected \"allow\" or \"deny\"";
  }
  deny = *text == "deny";
  return {};
}

std::string ReadField(const json::Member& field, routing::ProviderPreferences& out) {
  const std::string_view key = field.raw_key;
  if (json::KeyIs(key, "order")) return ReadNames(field, "order", out.order);
  if (json::KeyIs(key, "only")) return ReadNames(field, "only", out.only.emplace());
  if (json::KeyIs(key, "ignore")) return ReadNames(field, "ignore", out.ignore);
  if (json::KeyIs(key, "allow_fallbacks")) {
    return ReadBool(field, "allow_fallbacks", out.allow_fallbacks);
  }
  if (json::KeyIs(key, "sort")) return ReadSort(field, out);
  if (json::KeyIs(key, "max_price")) return ReadMaxPrice(field, out.max_price);
  if (json::KeyIs(key, "require_parameters")) {
    return ReadBool(field, "require_parameters", out.require_parameters);
  }
  if (json::KeyIs(key, "quantizations")) return ReadQuantizations(field, out.quantizations);
  if (json::KeyIs(key, "data_collection")) {
    return ReadDataCollection(field, out.deny_data_collection);
  }
  if (json::KeyIs(key, "zdr")) return ReadBool(field, "zdr", out.zdr);
  if (json::KeyIs(key, "preferred_min_throughput")) {
    return ReadPerformance(field, "preferred_min_throughput", out.preferred_min_throughput);
  }
  if (json::KeyIs(key, "preferred_max_latency")) {
    return ReadPerformance(field, "preferred_max_latency", out.preferred_max_latency_s);
  }
  return Field(key) +
         ": unknown field; expected one of order, allow_fallbacks, only, ignore, sort, "
         "max_price, require_parameters, quantizations, data_collection, zdr, "
         "preferred_min_throughput, preferred_max_latency";
}

}  // namespace

std::string DecodeProviderPreferences(std::string_view value, routing::ProviderPreferences& out) {
  std::vector<json::Member> fields;
  json::ObjectMembers(value, fields);
  for (const json::Member& field : fields) {
    if (field.kind == ValueKind::kNull) continue;  // an explicit null means "not set"
    std::string error = ReadField(field, out);
    if (!error.empty()) return error;
  }
  return {};
}

}  // namespace gw::api

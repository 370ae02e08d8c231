#include "gateway/keys/key_document.h"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cmath>
#include <stdexcept>

#include "accounting/ledger/json_text.h"
#include "accounting/ledger/utc_time.h"
#include "config/money.h"
#include "gateway/key_digest.h"

namespace gw::keys {
namespace {

using accounting::keys::ApiKey;
using accounting::keys::LimitReset;
using accounting::keys::RateLimit;

constexpr std::string_view kSecretPrefix = "sk-gw-v1-";
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxListEntries = 1000;

std::string Hex(const unsigned char* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < size; ++i) {
    hex.push_back(kDigits[bytes[i] >> 4]);
    hex.push_back(kDigits[bytes[i] & 0x0f]);
  }
  return hex;
}

// Each Read* returns "" or the problem, and leaves *out untouched on a problem.
std::string ReadStrings(const nlohmann::json& value, std::string_view field,
                        std::vector<std::string>* out) {
  if (value.is_null()) {
    out->clear();
    return "";
  }
  if (!value.is_array()) return std::string(field) + ": expected an array of strings";
  if (value.size() > kMaxListEntries) {
    return std::string(field) + ": at most " + std::to_string(kMaxListEntries) + " entries";
  }
  std::vector<std::string> strings;
  for (const nlohmann::json& entry : value) {
    if (!entry.is_string() || entry.get_ref<const std::string&>().empty()) {
      return std::string(field) + ": expected an array of non-empty strings";
    }
    strings.push_back(entry.get<std::string>());
  }
  *out = std::move(strings);
  return "";
}

std::string ReadCount(const nlohmann::json& value, std::string_view field, uint64_t max,
                      uint64_t* out) {
  if (value.is_null()) {
    *out = 0;
    return "";
  }
  if (!value.is_number_integer() ||
      (value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() < 0)) {
    return std::string(field) + ": expected a whole number >= 0 (0 or null: no limit)";
  }
  const uint64_t count = value.get<uint64_t>();
  if (count > max) return std::string(field) + ": at most " + std::to_string(max);
  *out = count;
  return "";
}

std::string ReadRateLimit(const nlohmann::json& value, std::string_view field, RateLimit* out) {
  if (value.is_null()) {
    *out = {};
    return "";
  }
  if (!value.is_object()) {
    return std::string(field) + ": expected {\"requests_per_minute\": N, \"tokens_per_minute\": N}";
  }
  RateLimit limit;
  for (const auto& [name, member] : value.items()) {
    uint64_t count = 0;
    std::string problem;
    if (name == "requests_per_minute") {
      problem =
          ReadCount(member, std::string(field) + ".requests_per_minute", 1'000'000'000, &count);
      limit.requests_per_minute = static_cast<uint32_t>(count);
    } else if (name == "tokens_per_minute") {
      problem =
          ReadCount(member, std::string(field) + ".tokens_per_minute", 1'000'000'000'000, &count);
      limit.tokens_per_minute = count;
    } else if (name != "model") {
      problem = std::string(field) + ": unknown field \"" + name +
                "\" (expected requests_per_minute, tokens_per_minute)";
    }
    if (!problem.empty()) return problem;
  }
  *out = limit;
  return "";
}

std::string ReadUsd(const nlohmann::json& value, std::string_view field,
                    std::optional<int64_t>* out) {
  if (value.is_null()) {
    out->reset();
    return "";
  }
  const std::optional<int64_t> nano = UsdOfJson(value);
  if (!nano) {
    return std::string(field) +
           ": expected an amount in USD >= 0 with at most 9 decimals (or null: no limit)";
  }
  *out = nano;
  return "";
}

std::string Iso(int64_t epoch_ms) { return accounting::FormatIsoUtc(epoch_ms); }

void WriteRateLimit(accounting::JsonWriter& out, const RateLimit& limit) {
  out.BeginObject()
      .Member("requests_per_minute", static_cast<int64_t>(limit.requests_per_minute))
      .Member("tokens_per_minute", static_cast<int64_t>(limit.tokens_per_minute))
      .EndObject();
}

void WriteStrings(accounting::JsonWriter& out, std::string_view name,
                  const std::vector<std::string>& strings) {
  out.Key(name).BeginArray();
  for (const std::string& value : strings) out.String(value);
  out.EndArray();
}

void WriteOptionalUsd(accounting::JsonWriter& out, std::string_view name,
                      const std::optional<int64_t>& nano) {
  out.Key(name);
  if (nano) {
    out.Usd(*nano);
  } else {
    out.Null();
  }
}

}  // namespace

NewKeySecret GenerateKeySecret() {
  std::array<unsigned char, 32> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("the system's random generator failed (OpenSSL RAND_bytes)");
  }
  const std::string body = Hex(random.data(), random.size());
  NewKeySecret key;
  key.secret = std::string(kSecretPrefix) + body;
  key.hash = HexOfDigest(DigestOfKey(key.secret));
  key.label = std::string(kSecretPrefix) + body.substr(0, 3) + "..." + body.substr(body.size() - 3);
  return key;
}

std::optional<int64_t> UsdOfJson(const nlohmann::json& value) {
  if (value.is_number_unsigned() || value.is_number_integer()) {
    if (value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() < 0) {
      return std::nullopt;
    }
    const uint64_t whole = value.get<uint64_t>();
    if (whole > 1'000'000'000) return std::nullopt;
    return static_cast<int64_t>(whole) * config::kNanoUsdPerUsd;
  }
  if (!value.is_number_float()) return std::nullopt;
  const double usd = value.get<double>();
  if (!std::isfinite(usd) || usd < 0 || usd > 1e9) return std::nullopt;
  // The shortest text that reads back as this double is what the client wrote ("0.1"), unless
  // it needs an exponent; parsed exactly, it has at most 9 decimals or is refused.
  const std::string text = value.dump();
  if (const std::optional<int64_t> exact = config::ParseUsdDecimal(text, config::kNanoUsdPerUsd)) {
    return exact;
  }
  const double nano = usd * 1e9;
  if (std::abs(nano - std::round(nano)) > 1e-6) return std::nullopt;
  return static_cast<int64_t>(std::llround(nano));
}

std::optional<int64_t> ParseIsoInstantMs(std::string_view text) {
  // YYYY-MM-DD, then optionally THH:MM[:SS[.fraction]] and Z or ±HH:MM.
  if (text.size() < 10) return std::nullopt;
  const std::optional<int64_t> day = accounting::ParseDay(text.substr(0, 10));
  if (!day) return std::nullopt;
  int64_t ms = *day * 86'400'000;
  if (text.size() == 10) return ms;
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return std::nullopt;
  size_t at = 11;
  auto two_digits = [&](int max, int64_t* out) {
    if (at + 2 > text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
        !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
      return false;
    }
    *out = (text[at] - '0') * 10 + (text[at + 1] - '0');
    at += 2;
    return *out <= max;
  };
  int64_t hours = 0, minutes = 0, seconds = 0;
  if (!two_digits(23, &hours) || at >= text.size() || text[at++] != ':' ||
      !two_digits(59, &minutes)) {
    return std::nullopt;
  }
  if (at < text.size() && text[at] == ':') {
    ++at;
    if (!two_digits(60, &seconds)) return std::nullopt;
    if (at < text.size() && text[at] == '.') {
      ++at;
      int64_t fraction_ms = 0;
      int digits = 0;
      while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
        if (digits < 3) fraction_ms = fraction_ms * 10 + (text[at] - '0');
        ++digits;
        ++at;
      }
      if (digits == 0) return std::nullopt;
      for (int i = digits; i < 3; ++i) fraction_ms *= 10;
      ms += fraction_ms;
    }
  }
  ms += ((hours * 60 + minutes) * 60 + seconds) * 1000;
  if (at == text.size()) return std::nullopt;  // a zone is required: Z or an offset
  if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) return ms;
  if (text[at] != '+' && text[at] != '-') return std::nullopt;
  const int64_t sign = text[at] == '+' ? 1 : -1;
  ++at;
  int64_t offset_hours = 0, offset_minutes = 0;
  if (!two_digits(23, &offset_hours) || at >= text.size() || text[at++] != ':' ||
      !two_digits(59, &offset_minutes) || at != text.size()) {
    return std::nullopt;
  }
  return ms - sign * (offset_hours * 60 + offset_minutes) * 60'000;
}

std::string ApplyKeyFields(const nlohmann::json& body, bool creating, int64_t now_ms, ApiKey& key) {
  if (!body.is_object()) return "the request body must be a JSON object";
  ApiKey changed = key;
  if (creating && !body.contains("name")) return "name: required (a name for the key)";
  for (const auto& [field, value] : body.items()) {
    std::string problem;
    if (field == "name") {
      if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
          value.get_ref<const std::string&>().size() > kMaxNameBytes) {
        problem = "name: expected a non-empty string of at most 200 bytes";
      } else if (value.get_ref<const std::string&>().find('\0') != std::string::npos) {
        // PostgreSQL cannot store it (keys_store: postgres), and no name needs one.
        problem = "name: must not contain a NUL character (\\u0000)";
      } else {
        changed.name = value.get<std::string>();
      }
    } else if (field == "disabled") {
      if (!value.is_boolean()) {
        problem = "disabled: expected true or false";
      } else {
        changed.disabled = value.get<bool>();
      }
    } else if (field == "limit") {
      problem = ReadUsd(value, "limit", &changed.limit_nano);
    } else if (field == "user_limit") {
      problem = ReadUsd(value, "user_limit", &changed.user_limit_nano);
    } else if (field == "limit_reset") {
      std::optional<LimitReset> reset = LimitReset::kNone;
      if (!value.is_null()) {
        reset = value.is_string() ? accounting::keys::ParseLimitReset(value.get<std::string>())
                                  : std::nullopt;
      }
      if (!reset) {
        problem = "limit_reset: expected \"daily\", \"weekly\", \"monthly\", \"none\" or null";
      } else {
        changed.limit_reset = *reset;
      }
    } else if (field == "expires_at") {
      if (value.is_null()) {
        changed.expires_at_ms.reset();
      } else {
        const std::optional<int64_t> at =
            value.is_string() ? ParseIsoInstantMs(value.get<std::string>()) : std::nullopt;
        if (!at) {
          problem =
              "expires_at: expected an ISO 8601 instant such as \"2027-01-31T00:00:00Z\" (or "
              "null: never)";
        } else if (*at <= now_ms) {
          problem = "expires_at: " + value.get<std::string>() + " is in the past";
        } else {
          changed.expires_at_ms = at;
        }
      }
    } else if (field == "allowed_models") {
      problem = ReadStrings(value, field, &changed.allowed_models);
    } else if (field == "denied_models") {
      problem = ReadStrings(value, field, &changed.denied_models);
    } else if (field == "allowed_providers") {
      problem = ReadStrings(value, field, &changed.allowed_providers);
    } else if (field == "denied_providers") {
      problem = ReadStrings(value, field, &changed.denied_providers);
    } else if (field == "rate_limit") {
      problem = ReadRateLimit(value, field, &changed.rate_limit);
    } else if (field == "user_rate_limit") {
      problem = ReadRateLimit(value, field, &changed.user_rate_limit);
    } else if (field == "model_rate_limits") {
      if (!value.is_array() && !value.is_null()) {
        problem =
            "model_rate_limits: expected an array of {model, requests_per_minute, "
            "tokens_per_minute}";
      } else {
        changed.model_limits.clear();
        for (const nlohmann::json& entry : value.is_null() ? nlohmann::json::array() : value) {
          if (!entry.is_object() || !entry.contains("model") || !entry["model"].is_string() ||
              entry["model"].get_ref<const std::string&>().empty()) {
            problem = "model_rate_limits: each entry needs a \"model\" (a model id)";
            break;
          }
          accounting::keys::ModelRateLimit limit{entry["model"].get<std::string>(), {}};
          problem = ReadRateLimit(entry, "model_rate_limits[" + limit.model + "]", &limit.limit);
          if (!problem.empty()) break;
          changed.model_limits.push_back(std::move(limit));
        }
      }
    } else if (field == "include_byok_in_limit") {
      // The leader's field; this gateway has no bring-your-own-key billing. Accepted, ignored.
    } else {
      problem = "unknown field \"" + field +
                "\"; a key takes name, disabled, limit, limit_reset, expires_at, allowed_models, "
                "denied_models, allowed_providers, denied_providers, rate_limit, "
                "model_rate_limits, user_limit, user_rate_limit";
    }
    if (!problem.empty()) return problem;
  }
  changed.updated_at_ms = now_ms;
  if (creating) changed.created_at_ms = now_ms;
  key = std::move(changed);
  return "";
}

std::string KeyObjectJson(const ApiKey& key, const KeyUsage& usage,
                          std::optional<int64_t> remaining_nano) {
  accounting::JsonWriter out;
  out.BeginObject()
      .Member("hash", key.hash)
      .Member("name", key.name)
      .Member("label", key.label)
      .Member("disabled", key.disabled);
  WriteOptionalUsd(out, "limit", key.limit_nano);
  WriteOptionalUsd(out, "limit_remaining", remaining_nano);
  out.Key("limit_reset");
  if (key.limit_reset == LimitReset::kNone) {
    out.Null();
  } else {
    out.String(accounting::keys::LimitResetName(key.limit_reset));
  }
  out.Key("usage").Usd(usage.total);
  out.Key("usage_daily").Usd(usage.daily);
  out.Key("usage_weekly").Usd(usage.weekly);
  out.Key("usage_monthly").Usd(usage.monthly);
  out.Member("created_at", Iso(key.created_at_ms));
  out.Member("updated_at", Iso(key.updated_at_ms));
  out.Key("expires_at");
  if (key.expires_at_ms) {
    out.String(Iso(*key.expires_at_ms));
  } else {
    out.Null();
  }
  WriteStrings(out, "allowed_models", key.allowed_models);
  WriteStrings(out, "denied_models", key.denied_models);
  WriteStrings(out, "allowed_providers", key.allowed_providers);
  WriteStrings(out, "denied_providers", key.denied_providers);
  out.Key("rate_limit");
  WriteRateLimit(out, key.rate_limit);
  out.Key("model_rate_limits").BeginArray();
  for (const accounting::keys::ModelRateLimit& limit : key.model_limits) {
    out.BeginObject()
        .Member("model", limit.model)
        .Member("requests_per_minute", static_cast<int64_t>(limit.limit.requests_per_minute))
        .Member("tokens_per_minute", static_cast<int64_t>(limit.limit.tokens_per_minute))
        .EndObject();
  }
  out.EndArray();
  WriteOptionalUsd(out, "user_limit", key.user_limit_nano);
  out.Key("user_rate_limit");
  WriteRateLimit(out, key.user_rate_limit);
  out.EndObject();
  return out.Take();
}

}  // namespace gw::keys

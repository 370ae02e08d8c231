#include "gateway/api/keys_api.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>

#include "accounting/keys/limit_reset.h"
#include "accounting/ledger/json_text.h"
#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/periods.h"
#include "gateway/api/query_string.h"
#include "gateway/server/log.h"

namespace gw::api {
namespace {

using accounting::keys::ApiKey;

// The key's remaining credit in its period, when it has a limit.
std::optional<int64_t> Remaining(const ApiKey& key, const KeysContext& context, int64_t now_ms) {
  if (!key.limit_nano) return std::nullopt;
  const accounting::keys::BudgetState state =
      context.limits->Budget(accounting::keys::BudgetHolderOf(key, ""), false, now_ms);
  return std::max<int64_t>(0, *key.limit_nano - state.spent_nano - state.reserved_nano);
}

// {"data": <object>}, the object with `extra` members appended ("," + members, or "").
std::string DataOf(const std::string& object, std::string_view extra) {
  std::string body = "{\"data\":";
  body.append(object, 0, object.size() - 1);
  body.append(extra);
  body.append("}}");
  return body;
}

UsageAnswer Ok(int status, std::string body) {
  UsageAnswer answer;
  answer.status = status;
  answer.body = std::move(body);
  return answer;
}

// The headroom of the key's own rate limits now: `"rate_limit_remaining":{...}` with null for
// a limit the key does not have (the live state, so the API has it and the CLI does not).
std::string RateHeadroomMember(const ApiKey& key, const KeysContext& context, int64_t now_ms) {
  uint64_t requests = 0;
  uint64_t tokens = 0;
  for (const accounting::keys::RateScope& scope : accounting::keys::RateScopesOf(key, "", "")) {
    (scope.tokens ? tokens : requests) = context.limits->RateRemaining(scope, now_ms);
  }
  accounting::JsonWriter out;
  out.BeginObject().Key("requests_per_minute");
  if (key.rate_limit.requests_per_minute != 0) {
    out.Int(static_cast<int64_t>(requests));
  } else {
    out.Null();
  }
  out.Key("tokens_per_minute");
  if (key.rate_limit.tokens_per_minute != 0) {
    out.Int(static_cast<int64_t>(tokens));
  } else {
    out.Null();
  }
  out.EndObject();
  return "\"rate_limit_remaining\":" + out.Take();
}

// A key's object with its usage, remaining credit and rate-limit headroom; throws LedgerError
// (the ledger) or LimitsUnavailable (the shared limits store).
std::string KeyObjectOf(const ApiKey& key, const KeysContext& context, int64_t now_ms) {
  const int64_t today = accounting::keys::EpochDayOf(now_ms);
  const keys::KeyUsage usage = KeyUsageOf(*context.reader, key.hash, today);
  std::string object = keys::KeyObjectJson(key, usage, Remaining(key, context, now_ms));
  object.pop_back();  // '}'
  object += ',';
  object += RateHeadroomMember(key, context, now_ms);
  object += '}';
  return object;
}

// After this process changed the table: the registry reloads now, so the change applies to the
// next request. The change is committed already, so a failed reload is logged, not answered:
// the registry's periodic refresh applies it within a second.
void ReloadAfterChange(keys::KeyRegistry& registry) {
  try {
    registry.Reload();
  } catch (const accounting::LedgerError& failure) {
    server::LogError("keys", failure.what());
  }
}

UsageAnswer ReaderMissing() {
  return UsageFailure(503, "the usage ledger cannot be read, so key usage cannot be reported");
}

}  // namespace

keys::KeyUsage KeyUsageOf(accounting::UsageSource& reader, const std::string& key_id,
                          int64_t today) {
  accounting::UsageFilters filters;
  filters.api_key_id = key_id;
  keys::KeyUsage usage;
  for (const accounting::UsageRow& row :
       reader.GroupedSum(accounting::UsageDimension::kApiKey, {0, today}, filters)) {
    usage.total += row.cost_nano;
  }
  const accounting::DayRange week = accounting::PeriodContaining(accounting::Period::kWeek, today);
  const accounting::DayRange month =
      accounting::PeriodContaining(accounting::Period::kMonth, today);
  const int64_t from = std::min(week.from_day, month.from_day);
  for (const accounting::DailyUsageRow& row :
       reader.GroupedDailySum(accounting::UsageDimension::kApiKey, {from, today}, filters)) {
    if (row.day == today) usage.daily += row.usage.cost_nano;
    if (row.day >= week.from_day) usage.weekly += row.usage.cost_nano;
    if (row.day >= month.from_day) usage.monthly += row.usage.cost_nano;
  }
  return usage;
}

UsageAnswer KeyInfoAnswer(const KeysCaller& caller, const KeysContext& context) {
  if (context.reader == nullptr) return ReaderMissing();
  const int64_t now = context.now_ms();
  ApiKey key;
  if (caller.managed != nullptr) {
    key = *caller.managed;
  } else {
    // A config key (or the anonymous caller): no limit, its id for its names.
    key.hash = caller.key_id;
    key.name = caller.key_id.empty() ? "anonymous (authentication is off)" : caller.key_id;
    key.label = key.name;
  }
  try {
    return Ok(200, DataOf(KeyObjectOf(key, context, now), ",\"is_free_tier\":false"));
  } catch (const accounting::LedgerError& failure) {
    return UsageFailure(503, failure.what());
  } catch (const accounting::keys::LimitsUnavailable& failure) {
    return UsageFailure(503, failure.what());
  }
}

UsageAnswer CreditsAnswer(const KeysCaller& caller, const KeysContext& context) {
  if (context.reader == nullptr) return ReaderMissing();
  const int64_t today = accounting::keys::EpochDayOf(context.now_ms());
  int64_t credits = 0;
  int64_t usage = 0;
  try {
    if (caller.admin) {
      // Limits go up to 1e18 nano-USD each: the sum saturates rather than overflows.
      for (const ApiKey& key : context.registry->store().List()) {
        if (__builtin_add_overflow(credits, key.limit_nano.value_or(0), &credits)) {
          credits = std::numeric_limits<int64_t>::max();
        }
      }
      for (const accounting::UsageRow& row :
           context.reader->GroupedSum(accounting::UsageDimension::kApiKey, {0, today}, {})) {
        usage += row.cost_nano;
      }
    } else {
      if (caller.managed != nullptr) credits = caller.managed->limit_nano.value_or(0);
      usage = KeyUsageOf(*context.reader, caller.key_id, today).total;
    }
  } catch (const accounting::LedgerError& failure) {
    return UsageFailure(503, failure.what());
  }
  accounting::JsonWriter out;
  out.BeginObject().Key("data").BeginObject();
  out.Key("total_credits").Usd(credits);
  out.Key("total_usage").Usd(usage);
  out.EndObject().EndObject();
  return Ok(200, out.Take());
}

UsageAnswer ManageKeysAnswer(std::string_view method, std::string_view hash,
                             std::string_view target, std::string_view body,
                             const KeysContext& context) {
  if (context.reader == nullptr) return ReaderMissing();
  const int64_t now = context.now_ms();
  accounting::keys::KeyTable& store = context.registry->store();
  try {
    if (hash.empty() && method == "GET") {
      // ?offset=N skips the first N keys (oldest first); ?include_disabled=false leaves out
      // disabled keys.
      size_t offset = 0;
      bool include_disabled = true;
      std::string problem;
      const std::optional<std::vector<QueryParameter>> parameters =
          ReadParameters(target, {"offset", "include_disabled"}, &problem);
      if (!parameters) return UsageFailure(400, problem);
      for (const QueryParameter& parameter : *parameters) {
        const std::string& value = parameter.value;
        if (parameter.name == "offset") {
          char* end = nullptr;
          const unsigned long long parsed = std::strtoull(value.c_str(), &end, 10);
          if (value.empty() || *end != '\0' || value[0] == '-') {
            return UsageFailure(400, "offset: expected a whole number >= 0, got \"" + value + "\"");
          }
          offset = static_cast<size_t>(parsed);
        } else if (value != "true" && value != "false") {
          return UsageFailure(400,
                              "include_disabled: expected true or false, got \"" + value + "\"");
        } else {
          include_disabled = value == "true";
        }
      }
      std::string list = "{\"data\":[";
      size_t index = 0;
      bool first = true;
      for (const ApiKey& key : store.List()) {
        if (!include_disabled && key.disabled) continue;
        if (index++ < offset) continue;
        if (!first) list.push_back(',');
        first = false;
        list += KeyObjectOf(key, context, now);
      }
      list += "]}";
      return Ok(200, std::move(list));
    }
    if (hash.empty() && method == "POST") {
      const nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
      if (request.is_discarded()) return UsageFailure(400, "the request body is not valid JSON");
      ApiKey key;
      const keys::NewKeySecret secret = keys::GenerateKeySecret();
      key.hash = secret.hash;
      key.label = secret.label;
      const std::string problem = keys::ApplyKeyFields(request, true, now, key);
      if (!problem.empty()) return UsageFailure(400, problem);
      if (!store.Insert(key)) return UsageFailure(500, "a key with this hash exists already");
      // From here on the key exists, so the answer must carry its secret (the table keeps only
      // its hash): nothing below may fail. A new key has spent nothing.
      ReloadAfterChange(*context.registry);
      accounting::JsonWriter secret_member;
      secret_member.String(secret.secret);
      return Ok(201, "{\"data\":" + keys::KeyObjectJson(key, {}, key.limit_nano) +
                         ",\"key\":" + secret_member.Take() + "}");
    }
    if (hash.empty()) {
      return UsageFailure(
          405, "method " + std::string(method) + " is not allowed on /v1/keys; use GET or POST");
    }
    std::optional<ApiKey> key = store.Get(hash);
    if (!key) {
      return UsageFailure(
          404, "no key with hash \"" + std::string(hash) + "\" (GET /v1/keys lists the keys)");
    }
    if (method == "GET") return Ok(200, "{\"data\":" + KeyObjectOf(*key, context, now) + "}");
    if (method == "PATCH") {
      const nlohmann::json request = nlohmann::json::parse(body, nullptr, false);
      if (request.is_discarded()) return UsageFailure(400, "the request body is not valid JSON");
      // Applied to the row as it is when written, not to the copy read above: a concurrent
      // edit's fields survive.
      accounting::keys::KeyTable::Modified modified =
          store.Modify(hash, [&request, now](ApiKey& stored) {
            return keys::ApplyKeyFields(request, false, now, stored);
          });
      if (!modified.problem.empty()) return UsageFailure(400, modified.problem);
      if (!modified.key) {
        return UsageFailure(404, "no key with hash \"" + std::string(hash) + "\"");
      }
      ReloadAfterChange(*context.registry);
      return Ok(200, "{\"data\":" + KeyObjectOf(*modified.key, context, now) + "}");
    }
    if (method == "DELETE") {
      store.Delete(hash);
      ReloadAfterChange(*context.registry);
      return Ok(200, "{\"deleted\":true}");
    }
    return UsageFailure(405, "method " + std::string(method) +
                                 " is not allowed on /v1/keys/{hash}; use GET, PATCH or DELETE");
  } catch (const accounting::LedgerError& failure) {
    return UsageFailure(503, failure.what());
  } catch (const accounting::keys::LimitsUnavailable& failure) {
    return UsageFailure(503, failure.what());
  }
}

}  // namespace gw::api

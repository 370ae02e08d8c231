#include "gateway/keys_command.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "accounting/keys/key_store.h"
#include "accounting/keys/key_table.h"
#include "accounting/keys/limit_reset.h"
#include "accounting/ledger/json_text.h"
#include "accounting/ledger/ledger_error.h"
#include "accounting/ledger/postgres/pg_usage_reader.h"
#include "accounting/ledger/usage_format.h"
#include "accounting/ledger/usage_reports.h"
#include "accounting/ledger/utc_time.h"
#include "config/loader.h"
#include "gateway/api/keys_api.h"
#include "gateway/keys/key_document.h"
#include "gateway/keys/open_key_table.h"

namespace gw {
namespace {

using accounting::keys::ApiKey;
using accounting::keys::LimitReset;

// The flags that set a key field, and whether they take a value.
struct FieldFlag {
  std::string_view flag;
  bool takes_value;
};
constexpr FieldFlag kFieldFlags[] = {
    {"name", true},           {"limit", true},       {"reset", true},
    {"expires", true},        {"disable", false},    {"enable", false},
    {"allow-models", true},   {"deny-models", true}, {"allow-providers", true},
    {"deny-providers", true}, {"rpm", true},         {"tpm", true},
    {"user-limit", true},     {"user-rpm", true},    {"user-tpm", true},
};

const FieldFlag* FindFieldFlag(std::string_view name) {
  for (const FieldFlag& flag : kFieldFlags) {
    if (flag.flag == name) return &flag;
  }
  return nullptr;
}

// "a,b,c" as a JSON array of strings ("" is the empty list).
nlohmann::json ListOf(const std::string& text) {
  nlohmann::json list = nlohmann::json::array();
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) list.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return list;
}

// A flag's number ("25", "0.5") as JSON, "none" as null; nullopt when it is neither.
std::optional<nlohmann::json> NumberOrNone(const std::string& text) {
  if (text == "none") return nlohmann::json(nullptr);
  if (text.empty() || text[0] == '-' || text[0] == '+') return std::nullopt;
  const nlohmann::json number = nlohmann::json::parse(text, nullptr, false);
  if (number.is_discarded() || !number.is_number()) return std::nullopt;
  return number;
}

// The rate limit object for `--rpm`/`--tpm` (or the user pair), starting from `current` so
// that a flag given alone changes only its half.
nlohmann::json RateLimitJson(const accounting::keys::RateLimit& current) {
  return {{"requests_per_minute", current.requests_per_minute},
          {"tokens_per_minute", current.tokens_per_minute}};
}

// The JSON body the management API would take for the flags; "" or the problem.
std::string BodyOfFlags(const KeysCommandOptions& options, const ApiKey& current,
                        nlohmann::json* body) {
  nlohmann::json fields = nlohmann::json::object();
  nlohmann::json rate = RateLimitJson(current.rate_limit);
  nlohmann::json user_rate = RateLimitJson(current.user_rate_limit);
  bool rate_given = false;
  bool user_rate_given = false;
  for (const auto& [flag, value] : options.fields) {
    if (flag == "name") {
      fields["name"] = value;
    } else if (flag == "limit" || flag == "user-limit") {
      const std::optional<nlohmann::json> amount = NumberOrNone(value);
      if (!amount)
        return "--" + flag + ": expected an amount in USD or \"none\", got \"" + value + "\"";
      fields[flag == "limit" ? "limit" : "user_limit"] = *amount;
    } else if (flag == "reset") {
      fields["limit_reset"] = value;
    } else if (flag == "expires") {
      fields["expires_at"] = value == "none" ? nlohmann::json(nullptr) : nlohmann::json(value);
    } else if (flag == "disable" || flag == "enable") {
      fields["disabled"] = flag == "disable";
    } else if (flag == "allow-models" || flag == "deny-models" || flag == "allow-providers" ||
               flag == "deny-providers") {
      const std::string kind = flag.substr(flag.find('-') + 1);  // models | providers
      fields[(flag.starts_with("allow") ? "allowed_" : "denied_") + kind] = ListOf(value);
    } else {
      // rpm, tpm, user-rpm, user-tpm: whole numbers, 0 = no limit.
      char* end = nullptr;
      const unsigned long long count = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || value[0] == '-') {
        return "--" + flag + ": expected a whole number >= 0 (0: no limit), got \"" + value + "\"";
      }
      const bool user = flag.starts_with("user-");
      nlohmann::json& target = user ? user_rate : rate;
      (user ? user_rate_given : rate_given) = true;
      target[flag.ends_with("rpm") ? "requests_per_minute" : "tokens_per_minute"] = count;
    }
  }
  if (rate_given) fields["rate_limit"] = rate;
  if (user_rate_given) fields["user_rate_limit"] = user_rate;
  if (!options.model_rate_limits.empty()) {
    nlohmann::json limits = nlohmann::json::array();
    for (const std::string& spec : options.model_rate_limits) {
      // MODEL=RPM/TPM; "none" (alone) clears every per-model limit.
      if (spec == "none" && options.model_rate_limits.size() == 1) break;
      const size_t equals = spec.rfind('=');
      const size_t slash = spec.rfind('/');
      char* rpm_end = nullptr;
      char* tpm_end = nullptr;
      const std::string rpm =
          equals == std::string::npos || slash == std::string::npos || slash < equals
              ? ""
              : spec.substr(equals + 1, slash - equals - 1);
      const std::string tpm = rpm.empty() ? "" : spec.substr(slash + 1);
      const unsigned long long rpm_count = std::strtoull(rpm.c_str(), &rpm_end, 10);
      const unsigned long long tpm_count = std::strtoull(tpm.c_str(), &tpm_end, 10);
      if (equals == 0 || rpm.empty() || tpm.empty() || *rpm_end != '\0' || *tpm_end != '\0' ||
          rpm[0] == '-' || tpm[0] == '-') {
        return "--model-rate: expected MODEL=RPM/TPM (e.g. gpt-4o=60/100000), got \"" + spec + "\"";
      }
      limits.push_back({{"model", spec.substr(0, equals)},
                        {"requests_per_minute", rpm_count},
                        {"tokens_per_minute", tpm_count}});
    }
    fields["model_rate_limits"] = limits;
  }
  *body = std::move(fields);
  return "";
}

// What the key spent in its current period according to the ledger (the CLI does not see the
// running gateway's reservations).
int64_t SpentInPeriod(const keys::KeyUsage& usage, LimitReset reset) {
  switch (reset) {
    case LimitReset::kDaily:
      return usage.daily;
    case LimitReset::kWeekly:
      return usage.weekly;
    case LimitReset::kMonthly:
      return usage.monthly;
    case LimitReset::kNone:
      break;
  }
  return usage.total;
}

class KeysCommand {
 public:
  KeysCommand(const KeysCommandOptions& options, const config::Config& config)
      : options_(options),
        config_(config),
        store_holder_(keys::OpenKeyTable(config)),
        store_(*store_holder_),
        now_ms_(accounting::NowEpochMs()) {}

  int Run() {
    const std::string& action = options_.action;
    if (action == "list") return List();
    if (action == "create") return Create();
    if (action == "import") return Import();
    std::optional<ApiKey> key = store_.Get(options_.hash);
    if (!key) return Fail("no key with hash \"" + options_.hash + "\" (gateway keys list)");
    if (action == "show") return Print("{\"data\":" + ObjectOf(*key) + "}");
    if (action == "delete") {
      store_.Delete(options_.hash);
      return Print("{\"deleted\":true}");
    }
    return Update(*key);
  }

 private:
  int Create() {
    ApiKey key;
    const keys::NewKeySecret secret = keys::GenerateKeySecret();
    key.hash = secret.hash;
    key.label = secret.label;
    nlohmann::json body;
    if (std::string problem = BodyOfFlags(options_, key, &body); !problem.empty()) {
      return Fail(problem);
    }
    if (std::string problem = keys::ApplyKeyFields(body, true, now_ms_, key); !problem.empty()) {
      return Fail("invalid key field: " + problem);
    }
    if (!store_.Insert(key)) return Fail("a key with this hash exists already");
    // A new key has spent nothing: its object is built without the ledger, so nothing can fail
    // between storing the key and printing its secret.
    accounting::JsonWriter secret_member;
    secret_member.String(secret.secret);
    std::fprintf(stderr,
                 "gateway keys: created \"%s\"; the secret (\"key\") is shown this once, only its "
                 "hash is stored\n",
                 key.name.c_str());
    return Print("{\"data\":" + keys::KeyObjectJson(key, {}, key.limit_nano) +
                 ",\"key\":" + secret_member.Take() + "}");
  }

  // Copies every key of the SQLite file options_.from that the table lacks (by hash: a key the
  // table has is left as it is there), with its secret's hash, limits and dates.
  int Import() {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options_.from, ec)) {
      return Fail("import: no key file \"" + options_.from + "\"");
    }
    accounting::keys::KeyStore source(options_.from);
    if (source.describe() == store_.describe()) {
      return Fail("import: \"" + options_.from + "\" is the configuration's own key table");
    }
    int imported = 0;
    int present = 0;
    for (const ApiKey& key : source.List()) {
      if (store_.Insert(key)) {
        ++imported;
      } else {
        ++present;
      }
    }
    std::fprintf(stderr, "gateway keys: imported %d keys from %s into %s (%d were there already)\n",
                 imported, options_.from.c_str(), store_.describe().c_str(), present);
    return Print("{\"imported\":" + std::to_string(imported) +
                 ",\"already_present\":" + std::to_string(present) + "}");
  }

  int Update(ApiKey key) {
    nlohmann::json body;
    if (std::string problem = BodyOfFlags(options_, key, &body); !problem.empty()) {
      return Fail(problem);
    }
    if (body.empty()) return Fail("update: no field to change (gateway keys --help)");
    // Built again from the row as it is when written, inside the transaction: a flag given
    // alone (--rpm) keeps the other half of the stored limit even if it changed since `key`
    // was read, and a concurrent edit's other fields survive. The flags were checked above and
    // their problems do not depend on the row.
    accounting::keys::KeyTable::Modified modified = store_.Modify(key.hash, [this](ApiKey& stored) {
      nlohmann::json fields;
      if (std::string problem = BodyOfFlags(options_, stored, &fields); !problem.empty()) {
        return problem;
      }
      return keys::ApplyKeyFields(fields, false, now_ms_, stored);
    });
    if (!modified.problem.empty()) return Fail("invalid key field: " + modified.problem);
    if (!modified.key) return Fail("no key with hash \"" + options_.hash + "\"");
    return Print("{\"data\":" + ObjectOf(*modified.key) + "}");
  }

  int List() {
    std::vector<ApiKey> listed;
    for (ApiKey& key : store_.List()) {
      if (options_.include_disabled || !key.disabled) listed.push_back(std::move(key));
    }
    if (options_.format == "json") {
      std::string list = "{\"data\":[";
      for (size_t i = 0; i < listed.size(); ++i) {
        if (i > 0) list.push_back(',');
        list += ObjectOf(listed[i]);
      }
      return Print(list + "]}");
    }
    std::string table =
        "HASH              NAME                      LIMIT USD   RESET    SPENT USD  "
        " STATE\n";
    for (const ApiKey& key : listed) {
      const keys::KeyUsage usage = UsageOf(key);
      const std::string limit =
          key.limit_nano ? accounting::FixedUsd(*key.limit_nano, 2) : std::string("-");
      const std::string state = key.disabled             ? "disabled"
                                : key.ExpiredAt(now_ms_) ? "expired"
                                                         : "active";
      char line[512];
      std::snprintf(line, sizeof line, "%-16.16s  %-24.24s  %9s   %-7s  %10s   %s\n",
                    key.hash.c_str(), key.name.c_str(), limit.c_str(),
                    std::string(accounting::keys::LimitResetName(key.limit_reset)).c_str(),
                    accounting::FixedUsd(SpentInPeriod(usage, key.limit_reset), 4).c_str(),
                    state.c_str());
      table += line;
    }
    if (listed.empty()) table += "(no keys; gateway keys create --name NAME)\n";
    std::fwrite(table.data(), 1, table.size(), stdout);
    return 0;
  }

  // From the shared ledger (every instance's usage) with accounting.store: postgres, else from
  // this configuration's file (none yet: no usage).
  keys::KeyUsage UsageOf(const ApiKey& key) {
    if (!reader_) {
      if (config_.accounting.store == config::LedgerStore::kPostgres) {
        reader_ = std::make_unique<accounting::postgres::PgUsageReader>(
            config_.postgres->url.value,
            std::chrono::milliseconds(config_.postgres->connect_timeout_ms));
      } else {
        const std::string path = config_.accounting.DatabasePath();
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return {};
        reader_ = accounting::LedgerReader::Open(path);
      }
    }
    return api::KeyUsageOf(*reader_, key.hash, accounting::keys::EpochDayOf(now_ms_));
  }

  std::string ObjectOf(const ApiKey& key) {
    const keys::KeyUsage usage = UsageOf(key);
    std::optional<int64_t> remaining;
    if (key.limit_nano) {
      remaining = std::max<int64_t>(0, *key.limit_nano - SpentInPeriod(usage, key.limit_reset));
    }
    return keys::KeyObjectJson(key, usage, remaining);
  }

  static int Print(const std::string& json) {
    std::string text = nlohmann::json::parse(json).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }

  static int Fail(const std::string& message) {
    std::fprintf(stderr, "gateway keys: %s\n", message.c_str());
    return 1;
  }

  const KeysCommandOptions& options_;
  const config::Config& config_;
  std::unique_ptr<accounting::keys::KeyTable> store_holder_;
  accounting::keys::KeyTable& store_;
  int64_t now_ms_;
  std::unique_ptr<accounting::UsageSource> reader_;
};

}  // namespace

std::string ParseKeysCommand(const std::vector<std::string>& args, KeysCommandOptions* out) {
  if (args.empty()) return "keys needs an action: create, list, show, update, delete or import";
  out->action = args[0];
  const std::string& action = out->action;
  if (action != "create" && action != "list" && action != "show" && action != "update" &&
      action != "delete" && action != "import") {
    return "unknown keys action \"" + action +
           "\" (expected create, list, show, update, delete, import)";
  }
  const bool takes_hash = action == "show" || action == "update" || action == "delete";
  const bool takes_fields = action == "create" || action == "update";
  for (size_t i = 1; i < args.size(); ++i) {
    std::string name = args[i];
    if (!name.starts_with("-")) {
      if (!takes_hash || !out->hash.empty()) return "unexpected argument \"" + name + "\"";
      out->hash = name;
      continue;
    }
    std::optional<std::string> inline_value;
    if (const size_t equals = name.find('=');
        name.starts_with("--") && equals != std::string::npos) {
      inline_value = name.substr(equals + 1);
      name.resize(equals);
    }
    const FieldFlag* field = name.starts_with("--") ? FindFieldFlag(name.substr(2)) : nullptr;
    const bool flag_takes_value = field ? field->takes_value : name != "--active-only";
    std::string value;
    if (flag_takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return name + " needs a value";
      }
    } else if (inline_value) {
      return name + " takes no value";
    }
    if (name == "--config" || name == "-c") {
      out->config_file = value;
    } else if (field != nullptr && takes_fields) {
      out->fields.emplace_back(name.substr(2), value);
    } else if (name == "--model-rate" && takes_fields) {
      out->model_rate_limits.push_back(value);
    } else if (name == "--format" && action == "list") {
      if (value != "table" && value != "json") {
        return "--format: expected table or json; got \"" + value + "\"";
      }
      out->format = value;
    } else if (name == "--active-only" && action == "list") {
      out->include_disabled = false;
    } else if (name == "--from" && action == "import") {
      out->from = value;
    } else {
      return "unknown option \"" + name + "\" for keys " + action;
    }
  }
  if (out->config_file.empty()) return "keys needs --config FILE";
  if (action == "import" && out->from.empty()) return "keys import needs --from FILE";
  if (takes_hash && out->hash.empty()) return "keys " + action + " needs the key's HASH";
  return "";
}

int RunKeysCommand(const KeysCommandOptions& options) {
  config::LoadResult loaded = config::LoadConfigFile(options.config_file, config::ProcessEnv());
  if (!loaded.errors.empty()) {
    std::fprintf(stderr, "gateway keys: %s: %s\n", options.config_file.c_str(),
                 loaded.errors.front().ToString().c_str());
    return 1;
  }
  const config::AccountingConfig& accounting = loaded.config->accounting;
  try {
    if (accounting.keys_store == config::LedgerStore::kSqlite) {
      std::error_code ec;
      std::filesystem::create_directories(
          std::filesystem::path(accounting::keys::KeyStorePathFor(accounting)).parent_path(), ec);
    }
    KeysCommand command(options, *loaded.config);
    return command.Run();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "gateway keys: %s\n", error.what());
    return 1;
  }
}

}  // namespace gw

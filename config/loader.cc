#include "config/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <system_error>

#include "config/sections.h"
#include "config/yaml_document.h"
#include "config/yaml_reader.h"

namespace gw::config {
namespace {

using internal::Diagnostics;
using internal::Field;
using internal::MapReader;
using internal::YamlDocument;

void ReadRoot(const YAML::Node& root, const EnvLookup& env, Diagnostics& diag, Config* config) {
  const Field field{.node = root, .path = "", .mark = root.Mark()};
  if (root.IsNull()) {
    diag.Add(field, "the configuration is empty; it needs at least providers and models");
    return;
  }
  const auto map = MapReader::Open(
      field,
      {"server", "routing", "accounting", "redis", "postgres", "providers", "models", "apps"},
      diag);
  if (!map) return;
  if (std::optional<Field> server = map->Get("server")) {
    internal::ReadServer(*server, env, diag, &config->server);
  }
  if (std::optional<Field> routing = map->Get("routing")) {
    internal::ReadRouting(*routing, diag, &config->routing);
  }
  if (std::optional<Field> accounting = map->Get("accounting")) {
    internal::ReadAccounting(*accounting, diag, &config->accounting);
  }
  if (std::optional<Field> redis = map->Get("redis")) {
    internal::ReadRedis(*redis, env, diag, &config->redis.emplace());
  }
  if (config->accounting.limits.store == LimitsStore::kRedis && !config->redis) {
    diag.Add(map->Get("accounting").value_or(field),
             "limits.store redis needs a top-level redis block with the server's url "
             "(redis: { url: ${GW_REDIS_URL} })");
  }
  if (std::optional<Field> postgres = map->Get("postgres")) {
    internal::ReadPostgres(*postgres, env, diag, &config->postgres.emplace());
  }
  if (config->accounting.store == LedgerStore::kPostgres && !config->postgres) {
    diag.Add(map->Get("accounting").value_or(field),
             "store postgres needs a top-level postgres block with the server's url "
             "(postgres: { url: ${GW_POSTGRES_URL} })");
  } else if (config->accounting.keys_store == LedgerStore::kPostgres && !config->postgres) {
    diag.Add(map->Get("accounting").value_or(field),
             "keys_store postgres needs a top-level postgres block with the server's url "
             "(postgres: { url: ${GW_POSTGRES_URL} })");
  }
  if (config->accounting.keys_store == LedgerStore::kPostgres &&
      !config->accounting.keys_database.empty()) {
    diag.Add(map->Get("accounting").value_or(field),
             "keys_database names the SQLite key table's file, but keys_store postgres keeps the "
             "keys in PostgreSQL; remove keys_database (gateway keys import --from FILE copies "
             "its keys), or set keys_store: sqlite");
  }
  std::optional<std::set<std::string>> provider_names;
  if (std::optional<Field> providers = map->Require("providers")) {
    provider_names = internal::ReadProviders(*providers, env, diag, &config->providers);
  }
  if (std::optional<Field> models = map->Require("models")) {
    internal::ReadModels(*models, provider_names ? &*provider_names : nullptr, diag,
                         &config->models);
  }
  if (std::optional<Field> apps = map->Get("apps")) internal::ReadApps(*apps, diag, &config->apps);
}

LoadResult SingleError(std::string message, const YAML::Mark& mark) {
  Diagnostics diag;
  diag.Add("", mark, std::move(message));
  return LoadResult{.config = std::nullopt, .errors = diag.Take()};
}

// True when the quoted scalar opening at `pos` has its closing quote in `text`. Double quotes
// end at an unescaped '"' (a backslash escapes the next character); single quotes at a '\''
// that is not doubled ('' is an escaped quote).
bool QuoteIsClosed(std::string_view text, size_t pos) {
  const char quote = text[pos];
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
      } else {
        return true;
      }
    }
  }
  return false;
}

// yaml-cpp accepts a quoted scalar that is never closed and takes the rest of the file as its
// value: `listen: "127.0.0.1:8080` then swallows every line below it, and the user would see
// confusing problems about missing keys instead of the typo. Finds such a scalar (keys too).
std::optional<YAML::Mark> FindUnclosedQuote(const YAML::Node& node, std::string_view text) {
  if (!node.IsDefined()) return std::nullopt;
  if (node.IsScalar()) {
    const YAML::Mark mark = node.Mark();
    const bool quoted = mark.pos >= 0 && static_cast<size_t>(mark.pos) < text.size() &&
                        (text[mark.pos] == '"' || text[mark.pos] == '\'');
    if (quoted && !QuoteIsClosed(text, static_cast<size_t>(mark.pos))) return mark;
    return std::nullopt;
  }
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (auto mark = FindUnclosedQuote(item, text)) return mark;
    }
  } else if (node.IsMap()) {
    for (const auto& entry : node) {
      if (auto mark = FindUnclosedQuote(entry.first, text)) return mark;
      if (auto mark = FindUnclosedQuote(entry.second, text)) return mark;
    }
  }
  return std::nullopt;
}

// A position-less error, for problems with the file rather than its content.
LoadResult FileError(const std::string& path, const std::string& reason) {
  return SingleError("cannot read config file \"" + path + "\": " + reason,
                     YAML::Mark::null_mark());
}

}  // namespace

std::string ConfigError::ToString() const {
  std::string text = path.empty() ? message : path + ": " + message;
  if (line > 0) {
    text += " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
  }
  return text;
}

EnvLookup ProcessEnv() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

LoadResult ParseConfig(std::string_view yaml_text, const EnvLookup& env) {
  YamlDocument document = internal::ReadSingleDocument(yaml_text);
  if (!document.error.empty()) return SingleError(std::move(document.error), document.mark);
  const YAML::Node& root = document.root;
  if (std::optional<YAML::Mark> mark = FindUnclosedQuote(root, yaml_text)) {
    const char quote = yaml_text[static_cast<size_t>(mark->pos)];
    return SingleError(
        std::string("invalid YAML: unclosed quote: the ") + quote + " opened here is never closed",
        *mark);
  }
  Diagnostics diag;
  Config config;
  try {
    ReadRoot(root, env, diag, &config);
  } catch (const std::exception& e) {
    // The readers check node types before every access, so this is a loader bug; report it
    // as a problem rather than letting it escape the no-throw contract.
    diag.Add("", YAML::Mark::null_mark(),
             std::string("internal error reading config: ") + e.what());
  }
  std::vector<ConfigError> errors = diag.Take();
  // Report in document order, as a reader scans the file.
  std::stable_sort(errors.begin(), errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::pair(a.line, a.column) < std::pair(b.line, b.column);
  });
  if (!errors.empty()) return LoadResult{.config = std::nullopt, .errors = std::move(errors)};
  return LoadResult{.config = std::move(config), .errors = {}};
}

LoadResult LoadConfigFile(const std::string& path, const EnvLookup& env) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return FileError(path, "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return FileError(path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return FileError(path, "read failed");
  LoadResult result = ParseConfig(text.str(), env);
  if (result.config) {
    // Paths in the file are relative to the file, wherever the gateway is started from.
    const std::filesystem::path base = std::filesystem::path(path).parent_path();
    AccountingConfig& accounting = result.config->accounting;
    for (std::string* file :
         {&accounting.data_dir, &accounting.database, &accounting.keys_database}) {
      if (!file->empty() && std::filesystem::path(*file).is_relative() && !base.empty()) {
        *file = (base / *file).lexically_normal().string();
      }
    }
  }
  return result;
}

}  // namespace gw::config

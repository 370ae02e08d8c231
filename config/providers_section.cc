// providers: the upstream APIs, their base URLs, keys, extra headers and timeouts.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "config/env_refs.h"
#include "config/net_address.h"
#include "config/sections.h"

namespace gw::config::internal {
namespace {

// Headers the gateway's HTTP client owns; configuring them would corrupt the framing.
constexpr std::array<std::string_view, 8> kReservedHeaders = {
    "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade",
    "te",   "trailer"};

bool IsProviderName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-';
  });
}

// RFC 9110 token characters.
bool IsHeaderName(std::string_view name) {
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  return !name.empty() && std::all_of(name.begin(), name.end(), [&](unsigned char c) {
    return std::isalnum(c) || kTokenSymbols.find(static_cast<char>(c)) != std::string_view::npos;
  });
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// Checks a header name; returns an error message or "".
std::string CheckHeaderName(const std::string& name, bool has_api_key,
                            const std::set<std::string>& seen_lower) {
  const std::string lower = Lower(name);
  if (!IsHeaderName(name)) return "invalid header name (RFC 9110 token characters only)";
  if (std::find(kReservedHeaders.begin(), kReservedHeaders.end(), lower) !=
      kReservedHeaders.end()) {
    return "header is managed by the gateway and cannot be configured";
  }
  if ((lower == "authorization" || lower == "x-api-key") && has_api_key) {
    return "conflicts with api_key, which already sets the key header";
  }
  if (seen_lower.count(lower)) return "duplicate header (names are case-insensitive)";
  return "";
}

// Values may embed ${ENV_VAR}s; they are never quoted back, since they may hold secrets.
void ReadHeaders(const Field& field, const EnvLookup& env, bool has_api_key, Diagnostics& diag,
                 std::vector<std::pair<std::string, std::string>>* out) {
  const auto map = MapReader::OpenAnyKeys(field, diag);
  if (!map) return;
  std::set<std::string> seen_lower;
  for (const auto& [name, value] : map->entries()) {
    const std::string name_error = CheckHeaderName(name, has_api_key, seen_lower);
    seen_lower.insert(Lower(name));
    if (!name_error.empty()) {
      diag.Add(value, name_error);
      continue;
    }
    const std::optional<std::string> text = ReadString(value, diag);
    if (!text) continue;
    EnvExpansion expanded = ExpandEnvRefs(*text, env);
    if (!expanded.error.empty()) {
      diag.Add(value, std::move(expanded.error));
    } else if (expanded.text.find_first_of("\r\n") != std::string::npos ||
               expanded.text.find('\0') != std::string::npos) {
      diag.Add(value, expanded.used_env
                          ? "value must not contain line breaks (after ${ENV_VAR} substitution)"
                          : "value must not contain line breaks");
    } else {
      out->emplace_back(name, std::move(expanded.text));
    }
  }
}

void ReadTimeouts(const Field& field, Diagnostics& diag, ProviderTimeouts* out) {
  const auto map =
      MapReader::Open(field, {"connect_ms", "first_byte_ms", "idle_ms", "total_ms"}, diag);
  if (!map) return;
  map->Uint32("connect_ms", &out->connect_ms, 1);
  map->Uint32("first_byte_ms", &out->first_byte_ms, 1);
  map->Uint32("idle_ms", &out->idle_ms, 1);
  map->Uint32("total_ms", &out->total_ms, 1);
}

void ReadApi(const Field& field, Diagnostics& diag, ProviderKind* out) {
  const std::optional<std::string> api = ReadString(field, diag);
  if (!api) return;
  if (*api == "openai") {
    *out = ProviderKind::kOpenAi;
  } else if (*api == "anthropic") {
    *out = ProviderKind::kAnthropic;
  } else if (*api == "openai-responses") {
    *out = ProviderKind::kOpenAiResponses;
  } else {
    diag.Add(field, "unknown api \"" + *api +
                        "\"; expected \"openai\" (any OpenAI-compatible API), \"anthropic\" "
                        "(Anthropic's Messages API) or \"openai-responses\" (OpenAI's Responses "
                        "API, for Responses requests only)");
  }
}

void ReadBaseUrl(const Field& field, Diagnostics& diag, Url* out) {
  const std::optional<std::string> text = ReadString(field, diag);
  if (!text) return;
  const std::string error = ParseBaseUrl(*text, out);
  if (!error.empty()) diag.Add(field, error);
}

// Reads the name and records it in *first_seen (name -> path of its first definition).
void ReadName(const Field& field, Diagnostics& diag, std::map<std::string, std::string>* first_seen,
              std::string* out) {
  std::optional<std::string> text = ReadString(field, diag);
  if (!text) return;
  if (!IsProviderName(*text)) {
    diag.Add(field, "must be non-empty and use only letters, digits, '.', '_' and '-'");
  }
  const auto [it, inserted] = first_seen->emplace(*text, field.path);
  if (!inserted) {
    diag.Add(field,
             "duplicate provider name \"" + *text + "\" (first defined at " + it->second + ")");
  }
  *out = std::move(*text);
}

void ReadProvider(const Field& field, const EnvLookup& env, Diagnostics& diag,
                  std::map<std::string, std::string>* first_seen, ProviderConfig* out) {
  const auto map =
      MapReader::Open(field,
                      {"name", "api", "kind", "base_url", "api_key", "headers", "anthropic_version",
                       "tls_verify", "max_idle_connections", "timeouts"},
                      diag);
  if (!map) return;
  if (std::optional<Field> name = map->Require("name"))
    ReadName(*name, diag, first_seen, &out->name);
  // `kind` is the older name of `api`.
  const std::optional<Field> api = map->Get("api");
  const std::optional<Field> kind = map->Get("kind");
  if (api && kind) diag.Add(*kind, "set either api or its older name kind, not both");
  if (api || kind) ReadApi(api ? *api : *kind, diag, &out->kind);
  if (std::optional<Field> url = map->Require("base_url")) ReadBaseUrl(*url, diag, &out->base_url);
  const std::optional<Field> api_key = map->Get("api_key");
  if (api_key) out->api_key = ReadSecretRef(*api_key, env, diag);
  if (std::optional<Field> headers = map->Get("headers")) {
    ReadHeaders(*headers, env, api_key.has_value(), diag, &out->headers);
  }
  if (std::optional<Field> version = map->Get("anthropic_version")) {
    if (std::optional<std::string> text = ReadString(*version, diag)) {
      if (out->kind != ProviderKind::kAnthropic) {
        diag.Add(*version, "only an api: anthropic provider sends anthropic-version");
      } else if (text->empty()) {
        diag.Add(*version, "must not be empty");
      } else {
        out->anthropic_version = std::move(*text);
      }
    }
  }
  map->Bool("tls_verify", &out->tls_verify);
  map->Uint32("max_idle_connections", &out->max_idle_connections);
  if (std::optional<Field> timeouts = map->Get("timeouts")) {
    ReadTimeouts(*timeouts, diag, &out->timeouts);
  }
}

}  // namespace

std::optional<std::set<std::string>> ReadProviders(const Field& field, const EnvLookup& env,
                                                   Diagnostics& diag,
                                                   std::vector<ProviderConfig>* out) {
  const std::optional<std::vector<Field>> items = ReadList(field, diag);
  if (!items) return std::nullopt;
  if (items->empty()) {
    diag.Add(field, "at least one provider is required");
    return std::nullopt;
  }
  std::map<std::string, std::string> first_seen;
  for (const Field& item : *items) {
    ProviderConfig provider;
    ReadProvider(item, env, diag, &first_seen, &provider);
    out->push_back(std::move(provider));
  }
  std::set<std::string> names;
  for (const auto& [name, path] : first_seen) names.insert(name);
  return names;
}

}  // namespace gw::config::internal

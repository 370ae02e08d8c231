// server: listener, limits, timeouts, TLS and bearer-key authentication.
#include <filesystem>
#include <fstream>
#include <system_error>

#include "config/net_address.h"
#include "config/sections.h"

namespace gw::config::internal {
namespace {

// Below this a header limit rejects ordinary SDK requests; it can only be a typo.
constexpr uint32_t kMinHeaderBytes = 1024;
// More workers than this is a typo, not a machine.
constexpr uint64_t kMaxWorkers = 1024;

void ReadListen(const Field& field, Diagnostics& diag, ListenAddress* out) {
  const std::optional<std::string> text = ReadString(field, diag);
  if (!text) return;
  const std::string error = ParseListenAddress(*text, out);
  if (!error.empty()) diag.Add(field, error);
}

void ReadTimeouts(const Field& field, Diagnostics& diag, ServerTimeouts* out) {
  const auto map = MapReader::Open(
      field, {"idle_ms", "header_ms", "body_ms", "write_ms", "shutdown_grace_ms"}, diag);
  if (!map) return;
  map->Uint32("idle_ms", &out->idle_ms, 1);
  map->Uint32("header_ms", &out->header_ms, 1);
  map->Uint32("body_ms", &out->body_ms, 1);
  map->Uint32("write_ms", &out->write_ms, 1);
  map->Uint32("shutdown_grace_ms", &out->shutdown_grace_ms);
}

void ReadMetrics(const Field& field, Diagnostics& diag, MetricsConfig* out) {
  const auto map = MapReader::Open(field, {"enabled", "require_key"}, diag);
  if (!map) return;
  map->Bool("enabled", &out->enabled);
  map->Bool("require_key", &out->require_key);
}

// Checked at load time so a bad path fails `check-config`, not the first TLS handshake.
void CheckReadableFile(const Field& field, const std::string& path, Diagnostics& diag) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    diag.Add(field, "file \"" + path + "\" does not exist");
  } else if (!std::filesystem::is_regular_file(status)) {
    diag.Add(field, "\"" + path + "\" is not a regular file");
  } else if (!std::ifstream(path).is_open()) {
    diag.Add(field, "file \"" + path + "\" is not readable");
  }
}

void ReadTls(const Field& field, Diagnostics& diag, std::optional<TlsServerConfig>* out) {
  const auto map = MapReader::Open(field, {"cert_file", "key_file"}, diag);
  if (!map) return;
  const auto read_path = [&](std::string_view key, std::string* target) {
    const std::optional<Field> value = map->Require(key);
    if (!value) return;
    if (std::optional<std::string> path = ReadString(*value, diag)) {
      if (path->empty()) {
        diag.Add(*value, "must not be empty");
      } else {
        CheckReadableFile(*value, *path, diag);
        *target = std::move(*path);
      }
    }
  };
  TlsServerConfig tls;
  read_path("cert_file", &tls.cert_file);
  read_path("key_file", &tls.key_file);
  *out = std::move(tls);
}

// Reads a list of key references into *out; returns how many entries the list has (read or not).
size_t ReadKeyList(const Field& field, const EnvLookup& env, Diagnostics& diag,
                   std::vector<Secret>* out) {
  const std::optional<std::vector<Field>> items = ReadList(field, diag);
  if (!items) return 0;
  for (const Field& item : *items) {
    if (std::optional<Secret> key = ReadSecretRef(item, env, diag)) out->push_back(std::move(*key));
  }
  return items->size();
}

void ReadAuth(const Field& field, const EnvLookup& env, Diagnostics& diag, ServerConfig* out) {
  const auto map = MapReader::Open(field, {"keys", "admin_keys", "rankings"}, diag);
  if (!map) return;
  if (const std::optional<Field> keys = map->Get("keys")) {
    ReadKeyList(*keys, env, diag, &out->auth_keys);
  }
  size_t admin_entries = 0;
  if (const std::optional<Field> keys = map->Get("admin_keys")) {
    admin_entries = ReadKeyList(*keys, env, diag, &out->admin_keys);
    // A secret in both lists would make that key an admin silently.
    for (size_t i = 0; i < out->admin_keys.size(); ++i) {
      for (size_t j = 0; j < out->auth_keys.size(); ++j) {
        if (out->admin_keys[i].value == out->auth_keys[j].value) {
          diag.Add(*keys, "admin_keys[" + std::to_string(i) + "] (${" + out->admin_keys[i].env_var +
                              "}) is also keys[" + std::to_string(j) + "] (${" +
                              out->auth_keys[j].env_var +
                              "}): a key is either an admin key or not");
        }
      }
    }
  }
  if (std::optional<Field> rankings = map->Get("rankings")) {
    if (std::optional<std::string> name = ReadString(*rankings, diag)) {
      if (*name == "public") {
        out->rankings_access = RankingsAccess::kPublic;
      } else if (*name == "any_key") {
        out->rankings_access = RankingsAccess::kAnyKey;
      } else if (*name == "admin") {
        out->rankings_access = RankingsAccess::kAdmin;
        if (admin_entries == 0) {
          diag.Add(*rankings, "\"admin\" needs at least one key in server.auth.admin_keys");
        }
      } else {
        diag.Add(*rankings,
                 "unknown value \"" + *name + "\"; expected one of: public, any_key, admin");
      }
    }
  }
}

}  // namespace

void ReadServer(const Field& field, const EnvLookup& env, Diagnostics& diag, ServerConfig* out) {
  const auto map =
      MapReader::Open(field,
                      {"listen", "workers", "max_header_bytes", "max_body_bytes",
                       "stream_keepalive_ms", "access_log", "timeouts", "tls", "auth", "metrics"},
                      diag);
  if (!map) return;
  if (std::optional<Field> listen = map->Get("listen")) ReadListen(*listen, diag, &out->listen);
  if (std::optional<Field> workers = map->Get("workers")) {
    if (auto count = ReadUnsigned(*workers, 0, kMaxWorkers, diag)) {
      out->workers = static_cast<uint32_t>(*count);
    }
  }
  map->Uint32("max_header_bytes", &out->max_header_bytes, kMinHeaderBytes);
  map->Uint64("max_body_bytes", &out->max_body_bytes, 1);
  map->Uint32("stream_keepalive_ms", &out->stream_keepalive_ms);
  map->Bool("access_log", &out->access_log);
  if (std::optional<Field> timeouts = map->Get("timeouts")) {
    ReadTimeouts(*timeouts, diag, &out->timeouts);
  }
  if (std::optional<Field> tls = map->Get("tls")) ReadTls(*tls, diag, &out->tls);
  if (std::optional<Field> auth = map->Get("auth")) ReadAuth(*auth, env, diag, out);
  if (std::optional<Field> metrics = map->Get("metrics"))
    ReadMetrics(*metrics, diag, &out->metrics);
}

}  // namespace gw::config::internal

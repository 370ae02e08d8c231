// Who may call the API: the bootstrap keys of the config (server.auth.keys / admin_keys) and the
// managed keys of the key table (docs/keys.md). Immutable after construction (the managed keys
// are read from the KeyRegistry, which swaps its table whole); any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "gateway/key_digest.h"
#include "gateway/keys/key_registry.h"

namespace gw {

struct AuthResult {
  bool ok = false;
  // A non-secret id of the key used: "key-1", "admin-1" (config keys by position), a managed
  // key's hash; "" for an anonymous caller (auth off).
  std::string key_id;
  bool admin = false;       // an admin key (server.auth.admin_keys): reads everyone's usage
  std::string error;        // for a 401 when !ok
  keys::ApiKeyPtr managed;  // the managed key used (its limits apply); null for the others
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // `authorization` is the request's Authorization header (may be empty).
  virtual AuthResult Check(std::string_view authorization) const = 0;
};

// Accepts "Bearer <key>" for any configured key or admin key; with none configured, accepts every
// request (and then every caller counts as an admin). Holds only the keys' SHA-256 digests
// (key_digest.h) and compares the presented key's digest with every one in constant time.
class StaticKeyAuthenticator final : public Authenticator {
 public:
  StaticKeyAuthenticator(const std::vector<config::Secret>& keys,
                         const std::vector<config::Secret>& admin_keys);
  AuthResult Check(std::string_view authorization) const override;
  bool enabled() const { return !keys_.empty(); }
  // The configured key with this digest: ok with its id, or !ok (no error text).
  AuthResult CheckDigest(const KeyDigest& presented) const;

 private:
  struct Key {
    KeyDigest digest;
    std::string id;  // "key-N" / "admin-N", N counting from 1 within its list
    bool admin = false;
  };
  std::vector<Key> keys_;
};

// The config's keys and the managed keys. A managed key that is disabled or expired is refused
// (401, saying which) even when authentication is otherwise off; with no config keys, a request
// with no key or an unknown one is accepted as anonymous (the demo runs so; docs/keys.md).
class KeyAuthenticator final : public Authenticator {
 public:
  // Both must outlive the authenticator. `now_ms` is the clock for expiry (empty: the system's).
  KeyAuthenticator(const StaticKeyAuthenticator& bootstrap, const keys::KeyRegistry& managed,
                   std::function<int64_t()> now_ms = {});
  AuthResult Check(std::string_view authorization) const override;

 private:
  const StaticKeyAuthenticator& bootstrap_;
  const keys::KeyRegistry& managed_;
  std::function<int64_t()> now_ms_;
};

// The key of an "Authorization: Bearer <key>" header: "" and *error set when the header is
// missing or malformed.
std::string_view BearerKey(std::string_view authorization, std::string* error);

}  // namespace gw

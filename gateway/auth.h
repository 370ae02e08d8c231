// Who may call the API. Today: an optional list of accepted bearer keys from the config; the
// interface is the seam where key management with credits and limits plugs in later.
// Immutable after construction; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "gateway/key_digest.h"

namespace gw {

struct AuthResult {
  bool ok = false;
  std::string key_id;  // a non-secret id of the key used ("key-1", "admin-1"), "" when auth is off
  bool admin = false;  // an admin key (server.auth.admin_keys): reads everyone's usage
  std::string error;   // for a 401 when !ok
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

 private:
  struct Key {
    KeyDigest digest;
    std::string id;  // "key-N" / "admin-N", N counting from 1 within its list
    bool admin = false;
  };
  std::vector<Key> keys_;
};

}  // namespace gw

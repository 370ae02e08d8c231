// Who may call the API. Today: an optional list of accepted bearer keys from the config; the
// interface is the seam where key management with credits and limits plugs in later.
// Immutable after construction; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace gw {

struct AuthResult {
  bool ok = false;
  std::string key_id;  // a non-secret id of the key used ("key-1"), empty when auth is off
  std::string error;   // for a 401 when !ok
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // `authorization` is the request's Authorization header (may be empty).
  virtual AuthResult Check(std::string_view authorization) const = 0;
};

// Accepts "Bearer <key>" for any configured key (constant-time comparison); with no keys
// configured, accepts every request.
class StaticKeyAuthenticator final : public Authenticator {
 public:
  explicit StaticKeyAuthenticator(const std::vector<config::Secret>& keys);
  AuthResult Check(std::string_view authorization) const override;

 private:
  std::vector<std::string> keys_;
};

}  // namespace gw

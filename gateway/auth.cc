#include "gateway/auth.h"

#include <openssl/crypto.h>

namespace gw {

StaticKeyAuthenticator::StaticKeyAuthenticator(const std::vector<config::Secret>& keys) {
  for (const config::Secret& key : keys) keys_.push_back(key.value);
}

AuthResult StaticKeyAuthenticator::Check(std::string_view authorization) const {
  if (keys_.empty()) return {true, "", ""};
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty()) {
    return {false, "", "missing API key: send the header \"Authorization: Bearer <key>\""};
  }
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return {false, "", "malformed Authorization header: expected \"Bearer <key>\""};
  }
  const std::string_view presented = authorization.substr(kBearer.size());
  // Every key is compared (no early exit) so timing does not reveal which one matched.
  size_t matched = 0;
  for (size_t i = 0; i < keys_.size(); ++i) {
    const std::string& key = keys_[i];
    if (key.size() == presented.size() &&
        CRYPTO_memcmp(key.data(), presented.data(), key.size()) == 0) {
      matched = i + 1;
    }
  }
  if (matched == 0) return {false, "", "invalid API key"};
  return {true, "key-" + std::to_string(matched), ""};
}

}  // namespace gw

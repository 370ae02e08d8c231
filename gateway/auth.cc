#include "gateway/auth.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

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
  // The scheme name is case-insensitive (RFC 9110, section 11.1).
  if (authorization.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      })) {
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

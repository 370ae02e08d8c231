#include "gateway/auth.h"

#include <algorithm>
#include <cctype>

namespace gw {

StaticKeyAuthenticator::StaticKeyAuthenticator(const std::vector<config::Secret>& keys,
                                               const std::vector<config::Secret>& admin_keys) {
  for (size_t i = 0; i < keys.size(); ++i) {
    keys_.push_back({DigestOfKey(keys[i].value), "key-" + std::to_string(i + 1), false});
  }
  for (size_t i = 0; i < admin_keys.size(); ++i) {
    keys_.push_back({DigestOfKey(admin_keys[i].value), "admin-" + std::to_string(i + 1), true});
  }
}

AuthResult StaticKeyAuthenticator::Check(std::string_view authorization) const {
  if (keys_.empty()) return {true, "", true, ""};
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty()) {
    return {false, "", false, "missing API key: send the header \"Authorization: Bearer <key>\""};
  }
  // The scheme name is case-insensitive (RFC 9110, section 11.1).
  if (authorization.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      })) {
    return {false, "", false, "malformed Authorization header: expected \"Bearer <key>\""};
  }
  const KeyDigest presented = DigestOfKey(authorization.substr(kBearer.size()));
  // Every digest is compared (no early exit, fixed length) so timing reveals neither which key
  // matched nor how long the keys are.
  size_t matched = 0;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (DigestsEqual(keys_[i].digest, presented)) matched = i + 1;
  }
  if (matched == 0) return {false, "", false, "invalid API key"};
  const Key& key = keys_[matched - 1];
  return {true, key.id, key.admin, ""};
}

}  // namespace gw

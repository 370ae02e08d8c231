#include "gateway/auth.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

#include "accounting/ledger/utc_time.h"

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

std::string_view BearerKey(std::string_view authorization, std::string* error) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty()) {
    *error = "missing API key: send the header \"Authorization: Bearer <key>\"";
    return {};
  }
  // The scheme name is case-insensitive (RFC 9110, section 11.1).
  if (authorization.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      })) {
    *error = "malformed Authorization header: expected \"Bearer <key>\"";
    return {};
  }
  return authorization.substr(kBearer.size());
}

AuthResult StaticKeyAuthenticator::Check(std::string_view authorization) const {
  if (keys_.empty()) return {true, "", true, "", nullptr};
  std::string error;
  const std::string_view key = BearerKey(authorization, &error);
  if (key.empty()) return {false, "", false, std::move(error), nullptr};
  AuthResult result = CheckDigest(DigestOfKey(key));
  if (!result.ok) result.error = "invalid API key";
  return result;
}

AuthResult StaticKeyAuthenticator::CheckDigest(const KeyDigest& presented) const {
  // Every digest is compared (no early exit, fixed length) so timing reveals neither which key
  // matched nor how long the keys are.
  size_t matched = 0;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (DigestsEqual(keys_[i].digest, presented)) matched = i + 1;
  }
  if (matched == 0) return {false, "", false, "", nullptr};
  const Key& key = keys_[matched - 1];
  return {true, key.id, key.admin, "", nullptr};
}

KeyAuthenticator::KeyAuthenticator(const StaticKeyAuthenticator& bootstrap,
                                   const keys::KeyRegistry& managed,
                                   std::function<int64_t()> now_ms)
    : bootstrap_(bootstrap), managed_(managed), now_ms_(std::move(now_ms)) {
  if (!now_ms_) now_ms_ = [] { return accounting::NowEpochMs(); };
}

AuthResult KeyAuthenticator::Check(std::string_view authorization) const {
  const bool required = bootstrap_.enabled();
  std::string error;
  const std::string_view secret = BearerKey(authorization, &error);
  if (secret.empty()) {
    if (!required) return {true, "", true, "", nullptr};
    return {false, "", false, std::move(error), nullptr};
  }
  const KeyDigest digest = DigestOfKey(secret);
  if (required) {
    AuthResult bootstrap = bootstrap_.CheckDigest(digest);
    if (bootstrap.ok) return bootstrap;
  }
  // A managed key is found by its hash: the lookup's timing depends on the digest only, which
  // tells nothing about the secret; the match is confirmed in constant time all the same.
  const std::string hash = HexOfDigest(digest);
  keys::ApiKeyPtr key = managed_.Find(hash);
  if (key != nullptr && (key->hash.size() != hash.size() ||
                         CRYPTO_memcmp(key->hash.data(), hash.data(), hash.size()) != 0)) {
    key = nullptr;
  }
  if (key == nullptr) {
    if (!required) return {true, "", true, "", nullptr};
    return {false, "", false, "invalid API key", nullptr};
  }
  if (key->disabled) {
    return {false, "", false, "this API key (" + key->label + ") is disabled", nullptr};
  }
  if (key->ExpiredAt(now_ms_())) {
    return {false, "", false,
            "this API key (" + key->label + ") expired at " +
                accounting::FormatIsoUtc(*key->expires_at_ms),
            nullptr};
  }
  std::string id = key->hash;
  return {true, std::move(id), false, "", std::move(key)};
}

}  // namespace gw

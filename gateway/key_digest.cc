#include "gateway/key_digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace gw {
namespace {

// SHA-256 fetched once: OpenSSL 3's one-shot SHA256() fetches the algorithm from the provider
// on every call, which cost more than the hashing itself (about 1 µs per key check).
const EVP_MD* Sha256() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
    return fetched;
  }();
  return md;
}

}  // namespace

KeyDigest DigestOfKey(std::string_view secret) {
  KeyDigest digest{};
  if (EVP_Digest(secret.data(), secret.size(), digest.data(), nullptr, Sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return digest;
}

std::string HexOfDigest(const KeyDigest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0x0f]);
  }
  return hex;
}

bool DigestsEqual(const KeyDigest& a, const KeyDigest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace gw

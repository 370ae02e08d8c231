#include "accounting/tokenizer/checksum.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace gw::accounting::tokenizer {

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("tokenizer: OpenSSL could not compute a SHA-256");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

void VerifySha256(std::string_view name, std::string_view data, std::string_view expected_hex) {
  const std::string actual = Sha256Hex(data);
  const bool match =
      std::equal(actual.begin(), actual.end(), expected_hex.begin(), expected_hex.end(),
                 [](char a, char e) { return a == std::tolower(static_cast<unsigned char>(e)); });
  if (!match) {
    throw std::runtime_error("tokenizer: " + std::string(name) + " is corrupt: its SHA-256 is " +
                             actual + ", expected " + std::string(expected_hex) +
                             " (see accounting/tokenizer/data/SHA256SUMS and docs/tokenizer.md)");
  }
}

}  // namespace gw::accounting::tokenizer

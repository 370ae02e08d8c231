// SHA-256 checks of the embedded rank files (OpenSSL). Pure functions; any thread may call them.
#pragma once

#include <string>
#include <string_view>

namespace gw::accounting::tokenizer {

// The SHA-256 of `data`, as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view data);

// Throws std::runtime_error naming `name` and both digests unless SHA-256(data) equals
// `expected_hex` (64 hex digits, either case).
void VerifySha256(std::string_view name, std::string_view data, std::string_view expected_hex);

}  // namespace gw::accounting::tokenizer

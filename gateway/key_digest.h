// The stored form of an API key: its SHA-256 digest. The gateway keeps no key in plain once it
// has read it: the authenticator holds digests and compares the digest of the presented key in
// constant time, so neither a key's content nor its length shows in the comparison's timing,
// and a memory dump or (later) a key table does not reveal usable secrets. API keys are long
// random strings, so an unsalted fast hash suffices (as GitHub and Stripe store tokens);
// passwords would need a slow salted one. Pure; any thread.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace gw {

using KeyDigest = std::array<unsigned char, 32>;

KeyDigest DigestOfKey(std::string_view secret);

// Lowercase hex, 64 characters: how a digest is shown and stored as text.
std::string HexOfDigest(const KeyDigest& digest);

// Constant-time equality (OpenSSL's CRYPTO_memcmp over the fixed 32 bytes).
bool DigestsEqual(const KeyDigest& a, const KeyDigest& b);

}  // namespace gw

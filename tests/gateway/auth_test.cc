#include "gateway/auth.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"

namespace gw {
namespace {

constexpr std::string_view kMissing =
    "missing API key: send the header \"Authorization: Bearer <key>\"";
constexpr std::string_view kMalformed = "malformed Authorization header: expected \"Bearer <key>\"";
constexpr std::string_view kInvalid = "invalid API key";

std::vector<config::Secret> Keys(const std::vector<std::string>& values) {
  std::vector<config::Secret> keys;
  for (size_t i = 0; i < values.size(); ++i) {
    keys.push_back({values[i], std::string("GW_KEY_").append(std::to_string(i + 1))});
  }
  return keys;
}

std::string Bearer(std::string_view key) { return std::string("Bearer ").append(key); }

void ExpectRejected(const AuthResult& result, std::string_view error) {
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.key_id, "");
  EXPECT_EQ(result.error, error);
}

TEST(StaticKeyAuthenticatorTest, WithoutKeysEveryRequestIsAccepted) {
  const StaticKeyAuthenticator auth({}, {});
  for (std::string_view header : {"", "Bearer anything", "Basic x", "garbage"}) {
    SCOPED_TRACE(header);
    const AuthResult result = auth.Check(header);
    EXPECT_TRUE(result.ok);
    EXPECT_EQ(result.key_id, "");
    EXPECT_EQ(result.error, "");
  }
}

TEST(StaticKeyAuthenticatorTest, RejectsAMissingHeader) {
  const StaticKeyAuthenticator auth(Keys({"sk-one"}), {});
  ExpectRejected(auth.Check(""), kMissing);
}

TEST(StaticKeyAuthenticatorTest, RejectsAMalformedHeader) {
  const StaticKeyAuthenticator auth(Keys({"sk-one"}), {});
  for (std::string_view header : {"Basic x", "Bearer", "Bearer ", "sk-one", "Bearersk-one",
                                  "Token sk-one", " Bearer sk-one"}) {
    SCOPED_TRACE(header);
    ExpectRejected(auth.Check(header), kMalformed);
  }
}

TEST(StaticKeyAuthenticatorTest, TheSchemeNameIsCaseInsensitive) {
  StaticKeyAuthenticator authenticator(Keys({"sk-one"}), {});
  EXPECT_TRUE(authenticator.Check("bearer sk-one").ok);
  EXPECT_TRUE(authenticator.Check("BEARER sk-one").ok);
  EXPECT_FALSE(authenticator.Check("bearer sk-ONE").ok);  // the key itself is exact
}

TEST(StaticKeyAuthenticatorTest, RejectsAWrongKey) {
  const StaticKeyAuthenticator auth(Keys({"sk-one"}), {});
  for (std::string_view header : {"Bearer sk-two", "Bearer SK-ONE", "Bearer sk-on",
                                  "Bearer sk-one ", "Bearer  sk-one", "Bearer sk-onee"}) {
    SCOPED_TRACE(header);
    ExpectRejected(auth.Check(header), kInvalid);
  }
}

TEST(StaticKeyAuthenticatorTest, AcceptsTheRightKeyWithItsId) {
  const StaticKeyAuthenticator auth(Keys({"sk-one"}), {});
  const AuthResult result = auth.Check("Bearer sk-one");
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.key_id, "key-1");
  EXPECT_EQ(result.error, "");
}

TEST(StaticKeyAuthenticatorTest, NamesEachKeyByItsPositionWhateverItsLength) {
  const StaticKeyAuthenticator auth(
      Keys({"a", "sk-medium-key", std::string("sk-").append(200, 'x')}), {});
  EXPECT_EQ(auth.Check("Bearer a").key_id, "key-1");
  EXPECT_EQ(auth.Check("Bearer sk-medium-key").key_id, "key-2");
  EXPECT_EQ(auth.Check(Bearer(std::string("sk-").append(200, 'x'))).key_id, "key-3");
  EXPECT_TRUE(auth.Check(Bearer(std::string("sk-").append(200, 'x'))).ok);
  // A prefix or an extension of a key is not that key.
  ExpectRejected(auth.Check("Bearer sk-medium"), kInvalid);
  ExpectRejected(auth.Check("Bearer sk-medium-key-2"), kInvalid);
  ExpectRejected(auth.Check(Bearer(std::string("sk-").append(199, 'x'))), kInvalid);
  ExpectRejected(auth.Check("Bearer ab"), kInvalid);
}

TEST(StaticKeyAuthenticatorTest, AdminKeysHaveTheirOwnIdsAndTheAdminMark) {
  const StaticKeyAuthenticator auth(Keys({"sk-user"}), Keys({"sk-admin-1", "sk-admin-2"}));
  EXPECT_TRUE(auth.enabled());
  const AuthResult user = auth.Check("Bearer sk-user");
  EXPECT_TRUE(user.ok);
  EXPECT_EQ(user.key_id, "key-1");
  EXPECT_FALSE(user.admin);
  const AuthResult admin = auth.Check("Bearer sk-admin-2");
  EXPECT_TRUE(admin.ok);
  EXPECT_EQ(admin.key_id, "admin-2");
  EXPECT_TRUE(admin.admin);
  ExpectRejected(auth.Check("Bearer sk-admin"), kInvalid);
}

TEST(StaticKeyAuthenticatorTest, AdminKeysAloneTurnAuthenticationOn) {
  const StaticKeyAuthenticator auth({}, Keys({"sk-admin"}));
  EXPECT_TRUE(auth.enabled());
  ExpectRejected(auth.Check(""), kMissing);
  EXPECT_EQ(auth.Check("Bearer sk-admin").key_id, "admin-1");
}

TEST(StaticKeyAuthenticatorTest, KeysMayContainAnyBytes) {
  const std::string key("k\0ey", 4);
  const StaticKeyAuthenticator auth(Keys({key}), {});
  EXPECT_TRUE(auth.Check(Bearer(key)).ok);
  ExpectRejected(auth.Check("Bearer k"), kInvalid);
}

}  // namespace
}  // namespace gw

namespace gw {
namespace {

TEST(KeyDigestTest, IsTheSha256OfTheKey) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(HexOfDigest(DigestOfKey("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexOfDigest(DigestOfKey("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(KeyDigestTest, EqualityIsByContent) {
  EXPECT_TRUE(DigestsEqual(DigestOfKey("sk-one"), DigestOfKey("sk-one")));
  EXPECT_FALSE(DigestsEqual(DigestOfKey("sk-one"), DigestOfKey("sk-one ")));
  EXPECT_FALSE(DigestsEqual(DigestOfKey("sk-one"), DigestOfKey("sk-on")));
}

}  // namespace
}  // namespace gw

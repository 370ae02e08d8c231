#include <gtest/gtest.h>

#include <filesystem>

#include "accounting/keys/key_store.h"
#include "gateway/auth.h"
#include "gateway/keys/key_document.h"
#include "gateway/keys/key_registry.h"

namespace gw {
namespace {

constexpr int64_t kNow = 1'796'000'000'000;

std::string FreshStorePath() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("key_auth_" + std::to_string(::getpid())) / info->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return (dir / "keys.sqlite3").string();
}

// A key table with one key of each state, and the secrets to present.
class KeyAuthenticatorTest : public ::testing::Test {
 protected:
  KeyAuthenticatorTest() : store_(FreshStorePath()) {
    active_ = Add("active", [](accounting::keys::ApiKey&) {});
    disabled_ = Add("disabled", [](accounting::keys::ApiKey& key) { key.disabled = true; });
    expired_ = Add("expired", [](accounting::keys::ApiKey& key) { key.expires_at_ms = kNow; });
    registry_ = std::make_unique<keys::KeyRegistry>(store_);
  }

  template <typename Change>
  keys::NewKeySecret Add(const std::string& name, Change change) {
    keys::NewKeySecret secret = keys::GenerateKeySecret();
    accounting::keys::ApiKey key;
    key.hash = secret.hash;
    key.label = secret.label;
    key.name = name;
    change(key);
    EXPECT_TRUE(store_.Insert(key));
    return secret;
  }

  AuthResult Check(const StaticKeyAuthenticator& bootstrap, const std::string& header) {
    const KeyAuthenticator auth(bootstrap, *registry_, [] { return kNow; });
    return auth.Check(header);
  }

  accounting::keys::KeyStore store_;
  std::unique_ptr<keys::KeyRegistry> registry_;
  keys::NewKeySecret active_, disabled_, expired_;
};

TEST_F(KeyAuthenticatorTest, AManagedKeyIsItsHashAndNeverAnAdmin) {
  const StaticKeyAuthenticator bootstrap({{"boot", "GW_KEY"}}, {{"root", "GW_ADMIN"}});
  const AuthResult result = Check(bootstrap, "Bearer " + active_.secret);
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(result.key_id, active_.hash);
  EXPECT_FALSE(result.admin);
  ASSERT_NE(result.managed, nullptr);
  EXPECT_EQ(result.managed->name, "active");
  // The bootstrap keys keep working beside it.
  EXPECT_EQ(Check(bootstrap, "Bearer boot").key_id, "key-1");
  const AuthResult admin = Check(bootstrap, "Bearer root");
  EXPECT_TRUE(admin.admin);
  EXPECT_EQ(admin.managed, nullptr);
}

TEST_F(KeyAuthenticatorTest, UnknownDisabledAndExpiredKeysAreRefusedSayingWhy) {
  const StaticKeyAuthenticator bootstrap({{"boot", "GW_KEY"}}, {});
  EXPECT_EQ(Check(bootstrap, "Bearer sk-gw-v1-nope").error, "invalid API key");
  EXPECT_NE(Check(bootstrap, "").error.find("missing API key"), std::string::npos);
  const AuthResult disabled = Check(bootstrap, "Bearer " + disabled_.secret);
  EXPECT_FALSE(disabled.ok);
  EXPECT_EQ(disabled.error, "this API key (" + disabled_.label + ") is disabled");
  const AuthResult expired = Check(bootstrap, "Bearer " + expired_.secret);
  EXPECT_FALSE(expired.ok);
  EXPECT_NE(expired.error.find("expired at"), std::string::npos) << expired.error;
}

// Without config keys the gateway is open (the demo), but a managed key still carries its
// limits, and a disabled or expired one is still refused.
TEST_F(KeyAuthenticatorTest, WithAuthenticationOffManagedKeysStillCount) {
  const StaticKeyAuthenticator open({}, {});
  const AuthResult anonymous = Check(open, "");
  EXPECT_TRUE(anonymous.ok);
  EXPECT_TRUE(anonymous.admin);
  EXPECT_TRUE(Check(open, "Bearer whatever").ok);
  const AuthResult managed = Check(open, "Bearer " + active_.secret);
  EXPECT_TRUE(managed.ok);
  EXPECT_FALSE(managed.admin);
  EXPECT_NE(managed.managed, nullptr);
  EXPECT_FALSE(Check(open, "Bearer " + disabled_.secret).ok);
  EXPECT_FALSE(Check(open, "Bearer " + expired_.secret).ok);
}

// The registry picks up a change made through another connection (the CLI) on Refresh.
TEST_F(KeyAuthenticatorTest, ARevokedKeyIsRefusedAfterTheRegistryRefreshes) {
  const StaticKeyAuthenticator bootstrap({{"boot", "GW_KEY"}}, {});
  accounting::keys::KeyStore cli(store_.path());
  std::optional<accounting::keys::ApiKey> key = cli.Get(active_.hash);
  ASSERT_TRUE(key);
  key->disabled = true;
  ASSERT_TRUE(cli.Modify(key->hash,
                         [&key](accounting::keys::ApiKey& stored) {
                           stored = *key;
                           return std::string();
                         })
                  .key);
  EXPECT_TRUE(Check(bootstrap, "Bearer " + active_.secret).ok);  // not yet refreshed
  registry_->Refresh(std::chrono::milliseconds(0));
  EXPECT_FALSE(Check(bootstrap, "Bearer " + active_.secret).ok);
  ASSERT_TRUE(cli.Delete(active_.hash));
  registry_->Refresh(std::chrono::milliseconds(0));
  EXPECT_EQ(Check(bootstrap, "Bearer " + active_.secret).error, "invalid API key");
  EXPECT_EQ(registry_->size(), 2u);
}

}  // namespace
}  // namespace gw

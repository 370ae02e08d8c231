// ResponseStore: what a stored response is, who can read it, and how long it lives.
#include "gateway/responses/response_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace gw::responses {
namespace {

using std::chrono::system_clock;

int64_t MsAgo(std::chrono::hours ago) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             (system_clock::now() - ago).time_since_epoch())
      .count();
}

class ResponseStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("response_store_" + std::to_string(::getpid())) / info->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  std::string Path() const { return (dir_ / "responses.sqlite3").string(); }

  static StoredResponse Response(std::string id, std::string key, int64_t created_at_ms) {
    return StoredResponse{.id = std::move(id),
                          .key_id = std::move(key),
                          .created_at_ms = created_at_ms,
                          .response_json = R"({"id":"x","object":"response"})",
                          .items_json = R"([{"role":"user","content":"hi"}])"};
  }

  std::filesystem::path dir_;
};

TEST_F(ResponseStoreTest, AStoredResponseIsReadBackWholeByItsKeyAndSurvivesAReopen) {
  const int64_t now_ms = MsAgo(std::chrono::hours(0));
  {
    ResponseStore store(Path(), 30);
    ASSERT_EQ(store.Put(Response("resp-1", "key-a", now_ms)), "");
  }
  ResponseStore reopened(Path(), 30);
  const std::optional<StoredResponse> got = reopened.Get("resp-1", "key-a");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, "resp-1");
  EXPECT_EQ(got->key_id, "key-a");
  EXPECT_EQ(got->created_at_ms, now_ms);
  EXPECT_EQ(got->response_json, R"({"id":"x","object":"response"})");
  EXPECT_EQ(got->items_json, R"([{"role":"user","content":"hi"}])");
}

TEST_F(ResponseStoreTest, AnotherKeysResponseIsNotFoundAndCannotBeDeleted) {
  ResponseStore store(Path(), 30);
  ASSERT_EQ(store.Put(Response("resp-1", "key-a", MsAgo(std::chrono::hours(0)))), "");
  EXPECT_FALSE(store.Get("resp-1", "key-b").has_value());
  EXPECT_FALSE(store.Get("resp-1", "").has_value());
  EXPECT_FALSE(store.Delete("resp-1", "key-b"));
  EXPECT_TRUE(store.Get("resp-1", "key-a").has_value());
  EXPECT_FALSE(store.Get("resp-unknown", "key-a").has_value());
}

TEST_F(ResponseStoreTest, DeleteRemovesOnceThenReportsNotFound) {
  ResponseStore store(Path(), 30);
  ASSERT_EQ(store.Put(Response("resp-1", "key-a", MsAgo(std::chrono::hours(0)))), "");
  EXPECT_TRUE(store.Delete("resp-1", "key-a"));
  EXPECT_FALSE(store.Get("resp-1", "key-a").has_value());
  EXPECT_FALSE(store.Delete("resp-1", "key-a"));
}

TEST_F(ResponseStoreTest, ResponsesOlderThanTheRetentionAreGoneAndPruned) {
  ResponseStore store(Path(), 2);
  ASSERT_EQ(store.Put(Response("old", "k", MsAgo(std::chrono::hours(49)))), "");
  ASSERT_EQ(store.Put(Response("young", "k", MsAgo(std::chrono::hours(47)))), "");
  EXPECT_FALSE(store.Get("old", "k").has_value());  // expired even before a prune
  EXPECT_TRUE(store.Get("young", "k").has_value());
  store.Prune(system_clock::now() + std::chrono::hours(2));
  EXPECT_FALSE(store.Get("young", "k").has_value());
  EXPECT_FALSE(store.Delete("old", "k"));  // the prune removed the row itself
}

TEST_F(ResponseStoreTest, ZeroRetentionKeepsEverything) {
  ResponseStore store(Path(), 0);
  ASSERT_EQ(store.Put(Response("ancient", "k", 1000)), "");
  store.Prune(system_clock::now());
  EXPECT_TRUE(store.Get("ancient", "k").has_value());
}

TEST_F(ResponseStoreTest, AnUnopenableFileIsAnErrorNamingIt) {
  const std::string path = (dir_ / "missing-dir" / "responses.sqlite3").string();
  try {
    ResponseStore store(path, 30);
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gw::responses

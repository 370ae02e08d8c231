// What every key table (key_table.h: the SQLite file, the PostgreSQL table) is tested with: a key
// with every field set, and the check that concurrent read-modify-writes through two tables over
// the same storage (two processes or instances) lose no update.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "accounting/keys/key_table.h"

namespace gw::accounting::keys::testing {

// A key with every field set, and text that needs quoting in SQL and JSON.
inline ApiKey FullKey(const std::string& hash) {
  ApiKey key;
  key.hash = hash;
  key.name = "team \"search\" \xc3\xa9 'quoted' \\ tab\t";
  key.label = "sk-gw-v1-abc...def";
  key.disabled = true;
  key.limit_nano = 25'000'000'001;
  key.limit_reset = LimitReset::kWeekly;
  key.expires_at_ms = 1'800'000'000'123;
  key.created_at_ms = 1'700'000'000'000;
  key.updated_at_ms = 1'700'000'000'001;
  key.allowed_models = {"openai/gpt-4o", "anthropic/claude"};
  key.denied_models = {"x/y"};
  key.allowed_providers = {"openai"};
  key.denied_providers = {"groq", "together"};
  key.rate_limit = {60, 100'000};
  key.model_limits = {{"openai/gpt-4o", {5, 0}}};
  key.user_limit_nano = 1'000'000'000;
  key.user_rate_limit = {0, 5000};
  return key;
}

// `threads` threads, alternating between `first` and `second`, each add 1 to a key's limit
// `each` times through Modify: every increment must land.
inline void ExpectConcurrentModifiesLoseNoUpdate(KeyTable& first, KeyTable& second, int threads,
                                                 int each) {
  ApiKey key = FullKey(std::string(64, '4'));
  key.limit_nano = 0;
  ASSERT_TRUE(first.Insert(key));
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&, t] {
      KeyTable& table = t % 2 == 0 ? first : second;
      for (int i = 0; i < each; ++i) {
        table.Modify(key.hash, [](ApiKey& k) {
          k.limit_nano = *k.limit_nano + 1;
          return std::string();
        });
      }
    });
  }
  for (std::thread& thread : running) thread.join();
  EXPECT_EQ(first.Get(key.hash)->limit_nano, threads * each);
  EXPECT_EQ(second.Get(key.hash)->limit_nano, threads * each);
}

}  // namespace gw::accounting::keys::testing

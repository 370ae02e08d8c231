// Rankings and the dashboard through the real gateway and simulator: leaderboards and series
// that count the traffic just served, who may read them (public / any key / admin), admin keys
// reading everyone's usage, and the pages with their redirect, ETag and no key.
#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;

class RankingsTest : public Cluster {
 protected:
  // A gateway with two models on one simulator; `server_extra` goes into its server block.
  void Start(const std::string& server_extra = "") {
    const int sim = StartSimulator();
    port_ = StartGateway(GatewayYaml(
        {{"sim", sim, ""}},
        {{"acme/big", {{"sim", "sim-model?tokens=40"}}}, {"zeta/small", {{"sim", "sim-model"}}}},
        server_extra));
  }

  // Sends a chat request and returns its total tokens.
  int64_t Chat(const std::string& model, const Headers& headers) {
    const HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody(model), headers);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.status == 200 ? response.Json()["usage"]["total_tokens"].get<int64_t>() : 0;
  }

  // Polls `target` until its totals count `requests` requests (the rollups are written with
  // each ledger batch).
  json WaitForRankings(const std::string& target, int64_t requests, const Headers& headers = {}) {
    json body;
    bool failed = false;
    const bool counted = WaitUntil([&] {
      const HttpResponse response = Get(port_, target, headers);
      EXPECT_EQ(response.status, 200) << response.body;
      failed = response.status != 200;
      if (!failed) body = response.Json();
      return failed || body["totals"]["requests"] == requests;
    });
    if (failed) return json();
    if (!counted) ADD_FAILURE() << target << " never counted " << requests << " requests: " << body;
    return body;
  }

  int port_ = 0;
};

TEST_F(RankingsTest, LeaderboardsAndSeriesCountTheTrafficServed) {
  Start();
  int64_t big = 0, small = 0;
  for (int i = 0; i < 3; ++i) big += Chat("acme/big", {{"X-Title", "Support Bot"}});
  small += Chat("zeta/small", {});
  ASSERT_GT(big, small);

  const json models = WaitForRankings("/v1/rankings?by=model&period=day", 4);
  ASSERT_EQ(models["data"].size(), 2u) << models;
  EXPECT_EQ(models["data"][0]["name"], "acme/big");
  EXPECT_EQ(models["data"][0]["author"], "acme");
  EXPECT_EQ(models["data"][0]["rank"], 1);
  EXPECT_EQ(models["data"][0]["tokens"], big);
  EXPECT_EQ(models["data"][0]["requests"], 3);
  EXPECT_TRUE(models["data"][0]["change"].is_null());  // nothing yesterday
  EXPECT_EQ(models["data"][1]["name"], "zeta/small");
  EXPECT_EQ(models["data"][1]["tokens"], small);
  EXPECT_EQ(models["totals"]["tokens"], big + small);
  EXPECT_EQ(models["complete"], false);

  const json apps = WaitForRankings("/v1/rankings?by=app&limit=1", 4);
  ASSERT_EQ(apps["data"].size(), 2u) << apps;
  EXPECT_EQ(apps["data"][0]["name"], "Support Bot");
  EXPECT_EQ(apps["data"][1]["other"], true);
  EXPECT_EQ(apps["data"][1]["tokens"], small);

  const json providers = WaitForRankings("/api/v1/rankings?by=provider&period=month", 4);
  ASSERT_EQ(providers["data"].size(), 1u);
  EXPECT_EQ(providers["data"][0]["name"], "sim");
  EXPECT_EQ(providers["data"][0]["share"], 100.0);

  const HttpResponse series = Get(port_, "/v1/rankings/timeseries?top=1&buckets=3");
  ASSERT_EQ(series.status, 200) << series.body;
  const json chart = series.Json();
  ASSERT_EQ(chart["buckets"].size(), 3u);
  ASSERT_EQ(chart["series"].size(), 2u);
  EXPECT_EQ(chart["series"][0]["name"], "acme/big");
  EXPECT_EQ(chart["series"][0]["values"], json::array({0, 0, big}));
  EXPECT_EQ(chart["series"][1]["values"], json::array({0, 0, small}));
  EXPECT_EQ(chart["buckets"][2]["total"], big + small);

  const HttpResponse bad = Get(port_, "/v1/rankings?period=fortnight");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["error"]["message"],
            "period: expected one of day, week, month, got \"fortnight\"");
}

TEST_F(RankingsTest, AnyValidKeyReadsTheRankingsByDefault) {
  setenv("IT_RANKINGS_USER_KEY", "user-key", 1);
  Start("  auth:\n    keys: [\"${IT_RANKINGS_USER_KEY}\"]\n");
  EXPECT_EQ(Get(port_, "/v1/rankings").status, 401);
  EXPECT_EQ(Get(port_, "/v1/rankings/timeseries", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(Get(port_, "/v1/rankings", {{"Authorization", "Bearer user-key"}}).status, 200);
  EXPECT_EQ(Get(port_, "/v1/rankings/timeseries", {{"Authorization", "Bearer user-key"}}).status,
            200);
}

TEST_F(RankingsTest, PublicRankingsNeedNoKeyButUsageStillDoes) {
  setenv("IT_RANKINGS_USER_KEY", "user-key", 1);
  Start("  auth:\n    keys: [\"${IT_RANKINGS_USER_KEY}\"]\n    rankings: public\n");
  EXPECT_EQ(Get(port_, "/v1/rankings").status, 200);
  EXPECT_EQ(Get(port_, "/v1/rankings/timeseries").status, 200);
  EXPECT_EQ(Get(port_, "/v1/activity").status, 401);
  EXPECT_EQ(Post(port_, "/v1/chat/completions", ChatBody("acme/big")).status, 401);
}

TEST_F(RankingsTest, AdminOnlyRankingsAndAdminKeysReadEveryonesUsage) {
  setenv("IT_RANKINGS_USER_KEY", "user-key", 1);
  setenv("IT_RANKINGS_ADMIN_KEY", "admin-key", 1);
  Start(
      "  auth:\n    keys: [\"${IT_RANKINGS_USER_KEY}\"]\n"
      "    admin_keys: [\"${IT_RANKINGS_ADMIN_KEY}\"]\n    rankings: admin\n");
  const Headers user = {{"Authorization", "Bearer user-key"}};
  const Headers admin = {{"Authorization", "Bearer admin-key"}};
  const HttpResponse refused = Get(port_, "/v1/rankings", user);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Json()["error"]["message"],
            "the rankings and insights are readable by admin keys only (server.auth.rankings: "
            "admin); this key (key-1) is not one of server.auth.admin_keys");
  EXPECT_EQ(Get(port_, "/v1/rankings/timeseries", user).status, 403);
  EXPECT_EQ(Get(port_, "/v1/rankings").status, 401);

  const HttpResponse served = Post(port_, "/v1/chat/completions", ChatBody("acme/big"), user);
  ASSERT_EQ(served.status, 200);
  const json rankings = WaitForRankings("/v1/rankings", 1, admin);
  EXPECT_EQ(rankings["data"][0]["name"], "acme/big");
  // The admin reads the user's generation and activity; the user still reads only its own.
  const std::string id = served.Json()["id"];
  const HttpResponse record = Get(port_, "/v1/generation?id=" + id, admin);
  ASSERT_EQ(record.status, 200) << record.body;
  EXPECT_EQ(record.Json()["data"]["api_key_id"], "key-1");
  EXPECT_EQ(Get(port_, "/v1/activity?key=key-1", admin).status, 200);
  EXPECT_EQ(Get(port_, "/v1/activity?key=admin-1", user).status, 403);
  // Requests made with an admin key are attributed to it.
  const HttpResponse own = Post(port_, "/v1/chat/completions", ChatBody("zeta/small"), admin);
  ASSERT_EQ(own.status, 200);
  const HttpResponse own_record =
      Get(port_, "/v1/generation?id=" + own.Json()["id"].get<std::string>(), admin);
  EXPECT_EQ(own_record.Json()["data"]["api_key_id"], "admin-1");
  const json keys = WaitForRankings("/v1/rankings?by=key", 2, admin);
  ASSERT_EQ(keys["data"].size(), 2u);
}

TEST_F(RankingsTest, ThePagesAreServedWithoutAKeyAndRevalidate) {
  setenv("IT_RANKINGS_USER_KEY", "user-key", 1);
  Start("  auth:\n    keys: [\"${IT_RANKINGS_USER_KEY}\"]\n");
  const HttpResponse home = Get(port_, "/");
  EXPECT_EQ(home.status, 302);
  EXPECT_EQ(home.Header("location"), "/rankings");

  for (const std::string path :
       {"/rankings", "/activity", "/dashboard/dashboard.js", "/dashboard/dashboard.css"}) {
    SCOPED_TRACE(path);
    const HttpResponse page = Get(port_, path);
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(page.body.empty());
    EXPECT_EQ(page.Header("cache-control"), "no-cache");
    const std::string etag = page.Header("etag");
    ASSERT_FALSE(etag.empty());
    const HttpResponse again = Get(port_, path, {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(Request(port_, "HEAD", path, "").status, 200);
    EXPECT_EQ(Post(port_, path, "x").status, 405);
  }
  EXPECT_EQ(Get(port_, "/rankings").Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(Get(port_, "/dashboard/dashboard.js").Header("content-type"),
            "text/javascript; charset=utf-8");
  EXPECT_EQ(Get(port_, "/dashboard/missing.js").status, 404);
  // The page's data still needs the key.
  EXPECT_EQ(Get(port_, "/v1/rankings").status, 401);
}

}  // namespace
}  // namespace gw::testing

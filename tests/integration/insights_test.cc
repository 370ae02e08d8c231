// What the ledger records for the insights through the real gateway and simulator: the
// conversation's shape, tools offered and called, the prompt's language and task category (read
// off the request path, visible in GET /v1/generation at once), the served model's attributes
// from the config, and an app's declared category overriding the classifier; who may read the
// API.
#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

using nlohmann::json;

// A German question about a code snippet, with a system prompt and one tool.
constexpr std::string_view kGermanCodeQuestion = R"({"model":"it/attrs","messages":[
  {"role":"system","content":"You are a helpful assistant."},
  {"role":"user","content":"Warum stürzt mein Programm ab, wenn die Liste leer ist? Ich verstehe den Fehler nicht und brauche bitte eine Erklärung.\n```python\ndef first(items):\n    return items[0]\n```"}],
  "tools":[{"type":"function","function":{"name":"run_python","parameters":{"type":"object"}}}]})";

class InsightsTest : public Cluster {
 protected:
  // `server_extra` goes into the gateway's server block.
  void Start(const std::string& server_extra = "") {
    const int sim = StartSimulator();
    std::string yaml = GatewayYaml({{"sim", sim, ""}},
                                   {{"it/attrs", {{"sim", "sim-model?tool_call=true&tokens=4"}}},
                                    {"it/plain", {{"sim", "sim-model?tokens=4"}}}},
                                   server_extra);
    // The attributes of it/attrs, after its id line.
    const std::string id_line = "  - id: it/attrs\n";
    yaml.insert(yaml.find(id_line) + id_line.size(),
                "    origin_country: CN\n    open_weights: true\n    parameters_b: 671\n"
                "    reasoning: true\n");
    yaml +=
        "apps:\n  - { name: Story Studio, category: creative_writing }\n"
        "  - { name: Listed Only }\n";
    port_ = StartGateway(yaml);
  }

  json Generation(const HttpResponse& answer) {
    const HttpResponse record =
        Get(port_, "/v1/generation?id=" + answer.Json()["id"].get<std::string>());
    EXPECT_EQ(record.status, 200) << record.body;
    return record.Json()["data"];
  }

  int port_ = 0;
};

TEST_F(InsightsTest, RecordsTheConversationLanguageCategoryAndModelAttributes) {
  Start();
  const HttpResponse answer = Post(port_, "/v1/chat/completions", std::string(kGermanCodeQuestion));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json record = Generation(answer);
  EXPECT_EQ(record["message_count"], 2);
  EXPECT_EQ(record["tools_offered"], true);
  EXPECT_EQ(record["finish_reason"], "tool_calls");
  EXPECT_EQ(record["tool_called"], true);
  EXPECT_EQ(record["language"], "de");
  EXPECT_EQ(record["category"], "programming");
  EXPECT_EQ(record["model_attributes"]["origin_country"], "CN");
  EXPECT_EQ(record["model_attributes"]["open_weights"], true);
  EXPECT_EQ(record["model_attributes"]["parameters_b"], 671);
  EXPECT_EQ(record["model_attributes"]["reasoning"], true);
}

TEST_F(InsightsTest, AModelWithoutAttributesAndAPromptWithoutToolsRecordTheDefaults) {
  Start();
  const HttpResponse answer = Post(port_, "/v1/chat/completions", ChatBody("it/plain"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json record = Generation(answer);
  EXPECT_EQ(record["message_count"], 1);
  EXPECT_EQ(record["tools_offered"], false);
  EXPECT_EQ(record["tool_called"], false);
  EXPECT_TRUE(record["category"].is_string()) << record;  // the classifier always decides
  EXPECT_TRUE(record["model_attributes"]["origin_country"].is_null());
  EXPECT_EQ(record["model_attributes"]["open_weights"], false);
  EXPECT_TRUE(record["model_attributes"]["parameters_b"].is_null());
  EXPECT_EQ(record["model_attributes"]["reasoning"], false);
}

TEST_F(InsightsTest, AnAppsDeclaredCategoryWinsOverTheClassifier) {
  Start();
  const HttpResponse declared =
      Post(port_, "/v1/chat/completions", std::string(kGermanCodeQuestion),
           {{"X-Title", "Story Studio"}});
  ASSERT_EQ(declared.status, 200) << declared.body;
  EXPECT_EQ(Generation(declared)["category"], "creative_writing");
  // Matched by the app's exact name; an app listed without a category is classified.
  for (const std::string title : {"story studio", "Listed Only"}) {
    const HttpResponse classified =
        Post(port_, "/v1/chat/completions", std::string(kGermanCodeQuestion), {{"X-Title", title}});
    ASSERT_EQ(classified.status, 200) << classified.body;
    EXPECT_EQ(Generation(classified)["category"], "programming") << title;
  }
}

TEST_F(InsightsTest, TheAnthropicMessagesRouteIsReadToo) {
  Start();
  const HttpResponse answer = Post(port_, "/v1/messages", R"({"model":"it/plain","max_tokens":16,
      "system":"Du bist ein hilfreicher Assistent.",
      "messages":[{"role":"user","content":"Kannst du mir bitte erklären, wie die Photosynthese in Pflanzen funktioniert?"},
                  {"role":"assistant","content":"Gern."},
                  {"role":"user","content":"Und warum sind die Blätter grün und nicht blau?"}]})");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const json record = Generation(answer);
  EXPECT_EQ(record["api"], "messages");
  EXPECT_EQ(record["message_count"], 3);
  EXPECT_EQ(record["language"], "de");
}

TEST_F(InsightsTest, TheInsightsApiAnswersFromTheRollups) {
  Start();
  ASSERT_EQ(Post(port_, "/v1/chat/completions", std::string(kGermanCodeQuestion)).status, 200);
  ASSERT_EQ(Post(port_, "/v1/chat/completions", ChatBody("it/plain")).status, 200);
  // The insights rollups are flushed about once a second (docs/ledger.md).
  json categories;
  ASSERT_TRUE(WaitUntil([&] {
    categories = Get(port_, "/v1/insights/categories?weeks=1").Json();
    int64_t requests = 0;
    for (const json& row : categories["data"]) requests += row["requests"].get<int64_t>();
    return requests == 2;
  })) << categories;
  EXPECT_EQ(categories["object"], "insights.categories");
  const json classes = Get(port_, "/v1/insights/model-classes?weeks=1").Json();
  bool chinese = false;
  for (const json& row : classes["data"]) chinese |= row["class"] == "open_weights_china";
  EXPECT_TRUE(chinese) << classes;
  const HttpResponse csv = Get(port_, "/v1/insights/languages?format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\n')), "language,requests,tokens,share");
  const HttpResponse bad = Get(port_, "/v1/insights/tokens?weeks=0");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["error"]["message"], "weeks: expected an integer from 1 to 104, got \"0\"");
  EXPECT_EQ(Get(port_, "/v1/insights/colours").status, 404);
  EXPECT_EQ(Post(port_, "/v1/insights", "{}").status, 405);
}

TEST_F(InsightsTest, RetentionByKeyOrUserNeedsAnAdminKey) {
  setenv("IT_INSIGHTS_USER_KEY", "user-key", 1);
  setenv("IT_INSIGHTS_ADMIN_KEY", "admin-key", 1);
  Start(
      "  auth:\n    keys: [\"${IT_INSIGHTS_USER_KEY}\"]\n"
      "    admin_keys: [\"${IT_INSIGHTS_ADMIN_KEY}\"]\n");
  const Headers user = {{"Authorization", "Bearer user-key"}};
  const Headers admin = {{"Authorization", "Bearer admin-key"}};
  const HttpResponse refused = Get(port_, "/v1/insights/retention?model=it/plain&by=key", user);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Json()["error"]["message"],
            "by=key: retention of keys and users is readable by admin keys only; by=app is not "
            "restricted");
  EXPECT_EQ(Get(port_, "/v1/insights/retention?model=it/plain", user).status, 403);
  EXPECT_EQ(Get(port_, "/v1/insights/retention?model=it/plain&by=app", user).status, 200);
  EXPECT_EQ(Get(port_, "/v1/insights/retention?model=it/plain&by=key", admin).status, 200);
  EXPECT_EQ(Get(port_, "/v1/insights", user).status, 200);
}

TEST_F(InsightsTest, AdminOnlyInsightsRefuseOtherKeys) {
  setenv("IT_INSIGHTS_USER_KEY", "user-key", 1);
  setenv("IT_INSIGHTS_ADMIN_KEY", "admin-key", 1);
  Start(
      "  auth:\n    keys: [\"${IT_INSIGHTS_USER_KEY}\"]\n"
      "    admin_keys: [\"${IT_INSIGHTS_ADMIN_KEY}\"]\n    rankings: admin\n");
  const HttpResponse refused =
      Get(port_, "/v1/insights/tokens", {{"Authorization", "Bearer user-key"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Json()["error"]["message"],
            "the rankings and insights are readable by admin keys only (server.auth.rankings: "
            "admin); this key (key-1) is not one of server.auth.admin_keys");
  EXPECT_EQ(Get(port_, "/v1/insights/tokens", {{"Authorization", "Bearer admin-key"}}).status, 200);
}

}  // namespace
}  // namespace gw::testing

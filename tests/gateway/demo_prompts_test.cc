// The demo traffic's prompt text (gateway/demo_prompts.h) and the bodies built from it
// (gateway/demo_chat_body.h), read back the way the gateway's accounting reads a request
// (accounting::FillRequestInsights: the task classifier and the language detector).
#include "gateway/demo_prompts.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "accounting/generation_record.h"
#include "accounting/request_insights.h"
#include "base/json/json_writer.h"
#include "gateway/demo_apps.h"
#include "gateway/demo_chat_body.h"
#include "tests/gateway/demo_yaml.h"

namespace gw::demo {
namespace {

using config::TaskCategory;
using config::TaskCategoryName;

// What the gateway records of a request body when no app declares its category.
struct Recorded {
  std::string category;
  std::string language;
  int64_t message_count = 0;
  bool tools_offered = false;
};

Recorded Record(std::string body) {
  accounting::GenerationRecord record;
  record.prompt_source = std::move(body);
  accounting::FillRequestInsights(record);
  return {record.category, record.language, record.message_count, record.tools_offered};
}

// A chat body: an optional system prompt, earlier user turns each answered, the latest user
// turn, and optional tools.
std::string ChatBody(std::string_view system, const std::vector<std::string>& user_turns,
                     std::string_view tools) {
  std::string body = R"({"model":"m","messages":[)";
  if (!system.empty()) {
    body += R"({"role":"system","content":)";
    json::AppendJsonString(body, system);
    body += "},";
  }
  for (size_t i = 0; i < user_turns.size(); ++i) {
    if (i > 0) body += R"({"role":"assistant","content":"OK."},)";
    body += R"({"role":"user","content":)";
    json::AppendJsonString(body, user_turns[i]);
    body += i + 1 < user_turns.size() ? "}," : "}";
  }
  body += "]";
  if (!tools.empty()) body += R"(,"tools":)" + std::string(tools);
  return body + "}";
}

// The first app that sends requests of `text`'s category and topic in its language.
const DemoApp* AppOf(const TopicText& text) {
  for (const DemoApp& app : DemoApps()) {
    bool task = false, language = text.language == Language::kNone;
    for (const AppTask& t : app.tasks) task |= t.category == text.category && t.topic == text.topic;
    for (const AppLanguage& l : app.languages) language |= l.language == text.language;
    if (task && language) return &app;
  }
  return nullptr;
}

std::string Describe(const TopicText& text) {
  return std::string(TaskCategoryName(text.category)) + "/" +
         std::string(LanguageCode(text.language)) + "/topic " +
         std::to_string(static_cast<int>(text.topic));
}

TEST(DemoPromptsTest, EveryCategoryAndLanguageHasText) {
  std::set<TaskCategory> categories;
  std::map<Language, size_t> topics_per_language;
  for (const TopicText& text : AllTopicTexts()) {
    categories.insert(text.category);
    ++topics_per_language[text.language];
    EXPECT_FALSE(text.asks.empty()) << Describe(text);
    EXPECT_EQ(FindTopicText(text.category, text.topic, text.language), &text) << Describe(text);
  }
  EXPECT_EQ(categories.size(), config::kTaskCategoryCount) << "every category, `other` included";
  for (Language language :
       {Language::kChinese, Language::kSpanish, Language::kRussian, Language::kGerman,
        Language::kFrench, Language::kJapanese, Language::kPortuguese, Language::kKorean}) {
    EXPECT_GE(topics_per_language[language], 4u) << LanguageCode(language);
    EXPECT_FALSE(GenericReplies(language).empty()) << LanguageCode(language);
  }
  EXPECT_GE(topics_per_language[Language::kEnglish], 16u);
  EXPECT_EQ(FindTopicText(TaskCategory::kGeneralQa, Topic::kGeneral, Language::kNone), nullptr);
}

// Each request users write, alone or with what it is pasted with, in the setting of the app that
// sends it (its system prompt and tools): the classifier gives its category and the detector
// its language.
TEST(DemoPromptsTest, EveryRequestIsClassifiedAndDetectedAsWritten) {
  size_t checked = 0;
  for (const TopicText& text : AllTopicTexts()) {
    const DemoApp* app = AppOf(text);
    ASSERT_NE(app, nullptr) << Describe(text) << ": no app sends it";
    // What is pasted goes where the app puts it: after the request, or (retrieval) into the
    // system prompt.
    const bool pastes = app->padding == Padding::kPasted && !text.material.empty();
    const bool retrieves = app->padding == Padding::kSystemContext && !text.material.empty();
    const std::string_view tools = app->tools_probability > 0 ? ToolsJson(app->tools) : "";
    const auto check = [&](std::string_view ask, std::string_view material) {
      std::string system(app->system_prompts.front());
      std::string turn(ask);
      if (pastes) turn += "\n\n" + std::string(material);
      if (retrieves) system += "\n\n" + std::string(material);
      const Recorded recorded = Record(ChatBody(system, {turn}, tools));
      EXPECT_EQ(recorded.category, TaskCategoryName(text.category))
          << Describe(text) << ": " << turn;
      EXPECT_EQ(recorded.language, LanguageCode(text.language)) << Describe(text) << ": " << turn;
      ++checked;
    };
    const auto material = [&](size_t i) {
      return text.material.empty() ? std::string_view() : text.material[i % text.material.size()];
    };
    for (size_t i = 0; i < text.asks.size(); ++i) check(text.asks[i], material(i));
    for (size_t i = 1; i < text.material.size(); ++i) check(text.asks.front(), material(i));
    for (std::string_view followup : text.followups) {
      const Recorded recorded =
          Record(ChatBody(app->system_prompts.front(),
                          {std::string(text.asks.front()), std::string(followup)}, tools));
      EXPECT_EQ(recorded.category, TaskCategoryName(text.category)) << Describe(text) << followup;
      EXPECT_EQ(recorded.language, LanguageCode(text.language)) << Describe(text) << followup;
      ++checked;
    }
  }
  EXPECT_GT(checked, 250u);
}

TEST(DemoPromptsTest, ToolKitsAreValidOpenAiTools) {
  for (ToolKit kit : {ToolKit::kCodingAgent, ToolKit::kIde, ToolKit::kSupport, ToolKit::kNotebook,
                      ToolKit::kWebSearch}) {
    const nlohmann::json tools = nlohmann::json::parse(ToolsJson(kit));
    ASSERT_TRUE(tools.is_array());
    std::set<std::string> names;
    for (const nlohmann::json& tool : tools) {
      EXPECT_EQ(tool["type"], "function");
      EXPECT_EQ(tool["function"]["parameters"]["type"], "object");
      names.insert(tool["function"]["name"].get<std::string>());
    }
    ASSERT_FALSE(ToolCalls(kit).empty());
    for (const ToolCallText& call : ToolCalls(kit)) {
      EXPECT_TRUE(names.contains(std::string(call.name))) << call.name;
      EXPECT_TRUE(nlohmann::json::parse(call.arguments).is_object()) << call.arguments;
    }
    EXPECT_FALSE(ToolResults(kit).empty());
  }
  EXPECT_EQ(ToolsJson(ToolKit::kNone), "");
}

size_t ContentBytes(const nlohmann::json& body) {
  size_t bytes = 0;  // as the simulator counts them: JSON escapes included
  for (const nlohmann::json& message : body["messages"]) {
    if (message["content"].is_string()) bytes += message["content"].dump().size() - 2;
  }
  return bytes;
}

size_t AppIndex(std::string_view title) {
  for (size_t i = 0; i < DemoApps().size(); ++i) {
    if (DemoApps()[i].title == title) return i;
  }
  ADD_FAILURE() << "no app " << title;
  return 0;
}

DemoRequest Request(std::string_view app, TaskCategory category, Topic topic, Language language) {
  DemoRequest request;
  request.app = static_cast<uint32_t>(AppIndex(app));
  request.category = category;
  request.topic = topic;
  request.language = language;
  request.max_tokens = 100;
  request.text_seed = 42;
  return request;
}

TEST(DemoChatBodyTest, AnAgentStepEndsWithAToolResultOrAUserTurn) {
  DemoRequest request =
      Request("Kodo CLI", TaskCategory::kProgramming, Topic::kAgent, Language::kEnglish);
  request.history = 2;
  request.tools = true;
  request.tool_result_last = true;
  request.prompt_tokens = 5000;
  const nlohmann::json body = nlohmann::json::parse(BuildDemoChatBody(request, "a/model"));
  const nlohmann::json& messages = body["messages"];
  ASSERT_GE(messages.size(), 9u) << "system, 2 x (user, call, result, answer), user, call, result";
  EXPECT_EQ(messages[0]["role"], "system");
  const nlohmann::json& call = messages[messages.size() - 2];
  const nlohmann::json& result = messages.back();
  EXPECT_EQ(call["role"], "assistant");
  EXPECT_TRUE(call["content"].is_null());
  EXPECT_EQ(result["role"], "tool");
  EXPECT_EQ(result["tool_call_id"], call["tool_calls"][0]["id"]);
  EXPECT_TRUE(
      nlohmann::json::parse(call["tool_calls"][0]["function"]["arguments"].get<std::string>())
          .is_object());
  EXPECT_TRUE(body["tools"].is_array());
  EXPECT_EQ((ContentBytes(body) + 3) / 4, 5000u) << "the tool results pad it to the planned size";

  request.tool_result_last = false;
  const nlohmann::json next = nlohmann::json::parse(BuildDemoChatBody(request, "a/model"));
  EXPECT_EQ(next["messages"].back()["role"], "user") << "so the model calls a tool";
  request.tools = false;
  const nlohmann::json plain = nlohmann::json::parse(BuildDemoChatBody(request, "a/model"));
  EXPECT_FALSE(plain.contains("tools"));
}

TEST(DemoChatBodyTest, PadsToThePlannedSizeWhereTheAppPutsItsText) {
  // A chat grows earlier turns; a retrieval app's passages go to the system prompt; a pasting
  // app's request carries more of what it pastes.
  DemoRequest chat =
      Request("Tavern Chat", TaskCategory::kRoleplay, Topic::kGeneral, Language::kRussian);
  chat.history = 2;
  chat.prompt_tokens = 3000;
  const nlohmann::json roleplay = nlohmann::json::parse(BuildDemoChatBody(chat, "m"));
  EXPECT_EQ((ContentBytes(roleplay) + 3) / 4, 3000u);
  EXPECT_GT(roleplay["messages"].size(), 10u);
  EXPECT_EQ(Record(roleplay.dump()).language, "ru");

  DemoRequest docs =
      Request("Docs Search", TaskCategory::kTechnology, Topic::kGeneral, Language::kGerman);
  docs.prompt_tokens = 2000;
  const nlohmann::json retrieval = nlohmann::json::parse(BuildDemoChatBody(docs, "m"));
  ASSERT_EQ(retrieval["messages"].size(), 2u);
  EXPECT_EQ((ContentBytes(retrieval) + 3) / 4, 2000u);
  EXPECT_GT(retrieval["messages"][0]["content"].get<std::string>().size(), 6000u);
  const Recorded recorded = Record(retrieval.dump());
  EXPECT_EQ(recorded.language, "de") << "the user's words, not the retrieved passages";
  EXPECT_EQ(recorded.category, "technology");

  DemoRequest pasted =
      Request("CodePilot", TaskCategory::kProgramming, Topic::kGeneral, Language::kChinese);
  pasted.prompt_tokens = 4000;
  const nlohmann::json code = nlohmann::json::parse(BuildDemoChatBody(pasted, "m"));
  EXPECT_EQ((ContentBytes(code) + 3) / 4, 4000u);
  const std::string user = code["messages"].back()["content"];
  EXPECT_NE(user.find("```"), std::string::npos);
  const Recorded chinese = Record(code.dump());
  EXPECT_EQ(chinese.language, "zh");
  EXPECT_EQ(chinese.category, "programming");

  // Smaller than its own words: the words stay whole.
  DemoRequest small = Request("", TaskCategory::kTrivia, Topic::kGeneral, Language::kEnglish);
  small.prompt_tokens = 1;
  const nlohmann::json trivia = nlohmann::json::parse(BuildDemoChatBody(small, "m"));
  EXPECT_GT(ContentBytes(trivia), 4u);
  EXPECT_EQ(Record(trivia.dump()).category, "trivia");
}

TEST(DemoChatBodyTest, TheSameRequestGivesTheSameBody) {
  DemoRequest request =
      Request("ChatDock", TaskCategory::kHealth, Topic::kGeneral, Language::kSpanish);
  request.history = 3;
  request.prompt_tokens = 900;
  request.user = "user-noah";
  request.stream = true;
  const std::string body = BuildDemoChatBody(request, "x/y");
  EXPECT_EQ(BuildDemoChatBody(request, "x/y"), body);
  request.text_seed = 43;
  EXPECT_NE(BuildDemoChatBody(request, "x/y"), body);
  const nlohmann::json parsed = nlohmann::json::parse(body);
  EXPECT_EQ(parsed["user"], "user-noah");
  EXPECT_EQ(parsed["stream"], true);
  EXPECT_EQ(parsed["max_tokens"], 100);
}

// Every request of a whole plan over the demo config, read back as the gateway reads it: the
// category and language planned, and its messages and tools.
TEST(DemoChatBodyTest, EveryPlannedRequestIsRecordedAsPlanned) {
  const std::vector<DemoModel> models = testing::DemoYamlModels();
  for (uint64_t seed : {1u, 2u, 3u}) {
    TrafficOptions options;
    options.seed = seed;
    options.end_day = 20'500;
    const TrafficPlan plan = PlanDemoTraffic(models, options);
    const size_t step = seed == 1 ? 2 : 11;  // half of the default seed's, a sample of others
    size_t mismatches = 0;
    for (size_t i = 0; i < plan.requests.size(); i += step) {
      const DemoRequest& request = plan.requests[i];
      const Recorded recorded = Record(BuildDemoChatBody(request, models[request.model].id));
      const bool as_planned = recorded.category == TaskCategoryName(request.category) &&
                              recorded.language == LanguageCode(request.language);
      if (!as_planned && ++mismatches <= 5) {
        ADD_FAILURE() << "seed " << seed << ", request " << i << " of "
                      << DemoApps()[request.app].title << ": planned "
                      << TaskCategoryName(request.category) << "/" << LanguageCode(request.language)
                      << ", recorded " << recorded.category << "/" << recorded.language;
      }
      EXPECT_EQ(recorded.tools_offered, request.tools) << i;
      EXPECT_GE(recorded.message_count, 1 + 2 * int64_t{request.history}) << i;
    }
    EXPECT_EQ(mismatches, 0u) << "seed " << seed;
  }
}

}  // namespace
}  // namespace gw::demo

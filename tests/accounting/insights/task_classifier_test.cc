#include "accounting/insights/task_classifier.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "accounting/insights/task_cues.h"

namespace gw::accounting::insights {

using config::AllTaskCategories;
using config::TaskCategory;
using config::TaskCategoryByName;
using config::TaskCategoryName;
namespace {

constexpr const char* kCodingSystem =
    "You are Claude Code, Anthropic's official CLI for Claude. You are an interactive CLI tool "
    "that helps users with software engineering tasks.";

// A request of one user turn (after a system message when `system` is not empty).
PromptText Prompt(std::string system, std::string user, std::vector<std::string> tools = {}) {
  PromptText prompt;
  prompt.message_count = system.empty() ? 1 : 2;
  prompt.system = std::move(system);
  prompt.user = std::move(user);
  prompt.tools_offered = !tools.empty();
  prompt.tool_names = std::move(tools);
  return prompt;
}

std::string Name(TaskCategory category) { return std::string(TaskCategoryName(category)); }

struct Case {
  const char* what;
  PromptText prompt;
  TaskCategory expected;
};

TEST(TaskClassifierTest, DocumentedCues) {
  const Case cases[] = {
      {"a fenced code block", Prompt("", "```\nx = compute(y)\n```\nthoughts?"),
       TaskCategory::kProgramming},
      {"a stack trace's error name", Prompt("", "ValueError: invalid literal for int()"),
       TaskCategory::kProgramming},
      {"a file name with a code extension", Prompt("", "look at server.go please"),
       TaskCategory::kProgramming},
      {"the tools of a coding agent", Prompt("", "ok, go ahead", {"Bash", "Read", "Edit"}),
       TaskCategory::kProgramming},
      {"a coding agent's system prompt", Prompt(kCodingSystem, "what changed since yesterday?"),
       TaskCategory::kProgramming},
      {"a character card",
       Prompt("{{char}} is a grumpy dwarf blacksmith. Stay in character.", "Can you fix my sword?"),
       TaskCategory::kRoleplay},
      {"a persona's name after \"you are\"",
       Prompt("You are Eleanor, a Victorian governess.", "Good evening."), TaskCategory::kRoleplay},
      {"asterisk actions", Prompt("", "*waves from across the street* *smiles* Over here!"),
       TaskCategory::kRoleplay},
      {"translate into French", Prompt("", "Translate into French: the train is late"),
       TaskCategory::kTranslation},
      {"a German request to translate", Prompt("", "Übersetze: the cat sleeps"),
       TaskCategory::kTranslation},
      {"a Chinese request to translate", Prompt("", "请翻译成英文：今天天气很好"),
       TaskCategory::kTranslation},
      {"domain words", Prompt("", "What dosage of ibuprofen is safe for my headache?"),
       TaskCategory::kHealth},
      {"a question with no domain", Prompt("", "How do I get my cat to like my new sofa?"),
       TaskCategory::kGeneralQa},
      {"a question opened without \"?\"", Prompt("", "what should we cook tonight for six"),
       TaskCategory::kGeneralQa},
      {"a fact question", Prompt("", "What is the capital of Peru?"), TaskCategory::kTrivia},
      {"an empty prompt", Prompt("", ""), TaskCategory::kOther},
      {"a greeting", Prompt("", "hello there"), TaskCategory::kOther},
      {"a probe", Prompt("", "test"), TaskCategory::kOther},
      {"a code's tests", Prompt("", "add a test case for the parser"), TaskCategory::kProgramming},
      {"a short question mark", Prompt("", "hello?"), TaskCategory::kOther},
      {"a helpful-assistant system prompt alone", Prompt("You are a helpful assistant.", "hi"),
       TaskCategory::kOther},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Name(ClassifyTask(c.prompt)), Name(c.expected)) << c.what;
  }
}

TEST(TaskClassifierTest, TiesGoToTheCategoryListedFirst) {
  // One strong cue each in the latest turn, 3 x 3 points: programming (python) and finance
  // (stock). programming is listed first, whatever the words' order.
  EXPECT_EQ(ClassifyTask(Prompt("", "python stock")), TaskCategory::kProgramming);
  EXPECT_EQ(ClassifyTask(Prompt("", "stock python")), TaskCategory::kProgramming);
}

TEST(TaskClassifierTest, GeneralQaIsTheFallbackOfQuestions) {
  // A question scores 7 for general_qa; a category must reach as much to win, and wins a tie:
  // here programming has 7, "code" in the system text (2 x 2) and the tool Bash (3).
  EXPECT_EQ(ClassifyTask(Prompt("Here is some code.", "what should we cook tonight?", {"Bash"})),
            TaskCategory::kProgramming);
  EXPECT_EQ(ClassifyTask(Prompt("", "what should we cook tonight?")), TaskCategory::kGeneralQa);
  // One weak cue (plan: 2 x 3 points) does not outweigh the question...
  EXPECT_EQ(ClassifyTask(Prompt("", "what is the best plan for a rainy weekend?")),
            TaskCategory::kGeneralQa);
  // ... a strong one (bond: 3 x 3) does.
  EXPECT_EQ(ClassifyTask(Prompt("", "what is a bond?")), TaskCategory::kFinance);
}

TEST(TaskClassifierTest, LatestTurnOutweighsOlderTurns) {
  // Two turns whose cues weigh the same (18 points each in one turn); the latest comes first.
  const std::string translate = "Translate it into Spanish please";
  const std::string poem = "write a poem about the sea";
  PromptText prompt = Prompt("", translate + "\n" + poem);
  prompt.message_count = 3;
  prompt.latest_user_size = translate.size();  // as ReadPromptText marks it
  EXPECT_EQ(ClassifyTask(prompt), TaskCategory::kTranslation);
  prompt = Prompt("", poem + "\n" + translate);
  prompt.message_count = 3;
  prompt.latest_user_size = poem.size();
  EXPECT_EQ(ClassifyTask(prompt), TaskCategory::kCreativeWriting);
  // Read from a request body: the latest turn is the last user message.
  const PromptText read = ReadPromptText(R"({"messages":[
      {"role":"user","content":"write a poem about the sea"},
      {"role":"assistant","content":"The sea..."},
      {"role":"user","content":"Translate it into Spanish please"}]})",
                                         true);
  EXPECT_EQ(ClassifyTask(read), TaskCategory::kTranslation);
}

TEST(TaskClassifierTest, AnEmptyLatestTurnLeavesTheOlderTurnsOlder) {
  // The latest turn holds only a tool result: the question before it is context (1x, and no
  // question score), not the latest turn; unmarked, the same text is the latest turn.
  const PromptText read = ReadPromptText(R"({"messages":[
      {"role":"user","content":"what should we cook tonight?"},
      {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"search","input":{}}]},
      {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"pasta"}]}]})",
                                         true);
  EXPECT_EQ(read.latest_user_size, std::optional<size_t>(0));
  EXPECT_EQ(ClassifyTask(read), TaskCategory::kOther);
  PromptText unmarked = read;
  unmarked.latest_user_size.reset();
  EXPECT_EQ(ClassifyTask(unmarked), TaskCategory::kGeneralQa);
}

TEST(TaskClassifierTest, CountsEachCueOncePerPart) {
  std::string repeated;
  for (int i = 0; i < 50; ++i) repeated += "invoice ";
  EXPECT_EQ(ClassifyTask(Prompt("", repeated + "write a short story and a poem about it")),
            TaskCategory::kCreativeWriting);
}

TEST(TaskClassifierTest, MatchesWordsWholeAndCaseInsensitively) {
  EXPECT_EQ(ClassifyTask(Prompt("", "TRANSLATE THIS TO GERMAN: good night")),
            TaskCategory::kTranslation);
  // "poem" inside "poemsxyz" and "tax" inside "taxonomy" are not those words.
  EXPECT_EQ(ClassifyTask(Prompt("", "poemsxyz taxonomy")), TaskCategory::kOther);
}

TEST(TaskClassifierTest, CueIdsFitTheSeenSet) { EXPECT_LE(GetCueTables().id_count, kMaxCueIds); }

// A labelled set: one JSON object per line, {"category", "system", "user", "tools"}.
struct Sample {
  std::string category;
  PromptText prompt;
};

std::vector<Sample> LoadSamples(const std::string& name) {
  std::ifstream in(std::string(GW_SOURCE_DIR) + "/tests/data/insights/" + name);
  std::vector<Sample> samples;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const nlohmann::json json = nlohmann::json::parse(line);
    Sample sample{json.at("category").get<std::string>(),
                  Prompt(json.value("system", ""), json.at("user").get<std::string>(),
                         json.value("tools", std::vector<std::string>{}))};
    samples.push_back(std::move(sample));
  }
  return samples;
}

// Classifies `name`'s samples, prints the accuracy, the recall per category and the misses, and
// returns the accuracy.
double Evaluate(const std::string& name) {
  const std::vector<Sample> samples = LoadSamples(name);
  EXPECT_GE(samples.size(), 192u) << name;
  std::map<std::string, std::pair<int, int>> recall;  // category -> (right, total)
  int right = 0;
  for (const Sample& sample : samples) {
    const std::string got = Name(ClassifyTask(sample.prompt));
    EXPECT_TRUE(TaskCategoryByName(sample.category).has_value()) << sample.category;
    auto& [category_right, category_total] = recall[sample.category];
    ++category_total;
    if (got == sample.category) {
      ++right;
      ++category_right;
    } else {
      std::printf("  miss: %s -> %s: %.100s\n", sample.category.c_str(), got.c_str(),
                  sample.prompt.user.c_str());
    }
  }
  const double accuracy = samples.empty() ? 0 : static_cast<double>(right) / samples.size();
  std::printf("%s: accuracy %.3f (%d/%zu)\n", name.c_str(), accuracy, right, samples.size());
  for (const auto& [category, counts] : recall) {
    std::printf("  recall %-16s %2d/%2d\n", category.c_str(), counts.first, counts.second);
  }
  return accuracy;
}

// The held-out set, written before the classifier and never tuned against: measured 0.923
// (192/208) when the cues were frozen, 0.928 (193/208) once "test" alone became other as
// docs/insights.md says.
TEST(TaskClassifierTest, HeldOutTestSetAccuracy) { EXPECT_GE(Evaluate("tasks_test.jsonl"), 0.88); }

// The set the cues and weights were tuned against: measured 0.988 (254/257).
TEST(TaskClassifierTest, DevSetAccuracy) { EXPECT_GE(Evaluate("tasks_dev.jsonl"), 0.95); }

}  // namespace
}  // namespace gw::accounting::insights

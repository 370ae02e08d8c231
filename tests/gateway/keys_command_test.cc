#include "gateway/keys_command.h"

#include <gtest/gtest.h>

namespace gw {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

TEST(ParseKeysCommandTest, CreateTakesTheFieldFlagsInOrder) {
  KeysCommandOptions options;
  ASSERT_EQ(ParseKeysCommand({"create", "--config", "gw.yaml", "--name", "team a", "--limit=25",
                              "--reset", "monthly", "--disable", "--rpm", "60", "--model-rate",
                              "openai/gpt-4o=5/1000", "--allow-models", "a,b"},
                             &options),
            "");
  EXPECT_EQ(options.action, "create");
  EXPECT_EQ(options.config_file, "gw.yaml");
  EXPECT_EQ(options.fields, (Fields{{"name", "team a"},
                                    {"limit", "25"},
                                    {"reset", "monthly"},
                                    {"disable", ""},
                                    {"rpm", "60"},
                                    {"allow-models", "a,b"}}));
  EXPECT_EQ(options.model_rate_limits, std::vector<std::string>{"openai/gpt-4o=5/1000"});
}

TEST(ParseKeysCommandTest, ShowUpdateAndDeleteTakeAHash) {
  KeysCommandOptions options;
  ASSERT_EQ(ParseKeysCommand({"update", "abc", "-c", "gw.yaml", "--enable"}, &options), "");
  EXPECT_EQ(options.hash, "abc");
  EXPECT_EQ(options.fields, (Fields{{"enable", ""}}));
  KeysCommandOptions list;
  ASSERT_EQ(ParseKeysCommand({"list", "-c", "gw.yaml", "--active-only", "--format", "json"}, &list),
            "");
  EXPECT_FALSE(list.include_disabled);
  EXPECT_EQ(list.format, "json");
}

TEST(ParseKeysCommandTest, RejectionsNameTheArgument) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, "keys needs an action: create, list, show, update, delete or import"},
      {{"rotate"},
       "unknown keys action \"rotate\" (expected create, list, show, update, delete, import)"},
      {{"import", "-c", "a"}, "keys import needs --from FILE"},
      {{"list", "-c", "a", "--from", "k.sqlite3"}, "unknown option \"--from\" for keys list"},
      {{"list"}, "keys needs --config FILE"},
      {{"show", "-c", "a"}, "keys show needs the key's HASH"},
      {{"show", "h1", "h2", "-c", "a"}, "unexpected argument \"h2\""},
      {{"list", "h1", "-c", "a"}, "unexpected argument \"h1\""},
      {{"create", "-c", "a", "--name"}, "--name needs a value"},
      {{"create", "-c", "a", "--disable=yes"}, "--disable takes no value"},
      {{"create", "-c", "a", "--colour", "red"}, "unknown option \"--colour\" for keys create"},
      {{"delete", "h", "-c", "a", "--limit", "5"}, "unknown option \"--limit\" for keys delete"},
      {{"list", "-c", "a", "--format", "xml"}, "--format: expected table or json; got \"xml\""},
  };
  for (const auto& [args, expected] : cases) {
    KeysCommandOptions options;
    EXPECT_EQ(ParseKeysCommand(args, &options), expected);
  }
}

}  // namespace
}  // namespace gw

#include "base/json/json_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "base/json/json_scan.h"

namespace gw::json {
namespace {

std::string Written(std::string_view text) {
  std::string out = "prefix:";
  AppendJsonString(out, text);
  return out;
}

TEST(AppendJsonStringTest, QuotesAndEscapes) {
  EXPECT_EQ(Written(""), "prefix:\"\"");
  EXPECT_EQ(Written("openai/gpt-4o"), "prefix:\"openai/gpt-4o\"");
  EXPECT_EQ(Written("a\"b\\c"), "prefix:\"a\\\"b\\\\c\"");
  EXPECT_EQ(Written("\n\r\t\b\f"), "prefix:\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(Written(std::string("\0\x01\x1F", 3)), "prefix:\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(Written("\x7F/"), "prefix:\"\x7F/\"");
  EXPECT_EQ(Written("caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80"),
            "prefix:\"caf\xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80\"");
}

TEST(AppendJsonStringTest, EscapesAtEveryAlignmentAndRoundTrips) {
  for (size_t pad = 0; pad < 20; ++pad) {
    std::string accents;
    for (size_t i = 0; i < pad; ++i) accents += "\xC3\xA9";
    const std::string text = std::string(pad, 'x') + "\"" + accents + "\n" +
                             std::string(pad % 3, '\\') + "\x01" + "\xC3\xA9";
    std::string out;
    AppendJsonString(out, text);
    EXPECT_EQ(UnescapeString(StringContents(out)), text) << pad;
  }
  std::string out;
  AppendJsonString(out, "tab\there \"quoted\" caf\xC3\xA9");
  EXPECT_FALSE(Validate(out).has_value());
}

TEST(AppendJsonStringTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(Written("a\xFF"
                    "b"),
            "prefix:\"a\xEF\xBF\xBD"
            "b\"");
  EXPECT_EQ(Written("\xC3"), "prefix:\"\xEF\xBF\xBD\"");                  // truncated sequence
  EXPECT_EQ(Written("\xC0\xAF"), "prefix:\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // overlong '/'
  EXPECT_EQ(Written("\xED\xA0\x80"),                                      // UTF-8-encoded surrogate
            "prefix:\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(Written("\xC3\xA9 \xFF \xE2\x82"),  // a sequence cut short: one U+FFFD per byte
            "prefix:\"\xC3\xA9 \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\"");
  for (size_t pad = 0; pad < 12; ++pad) {
    std::string out;
    AppendJsonString(out, std::string(pad, 'x') + "\x80\xC3\xA9\xF0\x9F");
    EXPECT_FALSE(Validate(out).has_value()) << pad;
  }
}

}  // namespace
}  // namespace gw::json

#include "providers/json/json_writer.h"

#include <gtest/gtest.h>

#include <string>

#include "providers/json/json_scan.h"

namespace gw::providers::json {
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
    const std::string text = std::string(pad, 'x') + "\"" + std::string(pad, '\xC3') + "\n" +
                             std::string(pad % 3, '\\') + "\x01" + "\xC3\xA9";
    std::string out;
    AppendJsonString(out, text);
    // The raw 0xC3 padding is not UTF-8; the writer copies it, so compare after unescaping.
    EXPECT_EQ(UnescapeString(StringContents(out)), text) << pad;
  }
  std::string out;
  AppendJsonString(out, "tab\there \"quoted\" caf\xC3\xA9");
  EXPECT_FALSE(Validate(out).has_value());
}

}  // namespace
}  // namespace gw::providers::json

#include "accounting/tokenizer/rank_table.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace gw::accounting::tokenizer {
namespace {

// A valid table: every byte (base64 of one byte), then a few merges.
std::string AllBytes() {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string text;
  for (int b = 0; b < 256; ++b) {
    text += kAlphabet[b >> 2];
    text += kAlphabet[(b & 3) << 4];
    text += "== " + std::to_string(b) + "\n";
  }
  return text;
}

std::string ErrorOf(const std::string& text) {
  try {
    RankTable::Parse("test.tiktoken", text);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

TEST(RankTableTest, ParsesAndLooksUpBothWays) {
  // "aGVsbG8=" is "hello", "IHdvcmxk" " world".
  const RankTable table = RankTable::Parse("test", AllBytes() + "aGVsbG8= 300\nIHdvcmxk 301\n");
  EXPECT_EQ(table.size(), 258u);
  EXPECT_EQ(table.Find("hello"), 300u);
  EXPECT_EQ(table.Find(" world"), 301u);
  EXPECT_EQ(table.Find("a"), 97u);
  EXPECT_EQ(table.Find("hell"), RankTable::kNoRank);
  EXPECT_EQ(table.Find(""), RankTable::kNoRank);
  EXPECT_EQ(table.Bytes(300), "hello");
  EXPECT_EQ(table.Bytes(299), "");  // a gap in the ranks
  EXPECT_EQ(table.Bytes(5000), "");
  EXPECT_EQ(table.max_token_size(), 6u);
}

TEST(RankTableTest, RejectsMalformedFilesNamingTheLine) {
  EXPECT_EQ(ErrorOf(AllBytes() + "aGVsbG8=300\n"),
            "tokenizer: test.tiktoken line 257: expected "
            "\"<base64> <rank>\"");
  EXPECT_EQ(ErrorOf(AllBytes() + "aGVsbG8= x\n"), "tokenizer: test.tiktoken line 257: bad rank");
  EXPECT_EQ(ErrorOf(AllBytes() + "aGVsb!8= 300\n"),
            "tokenizer: test.tiktoken line 257: bad base64");
  EXPECT_EQ(ErrorOf(AllBytes() + "aGVsbG8= 3\n"),
            "tokenizer: test.tiktoken line 257: duplicate rank");
  EXPECT_NE(ErrorOf(AllBytes() + "aGVsbG8= 300\naGVsbG8= 301\n").find("duplicate token"),
            std::string::npos);
  EXPECT_NE(ErrorOf("aGVsbG8= 300\n").find("not every byte is a token"), std::string::npos);
}

}  // namespace
}  // namespace gw::accounting::tokenizer

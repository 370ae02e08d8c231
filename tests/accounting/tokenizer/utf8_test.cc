#include "accounting/tokenizer/utf8.h"

#include <gtest/gtest.h>

namespace gw::accounting::tokenizer {
namespace {

constexpr auto npos = std::string_view::npos;

TEST(Utf8Test, FindsTheFirstIllFormedSequence) {
  EXPECT_EQ(FindInvalidUtf8(""), npos);
  EXPECT_EQ(FindInvalidUtf8("plain ASCII text, longer than eight bytes"), npos);
  EXPECT_EQ(FindInvalidUtf8("\u00e9\u4e2d\U0001F600\U0010FFFF"), npos);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\x80"), 10u);
  EXPECT_EQ(FindInvalidUtf8("ab\xE4\xB8"), 2u);        // truncated at the end
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xE0\x80\x80"), 0u);      // overlong 3-byte
}

TEST(Utf8Test, ReplacesMaximalSubpartsLikeTextDecoder) {
  const std::string r = "\uFFFD";
  EXPECT_EQ(ReplaceInvalidUtf8("a\xE4\xB8"), "a" + r);
  EXPECT_EQ(ReplaceInvalidUtf8("a\xE4\xB8z"), "a" + r + "z");
  EXPECT_EQ(ReplaceInvalidUtf8("\xF0\x9F\x98 "), r + " ");
  EXPECT_EQ(ReplaceInvalidUtf8("\xC0\xAF"), r + r);
  EXPECT_EQ(ReplaceInvalidUtf8("\xED\xA0\x80"), r + r + r);
  EXPECT_EQ(ReplaceInvalidUtf8("\xE4\xE4\xB8\xAD"), r + "\u4e2d");
  EXPECT_EQ(ReplaceInvalidUtf8("\xF4\x90\x80\x80"), r + r + r + r);
  EXPECT_EQ(ReplaceInvalidUtf8("ok \u00e9"), "ok \u00e9");
}

TEST(Utf8Test, DecodesCodePoints) {
  int length = 0;
  EXPECT_EQ(DecodeUtf8(reinterpret_cast<const unsigned char*>("A"), length), U'A');
  EXPECT_EQ(length, 1);
  EXPECT_EQ(DecodeUtf8(reinterpret_cast<const unsigned char*>("\u00e9"), length), U'\u00e9');
  EXPECT_EQ(length, 2);
  EXPECT_EQ(DecodeUtf8(reinterpret_cast<const unsigned char*>("\u4e2d"), length), U'\u4e2d');
  EXPECT_EQ(length, 3);
  EXPECT_EQ(DecodeUtf8(reinterpret_cast<const unsigned char*>("\U0001F600"), length),
            U'\U0001F600');
  EXPECT_EQ(length, 4);
}

}  // namespace
}  // namespace gw::accounting::tokenizer

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "base/json/json_scan.h"

namespace gw::json {
namespace {

TEST(ObjectMembersTest, WalksNestedObjectsWithSpacesAndEscapes) {
  const std::string text =
      " { \"a\" : [1, {\"x\": \"}]\"}] ,\"b\\\"q\":\"v\\\\\",\"c\":{\"d\":{}} ,"
      "\"e\":-1.5e+2,\"f\":true,\"g\":false,\"h\":null,\"i\":\"\\\\\\\"\"}";
  ASSERT_FALSE(Validate(text).has_value());
  std::vector<Member> members = {Member{"stale", "1", ValueKind::kNumber}};
  ObjectMembers(text, members);
  ASSERT_EQ(members.size(), 8u);
  EXPECT_EQ(members[0].raw_key, "a");
  EXPECT_EQ(members[0].value, "[1, {\"x\": \"}]\"}]");
  EXPECT_EQ(members[0].kind, ValueKind::kArray);
  EXPECT_EQ(members[1].raw_key, "b\\\"q");
  EXPECT_EQ(members[1].value, "\"v\\\\\"");
  EXPECT_EQ(members[2].value, "{\"d\":{}}");
  EXPECT_EQ(members[2].kind, ValueKind::kObject);
  EXPECT_EQ(members[3].value, "-1.5e+2");
  EXPECT_EQ(members[3].kind, ValueKind::kNumber);
  EXPECT_EQ(members[4].kind, ValueKind::kTrue);
  EXPECT_EQ(members[5].kind, ValueKind::kFalse);
  EXPECT_EQ(members[6].kind, ValueKind::kNull);
  EXPECT_EQ(members[6].value, "null");
  EXPECT_EQ(members[7].value, "\"\\\\\\\"\"");
  EXPECT_EQ(members[7].kind, ValueKind::kString);
}

TEST(ObjectMembersTest, AgreesWithScanObject) {
  const std::string text =
      R"({"model":"m","messages":[{"role":"system","content":"x\\"},{"role":"user",)"
      R"("content":[{"type":"text","text":"\"q\""}]}],"tools":[{"type":"function"}],"n":1})";
  std::vector<Member> scanned, walked;
  ASSERT_FALSE(ScanObject(text, scanned).has_value());
  ObjectMembers(text, walked);
  ASSERT_EQ(scanned.size(), walked.size());
  for (size_t i = 0; i < scanned.size(); ++i) {
    EXPECT_EQ(scanned[i].raw_key, walked[i].raw_key);
    EXPECT_EQ(scanned[i].value, walked[i].value);
    EXPECT_EQ(scanned[i].kind, walked[i].kind);
  }
}

TEST(ObjectMembersTest, EmptyAndNonObjects) {
  std::vector<Member> members;
  ObjectMembers(" {  } ", members);
  EXPECT_TRUE(members.empty());
  ObjectMembers("[1]", members);
  EXPECT_TRUE(members.empty());
  ObjectMembers("", members);
  EXPECT_TRUE(members.empty());
  ObjectMembers("{\"a", members);  // not validated: stops without reading past the end
  EXPECT_TRUE(members.empty());
}

// The walkers trust their input, but even on garbage they must stay inside it (run under
// AddressSanitizer: each input is an exact-size heap copy) and terminate.
TEST(WalkersTest, StayInsideUnvalidatedInput) {
  const std::string seed =
      R"({"a":[1,{"b":"x\"}"}],"c":"\u00e9\\","d":{"e":[true,false,null,-1.5e3]}})";
  const char kAlphabet[] = "{}[]\",:\\u0123 tfn-";
  std::mt19937 rng(777);
  std::vector<Member> members;
  std::vector<Element> elements;
  for (int round = 0; round < 20000; ++round) {
    std::string text = seed;
    for (int e = 0; e < 3; ++e) {
      const size_t at = rng() % text.size();
      if (rng() % 2 == 0) {
        text[at] = kAlphabet[rng() % (sizeof kAlphabet - 1)];
      } else {
        text.resize(at + 1);
      }
    }
    for (const std::string& input : {text, "[" + text + "]"}) {
      const std::unique_ptr<char[]> exact(new char[input.size()]);
      std::copy(input.begin(), input.end(), exact.get());
      const std::string_view view(exact.get(), input.size());
      ObjectMembers(view, members);
      for (const Member& member : members) {
        EXPECT_GE(member.value.data(), view.data());
        EXPECT_LE(member.value.data() + member.value.size(), view.data() + view.size());
      }
      ArrayElements(view, elements);
      for (const Element& element : elements) {
        EXPECT_LE(element.value.data() + element.value.size(), view.data() + view.size());
        if (element.kind == ValueKind::kObject) ObjectMembers(element.value, members);
      }
    }
  }
}

TEST(ArrayElementsTest, WalksMixedElements) {
  const std::string text = "[ \"a,]\" , {\"k\":[1,2]},[[]] ,3.25, true,false ,null,\"\\\\\" ]";
  ASSERT_FALSE(Validate(text).has_value());
  std::vector<Element> elements;
  ArrayElements(text, elements);
  ASSERT_EQ(elements.size(), 8u);
  EXPECT_EQ(elements[0].value, "\"a,]\"");
  EXPECT_EQ(elements[0].kind, ValueKind::kString);
  EXPECT_EQ(elements[1].value, "{\"k\":[1,2]}");
  EXPECT_EQ(elements[2].value, "[[]]");
  EXPECT_EQ(elements[2].kind, ValueKind::kArray);
  EXPECT_EQ(elements[3].value, "3.25");
  EXPECT_EQ(elements[4].kind, ValueKind::kTrue);
  EXPECT_EQ(elements[5].kind, ValueKind::kFalse);
  EXPECT_EQ(elements[6].kind, ValueKind::kNull);
  EXPECT_EQ(elements[7].value, "\"\\\\\"");
  ArrayElements("[]", elements);
  EXPECT_TRUE(elements.empty());
  ArrayElements("{}", elements);
  EXPECT_TRUE(elements.empty());
}

TEST(KeyIsTest, ComparesUnescapedKeys) {
  EXPECT_TRUE(KeyIs("model", "model"));
  EXPECT_FALSE(KeyIs("model", "models"));
  EXPECT_FALSE(KeyIs("models", "model"));
  EXPECT_TRUE(KeyIs("mod\\u0065l", "model"));
  EXPECT_TRUE(KeyIs("\\u006d\\u006F\\u0064\\u0065\\u006c", "model"));
  EXPECT_FALSE(KeyIs("mod\\u0065l", "mode"));
  EXPECT_FALSE(KeyIs("mod\\u0065", "model"));
  EXPECT_TRUE(KeyIs("a\\\"b", "a\"b"));
  EXPECT_TRUE(KeyIs("\\u00e9", "\xC3\xA9"));
  EXPECT_TRUE(KeyIs("\\uD83D\\uDE00", "\xF0\x9F\x98\x80"));
  EXPECT_FALSE(KeyIs("\\uD83D\\uDE00", "\xF0\x9F\x98"));
  EXPECT_FALSE(KeyIs("\\x", "\\x"));
  EXPECT_TRUE(KeyIs("", ""));
}

TEST(UnescapeStringTest, DecodesEveryEscape) {
  EXPECT_EQ(UnescapeString("plain"), "plain");
  EXPECT_EQ(UnescapeString(""), "");
  EXPECT_EQ(UnescapeString(R"(\"\\\/\b\f\n\r\t)"), "\"\\/\b\f\n\r\t");
  EXPECT_EQ(UnescapeString(R"(\u0041\u00e9\u4E2D\uD83D\uDE00\u0000)"),
            std::string("A\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\0", 11));
  EXPECT_EQ(UnescapeString("raw \xC3\xA9 kept"), "raw \xC3\xA9 kept");
  EXPECT_EQ(UnescapeString(R"(\u007f\u0080\u07FF\u0800\uFFFF\uDBFF\uDFFF)"),
            "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF");
  EXPECT_FALSE(UnescapeString(R"(\x)").has_value());
  EXPECT_FALSE(UnescapeString(R"(\)").has_value());
  EXPECT_FALSE(UnescapeString(R"(\u12)").has_value());
  EXPECT_FALSE(UnescapeString(R"(\u12g4)").has_value());
  EXPECT_FALSE(UnescapeString(R"(\uD800)").has_value());
  EXPECT_FALSE(UnescapeString(R"(\uDC00)").has_value());
  EXPECT_FALSE(UnescapeString(R"(\uD800\u0041)").has_value());
}

TEST(UnescapedSizeTest, MatchesUnescapeString) {
  for (const char* raw : {"", "abc", R"(\n\t\"\\)", R"(a\u00e9b\u4e2d\uD83D\uDE00)",
                          "\xC3\xA9\\u0041", R"(\u007f\u0080\u07ff\u0800)"}) {
    EXPECT_EQ(UnescapedSize(raw), UnescapeString(raw)->size()) << raw;
  }
}

TEST(StringContentsTest, StripsQuotes) {
  EXPECT_EQ(StringContents("\"abc\""), "abc");
  EXPECT_EQ(StringContents("\"\""), "");
  EXPECT_EQ(StringContents("\"a\\\"\""), "a\\\"");
  EXPECT_EQ(StringContents(""), "");
}

TEST(FindMemberTest, FindsByUnescapedName) {
  std::vector<Member> members;
  ASSERT_FALSE(ScanObject(R"({"a":1,"str\u0065am":true,"b":null})", members).has_value());
  const Member* stream = FindMember(members, "stream");
  ASSERT_NE(stream, nullptr);
  EXPECT_EQ(stream->value, "true");
  EXPECT_EQ(FindMember(members, "b")->kind, ValueKind::kNull);
  EXPECT_EQ(FindMember(members, "c"), nullptr);
}

}  // namespace
}  // namespace gw::json

#include "base/json/json_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace gw::json {
namespace {

struct BadCase {
  std::string text;
  size_t offset;
  std::string message;  // a substring of the expected message
  bool invalid_utf8;
};

void ExpectRejected(const BadCase& bad) {
  SCOPED_TRACE(testing::Message() << "input: " << testing::PrintToString(bad.text));
  const std::optional<ScanError> error = Validate(bad.text);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->offset, bad.offset);
  EXPECT_NE(error->message.find(bad.message), std::string::npos) << error->message;
  EXPECT_EQ(error->invalid_utf8, bad.invalid_utf8);
}

TEST(ValidateTest, AcceptsEveryValueKindAtTopLevel) {
  for (const char* text :
       {"{}", "[]", "\"\"", "0", "-0", "1.5e+3", "true", "false", "null", " \t\r\n{ } \n",
        R"({"a":[1,{"b":null},"x\"y\\z\/\b\f\n\r\t\u00e9\uD83D\uDE00"],"c":-12.5E-3})", "[1,2,3]",
        "123456789012345678901234567890", "0.0e0", "\"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\"",
        "\"\xEF\xBF\xBF\xF4\x8F\xBF\xBF\xED\x9F\xBF\xEE\x80\x80\""}) {
    EXPECT_FALSE(Validate(text).has_value()) << text << ": " << Validate(text)->message;
  }
}

TEST(ValidateTest, RejectsStructuralErrors) {
  const std::vector<BadCase> cases = {
      {"", 0, "unexpected end of input", false},
      {"   ", 3, "unexpected end of input", false},
      {"{", 1, "unexpected end of input", false},
      {"{\"a\"", 4, "unexpected end of input", false},
      {"{\"a\":", 5, "unexpected end of input", false},
      {"{\"a\":1", 6, "unexpected end of input", false},
      {"[1", 2, "unexpected end of input", false},
      {"{\"a\" 1}", 5, "expected ':' after object key", false},
      {"{\"a\":1 \"b\":2}", 7, "expected ',' or '}' after object member", false},
      {"{\"a\":1,}", 7, "expected a string key", false},
      {"{a:1}", 1, "expected a string key", false},
      {"{'a':1}", 1, "unexpected character '''", false},
      {"[1 2]", 3, "expected ',' or ']' after array element", false},
      {"[1,]", 3, "expected a value", false},
      {"[,1]", 1, "expected a value", false},
      {"{} x", 3, "unexpected data after the JSON value", false},
      {"{}{}", 2, "unexpected data after the JSON value", false},
      {"[1]]", 3, "unexpected data after the JSON value", false},
      {"tru", 0, "invalid literal", false},
      {"nul", 0, "invalid literal", false},
      {"True", 0, "expected a value", false},
      {"[nulL]", 1, "invalid literal", false},
      {"truex", 4, "unexpected data after the JSON value", false},
      {"\xEF\xBB\xBF{}", 0, "unexpected byte 0xEF", false},
  };
  for (const BadCase& bad : cases) ExpectRejected(bad);
}

TEST(ValidateTest, RejectsBadNumbers) {
  const std::vector<BadCase> cases = {
      {"01", 1, "leading zero", false},
      {"-01", 2, "leading zero", false},
      {"1.", 2, "expected a digit after '.'", false},
      {"1.e5", 2, "expected a digit after '.'", false},
      {"-", 1, "expected a digit", false},
      {"-a", 1, "expected a digit", false},
      {"1e", 2, "expected a digit in the exponent", false},
      {"1e+", 3, "expected a digit in the exponent", false},
      {"1E-x", 3, "expected a digit in the exponent", false},
      {".5", 0, "expected a value", false},
      {"+1", 0, "expected a value", false},
      {"[1.5.2]", 4, "expected ',' or ']'", false},
      {"0x10", 1, "unexpected data after the JSON value", false},
      {"NaN", 0, "expected a value", false},
      {"[Infinity]", 1, "expected a value", false},
  };
  for (const BadCase& bad : cases) ExpectRejected(bad);
}

TEST(ValidateTest, RejectsBadStringsAndEscapes) {
  const std::vector<BadCase> cases = {
      {"\"abc", 0, "unterminated string", false},
      {"\"abc\\", 4, "unterminated string", false},
      {"\"a\\x\"", 2, "invalid escape sequence", false},
      {"\"a\\'\"", 2, "invalid escape sequence", false},
      {"\"\\u12\"", 1, "expected 4 hex digits", false},
      {"\"\\u12", 1, "unterminated string", false},
      {"\"\\u12G4\"", 1, "expected 4 hex digits", false},
      {"\"\\uDC00\"", 1, "unpaired surrogate", false},
      {"\"\\uD800\"", 1, "unpaired surrogate", false},
      {"\"\\uD800x\"", 1, "unpaired surrogate", false},
      {"\"\\uD800\\n\"", 1, "unpaired surrogate", false},
      {"\"\\uD800\\uD800\"", 1, "unpaired surrogate", false},
      {"\"\\uD800\\u0041\"", 1, "unpaired surrogate", false},
      {"\"\\uD800\\uZZZZ\"", 7, "expected 4 hex digits", false},
      {"\"tab\there\"", 4, "control character in string", false},
      {"\"nl\nhere\"", 3, "control character in string", false},
      {std::string("\"nul\0x\"", 7), 4, "control character in string", false},
      {"\"\x1F\"", 1, "control character in string", false},
  };
  for (const BadCase& bad : cases) ExpectRejected(bad);
  EXPECT_FALSE(Validate("\"\x7F\"").has_value());  // DEL is not a control character in JSON
}

TEST(ValidateTest, RejectsEachClassOfInvalidUtf8) {
  const std::vector<BadCase> cases = {
      {"\"\x80\"", 1, "invalid UTF-8 in string", true},              // lone continuation
      {"\"ab\xBF\"", 3, "invalid UTF-8 in string", true},            // lone continuation
      {"\"\xC0\xAF\"", 1, "invalid UTF-8 in string", true},          // overlong 2-byte '/'
      {"\"\xC1\xBF\"", 1, "invalid UTF-8 in string", true},          // overlong 2-byte
      {"\"\xE0\x80\xAF\"", 1, "invalid UTF-8 in string", true},      // overlong 3-byte
      {"\"\xE0\x9F\xBF\"", 1, "invalid UTF-8 in string", true},      // overlong 3-byte (U+07FF)
      {"\"\xF0\x80\x80\xAF\"", 1, "invalid UTF-8 in string", true},  // overlong 4-byte
      {"\"\xF0\x8F\xBF\xBF\"", 1, "invalid UTF-8 in string", true},  // overlong 4-byte (U+FFFF)
      {"\"\xED\xA0\x80\"", 1, "invalid UTF-8 in string", true},      // UTF-8 encoded U+D800
      {"\"\xED\xBF\xBF\"", 1, "invalid UTF-8 in string", true},      // UTF-8 encoded U+DFFF
      {"\"\xF4\x90\x80\x80\"", 1, "invalid UTF-8 in string", true},  // U+110000
      {"\"\xF5\x80\x80\x80\"", 1, "invalid UTF-8 in string", true},  // lead byte F5
      {"\"\xFF\"", 1, "invalid UTF-8 in string", true},
      {"\"\xFE\"", 1, "invalid UTF-8 in string", true},
      {"\"\xC3\"", 1, "invalid UTF-8 in string", true},          // truncated by the quote
      {"\"\xE4\xB8\"", 1, "invalid UTF-8 in string", true},      // truncated
      {"\"\xF0\x9F\x98\"", 1, "invalid UTF-8 in string", true},  // truncated
      {"\"\xC3", 1, "invalid UTF-8 in string", true},            // truncated by end of input
      {"\"\xF0\x9F\x98", 1, "invalid UTF-8 in string", true},    // truncated by end of input
      {"\"ok \xC3\xA9 then \xE4\x41\x41\"", 12, "invalid UTF-8 in string", true},
      {"\"\xC3\xA9\xC3\xA9\xC3\"", 5, "invalid UTF-8 in string", true},  // inside a run
      {"[\x80]", 1, "unexpected byte 0x80", true},                       // outside any string
      {"{\"a\":1}\xC3", 7, "unexpected data", true},
  };
  for (const BadCase& bad : cases) ExpectRejected(bad);
}

TEST(ValidateTest, FindsProblemsPastTheFastPath) {
  // Long ASCII runs go through the 16-byte SWAR loop: specials at every alignment must be seen.
  for (size_t pad = 0; pad < 40; ++pad) {
    const std::string run(pad, 'a');
    EXPECT_FALSE(Validate("\"" + run + "\"").has_value()) << pad;
    EXPECT_FALSE(Validate("\"" + run + "\\n" + run + "\"").has_value()) << pad;
    ExpectRejected({"\"" + run + "\x01" + run + "\"", pad + 1, "control character", false});
    ExpectRejected({"\"" + run + "\xC3(" + run + "\"", pad + 1, "invalid UTF-8", true});
    ExpectRejected({"\"" + run, 0, "unterminated string", false});
    EXPECT_FALSE(Validate("\"" + run + "\xE2\x82\xAC" + run + "\"").has_value()) << pad;
  }
}

TEST(ValidateTest, NestingDepthIsLimitedTo128) {
  const auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_FALSE(Validate(nested(128)).has_value());
  const std::optional<ScanError> error = Validate(nested(129));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->offset, 128u);
  EXPECT_NE(error->message.find("nesting"), std::string::npos);

  std::string objects;
  for (int i = 0; i < 129; ++i) objects += "{\"a\":";
  objects += '1';
  objects.append(129, '}');  // (not "1" + std::string: GCC 12 -O3 warns falsely, -Wrestrict)
  ASSERT_TRUE(Validate(objects).has_value());
  EXPECT_EQ(Validate(objects)->offset, 128u * 5);

  std::vector<Member> members;
  EXPECT_FALSE(ScanObject("{\"a\":" + nested(127) + "}", members).has_value());
  EXPECT_TRUE(ScanObject("{\"a\":" + nested(128) + "}", members).has_value());
}

TEST(ScanObjectTest, ReturnsTopLevelMembersInOrder) {
  const std::string text =
      R"( {"model" : "gpt-4o", "messages":[{"role":"user","content":"hi"}], "n":2,)"
      R"( "stream":true,"stop":null,"x":false,"o":{"k":[]}, "s":"a\"b"} )";
  std::vector<Member> members = {Member{"stale", "1", ValueKind::kNumber}};
  ASSERT_FALSE(ScanObject(text, members).has_value());
  ASSERT_EQ(members.size(), 8u);
  EXPECT_EQ(members[0].raw_key, "model");
  EXPECT_EQ(members[0].value, "\"gpt-4o\"");
  EXPECT_EQ(members[0].kind, ValueKind::kString);
  EXPECT_EQ(members[1].value, R"([{"role":"user","content":"hi"}])");
  EXPECT_EQ(members[1].kind, ValueKind::kArray);
  EXPECT_EQ(members[2].value, "2");
  EXPECT_EQ(members[2].kind, ValueKind::kNumber);
  EXPECT_EQ(members[3].kind, ValueKind::kTrue);
  EXPECT_EQ(members[4].kind, ValueKind::kNull);
  EXPECT_EQ(members[5].kind, ValueKind::kFalse);
  EXPECT_EQ(members[6].value, R"({"k":[]})");
  EXPECT_EQ(members[6].kind, ValueKind::kObject);
  EXPECT_EQ(members[7].value, R"("a\"b")");
  // Views point into the caller's text.
  EXPECT_GE(members[0].value.data(), text.data());
  EXPECT_LE(members[7].value.data() + members[7].value.size(), text.data() + text.size());
}

TEST(ScanObjectTest, RequiresAnObjectAtTopLevel) {
  std::vector<Member> members;
  for (const char* text : {"[]", "\"x\"", "1", "null", "  true"}) {
    const std::optional<ScanError> error = ScanObject(text, members);
    ASSERT_TRUE(error.has_value()) << text;
    EXPECT_EQ(error->message, "top-level value is not an object");
  }
  EXPECT_FALSE(ScanObject("{}", members).has_value());
  EXPECT_TRUE(members.empty());
}

TEST(ScanObjectTest, RejectsDuplicateTopLevelKeys) {
  std::vector<Member> members;
  std::optional<ScanError> error = ScanObject(R"({"model":"a","n":1,"model":"b"})", members);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "duplicate key \"model\"");
  EXPECT_EQ(error->offset, 19u);
  // Keys are compared after unescaping.
  error = ScanObject(R"({"model":"a","mod\u0065l":"b"})", members);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "duplicate key \"mod\\u0065l\"");
  EXPECT_TRUE(ScanObject(R"({"\u00e9":1,"\u00E9":2})", members).has_value());
  EXPECT_TRUE(ScanObject("{\"\\u00e9\":1,\"\xC3\xA9\":2}", members).has_value());
  // Nested duplicates are not the scanner's business.
  EXPECT_FALSE(ScanObject(R"({"a":{"x":1,"x":2}})", members).has_value());
  EXPECT_FALSE(ScanObject(R"({"a":1,"A":2,"a ":3})", members).has_value());
}

TEST(ScanObjectTest, FindsDuplicatesAmongManyKeys) {
  std::string text = "{";
  for (int i = 0; i < 1000; ++i)
    text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  std::vector<Member> members;
  ASSERT_FALSE(ScanObject(text + "\"last\":0}", members).has_value());
  EXPECT_EQ(members.size(), 1001u);
  const std::optional<ScanError> error = ScanObject(text + "\"k\\u0037\":0}", members);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "duplicate key \"k\\u0037\"");
  EXPECT_EQ(error->offset, text.size());
  EXPECT_TRUE(ScanObject(text + "\"k999\":0}", members).has_value());
}

TEST(ScanObjectTest, ShortensLongDuplicateKeysInTheMessage) {
  const std::string key = std::string(63, 'a') + "\xC3\xA9" + std::string(100, 'b');
  std::vector<Member> members;
  const std::optional<ScanError> error =
      ScanObject("{\"" + key + "\":1,\"" + key + "\":2}", members);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message, "duplicate key \"" + std::string(63, 'a') + "...\"");
}

// Random byte mutations of valid documents: the verdict must match nlohmann's strict parser,
// which implements the same RFC 8259 + UTF-8 rules (the documents are shallow and have no
// duplicate keys, the only places where the two differ).
TEST(ValidateTest, AgreesWithNlohmannOnMutatedDocuments) {
  const std::vector<std::string> seeds = {
      R"({"model":"gpt-4o","messages":[{"role":"user","content":"h\u00e9llo \"x\" \\"}],"n":-1.5e3})",
      "[\"\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\",true,false,null,0,{\"a\":[]}]",
      R"({"s":"\uD83D\uDE00 plain text that is long enough for the fast path","t":[1,2,3]})",
  };
  const char kAlphabet[] =
      "{}[]\",:\\u0123456789eE+-.tfnrl aD8\x80\xBF\xC3\xE4\xED\xF0\xF4\xFF\x01";
  std::mt19937 rng(12345);
  int checked = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % (text.size() + 1);
      const char c = kAlphabet[rng() % (sizeof kAlphabet - 1)];
      switch (rng() % 3) {
        case 0:
          text.insert(at, 1, c);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = c;
      }
    }
    // An exact-size heap copy, so that AddressSanitizer catches any read past the end.
    const std::unique_ptr<char[]> exact(new char[text.size()]);
    std::copy(text.begin(), text.end(), exact.get());
    const bool ours = !Validate(std::string_view(exact.get(), text.size())).has_value();
    const bool theirs = nlohmann::json::accept(text);
    ASSERT_EQ(ours, theirs) << testing::PrintToString(text);
    ++checked;
  }
  EXPECT_EQ(checked, 20000);
}

}  // namespace
}  // namespace gw::json

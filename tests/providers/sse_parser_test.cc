#include "providers/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gw::providers {
namespace {

// Feeds `chunks` in order and returns the payloads, or {"<failed>"} if a Feed failed.
std::vector<std::string> Parse(const std::vector<std::string>& chunks, SseParser& parser) {
  std::vector<std::string> payloads;
  for (const std::string& chunk : chunks) {
    if (!parser.Feed(chunk, [&](std::string_view data) { payloads.emplace_back(data); })) {
      return {"<failed>"};
    }
  }
  return payloads;
}

std::vector<std::string> Parse(const std::string& stream) {
  SseParser parser;
  return Parse(std::vector<std::string>{stream}, parser);
}

TEST(SseParserTest, DeliversDataOfEachEvent) {
  EXPECT_EQ(Parse("data: {\"a\":1}\n\ndata: [DONE]\n\n"),
            (std::vector<std::string>{"{\"a\":1}", "[DONE]"}));
}

TEST(SseParserTest, HandlesEveryLineEnding) {
  const std::vector<std::string> expected = {"one", "two", "three"};
  EXPECT_EQ(Parse("data: one\r\n\r\ndata: two\r\n\r\ndata: three\r\n\r\n"), expected);
  EXPECT_EQ(Parse("data: one\r\rdata: two\r\rdata: three\r\r"), expected);
  EXPECT_EQ(Parse("data: one\n\rdata: two\r\n\ndata: three\r\r\n"), expected);
}

TEST(SseParserTest, IgnoresCommentsAndOtherFields) {
  EXPECT_EQ(Parse(": PROCESSING\n\n: PROCESSING\n\nevent: message\nid: 7\nretry: 100\n"
                  "data: x\nunknown: y\n\n"),
            (std::vector<std::string>{"x"}));
  // An event without data lines dispatches nothing.
  EXPECT_EQ(Parse("event: ping\n\nid: 3\n\n\n\n"), std::vector<std::string>{});
}

// Joined with a space: a payload is relayed on one `data:` line, so it must hold no line break
// (a JSON event split over data lines, one of them blank, would otherwise end early).
TEST(SseParserTest, JoinsDataLinesWithASpaceAndStripsOneSpace) {
  EXPECT_EQ(Parse("data: a\ndata:b\ndata:  c\n\n"), (std::vector<std::string>{"a b  c"}));
  EXPECT_EQ(Parse("data\n\n"), (std::vector<std::string>{""}));
  EXPECT_EQ(Parse("data:\ndata\n\n"), (std::vector<std::string>{" "}));
  EXPECT_EQ(Parse("data: {\"a\":[\ndata:\ndata: ]}\n\n"),
            (std::vector<std::string>{"{\"a\":[  ]}"}));
  EXPECT_EQ(Parse("data: a:b: c\n\n"), (std::vector<std::string>{"a:b: c"}));
  EXPECT_EQ(Parse("datax: no\ndata : no\n\n"), std::vector<std::string>{});
}

TEST(SseParserTest, WithholdsAnEventUntilItsBlankLine) {
  SseParser parser;
  EXPECT_EQ(Parse({"data: partial\n"}, parser), std::vector<std::string>{});
  EXPECT_EQ(parser.buffered(), 7u);
  EXPECT_EQ(Parse({"data: more"}, parser), std::vector<std::string>{});
  EXPECT_EQ(parser.buffered(), 17u);
  EXPECT_EQ(Parse({"\n\n"}, parser), (std::vector<std::string>{"partial more"}));
  EXPECT_EQ(parser.buffered(), 0u);
}

TEST(SseParserTest, FinishDeliversAnUnterminatedLastEvent) {
  SseParser parser;
  EXPECT_EQ(Parse({"data: 1\n\ndata: [DONE]"}, parser), (std::vector<std::string>{"1"}));
  std::vector<std::string> rest;
  EXPECT_TRUE(parser.Finish([&](std::string_view data) { rest.emplace_back(data); }));
  EXPECT_EQ(rest, (std::vector<std::string>{"[DONE]"}));
  EXPECT_EQ(parser.buffered(), 0u);
  EXPECT_TRUE(parser.Finish([&](std::string_view data) { rest.emplace_back(data); }));
  EXPECT_EQ(rest.size(), 1u);
}

// The same stream split at every byte position (and into single bytes) yields the same events.
TEST(SseParserTest, FragmentedAtEveryBytePosition) {
  const std::string stream =
      ": PROCESSING\r\n\r\ndata: {\"x\":\"\xC3\xA9\"}\r\n\r\nevent: e\ndata: a\rdata: b\r\r"
      "data: long line with spaces\n\ndata: [DONE]\r\n\r\n";
  const std::vector<std::string> expected = {"{\"x\":\"\xC3\xA9\"}", "a b", "long line with spaces",
                                             "[DONE]"};
  ASSERT_EQ(Parse(stream), expected);
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    for (size_t cut2 = cut; cut2 <= stream.size(); cut2 += 7) {
      SseParser parser;
      EXPECT_EQ(Parse({stream.substr(0, cut), stream.substr(cut, cut2 - cut), stream.substr(cut2)},
                      parser),
                expected)
          << "cuts at " << cut << " and " << cut2;
    }
  }
  SseParser bytewise;
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  EXPECT_EQ(Parse(bytes, bytewise), expected);
}

TEST(SseParserTest, FailsWhenAnEventExceedsTheCap) {
  SseParser parser(16);
  EXPECT_EQ(Parse({"data: 0123456789abcdef\n\n"}, parser),
            (std::vector<std::string>{"0123456789abcdef"}));
  EXPECT_EQ(Parse({"data: 0123456789abcdefg\n\n"}, parser), std::vector<std::string>{"<failed>"});
  EXPECT_EQ(Parse({"data: ok\n\n"}, parser), std::vector<std::string>{"<failed>"});  // stays failed

  SseParser joined(16);
  EXPECT_EQ(Parse({"data: 01234567\ndata: 89abcdef\n\n"}, joined),
            std::vector<std::string>{"<failed>"});  // 17 bytes with the joining '\n'

  SseParser partial(16);
  EXPECT_EQ(Parse({"data: 0123", "456789", "abcdef", "ghijk"}, partial),
            std::vector<std::string>{"<failed>"});  // a line that never ends

  SseParser comments(16);
  EXPECT_EQ(Parse({": a comment longer than sixteen bytes\n\ndata: x\n\n"}, comments),
            std::vector<std::string>{"x"});  // complete comment lines are not buffered
}

}  // namespace
}  // namespace gw::providers

#include "gateway/simulator/sim_command_line.h"

#include <gtest/gtest.h>

#include <vector>

namespace gw::simulator {
namespace {

std::string Parse(std::vector<const char*> args, CommandLine* out) {
  args.insert(args.begin(), "gateway-sim");
  return ParseCommandLine(static_cast<int>(args.size()), args.data(), out);
}

TEST(SimCommandLineTest, DefaultsWithoutFlags) {
  CommandLine line;
  ASSERT_EQ(Parse({}, &line), "");
  EXPECT_EQ(line.listen.host, "127.0.0.1");
  EXPECT_EQ(line.listen.port, 9101);
  EXPECT_EQ(line.workers, 1u);
  EXPECT_FALSE(line.access_log);
  EXPECT_FALSE(line.record_requests);
  EXPECT_TRUE(line.models.empty());
}

TEST(SimCommandLineTest, ParsesEveryFlagInBothForms) {
  CommandLine line;
  ASSERT_EQ(Parse({"--listen",
                   "0.0.0.0:0",
                   "--workers=4",
                   "--ttft-ms",
                   "20",
                   "--tokens-per-second=100",
                   "--chunk-interval-ms",
                   "3",
                   "--tokens",
                   "5",
                   "--error-rate",
                   "0.5",
                   "--status",
                   "503",
                   "--malformed=0.1",
                   "--disconnect-after",
                   "2",
                   "--usage",
                   "false",
                   "--cached-tokens",
                   "4",
                   "--reasoning-tokens",
                   "6",
                   "--seed",
                   "9",
                   "--models",
                   "a,b/c",
                   "--access-log",
                   "--record-requests"},
                  &line),
            "");
  EXPECT_EQ(line.listen.host, "0.0.0.0");
  EXPECT_EQ(line.listen.port, 0);
  EXPECT_EQ(line.workers, 4u);
  EXPECT_EQ(line.defaults.ttft_ms, 20u);
  EXPECT_DOUBLE_EQ(line.defaults.tokens_per_second, 100);
  EXPECT_EQ(line.defaults.chunk_interval_ms, 3u);
  EXPECT_EQ(line.defaults.tokens, 5u);
  EXPECT_DOUBLE_EQ(line.defaults.error_rate, 0.5);
  EXPECT_EQ(line.defaults.status, 503u);
  EXPECT_DOUBLE_EQ(line.defaults.malformed, 0.1);
  EXPECT_EQ(line.defaults.disconnect_after, 2);
  EXPECT_FALSE(line.defaults.usage);
  EXPECT_EQ(line.defaults.cached_tokens, 4u);
  EXPECT_EQ(line.defaults.reasoning_tokens, 6u);
  EXPECT_EQ(line.defaults.seed, 9u);
  EXPECT_EQ(line.models, (std::vector<std::string>{"a", "b/c"}));
  EXPECT_TRUE(line.access_log);
  EXPECT_TRUE(line.record_requests);
}

TEST(SimCommandLineTest, HelpAndVersion) {
  CommandLine line;
  ASSERT_EQ(Parse({"--help"}, &line), "");
  EXPECT_TRUE(line.help);
  ASSERT_EQ(Parse({"--version"}, &line), "");
  EXPECT_TRUE(line.version);
  EXPECT_NE(Usage().find("--disconnect-after"), std::string::npos);
}

TEST(SimCommandLineTest, RejectsBadFlagsWithAClearMessage) {
  CommandLine line;
  EXPECT_EQ(Parse({"--bogus", "1"}, &line), "unknown flag --bogus (see --help)");
  EXPECT_EQ(Parse({"--bogus"}, &line), "unknown flag --bogus (see --help)");
  EXPECT_EQ(Parse({"--help=x"}, &line), "unknown flag --help (see --help)");
  EXPECT_EQ(Parse({"--tokens"}, &line), "--tokens needs a value (see --help)");
  EXPECT_EQ(Parse({"--status", "99"}, &line),
            "--status: option status: expected an HTTP status from 400 to 599, got \"99\"");
  EXPECT_EQ(Parse({"--listen", "localhost"}, &line).rfind("--listen: ", 0), 0u);
  EXPECT_EQ(Parse({"--listen", "1.2.3.4:99999"}, &line),
            "--listen: port must be a number from 0 to 65535");
  EXPECT_EQ(Parse({"--workers", "x"}, &line),
            "--workers: expected an integer from 0 (one per core) to 1024");
  EXPECT_EQ(Parse({"--models", "a,,b"}, &line), "--models: empty model name in the list");
  EXPECT_EQ(Parse({"stray"}, &line), "unexpected argument \"stray\" (see --help)");
}

TEST(SimCommandLineTest, BooleanFlagsMayOmitTheirValue) {
  CommandLine line;
  ASSERT_EQ(Parse({"--tool-call", "--thinking-tokens", "5", "--early-head"}, &line), "");
  EXPECT_TRUE(line.defaults.tool_call);
  EXPECT_TRUE(line.defaults.early_head);
  EXPECT_EQ(line.defaults.thinking_tokens, 5u);
  CommandLine explicit_false;
  ASSERT_EQ(Parse({"--tool-call", "false", "--stream-error-after=3"}, &explicit_false), "");
  EXPECT_FALSE(explicit_false.defaults.tool_call);
  EXPECT_EQ(explicit_false.defaults.stream_error_after, 3);
}

}  // namespace
}  // namespace gw::simulator

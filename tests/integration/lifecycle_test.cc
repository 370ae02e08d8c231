// Process lifecycle: graceful shutdown (readiness while draining), TLS termination, and the
// command line.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "accounting/ledger/usage_reports.h"
#include "tests/integration/cluster.h"
#include "tests/integration/wait_until.h"

namespace gw::testing {
namespace {

class LifecycleTest : public Cluster {};

std::string StreamRequest(const std::string& model) {
  const std::string body = ChatBody(model, true);
  return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST_F(LifecycleTest, SigtermLetsTheInFlightStreamFinishThenExitsZero) {
  const int sim = StartSimulator();
  const int port = StartGateway(
      GatewayYaml({{"sim", sim, ""}}, {{"it/long", {{"sim", "sim-model?chunk_interval_ms=30"}}}}));
  RawConnection client(port);
  client.Send(StreamRequest("it/long"));
  client.ReadUntil("data: ");  // the stream is under way
  gateway().Signal(SIGTERM);
  const std::string rest = client.ReadUntilClose();
  EXPECT_NE(rest.find("data: [DONE]"), std::string::npos) << rest;
  EXPECT_NE(rest.find("\r\n0\r\n\r\n"), std::string::npos);  // the chunked body ended properly
  EXPECT_EQ(gateway().WaitForExit(), 0);
  EXPECT_TRUE(gateway().WaitForLine(
      [](const std::string& l) { return l.find("\"event\":\"stopped\"") != std::string::npos; }));
}

// Whether a TCP connection to 127.0.0.1:`port` is accepted (false: refused, nothing listens).
bool AcceptsConnections(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

// README: GET /ready answers 503 while shutting down. Once SIGTERM arrives the gateway closes its
// listeners (a new connection is refused) and ends idle keep-alive connections, so the 503 is
// what a probe gets whose request had started to arrive when the drain began. The probe here
// sends its head with `Expect: 100-continue` and a one-byte body: the "100 Continue" proves the
// gateway read the head (the connection is busy, so the drain keeps it), and the body byte,
// sent once new connections are refused (the drain has begun), lets the gateway answer.
TEST_F(LifecycleTest, ReadyAnswers503WhileDrainingAfterSigterm) {
  const int sim = StartSimulator();
  const int port = StartGateway(GatewayYaml(
      {{"sim", sim, ""}}, {{"it/long", {{"sim", "sim-model?chunk_interval_ms=30&tokens=100"}}}},
      "  timeouts: { shutdown_grace_ms: 60000 }\n"));
  RawConnection stream(port);  // in flight during the whole drain
  stream.Send(StreamRequest("it/long"));
  stream.ReadUntil("data: ");

  RawConnection before(port);
  before.Send("GET /ready HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(before.ReadUntil("\r\n\r\n").find("HTTP/1.1 200"), std::string::npos);

  RawConnection probe(port);
  probe.Send("GET /ready HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: 100-continue\r\n\r\n");
  ASSERT_NE(probe.ReadUntil("100 Continue\r\n\r\n").find("100 Continue"), std::string::npos);

  gateway().Signal(SIGTERM);
  ASSERT_TRUE(WaitUntil([port] { return !AcceptsConnections(port); }))
      << "the listeners stayed open after SIGTERM";
  EXPECT_TRUE(before.PeerClosed()) << "an idle keep-alive connection outlived the drain's start";

  probe.Send("x");
  const std::string answer = probe.ReadUntilClose();
  EXPECT_NE(answer.find("HTTP/1.1 503"), std::string::npos) << answer;
  EXPECT_NE(answer.find("shutting down"), std::string::npos) << answer;

  // The stream in flight was not cut: it ends properly, then the gateway exits cleanly.
  const std::string rest = stream.ReadUntilClose();
  EXPECT_NE(rest.find("data: [DONE]"), std::string::npos) << rest;
  EXPECT_NE(rest.find("\r\n0\r\n\r\n"), std::string::npos);
  EXPECT_EQ(gateway().WaitForExit(), 0);
}

TEST_F(LifecycleTest, ShutdownGraceBoundsARequestThatWouldNotEnd) {
  const int sim = StartSimulator();
  const int port = StartGateway(
      GatewayYaml({{"sim", sim, ""}}, {{"it/stuck", {{"sim", "sim-model?ttft_ms=60000"}}}},
                  "  stream_keepalive_ms: 20\n  timeouts: { shutdown_grace_ms: 100 }\n"));
  RawConnection client(port);
  client.Send(StreamRequest("it/stuck"));
  client.ReadUntil(": PROCESSING");
  gateway().Signal(SIGTERM);
  EXPECT_TRUE(client.PeerClosed());
  EXPECT_EQ(gateway().WaitForExit(), 0);
}

// The generation id in a raw answer's X-Generation-Id header ("" if none).
std::string GenerationIdOf(const std::string& answer) {
  const std::string name = "X-Generation-Id: ";
  const size_t at = answer.find(name);
  if (at == std::string::npos) return "";
  const size_t start = at + name.size();
  return answer.substr(start, answer.find("\r\n", start) - start);
}

// A stream cut by the end of the grace period is billed for what reached the client, as a
// stream the client hangs up on is: the tokens relayed, priced.
TEST_F(LifecycleTest, AStreamCutByTheGracePeriodIsBilledForWhatTheClientGot) {
  const int sim = StartSimulator();
  const int port = StartGateway(
      GatewayYaml({{"sim", sim, ""}},
                  {{"it/endless", {{"sim", "sim-model?chunk_interval_ms=20&tokens=100000"}}}},
                  "  timeouts: { shutdown_grace_ms: 100 }\n"));
  RawConnection client(port);
  client.Send(StreamRequest("it/endless"));
  const std::string head = client.ReadUntil("\"content\"");  // content went out
  const std::string id = GenerationIdOf(head);
  ASSERT_FALSE(id.empty()) << head;
  gateway().Signal(SIGTERM);
  const std::string rest = client.ReadUntilClose();
  EXPECT_EQ(rest.find("data: [DONE]"), std::string::npos) << "the stream was not cut: " << rest;
  EXPECT_EQ(gateway().WaitForExit(), 0);

  const auto reader = accounting::LedgerReader::Open(ledger_path());
  const std::optional<accounting::GenerationRecord> record = reader->FindGeneration(id);
  ASSERT_TRUE(record.has_value()) << id;
  EXPECT_GT(record->native.completion, 0);
  EXPECT_GT(record->cost.total, 0);
  EXPECT_TRUE(record->estimated);
  EXPECT_EQ(record->http_status, 200);
  EXPECT_TRUE(record->cancelled);
  EXPECT_NE(record->finish_reason, "error");
}

// A non-stream request still waiting for its provider when the grace period ends: the record
// says what the client got (a 503 naming the shutdown, then the close), not an upstream error.
TEST_F(LifecycleTest, ARequestCancelledAtShutdownIsAnsweredAndRecordedAs503) {
  const int sim = StartSimulator();
  const int port = StartGateway(GatewayYaml({{"sim", sim, ""}},
                                            {{"it/stuck", {{"sim", "sim-model?ttft_ms=60000"}}}},
                                            "  timeouts: { shutdown_grace_ms: 100 }\n"));
  RawConnection client(port);
  const std::string body = ChatBody("it/stuck");
  client.Send(
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  client.ReadUntil("100 Continue");
  client.Send(body);
  // The request is with the provider once the simulator saw it.
  ASSERT_TRUE(WaitUntil([&] { return !LastUpstreamRequest(sim).is_null(); }));
  gateway().Signal(SIGTERM);
  std::string answer = client.ReadUntilClose();
  answer.erase(0, answer.find("\r\n\r\n") + 4);  // the 100 Continue
  EXPECT_EQ(answer.rfind("HTTP/1.1 503 ", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\nConnection: close\r\n"), std::string::npos) << answer;
  EXPECT_NE(answer.find("shutting down"), std::string::npos) << answer;
  const std::string id = GenerationIdOf(answer);
  EXPECT_EQ(gateway().WaitForExit(), 0);
  const auto reader = accounting::LedgerReader::Open(ledger_path());
  ASSERT_FALSE(id.empty()) << answer;
  const std::optional<accounting::GenerationRecord> record = reader->FindGeneration(id);
  ASSERT_TRUE(record.has_value()) << id;
  EXPECT_EQ(record->http_status, 503);
  EXPECT_EQ(record->cost.total, 0);
  EXPECT_TRUE(record->cancelled);
}

TEST_F(LifecycleTest, TlsTermination) {
  const std::string key = WriteTempFile("tls.key", "");
  const std::string cert = WriteTempFile("tls.crt", "");
  const std::string command =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
      " -keyout " +
      key + " -out " + cert + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const int sim = StartSimulator();
  const int port = StartGateway(
      GatewayYaml({{"sim", sim, ""}}, {{"it/chat", {{"sim"}}}},
                  "  tls: { cert_file: \"" + cert + "\", key_file: \"" + key + "\" }\n"));
  HttpResponse response = PostTls(port, "/v1/chat/completions", ChatBody("it/chat"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["model"], "it/chat");
}

TEST_F(LifecycleTest, CheckConfigPrintsEveryProblemWithItsPosition) {
  const std::string path = WriteTempFile("bad.yaml",
                                         "providers:\n"
                                         "  - name: sim\n"
                                         "    base_url: http://127.0.0.1:1/v1\n"
                                         "    colour: blue\n"
                                         "models:\n"
                                         "  - id: a/b\n"
                                         "    context_length: 10\n"
                                         "    endpoints:\n"
                                         "      - provider: acme\n"
                                         "        model: x\n");
  const auto [status, output] = RunGateway("check-config " + path);
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("providers[0].colour"), std::string::npos) << output;
  EXPECT_NE(output.find("models[0].endpoints[0].provider: unknown provider \"acme\" (line 9, "
                        "column 19)"),
            std::string::npos)
      << output;
}

TEST_F(LifecycleTest, CheckConfigAcceptsTheBundledExamples) {
  setenv("OPENAI_API_KEY", "sk-x", 1);
  for (const char* example : {"minimal.yaml", "demo.yaml"}) {
    const auto [status, output] =
        RunGateway(std::string("check-config ") + GW_SOURCE_DIR + "/config/examples/" + example);
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find(": ok"), std::string::npos) << output;
  }
}

TEST_F(LifecycleTest, ServeRefusesAnInvalidConfig) {
  const std::string path = WriteTempFile("invalid.yaml", "server:\n  listen: nowhere\n");
  const auto [status, output] = RunGateway("serve --config " + path);
  EXPECT_EQ(status, 1);
  EXPECT_NE(output.find("server.listen"), std::string::npos) << output;
}

TEST_F(LifecycleTest, HelpVersionAndUsageErrors) {
  const auto help = RunGateway("--help");
  EXPECT_EQ(help.first, 0);
  EXPECT_NE(help.second.find("serve --config FILE"), std::string::npos);
  EXPECT_NE(help.second.find("check-config FILE"), std::string::npos);
  const auto version = RunGateway("--version");
  EXPECT_EQ(version.first, 0);
  EXPECT_EQ(version.second.rfind("gateway ", 0), 0u);
  EXPECT_EQ(RunGateway("frobnicate").first, 2);
  EXPECT_EQ(RunGateway("serve").first, 2);
}

TEST_F(LifecycleTest, HelpAfterEachCommandPrintsThatCommandsUsage) {
  for (const std::string command : {"serve", "check-config", "usage", "demo-traffic"}) {
    for (const std::string flag : {"--help", "-h"}) {
      const auto [status, output] = RunGateway(command + " " + flag);
      EXPECT_EQ(status, 0) << command << " " << flag << ": " << output;
      EXPECT_NE(output.find("usage: gateway " + command + " "), std::string::npos) << output;
    }
  }
  // --help wins over the other arguments, valid or not; `gateway help CMD` says the same.
  const auto after_options = RunGateway("usage --config /nonexistent.yaml --by nonsense --help");
  EXPECT_EQ(after_options.first, 0) << after_options.second;
  EXPECT_NE(after_options.second.find("usage: gateway usage "), std::string::npos);
  EXPECT_EQ(RunGateway("help check-config").second, RunGateway("check-config --help").second);
  // A usage error shows the command's usage, not the overview, and exits 2.
  const auto error = RunGateway("usage --by nonsense");
  EXPECT_EQ(error.first, 2);
  EXPECT_NE(error.second.find("usage: gateway usage "), std::string::npos) << error.second;
}

}  // namespace
}  // namespace gw::testing

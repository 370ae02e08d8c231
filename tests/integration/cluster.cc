#include "tests/integration/cluster.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

namespace gw::testing {

std::string GatewayYaml(const std::vector<TestProvider>& providers,
                        const std::vector<TestModel>& models, const std::string& server_extra) {
  std::string yaml = "server:\n  listen: 127.0.0.1:0\n  workers: 2\n" + server_extra;
  yaml += "providers:\n";
  for (const auto& provider : providers) {
    yaml += "  - name: " + provider.name + "\n    base_url: " + provider.scheme_and_host + ":" +
            std::to_string(provider.port) + "/v1\n" + provider.extra_yaml;
  }
  yaml += "models:\n";
  for (const auto& model : models) {
    yaml += "  - id: " + model.id + "\n    context_length: 1048576\n    endpoints:\n";
    for (const auto& endpoint : model.endpoints) {
      yaml += "      - provider: " + endpoint.provider + "\n        model: \"" +
              endpoint.upstream_model + "\"\n        pricing: " + endpoint.pricing + "\n" +
              endpoint.extra_yaml;
    }
  }
  return yaml;
}

void Cluster::TearDown() {
  if (gateway_) {
    gateway_->Signal(SIGTERM);
    EXPECT_EQ(gateway_->WaitForExit(), 0) << "the gateway did not shut down cleanly";
  }
  for (auto& simulator : simulators_) {
    simulator->Signal(SIGTERM);
    EXPECT_EQ(simulator->WaitForExit(), 0) << "a simulator did not shut down cleanly";
  }
}

int Cluster::StartSimulator(std::vector<std::string> extra_args) {
  std::vector<std::string> argv{SimulatorBinary(), "--listen", "127.0.0.1:0", "--record-requests"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  simulators_.push_back(std::make_unique<ChildProcess>(argv));
  const int port = simulators_.back()->WaitForListeningPort();
  EXPECT_GT(port, 0) << "the simulator did not start";
  return port;
}

void Cluster::StartSimulatorAt(int port) {
  const std::vector<std::string> argv{SimulatorBinary(), "--listen",
                                      "127.0.0.1:" + std::to_string(port), "--record-requests"};
  simulators_.push_back(std::make_unique<ChildProcess>(argv));
  EXPECT_EQ(simulators_.back()->WaitForListeningPort(), port) << "the simulator did not start";
}

int Cluster::StartGateway(const std::string& yaml) {
  const std::string test_name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::string config = yaml;
  if (config.find("\naccounting:") == std::string::npos && !config.starts_with("accounting:")) {
    // Each test its own, fresh ledger (the default would be data/ next to the config file).
    ledger_path_ = WriteTempFile(test_name + ".sqlite3", "");
    std::filesystem::remove(ledger_path_);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(ledger_path_ + suffix);
    // ... and a fresh response store beside it (config.h, ResponseStorePath).
    const std::string store =
        ledger_path_.substr(0, ledger_path_.size() - 8) + "-responses.sqlite3";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(store + suffix);
    // ... and a fresh key table (accounting/keys/key_store.h, KeyStorePathFor).
    const std::string keys = ledger_path_.substr(0, ledger_path_.size() - 8) + "-keys.sqlite3";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(keys + suffix);
    config += "accounting:\n  database: " + ledger_path_ + "\n";
  }
  config_path_ = WriteTempFile(test_name + ".yaml", config);
  gateway_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{GatewayBinary(), "serve", "--config", config_path_});
  const int port = gateway_->WaitForListeningPort();
  EXPECT_GT(port, 0) << "the gateway did not start with:\n" << yaml;
  return port;
}

nlohmann::json Cluster::LastUpstreamRequest(int simulator_port) {
  return Get(simulator_port, "/sim/last-request").Json();
}

int Cluster::ClosedPort() {
  // Bind an ephemeral port and close it again: nothing listens there afterwards.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string ChatBody(const std::string& model, bool stream, const std::string& extra_fields) {
  std::string body =
      R"({"model":")" + model + R"(","messages":[{"role":"user","content":"Say hello"}])";
  if (stream) body += R"(,"stream":true)";
  if (!extra_fields.empty()) body += "," + extra_fields;
  return body + "}";
}

}  // namespace gw::testing

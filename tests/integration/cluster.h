// Test fixture: the real gateway binary in front of real simulator processes on loopback ports
// chosen by the OS. Each test builds the YAML it needs with GatewayYaml.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/child_process.h"
#include "tests/integration/http_client.h"

namespace gw::testing {

// One endpoint of a test model: the provider it uses and the upstream model name, which may
// carry simulator overrides ("sim-model?status=500&error_rate=1").
struct TestEndpoint {
  // (A constructor rather than an aggregate: brace lists may stop after any field.)
  TestEndpoint(std::string provider_name, std::string model = "sim-model",
               std::string price = "{ prompt: 1.5, completion: 2, cached_read: 0.75 }",
               std::string extra = "")
      : provider(std::move(provider_name)),
        upstream_model(std::move(model)),
        pricing(std::move(price)),
        extra_yaml(std::move(extra)) {}
  std::string provider;
  std::string upstream_model;
  std::string pricing;     // YAML flow map
  std::string extra_yaml;  // more endpoint keys, e.g. "        first_token_timeout_ms: 200\n"
};

struct TestModel {
  std::string id;
  std::vector<TestEndpoint> endpoints;
};

struct TestProvider {
  std::string name;
  int port = 0;            // a simulator's port, or a closed one
  std::string extra_yaml;  // e.g. "    api_key: ${IT_PROVIDER_KEY}\n"
  std::string scheme_and_host = "http://127.0.0.1";
};

// server: block lines (indented by 2) are appended after listen/workers.
std::string GatewayYaml(const std::vector<TestProvider>& providers,
                        const std::vector<TestModel>& models, const std::string& server_extra = "");

class Cluster : public ::testing::Test {
 protected:
  // Stops every process with SIGTERM and expects exit status 0: a graceful shutdown, and under
  // the sanitizer build no leak or memory error in the real binaries.
  void TearDown() override;

  // Starts a simulator (`--listen 127.0.0.1:0 --record-requests` + extra) and returns its port.
  int StartSimulator(std::vector<std::string> extra_args = {});
  // Starts a simulator on `port` (e.g. one that was closed before: a provider coming back).
  void StartSimulatorAt(int port);
  // Starts the gateway with `yaml` and returns its port (fails the test if it does not listen).
  // Unless `yaml` has an accounting block, the gateway gets a fresh ledger of its own
  // (ledger_path()).
  int StartGateway(const std::string& yaml);
  const std::string& ledger_path() const { return ledger_path_; }
  const std::string& config_path() const { return config_path_; }  // of the last StartGateway
  ChildProcess& gateway() { return *gateway_; }
  // The simulator's last recorded request ({"method","target","headers","body"}).
  nlohmann::json LastUpstreamRequest(int simulator_port);
  // A port nothing listens on.
  static int ClosedPort();

  std::vector<std::unique_ptr<ChildProcess>> simulators_;
  std::unique_ptr<ChildProcess> gateway_;
  std::string ledger_path_;
  std::string config_path_;
};

std::string ChatBody(const std::string& model, bool stream = false,
                     const std::string& extra_fields = "");

}  // namespace gw::testing

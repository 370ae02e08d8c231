// gateway-sim: the upstream simulator binary (see docs/simulator.md). Parses flags, starts the
// shared HttpServer with the simulator handler, and runs until SIGINT/SIGTERM.
#include <algorithm>
#include <chrono>
#include <exception>
#include <iostream>
#include <memory>
#include <thread>

#include "gateway/server/http_server.h"
#include "gateway/simulator/sim_command_line.h"
#include "gateway/simulator/sim_handler.h"

namespace {

// In-flight simulated streams get this long after SIGTERM; the sim is a test tool, so a demo
// or test run should stop promptly rather than wait for slow streams.
constexpr std::chrono::milliseconds kShutdownGrace{2000};

gw::config::ServerConfig MakeServerConfig(const gw::simulator::CommandLine& command_line,
                                          uint32_t workers) {
  gw::config::ServerConfig config;
  config.listen = command_line.listen;
  config.workers = workers;
  config.access_log = command_line.access_log;
  config.stream_keepalive_ms = 0;  // a provider sends no keep-alive comments
  if (!command_line.tls_cert_file.empty()) {
    config.tls = gw::config::TlsServerConfig{command_line.tls_cert_file, command_line.tls_key_file};
  }
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  gw::simulator::CommandLine command_line;
  const std::string error = gw::simulator::ParseCommandLine(argc, argv, &command_line);
  if (!error.empty()) {
    std::cerr << "gateway-sim: " << error << "\n";
    return 2;
  }
  if (command_line.help) {
    std::cout << gw::simulator::Usage();
    return 0;
  }
  if (command_line.version) {
    std::cout << "gateway-sim " << gw::simulator::kSimVersion << "\n";
    return 0;
  }
  uint32_t workers = command_line.workers;
  if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());

  auto settings = std::make_shared<gw::simulator::SimSettings>();
  settings->defaults = command_line.defaults;
  settings->models = command_line.models;
  settings->worker_count = workers;
  if (command_line.record_requests) {
    settings->recorder = std::make_shared<gw::simulator::RequestRecorder>();
  }
  try {
    gw::server::BlockTerminationSignals();
    gw::server::HttpServer server(MakeServerConfig(command_line, workers),
                                  gw::simulator::MakeSimHandlerFactory(std::move(settings)),
                                  "gateway-sim");
    server.Start();
    gw::server::WaitForTerminationSignal();
    server.Shutdown(kShutdownGrace);
  } catch (const std::exception& e) {
    std::cerr << "gateway-sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

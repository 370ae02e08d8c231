// The simulator's RequestHandler: serves /v1/chat/completions, /v1/completions, /v1/responses,
// /v1/models, /health and /sim/last-request like an OpenAI-compatible provider, and /v1/messages
// and /v1/messages/count_tokens like Anthropic, with injectable latency and faults. One instance
// per worker (made by the factory below), called on that worker's thread only; the shared
// SimSettings are immutable and the recorder is thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gateway/server/request_handler.h"
#include "gateway/simulator/sim_options.h"
#include "gateway/simulator/sim_recorder.h"

namespace gw::simulator {

struct SimSettings {
  SimOptions defaults;
  std::vector<std::string> models;  // GET /v1/models; empty = {"sim-model"}
  uint32_t worker_count = 1;        // resolved (not 0): makes response ids unique across workers
  // Null unless --record-requests; then shared by all workers.
  std::shared_ptr<RequestRecorder> recorder;
};

// The factory the HttpServer calls once per worker. Worker i draws error/malformed decisions
// from a PRNG seeded with (defaults.seed, i), so a one-worker run is reproducible.
server::HandlerFactory MakeSimHandlerFactory(std::shared_ptr<const SimSettings> settings);

}  // namespace gw::simulator

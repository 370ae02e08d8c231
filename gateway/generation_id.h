// Generation ids: "gen-<13-digit unix ms>-<16 hex>", unique across workers, restarts and
// gateway replicas (a random per-generator prefix plus a counter), and sortable by creation
// time as plain strings. One generator per worker; not thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace gw {

class GenerationIdGenerator {
 public:
  GenerationIdGenerator();
  std::string Next();

 private:
  uint32_t prefix_;
  uint32_t counter_;
};

}  // namespace gw

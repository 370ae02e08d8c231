// Keeps the last completion request the simulator received, for GET /sim/last-request (tests of
// the gateway check what it forwarded). One instance per process, shared by every worker:
// Record and LastAsJson may be called from any thread (a mutex guards the stored copy).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/server/request_handler.h"

namespace gw::simulator {

class RequestRecorder {
 public:
  // Copies method, target, headers (names lower-cased) and body; the copy is made before the
  // lock is taken so workers only contend for a swap.
  void Record(const server::Request& request);

  // {"method","target","headers":{name: value},"body"} of the last recorded request, or nullopt
  // if none was recorded yet. A header sent twice keeps its values joined by ", ".
  std::optional<std::string> LastAsJson() const;

 private:
  struct Recorded {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
  };

  mutable std::mutex mutex_;
  std::optional<Recorded> last_;  // guarded by mutex_
};

}  // namespace gw::simulator

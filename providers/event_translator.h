// The per-stream half of a provider adapter's translation: one upstream SSE `data:` payload in,
// the client's events out, with the accounting facts collected on the way. Each adapter supplies
// its own (providers/<vendor>/); providers/http_provider.cc drives it. One per stream, used on
// that stream's worker thread.
#pragma once

#include <string>
#include <string_view>

#include "providers/completion.h"

namespace gw::providers {

class EventTranslator {
 public:
  enum class Outcome {
    kContinue,       // events (possibly none) appended to `out`; keep reading
    kDone,           // the upstream ended the answer; the final events appended
    kUpstreamError,  // the upstream sent an in-band error; see error_message() / error_raw()
    kMalformed,      // the payload is not what the dialect allows; see error_message()
  };
  virtual ~EventTranslator() = default;

  // Translates one upstream payload (the data lines of one event, joined) into client events.
  virtual Outcome Translate(std::string_view payload, std::string& out) = 0;
  virtual const CompletionFacts& facts() const = 0;
  // The upstream ended the answer properly: how its connection ends no longer matters.
  virtual bool saw_done() const = 0;
  virtual const std::string& error_message() const = 0;
  virtual const std::string& error_raw() const = 0;
};

}  // namespace gw::providers

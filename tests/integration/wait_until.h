// Polling with a bounded backoff, for the states a test can only observe by asking (a record in
// the ledger, a published health status, a closed listener): the predicate is tried at once, then
// after 1 ms, 2 ms, 4 ms, ... at most 100 ms apart, so a fast answer is seen at once and a slow
// one costs the gateway a few requests a second instead of a tight loop that competes with it for
// the CPU (two cores, the sanitizer build, two tests at a time).
//
// Prefer a real signal where the product prints one (ChildProcess::WaitForLine on an access-log
// or event line); poll only what has no signal.
#pragma once

#include <chrono>
#include <functional>

namespace gw::testing {

// Polls `predicate` until it returns true (then true) or `limit` has passed (then false). The limit
// is a safety net against a hang, not a synchronisation: it is far beyond what any test waits for,
// and a test asserts on the result, never on the time taken.
bool WaitUntil(const std::function<bool()>& predicate,
               std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace gw::testing

// Why an upstream attempt failed, as a boost::system::error_code (category "upstream").
// The gateway maps these to HTTP statuses in exactly one place (gateway/error_response.cc).
#pragma once

#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

namespace gw::providers {

enum class Errc {
  kResolveFailed = 1,  // the provider's host name did not resolve
  kConnectFailed,      // TCP connect refused or unreachable
  kTlsFailed,          // TLS handshake or certificate/hostname verification failed
  kConnectTimeout,     // connect + TLS handshake exceeded timeouts.connect_ms
  kFirstByteTimeout,   // no response byte within timeouts.first_byte_ms
  kIdleTimeout,        // a streamed body stalled longer than timeouts.idle_ms
  kTotalTimeout,       // the attempt exceeded timeouts.total_ms
  kUpstreamStatus,     // the provider answered with a non-2xx status
  kMalformedResponse,  // the provider's answer is not valid HTTP / JSON / SSE
  kStreamBroken,       // the connection ended before the answer was complete
  kUpstreamError,      // the provider reported an error inside a 200 stream
  kClientGone,         // our client disconnected; the attempt was abandoned
  kCancelled,          // the gateway cancelled the attempt (shutdown)
  kUnsupported,        // this endpoint's dialect cannot express the request (another may)
};

const boost::system::error_category& UpstreamCategory();

inline boost::system::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), UpstreamCategory()};
}

// A short snake_case name for metric labels: "ok" for no error, "connect_failed", ...
std::string_view ErrcName(const boost::system::error_code& ec);

// True for failures after which another endpoint may be tried (nothing reached the client):
// connection failures, timeouts, malformed answers, an upstream 429 or 5xx, and the upstream
// statuses listed in `retry_statuses` (routing.retry_statuses; by default a provider's own
// 401/402/403/404/408/409: that provider's key, credit or model name is wrong, another
// endpoint may well work). Never a client that left or a cancelled request.
bool IsRetryable(const boost::system::error_code& ec, int upstream_status,
                 const std::vector<uint16_t>& retry_statuses);

}  // namespace gw::providers

template <>
struct boost::system::is_error_code_enum<gw::providers::Errc> : std::true_type {};

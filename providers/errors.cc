#include "providers/errors.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace gw::providers {
namespace {

class Category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "upstream"; }
  std::string message(int value) const override {
    switch (static_cast<Errc>(value)) {
      case Errc::kResolveFailed:
        return "host name did not resolve";
      case Errc::kConnectFailed:
        return "connection failed";
      case Errc::kTlsFailed:
        return "TLS handshake or certificate verification failed";
      case Errc::kConnectTimeout:
        return "timed out connecting";
      case Errc::kFirstByteTimeout:
        return "timed out waiting for the first byte";
      case Errc::kIdleTimeout:
        return "stream stalled (idle timeout)";
      case Errc::kTotalTimeout:
        return "request exceeded its total time limit";
      case Errc::kUpstreamStatus:
        return "provider returned an error status";
      case Errc::kMalformedResponse:
        return "provider returned a malformed response";
      case Errc::kStreamBroken:
        return "provider connection ended before the answer was complete";
      case Errc::kUpstreamError:
        return "provider reported an error in the stream";
      case Errc::kClientGone:
        return "client disconnected";
      case Errc::kCancelled:
        return "cancelled";
      case Errc::kUnsupported:
        return "the endpoint's API cannot serve this request";
    }
    return "unknown upstream error";
  }
};

}  // namespace

const boost::system::error_category& UpstreamCategory() {
  static const Category category;
  return category;
}

std::string_view ErrcName(const boost::system::error_code& ec) {
  if (!ec) return "ok";
  if (ec.category() != UpstreamCategory()) return "other";
  switch (static_cast<Errc>(ec.value())) {
    case Errc::kResolveFailed:
      return "resolve_failed";
    case Errc::kConnectFailed:
      return "connect_failed";
    case Errc::kTlsFailed:
      return "tls_failed";
    case Errc::kConnectTimeout:
      return "connect_timeout";
    case Errc::kFirstByteTimeout:
      return "first_byte_timeout";
    case Errc::kIdleTimeout:
      return "idle_timeout";
    case Errc::kTotalTimeout:
      return "total_timeout";
    case Errc::kUpstreamStatus:
      return "upstream_status";
    case Errc::kMalformedResponse:
      return "malformed_response";
    case Errc::kStreamBroken:
      return "stream_broken";
    case Errc::kUpstreamError:
      return "upstream_error";
    case Errc::kClientGone:
      return "client_gone";
    case Errc::kCancelled:
      return "cancelled";
    case Errc::kUnsupported:
      return "unsupported";
  }
  return "other";
}

bool IsRetryable(const boost::system::error_code& ec, int upstream_status,
                 const std::vector<uint16_t>& retry_statuses) {
  if (ec.category() != UpstreamCategory()) return false;
  switch (static_cast<Errc>(ec.value())) {
    case Errc::kUpstreamStatus:
      return upstream_status == 429 || upstream_status >= 500 ||
             std::find(retry_statuses.begin(), retry_statuses.end(), upstream_status) !=
                 retry_statuses.end();
    case Errc::kClientGone:
    case Errc::kCancelled:
      return false;
    default:
      return true;
  }
}

}  // namespace gw::providers

// A small blocking HTTP/1.1 client for integration tests, on Boost.Beast: whole requests, SSE
// streams read as they arrive (optionally hanging up early), raw bytes, and TLS. Every socket
// has a receive timeout as a safety net so a broken server fails a test instead of hanging it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gw::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The Authorization header of an API key.
inline Headers Bearer(const std::string& secret) { return {{"Authorization", "Bearer " + secret}}; }

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::json Json() const { return nlohmann::json::parse(body); }
  std::string Header(const std::string& name) const;
};

HttpResponse Get(int port, const std::string& target, const Headers& headers = {});
HttpResponse Post(int port, const std::string& target, const std::string& body,
                  const Headers& headers = {});
HttpResponse Request(int port, const std::string& method, const std::string& target,
                     const std::string& body, const Headers& headers = {});
// The same over TLS (certificate not verified: tests use a self-signed one).
HttpResponse PostTls(int port, const std::string& target, const std::string& body);

struct StreamResponse {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::vector<std::string> events;    // SSE data payloads in order ("[DONE]" included)
  std::vector<std::string> comments;  // SSE comment lines (": PROCESSING" -> "PROCESSING")
  size_t comments_before_first_event = 0;
  std::string body;       // the raw de-chunked body
  bool complete = false;  // the chunked body ended properly
};

// POSTs with "stream": true already in `body`. With `hang_up_after_events`, closes the
// connection after that many data events (a client that goes away mid-stream).
StreamResponse PostStream(int port, const std::string& target, const std::string& body,
                          const Headers& headers = {},
                          std::optional<size_t> hang_up_after_events = std::nullopt);

// A plain TCP connection for protocol-level tests.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  void Send(const std::string& bytes);
  // Reads until the peer closes (or the safety timeout). Returns what arrived.
  std::string ReadUntilClose();
  // Reads until `marker` has arrived (or the peer closes). Returns everything read so far;
  // later reads continue after it.
  std::string ReadUntil(const std::string& marker);
  // True if the peer closed the connection (EOF or reset) before the safety timeout.
  bool PeerClosed();

 private:
  int fd_ = -1;
  std::string received_;
};

}  // namespace gw::testing

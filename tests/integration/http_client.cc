#include "tests/integration/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace gw::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

constexpr int kSafetyTimeoutSeconds = 20;

void SetReceiveTimeout(int fd) {
  timeval tv{kSafetyTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

tcp::socket Connect(asio::io_context& io, int port) {
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  SetReceiveTimeout(socket.native_handle());
  return socket;
}

http::request<http::string_body> MakeRequest(const std::string& method, const std::string& target,
                                             const std::string& body, const Headers& headers,
                                             int port) {
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!body.empty()) request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  return request;
}

template <class Message>
std::map<std::string, std::string> HeadersOf(const Message& message) {
  std::map<std::string, std::string> out;
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[name] = std::string(field.value());
  }
  return out;
}

template <class Stream>
HttpResponse Exchange(Stream& stream, http::request<http::string_body>& request) {
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  // The answer to HEAD has the headers of a GET and no body (RFC 9110, section 9.3.2).
  parser.skip(request.method() == http::verb::head);
  http::read(stream, buffer, parser);
  auto& response = parser.get();
  return {static_cast<int>(response.result_int()), HeadersOf(response), response.body()};
}

// Splits a complete SSE text into data payloads and comments.
void ParseEvents(const std::string& text, StreamResponse& out) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.rfind("data: ", 0) == 0) {
      out.events.push_back(line.substr(6));
    } else if (line.rfind(":", 0) == 0) {
      std::string comment = line.substr(1);
      if (!comment.empty() && comment[0] == ' ') comment.erase(0, 1);
      out.comments.push_back(comment);
      if (out.events.empty()) ++out.comments_before_first_event;
    }
  }
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse Request(int port, const std::string& method, const std::string& target,
                     const std::string& body, const Headers& headers) {
  asio::io_context io;
  tcp::socket socket = Connect(io, port);
  auto request = MakeRequest(method, target, body, headers, port);
  return Exchange(socket, request);
}

HttpResponse Get(int port, const std::string& target, const Headers& headers) {
  return Request(port, "GET", target, "", headers);
}

HttpResponse Post(int port, const std::string& target, const std::string& body,
                  const Headers& headers) {
  return Request(port, "POST", target, body, headers);
}

HttpResponse PostTls(int port, const std::string& target, const std::string& body) {
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_verify_mode(asio::ssl::verify_none);
  asio::ssl::stream<tcp::socket> stream(Connect(io, port), context);
  stream.handshake(asio::ssl::stream_base::client);
  auto request = MakeRequest("POST", target, body, {}, port);
  return Exchange(stream, request);
}

StreamResponse PostStream(int port, const std::string& target, const std::string& body,
                          const Headers& headers, std::optional<size_t> hang_up_after_events) {
  asio::io_context io;
  tcp::socket socket = Connect(io, port);
  auto request = MakeRequest("POST", target, body, headers, port);
  http::write(socket, request);
  beast::flat_buffer buffer;
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(256 * 1024 * 1024);
  http::read_header(socket, buffer, parser);
  StreamResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.headers = HeadersOf(parser.get());
  char piece[4096];
  while (!parser.is_done()) {
    parser.get().body().data = piece;
    parser.get().body().size = sizeof piece;
    beast::error_code ec;
    http::read_some(socket, buffer, parser, ec);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) break;
    out.body.append(piece, sizeof piece - parser.get().body().size);
    if (hang_up_after_events) {
      StreamResponse partial;
      ParseEvents(out.body, partial);
      if (partial.events.size() >= *hang_up_after_events) {
        socket.close();
        break;
      }
    }
  }
  out.complete = parser.is_done();
  ParseEvents(out.body, out);
  return out;
}

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("connect failed");
  }
  SetReceiveTimeout(fd_);
}

RawConnection::~RawConnection() { close(fd_); }

void RawConnection::Send(const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<size_t>(n);
  }
}

std::string RawConnection::ReadUntil(const std::string& marker) {
  char buffer[4096];
  while (received_.find(marker) == std::string::npos) {
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    received_.append(buffer, static_cast<size_t>(n));
  }
  return received_;
}

std::string RawConnection::ReadUntilClose() {
  std::string out = std::move(received_);
  received_.clear();
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

bool RawConnection::PeerClosed() {
  char buffer[4096];
  for (;;) {
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
  }
}

}  // namespace gw::testing

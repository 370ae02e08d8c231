#include "providers/http/upstream_client.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "providers/errors.h"

namespace gw::providers {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
using Parser = http::response_parser<http::buffer_body>;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr uint32_t kMaxResponseHeaderBytes = 64 * 1024;
constexpr size_t kBodyPieceBytes = 16 * 1024;
// Pooled connections idle longer than this are dropped: servers close idle keep-alive
// connections after 5-60 s, and a dead one costs a failed attempt.
constexpr auto kPoolIdleLimit = std::chrono::seconds(20);

enum class Phase { kConnect, kFirstByte, kBody };

// The attempt's clock: each operation's deadline is its own timeout capped by the total one.
struct Deadlines {
  Clock::time_point total;
  Clock::duration Cap(uint32_t op_ms) const {
    const auto remaining = total - Clock::now();
    const auto op = std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(op_ms));
    return std::max(Clock::duration::zero(), std::min(op, remaining));
  }
  bool Expired() const { return Clock::now() >= total; }
};

error_code MapIoError(const error_code& ec, Phase phase, const Deadlines& deadlines) {
  if (ec == beast::error::timeout) {
    if (deadlines.Expired()) return Errc::kTotalTimeout;
    if (phase == Phase::kConnect) return Errc::kConnectTimeout;
    return phase == Phase::kFirstByte ? Errc::kFirstByteTimeout : Errc::kIdleTimeout;
  }
  if (phase == Phase::kConnect) {
    if (ec.category() == asio::error::get_ssl_category() ||
        ec == asio::ssl::error::stream_truncated) {
      return Errc::kTlsFailed;
    }
    return Errc::kConnectFailed;
  }
  if (ec.category() == http::make_error_code(http::error::bad_version).category() &&
      ec != http::error::end_of_stream && ec != http::error::partial_message) {
    return Errc::kMalformedResponse;
  }
  return Errc::kStreamBroken;
}

// One upstream connection, plain or TLS. Lives in the pool or in exactly one response.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual beast::tcp_stream& tcp() = 0;
  virtual asio::awaitable<std::tuple<error_code, size_t>> Write(
      http::request<http::string_body>& request) = 0;
  virtual asio::awaitable<std::tuple<error_code, size_t>> ReadHeader(Parser& parser) = 0;
  virtual asio::awaitable<std::tuple<error_code, size_t>> ReadSome(Parser& parser) = 0;

  // A pooled connection is usable only if the server has not closed it and sent nothing.
  bool LooksAlive() {
    char byte;
    const ssize_t n = ::recv(tcp().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  beast::flat_buffer buffer;
  Clock::time_point idle_since;
};

template <class Stream>
class ConnectionOver final : public Connection {
 public:
  explicit ConnectionOver(Stream stream) : stream_(std::move(stream)) {}
  beast::tcp_stream& tcp() override { return beast::get_lowest_layer(stream_); }
  asio::awaitable<std::tuple<error_code, size_t>> Write(
      http::request<http::string_body>& request) override {
    auto result = co_await http::async_write(stream_, request, kNoThrow);
    co_return result;
  }
  asio::awaitable<std::tuple<error_code, size_t>> ReadHeader(Parser& parser) override {
    auto result = co_await http::async_read_header(stream_, buffer, parser, kNoThrow);
    co_return result;
  }
  asio::awaitable<std::tuple<error_code, size_t>> ReadSome(Parser& parser) override {
    auto result = co_await http::async_read_some(stream_, buffer, parser, kNoThrow);
    co_return result;
  }

 private:
  Stream stream_;
};

using TlsStream = asio::ssl::stream<beast::tcp_stream>;

// Waiting for an upstream's first byte while keep-alives go to the client: the socket wait's
// handler marks `readable` and interrupts `tick`. Shared with that handler, which may run after
// the attempt gave up (the connection closes then and the wait completes as aborted).
struct FirstByteWait {
  explicit FirstByteWait(asio::io_context& io) : tick(io) {}
  asio::steady_timer tick;
  bool readable = false;
};

}  // namespace

struct UpstreamClient::Impl {
  asio::io_context& io;
  asio::ssl::context& tls;
  tcp::resolver resolver;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle;

  Impl(asio::io_context& io_context, asio::ssl::context& tls_context)
      : io(io_context), tls(tls_context), resolver(io_context) {}

  std::unique_ptr<Connection> TakeIdle(const config::ProviderConfig& provider) {
    auto it = idle.find(provider.name);
    if (it == idle.end()) return nullptr;
    auto& pool = it->second;
    while (!pool.empty()) {
      std::unique_ptr<Connection> connection = std::move(pool.back());
      pool.pop_back();
      if (Clock::now() - connection->idle_since < kPoolIdleLimit && connection->LooksAlive()) {
        return connection;
      }
    }
    return nullptr;
  }

  void GiveBack(const config::ProviderConfig& provider, std::unique_ptr<Connection> connection) {
    auto& pool = idle[provider.name];
    if (pool.size() >= provider.max_idle_connections) return;
    connection->idle_since = Clock::now();
    pool.push_back(std::move(connection));
  }

  asio::awaitable<Result> Connect(const config::ProviderConfig& provider,
                                  const Deadlines& deadlines, std::unique_ptr<Connection>& out);
};

namespace {

class ResponseOver final : public UpstreamResponse {
 public:
  ResponseOver(UpstreamClient::Impl& client, const config::ProviderConfig& provider,
               std::unique_ptr<Connection> connection, std::unique_ptr<Parser> parser,
               Deadlines deadlines)
      : client_(client),
        provider_(provider),
        connection_(std::move(connection)),
        parser_(std::move(parser)),
        deadlines_(deadlines) {}

  int status() const override { return static_cast<int>(parser_->get().result_int()); }
  std::string_view content_type() const override {
    return parser_->get()[http::field::content_type];
  }
  std::string_view header(std::string_view name) const override { return parser_->get()[name]; }

  asio::awaitable<Piece> ReadSome() override {
    while (connection_ != nullptr) {
      if (parser_->is_done()) {
        Finish();
        break;
      }
      auto& body = parser_->get().body();
      body.data = piece_;
      body.size = sizeof piece_;
      connection_->tcp().expires_after(deadlines_.Cap(provider_.timeouts.idle_ms));
      auto [ec, n] = co_await connection_->ReadSome(*parser_);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        connection_.reset();
        co_return Piece{MapIoError(ec, Phase::kBody, deadlines_), {}};
      }
      const size_t got = sizeof piece_ - parser_->get().body().size;
      if (got > 0) co_return Piece{{}, std::string_view(piece_, got)};
    }
    co_return Piece{};
  }

  asio::awaitable<error_code> ReadAll(std::string& out, size_t limit) override {
    for (;;) {
      Piece piece = co_await ReadSome();
      if (piece.error) co_return piece.error;
      if (piece.data.empty()) co_return error_code{};
      if (out.size() + piece.data.size() > limit) {
        connection_.reset();
        co_return Errc::kMalformedResponse;
      }
      out.append(piece.data);
    }
  }

 private:
  // The body is complete: the connection goes back to the pool if the server keeps it open.
  void Finish() {
    if (parser_->keep_alive()) client_.GiveBack(provider_, std::move(connection_));
    connection_.reset();
  }

  UpstreamClient::Impl& client_;
  const config::ProviderConfig& provider_;
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Parser> parser_;
  Deadlines deadlines_;
  char piece_[kBodyPieceBytes];
};

http::request<http::string_body> BuildRequest(UpstreamRequest& request) {
  const config::ProviderConfig& provider = *request.provider;
  http::request<http::string_body> message{http::verb::post, request.target, 11};
  const bool default_port = provider.base_url.port == (provider.base_url.tls ? 443 : 80);
  message.set(http::field::host,
              default_port ? provider.base_url.host
                           : provider.base_url.host + ":" + std::to_string(provider.base_url.port));
  message.set(http::field::user_agent, "llm-gateway/0.1");
  message.set(http::field::content_type, "application/json");
  message.set(http::field::accept,
              request.expect_event_stream ? "text/event-stream" : "application/json");
  if (provider.api_key)
    message.set(http::field::authorization, "Bearer " + provider.api_key->value);
  for (const auto& [name, value] : provider.headers) message.set(name, value);
  message.keep_alive(true);
  message.body() = std::move(request.body);
  message.prepare_payload();
  return message;
}

}  // namespace

asio::awaitable<UpstreamClient::Result> UpstreamClient::Impl::Connect(
    const config::ProviderConfig& provider, const Deadlines& deadlines,
    std::unique_ptr<Connection>& out) {
  const config::Url& url = provider.base_url;
  auto [resolve_ec, endpoints] =
      co_await resolver.async_resolve(url.host, std::to_string(url.port), kNoThrow);
  if (resolve_ec) co_return Result{Errc::kResolveFailed, resolve_ec.message(), nullptr};

  beast::tcp_stream tcp(io);
  tcp.expires_after(deadlines.Cap(provider.timeouts.connect_ms));
  auto [connect_ec, endpoint] = co_await tcp.async_connect(endpoints, kNoThrow);
  if (connect_ec) {
    co_return Result{MapIoError(connect_ec, Phase::kConnect, deadlines), connect_ec.message(),
                     nullptr};
  }
  tcp.socket().set_option(tcp::no_delay(true));
  if (!url.tls) {
    tcp.expires_never();
    out = std::make_unique<ConnectionOver<beast::tcp_stream>>(std::move(tcp));
    co_return Result{};
  }
  TlsStream stream(std::move(tcp), tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    co_return Result{Errc::kTlsFailed, "cannot set SNI host name", nullptr};
  }
  if (provider.tls_verify) {
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
  } else {
    stream.set_verify_mode(asio::ssl::verify_none);
  }
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kNoThrow);
  if (handshake_ec) {
    co_return Result{MapIoError(handshake_ec, Phase::kConnect, deadlines), handshake_ec.message(),
                     nullptr};
  }
  beast::get_lowest_layer(stream).expires_never();
  out = std::make_unique<ConnectionOver<TlsStream>>(std::move(stream));
  co_return Result{};
}

UpstreamClient::UpstreamClient(asio::io_context& io, asio::ssl::context& tls)
    : impl_(std::make_unique<Impl>(io, tls)) {}

UpstreamClient::~UpstreamClient() = default;

size_t UpstreamClient::idle_connections() const {
  size_t total = 0;
  for (const auto& [name, pool] : impl_->idle) total += pool.size();
  return total;
}

asio::awaitable<UpstreamClient::Result> UpstreamClient::Send(
    UpstreamRequest request, Clock::time_point attempt_start,
    std::chrono::milliseconds keepalive_interval, WaitingHook on_waiting) {
  const config::ProviderConfig& provider = *request.provider;
  const Deadlines deadlines{attempt_start + std::chrono::milliseconds(provider.timeouts.total_ms)};
  const Clock::time_point first_byte_deadline =
      Clock::now() + std::chrono::milliseconds(provider.timeouts.first_byte_ms);
  http::request<http::string_body> message = BuildRequest(request);
  bool waited = false;  // once the client was sent keep-alives, never resend silently

  // A reused connection may have been closed by the server in the meantime: then one more
  // try on a fresh connection, which is what every HTTP client does.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<Connection> connection = impl_->TakeIdle(provider);
    const bool reused = connection != nullptr;
    if (!reused) {
      Result connected = co_await impl_->Connect(provider, deadlines, connection);
      if (connected.error) co_return connected;
    }
    auto first_byte_left = [&] {
      return std::min(deadlines.Cap(provider.timeouts.first_byte_ms),
                      std::max(Clock::duration::zero(), first_byte_deadline - Clock::now()));
    };
    connection->tcp().expires_after(first_byte_left());
    auto [write_ec, written] = co_await connection->Write(message);
    if (write_ec) {
      if (reused) continue;
      co_return Result{MapIoError(write_ec, Phase::kFirstByte, deadlines), write_ec.message(),
                       nullptr};
    }

    if (on_waiting && keepalive_interval.count() > 0) {
      auto waiting = std::make_shared<FirstByteWait>(impl_->io);
      connection->tcp().expires_never();
      connection->tcp().socket().async_wait(tcp::socket::wait_read, [waiting](const error_code&) {
        waiting->readable = true;
        waiting->tick.cancel();
      });
      for (;;) {
        const auto left = first_byte_left();
        if (left <= Clock::duration::zero()) {
          co_return Result{deadlines.Expired() ? Errc::kTotalTimeout : Errc::kFirstByteTimeout,
                           "no response byte in time", nullptr};
        }
        if (waiting->readable) break;
        waiting->tick.expires_after(std::min<Clock::duration>(keepalive_interval, left));
        co_await waiting->tick.async_wait(kNoThrow);
        if (waiting->readable) break;
        if (first_byte_left() <= Clock::duration::zero()) continue;
        waited = true;
        const bool client_there = co_await on_waiting();
        if (!client_there) co_return Result{Errc::kClientGone, "", nullptr};
      }
    }

    auto parser = std::make_unique<Parser>();
    parser->header_limit(kMaxResponseHeaderBytes);
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    connection->tcp().expires_after(first_byte_left());
    auto [read_ec, read] = co_await connection->ReadHeader(*parser);
    if (read_ec) {
      const bool dead_reused =
          reused && !waited && connection->buffer.size() == 0 &&
          (read_ec == http::error::end_of_stream || read_ec == asio::error::connection_reset ||
           read_ec == asio::error::eof);
      if (dead_reused) continue;
      co_return Result{MapIoError(read_ec, Phase::kFirstByte, deadlines), read_ec.message(),
                       nullptr};
    }
    co_return Result{{},
                     {},
                     std::make_unique<ResponseOver>(*impl_, provider, std::move(connection),
                                                    std::move(parser), deadlines)};
  }
  co_return Result{Errc::kStreamBroken, "pooled connection closed by the provider", nullptr};
}

std::unique_ptr<asio::ssl::context> MakeUpstreamTlsContext() {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  context->set_default_verify_paths(ec);
  if (ec) throw std::runtime_error("cannot load the system CA store: " + ec.message());
  context->set_verify_mode(asio::ssl::verify_peer);
  return context;
}

}  // namespace gw::providers

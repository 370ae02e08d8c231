#include "providers/http/upstream_client.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "providers/errors.h"
#include "providers/http/inline_io.h"

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
// Beast reads at most the flat_buffer's free capacity (512 bytes when new): reserve enough that
// a typical answer arrives in a few reads, not dozens.
constexpr size_t kReadBufferBytes = 16 * 1024;
// Pooled connections idle longer than this are dropped: servers close idle keep-alive
// connections after 5-60 s, and a dead one costs a failed attempt.
constexpr auto kPoolIdleLimit = std::chrono::seconds(20);
// A connection pooled for less than this is taken without the liveness probe (a syscall per
// request at full load): servers close idle keep-alive connections after seconds, and one
// closed sooner anyway (a restart) fails on the first write or read with nothing read, which
// Send retries once on a fresh connection.
constexpr auto kProbeAfterIdle = std::chrono::seconds(1);
// Resolved addresses are reused this long, so DNS is not on the path of every new connection.
constexpr auto kDnsCacheTime = std::chrono::seconds(30);

enum class Phase { kConnect, kFirstByte, kBody };

// Adds the time from its construction to its destruction to `*sink` (if not null): the time an
// attempt spends waiting on its provider (UpstreamRequest::wait_time).
class WaitTimer {
 public:
  explicit WaitTimer(Clock::duration* sink) : sink_(sink), start_(Clock::now()) {}
  ~WaitTimer() {
    if (sink_ != nullptr) *sink_ += Clock::now() - start_;
  }
  WaitTimer(const WaitTimer&) = delete;
  WaitTimer& operator=(const WaitTimer&) = delete;

 private:
  Clock::duration* sink_;
  Clock::time_point start_;
};

// The attempt's clock: each operation's deadline is its own timeout capped by the total one.
struct Deadlines {
  Clock::time_point total;
  Clock::duration Cap(uint32_t op_ms) const {
    return Until(Clock::now() + std::chrono::milliseconds(op_ms));
  }
  Clock::duration Until(Clock::time_point deadline) const {
    return std::max(Clock::duration::zero(), std::min(deadline, total) - Clock::now());
  }
  bool Expired() const { return Clock::now() >= total; }
};

error_code MapIoError(const error_code& ec, Phase phase, const Deadlines& deadlines) {
  if (ec == asio::error::operation_aborted) return Errc::kCancelled;
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

// How a reused connection that the server had closed shows up on the first read or write.
bool IsDeadConnection(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated;
}

// One upstream connection, plain or TLS. Lives in the pool or in exactly one response.
class Connection {
 public:
  virtual ~Connection() {
    if (stats_ != nullptr) AddRelaxed<int64_t>(pooled_ ? stats_->idle : stats_->busy, -1);
  }
  // Counts the new connection in `stats` (may be null) as opened and busy.
  void Track(PoolStats* stats) {
    stats_ = stats;
    if (stats_ == nullptr) return;
    AddRelaxed<uint64_t>(stats_->opened, 1);
    AddRelaxed<int64_t>(stats_->busy, 1);
  }
  // Moves the connection between the idle and busy gauges.
  void SetPooled(bool pooled) {
    if (stats_ != nullptr && pooled != pooled_) {
      AddRelaxed<int64_t>(pooled ? stats_->idle : stats_->busy, 1);
      AddRelaxed<int64_t>(pooled ? stats_->busy : stats_->idle, -1);
    }
    pooled_ = pooled;
  }
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

 private:
  PoolStats* stats_ = nullptr;
  bool pooled_ = false;
};

template <class Stream>
class ConnectionOver final : public Connection {
  // Plain TCP writes and body reads go inline first (providers/http/inline_io.h); TLS does not.
  static constexpr bool kInlineIo = std::is_same_v<Stream, beast::tcp_stream>;

 public:
  explicit ConnectionOver(Stream stream) : stream_(std::move(stream)) {
    if constexpr (kInlineIo) {
      error_code ignored;
      stream_.socket().non_blocking(true, ignored);
    }
    buffer.reserve(kReadBufferBytes);
  }
  beast::tcp_stream& tcp() override { return beast::get_lowest_layer(stream_); }
  asio::awaitable<std::tuple<error_code, size_t>> Write(
      http::request<http::string_body>& request) override {
    http::request_serializer<http::string_body> serializer{request};
    size_t inline_bytes = 0;
    if constexpr (kInlineIo) {
      const net::InlineResult done = net::WriteInline(stream_.socket(), serializer, false);
      if (!net::WouldBlock(done.error)) {
        const std::tuple<error_code, size_t> result{done.error, done.bytes};
        co_return result;
      }
      inline_bytes = done.bytes;
    }
    auto [ec, written] = co_await http::async_write(stream_, serializer, kNoThrow);
    const std::tuple<error_code, size_t> result{ec, inline_bytes + written};
    co_return result;
  }
  asio::awaitable<std::tuple<error_code, size_t>> ReadHeader(Parser& parser) override {
    auto result = co_await http::async_read_header(stream_, buffer, parser, kNoThrow);
    co_return result;
  }
  asio::awaitable<std::tuple<error_code, size_t>> ReadSome(Parser& parser) override {
    // Bytes already read (a body that came with its head, the next events of a stream) are
    // parsed here, without a trip through the scheduler. The socket is left to the asynchronous
    // read: an inline read of a stream's next event almost always fails (it is not there yet),
    // one wasted syscall per event, and asio tries the socket first anyway.
    if (buffer.size() > 0) {
      const net::InlineResult parsed = net::ParseBuffered(buffer, parser);
      if (!net::WouldBlock(parsed.error)) {
        const std::tuple<error_code, size_t> result{parsed.error, parsed.bytes};
        co_return result;
      }
    }
    auto result = co_await http::async_read_some(stream_, buffer, parser, kNoThrow);
    co_return result;
  }

 private:
  Stream stream_;
};

using TlsStream = asio::ssl::stream<beast::tcp_stream>;

bool IsIpLiteral(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

struct UpstreamClient::Impl {
  struct CachedAddresses {
    tcp::resolver::results_type results;
    Clock::time_point expires;
  };

  asio::io_context& io;
  asio::ssl::context& tls;
  std::unordered_map<std::string, std::vector<std::unique_ptr<Connection>>> idle;
  std::unordered_map<std::string, CachedAddresses> dns;
  PoolStatsTable* stats;

  Impl(asio::io_context& io_context, asio::ssl::context& tls_context, PoolStatsTable* stats_table)
      : io(io_context), tls(tls_context), stats(stats_table) {}

  PoolStats* StatsFor(const config::ProviderConfig& provider) {
    if (stats == nullptr) return nullptr;
    auto it = stats->find(provider.name);
    return it == stats->end() ? nullptr : &it->second;
  }

  std::unique_ptr<Connection> TakeIdle(const config::ProviderConfig& provider) {
    auto it = idle.find(provider.name);
    if (it == idle.end()) return nullptr;
    auto& pool = it->second;
    while (!pool.empty()) {
      std::unique_ptr<Connection> connection = std::move(pool.back());
      pool.pop_back();
      connection->SetPooled(false);
      const Clock::duration idle_for = Clock::now() - connection->idle_since;
      if (idle_for < kPoolIdleLimit && (idle_for < kProbeAfterIdle || connection->LooksAlive())) {
        if (PoolStats* pool_stats = StatsFor(provider)) AddRelaxed<uint64_t>(pool_stats->reused, 1);
        return connection;
      }
    }
    return nullptr;
  }

  // Only a connection whose response was read exactly to its end may carry the next request:
  // leftover bytes (an interim or surplus response) would be read as someone else's answer.
  void GiveBack(const config::ProviderConfig& provider, std::unique_ptr<Connection> connection) {
    if (connection->buffer.size() != 0) return;
    auto& pool = idle[provider.name];
    // The oldest entries are the likeliest to have been closed by the server: drop them first.
    if (!pool.empty() && Clock::now() - pool.front()->idle_since >= kPoolIdleLimit) {
      pool.erase(pool.begin());
    }
    if (pool.size() >= provider.max_idle_connections) return;
    connection->idle_since = Clock::now();
    connection->SetPooled(true);
    pool.push_back(std::move(connection));
  }

  asio::awaitable<Result> Resolve(const config::Url& url, tcp::resolver::results_type& out);
  asio::awaitable<Result> Connect(const config::ProviderConfig& provider,
                                  const Deadlines& deadlines, std::unique_ptr<Connection>& out);
};

namespace {

class ResponseOver final : public UpstreamResponse {
 public:
  ResponseOver(UpstreamClient::Impl& client, const config::ProviderConfig& provider,
               std::unique_ptr<Connection> connection, std::unique_ptr<Parser> parser,
               Deadlines deadlines, Clock::duration* wait_time)
      : client_(client),
        provider_(provider),
        connection_(std::move(connection)),
        parser_(std::move(parser)),
        deadlines_(deadlines),
        wait_time_(wait_time) {}

  int status() const override { return static_cast<int>(parser_->get().result_int()); }
  std::string_view content_type() const override {
    return parser_->get()[http::field::content_type];
  }
  std::string_view header(std::string_view name) const override { return parser_->get()[name]; }
  void SetFirstTokenDeadline(Clock::time_point deadline) override {
    first_token_deadline_ = deadline;
  }
  void ClearFirstTokenDeadline() override { first_token_deadline_.reset(); }

  asio::awaitable<Piece> ReadSome() override {
    while (!error_) {
      if (parser_->is_done()) {
        Finish();
        co_return Piece{};
      }
      auto& body = parser_->get().body();
      body.data = piece_;
      body.size = sizeof piece_;
      connection_->tcp().expires_after(first_token_deadline_
                                           ? deadlines_.Until(*first_token_deadline_)
                                           : deadlines_.Cap(provider_.timeouts.idle_ms));
      std::optional<WaitTimer> waiting(std::in_place, wait_time_);
      auto [ec, n] = co_await connection_->ReadSome(*parser_);
      waiting.reset();
      if (ec == http::error::need_buffer) ec = {};
      // A close-delimited body over TLS may end without close_notify: that is its end.
      if (ec == asio::ssl::error::stream_truncated && parser_->need_eof()) {
        parser_->put_eof(ec);
      }
      if (ec) {
        connection_.reset();
        error_ =
            MapIoError(ec, first_token_deadline_ ? Phase::kFirstByte : Phase::kBody, deadlines_);
        break;
      }
      const size_t got = sizeof piece_ - parser_->get().body().size;
      if (got > 0) co_return Piece{{}, std::string_view(piece_, got)};
    }
    co_return Piece{error_, {}};
  }

  asio::awaitable<error_code> ReadAll(std::string& out, size_t limit) override {
    for (;;) {
      Piece piece = co_await ReadSome();
      if (piece.error) co_return piece.error;
      if (piece.data.empty()) co_return error_code{};
      if (out.size() + piece.data.size() > limit) {
        connection_.reset();
        error_ = Errc::kMalformedResponse;
        co_return error_;
      }
      out.append(piece.data);
    }
  }

 private:
  // The body is complete: the connection goes back to the pool if the server keeps it open.
  void Finish() {
    if (connection_ && parser_->keep_alive()) {
      client_.GiveBack(provider_, std::move(connection_));
    }
    connection_.reset();
  }

  UpstreamClient::Impl& client_;
  const config::ProviderConfig& provider_;
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Parser> parser_;
  Deadlines deadlines_;
  std::optional<Clock::time_point> first_token_deadline_;
  Clock::duration* wait_time_;
  error_code error_;
  char piece_[kBodyPieceBytes];
};

http::request<http::string_body> BuildRequest(UpstreamRequest& request) {
  const config::ProviderConfig& provider = *request.provider;
  const config::Url& url = provider.base_url;
  http::request<http::string_body> message{http::verb::post, request.target, 11};
  std::string host = url.host.find(':') == std::string::npos ? url.host : "[" + url.host + "]";
  if (url.port != (url.tls ? 443 : 80)) host += ":" + std::to_string(url.port);
  message.set(http::field::host, host);
  message.set(http::field::user_agent, "llm-gateway/0.1");
  message.set(http::field::content_type, "application/json");
  message.set(http::field::accept,
              request.expect_event_stream ? "text/event-stream" : "application/json");
  if (provider.api_key && provider.kind == config::ProviderKind::kAnthropic) {
    message.set("x-api-key", provider.api_key->value);
  } else if (provider.api_key) {
    message.set(http::field::authorization, "Bearer " + provider.api_key->value);
  }
  for (const auto& [name, value] : request.headers) message.set(name, value);
  for (const auto& [name, value] : provider.headers) message.set(name, value);
  message.keep_alive(true);
  message.body() = std::move(request.body);
  message.prepare_payload();
  return message;
}

// Reads response heads until a final one: 1xx interim responses (100 Continue, 103 Early
// Hints) come before the real answer on the same connection (RFC 9110, section 15.2).
asio::awaitable<error_code> ReadFinalHead(Connection& connection, std::unique_ptr<Parser>& parser,
                                          Clock::duration budget) {
  for (;;) {
    parser = std::make_unique<Parser>();
    parser->header_limit(kMaxResponseHeaderBytes);
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    connection.tcp().expires_after(budget);
    auto [ec, read] = co_await connection.ReadHeader(*parser);
    if (ec) co_return ec;
    const unsigned status = parser->get().result_int();
    if (status < 100 || status >= 200 || status == 101) co_return error_code{};
  }
}

}  // namespace

asio::awaitable<UpstreamClient::Result> UpstreamClient::Impl::Resolve(
    const config::Url& url, tcp::resolver::results_type& out) {
  const std::string port = std::to_string(url.port);
  if (IsIpLiteral(url.host)) {
    out = tcp::resolver::results_type::create(
        tcp::endpoint(asio::ip::make_address(url.host), url.port), url.host, port);
    co_return Result{};
  }
  const std::string key = url.host + ":" + port;
  auto cached = dns.find(key);
  if (cached != dns.end() && Clock::now() < cached->second.expires) {
    out = cached->second.results;
    co_return Result{};
  }
  tcp::resolver resolver(io);
  auto [ec, results] = co_await resolver.async_resolve(url.host, port, kNoThrow);
  if (ec) co_return Result{Errc::kResolveFailed, ec.message(), nullptr, {}};
  dns[key] = {results, Clock::now() + kDnsCacheTime};
  out = std::move(results);
  co_return Result{};
}

asio::awaitable<UpstreamClient::Result> UpstreamClient::Impl::Connect(
    const config::ProviderConfig& provider, const Deadlines& deadlines,
    std::unique_ptr<Connection>& out) {
  const config::Url& url = provider.base_url;
  tcp::resolver::results_type endpoints;
  Result resolved = co_await Resolve(url, endpoints);
  if (resolved.error) co_return resolved;

  beast::tcp_stream tcp(io);
  tcp.expires_after(deadlines.Cap(provider.timeouts.connect_ms));
  auto [connect_ec, endpoint] = co_await tcp.async_connect(endpoints, kNoThrow);
  if (connect_ec) {
    co_return Result{
        MapIoError(connect_ec, Phase::kConnect, deadlines), connect_ec.message(), nullptr, {}};
  }
  error_code ignored;
  tcp.socket().set_option(tcp::no_delay(true), ignored);
  if (!url.tls) {
    tcp.expires_never();
    out = std::make_unique<ConnectionOver<beast::tcp_stream>>(std::move(tcp));
    co_return Result{};
  }
  TlsStream stream(std::move(tcp), tls);
  // SNI carries host names only (RFC 6066, section 3), never an IP literal.
  if (!IsIpLiteral(url.host) &&
      !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    co_return Result{Errc::kTlsFailed, "cannot set SNI host name", nullptr, {}};
  }
  if (provider.tls_verify) {
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback(asio::ssl::host_name_verification(url.host));
  } else {
    stream.set_verify_mode(asio::ssl::verify_none);
  }
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, kNoThrow);
  if (handshake_ec) {
    co_return Result{
        MapIoError(handshake_ec, Phase::kConnect, deadlines), handshake_ec.message(), nullptr, {}};
  }
  beast::get_lowest_layer(stream).expires_never();
  out = std::make_unique<ConnectionOver<TlsStream>>(std::move(stream));
  co_return Result{};
}

UpstreamClient::UpstreamClient(asio::io_context& io, asio::ssl::context& tls, PoolStatsTable* stats)
    : impl_(std::make_unique<Impl>(io, tls, stats)) {}

UpstreamClient::~UpstreamClient() = default;

asio::awaitable<UpstreamClient::Result> UpstreamClient::Send(UpstreamRequest request,
                                                             Clock::time_point attempt_start) {
  const config::ProviderConfig& provider = *request.provider;
  const Deadlines deadlines{std::min(
      attempt_start + std::chrono::milliseconds(provider.timeouts.total_ms), request.deadline)};
  const uint32_t first_byte_ms =
      request.first_byte_ms != 0 ? request.first_byte_ms : provider.timeouts.first_byte_ms;
  http::request<http::string_body> message = BuildRequest(request);
  const WaitTimer waiting(request.wait_time);  // from here on, the provider has the request

  // A pooled connection may have been closed by the server in the meantime: then one more try,
  // on a fresh connection, which is what every HTTP client does.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<Connection> connection;
    if (attempt == 0) connection = impl_->TakeIdle(provider);
    const bool reused = connection != nullptr;
    if (!reused) {
      Result connected = co_await impl_->Connect(provider, deadlines, connection);
      if (connected.error) co_return connected;
      connection->Track(impl_->StatsFor(provider));
    }
    connection->tcp().expires_after(deadlines.Cap(first_byte_ms));
    auto [write_ec, written] = co_await connection->Write(message);
    if (write_ec) {
      if (reused && IsDeadConnection(write_ec)) continue;
      co_return Result{
          MapIoError(write_ec, Phase::kFirstByte, deadlines), write_ec.message(), nullptr, {}};
    }
    const Clock::time_point first_byte_deadline =
        Clock::now() + std::chrono::milliseconds(first_byte_ms);
    std::unique_ptr<Parser> parser;
    const error_code read_ec =
        co_await ReadFinalHead(*connection, parser, deadlines.Until(first_byte_deadline));
    if (read_ec) {
      if (reused && connection->buffer.size() == 0 && IsDeadConnection(read_ec)) continue;
      co_return Result{
          MapIoError(read_ec, Phase::kFirstByte, deadlines), read_ec.message(), nullptr, {}};
    }
    co_return Result{
        {},
        {},
        std::make_unique<ResponseOver>(*impl_, provider, std::move(connection), std::move(parser),
                                       deadlines, request.wait_time),
        first_byte_deadline};
  }
  co_return Result{Errc::kStreamBroken, "pooled connection closed by the provider", nullptr, {}};
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

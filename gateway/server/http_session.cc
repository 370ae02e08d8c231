#include "gateway/server/http_session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>

#include "gateway/error_response.h"
#include "gateway/server/access_log.h"
#include "gateway/server/log.h"

namespace gw::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr size_t kReadChunk = 8192;
constexpr std::string_view kJsonType = "application/json";
// After an error that closes the connection, unread request bytes are drained for at most this
// long so the client sees our answer instead of a reset ("lingering close", as nginx does).
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerMaxBytes = 1 << 20;

// How reading the next request ended.
enum class ReadOutcome { kRequest, kClose, kAnswered };

template <class Stream>
class HttpSession final : public Responder {
 public:
  HttpSession(Stream& stream, Worker& worker, LiveConnection& connection)
      : stream_(stream), worker_(worker), config_(*worker.config), connection_(connection) {}

  asio::awaitable<void> Run() {
    while (!closed_) {
      const ReadOutcome outcome = co_await ReadRequest();
      if (outcome == ReadOutcome::kClose) break;
      if (outcome == ReadOutcome::kRequest) co_await Dispatch();
      if (closed_ || !keep_alive_ || worker_.shutting_down) break;
      connection_.busy = false;
    }
    if (!closed_ && lingering_) co_await LingerClose();
  }

  // --- Responder ---------------------------------------------------------------------------

  asio::awaitable<bool> Send(http::status status, std::string_view content_type, std::string body,
                             const HeaderList& extra_headers) override {
    if (started_ || closed_) co_return false;
    http::response<http::string_body> response{status, 11};
    response.set(http::field::content_type, content_type);
    for (const auto& [name, value] : extra_headers) response.set(name, value);
    response.keep_alive(keep_alive_);
    response.body() = std::move(body);
    response.prepare_payload();
    started_ = true;
    status_ = status;
    ArmDeadline(config_.timeouts.write_ms);
    auto [ec, written] = co_await http::async_write(stream_, response, kNoThrow);
    bytes_out_ += written;
    finished_ = !ec;
    co_return MarkWriteResult(ec);
  }

  asio::awaitable<bool> BeginStream(std::string_view content_type,
                                    const HeaderList& extra_headers) override {
    if (started_ || closed_) co_return false;
    http::response<http::empty_body> response{http::status::ok, 11};
    response.set(http::field::content_type, content_type);
    response.set(http::field::cache_control, "no-cache");
    response.set("X-Accel-Buffering", "no");  // tells reverse proxies not to buffer SSE
    for (const auto& [name, value] : extra_headers) response.set(name, value);
    response.keep_alive(keep_alive_);
    response.chunked(true);
    started_ = true;
    status_ = http::status::ok;
    http::response_serializer<http::empty_body> serializer{response};
    ArmDeadline(config_.timeouts.write_ms);
    auto [ec, written] = co_await http::async_write_header(stream_, serializer, kNoThrow);
    bytes_out_ += written;
    co_return MarkWriteResult(ec);
  }

  asio::awaitable<bool> WriteChunk(std::string_view data) override {
    if (!started_ || closed_) co_return false;
    if (data.empty()) co_return true;  // an empty chunk would end the body
    ArmDeadline(config_.timeouts.write_ms);
    auto [ec, written] =
        co_await asio::async_write(stream_, http::make_chunk(asio::buffer(data)), kNoThrow);
    bytes_out_ += written;
    co_return MarkWriteResult(ec);
  }

  asio::awaitable<bool> EndStream() override {
    if (!started_ || closed_) co_return false;
    ArmDeadline(config_.timeouts.write_ms);
    auto [ec, written] = co_await asio::async_write(stream_, http::make_chunk_last(), kNoThrow);
    bytes_out_ += written;
    finished_ = !ec;
    co_return MarkWriteResult(ec);
  }

  bool started() const override { return started_; }

  void Abort() override {
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_both,
                                                       ignored);
    beast::get_lowest_layer(stream_).close();
    closed_ = true;
  }

 private:
  void ArmDeadline(uint32_t ms) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(ms));
  }

  bool MarkWriteResult(const boost::system::error_code& ec) {
    if (ec) closed_ = true;
    return !ec;
  }

  void ResetPerRequestState() {
    started_ = finished_ = false;
    method_.clear();
    target_.clear();
    status_ = http::status::internal_server_error;
    bytes_out_ = 0;
    log() = RequestLog{};
  }

  // Waits (idle deadline) for the next request, then reads its header and body (their own
  // deadlines). Protocol-level problems are answered here and close the connection.
  asio::awaitable<ReadOutcome> ReadRequest() {
    if (buffer_.size() == 0) {
      ArmDeadline(config_.timeouts.idle_ms);
      auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), kNoThrow);
      if (ec) co_return ReadOutcome::kClose;  // idle timeout, client closed, or shutdown
      buffer_.commit(n);
    }
    connection_.busy = true;
    ResetPerRequestState();
    start_ = Clock::now();
    parser_.emplace();
    parser_->header_limit(config_.max_header_bytes);
    parser_->body_limit(config_.max_body_bytes);

    ArmDeadline(config_.timeouts.header_ms);
    auto [header_ec, header_bytes] =
        co_await http::async_read_header(stream_, buffer_, *parser_, kNoThrow);
    if (header_ec) {
      const ReadOutcome outcome = co_await AnswerReadError(header_ec);
      co_return outcome;
    }
    bytes_in_ = header_bytes;

    auto& head = parser_->get();
    method_ = std::string(head.method_string());
    target_ = std::string(head.target());
    if (beast::iequals(head[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      ArmDeadline(config_.timeouts.write_ms);
      auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(kContinue), kNoThrow);
      if (ec) co_return ReadOutcome::kClose;
    }
    ArmDeadline(config_.timeouts.body_ms);
    auto [body_ec, body_bytes] = co_await http::async_read(stream_, buffer_, *parser_, kNoThrow);
    if (body_ec) {
      const ReadOutcome outcome = co_await AnswerReadError(body_ec);
      co_return outcome;
    }
    bytes_in_ += body_bytes;
    keep_alive_ = parser_->get().keep_alive();
    co_return ReadOutcome::kRequest;
  }

  // Maps a read failure to an answer (or a silent close) and ends the connection.
  asio::awaitable<ReadOutcome> AnswerReadError(boost::system::error_code ec) {
    keep_alive_ = false;
    if (parser_->is_header_done() && method_.empty()) {
      method_ = std::string(parser_->get().method_string());
      target_ = std::string(parser_->get().target());
    }
    if (ec == http::error::body_limit) {
      co_await SendError(
          http::status::payload_too_large,
          "request body exceeds the limit of " + std::to_string(config_.max_body_bytes) + " bytes");
    } else if (ec == http::error::header_limit) {
      co_await SendError(http::status::request_header_fields_too_large,
                         "request header exceeds the limit of " +
                             std::to_string(config_.max_header_bytes) + " bytes");
    } else if (ec.category() == http::make_error_code(http::error::body_limit).category() &&
               ec != http::error::end_of_stream && ec != http::error::partial_message) {
      co_await SendError(http::status::bad_request,
                         std::string("malformed HTTP request: ") + ec.message());
    } else {
      co_return ReadOutcome::kClose;  // timeout, reset or EOF: nobody to answer
    }
    lingering_ = true;
    FinishRequest();
    co_return ReadOutcome::kAnswered;
  }

  asio::awaitable<void> SendError(http::status status, std::string message) {
    log().error = message;
    co_await Send(status, kJsonType, ErrorBody(static_cast<int>(status), message), kNoHeaders);
  }

  asio::awaitable<void> Dispatch() {
    const Request request = parser_->release();
    if (worker_.shutting_down) keep_alive_ = false;
    co_await worker_.handler->Handle(request, *this);
    if (!started_ && !closed_) {
      std::string message = "the handler produced no answer";
      co_await SendError(http::status::internal_server_error, std::move(message));
    }
    if (started_ && !finished_) closed_ = true;  // a half-written response ends the connection
    FinishRequest();
  }

  void FinishRequest() {
    if (!config_.access_log) return;
    AccessLogEntry entry;
    entry.service = worker_.service;
    entry.method = method_;
    entry.target = target_;
    entry.status = static_cast<int>(status_);
    entry.completed = finished_;
    entry.latency = Clock::now() - start_;
    entry.bytes_in = bytes_in_;
    entry.bytes_out = bytes_out_;
    entry.details = &log();
    WriteAccessLog(entry);
  }

  // Half-closes, then discards what the client still sends, bounded in time and bytes.
  asio::awaitable<void> LingerClose() {
    auto& socket = beast::get_lowest_layer(stream_).socket();
    boost::system::error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    beast::get_lowest_layer(stream_).expires_after(kLingerTime);
    size_t drained = 0;
    char sink[kReadChunk];
    while (drained < kLingerMaxBytes) {
      auto [ec, n] =
          co_await beast::get_lowest_layer(stream_).async_read_some(asio::buffer(sink), kNoThrow);
      if (ec) break;
      drained += n;
    }
  }

  Stream& stream_;
  Worker& worker_;
  const config::ServerConfig& config_;
  LiveConnection& connection_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;

  bool keep_alive_ = true;
  bool closed_ = false;
  bool lingering_ = false;
  bool started_ = false;
  bool finished_ = false;
  http::status status_ = http::status::internal_server_error;
  std::string method_;
  std::string target_;
  Clock::time_point start_;
  size_t bytes_in_ = 0;
  size_t bytes_out_ = 0;
};

asio::awaitable<void> RunPlain(beast::tcp_stream stream, Worker& worker,
                               LiveConnection& connection) {
  connection.socket = &stream.socket();
  HttpSession<beast::tcp_stream> session(stream, worker, connection);
  co_await session.Run();
  connection.socket = nullptr;
  boost::system::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> RunTls(beast::tcp_stream tcp, Worker& worker, LiveConnection& connection) {
  asio::ssl::stream<beast::tcp_stream> stream(std::move(tcp), *worker.tls);
  connection.socket = &beast::get_lowest_layer(stream).socket();
  beast::get_lowest_layer(stream).expires_after(
      std::chrono::milliseconds(worker.config->timeouts.header_ms));
  auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
  if (ec) co_return;  // not TLS, bad client certificate, timeout: nothing to answer
  HttpSession<asio::ssl::stream<beast::tcp_stream>> session(stream, worker, connection);
  co_await session.Run();
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
  co_await stream.async_shutdown(kNoThrow);
  connection.socket = nullptr;
}

}  // namespace

asio::awaitable<void> RunSession(asio::ip::tcp::socket socket, Worker& worker,
                                 LiveConnection& connection) {
  // Cancellation (shutdown) must end the session quietly, not throw out of the next co_await.
  co_await asio::this_coro::throw_if_cancelled(false);
  beast::tcp_stream stream(std::move(socket));
  if (worker.tls != nullptr) {
    co_await RunTls(std::move(stream), worker, connection);
  } else {
    co_await RunPlain(std::move(stream), worker, connection);
  }
}

}  // namespace gw::server

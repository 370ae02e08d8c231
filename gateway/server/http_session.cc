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
#include <cstdint>
#include <optional>

#include "gateway/error_response.h"
#include "gateway/server/access_log.h"
#include "gateway/server/log.h"
#include "gateway/server/request_parsing.h"
#include "providers/http/inline_io.h"

namespace gw::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Read buffer sizing. Beast reads at most the flat_buffer's free capacity per recv (never less
// than 512 bytes) and the parser consumes body bytes as they arrive, so the buffer's capacity is
// the read size: 8 KiB for headers and small bodies, 64 KiB while a large body is read (a 400 KB
// body over loopback: 11 recv calls instead of 52). Idle connections give the 64 KiB back: 5,000
// idle keep-alive connections must not hold 320 MB.
constexpr size_t kReadChunk = 8 * 1024;
constexpr uint64_t kLargeBodyBytes = 16 * 1024;
constexpr size_t kLargeBodyReadBuffer = 64 * 1024;
constexpr std::string_view kJsonType = "application/json";
// After an error that closes the connection, unread request bytes are drained for at most this
// long so the client sees our answer instead of a reset ("lingering close", as nginx does).
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr size_t kLingerMaxBytes = 1 << 20;

// How reading the next request ended.
enum class ReadOutcome { kRequest, kClose, kAnswered };

// How the body of a streamed response goes on the wire.
enum class StreamFraming {
  kChunked,  // HTTP/1.1: chunked transfer coding
  kRaw,      // HTTP/1.0 (no chunked coding, RFC 9112 §6.1): raw bytes, ended by closing
  kNone,     // HEAD: the header only
};

template <class Stream>
class HttpSession final : public Responder {
  // Plain TCP reads and writes go inline first (providers/http/inline_io.h); TLS does not.
  static constexpr bool kInlineIo = std::is_same_v<Stream, beast::tcp_stream>;

 public:
  HttpSession(Stream& stream, Worker& worker, LiveConnection& connection)
      : stream_(stream), worker_(worker), config_(*worker.config), connection_(connection) {
    if constexpr (kInlineIo) {
      boost::system::error_code ignored;
      stream_.socket().non_blocking(true, ignored);
    }
    buffer_.reserve(kReadChunk);
  }

  asio::awaitable<void> Run() {
    while (!closed_) {
      const ReadOutcome outcome = co_await ReadRequest();
      if (outcome == ReadOutcome::kClose) break;
      if (outcome == ReadOutcome::kRequest) co_await Dispatch();
      if (closed_ || !keep_alive_ || worker_.shutting_down) break;
      connection_.busy = false;
      connection_.answering = false;
      ReleaseLargeReadBuffer();
    }
    if (!closed_ && lingering_) co_await LingerClose();
  }

  // --- Responder ---------------------------------------------------------------------------

  // A HEAD request gets the header the GET answer would have, Content-Length included, and no
  // body: a body would be read as the start of the next response on a keep-alive connection.
  asio::awaitable<bool> Send(http::status status, std::string_view content_type, std::string body,
                             const HeaderList& extra_headers) override {
    if (started_ || closed_) co_return false;
    http::response<http::string_body> response{status, 11};
    SetHeaderFields(response, content_type, extra_headers);
    response.body() = std::move(body);
    response.prepare_payload();
    started_ = true;
    connection_.answering = true;
    status_ = status;
    http::response_serializer<http::string_body> serializer{response};
    const boost::system::error_code ec = co_await WriteMessage(serializer, head_request_);
    finished_ = !ec;
    co_return MarkWriteResult(ec);
  }

  asio::awaitable<bool> BeginStream(std::string_view content_type,
                                    const HeaderList& extra_headers) override {
    if (started_ || closed_) co_return false;
    framing_ = FramingForRequest();
    if (framing_ == StreamFraming::kRaw) keep_alive_ = false;  // the close ends the body
    http::response<http::empty_body> response{http::status::ok, 11};
    SetHeaderFields(response, content_type, extra_headers);
    response.set(http::field::cache_control, "no-cache");
    response.set("X-Accel-Buffering", "no");  // tells reverse proxies not to buffer SSE
    response.chunked(!http10_);  // a HEAD answer too announces the framing GET would get
    started_ = true;
    connection_.answering = true;
    status_ = http::status::ok;
    http::response_serializer<http::empty_body> serializer{response};
    const boost::system::error_code ec = co_await WriteMessage(serializer, true);
    co_return MarkWriteResult(ec);
  }

  asio::awaitable<bool> WriteChunk(std::string_view data) override {
    if (!started_ || closed_) co_return false;
    // An empty chunk would end the body; a HEAD answer has none.
    if (data.empty() || framing_ == StreamFraming::kNone) co_return true;
    const asio::const_buffer bytes = asio::buffer(data);
    boost::system::error_code ec;
    if (framing_ == StreamFraming::kRaw) {
      ec = co_await WriteBuffers(bytes);
    } else {
      const auto chunk = http::make_chunk(bytes);
      ec = co_await WriteBuffers(chunk);
    }
    co_return MarkWriteResult(ec);
  }

  asio::awaitable<bool> EndStream() override {
    if (!started_ || closed_) co_return false;
    if (framing_ != StreamFraming::kChunked) {
      finished_ = true;  // kRaw: closing the connection ends the body; kNone: there is none
      co_return true;
    }
    const auto last_chunk = http::make_chunk_last();
    const boost::system::error_code ec = co_await WriteBuffers(last_chunk);
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
  // Writes a response head (and body unless `head_only`): inline as far as the socket takes
  // it, the rest asynchronously under the write deadline.
  template <class Serializer>
  asio::awaitable<boost::system::error_code> WriteMessage(Serializer& serializer, bool head_only) {
    if constexpr (kInlineIo) {
      const net::InlineResult done = net::WriteInline(stream_.socket(), serializer, head_only);
      bytes_out_ += done.bytes;
      if (!net::WouldBlock(done.error)) co_return done.error;
    }
    ArmDeadline(config_.timeouts.write_ms);
    if (head_only) {
      auto [ec, written] = co_await http::async_write_header(stream_, serializer, kNoThrow);
      bytes_out_ += written;
      co_return ec;
    }
    auto [ec, written] = co_await http::async_write(stream_, serializer, kNoThrow);
    bytes_out_ += written;
    co_return ec;
  }

  // Writes a buffer sequence: inline as far as the socket takes it, the rest asynchronously.
  template <class ConstBuffers>
  asio::awaitable<boost::system::error_code> WriteBuffers(const ConstBuffers& buffers) {
    size_t inline_bytes = 0;
    if constexpr (kInlineIo) {
      const net::InlineResult done = net::WriteBuffersInline(stream_.socket(), buffers);
      bytes_out_ += done.bytes;
      if (!net::WouldBlock(done.error)) co_return done.error;
      inline_bytes = done.bytes;
    }
    beast::buffers_suffix<ConstBuffers> rest(buffers);
    rest.consume(inline_bytes);
    ArmDeadline(config_.timeouts.write_ms);
    auto [ec, written] = co_await asio::async_write(stream_, rest, kNoThrow);
    bytes_out_ += written;
    co_return ec;
  }

  void ArmDeadline(uint32_t ms) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(ms));
  }

  bool MarkWriteResult(const boost::system::error_code& ec) {
    if (ec) closed_ = true;
    return !ec;
  }

  template <class Body>
  void SetHeaderFields(http::response<Body>& response, std::string_view content_type,
                       const HeaderList& extra_headers) {
    response.set(http::field::content_type, content_type);
    for (const auto& [name, value] : extra_headers) response.set(name, value);
    if (worker_.shutting_down) keep_alive_ = false;  // the answer says the connection ends
    response.keep_alive(keep_alive_);
    // An HTTP/1.0 client keeps the connection only if the answer says so; Beast adds nothing
    // for a 1.1 response.
    if (keep_alive_ && http10_) response.set(http::field::connection, "keep-alive");
  }

  void ResetPerRequestState() {
    started_ = finished_ = head_request_ = http10_ = false;
    framing_ = StreamFraming::kChunked;
    method_.clear();
    target_.clear();
    status_ = http::status::internal_server_error;
    bytes_in_ = bytes_out_ = 0;
    read_ = {};
    log() = RequestLog{};
  }

  StreamFraming FramingForRequest() const {
    if (head_request_) return StreamFraming::kNone;
    return http10_ ? StreamFraming::kRaw : StreamFraming::kChunked;
  }

  // Records what the answer depends on, once the request head is parsed.
  void NoteRequestHead() {
    const auto& head = parser_->get();
    method_ = std::string(head.method_string());
    target_ = std::string(head.target());
    head_request_ = head.method() == http::verb::head;
    http10_ = head.version() < 11;
  }

  // The 64 KiB a large body needed goes back when the connection turns idle (see kReadChunk);
  // the next idle read allocates 8 KiB again. Bytes of a pipelined request keep the buffer.
  void ReleaseLargeReadBuffer() {
    if (buffer_.size() == 0 && buffer_.capacity() > kLargeBodyBytes) buffer_.shrink_to_fit();
  }

  // Waits (idle deadline) for the next request, then reads its header and body (their own
  // deadlines). Protocol-level problems are answered here and close the connection.
  asio::awaitable<ReadOutcome> ReadRequest() {
    if (buffer_.size() == 0) {
      ArmDeadline(config_.timeouts.idle_ms);
      const auto space = buffer_.prepare(kReadChunk);
      auto [ec, n] = co_await stream_.async_read_some(space, kNoThrow);
      if (ec) co_return ReadOutcome::kClose;  // idle timeout, client closed, or shutdown
      buffer_.commit(n);
    }
    connection_.busy = true;
    ResetPerRequestState();
    start_ = Clock::now();
    parser_.emplace();
    ApplyRequestLimits(*parser_, config_);
    const ReadOutcome header = co_await ReadHeader();
    if (header != ReadOutcome::kRequest) co_return header;
    const ReadOutcome body = co_await ReadBody();
    if (body == ReadOutcome::kRequest) read_ = Clock::now();
    co_return body;
  }

  // Reads the request head (header deadline and limit) and answers `Expect: 100-continue`.
  asio::awaitable<ReadOutcome> ReadHeader() {
    boost::system::error_code ec = asio::error::would_block;
    if constexpr (kInlineIo) {
      const net::InlineResult done =
          net::ReadInline(stream_.socket(), buffer_, *parser_, net::ReadGoal::kHeader);
      ec = done.error;
      bytes_in_ = done.bytes;
    }
    if (net::WouldBlock(ec)) {
      ArmDeadline(config_.timeouts.header_ms);
      auto [read_ec, header_bytes] =
          co_await http::async_read_header(stream_, buffer_, *parser_, kNoThrow);
      ec = read_ec;
      bytes_in_ += header_bytes;
    }
    if (ec) {
      const ReadOutcome outcome = co_await AnswerReadError(ec);
      co_return outcome;
    }
    NoteRequestHead();
    // bytes_in_ is what the parser consumed so far: exactly the head.
    std::optional<ReadRejection> rejection =
        CheckRequestHead(parser_->get().base(), bytes_in_, config_.max_header_bytes);
    if (rejection) {
      const ReadOutcome outcome = co_await RefuseRequest(std::move(*rejection));
      co_return outcome;
    }
    std::optional<EarlyAnswer> early = worker_.handler->CheckHead(parser_->get().base());
    if (early) {
      const ReadOutcome outcome = co_await AnswerEarly(std::move(*early));
      co_return outcome;
    }
    // HTTP/1.0 has no 100 (Continue): a 1.0 client may not understand it (RFC 9110 §10.1.1).
    if (!http10_ && beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      const asio::const_buffer continue_bytes = asio::buffer(kContinue);
      ArmDeadline(config_.timeouts.write_ms);
      auto [write_ec, n] = co_await asio::async_write(stream_, continue_bytes, kNoThrow);
      if (write_ec) co_return ReadOutcome::kClose;
    }
    co_return ReadOutcome::kRequest;
  }

  // Reads the body (body deadline and limit) into the parser.
  asio::awaitable<ReadOutcome> ReadBody() {
    const auto content_length = parser_->content_length();
    if (content_length && *content_length > kLargeBodyBytes) {
      buffer_.reserve(kLargeBodyReadBuffer);  // larger reads (see kReadChunk)
    }
    // Inline only with body bytes at hand: otherwise the body is not there yet (a slow client,
    // or one waiting for 100 Continue) and a failed inline read would be a wasted syscall.
    boost::system::error_code ec = asio::error::would_block;
    if constexpr (kInlineIo) {
      if (buffer_.size() > 0 || parser_->is_done()) {
        const net::InlineResult done =
            net::ReadInline(stream_.socket(), buffer_, *parser_, net::ReadGoal::kMessage);
        ec = done.error;
        bytes_in_ += done.bytes;
      }
    }
    if (net::WouldBlock(ec)) {
      ArmDeadline(config_.timeouts.body_ms);
      auto [read_ec, body_bytes] = co_await http::async_read(stream_, buffer_, *parser_, kNoThrow);
      ec = read_ec;
      bytes_in_ += body_bytes;
    }
    if (ec) {
      const ReadOutcome outcome = co_await AnswerReadError(ec);
      co_return outcome;
    }
    keep_alive_ = parser_->get().keep_alive();
    co_return ReadOutcome::kRequest;
  }

  // Sends the handler's answer to a request head. Unless the request has no body, its body was
  // not read, so the connection cannot carry another request: it closes (lingering).
  asio::awaitable<ReadOutcome> AnswerEarly(EarlyAnswer answer) {
    if (parser_->is_done()) {
      keep_alive_ = parser_->get().keep_alive();
    } else {
      keep_alive_ = false;
      lingering_ = true;
    }
    log().error = std::move(answer.log_error);
    co_await Send(answer.status, answer.content_type, std::move(answer.body), answer.headers);
    FinishRequest();
    co_return ReadOutcome::kAnswered;
  }

  // Answers a request that cannot be read, or a head refused by CheckRequestHead, and ends the
  // connection: what follows is unread or untrusted (e.g. a body of unknown framing), so no
  // byte after it may be read as a request.
  asio::awaitable<ReadOutcome> RefuseRequest(ReadRejection rejection) {
    keep_alive_ = false;
    co_await SendError(rejection.status, std::move(rejection.message));
    lingering_ = true;
    FinishRequest();
    co_return ReadOutcome::kAnswered;
  }

  // Maps a read failure to an answer (or a silent close) and ends the connection.
  asio::awaitable<ReadOutcome> AnswerReadError(boost::system::error_code ec) {
    keep_alive_ = false;
    if (parser_->is_header_done() && method_.empty()) NoteRequestHead();
    std::optional<ReadRejection> rejection = RejectionFor(ec, config_);
    if (!rejection) co_return ReadOutcome::kClose;  // timeout, reset or EOF: nobody to answer
    const ReadOutcome outcome = co_await RefuseRequest(std::move(*rejection));
    co_return outcome;
  }

  asio::awaitable<void> SendError(http::status status, std::string message) {
    log().error = message;
    std::string body = ErrorBody(static_cast<int>(status), message);
    co_await Send(status, kJsonType, std::move(body), kNoHeaders);
  }

  asio::awaitable<void> Dispatch() {
    Request request = parser_->release();
    co_await worker_.handler->Handle(request, *this);
    if (!started_ && !closed_) {
      std::string message = "the handler produced no answer";
      co_await SendError(http::status::internal_server_error, std::move(message));
    }
    if (started_ && !finished_) closed_ = true;  // a half-written response ends the connection
    FinishRequest();
  }

  void FinishRequest() {
    FinishedRequest request;
    request.method = method_;
    request.target = target_;
    request.status = static_cast<int>(status_);
    request.completed = finished_;
    request.started = start_;
    request.finished = Clock::now();
    request.read = read_ == Clock::time_point{} ? request.finished : read_;
    request.bytes_in = bytes_in_;
    request.bytes_out = bytes_out_;
    request.details = &log();
    worker_.handler->Finished(request);
    if (config_.access_log) WriteAccessLog(worker_.service, request);
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
      const asio::mutable_buffer sink_bytes = asio::buffer(sink);
      auto [ec, n] =
          co_await beast::get_lowest_layer(stream_).async_read_some(sink_bytes, kNoThrow);
      if (ec) break;
      drained += n;
    }
  }

  Stream& stream_;
  Worker& worker_;
  const config::ServerConfig& config_;
  LiveConnection& connection_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;

  bool keep_alive_ = true;
  bool closed_ = false;
  bool lingering_ = false;
  // Per request (ResetPerRequestState):
  bool started_ = false;
  bool finished_ = false;
  bool head_request_ = false;  // HEAD: answers carry no body
  bool http10_ = false;        // HTTP/1.0: no chunked coding, no 100 (Continue)
  StreamFraming framing_ = StreamFraming::kChunked;
  http::status status_ = http::status::internal_server_error;
  std::string method_;
  std::string target_;
  Clock::time_point start_;
  Clock::time_point read_;  // the request was read whole; epoch until then
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

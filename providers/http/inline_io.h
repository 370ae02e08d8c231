// Inline-first I/O for plain TCP sockets in non-blocking mode: try an HTTP read or write
// synchronously, and go asynchronous only for what would have to wait. On a keep-alive
// connection the data is usually there already (a request's body arrives with its head, a
// response fits the socket buffer), and every asynchronous operation that completes at once
// still costs a trip through the scheduler (Boost 1.81 has no immediate completion): an
// epoll_wait, a posted handler and a coroutine resumption. Used by the client session and the
// upstream client; the caller's thread only. TLS streams always go asynchronous.
#pragma once

#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <utility>

namespace gw::net {

// The error of a synchronous operation on a non-blocking socket that would have had to wait.
inline bool WouldBlock(const boost::system::error_code& ec) {
  return ec == boost::asio::error::would_block || ec == boost::asio::error::try_again;
}

struct InlineResult {
  boost::system::error_code error;  // would_block: go on asynchronously from where this ended
  size_t bytes = 0;
};

// Writes what `serializer` still holds (only the head when `head_only`) as far as the socket
// takes it now.
template <class Serializer>
InlineResult WriteInline(boost::asio::ip::tcp::socket& socket, Serializer& serializer,
                         bool head_only) {
  InlineResult result;
  result.bytes = head_only ? boost::beast::http::write_header(socket, serializer, result.error)
                           : boost::beast::http::write(socket, serializer, result.error);
  return result;
}

// Writes a buffer sequence as far as the socket takes it now; `bytes` tells where to go on.
template <class ConstBuffers>
InlineResult WriteBuffersInline(boost::asio::ip::tcp::socket& socket, const ConstBuffers& buffers) {
  InlineResult result;
  result.bytes = boost::asio::write(socket, buffers, result.error);
  return result;
}

// How far ReadInline goes: the message head or the whole message.
enum class ReadGoal { kHeader, kMessage };

// Parses what `buffer` holds and reads what the socket has now, until `goal` is reached.
template <class DynamicBuffer, class Parser>
InlineResult ReadInline(boost::asio::ip::tcp::socket& socket, DynamicBuffer& buffer, Parser& parser,
                        ReadGoal goal) {
  namespace http = boost::beast::http;
  InlineResult result;
  switch (goal) {
    case ReadGoal::kHeader:
      result.bytes = http::read_header(socket, buffer, parser, result.error);
      break;
    case ReadGoal::kMessage:
      result.bytes = http::read(socket, buffer, parser, result.error);
      break;
  }
  return result;
}

// Parses what `buffer` holds without reading from the socket: `would_block` when the parser
// needs more bytes than the buffer has (a read is due), else what Beast's read_some would
// return (progress, or the parser's error).
template <class DynamicBuffer, class Parser>
InlineResult ParseBuffered(DynamicBuffer& buffer, Parser& parser) {
  InlineResult result;
  result.bytes = parser.put(buffer.data(), result.error);
  buffer.consume(result.bytes);
  if (result.error == boost::beast::http::error::need_more) {
    result.error = boost::asio::error::would_block;
  }
  return result;
}

}  // namespace gw::net

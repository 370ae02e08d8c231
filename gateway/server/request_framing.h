// Checks on a parsed request head that Beast's parser leaves to the server, made before the
// body is read. Pure: a head and its byte count in, a rejection or nothing out.
//
// - Message framing (RFC 9112 section 6.1). Beast takes the body as chunked only when
//   `chunked` is the final transfer coding; any other Transfer-Encoding without Content-Length
//   it reads as an empty body, and the body's bytes would then be parsed as the next request
//   on the connection (a request-desync primitive behind a front proxy that honours the
//   header). Accepted: no Transfer-Encoding, or exactly `chunked` (in one field, once). Refused
//   (the caller closes the connection after answering):
//     400  chunked missing or not final, Transfer-Encoding together with Content-Length, any
//          Transfer-Encoding in an HTTP/1.0 request, an empty coding list;
//     501  another coding before a final `chunked` (e.g. `gzip, chunked`): understood framing,
//          a content coding the gateway does not decode.
// - Size: `max_header_bytes` bounds the whole head (request line, every field, the blank
//   line). Beast's own header_limit applies per parse step and lets about 1.4x through when the
//   head is many small fields, so the total is checked here on the bytes the parser consumed.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <cstddef>
#include <optional>
#include <string>

namespace gw::server {

// The answer to a request that cannot be read or is refused by its head; the session sends it
// and closes the connection.
struct ReadRejection {
  boost::beast::http::status status = boost::beast::http::status::bad_request;
  std::string message;  // names the problem, e.g. "request body exceeds the limit of 1024 bytes"
};

// "request header exceeds the limit of N bytes": the one wording of a 431, also used when
// Beast's own limit stops the parse.
std::string HeaderTooLargeMessage(size_t max_header_bytes);

std::optional<ReadRejection> CheckRequestHead(const boost::beast::http::request_header<>& head,
                                              size_t head_bytes, size_t max_header_bytes);

}  // namespace gw::server

// The pure part of reading a client's request (hop 2 of the data path): the Beast request parser
// set to the server's size limits, and the answer each read failure gets (a status and a message,
// or none: the connection just closes). http_session.cc reads from its socket with these;
// ParseRequestBytes runs them over bytes in memory, for the tests and the fuzzer
// (fuzz/http_request_fuzzer.cc). Pure; any thread.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "gateway/server/request_framing.h"

namespace gw::server {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets the parser's header and body limits (server.max_header_bytes, server.max_body_bytes).
void ApplyRequestLimits(RequestParser& parser, const config::ServerConfig& config);

// 413 for a body over the limit, 431 for a header over the limit, 400 for any other HTTP
// protocol error ("malformed HTTP request: bad method"); nullopt for what leaves nobody to
// answer: a timeout, a reset, the client closing (end_of_stream, partial_message).
std::optional<ReadRejection> RejectionFor(const boost::system::error_code& ec,
                                          const config::ServerConfig& config);

// What ParseRequestBytes made of the bytes.
struct ParsedRequest {
  enum class Outcome {
    kRequest,   // a whole request was read: `request`, and `consumed` bytes used
    kRejected,  // the session answers `rejection` and closes
    kClosed,    // the bytes ended first (end_of_stream or partial_message): a silent close
  };
  Outcome outcome = Outcome::kClosed;
  std::optional<boost::beast::http::request<boost::beast::http::string_body>> request;
  std::optional<ReadRejection> rejection;
  boost::system::error_code error;  // the parser's error, unless kRequest
  size_t consumed = 0;              // bytes of the request (kRequest); the rest is the next one's
};

// Reads one request from `pieces`, which arrive one after the other as a socket's reads would
// deliver them, with the same parser, limits and answers as the session (Beast's read loop:
// the parser is fed what has arrived, needs more, gets the next piece; the end of the pieces is
// the end of the stream). The head is checked with CheckRequestHead before the body is read,
// as the session does; a head it refuses is kRejected with `error` header_limit (431) or
// bad_transfer_encoding (400, 501).
ParsedRequest ParseRequestBytes(const std::vector<std::string_view>& pieces,
                                const config::ServerConfig& config);

}  // namespace gw::server

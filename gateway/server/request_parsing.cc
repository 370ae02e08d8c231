#include "gateway/server/request_parsing.h"

#include <boost/beast/http/error.hpp>
#include <optional>
#include <string>
#include <utility>

namespace gw::server {

namespace http = boost::beast::http;

void ApplyRequestLimits(RequestParser& parser, const config::ServerConfig& config) {
  parser.header_limit(config.max_header_bytes);
  parser.body_limit(config.max_body_bytes);
}

std::optional<ReadRejection> RejectionFor(const boost::system::error_code& ec,
                                          const config::ServerConfig& config) {
  ReadRejection rejection;
  if (ec == http::error::body_limit) {
    rejection.status = http::status::payload_too_large;
    rejection.message.append("request body exceeds the limit of ")
        .append(std::to_string(config.max_body_bytes))
        .append(" bytes");
  } else if (ec == http::error::header_limit) {
    rejection.status = http::status::request_header_fields_too_large;
    rejection.message = HeaderTooLargeMessage(config.max_header_bytes);
  } else if (ec.category() == http::make_error_code(http::error::body_limit).category() &&
             ec != http::error::end_of_stream && ec != http::error::partial_message) {
    rejection.message.append("malformed HTTP request: ").append(ec.message());
  } else {
    return std::nullopt;  // timeout, reset or EOF: nobody to answer
  }
  return rejection;
}

namespace {

ParsedRequest ParsedRequestFrom(boost::system::error_code ec, const config::ServerConfig& config) {
  ParsedRequest parsed;
  parsed.error = ec;
  parsed.rejection = RejectionFor(ec, config);
  parsed.outcome =
      parsed.rejection ? ParsedRequest::Outcome::kRejected : ParsedRequest::Outcome::kClosed;
  return parsed;
}

ParsedRequest RefusedHead(ReadRejection rejection) {
  ParsedRequest parsed;
  parsed.outcome = ParsedRequest::Outcome::kRejected;
  parsed.error = rejection.status == http::status::request_header_fields_too_large
                     ? http::error::header_limit
                     : http::error::bad_transfer_encoding;
  parsed.rejection = std::move(rejection);
  return parsed;
}

}  // namespace

ParsedRequest ParseRequestBytes(const std::vector<std::string_view>& pieces,
                                const config::ServerConfig& config) {
  RequestParser parser;
  ApplyRequestLimits(parser, config);
  // As the session: the head alone first (http::read_header), checked, then the body.
  parser.eager(false);
  bool head_checked = false;
  // Beast's read loop: the parser takes what it can of the bytes that arrived and keeps the
  // rest; on need_more the next read appends; at the end of the stream a parser that has seen
  // something gets put_eof (ending a body delimited by the close), else it is end_of_stream.
  std::string arrived;  // not yet consumed by the parser
  size_t consumed = 0;
  size_t next_piece = 0;
  while (!parser.is_done()) {
    if (!arrived.empty()) {
      boost::system::error_code ec;
      const size_t used = parser.put(boost::asio::buffer(arrived), ec);
      arrived.erase(0, used);
      consumed += used;
      if (ec && ec != http::error::need_more) return ParsedRequestFrom(ec, config);
      if (!head_checked && parser.is_header_done()) {
        head_checked = true;
        // `consumed` is exactly the head: with eager off the parser stops at its end.
        std::optional<ReadRejection> refused =
            CheckRequestHead(parser.get().base(), consumed, config.max_header_bytes);
        if (refused) return RefusedHead(std::move(*refused));
        parser.eager(true);  // as http::read: the body is parsed with what has arrived
      }
      if (!ec && (used > 0 || parser.is_done())) continue;
    }
    if (next_piece == pieces.size()) {
      boost::system::error_code ec;
      if (parser.got_some()) {
        parser.put_eof(ec);
      } else {
        ec = http::error::end_of_stream;
      }
      if (ec) return ParsedRequestFrom(ec, config);
      break;
    }
    arrived.append(pieces[next_piece++]);
  }
  ParsedRequest parsed;
  parsed.outcome = ParsedRequest::Outcome::kRequest;
  parsed.request = parser.release();
  parsed.consumed = consumed;
  return parsed;
}

}  // namespace gw::server

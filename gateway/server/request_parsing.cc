#include "gateway/server/request_parsing.h"

#include <boost/beast/http/error.hpp>
#include <string>

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
    rejection.message.append("request header exceeds the limit of ")
        .append(std::to_string(config.max_header_bytes))
        .append(" bytes");
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

}  // namespace

ParsedRequest ParseRequestBytes(const std::vector<std::string_view>& pieces,
                                const config::ServerConfig& config) {
  RequestParser parser;
  ApplyRequestLimits(parser, config);
  parser.eager(true);  // as http::read sets it: the body is parsed with the header's bytes
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

// Reading a client's request from bytes with the server's limits: the whole request however the
// bytes are split, and every answer to a request that cannot be read (gateway/server/
// request_parsing.h, what http_session.cc does on its socket).
#include "gateway/server/request_parsing.h"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <string>
#include <vector>

namespace gw::server {
namespace {

namespace http = boost::beast::http;
using Outcome = ParsedRequest::Outcome;

config::ServerConfig Limits() {
  config::ServerConfig config;
  config.max_header_bytes = 256;
  config.max_body_bytes = 16;
  return config;
}

std::vector<std::string_view> Pieces(std::string_view bytes, size_t size) {
  std::vector<std::string_view> pieces;
  for (size_t at = 0; at < bytes.size(); at += size) pieces.push_back(bytes.substr(at, size));
  return pieces;
}

TEST(RequestParsingTest, ReadsARequestWholeOrByteByByteAndLeavesThePipelinedRest) {
  const std::string first =
      "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\n"
      "Content-Length: 7\r\n\r\n{\"a\":1}";
  const std::string bytes = first + "GET /health HTTP/1.1\r\n\r\n";
  for (size_t piece : {bytes.size(), size_t{1}, size_t{5}}) {
    const ParsedRequest parsed = ParseRequestBytes(Pieces(bytes, piece), Limits());
    ASSERT_EQ(parsed.outcome, Outcome::kRequest) << piece;
    EXPECT_EQ(parsed.request->method(), http::verb::post);
    EXPECT_EQ(parsed.request->target(), "/v1/chat/completions");
    EXPECT_EQ(parsed.request->body(), "{\"a\":1}");
    EXPECT_EQ(parsed.consumed, first.size()) << piece;
  }
}

TEST(RequestParsingTest, ReadsAChunkedBodyWithExtensionsAndTrailers) {
  const std::string bytes =
      "POST /v1/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;x=1\r\nabc\r\n2\r\nde\r\n0\r\nTrailer: t\r\n\r\n";
  const ParsedRequest parsed = ParseRequestBytes(Pieces(bytes, 3), Limits());
  ASSERT_EQ(parsed.outcome, Outcome::kRequest);
  EXPECT_EQ(parsed.request->body(), "abcde");
}

TEST(RequestParsingTest, ABodyOverTheLimitIs413) {
  const std::string bytes = "POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n";
  const ParsedRequest parsed = ParseRequestBytes({bytes}, Limits());
  ASSERT_EQ(parsed.outcome, Outcome::kRejected);
  EXPECT_EQ(parsed.rejection->status, http::status::payload_too_large);
  EXPECT_EQ(parsed.rejection->message, "request body exceeds the limit of 16 bytes");
}

TEST(RequestParsingTest, AChunkedBodyGrowingOverTheLimitIs413) {
  const std::string bytes =
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\nx\r\n";
  const ParsedRequest parsed = ParseRequestBytes(Pieces(bytes, 4), Limits());
  ASSERT_EQ(parsed.outcome, Outcome::kRejected);
  EXPECT_EQ(parsed.rejection->status, http::status::payload_too_large);
}

TEST(RequestParsingTest, AHeaderOverTheLimitIs431) {
  const std::string bytes = "GET / HTTP/1.1\r\nX-Big: " + std::string(300, 'a') + "\r\n\r\n";
  const ParsedRequest parsed = ParseRequestBytes(Pieces(bytes, 7), Limits());
  ASSERT_EQ(parsed.outcome, Outcome::kRejected);
  EXPECT_EQ(parsed.rejection->status, http::status::request_header_fields_too_large);
  EXPECT_EQ(parsed.rejection->message, "request header exceeds the limit of 256 bytes");
}

TEST(RequestParsingTest, ManySmallHeadersOverTheLimitTogetherAre431WholeOrInPieces) {
  // 20 fields of 16 bytes: each far under the 256-byte limit, the head over it.
  std::string bytes = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 20; ++i) bytes += "X-F" + std::to_string(10 + i) + ": abcdefgh\r\n";
  bytes += "\r\n";
  for (size_t piece : {bytes.size(), size_t{1}, size_t{16}}) {
    const ParsedRequest parsed = ParseRequestBytes(Pieces(bytes, piece), Limits());
    ASSERT_EQ(parsed.outcome, Outcome::kRejected) << piece;
    EXPECT_EQ(parsed.rejection->status, http::status::request_header_fields_too_large);
    EXPECT_EQ(parsed.error, http::error::header_limit);
  }
}

TEST(RequestParsingTest, AnUntrustedTransferEncodingIsRefusedBeforeTheBody) {
  // The body would otherwise be read as the next request (GET /health).
  const std::string bytes =
      "POST / HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\nGET /health HTTP/1.1\r\n\r\n";
  const ParsedRequest parsed = ParseRequestBytes({bytes}, Limits());
  ASSERT_EQ(parsed.outcome, Outcome::kRejected);
  EXPECT_EQ(parsed.rejection->status, http::status::bad_request);
  EXPECT_EQ(parsed.error, http::error::bad_transfer_encoding);
  const ParsedRequest coded = ParseRequestBytes(
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"}, Limits());
  ASSERT_EQ(coded.outcome, Outcome::kRejected);
  EXPECT_EQ(coded.rejection->status, http::status::not_implemented);
}

TEST(RequestParsingTest, MalformedRequestsAre400NamingTheProblem) {
  for (const std::string bytes :
       {"GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        "G@T / HTTP/1.1\r\n\r\n", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    const ParsedRequest parsed = ParseRequestBytes({bytes}, Limits());
    ASSERT_EQ(parsed.outcome, Outcome::kRejected) << bytes;
    EXPECT_EQ(parsed.rejection->status, http::status::bad_request);
    EXPECT_EQ(parsed.rejection->message.rfind("malformed HTTP request: ", 0), 0u)
        << parsed.rejection->message;
  }
}

TEST(RequestParsingTest, BytesEndingEarlyCloseSilently) {
  const ParsedRequest nothing = ParseRequestBytes({}, Limits());
  EXPECT_EQ(nothing.outcome, Outcome::kClosed);
  EXPECT_EQ(nothing.error, http::error::end_of_stream);
  EXPECT_FALSE(nothing.rejection);

  const ParsedRequest cut =
      ParseRequestBytes({"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"}, Limits());
  EXPECT_EQ(cut.outcome, Outcome::kClosed);
  EXPECT_EQ(cut.error, http::error::partial_message);
  EXPECT_FALSE(cut.rejection);
}

TEST(RequestParsingTest, ErrorsOutsideHttpLeaveNobodyToAnswer) {
  EXPECT_FALSE(RejectionFor(boost::asio::error::connection_reset, Limits()));
  EXPECT_FALSE(RejectionFor(boost::beast::error::timeout, Limits()));
}

}  // namespace
}  // namespace gw::server

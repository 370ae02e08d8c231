// gateway/server/request_parsing: the bytes of a client connection into requests, with the
// server's limits and answers (what http_session.cc does on its socket), then the session's
// reading of each head (keep-alive, HTTP/1.0, Expect) and the query string of the target.
// Input: byte 0 sets the size of the pieces the bytes arrive in; the rest is what the client
// sends (possibly several pipelined requests). Invariants: a request is read the same however
// the bytes are split; its body is within the limit; a rejection is 400, 413 or 431 with a
// message (or 501 for a transfer coding before chunked), 413 and 431 exactly for the body and
// header limits, no request read with a head over the header limit or a Transfer-Encoding other
// than chunked alone; a silent close only when the bytes ended. (Which answer a malformed request
// gets may depend on the split: CheckSame.)
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "gateway/api/query_string.h"
#include "gateway/server/request_parsing.h"

namespace {

namespace http = boost::beast::http;
using gw::server::ParsedRequest;

std::vector<std::string_view> Split(std::string_view bytes, size_t piece_size) {
  std::vector<std::string_view> pieces;
  for (size_t at = 0; at < bytes.size(); at += piece_size) {
    pieces.push_back(bytes.substr(at, piece_size));
  }
  return pieces;
}

// Beast checks the start line as soon as its first bytes arrive but, once it has waited for
// more, rescans only for the header's end: a malformed start line sent in small pieces is then
// found late (a silent close or a 431 where the whole bytes get a 400). Beast applies its header
// limit per parse step; CheckRequestHead bounds the whole head, so a request read whole is read
// in pieces too. Kept lenient on a 431 in one of the two, as Beast's own limit may still stop
// a head in pieces earlier than the total check would.
void CheckSame(const ParsedRequest& a, const ParsedRequest& b) {
  const bool a_read = a.outcome == ParsedRequest::Outcome::kRequest;
  const bool b_read = b.outcome == ParsedRequest::Outcome::kRequest;
  if (a_read != b_read) {
    FUZZ_CHECK((a_read ? b : a).error == http::error::header_limit);
    return;
  }
  if (!a_read) return;
  FUZZ_CHECK(a.consumed == b.consumed);
  FUZZ_CHECK(a.request->method_string() == b.request->method_string());
  FUZZ_CHECK(a.request->target() == b.request->target());
  FUZZ_CHECK(a.request->body() == b.request->body());
}

void CheckOutcome(const ParsedRequest& parsed, size_t available,
                  const gw::config::ServerConfig& config) {
  switch (parsed.outcome) {
    case ParsedRequest::Outcome::kRequest: {
      FUZZ_CHECK(parsed.request.has_value());
      FUZZ_CHECK(parsed.consumed > 0 && parsed.consumed <= available);
      FUZZ_CHECK(parsed.request->body().size() <= config.max_body_bytes);
      // Framing the gateway trusts: chunked alone, or none (RFC 9112 section 6.1).
      const auto coding = parsed.request->find(http::field::transfer_encoding);
      FUZZ_CHECK(coding == parsed.request->end() ||
                 (parsed.request->chunked() && parsed.request->version() >= 11 &&
                  !parsed.request->has_content_length()));
      break;
    }
    case ParsedRequest::Outcome::kRejected: {
      FUZZ_CHECK(parsed.rejection.has_value());
      FUZZ_CHECK(!parsed.rejection->message.empty());
      const http::status status = parsed.rejection->status;
      FUZZ_CHECK(status == http::status::bad_request || status == http::status::payload_too_large ||
                 status == http::status::request_header_fields_too_large ||
                 status == http::status::not_implemented);
      FUZZ_CHECK(status != http::status::not_implemented ||
                 parsed.error == http::error::bad_transfer_encoding);
      FUZZ_CHECK((status == http::status::payload_too_large) ==
                 (parsed.error == http::error::body_limit));
      FUZZ_CHECK((status == http::status::request_header_fields_too_large) ==
                 (parsed.error == http::error::header_limit));
      break;
    }
    case ParsedRequest::Outcome::kClosed:
      FUZZ_CHECK(!parsed.rejection.has_value());
      FUZZ_CHECK(parsed.error == http::error::end_of_stream ||
                 parsed.error == http::error::partial_message);
      break;
  }
}

// What the session and the handlers read from a request's head.
void ReadHead(const http::request<http::string_body>& request) {
  const bool http10 = request.version() < 11;
  const bool expects_continue =
      !http10 && boost::beast::iequals(request[http::field::expect], "100-continue");
  const bool keep_alive = request.keep_alive();
  const std::string_view authorization = request[http::field::authorization];
  const std::string_view api_key = request["x-api-key"];
  (void)expects_continue, (void)keep_alive, (void)authorization, (void)api_key;
  std::string problem;
  (void)gw::api::ParseQueryString(request.target());
  (void)gw::api::ReadParameters(request.target(), {"from", "to", "format", "id"}, &problem);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t piece_size = 1 + data[0] % 32;
  std::string_view bytes = gw::fuzz::AsText(data + 1, size - 1);
  gw::config::ServerConfig config;
  config.max_header_bytes = 512;  // small limits, so that inputs reach them
  config.max_body_bytes = 1024;

  // Pipelined requests, as the session reads them off one connection.
  for (int request = 0; request < 8 && !bytes.empty(); ++request) {
    const ParsedRequest whole = gw::server::ParseRequestBytes({bytes}, config);
    const ParsedRequest pieces = gw::server::ParseRequestBytes(Split(bytes, piece_size), config);
    CheckOutcome(whole, bytes.size(), config);
    CheckSame(whole, pieces);
    if (whole.outcome != ParsedRequest::Outcome::kRequest) break;
    ReadHead(*whole.request);
    if (!whole.request->keep_alive()) break;  // the session closes after this one
    bytes.remove_prefix(whole.consumed);
  }
  return 0;
}

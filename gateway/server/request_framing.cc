#include "gateway/server/request_framing.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <string_view>
#include <vector>

namespace gw::server {
namespace {

namespace http = boost::beast::http;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The transfer codings of every Transfer-Encoding field, in order, without parameters
// (`gzip;q=1` -> `gzip`) and without empty list elements (RFC 9110 section 5.6.1).
// A field without any coding yields an empty list: Transfer-Encoding is `1#transfer-coding`,
// and Beast's chunked() reads the first field alone, so "Transfer-Encoding: " followed by
// "Transfer-Encoding: chunked" would frame the body one way for the parser and another for
// the message (found by fuzz/http_request_fuzzer).
std::vector<std::string_view> TransferCodings(const http::request_header<>& head) {
  std::vector<std::string_view> codings;
  const auto [first, last] = head.equal_range(http::field::transfer_encoding);
  for (auto field = first; field != last; ++field) {
    std::string_view list = field->value();
    const size_t before = codings.size();
    while (!list.empty()) {
      const size_t comma = list.find(',');
      std::string_view element = list.substr(0, comma);
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
      element = Trim(element.substr(0, element.find(';')));
      if (!element.empty()) codings.push_back(element);
    }
    if (codings.size() == before) return {};
  }
  return codings;
}

ReadRejection BadFraming(std::string problem) {
  std::string message = "Transfer-Encoding: ";
  message.append(problem);
  message.append(" (RFC 9112 section 6.1)");
  return {http::status::bad_request, std::move(message)};
}

std::optional<ReadRejection> CheckTransferEncoding(const http::request_header<>& head) {
  if (head.find(http::field::transfer_encoding) == head.end()) return std::nullopt;
  if (head.version() < 11) return BadFraming("not allowed in an HTTP/1.0 request");
  if (head.find(http::field::content_length) != head.end()) {
    return BadFraming("not allowed together with Content-Length");
  }
  const std::vector<std::string_view> codings = TransferCodings(head);
  if (codings.empty()) return BadFraming("empty list of transfer codings");
  if (!boost::beast::iequals(codings.back(), "chunked")) {
    std::string problem = "the final transfer coding must be chunked, not \"";
    problem.append(codings.back());
    problem.append("\"");
    return BadFraming(std::move(problem));
  }
  for (size_t i = 0; i + 1 < codings.size(); ++i) {
    if (boost::beast::iequals(codings[i], "chunked")) return BadFraming("chunked applied twice");
    std::string message = "transfer coding \"";
    message.append(codings[i]);
    message.append("\" is not supported; send the body with Content-Length or chunked alone");
    return ReadRejection{http::status::not_implemented, std::move(message)};
  }
  return std::nullopt;
}

}  // namespace

std::string HeaderTooLargeMessage(size_t max_header_bytes) {
  std::string message = "request header exceeds the limit of ";
  message.append(std::to_string(max_header_bytes));
  message.append(" bytes");
  return message;
}

std::optional<ReadRejection> CheckRequestHead(const http::request_header<>& head, size_t head_bytes,
                                              size_t max_header_bytes) {
  if (head_bytes > max_header_bytes) {
    return ReadRejection{http::status::request_header_fields_too_large,
                         HeaderTooLargeMessage(max_header_bytes)};
  }
  return CheckTransferEncoding(head);
}

}  // namespace gw::server

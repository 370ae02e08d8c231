#include "config/net_address.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace gw::config {
namespace {

constexpr uint32_t kMaxPort = 65535;

struct HostPort {
  std::string host;
  std::optional<uint32_t> port;  // absent when the text had no ":port"
};

bool IsHostnameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

bool IsIpv6Char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

// 1-5 decimal digits; nullopt otherwise (range is checked by callers).
std::optional<uint32_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  uint32_t port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  return port;
}

// Splits "host", "host:port", "[v6]" or "[v6]:port". Returns an error message or "".
std::string SplitHostPort(std::string_view text, HostPort* out) {
  std::string_view host;
  std::string_view rest;
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return "IPv6 address is missing its closing ']'";
    host = text.substr(1, close - 1);
    rest = text.substr(close + 1);
    if (host.find(':') == std::string_view::npos ||
        !std::all_of(host.begin(), host.end(), IsIpv6Char)) {
      return "invalid IPv6 address between [ and ]";
    }
    if (!rest.empty() && !rest.starts_with(':')) return "unexpected text after ']'";
  } else {
    const size_t colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
      return "an IPv6 address must be written in brackets, e.g. [::1]:8080";
    }
    host = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    if (!std::all_of(host.begin(), host.end(), IsHostnameChar)) {
      return "invalid host (letters, digits, '.', '-' and '_' only)";
    }
  }
  if (host.empty()) return "host is missing";
  out->host = std::string(host);
  if (rest.empty()) return "";
  out->port = ParsePort(rest.substr(1));
  if (!out->port || *out->port > kMaxPort) return "port must be a number from 0 to 65535";
  return "";
}

// Lower-cased copy, for the case-insensitive scheme.
std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

}  // namespace

std::string ParseListenAddress(std::string_view text, ListenAddress* out) {
  HostPort parts;
  std::string error = SplitHostPort(text, &parts);
  if (!error.empty()) return error;
  if (!parts.port) return "port is missing (write host:port, e.g. 127.0.0.1:8080)";
  out->host = std::move(parts.host);
  out->port = static_cast<uint16_t>(*parts.port);
  return "";
}

std::string ParseBaseUrl(std::string_view text, Url* out) {
  const size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return "must start with http:// or https://";
  const std::string scheme = Lower(text.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return "scheme must be http or https";
  const std::string_view after_scheme = text.substr(scheme_end + 3);
  const size_t authority_end = after_scheme.find_first_of("/?#");
  const std::string_view authority = after_scheme.substr(0, authority_end);
  std::string_view path = authority_end == std::string_view::npos
                              ? std::string_view()
                              : after_scheme.substr(authority_end);

  if (authority.find('@') != std::string_view::npos) {
    return "must not contain credentials; use api_key or headers with ${ENV_VAR}";
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    return "must not have a query or fragment";
  }
  if (std::any_of(path.begin(), path.end(),
                  [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
    return "path must not contain spaces or control characters";
  }
  HostPort parts;
  std::string error = SplitHostPort(authority, &parts);
  if (!error.empty()) return error;
  if (parts.port && *parts.port == 0) return "port must be a number from 1 to 65535";

  while (path.ends_with('/')) path.remove_suffix(1);
  out->tls = scheme == "https";
  out->host = std::move(parts.host);
  out->port = static_cast<uint16_t>(parts.port.value_or(out->tls ? 443 : 80));
  out->path_prefix = std::string(path);
  return "";
}

}  // namespace gw::config

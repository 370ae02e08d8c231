#include "config/net_address.h"

#include <gtest/gtest.h>

namespace gw::config {
namespace {

ListenAddress Listen(std::string_view text) {
  ListenAddress address{.host = "unset", .port = 1};
  EXPECT_EQ(ParseListenAddress(text, &address), "") << text;
  return address;
}

std::string ListenError(std::string_view text) {
  ListenAddress address{.host = "unset", .port = 1};
  std::string error = ParseListenAddress(text, &address);
  EXPECT_EQ(address.host, "unset") << "output touched on error: " << text;
  return error;
}

Url ParseUrl(std::string_view text) {
  Url url;
  EXPECT_EQ(ParseBaseUrl(text, &url), "") << text;
  return url;
}

std::string UrlError(std::string_view text) {
  Url url;
  return ParseBaseUrl(text, &url);
}

TEST(ListenAddressTest, ParsesHostAndPort) {
  EXPECT_EQ(Listen("127.0.0.1:8080").host, "127.0.0.1");
  EXPECT_EQ(Listen("127.0.0.1:8080").port, 8080);
  EXPECT_EQ(Listen("localhost:65535").port, 65535);
  EXPECT_EQ(Listen("0.0.0.0:0").port, 0);
  EXPECT_EQ(Listen("[::1]:8080").host, "::1");
  EXPECT_EQ(Listen("[::]:9000").port, 9000);
  EXPECT_EQ(Listen("[::ffff:10.0.0.1]:1").host, "::ffff:10.0.0.1");
}

TEST(ListenAddressTest, RejectsMalformedAddresses) {
  EXPECT_EQ(ListenError("127.0.0.1"), "port is missing (write host:port, e.g. 127.0.0.1:8080)");
  EXPECT_EQ(ListenError(":8080"), "host is missing");
  EXPECT_EQ(ListenError(""), "host is missing");
  EXPECT_EQ(ListenError("::1:8080"),
            "an IPv6 address must be written in brackets, e.g. [::1]:8080");
  EXPECT_EQ(ListenError("[::1]8080"), "unexpected text after ']'");
  EXPECT_EQ(ListenError("[::1:8080"), "IPv6 address is missing its closing ']'");
  EXPECT_EQ(ListenError("[zz::1]:80"), "invalid IPv6 address between [ and ]");
  EXPECT_EQ(ListenError("[]:80"), "invalid IPv6 address between [ and ]");
  EXPECT_EQ(ListenError("ho st:80"), "invalid host (letters, digits, '.', '-' and '_' only)");
  for (const char* text : {"h:65536", "h:-1", "h:abc", "h:", "h:123456", "h:+80"}) {
    EXPECT_EQ(ListenError(text), "port must be a number from 0 to 65535") << text;
  }
}

TEST(BaseUrlTest, ParsesSchemeHostPortAndPrefix) {
  const Url openai = ParseUrl("https://api.openai.com/v1");
  EXPECT_TRUE(openai.tls);
  EXPECT_EQ(openai.host, "api.openai.com");
  EXPECT_EQ(openai.port, 443);
  EXPECT_EQ(openai.path_prefix, "/v1");

  const Url local = ParseUrl("http://127.0.0.1:9101/v1/");
  EXPECT_FALSE(local.tls);
  EXPECT_EQ(local.host, "127.0.0.1");
  EXPECT_EQ(local.port, 9101);
  EXPECT_EQ(local.path_prefix, "/v1");

  EXPECT_EQ(ParseUrl("http://example.com").port, 80);
  EXPECT_EQ(ParseUrl("http://example.com").path_prefix, "");
  EXPECT_EQ(ParseUrl("http://example.com/").path_prefix, "");
  EXPECT_TRUE(ParseUrl("HTTPS://Example.com").tls);
  EXPECT_EQ(ParseUrl("https://api.groq.com/openai/v1//").path_prefix, "/openai/v1");
  EXPECT_EQ(ParseUrl("http://[::1]:8000/v1").host, "::1");
  EXPECT_EQ(ParseUrl("http://[::1]:8000/v1").port, 8000);
}

TEST(BaseUrlTest, RejectsMalformedUrls) {
  EXPECT_EQ(UrlError("api.openai.com/v1"), "must start with http:// or https://");
  EXPECT_EQ(UrlError("ftp://example.com"), "scheme must be http or https");
  EXPECT_EQ(UrlError("https://example.com/v1?x=1"), "must not have a query or fragment");
  EXPECT_EQ(UrlError("https://example.com#top"), "must not have a query or fragment");
  EXPECT_EQ(UrlError("https://example.com/a b"),
            "path must not contain spaces or control characters");
  EXPECT_EQ(UrlError("https:///v1"), "host is missing");
  EXPECT_EQ(UrlError("https://:443/v1"), "host is missing");
  EXPECT_EQ(UrlError("https://example.com:0"), "port must be a number from 1 to 65535");
  EXPECT_EQ(UrlError("https://example.com:99999"), "port must be a number from 0 to 65535");
  EXPECT_EQ(UrlError("http://::1:8000/v1"),
            "an IPv6 address must be written in brackets, e.g. [::1]:8080");
}

TEST(BaseUrlTest, CredentialsAreRejectedWithoutRepeatingThem) {
  const std::string error = UrlError("https://user:hunter2@example.com/v1");
  EXPECT_EQ(error, "must not contain credentials; use api_key or headers with ${ENV_VAR}");
  EXPECT_EQ(error.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace gw::config

// HTTPS to providers: the certificate chain and the host name are verified by default, and a
// provider can opt out. The test makes its own CA and points the gateway's OpenSSL at it with
// SSL_CERT_FILE, which stands in for the system store.
#include <cstdlib>

#include "tests/integration/cluster.h"

namespace gw::testing {
namespace {

class UpstreamTlsTest : public Cluster {
 protected:
  void SetUp() override {
    const std::string dir = WriteTempFile("tls-dir", "");
    std::remove(dir.c_str());
    ca_ = dir + "-ca.crt";
    const std::string script =
        "set -e; d=" + dir +
        "; "
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=gw-test-ca "
        "  -keyout $d-ca.key -out $d-ca.crt; "
        "openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout $d-srv.key "
        "  -out $d-srv.csr; "
        "printf 'subjectAltName=DNS:localhost' > $d-ext; "
        "openssl x509 -req -in $d-srv.csr -CA $d-ca.crt -CAkey $d-ca.key -CAcreateserial "
        "  -days 1 -out $d-srv.crt -extfile $d-ext";
    ASSERT_EQ(std::system(("(" + script + ") >/dev/null 2>&1").c_str()), 0);
    const int sim = StartSimulator({"--tls-cert", dir + "-srv.crt", "--tls-key", dir + "-srv.key"});
    auto https = [&](const std::string& name, const std::string& host, const std::string& extra) {
      return TestProvider{name, sim, extra, "https://" + host};
    };
    setenv("SSL_CERT_FILE", ca_.c_str(), 1);
    port_ = StartGateway(
        GatewayYaml({https("trusted", "localhost", ""), https("wrong-name", "127.0.0.1", ""),
                     https("unchecked", "127.0.0.1", "    tls_verify: false\n")},
                    {{"it/trusted", {{"trusted"}}},
                     {"it/wrong-name", {{"wrong-name"}}},
                     {"it/unchecked", {{"unchecked"}}}}));
    unsetenv("SSL_CERT_FILE");
  }
  std::string ca_;
  int port_ = 0;
};

TEST_F(UpstreamTlsTest, VerifiedCertificateAndHostName) {
  HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/trusted"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["provider"], "trusted");
}

TEST_F(UpstreamTlsTest, HostNameMismatchIsRefused) {
  HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/wrong-name"));
  ASSERT_EQ(response.status, 502) << response.body;
  EXPECT_NE(response.Json()["error"]["message"].get<std::string>().find("TLS"), std::string::npos)
      << response.body;
}

TEST_F(UpstreamTlsTest, VerificationCanBeTurnedOffPerProvider) {
  HttpResponse response = Post(port_, "/v1/chat/completions", ChatBody("it/unchecked"));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Json()["provider"], "unchecked");
}

}  // namespace
}  // namespace gw::testing

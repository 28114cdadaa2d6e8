#include "net/tls_context.h"

#include <openssl/x509_vfy.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>

namespace scanner::net {

namespace ssl = boost::asio::ssl;

namespace {

// Shared by clients and servers: no SSLv2/3, TLS 1.0 or 1.1, no compression.
constexpr auto kContextOptions = ssl::context::default_workarounds | ssl::context::no_sslv2 |
                                 ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                                 ssl::context::no_tlsv1_1 | ssl::context::no_compression;

}  // namespace

core::Result<ssl::context> MakeClientTlsContext(const std::string& ca_file) {
  ssl::context context(ssl::context::tls_client);
  boost::system::error_code ec;
  context.set_options(kContextOptions, ec);
  if (ec) return core::Fail("TLS: cannot set client options: " + ec.message());
  context.set_default_verify_paths(ec);
  if (ec) return core::Fail("TLS: cannot load the system's trusted roots: " + ec.message());
  if (!ca_file.empty()) {
    context.load_verify_file(ca_file, ec);
    if (ec) return core::Fail("TLS: cannot load ca_file '" + ca_file + "': " + ec.message());
  }
  context.set_verify_mode(ssl::verify_peer, ec);
  if (ec) return core::Fail("TLS: cannot enable peer verification: " + ec.message());
  return context;
}

core::Result<ssl::context> MakeServerTlsContext(const std::string& cert_file,
                                                const std::string& key_file) {
  ssl::context context(ssl::context::tls_server);
  boost::system::error_code ec;
  context.set_options(kContextOptions | ssl::context::single_dh_use, ec);
  if (ec) return core::Fail("TLS: cannot set server options: " + ec.message());
  context.use_certificate_chain_file(cert_file, ec);
  if (ec) return core::Fail("TLS: cannot load certificate '" + cert_file + "': " + ec.message());
  context.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) return core::Fail("TLS: cannot load private key '" + key_file + "': " + ec.message());
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    return core::Fail("TLS: private key '" + key_file + "' does not match '" + cert_file + "'");
  }
  return context;
}

bool IsIpLiteral(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

std::string DescribeTlsFailure(const boost::system::error_code& ec, const SSL* ssl) {
  if (ssl != nullptr) {
    const long verify_result = SSL_get_verify_result(ssl);
    if (verify_result != X509_V_OK) {
      return std::string("certificate verify failed: ") +
             X509_verify_cert_error_string(verify_result);
    }
  }
  if (ec == ssl::error::stream_truncated) return "the peer closed the connection during TLS";
  return ec.message();
}

}  // namespace scanner::net

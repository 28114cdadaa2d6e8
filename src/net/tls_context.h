#pragma once
// TLS set-up shared by every client and server in net/ (HTTP client, WebSocket session, the
// loopback HTTP server used by the status endpoint and the test fakes).
//
// Clients always verify the peer: the trusted roots are the system's default paths plus an
// optional extra CA file (tests use a throw-away CA); there is no switch to turn verification
// off. Each client stream also gets SNI and host-name verification before its handshake.
//
// Thread-safety: the functions are pure set-up and may run on any thread. A context must outlive
// every stream built on it; a context is read-only once streams use it.

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/system/error_code.hpp>
#include <string>

#include "core/error.h"

namespace scanner::net {

// A client context: TLS 1.2 or newer, verify_peer, system default roots, plus `ca_file` (PEM,
// may hold several certificates) when it is not empty. Fails when `ca_file` cannot be loaded.
core::Result<boost::asio::ssl::context> MakeClientTlsContext(const std::string& ca_file);

// A server context: TLS 1.2 or newer with the PEM certificate chain and private key given.
// Fails when either file cannot be loaded or the key does not match the certificate.
core::Result<boost::asio::ssl::context> MakeServerTlsContext(const std::string& cert_file,
                                                             const std::string& key_file);

// True when `host` is an IPv4 or IPv6 literal (no brackets), which gets no SNI.
bool IsIpLiteral(const std::string& host);

// Before a client handshake on `stream` (boost::beast::ssl_stream or boost::asio::ssl::stream):
// sets SNI to `host` unless it is an IP literal, and verifies that the peer's certificate names
// `host` (DNS name or IP address) with boost::asio::ssl::host_name_verification. A mismatch is
// recorded as X509_V_ERR_HOSTNAME_MISMATCH so DescribeTlsFailure can name it.
template <class Stream>
core::Status PrepareClientTlsStream(Stream& stream, const std::string& host) {
  if (!IsIpLiteral(host) && SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) != 1) {
    return core::Fail("TLS: cannot set SNI host name '" + host + "'");
  }
  boost::system::error_code ec;
  stream.set_verify_mode(boost::asio::ssl::verify_peer, ec);
  if (ec) return core::Fail("TLS: cannot enable peer verification: " + ec.message());
  stream.set_verify_callback(
      [verify = boost::asio::ssl::host_name_verification(host)](
          bool preverified, boost::asio::ssl::verify_context& ctx) {
        const bool ok = verify(preverified, ctx);
        if (!ok && preverified) {
          X509_STORE_CTX_set_error(ctx.native_handle(), X509_V_ERR_HOSTNAME_MISMATCH);
        }
        return ok;
      },
      ec);
  if (ec) return core::Fail("TLS: cannot set host-name verification: " + ec.message());
  return {};
}

// A readable reason for a failed handshake `ec` on `ssl`: the certificate verification result
// when verification failed (e.g. "certificate verify failed: self-signed certificate"),
// otherwise the error's own message.
std::string DescribeTlsFailure(const boost::system::error_code& ec, const SSL* ssl);

}  // namespace scanner::net

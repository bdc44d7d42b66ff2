// pick_certificate STORE ADDRESS PORT [SNI]: what a TLS server linking
// sslbind does for each handshake -- resolve the connection as HTTP.sys
// would, load the binding's certificate and private key, and set them on an
// SSL object. Prints the binding and the certificate it would serve. Exit
// status 3 when no binding serves the connection, 5 when its certificate
// cannot be served.
#include <openssl/ssl.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sslbind/openssl.h"
#include "sslbind/resolver.h"
#include "sslbind/sslbind.h"

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: %s STORE ADDRESS PORT [SNI]\n", argv[0]);
    return 2;
  }
  const std::string store_path = argv[1];
  sslbind::Result<sslbind::IpAddress> address =
      sslbind::IpAddress::Parse(argv[2]);
  const int port = std::atoi(argv[3]);
  const std::string sni = argc == 5 ? argv[4] : "";
  if (!address.ok() || port < 1 || port > 65535) {
    std::fprintf(stderr, "bad address or port\n");
    return 2;
  }

  // At start: the store, a resolver over it, a certificate loader.
  sslbind::Result<sslbind::Store> store = sslbind::Store::Open(store_path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 8;
  }
  sslbind::Resolver resolver;
  sslbind::Result<bool> refreshed = resolver.Refresh(*store);
  auto loader = sslbind::CertificateLoader::Open(store_path);
  if (!refreshed.ok() || !loader.ok()) return 8;

  // Per handshake, on the thread that runs it.
  sslbind::ResolverReader reader(resolver);
  sslbind::Resolution r =
      reader.Resolve(*address, static_cast<uint16_t>(port), sni);
  if (!r) {
    std::printf("no binding: the handshake fails\n");
    return 3;
  }
  std::printf("binding %s\n", r.binding().key().ToParam().c_str());
  auto cert = (*loader)->Load(r);
  if (!cert.ok()) {
    std::printf("cannot serve it (Win32 %u): %s\n", cert.status().win32(),
                cert.status().message().c_str());
    return 5;
  }
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  SSL* ssl = ctx ? SSL_new(ctx) : nullptr;
  if (!ssl) return 1;
  sslbind::Status used = (*cert)->UseIn(ssl);  // as in a ClientHello callback
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (!used.ok()) {
    std::printf("cannot serve it (Win32 %u): %s\n", used.win32(),
                used.message().c_str());
    return 5;
  }
  std::printf("certificate %s from %s\n",
              sslbind::HexLower((*cert)->thumbprint()).c_str(),
              (*cert)->source().c_str());
  return 0;
}

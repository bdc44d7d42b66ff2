// TLS handshakes in memory (a BIO pair, one thread), for the handshake
// hook's tests and bench/handshake_bench.
#ifndef SSLBIND_TESTS_TLS_TEST_UTIL_H_
#define SSLBIND_TESTS_TLS_TEST_UTIL_H_

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <time.h>

namespace sslbind::testing {

inline double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Connects `client` and `server` with a BIO pair and runs the handshake on
// both until both finished or neither can go on. Returns whether both
// finished. The client then reads once, so that it takes in what the
// server sent after its Finished (TLS 1.3 session tickets). With
// `server_cpu_seconds`, adds to it the CPU time of the server's part
// (CLOCK_THREAD_CPUTIME_ID around its SSL_do_handshake calls).
inline bool RunHandshake(SSL* client, SSL* server,
                         double* server_cpu_seconds = nullptr) {
  BIO* client_bio = nullptr;
  BIO* server_bio = nullptr;
  if (BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) != 1) return false;
  SSL_set_bio(client, client_bio, client_bio);
  SSL_set_bio(server, server_bio, server_bio);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  bool client_done = false;
  bool server_done = false;
  for (int round = 0; round < 10 && !(client_done && server_done); ++round) {
    if (!client_done) {
      int r = SSL_do_handshake(client);
      client_done = r == 1;
      if (r <= 0 && SSL_get_error(client, r) != SSL_ERROR_WANT_READ) break;
    }
    if (!server_done) {
      const double start = server_cpu_seconds ? ThreadCpuSeconds() : 0;
      int r = SSL_do_handshake(server);
      if (server_cpu_seconds) *server_cpu_seconds += ThreadCpuSeconds() - start;
      server_done = r == 1;
      if (r <= 0 && SSL_get_error(server, r) != SSL_ERROR_WANT_READ) break;
    }
  }
  if (client_done && server_done) {
    char byte;
    SSL_read(client, &byte, 1);  // no data: WANT_READ after the tickets
  }
  ERR_clear_error();
  return client_done && server_done;
}

}  // namespace sslbind::testing

#endif  // SSLBIND_TESTS_TLS_TEST_UTIL_H_

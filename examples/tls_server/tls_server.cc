// tls_server: a small HTTPS server whose every handshake gets the
// certificate and options HTTP.sys would give it, from an sslbind store.
//
//   tls_server --store PATH --listen ADDR:PORT [--listen ...] [--threads N]
//
// ADDR is an IPv4 address or an IPv6 address in brackets ([::1]:8443); port
// 0 picks a free port. For each listener it prints "listening on ADDR:PORT"
// on stdout once it accepts connections. `GET /` answers 200 with the
// binding that served the connection ("hostnameport=www.contoso.com:443");
// other paths 404. A maintenance thread refreshes the resolver every 100 ms
// when the store changed; open connections keep the certificate they were
// served. SIGTERM or SIGINT stops it: it stops accepting, closes open
// connections and exits 0. Exit status 2: bad arguments; 1: cannot start.
//
// The sslbind part is all in main() under "sslbind": a Resolver, a
// CertificateLoader and a HandshakeHook installed on the listening context.
// The rest is plain sockets and OpenSSL.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "sslbind/openssl.h"
#include "sslbind/resolver.h"
#include "sslbind/sslbind.h"

namespace {

int stop_pipe[2] = {-1, -1};  // the signal handler writes; main polls
void OnSignal(int) {
  char c = 1;
  ssize_t ignored = write(stop_pipe[1], &c, 1);
  (void)ignored;
}

// Accepted sockets waiting for a worker, and the ones being served (shut
// down at exit so that workers blocked in a read return).
class Connections {
 public:
  void Push(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(fd);
    cv_.notify_one();
  }
  // The next socket, or -1 once stopped.
  int Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || !queue_.empty(); });
    if (stopped_) return -1;
    int fd = queue_.front();
    queue_.pop_front();
    open_.insert(fd);
    return fd;
  }
  void Done(int fd) {
    std::lock_guard<std::mutex> lock(mu_);
    open_.erase(fd);
    close(fd);
  }
  void Stop() {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    for (int fd : queue_) close(fd);
    queue_.clear();
    for (int fd : open_) shutdown(fd, SHUT_RDWR);
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> queue_;
  std::set<int> open_;
  bool stopped_ = false;
};

// Serves HTTP/1.1 requests on one TLS connection until the client closes
// it, asks to, or stays silent for 10 s.
void Serve(SSL_CTX* listen_ctx, int fd) {
  timeval timeout{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  SSL* ssl = SSL_new(listen_ctx);
  if (ssl == nullptr) return;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    const sslbind::HandshakeRecord* record =
        sslbind::HandshakeHook::Record(ssl);
    if (record != nullptr && !record->served) {
      std::fprintf(stderr, "tls_server: handshake refused: %s\n",
                   record->status.ToString().c_str());
    }
    ERR_clear_error();
    SSL_free(ssl);
    return;
  }
  // The binding that served this connection, named in every answer.
  const std::string binding(sslbind::HandshakeHook::Record(ssl)->binding());
  std::string buffer;
  char chunk[4096];
  for (;;) {
    size_t end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (buffer.size() > 65536) break;
      int n = SSL_read(ssl, chunk, sizeof(chunk));
      if (n <= 0) break;
      buffer.append(chunk, static_cast<size_t>(n));
      continue;
    }
    const std::string head = buffer.substr(0, end);
    buffer.erase(0, end + 4);
    const bool root = head.starts_with("GET / ");
    const bool close_after =
        head.find("\r\nConnection: close") != std::string::npos;
    const std::string body = root ? binding + "\n" : "not found\n";
    const std::string response =
        std::string(root ? "HTTP/1.1 200 OK" : "HTTP/1.1 404 Not Found") +
        "\r\nContent-Type: text/plain\r\nContent-Length: " +
        std::to_string(body.size()) +
        (close_after ? "\r\nConnection: close" : "") + "\r\n\r\n" + body;
    if (SSL_write(ssl, response.data(), static_cast<int>(response.size())) <=
            0 ||
        close_after) {
      break;
    }
  }
  SSL_shutdown(ssl);
  ERR_clear_error();
  SSL_free(ssl);
}

// "1.2.3.4:443" or "[::1]:443" as a socket address.
bool ParseListen(const std::string& text, sockaddr_storage* ss,
                 socklen_t* len) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  char* end = nullptr;
  long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535) {
    return false;
  }
  *ss = {};
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(ss);
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons(static_cast<uint16_t>(port));
    *len = sizeof(*in6);
    return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(),
                     &in6->sin6_addr) == 1;
  }
  auto* in = reinterpret_cast<sockaddr_in*>(ss);
  in->sin_family = AF_INET;
  in->sin_port = htons(static_cast<uint16_t>(port));
  *len = sizeof(*in);
  return inet_pton(AF_INET, host.c_str(), &in->sin_addr) == 1;
}

// A listening socket, or -1 (with a message).
int Listen(const std::string& text) {
  sockaddr_storage ss;
  socklen_t len = 0;
  if (!ParseListen(text, &ss, &len)) {
    std::fprintf(stderr, "tls_server: --listen %s: not ADDR:PORT\n",
                 text.c_str());
    return -1;
  }
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  if (ss.ss_family == AF_INET6) {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
  }
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0 ||
      listen(fd, 128) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    std::fprintf(stderr, "tls_server: --listen %s: %s\n", text.c_str(),
                 std::strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  char host[INET6_ADDRSTRLEN] = "";
  uint16_t port = 0;
  if (ss.ss_family == AF_INET6) {
    auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
    port = ntohs(in6->sin6_port);
    std::printf("listening on [%s]:%u\n", host, port);
  } else {
    auto* in = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
    port = ntohs(in->sin_port);
    std::printf("listening on %s:%u\n", host, port);
  }
  std::fflush(stdout);
  return fd;
}

int Usage() {
  std::fprintf(stderr,
               "usage: tls_server --store PATH --listen ADDR:PORT "
               "[--listen ADDR:PORT ...] [--threads N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string store_path;
  std::vector<std::string> listens;
  int threads = 4;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      Usage();
      return 0;
    }
    if (i + 1 >= argc) return Usage();
    const std::string value = argv[++i];
    if (arg == "--store") {
      store_path = value;
    } else if (arg == "--listen") {
      listens.push_back(value);
    } else if (arg == "--threads") {
      threads = std::atoi(value.c_str());
      if (threads < 1 || threads > 256) return Usage();
    } else {
      return Usage();
    }
  }
  if (store_path.empty() || listens.empty()) return Usage();

  // sslbind: the store, a resolver over it, a certificate loader, and the
  // hook that serves each handshake from them.
  sslbind::Result<sslbind::Store> store = sslbind::Store::Open(store_path);
  if (!store.ok()) {
    std::fprintf(stderr, "tls_server: %s\n", store.status().ToString().c_str());
    return 1;
  }
  sslbind::Resolver resolver;
  sslbind::Result<bool> refreshed = resolver.Refresh(*store);
  auto loader = sslbind::CertificateLoader::Open(store_path);
  if (!refreshed.ok() || !loader.ok()) {
    std::fprintf(stderr, "tls_server: cannot read the store %s\n",
                 store_path.c_str());
    return 1;
  }
  SSL_CTX* listen_ctx = SSL_CTX_new(TLS_server_method());
  if (listen_ctx == nullptr) return 1;
  // The listening context keeps the session cache and the ticket keys; the
  // hook switches each handshake to its binding's context.
  sslbind::HandshakeHook hook(resolver, **loader);
  if (!hook.Install(listen_ctx).ok()) return 1;

  if (pipe(stop_pipe) != 0) return 1;
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);

  std::vector<pollfd> fds;
  for (const std::string& listen : listens) {
    int fd = Listen(listen);
    if (fd < 0) return 1;
    fds.push_back({fd, POLLIN, 0});
  }
  fds.push_back({stop_pipe[0], POLLIN, 0});

  // sslbind: the maintenance thread. A store change publishes a new
  // snapshot; the hook then drops its cached certificates and contexts.
  std::atomic<bool> stopping{false};
  std::thread refresher([&] {
    while (!stopping.load()) {
      sslbind::Result<bool> published = resolver.Refresh(*store);
      if (published.ok() && *published) hook.Invalidate();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });

  Connections connections;
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&] {
      for (int fd; (fd = connections.Pop()) >= 0; connections.Done(fd)) {
        Serve(listen_ctx, fd);
      }
    });
  }
  while (fds.back().revents == 0) {
    if (poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
    for (size_t i = 0; i + 1 < fds.size(); ++i) {
      if (fds[i].revents & POLLIN) {
        int fd = accept4(fds[i].fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) connections.Push(fd);
      }
    }
  }

  for (size_t i = 0; i + 1 < fds.size(); ++i) close(fds[i].fd);
  connections.Stop();
  for (std::thread& t : workers) t.join();
  stopping = true;
  refresher.join();
  SSL_CTX_free(listen_ctx);
  return 0;
}

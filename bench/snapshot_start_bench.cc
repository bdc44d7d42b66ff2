// A server's start at scale (docs/performance.md, "Starting a server"):
// how long a fresh process takes from opening a store of N bindings to its
// first answer, and the memory it then holds for the index -- with the
// snapshot image beside the store (OpenSnapshot maps it) and without
// (Snapshot::Load), and with several processes at once sharing the image.
//
//   snapshot_start_bench FOLDER [N] [PROCESSES]
//
// makes FOLDER/bindings-N.db (N = 1000000 by default; kept for the next
// run) with the binding mix of resolve_bench, then runs, each in fresh
// processes (fork + exec of this program): a load from the store; writing
// the image; PROCESSES (default 3) processes opening the image at once, each
// holding it until all have answered and reported. Every child prints one
// line: the time from Store::Open to the first Resolve answer, where the
// snapshot came from, and from /proc/self/smaps_rollup the growth of its
// private memory (Private_Clean + Private_Dirty), of its Pss (its share of
// memory shared with others) and of its Rss over the open.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "sslbind/snapshot.h"
#include "sslbind/snapshot_image.h"
#include "sslbind/store.h"

namespace sslbind {
namespace {

constexpr uint16_t kPort = 443;

std::string SiteName(uint32_t i) {
  return "www" + std::to_string(i) + ".example" + std::to_string(i % 64) +
         ".com";
}

Binding MakeBinding(BindingKey key, uint32_t i) {
  Binding b(std::move(key));
  b.cert_hash.resize(20);
  for (size_t j = 0; j < 20; ++j) {
    b.cert_hash[j] = static_cast<uint8_t>((i * 2654435761u) >> (j % 4 * 8));
  }
  b.app_id.bytes[0] = static_cast<uint8_t>(i % 3);
  if (b.key.kind() == BindingKind::kHostnamePort) {
    b.cert_store_name = i % 4 == 0 ? "WebHosting" : "MY";
  }
  return b;
}

// resolve_bench's mix: mostly exact names, one wildcard per hundred, one
// address per thousand, the two defaults. Written in batches of 100k.
void MakeStore(const std::string& path, uint32_t n) {
  Store store =
      Store::Open(path, {.writable = true, .create_if_missing = true}).value();
  const uint32_t wildcards = std::max<uint32_t>(1, n / 100);
  const uint32_t addresses = std::max<uint32_t>(1, n / 1000);
  WriteBatch batch;
  auto flush = [&] {
    Status s = store.Write(batch);
    if (!s.ok()) {
      std::fprintf(stderr, "cannot write the store: %s\n",
                   s.ToString().c_str());
      std::exit(1);
    }
    batch = WriteBatch();
  };
  uint32_t i = 0;
  batch.Put(MakeBinding(BindingKey::IpPort(IpAddress::AnyV4(), kPort), i++));
  batch.Put(MakeBinding(BindingKey::IpPort(IpAddress::AnyV6(), kPort), i++));
  for (uint32_t a = 0; a < addresses; ++a) {
    IpAddress ip = IpAddress::AnyV4();
    ip.bytes = {10, 0, static_cast<uint8_t>(a >> 8), static_cast<uint8_t>(a)};
    batch.Put(MakeBinding(BindingKey::IpPort(ip, kPort), i++));
  }
  for (uint32_t w = 0; w < wildcards; ++w) {
    batch.Put(
        MakeBinding(BindingKey::HostnamePort(
                        "*.tenant" + std::to_string(w) + ".example.net", kPort),
                    i++));
  }
  for (uint32_t s = 0; i < n; ++s) {
    batch.Put(MakeBinding(BindingKey::HostnamePort(SiteName(s), kPort), i++));
    if (i % 100000 == 0) flush();
  }
  flush();
}

// Private_Clean + Private_Dirty, Pss and Rss of this process, in KiB.
std::map<std::string, long> Rollup() {
  std::map<std::string, long> out;
  std::ifstream in("/proc/self/smaps_rollup");
  std::string name;
  long kib = 0;
  std::string unit;
  std::string line;
  std::getline(in, line);  // the address range
  while (in >> name >> kib >> unit) out[name] = kib;
  return out;
}

double Mib(long kib) { return static_cast<double>(kib) / 1024.0; }

// The CPU time (user + system) this process has used, in milliseconds.
double CpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e3 +
           static_cast<double>(t.tv_usec) / 1e3;
  };
  return ms(u.ru_utime) + ms(u.ru_stime);
}

// A child: open, answer, report; with `hold`, wait for a byte on stdin
// before leaving (so that the others still map the image when they
// report).
int Child(const std::string& path, bool use_image, bool hold) {
  std::map<std::string, long> before = Rollup();
  const double cpu0 = CpuMs();
  const auto t0 = std::chrono::steady_clock::now();
  Store store = Store::Open(path).value();
  std::shared_ptr<const Snapshot> snapshot;
  std::string source = "store";
  if (use_image) {
    OpenedSnapshot o =
        OpenSnapshot(store, {}, {.write_when_stale = false}).value();
    snapshot = o.snapshot;
    source = std::string(SnapshotSourceName(o.source));
  } else {
    snapshot = Snapshot::Load(store).value();
  }
  Resolution r = snapshot->Resolve(IpAddress::Parse("192.0.2.1").value(), kPort,
                                   SiteName(12345));
  const auto t1 = std::chrono::steady_clock::now();
  const double cpu = CpuMs() - cpu0;
  if (!r.found()) {
    std::fprintf(stderr, "the first lookup found nothing\n");
    return 1;
  }
  char c = 0;
  if (hold) {
    std::printf("ready\n");
    std::fflush(stdout);
    if (read(0, &c, 1) < 0) return 1;
  }
  std::map<std::string, long> after = Rollup();
  auto grew = [&](const char* name) { return Mib(after[name] - before[name]); };
  std::printf(
      "%-6s open to first answer %7.1f ms (CPU %7.1f ms)  private %6.1f MiB "
      "(dirty %6.1f)  pss %6.1f MiB  rss %6.1f MiB  (%zu bindings)\n",
      source.c_str(),
      std::chrono::duration<double, std::milli>(t1 - t0).count(), cpu,
      grew("Private_Clean:") + grew("Private_Dirty:"), grew("Private_Dirty:"),
      grew("Pss:"), grew("Rss:"), snapshot->size());
  std::fflush(stdout);
  if (hold) {  // map the image until every child has reported
    while (read(0, &c, 1) > 0) {
    }
  }
  return 0;
}

// Runs `count` children at once; with count > 1 they hold the image until
// every one has answered.
void RunChildren(const char* self, const std::string& path, const char* mode,
                 int count) {
  std::vector<pid_t> pids;
  std::vector<int> go;      // write ends of the children's stdin
  std::vector<FILE*> outs;  // their stdout
  for (int i = 0; i < count; ++i) {
    int in[2], out[2];
    // Close-on-exec: a child must not hold the others' pipes open.
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) std::exit(1);
    pid_t pid = fork();
    if (pid == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      const char* hold = count > 1 ? "hold" : "go";
      execl(self, self, "--child", path.c_str(), mode, hold,
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    pids.push_back(pid);
    go.push_back(in[1]);
    outs.push_back(fdopen(out[0], "r"));
  }
  char line[512];
  if (count > 1) {
    for (FILE* f : outs) {  // every child has answered and maps the image
      if (!std::fgets(line, sizeof line, f)) std::exit(1);
    }
  }
  // Every child measures while all map the image, then leaves when its
  // stdin closes.
  for (int fd : go) {
    if (count > 1 && write(fd, "x", 1) != 1) std::exit(1);
  }
  for (FILE* f : outs) {
    if (std::fgets(line, sizeof line, f)) std::fputs(line, stdout);
  }
  for (size_t i = 0; i < pids.size(); ++i) {
    close(go[i]);
    std::fclose(outs[i]);
    int status = 0;
    waitpid(pids[i], &status, 0);
  }
}

int Main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--child") {
    return Child(argv[2], std::string(argv[3]) == "image",
                 std::string(argv[4]) == "hold");
  }
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: snapshot_start_bench FOLDER [N] [PROCESSES]\n");
    return 2;
  }
  const uint32_t n =
      argc > 2 ? static_cast<uint32_t>(std::atol(argv[2])) : 1000000;
  const int processes = argc > 3 ? std::atoi(argv[3]) : 3;
  const std::string path =
      std::string(argv[1]) + "/bindings-" + std::to_string(n) + ".db";
  if (!std::filesystem::exists(path)) {
    std::printf("making %s\n", path.c_str());
    MakeStore(path, n);
  }
  Store store = Store::Open(path).value();
  std::filesystem::remove(SnapshotImagePath(store));
  std::printf("without an image (Snapshot::Load), one process:\n");
  RunChildren(argv[0], path, "load", 1);
  const auto t0 = std::chrono::steady_clock::now();
  uint64_t revision = WriteSnapshotImage(store).value();
  const auto t1 = std::chrono::steady_clock::now();
  std::printf("WriteSnapshotImage: %.0f ms, %.1f MiB, revision %llu\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count(),
              static_cast<double>(
                  std::filesystem::file_size(SnapshotImagePath(store))) /
                  (1 << 20),
              static_cast<unsigned long long>(revision));
  std::printf("with the image, one process:\n");
  RunChildren(argv[0], path, "image", 1);
  std::printf("with the image, %d processes at once:\n", processes);
  RunChildren(argv[0], path, "image", processes);
  return 0;
}

}  // namespace
}  // namespace sslbind

int main(int argc, char** argv) { return sslbind::Main(argc, argv); }

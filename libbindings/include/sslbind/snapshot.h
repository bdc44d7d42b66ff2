// sslbind/snapshot.h: which binding serves a TLS connection (docs/reference.md,
// "Resolution order").
//
// A Snapshot is an immutable, compact index of a set of bindings, built from
// a Store or from a list. Resolve() answers "which binding serves a
// connection to local address A, port P, with SNI name N (or none)?" the way
// HTTP.sys does, in this order:
//
//   1. ipport for the local address itself (a specific address);
//   2. hostnameport for the SNI name, then the wildcard *.<parent> (it covers
//      exactly one more label: *.contoso.com serves a.contoso.com, not
//      a.b.contoso.com, not contoso.com);
//   3. scopedccs for the SNI name, then ccs for the port: the certificate is
//      the CCS file <name>.pfx, else _.<parent>.pfx;
//   4. ipport [::]:port (IPv6 local addresses only), then 0.0.0.0:port;
//   5. nothing: the handshake fails ("no binding").
//
// Without an SNI name steps 2 and 3 are skipped. An IPv4-mapped IPv6 local
// address (::ffff:a.b.c.d) counts as the IPv4 address a.b.c.d.
//
// SNI names are compared in canonical form: ASCII lower case, one trailing
// dot removed. A ClientHello carries A-labels (xn--...), never Unicode;
// Resolve() takes the name as it comes from the wire and does not convert
// Unicode (that would allocate): a name the store would refuse -- Unicode,
// '_', an empty label, more than 253 characters, ... -- can match no name,
// so steps 2 and 3 are skipped for it, and the trace says why. Callers with
// a Unicode name (the CLI) convert it first with CanonicalHostname().
//
// Resolve() takes no lock, makes no system call and allocates no memory
// unless it is given a Trace (or a CcsFolder that does): it can run in a TLS
// handshake callback. A
// Snapshot is thread-safe: any number of threads may use one at once. It is
// handed out as a shared_ptr<const Snapshot>; BindingRef and Resolution
// point into it and are valid while it lives.
#ifndef SSLBIND_SNAPSHOT_H_
#define SSLBIND_SNAPSHOT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sslbind/binding.h"
#include "sslbind/binding_key.h"
#include "sslbind/status.h"

namespace sslbind {

class Store;

namespace internal {
struct SnapshotRep;
class SnapshotBuilder;
enum TableId : size_t;
}  // namespace internal

// The steps of resolution, in the order they are tried.
enum class ResolveStep : uint8_t {
  kExactIpPort,   // 1: ipport=<local address>:<port>
  kExactSni,      // 2: hostnameport=<name>:<port>
  kWildcardSni,   // 2: hostnameport=*.<parent>:<port>
  kScopedCcs,     // 3: scopedccs=<name>:<port>
  kCcs,           // 3: ccs=<port>
  kWildcardIpV6,  // 4: ipport=[::]:<port>, IPv6 local addresses only
  kWildcardIpV4,  // 4: ipport=0.0.0.0:<port>
};

// A stable name for the step, for JSON and logs: "exact-ipport",
// "exact-sni", "wildcard-sni", "scoped-ccs", "ccs", "wildcard-ipv6",
// "wildcard-ipv4".
std::string_view ResolveStepName(ResolveStep step);

// One binding inside a Snapshot: a cheap view (copy it freely), valid while
// the snapshot lives. Reading it allocates nothing, except ToBinding().
class BindingRef {
 public:
  BindingKind kind() const;
  uint16_t port() const;
  // The address of an ipport binding (0.0.0.0 for other kinds).
  IpAddress address() const;
  // The canonical name of a hostnameport or scopedccs binding, "*.parent"
  // for a wildcard; empty for other kinds.
  std::string_view hostname() const;
  // The certificate hash; empty for ccs and scopedccs bindings.
  std::span<const uint8_t> cert_hash() const;
  const Guid& app_id() const;
  // Absent when not given (HTTP.sys then uses MY).
  std::optional<std::string_view> cert_store_name() const;
  uint32_t check_mode() const;
  uint32_t revocation_freshness_time() const;
  uint32_t url_retrieval_timeout() const;
  std::optional<std::string_view> ctl_identifier() const;
  std::optional<std::string_view> ctl_store_name() const;
  uint32_t flags() const;

  // The binding as a Binding value (allocates).
  Binding ToBinding() const;
  // The key as a BindingKey (allocates for named keys).
  BindingKey key() const;

  friend bool operator==(const BindingRef& a, const BindingRef& b) {
    return a.rep_ == b.rep_ && a.offset_ == b.offset_;
  }

 private:
  friend class Snapshot;
  friend class Resolution;
  BindingRef(const internal::SnapshotRep* rep, uint32_t offset)
      : rep_(rep), offset_(offset) {}

  const internal::SnapshotRep* rep_;
  uint32_t offset_;
};

// The answer of Snapshot::Resolve().
class Resolution {
 public:
  // Not found.
  Resolution() = default;

  // Whether a binding serves the connection. False: no binding does, and
  // HTTP.sys would fail the handshake.
  bool found() const { return found_; }
  explicit operator bool() const { return found_; }
  // The step that chose the binding. Precondition: found().
  ResolveStep step() const { return step_; }
  // The binding. Precondition: found().
  const BindingRef& binding() const { return binding_; }

  // The SNI name as compared (canonical); empty when there was none or it
  // was not a valid host name.
  std::string_view sni() const { return {sni_, sni_length_}; }

  // For an answer of the CCS steps (kScopedCcs, kCcs): the certificate file
  // names in the order they are looked for, "<name>.pfx" then
  // "_.<parent>.pfx" (no second name for a single-label name). Zero for
  // other steps.
  size_t ccs_file_count() const;
  // The i-th file name (allocates). Precondition: i < ccs_file_count().
  std::string CcsFileName(size_t i) const;
  // With a CCS folder configured (SnapshotOptions::ccs_folder): the index
  // of the file found there. Without one: nullopt, and the files were not
  // looked for (the binding is the answer, docs/reference.md, "Resolution
  // order").
  std::optional<size_t> ccs_file_found() const { return ccs_file_found_; }

 private:
  friend class Snapshot;

  bool found_ = false;
  ResolveStep step_ = ResolveStep::kExactIpPort;
  std::optional<size_t> ccs_file_found_;
  BindingRef binding_{nullptr, 0};
  uint8_t sni_length_ = 0;
  char sni_[kMaxHostnameLength];  // the first sni_length_ bytes are set
};

// What one step of a resolution found.
enum class StepOutcome : uint8_t {
  kMatched,    // this step chose the binding
  kNoBinding,  // no binding has the key this step looks for
  kSkipped,    // the step does not apply (no SNI, IPv4 address, ...)
  kNoCcsFile,  // a CCS binding exists, but the CCS folder has neither file
};

// "matched", "no binding", "skipped", "no CCS file".
std::string_view StepOutcomeName(StepOutcome outcome);

// One step tried, for explanations.
struct TraceStep {
  ResolveStep step;
  StepOutcome outcome;
  // The key looked for, e.g. "hostnameport=www.contoso.com:443"; empty
  // when the step was skipped.
  std::string key;
  // Why the step matched or not, in words.
  std::string reason;
  // For the CCS steps: the certificate file names, in the order tried.
  std::vector<std::string> ccs_files;
};

// The reasoning of one resolution, filled by Snapshot::Resolve().
struct Trace {
  // The local address as compared: "10.0.0.1", "fe80::1" (an IPv4-mapped
  // address is shown as its IPv4 address).
  std::string local_address;
  // The SNI name as compared (canonical), or empty.
  std::string sni;
  // The steps tried, in order. When a binding was found the last step is
  // the one that matched; steps after it were not tried.
  std::vector<TraceStep> steps;
  // True if memory ran out while tracing: the steps are incomplete (the
  // answer is not affected).
  bool truncated = false;
};

// The Central Certificate Store folder as resolution sees it: whether a
// certificate file is there. Called from Resolve(), by many threads at
// once: implementations must be thread-safe, and should answer from memory
// (e.g. a listing refreshed off the lookup path) without blocking or
// allocating, or they make Resolve() do so.
class CcsFolder {
 public:
  virtual ~CcsFolder() = default;
  // `file_name` is "<name>.pfx" or "_.<parent>.pfx" for a canonical host
  // name: never a path, never "..", never a separator.
  virtual bool HasFile(std::string_view file_name) const = 0;
};

struct SnapshotOptions {
  // The CCS folder. Null: no folder is configured, and a scopedccs or ccs
  // binding is the answer, reported with its candidate file names. Set: the
  // files are looked for, and when neither exists resolution continues with
  // step 4.
  std::shared_ptr<const CcsFolder> ccs_folder;
};

class Snapshot {
 public:
  // A snapshot of no bindings: every lookup finds nothing.
  static std::shared_ptr<const Snapshot> Empty();

  // Indexes the bindings (in any order; keys in canonical form, as
  // BindingKey::Parse makes them). InvalidArgument if two have the same key
  // or one is not valid (ValidateBinding).
  static Result<std::shared_ptr<const Snapshot>> Build(
      std::span<const Binding> bindings, const SnapshotOptions& options = {});

  // Indexes every binding of the store, read in one consistent pass
  // (Store::ForEach's scan; the keys are decoded on a second thread, started
  // and joined within the call, while this one reads the store). The same
  // snapshot and the same first error as the plain walk. Uses the store
  // handle from this thread only. If `change_counter` is given it receives
  // the store's change counter, read before the pass: the snapshot holds
  // the state of that commit or a later one. Fails with the store's status,
  // or with IncompatibleStore if two registry keys of the store name one
  // binding (possible only in a store edited by hand).
  static Result<std::shared_ptr<const Snapshot>> Load(
      const Store& store, const SnapshotOptions& options = {},
      uint64_t* change_counter = nullptr);

  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  ~Snapshot();

  // The binding that serves a connection to `local`:`port` with SNI name
  // `sni` (empty: the client sent none). See the file comment for the
  // rules. With a trace, every step tried is recorded there (this
  // allocates); without one, nothing is allocated.
  Resolution Resolve(const IpAddress& local, uint16_t port,
                     std::string_view sni,
                     Trace* trace = nullptr) const noexcept;

  // The binding with exactly this key, if any.
  std::optional<BindingRef> Find(const BindingKey& key) const;

  // How many bindings the snapshot holds.
  size_t size() const;
  // The bytes of memory the snapshot holds (its arrays and strings), those
  // of the base it overlays included.
  size_t MemoryUsage() const;

  // True for a snapshot that Resolver::Refresh made from the store's
  // journal: a small overlay of the keys changed since a base snapshot,
  // which it shares with the snapshots before it. It resolves exactly as a
  // snapshot loaded whole would.
  bool is_overlay() const { return base_ != nullptr; }
  // The bytes of the overlay alone (0 for a snapshot that is not one).
  size_t OverlayMemoryUsage() const;

 private:
  friend class internal::SnapshotBuilder;
  Snapshot(std::unique_ptr<const internal::SnapshotRep> rep,
           std::shared_ptr<const Snapshot> base, size_t count);

  // Where a key was found: the overlay's or the base's records.
  struct Hit;
  Hit Lookup(internal::TableId table, std::string_view key, uint16_t port,
             uint64_t hash, size_t skip = 0) const noexcept;
  size_t OwnMemoryUsage() const;

  std::unique_ptr<const internal::SnapshotRep> rep_;
  // An overlay's base (itself never an overlay), and the overlay's count.
  std::shared_ptr<const Snapshot> base_;
  size_t count_ = 0;
};

}  // namespace sslbind

#endif  // SSLBIND_SNAPSHOT_H_

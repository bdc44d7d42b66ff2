// Snapshot: the resolution of docs/reference.md, "Resolution order" over the
// compact layout of resolve/snapshot_rep.h.
#include "sslbind/snapshot.h"

#include <algorithm>
#include <new>

#include "model/ccs_file_name.h"
#include "model/host_name.h"
#include "model/ip_address.h"
#include "resolve/snapshot_rep.h"
#include "sslbind/store.h"
#include "sslbind/text.h"

namespace sslbind {

using internal::CcsFileCount;
using internal::CcsFileName;
using internal::ComposeCcsFileName;
using internal::HashKey;
using internal::HostNameProblem;
using internal::KeyTable;
using internal::kMaxCcsFileName;
using internal::RecordHeader;
using internal::SnapshotRep;

namespace {

// The local address as the steps compare it: an IPv4-mapped IPv6 address
// becomes its IPv4 address.
struct LocalAddress {
  IpAddress address;
  size_t size;  // 4 or 16
  bool wildcard;
};

LocalAddress Normalise(const IpAddress& local) {
  LocalAddress out{internal::UnmapIpv4(local), 0, false};
  out.size = out.address.is_v6() ? 16 : 4;
  out.wildcard = out.address.IsWildcard();
  return out;
}

// Records the steps into a Trace, if there is one. Every method is a no-op
// without a trace, and the string building happens only with one: the
// lookup path without a trace allocates nothing.
class TraceWriter {
 public:
  explicit TraceWriter(Trace* trace) : trace_(trace) {}

  void Begin(const LocalAddress& local) {
    if (!trace_) return;
    Guard([&] {
      trace_->local_address = local.address.ToString();
      trace_->sni.clear();
      trace_->steps.clear();
      trace_->truncated = false;
    });
  }

  void SetSni(std::string_view sni) {
    if (!trace_) return;
    Guard([&] { trace_->sni = std::string(sni); });
  }

  // Adds a step; `key` builds the key text lazily. The test of trace_
  // stays inline in Resolve(); the rest is out of line.
  template <typename KeyText>
  void Step(ResolveStep step, StepOutcome outcome, const KeyText& key,
            std::string_view reason, std::string_view ccs_name = {}) {
    if (trace_) AddStep(step, outcome, key, reason, ccs_name);
  }

  void Skipped(ResolveStep step, std::string_view reason) {
    Step(
        step, StepOutcome::kSkipped, [] { return std::string(); }, reason);
  }

  // Skips steps 2 and 3: there is no SNI name, or `problem` makes it no
  // host name.
  void SkipNameSteps(std::string_view sni, HostNameProblem problem) {
    if (trace_) SkipNameStepsSlow(sni, problem);
  }

 private:
  template <typename KeyText>
  [[gnu::noinline]] void AddStep(ResolveStep step, StepOutcome outcome,
                                 const KeyText& key, std::string_view reason,
                                 std::string_view ccs_name) {
    Guard([&] {
      TraceStep s{step, outcome, key(), std::string(reason), {}};
      for (size_t i = 0; i < CcsFileCount(ccs_name); ++i) {
        s.ccs_files.push_back(CcsFileName(ccs_name, i));
      }
      trace_->steps.push_back(std::move(s));
    });
  }

  [[gnu::noinline]] void SkipNameStepsSlow(std::string_view sni,
                                           HostNameProblem problem) {
    std::string why;
    Guard([&] {
      why = sni.empty() ? "the client sent no SNI name"
                        : "the SNI name " + QuoteForMessage(sni) +
                              " is not a valid host name: it " +
                              std::string(HostNameProblemText(problem));
    });
    for (ResolveStep step : {ResolveStep::kExactSni, ResolveStep::kWildcardSni,
                             ResolveStep::kScopedCcs, ResolveStep::kCcs}) {
      Skipped(step, why);
    }
  }

  // Resolve() is noexcept: running out of memory while tracing marks the
  // trace incomplete instead of escaping.
  template <typename F>
  void Guard(const F& f) {
    try {
      f();
    } catch (const std::bad_alloc&) {
      trace_->truncated = true;
    }
  }

  Trace* trace_;
};

// Whether the 4 or 16 bytes of an address are all zero (a wildcard
// address).
bool IsZero(const uint8_t* bytes, size_t size) {
  uint64_t a = 0, b = 0;
  if (size == 4) {
    uint32_t v;
    std::memcpy(&v, bytes, 4);
    a = v;
  } else {
    std::memcpy(&a, bytes, 8);
    std::memcpy(&b, bytes + 8, 8);
  }
  return (a | b) == 0;
}

std::string IpKeyText(const IpAddress& address, uint16_t port) {
  return BindingKey::IpPort(address, port).ToParam();
}

}  // namespace

namespace internal {

BindingKey RecordKey(const SnapshotRep& rep, uint32_t offset) {
  const RecordHeader h = rep.Header(offset);
  switch (h.kind) {
    case BindingKind::kIpPort: {
      IpAddress address =
          h.key_size == 16 ? IpAddress::AnyV6() : IpAddress::AnyV4();
      std::memcpy(address.bytes.data(), rep.KeyBytes(offset), h.key_size);
      return BindingKey::IpPort(address, h.port);
    }
    case BindingKind::kHostnamePort:
      return BindingKey::HostnamePort(std::string(rep.KeyText(offset, h)),
                                      h.port);
    case BindingKind::kScopedCcs:
      return BindingKey::ScopedCcs(std::string(rep.KeyText(offset, h)), h.port);
    case BindingKind::kCcs: return BindingKey::Ccs(h.port);
  }
  return BindingKey::Ccs(h.port);
}

}  // namespace internal

std::string_view ResolveStepName(ResolveStep step) {
  switch (step) {
    case ResolveStep::kExactIpPort: return "exact-ipport";
    case ResolveStep::kExactSni: return "exact-sni";
    case ResolveStep::kWildcardSni: return "wildcard-sni";
    case ResolveStep::kScopedCcs: return "scoped-ccs";
    case ResolveStep::kCcs: return "ccs";
    case ResolveStep::kWildcardIpV6: return "wildcard-ipv6";
    case ResolveStep::kWildcardIpV4: return "wildcard-ipv4";
  }
  return "unknown";
}

std::string_view StepOutcomeName(StepOutcome outcome) {
  switch (outcome) {
    case StepOutcome::kMatched: return "matched";
    case StepOutcome::kNoBinding: return "no binding";
    case StepOutcome::kSkipped: return "skipped";
    case StepOutcome::kNoCcsFile: return "no CCS file";
  }
  return "unknown";
}

// BindingRef ----------------------------------------------------------------

BindingKind BindingRef::kind() const { return rep_->Header(offset_).kind; }

uint16_t BindingRef::port() const { return rep_->Header(offset_).port; }

IpAddress BindingRef::address() const {
  const RecordHeader h = rep_->Header(offset_);
  if (h.kind != BindingKind::kIpPort) return IpAddress::AnyV4();
  IpAddress address =
      h.key_size == 16 ? IpAddress::AnyV6() : IpAddress::AnyV4();
  std::memcpy(address.bytes.data(), rep_->KeyBytes(offset_), h.key_size);
  return address;
}

std::string_view BindingRef::hostname() const {
  const RecordHeader h = rep_->Header(offset_);
  if (h.kind != BindingKind::kHostnamePort &&
      h.kind != BindingKind::kScopedCcs) {
    return {};
  }
  return rep_->KeyText(offset_, h);
}

std::span<const uint8_t> BindingRef::cert_hash() const {
  const RecordHeader h = rep_->Header(offset_);
  return {rep_->KeyBytes(offset_) + h.key_size, h.hash_size};
}

namespace {

const internal::Profile& ProfileOf(const SnapshotRep& rep, uint32_t offset) {
  return rep.profiles[rep.Header(offset).profile];
}

std::optional<std::string_view> StringOf(const SnapshotRep& rep, uint32_t id) {
  if (id == internal::kNoString) return std::nullopt;
  return rep.String(id);
}

std::optional<std::string> OwnedString(std::optional<std::string_view> text) {
  if (!text) return std::nullopt;
  return std::string(*text);
}

}  // namespace

const Guid& BindingRef::app_id() const {
  return ProfileOf(*rep_, offset_).app_id;
}
std::optional<std::string_view> BindingRef::cert_store_name() const {
  return StringOf(*rep_, ProfileOf(*rep_, offset_).cert_store_name);
}
uint32_t BindingRef::check_mode() const {
  return ProfileOf(*rep_, offset_).check_mode;
}
uint32_t BindingRef::revocation_freshness_time() const {
  return ProfileOf(*rep_, offset_).revocation_freshness_time;
}
uint32_t BindingRef::url_retrieval_timeout() const {
  return ProfileOf(*rep_, offset_).url_retrieval_timeout;
}
std::optional<std::string_view> BindingRef::ctl_identifier() const {
  return StringOf(*rep_, ProfileOf(*rep_, offset_).ctl_identifier);
}
std::optional<std::string_view> BindingRef::ctl_store_name() const {
  return StringOf(*rep_, ProfileOf(*rep_, offset_).ctl_store_name);
}
uint32_t BindingRef::flags() const { return ProfileOf(*rep_, offset_).flags; }

BindingKey BindingRef::key() const {
  return internal::RecordKey(*rep_, offset_);
}

Binding BindingRef::ToBinding() const {
  Binding b(key());
  std::span<const uint8_t> hash = cert_hash();
  b.cert_hash.assign(hash.begin(), hash.end());
  b.app_id = app_id();
  b.cert_store_name = OwnedString(cert_store_name());
  b.check_mode = check_mode();
  b.revocation_freshness_time = revocation_freshness_time();
  b.url_retrieval_timeout = url_retrieval_timeout();
  b.ctl_identifier = OwnedString(ctl_identifier());
  b.ctl_store_name = OwnedString(ctl_store_name());
  b.flags = flags();
  return b;
}

// Resolution ----------------------------------------------------------------

size_t Resolution::ccs_file_count() const {
  if (!found_ ||
      (step_ != ResolveStep::kScopedCcs && step_ != ResolveStep::kCcs)) {
    return 0;
  }
  return CcsFileCount(sni());
}

std::string Resolution::CcsFileName(size_t i) const {
  return sslbind::CcsFileName(sni(), i);
}

// Snapshot ------------------------------------------------------------------

Snapshot::Snapshot(std::unique_ptr<const SnapshotRep> rep,
                   std::shared_ptr<const Snapshot> base, size_t count)
    : rep_(std::move(rep)), base_(std::move(base)), count_(count) {}

Snapshot::~Snapshot() = default;

std::shared_ptr<const Snapshot> Snapshot::Empty() {
  // A new one each time (it is small): a shared one would never be freed
  // from a Resolver's retired list.
  return internal::SnapshotBuilder(SnapshotOptions{}).Finish().value();
}

Result<std::shared_ptr<const Snapshot>> Snapshot::Build(
    std::span<const Binding> bindings, const SnapshotOptions& options) {
  internal::SnapshotBuilder builder(options);
  for (const Binding& b : bindings) {
    Status s = ValidateBinding(b);
    if (s.ok()) s = builder.Add(b);
    if (!s.ok()) return s;
  }
  return builder.Finish();
}

size_t Snapshot::size() const { return base_ ? count_ : rep_->count; }

struct Snapshot::Hit {
  const SnapshotRep* rep = nullptr;
  uint32_t record = KeyTable::kNone;
  bool found() const { return record != KeyTable::kNone; }
};

// The same table of the overlay, then of the base. No lock, no allocation.
Snapshot::Hit Snapshot::Lookup(internal::TableId table, std::string_view key,
                               uint16_t port, uint64_t hash,
                               size_t skip) const noexcept {
  const SnapshotRep& rep = *rep_;
  uint32_t record = rep.Find(table, key, port, hash, skip);
  if (record != KeyTable::kNone) {
    if (base_ && rep.IsTombstone(record)) return {};
    return {&rep, record};
  }
  if (!base_) return {};
  const SnapshotRep& base = *base_->rep_;
  return {&base, base.Find(table, key, port, hash, skip)};
}

size_t Snapshot::MemoryUsage() const {
  return OwnMemoryUsage() + (base_ ? base_->MemoryUsage() : 0);
}

size_t Snapshot::OverlayMemoryUsage() const {
  return base_ ? OwnMemoryUsage() : 0;
}

size_t Snapshot::OwnMemoryUsage() const {
  const SnapshotRep& rep = *rep_;
  size_t bytes = sizeof(Snapshot) + sizeof(SnapshotRep) +
                 internal::HugePageRoundUp(rep.arena_size) +
                 internal::ControlSize(rep.cells) +
                 rep.profiles.size_bytes() + rep.strings.size_bytes() +
                 rep.address_filter.size() * sizeof(uint64_t);
  if (!rep.strings.empty()) {
    bytes += rep.strings.back().offset + rep.strings.back().size;
  }
  for (const KeyTable& t : rep.tables) {
    bytes += internal::HugePageRoundUp(t.capacity() * sizeof(KeyTable::Slot));
  }
  return bytes;
}

std::optional<BindingRef> Snapshot::Find(const BindingKey& key) const {
  auto hash = [&key](std::string_view k) {
    return HashKey(k.data(), k.size(), key.port());
  };
  Hit hit;
  switch (key.kind()) {
    case BindingKind::kIpPort: {
      const IpAddress& a = key.address();
      std::string_view bytes(reinterpret_cast<const char*>(a.bytes.data()),
                             a.is_v6() ? size_t{16} : size_t{4});
      hit = Lookup(internal::kIpTable, bytes, key.port(), hash(bytes));
      break;
    }
    case BindingKind::kHostnamePort: {
      std::string_view name = key.hostname();
      if (name.starts_with(internal::kWildcardPrefix)) {
        std::string_view parent = name.substr(internal::kWildcardPrefix.size());
        hit = Lookup(internal::kWildcardTable, parent, key.port(), hash(parent),
                     internal::kWildcardPrefix.size());
      } else {
        hit = Lookup(internal::kSniTable, name, key.port(), hash(name));
      }
      break;
    }
    case BindingKind::kScopedCcs:
      hit = Lookup(internal::kScopedTable, key.hostname(), key.port(),
                   hash(key.hostname()));
      break;
    case BindingKind::kCcs:
      hit = Lookup(internal::kCcsTable, {}, key.port(), hash({}));
      break;
  }
  if (!hit.found()) return std::nullopt;
  return BindingRef(hit.rep, hit.record);
}

Resolution Snapshot::Resolve(const IpAddress& local, uint16_t port,
                             std::string_view sni,
                             Trace* trace) const noexcept {
  const SnapshotRep& rep = *rep_;
  Resolution r;
  // Every return returns `r` (no copy of its name buffer).
  auto found = [&](ResolveStep step, const Hit& hit) {
    r.found_ = true;
    r.step_ = step;
    r.binding_ = BindingRef(hit.rep, hit.record);
  };
  // An address key's lookup.
  auto find_ip = [this](const uint8_t* bytes, size_t size, uint16_t p) {
    std::string_view key(reinterpret_cast<const char*>(bytes), size);
    return Lookup(internal::kIpTable, key, p, HashKey(bytes, size, p));
  };

  // The common case first, without a trace or an overlay: step 1, then an
  // exact name among the cells. The name is hashed and compared as the
  // client sent it, each byte with 0x20 set (its canonical form when it is
  // a valid host name; a name that matches a canonical key that way is
  // one), and nothing is written before the cell is read: a lookup that
  // read back what it had just written (the canonical form) would wait for
  // the previous lookup's cache miss, while this one overlaps with it. Its
  // cells are fetched before step 1 runs. Anything else -- no such name, an
  // invalid one -- takes the general path below, which gives the same
  // answer for these.
  if (trace == nullptr && !base_ && !sni.empty()) {
    std::string_view name = sni;
    if (name.back() == '.') name.remove_suffix(1);
    if (!name.empty() && name.size() <= kMaxHostnameLength) {
      const uint64_t hash = internal::HashFoldedName(name, port);
      rep.PrefetchCells(hash);
      // Step 1, as Normalise() and find_ip() do it, without copying the
      // address.
      const uint8_t* address = local.bytes.data();
      size_t size = 4;
      if (internal::IsIpv4Mapped(local)) {
        address += internal::kIpv4MappedPrefix.size();
      } else if (local.is_v6()) {
        size = 16;
      }
      if (!IsZero(address, size)) {
        const uint32_t record = rep.FindAddress(address, size, port);
        if (record != KeyTable::kNone) {
          found(ResolveStep::kExactIpPort, Hit{&rep, record});
          return r;
        }
      }
      const uint32_t record = rep.FindCellFolded(name, port, hash);
      if (record != KeyTable::kNone) {
        internal::FoldName(name, r.sni_);
        r.sni_length_ = static_cast<uint8_t>(name.size());
        found(ResolveStep::kExactSni, Hit{&rep, record});
        return r;
      }
    }
  }

  TraceWriter tw(trace);
  const LocalAddress addr = Normalise(local);
  tw.Begin(addr);

  // 1. The local address itself.
  if (addr.wildcard) {
    tw.Skipped(ResolveStep::kExactIpPort,
               "the local address is a wildcard address, not a specific one");
  } else {
    const Hit record = find_ip(addr.address.bytes.data(), addr.size, port);
    auto key = [&] { return IpKeyText(addr.address, port); };
    if (record.found()) {
      tw.Step(ResolveStep::kExactIpPort, StepOutcome::kMatched, key,
              "the local address itself; it comes before every SNI and CCS "
              "binding");
      found(ResolveStep::kExactIpPort, record);
      return r;
    }
    tw.Step(ResolveStep::kExactIpPort, StepOutcome::kNoBinding, key,
            "the local address itself");
  }

  // 2 and 3. The SNI name.
  bool ccs_files_missing = false;
  // The canonical name goes straight into the answer (its CCS file names
  // are made from it).
  size_t sni_length = 0;
  const HostNameProblem problem =
      sni.empty() ? HostNameProblem::kEmpty
                  : internal::CanonicaliseSni(sni, r.sni_, &sni_length);
  if (sni.empty() || problem != HostNameProblem::kNone) {
    tw.SkipNameSteps(sni, problem);
  } else {
    r.sni_length_ = static_cast<uint8_t>(sni_length);
    const std::string_view canonical = r.sni();
    tw.SetSni(canonical);
    const uint64_t hash = HashKey(canonical.data(), canonical.size(), port);

    // 2. hostnameport: the name, then *.<parent>.
    Hit record = Lookup(internal::kSniTable, canonical, port, hash);
    auto sni_key = [&] {
      return BindingKey::HostnamePort(std::string(canonical), port).ToParam();
    };
    if (record.found()) {
      tw.Step(ResolveStep::kExactSni, StepOutcome::kMatched, sni_key,
              "the SNI name");
      found(ResolveStep::kExactSni, record);
      return r;
    }
    tw.Step(ResolveStep::kExactSni, StepOutcome::kNoBinding, sni_key,
            "the SNI name");

    const std::string_view parent = internal::ParentName(canonical);
    if (parent.empty()) {
      tw.Skipped(ResolveStep::kWildcardSni,
                 "the name has a single label: no wildcard covers it");
    } else {
      record = Lookup(internal::kWildcardTable, parent, port,
                      HashKey(parent.data(), parent.size(), port),
                      internal::kWildcardPrefix.size());
      auto wildcard_key = [&] {
        return BindingKey::HostnamePort(
                   std::string(internal::kWildcardPrefix) + std::string(parent),
                   port)
            .ToParam();
      };
      if (record.found()) {
        tw.Step(ResolveStep::kWildcardSni, StepOutcome::kMatched, wildcard_key,
                "the wildcard that covers the name");
        found(ResolveStep::kWildcardSni, record);
        return r;
      }
      tw.Step(ResolveStep::kWildcardSni, StepOutcome::kNoBinding, wildcard_key,
              "the wildcard that covers the name");
    }

    // 3. Central Certificate Store: scopedccs for the name, then ccs.
    const CcsFolder* folder = rep.options.ccs_folder.get();
    for (ResolveStep step : {ResolveStep::kScopedCcs, ResolveStep::kCcs}) {
      const bool scoped = step == ResolveStep::kScopedCcs;
      record = scoped ? Lookup(internal::kScopedTable, canonical, port, hash)
                      : Lookup(internal::kCcsTable, {}, port,
                               HashKey(nullptr, 0, port));
      auto ccs_key = [&] {
        return scoped ? BindingKey::ScopedCcs(std::string(canonical), port)
                            .ToParam()
                      : BindingKey::Ccs(port).ToParam();
      };
      if (!record.found()) {
        tw.Step(step, StepOutcome::kNoBinding, ccs_key,
                scoped ? "a CCS binding for the name alone"
                       : "the CCS binding for every name on the port");
        continue;
      }
      if (!folder) {
        tw.Step(step, StepOutcome::kMatched, ccs_key,
                "the certificate is the first of these files that exists in "
                "the CCS folder; no folder is configured here, so they are "
                "not looked for",
                canonical);
        found(step, record);
        return r;
      }
      if (!ccs_files_missing) {
        for (size_t i = 0; i < CcsFileCount(canonical); ++i) {
          char file[kMaxCcsFileName];
          size_t length = ComposeCcsFileName(canonical, i, file);
          if (folder->HasFile({file, length})) {
            tw.Step(step, StepOutcome::kMatched, ccs_key,
                    i == 0 ? "the CCS folder has the first of these files"
                           : "the CCS folder has the second of these files "
                             "(the wildcard certificate)",
                    canonical);
            r.ccs_file_found_ = i;
            found(step, record);
            return r;
          }
        }
        ccs_files_missing = true;
      }
      tw.Step(step, StepOutcome::kNoCcsFile, ccs_key,
              "the CCS folder has none of these files", canonical);
    }
  }

  // 4. The wildcard addresses.
  if (addr.size == 16) {
    IpAddress any = IpAddress::AnyV6();
    const Hit record = find_ip(any.bytes.data(), 16, port);
    auto key = [&] { return IpKeyText(any, port); };
    if (record.found()) {
      tw.Step(ResolveStep::kWildcardIpV6, StepOutcome::kMatched, key,
              "the default for IPv6 local addresses");
      found(ResolveStep::kWildcardIpV6, record);
      return r;
    }
    tw.Step(ResolveStep::kWildcardIpV6, StepOutcome::kNoBinding, key,
            "the default for IPv6 local addresses");
  } else {
    tw.Skipped(ResolveStep::kWildcardIpV6,
               "the local address is IPv4: [::] serves only IPv6 addresses");
  }
  IpAddress any = IpAddress::AnyV4();
  const Hit record = find_ip(any.bytes.data(), 4, port);
  auto key = [&] { return IpKeyText(any, port); };
  if (record.found()) {
    tw.Step(ResolveStep::kWildcardIpV4, StepOutcome::kMatched, key,
            "the default for every local address");
    found(ResolveStep::kWildcardIpV4, record);
    return r;
  }
  tw.Step(ResolveStep::kWildcardIpV4, StepOutcome::kNoBinding, key,
          "the default for every local address");
  return r;
}

}  // namespace sslbind

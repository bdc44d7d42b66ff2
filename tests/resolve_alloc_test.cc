// Proves that resolution allocates no memory: this binary replaces the
// global operator new with one that counts, per thread, while armed, and
// resolves through every step and outcome. (A separate binary, so that the
// replacement does not touch the other tests.)
//
// Snapshot::Resolve and ResolverReader call no malloc-family function
// directly (only through operator new, e.g. std::string), so counting
// operator new covers them.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "sslbind/resolver.h"
#include "test_util.h"

namespace {

thread_local bool counting = false;
thread_local size_t allocations = 0;

void* Allocate(size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(size_t size) { return Allocate(size); }
void* operator new[](size_t size) { return Allocate(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  if (counting) ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  if (counting) ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

namespace sslbind {
namespace {

using testing::Key;

// Counts the allocations `f` makes on this thread.
template <typename F>
size_t AllocationsOf(const F& f) {
  allocations = 0;
  counting = true;
  f();
  counting = false;
  return allocations;
}

Binding Make(BindingKind kind, std::string_view key) {
  Binding b(Key(kind, key));
  if (kind == BindingKind::kIpPort || kind == BindingKind::kHostnamePort) {
    b.cert_hash.assign(20, 0x5a);
  }
  if (kind == BindingKind::kHostnamePort) b.cert_store_name = "MY";
  return b;
}

// A folder answering from a fixed list, without allocating.
class ListFolder : public CcsFolder {
 public:
  bool HasFile(std::string_view file_name) const override {
    return file_name == "_.fabrikam.com.pfx";
  }
};

std::vector<Binding> AllKinds() {
  using K = BindingKind;
  return {Make(K::kIpPort, "10.0.0.1:443"),
          Make(K::kIpPort, "[fe80::1]:443"),
          Make(K::kIpPort, "0.0.0.0:443"),
          Make(K::kIpPort, "[::]:443"),
          Make(K::kHostnamePort, "www.contoso.com:443"),
          Make(K::kHostnamePort, "*.contoso.com:443"),
          Make(K::kScopedCcs, "shop.fabrikam.com:443"),
          Make(K::kCcs, "443"),
          Make(K::kIpPort, "0.0.0.0:8443")};
}

// Made before counting starts.
const std::string long_name(300, 'a');

// Lookups that together reach every step and outcome.
void ResolveEverything(const Snapshot& s, std::vector<ResolveStep>* steps) {
  const IpAddress v4 = IpAddress::Parse("10.0.0.1").value();
  const IpAddress other = IpAddress::Parse("10.0.0.2").value();
  const IpAddress v6 = IpAddress::Parse("fe80::1").value();
  const IpAddress other_v6 = IpAddress::Parse("fe80::2").value();
  IpAddress mapped = IpAddress::AnyV6();
  mapped.bytes[10] = mapped.bytes[11] = 0xff;
  mapped.bytes[12] = 10;
  mapped.bytes[15] = 1;
  struct Query {
    IpAddress local;
    uint16_t port;
    std::string_view sni;
  } queries[] = {
      {v4, 443, "www.contoso.com"},          // exact ipport
      {mapped, 443, ""},                     // exact ipport, mapped
      {v6, 443, ""},                         // exact ipport, IPv6
      {other, 443, "WWW.CONTOSO.COM."},      // exact SNI
      {other, 443, "a.contoso.com"},         // wildcard SNI
      {other, 443, "shop.fabrikam.com"},     // scoped CCS
      {other, 443, "intranet"},              // CCS, one candidate
      {other, 443, "a.b.contoso.com"},       // CCS
      {other_v6, 443, ""},                   // [::]
      {other, 443, ""},                      // 0.0.0.0
      {other, 443, "a_b.contoso.com"},       // invalid name
      {other, 443, "\xc3\xbc.contoso.com"},  // not ASCII
      {other, 443, long_name},               // too long
      {other, 8443, "x.com"},                // default of another port
      {other, 9999, "x.com"},                // nothing
      {IpAddress::AnyV4(), 9999, ""},        // wildcard local address
  };
  for (const Query& q : queries) {
    Resolution r = s.Resolve(q.local, q.port, q.sni);
    if (!r.found()) continue;
    steps->push_back(r.step());
    // Reading the answer allocates nothing either.
    volatile size_t sink = r.binding().cert_hash().size() + r.sni().size() +
                           r.ccs_file_count() + r.binding().hostname().size();
    (void)sink;
  }
}

TEST_CASE("resolving allocates nothing, at any step") {
  auto s = Snapshot::Build(AllKinds()).value();
  std::vector<ResolveStep> steps;
  steps.reserve(64);
  CHECK(AllocationsOf([&] { ResolveEverything(*s, &steps); }) == 0);
  // Every step answered at least once.
  for (ResolveStep step :
       {ResolveStep::kExactIpPort, ResolveStep::kExactSni,
        ResolveStep::kWildcardSni, ResolveStep::kScopedCcs, ResolveStep::kCcs,
        ResolveStep::kWildcardIpV6, ResolveStep::kWildcardIpV4}) {
    CAPTURE(ResolveStepName(step));
    CHECK(std::find(steps.begin(), steps.end(), step) != steps.end());
  }
}

TEST_CASE("resolving with a CCS folder allocates nothing") {
  auto s = Snapshot::Build(AllKinds(),
                           {.ccs_folder = std::make_shared<ListFolder>()})
               .value();
  std::vector<ResolveStep> steps;
  steps.reserve(64);
  CHECK(AllocationsOf([&] { ResolveEverything(*s, &steps); }) == 0);
}

TEST_CASE("a reader allocates nothing, also when it picks up a new snapshot") {
  Resolver resolver;
  resolver.Publish(Snapshot::Build(AllKinds()).value());
  ResolverReader reader(resolver);
  const IpAddress local = IpAddress::Parse("10.0.0.2").value();
  CHECK(AllocationsOf([&] {
          for (int i = 0; i < 100; ++i)
            reader.Resolve(local, 443, "a.contoso.com");
        }) == 0);
  resolver.Publish(Snapshot::Build(AllKinds()).value());
  CHECK(AllocationsOf([&] { reader.Resolve(local, 443, "a.contoso.com"); }) ==
        0);
}

TEST_CASE("the counter sees allocations: a trace allocates") {
  auto s = Snapshot::Build(AllKinds()).value();
  Trace trace;
  CHECK(AllocationsOf([&] {
          s->Resolve(IpAddress::AnyV4(), 443, "a.contoso.com", &trace);
        }) > 0);
}

}  // namespace
}  // namespace sslbind

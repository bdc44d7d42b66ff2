// CheckBindings: the findings of diagnostics.h, port by port.
#include "sslbind/diagnostics.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <unordered_map>

#include "model/host_name.h"
#include "sslbind/registry.h"

namespace sslbind {

// A binding as the checks need it: its key, fingerprints of its
// certificate and of its certificate and settings, and its flags.
namespace {

struct Entry {
  BindingKey key;
  uint64_t settings;
  uint64_t cert;
  uint32_t flags;
};

using Entries = std::deque<Entry>;  // no reallocation spike at a million

}  // namespace

struct BindingChecker::Rep {
  CheckOptions options;
  Entries entries;
};

namespace {

bool IsWildcard(const BindingKey& key) {
  return key.kind() == BindingKind::kHostnamePort &&
         key.hostname().starts_with(internal::kWildcardPrefix);
}

// True for a name whose last label makes clients read it as an IPv4
// address: all digits, or "0x" and hex digits (WHATWG URL, "ends in a
// number").
bool EndsInNumber(std::string_view name) {
  std::string_view last = name.substr(name.rfind('.') + 1);
  if (last.empty()) return false;
  if (std::all_of(last.begin(), last.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return true;
  }
  if (!last.starts_with("0x")) return false;
  return std::all_of(last.begin() + 2, last.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// FNV-1a, 64 bits, over length-prefixed fields.
class Fingerprint {
 public:
  Fingerprint& Text(std::string_view bytes) {
    Mix(bytes.size());
    for (char c : bytes) Byte(static_cast<uint8_t>(c));
    return *this;
  }
  Fingerprint& Bytes(std::span<const uint8_t> bytes) {
    Mix(bytes.size());
    for (uint8_t c : bytes) Byte(c);
    return *this;
  }
  Fingerprint& Optional(const std::optional<std::string>& text) {
    Byte(text ? 1 : 0);
    return text ? Text(*text) : *this;
  }
  Fingerprint& Mix(uint64_t n) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<uint8_t>(n >> (8 * i)));
    return *this;
  }
  uint64_t value() const { return h_; }

 private:
  void Byte(uint8_t b) { h_ = (h_ ^ b) * 0x100000001b3ull; }
  uint64_t h_ = 0xcbf29ce484222325ull;
};

// The certificate: its hash and store, with HTTP.sys's default for an
// absent store name.
uint64_t CertificateFingerprint(const Binding& b) {
  return Fingerprint()
      .Bytes(b.cert_hash)
      .Text(FoldCase(b.cert_store_name.value_or("MY")))
      .value();
}

// The certificate and every setting a name binding serves with.
uint64_t SettingsFingerprint(const Binding& b, uint64_t cert) {
  return Fingerprint()
      .Mix(cert)
      .Bytes(b.app_id.bytes)
      .Mix(b.check_mode)
      .Mix(b.revocation_freshness_time)
      .Mix(b.url_retrieval_timeout)
      .Optional(b.ctl_identifier)
      .Optional(b.ctl_store_name)
      .Mix(b.flags)
      .value();
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

using Indexes = std::vector<uint32_t>;

// The bindings of one port, by the role they play in resolution: indexes
// into the entries, which are sorted by port and key, so that index order
// is `show` order.
struct Port {
  uint16_t number = 0;
  uint32_t begin = 0, end = 0;  // all of them
  uint32_t names = 0;           // [names, end): hostnameport, ccs, scopedccs
  Indexes specific_ip;          // ipport, not a wildcard
  std::optional<uint32_t> any_v4;  // ipport=0.0.0.0:P
  std::optional<uint32_t> any_v6;  // ipport=[::]:P
  Indexes wildcards;               // hostnameport=*.parent:P

  size_t name_count() const { return end - names; }
};

class Checker {
 public:
  Checker(const CheckOptions& options, const Entries& entries,
          std::vector<Finding>* out)
      : options_(options), e_(entries), out_(out) {}

  // Adds the port's findings in the order of FindingKind.
  void CheckPort(const Port& p) {
    NoDefault(p);
    Shadowed(p);
    Unreachable(p);
    Redundant(p);
    FamiliesDiffer(p);
    Conflicting(p);
  }

 private:
  std::string Param(uint32_t i) const { return e_[i].key.ToParam(); }

  // A finding involving `extras` and the bindings [range_begin, range_end),
  // two disjoint sets of indexes: it lists the first max_listed of them in
  // `show` order and counts the others.
  void Add(FindingKind kind, Severity severity, uint16_t port,
           std::string message, Indexes extras, uint32_t range_begin = 0,
           uint32_t range_end = 0) {
    std::sort(extras.begin(), extras.end());
    Finding f{kind, severity, port, std::move(message), {}, 0};
    const size_t total = extras.size() + (range_end - range_begin);
    const size_t listed = std::min(total, options_.max_listed);
    f.bindings.reserve(listed);
    size_t x = 0;
    uint32_t r = range_begin;
    while (f.bindings.size() < listed) {
      if (r < range_end && (x == extras.size() || r < extras[x])) {
        f.bindings.push_back(e_[r++].key);
      } else {
        f.bindings.push_back(e_[extras[x++]].key);
      }
    }
    f.more = total - listed;
    out_->push_back(std::move(f));
  }

  void NoDefault(const Port& p) {
    if (p.name_count() == 0 || p.any_v4) return;
    const uint16_t port = p.number;
    const std::string names =
        Plural(p.name_count(), "SNI/CCS binding", "SNI/CCS bindings");
    const std::string v4 =
        BindingKey::IpPort(IpAddress::AnyV4(), port).ToParam();
    if (p.any_v6) {
      Add(FindingKind::kNoDefaultBinding, Severity::kWarning, port,
          "port " + std::to_string(port) + " has " + names +
              " and no default SSL site for IPv4: " + Param(*p.any_v6) +
              " serves only IPv6 addresses, so IPv4 clients that send no "
              "SNI name get no certificate (create " +
              v4 + ")",
          {*p.any_v6}, p.names, p.end);
      return;
    }
    Add(FindingKind::kNoDefaultBinding, Severity::kWarning, port,
        "port " + std::to_string(port) + " has " + names +
            " and no default SSL site (" + v4 +
            "): clients that send no SNI name get no certificate. IIS: No "
            "default SSL site has been created. To support browsers without "
            "SNI capabilities, it is recommended to create a default SSL "
            "site.",
        {}, p.names, p.end);
  }

  void Shadowed(const Port& p) {
    if (p.name_count() == 0 || p.specific_ip.empty()) return;
    const uint16_t port = p.number;
    if (p.specific_ip.size() > options_.max_findings) {
      Add(FindingKind::kShadowedByIpPort, Severity::kWarning, port,
          std::to_string(p.specific_ip.size()) +
              " ipport bindings for specific addresses serve every "
              "connection to their addresses on port " +
              std::to_string(port) + ", so the port's " +
              Plural(p.name_count(), "SNI/CCS binding never serves",
                     "SNI/CCS bindings never serve") +
              " clients connecting to those addresses",
          p.specific_ip, p.names, p.end);
      return;
    }
    for (uint32_t ip : p.specific_ip) {
      Add(FindingKind::kShadowedByIpPort, Severity::kWarning, port,
          Param(ip) + " serves every connection to " +
              e_[ip].key.address().ToString() + " on port " +
              std::to_string(port) + ", so the port's " +
              Plural(p.name_count(), "SNI/CCS binding never serves",
                     "SNI/CCS bindings never serve") +
              " clients connecting to that address",
          {ip}, p.names, p.end);
    }
  }

  void Unreachable(const Port& p) {
    Indexes found;
    for (uint32_t i = p.names; i < p.end; ++i) {
      const BindingKey& key = e_[i].key;
      if (key.kind() != BindingKind::kCcs && EndsInNumber(key.hostname())) {
        found.push_back(i);
      }
    }
    if (found.size() > options_.max_findings) {
      const size_t count = found.size();
      Add(FindingKind::kUnreachableName, Severity::kError, p.number,
          std::to_string(count) + " name bindings on port " +
              std::to_string(p.number) +
              ": no client sends these names or names they cover: the last "
              "label is a number, so clients read the names as IPv4 "
              "addresses, and SNI never carries addresses",
          std::move(found));
      return;
    }
    for (uint32_t i : found) {
      const bool wildcard = IsWildcard(e_[i].key);
      Add(FindingKind::kUnreachableName, Severity::kError, p.number,
          Param(i) + ": no client sends " +
              (wildcard ? "a name it covers" : "this name") +
              ": the last label is a number, so clients read the name as "
              "an IPv4 address, and SNI never carries addresses",
          {i});
    }
  }

  void Redundant(const Port& p) {
    if (p.wildcards.empty()) return;
    std::unordered_map<std::string_view, uint32_t> by_parent;
    for (uint32_t w : p.wildcards) {
      by_parent[std::string_view(e_[w].key.hostname()).substr(2)] = w;
    }
    std::vector<std::pair<uint32_t, uint32_t>> found;  // exact, wildcard
    for (uint32_t i = p.names; i < p.end; ++i) {
      const BindingKey& key = e_[i].key;
      if (key.kind() != BindingKind::kHostnamePort || IsWildcard(key)) {
        continue;
      }
      std::string_view name = key.hostname();
      size_t dot = name.find('.');
      if (dot == std::string_view::npos) continue;
      auto it = by_parent.find(name.substr(dot + 1));
      if (it == by_parent.end() || e_[i].settings != e_[it->second].settings) {
        continue;
      }
      found.emplace_back(i, it->second);
    }
    if (found.size() > options_.max_findings) {
      Indexes involved;
      for (auto [exact, wildcard] : found) {
        involved.push_back(exact);
        involved.push_back(wildcard);
      }
      std::sort(involved.begin(), involved.end());
      involved.erase(std::unique(involved.begin(), involved.end()),
                     involved.end());
      Add(FindingKind::kRedundantExactName, Severity::kInfo, p.number,
          std::to_string(found.size()) + " exact hostnameport bindings on "
              "port " + std::to_string(p.number) +
              " have the same certificate and settings as the wildcard "
              "that covers each of them, which would serve the names the "
              "same way",
          std::move(involved));
      return;
    }
    for (auto [exact, wildcard] : found) {
      Add(FindingKind::kRedundantExactName, Severity::kInfo, p.number,
          Param(exact) + " has the same certificate and settings as " +
              Param(wildcard) + ", which would serve the name the same way",
          {exact, wildcard});
    }
  }

  void FamiliesDiffer(const Port& p) {
    if (!p.any_v4 || !p.any_v6 || e_[*p.any_v4].cert == e_[*p.any_v6].cert) {
      return;
    }
    Add(FindingKind::kIpv4Ipv6Differ, Severity::kWarning, p.number,
        Param(*p.any_v6) + " and " + Param(*p.any_v4) +
            " have different certificates: clients without a matching name "
            "get one over IPv6 and the other over IPv4",
        {*p.any_v6, *p.any_v4});
  }

  void Conflicting(const Port& p) {
    struct Setting {
      uint32_t flag;
      std::string_view name;
      std::string_view effect;
    };
    static constexpr Setting kSettings[] = {
        {kFlagReject, "reject", "whether a client is refused"},
        {kFlagDisableTls12, "disabletls12",
         "whether a client is offered TLS 1.2"},
        {kFlagDisableTls13, "disabletls13",
         "whether a client is offered TLS 1.3"},
        {kFlagDisableLegacyTls, "disablelegacytls",
         "whether a client may use TLS 1.0 and 1.1"},
    };
    const size_t all = p.end - p.begin;
    for (const Setting& s : kSettings) {
      size_t on = 0;
      for (uint32_t i = p.begin; i < p.end; ++i) on += (e_[i].flags & s.flag) != 0;
      if (on == 0 || on == all) continue;
      // List the smaller side.
      const bool list_on = on <= all - on;
      Indexes listed;
      for (uint32_t i = p.begin; i < p.end; ++i) {
        if (((e_[i].flags & s.flag) != 0) == list_on) listed.push_back(i);
      }
      const size_t count = listed.size();
      Add(FindingKind::kConflictingSettings, Severity::kWarning, p.number,
          "port " + std::to_string(p.number) + ": " + std::string(s.name) +
              "=" + (list_on ? "enable" : "disable") + " on " +
              std::to_string(count) + " of " +
              Plural(all, "binding", "bindings") + " (listed): " +
              std::string(s.effect) +
              " depends on the address and name it uses",
          std::move(listed));
    }
  }

  const CheckOptions& options_;
  const Entries& e_;
  std::vector<Finding>* out_;
};

// The roles of the bindings [begin, end) of one port.
Port PortAt(const Entries& e, uint32_t begin, uint32_t end) {
  Port p;
  p.number = e[begin].key.port();
  p.begin = begin;
  p.end = end;
  p.names = end;
  for (uint32_t i = begin; i < end; ++i) {
    const BindingKey& key = e[i].key;
    if (key.kind() != BindingKind::kIpPort) {
      p.names = std::min(p.names, i);  // kinds sort ipport first
      if (IsWildcard(key)) p.wildcards.push_back(i);
      continue;
    }
    const IpAddress& a = key.address();
    if (!a.IsWildcard()) {
      p.specific_ip.push_back(i);
    } else if (a.is_v6()) {
      p.any_v6 = i;
    } else {
      p.any_v4 = i;
    }
  }
  return p;
}

}  // namespace

BindingChecker::BindingChecker(const CheckOptions& options)
    : rep_(std::make_unique<Rep>()) {
  rep_->options = options;
}
BindingChecker::BindingChecker(BindingChecker&&) noexcept = default;
BindingChecker& BindingChecker::operator=(BindingChecker&&) noexcept =
    default;
BindingChecker::~BindingChecker() = default;

void BindingChecker::Add(const Binding& b) {
  const uint64_t cert = CertificateFingerprint(b);
  rep_->entries.push_back({b.key, SettingsFingerprint(b, cert), cert, b.flags});
}

size_t BindingChecker::count() const { return rep_->entries.size(); }

std::vector<Finding> BindingChecker::Finish() {
  Entries entries = std::move(rep_->entries);
  rep_->entries.clear();
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) {
              if (a.key.port() != b.key.port())
                return a.key.port() < b.key.port();
              return a.key < b.key;
            });
  // Ports in order, and CheckPort adds in the order of FindingKind: the
  // findings come out sorted.
  std::vector<Finding> findings;
  Checker checker(rep_->options, entries, &findings);
  const auto n = static_cast<uint32_t>(entries.size());
  for (uint32_t begin = 0; begin < n;) {
    uint32_t end = begin + 1;
    while (end < n && entries[end].key.port() == entries[begin].key.port()) {
      ++end;
    }
    checker.CheckPort(PortAt(entries, begin, end));
    begin = end;
  }
  return findings;
}

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "unknown";
}

std::string_view FindingCode(FindingKind kind) {
  switch (kind) {
    case FindingKind::kNoDefaultBinding: return "no-default";
    case FindingKind::kShadowedByIpPort: return "shadowed";
    case FindingKind::kUnreachableName: return "unreachable-name";
    case FindingKind::kRedundantExactName: return "redundant-exact";
    case FindingKind::kIpv4Ipv6Differ: return "ipv4-ipv6-differ";
    case FindingKind::kConflictingSettings: return "conflicting-settings";
  }
  return "unknown";
}

std::vector<Finding> CheckBindings(std::span<const Binding> bindings,
                                   const CheckOptions& options) {
  BindingChecker checker(options);
  for (const Binding& b : bindings) checker.Add(b);
  return checker.Finish();
}

}  // namespace sslbind

// CheckBindings: the findings of diagnostics.h, port by port.
#include "sslbind/diagnostics.h"

#include <algorithm>
#include <map>

#include "sslbind/registry.h"

namespace sslbind {
namespace {

// The bindings of one port, by the role they play in resolution.
struct Port {
  std::vector<const Binding*> all;
  std::vector<const Binding*> specific_ip;  // ipport, not a wildcard
  const Binding* any_v4 = nullptr;          // ipport=0.0.0.0:P
  const Binding* any_v6 = nullptr;          // ipport=[::]:P
  std::vector<const Binding*> names;        // hostnameport, scopedccs, ccs
  std::vector<const Binding*> wildcards;    // hostnameport=*.parent:P
};

bool ByKey(const Binding* a, const Binding* b) { return a->key < b->key; }

bool IsWildcard(const BindingKey& key) {
  return key.kind() == BindingKind::kHostnamePort &&
         key.hostname().starts_with("*.");
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

// The certificate store, with HTTP.sys's default for an absent name.
std::string StoreOf(const Binding& b) {
  return FoldCase(b.cert_store_name.value_or("MY"));
}

bool SameCertificate(const Binding& a, const Binding& b) {
  return a.cert_hash == b.cert_hash && StoreOf(a) == StoreOf(b);
}

bool SameSettings(const Binding& a, const Binding& b) {
  return SameCertificate(a, b) && a.app_id == b.app_id &&
         a.check_mode == b.check_mode &&
         a.revocation_freshness_time == b.revocation_freshness_time &&
         a.url_retrieval_timeout == b.url_retrieval_timeout &&
         a.ctl_identifier == b.ctl_identifier &&
         a.ctl_store_name == b.ctl_store_name && a.flags == b.flags;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

class Checker {
 public:
  Checker(const CheckOptions& options, std::vector<Finding>* out)
      : options_(options), out_(out) {}

  // Adds the port's findings in the order of FindingKind.
  void CheckPort(uint16_t port, const Port& p) {
    NoDefault(port, p);
    Shadowed(port, p);
    Unreachable(port, p);
    Redundant(port, p);
    FamiliesDiffer(port, p);
    Conflicting(port, p);
  }

 private:
  void Add(FindingKind kind, Severity severity, uint16_t port,
           std::string message, std::vector<const Binding*> involved) {
    std::sort(involved.begin(), involved.end(), ByKey);
    Finding f{kind, severity, port, std::move(message), {}, 0};
    for (const Binding* b : involved) {
      if (f.bindings.size() < options_.max_listed) {
        f.bindings.push_back(b->key);
      } else {
        ++f.more;
      }
    }
    out_->push_back(std::move(f));
  }

  void NoDefault(uint16_t port, const Port& p) {
    if (p.names.empty() || p.any_v4) return;
    const std::string names =
        Plural(p.names.size(), "SNI/CCS binding", "SNI/CCS bindings");
    const std::string v4 =
        BindingKey::IpPort(IpAddress::AnyV4(), port).ToParam();
    if (p.any_v6) {
      std::vector<const Binding*> involved = p.names;
      involved.push_back(p.any_v6);
      Add(FindingKind::kNoDefaultBinding, Severity::kWarning, port,
          "port " + std::to_string(port) + " has " + names +
              " and no default SSL site for IPv4: " + p.any_v6->key.ToParam() +
              " serves only IPv6 addresses, so IPv4 clients that send no "
              "SNI name get no certificate (create " +
              v4 + ")",
          std::move(involved));
      return;
    }
    Add(FindingKind::kNoDefaultBinding, Severity::kWarning, port,
        "port " + std::to_string(port) + " has " + names +
            " and no default SSL site (" + v4 +
            "): clients that send no SNI name get no certificate. IIS: No "
            "default SSL site has been created. To support browsers without "
            "SNI capabilities, it is recommended to create a default SSL "
            "site.",
        p.names);
  }

  void Shadowed(uint16_t port, const Port& p) {
    if (p.names.empty()) return;
    for (const Binding* ip : p.specific_ip) {
      std::vector<const Binding*> involved = p.names;
      involved.push_back(ip);
      Add(FindingKind::kShadowedByIpPort, Severity::kWarning, port,
          ip->key.ToParam() + " serves every connection to " +
              ip->key.address().ToString() + " on port " +
              std::to_string(port) + ", so the port's " +
              Plural(p.names.size(), "SNI/CCS binding never serves",
                     "SNI/CCS bindings never serve") +
              " clients connecting to that address",
          std::move(involved));
    }
  }

  void Unreachable(uint16_t port, const Port& p) {
    for (const Binding* b : p.names) {
      if (b->key.kind() == BindingKind::kCcs ||
          !EndsInNumber(b->key.hostname())) {
        continue;
      }
      const bool wildcard = IsWildcard(b->key);
      Add(FindingKind::kUnreachableName, Severity::kError, port,
          b->key.ToParam() + ": no client sends " +
              (wildcard ? "a name it covers" : "this name") +
              ": the last label is a number, so clients read the name as "
              "an IPv4 address, and SNI never carries addresses",
          {b});
    }
  }

  void Redundant(uint16_t port, const Port& p) {
    if (p.wildcards.empty()) return;
    std::map<std::string_view, const Binding*> by_parent;
    for (const Binding* w : p.wildcards) {
      by_parent[std::string_view(w->key.hostname()).substr(2)] = w;
    }
    for (const Binding* b : p.names) {
      if (b->key.kind() != BindingKind::kHostnamePort || IsWildcard(b->key)) {
        continue;
      }
      std::string_view name = b->key.hostname();
      size_t dot = name.find('.');
      if (dot == std::string_view::npos) continue;
      auto it = by_parent.find(name.substr(dot + 1));
      if (it == by_parent.end() || !SameSettings(*b, *it->second)) continue;
      Add(FindingKind::kRedundantExactName, Severity::kInfo, port,
          b->key.ToParam() + " has the same certificate and settings as " +
              it->second->key.ToParam() +
              ", which would serve the name the same way",
          {b, it->second});
    }
  }

  void FamiliesDiffer(uint16_t port, const Port& p) {
    if (!p.any_v4 || !p.any_v6 || SameCertificate(*p.any_v4, *p.any_v6)) {
      return;
    }
    Add(FindingKind::kIpv4Ipv6Differ, Severity::kWarning, port,
        p.any_v6->key.ToParam() + " and " + p.any_v4->key.ToParam() +
            " have different certificates: clients without a matching name "
            "get one over IPv6 and the other over IPv4",
        {p.any_v6, p.any_v4});
  }

  void Conflicting(uint16_t port, const Port& p) {
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
    for (const Setting& s : kSettings) {
      std::vector<const Binding*> on, off;
      for (const Binding* b : p.all)
        ((b->flags & s.flag) ? on : off).push_back(b);
      if (on.empty() || off.empty()) continue;
      // List the smaller side.
      const bool list_on = on.size() <= off.size();
      const std::vector<const Binding*>& listed = list_on ? on : off;
      Add(FindingKind::kConflictingSettings, Severity::kWarning, port,
          "port " + std::to_string(port) + ": " + std::string(s.name) + "=" +
              (list_on ? "enable" : "disable") + " on " +
              std::to_string(listed.size()) + " of " +
              Plural(p.all.size(), "binding", "bindings") +
              " (listed): " + std::string(s.effect) +
              " depends on the address and name it uses",
          listed);
    }
  }

  const CheckOptions& options_;
  std::vector<Finding>* out_;
};

}  // namespace

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
  std::map<uint16_t, Port> ports;
  for (const Binding& b : bindings) {
    Port& p = ports[b.key.port()];
    p.all.push_back(&b);
    switch (b.key.kind()) {
      case BindingKind::kIpPort: {
        const IpAddress& a = b.key.address();
        if (!a.IsWildcard()) {
          p.specific_ip.push_back(&b);
        } else if (a.is_v6()) {
          p.any_v6 = &b;
        } else {
          p.any_v4 = &b;
        }
        break;
      }
      case BindingKind::kHostnamePort:
        if (IsWildcard(b.key)) p.wildcards.push_back(&b);
        [[fallthrough]];
      case BindingKind::kScopedCcs:
      case BindingKind::kCcs: p.names.push_back(&b); break;
    }
  }
  // Ports in order, and CheckPort adds in the order of FindingKind: the
  // findings come out sorted.
  std::vector<Finding> findings;
  Checker checker(options, &findings);
  for (auto& [port, p] : ports) {
    for (auto* list : {&p.all, &p.specific_ip, &p.names, &p.wildcards}) {
      std::sort(list->begin(), list->end(), ByKey);
    }
    checker.CheckPort(port, p);
  }
  return findings;
}

}  // namespace sslbind

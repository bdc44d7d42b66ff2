// The findings of `sslbind iis check` (CheckIisConfig, sslbind/iis.h): an
// IIS configuration against a store's bindings and CCS settings.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "iis/iis_text.h"
#include "sslbind/certificates.h"
#include "sslbind/iis.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

using internal::SiteName;

// How many sites a message names before "and N more".
constexpr size_t kNamedSites = 5;

// "site 'A' (id 1), site 'B' (id 2) and 3 more", each site once.
std::string SiteList(const IisConfig& config,
                     const std::vector<size_t>& indexes) {
  std::vector<uint64_t> seen;
  std::string text;
  size_t more = 0;
  for (size_t i : indexes) {
    const IisBinding& b = config.bindings[i];
    if (std::find(seen.begin(), seen.end(), b.site_id) != seen.end()) continue;
    seen.push_back(b.site_id);
    if (seen.size() > kNamedSites) {
      ++more;
      continue;
    }
    text += (seen.size() > 1 ? ", " : "") + SiteName(b);
  }
  if (more) text += " and " + std::to_string(more) + " more";
  return text;
}

size_t DistinctSites(const IisConfig& config,
                     const std::vector<size_t>& indexes) {
  std::vector<uint64_t> ids;
  for (size_t i : indexes) ids.push_back(config.bindings[i].site_id);
  std::sort(ids.begin(), ids.end());
  return static_cast<size_t>(std::unique(ids.begin(), ids.end()) - ids.begin());
}

// "disablehttp2 on, disablequic off": the options where `want` and `have`
// (HTTP.sys flags) differ, in bit order.
std::string FlagDifferences(uint32_t want, uint32_t have) {
  std::string text;
  for (uint32_t bit = kIisSslDisableHttp2; bit <= kIisSslNegotiateClientCert;
       bit <<= 1) {
    const uint32_t http = IisFlagsToHttpFlags(bit);
    if ((want & http) == (have & http)) continue;
    text += (text.empty() ? "" : ", ") + std::string(IisSslFlagName(bit)) +
            ((have & http) ? " on" : " off");
  }
  return text;
}

class Checker {
 public:
  Checker(const IisConfig& config, std::span<const Binding> store,
          const CcsConfig& ccs)
      : config_(config), ccs_(ccs) {
    for (const Binding& b : store) store_.emplace(b.key, &b);
    needs_.reserve(config.bindings.size());
    for (size_t i = 0; i < config.bindings.size(); ++i) {
      needs_.push_back(NeededBinding(config.bindings[i]));
      if (needs_.back().key) users_[*needs_.back().key].push_back(i);
    }
  }

  std::vector<IisFinding> Run() {
    Missing();
    Orphans();
    Flags();
    Shared();
    SniWithoutHost();
    Duplicates();
    CcsDisabled();
    OneCertificate();
    CertificateDiffers();
    return std::move(findings_);
  }

 private:
  void Add(IisFindingKind kind, Severity severity, std::string message,
           std::vector<size_t> iis, std::optional<BindingKey> key) {
    findings_.push_back(
        {kind, severity, std::move(message), std::move(iis), std::move(key)});
  }

  // ", sslFlags 2 (ccs)"; nothing for IIS 6, which has no sslFlags.
  std::string FlagsClause(const IisBinding& b) const {
    if (config_.format == IisFormat::kMetabase) return {};
    return ", sslFlags " + IisSslFlagsText(b.ssl_flags);
  }

  const Binding* Stored(const BindingKey& key) const {
    auto it = store_.find(key);
    return it == store_.end() ? nullptr : it->second;
  }

  // Keys in file order of their first user.
  std::vector<const BindingKey*> KeysInFileOrder() const {
    std::vector<std::pair<size_t, const BindingKey*>> keys;
    for (const auto& [key, users] : users_) keys.emplace_back(users[0], &key);
    std::sort(keys.begin(), keys.end());
    std::vector<const BindingKey*> out;
    for (const auto& k : keys) out.push_back(k.second);
    return out;
  }

  void Missing() {
    for (const BindingKey* key : KeysInFileOrder()) {
      if (Stored(*key)) continue;
      const std::vector<size_t>& users = users_.at(*key);
      const IisBinding& first = config_.bindings[users[0]];
      std::string message =
          users.size() == 1
              ? IisBindingName(first) + FlagsClause(first) + ", needs " +
                    key->ToParam() + ", which the store does not have"
              : key->ToParam() + ", which " + SiteList(config_, users) +
                    " need, is not in the store";
      if (key->kind() == BindingKind::kCcs) {
        message += " (New-WebBinding -SslFlags 2 writes the site, not this)";
      }
      Add(IisFindingKind::kMissing, Severity::kError, std::move(message), users,
          *key);
    }
  }

  void Orphans() {
    // Ports whose SNI or CCS sites a specific ipport binding would hide.
    std::map<uint16_t, size_t> name_sites;  // port -> first user
    for (const auto& [key, users] : users_) {
      if (key.kind() != BindingKind::kIpPort) {
        auto [it, fresh] = name_sites.try_emplace(key.port(), users[0]);
        if (!fresh) it->second = std::min(it->second, users[0]);
      }
    }
    for (const auto& [key, binding] : store_) {
      if (users_.count(key)) continue;
      std::string message = key.ToParam() +
                            " is in the store, but no IIS "
                            "binding needs it";
      Severity severity = Severity::kWarning;
      auto hidden = name_sites.find(key.port());
      if (key.kind() == BindingKind::kIpPort && !key.address().IsWildcard() &&
          hidden != name_sites.end()) {
        severity = Severity::kError;
        message += "; it serves every connection to " + key.ToString() +
                   ", so the SNI and CCS sites of port " +
                   std::to_string(key.port()) + " (" +
                   SiteName(config_.bindings[hidden->second]) +
                   ", ...) never get their certificates there";
      }
      Add(IisFindingKind::kOrphan, severity, std::move(message), {}, key);
    }
  }

  void Flags() {
    for (size_t i = 0; i < config_.bindings.size(); ++i) {
      const IisNeed& need = needs_[i];
      if (!need.key) continue;
      const Binding* stored = Stored(*need.key);
      if (!stored) continue;
      const uint32_t have = stored->flags & kIisManagedFlags;
      if (have == need.flags) continue;
      const IisBinding& b = config_.bindings[i];
      Add(IisFindingKind::kFlags, Severity::kWarning,
          IisBindingName(b) + " has sslFlags " + IisSslFlagsText(b.ssl_flags) +
              ", but " + need.key->ToParam() + " has " +
              FlagDifferences(need.flags, have),
          {i}, *need.key);
    }
  }

  void Shared() {
    for (const BindingKey* key : KeysInFileOrder()) {
      const std::vector<size_t>& users = users_.at(*key);
      if (DistinctSites(config_, users) < 2) continue;
      Add(IisFindingKind::kShared, Severity::kInfo,
          key->ToParam() + " serves " +
              std::to_string(DistinctSites(config_, users)) + " sites (" +
              SiteList(config_, users) +
              "): deleting it for one site breaks the others",
          users, *key);
    }
  }

  void SniWithoutHost() {
    for (size_t i = 0; i < config_.bindings.size(); ++i) {
      const IisBinding& b = config_.bindings[i];
      if (!(b.ssl_flags & kIisSslSni) || !b.host.empty()) continue;
      Add(IisFindingKind::kSniWithoutHost, Severity::kError,
          IisBindingName(b) + " has sslFlags " + IisSslFlagsText(b.ssl_flags) +
              " but no host name: no SNI binding can be named for it",
          {i}, std::nullopt);
    }
  }

  void Duplicates() {
    using Place = std::tuple<std::optional<IpAddress>, uint16_t, std::string>;
    std::map<Place, std::vector<size_t>> places;
    for (size_t i = 0; i < config_.bindings.size(); ++i) {
      const IisBinding& b = config_.bindings[i];
      places[{b.address, b.port, b.host}].push_back(i);
    }
    std::vector<std::vector<size_t>> groups;
    for (auto& [place, indexes] : places) {
      if (indexes.size() > 1) groups.push_back(std::move(indexes));
    }
    std::sort(groups.begin(), groups.end());
    for (std::vector<size_t>& group : groups) {
      const IisBinding& first = config_.bindings[group[0]];
      std::optional<BindingKey> key = needs_[group[0]].key;
      std::string lines;
      for (size_t i : group) {
        lines += (lines.empty() ? "" : ", ") +
                 std::to_string(config_.bindings[i].line);
      }
      std::string message = QuoteForMessage(first.binding_information) +
                            " is bound " + std::to_string(group.size()) +
                            " times (" + SiteList(config_, group) + "; lines " +
                            lines + "): IIS starts only one of them";
      Add(IisFindingKind::kDuplicate, Severity::kError, std::move(message),
          std::move(group), std::move(key));
    }
  }

  void CcsDisabled() {
    if (ccs_.active()) return;
    const std::string why = ccs_.enabled
                                ? "is enabled without a folder"
                                : "is not enabled (`sslbind ccs enable`)";
    for (size_t i = 0; i < config_.bindings.size(); ++i) {
      const IisBinding& b = config_.bindings[i];
      if (!(b.ssl_flags & kIisSslCcs)) continue;
      Add(IisFindingKind::kCcsDisabled, Severity::kError,
          IisBindingName(b) + " uses the Central Certificate Store, which " +
              why,
          {i}, needs_[i].key);
    }
  }

  void OneCertificate() {
    if (config_.format != IisFormat::kMetabase) return;
    for (size_t i = 0; i < config_.bindings.size();) {
      const IisBinding& b = config_.bindings[i];
      const size_t n = b.site_secure_bindings;
      if (n > 1) {
        std::vector<size_t> group;
        std::string entries;
        for (size_t j = i; j < i + n && j < config_.bindings.size(); ++j) {
          group.push_back(j);
          entries += (entries.empty() ? "" : ", ") +
                     QuoteForMessage(config_.bindings[j].binding_information);
        }
        Add(IisFindingKind::kOneCertificate, Severity::kWarning,
            SiteName(b) + ", line " + std::to_string(b.line) + ", has " +
                std::to_string(n) + " SecureBindings (" + entries +
                ") and one certificate: IIS 6 serves every one of them "
                "with SSLCertHash",
            std::move(group), std::nullopt);
      }
      i += std::max<size_t>(n, 1);
    }
  }

  void CertificateDiffers() {
    if (config_.format != IisFormat::kMetabase) return;
    for (size_t i = 0; i < config_.bindings.size(); ++i) {
      const IisBinding& b = config_.bindings[i];
      if (b.cert_hash.empty() || !needs_[i].key) continue;
      const Binding* stored = Stored(*needs_[i].key);
      if (!stored) continue;
      const std::string_view want_store =
          b.cert_store_name ? std::string_view(*b.cert_store_name)
                            : kDefaultCertStoreName;
      const std::string_view have_store = EffectiveCertStoreName(*stored);
      std::string what;
      if (stored->cert_hash != b.cert_hash) {
        what = "SSLCertHash " + HexLower(b.cert_hash) + ", but " +
               needs_[i].key->ToParam() + " has certhash " +
               HexLower(stored->cert_hash);
      } else if (!NamesEqual(want_store, have_store)) {
        what = "SSLStoreName " + QuoteForMessage(want_store) + ", but " +
               needs_[i].key->ToParam() + " has certstorename " +
               QuoteForMessage(have_store);
      } else {
        continue;
      }
      Add(IisFindingKind::kCertificateDiffers, Severity::kError,
          IisBindingName(b) + " has " + what, {i}, needs_[i].key);
    }
  }

  const IisConfig& config_;
  const CcsConfig& ccs_;
  std::map<BindingKey, const Binding*> store_;
  std::vector<IisNeed> needs_;
  std::map<BindingKey, std::vector<size_t>> users_;
  std::vector<IisFinding> findings_;
};

}  // namespace

std::string_view IisFindingCode(IisFindingKind kind) {
  switch (kind) {
    case IisFindingKind::kMissing: return "missing";
    case IisFindingKind::kOrphan: return "orphan";
    case IisFindingKind::kFlags: return "flags";
    case IisFindingKind::kShared: return "shared";
    case IisFindingKind::kSniWithoutHost: return "sni-without-host";
    case IisFindingKind::kDuplicate: return "duplicate";
    case IisFindingKind::kCcsDisabled: return "ccs-disabled";
    case IisFindingKind::kOneCertificate: return "one-certificate";
    case IisFindingKind::kCertificateDiffers: return "certificate-differs";
  }
  return "unknown";
}

std::vector<IisFinding> CheckIisConfig(const IisConfig& config,
                                       std::span<const Binding> store_bindings,
                                       const CcsConfig& ccs) {
  return Checker(config, store_bindings, ccs).Run();
}

}  // namespace sslbind

// Binding <-> registry key, with the value names and encodings of
// docs/reference.md, "Registry layout".
#include "model/registry_codec.h"

#include <algorithm>
#include <array>
#include <optional>

#include "sslbind/text.h"

namespace sslbind::internal {
namespace {

constexpr std::string_view kCertHash = "SslCertHash";
constexpr std::string_view kAppId = "AppId";
constexpr std::string_view kCertStoreName = "SslCertStoreName";
constexpr std::string_view kCheckMode = "DefaultSslCertCheckMode";
constexpr std::string_view kFreshness = "DefaultSslRevocationFreshnessTime";
constexpr std::string_view kUrlTimeout =
    "DefaultSslRevocationUrlRetrievalTimeout";
constexpr std::string_view kCtlIdentifier = "DefaultSslCtlIdentifier";
constexpr std::string_view kCtlStoreName = "DefaultSslCtlStoreName";
constexpr std::string_view kFlags = "DefaultFlags";
constexpr std::string_view kHostnamePort = "HostnamePort";

std::string_view KindSubkey(BindingKind kind) {
  switch (kind) {
    case BindingKind::kIpPort: return kIpBindingsKey;
    case BindingKind::kHostnamePort: return kSniBindingsKey;
    case BindingKind::kCcs: return kCcsBindingsKey;
    case BindingKind::kScopedCcs: return kScopedCcsBindingsKey;
  }
  return kIpBindingsKey;
}

Status Corrupt(const RegistryKey& key, std::string_view what) {
  // Shown as it is when plain (backslashes are the path's separators);
  // quoted and cut when not: one from a .reg file can be anything.
  const std::string_view path = key.path;
  const bool plain =
      path.size() <= 300 && std::all_of(path.begin(), path.end(), [](char c) {
        return c >= 0x20 && c < 0x7f && c != '\'';
      });
  return Status::IncompatibleStore(
      "registry key " +
      (plain ? "'" + key.path + "'" : QuoteForMessage(path, 300)) + ": " +
      std::string(what));
}

// The values DecodeBinding reads, found in one pass over the key's values
// (a million keys are decoded when a store is indexed: eleven Find()s
// each would compare a hundred names).
struct BindingValues {
  const RegistryValue* cert_hash = nullptr;
  const RegistryValue* app_id = nullptr;
  const RegistryValue* cert_store_name = nullptr;
  const RegistryValue* check_mode = nullptr;
  const RegistryValue* freshness = nullptr;
  const RegistryValue* url_timeout = nullptr;
  const RegistryValue* ctl_identifier = nullptr;
  const RegistryValue* ctl_store_name = nullptr;
  const RegistryValue* flags = nullptr;
};

BindingValues FindBindingValues(const RegistryKey& key) {
  struct Slot {
    std::string_view name;
    const RegistryValue* BindingValues::*field;
  };
  static constexpr Slot kSlots[] = {
      {kCertHash, &BindingValues::cert_hash},
      {kAppId, &BindingValues::app_id},
      {kCertStoreName, &BindingValues::cert_store_name},
      {kCheckMode, &BindingValues::check_mode},
      {kFreshness, &BindingValues::freshness},
      {kUrlTimeout, &BindingValues::url_timeout},
      {kCtlIdentifier, &BindingValues::ctl_identifier},
      {kCtlStoreName, &BindingValues::ctl_store_name},
      {kFlags, &BindingValues::flags},
  };
  BindingValues found;
  for (const RegistryValue& value : key.values) {
    for (const Slot& slot : kSlots) {
      if (value.name.size() == slot.name.size() &&
          NamesEqual(value.name, slot.name)) {
        // The first of a name wins, as with RegistryKey::Find.
        if (!(found.*slot.field)) found.*slot.field = &value;
        break;
      }
    }
  }
  return found;
}

Result<uint32_t> ReadDword(const RegistryKey& key, const RegistryValue* v,
                           std::string_view name) {
  if (!v) return 0u;
  if (v->type != RegType::kDword || v->data.size() != 4) {
    return Corrupt(key, std::string(name) + " is not a REG_DWORD");
  }
  return static_cast<uint32_t>(v->data[0]) | uint32_t(v->data[1]) << 8 |
         uint32_t(v->data[2]) << 16 | uint32_t(v->data[3]) << 24;
}

Result<std::optional<std::string>> ReadSz(const RegistryKey& key,
                                          const RegistryValue* v,
                                          std::string_view name) {
  if (!v) return std::optional<std::string>();
  if (v->type != RegType::kSz) {
    return Corrupt(key, std::string(name) + " is not a REG_SZ");
  }
  return std::optional<std::string>(
      std::string(v->data.begin(), v->data.end()));
}

}  // namespace

std::string LeafName(const BindingKey& key) {
  if (key.kind() == BindingKind::kCcs) {
    return "0.0.0.0:" + std::to_string(key.port());
  }
  return key.ToString();
}

// Called once per key when a million-binding store is read: allocates
// nothing.
std::optional<BindingKind> KindOfParent(std::string_view parent) {
  static const std::array<std::string, 4> kPaths = {
      KindKeyPath(kAllBindingKinds[0]), KindKeyPath(kAllBindingKinds[1]),
      KindKeyPath(kAllBindingKinds[2]), KindKeyPath(kAllBindingKinds[3])};
  for (size_t i = 0; i < kPaths.size(); ++i) {
    if (NamesEqual(parent, kPaths[i])) return kAllBindingKinds[i];
  }
  return std::nullopt;
}

Result<BindingKey> BindingKeyOfLeaf(BindingKind kind, std::string_view leaf) {
  if (kind == BindingKind::kCcs) {
    size_t colon = leaf.rfind(':');
    if (colon != std::string_view::npos) leaf = leaf.substr(colon + 1);
  }
  return BindingKey::Parse(kind, leaf);
}

std::string KindKeyPath(BindingKind kind) {
  std::string path(kHttpParametersPath);
  path += '\\';
  path += KindSubkey(kind);
  return path;
}

bool IsBindingKeyPath(std::string_view path) {
  size_t slash = path.rfind('\\');
  if (slash == std::string_view::npos || slash + 1 == path.size()) {
    return false;
  }
  return KindOfParent(path.substr(0, slash)).has_value();
}

Result<BindingKey> BindingKeyOfPath(std::string_view path) {
  size_t slash = path.rfind('\\');
  if (slash == std::string_view::npos) {
    return Status::InvalidArgument("not a binding key");
  }
  std::optional<BindingKind> kind = KindOfParent(path.substr(0, slash));
  if (!kind) return Status::InvalidArgument("not below a binding kind key");
  return BindingKeyOfLeaf(*kind, path.substr(slash + 1));
}

std::string BindingKeyPath(const BindingKey& key) {
  return KindKeyPath(key.kind()) + '\\' + LeafName(key);
}

bool IsBindingValueName(std::string_view name) {
  std::string folded = FoldCase(name);
  for (std::string_view known :
       {kCertHash, kAppId, kCertStoreName, kCheckMode, kFreshness, kUrlTimeout,
        kCtlIdentifier, kCtlStoreName, kFlags, kHostnamePort}) {
    if (folded == FoldCase(known)) return true;
  }
  return false;
}

RegistryKey EncodeBinding(const Binding& b) {
  RegistryKey key;
  key.path = BindingKeyPath(b.key);
  auto& v = key.values;
  if (!b.cert_hash.empty())
    v.push_back(RegistryValue::Binary(std::string(kCertHash), b.cert_hash));
  auto app = b.app_id.ToWindowsBytes();
  v.push_back(RegistryValue::Binary(
      std::string(kAppId), std::vector<uint8_t>(app.begin(), app.end())));
  if (b.cert_store_name)
    v.push_back(
        RegistryValue::Sz(std::string(kCertStoreName), *b.cert_store_name));
  v.push_back(RegistryValue::Dword(std::string(kCheckMode), b.check_mode));
  v.push_back(RegistryValue::Dword(std::string(kFreshness),
                                   b.revocation_freshness_time));
  v.push_back(
      RegistryValue::Dword(std::string(kUrlTimeout), b.url_retrieval_timeout));
  if (b.ctl_identifier)
    v.push_back(
        RegistryValue::Sz(std::string(kCtlIdentifier), *b.ctl_identifier));
  if (b.ctl_store_name)
    v.push_back(
        RegistryValue::Sz(std::string(kCtlStoreName), *b.ctl_store_name));
  v.push_back(RegistryValue::Dword(std::string(kFlags), b.flags));
  if (b.key.kind() == BindingKind::kHostnamePort ||
      b.key.kind() == BindingKind::kScopedCcs) {
    v.push_back(
        RegistryValue::Sz(std::string(kHostnamePort), b.key.ToString()));
  }
  return key;
}

Result<Binding> DecodeBinding(const RegistryKey& key) {
  size_t slash = key.path.rfind('\\');
  if (slash == std::string::npos) return Corrupt(key, "not a binding key");
  if (!KindOfParent(std::string_view(key.path).substr(0, slash))) {
    return Corrupt(key, "not below a binding kind key");
  }
  Result<BindingKey> binding_key = BindingKeyOfPath(key.path);
  if (!binding_key.ok()) {
    return Corrupt(key, "bad key name: " + binding_key.status().message());
  }
  Binding b(std::move(*binding_key));
  const BindingValues values = FindBindingValues(key);

  if (const RegistryValue* v = values.cert_hash) {
    if (v->type != RegType::kBinary || v->data.empty() || v->data.size() > 32) {
      return Corrupt(key, "SslCertHash is not 1 to 32 bytes of REG_BINARY");
    }
    b.cert_hash = v->data;
  }
  const RegistryValue* app = values.app_id;
  if (!app || app->type != RegType::kBinary || app->data.size() != 16) {
    return Corrupt(key, "AppId is not 16 bytes of REG_BINARY");
  }
  std::array<uint8_t, 16> app_bytes;
  std::copy(app->data.begin(), app->data.end(), app_bytes.begin());
  b.app_id = Guid::FromWindowsBytes(app_bytes);

  Result<std::optional<std::string>> store =
      ReadSz(key, values.cert_store_name, kCertStoreName);
  Result<std::optional<std::string>> ctl_id =
      ReadSz(key, values.ctl_identifier, kCtlIdentifier);
  Result<std::optional<std::string>> ctl_store =
      ReadSz(key, values.ctl_store_name, kCtlStoreName);
  Result<uint32_t> check = ReadDword(key, values.check_mode, kCheckMode);
  Result<uint32_t> fresh = ReadDword(key, values.freshness, kFreshness);
  Result<uint32_t> timeout = ReadDword(key, values.url_timeout, kUrlTimeout);
  Result<uint32_t> flags = ReadDword(key, values.flags, kFlags);
  for (const Status* s :
       {&store.status(), &ctl_id.status(), &ctl_store.status(), &check.status(),
        &fresh.status(), &timeout.status(), &flags.status()}) {
    if (!s->ok()) return *s;
  }
  b.cert_store_name = std::move(*store);
  b.ctl_identifier = std::move(*ctl_id);
  b.ctl_store_name = std::move(*ctl_store);
  b.check_mode = *check;
  b.revocation_freshness_time = *fresh;
  b.url_retrieval_timeout = *timeout;
  b.flags = *flags;
  return b;
}

}  // namespace sslbind::internal

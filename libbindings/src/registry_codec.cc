// Binding <-> registry key, with the value names and encodings of spec §5.
#include "registry_codec.h"

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

// The leaf name of a binding's key.
std::string LeafName(const BindingKey& key) {
  if (key.kind() == BindingKind::kCcs) {
    return "0.0.0.0:" + std::to_string(key.port());
  }
  return key.ToString();
}

Status Corrupt(const RegistryKey& key, std::string_view what) {
  return Status::IncompatibleStore("registry key '" + key.path + "': " +
                                   std::string(what));
}

Result<uint32_t> ReadDword(const RegistryKey& key, std::string_view name) {
  const RegistryValue* v = key.Find(name);
  if (!v) return 0u;
  if (v->type != RegType::kDword || v->data.size() != 4) {
    return Corrupt(key, std::string(name) + " is not a REG_DWORD");
  }
  return static_cast<uint32_t>(v->data[0]) | uint32_t(v->data[1]) << 8 |
         uint32_t(v->data[2]) << 16 | uint32_t(v->data[3]) << 24;
}

Result<std::optional<std::string>> ReadSz(const RegistryKey& key,
                                          std::string_view name) {
  const RegistryValue* v = key.Find(name);
  if (!v) return std::optional<std::string>();
  if (v->type != RegType::kSz) {
    return Corrupt(key, std::string(name) + " is not a REG_SZ");
  }
  return std::optional<std::string>(
      std::string(v->data.begin(), v->data.end()));
}

}  // namespace

std::string KindKeyPath(BindingKind kind) {
  std::string path(kHttpParametersPath);
  path += '\\';
  path += KindSubkey(kind);
  return path;
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
  if (!b.cert_hash.empty()) v.push_back(RegistryValue::Binary(std::string(kCertHash), b.cert_hash));
  auto app = b.app_id.ToWindowsBytes();
  v.push_back(RegistryValue::Binary(std::string(kAppId),
                                    std::vector<uint8_t>(app.begin(), app.end())));
  if (b.cert_store_name) v.push_back(RegistryValue::Sz(std::string(kCertStoreName), *b.cert_store_name));
  v.push_back(RegistryValue::Dword(std::string(kCheckMode), b.check_mode));
  v.push_back(RegistryValue::Dword(std::string(kFreshness), b.revocation_freshness_time));
  v.push_back(RegistryValue::Dword(std::string(kUrlTimeout), b.url_retrieval_timeout));
  if (b.ctl_identifier) v.push_back(RegistryValue::Sz(std::string(kCtlIdentifier), *b.ctl_identifier));
  if (b.ctl_store_name) v.push_back(RegistryValue::Sz(std::string(kCtlStoreName), *b.ctl_store_name));
  v.push_back(RegistryValue::Dword(std::string(kFlags), b.flags));
  if (b.key.kind() == BindingKind::kHostnamePort ||
      b.key.kind() == BindingKind::kScopedCcs) {
    v.push_back(RegistryValue::Sz(std::string(kHostnamePort), b.key.ToString()));
  }
  return key;
}

Result<Binding> DecodeBinding(const RegistryKey& key) {
  size_t slash = key.path.rfind('\\');
  if (slash == std::string::npos) return Corrupt(key, "not a binding key");
  std::string parent = FoldCase(std::string_view(key.path).substr(0, slash));
  std::string leaf = key.path.substr(slash + 1);

  static const std::array<std::string, 4> kFoldedKindPaths = {
      FoldCase(KindKeyPath(BindingKind::kIpPort)),
      FoldCase(KindKeyPath(BindingKind::kHostnamePort)),
      FoldCase(KindKeyPath(BindingKind::kCcs)),
      FoldCase(KindKeyPath(BindingKind::kScopedCcs))};
  std::optional<BindingKind> kind;
  for (size_t k = 0; k < kFoldedKindPaths.size(); ++k) {
    if (parent == kFoldedKindPaths[k]) kind = static_cast<BindingKind>(k);
  }
  if (!kind) return Corrupt(key, "not below a binding kind key");

  std::string key_text = leaf;
  if (*kind == BindingKind::kCcs) {
    size_t colon = leaf.rfind(':');
    key_text = colon == std::string::npos ? leaf : leaf.substr(colon + 1);
  }
  Result<BindingKey> binding_key = BindingKey::Parse(*kind, key_text);
  if (!binding_key.ok()) {
    return Corrupt(key, "bad key name: " + binding_key.status().message());
  }
  Binding b(std::move(*binding_key));

  if (const RegistryValue* v = key.Find(kCertHash)) {
    if (v->type != RegType::kBinary || v->data.empty() || v->data.size() > 32) {
      return Corrupt(key, "SslCertHash is not 1 to 32 bytes of REG_BINARY");
    }
    b.cert_hash = v->data;
  }
  const RegistryValue* app = key.Find(kAppId);
  if (!app || app->type != RegType::kBinary || app->data.size() != 16) {
    return Corrupt(key, "AppId is not 16 bytes of REG_BINARY");
  }
  std::array<uint8_t, 16> app_bytes;
  std::copy(app->data.begin(), app->data.end(), app_bytes.begin());
  b.app_id = Guid::FromWindowsBytes(app_bytes);

  Result<std::optional<std::string>> store = ReadSz(key, kCertStoreName);
  Result<std::optional<std::string>> ctl_id = ReadSz(key, kCtlIdentifier);
  Result<std::optional<std::string>> ctl_store = ReadSz(key, kCtlStoreName);
  Result<uint32_t> check = ReadDword(key, kCheckMode);
  Result<uint32_t> fresh = ReadDword(key, kFreshness);
  Result<uint32_t> timeout = ReadDword(key, kUrlTimeout);
  Result<uint32_t> flags = ReadDword(key, kFlags);
  for (const Status* s : {&store.status(), &ctl_id.status(), &ctl_store.status(),
                          &check.status(), &fresh.status(), &timeout.status(),
                          &flags.status()}) {
    if (!s->ok()) return *s;
  }
  b.cert_store_name = *store;
  b.ctl_identifier = *ctl_id;
  b.ctl_store_name = *ctl_store;
  b.check_mode = *check;
  b.revocation_freshness_time = *fresh;
  b.url_retrieval_timeout = *timeout;
  b.flags = *flags;
  return b;
}

}  // namespace sslbind::internal

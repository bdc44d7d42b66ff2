// Show order as bytes; binding key names of schema 007: binding_order.h.
#include "storage/binding_order.h"

#include <algorithm>
#include <cstring>

#include "model/registry_codec.h"
#include "storage/registry_backend.h"
#include "sslbind/text.h"

namespace sslbind::internal {
namespace {

constexpr char kTagIpV4 = 0x01;
constexpr char kTagIpV6 = 0x02;
constexpr char kTagHost = 0x03;
constexpr char kTagCcs = 0x04;

void AppendPort(uint16_t port, std::string* out) {
  *out += static_cast<char>(port >> 8);
  *out += static_cast<char>(port & 0xff);
}

Status Damaged(std::string_view blob) {
  return Status::IncompatibleStore(
      "the store holds a damaged binding key name (" +
      std::to_string(blob.size()) + " bytes)");
}

}  // namespace

std::string ShowOrderBytes(const BindingKey& key) {
  std::string out;
  out.reserve(22 + key.hostname().size());
  out += static_cast<char>(key.kind());
  out += static_cast<char>(key.address().family);
  out.append(reinterpret_cast<const char*>(key.address().bytes.data()),
             key.address().bytes.size());
  out += key.hostname();
  out += '\0';
  AppendPort(key.port(), &out);
  return out;
}

std::optional<std::string> ShowOrderOfPath(std::string_view path) {
  if (!IsBindingKeyPath(path)) return std::nullopt;
  Result<BindingKey> key = BindingKeyOfPath(path);
  if (!key.ok()) return std::string(1, '\xff') + std::string(path);
  return ShowOrderBytes(*key);
}

std::optional<std::string> RegistryOrderOfPath(std::string_view path) {
  std::string place = FoldCase(path);
  std::replace(place.begin(), place.end(), '\\', '\0');
  return place;
}

std::optional<std::string> BindingNodeName(std::string_view folded_parent,
                                           std::string_view folded_leaf) {
  std::optional<BindingKind> kind = KindOfParent(folded_parent);
  if (!kind) return std::nullopt;
  Result<BindingKey> key = BindingKeyOfLeaf(*kind, folded_leaf);
  if (!key.ok()) return std::nullopt;
  std::string out;
  switch (key->kind()) {
    case BindingKind::kIpPort: {
      const bool v6 = key->address().is_v6();
      out += v6 ? kTagIpV6 : kTagIpV4;
      out.append(reinterpret_cast<const char*>(key->address().bytes.data()),
                 v6 ? 16 : 4);
      break;
    }
    case BindingKind::kHostnamePort:
    case BindingKind::kScopedCcs:
      out += kTagHost;
      out += key->hostname();
      out += '\0';
      break;
    case BindingKind::kCcs:
      out += kTagCcs;
      break;
  }
  AppendPort(key->port(), &out);
  if (LeafName(*key) != folded_leaf) out += folded_leaf;
  return out;
}

Result<std::string> FoldedLeafOfBindingNodeName(std::string_view blob) {
  if (blob.empty()) return Damaged(blob);
  const char tag = blob[0];
  size_t fields = 0;  // the bytes of tag and fields, port included
  switch (tag) {
    case kTagIpV4: fields = 1 + 4 + 2; break;
    case kTagIpV6: fields = 1 + 16 + 2; break;
    case kTagHost: {
      const size_t nul = blob.find('\0', 1);
      if (nul == std::string_view::npos) return Damaged(blob);
      fields = nul + 1 + 2;
      break;
    }
    case kTagCcs: fields = 1 + 2; break;
    default: return Damaged(blob);
  }
  if (blob.size() < fields) return Damaged(blob);
  if (blob.size() > fields) return std::string(blob.substr(fields));
  const auto* p = reinterpret_cast<const uint8_t*>(blob.data());
  const uint16_t port =
      static_cast<uint16_t>(p[fields - 2] << 8 | p[fields - 1]);
  switch (tag) {
    case kTagIpV4:
    case kTagIpV6: {
      IpAddress address;
      address.family =
          tag == kTagIpV6 ? IpAddress::Family::kV6 : IpAddress::Family::kV4;
      std::memcpy(address.bytes.data(), p + 1, fields - 3);
      return LeafName(BindingKey::IpPort(address, port));
    }
    case kTagHost: {
      std::string leaf(blob.substr(1, fields - 4));
      leaf += ':';
      leaf += std::to_string(port);
      return leaf;
    }
    default:
      return LeafName(BindingKey::Ccs(port));
  }
}

Status RegistryBackend::ScanInShowOrder(const KeyVisitor& visit) {
  return ScanSubtreeOrdered(kHttpParametersPath, ShowOrderOfPath, visit);
}

Status RegistryBackend::ScanInRegistryOrder(std::string_view path,
                                            const KeyVisitor& visit) {
  return ScanSubtreeOrdered(path, RegistryOrderOfPath, visit);
}

}  // namespace sslbind::internal

// The packed value list of one registry key.
#include "value_codec.h"

#include <iterator>
#include <string_view>

namespace sslbind::internal {
namespace {

void PutU16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v));
  out.push_back(static_cast<uint8_t>(v >> 8));
}

void PutU32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  bool done() const { return pos_ == data_.size(); }
  bool Read(size_t n, std::span<const uint8_t>* out) {
    if (data_.size() - pos_ < n) return false;
    *out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }
  bool ReadU32(uint32_t* v) {
    std::span<const uint8_t> b;
    if (!Read(4, &b)) return false;
    *v = b[0] | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 |
         uint32_t(b[3]) << 24;
    return true;
  }
  bool ReadU16(uint16_t* v) {
    std::span<const uint8_t> b;
    if (!Read(2, &b)) return false;
    *v = static_cast<uint16_t>(b[0] | b[1] << 8);
    return true;
  }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

// Names coded as one byte in the compact packing (code = index + 1): the
// values of a binding, of a certificate and of the CCS settings. Append
// only: stores hold these codes.
constexpr std::string_view kCompactValueNames[] = {
    "SslCertHash",
    "AppId",
    "SslCertStoreName",
    "DefaultSslCertCheckMode",
    "DefaultSslRevocationFreshnessTime",
    "DefaultSslRevocationUrlRetrievalTimeout",
    "DefaultSslCtlIdentifier",
    "DefaultSslCtlStoreName",
    "DefaultFlags",
    "HostnamePort",
    "Blob",
    "SslbindKeyId",
    "Subject",
    "Enabled",
    "CertStoreLocation",
    "SslbindPasswordId",
};

uint8_t CompactNameCode(std::string_view name) {
  for (size_t i = 0; i < std::size(kCompactValueNames); ++i) {
    if (kCompactValueNames[i] == name) return static_cast<uint8_t>(i + 1);
  }
  return 0;
}

void AppendCompact(std::string_view name, uint32_t type,
                   std::span<const uint8_t> data, std::vector<uint8_t>* out) {
  const uint8_t code = CompactNameCode(name);
  out->push_back(code);
  if (code == 0) {
    PutVarint(*out, name.size());
    out->insert(out->end(), name.begin(), name.end());
  }
  PutVarint(*out, type);
  PutVarint(*out, data.size());
  out->insert(out->end(), data.begin(), data.end());
}

// One value in the compact form at *at, seen in place.
Status ReadCompact(std::span<const uint8_t> data, size_t* at,
                   std::string_view* name, uint32_t* type,
                   std::span<const uint8_t>* bytes) {
  const Status truncated =
      Status::IncompatibleStore("a registry value list is truncated");
  if (*at >= data.size()) return truncated;
  const uint8_t code = data[(*at)++];
  uint64_t n = 0, t = 0;
  if (code == 0) {
    if (!GetVarint(data, at, &n) || data.size() - *at < n) return truncated;
    *name = std::string_view(reinterpret_cast<const char*>(data.data() + *at),
                             n);
    *at += n;
  } else if (code <= std::size(kCompactValueNames)) {
    *name = kCompactValueNames[code - 1];
  } else {
    return Status::IncompatibleStore("a registry value name code is unknown");
  }
  if (!GetVarint(data, at, &t) || t > UINT32_MAX || !GetVarint(data, at, &n) ||
      data.size() - *at < n) {
    return truncated;
  }
  *type = static_cast<uint32_t>(t);
  *bytes = data.subspan(*at, n);
  *at += n;
  return Status::Ok();
}

std::span<const uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

void PutVarint(std::vector<uint8_t>& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

bool GetVarint(std::span<const uint8_t> data, size_t* at, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *at < data.size(); shift += 7) {
    uint8_t b = data[(*at)++];
    *v |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

void PackValuesCompactInto(const std::vector<RegistryValue>& values,
                           std::vector<uint8_t>* out) {
  out->clear();
  for (const RegistryValue& v : values) {
    AppendCompact(v.name, static_cast<uint32_t>(v.type), v.data, out);
  }
}

Status UnpackValuesCompactInto(std::span<const uint8_t> data,
                               std::vector<RegistryValue>* values) {
  size_t at = 0, count = 0;
  while (at < data.size()) {
    std::string_view name;
    uint32_t type = 0;
    std::span<const uint8_t> bytes;
    Status s = ReadCompact(data, &at, &name, &type, &bytes);
    if (!s.ok()) return s;
    if (count == values->size()) values->emplace_back();
    RegistryValue& v = (*values)[count++];
    v.name.assign(name);
    v.type = static_cast<RegType>(type);
    v.data.assign(bytes.begin(), bytes.end());
  }
  values->resize(count);
  return Status::Ok();
}

bool ViewPackedValues(std::span<const uint8_t> list,
                      std::vector<PackedValueView>* values) {
  values->clear();
  Reader r(list);
  while (!r.done()) {
    uint16_t name_len;
    uint32_t data_len;
    PackedValueView v;
    if (!r.ReadU16(&name_len) || !r.Read(name_len, &v.name) ||
        !r.ReadU32(&v.type) || !r.ReadU32(&data_len) ||
        !r.Read(data_len, &v.data)) {
      return false;
    }
    values->push_back(v);
  }
  return true;
}

void AppendPackedValue(std::span<const uint8_t> name, uint32_t type,
                       std::span<const uint8_t> data,
                       std::vector<uint8_t>* list) {
  PutU16(*list, static_cast<uint16_t>(name.size()));
  list->insert(list->end(), name.begin(), name.end());
  PutU32(*list, type);
  PutU32(*list, static_cast<uint32_t>(data.size()));
  list->insert(list->end(), data.begin(), data.end());
}

void AppendCompactValue(const PackedValueView& value,
                        std::vector<uint8_t>* out) {
  AppendCompact(std::string_view(reinterpret_cast<const char*>(
                                     value.name.data()),
                                 value.name.size()),
                value.type, value.data, out);
}

Status ReadCompactValueInto(std::span<const uint8_t> data, size_t* at,
                            std::vector<uint8_t>* list) {
  std::string_view name;
  uint32_t type = 0;
  std::span<const uint8_t> bytes;
  Status s = ReadCompact(data, at, &name, &type, &bytes);
  if (s.ok()) AppendPackedValue(Bytes(name), type, bytes, list);
  return s;
}

std::vector<uint8_t> PackValues(const std::vector<RegistryValue>& values) {
  // Sized exactly: the journal keeps one of these for every key a write
  // changes (a million for a large import), and a grown vector can hold
  // twice its size.
  size_t size = 0;
  for (const RegistryValue& v : values) {
    size +=
        sizeof(uint16_t) + v.name.size() + 2 * sizeof(uint32_t) + v.data.size();
  }
  std::vector<uint8_t> out;
  out.reserve(size);
  for (const RegistryValue& v : values) {
    AppendPackedValue(Bytes(v.name), static_cast<uint32_t>(v.type), v.data,
                      &out);
  }
  return out;
}

Result<std::vector<RegistryValue>> UnpackValues(std::span<const uint8_t> data) {
  std::vector<RegistryValue> values;
  Status s = UnpackValuesInto(data, &values);
  if (!s.ok()) return s;
  return values;
}

Status UnpackValuesInto(std::span<const uint8_t> data,
                        std::vector<RegistryValue>* values) {
  Reader r(data);
  size_t count = 0;
  while (!r.done()) {
    uint16_t name_len;
    uint32_t type, data_len;
    std::span<const uint8_t> name, bytes;
    if (!r.ReadU16(&name_len) || !r.Read(name_len, &name) ||
        !r.ReadU32(&type) || !r.ReadU32(&data_len) ||
        !r.Read(data_len, &bytes)) {
      return Status::IncompatibleStore("a registry value list is truncated");
    }
    if (count == values->size()) values->emplace_back();
    RegistryValue& v = (*values)[count++];
    // (A pointer and a length: assign() from iterators of another type
    // would build a temporary string.)
    v.name.assign(reinterpret_cast<const char*>(name.data()), name.size());
    v.type = static_cast<RegType>(type);
    v.data.assign(bytes.begin(), bytes.end());
  }
  values->resize(count);
  return Status::Ok();
}

}  // namespace sslbind::internal

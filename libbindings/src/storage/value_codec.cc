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

}  // namespace

void PackValuesCompactInto(const std::vector<RegistryValue>& values,
                           std::vector<uint8_t>* out) {
  out->clear();
  for (const RegistryValue& v : values) {
    uint8_t code = 0;
    for (size_t i = 0; i < std::size(kCompactValueNames); ++i) {
      if (kCompactValueNames[i] == v.name) {
        code = static_cast<uint8_t>(i + 1);
        break;
      }
    }
    out->push_back(code);
    if (code == 0) {
      PutVarint(*out, v.name.size());
      out->insert(out->end(), v.name.begin(), v.name.end());
    }
    PutVarint(*out, static_cast<uint32_t>(v.type));
    PutVarint(*out, v.data.size());
    out->insert(out->end(), v.data.begin(), v.data.end());
  }
}

Status UnpackValuesCompactInto(std::span<const uint8_t> data,
                               std::vector<RegistryValue>* values) {
  const Status truncated =
      Status::IncompatibleStore("a registry value list is truncated");
  size_t at = 0, count = 0;
  while (at < data.size()) {
    const uint8_t code = data[at++];
    if (count == values->size()) values->emplace_back();
    RegistryValue& v = (*values)[count++];
    uint64_t n = 0, type = 0;
    if (code == 0) {
      if (!GetVarint(data, &at, &n) || data.size() - at < n) return truncated;
      v.name.assign(reinterpret_cast<const char*>(data.data() + at), n);
      at += n;
    } else if (code <= std::size(kCompactValueNames)) {
      v.name.assign(kCompactValueNames[code - 1]);
    } else {
      return Status::IncompatibleStore("a registry value name code is unknown");
    }
    if (!GetVarint(data, &at, &type) || type > UINT32_MAX ||
        !GetVarint(data, &at, &n) || data.size() - at < n) {
      return truncated;
    }
    v.type = static_cast<RegType>(type);
    v.data.assign(data.begin() + at, data.begin() + at + n);
    at += n;
  }
  values->resize(count);
  return Status::Ok();
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
    PutU16(out, static_cast<uint16_t>(v.name.size()));
    out.insert(out.end(), v.name.begin(), v.name.end());
    PutU32(out, static_cast<uint32_t>(v.type));
    PutU32(out, static_cast<uint32_t>(v.data.size()));
    out.insert(out.end(), v.data.begin(), v.data.end());
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

// Internal: the packed form of a key's values in one BLOB column.
//
// A binding is read and written as one row, which keeps a million-binding
// snapshot to a million row reads. Layout, repeated per value, integers
// little-endian: u16 name length, name bytes, u32 type, u32 data length,
// data bytes.
#ifndef SSLBIND_SRC_STORAGE_VALUE_CODEC_H_
#define SSLBIND_SRC_STORAGE_VALUE_CODEC_H_

#include <cstdint>
#include <span>
#include <vector>

#include "sslbind/registry.h"
#include "sslbind/status.h"

namespace sslbind::internal {

std::vector<uint8_t> PackValues(const std::vector<RegistryValue>& values);
// IncompatibleStore if the bytes are not a well-formed packing.
Result<std::vector<RegistryValue>> UnpackValues(std::span<const uint8_t> data);
// As UnpackValues, into *values, reusing the storage of the elements it
// already holds: a scan of a million keys then allocates next to nothing.
// On error *values holds an unspecified list.
Status UnpackValuesInto(std::span<const uint8_t> data,
                        std::vector<RegistryValue>* values);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_VALUE_CODEC_H_

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

// The compact packing of the SQLite store's registry_node.vals (schema
// 005), about a third of the size of the one above for a binding. Per
// value: u8 name code (1..N: a name of kCompactValueNames; 0: varint
// length and the name's bytes follow), varint type, varint data length,
// data bytes (varints: LEB128, 7 bits a byte, low first). The list of names
// is part of the file format: append only.
void PackValuesCompactInto(const std::vector<RegistryValue>& values,
                           std::vector<uint8_t>* out);
// As UnpackValuesInto, for the compact packing.
Status UnpackValuesCompactInto(std::span<const uint8_t> data,
                               std::vector<RegistryValue>* values);

// The pieces the journal's packing (journal_packing.h) builds on.

// LEB128 varints, as in the compact packing. GetVarint reads one at *at
// and advances it; false if the data ends first or it exceeds 64 bits.
void PutVarint(std::vector<uint8_t>& out, uint64_t v);
bool GetVarint(std::span<const uint8_t> data, size_t* at, uint64_t* v);

// One value of a PackValues list, seen in place.
struct PackedValueView {
  std::span<const uint8_t> name;
  uint32_t type = 0;
  std::span<const uint8_t> data;
};
// The values of a PackValues list, in order, as views into it (valid while
// `list` is); false if it is not a well-formed packing.
bool ViewPackedValues(std::span<const uint8_t> list,
                      std::vector<PackedValueView>* values);
// Appends one value to a PackValues list.
void AppendPackedValue(std::span<const uint8_t> name, uint32_t type,
                       std::span<const uint8_t> data, std::vector<uint8_t>* list);
// Appends one value in the compact packing's form.
void AppendCompactValue(const PackedValueView& value,
                        std::vector<uint8_t>* out);
// Reads one value in the compact packing's form at *at, advancing it, and
// appends it to the PackValues list *list; IncompatibleStore if malformed.
Status ReadCompactValueInto(std::span<const uint8_t> data, size_t* at,
                            std::vector<uint8_t>* list);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_VALUE_CODEC_H_

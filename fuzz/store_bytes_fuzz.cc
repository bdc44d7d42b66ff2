// Fuzzes the decoders of the bytes a store holds beside its SQL: a journal
// entry's packing (journal_revision.changes, every version) and a key's
// value list (both packings). Whatever they accept must pack again and read
// back the same; nothing may crash or read outside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "storage/journal_packing.h"
#include "storage/value_codec.h"

namespace {

using sslbind::internal::JournalKeyChange;

void Require(bool condition) {
  if (!condition) std::abort();
}

void FuzzJournalPacking(std::span<const uint8_t> bytes) {
  std::vector<JournalKeyChange> changes;
  if (!sslbind::internal::UnpackChanges(bytes, "", &changes).ok()) return;
  std::vector<uint8_t> packed;
  // Versions 1 and 2 hold value lists as bytes, unchecked; version 3 builds
  // well-formed lists only, which must pack again.
  const bool v3 = bytes.size() >= 5 && bytes[4] == 3 && bytes[0] == 0xff;
  const bool repacked = sslbind::internal::PackChanges(changes, &packed).ok();
  Require(repacked || !v3);
  if (!repacked) return;
  std::vector<JournalKeyChange> again;
  Require(sslbind::internal::UnpackChanges(packed, "", &again).ok());
  Require(again.size() == changes.size());
  for (size_t i = 0; i < again.size(); ++i) {
    Require(again[i].path == changes[i].path);
    Require(again[i].before == changes[i].before);
    Require(again[i].after == changes[i].after);
  }
}

void FuzzValueLists(std::span<const uint8_t> bytes) {
  std::vector<sslbind::RegistryValue> values;
  if (sslbind::internal::UnpackValuesInto(bytes, &values).ok()) {
    // The fixed-width packing has one spelling per list.
    Require(sslbind::internal::PackValues(values) ==
            std::vector<uint8_t>(bytes.begin(), bytes.end()));
  }
  if (sslbind::internal::UnpackValuesCompactInto(bytes, &values).ok()) {
    std::vector<uint8_t> compact;
    sslbind::internal::PackValuesCompactInto(values, &compact);
    std::vector<sslbind::RegistryValue> again;
    Require(sslbind::internal::UnpackValuesCompactInto(compact, &again).ok());
    Require(again == values);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  FuzzJournalPacking(bytes);
  FuzzValueLists(bytes);
  return 0;
}

// Internal: the journal's side of a write. A JournalingTxn sits between the
// batch and the backend's transaction and notes every key the batch
// changes, with its values before and after; Store::Write turns the notes
// into the revision's JournalRecord and appends it in the same transaction.
#ifndef SSLBIND_SRC_JOURNAL_TXN_H_
#define SSLBIND_SRC_JOURNAL_TXN_H_

#include <string>
#include <vector>

#include "sslbind/store.h"
#include "storage/journal_packing.h"
#include "storage/registry_backend.h"

namespace sslbind::internal {

class JournalingTxn final : public RegistryTxn {
 public:
  // `expected_keys`: about how many keys the batch changes (its size);
  // room for their notes is made only once one is not an added key.
  JournalingTxn(RegistryTxn& inner, size_t expected_keys)
      : inner_(inner), expected_keys_(expected_keys) {}

  Result<std::optional<RegistryKey>> GetKey(std::string_view path) override {
    return inner_.GetKey(path);
  }
  Result<bool> KeyExists(std::string_view path) override {
    return inner_.KeyExists(path);
  }
  Status PutKey(const RegistryKey& key) override;
  Result<bool> AddKey(const RegistryKey& key) override;
  Result<bool> DeleteKey(std::string_view path) override;
  Status ScanSubtree(std::string_view path, const KeyVisitor& visit) override {
    return inner_.ScanSubtree(path, visit);
  }
  Result<uint64_t> Revision() override { return inner_.Revision(); }
  Status AppendJournal(const JournalRecord& record) override {
    return inner_.AppendJournal(record);
  }

  // Gives `record` the keys changed, in the order first changed, one entry
  // per key (first value before, last value after), without the keys that
  // ended as they began; certificate keys reduced to their subject
  // (RedactForJournal). While every change is an added key (an import),
  // they are packed as they come (record->packed): a million added keys
  // are held as their journal's bytes, not as a million changes; otherwise
  // in record->changes. Internal if a value list cannot be packed.
  Status TakeChanges(JournalRecord* record);

 private:
  void Note(const std::string& path, std::optional<PackedValues> before,
            std::optional<PackedValues> after);
  // Before the first change that is not an added key: the changes packed
  // so far become notes again.
  Status StopPacking();
  // Merges the notes of a key noted more than once into its first; true
  // for each note merged into an earlier one.
  std::vector<bool> MergeRepeatedNotes();

  RegistryTxn& inner_;
  size_t expected_keys_;
  // Every note, in order; a key noted twice is merged by TakeChanges (a
  // sort by hash then, rather than a hash table lookup per note).
  std::vector<JournalKeyChange> changes_;
  // False while every note is an added key: a key added once cannot be
  // added again unless a note of its deletion comes between, so there is
  // nothing to merge (an import of 100k bindings sorts nothing).
  bool may_repeat_ = false;
  // While !may_repeat_: the added keys, packed, and the hashes of their
  // paths while there are few enough to index one by one.
  ChangePacker packer_;
  std::vector<int64_t> packed_hashes_;
  Status packing_failed_;
};

// The one value the journal keeps of a certificate key: its subject.
inline constexpr std::string_view kJournalSubjectValue = "Subject";

// What the journal keeps of a key's values: certificate keys keep only a
// "Subject" value (the store and thumbprint are in the path), never the
// certificate's bytes; every other key is kept as it is (no value of the
// hive holds a secret: private keys and the CCS password live in files).
std::optional<PackedValues> RedactForJournal(
    std::string_view path, std::optional<PackedValues> packed);

// The record of one revision, with who and when filled in from this
// process and `options`.
JournalRecord MakeJournalRecord(const WriteOptions& options);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_JOURNAL_TXN_H_

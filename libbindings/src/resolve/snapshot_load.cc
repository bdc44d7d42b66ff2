// Snapshot::Load: a store's bindings into a snapshot, read on the calling
// thread and decoded and laid out on a second one.
//
// Reading a million keys from SQLite (the scan, unpacking their values)
// and turning them into records (DecodeBinding, the host-name checks,
// SnapshotBuilder::Add) take about the same time; on two cores they
// overlap. The keys pass from one thread to the other in batches whose
// RegistryKey objects go back and forth, so that the scan refills objects
// whose strings and vectors already have room: no allocation per key.
//
// The answer is the one a plain walk gives (Store::ForEach feeding the
// builder): the same records in the same order, and the same first error --
// a key that does not decode stops the load with its status even if the
// scan read further meanwhile; the scan's own error counts only when every
// key before it was decoded and added.
#include <malloc.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "model/exception_status.h"
#include "model/registry_codec.h"
#include "resolve/snapshot_rep.h"
#include "sslbind/snapshot.h"
#include "sslbind/store.h"
#include "storage/registry_backend.h"
#include "store/store_access.h"

namespace sslbind {
namespace {

using internal::SnapshotBuilder;

// Keys per batch, and batches at most in flight (the scan waits for a free
// one): a few MB however large the store.
constexpr size_t kBatchKeys = 1024;
constexpr size_t kMaxBatches = 8;

struct Batch {
  std::vector<RegistryKey> keys = std::vector<RegistryKey>(kBatchKeys);
  size_t size = 0;
};

// The hand-over between the scan (producer) and the builder (consumer).
class KeyPipe {
 public:
  // The producer's next empty batch: a recycled one, or a new one while
  // fewer than kMaxBatches exist; waits otherwise. Null once the consumer
  // has failed (the scan should stop).
  std::unique_ptr<Batch> Empty() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] {
      return failed_ || !empty_.empty() || batches_ < kMaxBatches;
    });
    if (failed_) return nullptr;
    if (empty_.empty()) {
      ++batches_;
      lock.unlock();
      return std::make_unique<Batch>();
    }
    std::unique_ptr<Batch> b = std::move(empty_.front());
    empty_.pop_front();
    return b;
  }
  void PushFull(std::unique_ptr<Batch> batch) {
    Change([&] { full_.push_back(std::move(batch)); });
  }
  // No more batches will come.
  void Close() {
    Change([&] { closed_ = true; });
  }

  // The consumer's next full batch; null when the producer is done.
  std::unique_ptr<Batch> Full() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return closed_ || !full_.empty(); });
    if (full_.empty()) return nullptr;
    std::unique_ptr<Batch> b = std::move(full_.front());
    full_.pop_front();
    return b;
  }
  void Recycle(std::unique_ptr<Batch> batch) {
    batch->size = 0;
    Change([&] { empty_.push_back(std::move(batch)); });
  }
  // The consumer stops: the producer gets no more empty batches.
  void Fail() {
    Change([&] { failed_ = true; });
  }

 private:
  // Runs `change` under the lock, then wakes the other side.
  template <typename F>
  void Change(const F& change) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      change();
    }
    cv_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> full_;
  std::deque<std::unique_ptr<Batch>> empty_;
  size_t batches_ = 0;
  bool closed_ = false;
  bool failed_ = false;
};

// What Store::ForEach does for each key, into the builder.
Status AddKey(SnapshotBuilder& builder, const RegistryKey& key) {
  if (!internal::IsBindingKeyPath(key.path)) return Status::Ok();
  Result<Binding> b = internal::DecodeBinding(key);
  if (!b.ok()) return b.status();
  return builder.Add(*b);
}

// The consumer: every key of every batch into the builder, until the first
// error (returned).
Status Consume(KeyPipe& pipe, SnapshotBuilder& builder) noexcept {
  try {
    while (std::unique_ptr<Batch> batch = pipe.Full()) {
      for (size_t i = 0; i < batch->size; ++i) {
        Status s = AddKey(builder, batch->keys[i]);
        if (!s.ok()) {
          pipe.Fail();
          return s;
        }
      }
      pipe.Recycle(std::move(batch));
    }
    return Status::Ok();
  } catch (...) {
    pipe.Fail();
    return internal::StatusOfCurrentException();
  }
}

// The store's bindings into `builder`, read on this thread and added on
// another.
Status ReadInto(const Store& store, SnapshotBuilder& builder) {
  KeyPipe pipe;
  Status consumed;
  std::thread consumer;
  try {
    consumer = std::thread([&] { consumed = Consume(pipe, builder); });
  } catch (const std::system_error&) {
    // No second thread: the plain walk.
    return store.ForEach([&](const Binding& b) { return builder.Add(b); });
  }
  std::unique_ptr<Batch> batch;
  Status scanned;
  try {
    const std::string root(kHttpParametersPath);
    scanned = internal::StoreAccess::Backend(store).ScanSubtree(
        root, [&](RegistryKey&& key) {
          if (!batch && !(batch = pipe.Empty())) {
            return Status::Internal("stopped: the builder failed");
          }
          // The scan refills what it gets back: a key of an earlier batch.
          std::swap(key, batch->keys[batch->size++]);
          if (batch->size == kBatchKeys) pipe.PushFull(std::move(batch));
          return Status::Ok();
        });
    if (batch) pipe.PushFull(std::move(batch));
  } catch (...) {
    scanned = internal::StatusOfCurrentException();
  }
  pipe.Close();
  consumer.join();
  // The consumer's error comes from an earlier key than any error the
  // scan met after handing that key over.
  return consumed.ok() ? scanned : consumed;
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> Snapshot::Load(
    const Store& store, const SnapshotOptions& options,
    uint64_t* change_counter) {
  Result<uint64_t> counter = store.ChangeCounter();
  if (!counter.ok()) return counter.status();
  SnapshotBuilder builder(options);
  Status s = ReadInto(store, builder);
  if (!s.ok()) return s;
  Result<std::shared_ptr<const Snapshot>> snapshot = builder.Finish();
  // The batches' keys, freed in the middle of the heap, would stay in the
  // process (about 9 MB of private memory at a million keys): give back
  // the free pages of every malloc arena.
  malloc_trim(0);
  if (!snapshot.ok()) {
    // Two registry keys of the store name one binding (e.g. a hand-written
    // "[::ffff:1.2.3.4]:443" beside "1.2.3.4:443").
    return Status::IncompatibleStore(
        "the store '" + store.path() +
        "' is inconsistent: " + snapshot.status().message());
  }
  if (change_counter) *change_counter = *counter;
  return snapshot;
}

}  // namespace sslbind

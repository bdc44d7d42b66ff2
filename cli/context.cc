#include "context.h"

#include "command_error.h"
#include "global_options.h"
#include "journal_options.h"

namespace sslbind::cli {

std::optional<Store> Context::OpenForReading() const {
  Result<Store> store =
      Store::Open(store_path, {.writable = false, .key_file = key_file});
  if (store.ok()) return std::move(*store);
  if (store.status().IsNotFound()) return std::nullopt;
  throw CommandError::Failed(store.status());
}

Store Context::OpenForWriting() const {
  Result<Store> store = Store::Open(
      store_path,
      {.writable = true, .create_if_missing = true, .key_file = key_file});
  if (!store.ok()) throw CommandError::Failed(store.status());
  return std::move(*store);
}

Store Context::OpenForChecking() const {
  Result<Store> store = Store::Open(
      store_path,
      {.writable = false, .missing_is_empty = true, .key_file = key_file});
  if (!store.ok()) throw CommandError::Failed(store.status());
  return std::move(*store);
}

void Context::RefuseDryRun(const std::string& what) const {
  if (!dry_run) return;
  throw CommandError::Syntax(RefusalMessage(GlobalOption::kDryRun, what), "");
}

namespace {

// Store::Check under --dry-run, else Store::Write, of a batch or a source.
template <typename Changes>
Status WriteOrCheckChanges(Context& ctx, Store& store, const Changes& changes,
                           WriteOptions options, size_t* failed_op) {
  options = WithJournal(ctx, std::move(options));
  if (ctx.dry_run) return store.Check(changes, options, failed_op);
  Status s = store.Write(changes, options, failed_op);
  ctx.committed = ctx.committed || s.ok();
  return s;
}

}  // namespace

Status Context::WriteOrCheck(Store& store, const WriteBatch& batch,
                             WriteOptions options, size_t* failed_op) {
  return WriteOrCheckChanges(*this, store, batch, std::move(options),
                             failed_op);
}

Status Context::WriteOrCheck(Store& store, const WriteBatchSource& source,
                             WriteOptions options, size_t* failed_op) {
  return WriteOrCheckChanges(*this, store, source, std::move(options),
                             failed_op);
}

}  // namespace sslbind::cli

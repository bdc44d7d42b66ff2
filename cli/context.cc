#include "context.h"

#include "command_error.h"

namespace sslbind::cli {

std::optional<Store> Context::OpenForReading() const {
  Result<Store> store = Store::Open(store_path, {.writable = false, .key_file = key_file});
  if (store.ok()) return std::move(*store);
  if (store.status().IsNotFound()) return std::nullopt;
  throw CommandError::Failed(store.status());
}

Store Context::OpenForWriting() const {
  Result<Store> store =
      Store::Open(store_path, {.writable = true, .create_if_missing = true, .key_file = key_file});
  if (!store.ok()) throw CommandError::Failed(store.status());
  return std::move(*store);
}

Store Context::OpenForChecking() const {
  Result<Store> store =
      Store::Open(store_path, {.writable = false, .missing_is_empty = true, .key_file = key_file});
  if (!store.ok()) throw CommandError::Failed(store.status());
  return std::move(*store);
}

}  // namespace sslbind::cli

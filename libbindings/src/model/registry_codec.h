// Internal: how a Binding is laid out as a registry key (docs/reference.md,
// "Registry layout").
#ifndef SSLBIND_SRC_REGISTRY_CODEC_H_
#define SSLBIND_SRC_REGISTRY_CODEC_H_

#include <optional>
#include <string>
#include <string_view>

#include "sslbind/binding.h"
#include "sslbind/registry.h"
#include "sslbind/status.h"

namespace sslbind::internal {

// The path of the subkey holding bindings of one kind, e.g.
// "SYSTEM\...\Parameters\SslBindingInfo".
std::string KindKeyPath(BindingKind kind);

// True if `path` names a key directly below one of the kind subkeys, i.e.
// the key of a binding (not the kind subkey itself, nor an unrelated key).
bool IsBindingKeyPath(std::string_view path);

// The key of the binding stored at `path` (a path IsBindingKeyPath
// accepts); InvalidArgument if the leaf is not a key of its kind.
Result<BindingKey> BindingKeyOfPath(std::string_view path);

// The kind whose subkey is `parent` (a full path, compared as registry
// names compare); nullopt for any other key.
std::optional<BindingKind> KindOfParent(std::string_view parent);

// The key of the binding named `leaf` below the subkey of `kind`
// (BindingKeyOfPath without the path).
Result<BindingKey> BindingKeyOfLeaf(BindingKind kind, std::string_view leaf);

// The leaf name of a binding's key: "0.0.0.0:443", "[::1]:443",
// "www.contoso.com:443"; "0.0.0.0:443" for ccs port 443.
std::string LeafName(const BindingKey& key);

// The full path of a binding's key, e.g. "...\SslBindingInfo\0.0.0.0:443".
std::string BindingKeyPath(const BindingKey& key);

// The key with the values of docs/reference.md, "Registry layout" (absent
// strings have no value).
RegistryKey EncodeBinding(const Binding& binding);

// True for the value names EncodeBinding writes (case-insensitive): what
// DecodeBinding reads. Other values of a binding key are not kept.
bool IsBindingValueName(std::string_view name);

// The reverse of EncodeBinding, for a key below one of the kind subkeys.
// IncompatibleStore names the key if a value is missing or malformed.
Result<Binding> DecodeBinding(const RegistryKey& key);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_REGISTRY_CODEC_H_

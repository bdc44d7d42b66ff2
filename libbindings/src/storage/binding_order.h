// Internal: the order of `show` as bytes, and the SQLite key table's names
// for binding keys (schema 007), which sort in that order.
//
// A binding key's row in registry_node is named (column name_folded) by a
// BLOB that compares, as bytes, as the BindingKeys of its folder compare
// (BindingKey's operator<=>): a scan of the folder in primary-key order is
// `show` order, and no sort is needed. Every other key, and a key below a
// binding kind whose name is not a key of that kind, is named by its folded
// name (TEXT, which SQLite sorts before every BLOB).
//
// The BLOB: a tag, the key's fields, and -- only when the folded name is
// not the key's canonical leaf name (LeafName) -- the folded name itself,
// so that any name comes back unchanged:
//   0x01, 4 address bytes, port (big-endian)     ipport, IPv4
//   0x02, 16 address bytes, port                 ipport, IPv6
//   0x03, host name, 0x00, port                  hostnameport, scopedccs
//   0x04, port                                   ccs
#ifndef SSLBIND_SRC_STORAGE_BINDING_ORDER_H_
#define SSLBIND_SRC_STORAGE_BINDING_ORDER_H_

#include <optional>
#include <string>
#include <string_view>

#include "sslbind/binding_key.h"
#include "sslbind/status.h"

namespace sslbind::internal {

// Bytes that compare (as unsigned chars) as BindingKey's operator<=>: kind,
// address family and bytes, host name (NUL-terminated: a shorter name
// first), port big-endian.
std::string ShowOrderBytes(const BindingKey& key);

// The place in `show` order of the key at `path`: nullopt for a key that is
// not a binding's (IsBindingKeyPath), ShowOrderBytes for a binding, and
// 0xff + path -- after every binding -- for a key below a binding kind whose
// name does not parse, so that a listing reaches it and reports it.
std::optional<std::string> ShowOrderOfPath(std::string_view path);

// The place of the key at `path` in the order of a .reg file: its folded
// path with NUL for every backslash (a parent before its children, siblings
// by folded name, depth first).
std::optional<std::string> RegistryOrderOfPath(std::string_view path);

// The BLOB that names the key `folded_leaf` below the folder whose folded
// path is `folded_parent`; nullopt when the key is named by its folded
// name (not a binding kind's folder, or a name that does not parse).
std::optional<std::string> BindingNodeName(std::string_view folded_parent,
                                           std::string_view folded_leaf);

// The folded name a BindingNodeName BLOB stands for; IncompatibleStore if
// the bytes are not one.
Result<std::string> FoldedLeafOfBindingNodeName(std::string_view blob);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_BINDING_ORDER_H_

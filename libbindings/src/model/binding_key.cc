// BindingKey and the port rule of docs/reference.md, "Binding kinds". Host
// names are model/host_name.cc's, IP addresses model/ip_address.cc's.
#include "sslbind/binding_key.h"

#include <algorithm>

#include "sslbind/text.h"

namespace sslbind {
namespace {

// Splits "host:port" at the last colon.
Status SplitHostPort(std::string_view text, std::string_view* host,
                     std::string_view* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return Status::InvalidArgument(QuoteForMessage(text) + " has no ':port'");
  }
  *host = text.substr(0, colon);
  *port = text.substr(colon + 1);
  return Status::Ok();
}

}  // namespace

std::string_view KindParamName(BindingKind kind) {
  switch (kind) {
    case BindingKind::kIpPort: return "ipport";
    case BindingKind::kHostnamePort: return "hostnameport";
    case BindingKind::kCcs: return "ccs";
    case BindingKind::kScopedCcs: return "scopedccs";
  }
  return "ipport";
}

Result<uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) {
    return Status::InvalidArgument("port " + QuoteForMessage(text) +
                                   " is not a number from 1 to 65535");
  }
  uint32_t port = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return Status::InvalidArgument("port " + QuoteForMessage(text) +
                                     " is not a number from 1 to 65535");
    }
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) {
    return Status::InvalidArgument("port " + QuoteForMessage(text) +
                                   " is not a number from 1 to 65535");
  }
  return static_cast<uint16_t>(port);
}

Result<BindingKey> BindingKey::Parse(BindingKind kind, std::string_view text) {
  // "ipport=..." for messages; built only when one is needed.
  // The text as given when it is short and plain, quoted otherwise.
  auto param = [&] {
    const bool plain =
        text.size() <= 80 && std::all_of(text.begin(), text.end(), [](char c) {
          return c > 0x20 && c < 0x7f && c != '\'' && c != '\\';
        });
    return std::string(KindParamName(kind)) + "=" +
           (plain ? std::string(text) : QuoteForMessage(text));
  };
  BindingKey key;
  key.kind_ = kind;
  if (kind == BindingKind::kCcs) {
    Result<uint16_t> port = ParsePort(text);
    if (!port.ok()) return port.status().WithContext(param());
    key.port_ = *port;
    return key;
  }
  std::string_view host, port_text;
  Status s = SplitHostPort(text, &host, &port_text);
  if (!s.ok()) return s.WithContext(param());
  Result<uint16_t> port = ParsePort(port_text);
  if (!port.ok()) return port.status().WithContext(param());
  key.port_ = *port;

  if (kind == BindingKind::kIpPort) {
    if (host.empty() || host == "*") {
      key.address_ = IpAddress::AnyV4();
      return key;
    }
    bool bracketed =
        host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (bracketed) host = host.substr(1, host.size() - 2);
    if (!bracketed && host.find(':') != std::string_view::npos) {
      return Status::InvalidArgument(
          param() +
          ": an IPv6 address must be written in brackets, "
          "e.g. [::1]:443");
    }
    Result<IpAddress> address = IpAddress::Parse(host);
    if (!address.ok()) return address.status().WithContext(param());
    if (bracketed && !address->is_v6() &&
        host.find(':') == std::string_view::npos) {
      return Status::InvalidArgument(param() +
                                     ": brackets are only for IPv6 addresses");
    }
    key.address_ = *address;
    return key;
  }

  Result<std::string> name = CanonicalHostname(
      host, /*allow_wildcard=*/kind == BindingKind::kHostnamePort);
  if (!name.ok()) return name.status().WithContext(param());
  key.hostname_ = std::move(*name);
  return key;
}

Result<BindingKey> BindingKey::ParseParam(std::string_view name,
                                          std::string_view value) {
  std::string folded = FoldCase(name);
  for (BindingKind kind : kAllBindingKinds) {
    if (folded == KindParamName(kind)) return Parse(kind, value);
  }
  return Status::InvalidArgument(QuoteForMessage(name) +
                                 " is not a binding key (ipport, "
                                 "hostnameport, ccs or scopedccs)");
}

BindingKey BindingKey::IpPort(const IpAddress& address, uint16_t port) {
  BindingKey key;
  key.kind_ = BindingKind::kIpPort;
  key.address_ = address;
  key.port_ = port;
  return key;
}

BindingKey BindingKey::HostnamePort(std::string canonical_name, uint16_t port) {
  BindingKey key;
  key.kind_ = BindingKind::kHostnamePort;
  key.hostname_ = std::move(canonical_name);
  key.port_ = port;
  return key;
}

BindingKey BindingKey::Ccs(uint16_t port) {
  BindingKey key;
  key.kind_ = BindingKind::kCcs;
  key.port_ = port;
  return key;
}

BindingKey BindingKey::ScopedCcs(std::string canonical_name, uint16_t port) {
  BindingKey key = HostnamePort(std::move(canonical_name), port);
  key.kind_ = BindingKind::kScopedCcs;
  return key;
}

std::string BindingKey::ToString() const {
  std::string port = std::to_string(port_);
  switch (kind_) {
    case BindingKind::kIpPort:
      if (address_.is_v6()) return "[" + address_.ToString() + "]:" + port;
      return address_.ToString() + ":" + port;
    case BindingKind::kHostnamePort:
    case BindingKind::kScopedCcs: return hostname_ + ":" + port;
    case BindingKind::kCcs: return port;
  }
  return port;
}

std::string BindingKey::ToParam() const {
  return std::string(KindParamName(kind_)) + "=" + ToString();
}

}  // namespace sslbind

// BindingKey, IpAddress and the hostname and port rules of docs/reference.md,
// "Binding kinds".
#include "sslbind/binding_key.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "resolve/sni_name.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

constexpr size_t kMaxLabelLength = 63;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Checks one lower-case ASCII label against RFC 1123.
Status CheckLabel(std::string_view label, std::string_view name) {
  if (label.empty()) {
    return Status::InvalidArgument(QuoteForMessage(name) +
                                   " has an empty label");
  }
  if (label.size() > kMaxLabelLength) {
    return Status::InvalidArgument(QuoteForMessage(name) +
                                   " has a label longer than 63 characters");
  }
  for (char c : label) {
    if (!IsAsciiAlnum(c) && c != '-') {
      return Status::InvalidArgument(QuoteForMessage(name) +
                                     " contains a character not allowed "
                                     "in a host name");
    }
  }
  if (label.front() == '-' || label.back() == '-') {
    return Status::InvalidArgument(QuoteForMessage(name) +
                                   " has a label that starts or ends with "
                                   "'-'");
  }
  return Status::Ok();
}

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

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
    return Status::InvalidArgument(QuoteForMessage(text) +
                                   " is not an IP address");
  }
  std::string s(text);
  IpAddress address;
  if (s.find(':') == std::string::npos) {
    if (inet_pton(AF_INET, s.c_str(), address.bytes.data()) != 1) {
      return Status::InvalidArgument(QuoteForMessage(s) +
                                     " is not an IPv4 address");
    }
    return address;
  }
  if (s.find('%') != std::string::npos) {
    return Status::InvalidArgument(QuoteForMessage(s) +
                                   ": zone ids (%...) are not allowed");
  }
  if (inet_pton(AF_INET6, s.c_str(), address.bytes.data()) != 1) {
    return Status::InvalidArgument(QuoteForMessage(s) +
                                   " is not an IPv6 address");
  }
  address.family = Family::kV6;
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(address.bytes.data(), kMappedPrefix, 12) == 0) {
    IpAddress v4;
    std::memcpy(v4.bytes.data(), address.bytes.data() + 12, 4);
    return v4;
  }
  return address;
}

bool IpAddress::IsWildcard() const {
  size_t n = is_v6() ? 16 : 4;
  for (size_t i = 0; i < n; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(is_v6() ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
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

Result<std::string> CanonicalHostname(std::string_view name,
                                      bool allow_wildcard) {
  const std::string_view shown = name;  // as given, for messages
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '/' || c == '\\') {
      return Status::InvalidArgument(
          "host name " + QuoteForMessage(shown) +
          " contains a space, slash, backslash or control character");
    }
  }
  if (size_t bad = FindInvalidUtf8(name); bad != std::string_view::npos) {
    return Status::InvalidArgument("host name " + QuoteForMessage(shown) +
                                   ": the byte at offset " +
                                   std::to_string(bad) + " is not valid UTF-8");
  }
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return Status::InvalidArgument("host name is empty");

  bool wildcard = name.size() >= 2 && name.substr(0, 2) == "*.";
  if (wildcard) {
    if (!allow_wildcard) {
      return Status::InvalidArgument(QuoteForMessage(shown) +
                                     ": a wildcard name is not allowed here");
    }
    name.remove_prefix(2);
  }

  // The common case -- an ASCII name, such as every key read back from a
  // store -- goes through the lookup path's one-pass checker, which applies
  // the same rules (resolve/sni_name.h). What it refuses takes the long way
  // below, for the precise message.
  if (!name.empty() && name.back() != '.') {
    char canonical[kMaxHostnameLength];
    size_t length = 0;
    if (internal::CanonicaliseSni(name, canonical, &length) ==
        internal::SniProblem::kNone) {
      std::string ascii(wildcard ? "*." : "");
      ascii.append(canonical, length);
      if (ascii.size() <= kMaxHostnameLength) return ascii;
    }
  }

  std::string ascii;
  bool is_ascii = true;
  for (unsigned char c : name) is_ascii = is_ascii && c < 0x80;
  if (is_ascii) {
    ascii.assign(name.data(), name.size());
    for (char& c : ascii) {
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    }
  } else {
    char* out = nullptr;
    std::string input(name);
    int rc = idn2_to_ascii_8z(input.c_str(), &out,
                              IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
    if (rc != IDN2_OK) {
      return Status::InvalidArgument("host name " + QuoteForMessage(shown) +
                                     " is not a valid internationalised "
                                     "name: " +
                                     idn2_strerror(rc));
    }
    ascii = out;
    idn2_free(out);
    for (char& c : ascii) {
      if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    }
  }

  size_t start = 0;
  while (true) {
    size_t dot = ascii.find('.', start);
    std::string_view label = std::string_view(ascii).substr(
        start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label == "*") {
      return Status::InvalidArgument(QuoteForMessage(shown) +
                                     ": '*' is allowed only as the whole "
                                     "left-most label");
    }
    Status s = CheckLabel(label, shown);
    if (!s.ok()) return s;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (wildcard) ascii.insert(0, "*.");
  if (ascii.size() > kMaxHostnameLength) {
    return Status::InvalidArgument("host name " + QuoteForMessage(shown) +
                                   " is longer than 253 characters");
  }
  return ascii;
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
  for (BindingKind kind : {BindingKind::kIpPort, BindingKind::kHostnamePort,
                           BindingKind::kCcs, BindingKind::kScopedCcs}) {
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

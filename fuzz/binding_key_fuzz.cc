// Fuzzes the binding keys and host names: every kind of key (ipport,
// hostnameport, ccs, scopedccs), IP addresses, ports and host names
// (internationalised ones through libidn2). The first byte picks what is
// parsed; a key that parses must print as text that parses back to it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "round_trip.h"
#include "sslbind/binding_key.h"
#include "sslbind/text.h"

namespace {

using sslbind::BindingKey;
using sslbind::BindingKind;

void CheckKey(const BindingKey& key) {
  const std::string param = key.ToParam();
  if (!sslbind::IsValidUtf8(param)) sslbind::fuzz::Fail("key text", param);
  const size_t eq = param.find('=');
  if (eq == std::string::npos) sslbind::fuzz::Fail("no '=' in", param);
  auto again =
      BindingKey::ParseParam(param.substr(0, eq), param.substr(eq + 1));
  if (!again.ok())
    sslbind::fuzz::Fail("key does not parse back", again.status().message());
  if (!(*again == key))
    sslbind::fuzz::Fail("key parses back differently", param);
  auto by_kind = BindingKey::Parse(key.kind(), key.ToString());
  if (!by_kind.ok() || !(*by_kind == key)) {
    sslbind::fuzz::Fail("ToString does not parse back", key.ToString());
  }
}

void CheckMessage(const sslbind::Status& s, size_t size) {
  if (s.message().size() > 1000 + size / 1000) {
    sslbind::fuzz::Fail("message too long", s.message());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (selector % 6) {
    case 0:
    case 1:
    case 2:
    case 3: {
      auto key =
          BindingKey::Parse(sslbind::kAllBindingKinds[selector % 4], text);
      if (key.ok())
        CheckKey(*key);
      else
        CheckMessage(key.status(), size);
      break;
    }
    case 4: {
      auto host = sslbind::CanonicalHostname(text, selector & 0x80);
      if (host.ok()) {
        if (!sslbind::IsValidUtf8(*host)) sslbind::fuzz::Fail("host", *host);
        auto again = sslbind::CanonicalHostname(*host, true);
        if (!again.ok() || *again != *host) {
          sslbind::fuzz::Fail("canonical host name is not stable", *host);
        }
      } else {
        CheckMessage(host.status(), size);
      }
      break;
    }
    case 5: {
      auto address = sslbind::IpAddress::Parse(text);
      if (address.ok()) {
        auto again = sslbind::IpAddress::Parse(address->ToString());
        if (!again.ok() || !(*again == *address)) {
          sslbind::fuzz::Fail("address does not parse back",
                              address->ToString());
        }
      } else {
        CheckMessage(address.status(), size);
      }
      auto port = sslbind::ParsePort(text);
      if (port.ok()) {
        auto again = sslbind::ParsePort(std::to_string(*port));
        if (!again.ok() || *again != *port) sslbind::fuzz::Fail("port", text);
      }
      break;
    }
  }
  return 0;
}

// What an IIS binding needs from HTTP.sys (sslbind/iis.h): the sslFlags bits
// by name, their HTTP.sys translation, and the needed key.
#include <string>
#include <string_view>

#include "iis/iis_text.h"
#include "model/text_rules.h"
#include "sslbind/iis.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

struct FlagName {
  uint32_t iis_bit;
  std::string_view name;
  uint32_t http_flag;  // 0 for sni and ccs, which choose the key
};

// Translated by name: IIS's bit and the HTTP.sys flag of the netsh option.
constexpr FlagName kFlagNames[] = {
    {kIisSslSni, "sni", 0},
    {kIisSslCcs, "ccs", 0},
    {kIisSslDisableHttp2, "disablehttp2", kFlagDisableHttp2},
    {kIisSslDisableOcspStapling, "disableocspstapling",
     kFlagDisableOcspStapling},
    {kIisSslDisableQuic, "disablequic", kFlagDisableQuic},
    {kIisSslDisableTls13OverTcp, "disabletls13", kFlagDisableTls13},
    {kIisSslDisableLegacyTls, "disablelegacytls", kFlagDisableLegacyTls},
    {kIisSslNegotiateClientCert, "clientcertnegotiation",
     kFlagNegotiateClientCert},
};

}  // namespace

std::string_view IisSslFlagName(uint32_t bit) {
  for (const FlagName& f : kFlagNames) {
    if (f.iis_bit == bit) return f.name;
  }
  return {};
}

std::vector<std::string_view> IisSslFlagNames(uint32_t ssl_flags) {
  std::vector<std::string_view> names;
  for (const FlagName& f : kFlagNames) {
    if (ssl_flags & f.iis_bit) names.push_back(f.name);
  }
  return names;
}

uint32_t IisFlagsToHttpFlags(uint32_t ssl_flags) {
  uint32_t flags = 0;
  for (const FlagName& f : kFlagNames) {
    if (ssl_flags & f.iis_bit) flags |= f.http_flag;
  }
  return flags;
}

IisNeed NeededBinding(const IisBinding& binding) {
  IisNeed need;
  need.flags = IisFlagsToHttpFlags(binding.ssl_flags);
  if (binding.ssl_flags & kIisSslCcs) {
    need.key = BindingKey::Ccs(binding.port);
  } else if (binding.ssl_flags & kIisSslSni) {
    if (!binding.host.empty()) {
      need.key = BindingKey::HostnamePort(binding.host, binding.port);
    }
  } else {
    need.key = BindingKey::IpPort(binding.address.value_or(IpAddress::AnyV4()),
                                  binding.port);
  }
  return need;
}

namespace internal {

std::string EscapeControls(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      AppendHexByte(c, &out);
    } else {
      out += ch;
    }
  }
  return out;
}

std::string SiteName(const IisBinding& binding) {
  std::string text = "site";
  if (!binding.site_name.empty())
    text += " " + QuoteForMessage(binding.site_name);
  if (binding.site_id != 0) {
    text += " (id " + std::to_string(binding.site_id) + ")";
  }
  return text;
}

}  // namespace internal

std::string IisBindingName(const IisBinding& binding) {
  return QuoteForMessage(binding.binding_information) + " of " +
         internal::SiteName(binding) + ", line " + std::to_string(binding.line);
}

std::string IisSslFlagsText(uint32_t ssl_flags) {
  std::string text = std::to_string(ssl_flags);
  const std::vector<std::string_view> names = IisSslFlagNames(ssl_flags);
  for (size_t i = 0; i < names.size(); ++i) {
    text += (i ? ", " : " (") + std::string(names[i]);
  }
  return names.empty() ? text : text + ")";
}
}  // namespace sslbind

// Reading applicationHost.config and MetaBase.xml (sslbind/iis.h) with
// pugixml: the document is parsed once, the HTTPS bindings are collected
// and each is checked as it is read.
#include <algorithm>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "iis/iis_text.h"
#include "sslbind/certificates.h"
#include "sslbind/iis.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

// Line numbers of byte offsets, by binary search over the line starts.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  // 1-based line and column of `offset`.
  std::pair<size_t, size_t> LineColumn(ptrdiff_t offset) const {
    if (offset < 0) return {0, 0};
    auto it = std::upper_bound(starts_.begin(), starts_.end(),
                               static_cast<size_t>(offset));
    const size_t line = static_cast<size_t>(it - starts_.begin());
    return {line, static_cast<size_t>(offset) - starts_[line - 1] + 1};
  }
  size_t Line(ptrdiff_t offset) const { return LineColumn(offset).first; }

 private:
  std::vector<size_t> starts_;
};

// The attribute named `name`, ignoring ASCII case (MetaBase.xml writers
// differ in case: SSLCertHash, SslCertHash).
pugi::xml_attribute AttributeNoCase(const pugi::xml_node& node,
                                    std::string_view name) {
  for (pugi::xml_attribute a : node.attributes()) {
    if (NamesEqual(a.name(), name)) return a;
  }
  return {};
}

Status BadBinding(const IisBinding& b, std::string_view what) {
  return Status::InvalidArgument("line " + std::to_string(b.line) + ": " +
                                 internal::SiteName(b) + ": " +
                                 std::string(what));
}

// "IP:PORT:HOST": IP '*', empty, dotted, or IPv6 (in brackets or not);
// HOST may be empty.
// `label` names the attribute in messages.
Status ParseBindingInformation(std::string_view label, std::string_view text,
                               IisBinding* b) {
  const std::string shown = std::string(label) + " " + QuoteForMessage(text);
  const size_t host_colon = text.rfind(':');
  if (host_colon == std::string_view::npos || host_colon == 0) {
    return BadBinding(*b, shown + " is not IP:PORT:HOST");
  }
  const std::string_view host = text.substr(host_colon + 1);
  const std::string_view ip_port = text.substr(0, host_colon);
  const size_t port_colon = ip_port.rfind(':');
  if (port_colon == std::string_view::npos) {
    return BadBinding(*b, shown + " is not IP:PORT:HOST");
  }
  std::string_view ip = ip_port.substr(0, port_colon);
  Result<uint16_t> port = ParsePort(ip_port.substr(port_colon + 1));
  if (!port.ok()) {
    return BadBinding(
        *b, shown + ": " + internal::EscapeControls(port.status().message()));
  }
  b->port = *port;
  if (ip == "*" || ip.empty()) {
    b->address.reset();
  } else {
    if (ip.front() == '[') {
      if (ip.size() < 2 || ip.back() != ']') {
        return BadBinding(*b, shown + ": address " + QuoteForMessage(ip) +
                                  " has no closing bracket");
      }
      ip = ip.substr(1, ip.size() - 2);
    }
    Result<IpAddress> address = IpAddress::Parse(ip);
    if (!address.ok()) {
      return BadBinding(
          *b,
          shown + ": " + internal::EscapeControls(address.status().message()));
    }
    b->address = *address;
  }
  if (!host.empty()) {
    Result<std::string> name = CanonicalHostname(host, true);
    if (!name.ok()) {
      return BadBinding(
          *b, shown + ": " + internal::EscapeControls(name.status().message()));
    }
    b->host = std::move(*name);
  }
  b->binding_information = std::string(text);
  return Status::Ok();
}

// The names IIS's schema gives the sslFlags bits (the configuration system
// accepts them instead of the number: sslFlags="Sni, CentralCertStore").
constexpr std::pair<std::string_view, uint32_t> kSchemaFlagNames[] = {
    {"None", 0},
    {"Sni", kIisSslSni},
    {"CentralCertStore", kIisSslCcs},
    {"DisableHTTP2", kIisSslDisableHttp2},
    {"DisableOCSPStp", kIisSslDisableOcspStapling},
    {"DisableQUIC", kIisSslDisableQuic},
    {"DisableTLS13", kIisSslDisableTls13OverTcp},
    {"DisableLegacyTLS", kIisSslDisableLegacyTls},
    {"NegotiateClientCert", kIisSslNegotiateClientCert},
};

Status ParseSslFlags(std::string_view text, IisBinding* b) {
  const std::string shown = "sslFlags " + QuoteForMessage(text);
  uint64_t flags = 0;
  if (!text.empty() &&
      text.find_first_not_of("0123456789") == std::string_view::npos) {
    if (text.size() > 10) return BadBinding(*b, shown + " is too large");
    for (char c : text) flags = flags * 10 + static_cast<uint64_t>(c - '0');
  } else {
    // Comma-separated names.
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find(',', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view name = text.substr(start, end - start);
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      bool known = false;
      for (const auto& [flag_name, bit] : kSchemaFlagNames) {
        if (!name.empty() && NamesEqual(name, flag_name)) {
          flags |= bit;
          known = true;
        }
      }
      if (!known) {
        return BadBinding(*b, shown +
                                  " is not a number nor IIS flag names "
                                  "(Sni, CentralCertStore, ...)");
      }
      start = end + 1;
    }
  }
  const uint64_t unknown = flags & ~uint64_t{kIisSslKnownFlags};
  if (unknown != 0) {
    const uint64_t lowest = unknown & (~unknown + 1);
    return BadBinding(*b, shown + " has bit " + std::to_string(lowest) +
                              ", which IIS does not define (known: 1 to 128)");
  }
  b->ssl_flags = static_cast<uint32_t>(flags);
  return Status::Ok();
}

Status ParseSiteId(std::string_view text, IisBinding* b) {
  if (text.empty() || text.size() > 19 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return BadBinding(*b,
                      "site id " + QuoteForMessage(text) + " is not a number");
  }
  b->site_id = 0;
  for (char c : text)
    b->site_id = b->site_id * 10 + static_cast<uint64_t>(c - '0');
  return Status::Ok();
}

Result<IisConfig> ReadApplicationHost(const pugi::xml_node& root,
                                      const LineIndex& lines) {
  IisConfig config;
  config.format = IisFormat::kApplicationHost;
  const pugi::xml_node sites =
      root.child("system.applicationHost").child("sites");
  for (pugi::xml_node site : sites.children("site")) {
    ++config.sites;
    IisBinding proto;
    proto.site_name = site.attribute("name").value();
    proto.line = lines.Line(site.offset_debug());
    Status s = ParseSiteId(site.attribute("id").value(), &proto);
    if (!s.ok()) return s;
    for (pugi::xml_node binding : site.child("bindings").children("binding")) {
      if (!NamesEqual(binding.attribute("protocol").value(), "https")) {
        continue;
      }
      IisBinding b = proto;
      b.line = lines.Line(binding.offset_debug());
      s = ParseBindingInformation(
          "bindingInformation", binding.attribute("bindingInformation").value(),
          &b);
      // An absent sslFlags is IIS's default, None (0).
      const pugi::xml_attribute flags = binding.attribute("sslFlags");
      if (s.ok() && flags) s = ParseSslFlags(flags.value(), &b);
      if (!s.ok()) return s;
      config.bindings.push_back(std::move(b));
    }
  }
  return config;
}

// The N of Location="/LM/W3SVC/N".
Status ParseMetabaseLocation(std::string_view location, IisBinding* b) {
  constexpr std::string_view kPrefix = "/LM/W3SVC/";
  if (location.size() <= kPrefix.size() ||
      !NamesEqual(location.substr(0, kPrefix.size()), kPrefix)) {
    return BadBinding(
        *b, "Location " + QuoteForMessage(location) + " is not /LM/W3SVC/N");
  }
  return ParseSiteId(location.substr(kPrefix.size()), b);
}

Status ReadMetabaseSite(const pugi::xml_node& server, const LineIndex& lines,
                        IisConfig* config) {
  ++config->sites;
  IisBinding proto;
  proto.line = lines.Line(server.offset_debug());
  proto.site_name = AttributeNoCase(server, "ServerComment").value();
  const std::string_view secure =
      AttributeNoCase(server, "SecureBindings").value();
  // A multi-string: entries separated by white space (new lines as IIS 6
  // writes it).
  std::vector<std::string_view> entries;
  size_t pos = 0;
  while (pos < secure.size()) {
    size_t start = secure.find_first_not_of(" \t\r\n", pos);
    if (start == std::string_view::npos) break;
    size_t end = secure.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = secure.size();
    entries.push_back(secure.substr(start, end - start));
    pos = end;
  }
  if (entries.empty()) return Status::Ok();
  Status s = ParseMetabaseLocation(AttributeNoCase(server, "Location").value(),
                                   &proto);
  if (!s.ok()) return s;
  if (pugi::xml_attribute hash = AttributeNoCase(server, "SSLCertHash")) {
    Result<std::vector<uint8_t>> bytes = ParseCertHash(hash.value());
    if (!bytes.ok()) {
      return BadBinding(proto,
                        "SSLCertHash " + QuoteForMessage(hash.value()) +
                            " is not a certificate hash: " +
                            internal::EscapeControls(bytes.status().message()));
    }
    proto.cert_hash = std::move(*bytes);
  }
  for (auto [name, field] :
       {std::pair{"SSLStoreName", &proto.cert_store_name},
        std::pair{"SslCtlStoreName", &proto.ctl_store_name}}) {
    pugi::xml_attribute a = AttributeNoCase(server, name);
    if (!a) continue;
    if (Status valid = ValidateCertStoreName(a.value()); !valid.ok()) {
      return BadBinding(proto, std::string(name) + ": " +
                                   internal::EscapeControls(valid.message()));
    }
    *field = a.value();
  }
  proto.site_secure_bindings = entries.size();
  for (std::string_view entry : entries) {
    IisBinding b = proto;
    s = ParseBindingInformation("SecureBindings entry", entry, &b);
    if (!s.ok()) return s;
    config->bindings.push_back(std::move(b));
  }
  return Status::Ok();
}

Result<IisConfig> ReadMetabase(const pugi::xml_node& root,
                               const LineIndex& lines) {
  IisConfig config;
  config.format = IisFormat::kMetabase;
  // IIsWebServer elements sit under <MBProperty> (IIS 6 writes them there);
  // accept them under the root too.
  for (pugi::xml_node parent : {root.child("MBProperty"), root}) {
    for (pugi::xml_node server : parent.children("IIsWebServer")) {
      Status s = ReadMetabaseSite(server, lines, &config);
      if (!s.ok()) return s;
    }
  }
  return config;
}

}  // namespace

Result<IisConfig> ParseIisConfig(std::string_view text) {
  if (text.size() > kMaxIisConfigBytes) {
    return Status::InvalidArgument(
        "the file has " + std::to_string(text.size()) +
        " bytes, more than the " + std::to_string(kMaxIisConfigBytes >> 20) +
        " MiB an IIS configuration may have here");
  }
  if (text.size() >= 2 && ((text[0] == '\xff' && text[1] == '\xfe') ||
                           (text[0] == '\xfe' && text[1] == '\xff'))) {
    return Status::InvalidArgument(
        "the file is UTF-16; IIS writes its configuration in UTF-8: save it "
        "as UTF-8");
  }
  const LineIndex lines(text);
  if (const size_t bad = FindInvalidUtf8(text); bad != std::string_view::npos) {
    auto [line, column] = lines.LineColumn(static_cast<ptrdiff_t>(bad));
    return Status::InvalidArgument(
        "not valid UTF-8 at line " + std::to_string(line) + ", column " +
        std::to_string(column) + " (byte " + std::to_string(bad) + ")");
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(
      text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    auto [line, column] = lines.LineColumn(parsed.offset);
    return Status::InvalidArgument(
        "not well-formed XML at line " + std::to_string(line) + ", column " +
        std::to_string(column) + ": " + parsed.description());
  }
  const pugi::xml_node root = doc.document_element();
  const std::string_view root_name = root.name();
  if (root_name == "configuration") {
    if (root.child("system.applicationHost")) {
      return ReadApplicationHost(root, lines);
    }
    const std::string_view ns = root.attribute("xmlns").value();
    if (root.child("MBProperty") ||
        ns.find("XML_Metabase") != std::string_view::npos) {
      return ReadMetabase(root, lines);
    }
  }
  return Status::InvalidArgument(
      "neither an applicationHost.config (<configuration> with "
      "<system.applicationHost>) nor a MetaBase.xml (<configuration> with "
      "<MBProperty>): the root element is " +
      QuoteForMessage(root_name.empty() ? "(none)" : root_name));
}

std::string_view IisFormatName(IisFormat format) {
  return format == IisFormat::kMetabase ? "MetaBase.xml"
                                        : "applicationHost.config";
}

}  // namespace sslbind

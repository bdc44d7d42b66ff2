// The usage texts follow the layout of Windows Server 2022's netsh: the
// Usage block, Parameters, Remarks and Examples as netsh prints them; what
// sslbind adds (scopedccs, untagged parameters' rule, --no-verify,
// --dry-run, two more flags) follows in a paragraph of its own.
#include "usage.h"

#include <array>

#include "sslbind/parameters.h"

namespace sslbind::cli {
namespace {

using P = Param;

constexpr std::array kUsageOrder = {
    P::kCertHash,
    P::kAppId,
    P::kCertStoreName,
    P::kVerifyClientCertRevocation,
    P::kVerifyRevocationWithCachedClientCertOnly,
    P::kUsageCheck,
    P::kRevocationFreshnessTime,
    P::kUrlRetrievalTimeout,
    P::kSslCtlIdentifier,
    P::kSslCtlStoreName,
    P::kDsMapperUsage,
    P::kClientCertNegotiation,
    P::kReject,
    P::kDisableHttp2,
    P::kDisableQuic,
    P::kDisableLegacyTls,
    P::kDisableTls12,
    P::kDisableTls13,
    P::kDisableOcspStapling,
    P::kEnableTokenBinding,
    P::kLogExtendedEvents,
    P::kEnableSessionTicket,
    // sslbind's additions, not in netsh's usage.
    P::kDisableSessionId,
    P::kEnableCachingClientHello,
};
constexpr size_t kNetshParams = kUsageOrder.size() - 2;

constexpr const char* kKeys =
    "hostnameport=<name:port> | ipport=<ipaddr:port> | ccs=<port>";

// `[name=<value>]` lines of the Usage block, from `first` in kUsageOrder.
std::string OptionLines(size_t first, bool bracket_all) {
  std::string s;
  for (size_t i = first; i < kNetshParams; ++i) {
    const ParamInfo& info = GetParamInfo(kUsageOrder[i]);
    std::string value;
    switch (info.type) {
      case ParamType::kString: value = "<string>"; break;
      case ParamType::kHex: value = "<string>"; break;
      case ParamType::kGuid: value = "<GUID>"; break;
      case ParamType::kNumber: value = "<u-int>"; break;
      default: value = "enable|disable"; break;
    }
    const bool optional = bracket_all || i >= 2;
    s += "         ";
    s += optional ? "[" : "";
    s += std::string(info.name) + "=" + value;
    s += optional ? "]\n" : "\n";
  }
  return s;
}

constexpr const char* kKeyTable =
    "    ipport                  - IP address and port for the binding.\n"
    "    hostnameport            - Unicode hostname and port for binding.\n"
    "    ccs                     - Central Certificate Store binding.\n";

constexpr const char* kParamTable =
    "    certhash                - The SHA hash of the certificate. This hash "
    "is\n"
    "                              20 bytes long and specified as a hex "
    "string.\n"
    "    appid                   - GUID to identify the owning application.\n"
    "    certstorename           - Store name for the certificate. Required "
    "for\n"
    "                              Hostname based configurations. Defaults to "
    "MY\n"
    "                              for IP based configurations.\n"
    "    verifyclientcertrevocation - Turns on/off verification of revocation\n"
    "                              of client certificates.\n"
    "    verifyrevocationwithcachedclientcertonly - Turns on/off usage of "
    "only\n"
    "                              cached client certificate for revocation "
    "checking.\n"
    "    usagecheck              - Turns on/off usage check. Default is "
    "enabled.\n"
    "    revocationfreshnesstime - Time interval to check for an updated\n"
    "                              certificate revocation list (CRL) (in\n"
    "                              seconds). If this value is 0, then the new\n"
    "                              CRL is updated only if the previous one\n"
    "                              expires.\n"
    "    urlretrievaltimeout     - Timeout (in milliseconds) after which the\n"
    "                              attempt to retrieve the certificate\n"
    "                              revocation list for the remote URL is\n"
    "                              abandoned.\n"
    "    sslctlidentifier        - List the certificate issuers that can be\n"
    "                              trusted. This list can be a subset of the\n"
    "                              certificate issuers that are trusted by "
    "the\n"
    "                              machine.\n"
    "    sslctlstorename         - Store name under LOCAL_MACHINE where\n"
    "                              SslCtlIdentifier is stored.\n"
    "    dsmapperusage           - Turns on/off DS mappers. Default is "
    "disabled.\n"
    "    clientcertnegotiation   - Turns on/off negotiation of certificate.\n"
    "                              Default is disabled.\n"
    "    reject                  - Turns on/off reject mode. Default is "
    "disabled.\n"
    "    disablehttp2            - Turns on/off HTTP2 for binding. Default is "
    "disabled.\n"
    "    disablequic             - Turns on/off QUIC for binding. Default is "
    "disabled.\n"
    "    disablelegacytls        - Turns on/off legacy TLS versions for "
    "binding.\n"
    "                              Default is disabled.\n"
    "    disabletls12            - Turns on/off TLS1.2 for binding. Default is "
    "disabled.\n"
    "    disabletls13            - Turns on/off TLS1.3 for binding. Default is "
    "disabled.\n"
    "    disableocspstapling     - Turns on/off OCSP stapling for binding. "
    "Default\n"
    "                              is disabled.\n"
    "    enabletokenbinding      - Turns on/off token binding for binding. "
    "Default\n"
    "                              is disabled.\n"
    "    logextendedevents       - Turns on/off logging of extended events. "
    "Default\n"
    "                              is disabled.\n"
    "    enablesessionticket     - Turns on/off TLS session resumption. "
    "Default is\n"
    "                              disabled.\n";

constexpr const char* kAdditionsHead = "\nsslbind adds:\n\n";

constexpr const char* kKeyAdditions =
    "    scopedccs=<name:port>   - A Central Certificate Store binding for "
    "one\n"
    "                              host name, in place of the key.\n"
    "    Tags are optional, as in netsh: a value alone stands for the\n"
    "    parameter of its position in the Usage block (the key first). Once a\n"
    "    tag is used, the following parameters must be tagged too.\n";

constexpr const char* kChangeAdditions =
    "    disablesessionid=enable|disable, enablecachingclienthello=enable|"
    "disable\n"
    "                            - Flags that show prints; positions after\n"
    "                              enablesessionticket.\n"
    "    --no-verify             - Do not check that the certificate is in "
    "its\n"
    "                              store with its private key (else error "
    "1312:\n"
    "                              import it with `sslbind cert import`).\n"
    "    --dry-run               - Check the change against the store; write\n"
    "                              nothing.\n";

constexpr const char* kExampleHash =
    "certhash=0102030405060708090A0B0C0D0E0F1011121314 "
    "appid={00112233-4455-6677-8899-AABBCCDDEEFF}";

}  // namespace

std::span<const Param> UsageOrder() { return kUsageOrder; }

std::string AddUsage() {
  return std::string("\nUsage: add sslcert ") + kKeys + "\n" +
         OptionLines(0, false) +
         "\nParameters:\n\n"
         "    Tag                       Value\n" +
         kKeyTable + kParamTable +
         "\nRemarks: adds a new SSL server certificate binding and "
         "corresponding client\n"
         "         certificate policies for an IP address or hostname and a "
         "port.\n"
         "\nExamples:\n\n"
         "    add sslcert ipport=1.1.1.1:443 " +
         kExampleHash +
         "\n"
         "    add sslcert hostnameport=www.contoso.com:443 " +
         kExampleHash +
         " certstorename=MY\n"
         "    add sslcert ccs=443 "
         "appid={00112233-4455-6677-8899-AABBCCDDEEFF}\n" +
         kAdditionsHead + kKeyAdditions + kChangeAdditions +
         "    add sslcert 1.1.1.1:443 0102030405060708090A0B0C0D0E0F1011121314 "
         "{00112233-4455-6677-8899-AABBCCDDEEFF}\n";
}

std::string UpdateUsage() {
  return std::string("\nUsage: update sslcert ") + kKeys + "\n" +
         OptionLines(0, true) +
         "\nParameters:\n\n"
         "    Tag                       Value\n" +
         kKeyTable + kParamTable +
         "\nRemarks: updates an existing SSL server certificate binding and\n"
         "         corresponding client certificate policies for an IP "
         "address or\n"
         "         hostname and a port.\n"
         "\nExamples:\n\n"
         "    update sslcert ipport=1.1.1.1:443 " +
         kExampleHash +
         "\n"
         "    update sslcert hostnameport=www.contoso.com:443 " +
         kExampleHash +
         " certstorename=MY\n"
         "    update sslcert ccs=443 "
         "appid={00112233-4455-6677-8899-AABBCCDDEEFF}\n" +
         kAdditionsHead + kKeyAdditions + kChangeAdditions +
         "    update changes only the parameters it is given and keeps the "
         "others.\n";
}

std::string DeleteUsage() {
  return std::string("\nUsage: delete sslcert ") + kKeys + "\n" +
         "\nParameters:\n\n"
         "    Tag                       Value\n" +
         kKeyTable +
         "\nRemarks: deletes SSL server certificate bindings and "
         "corresponding client\n"
         "         certificate policies for an IP address or hostname and a "
         "port.\n"
         "\nExamples:\n\n"
         "    delete sslcert ipport=1.1.1.1:443\n"
         "    delete sslcert hostnameport=www.contoso.com:443\n"
         "    delete sslcert ccs=443\n" +
         kAdditionsHead + kKeyAdditions +
         "    --dry-run               - Check the deletion against the store; "
         "write\n"
         "                              nothing.\n";
}

std::string ShowUsage() {
  return std::string("\nUsage: show sslcert [") + kKeys + "]\n" +
         "\nParameters:\n\n"
         "    Tag                       Value\n" +
         kKeyTable +
         "\nRemarks: displays SSL server certificate bindings and "
         "corresponding client\n"
         "         certificate policies for an IP address or hostname and a "
         "port.\n"
         "\nExamples:\n\n"
         "    show sslcert ipport=1.1.1.1:443\n"
         "    show sslcert hostnameport=www.contoso.com:443\n"
         "    show sslcert ccs=443\n"
         "    show sslcert\n" +
         kAdditionsHead + kKeyAdditions;
}

}  // namespace sslbind::cli

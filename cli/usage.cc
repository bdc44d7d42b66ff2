// The usage texts follow netsh's layout: a Usage block, a Parameters table,
// Remarks and Examples. The parameter lists come from the parameter table.
#include "usage.h"

#include "sslbind/parameters.h"

namespace sslbind::cli {
namespace {

constexpr const char* kKeys =
    "ipport=<IP address:port> | hostnameport=<name:port> | ccs=<port> |\n"
    "        scopedccs=<name:port>";

constexpr const char* kKeyTable =
    "    ipport        - IP address and port of the binding. 0.0.0.0 (or *)\n"
    "                    matches every address; IPv6 addresses go in\n"
    "                    brackets, e.g. [::]:443.\n"
    "    hostnameport  - Host name (SNI) and port of the binding. A left-most\n"
    "                    *. label makes a wildcard binding.\n"
    "    ccs           - Port of a Central Certificate Store binding.\n"
    "    scopedccs     - Host name and port of a Central Certificate Store\n"
    "                    binding for that one name.\n";

constexpr const char* kParamTable =
    "    certhash      - SHA-1 thumbprint of the certificate, as hex digits\n"
    "                    (40 for SHA-1). Not for ccs and scopedccs.\n"
    "    appid         - GUID of the application that owns the binding.\n"
    "    certstorename - Store of the certificate; MY when not given.\n"
    "                    Required for hostnameport; not for ccs and "
    "scopedccs.\n"
    "    verifyclientcertrevocation, "
    "verifyrevocationwithcachedclientcertonly,\n"
    "    usagecheck, dsmapperusage, clientcertnegotiation, reject and the\n"
    "    disable.../enable.../logextendedevents flags take enable or disable.\n"
    "    revocationfreshnesstime (seconds) and urlretrievaltimeout (ms) take\n"
    "    a whole number. sslctlidentifier and sslctlstorename take text.\n";

constexpr const char* kVerifyRemark =
    "         The certificate must be in its store (certstorename, MY when\n"
    "         not given) with its private key, else error 1312: import it\n"
    "         first with `sslbind cert import`. --no-verify skips that check,\n"
    "         for bindings prepared for another machine. An SNI name the\n"
    "         certificate does not cover, or a certificate out of its\n"
    "         validity dates, is reported as a warning.\n";

constexpr const char* kDryRunRemark =
    "         --dry-run checks the change against the store and writes\n"
    "         nothing.\n";

std::string OptionList() {
  std::string s;
  bool first = true;
  for (const ParamInfo& info : AllParams()) {
    if (info.id == Param::kCertHash ||
        info.id == Param::kAppId) {
      continue;
    }
    s += first ? "        [" : "         ";
    first = false;
    s += info.name;
    s += '=';
    switch (info.type) {
      case ParamType::kString: s += "<string>"; break;
      case ParamType::kNumber: s += "<u-int>"; break;
      default: s += "enable|disable"; break;
    }
    s += '\n';
  }
  s.back() = ']';
  s += '\n';
  return s;
}

}  // namespace

std::string AddUsage() {
  return std::string("Usage: add sslcert ") + kKeys + "\n" +
         "        certhash=<hex>\n"
         "        appid=<GUID>\n" +
         OptionList() + "        [--no-verify] [--dry-run]\n" +
         "\nParameters:\n\n"
         "    Tag             Value\n" +
         kKeyTable + kParamTable +
         "\nRemarks: Adds a new SSL server certificate binding and the client\n"
         "         certificate policies for an IP address or host name and a "
         "port.\n" +
         kVerifyRemark + kDryRunRemark +
         "\nExamples:\n\n"
         "    add sslcert ipport=1.1.1.1:443 "
         "certhash=0102030405060708090A0B0C0D0E0F1011121314 "
         "appid={00112233-4455-6677-8899-AABBCCDDEEFF}\n"
         "    add sslcert hostnameport=www.contoso.com:443 "
         "certhash=0102030405060708090A0B0C0D0E0F1011121314 "
         "appid={00112233-4455-6677-8899-AABBCCDDEEFF} certstorename=MY\n"
         "    add sslcert ccs=443 "
         "appid={00112233-4455-6677-8899-AABBCCDDEEFF}\n";
}

std::string UpdateUsage() {
  return std::string("Usage: update sslcert ") + kKeys + "\n" +
         "        [certhash=<hex>]\n"
         "        [appid=<GUID>]\n" +
         OptionList() + "        [--no-verify] [--dry-run]\n" +
         "\nParameters:\n\n"
         "    Tag             Value\n" +
         kKeyTable + kParamTable +
         "\nRemarks: Changes the given parameters of an existing binding and "
         "keeps\n"
         "         all others as they are.\n" +
         kVerifyRemark + kDryRunRemark +
         "\nExamples:\n\n"
         "    update sslcert ipport=1.1.1.1:443 "
         "certhash=0102030405060708090A0B0C0D0E0F1011121314\n"
         "    update sslcert ccs=443 verifyclientcertrevocation=disable\n";
}

std::string DeleteUsage() {
  return std::string("Usage: delete sslcert ") + kKeys + "\n" +
         "        [--dry-run]\n"
         "\nParameters:\n\n"
         "    Tag             Value\n" +
         kKeyTable + "\nRemarks: Deletes an SSL server certificate binding.\n" +
         std::string(kDryRunRemark) +
         "\nExamples:\n\n"
         "    delete sslcert ipport=1.1.1.1:443\n"
         "    delete sslcert hostnameport=www.contoso.com:443\n"
         "    delete sslcert ccs=443\n";
}

std::string ShowUsage() {
  return std::string("Usage: show sslcert [") + kKeys + "]\n" +
         "\nParameters:\n\n"
         "    Tag             Value\n" +
         kKeyTable +
         "\nRemarks: Shows the SSL server certificate bindings: all of them, "
         "or the\n"
         "         one with the given key.\n"
         "\nExamples:\n\n"
         "    show sslcert\n"
         "    show sslcert ipport=1.1.1.1:443\n"
         "    show sslcert hostnameport=www.contoso.com:443\n";
}

}  // namespace sslbind::cli

// The parameter table of docs/reference.md, "Parameters" and the typed access
// to a Binding it drives.
#include "sslbind/parameters.h"

#include <algorithm>

#include "model/text_rules.h"
#include "sslbind/certificates.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

using P = Param;
using T = ParamType;

// Show order is the order of this table (docs/reference.md, "Parameters").
constexpr ParamInfo kParams[] = {
    {P::kCertHash, "certhash", "Certificate Hash", T::kHex},
    {P::kAppId, "appid", "Application ID", T::kGuid},
    {P::kCertStoreName, "certstorename", "Certificate Store Name", T::kString},
    {P::kVerifyClientCertRevocation, "verifyclientcertrevocation",
     "Verify Client Certificate Revocation", T::kOption, kCheckNoRevocation,
     /*in_check_mode=*/true, /*bit_means_disabled=*/true},
    {P::kVerifyRevocationWithCachedClientCertOnly,
     "verifyrevocationwithcachedclientcertonly",
     "Verify Revocation Using Cached Client Certificate Only", T::kOption,
     kCheckCachedOnly, true, false},
    {P::kUsageCheck, "usagecheck", "Usage Check", T::kOption,
     kCheckNoUsageCheck, true, true},
    {P::kRevocationFreshnessTime, "revocationfreshnesstime",
     "Revocation Freshness Time", T::kNumber},
    {P::kUrlRetrievalTimeout, "urlretrievaltimeout", "URL Retrieval Timeout",
     T::kNumber},
    {P::kSslCtlIdentifier, "sslctlidentifier", "Ctl Identifier", T::kString},
    {P::kSslCtlStoreName, "sslctlstorename", "Ctl Store Name", T::kString},
    {P::kDsMapperUsage, "dsmapperusage", "DS Mapper Usage", T::kOption,
     kFlagUseDsMapper},
    {P::kClientCertNegotiation, "clientcertnegotiation",
     "Negotiate Client Certificate", T::kOption, kFlagNegotiateClientCert},
    {P::kReject, "reject", "Reject Connections", T::kOption, kFlagReject},
    {P::kDisableHttp2, "disablehttp2", "Disable HTTP2", T::kFlag,
     kFlagDisableHttp2},
    {P::kDisableQuic, "disablequic", "Disable QUIC", T::kFlag,
     kFlagDisableQuic},
    {P::kDisableTls12, "disabletls12", "Disable TLS1.2", T::kFlag,
     kFlagDisableTls12},
    {P::kDisableTls13, "disabletls13", "Disable TLS1.3", T::kFlag,
     kFlagDisableTls13},
    {P::kDisableOcspStapling, "disableocspstapling", "Disable OCSP Stapling",
     T::kFlag, kFlagDisableOcspStapling},
    {P::kEnableTokenBinding, "enabletokenbinding", "Enable Token Binding",
     T::kFlag, kFlagEnableTokenBinding},
    {P::kLogExtendedEvents, "logextendedevents", "Log Extended Events",
     T::kFlag, kFlagLogExtendedEvents},
    {P::kDisableLegacyTls, "disablelegacytls", "Disable Legacy TLS Versions",
     T::kFlag, kFlagDisableLegacyTls},
    {P::kEnableSessionTicket, "enablesessionticket", "Enable Session Ticket",
     T::kFlag, kFlagEnableSessionTicket},
    {P::kDisableSessionId, "disablesessionid", "Disable Session ID", T::kFlag,
     kFlagDisableSessionId},
    {P::kEnableCachingClientHello, "enablecachingclienthello",
     "Enable Caching Client Hello", T::kFlag, kFlagEnableCachingClientHello},
};

constexpr size_t kMaxStringLength = 256;

std::optional<std::string>* StringField(Binding& b, Param p) {
  switch (p) {
    case P::kCertStoreName: return &b.cert_store_name;
    case P::kSslCtlIdentifier: return &b.ctl_identifier;
    case P::kSslCtlStoreName: return &b.ctl_store_name;
    default: return nullptr;
  }
}

const std::optional<std::string>* StringField(const Binding& b, Param p) {
  return StringField(const_cast<Binding&>(b), p);
}

uint32_t* BitsField(Binding& b, const ParamInfo& info) {
  return info.in_check_mode ? &b.check_mode : &b.flags;
}

std::string TypeName(ParamType type) {
  switch (type) {
    case T::kHex: return "hex digits";
    case T::kGuid: return "a GUID";
    case T::kString: return "text";
    case T::kOption:
    case T::kFlag: return "enable or disable";
    case T::kNumber: return "a number";
  }
  return "a value";
}

// Strings are valid UTF-8 without control characters; store names follow
// the one rule of ValidateCertStoreName, wherever they come from.
Status CheckString(const ParamInfo& info, std::string_view s) {
  const std::string name(info.name);
  const size_t bad = FindInvalidUtf8(s);
  if (bad != std::string_view::npos) {
    return Status::InvalidArgument(name + "=" + QuoteForMessage(s) +
                                   ": the byte at offset " +
                                   std::to_string(bad) + " is not valid UTF-8");
  }
  if (info.id == P::kCertStoreName || info.id == P::kSslCtlStoreName) {
    Status st = ValidateCertStoreName(s);
    if (!st.ok()) return Status::InvalidArgument(name + ": " + st.message());
    return Status::Ok();
  }
  if (s.empty() || s.size() > kMaxStringLength) {
    return Status::InvalidArgument(name + " must be 1 to 256 characters");
  }
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || internal::IsC1ControlAt(s, i)) {
      return Status::InvalidArgument(name + "=" + QuoteForMessage(s) +
                                     " contains a control character at "
                                     "offset " +
                                     std::to_string(i));
    }
  }
  // Every value must survive `show` and an import of its output: netsh's
  // text shows neither a space at either end nor the difference between
  // "(null)" and no value.
  if (s.front() == ' ' || s.back() == ' ') {
    return Status::InvalidArgument(name + "=" + QuoteForMessage(s) +
                                   " begins or ends with a space, which "
                                   "netsh's output cannot show");
  }
  if (s.size() == 6 && FoldCase(s) == "(null)") {
    return Status::InvalidArgument(name + "=" + QuoteForMessage(s) +
                                   " is what netsh's output shows for no "
                                   "value");
  }
  return Status::Ok();
}

}  // namespace

std::span<const ParamInfo> AllParams() { return kParams; }

const ParamInfo& GetParamInfo(Param param) {
  return kParams[static_cast<size_t>(param)];
}

const ParamInfo* FindParam(std::string_view name) {
  std::string folded = FoldCase(name);
  for (const ParamInfo& info : kParams) {
    if (info.name == folded) return &info;
  }
  return nullptr;
}

ParamValue GetParam(const Binding& b, Param param) {
  const ParamInfo& info = GetParamInfo(param);
  switch (info.type) {
    case T::kHex:
      if (b.cert_hash.empty()) return std::monostate{};
      return HexLower(b.cert_hash);
    case T::kGuid: return b.app_id.ToString();
    case T::kString: {
      const auto* field = StringField(b, param);
      if (!*field) return std::monostate{};
      return **field;
    }
    case T::kOption:
    case T::kFlag: {
      uint32_t bits = info.in_check_mode ? b.check_mode : b.flags;
      bool set = (bits & info.bit) != 0;
      return info.bit_means_disabled ? !set : set;
    }
    case T::kNumber:
      return param == P::kRevocationFreshnessTime ? b.revocation_freshness_time
                                                  : b.url_retrieval_timeout;
  }
  return std::monostate{};
}

Status SetParam(Binding& b, Param param, const ParamValue& value) {
  const ParamInfo& info = GetParamInfo(param);
  auto wrong_type = [&] {
    return Status::InvalidArgument(std::string(info.name) + " takes " +
                                   TypeName(info.type));
  };
  switch (info.type) {
    case T::kHex: {
      if (std::holds_alternative<std::monostate>(value)) {
        b.cert_hash.clear();
        return Status::Ok();
      }
      const auto* text = std::get_if<std::string>(&value);
      if (!text) return wrong_type();
      Result<std::vector<uint8_t>> hash = ParseCertHash(*text);
      if (!hash.ok()) return hash.status();
      b.cert_hash = std::move(*hash);
      return Status::Ok();
    }
    case T::kGuid: {
      const auto* text = std::get_if<std::string>(&value);
      if (!text) return wrong_type();
      Result<Guid> guid = Guid::Parse(*text);
      if (!guid.ok()) return guid.status();
      b.app_id = *guid;
      return Status::Ok();
    }
    case T::kString: {
      auto* field = StringField(b, param);
      if (std::holds_alternative<std::monostate>(value)) {
        field->reset();
        return Status::Ok();
      }
      const auto* text = std::get_if<std::string>(&value);
      if (!text) return wrong_type();
      Status s = CheckString(info, *text);
      if (!s.ok()) return s;
      *field = *text;
      return Status::Ok();
    }
    case T::kOption:
    case T::kFlag: {
      const bool* on = std::get_if<bool>(&value);
      if (!on) return wrong_type();
      bool set = info.bit_means_disabled ? !*on : *on;
      uint32_t* bits = BitsField(b, info);
      *bits = set ? (*bits | info.bit) : (*bits & ~info.bit);
      return Status::Ok();
    }
    case T::kNumber: {
      const uint32_t* n = std::get_if<uint32_t>(&value);
      if (!n) return wrong_type();
      if (param == P::kRevocationFreshnessTime) {
        b.revocation_freshness_time = *n;
        b.check_mode = *n ? (b.check_mode | kCheckFreshnessTime)
                          : (b.check_mode & ~kCheckFreshnessTime);
      } else {
        b.url_retrieval_timeout = *n;
      }
      return Status::Ok();
    }
  }
  return wrong_type();
}

Result<ParamValue> ParseParamText(Param param, std::string_view text) {
  const ParamInfo& info = GetParamInfo(param);
  std::string name(info.name);
  switch (info.type) {
    case T::kHex: {
      Result<std::vector<uint8_t>> hash = ParseCertHash(text);
      if (!hash.ok()) return hash.status();
      return ParamValue(HexLower(*hash));
    }
    case T::kGuid: {
      Result<Guid> guid = Guid::Parse(text);
      if (!guid.ok()) return guid.status();
      return ParamValue(guid->ToString());
    }
    case T::kString: {
      Status st = CheckString(info, text);
      if (!st.ok()) return st;
      return ParamValue(std::string(text));
    }
    case T::kOption:
    case T::kFlag: {
      std::string folded = FoldCase(text);
      if (folded == "enable") return ParamValue(true);
      if (folded == "disable") return ParamValue(false);
      return Status::InvalidArgument(name + "=" + QuoteForMessage(text) +
                                     ": the value must be enable or "
                                     "disable");
    }
    case T::kNumber: {
      if (text.empty() || text.size() > 10 ||
          !std::all_of(text.begin(), text.end(),
                       [](char c) { return c >= '0' && c <= '9'; })) {
        return Status::InvalidArgument(name + "=" + QuoteForMessage(text) +
                                       ": the value must be a whole number "
                                       "from 0 to 4294967295");
      }
      uint64_t n = std::stoull(std::string(text));
      if (n > 0xffffffffull) {
        return Status::InvalidArgument(name + "=" + QuoteForMessage(text) +
                                       ": the value must be a whole number "
                                       "from 0 to 4294967295");
      }
      return ParamValue(static_cast<uint32_t>(n));
    }
  }
  return Status::Internal("unknown parameter type");
}

std::string ShowParam(const Binding& binding, Param param) {
  const ParamInfo& info = GetParamInfo(param);
  ParamValue v = GetParam(binding, param);
  if (std::holds_alternative<std::monostate>(v)) return "(null)";
  if (auto* s = std::get_if<std::string>(&v)) return std::move(*s);
  if (const auto* n = std::get_if<uint32_t>(&v)) return std::to_string(*n);
  bool on = std::get<bool>(v);
  if (info.type == T::kFlag) return on ? "Set" : "Not Set";
  return on ? "Enabled" : "Disabled";
}

void BindingPatch::Set(Param param, ParamValue value) {
  for (auto& entry : entries_) {
    if (entry.first == param) {
      entry.second = std::move(value);
      return;
    }
  }
  entries_.emplace_back(param, std::move(value));
}

Status BindingPatch::SetText(Param param, std::string_view text) {
  Result<ParamValue> value = ParseParamText(param, text);
  if (!value.ok()) return value.status();
  Set(param, std::move(*value));
  return Status::Ok();
}

bool BindingPatch::Has(Param param) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [param](const auto& e) { return e.first == param; });
}

Status BindingPatch::ApplyTo(Binding& binding) const {
  for (const auto& [param, value] : entries_) {
    Status s = SetParam(binding, param, value);
    if (!s.ok()) return s;
  }
  return ValidateBinding(binding);
}

Result<Binding> MakeBinding(const BindingKey& key, const BindingPatch& patch) {
  Binding binding(key);
  Status s = patch.ApplyTo(binding);
  if (!s.ok()) return s;
  return binding;
}

}  // namespace sslbind

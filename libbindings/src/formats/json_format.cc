// The JSON format: the binding object of `show --json` and the document
// {"version":1,"bindings":[...]}.
//
// Writing builds the text directly (no DOM), escaping strings the way
// nlohmann::json's dump() does, so the output is what dump() would print.
// Reading is a SAX handler over nlohmann::json's parser: bindings are built
// as the parser walks the text, so a 100k-binding document never exists as
// a tree, and every error names its JSON path (bindings[3].appid).
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "formats/formats.h"
#include "sslbind/parameters.h"
#include "sslbind/registry.h"

namespace sslbind {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// A JSON string literal, escaped as nlohmann::json::dump() escapes it
// (ensure_ascii off); invalid UTF-8 bytes become U+FFFD so that the output
// is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        *out += "\\\"";
        continue;
      case '\\':
        *out += "\\\\";
        continue;
      case '\b':
        *out += "\\b";
        continue;
      case '\f':
        *out += "\\f";
        continue;
      case '\n':
        *out += "\\n";
        continue;
      case '\r':
        *out += "\\r";
        continue;
      case '\t':
        *out += "\\t";
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      *out += "\\u00";
      out->push_back(kHexDigits[c >> 4]);
      out->push_back(kHexDigits[c & 0xf]);
      continue;
    }
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
    // Copy a well-formed UTF-8 sequence; replace anything else.
    size_t len = (c >> 5) == 0x6    ? 2
                 : (c >> 4) == 0xe  ? 3
                 : (c >> 3) == 0x1e ? 4
                                    : 0;
    bool ok = len != 0 && i + len <= s.size();
    uint32_t cp = ok ? c & (0x7f >> len) : 0;
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char b = static_cast<unsigned char>(s[i + k]);
      ok = (b & 0xc0) == 0x80;
      cp = cp << 6 | (b & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kMin[len] && cp <= 0x10ffff &&
         !(cp >= 0xd800 && cp <= 0xdfff);
    if (ok) {
      out->append(s.substr(i, len));
      i += len - 1;
    } else {
      *out += "\xef\xbf\xbd";  // U+FFFD
    }
  }
  out->push_back('"');
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// The members of a binding object as (quoted name, value text) pairs.
using Members = std::vector<std::pair<std::string, std::string>>;

void AppendKeyMember(const BindingKey& key, Members* members) {
  std::string name = JsonString(KindParamName(key.kind()));
  if (key.kind() == BindingKind::kCcs) {
    members->emplace_back(std::move(name), std::to_string(key.port()));
  } else {
    members->emplace_back(std::move(name), JsonString(key.ToString()));
  }
}

Members BindingMembers(const Binding& binding) {
  Members members;
  members.reserve(AllParams().size() + 1);
  AppendKeyMember(binding.key, &members);
  for (const ParamInfo& info : AllParams()) {
    ParamValue v = GetParam(binding, info.id);
    std::string text;
    if (const auto* s = std::get_if<std::string>(&v)) {
      text = JsonString(*s);
    } else if (const auto* b = std::get_if<bool>(&v)) {
      text = *b ? "true" : "false";
    } else if (const auto* n = std::get_if<uint32_t>(&v)) {
      text = std::to_string(*n);
    } else {
      text = "null";
    }
    members.emplace_back(JsonString(info.name), std::move(text));
  }
  return members;
}

std::string CompactObject(const Members& members) {
  std::string out = "{";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i) out += ',';
    out += members[i].first;
    out += ':';
    out += members[i].second;
  }
  out += '}';
  return out;
}

}  // namespace

std::string FormatBindingJson(const Binding& binding) {
  return CompactObject(BindingMembers(binding));
}

std::string FormatKeyJson(const BindingKey& key) {
  Members members;
  AppendKeyMember(key, &members);
  return CompactObject(members);
}

std::string FormatJsonDocument(const std::vector<Binding>& bindings) {
  std::string out =
      "{\n  \"version\": " + std::to_string(kJsonDocumentVersion) +
      ",\n  \"bindings\": ";
  if (bindings.empty()) {
    out += "[]\n}\n";
    return out;
  }
  out += "[\n";
  for (size_t b = 0; b < bindings.size(); ++b) {
    out += "    {\n";
    Members members = BindingMembers(bindings[b]);
    for (size_t i = 0; i < members.size(); ++i) {
      out += "      ";
      out += members[i].first;
      out += ": ";
      out += members[i].second;
      out += i + 1 < members.size() ? ",\n" : "\n";
    }
    out += b + 1 < bindings.size() ? "    },\n" : "    }\n";
  }
  out += "  ]\n}\n";
  return out;
}

namespace internal {
namespace {

using nlohmann::json;

// Builds bindings from SAX events. Every handler returns false on the first
// error, which stops the parser; error() then holds the message.
class BindingsSax final : public nlohmann::json_sax<json> {
 public:
  explicit BindingsSax(std::string_view file_name) : file_(file_name) {}

  const Status& error() const { return error_; }
  ParsedBindings&& result() { return std::move(result_); }

  bool null() override { return Value(Found::kNull); }
  bool boolean(bool val) override {
    bool_ = val;
    return Value(Found::kBool);
  }
  bool number_integer(number_integer_t val) override {
    if (val >= 0) return number_unsigned(static_cast<number_unsigned_t>(val));
    return Value(Found::kNegative);
  }
  bool number_unsigned(number_unsigned_t val) override {
    unsigned_ = val;
    return Value(Found::kUnsigned);
  }
  bool number_float(number_float_t, const string_t&) override {
    return Value(Found::kFloat);
  }
  bool string(string_t& val) override {
    string_ = std::move(val);
    return Value(Found::kString);
  }
  bool binary(binary_t&) override { return Value(Found::kBinary); }

  bool start_object(std::size_t) override {
    switch (state_) {
      case State::kStart:
        state_ = State::kDocument;
        return true;
      case State::kList:
        state_ = State::kBinding;
        current_ = BindingFields{};
        return true;
      default:
        return Value(Found::kObject);
    }
  }

  bool key(string_t& name) override {
    if (state_ == State::kDocument) {
      if (name != "version" && name != "bindings") {
        return Fail("", "unknown key \"" + Excerpt(name) +
                            "\" (a document has \"version\" and "
                            "\"bindings\")");
      }
      if (!document_keys_.insert(name).second) {
        return Fail(name, "given twice");
      }
      key_ = std::move(name);
      return true;
    }
    // state_ == State::kBinding: the parser only calls key() in objects,
    // and every other object is refused at start_object.
    std::string path = BindingPath();
    if (!current_.seen.insert(name).second) {
      return Fail(path + "." + name, "given twice");
    }
    key_ = std::move(name);
    return true;
  }

  bool end_object() override {
    if (state_ == State::kDocument) {
      if (!document_keys_.count("bindings")) {
        return Fail("", "the document has no \"bindings\" array");
      }
      state_ = State::kDone;
      return true;
    }
    // State::kBinding.
    state_ = State::kList;
    return FinishBinding();
  }

  bool start_array(std::size_t) override {
    if (state_ == State::kDocument && key_ == "bindings") {
      state_ = State::kList;
      return true;
    }
    return Value(Found::kArray);
  }

  bool end_array() override {
    // Only the bindings array gets this far.
    state_ = State::kDocument;
    return true;
  }

  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) override {
    // ex.what() is "[json.exception.parse_error.101] parse error at line 3,
    // column 5: syntax error while ..."; keep the part after the position.
    std::string what = ex.what();
    size_t colon = what.find(": ");
    std::string detail =
        colon == std::string::npos ? what : what.substr(colon + 2);
    error_ = Status::InvalidArgument(file_ + ":" + LineColumn(position) + ": " +
                                     detail);
    return false;
  }

  void set_text(std::string_view text) { text_ = text; }

 private:
  enum class State { kStart, kDocument, kList, kBinding, kDone };
  enum class Found {
    kNull,
    kBool,
    kUnsigned,
    kNegative,
    kFloat,
    kString,
    kBinary,
    kObject,
    kArray
  };

  struct BindingFields {
    std::set<std::string> seen;
    std::optional<BindingKey> key;
    std::string key_member;  // the member that gave the key
    BindingPatch patch;
  };

  static std::string Describe(Found found, bool value) {
    switch (found) {
      case Found::kNull:
        return "null";
      case Found::kBool:
        return value ? "true" : "false";
      case Found::kUnsigned:
        return "a number";
      case Found::kNegative:
        return "a negative number";
      case Found::kFloat:
        return "a fractional number";
      case Found::kString:
        return "a string";
      case Found::kBinary:
        return "binary data";
      case Found::kObject:
        return "an object";
      case Found::kArray:
        return "an array";
    }
    return "a value";
  }

  std::string BindingPath() const {
    return "bindings[" + std::to_string(result_.bindings.size()) + "]";
  }

  // "3:17" for a byte position of the parser (which counts from 1).
  std::string LineColumn(size_t position) const {
    size_t end = std::min(position == 0 ? 0 : position - 1, text_.size());
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return std::to_string(line) + ":" + std::to_string(end - line_start + 1);
  }

  bool Fail(const std::string& path, const std::string& what) {
    error_ = Status::InvalidArgument(file_ + ": " +
                                     (path.empty() ? "" : path + ": ") + what);
    return false;
  }

  bool WrongType(const std::string& path, std::string_view expected,
                 Found found) {
    return Fail(path, "expected " + std::string(expected) + ", found " +
                          Describe(found, bool_));
  }

  // A value (or the start of a container where no container belongs) in
  // the current place.
  bool Value(Found found) {
    switch (state_) {
      case State::kStart:
        return Fail("",
                    "the document must be a JSON object "
                    "{\"version\":1,\"bindings\":[...]}, found " +
                        Describe(found, bool_));
      case State::kDocument:
        if (key_ == "version") {
          if (found != Found::kUnsigned) {
            return WrongType("version", "the number 1", found);
          }
          if (unsigned_ != static_cast<uint64_t>(kJsonDocumentVersion)) {
            return Fail("version",
                        "this sslbind reads version 1 documents, not "
                        "version " +
                            std::to_string(unsigned_));
          }
          return true;
        }
        return WrongType("bindings", "an array of binding objects", found);
      case State::kList:
        return WrongType(BindingPath(), "a binding object", found);
      case State::kBinding:
        return BindingMember(found);
      case State::kDone:
        break;
    }
    return Fail("", "unexpected value after the document");
  }

  static std::optional<BindingKind> KindOfMember(std::string_view name) {
    for (BindingKind kind : {BindingKind::kIpPort, BindingKind::kHostnamePort,
                             BindingKind::kCcs, BindingKind::kScopedCcs}) {
      if (name == KindParamName(kind)) return kind;
    }
    return std::nullopt;
  }

  // The key member (ipport, hostnameport, ccs or scopedccs) of a binding.
  bool KeyMember(BindingKind kind, const std::string& path, Found found) {
    Result<BindingKey> key = Status::Internal("no key parsed");
    if (kind == BindingKind::kCcs) {
      if (found != Found::kUnsigned) {
        return WrongType(path, "a port number (1 to 65535)", found);
      }
      if (unsigned_ < 1 || unsigned_ > 65535) {
        return Fail(path, "port " + std::to_string(unsigned_) +
                              " is not a number from 1 to 65535");
      }
      key = BindingKey::Ccs(static_cast<uint16_t>(unsigned_));
    } else {
      if (found != Found::kString) {
        return WrongType(path, "a string such as \"0.0.0.0:443\"", found);
      }
      key = BindingKey::Parse(kind, string_);
      if (!key.ok()) return Fail(path, key.status().message());
    }
    if (current_.key) {
      return Fail(BindingPath(), "both " + current_.key_member + " and " +
                                     key_ +
                                     " are given; a binding has one "
                                     "key");
    }
    current_.key = std::move(*key);
    current_.key_member = key_;
    return true;
  }

  bool BindingMember(Found found) {
    const std::string path = BindingPath() + "." + key_;
    if (std::optional<BindingKind> kind = KindOfMember(key_)) {
      return KeyMember(*kind, path, found);
    }
    const ParamInfo* info = FindParam(key_);
    if (!info || info->name != key_) {
      return Fail(BindingPath(),
                  "unknown key \"" + Excerpt(key_) +
                      "\" (the keys are ipport, hostnameport, ccs, scopedccs "
                      "and the netsh parameter names, in lower case)");
    }
    ParamValue value;
    switch (info->type) {
      case ParamType::kHex:
      case ParamType::kString:
        if (found == Found::kNull) break;
        if (found != Found::kString) {
          return WrongType(path, "a string or null", found);
        }
        value = std::move(string_);
        break;
      case ParamType::kGuid:
        if (found != Found::kString) {
          return WrongType(path,
                           "a GUID string such as "
                           "\"{00112233-4455-6677-8899-aabbccddeeff}\"",
                           found);
        }
        value = std::move(string_);
        break;
      case ParamType::kOption:
      case ParamType::kFlag:
        if (found != Found::kBool)
          return WrongType(path, "true or false", found);
        value = bool_;
        break;
      case ParamType::kNumber:
        if (found != Found::kUnsigned || unsigned_ > 0xffffffffu) {
          return WrongType(path, "a whole number from 0 to 4294967295", found);
        }
        value = static_cast<uint32_t>(unsigned_);
        break;
    }
    // Check the value now, so that the message names its path.
    Binding scratch(BindingKey::Ccs(1));
    Status s = SetParam(scratch, info->id, value);
    if (!s.ok()) return Fail(path, s.message());
    current_.patch.Set(info->id, std::move(value));
    return true;
  }

  bool FinishBinding() {
    const std::string path = BindingPath();
    if (!current_.key) {
      return Fail(path,
                  "no key: give one of ipport, hostnameport, ccs and "
                  "scopedccs");
    }
    if (!current_.patch.Has(Param::kAppId)) {
      return Fail(path, "appid is missing");
    }
    Result<Binding> binding = MakeBinding(*current_.key, current_.patch);
    if (!binding.ok()) return Fail(path, binding.status().message());
    result_.bindings.push_back({std::move(*binding), file_ + ": " + path});
    return true;
  }

  std::string file_;
  std::string_view text_;
  State state_ = State::kStart;
  std::set<std::string> document_keys_;
  std::string key_;  // the member whose value comes next
  BindingFields current_;
  // The last scalar value.
  bool bool_ = false;
  uint64_t unsigned_ = 0;
  std::string string_;

  ParsedBindings result_;
  Status error_;
};

}  // namespace

Result<ParsedBindings> ParseJsonBindings(std::string_view text,
                                         std::string_view file_name) {
  BindingsSax sax(file_name);
  sax.set_text(text);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &sax);
  } catch (const std::exception& e) {
    // sax_parse reports errors through parse_error(); anything thrown is
    // unexpected, but must not cross the API.
    return Status::Internal(std::string(file_name) + ": " + e.what());
  }
  if (!ok) {
    if (!sax.error().ok()) return sax.error();
    return Status::InvalidArgument(std::string(file_name) +
                                   ": not a JSON document");
  }
  ParsedBindings result = sax.result();
  result.format = ExchangeFormat::kJson;
  return result;
}

}  // namespace internal
}  // namespace sslbind

// The JSON format: the binding object of `show --json` and the document
// {"version":1,"bindings":[...]}.
//
// Writing builds the text directly (no DOM), escaping strings the way
// nlohmann::json's dump() does, so the output is what dump() would print
// (tests/exchange_test.cc checks it).
// Reading is a handler over the streaming reader of json_reader.h: bindings
// are built as it walks the text, so a 100k-binding document never exists as
// a tree, and every error names its JSON path (bindings[3].appid).
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

#include "formats/formats.h"
#include "formats/json_reader.h"
#include "formats/json_window.h"
#include "model/text_rules.h"
#include "sslbind/parameters.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

// A JSON string literal, escaped as nlohmann::json::dump() escapes it
// (ensure_ascii off); invalid UTF-8 bytes become U+FFFD so that the output
// is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': *out += "\\\""; continue;
      case '\\': *out += "\\\\"; continue;
      case '\b': *out += "\\b"; continue;
      case '\f': *out += "\\f"; continue;
      case '\n': *out += "\\n"; continue;
      case '\r': *out += "\\r"; continue;
      case '\t': *out += "\\t"; continue;
      default: break;
    }
    if (c < 0x20) {
      *out += "\\u00";
      internal::AppendHexByte(c, out);
      continue;
    }
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      continue;
    }
    // Copy a well-formed UTF-8 sequence; replace anything else.
    const size_t len = internal::Utf8SequenceLength(s.substr(i));
    if (len != 0) {
      out->append(s.substr(i, len));
      i += len - 1;
    } else {
      *out += internal::kReplacementUtf8;
    }
  }
  out->push_back('"');
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

// How the members of a binding object are laid out: before each member,
// between its name and value, and between two members.
struct MemberLayout {
  std::string_view indent, colon, comma;
};
constexpr MemberLayout kCompact{"", ":", ","};
constexpr MemberLayout kIndented{"      ", ": ", ",\n"};

// The quoted member names, made once: "ipport" ... by kind, then every
// parameter's.
struct QuotedNames {
  QuotedNames() {
    for (BindingKind kind : {BindingKind::kIpPort, BindingKind::kHostnamePort,
                             BindingKind::kCcs, BindingKind::kScopedCcs}) {
      kinds[static_cast<size_t>(kind)] = JsonString(KindParamName(kind));
    }
    for (const ParamInfo& info : AllParams()) {
      params.push_back(JsonString(info.name));
    }
  }
  std::string kinds[4];
  std::vector<std::string> params;
};

const QuotedNames& Names() {
  static const QuotedNames names;
  return names;
}

void AppendUnsigned(uint64_t n, std::string* out) {
  char digits[20];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out->append(digits, end);
}

void AppendKeyMember(const BindingKey& key, const MemberLayout& layout,
                     std::string* out) {
  *out += layout.indent;
  *out += Names().kinds[static_cast<size_t>(key.kind())];
  *out += layout.colon;
  if (key.kind() == BindingKind::kCcs) {
    AppendUnsigned(key.port(), out);
  } else {
    AppendJsonString(key.ToString(), out);
  }
}

// The key member, then every parameter's, appended to *out as the text is
// made (no member list, no string per member).
void AppendMembers(const Binding& binding, const MemberLayout& layout,
                   std::string* out) {
  AppendKeyMember(binding.key, layout, out);
  const QuotedNames& names = Names();
  size_t i = 0;
  for (const ParamInfo& info : AllParams()) {
    *out += layout.comma;
    *out += layout.indent;
    *out += names.params[i++];
    *out += layout.colon;
    ParamValue v = GetParam(binding, info.id);
    if (const auto* s = std::get_if<std::string>(&v)) {
      AppendJsonString(*s, out);
    } else if (const auto* b = std::get_if<bool>(&v)) {
      *out += *b ? "true" : "false";
    } else if (const auto* n = std::get_if<uint32_t>(&v)) {
      AppendUnsigned(*n, out);
    } else {
      *out += "null";
    }
  }
}

}  // namespace

std::string FormatBindingJson(const Binding& binding) {
  std::string out;
  AppendBindingJson(binding, /*with_key=*/false, &out);
  return out;
}

void AppendBindingJson(const Binding& binding, bool with_key,
                       std::string* out) {
  *out += '{';
  if (with_key) {
    *out += "\"key\":";
    AppendJsonString(binding.key.ToParam(), out);
    *out += ',';
  }
  AppendMembers(binding, kCompact, out);
  *out += '}';
}

std::string FormatKeyJson(const BindingKey& key) {
  std::string out = "{";
  AppendKeyMember(key, kCompact, &out);
  out += '}';
  return out;
}

std::string FormatJsonDocument(const std::vector<Binding>& bindings) {
  std::string out = internal::JsonDocumentHead();
  for (size_t b = 0; b < bindings.size(); ++b) {
    internal::AppendJsonDocumentEntry(bindings[b], b == 0, &out);
  }
  out += internal::JsonDocumentTail(bindings.size());
  return out;
}

namespace internal {

std::string JsonDocumentHead(std::optional<uint64_t> revision) {
  std::string head =
      "{\n  \"version\": " + std::to_string(kJsonDocumentVersion) + ",\n";
  if (revision) head += "  \"revision\": " + std::to_string(*revision) + ",\n";
  return head + "  \"bindings\": ";
}

void AppendJsonDocumentEntry(const Binding& binding, bool first,
                             std::string* out) {
  *out += first ? "[\n    {\n" : ",\n    {\n";
  AppendMembers(binding, kIndented, out);
  *out += "\n    }";
}

std::string JsonDocumentTail(size_t count) {
  return count == 0 ? "[]\n}\n" : "\n  ]\n}\n";
}

}  // namespace internal

namespace internal {
namespace {

// Builds bindings from the reader's events. Every handler returns false on
// the first error, which stops the reader; error() then holds the message.
class BindingsSax final : public JsonHandler {
 public:
  BindingsSax(std::string_view file_name, const BindingVisitor& visit)
      : file_(file_name), visit_(visit) {}

  const Status& error() const { return error_; }

  bool Null() override { return Value(Found::kNull); }
  bool Bool(bool value) override {
    bool_ = value;
    return Value(Found::kBool);
  }
  bool Number(JsonNumber kind, uint64_t value) override {
    switch (kind) {
      case JsonNumber::kUnsigned:
        unsigned_ = value;
        return Value(Found::kUnsigned);
      case JsonNumber::kNegative: return Value(Found::kNegative);
      case JsonNumber::kFraction: return Value(Found::kFloat);
      case JsonNumber::kTooLarge: return Value(Found::kTooLarge);
    }
    return Value(Found::kFloat);
  }
  bool String(std::string_view value) override {
    string_ = value;
    return Value(Found::kString);
  }

  bool StartObject() override {
    switch (state_) {
      case State::kStart: state_ = State::kDocument; return true;
      case State::kList:
        state_ = State::kBinding;
        current_ = BindingFields{};
        guess_ = 0;
        return true;
      default: return Value(Found::kObject);
    }
  }

  bool Key(std::string_view name) override {
    if (state_ == State::kDocument) {
      if (name != "version" && name != "bindings" && name != "revision") {
        return Fail("", "unknown key " + QuoteForMessage(name) +
                            " (a document has \"version\", \"bindings\" "
                            "and, from export, \"revision\")");
      }
      if (!document_keys_.insert(std::string(name)).second) {
        return Fail(std::string(name), "given twice");
      }
      key_.assign(name);
      return true;
    }
    // state_ == State::kBinding: the reader calls Key() only in objects,
    // and every other object is refused at StartObject().
    if (name == "key") {  // "ipport=0.0.0.0:443", as `show --json` prints it
      if (current_.key_text) return Fail(BindingPath() + ".key", "given twice");
      key_text_next_ = true;
      return true;
    }
    const Member* member = FindMember(name);
    if (!member) {
      return Fail(BindingPath(),
                  "unknown key " + QuoteForMessage(name) +
                      " (the keys are ipport, hostnameport, ccs, scopedccs "
                      "and the netsh parameter names, in lower case)");
    }
    if (current_.seen & member->bit) {
      return Fail(BindingPath() + "." + std::string(name), "given twice");
    }
    current_.seen |= member->bit;
    member_ = member;
    return true;
  }

  bool EndObject() override {
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

  bool StartArray() override {
    if (state_ == State::kDocument && key_ == "bindings") {
      state_ = State::kList;
      return true;
    }
    return Value(Found::kArray);
  }

  bool EndArray() override {
    // Only the bindings array gets this far.
    state_ = State::kDocument;
    return true;
  }

 private:
  enum class State { kStart, kDocument, kList, kBinding, kDone };
  enum class Found {
    kNull,
    kBool,
    kUnsigned,
    kNegative,
    kTooLarge,
    kFloat,
    kString,
    kObject,
    kArray
  };

  // A member of a binding object: a key (kind set) or a parameter.
  struct Member {
    std::optional<BindingKind> kind;
    const ParamInfo* param = nullptr;
    uint32_t bit = 0;  // for spotting a member given twice
  };

  struct NamedMember {
    std::string_view name;
    Member member;
  };

  // Every member in the order FormatBindingJson writes them: the kinds,
  // then the parameters in show order.
  static const std::vector<NamedMember>& OrderedMembers() {
    static const auto* members = [] {
      auto* m = new std::vector<NamedMember>;
      uint32_t bit = 1;
      for (BindingKind kind : kAllBindingKinds) {
        m->push_back({KindParamName(kind), Member{kind, nullptr, bit}});
        bit <<= 1;
      }
      for (const ParamInfo& info : AllParams()) {
        m->push_back({info.name, Member{std::nullopt, &info, bit}});
        bit <<= 1;
      }
      return m;
    }();
    return *members;
  }

  // The member with that exact (lower-case) name, or nullptr. Tries the
  // member after the last one found first: documents written by
  // FormatJsonDocument (and most others) list them in order, and this runs
  // 2.5 million times for 100k bindings.
  const Member* FindMember(std::string_view name) {
    const std::vector<NamedMember>& members = OrderedMembers();
    if (guess_ < members.size() && members[guess_].name == name) {
      return Remember(guess_);
    }
    for (size_t i = 0; i < members.size(); ++i) {
      if (members[i].name == name) return Remember(i);
    }
    return nullptr;
  }

  const Member* Remember(size_t i) {
    constexpr size_t kKinds = 4;
    guess_ = i < kKinds ? kKinds : i + 1;
    return &OrderedMembers()[i].member;
  }

  struct BindingFields {
    uint32_t seen = 0;  // Member::bit of each member given
    std::optional<BindingKey> key;
    std::optional<BindingKey> key_text;  // the "key" member, if given
    // The parameters as given so far, on every default (the key is set at
    // the end of the object).
    Binding binding{BindingKey::Ccs(1)};
  };

  static std::string Describe(Found found, bool value) {
    switch (found) {
      case Found::kNull: return "null";
      case Found::kBool: return value ? "true" : "false";
      case Found::kUnsigned: return "a number";
      case Found::kNegative: return "a negative number";
      case Found::kTooLarge: return "a number above 2^64";
      case Found::kFloat: return "a fractional number";
      case Found::kString: return "a string";
      case Found::kObject: return "an object";
      case Found::kArray: return "an array";
    }
    return "a value";
  }

  std::string BindingPath() const {
    return "bindings[" + std::to_string(count_) + "]";
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
        if (key_ == "revision") {  // recorded by export; not used
          if (found != Found::kUnsigned) {
            return WrongType("revision", "a revision number", found);
          }
          return true;
        }
        return WrongType("bindings", "an array of binding objects", found);
      case State::kList:
        return WrongType(BindingPath(), "a binding object", found);
      case State::kBinding: return BindingMember(found);
      case State::kDone: break;
    }
    return Fail("", "unexpected value after the document");
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
      return Fail(BindingPath(),
                  "both " + std::string(KindParamName(current_.key->kind())) +
                      " and " + std::string(KindParamName(kind)) +
                      " are given; a binding has one key");
    }
    current_.key = std::move(*key);
    return true;
  }

  // The "key" member: one string NAME=VALUE, the key as a netsh parameter.
  bool KeyTextMember(Found found) {
    key_text_next_ = false;
    const std::string path = BindingPath() + ".key";
    if (found != Found::kString) {
      return WrongType(path, "a string such as \"ipport=0.0.0.0:443\"", found);
    }
    const size_t eq = string_.find('=');
    Result<BindingKey> key =
        eq == std::string::npos
            ? Result<BindingKey>(Status::InvalidArgument(
                  QuoteForMessage(string_) +
                  " is not NAME=VALUE (e.g. \"ipport=0.0.0.0:443\")"))
            : BindingKey::ParseParam(string_.substr(0, eq),
                                     string_.substr(eq + 1));
    if (!key.ok()) return Fail(path, key.status().message());
    current_.key_text = std::move(*key);
    return true;
  }

  // Checks the string in place before it is copied: a 200 MB value costs
  // no second 200 MB.
  template <typename PathFn>
  bool ParseText(const ParamInfo& info, PathFn& path, ParamValue* value) {
    Result<ParamValue> parsed = ParseParamText(info.id, string_);
    if (!parsed.ok()) return Fail(path(), parsed.status().message());
    *value = std::move(*parsed);
    return true;
  }

  bool BindingMember(Found found) {
    if (key_text_next_) return KeyTextMember(found);
    const std::string_view name =
        member_->kind ? KindParamName(*member_->kind) : member_->param->name;
    auto path = [&] { return BindingPath() + "." + std::string(name); };
    if (member_->kind) return KeyMember(*member_->kind, path(), found);

    const ParamInfo& info = *member_->param;
    ParamValue value;
    switch (info.type) {
      case ParamType::kHex:
      case ParamType::kString:
        if (found == Found::kNull) break;
        if (found != Found::kString) {
          return WrongType(path(), "a string or null", found);
        }
        if (!ParseText(info, path, &value)) return false;
        break;
      case ParamType::kGuid:
        if (found != Found::kString) {
          return WrongType(path(),
                           "a GUID string such as "
                           "\"{00112233-4455-6677-8899-aabbccddeeff}\"",
                           found);
        }
        if (!ParseText(info, path, &value)) return false;
        break;
      case ParamType::kOption:
      case ParamType::kFlag:
        if (found != Found::kBool) {
          return WrongType(path(), "true or false", found);
        }
        value = bool_;
        break;
      case ParamType::kNumber:
        if (found != Found::kUnsigned || unsigned_ > 0xffffffffu) {
          return WrongType(path(), "a whole number from 0 to 4294967295",
                           found);
        }
        value = static_cast<uint32_t>(unsigned_);
        break;
    }
    Status s = SetParam(current_.binding, info.id, value);
    if (!s.ok()) return Fail(path(), s.message());
    return true;
  }

  bool FinishBinding() {
    if (current_.key_text) {
      if (!current_.key) {
        current_.key = current_.key_text;
      } else if (!(*current_.key == *current_.key_text)) {
        return Fail(BindingPath() + ".key",
                    QuoteForMessage(current_.key_text->ToParam()) +
                        " contradicts the binding's " +
                        current_.key->ToParam());
      }
    }
    if (!current_.key) {
      return Fail(BindingPath(),
                  "no key: give one of ipport, hostnameport, ccs and "
                  "scopedccs (or \"key\")");
    }
    static const uint32_t kAppIdBit = [] {
      for (const NamedMember& m : OrderedMembers()) {
        if (m.name == "appid") return m.member.bit;
      }
      return 0u;
    }();
    if (!(current_.seen & kAppIdBit)) {
      return Fail(BindingPath(), "appid is missing");
    }
    Binding& binding = current_.binding;
    binding.key = std::move(*current_.key);
    Status s = ValidateBinding(binding);
    if (!s.ok()) return Fail(BindingPath(), s.message());
    std::string where = file_ + ": " + BindingPath();
    ++count_;
    s = visit_(ParsedBinding{std::move(binding), std::move(where)});
    if (!s.ok()) {
      error_ = std::move(s);
      return false;
    }
    return true;
  }

  std::string file_;
  State state_ = State::kStart;
  std::set<std::string> document_keys_;
  std::string key_;  // the document member whose value comes next
  const Member* member_ = nullptr;  // the binding member whose value comes next
  size_t guess_ = 0;  // the index in OrderedMembers() of the likely next member
  BindingFields current_;
  bool key_text_next_ = false;  // the value that comes is the "key" member's
  // The last scalar value.
  bool bool_ = false;
  uint64_t unsigned_ = 0;
  std::string_view string_;  // valid in String() only

  const BindingVisitor& visit_;
  size_t count_ = 0;  // bindings visited
  Status error_;
};

}  // namespace

namespace {

// Where a document is cut into pieces. The cutter follows strings (quotes
// and backslash escapes) and brackets, nothing else: it does not check the
// text, the reader does. On text that is valid JSON up to a point, it
// agrees with the reader up to that point, so every cut it makes before the
// first error lies between two elements of the array that is the value of
// a member of the top-level object -- the bindings.
class JsonCutter {
 public:
  explicit JsonCutter(JsonWindow& window) : window_(window) {}

  // The offset of the first ',' at or after `min_end` that separates two
  // elements of such an array, scanning on from where the last call
  // stopped and growing the window as needed; npos if there is none before
  // the end. *closes: the closing brackets passed since the last call.
  Result<size_t> Next(size_t min_end, size_t* closes) {
    *closes = 0;
    while (true) {
      const std::string_view text = window_.text();
      const size_t base = window_.base();
      const char* const begin = text.data();
      const char* p = begin + (pos_ - base);
      const char* const end = begin + text.size();
      while (p < end) {
        if (in_string_) {
          // To the closing quote: one not preceded by an odd number of
          // backslashes (counted back to the string's opening at most: the
          // window holds it, a cut never falls inside a string).
          const void* q = std::memchr(p, '"', static_cast<size_t>(end - p));
          if (q == nullptr) {
            p = end;
            break;
          }
          const char* quote = static_cast<const char*>(q);
          const char* const opened = begin + (string_start_ - base);
          size_t backslashes = 0;
          while (quote - backslashes > opened &&
                 *(quote - backslashes - 1) == '\\') {
            ++backslashes;
          }
          p = quote + 1;
          if (backslashes % 2 == 0) in_string_ = false;
          continue;
        }
        const char c = *p++;
        if (!kStructure[static_cast<uint8_t>(c)]) continue;
        switch (c) {
          case '"':
            in_string_ = true;
            string_start_ = base + static_cast<size_t>(p - begin);
            break;
          case '{':
          case '[':
            if (depth_ < 2) open_[depth_] = c;
            ++depth_;
            break;
          case '}':
          case ']':
            ++*closes;
            if (depth_ > 0) --depth_;
            break;
          default:  // ','
            if (depth_ == 2 && open_[0] == '{' && open_[1] == '[' &&
                base + static_cast<size_t>(p - begin) > min_end) {
              pos_ = base + static_cast<size_t>(p - begin);
              return pos_ - 1;
            }
            break;
        }
      }
      pos_ = base + static_cast<size_t>(p - begin);
      Result<bool> grown = window_.Grow();
      if (!grown.ok()) return grown.status();
      if (!*grown) return std::string_view::npos;
    }
  }

 private:
  // The bytes that matter outside strings.
  static constexpr auto kStructure = [] {
    std::array<bool, 256> t{};
    for (char c : std::string_view("\"{}[],"))
      t[static_cast<uint8_t>(c)] = true;
    return t;
  }();

  JsonWindow& window_;
  size_t pos_ = 0;  // of the whole text, where the next call goes on
  bool in_string_ = false;
  size_t string_start_ = 0;  // of the whole text: after the opening quote
  size_t depth_ = 0;
  char open_[2] = {0, 0};
};

// Hands the events of one piece, read as a document of its own, to the
// bindings handler without those of the brackets it was wrapped in: the
// first `skip` events (the opening added before it) and every closing
// after the piece's own `closes` (the closing added after it).
class PieceEvents final : public JsonHandler {
 public:
  PieceEvents(JsonHandler& inner, size_t skip, size_t closes)
      : inner_(inner), skip_(skip), closes_(closes) {}

  bool Null() override { return Skip() || inner_.Null(); }
  bool Bool(bool value) override { return Skip() || inner_.Bool(value); }
  bool Number(JsonNumber kind, uint64_t value) override {
    return Skip() || inner_.Number(kind, value);
  }
  bool String(std::string_view value) override {
    return Skip() || inner_.String(value);
  }
  bool StartObject() override { return Skip() || inner_.StartObject(); }
  bool Key(std::string_view name) override {
    return Skip() || inner_.Key(name);
  }
  bool EndObject() override { return Close() || inner_.EndObject(); }
  bool StartArray() override { return Skip() || inner_.StartArray(); }
  bool EndArray() override { return Close() || inner_.EndArray(); }

 private:
  // True for an event of the opening added before the piece.
  bool Skip() {
    if (skip_ == 0) return false;
    --skip_;
    return true;
  }
  // True for a closing added after the piece.
  bool Close() {
    if (Skip()) return true;
    if (closes_ == 0) return true;
    --closes_;
    return false;
  }

  JsonHandler& inner_;
  size_t skip_;
  size_t closes_;
};

Status SyntaxError(std::string_view file_name, size_t line, size_t column,
                   const std::string& message) {
  return Status::InvalidArgument(std::string(file_name) + ":" +
                                 std::to_string(line) + ":" +
                                 std::to_string(column) + ": " + message);
}

}  // namespace

Status ReadJsonBindings(JsonWindow& window, std::string_view file_name,
                        const BindingVisitor& visit,
                        const TextPieceCheck& check,
                        const TextPieceCheck& explain, size_t piece_bytes) {
  BindingsSax sax(file_name, visit);
  JsonCutter cutter(window);
  // The opening added before a middle piece and before the last.
  constexpr std::string_view kMiddleOpening = "[";
  constexpr std::string_view kLastOpening = "{\"\":[";
  size_t start = 0;
  bool first = true;
  std::string wrapped;
  while (true) {
    size_t closes = 0;
    Result<size_t> cut = cutter.Next(start + piece_bytes, &closes);
    if (!cut.ok()) return cut.status();
    const bool last = *cut == std::string_view::npos;
    const std::string_view piece = window.text().substr(
        start - window.base(), last ? std::string_view::npos : *cut - start);
    Status checked = check(start, piece);
    if (!checked.ok()) return checked;
    std::string_view opening;
    JsonReadResult read;
    if (first && last) {  // the whole text: no wrapping
      read = ReadJson(piece, sax);
    } else {
      opening = first ? "" : last ? kLastOpening : kMiddleOpening;
      wrapped.assign(opening);
      wrapped += piece;
      if (!last) wrapped += first ? "]}" : "]";
      const size_t skip = first ? 0 : last ? 3 : 1;
      PieceEvents events(sax, skip, last ? SIZE_MAX : closes);
      read = ReadJson(wrapped, events);
    }
    switch (read.outcome) {
      case JsonReadResult::Outcome::kOk: break;
      case JsonReadResult::Outcome::kStopped: return sax.error();
      case JsonReadResult::Outcome::kSyntaxError: {
        Status explained = explain(start, piece);
        if (!explained.ok()) return explained;
        // The place in the whole text: lines before the piece, and the
        // opening on the piece's first line.
        size_t line = read.line;
        size_t column = read.column;
        if (line == 1) {
          column =
              column - opening.size() + (start - window.LineStartBefore(start));
        }
        line += window.NewlinesBefore(start);
        return SyntaxError(file_name, line, column, read.message);
      }
    }
    if (last) return Status::Ok();
    first = false;
    start = *cut + 1;
    window.DropBefore(start);
  }
}

}  // namespace internal
}  // namespace sslbind

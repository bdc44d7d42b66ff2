// The text of `netsh http show sslcert` (docs/reference.md, "The show layout"):
// written exactly, read leniently in layout and strictly in content.
//
// Reading accepts what Windows versions print: the classic layout (the key
// and twelve fields), the modern one (Set/Not Set flags, Extended Properties
// blocks, which are skipped), fields missing from either, extra empty
// lines, CRLF, and values in any case. Labels are matched against the
// parameter table (parameters.h), never a second list. What it refuses: a
// line that is not a field, a label it does not know, a value that does not
// fit its field, a field given twice, and an entry without its key,
// Application ID or (for IP and SNI bindings) Certificate Hash.
#include <algorithm>
#include <cstring>
#include <map>

#include "formats/formats.h"
#include "formats/text_codec.h"
#include "formats/text_lines.h"
#include "sslbind/parameters.h"
#include "sslbind/registry.h"
#include "sslbind/text.h"

namespace sslbind {
namespace {

constexpr size_t kLabelColumn = 29;
constexpr std::string_view kTitle = "SSL Certificate bindings:";
constexpr std::string_view kExtendedProperties = "Extended Properties";

// The label of an entry's first line, which carries the key.
std::string_view KeyLabel(BindingKind kind) {
  switch (kind) {
    case BindingKind::kIpPort: return "IP:port";
    case BindingKind::kHostnamePort: return "Hostname:port";
    case BindingKind::kCcs: return "Central Certificate Store";
    case BindingKind::kScopedCcs: return "Scoped CCS:port";
  }
  return "IP:port";
}

}  // namespace

std::string NetshShowHeader() {
  return "\n" + std::string(kTitle) + "\n" + std::string(kTitle.size(), '-') +
         "\n\n";
}

namespace {

// NetshShowField, appended to *out: a listing of a million bindings writes
// twenty million of them.
void AppendShowField(std::string_view label, std::string_view value,
                     std::string* out) {
  // One resize and four copies: appending piece by piece checked the
  // capacity six times a field.
  const size_t pad =
      label.size() < kLabelColumn ? kLabelColumn - label.size() : 1;
  const size_t start = out->size();
  out->resize(start + 4 + label.size() + pad + 2 + value.size() + 1, ' ');
  char* p = out->data() + start + 4;
  std::memcpy(p, label.data(), label.size());
  p += label.size() + pad;
  *p++ = ':';
  *p++ = ' ';
  std::memcpy(p, value.data(), value.size());
  p[value.size()] = '\n';
}

}  // namespace

std::string NetshShowField(std::string_view label, std::string_view value) {
  std::string line;
  AppendShowField(label, value, &line);
  return line;
}

std::string NetshShowEntry(const Binding& binding) {
  std::string entry;
  entry.reserve(1024);
  AppendNetshShowEntry(binding, &entry);
  return entry;
}

void AppendNetshShowEntry(const Binding& binding, std::string* out) {
  AppendShowField(KeyLabel(binding.key.kind()), binding.key.ToString(), out);
  for (const ParamInfo& info : AllParams()) {
    AppendShowField(info.label, ShowParam(binding, info.id), out);
  }
  *out += '\n';
}

std::string FormatNetshText(const std::vector<Binding>& bindings) {
  std::string text = NetshShowHeader();
  for (const Binding& b : bindings) AppendNetshShowEntry(b, &text);
  return text;
}

namespace internal {
namespace {

// What a label names: a kind's key line, a parameter, or the start of an
// Extended Properties block.
struct Label {
  std::string_view text;
  std::optional<BindingKind> kind;
  const ParamInfo* param = nullptr;  // when not a key and not a block
};

std::vector<Label> AllLabels() {
  std::vector<Label> labels;
  for (BindingKind kind : kAllBindingKinds)
    labels.push_back({KeyLabel(kind), kind});
  for (const ParamInfo& info : AllParams()) {
    labels.push_back({info.label, std::nullopt, &info});
  }
  labels.push_back({kExtendedProperties, std::nullopt, nullptr});
  // Longest first, so that a label that begins another cannot shadow it.
  std::sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) {
    return a.text.size() > b.text.size();
  });
  return labels;
}

// Matches "Label   : value" against the known labels, case-insensitively.
const Label* MatchLabel(const std::vector<Label>& labels, std::string_view line,
                        std::string_view* value) {
  for (const Label& label : labels) {
    if (line.size() < label.text.size() ||
        !NamesEqual(line.substr(0, label.text.size()), label.text)) {
      continue;
    }
    std::string_view rest = TrimBlanks(line.substr(label.text.size()));
    if (rest.empty() || rest.front() != ':') continue;
    *value = TrimBlanks(rest.substr(1));
    return &label;
  }
  return nullptr;
}

// Parses the value of a parameter field as `show` prints it.
Result<ParamValue> ParseShownValue(const ParamInfo& info,
                                   std::string_view text) {
  // The words compared with are short: a long value is folded no further.
  std::string folded = FoldCase(text.substr(0, 16));
  auto refuse = [&](std::string_view expected) -> Result<ParamValue> {
    return Status::InvalidArgument(std::string(info.label) + ": " +
                                   QuoteForMessage(text) + " is not " +
                                   std::string(expected));
  };
  switch (info.type) {
    case ParamType::kHex:
    case ParamType::kString:
      if (folded == "(null)") return ParamValue();
      break;
    case ParamType::kGuid: break;
    case ParamType::kOption:
      if (folded == "enabled") return ParamValue(true);
      if (folded == "disabled") return ParamValue(false);
      return refuse("Enabled or Disabled");
    case ParamType::kFlag:
      if (folded == "set") return ParamValue(true);
      if (folded == "not set") return ParamValue(false);
      return refuse("Set or Not Set");
    case ParamType::kNumber: break;
  }
  Result<ParamValue> value = ParseParamText(info.id, text);
  if (!value.ok()) return value.status().WithContext(info.label);
  return value;
}

}  // namespace

std::optional<std::string_view> ConsolePromptCommand(std::string_view line) {
  std::string_view rest = line;
  if (rest.starts_with("PS ")) rest.remove_prefix(3);
  const bool drive = rest.size() >= 3 &&
                     ((rest[0] >= 'A' && rest[0] <= 'Z') ||
                      (rest[0] >= 'a' && rest[0] <= 'z')) &&
                     rest[1] == ':' && rest[2] == '\\';
  if (!drive) return std::nullopt;
  const size_t gt = rest.find('>');
  if (gt == std::string_view::npos) return std::nullopt;
  // A Windows path holds none of these.
  if (rest.substr(3, gt - 3).find_first_of(":*?\"<|") !=
      std::string_view::npos) {
    return std::nullopt;
  }
  return TrimBlanks(rest.substr(gt + 1));
}

namespace {

class NetshReader {
 public:
  NetshReader(std::string_view file_name, const BindingVisitor& visit,
              std::vector<std::string>* notes)
      : file_(file_name), visit_(visit), notes_(*notes) {}

  Status Read(TextLines& lines) {
    while (true) {
      Result<std::optional<std::string_view>> line = lines.Next();
      if (!line.ok()) return line.status();
      if (!*line) break;
      Status s = Line(lines.line_number(), TrimBlanks(**line));
      if (!s.ok()) return s;
    }
    Status s = FinishEntry();
    if (!s.ok()) return s;
    if (!seen_title_ && count_ == 0) {
      return Status::InvalidArgument(file_ +
                                     ": no `netsh http show sslcert` "
                                     "output in the file");
    }
    return Status::Ok();
  }

 private:
  struct Entry {
    size_t line = 0;
    BindingKey key;
    std::map<Param, size_t> fields;  // the line of each field seen
    BindingPatch patch;
    size_t extended_blocks = 0;
  };

  Status Error(size_t line, const std::string& what) const {
    return Status::InvalidArgument(file_ + ":" + std::to_string(line) + ": " +
                                   what);
  }

  Status Line(size_t n, std::string_view line) {
    // A comment, such as the revision line of an export.
    if (line.empty() || line.front() == '#') return Status::Ok();
    if (std::optional<std::string_view> command = ConsolePromptCommand(line)) {
      return PromptLine(n, *command);
    }
    if (NamesEqual(line, kTitle)) {
      seen_title_ = true;
      return Status::Ok();
    }
    if (line.find_first_not_of('-') == std::string_view::npos) {
      return Status::Ok();
    }
    std::string_view value;
    const Label* label = MatchLabel(labels_, line, &value);
    if (!label) {
      // netsh pads every label, so a field has a blank before its colon.
      size_t colon = line.find(" :");
      if (colon == std::string_view::npos) colon = line.find("\t:");
      if (colon != std::string_view::npos && in_extended_) {
        return Status::Ok();  // a field of an Extended Properties block
      }
      if (colon == std::string_view::npos) {
        return Error(n, "not a line of `netsh http show sslcert` output: " +
                            QuoteForMessage(line));
      }
      return Error(n, "unknown field " +
                          QuoteForMessage(TrimBlanks(line.substr(0, colon))));
    }
    if (label->kind) return StartEntry(n, *label->kind, value);
    if (!entry_) {
      return Error(n, "'" + std::string(label->text) +
                          "' comes before the first binding (an IP:port, "
                          "Hostname:port, Central Certificate Store or "
                          "Scoped CCS:port line)");
    }
    if (!label->param) {  // Extended Properties:
      in_extended_ = true;
      ++entry_->extended_blocks;
      return Status::Ok();
    }
    if (in_extended_) return Status::Ok();
    const ParamInfo& info = *label->param;
    auto [it, inserted] = entry_->fields.emplace(info.id, n);
    if (!inserted) {
      return Error(n, "'" + std::string(info.label) +
                          "' is given twice in one entry (also on line " +
                          std::to_string(it->second) + ")");
    }
    Result<ParamValue> parsed = ParseShownValue(info, value);
    if (!parsed.ok()) return Error(n, parsed.status().message());
    entry_->patch.Set(info.id, std::move(*parsed));
    return Status::Ok();
  }

  // A prompt line of a console transcript: the prompt of `netsh http show
  // sslcert` before the output, or the bare prompt after it, skipped with a
  // note; the prompt of another command is refused (its output would be
  // read as netsh's).
  Status PromptLine(size_t n, std::string_view command) {
    Status s = FinishEntry();  // a prompt ends the output before it
    if (!s.ok()) return s;
    const std::string folded = FoldCase(command.substr(0, 64));
    const bool show = folded.starts_with("netsh") &&
                      folded.find("show") != std::string::npos &&
                      folded.find("sslcert") != std::string::npos;
    if (!command.empty() && !show) {
      return Error(n,
                   "a console prompt with another command than `netsh "
                   "http show sslcert`: " +
                       QuoteForMessage(command));
    }
    notes_.push_back(
        file_ + ":" + std::to_string(n) + ": skipped a console prompt line (" +
        (command.empty() ? std::string("a bare prompt")
                         : "the prompt of " + QuoteForMessage(command)) +
        ")");
    return Status::Ok();
  }

  Status StartEntry(size_t n, BindingKind kind, std::string_view value) {
    Status s = FinishEntry();
    if (!s.ok()) return s;
    Result<BindingKey> key = BindingKey::Parse(kind, value);
    if (!key.ok()) {
      return Error(n,
                   std::string(KeyLabel(kind)) + ": " + key.status().message());
    }
    entry_ = Entry{n, std::move(*key), {}, {}, 0};
    in_extended_ = false;
    return Status::Ok();
  }

  Status FinishEntry() {
    if (!entry_) return Status::Ok();
    Entry entry = std::move(*entry_);
    entry_.reset();
    const std::string name = entry.key.ToParam();
    BindingKind kind = entry.key.kind();
    bool needs_hash =
        kind == BindingKind::kIpPort || kind == BindingKind::kHostnamePort;
    for (Param p : {Param::kAppId, Param::kCertHash}) {
      if (p == Param::kCertHash && !needs_hash) continue;
      if (!entry.fields.count(p)) {
        return Error(entry.line, "the entry of " + name + " has no '" +
                                     std::string(GetParamInfo(p).label) +
                                     "' line");
      }
    }
    Result<Binding> binding = MakeBinding(entry.key, entry.patch);
    if (!binding.ok()) return Error(entry.line, binding.status().message());
    std::string where = file_ + ":" + std::to_string(entry.line);
    if (entry.extended_blocks > 0) {
      notes_.push_back(where + ": skipped " +
                       std::to_string(entry.extended_blocks) +
                       " Extended Properties block" +
                       (entry.extended_blocks > 1 ? "s" : "") + " of " + name +
                       " (HTTP.sys settings that sslbind does not keep)");
    }
    ++count_;
    return visit_({std::move(*binding), std::move(where)});
  }

  std::string file_;
  const BindingVisitor& visit_;
  std::vector<std::string>& notes_;
  std::vector<Label> labels_ = AllLabels();
  std::optional<Entry> entry_;
  bool in_extended_ = false;
  bool seen_title_ = false;
  size_t count_ = 0;  // bindings visited
};

}  // namespace

Status ReadNetshBindings(TextLines& lines, std::string_view file_name,
                         const BindingVisitor& visit,
                         std::vector<std::string>* notes) {
  return NetshReader(file_name, visit, notes).Read(lines);
}

}  // namespace internal
}  // namespace sslbind

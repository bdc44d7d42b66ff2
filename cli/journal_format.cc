#include "journal_format.h"

#include <charconv>
#include <ctime>

#include "cert_format.h"
#include "plan_format.h"
#include "sslbind/text.h"

namespace sslbind::cli {

std::string FormatUtcMillis(int64_t ms) {
  time_t seconds = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

std::optional<int64_t> ParseUtcTime(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  std::string t(text);
  int n = 0;
  if (std::sscanf(t.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3) {
    return std::nullopt;
  }
  if (static_cast<size_t>(n) != t.size()) {
    int m = 0;
    if (std::sscanf(t.c_str() + n, "T%2d:%2d:%2d%n", &h, &mi, &s, &m) != 3) {
      return std::nullopt;
    }
    n += m;
    if (t[static_cast<size_t>(n)] == '.') {
      int k = 0;
      if (std::sscanf(t.c_str() + n, ".%3d%n", &ms, &k) != 1 || k != 4) {
        return std::nullopt;
      }
      n += k;
    }
    if (t.substr(static_cast<size_t>(n)) != "Z") return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  struct tm tm {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  return static_cast<int64_t>(timegm(&tm)) * 1000 + ms;
}

std::string CcsText(const CcsConfig& ccs) {
  if (!ccs.enabled) return "ccs disable";
  std::string text = "ccs enable path=" + ccs.location;
  if (ccs.has_password) text += " password=***";
  return text;
}

namespace {

const char* OpName(JournalChange::Op op) {
  switch (op) {
    case JournalChange::Op::kAdd: return "add";
    case JournalChange::Op::kUpdate: return "update";
    case JournalChange::Op::kDelete: return "delete";
  }
  return "update";
}

std::string ChangeText(const JournalChange& c) {
  switch (c.subject) {
    case JournalChange::Subject::kBinding: {
      const Binding& b = c.after ? *c.after : *c.before;
      std::string text = std::string(OpName(c.op)) + " " + b.key.ToParam();
      if (c.before && c.after) {
        std::string params = ChangedParamsText(*c.before, *c.after);
        if (!params.empty()) text += ": " + params;
      }
      return text;
    }
    case JournalChange::Subject::kCertificate:
      return std::string(c.op == JournalChange::Op::kDelete ? "cert delete "
                                                            : "cert import ") +
             c.cert_store + " " + c.thumbprint +
             (c.cert_subject.empty()
                  ? ""
                  : " (" + EscapeForTerminal(c.cert_subject) + ")");
    case JournalChange::Subject::kCcs:
      return c.ccs_after ? CcsText(*c.ccs_after) : "ccs settings removed";
    case JournalChange::Subject::kOther: break;
  }
  return std::string(OpName(c.op)) + " registry key " + c.path;
}

Json OptionalBinding(const std::optional<Binding>& b) {
  return b ? BindingToJson(*b) : Json(nullptr);
}

Json OptionalCcs(const std::optional<CcsConfig>& c) {
  return c ? CcsToJson(*c) : Json(nullptr);
}

Json ChangeJson(const JournalChange& c) {
  Json j = {{"op", OpName(c.op)}};
  switch (c.subject) {
    case JournalChange::Subject::kBinding:
      j["key"] = KeyToJson((c.after ? *c.after : *c.before).key);
      j["before"] = OptionalBinding(c.before);
      j["after"] = OptionalBinding(c.after);
      break;
    case JournalChange::Subject::kCertificate:
      j["certificate"] = {{"store", c.cert_store},
                          {"thumbprint", c.thumbprint},
                          {"subject", c.cert_subject}};
      break;
    case JournalChange::Subject::kCcs:
      j["ccs"] = {{"before", OptionalCcs(c.ccs_before)},
                  {"after", OptionalCcs(c.ccs_after)}};
      break;
    case JournalChange::Subject::kOther: j["path"] = c.path; break;
  }
  return j;
}

}  // namespace

std::string RevisionText(const RevisionRecord& r) {
  std::string out =
      "revision " + std::to_string(r.revision) + "  " +
      FormatUtcMillis(r.time_ms) + "  " + EscapeForTerminal(r.user) + "@" +
      EscapeForTerminal(r.host) + "  " + EscapeForTerminal(r.command);
  if (!r.reason.empty()) out += "  reason: " + EscapeForTerminal(r.reason);
  out += '\n';
  for (const JournalChange& c : r.changes) out += "    " + ChangeText(c) + '\n';
  return out;
}

Json RevisionJson(const RevisionRecord& r) {
  Json changes = Json::array();
  for (const JournalChange& c : r.changes) changes.push_back(ChangeJson(c));
  return Json{{"revision", r.revision},
              {"time", FormatUtcMillis(r.time_ms)},
              {"user", r.user},
              {"uid", r.uid},
              {"host", r.host},
              {"pid", r.pid},
              {"command", r.command},
              {"reason", r.reason.empty() ? Json(nullptr) : Json(r.reason)},
              {"changes", std::move(changes)}};
}

Result<uint64_t> ParseRevision(std::string_view option, std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::InvalidArgument(std::string(option) + ": '" +
                                   std::string(text.substr(0, 40)) +
                                   "' is not a revision number");
  }
  return value;
}

}  // namespace sslbind::cli

// sslbind check [--expiring DAYS] [--no-certificates] [--all]: the diagnostics of
// sslbind/diagnostics.h over the store and the certificate findings of
// sslbind/certificates.h, one line per finding; exit status 10 when there
// are findings.
#include <algorithm>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "command_error.h"
#include "exit_codes.h"
#include "findings_summary.h"
#include "netsh_args.h"
#include "show_format.h"
#include "sslbind/certificates.h"
#include "sslbind/diagnostics.h"
#include "sslbind/exchange.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

std::string CheckUsage() {
  return "Usage: check [--expiring DAYS] [--no-certificates] [--all]\n"
         "\nRemarks: Looks for the faults behind \"the wrong certificate is "
         "served\" and\n"
         "         \"HTTPS fails for some clients\", and prints one line per "
         "finding:\n"
         "         its severity, its code, what is wrong and the bindings "
         "involved.\n"
         "\n"
         "    no-default            SNI or CCS bindings on a port without a "
         "0.0.0.0\n"
         "                          default binding (IIS: \"No default SSL "
         "site has\n"
         "                          been created\")\n"
         "    shadowed              an ipport binding for a specific address "
         "that\n"
         "                          hides the SNI and CCS bindings of its "
         "port\n"
         "    unreachable-name      a name binding no client can reach (a "
         "name that\n"
         "                          ends in a number reads as an address)\n"
         "    redundant-exact       a name binding the same as the wildcard "
         "that\n"
         "                          covers it\n"
         "    ipv4-ipv6-differ      [::]:P and 0.0.0.0:P with different "
         "certificates\n"
         "    conflicting-settings  bindings of one port that disagree on "
         "reject,\n"
         "                          disabletls12, disabletls13 or "
         "disablelegacytls\n"
         "\n"
         "         and, for ipport and hostnameport bindings, their "
         "certificates:\n"
         "\n"
         "    certificate-missing   not in the binding's certificate store "
         "(1312)\n"
         "    no-private-key        in the store without a usable private "
         "key (1312)\n"
         "    certificate-expired   past its Not After date\n"
         "    certificate-not-yet-valid\n"
         "                          before its Not Before date\n"
         "    certificate-expiring  expires within --expiring DAYS\n"
         "    name-not-covered      an SNI name the certificate does not "
         "cover\n"
         "\n"
         "         --no-certificates leaves the certificates out, for "
         "bindings\n"
         "         prepared for another machine. A user who may not read the\n"
         "         key folder gets no findings about private keys.\n"
         "\n"
         "         A finding lists its first 20 bindings and counts the "
         "others; --all\n"
         "         lists them all. More than 20 findings of one code on one "
         "port\n"
         "         are one finding that counts them.\n"
         "\n"
         "         Exit status 0 when there is nothing to report, 10 when "
         "there are\n"
         "         findings. With --json: {\"findings\": [...], "
         "\"checked\": N}.\n"
         "\nExamples:\n\n"
         "    check\n"
         "    check --expiring 30\n"
         "    check --json\n";
}

// One line of the report: a finding about the binding set, or about
// certificates.
struct ReportLine {
  Severity severity;
  std::string code;
  uint16_t port;
  std::string message;
  std::vector<BindingKey> bindings;
  size_t more = 0;
};

ReportLine FromFinding(const Finding& f) {
  return {f.severity, std::string(FindingCode(f.kind)),
          f.port,     f.message,
          f.bindings, f.more};
}

Severity CertificateSeverity(CertificateProblem problem) {
  switch (problem) {
    case CertificateProblem::kExpiresSoon:
    case CertificateProblem::kNameNotCovered: return Severity::kWarning;
    default: return Severity::kError;  // the binding cannot serve now
  }
}

// What a problem says about many certificates at once.
std::string_view ManyCertificates(CertificateProblem problem) {
  switch (problem) {
    case CertificateProblem::kMissing:
      return "are not in their certificate stores";
    case CertificateProblem::kNoPrivateKey:
      return "have no usable private key";
    case CertificateProblem::kExpired: return "have expired";
    case CertificateProblem::kNotYetValid: return "are not valid yet";
    case CertificateProblem::kExpiresSoon: return "expire soon";
    case CertificateProblem::kNameNotCovered:
      return "do not cover the bindings' names";
  }
  return "have a problem";
}

// The certificate findings as report lines: one line per problem, message
// (hence certificate) and port, listing the bindings (at most max_listed,
// the first in `show` order); but once a port has more than max_lines
// lines of one problem, they become one line that counts the bindings.
// Findings may come in any order and in several calls; Lines() gives the
// lines ordered by their first binding, as they come from bindings in
// `show` order. Memory: bounded by the lines, not by the bindings.
class CertificateReport {
 public:
  CertificateReport(size_t max_listed, size_t max_lines)
      : max_listed_(max_listed), max_lines_(max_lines) {}

  void Add(const std::vector<CertificateFinding>& findings) {
    for (const CertificateFinding& f : findings) Add(f);
  }

  std::vector<ReportLine> Lines() {
    std::vector<ReportLine*> lines;
    for (auto& [key, line] : lines_) {
      auto summary = summaries_.find({std::get<0>(key), std::get<2>(key)});
      if (summary == summaries_.end()) lines.push_back(&line);
    }
    for (auto& [key, line] : summaries_) {
      Trim(line);
      line.message = std::to_string(line.bindings.size() + line.more) +
                     " bindings on port " + std::to_string(line.port) +
                     " name certificates that " +
                     std::string(ManyCertificates(key.first));
      lines.push_back(&line);
    }
    for (ReportLine* line : lines) Trim(*line);
    std::sort(lines.begin(), lines.end(),
              [](const ReportLine* a, const ReportLine* b) {
                return std::tie(a->bindings.front(), a->code, a->message) <
                       std::tie(b->bindings.front(), b->code, b->message);
              });
    std::vector<ReportLine> out;
    for (ReportLine* line : lines) out.push_back(std::move(*line));
    return out;
  }

 private:
  using LineKey = std::tuple<CertificateProblem, std::string, uint16_t>;
  using PortKey = std::pair<CertificateProblem, uint16_t>;

  void Add(const CertificateFinding& f) {
    const uint16_t port = f.binding.port();
    const PortKey port_key{f.problem, port};
    auto summary = summaries_.find(port_key);
    if (summary != summaries_.end()) {
      Count(summary->second, f.binding);
      return;
    }
    auto [it, fresh] = lines_.try_emplace({f.problem, f.message, port});
    ReportLine& line = it->second;
    if (fresh) {
      line = {CertificateSeverity(f.problem),
              std::string(CertificateProblemName(f.problem)),
              port,
              f.message,
              {},
              0};
      if (++line_count_[port_key] > max_lines_) {
        Summarize(port_key);
        Count(summaries_.at(port_key), f.binding);
        return;
      }
    }
    Count(line, f.binding);
  }

  // Turns the port's lines of one problem into one line.
  void Summarize(const PortKey& port_key) {
    auto [problem, port] = port_key;
    ReportLine sum{CertificateSeverity(problem),
                   std::string(CertificateProblemName(problem)),
                   port,
                   {},
                   {},
                   0};
    for (auto it = lines_.begin(); it != lines_.end();) {
      if (std::get<0>(it->first) != problem ||
          std::get<2>(it->first) != port) {
        ++it;
        continue;
      }
      sum.more += it->second.more;
      for (BindingKey& key : it->second.bindings) Count(sum, std::move(key));
      it = lines_.erase(it);
    }
    summaries_.emplace(port_key, std::move(sum));
  }

  // Adds a binding to a line: its `bindings` keep the first max_listed in
  // `show` order (and may hold up to twice that until Trim), `more` counts
  // the others.
  void Count(ReportLine& line, BindingKey key) {
    line.bindings.push_back(std::move(key));
    if (line.bindings.size() / 2 >= max_listed_) Trim(line);
  }

  void Trim(ReportLine& line) const {
    std::sort(line.bindings.begin(), line.bindings.end());
    if (line.bindings.size() > max_listed_) {
      line.more += line.bindings.size() - max_listed_;
      line.bindings.erase(line.bindings.begin() + max_listed_, line.bindings.end());
    }
  }

  size_t max_listed_;
  size_t max_lines_;
  std::map<LineKey, ReportLine> lines_;
  std::map<PortKey, size_t> line_count_;
  std::map<PortKey, ReportLine> summaries_;
};

std::string FindingLine(const ReportLine& f) {
  std::string line = std::string(SeverityName(f.severity)) + ": " + f.code +
                     ": " + f.message + " [";
  for (size_t i = 0; i < f.bindings.size(); ++i) {
    line += (i ? ", " : "") + f.bindings[i].ToParam();
  }
  if (f.more) line += " and " + std::to_string(f.more) + " more";
  return line + "]\n";
}

std::string Summary(const std::vector<ReportLine>& findings, size_t checked) {
  std::vector<Severity> severities;
  for (const ReportLine& f : findings) severities.push_back(f.severity);
  return FindingsSummary(
      severities,
      std::to_string(checked) + (checked == 1 ? " binding" : " bindings"));
}

// One finding as a JSON object, written as text: with --all a finding may
// list a million keys, which as a JSON tree would take a GB.
std::string FindingJson(const ReportLine& f) {
  std::string head = JsonText(Json{{"severity", SeverityName(f.severity)},
                                   {"code", f.code},
                                   {"port", f.port},
                                   {"message", f.message}});
  head.pop_back();  // the closing brace
  head += ",\"bindings\":[";
  for (size_t i = 0; i < f.bindings.size(); ++i) {
    if (i) head += ',';
    head += FormatKeyJson(f.bindings[i]);
  }
  return head + "],\"more\":" + std::to_string(f.more) + "}";
}

struct CheckArgs {
  std::vector<std::string> tokens;
  int expiring_days = -1;
  bool no_certificates = false;
  bool all = false;
};

int RunCheck(Context& ctx, const CheckArgs& args) {
  const std::vector<std::string>& tokens = args.tokens;
  if (IsHelpRequest(tokens)) {
    *ctx.out << CheckUsage();
    return kExitOk;
  }
  if (!tokens.empty()) {
    throw CommandError::Syntax("check takes no parameters", CheckUsage());
  }
  CheckOptions options;
  if (args.all) options.max_listed = SIZE_MAX;
  BindingChecker checker(options);
  CertificateReport certificates(options.max_listed, options.max_findings);
  if (std::optional<Store> store = ctx.OpenForReading()) {
    // One walk of the store: each binding goes to the checker (which keeps
    // its key and fingerprints) and, for the certificate checks, to a small
    // batch (each certificate is read once per batch).
    CertificateCheckOptions cert_options;
    cert_options.now = static_cast<int64_t>(std::time(nullptr));
    cert_options.expiring_days = args.expiring_days;
    constexpr size_t kCertificateBatch = 4096;
    std::vector<Binding> batch;
    auto check_batch = [&]() -> Status {
      Result<std::vector<CertificateFinding>> found =
          CheckCertificates(*store, batch, cert_options);
      if (!found.ok()) return found.status();
      certificates.Add(*found);
      batch.clear();
      return Status::Ok();
    };
    Status s = store->ForEach([&](const Binding& b) {
      checker.Add(b);
      if (args.no_certificates) return Status::Ok();
      batch.push_back(b);
      return batch.size() == kCertificateBatch ? check_batch() : Status::Ok();
    });
    if (s.ok() && !batch.empty()) s = check_batch();
    if (!s.ok()) throw CommandError::Failed(s);
  }
  const size_t checked = checker.count();
  std::vector<ReportLine> findings;
  for (const Finding& f : checker.Finish()) findings.push_back(FromFinding(f));
  for (ReportLine& line : certificates.Lines()) {
    findings.push_back(std::move(line));
  }

  if (ctx.json) {
    *ctx.out << "{\"findings\":[";
    for (size_t i = 0; i < findings.size(); ++i) {
      *ctx.out << (i ? "," : "") << FindingJson(findings[i]);
    }
    *ctx.out << "],\"checked\":" << checked << "}\n";
  } else {
    std::string text;
    for (const ReportLine& f : findings) text += FindingLine(f);
    text += Summary(findings, checked);
    *ctx.out << text;
  }
  return findings.empty() ? kExitOk : kExitFindings;
}

}  // namespace

void SetupCheck(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd = app.add_subcommand(
      "check", "Look for bindings that serve some clients wrongly.");
  cmd->ignore_case()->fallthrough();
  cmd->formatter_fn([](const CLI::App*, std::string, CLI::AppFormatMode) {
    return CheckUsage();
  });
  auto args = std::make_shared<CheckArgs>();
  cmd->add_option("ARGS", args->tokens, "none");
  cmd->add_option("--expiring", args->expiring_days,
                  "Report certificates that expire within DAYS days")
      ->check(CLI::Range(0, 36500));
  cmd->add_flag("--no-certificates", args->no_certificates,
                "Leave the certificates out");
  cmd->add_flag("--all", args->all,
                "List every binding of each finding, not the first 20");
  cmd->callback([&ctx, &action, args] {
    action = [&ctx, args] {
      ctx.verb = "check";
      return RunCheck(ctx, *args);
    };
  });
}

}  // namespace sslbind::cli

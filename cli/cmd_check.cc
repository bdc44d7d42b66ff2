// sslbind check [--expiring DAYS] [--no-certificates]: the diagnostics of
// sslbind/diagnostics.h over the store and the certificate findings of
// sslbind/certificates.h, one line per finding; exit status 10 when there
// are findings.
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
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

std::string CheckUsage() {
  return "Usage: check [--expiring DAYS] [--no-certificates]\n"
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

// Certificate findings, one line per problem, message and port, listing the
// bindings (as a binding-set finding does, at most `max_listed`).
std::vector<ReportLine> CertificateLines(
    const std::vector<CertificateFinding>& findings, size_t max_listed) {
  std::vector<ReportLine> lines;
  std::map<std::tuple<CertificateProblem, std::string, uint16_t>, size_t> index;
  for (const CertificateFinding& f : findings) {
    auto key = std::make_tuple(f.problem, f.message, f.binding.port());
    auto [it, fresh] = index.try_emplace(key, lines.size());
    if (fresh) {
      lines.push_back({CertificateSeverity(f.problem),
                       std::string(CertificateProblemName(f.problem)),
                       f.binding.port(),
                       f.message,
                       {},
                       0});
    }
    ReportLine& line = lines[it->second];
    if (line.bindings.size() < max_listed) {
      line.bindings.push_back(f.binding);
    } else {
      ++line.more;
    }
  }
  return lines;
}

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

Json FindingToJson(const ReportLine& f) {
  Json keys = Json::array();
  for (const BindingKey& key : f.bindings) keys.push_back(KeyToJson(key));
  return {{"severity", SeverityName(f.severity)},
          {"code", f.code},
          {"port", f.port},
          {"message", f.message},
          {"bindings", std::move(keys)},
          {"more", f.more}};
}

struct CheckArgs {
  std::vector<std::string> tokens;
  int expiring_days = -1;
  bool no_certificates = false;
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
  const CheckOptions options;
  std::vector<Binding> bindings;
  std::vector<ReportLine> findings;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    Result<std::vector<Binding>> all = store->List();
    if (!all.ok()) throw CommandError::Failed(all.status());
    bindings = std::move(*all);
    for (const Finding& f : CheckBindings(bindings, options)) {
      findings.push_back(FromFinding(f));
    }
    if (!args.no_certificates) {
      CertificateCheckOptions cert_options;
      cert_options.now = static_cast<int64_t>(std::time(nullptr));
      cert_options.expiring_days = args.expiring_days;
      Result<std::vector<CertificateFinding>> certs =
          CheckCertificates(*store, bindings, cert_options);
      if (!certs.ok()) throw CommandError::Failed(certs.status());
      for (ReportLine& line : CertificateLines(*certs, options.max_listed)) {
        findings.push_back(std::move(line));
      }
    }
  }

  if (ctx.json) {
    Json list = Json::array();
    for (const ReportLine& f : findings) list.push_back(FindingToJson(f));
    *ctx.out << JsonText(Json{{"findings", std::move(list)},
                              {"checked", bindings.size()}})
             << '\n';
  } else {
    std::string text;
    for (const ReportLine& f : findings) text += FindingLine(f);
    text += Summary(findings, bindings.size());
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
  cmd->callback([&ctx, &action, args] {
    action = [&ctx, args] {
      ctx.verb = "check";
      return RunCheck(ctx, *args);
    };
  });
}

}  // namespace sslbind::cli

// sslbind check: the diagnostics of sslbind/diagnostics.h over the store,
// one line per finding; exit status 10 when there are findings.
#include <memory>

#include "command_error.h"
#include "exit_codes.h"
#include "netsh_args.h"
#include "show_format.h"
#include "sslbind/diagnostics.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

std::string CheckUsage() {
  return "Usage: check\n"
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
         "         Exit status 0 when there is nothing to report, 10 when "
         "there are\n"
         "         findings. With --json: {\"findings\": [...], "
         "\"checked\": N}.\n"
         "\nExamples:\n\n"
         "    check\n"
         "    check --json\n";
}

std::string FindingLine(const Finding& f) {
  std::string line = std::string(SeverityName(f.severity)) + ": " +
                     std::string(FindingCode(f.kind)) + ": " + f.message + " [";
  for (size_t i = 0; i < f.bindings.size(); ++i) {
    line += (i ? ", " : "") + f.bindings[i].ToParam();
  }
  if (f.more) line += " and " + std::to_string(f.more) + " more";
  return line + "]\n";
}

std::string Summary(const std::vector<Finding>& findings, size_t checked) {
  const std::string bindings =
      std::to_string(checked) + (checked == 1 ? " binding" : " bindings");
  if (findings.empty()) return "No findings in " + bindings + ".\n";
  size_t counts[3] = {};
  for (const Finding& f : findings) ++counts[static_cast<size_t>(f.severity)];
  std::string text = std::to_string(findings.size()) +
                     (findings.size() == 1 ? " finding" : " findings") +
                     " in " + bindings + ":";
  const char* names[3][2] = {
      {"error", "errors"}, {"warning", "warnings"}, {"info", "info"}};
  bool first = true;
  for (size_t i = 0; i < 3; ++i) {
    if (!counts[i]) continue;
    text += (first ? " " : ", ") + std::to_string(counts[i]) + " " +
            names[i][counts[i] == 1 ? 0 : 1];
    first = false;
  }
  return text + ".\n";
}

Json FindingToJson(const Finding& f) {
  Json keys = Json::array();
  for (const BindingKey& key : f.bindings) keys.push_back(KeyToJson(key));
  return {{"severity", SeverityName(f.severity)},
          {"code", FindingCode(f.kind)},
          {"port", f.port},
          {"message", f.message},
          {"bindings", std::move(keys)},
          {"more", f.more}};
}

int RunCheck(Context& ctx, const std::vector<std::string>& tokens) {
  if (IsHelpRequest(tokens)) {
    *ctx.out << CheckUsage();
    return kExitOk;
  }
  if (!tokens.empty()) {
    throw CommandError::Syntax("check takes no parameters", CheckUsage());
  }
  std::vector<Binding> bindings;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    Result<std::vector<Binding>> all = store->List();
    if (!all.ok()) throw CommandError::Failed(all.status());
    bindings = std::move(*all);
  }
  std::vector<Finding> findings = CheckBindings(bindings);

  if (ctx.json) {
    Json list = Json::array();
    for (const Finding& f : findings) list.push_back(FindingToJson(f));
    *ctx.out << Json{{"findings", std::move(list)},
                     {"checked", bindings.size()}}
                    .dump()
             << '\n';
  } else {
    std::string text;
    for (const Finding& f : findings) text += FindingLine(f);
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
  auto tokens = std::make_shared<std::vector<std::string>>();
  cmd->add_option("ARGS", *tokens, "none");
  cmd->callback([&ctx, &action, tokens] {
    action = [&ctx, tokens] {
      ctx.verb = "check";
      return RunCheck(ctx, *tokens);
    };
  });
}

}  // namespace sslbind::cli

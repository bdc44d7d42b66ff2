// sslbind iis check FILE: an IIS configuration against the store -- the
// findings of CheckIisConfig (sslbind/iis.h), one line each; exit status 10
// when there are any (as `check`).
#include <memory>

#include "command_error.h"
#include "exit_codes.h"
#include "findings_summary.h"
#include "iis_commands.h"
#include "sslbind/ccs.h"

namespace sslbind::cli {
namespace {

struct IisCheckOptions {
  std::string file;
};

constexpr const char* kIisCheckFooter =
    "Findings, one line each (severity: code: message):\n"
    "  missing              an IIS binding without the HTTP.sys binding it "
    "needs\n"
    "  orphan               an HTTP.sys binding no IIS binding needs\n"
    "  flags                sslFlags options that disagree with the "
    "binding's\n"
    "  shared               one HTTP.sys binding several sites rely on\n"
    "  sni-without-host     the SNI flag on a binding without a host name\n"
    "  duplicate            the same IP:port:host bound twice\n"
    "  ccs-disabled         a CCS site while the CCS is not enabled\n"
    "  one-certificate      IIS 6: several SecureBindings, one certificate\n"
    "  certificate-differs  IIS 6: SSLCertHash or SSLStoreName differs from "
    "the binding's\n"
    "Exit status 0 when there is nothing to report, 10 when there are "
    "findings.";

std::string Summary(const std::vector<IisFinding>& findings, size_t iis,
                    size_t stored) {
  std::vector<Severity> severities;
  for (const IisFinding& f : findings) severities.push_back(f.severity);
  return FindingsSummary(
      severities, std::to_string(iis) +
                      (iis == 1 ? " IIS binding" : " IIS bindings") + " and " +
                      std::to_string(stored) +
                      (stored == 1 ? " store binding" : " store bindings"));
}

int RunIisCheck(Context& ctx, const IisCheckOptions& options) {
  const IisConfig config = ReadIisFile(options.file);
  std::vector<Binding> bindings;
  CcsConfig ccs;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    Result<std::vector<Binding>> all = store->List();
    if (!all.ok()) throw CommandError::Failed(all.status());
    bindings = std::move(*all);
    Result<CcsConfig> read = ReadCcsConfig(*store);
    if (!read.ok()) throw CommandError::Failed(read.status());
    ccs = std::move(*read);
  }
  const std::vector<IisFinding> findings =
      CheckIisConfig(config, bindings, ccs);
  if (ctx.json) {
    Json list = Json::array();
    for (const IisFinding& f : findings) {
      Json lines = Json::array();
      for (size_t i : f.iis_bindings) lines.push_back(config.bindings[i].line);
      list.push_back(
          {{"severity", SeverityName(f.severity)},
           {"code", IisFindingCode(f.kind)},
           {"message", f.message},
           {"lines", std::move(lines)},
           {"binding", f.binding ? KeyToJson(*f.binding) : Json(nullptr)}});
    }
    *ctx.out << JsonText(Json{{"format", IisFormatName(config.format)},
                     {"findings", std::move(list)},
                     {"iis_bindings", config.bindings.size()},
                     {"store_bindings", bindings.size()}})
             << '\n';
  } else {
    std::string text;
    for (const IisFinding& f : findings) {
      text += std::string(SeverityName(f.severity)) + ": " +
              std::string(IisFindingCode(f.kind)) + ": " + f.message + "\n";
    }
    text += Summary(findings, config.bindings.size(), bindings.size());
    *ctx.out << text;
  }
  return findings.empty() ? kExitOk : kExitFindings;
}

}  // namespace

void SetupIisCheck(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<IisCheckOptions>();
  CLI::App* cmd = IisGroup(app)->add_subcommand(
      "check",
      "Compare an IIS configuration file with the store: IIS bindings "
      "without their HTTP.sys binding, orphans, sslFlags that disagree, and "
      "more.");
  cmd->fallthrough();
  cmd->footer(kIisCheckFooter);
  AddIisFileArgument(*cmd, options->file);
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] {
      ctx.verb = "check";
      return RunIisCheck(ctx, *options);
    };
  });
}

}  // namespace sslbind::cli

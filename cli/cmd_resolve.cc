// sslbind resolve ip=ADDR port=N [sni=NAME] [--explain]: which binding
// HTTP.sys would use for a connection, in the `show sslcert` layout, with
// the steps of docs/reference.md, "Resolution order" on request; --json prints
// {"match": B, "steps": [...]}.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command_error.h"
#include "exit_codes.h"
#include "name_value_args.h"
#include "netsh_args.h"
#include "show_format.h"
#include "sslbind/ccs.h"
#include "sslbind/registry.h"
#include "sslbind/snapshot.h"
#include "sslcert_command.h"

namespace sslbind::cli {
namespace {

struct ResolveArgs {
  std::vector<std::string> tokens;
  bool explain = false;
};

struct Connection {
  IpAddress local;
  uint16_t port = 0;
  std::string sni;  // as the resolver gets it; empty: none
};

std::string ResolveUsage() {
  return "Usage: resolve ip=<IP address> port=<port> [sni=<host name>] "
         "[--explain]\n"
         "\nParameters:\n\n"
         "    Tag             Value\n"
         "    ip            - The local IP address the client connected to:\n"
         "                    IPv4, or IPv6 with or without brackets. An\n"
         "                    IPv4-mapped IPv6 address counts as IPv4.\n"
         "    port          - The local port.\n"
         "    sni           - The host name the client sent (SNI). Leave it\n"
         "                    out for a client that sends none. A Unicode\n"
         "                    name is converted to its A-label (xn--...).\n"
         "    --explain     - Also show each step tried and why it matched\n"
         "                    or not.\n"
         "\nRemarks: Shows the binding HTTP.sys would use for the connection,\n"
         "         in the layout of `show sslcert`. Exit status 3 when no\n"
         "         binding serves it. With --json: {\"match\": binding or "
         "null,\n"
         "         \"steps\": [...]}, and \"ccs_file\" for a CCS file found.\n"
         "         With the Central Certificate Store enabled (`sslbind ccs\n"
         "         enable`), CCS bindings serve only names whose file is in "
         "its\n"
         "         folder; the others go on to the default bindings.\n"
         "\nExamples:\n\n"
         "    resolve ip=10.0.0.1 port=443 sni=www.contoso.com\n"
         "    resolve ip=[fe80::1] port=8443 --explain\n";
}

Connection ParseConnection(const std::vector<std::string>& tokens) {
  const std::string usage = ResolveUsage();
  std::optional<IpAddress> local;
  std::optional<uint16_t> port;
  Connection c;
  ParseNameValues(tokens, {.names = {"ip", "port", "sni"}}, usage,
                  [&](const NameValue& p) {
    const std::string& value = p.value;
    if (p.name == "ip") {
      std::string_view text = value;
      if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
      }
      Result<IpAddress> address = IpAddress::Parse(text);
      if (!address.ok()) {
        throw CommandError::Failed(address.status().WithContext("ip"));
      }
      local = *address;
    } else if (p.name == "port") {
      Result<uint16_t> port_number = ParsePort(value);
      if (!port_number.ok()) throw CommandError::Failed(port_number.status());
      port = *port_number;
    } else {  // sni
      c.sni = value;
      bool ascii = std::all_of(value.begin(), value.end(), [](char ch) {
        return static_cast<unsigned char>(ch) < 0x80;
      });
      // ClientHello names are A-labels; an operator may type Unicode. A
      // name that does not convert is resolved as given: the steps then
      // say why it matches no name.
      if (!ascii) {
        Result<std::string> a_label = CanonicalHostname(value, false);
        if (a_label.ok()) c.sni = *a_label;
      }
    }
  });
  std::string missing;
  if (!local) missing = "ip";
  if (!port) missing += missing.empty() ? "port" : ", port";
  if (!missing.empty()) {
    throw CommandError::Missing("missing: " + missing, usage);
  }
  c.local = *local;
  c.port = *port;
  return c;
}

std::string Describe(const Trace& trace, const Connection& c) {
  std::string sni = trace.sni.empty() ? c.sni : trace.sni;
  return "local address " + trace.local_address + ", port " +
         std::to_string(c.port) +
         (sni.empty() ? ", no SNI name" : ", SNI name " + sni);
}

std::string ExplainText(const Trace& trace, const Connection& c) {
  std::string text = "\nResolving " + Describe(trace, c) + ":\n";
  for (const TraceStep& step : trace.steps) {
    std::string line = "    ";
    line += ResolveStepName(step.step);
    line.resize(4 + 15, ' ');
    line += StepOutcomeName(step.outcome);
    line.resize(4 + 15 + 12, ' ');
    if (!step.key.empty()) line += step.key + ": ";
    line += step.reason;
    if (!step.ccs_files.empty()) {
      line += " (";
      for (size_t i = 0; i < step.ccs_files.size(); ++i) {
        line += (i ? ", " : "") + step.ccs_files[i];
      }
      line += ")";
    }
    text += line + '\n';
  }
  return text;
}

// The CCS file a CCS answer serves: its path when the folder was looked in,
// else the candidates ("a.pfx, else _.b.pfx"). Empty for other answers.
std::string CcsFileText(const Resolution& r, const CcsFolderListing* folder) {
  if (r.ccs_file_count() == 0) return "";
  if (folder && r.ccs_file_found()) {
    return folder->folder() + "/" + r.CcsFileName(*r.ccs_file_found());
  }
  std::string files;
  for (size_t i = 0; i < r.ccs_file_count(); ++i) {
    files += (i ? ", else " : "") + r.CcsFileName(i);
  }
  return files;
}

// The entry of the chosen binding; a CCS answer also names its file.
std::string MatchEntry(const Resolution& r, const CcsFolderListing* folder) {
  std::string entry = ShowEntry(r.binding().ToBinding());
  if (r.ccs_file_count() == 0) return entry;
  entry.pop_back();  // the entry's empty line goes after the new field
  return entry + ShowField("CCS Certificate File", CcsFileText(r, folder)) +
         '\n';
}

// The store's CCS folder, listed; null (with a warning) when it is
// configured but cannot be listed here, so that the files are reported
// without being looked for.
std::shared_ptr<const CcsFolderListing> CcsFolderOf(const Context& ctx,
                                                    const Store& store) {
  Result<std::shared_ptr<const CcsFolderListing>> listing =
      ListStoreCcsFolder(store);
  if (listing.ok()) return *listing;
  if (listing.status().IsNotFound() || listing.status().IsAccessDenied()) {
    *ctx.err << "sslbind: warning: " << listing.status().message()
             << ": CCS files are not looked for\n";
    return nullptr;
  }
  throw CommandError::Failed(listing.status());
}

// The bindings that could serve the connection, read one key at a time:
// resolution looks at no others (snapshot.h), so a snapshot of these
// answers as one of the whole store would, at the cost of a few reads
// rather than of loading a million bindings.
std::vector<Binding> Candidates(const Store& store, const Connection& c) {
  std::vector<BindingKey> keys = {
      BindingKey::IpPort(c.local, c.port),
      BindingKey::IpPort(IpAddress::AnyV6(), c.port),
      BindingKey::IpPort(IpAddress::AnyV4(), c.port), BindingKey::Ccs(c.port)};
  const std::string port = ":" + std::to_string(c.port);
  Result<BindingKey> exact =
      BindingKey::Parse(BindingKind::kHostnamePort, c.sni + port);
  if (!c.sni.empty() && exact.ok()) {
    const std::string& name = exact->hostname();
    keys.push_back(BindingKey::ScopedCcs(name, c.port));
    if (size_t dot = name.find('.'); dot != std::string::npos) {
      keys.push_back(BindingKey::HostnamePort("*" + name.substr(dot), c.port));
    }
    keys.push_back(std::move(*exact));
  }
  // A connection to 0.0.0.0 or [::] names a wildcard address twice.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::vector<Binding> found;
  for (const BindingKey& key : keys) {
    Result<Binding> b = store.Get(key);
    if (b.ok()) {
      found.push_back(std::move(*b));
    } else if (!b.status().IsNotFound()) {
      throw CommandError::Failed(b.status());
    }
  }
  return found;
}

Json StepsToJson(const Trace& trace) {
  Json steps = Json::array();
  for (const TraceStep& step : trace.steps) {
    Json j = {{"step", ResolveStepName(step.step)},
              {"outcome", StepOutcomeName(step.outcome)},
              {"key", step.key.empty() ? Json(nullptr) : Json(step.key)},
              {"reason", step.reason}};
    if (!step.ccs_files.empty()) j["ccs_files"] = step.ccs_files;
    steps.push_back(std::move(j));
  }
  return steps;
}

int RunResolve(Context& ctx, const ResolveArgs& args) {
  if (IsHelpRequest(args.tokens)) {
    *ctx.out << ResolveUsage();
    return kExitOk;
  }
  Connection c = ParseConnection(args.tokens);
  std::shared_ptr<const Snapshot> snapshot = Snapshot::Empty();
  std::shared_ptr<const CcsFolderListing> folder;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    folder = CcsFolderOf(ctx, *store);
    Result<std::shared_ptr<const Snapshot>> loaded =
        Snapshot::Build(Candidates(*store, c), {.ccs_folder = folder});
    if (!loaded.ok()) throw CommandError::Failed(loaded.status());
    snapshot = std::move(*loaded);
  }
  Trace trace;
  Resolution r = snapshot->Resolve(c.local, c.port, c.sni, &trace);

  if (ctx.json) {
    Json j = {
        {"match", r ? BindingToJson(r.binding().ToBinding()) : Json(nullptr)},
        {"steps", StepsToJson(trace)}};
    if (r && folder && r.ccs_file_found()) {
      j["ccs_file"] = CcsFileText(r, folder.get());
    }
    *ctx.out << JsonText(j) << '\n';
  } else {
    std::string text;
    if (args.explain) text += ExplainText(trace, c);
    text += ShowHeader();
    if (r) text += MatchEntry(r, folder.get());
    *ctx.out << text;
  }
  if (!r) {
    Status none = Status::NotFound("no binding serves the connection (" +
                                   Describe(trace, c) +
                                   "): HTTP.sys would fail the handshake");
    *ctx.err << "sslbind: " << none.message() << '\n';
    return ExitCodeFor(none);
  }
  return kExitOk;
}

}  // namespace

void SetupResolve(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* cmd = app.add_subcommand(
      "resolve", "Show which binding serves a connection, and why.");
  cmd->ignore_case()->fallthrough();
  cmd->formatter_fn([](const CLI::App*, std::string, CLI::AppFormatMode) {
    return ResolveUsage();
  });
  auto args = std::make_shared<ResolveArgs>();
  cmd->add_option("PARAM=VALUE", args->tokens, "ip=, port= and sni=");
  cmd->add_flag("--explain", args->explain,
                "Show each step tried and why it matched or not");
  cmd->callback([&ctx, &action, args] {
    action = [&ctx, args] {
      ctx.verb = "resolve";
      return RunResolve(ctx, *args);
    };
  });
}

}  // namespace sslbind::cli

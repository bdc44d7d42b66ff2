#include "global_options.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "command_error.h"

namespace sslbind::cli {
namespace {

struct GlobalOptionInfo {
  GlobalOption id;
  const char* name;
  bool takes_value;  // its value is the next argument
  // Why a command that does not honour it refuses it: "`show sslcert` <why>".
  const char* why_refused;
};

// Every global option. A command given several that it does not honour is
// refused for the first in this order: --dry-run first, as a dry run must
// never reach a command that writes.
constexpr std::array<GlobalOptionInfo, 7> kGlobalOptions = {{
    {GlobalOption::kDryRun, "--dry-run", false,
     "changes nothing, so it has no dry run"},
    {GlobalOption::kNoVerify, "--no-verify", false, "checks no certificates"},
    {GlobalOption::kReason, "--reason", true,
     "records no reason in the journal"},
    {GlobalOption::kExpectRevision, "--expect-revision", true,
     "writes no revision"},
    {GlobalOption::kStore, "--store", true, "opens no store"},
    {GlobalOption::kKeyFile, "--key-file", true, "opens no store"},
    {GlobalOption::kJson, "--json", false, "prints no JSON"},
}};

const GlobalOptionInfo& Info(GlobalOption option) {
  for (const GlobalOptionInfo& info : kGlobalOptions) {
    if (info.id == option) return info;
  }
  return kGlobalOptions[0];  // unreachable: every option is listed
}

constexpr const char* kNoVerifyHelp =
    "Do not check that the certificates of bindings are in their stores "
    "with private keys (for bindings prepared for another machine)";

// How often `name` was given on the command line: before the command (the
// main app's option) or after it (the command's own, if it lists one).
size_t GivenCount(const CLI::App& app, const CLI::App& command,
                  const char* name) {
  size_t count = app.get_option(name)->count();
  if (&command != &app) {
    if (const CLI::Option* own = command.get_option_no_throw(name)) {
      count += own->count();
    }
  }
  return count;
}

// The commands below `app` that run (the leaves), in --help order.
void LeafCommands(const CLI::App& app, std::vector<const CLI::App*>* out) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_subcommands({}).empty()) {
      out->push_back(sub);
    } else {
      LeafCommands(*sub, out);
    }
  }
}

}  // namespace

void AddGlobalOptions(CLI::App& app, Context& ctx) {
  app.add_option("--store", ctx.store_path,
                 "The store file (default: $SSLBIND_STORE, else " +
                     std::string(kDefaultStorePath) + ")");
  app.add_option("--key-file", ctx.key_file,
                 "The farm key of a store in PostgreSQL (default: "
                 "$SSLBIND_KEY_FILE; see sslbind keygen)");
  app.add_flag("--json", ctx.json, "Print results and errors as JSON");
  app.add_option("--reason", ctx.reason,
                 "Why: recorded with the change in the journal (`history`)")
      ->type_name("TEXT");
  app.add_option("--expect-revision", ctx.expect_revision,
                 "Change only if the store is still at revision N (see "
                 "`revision`); else exit 11 (error 1306), writing nothing")
      ->type_name("N");
  app.add_flag("--dry-run", ctx.dry_run,
               "Check the changes of a command that changes something (-f, "
               "add, update, delete, apply, import, cert import|delete, ccs "
               "enable|disable, iis sync, rollback, image build|remove) "
               "without writing them");
  app.add_flag("--no-verify", ctx.no_verify,
               "Do not check that the certificates of added and updated "
               "bindings are in their stores with private keys (-f, add, "
               "update, apply, iis sync, rollback)");
}

void HonourOptions(CLI::App& command, Context& ctx, GlobalSet honoured,
                   const std::string& dry_run_help) {
  ctx.honoured_options[&command] = honoured;
  // The main app lists every global option already.
  if ((honoured & Bit(GlobalOption::kDryRun)) &&
      !command.get_option_no_throw("--dry-run")) {
    command.add_flag("--dry-run", ctx.dry_run, dry_run_help);
  }
  if ((honoured & Bit(GlobalOption::kNoVerify)) &&
      !command.get_option_no_throw("--no-verify")) {
    command.add_flag("--no-verify", ctx.no_verify, kNoVerifyHelp);
  }
}

void SetDryRunRefusal(CLI::App& command, Context& ctx, std::string why) {
  ctx.dry_run_refusals[&command] = std::move(why);
}

GlobalSet HonouredOptions(const Context& ctx, const CLI::App& command) {
  auto it = ctx.honoured_options.find(&command);
  return it == ctx.honoured_options.end() ? kReadsStore : it->second;
}

std::string RefusalMessage(GlobalOption option, const std::string& what) {
  const GlobalOptionInfo& info = Info(option);
  return std::string(info.name) + ": " + what + " " + info.why_refused +
         "; leave " + info.name + " out";
}

void RefuseUnhonoured(const CLI::App& app, const CLI::App& command,
                      const Context& ctx) {
  const GlobalSet honoured = HonouredOptions(ctx, command);
  for (const GlobalOptionInfo& info : kGlobalOptions) {
    if ((honoured & Bit(info.id)) == 0 &&
        GivenCount(app, command, info.name) > 0) {
      const std::string what = CommandWords(app, command);
      auto own = ctx.dry_run_refusals.find(&command);
      if (info.id == GlobalOption::kDryRun &&
          own != ctx.dry_run_refusals.end()) {
        throw CommandError::Syntax(std::string(info.name) + ": " + what + " " +
                                       own->second + "; leave " + info.name +
                                       " out",
                                   "");
      }
      throw CommandError::Syntax(RefusalMessage(info.id, what), "");
    }
  }
}

void ApplyEnvironment(const CLI::App& app, Context& ctx) {
  const char* store = std::getenv("SSLBIND_STORE");
  if (app.get_option("--store")->count() == 0 && store && *store) {
    ctx.store_path = store;
  }
  const char* key_file = std::getenv("SSLBIND_KEY_FILE");
  if (app.get_option("--key-file")->count() == 0 && key_file && *key_file) {
    ctx.key_file = key_file;
  }
}

bool IsGlobalOptionWithValue(std::string_view arg) {
  return std::any_of(kGlobalOptions.begin(), kGlobalOptions.end(),
                     [arg](const GlobalOptionInfo& info) {
                       return info.takes_value && arg == info.name;
                     });
}

std::string CommandWords(const CLI::App& app, const CLI::App& command) {
  if (&command == &app) return "-f";
  std::string words;
  for (const CLI::App* c = &command; c != nullptr && c != &app;
       c = c->get_parent()) {
    words = c->get_name() + (words.empty() ? "" : " " + words);
  }
  return "`" + words + "`";
}

std::string GlobalOptionTable(const CLI::App& app, const Context& ctx) {
  std::vector<const CLI::App*> commands = {&app};
  LeafCommands(app, &commands);
  std::string table;
  for (const CLI::App* command : commands) {
    std::string words = CommandWords(app, *command);
    if (words.front() == '`') words = words.substr(1, words.size() - 2);
    table += words + ":";
    const GlobalSet honoured = HonouredOptions(ctx, *command);
    for (const GlobalOptionInfo& info : kGlobalOptions) {
      if (honoured & Bit(info.id)) table += std::string(" ") + info.name;
    }
    table += '\n';
  }
  return table;
}

}  // namespace sslbind::cli

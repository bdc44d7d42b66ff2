// The IIS commands: `sslbind iis show|check|sync FILE`, one file each, over
// sslbind/iis.h; and what they share: reading the file, naming bindings.
#ifndef SSLBIND_CLI_IIS_COMMANDS_H_
#define SSLBIND_CLI_IIS_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <string>

#include "context.h"
#include "show_format.h"
#include "sslbind/iis.h"
#include "sslcert_command.h"

namespace sslbind::cli {

void SetupIisShow(CLI::App& app, Context& ctx, Action& action);
void SetupIisCheck(CLI::App& app, Context& ctx, Action& action);
void SetupIisSync(CLI::App& app, Context& ctx, Action& action);

// The `iis` group command.
CLI::App* IisGroup(CLI::App& app);
// Adds the FILE argument every iis command takes.
void AddIisFileArgument(CLI::App& command, std::string& file);

// Reads and parses an applicationHost.config or MetaBase.xml ("-": standard
// input). Throws CommandError::Input naming the file: exit status 2 for a
// malformed or foreign file, 3 for a missing one.
IisConfig ReadIisFile(const std::string& path);

// The binding as JSON: site, site_id, line, bindingInformation, sslFlags
// and its names (and, from a MetaBase, its certificate).
Json IisBindingToJson(const IisBinding& binding);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_IIS_COMMANDS_H_

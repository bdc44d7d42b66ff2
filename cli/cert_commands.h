// The certificate and CCS commands: `sslbind cert import|show|delete` and
// `sslbind ccs enable|show|disable`, one file each.
#ifndef SSLBIND_CLI_CERT_COMMANDS_H_
#define SSLBIND_CLI_CERT_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "context.h"
#include "sslcert_command.h"

namespace sslbind::cli {

void SetupCertImport(CLI::App& app, Context& ctx, Action& action);
void SetupCertShow(CLI::App& app, Context& ctx, Action& action);
void SetupCertDelete(CLI::App& app, Context& ctx, Action& action);
void SetupCcsEnable(CLI::App& app, Context& ctx, Action& action);
void SetupCcsShow(CLI::App& app, Context& ctx, Action& action);
void SetupCcsDisable(CLI::App& app, Context& ctx, Action& action);
// sslbind keygen FILE: a new farm key (cmd_keygen.cc).
void SetupKeygen(CLI::App& app, Context& ctx, Action& action);

// The `cert` and `ccs` group commands.
CLI::App* CertGroup(CLI::App& app);
CLI::App* CcsGroup(CLI::App& app);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_CERT_COMMANDS_H_

// The snapshot image commands: `sslbind image build|show|remove`, one file
// each, over sslbind/snapshot_image.h (docs/servers.md, "Keeping the
// snapshot image fresh"); and what they share.
#ifndef SSLBIND_CLI_IMAGE_COMMANDS_H_
#define SSLBIND_CLI_IMAGE_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "context.h"
#include "global_options.h"
#include "sslbind/store.h"
#include "sslcert_command.h"

namespace sslbind::cli {

void SetupImageBuild(CLI::App& app, Context& ctx, Action& action);
void SetupImageShow(CLI::App& app, Context& ctx, Action& action);
void SetupImageRemove(CLI::App& app, Context& ctx, Action& action);

// The global options of `image build|remove`: they change the image beside
// the store, never the store (no revision, no journal), so --dry-run but
// not --reason or --expect-revision.
inline constexpr GlobalSet kChangesImage =
    kReadsStore | Bit(GlobalOption::kDryRun);

// Adds `image NAME`, which runs `run` and honours `honoured` (`dry_run_help`
// describes --dry-run, when honoured).
void AddImageCommand(CLI::App& app, Context& ctx, Action& action,
                     const std::string& name, const std::string& description,
                     GlobalSet honoured, int (*run)(Context&),
                     const std::string& dry_run_help = {});

// Sets the subject and `verb` of the running image command and opens its
// store to read. Throws CommandError: NotFound (exit status 3) when the
// store does not exist (an image is made of a store, never of none), and
// the store's own failures.
Store OpenImageStore(Context& ctx, const std::string& verb);

// A path for a message or a text field: quoted, escaped (QuoteForMessage).
std::string QuotedPath(std::string_view path);

// "12288 bytes (12 KiB)": a size for people.
std::string ImageSizeText(uint64_t bytes);

}  // namespace sslbind::cli

#endif  // SSLBIND_CLI_IMAGE_COMMANDS_H_

// sslbind show sslcert [KEY]: netsh's listing, or {"bindings":[...]}.
#include <iostream>

#include "command_error.h"
#include "exit_codes.h"
#include "journal_commands.h"
#include "netsh_args.h"
#include "show_format.h"
#include "sslbind/exchange.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

int RunShow(Context& ctx, const std::vector<std::string>& tokens) {
  SslcertArgs args = ParseSslcertArgs(tokens, ShowUsage());
  if (!args.patch.empty()) {
    throw CommandError::Syntax("show takes only a binding's key", ShowUsage());
  }
  std::vector<Binding> bindings;
  Status found;
  if (!ctx.show_at.empty()) {
    bindings = BindingsAtOrThrow(ctx, args.key, &found);
  } else if (std::optional<Store> store = ctx.OpenForReading()) {
    if (args.key) {
      Result<Binding> b = store->Get(*args.key);
      if (b.ok()) {
        bindings.push_back(std::move(*b));
      } else if (b.status().IsNotFound()) {
        found = b.status();
      } else {
        throw CommandError::Failed(b.status());
      }
    } else {
      Result<std::vector<Binding>> all = store->List();
      if (!all.ok()) throw CommandError::Failed(all.status());
      bindings = std::move(*all);
    }
  } else if (args.key) {
    found = Status::NotFound(args.key->ToParam() + " does not exist");
  }

  if (ctx.json) {
    std::string list = "{\"bindings\":[";
    for (size_t i = 0; i < bindings.size(); ++i) {
      if (i) list += ',';
      list += FormatBindingJson(bindings[i]);
    }
    *ctx.out << list << "]}\n";
  } else {
    *ctx.out << FormatNetshText(bindings);
  }
  if (!found.ok()) {
    *ctx.err << "sslbind: " << found.message() << '\n';
    return ExitCodeFor(found);
  }
  return 0;
}

}  // namespace

void SetupShow(CLI::App& app, Context& ctx, Action& action) {
  CLI::App* object =
      AddSslcertVerb(app, ctx, action, "show", "show",
                     "Show certificate bindings.", ShowUsage, RunShow);
  AddShowAtOption(*object, ctx);
}

}  // namespace sslbind::cli

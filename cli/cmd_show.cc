// sslbind show sslcert [KEY]: netsh's listing, or {"bindings":[...]}.
#include <iostream>
#include <optional>
#include <string>

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
  SslcertArgs args =
      ParseSslcertArgs(tokens, ShowUsage(), SslcertPositions::kKeyOnly);
  for (const std::string& w : args.warnings) {
    *ctx.err << "sslbind: warning: " << w << '\n';
  }
  if (!args.patch.empty()) {
    throw CommandError::Syntax("show takes only a binding's key", ShowUsage());
  }
  // show --at REV: the bindings as they were, from the journal.
  std::vector<Binding> at;
  std::optional<Store> store;
  std::optional<Binding> one;
  Status found;
  if (!ctx.show_at.empty()) {
    at = BindingsAtOrThrow(ctx, args.key, &found);
  } else {
    store = ctx.OpenForReading();
    if (store && args.key) {
      Result<Binding> b = store->Get(*args.key);
      if (b.ok()) {
        one = std::move(*b);
      } else if (b.status().IsNotFound()) {
        found = b.status();
      } else {
        throw CommandError::Failed(b.status());
      }
    } else if (args.key) {
      found = Status::NotFound(args.key->ToParam() + " does not exist");
    }
  }
  // --json: one object on standard output, the error's as delete prints it.
  if (ctx.json && !found.ok()) throw CommandError::Failed(found);

  // Every binding is written as the store is read, in bounded memory.
  std::string buffer = ctx.json ? "{\"bindings\":[" : ShowHeader();
  size_t count = 0;
  auto print = [&](const Binding& b) {
    if (ctx.json) {
      if (count) buffer += ',';
      AppendBindingJson(b, /*with_key=*/true, &buffer);
    } else {
      AppendNetshShowEntry(b, &buffer);
    }
    ++count;
    if (buffer.size() >= (64 << 10)) {
      *ctx.out << buffer;
      buffer.clear();
    }
    return Status::Ok();
  };
  for (const Binding& b : at) (void)print(b);
  if (one) {
    (void)print(*one);
  } else if (store && !args.key) {
    Status s = store->ForEachSorted(print);
    if (!s.ok()) throw CommandError::Failed(s);
  }
  if (ctx.json) buffer += "]}\n";
  *ctx.out << buffer;
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

// sslbind iis show FILE: the HTTPS bindings of an applicationHost.config or
// MetaBase.xml, each with the HTTP.sys binding it needs and whether the
// store has it.
#include <memory>
#include <set>

#include "command_error.h"
#include "exit_codes.h"
#include "iis_commands.h"
#include "sslbind/text.h"

namespace sslbind::cli {
namespace {

struct IisShowOptions {
  std::string file;
};

// A site name may hold anything: it is printed quoted and escaped, cut only
// when absurdly long. (The other values were checked when read.)
constexpr size_t kShownBytes = 1024;

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

int RunIisShow(Context& ctx, const IisShowOptions& options) {
  const IisConfig config = ReadIisFile(options.file);
  std::set<BindingKey> stored;
  if (std::optional<Store> store = ctx.OpenForReading()) {
    Status s = store->ForEach([&stored](const Binding& b) {
      stored.insert(b.key);
      return Status::Ok();
    });
    if (!s.ok()) throw CommandError::Failed(s);
  }
  Json list = Json::array();
  std::string text =
      std::string(IisFormatName(config.format)) + ": " +
      Plural(config.sites, "site", "sites") + ", " +
      Plural(config.bindings.size(), "HTTPS binding", "HTTPS bindings") + ".\n";
  for (const IisBinding& b : config.bindings) {
    const IisNeed need = NeededBinding(b);
    const bool in_store = need.key && stored.count(*need.key);
    if (ctx.json) {
      Json j = IisBindingToJson(b);
      j["needs"] = need.key ? KeyToJson(*need.key) : Json(nullptr);
      j["in_store"] = in_store;
      list.push_back(std::move(j));
      continue;
    }
    text += "\nSite " + QuoteForMessage(b.site_name, kShownBytes) + " (id " +
            std::to_string(b.site_id) + "), line " + std::to_string(b.line) +
            "\n";
    text += ShowField("Binding Information", b.binding_information);
    if (config.format == IisFormat::kApplicationHost) {
      text += ShowField("SSL Flags", IisSslFlagsText(b.ssl_flags));
    } else {
      text += ShowField("SSL Cert Hash",
                        b.cert_hash.empty() ? "(null)" : HexLower(b.cert_hash));
      text += ShowField("SSL Store Name", b.cert_store_name.value_or("(null)"));
      text +=
          ShowField("SSL CTL Store Name", b.ctl_store_name.value_or("(null)"));
    }
    text += ShowField("Needs", need.key ? need.key->ToParam()
                                        : "nothing it can name (the SNI flag "
                                          "without a host name)");
    text += ShowField("In Store", in_store ? "yes" : "no");
  }
  if (ctx.json) {
    *ctx.out << JsonText(Json{{"format", IisFormatName(config.format)},
                     {"sites", config.sites},
                     {"bindings", std::move(list)}})
             << '\n';
  } else {
    *ctx.out << text;
  }
  return kExitOk;
}

}  // namespace

void SetupIisShow(CLI::App& app, Context& ctx, Action& action) {
  auto options = std::make_shared<IisShowOptions>();
  CLI::App* cmd = IisGroup(app)->add_subcommand(
      "show",
      "Show the HTTPS bindings of an IIS configuration file, the HTTP.sys "
      "binding each needs and whether the store has it.");
  cmd->fallthrough();
  AddIisFileArgument(*cmd, options->file);
  cmd->callback([&ctx, &action, options] {
    action = [&ctx, options] {
      ctx.verb = "show";
      return RunIisShow(ctx, *options);
    };
  });
}

}  // namespace sslbind::cli

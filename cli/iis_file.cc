// What the iis commands share (iis_commands.h).
#include "command_error.h"
#include "file_io.h"
#include "iis_commands.h"
#include "keyword_command.h"

namespace sslbind::cli {

CLI::App* IisGroup(CLI::App& app) {
  return CommandGroup(app, "iis",
                      "Compare IIS's configuration (applicationHost.config, "
                      "MetaBase.xml) with the store (show, check, sync).");
}

void AddIisFileArgument(CLI::App& command, std::string& file) {
  command
      .add_option("FILE", file,
                  "applicationHost.config (IIS 7+) or MetaBase.xml (IIS "
                  "6), told apart by content; - reads standard input")
      ->required();
}

IisConfig ReadIisFile(const std::string& path) {
  const std::string text = ReadInput(path);
  Result<IisConfig> config = ParseIisConfig(text);
  if (!config.ok()) {
    throw CommandError::Input(Status::InvalidArgument(
        InputName(path) + ": " + config.status().message()));
  }
  return std::move(*config);
}

Json IisBindingToJson(const IisBinding& b) {
  Json names = Json::array();
  for (std::string_view name : IisSslFlagNames(b.ssl_flags)) {
    names.push_back(name);
  }
  Json j = {
      {"site", b.site_name},     {"site_id", b.site_id},
      {"line", b.line},          {"bindingInformation", b.binding_information},
      {"sslFlags", b.ssl_flags}, {"sslFlagNames", std::move(names)}};
  if (!b.cert_hash.empty()) j["SSLCertHash"] = HexLower(b.cert_hash);
  if (b.cert_store_name) j["SSLStoreName"] = *b.cert_store_name;
  if (b.ctl_store_name) j["SslCtlStoreName"] = *b.ctl_store_name;
  return j;
}

}  // namespace sslbind::cli

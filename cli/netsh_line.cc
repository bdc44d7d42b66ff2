#include "netsh_line.h"

#include "cert_warnings.h"
#include "command_error.h"
#include "netsh_args.h"
#include "sslbind/registry.h"
#include "sslcert_command.h"
#include "usage.h"

namespace sslbind::cli {
namespace {

// The essential parameters netsh asks for, by kind.
void CheckEssentials(const SslcertArgs& args) {
  std::string missing;
  auto need = [&](bool ok, const char* name) {
    if (!ok) missing += missing.empty() ? name : std::string(", ") + name;
  };
  need(args.key.has_value(), "ipport, hostnameport, ccs or scopedccs");
  if (args.key) {
    BindingKind kind = args.key->kind();
    bool needs_cert =
        kind == BindingKind::kIpPort || kind == BindingKind::kHostnamePort;
    if (needs_cert) need(args.patch.Has(Param::kCertHash), "certhash");
    need(args.patch.Has(Param::kAppId), "appid");
    if (kind == BindingKind::kHostnamePort) {
      need(args.patch.Has(Param::kCertStoreName), "certstorename");
    }
  } else {
    need(args.patch.Has(Param::kAppId), "appid");
  }
  if (!missing.empty()) {
    throw CommandError::Missing("missing: " + missing, AddUsage());
  }
}

std::string UsageOf(ChangeVerb verb) {
  switch (verb) {
    case ChangeVerb::kAdd: return AddUsage();
    case ChangeVerb::kUpdate: return UpdateUsage();
    case ChangeVerb::kDelete: return DeleteUsage();
  }
  return AddUsage();
}

}  // namespace

std::optional<ChangeVerb> ParseChangeVerb(std::string_view word) {
  std::string folded = FoldCase(word);
  if (folded == "add") return ChangeVerb::kAdd;
  if (folded == "update") return ChangeVerb::kUpdate;
  if (folded == "delete") return ChangeVerb::kDelete;
  return std::nullopt;
}

std::string NetshVerb(ChangeVerb verb) {
  switch (verb) {
    case ChangeVerb::kAdd: return "add";
    case ChangeVerb::kUpdate: return "update";
    case ChangeVerb::kDelete: return "deletion";
  }
  return "add";
}

std::string NetshVerb(WriteBatch::OpType type) {
  switch (type) {
    case WriteBatch::OpType::kAdd:
    case WriteBatch::OpType::kPut: return "add";
    case WriteBatch::OpType::kUpdate: return "update";
    case WriteBatch::OpType::kDelete:
    case WriteBatch::OpType::kErase:
    case WriteBatch::OpType::kDeleteCertificate: return "deletion";
    case WriteBatch::OpType::kPutCertificate: return "import";
    case WriteBatch::OpType::kSetCcs: return "update";
  }
  return "add";
}

BindingKey AppendChange(ChangeVerb verb, const std::vector<std::string>& tokens,
                        WriteBatch* batch, std::vector<std::string>* warnings) {
  const std::string usage = UsageOf(verb);
  SslcertArgs args =
      ParseSslcertArgs(tokens, usage,
                       verb == ChangeVerb::kDelete ? SslcertPositions::kKeyOnly
                                                   : SslcertPositions::kAll);
  if (warnings) {
    warnings->insert(warnings->end(), args.warnings.begin(),
                     args.warnings.end());
  }
  switch (verb) {
    case ChangeVerb::kAdd: {
      CheckEssentials(args);
      Result<Binding> binding = MakeBinding(*args.key, args.patch);
      if (!binding.ok()) throw CommandError::Failed(binding.status());
      batch->Add(std::move(*binding));
      break;
    }
    case ChangeVerb::kUpdate:
      if (!args.key) {
        throw CommandError::Missing(
            "missing: ipport, hostnameport, ccs or scopedccs", usage);
      }
      if (args.patch.empty()) {
        throw CommandError::Missing("missing: a parameter to change", usage);
      }
      batch->Update(*args.key, args.patch);
      break;
    case ChangeVerb::kDelete:
      if (!args.patch.empty()) {
        throw CommandError::Syntax("delete takes only the binding's key",
                                   usage);
      }
      if (!args.key) {
        throw CommandError::Missing(
            "missing: ipport, hostnameport, ccs or scopedccs", usage);
      }
      batch->Delete(*args.key);
      break;
  }
  return *args.key;
}

int RunChangeCommand(Context& ctx, ChangeVerb verb,
                     const std::vector<std::string>& tokens) {
  WriteBatch batch;
  std::vector<std::string> warnings;
  BindingKey key = AppendChange(verb, tokens, &batch, &warnings);
  PrintWarnings(ctx, warnings);
  Store store = ctx.OpenForChange();
  const WriteOptions options{.verify_certificates = !ctx.no_verify};
  Status s = ctx.WriteOrCheck(store, batch, options);
  if (!s.ok()) throw CommandError::Failed(s);
  static constexpr const char* kDone[] = {"added", "updated", "deleted"};
  const char* done = kDone[static_cast<int>(verb)];
  if (ctx.dry_run) {
    PrintDryRunSuccess(ctx, done, key, warnings);
  } else {
    std::vector<std::string> found;
    if (!ctx.no_verify) found = CertificateWarnings(store, batch);
    warnings.insert(warnings.end(), found.begin(), found.end());
    PrintChangeSuccess(ctx, done, key, warnings);
    PrintWarnings(ctx, found);
  }
  return 0;
}

std::vector<std::string> SplitNetshLine(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote) {
    throw CommandError::Syntax(std::string("a ") +
                                   (quote == '"' ? "double" : "single") +
                                   " quote is not closed",
                               "");
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace sslbind::cli

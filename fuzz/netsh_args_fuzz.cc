// Fuzzes what the command line and `-f` scripts give the sslcert commands:
// each input line is a script line ("add sslcert ipport=... certhash=..."),
// split into words as a script is, then parsed as `add`, `update` or
// `delete` parameters would be (NAME=VALUE, keys, every parameter type).
// A refused line must come back as a CommandError with a short message; an
// accepted `add` must make a binding that survives every export format.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "command_error.h"
#include "netsh_line.h"
#include "round_trip.h"
#include "sslbind/registry.h"
#include "sslbind/write_batch.h"

namespace {

void CheckMessage(const sslbind::cli::CommandError& e, size_t input_size) {
  if (e.status().message().size() > 1000 + input_size / 1000) {
    sslbind::fuzz::Fail("message too long", e.status().message());
  }
}

void FuzzLine(std::string_view line) {
  using sslbind::cli::CommandError;
  std::vector<std::string> words;
  try {
    words = sslbind::cli::SplitNetshLine(line);
  } catch (const CommandError& e) {
    CheckMessage(e, line.size());
    return;
  }
  size_t i = 0;
  if (i < words.size() && sslbind::FoldCase(words[i]) == "netsh") ++i;
  if (i < words.size() && sslbind::FoldCase(words[i]) == "http") ++i;
  // Without a verb, the line is the parameters of an add.
  sslbind::cli::ChangeVerb verb = sslbind::cli::ChangeVerb::kAdd;
  if (i < words.size()) {
    if (auto parsed = sslbind::cli::ParseChangeVerb(words[i])) {
      verb = *parsed;
      ++i;
      if (i < words.size() && sslbind::FoldCase(words[i]) == "sslcert") ++i;
    }
  }
  std::vector<std::string> tokens(words.begin() + static_cast<long>(i),
                                  words.end());
  sslbind::WriteBatch batch;
  try {
    sslbind::cli::AppendChange(verb, tokens, &batch);
  } catch (const CommandError& e) {
    CheckMessage(e, line.size());
    return;
  }
  // The bindings the line adds or puts.
  struct Added : sslbind::WriteBatch::Handler {
    sslbind::Status Add(const sslbind::Binding& binding) override {
      bindings.push_back({binding, "line"});
      return sslbind::Status::Ok();
    }
    sslbind::Status Put(const sslbind::Binding& binding) override {
      return Add(binding);
    }
    std::vector<sslbind::ParsedBinding> bindings;
  } added;
  (void)batch.Iterate(&added);  // the handler never fails
  for (size_t op = 0; op < batch.size(); ++op) {
    const sslbind::BindingKey* key = batch.key(op);
    if (key && !sslbind::IsValidUtf8(key->ToString())) {
      sslbind::fuzz::Fail("key is not UTF-8", key->ToString());
    }
  }
  sslbind::fuzz::CheckRoundTrips(added.bindings);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    size_t nl = text.find('\n');
    FuzzLine(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return 0;
}

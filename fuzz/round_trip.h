// The property every fuzz target that reads bindings checks: bindings that
// were read are written in each format and read back as the same bindings
// (parse -> export -> parse is the identity), and a second export is the same
// bytes as the first. A broken property aborts, which libFuzzer reports as a
// crash with the input that caused it.
#ifndef SSLBIND_FUZZ_ROUND_TRIP_H_
#define SSLBIND_FUZZ_ROUND_TRIP_H_

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "model/registry_codec.h"
#include "sslbind/exchange.h"
#include "sslbind/text.h"

namespace sslbind::fuzz {

[[noreturn]] inline void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "round trip broken: %.*s: %s\n",
               static_cast<int>(what.size()), what.data(),
               QuoteForMessage(detail, 4000).c_str());
  std::abort();
}

inline std::string Export(const std::vector<Binding>& bindings,
                          ExchangeFormat format) {
  switch (format) {
    case ExchangeFormat::kJson: return FormatJsonDocument(bindings);
    case ExchangeFormat::kNetsh: return FormatNetshText(bindings);
    case ExchangeFormat::kReg: {
      std::vector<RegistryKey> keys;
      keys.reserve(bindings.size());
      for (const Binding& b : bindings) {
        keys.push_back(internal::EncodeBinding(b));
      }
      return FormatRegFile(keys);
    }
  }
  return {};
}

// Bindings written by sslbind only hold valid UTF-8 text.
inline void CheckText(const Binding& b) {
  for (const auto* s :
       {&b.cert_store_name, &b.ctl_identifier, &b.ctl_store_name}) {
    if (*s && !IsValidUtf8(**s)) Fail("stored text is not UTF-8", **s);
  }
  if (!IsValidUtf8(b.key.ToString()))
    Fail("key is not UTF-8", b.key.ToString());
}

// The bindings as JSON, with the raw bits JSON does not show.
inline std::string Describe(const std::vector<Binding>& bindings) {
  std::string out;
  for (const Binding& b : bindings) {
    out += FormatBindingJson(b) +
           " check_mode=" + std::to_string(b.check_mode) +
           " flags=" + std::to_string(b.flags) +
           " freshness=" + std::to_string(b.revocation_freshness_time) + "\n";
  }
  return out;
}

inline void CheckRoundTrips(const std::vector<ParsedBinding>& parsed) {
  std::vector<Binding> bindings;
  bindings.reserve(parsed.size());
  for (const ParsedBinding& p : parsed) {
    CheckText(p.binding);
    bindings.push_back(p.binding);
  }
  for (ExchangeFormat format :
       {ExchangeFormat::kJson, ExchangeFormat::kNetsh, ExchangeFormat::kReg}) {
    const std::string name(ExchangeFormatName(format));
    const std::string exported = Export(bindings, format);
    Result<ParsedBindings> again = ParseBindings(exported, "again", format);
    if (!again.ok())
      Fail(name + " export does not read back", again.status().message());
    if (!again->notes.empty())
      Fail(name + " export reads with notes", again->notes[0]);
    std::vector<Binding> read;
    for (const ParsedBinding& p : again->bindings) read.push_back(p.binding);
    // A .reg export orders its keys by name: compare in key order.
    auto by_key = [](const Binding& a, const Binding& b) {
      return a.key < b.key;
    };
    std::vector<Binding> sorted_read = read, sorted = bindings;
    std::sort(sorted_read.begin(), sorted_read.end(), by_key);
    std::sort(sorted.begin(), sorted.end(), by_key);
    if (sorted_read != sorted) {
      Fail(name + " export reads back different bindings",
           Describe(bindings) + " became " + Describe(read));
    }
    if (Export(read, format) != exported)
      Fail(name + " export is not stable", exported);
  }
}

// Reads `data` in `format` and, when it is accepted, checks the round trips.
// What ParseBindings made of `text`: a refusal's message is short, and
// the bindings read make the round trips.
inline void CheckParsed(std::string_view text,
                        const Result<ParsedBindings>& parsed) {
  if (!parsed.ok()) {
    // A message quotes input only briefly, whatever the input's size.
    if (parsed.status().message().size() > 2000 + text.size() / 1000) {
      Fail("message too long", parsed.status().message().substr(0, 200));
    }
    return;
  }
  CheckRoundTrips(parsed->bindings);
}

inline void ParseAndRoundTrip(const uint8_t* data, size_t size,
                              ExchangeFormat format) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckParsed(text, ParseBindings(text, "fuzz", format));
}

}  // namespace sslbind::fuzz

#endif  // SSLBIND_FUZZ_ROUND_TRIP_H_

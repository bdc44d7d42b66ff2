// Fuzzes the reader of a .reg file (UTF-8 or UTF-16 LE), and the round trip of
// what it accepts through every export format (round_trip.h).
#include <cstddef>
#include <cstdint>

#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sslbind::fuzz::ParseAndRoundTrip(data, size, sslbind::ExchangeFormat::kReg);
  return 0;
}

// Fuzzes the reader of the text of `netsh http show sslcert`, and the round
// trip of what it accepts through every export format (round_trip.h).
#include <cstddef>
#include <cstdint>

#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sslbind::fuzz::ParseAndRoundTrip(data, size, sslbind::ExchangeFormat::kNetsh);
  return 0;
}

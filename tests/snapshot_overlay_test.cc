// The resolution cases of snapshot_test.cc against overlaid snapshots (see
// there): an overlay resolves exactly as a snapshot built whole.
#define SSLBIND_SNAPSHOT_OVERLAY_TEST 1
#include "snapshot_test.cc"  // NOLINT(bugprone-suspicious-include)

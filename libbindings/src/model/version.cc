#include "sslbind/version.h"

namespace sslbind {
const char* Version() { return SSLBIND_VERSION; }
}  // namespace sslbind

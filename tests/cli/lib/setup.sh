# Sourced by the tests/cli/*_test.sh scripts, after `set -euo pipefail`:
# $HERE, the tests/cli folder; $WORK, a new temporary folder, made the
# current one and removed at exit, also when a test fails -- after the
# test's own at_exit, if it defines one (to stop a process it started, or
# give back permissions it took); and fail MESSAGE.
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d)
remove_work() {
  if declare -F at_exit > /dev/null; then at_exit || true; fi
  rm -rf "$WORK"
}
trap remove_work EXIT
cd "$WORK"
fail() { echo "FAIL: $*" >&2; exit 1; }

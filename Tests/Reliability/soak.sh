#!/usr/bin/env bash
# The soak (not part of CI): the real local API and runner under sustained mixed load for a bounded
# time, with the runner's RSS sampled from /proc every 5 s and its least-squares slope printed.
#
#   Tests/Reliability/soak.sh                # 10 minutes
#   Tests/Reliability/soak.sh --minutes 3
#
# Builds first (debug, with tests), then runs only ReliabilityTests' soak test. Results also go to
# $RELIABILITY_RESULTS (default: $TMPDIR/reliability-results.md), as a row for docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=10
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    *) echo "usage: $0 [--minutes N]" >&2; exit 64 ;;
  esac
done
swift build --build-tests
RELIABILITY_SOAK_MINUTES="$minutes" swift test --skip-build --filter 'ReliabilityTests.SoakTests' 2>&1 \
  | grep -E '^\[(soak|reliability)\]|✔|✘'

#!/usr/bin/env bash
# Audit chain throughput under concurrent writers (records/s, latency), then a full verify. Release build.
# Usage: bench/audit.sh [seconds per concurrency level, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product audit-bench >/dev/null
"$(swift build -c release --show-bin-path)/audit-bench" "${1:-5}"

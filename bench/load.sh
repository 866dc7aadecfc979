#!/usr/bin/env bash
# A county's busiest morning against yiye with wrk, beside a bare Hummingbird + PostgresNIO SELECT 1 route (the
# ceiling) in the same run: maximum throughput, and p50/p99 at 1,000 req/s; `--soak MINUTES` also checks 0 errors and
# flat memory. Release build (CONFIG=debug for a quick check, as CI runs it). bench/load.py says what the mix is.
# Usage: bench/load.sh [--seconds N] [--rate R] [--connections C] [--soak MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)"; exit 1; }
config="${CONFIG:-release}"
export YIYE_BENCH=1  # the ceiling's target exists only when asked (Package.swift)
for product in yiye load-ceiling; do
  build=$(swift build -c "$config" --product "$product" 2>&1) || { echo "$build"; exit 1; }
done
exec python3 bench/load.py --bin-dir "$(swift build -c "$config" --show-bin-path)" "$@"

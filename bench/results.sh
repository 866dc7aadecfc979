#!/usr/bin/env bash
# 一公开: public search of published results (p50/p95 against a SELECT 1 floor) and the open-data export (rows/s, peak
# memory at one month and one year). Release build.
# Usage: bench/results.sh [published results, default 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
export YIYE_BENCH=1  # the bench targets exist only when asked (Package.swift)
build=$(swift build -c release --product result-bench 2>&1) || { echo "$build"; exit 1; }
"$(swift build -c release --show-bin-path)/result-bench" "${1:-1000000}"

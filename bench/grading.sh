#!/usr/bin/env bash
# 一业一评 and 风险预警: grading 1,000,000 objects with 8 indicators, regrading one, and evaluating warning rules over
# 1,000,000 results, against a SELECT 1 round trip in the same run. Release build.
# Usage: bench/grading.sh [objects, default 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
export YIYE_BENCH=1  # the bench targets exist only when asked (Package.swift)
build=$(swift build -c release --product grading-bench 2>&1) || { echo "$build"; exit 1; }
"$(swift build -c release --show-bin-path)/grading-bench" "${1:-1000000}"

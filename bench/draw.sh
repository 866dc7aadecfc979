#!/usr/bin/env bash
# A joint draw at province scale (freeze, execute, persist; peak memory) against the usual ORDER BY random() way.
# Usage: bench/draw.sh [objects, default 1000000] [inspectors per department, default 400] [departments, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
export YIYE_BENCH=1  # the bench targets exist only when asked (Package.swift)
build=$(swift build -c release --product draw-bench 2>&1) || { echo "$build"; exit 1; }
"$(swift build -c release --show-bin-path)/draw-bench" "${1:-1000000}" "${2:-400}" "${3:-5}"

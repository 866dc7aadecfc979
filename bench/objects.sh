#!/usr/bin/env bash
# Object directory import (rows/s, peak memory) and search (p50/p95). Release build.
# Usage: bench/objects.sh [rows, default 1000000]; EXPLAIN=1 bench/objects.sh also prints the search plans
set -euo pipefail
cd "$(dirname "$0")/.."
export YIYE_BENCH=1  # the bench targets exist only when asked (Package.swift)
build=$(swift build -c release --product object-import-bench 2>&1) || { echo "$build"; exit 1; }
"$(swift build -c release --show-bin-path)/object-import-bench" "${1:-1000000}"

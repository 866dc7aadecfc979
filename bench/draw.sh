#!/usr/bin/env bash
# A joint draw at province scale (freeze, execute, persist; peak memory) against the usual ORDER BY random() way.
# Usage: bench/draw.sh [objects, default 1000000] [inspectors per department, default 400]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product draw-bench >/dev/null
"$(swift build -c release --show-bin-path)/draw-bench" "${1:-1000000}" "${2:-400}"

#!/usr/bin/env bash
# scripts/backtest.sh [KASIP [CHARTS]]: the back-tests docs/backtest.md shows, on a
# fresh database of the built-in data set (`make backtest` runs it with the release
# build and writes the charts of runs 1 and 2 to docs/backtest/).
#   run 1: from 2016 to 2025, the baseline scenario's growth rates
#   run 2: from 2019 to 2025, the same
#   run 3: from 2016 to 2025, each section's own trend of 2011-2016 as growth
#   run 4: from 2010 to 2013, with the ISCO-08 major groups
set -euo pipefail
KASIP=${1:-build/release/kasip}
KASIP=$(cd "$(dirname "$KASIP")" && pwd)/$(basename "$KASIP")
CHARTS=${2:-}
chart() { [ -n "$CHARTS" ] && echo "--chart $CHARTS/$1" || true; }
[ -z "$CHARTS" ] || mkdir -p "$CHARTS"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export KASIP_DB="$dir/backtest.db"
"$KASIP" init >/dev/null
"$KASIP" backtest --base 2016 --to 2025 $(chart run1)
"$KASIP" backtest --base 2019 --to 2025 $(chart run2)
"$KASIP" backtest --base 2016 --to 2025 --growth trend
"$KASIP" backtest --base 2010 --to 2013

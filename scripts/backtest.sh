#!/usr/bin/env bash
# scripts/backtest.sh [KASIP]: the back-tests docs/backtest.md shows, on a fresh
# database of the built-in data set (`make backtest` runs it with the release build).
#   run 1: from 2016 to 2025, the baseline scenario's growth rates
#   run 2: from 2019 to 2025, the same
#   run 3: from 2016 to 2025, each section's own trend of 2011-2016 as growth
#   run 4: from 2010 to 2013, with the ISCO-08 major groups
set -euo pipefail
KASIP=${1:-build/release/kasip}
KASIP=$(cd "$(dirname "$KASIP")" && pwd)/$(basename "$KASIP")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export KASIP_DB="$dir/backtest.db"
"$KASIP" init >/dev/null
"$KASIP" backtest --base 2016 --to 2025
"$KASIP" backtest --base 2019 --to 2025
"$KASIP" backtest --base 2016 --to 2025 --growth trend
"$KASIP" backtest --base 2010 --to 2013

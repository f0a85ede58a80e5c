#!/usr/bin/env bash
# scripts/backtest.sh [KASIP [CHARTS]]: the back-tests docs/backtest.md shows, on a
# fresh database of the built-in data set (`make backtest` runs it with the release
# build and writes the charts of runs 1 and 2 to docs/backtest/).
#   run 1: from 2016 to 2025, the baseline scenario's growth rates
#   run 2: from 2019 to 2025, the same
#   run 3: from 2016 to 2025, each section's own trend of 2011-2016 as growth
#   run 4: from 2010 to 2013, with the ISCO-08 major groups
#   runs 5-10: from 2017, 2018, ..., 2022 to 2025, growth by trend (with run 3, the
#   runs the Monte Carlo's growth spread is fitted to: "Calibrated bands")
#   the calibration on runs 3, 5-10, and on runs 3, 5, 6 checked on run 8 (2020)
#   runs 11-17: the same base years with the scenario's growth, their fit for comparison
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
for b in 2017 2018 2019 2020 2021 2022; do
	"$KASIP" backtest --base $b --to 2025 --growth trend --format csv >/dev/null
done
"$KASIP" backtest --calibrate 3,5,6,7,8,9,10
"$KASIP" backtest --calibrate 3,5,6 --run 8
for b in 2016 2017 2018 2019 2020 2021 2022; do
	"$KASIP" backtest --base $b --to 2025 --format csv >/dev/null
done
"$KASIP" backtest --calibrate 11,12,13,14,15,16,17

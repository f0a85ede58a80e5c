#!/usr/bin/env bash
# update.sh KASIP: write the atlas's golden files again from the built-in data set
# (tests/cli/atlas.test compares against them).  Run it when a change of the
# data set or of the atlas changes the numbers on purpose, and read the diff.
set -eu
kasip=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LC_ALL=C KASIP_DB=kasip.db KASIP_DATA="$here/../../../data/kz"
"$kasip" init >/dev/null
"$kasip" forecast --level 1 --region KZ-75 --to 2027 --draws 20 --seed 1 >/dev/null 2>&1
"$kasip" atlas --region KZ-75 >"$here/kz75.txt"
"$kasip" atlas --region KZ-75 --format csv 2>/dev/null >"$here/kz75.csv"
"$kasip" atlas --region KZ-75 --format json 2>/dev/null | grep -v '"created"' >"$here/kz75.json"
"$kasip" atlas --occupation 7 --region KZ-75 >"$here/card-7.txt"
"$kasip" atlas --compare --occupation 7 --format csv 2>/dev/null >"$here/compare-7.csv"
"$kasip" atlas rules --format csv >"$here/rules.csv"

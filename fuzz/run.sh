#!/usr/bin/env bash
# run.sh FUZZER CORPUS SECONDS: run a libFuzzer target for a bounded time on a
# scratch copy of its seed corpus; a crash, leak or sanitizer report fails.
set -euo pipefail
fuzzer=$1 corpus=$2 seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp -r "$corpus"/. "$work/corpus/"
cd "$work"
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus 2>&1 | tail -n 25

#!/usr/bin/env bash
# web-deps.sh: the dashboard's npm packages (package.json, package-lock.json):
# `npm ci` when node_modules is missing or older than the lockfile, then the
# one file the pages load, ECharts, copied into web/vendor/ (not committed),
# so that kasip serves it from its web root with no internet and nothing else
# of node_modules (playwright-core is for the tests only) is reachable.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
[ -f package-lock.json ] || exit 0
if ! command -v npm >/dev/null; then
  echo "kasip: npm is missing: the dashboard will have no charts (apt-get install npm)" >&2
  exit 0
fi
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p web/vendor
for f in node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE; do
  dest=web/vendor/$(basename "$f")
  [ "$f" = node_modules/echarts/LICENSE ] && dest=web/vendor/echarts.LICENSE.txt
  if [ ! -f "$dest" ] || ! cmp -s "$f" "$dest"; then cp "$f" "$dest"; fi
done

#!/usr/bin/env bash
# run.sh KASIP SRC OUT [SCRIPT]: the dashboard in headless Chromium (SCRIPT,
# one of tests/browser/*.mjs, dashboard.mjs by default; playwright-core from npm) against a real `kasip serve` on 127.0.0.1 with a
# fresh database (kasip init and a baseline forecast with a few draws).
# Screenshots of every page go to OUT (the build directory: test artefacts).
# Exits 77 (ctest SKIP_RETURN_CODE) when Chromium is absent, and only then.
set -u
kasip_bin=$(realpath "$1")
src=$(realpath "$2")
out=$3
script=${4:-dashboard.mjs} # one of tests/browser/*.mjs
chromium=${KASIP_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
	echo "skipped: no Chromium at $chromium (apt-get install chromium)"
	exit 77
fi
if [ ! -f "$src/node_modules/playwright-core/package.json" ] || [ ! -f "$src/web/vendor/echarts.min.js" ]; then
	echo "the dashboard's npm packages are missing: run make deps (scripts/web-deps.sh)"
	exit 1
fi
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && wait "$pid"; rm -rf "$work"' EXIT
cd "$work" || exit 2
export LC_ALL=C
"$kasip_bin" --db k.db init >init.out 2>&1 || { cat init.out; exit 1; }
"$kasip_bin" --db k.db forecast --scenario baseline --draws 8 >forecast.out 2>&1 ||
	{ cat forecast.out; exit 1; }
# The page tests that write (an upload, a job) use this admin key, given to
# the script in $KASIP_TEST_KEY.
KASIP_TEST_KEY=$("$kasip_bin" --db k.db key new --role admin --name browser-tests 2>/dev/null) ||
	{ echo "kasip key new failed"; exit 1; }
export KASIP_TEST_KEY
# a second scenario, for the forecast page's comparison
"$kasip_bin" --db k.db forecast --scenario high --draws 8 >forecast2.out 2>&1 ||
	{ cat forecast2.out; exit 1; }
"$kasip_bin" --db k.db serve --listen 127.0.0.1:0 --web-root "$src/web" --rate 10000 \
	--burst 10000 --access-log access.log >serve.out 2>serve.err &
pid=$!
port=""
for _ in $(seq 1 400); do
	port=$(sed -n 's|^kasip: serving on http://127.0.0.1:\([0-9]*\)/.*|\1|p' serve.out)
	[ -n "$port" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if [ -z "$port" ]; then
	echo "kasip serve did not start"
	cat serve.out serve.err
	exit 1
fi
base="http://127.0.0.1:$port"
fail=0
# Only the pages' files are served: nothing of node_modules or the repository.
for path in /node_modules/playwright-core/package.json /node_modules/echarts/dist/echarts.min.js \
	/package.json /package-lock.json /../package.json /vendor/../../package.json; do
	code=$(curl -s -o /dev/null -w '%{http_code}' --path-as-is "$base$path")
	if [ "$code" != 404 ]; then
		echo "FAIL $path answered $code, not 404"
		fail=1
	fi
done
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/vendor/echarts.min.js")
[ "$code" = 200 ] || { echo "FAIL /vendor/echarts.min.js answered $code"; fail=1; }
node "$src/tests/browser/$script" "$base" "$out" "$chromium" "$src" ||
	fail=1
if [ "$fail" != 0 ]; then
	echo "--- server stderr"
	tail -20 serve.err
fi
exit $fail

#!/usr/bin/env bash
# serve.sh [KASIP] [SECONDS]: load benchmark of kasip serve with wrk (Debian's
# wrk), 64 connections on 2 threads, against the regions list, one region's
# profile, a region's atlas (plain, and gzip as a browser asks for it) and a
# forecast query; prints requests a second and latency percentiles.  A fresh database in a temporary directory; nothing else is
# touched.  Figures go into docs/performance.md by hand.
set -eu
kasip=$(realpath "${1:-build/release/kasip}")
seconds=${2:-10}
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
cd "$work"
"$kasip" --db k.db init >/dev/null
"$kasip" --db k.db forecast --to 2035 --level 2 >/dev/null
"$kasip" --db k.db serve --listen 127.0.0.1:0 --threads 2 --rate 1e6 --burst 1e6 \
	--access-log /dev/null >serve.out 2>serve.err &
pid=$!
for _ in $(seq 1 100); do
	port=$(sed -n 's|^kasip: serving on http://127.0.0.1:\([0-9]*\)/.*|\1|p' serve.out)
	[ -n "$port" ] && break
	sleep 0.05
done
run() { # run NAME PATH [wrk options]
	name=$1 path=$2
	shift 2
	echo "== GET $path ($name)"
	wrk -t2 -c64 -d"${seconds}s" --latency "$@" "http://127.0.0.1:$port$path" |
		grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors'
}
run plain /api/v1/regions
run plain /api/v1/regions/KZ-59
run plain /api/v1/regions/KZ-59/atlas
run gzip /api/v1/regions/KZ-59/atlas -H 'Accept-Encoding: gzip'
run plain "/api/v1/forecasts/1/cells?region=KZ-59&year=2030&limit=100"

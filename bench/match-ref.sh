#!/bin/sh
# match-ref.sh - kasip's matcher against the reference deferred acceptance
# (bench/ref-match, issue 14) on the same instances, interleaved.
#
#   sh bench/match-ref.sh            # from the top of the source tree
#   PROCS=6 RUNS=5 CPU=1 CLOCK=cpu sh bench/match-ref.sh
#
# Builds kasip's release preset (bench_match_ref) and the reference's da and
# gen (cc -O2, as the kit's README says) in a temporary directory, generates
# the kit's two benchmark instances there (100,000 x 18,000 x 10, seed 1;
# 1,000,000 x 100,000 x 10, seed 2), checks once that kasip's assignment is
# the reference's (da -c: same checksum, stable, 0 students placed
# differently), then runs PROCS rounds; in each round, for each instance,
# one process of each program in turn, pinned to core CPU with taskset:
#
#   kasip ws    bench_match_ref -w: ksp_match_run_ws() RUNS times on one
#               workspace (working arrays allocated once, as the reference)
#   kasip       bench_match_ref: ksp_match_run() RUNS times, allocating its
#               working arrays and the result every run
#   reference   da: prep + match RUNS times on arrays allocated once
#
#   cold        bench_match_ref -r 1 and da -r 1: one run in a fresh process,
#               where both pay the first touch of their working memory
#
# and kasip's general path (bench_match_ref -g -w: every place an explicit
# list of the students who rank it, in the master order) against da -g (the
# reference's general path on the same lists), same checksum required.
#
# Each process reports the median of its RUNS runs and its peak resident
# set; the table gives the median over the PROCS processes.  CLOCK=cpu (the
# default) times the process's CPU time (CLOCK_PROCESS_CPUTIME_ID) in both
# programs: the machine is shared, and wall time then counts the time spent
# waiting for the core.  For da this is a copy of da.c with that one clock
# changed (sed below); CLOCK=wall uses CLOCK_MONOTONIC in both, da as is.
set -eu
PROCS=${PROCS:-6}
RUNS=${RUNS:-5}
CPU=${CPU:-1}
CLOCK=${CLOCK:-cpu}
CC=${CC:-cc}
top=$(pwd)
[ -f bench/ref-match/da.c ] || { echo "match-ref.sh: run it from the top of the source tree" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

cmake --preset release >/dev/null
nice cmake --build --preset release -j2 --target bench_match_ref >/dev/null
K=$top/build/release/bench/bench_match_ref
if [ "$CLOCK" = cpu ]; then
	sed 's/clock_gettime(CLOCK_MONOTONIC/clock_gettime(CLOCK_PROCESS_CPUTIME_ID/' \
		bench/ref-match/da.c > "$W/da.c"
	grep -q PROCESS_CPUTIME "$W/da.c" || { echo "match-ref.sh: could not set da's clock" >&2; exit 1; }
	KC=-c
else
	cp bench/ref-match/da.c "$W/da.c"
	KC=
fi
$CC -O2 -std=c11 -Wall -Wextra -o "$W/da" "$W/da.c"
$CC -O2 -std=c11 -Wall -Wextra -o "$W/gen" bench/ref-match/gen.c -lm
"$W/gen" -n 100000 -m 18000 -k 10 -s 1 -o "$W/100k.bin" 2>/dev/null
"$W/gen" -n 1000000 -m 100000 -k 10 -s 2 -o "$W/1m.bin" 2>/dev/null

# key VALUE from a report: the first number after the key
val() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }

for i in 100k 1m; do
	"$K" -r 1 -a "$W/$i.kasip" "$W/$i.bin" > "$W/$i.k0"
	if ! "$W/da" -r 1 -c "$W/$i.kasip" "$W/$i.bin" > "$W/$i.d0" 2>&1; then
		cat "$W/$i.d0" >&2
		echo "match-ref.sh: $i: kasip's assignment is not the reference's" >&2
		exit 1
	fi
	ks=$(val checksum "$W/$i.k0") ds=$(val checksum "$W/$i.d0")
	kp=$(val proposals "$W/$i.k0") dp=$(val proposals "$W/$i.d0")
	if [ "$ks" != "$ds" ] || [ "$kp" != "$dp" ]; then
		echo "match-ref.sh: $i: checksum $ks / $ds, proposals $kp / $dp differ" >&2
		exit 1
	fi
	echo "$i: checksum $ks, proposals $kp, matched $(val matched "$W/$i.k0"): the same in both;" \
		"da -c: $(val other_check "$W/$i.d0"), $(val other_diff "$W/$i.d0") placed differently"
done

: > "$W/times"
r=1
while [ "$r" -le "$PROCS" ]; do
	for i in 100k 1m; do
		taskset -c "$CPU" "$K" $KC -w -r "$RUNS" "$W/$i.bin" > "$W/o"
		echo "$i ws $(val run_ms "$W/o") $(val peak_rss_kb "$W/o")" >> "$W/times"
		taskset -c "$CPU" "$W/da" -r "$RUNS" "$W/$i.bin" > "$W/o"
		echo "$i ref $(val total_ms "$W/o") $(val peak_rss_kb "$W/o") $(val prep_ms "$W/o") $(val match_ms "$W/o")" >> "$W/times"
		taskset -c "$CPU" "$K" $KC -r "$RUNS" "$W/$i.bin" > "$W/o"
		echo "$i run $(val run_ms "$W/o") $(val peak_rss_kb "$W/o")" >> "$W/times"
		# one run in a fresh process: both pay the first touch of their memory
		taskset -c "$CPU" "$K" $KC -r 1 "$W/$i.bin" > "$W/o"
		echo "$i cold $(val run_ms "$W/o") $(val peak_rss_kb "$W/o")" >> "$W/times"
		taskset -c "$CPU" "$W/da" -r 1 "$W/$i.bin" > "$W/o"
		echo "$i refcold $(val total_ms "$W/o") $(val peak_rss_kb "$W/o") $(val prep_ms "$W/o") $(val match_ms "$W/o")" >> "$W/times"
		# the general path: every place an explicit list (both -g)
		taskset -c "$CPU" "$K" $KC -g -w -r "$RUNS" "$W/$i.bin" > "$W/o"
		echo "$i gws $(val run_ms "$W/o") $(val peak_rss_kb "$W/o") $(val checksum "$W/o")" >> "$W/times"
		taskset -c "$CPU" "$W/da" -g -r "$RUNS" "$W/$i.bin" > "$W/o"
		echo "$i gref $(val total_ms "$W/o") $(val peak_rss_kb "$W/o") $(val prep_ms "$W/o") $(val match_ms "$W/o") $(val checksum "$W/o")" >> "$W/times"
	done
	r=$((r + 1))
done

# medians over the processes
med() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v i="$1" -v w="$2" -v c="$3" '$1 == i && $2 == w { print $c }' "$W/times" | med; }

for i in 100k 1m; do
	ks=$(awk -v i=$i '$1 == i && $2 == "gws" { print $5; exit }' "$W/times")
	ds=$(awk -v i=$i '$1 == i && $2 == "gref" { print $7; exit }' "$W/times")
	[ "$ks" = "$ds" ] || { echo "match-ref.sh: $i general path: checksum $ks / $ds differ" >&2; exit 1; }
	echo "$i general path (every place an explicit list, -g in both): checksum $ks in both"
done

echo
echo "clock: $CLOCK; $PROCS processes of $RUNS runs each per program, path and instance (cold: 1 run), pinned to core $CPU;"
echo "$(uname -m), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $($CC --version | head -1)"
echo
echo "| instance | places rank by | kasip | kasip median | reference median (prep; match) | ratio | peak RSS kasip / reference |"
echo "| --- | --- | --- | ---: | ---: | ---: | ---: |"
row() { # instance path kasip-key ref-key label
	kw=$(col $1 $3 3) d=$(col $1 $4 3) dp=$(col $1 $4 5) dm=$(col $1 $4 6)
	rw=$(col $1 $3 4) rd=$(col $1 $4 4)
	name=$([ $1 = 100k ] && echo "100,000 x 18,000 x 10" || echo "1,000,000 x 100,000 x 10")
	awk -v n="$name" -v pa="$2" -v l="$5" -v kw="$kw" -v d="$d" -v dp="$dp" -v dm="$dm" \
		-v rw="$rw" -v rd="$rd" 'BEGIN {
		printf "| %s | %s | %s | %.1f ms | %.1f ms (%.1f; %.1f) | %.2fx | %.1f / %.1f MB |\n",
			n, pa, l, kw, d, dp, dm, kw / d, rw / 1024, rd / 1024 }'
}
for i in 100k 1m; do
	row $i "score (master list)" ws ref "ksp_match_run_ws (workspace kept)"
	row $i "score (master list)" run ref "ksp_match_run (allocates every run)"
	row $i "score (master list)" cold refcold "one run in a fresh process (both)"
	row $i "explicit lists (-g)" gws gref "ksp_match_run_ws (workspace kept)"
done

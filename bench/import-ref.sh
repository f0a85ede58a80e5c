#!/bin/sh
# import-ref.sh - `kasip import choices` against sqlite3's own `.import` of
# the same file into the same database (issue 9), side by side.
#
#   sh bench/import-ref.sh            # from the top of the source tree
#   RUNS=5 SIZES="40000" sh bench/import-ref.sh
#
# Builds kasip's release preset, then for each size (students; each ranks
# up to 10 places: 40,000 students give about 400,000 choices, 200,000
# about 2,000,000) generates a placement instance with a fixed seed
# (kasip gen placement), makes one database with kasip init and the
# colleges, enterprises, places and students imported, and then RUNS
# rounds; in each round, one process of each program in turn, each on a
# fresh copy of that database:
#
#   kasip     kasip import choices choices.csv   (validation, references,
#             duplicates, foreign keys on: everything it always checks)
#   sqlite3   sqlite3 DB ".import --csv --skip 1 choices.csv choice"
#             (the same table, indexes and journal mode (WAL); the CLI's
#             defaults: no foreign keys, no checks beyond the schema's,
#             2 MB page cache)
#
# /usr/bin/time gives wall time, CPU time (user + system) and the peak
# resident set; the table shows the median of the rounds.  The peak size of
# the write-ahead log is measured in one more, untimed run of each program
# (a shell loop polls the file every 10 ms and would disturb the timing).
# Before timing, both databases are checked to hold the same rows.
set -eu
RUNS=${RUNS:-3}
SIZES=${SIZES:-"40000 200000"}
top=$(pwd)
[ -f bench/import-ref.sh ] || { echo "import-ref.sh: run it from the top of the source tree" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "import-ref.sh: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "import-ref.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

cmake --preset release >/dev/null
nice cmake --build --preset release -j2 --target kasip-cli >/dev/null
K=$top/build/release/kasip

fresh() { # fresh SRC DST: a copy of the database with no -wal or -shm
	rm -f "$2" "$2-wal" "$2-shm"
	cp "$1" "$2"
}

run_kasip() { "$K" --db "$1" import choices "$2" >/dev/null; }
run_sqlite() { sqlite3 "$1" ".import --csv --skip 1 $2 choice"; }

# walpeak CMD DB FILE: the largest size DB-wal reached while CMD ran
walpeak() {
	"$1" "$2" "$3" &
	pid=$!
	peak=0
	while kill -0 $pid 2>/dev/null; do
		s=$(stat -c %s "$2-wal" 2>/dev/null || echo 0)
		[ "$s" -gt "$peak" ] && peak=$s
		sleep 0.01
	done
	wait $pid
	echo "$peak"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "| choices | file | program | wall (median) | CPU (median) | peak RSS | WAL peak | database after |"
echo "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
for n in $SIZES; do
	d=$W/g$n
	"$K" gen placement --students "$n" --enterprises $((n / 20)) --seed 1 --out "$d" >/dev/null
	rm -f "$W/base.db" "$W/base.db-wal" "$W/base.db-shm"
	"$K" --db "$W/base.db" init >/dev/null
	for t in colleges enterprises places students; do
		"$K" --db "$W/base.db" import $t "$d/$t.csv" >/dev/null
	done
	rows=$(($(wc -l < "$d/choices.csv") - 1))
	size=$(stat -c %s "$d/choices.csv")

	# the same rows in both
	fresh "$W/base.db" "$W/k.db"
	fresh "$W/base.db" "$W/s.db"
	run_kasip "$W/k.db" "$d/choices.csv"
	run_sqlite "$W/s.db" "$d/choices.csv"
	q="SELECT student, rank, place FROM choice ORDER BY student, rank"
	a=$(sqlite3 "$W/k.db" "$q" | md5sum) b=$(sqlite3 "$W/s.db" "$q" | md5sum)
	[ "$a" = "$b" ] || { echo "import-ref.sh: $n: the two databases differ" >&2; exit 1; }
	dbsize=$(stat -c %s "$W/k.db")

	: > "$W/k.t"
	: > "$W/s.t"
	for _ in $(seq "$RUNS"); do
		fresh "$W/base.db" "$W/k.db"
		/usr/bin/time -f "%e %U %S %M" -o "$W/time" "$K" --db "$W/k.db" import choices "$d/choices.csv" >/dev/null
		cat "$W/time" >> "$W/k.t"
		fresh "$W/base.db" "$W/s.db"
		/usr/bin/time -f "%e %U %S %M" -o "$W/time" sqlite3 "$W/s.db" ".import --csv --skip 1 $d/choices.csv choice"
		cat "$W/time" >> "$W/s.t"
	done
	fresh "$W/base.db" "$W/k.db"
	kw=$(walpeak run_kasip "$W/k.db" "$d/choices.csv")
	fresh "$W/base.db" "$W/s.db"
	sw=$(walpeak run_sqlite "$W/s.db" "$d/choices.csv")

	for p in kasip sqlite3; do
		if [ $p = kasip ]; then f=$W/k.t wal=$kw; else f=$W/s.t wal=$sw; fi
		wall=$(awk '{ print $1 }' "$f" | median)
		cpu=$(awk '{ printf "%.2f\n", $2 + $3 }' "$f" | median)
		rss=$(awk '{ print $4 }' "$f" | median)
		echo "$p $wall $cpu $rss $wal" >> "$W/sum$n"
		echo "$rows $size $p $wall $cpu $rss $wal $dbsize" | awk '{
			printf "| %d | %.1f MB | %s | %.2f s | %.2f s | %.1f MB | %.1f MB | %.1f MB |\n",
				$1, $2 / 1e6, $3, $4, $5, $6 / 1024, $7 / 1e6, $8 / 1e6 }'
	done
	awk -v n="$rows" '$1 == "kasip" { kw = $2; kc = $3 } $1 == "sqlite3" { sw = $2; sc = $3 }
		END { printf "| %d | | kasip / sqlite3 | **%.2f** | **%.2f** | | | |\n", n, kw / sw, kc / sc }' "$W/sum$n"
done
echo
echo "each: median of $RUNS runs, interleaved; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

# kill9.sh - an import killed with SIGKILL part-way leaves the table fully
# old and the database intact (PRAGMA integrity_check), and the next import
# and export work.  The kill comes once the import has visibly progressed
# (its write-ahead log has grown), not after a guessed delay.
. "$(dirname "$0")/lib.sh"

kasip init >/dev/null || { echo "kasip init failed"; exit 1; }
kasip gen placement --students 12000 --enterprises 300 --seed 9 --out gen >/dev/null
for t in colleges enterprises places students; do
	kasip import $t gen/$t.csv >/dev/null || bad "import $t"
done
# a first, small set of choices: what the table must still hold after the kill
head -n 2001 gen/choices.csv >small.csv
kasip import choices small.csv >/dev/null || bad "import small.csv"
kasip export choices --format csv >before.csv
same "choices before" "$(count choice)" 2000

# --cache 2: a page cache smaller than the import's changes, so that pages
# spill into the write-ahead log before the commit and the kill finds
# uncommitted frames there (with the default 32 MiB this import would
# write its log only at the commit).
kasip import choices gen/choices.csv --cache 2 >imp.out 2>imp.err &
imp=$!
bg_pids+=("$imp")
killed=0
for _ in $(seq 3000); do
	size=$(stat -c %s kasip.db-wal 2>/dev/null || echo 0)
	if [ "$size" -gt 2000000 ]; then
		kill -9 $imp && killed=1
		break
	fi
	running $imp || break
	sleep 0.02
done
wait $imp 2>/dev/null
same "the import was killed part-way" "$killed" 1

same "integrity after kill -9" "$(integrity)" ok
same "the table is fully old" "$(count choice)" 2000
kasip export choices --format csv >after.csv
check "export unchanged" cmp -s before.csv after.csv
if kasip import choices small.csv >/dev/null; then ok; else bad "the next import works"; fi
same "integrity at the end" "$(integrity)" ok

finish

# faults.sh - a file-size limit and a full disk are ordinary write errors:
# the writer rolls back and says what happened and to which file, nothing
# is changed, and the commands that only read keep working on a full disk.
. "$(dirname "$0")/lib.sh"

kasip init >/dev/null || { echo "kasip init failed"; exit 1; }
kasip gen placement --students 6000 --enterprises 200 --seed 4 --out gen >/dev/null
for t in colleges enterprises places students; do
	kasip import $t gen/$t.csv >/dev/null || bad "import $t"
done
kasip export students --format csv >before.csv

# ---- ulimit -f: no death by SIGXFSZ, a message, nothing changed ---------------
# The limit (in KiB) leaves the database file as it is but stops the
# write-ahead log after 256 KiB, which the choices import overruns.
(ulimit -f 256 && exec kasip import choices gen/choices.csv) >x.out 2>x.err
same "ulimit -f: exit status (not 153, SIGXFSZ)" "$?" 1
same "ulimit -f: message" "$(cat x.err)" \
	"kasip: file size limit exceeded while writing 'kasip.db' (ulimit -f); nothing was changed"
same "ulimit -f: nothing imported" "$(count choice)" 0
same "ulimit -f: integrity" "$(integrity)" ok
# a small write under the same limit goes through
head -n 11 gen/choices.csv >small.csv
(ulimit -f 256 && exec kasip import choices small.csv) >x.out 2>x.err
same "ulimit -f: a small import" "$? $(cat x.err)" "0 "
same "ulimit -f: its rows" "$(count choice)" 10

# ---- a full disk (a small tmpfs; needs root) ---------------------------------
if [ "$(id -u)" != 0 ]; then
	echo "skip: the full-disk cases need root to mount a small tmpfs"
elif ! mkdir full || ! mount -t tmpfs -o size=8m tmpfs full 2>mount.err; then
	echo "skip: cannot mount a tmpfs here: $(cat mount.err 2>/dev/null)"
else
	mounted=$work/full
	cp kasip.db full/kasip.db
	# a first write there leaves the -wal and -shm files in place (as every
	# write does), which the read-only opens need
	kasip --db full/kasip.db import choices small.csv >/dev/null || bad "import on the tmpfs"
	kasip --db full/kasip.db export regions --format csv >regions.csv
	dd if=/dev/zero of=full/fill bs=64k 2>/dev/null
	dd if=/dev/zero of=full/fill2 bs=4k 2>/dev/null
	same "the disk is full" "$(df --output=avail full | tail -n 1 | tr -d ' ')" 0

	kasip --db full/kasip.db summary >x.out 2>x.err
	same "full disk: summary works" "$? $(cat x.err)" "0 "
	kasip --db full/kasip.db export regions --format csv >x.out 2>x.err
	same "full disk: export works" "$? $(cat x.err)" "0 "
	check "full disk: export is right" cmp -s regions.csv x.out
	kasip --db full/kasip.db regions >/dev/null 2>x.err
	same "full disk: regions works" "$? $(cat x.err)" "0 "
	kasip --db full/kasip.db match stats >/dev/null 2>x.err
	same "full disk: match stats reads (no run yet)" "$?" 1
	if grep -q "disk\|I/O" x.err; then bad "match stats on a full disk" "$(cat x.err)"; else ok; fi

	kasip --db full/kasip.db import choices gen/choices.csv >x.out 2>x.err
	same "full disk: import exit" "$?" 1
	same "full disk: import message" "$(cat x.err)" \
		"kasip: disk full while writing 'full/kasip.db'; nothing was changed"
	kasip --db full/kasip.db forecast --to 2027 >x.out 2>x.err
	same "full disk: forecast exit" "$?" 1
	same "full disk: forecast message" "$(tail -n 1 x.err)" \
		"kasip: disk full while writing 'full/kasip.db'; nothing was changed"
	rm -f full/fill full/fill2
	same "full disk: integrity" "$(integrity full/kasip.db)" ok
	same "full disk: nothing imported" "$(count choice full/kasip.db)" 10
	same "full disk: no forecast stored" "$(count forecast_run full/kasip.db)" 0
	umount full && mounted=
fi
kasip export students --format csv >after.csv
check "students unchanged" cmp -s before.csv after.csv

finish

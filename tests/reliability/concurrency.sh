# concurrency.sh - two writers at once both succeed: they take turns at the
# write lock (BEGIN IMMEDIATE under --busy-timeout) instead of failing, a long
# computation holds no lock while it computes, and a writer kept out longer
# than --busy-timeout fails with a message naming the database and the lock.
#
# Deterministic: a second process (dbtool hold) holds the write lock on
# purpose while the writers start, so they must meet the lock and wait.
. "$(dirname "$0")/lib.sh"

kasip init >/dev/null || { echo "kasip init failed"; exit 1; }
kasip gen placement --students 2000 --enterprises 80 --seed 5 --out gen >/dev/null
for t in colleges enterprises places students choices; do
	kasip import $t gen/$t.csv >/dev/null || bad "import $t"
done
students=$(count student)
same "students imported" "$students" 2000

# ---- two imports of the same table at once (the issue's case) ----------------
hold_lock kasip.db
kasip --busy-timeout 60000 import students gen/students.csv >a.out 2>a.err &
a=$!
kasip --busy-timeout 60000 import students gen/students.csv >b.out 2>b.err &
b=$!
bg_pids+=("$a" "$b")
sleep 0.5
if running $a && running $b; then ok; else bad "both imports wait for the lock" "$(cat a.err b.err)"; fi
# readers never wait for a writer
check "summary while the lock is held" kasip summary >/dev/null
release_lock
wait $a; sa=$?
wait $b; sb=$?
same "first import succeeds" "$sa $(cat a.err)" "0 "
same "second import succeeds" "$sb $(cat b.err)" "0 "
same "import outputs" "$(cat a.out b.out | sort)" "kasip: imported 2000 rows into students from 'gen/students.csv' (0 new, 2000 replaced)
kasip: imported 2000 rows into students from 'gen/students.csv' (0 new, 2000 replaced)"
same "students after both" "$(count student)" 2000

# ---- an import and a forecast -----------------------------------------------
runs=$(count forecast_run)
hold_lock kasip.db
kasip --busy-timeout 60000 import students gen/students.csv >a.out 2>a.err &
a=$!
kasip --busy-timeout 60000 forecast --to 2027 >f.out 2>f.err &
f=$!
bg_pids+=("$a" "$f")
sleep 0.5
if running $a && running $f; then ok; else bad "import and forecast wait" "$(cat a.err f.err)"; fi
release_lock
wait $a; sa=$?
wait $f; sf=$?
same "import beside a forecast" "$sa $(cat a.err)" "0 "
same "forecast beside an import" "$sf $(grep -v 'running the forecast' f.err)" "0 "
same "the forecast was stored" "$(count forecast_run)" $((runs + 1))

# ---- a forecast and an import, really concurrent (no lock held by the test) --
runs=$(count forecast_run)
kasip --busy-timeout 60000 forecast --to 2027 >f.out 2>f.err &
f=$!
kasip --busy-timeout 60000 import students gen/students.csv >a.out 2>a.err &
a=$!
bg_pids+=("$a" "$f")
wait $f; sf=$?
wait $a; sa=$?
same "forecast started first" "$sf $(grep -v 'running the forecast' f.err)" "0 "
same "import during a forecast" "$sa $(cat a.err)" "0 "
same "that forecast was stored" "$(count forecast_run)" $((runs + 1))

# ---- a matching and an import -----------------------------------------------
hold_lock kasip.db
kasip --busy-timeout 60000 match run --seed 1 >m.out 2>m.err &
m=$!
kasip --busy-timeout 60000 import students gen/students.csv >a.out 2>a.err &
a=$!
bg_pids+=("$a" "$m")
sleep 0.5
if running $a && running $m; then ok; else bad "match run and import wait" "$(cat a.err m.err)"; fi
release_lock
wait $m; sm=$?
wait $a; sa=$?
same "match run beside an import" "$sm $(cat m.err)" "0 "
same "import beside a match run" "$sa $(cat a.err)" "0 "
same "the matching was stored" "$(count match_run)" 1

# ---- kept out longer than --busy-timeout: a clear message, exit 1 -------------
dbtool query kasip.db "SELECT * FROM student ORDER BY id" >before.txt
hold_lock kasip.db
kasip --busy-timeout 200 import students gen/students.csv >x.out 2>x.err
same "import gives up: exit" "$?" 1
same "import gives up: message" "$(cat x.err)" \
	"kasip: database 'kasip.db' is locked by another writer; gave up after 0.2 s (--busy-timeout)"
KASIP_BUSY_TIMEOUT=300 kasip import students gen/students.csv >x.out 2>x.err
same "\$KASIP_BUSY_TIMEOUT: exit" "$?" 1
same "\$KASIP_BUSY_TIMEOUT: message" "$(cat x.err)" \
	"kasip: database 'kasip.db' is locked by another writer; gave up after 0.3 s (--busy-timeout)"
kasip --busy-timeout 0 forecast --to 2027 >x.out 2>x.err
same "forecast gives up: exit" "$?" 1
same "forecast gives up: message" "$(tail -n 1 x.err)" \
	"kasip: database 'kasip.db' is locked by another writer; gave up after 0.0 s (--busy-timeout)"
kasip --busy-timeout 100 scenario new mine >x.out 2>x.err
same "scenario new gives up" "$? $(cat x.err)" \
	"1 kasip: database 'kasip.db' is locked by another writer; gave up after 0.1 s (--busy-timeout)"
release_lock
dbtool query kasip.db "SELECT * FROM student ORDER BY id" >after.txt
check "nothing changed by the writers that gave up" cmp -s before.txt after.txt
same "integrity" "$(integrity)" ok

finish

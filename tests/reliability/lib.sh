# lib.sh - shared by the reliability tests (tests/reliability/*.sh).
#
# Each test script runs as `bash SCRIPT KASIP DBTOOL` in a fresh temporary
# directory with LC_ALL=C and KASIP_DB=kasip.db; `kasip` is the binary under
# test, `dbtool` the second process (dbtool.c).  check/expect_* count the
# cases; `finish` prints "N passed, N failed" and sets the exit status.
set -u
KASIP_BIN=$(realpath "$1")
DBTOOL_BIN=$(realpath "$2")
work=$(mktemp -d)
declare -a bg_pids=()
cleanup() {
	for p in "${bg_pids[@]+"${bg_pids[@]}"}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	[ -n "${mounted:-}" ] && umount "$mounted" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
export LC_ALL=C KASIP_DB=kasip.db
unset KASIP_BUSY_TIMEOUT
cd "$work" || exit 2
passed=0 failed=0

# Commands on PATH, not shell functions: `kasip ... &` must be the kasip
# process itself (its pid is what kill -9 and wait see), not a subshell.
mkdir bin
ln -s "$KASIP_BIN" bin/kasip
ln -s "$DBTOOL_BIN" bin/dbtool
PATH=$work/bin:$PATH

# ok NAME: count a passed case; bad NAME WHY: a failed one.
ok() { passed=$((passed + 1)); }
bad() {
	local i=1
	# report the line of the test script, not of the helper that called bad
	while [ "${BASH_SOURCE[$i]##*/}" = lib.sh ]; do i=$((i + 1)); done
	echo "FAIL ${BASH_SOURCE[$i]##*/}:${BASH_LINENO[$((i - 1))]}: $1"
	shift
	for l in "$@"; do echo "  $l"; done
	failed=$((failed + 1))
}
# check NAME COMMAND...: the command must succeed.
check() {
	local name=$1
	shift
	if "$@"; then ok; else bad "$name" "command failed: $*"; fi
}
# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok; else bad "$1" "got:  $2" "want: $3"; fi
}

# hold_lock DB: a second process takes the write lock and keeps it until
# release_lock; returns when the lock is held.
hold_lock() {
	rm -f .ready .release
	dbtool hold "$1" .ready .release 120 &
	holder=$!
	bg_pids+=("$holder")
	for _ in $(seq 600); do [ -e .ready ] && return 0; sleep 0.05; done
	echo "hold_lock: the lock was never taken"
	return 1
}
release_lock() {
	touch .release
	wait "$holder"
}

# running PID: the process has not exited yet.
running() { kill -0 "$1" 2>/dev/null; }

count() { dbtool query "${2:-kasip.db}" "SELECT count(*) FROM $1"; }
integrity() { dbtool query "${1:-kasip.db}" "PRAGMA integrity_check"; }

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}

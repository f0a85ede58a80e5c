#!/usr/bin/env bash
# run.sh KASIP FILE.test: run HTTP API cases against a real `kasip serve`.
#
# The runner makes a fresh database in a temporary directory (kasip init),
# makes one API key of each kind, a web root with a few files (and a
# symlink leading out of it), starts `kasip serve --listen 127.0.0.1:0` and
# runs the cases in order with curl.  Format (one directive a line):
#   # comment
#   > METHOD PATH          a request (the path is sent as it is: no ../ folding)
#   key NAME               Authorization: Bearer with key NAME: admin, analyst,
#                          analyst59 (bound to KZ-59), viewer, revoked, or a literal
#   header NAME: VALUE     a request header
#   body TEXT              the body (one line, sent as it is)
#   file NAME              the body is tests/api/data/NAME
#   expect STATUS          the status (default 200)
#   has TEXT               the body contains TEXT
#   lacks TEXT             the body does not contain TEXT
#   hdr TEXT               the headers contain TEXT (case-insensitive)
#   nohdr TEXT             the headers do not contain TEXT (case-insensitive)
#   save NAME / same NAME  keep the body / the body is byte-for-byte the kept one
#   gunzip NAME            the body is gzip (checked by gzip -t) and, decompressed,
#                          byte-for-byte the one kept as NAME
#   poll TEXT              repeat the request (60 s at most) until the body has TEXT
#   pollre REGEX           the same until the body matches the extended regular expression
#   @restart [OPTIONS]     stop the server (SIGTERM, checked to exit 0) and start it with OPTIONS
#   @kill [OPTIONS]        kill -9 the server and start it again with OPTIONS
#   @raw FORMAT            send printf FORMAT as raw bytes on a new connection
#                          (malformed or truncated requests) and close it
#   @hold FORMAT           open a connection, send FORMAT and keep it open (a slow
#                          client) until the end of the file
#   @log TEXT              the access log contains TEXT
#   @nolog TEXT            the access log does not contain TEXT
# Ends with "N passed, N failed" and exits non-zero on a failure.
set -u
kasip_bin=$(realpath "$1")
file=$(realpath "$2")
data=$(dirname "$file")/data
work=$(mktemp -d)
export LC_ALL=C
pid=""
port=""

stop_server() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		rc=$?
		pid=""
		return $rc
	fi
	return 0
}
trap 'stop_server; rm -rf "$work"' EXIT
cd "$work" || exit 2

"$kasip_bin" --db k.db init >init.out 2>&1 || { cat init.out; echo "0 passed, 1 failed"; exit 1; }
declare -A keys
keys[admin]=$("$kasip_bin" --db k.db key new --role admin --name ops 2>/dev/null)
keys[analyst]=$("$kasip_bin" --db k.db key new --role analyst --name ministry 2>/dev/null)
keys[analyst59]=$("$kasip_bin" --db k.db key new --role analyst --region KZ-59 --name akimat-59 2>/dev/null)
keys[viewer]=$("$kasip_bin" --db k.db key new --role viewer --name reader 2>/dev/null)
keys[revoked]=$("$kasip_bin" --db k.db key new --role admin --name old 2>/dev/null)
"$kasip_bin" --db k.db key revoke old 2>/dev/null

mkdir -p web/sub outside
printf '<!doctype html><title>kasip</title><p>kasip\n' >web/index.html
# A text file over 1 KiB, so that gzip applies.
for i in $(seq 1 200); do echo "export const line$i = 'kasip dashboard module line $i';"; done >web/app.js
printf 'a,b\n1,2\n' >web/sub/data.csv
printf 'secret\n' >outside/secret.txt
printf 'secret\n' >secret.txt
ln -s ../outside/secret.txt web/escape.txt

start_server() {
	"$kasip_bin" --db k.db serve --listen 127.0.0.1:0 --web-root web --access-log access.log \
		--rate 1000 --burst 1000 "$@" >serve.out 2>serve.err &
	pid=$!
	for _ in $(seq 1 200); do
		port=$(sed -n 's|^kasip: serving on http://127.0.0.1:\([0-9]*\)/.*|\1|p' serve.out)
		[ -n "$port" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "the server did not start:"
	cat serve.err
	echo "0 passed, 1 failed"
	exit 1
}
start_server

passed=0 failed=0
req_line=0 method="" path=""
declare -a hdrs=() checks=()
body_kind="" body_val=""

fail() {
	echo "FAIL $file:$req_line: $method $path"
	echo "  $*"
	case_failed=1
}

send() {
	local -a args=(-s -S --path-as-is -o resp.body -D resp.head -w '%{http_code}' -X "$method")
	for h in "${hdrs[@]}"; do args+=(-H "$h"); done
	case "$body_kind" in
	text) printf '%s' "$body_val" >req.body; args+=(--data-binary @req.body -H 'Content-Type: application/octet-stream') ;;
	file) args+=(--data-binary "@$data/$body_val" -H 'Content-Type: text/csv') ;;
	esac
	curl "${args[@]}" "http://127.0.0.1:$port$path" 2>curl.err
}

run_case() {
	[ -n "$method" ] || return 0
	local status want=200 c arg flag
	case_failed=0
	for c in "${checks[@]}"; do
		[ "${c%% *}" = expect ] && want=${c#expect }
	done
	status=$(send)
	for c in "${checks[@]}"; do
		case "${c%% *}" in
		poll) arg=${c#poll } flag=-F ;;
		pollre) arg=${c#pollre } flag=-E ;;
		*) continue ;;
		esac
		for _ in $(seq 1 600); do
			grep -q "$flag" -- "$arg" resp.body 2>/dev/null && break
			sleep 0.1
			status=$(send)
		done
	done
	[ "$status" = "$want" ] || fail "status $status, expected $want: $(head -c 300 resp.body)"
	for c in "${checks[@]}"; do
		arg=${c#* }
		case "${c%% *}" in
		has | poll) grep -qF -- "$arg" resp.body || fail "the body lacks '$arg': $(head -c 300 resp.body)" ;;
		pollre) grep -qE -- "$arg" resp.body || fail "the body does not match '$arg': $(head -c 300 resp.body)" ;;
		lacks) ! grep -qF -- "$arg" resp.body || fail "the body has '$arg'" ;;
		hdr) grep -qiF -- "$arg" resp.head || fail "the headers lack '$arg': $(tr -d '\r' <resp.head | tr '\n' '|')" ;;
		nohdr) ! grep -qiF -- "$arg" resp.head || fail "the headers have '$arg'" ;;
		gunzip)
			if ! gzip -t <resp.body 2>/dev/null; then
				fail "the body is not gzip: $(head -c 100 resp.body | od -c | head -n 2)"
			elif ! gzip -dc <resp.body | cmp -s - "saved.$arg"; then
				fail "the decompressed body differs from the one saved as '$arg'"
			fi
			;;
		save) cp resp.body "saved.$arg" ;;
		same) cmp -s resp.body "saved.$arg" || fail "the body differs from the one saved as '$arg'" ;;
		esac
	done
	if [ $case_failed = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	method="" path="" hdrs=() checks=() body_kind="" body_val=""
}

n=0
while IFS= read -r line || [ -n "$line" ]; do
	n=$((n + 1))
	case "$line" in
	'' | '#'*) continue ;;
	'> '*)
		run_case
		req_line=$n
		read -r method path <<<"${line#> }"
		;;
	'key '*)
		k=${line#key }
		hdrs+=("Authorization: Bearer ${keys[$k]:-$k}")
		;;
	'header '*) hdrs+=("${line#header }") ;;
	'body '*) body_kind=text body_val=${line#body } ;;
	'file '*) body_kind=file body_val=${line#file } ;;
	'expect '* | 'has '* | 'lacks '* | 'hdr '* | 'nohdr '* | 'save '* | 'same '* | 'gunzip '* | 'poll '* | 'pollre '*) checks+=("$line") ;;
	'@restart'* | '@kill'*)
		run_case
		opts=${line#@restart}
		opts=${opts#@kill}
		if [ "${line#@kill}" != "$line" ]; then
			kill -9 "$pid"
			wait "$pid" 2>/dev/null
			pid=""
		elif ! stop_server; then
			echo "FAIL $file:$n: the server did not exit 0 on SIGTERM"
			cat serve.err | tail -n 5
			failed=$((failed + 1))
		fi
		# shellcheck disable=SC2086
		start_server $opts
		;;
	'@raw '*)
		run_case
		# shellcheck disable=SC2059
		(exec 4<>"/dev/tcp/127.0.0.1/$port" && printf "${line#@raw }" >&4 && timeout 2 cat <&4 >/dev/null) 2>/dev/null
		;;
	'@hold '*)
		run_case
		exec 3<>"/dev/tcp/127.0.0.1/$port"
		# shellcheck disable=SC2059
		printf "${line#@hold }" >&3
		;;
	'@log '* | '@nolog '*)
		run_case
		arg=${line#@* }
		if [ "${line%% *}" = @log ]; then
			grep -qF -- "$arg" access.log && passed=$((passed + 1)) ||
				{ echo "FAIL $file:$n: the access log lacks '$arg'"; failed=$((failed + 1)); }
		else
			! grep -qF -- "$arg" access.log && passed=$((passed + 1)) ||
				{ echo "FAIL $file:$n: the access log has '$arg'"; failed=$((failed + 1)); }
		fi
		;;
	*)
		echo "FAIL $file:$n: unknown directive: $line"
		failed=$((failed + 1))
		;;
	esac
done <"$file"
run_case
if ! stop_server; then
	echo "FAIL $file: the server did not exit 0 on SIGTERM"
	tail -n 5 serve.err
	failed=$((failed + 1))
fi
# The access log never holds a key.
for k in admin analyst analyst59 viewer revoked; do
	if grep -qF -- "${keys[$k]}" access.log serve.err; then
		echo "FAIL $file: the key '$k' appears in a log"
		failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

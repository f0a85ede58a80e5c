#!/usr/bin/env bash
# run.sh KASIP FILE.test: run the command-line cases in FILE.test.
#
# The cases run in order in one fresh temporary directory, with LC_ALL=C,
# KASIP_DB=kasip.db there, and `kasip` meaning the binary under test.
# Format (one directive a line):
#   # comment
#   @file NAME          create NAME with the lines up to @end (LF line ends)
#   @file-crlf NAME     the same with CRLF line ends
#   @copy SRC NAME      copy $KSP_SRC/SRC to NAME
#   @snapshot NAME      record a copy of NAME (for @same)
#   @same NAME          NAME must be byte-for-byte what @snapshot recorded
#   $ COMMAND           run COMMAND with bash; the lines after it describe it:
#   ? N                 the exit status must be N (default 0)
#   > TEXT              stdout must be exactly these lines (all '>' lines, in order)
#   >~ REGEX            some stdout line must match REGEX (grep -E)
#   >! REGEX            no stdout line may match REGEX
#   ! TEXT              stderr must be exactly these lines
#   !~ REGEX            some stderr line must match REGEX
# Ends with "N passed, N failed" and exits non-zero on a failure.
set -u
kasip_bin=$(realpath "$1")
file=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LC_ALL=C KASIP_DB=kasip.db
export KASIP_BIN=$kasip_bin
cd "$work" || exit 2
mkdir -p .snap

passed=0 failed=0
cmd="" cmd_line=0 want_status=0
declare -a want_out=() want_err=() out_re=() out_not=() err_re=()

fail() {
	echo "FAIL $file:$cmd_line: \$ $cmd"
	echo "  $*"
	failed=$((failed + 1))
	case_failed=1
}

run_case() {
	[ -n "$cmd" ] || return 0
	case_failed=0
	kasip() { "$KASIP_BIN" "$@"; }
	export -f kasip
	bash -c "$cmd" >.out 2>.err
	status=$?
	if [ "$status" != "$want_status" ]; then
		fail "exit status $status, expected $want_status"
		sed 's/^/  stderr: /' .err | head -n 5
	fi
	if [ ${#want_out[@]} -gt 0 ]; then
		printf '%s\n' "${want_out[@]}" >.want
		if ! diff -u .want .out >.diff; then
			fail "stdout differs:"
			sed 's/^/  /' .diff | head -n 40
		fi
	fi
	if [ ${#want_err[@]} -gt 0 ]; then
		printf '%s\n' "${want_err[@]}" >.want
		if ! diff -u .want .err >.diff; then
			fail "stderr differs:"
			sed 's/^/  /' .diff | head -n 20
		fi
	fi
	for re in "${out_re[@]+"${out_re[@]}"}"; do
		grep -Eq -- "$re" .out || fail "no stdout line matches /$re/ (stdout: $(head -c 300 .out))"
	done
	for re in "${out_not[@]+"${out_not[@]}"}"; do
		if grep -Eq -- "$re" .out; then fail "a stdout line matches /$re/"; fi
	done
	for re in "${err_re[@]+"${err_re[@]}"}"; do
		grep -Eq -- "$re" .err || fail "no stderr line matches /$re/ (stderr: $(head -c 300 .err))"
	done
	[ $case_failed = 0 ] && passed=$((passed + 1))
	cmd="" want_status=0 want_out=() want_err=() out_re=() out_not=() err_re=()
}

lineno=0
in_file="" file_crlf=0
while IFS= read -r line || [ -n "$line" ]; do
	lineno=$((lineno + 1))
	if [ -n "$in_file" ]; then
		if [ "$line" = "@end" ]; then
			in_file=""
		elif [ $file_crlf = 1 ]; then
			printf '%s\r\n' "$line" >>"$in_file"
		else
			printf '%s\n' "$line" >>"$in_file"
		fi
		continue
	fi
	case "$line" in
	'#'* | '') ;;
	'@file '*) run_case; in_file=${line#@file }; file_crlf=0; : >"$in_file" ;;
	'@file-crlf '*) run_case; in_file=${line#@file-crlf }; file_crlf=1; : >"$in_file" ;;
	'@copy '*)
		run_case
		set -- ${line#@copy }
		cp "$KSP_SRC/$1" "$2" || { cmd_line=$lineno; cmd="@copy"; fail "cannot copy $1"; cmd=""; }
		;;
	'@snapshot '*) run_case; n=${line#@snapshot }; cp "$n" ".snap/$(basename "$n")" ;;
	'@same '*)
		run_case
		n=${line#@same }
		cmd_line=$lineno cmd="@same $n"
		case_failed=0
		if cmp -s "$n" ".snap/$(basename "$n")"; then passed=$((passed + 1)); else fail "$n changed"; fi
		cmd=""
		;;
	'$ '*) run_case; cmd=${line#\$ }; cmd_line=$lineno ;;
	'? '*) want_status=${line#? } ;;
	'>~ '*) out_re+=("${line#>~ }") ;;
	'>! '*) out_not+=("${line#>! }") ;;
	'> '*) want_out+=("${line#> }") ;;
	'>') want_out+=("") ;;
	'!~ '*) err_re+=("${line#!~ }") ;;
	'! '*) want_err+=("${line#! }") ;;
	*) echo "$file:$lineno: cannot read this line: $line"; exit 2 ;;
	esac
done <"$file"
run_case
echo "$passed passed, $failed failed"
[ $failed = 0 ]

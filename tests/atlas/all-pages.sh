#!/usr/bin/env bash
# all-pages.sh KASIP OUTDIR: the atlas's "done when" on the built-in data set.
#
# kasip init, a baseline forecast with 200 draws, then
# kasip atlas --all --output OUTDIR/pages (HTML) must write the country's
# page, the 20 regions' pages and index.html with nothing on stderr (under
# ASan in the asan preset); one region's workbook must be a workbook; and
# headless Chromium takes a screenshot of a region's page and prints it to
# PDF.  The screenshot (OUTDIR/KZ-35.png) and the PDF (OUTDIR/KZ-35.pdf)
# are kept as the test's artefacts, in the build tree, for a person to look
# at.  Without chromium the test is skipped (exit 77); unzip is needed.
# Ends with "N passed, N failed".
set -u
kasip=$(realpath "$1")
out=$(realpath -m "$2")
data=${KSP_DATA:-$(cd "$(dirname "$0")/../../data/kz" && pwd)}
passed=0 failed=0
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then
		passed=$((passed + 1))
		echo "ok   $what"
	else
		failed=$((failed + 1))
		echo "FAIL $what"
	fi
}
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
export LC_ALL=C KASIP_DB=kasip.db

# Only kasip's one-line progress reports ("kasip: ...", in the --lang language) may
# reach stderr: no sanitizer report, no warning from a library.  Errors fail on
# the exit status.
quiet() { ! grep -v -E '^kasip: ' "$1" | grep -q .; }
export -f quiet

check "init" bash -c "'$kasip' init >/dev/null 2>err && test ! -s err"
check "forecast with 200 draws" bash -c "'$kasip' forecast --scenario baseline --draws 200 --seed 1 >/dev/null 2>err && quiet err"
check "atlas --all" bash -c "'$kasip' atlas --all --output '$out/pages' --format html >stdout 2>err && quiet err"
check "21 pages and the index" bash -c "test \$(ls '$out/pages'/*.html | grep -vc '/index.html$') -eq 21 && test -s '$out/pages/index.html'"
check "the index links every page" bash -c "test \$(grep -o 'href=\"[^\"]*\\.html\"' '$out/pages/index.html' | sort -u | wc -l) -eq 21"
check "every page has its charts and the map" bash -c "for f in '$out/pages'/KZ*.html; do test \$(grep -c '<svg ' \"\$f\") -ge 3 || exit 1; grep -q 'chart-map' \"\$f\" || exit 1; done"
check "region pages outline their region" bash -c "grep -q 'class=\"current\"' '$out/pages/KZ-35.html' && ! grep -q 'class=\"current\"' '$out/pages/KZ.html'"
check "pages are self-contained" bash -c "! grep -l -E '<script|<link|https://| src=' '$out/pages'/*.html"
check "a Kazakh page" bash -c "'$kasip' atlas --region KZ-35 --lang kk --format html --output '$out/KZ-35-kk.html' 2>err && quiet err && grep -q '<html lang=\"kk\">' '$out/KZ-35-kk.html'"
check "the map and the training paths from the database alone" bash -c "KASIP_DATA=/nonexistent '$kasip' atlas --region KZ-75 --format html --output map.html 2>err && quiet err && grep -q 'chart-map' map.html && KASIP_DATA=/nonexistent '$kasip' atlas --region KZ-75 --format json | grep -q '\"specialty_group\"'"
check "a workbook" bash -c "'$kasip' atlas --region KZ-35 --format xlsx --output '$out/KZ-35.xlsx' 2>err && quiet err && unzip -l '$out/KZ-35.xlsx' | grep -q 'xl/worksheets/sheet6.xml'"

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "chromium is not installed: no screenshot (apt-get install chromium)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && exit 77
	exit 1
fi
# Chromium wants a writable home for its profile.
export HOME=$work
shot() {
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$work/chromium" "$@" >/dev/null 2>&1
}
png_ok() { # a PNG signature and more than a blank page's bytes
	test "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" && test "$(stat -c %s "$1")" -gt "$2"
}
shot --window-size=900,2300 --screenshot="$out/KZ-35.png" "file://$out/pages/KZ-35.html"
check "screenshot of a region page" png_ok "$out/KZ-35.png" 100000
shot --window-size=900,1400 --screenshot="$out/KZ-35-kk.png" "file://$out/KZ-35-kk.html"
check "screenshot of the Kazakh page" png_ok "$out/KZ-35-kk.png" 60000
shot --window-size=900,1200 --screenshot="$out/index.png" "file://$out/pages/index.html"
check "screenshot of the index" png_ok "$out/index.png" 20000
shot --no-pdf-header-footer --print-to-pdf="$out/KZ-35.pdf" "file://$out/pages/KZ-35.html"
check "printed to PDF on A4" bash -c "head -c 5 '$out/KZ-35.pdf' | grep -q '%PDF' && grep -a -q 'MediaBox \[0 0 594.9' '$out/KZ-35.pdf'"
echo "artefacts: $out/KZ-35.png $out/KZ-35-kk.png $out/index.png $out/KZ-35.pdf"
finish

#!/bin/sh
# po2c.sh PO2C: tools/po2c refuses malformed .po files with "file:line: what",
# compiles escapes, multi-line strings, contexts and plurals, and leaves
# fuzzy and untranslated entries out.  POSIX sh; ends with "N passed, N failed".
po2c=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
passed=0 failed=0

header='msgid ""
msgstr ""
"Language: ru\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"
'

# bad NAME EXPECTED-STDERR-LINE BODY: po2c must fail with exactly that message.
bad() {
	printf '%s\n%s\n' "$header" "$3" >"$1.po"
	if "$po2c" out.c "$1.po" 2>err.txt; then
		echo "FAIL $1: accepted"
		failed=$((failed + 1))
	elif [ "$(cat err.txt)" != "$2" ]; then
		echo "FAIL $1: got '$(cat err.txt)', expected '$2'"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

bad unterminated 'unterminated.po:7: unterminated string' 'msgid "a
msgstr "b"'
bad escape 'escape.po:8: unknown escape '"'"'\q'"'" 'msgid "a"
msgstr "b\q"'
bad keyword 'keyword.po:7: unknown keyword '"'"'msgfoo'"'" 'msgfoo "a"'
bad nokeyword 'nokeyword.po:7: a string without a keyword before it' '"a"'
bad twice 'twice.po:10: msgid "a" twice' 'msgid "a"
msgstr "b"

msgid "a"
msgstr "c"'
bad format 'format.po:7: msgstr uses other printf conversions than the msgid (the same, in the same order; or flag the entry no-c-format)' 'msgid "%d regions in %s"
msgstr "в %s %d регионов"'
bad plural 'plural.po:7: a plural entry needs msgstr[0..2]' 'msgid "%d region"
msgid_plural "%d regions"
msgstr[0] "%d регион"
msgstr[1] "%d региона"'
bad plural2 'plural2.po:10: msgstr[3] out of order or beyond nplurals' 'msgid "%d region"
msgid_plural "%d regions"
msgstr[0] "%d регион"
msgstr[3] "%d региона"'
bad nomsgstr 'nomsgstr.po:7: msgid without msgstr' 'msgid "a"'
bad utf8 'utf8.po:1: the file is not valid UTF-8' "$(printf 'msgid "a"\nmsgstr "\377"')"
printf 'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=system(1);\\n"\n' >plural_expr.po
if "$po2c" out.c plural_expr.po 2>err.txt ||
	[ "$(cat err.txt)" != "plural_expr.po:1: Plural-Forms: plural='system(1)' is not a gettext expression" ]; then
	echo "FAIL plural_expr: $(cat err.txt)"
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi

# a good file: escapes, continuation lines, context, plural, fuzzy and empty entries
printf '%s\n' "$header" >good.po
cat >>good.po <<'PO'
# a comment
#: src/cli/x.c
#, c-format
msgid ""
"two "
"lines: %s\n"
msgstr "две "
"строки: %s\n"

msgctxt "column"
msgid "tab\there \"q\" \\"
msgstr "таб\tздесь «q» \\"

#, fuzzy
msgid "fuzzy one"
msgstr "нечёткий"

msgid "untranslated"
msgstr ""

msgid "%lu region"
msgid_plural "%lu regions"
msgstr[0] "%lu регион"
msgstr[1] "%lu региона"
msgstr[2] "%lu регионов"

#~ msgid "obsolete"
#~ msgstr "устарело"
PO
if "$po2c" out.c good.po 2>err.txt &&
	grep -q '"two lines: %s\\n"' out.c &&
	grep -q '"column", "tab\\there \\"q\\" \\\\"' out.c &&
	! grep -q 'fuzzy one' out.c && ! grep -q '"untranslated"' out.c && ! grep -q obsolete out.c &&
	grep -q '"%lu region", 1, {' out.c &&
	grep -q '{ "ru", 3, plural_ru, msgs_ru, 3 }' out.c; then
	passed=$((passed + 1))
else
	echo "FAIL good: $(cat err.txt)"
	sed 's/^/  /' out.c 2>/dev/null | head -40
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# no-english.sh [WORD...] < OUTPUT: print to stderr each line of a Kazakh or
# Russian output that still holds an English word (a run of 4 or more Latin
# letters), and exit 1 if there is one (tests/cli/i18n.test).
#
# What may stay Latin, and why:
#   - options (--base) and codes and ids: a token with a digit, '_', '.' or '/' in it (KZ-59,
#     bns-6576, ISCO-08, in_demand.min_shortage_ratio, x.db, docs paths), a
#     token in capitals (KATO-like acronyms and codes: TOTAL, ISCED, OKED),
#     and the source ids kasip makes itself (kasip-...);
#   - the program's and the database back-end's names: kasip, sqlite, postgresql;
#   - a command for the user to type, quoted: 'kasip import atlas-rules FILE';
#   - a reference to a section of the English docs: docs/X.md, "Section";
#   - the English name of a region on the line "  en: ..." of 'show region',
#     which shows the names in all three languages on purpose;
#   - the WORDs given: the codes the command prints in its machine format
#     (table and column names, enum values, scenario names, source ids).
# A test that fails here names the words; translate them in po/kk.po and
# po/ru.po, or add the code to the test's WORDs if it is one.
LC_ALL=C sed -E \
	-e '/^  en: /d' \
	-e "s/'kasip [^']*'//g" \
	-e 's#docs/[A-Za-z0-9_./-]+\.md(, "[^"]*")?##g' |
	LC_ALL=C awk -v allow=" kasip sqlite postgresql $* " '
	BEGIN {
		n = split(allow, a, /[^A-Za-z0-9]+/)
		for (i = 1; i <= n; i++)
			if (a[i] != "")
				ok[a[i]] = 1
		bad = 0
	}
	{
		line = $0
		words = ""
		rest = line
		while (match(rest, /[A-Za-z0-9_.\/+|-]+/)) {
			tok = substr(rest, RSTART, RLENGTH)
			rest = substr(rest, RSTART + RLENGTH)
			if (tok ~ /[0-9_.\/]/ || tok ~ /^kasip-/ || tok ~ /^--?[A-Za-z]/)
				continue
			m = split(tok, parts, /[^A-Za-z]+/)
			for (j = 1; j <= m; j++) {
				w = parts[j]
				if (length(w) < 4 || w ~ /^[A-Z]+$/ || (w in ok))
					continue
				words = words " " w
			}
		}
		if (words != "") {
			print "English left:" words " | " line > "/dev/stderr"
			bad = 1
		}
	}
	END { exit bad }
	'

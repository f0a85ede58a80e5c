/*
 * po2c - kasip's message catalogue tool, built and run on the build host.
 *
 *   po2c OUT.c FILE.po...   compile translations into a C source with one
 *                           sorted table per language (lib/i18n/catalogue.h)
 *   po2c --check ROOT       the completeness test: every key the code under
 *                           ROOT/lib and ROOT/src (and the dashboard's scripts
 *                           under ROOT/web/js) uses is translated in every
 *                           ROOT/po/LANG.po, and every key in the .po files
 *                           and ROOT/po/kasip.pot is used by some code
 *   po2c --pot ROOT         write the key template (po/kasip.pot) to stdout
 *   po2c --keys ROOT        list the keys the code uses, with where
 *
 * The .po parser is strict: a malformed entry stops it with
 * "po/kk.po:123: what is wrong".  Fuzzy and obsolete (#~) entries and
 * entries with an empty translation are left out of the compiled tables.
 * A translation must use the same printf conversions as its msgid (unless
 * the entry is flagged no-c-format), in the same order.
 *
 * Self-contained on purpose (only the C library and POSIX dirent): it runs
 * before libkasip exists and without gettext's tools on the machine.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PLURALS 4

/* ---- small helpers -------------------------------------------------------- */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("po2c: out of memory\n", stderr);
		exit(2);
	}
	return q;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xrealloc(NULL, n);

	memcpy(p, s, n);
	return p;
}

struct buf {
	char *s;
	size_t n, cap;
};

static void buf_addc(struct buf *b, char c)
{
	if (b->n + 2 > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
	b->s[b->n] = 0;
}

static char *buf_take(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->n = b->cap = 0;
	return s;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	int c;

	if (!f)
		return NULL;
	while ((c = getc(f)) != EOF)
		buf_addc(&b, (char)c);
	fclose(f);
	if (len)
		*len = b.n;
	return buf_take(&b);
}

/* 1 when s is valid UTF-8 (no overlongs, no surrogates). */
static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p, need, min, cp;

		if (c < 0x80) {
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			need = 1, min = 0x80, cp = c & 0x1f;
		else if ((c & 0xf0) == 0xe0)
			need = 2, min = 0x800, cp = c & 0x0f;
		else if ((c & 0xf8) == 0xf0)
			need = 3, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		p++;
		for (unsigned i = 0; i < need; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (*p & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}

/* ---- printf conversions --------------------------------------------------- */

/*
 * The argument types a printf format consumes, one letter each, written to
 * sig: 'i' int, 'l' long, 'L' long long, 'z' size_t, 'd' double, 's'
 * string, 'p' pointer, 'c' char ...  Returns 0, or -1 on a malformed
 * conversion (then it is not a format string at all).
 */
static int format_sig(const char *s, struct buf *sig)
{
	for (const char *p = s; *p; p++) {
		const char *len;

		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && strchr("-+ #0'", *p))
			p++;
		if (*p == '*') {
			buf_addc(sig, 'i');
			p++;
		} else {
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				buf_addc(sig, 'i');
				p++;
			} else {
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		len = p;
		while (*p && strchr("hlLqjzt", *p))
			p++;
		if (!*p || !strchr("diouxXeEfFgGaAcspn", *p))
			return -1;
		if (strchr("diouxXc", *p)) {
			if (!strncmp(len, "ll", 2) || *len == 'q')
				buf_addc(sig, 'L');
			else if (*len == 'l')
				buf_addc(sig, 'l');
			else if (*len == 'z')
				buf_addc(sig, 'z');
			else if (*len == 'j')
				buf_addc(sig, 'j');
			else if (*len == 't')
				buf_addc(sig, 't');
			else
				buf_addc(sig, 'i');
		} else if (strchr("eEfFgGaA", *p)) {
			buf_addc(sig, *len == 'L' ? 'D' : 'd');
		} else {
			buf_addc(sig, *p);
		}
	}
	return 0;
}

/* ---- the .po parser ------------------------------------------------------- */

struct entry {
	char *ctx, *id, *plural;
	char *str[MAX_PLURALS];
	int nstr;
	int fuzzy, no_c_format;
	long line; /* of msgid */
	const char *refs; /* the first #: line, for messages */
};

struct po {
	const char *path;
	char *lang;
	int nplurals;
	char *plural_expr;
	struct entry *e;
	size_t n;
};

static void die_at(const char *path, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), noreturn));

static void die_at(const char *path, long line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%ld: ", path, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Parse one "..." string at *pp (after blanks), appending to b. */
static void parse_string(const char *path, long line, const char **pp, struct buf *b)
{
	const char *p = *pp;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"')
		die_at(path, line, "expected a quoted string");
	p++;
	for (;;) {
		char c = *p++;

		if (c == 0 || c == '\n')
			die_at(path, line, "unterminated string");
		if (c == '"')
			break;
		if (c != '\\') {
			buf_addc(b, c);
			continue;
		}
		c = *p++;
		switch (c) {
		case 'n': buf_addc(b, '\n'); break;
		case 't': buf_addc(b, '\t'); break;
		case 'r': buf_addc(b, '\r'); break;
		case 'a': buf_addc(b, '\a'); break;
		case 'b': buf_addc(b, '\b'); break;
		case 'f': buf_addc(b, '\f'); break;
		case 'v': buf_addc(b, '\v'); break;
		case '"': case '\\': case '\'': case '?': buf_addc(b, c); break;
		case 'x': {
			unsigned v = 0;
			int k = 0;

			while (k < 2 && isxdigit((unsigned char)*p)) {
				v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0'
							   : (tolower((unsigned char)*p) - 'a' + 10));
				p++, k++;
			}
			if (!k || !v)
				die_at(path, line, "bad \\x escape");
			buf_addc(b, (char)v);
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned v = (unsigned)(c - '0');
				int k = 1;

				while (k < 3 && *p >= '0' && *p <= '7')
					v = v * 8 + (unsigned)(*p++ - '0'), k++;
				if (!v || v > 255)
					die_at(path, line, "bad octal escape");
				buf_addc(b, (char)v);
				break;
			}
			die_at(path, line, "unknown escape '\\%c'", c ? c : '0');
		}
	}
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	if (*p && *p != '\n')
		die_at(path, line, "text after the closing quote");
	*pp = p;
}

static const char *header_field(const char *hdr, const char *name, struct buf *out)
{
	size_t n = strlen(name);

	for (const char *p = hdr; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 1;

			while (*v == ' ')
				v++;
			while (*v && *v != '\n')
				buf_addc(out, *v++);
			return out->s ? out->s : "";
		}
	}
	return NULL;
}

/* Only what a gettext plural expression needs, so that it is safe to paste into C. */
static int plural_expr_ok(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (isdigit((unsigned char)*p) || strchr(" n?:%<>=!&|()", *p))
			continue;
		return 0;
	}
	return 1;
}

static void parse_header(struct po *po, const struct entry *e)
{
	struct buf b = { 0 };
	const char *v;

	if (!(v = header_field(e->str[0], "Content-Type", &b)) || !strstr(v, "charset=UTF-8"))
		die_at(po->path, e->line, "the header must say Content-Type: text/plain; charset=UTF-8");
	free(buf_take(&b));
	if (!(v = header_field(e->str[0], "Language", &b)) || !*v)
		die_at(po->path, e->line, "the header has no Language");
	po->lang = buf_take(&b);
	for (char *p = po->lang; *p; p++)
		if (!islower((unsigned char)*p))
			die_at(po->path, e->line, "Language '%s': expected a code like kk", po->lang);
	if (!(v = header_field(e->str[0], "Plural-Forms", &b)))
		die_at(po->path, e->line, "the header has no Plural-Forms");
	{
		const char *np = strstr(v, "nplurals="), *pl = strstr(v, "plural=");
		const char *end;

		if (np == v)
			pl = strstr(v + 1, "plural=");
		while (pl && pl > v && pl[-1] == 'n')
			pl = strstr(pl + 1, "plural=");
		if (!np || !pl)
			die_at(po->path, e->line, "Plural-Forms: expected nplurals=N; plural=EXPR;");
		po->nplurals = atoi(np + 9);
		if (po->nplurals < 1 || po->nplurals > MAX_PLURALS)
			die_at(po->path, e->line, "Plural-Forms: nplurals must be 1 to %d", MAX_PLURALS);
		pl += 7;
		end = strchr(pl, ';');
		if (!end)
			die_at(po->path, e->line, "Plural-Forms: the plural expression ends with ';'");
		po->plural_expr = xrealloc(NULL, (size_t)(end - pl) + 1);
		memcpy(po->plural_expr, pl, (size_t)(end - pl));
		po->plural_expr[end - pl] = 0;
		if (!*po->plural_expr || !plural_expr_ok(po->plural_expr))
			die_at(po->path, e->line, "Plural-Forms: plural='%s' is not a gettext expression",
			       po->plural_expr);
	}
	free(buf_take(&b));
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->ctx ? x->ctx : "", y->ctx ? y->ctx : "");

	if (!c && !!x->ctx != !!y->ctx)
		return x->ctx ? 1 : -1;
	return c ? c : strcmp(x->id, y->id);
}

static void check_formats(const struct po *po, const struct entry *e)
{
	struct buf want = { 0 }, got = { 0 };

	if (e->no_c_format || !strchr(e->id, '%'))
		return;
	if (format_sig(e->plural ? e->plural : e->id, &want))
		return; /* not a format string */
	for (int i = 0; i < e->nstr; i++) {
		if (!e->str[i][0])
			continue;
		free(buf_take(&got));
		if (format_sig(e->str[i], &got) || strcmp(want.s ? want.s : "", got.s ? got.s : ""))
			die_at(po->path, e->line,
			       "msgstr%s uses other printf conversions than the msgid "
			       "(the same, in the same order; or flag the entry no-c-format)",
			       e->plural ? "[n]" : "");
	}
	free(buf_take(&want));
	free(buf_take(&got));
}

/* Parse path into po; strict: exits with "path:line: ..." on a malformed file. */
static void po_parse(struct po *po, const char *path, int is_template)
{
	size_t len;
	char *text = read_file(path, &len);
	const char *p;
	long line = 0;
	struct entry cur;
	int have = 0, fuzzy = 0, nocf = 0;
	enum { NONE, CTX, ID, PLURAL, STR } last = NONE;
	int last_idx = 0;
	struct buf b = { 0 };
	size_t cap = 0;
	int seen_header = 0;

	memset(po, 0, sizeof(*po));
	memset(&cur, 0, sizeof(cur));
	po->path = path;
	if (!text) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (strlen(text) != len)
		die_at(path, 1, "the file holds a NUL byte");
	if (!utf8_valid(text))
		die_at(path, 1, "the file is not valid UTF-8");
	if (!strncmp(text, "\xef\xbb\xbf", 3))
		die_at(path, 1, "remove the byte-order mark");

#define FINISH()                                                                              \
	do {                                                                                  \
		if (have) {                                                                   \
			if (!cur.id)                                                          \
				die_at(path, line, "an entry without msgid");                 \
			if (!cur.nstr)                                                        \
				die_at(path, cur.line, "msgid without msgstr");               \
			if (cur.plural && !is_template && seen_header &&                      \
			    cur.nstr != po->nplurals)                                         \
				die_at(path, cur.line, "a plural entry needs msgstr[0..%d]",  \
				       po->nplurals - 1);                                     \
			cur.fuzzy = fuzzy;                                                    \
			cur.no_c_format = nocf;                                               \
			if (!cur.id[0] && !cur.ctx) {                                         \
				if (seen_header)                                              \
					die_at(path, cur.line, "a second header entry");      \
				if (!is_template)                                             \
					parse_header(po, &cur);                               \
				seen_header = 1;                                              \
			} else {                                                              \
				if (!is_template && !seen_header)                             \
					die_at(path, cur.line, "the header entry (msgid \"\") must come first"); \
				check_formats(po, &cur);                                      \
				if (po->n == cap) {                                           \
					cap = cap ? cap * 2 : 64;                             \
					po->e = xrealloc(po->e, cap * sizeof(*po->e));        \
				}                                                             \
				po->e[po->n++] = cur;                                         \
			}                                                                     \
		}                                                                             \
		memset(&cur, 0, sizeof(cur));                                                 \
		have = 0, fuzzy = 0, nocf = 0, last = NONE;                                   \
	} while (0)

	for (p = text; *p;) {
		const char *eol = strchr(p, '\n');
		const char *next = eol ? eol + 1 : p + strlen(p);
		const char *q = p;

		line++;
		while (*q == ' ' || *q == '\t' || *q == '\r')
			q++;
		if (*q == '\n' || !*q) {
			FINISH();
		} else if (*q == '#') {
			if (have && last != NONE && cur.nstr)
				FINISH();
			if (q[1] == ',') {
				if (strstr(q, "fuzzy") && strstr(q, "fuzzy") < next)
					fuzzy = 1;
				if (strstr(q, "no-c-format") && strstr(q, "no-c-format") < next)
					nocf = 1;
			} else if (q[1] == ':' && !cur.refs) {
				cur.refs = q + 2;
			}
			/* "#~" obsolete entries, "#|" previous msgids and comments are skipped. */
		} else if (*q == '"') {
			char **dst = NULL;

			if (last == NONE)
				die_at(path, line, "a string without a keyword before it");
			parse_string(path, line, &q, &b);
			switch (last) {
			case CTX: dst = &cur.ctx; break;
			case ID: dst = &cur.id; break;
			case PLURAL: dst = &cur.plural; break;
			case STR: dst = &cur.str[last_idx]; break;
			default: break;
			}
			{
				size_t old = strlen(*dst), add = b.n;
				*dst = xrealloc(*dst, old + add + 1);
				memcpy(*dst + old, b.s, add + 1);
				free(buf_take(&b));
			}
		} else {
			const char *kw = q;
			size_t kl = 0;
			char **dst;

			while (kw[kl] && (isalnum((unsigned char)kw[kl]) || kw[kl] == '_' ||
					  kw[kl] == '[' || kw[kl] == ']'))
				kl++;
			q = kw + kl;
			if (kl == 7 && !strncmp(kw, "msgctxt", 7)) {
				if (have && (cur.id || cur.ctx))
					FINISH();
				dst = &cur.ctx, last = CTX;
			} else if (kl == 5 && !strncmp(kw, "msgid", 5)) {
				if (have && cur.id)
					FINISH();
				dst = &cur.id, last = ID;
				cur.line = line;
			} else if (kl == 12 && !strncmp(kw, "msgid_plural", 12)) {
				if (!cur.id || cur.plural || cur.nstr)
					die_at(path, line, "msgid_plural must follow msgid");
				dst = &cur.plural, last = PLURAL;
			} else if (kl >= 6 && !strncmp(kw, "msgstr", 6)) {
				int idx = 0;

				if (!cur.id)
					die_at(path, line, "msgstr without msgid");
				if (kl == 6) {
					if (cur.plural)
						die_at(path, line, "a plural entry needs msgstr[N]");
					if (cur.nstr)
						die_at(path, line, "a second msgstr");
				} else {
					char *end;

					if (kw[6] != '[' || kw[kl - 1] != ']')
						die_at(path, line, "unknown keyword '%.*s'", (int)kl, kw);
					idx = (int)strtol(kw + 7, &end, 10);
					if (end != kw + kl - 1 || !cur.plural)
						die_at(path, line, "msgstr[N] only in a plural entry");
					if (idx != cur.nstr || idx >= MAX_PLURALS ||
					    (!is_template && seen_header && idx >= po->nplurals))
						die_at(path, line, "msgstr[%d] out of order or beyond nplurals", idx);
				}
				cur.nstr++;
				dst = &cur.str[idx], last = STR, last_idx = idx;
			} else {
				die_at(path, line, "unknown keyword '%.*s'", (int)kl, kw);
			}
			have = 1;
			if (*dst)
				die_at(path, line, "'%.*s' twice in one entry", (int)kl, kw);
			*dst = xstrdup("");
			{
				char **d = dst;
				const char *qq = q;

				parse_string(path, line, &qq, &b);
				*d = xrealloc(*d, b.n + 1);
				memcpy(*d, b.s ? b.s : "", b.n + 1);
				free(buf_take(&b));
			}
		}
		p = next;
	}
	FINISH();
#undef FINISH
	if (!is_template && !seen_header)
		die_at(path, line ? line : 1, "no header entry (msgid \"\")");
	if (po->n)
		qsort(po->e, po->n, sizeof(*po->e), entry_cmp);
	for (size_t i = 1; i < po->n; i++)
		if (!entry_cmp(&po->e[i - 1], &po->e[i]))
			die_at(path, po->e[i].line > po->e[i - 1].line ? po->e[i].line : po->e[i - 1].line,
			       "msgid \"%s\"%s%s%s twice", po->e[i].id, po->e[i].ctx ? " (msgctxt \"" : "",
			       po->e[i].ctx ? po->e[i].ctx : "", po->e[i].ctx ? "\")" : "");
	for (size_t i = 0; i < po->n; i++)
		if (po->e[i].ctx && !po->e[i].ctx[0])
			die_at(path, po->e[i].line, "an empty msgctxt; leave it out instead");
	/* text is not freed: refs point into it for the life of the process */
}

static int entry_translated(const struct entry *e)
{
	if (e->fuzzy)
		return 0;
	for (int i = 0; i < e->nstr; i++)
		if (!e->str[i][0])
			return 0;
	return e->nstr > 0;
}

/* ---- the generator -------------------------------------------------------- */

static void put_cstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("NULL", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20 || *p >= 0x7f || *p == '?')
			fprintf(f, "\\%03o", *p); /* '?' too: no trigraphs */
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static int compile(const char *out, int npo, char **paths)
{
	struct po *pos = xrealloc(NULL, (size_t)npo * sizeof(*pos));
	char *tmp;
	FILE *f;

	for (int i = 0; i < npo; i++) {
		po_parse(&pos[i], paths[i], 0);
		for (int j = 0; j < i; j++)
			if (!strcmp(pos[i].lang, pos[j].lang))
				die_at(paths[i], 1, "Language '%s' again (also %s)", pos[i].lang, paths[j]);
	}
	tmp = xrealloc(NULL, strlen(out) + 5);
	memcpy(tmp, out, strlen(out));
	memcpy(tmp + strlen(out), ".tmp", 5);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "po2c: %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	fputs("/* Generated by tools/po2c from po/LANG.po: do not edit; edit the .po files. */\n"
	      "#include \"i18n/catalogue.h\"\n\n", f);
	for (int i = 0; i < npo; i++) {
		const struct po *po = &pos[i];
		size_t n = 0;

		fprintf(f, "/* %s */\nstatic unsigned long plural_%s(unsigned long n)\n{\n"
			   "\t(void)n;\n\treturn (unsigned long)(%s);\n}\n\n",
			po->path, po->lang, po->plural_expr);
		fprintf(f, "static const struct ksp_msg msgs_%s[] = {\n", po->lang);
		for (size_t k = 0; k < po->n; k++) {
			const struct entry *e = &po->e[k];

			if (!entry_translated(e))
				continue;
			fputs("\t{ ", f);
			put_cstr(f, e->ctx);
			fputs(", ", f);
			put_cstr(f, e->id);
			fprintf(f, ", %d, {", e->plural ? 1 : 0);
			for (int s = 0; s < MAX_PLURALS; s++) {
				fputs(s ? ", " : " ", f);
				put_cstr(f, s < e->nstr ? e->str[s] : NULL);
			}
			fputs(" } },\n", f);
			n++;
		}
		if (!n)
			fputs("\t{ NULL, \"\", 0, { NULL, NULL, NULL, NULL } },\n", f);
		fputs("};\n\n", f);
		pos[i].n = n; /* reused below as the count of compiled entries */
	}
	fprintf(f, "const struct ksp_catalogue ksp_catalogues[] = {\n");
	for (int i = 0; i < npo; i++)
		fprintf(f, "\t{ \"%s\", %d, plural_%s, msgs_%s, %zu },\n", pos[i].lang,
			pos[i].nplurals, pos[i].lang, pos[i].lang, pos[i].n);
	if (!npo)
		fputs("\t{ \"\", 1, NULL, NULL, 0 },\n", f);
	fprintf(f, "};\n\nconst size_t ksp_ncatalogues = %d;\n", npo);
	if (fclose(f) || rename(tmp, out)) {
		fprintf(stderr, "po2c: %s: %s\n", out, strerror(errno));
		return 1;
	}
	free(tmp);
	return 0;
}

/* ---- the extractor -------------------------------------------------------- */

/*
 * The functions whose literal arguments are catalogue keys.  arg is the
 * 1-based argument holding the msgid; ctx_arg the one holding msgctxt (0:
 * none), or ctx a fixed context; plural_arg msgid_plural (0: none).
 * Keep in step with include/kasip/i18n.h and docs/hacking.md.
 */
static const struct marker {
	const char *name;
	int arg, ctx_arg, plural_arg;
	const char *ctx;
	int printf_like; /* the msgid is a printf format */
} markers[] = {
	{ "ksp_tr", 2, 0, 0, NULL, 0 },
	{ "ksp_trc", 3, 2, 0, NULL, 0 },
	{ "ksp_trn", 2, 0, 3, NULL, 0 },
	{ "KSP_N_", 1, 0, 0, NULL, 0 },
	{ "KSP_NC_", 2, 1, 0, NULL, 0 },
	{ "KSP_FMT_", 1, 0, 0, NULL, 1 },
	{ "ksp_error_set", 3, 0, 0, NULL, 1 },
	{ "ksp_error_at", 7, 0, 0, NULL, 1 },
	{ "CSV_FAIL", 6, 0, 0, NULL, 1 },
	{ "cli_tr", 1, 0, 0, NULL, 0 },
	{ "cli_trc", 2, 1, 0, NULL, 0 },
	{ "cli_trn", 1, 0, 2, NULL, 0 },
	{ "cli_fmt", 3, 0, 0, NULL, 1 },
	{ "cli_printf", 1, 0, 0, NULL, 1 },
	{ "cli_error", 1, 0, 0, NULL, 1 },
	{ "cli_usage_error", 2, 0, 0, NULL, 1 },
	{ "out_table_col", 2, 0, 0, "column", 0 },
	/* src/cli/cmd-atlas.c's tr(ac, msgid) */
	{ "tr", 2, 0, 0, NULL, 0 },
};

/*
 * The dashboard's scripts (web/js/, *.js): t("text") is the key "text" with
 * the context "dashboard", which /api/v1/messages hands to the pages
 * (ksp_tr_each).  Keys in scripts are double-quoted literals.
 */
static const struct marker js_markers[] = {
	{ "t", 1, 0, 0, "dashboard", 1 },
};

struct key {
	char *ctx, *id, *plural;
	char *where; /* "file:line" of the first use */
	int fmt;     /* used as a printf format somewhere */
};

struct keys {
	struct key *k;
	size_t n, cap;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->ctx ? x->ctx : "", y->ctx ? y->ctx : "");

	if (!c && !!x->ctx != !!y->ctx)
		return x->ctx ? 1 : -1;
	return c ? c : strcmp(x->id, y->id);
}

/* A key worth translating has a letter outside its printf conversions. */
static int has_words(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '%') {
			p++;
			while (*p && !strchr("diouxXeEfFgGaAcspn%", *p))
				p++;
			if (!*p)
				break;
			continue;
		}
		if (isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)
			return 1;
	}
	return 0;
}

/* Skip blanks and comments in C source. */
static const char *skip_ws(const char *p, long *line)
{
	for (;;) {
		if (*p == '\n')
			(*line)++, p++;
		else if (isspace((unsigned char)*p))
			p++;
		else if (p[0] == '/' && p[1] == '*') {
			p += 2;
			while (*p && !(p[0] == '*' && p[1] == '/')) {
				if (*p == '\n')
					(*line)++;
				p++;
			}
			if (*p)
				p += 2;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else
			return p;
	}
}

/* A C string literal at p: decode into b, return the end (NULL if malformed). */
static const char *c_string(const char *p, struct buf *b)
{
	p++;
	while (*p && *p != '"') {
		if (*p == '\n')
			return NULL;
		if (*p != '\\') {
			buf_addc(b, *p++);
			continue;
		}
		p++;
		switch (*p) {
		case 'n': buf_addc(b, '\n'); p++; break;
		case 't': buf_addc(b, '\t'); p++; break;
		case 'r': buf_addc(b, '\r'); p++; break;
		case '"': case '\\': case '\'': case '?': buf_addc(b, *p++); break;
		case 'x': {
			unsigned v = 0;

			p++;
			while (isxdigit((unsigned char)*p)) {
				v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0'
							   : (tolower((unsigned char)*p) - 'a' + 10));
				p++;
			}
			buf_addc(b, (char)v);
			break;
		}
		default:
			if (*p >= '0' && *p <= '7') {
				unsigned v = 0;
				int k = 0;

				while (k < 3 && *p >= '0' && *p <= '7')
					v = v * 8 + (unsigned)(*p++ - '0'), k++;
				buf_addc(b, (char)v);
			} else {
				return NULL;
			}
		}
	}
	return *p == '"' ? p + 1 : NULL;
}

/*
 * The argument at p (just after '(' or ','): if it is only string literals
 * (adjacent ones concatenated), return the text; else NULL.  *endp is set
 * after the argument (at ',' or ')').
 */
static char *literal_arg(const char *p, long *line, const char **endp)
{
	struct buf b = { 0 };
	int lit = 1, any = 0, depth = 0;

	for (;;) {
		p = skip_ws(p, line);
		if (!*p)
			break;
		if (depth == 0 && (*p == ',' || *p == ')'))
			break;
		if (*p == '"') {
			const char *e = c_string(p, &b);

			if (!e) {
				lit = 0;
				p++;
				continue;
			}
			p = e;
			any = 1;
			continue;
		}
		if (*p == '\'') {
			p++;
			while (*p && *p != '\'') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p)
				p++;
			lit = 0;
			continue;
		}
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if (*p == ')' || *p == ']' || *p == '}')
			depth--;
		lit = 0;
		p++;
	}
	*endp = p;
	if (lit && any)
		return buf_take(&b);
	free(buf_take(&b));
	return NULL;
}

static void keys_add(struct keys *ks, const char *ctx, char *id, char *plural, const char *file,
		     long line, int fmt)
{
	char where[4200]; /* a path of up to 4096 bytes and a line number */

	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 256;
		ks->k = xrealloc(ks->k, ks->cap * sizeof(*ks->k));
	}
	snprintf(where, sizeof(where), "%s:%ld", file, line);
	ks->k[ks->n].ctx = ctx ? xstrdup(ctx) : NULL;
	ks->k[ks->n].id = id;
	ks->k[ks->n].plural = plural;
	ks->k[ks->n].where = xstrdup(where);
	ks->k[ks->n].fmt = fmt;
	ks->n++;
}

static void scan_file(struct keys *ks, const char *path, const char *shown, int js)
{
	const struct marker *table = js ? js_markers : markers;
	size_t ntable = js ? sizeof(js_markers) / sizeof(js_markers[0])
			   : sizeof(markers) / sizeof(markers[0]);
	char *text = read_file(path, NULL);
	long line = 1;

	if (!text) {
		fprintf(stderr, "po2c: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	for (const char *p = text; *p;) {
		const struct marker *m = NULL;
		const char *q;
		long at;

		if (*p == '\n') {
			line++, p++;
			continue;
		}
		if (p[0] == '/' && (p[1] == '*' || p[1] == '/')) {
			p = skip_ws(p, &line);
			continue;
		}
		if (*p == '"') {
			struct buf junk = { 0 };
			const char *e = c_string(p, &junk);

			free(buf_take(&junk));
			p = e ? e : p + 1;
			continue;
		}
		if (*p == '\'') {
			p++;
			while (*p && *p != '\'' && *p != '\n') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p == '\'')
				p++;
			continue;
		}
		if (!(isalpha((unsigned char)*p) || *p == '_')) {
			p++;
			continue;
		}
		q = p;
		while (isalnum((unsigned char)*q) || *q == '_')
			q++;
		for (size_t i = 0; i < ntable; i++)
			if (strlen(table[i].name) == (size_t)(q - p) &&
			    !strncmp(table[i].name, p, (size_t)(q - p)))
				m = &table[i];
		p = q;
		if (!m)
			continue;
		at = line;
		q = skip_ws(q, &line);
		if (*q != '(')
			continue;
		{
			char *args[8] = { 0 };
			int argn = 0;
			const char *r = q + 1;
			long l2 = line;

			while (argn < 8) {
				const char *end;

				args[argn++] = literal_arg(r, &l2, &end);
				if (*end != ',')
					break;
				r = end + 1;
			}
			if (m->arg <= argn && args[m->arg - 1] && has_words(args[m->arg - 1])) {
				const char *ctx = m->ctx;
				char *plural = NULL;

				if (m->ctx_arg)
					ctx = m->ctx_arg <= argn ? args[m->ctx_arg - 1] : NULL;
				if (m->plural_arg && m->plural_arg <= argn && args[m->plural_arg - 1])
					plural = xstrdup(args[m->plural_arg - 1]);
				if (!m->ctx_arg || ctx) {
					keys_add(ks, ctx, args[m->arg - 1], plural, shown, at, m->printf_like);
					args[m->arg - 1] = NULL;
				}
			}
			for (int i = 0; i < argn; i++)
				free(args[i]);
		}
	}
	free(text);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_dir(struct keys *ks, const char *root, const char *rel, int js)
{
	char path[4096 + 2048 + 2];
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), str_cmp);
	for (size_t i = 0; i < n; i++) {
		char sub[2048], full[4096 + 2048 + 2];
		struct stat st;
		size_t L = strlen(names[i]);

		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", rel, names[i]) >= sizeof(sub))
			continue;
		snprintf(full, sizeof(full), "%s/%s", root, sub);
		if (stat(full, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			scan_dir(ks, root, sub, js);
		else if (!js && L > 2 && names[i][L - 2] == '.' &&
			 (names[i][L - 1] == 'c' || names[i][L - 1] == 'h'))
			scan_file(ks, full, sub, 0);
		else if (js && L > 3 && !strcmp(names[i] + L - 3, ".js"))
			scan_file(ks, full, sub, 1);
		free(names[i]);
	}
	free(names);
}

/* The keys the code uses, sorted, one per (ctx, id), the first use kept. */
static void extract(struct keys *ks, const char *root)
{
	static const char *const dirs[] = { "lib", "src" };
	size_t o = 0;

	memset(ks, 0, sizeof(*ks));
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		scan_dir(ks, root, dirs[i], 0);
	scan_dir(ks, root, "web/js", 1);
	if (!ks->n)
		return;
	/* stable: the first use of a key is the one reported */
	for (size_t i = 1; i < ks->n; i++) {
		struct key k = ks->k[i];
		size_t j = i;

		while (j > 0 && key_cmp(&ks->k[j - 1], &k) > 0) {
			ks->k[j] = ks->k[j - 1];
			j--;
		}
		ks->k[j] = k;
	}
	for (size_t i = 0; i < ks->n; i++) {
		if (o && !key_cmp(&ks->k[o - 1], &ks->k[i])) {
			if (!ks->k[o - 1].plural && ks->k[i].plural)
				ks->k[o - 1].plural = ks->k[i].plural;
			ks->k[o - 1].fmt |= ks->k[i].fmt;
			continue;
		}
		ks->k[o++] = ks->k[i];
	}
	ks->n = o;
}

static void put_po_str(FILE *f, const char *kw, const char *s)
{
	fprintf(f, "%s ", kw);
	if (strchr(s, '\n') && strchr(s, '\n')[1]) {
		fputs("\"\"\n", f);
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t n = nl ? (size_t)(nl - s) + 1 : strlen(s);

			fputc('"', f);
			for (size_t i = 0; i < n; i++) {
				if (s[i] == '"' || s[i] == '\\')
					fprintf(f, "\\%c", s[i]);
				else if (s[i] == '\n')
					fputs("\\n", f);
				else if (s[i] == '\t')
					fputs("\\t", f);
				else
					fputc(s[i], f);
			}
			fputs("\"\n", f);
			s += n;
		}
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	}
	fputs("\"\n", f);
}

static void put_pot_entry(FILE *f, const struct key *k, int nplurals)
{
	const char *colon = strrchr(k->where, ':');

	fprintf(f, "\n#: %.*s\n", (int)(colon ? colon - k->where : (long)strlen(k->where)), k->where);
	if (strchr(k->id, '%')) {
		struct buf sig = { 0 };

		/* po2c checks every msgstr's conversions unless told no-c-format */
		if (!format_sig(k->id, &sig) && sig.n)
			fputs(k->fmt ? "#, c-format\n" : "#, no-c-format\n", f);
		free(buf_take(&sig));
	}
	if (k->ctx)
		put_po_str(f, "msgctxt", k->ctx);
	put_po_str(f, "msgid", k->id);
	if (k->plural) {
		put_po_str(f, "msgid_plural", k->plural);
		for (int i = 0; i < nplurals; i++)
			fprintf(f, "msgstr[%d] \"\"\n", i);
	} else {
		fputs("msgstr \"\"\n", f);
	}
}

static int pot(const char *root)
{
	struct keys ks;

	extract(&ks, root);
	fputs("# kasip's message catalogue: the keys (English msgids) the code uses.\n"
	      "# Generated by 'po2c --pot .'; translations go in po/LANG.po.\n"
	      "#, fuzzy\n"
	      "msgid \"\"\n"
	      "msgstr \"\"\n"
	      "\"Project-Id-Version: kasip\\n\"\n"
	      "\"MIME-Version: 1.0\\n\"\n"
	      "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	      "\"Content-Transfer-Encoding: 8bit\\n\"\n"
	      "\"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n\"\n", stdout);
	for (size_t i = 0; i < ks.n; i++)
		put_pot_entry(stdout, &ks.k[i], 2);
	return 0;
}

static int keys_list(const char *root)
{
	struct keys ks;

	extract(&ks, root);
	for (size_t i = 0; i < ks.n; i++) {
		printf("%s: ", ks.k[i].where);
		if (ks.k[i].ctx)
			printf("[%s] ", ks.k[i].ctx);
		put_po_str(stdout, "msgid", ks.k[i].id);
	}
	return 0;
}

static const struct entry *po_find(const struct po *po, const struct key *k)
{
	size_t lo = 0, hi = po->n;
	struct entry probe;

	memset(&probe, 0, sizeof(probe));
	probe.ctx = k->ctx;
	probe.id = k->id;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = entry_cmp(&probe, &po->e[mid]);

		if (!c)
			return &po->e[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int check(const char *root)
{
	static const char *const langs[] = { "kk", "ru" };
	struct keys ks;
	struct po tpl, po;
	char path[4096], shown[64];
	int bad = 0;

	extract(&ks, root);
	snprintf(path, sizeof(path), "%s/po/kasip.pot", root);
	po_parse(&tpl, path, 1);
	tpl.path = "po/kasip.pot";
	for (size_t i = 0; i < ks.n; i++) {
		const struct entry *e = po_find(&tpl, &ks.k[i]);

		if (!e) {
			printf("%s: not in po/kasip.pot (run 'po2c --pot . > po/kasip.pot'): \"%s\"\n",
			       ks.k[i].where, ks.k[i].id);
			bad++;
		}
	}
	for (size_t i = 0; i < tpl.n; i++) {
		struct key k = { tpl.e[i].ctx, tpl.e[i].id, NULL, NULL, 0 };

		if (!bsearch(&k, ks.k, ks.n, sizeof(*ks.k), key_cmp)) {
			printf("po/kasip.pot:%ld: no code uses \"%s\"\n", tpl.e[i].line, tpl.e[i].id);
			bad++;
		}
	}
	for (size_t l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
		snprintf(path, sizeof(path), "%s/po/%s.po", root, langs[l]);
		snprintf(shown, sizeof(shown), "po/%s.po", langs[l]);
		po_parse(&po, path, 0);
		po.path = shown;
		for (size_t i = 0; i < ks.n; i++) {
			const struct key *k = &ks.k[i];
			const struct entry *e = po_find(&po, k);
			const char *why = NULL;

			if (!e)
				why = "missing";
			else if (e->fuzzy)
				why = "fuzzy";
			else if (!entry_translated(e))
				why = "untranslated";
			else if (!!e->plural != !!k->plural)
				why = k->plural ? "needs plural forms (msgid_plural)" : "is plural, the code is not";
			else if (k->plural && strcmp(e->plural, k->plural))
				why = "has another msgid_plural";
			if (why) {
				printf("%s: %s in %s:", k->where, why, shown);
				if (!e) {
					printf(" add\n");
					put_pot_entry(stdout, k, po.nplurals);
				} else {
					printf(" line %ld \"%s\"\n", e->line, k->id);
				}
				bad++;
			}
		}
		for (size_t i = 0; i < po.n; i++) {
			struct key k = { po.e[i].ctx, po.e[i].id, NULL, NULL, 0 };

			if (!bsearch(&k, ks.k, ks.n, sizeof(*ks.k), key_cmp)) {
				printf("%s:%ld: no code uses \"%s\"%s\n", shown, po.e[i].line, po.e[i].id,
				       po.e[i].ctx ? " (with its msgctxt)" : "");
				bad++;
			}
		}
	}
	printf("%zu keys, %d problems\n", ks.n, bad);
	printf("%d passed, %d failed\n", bad ? 0 : 1, bad ? 1 : 0);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--check"))
		return check(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--pot"))
		return pot(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--keys"))
		return keys_list(argv[2]);
	if (argc >= 2 && argv[1][0] != '-')
		return compile(argv[1], argc - 2, argv + 2);
	fputs("usage: po2c OUT.c FILE.po... | --check ROOT | --pot ROOT | --keys ROOT\n", stderr);
	return 2;
}

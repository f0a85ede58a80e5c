#include "kasip/error.h"
#include "kasip/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ksp_error_clear(struct ksp_error *e)
{
	char lang[sizeof(e->lang)];

	if (!e)
		return;
	memcpy(lang, e->lang, sizeof(lang));
	memset(e, 0, sizeof(*e));
	memcpy(e->lang, lang, sizeof(lang));
}

void ksp_error_use_lang(struct ksp_error *e, const char *lang)
{
	const char *l = ksp_lang_norm(lang);

	if (!e)
		return;
	memset(e->lang, 0, sizeof(e->lang));
	if (l)
		memcpy(e->lang, l, 2);
}

/* A language stored in a record, read defensively: callers may not have
 * initialised the record, and garbage must read as English. */
const char *ksp_error_lang(const struct ksp_error *e)
{
	if (!e || e->lang[2] || e->lang[3])
		return NULL;
	if ((e->lang[0] == 'k' && e->lang[1] == 'k') || (e->lang[0] == 'r' && e->lang[1] == 'u'))
		return e->lang;
	return NULL;
}

static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n;

	if (!src) {
		dst[0] = '\0';
		return;
	}
	n = strlen(src);
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* "... expected X, got \"Y\"" -> expected X, found Y (the last such pair). */
static void split_expected(struct ksp_error *e)
{
	const char *x = strstr(e->msg, "expected "), *g, *q;

	e->expected[0] = e->found[0] = '\0';
	if (!x)
		return;
	x += 9;
	g = strstr(x, ", got \"");
	if (!g)
		return;
	q = strrchr(g + 7, '"');
	if (!q || q[1])
		return;
	{
		size_t nx = (size_t)(g - x), nf = (size_t)(q - (g + 7));

		if (nx >= sizeof(e->expected))
			nx = sizeof(e->expected) - 1;
		if (nf >= sizeof(e->found))
			nf = sizeof(e->found) - 1;
		memcpy(e->expected, x, nx);
		e->expected[nx] = '\0';
		memcpy(e->found, g + 7, nf);
		e->found[nf] = '\0';
	}
}

static int verror(struct ksp_error *e, int code, const char *file, long line,
		  long column, const char *field, const char *fmt, va_list ap)
	__attribute__((format(printf, 7, 0)));

static int verror(struct ksp_error *e, int code, const char *file, long line,
		  long column, const char *field, const char *fmt, va_list ap)
{
	if (!e)
		return code;
	e->code = code;
	e->line = line;
	e->column = column;
	copy_field(e->file, sizeof(e->file), file);
	copy_field(e->field, sizeof(e->field), field);
	/* fmt is a catalogue key; tools/po2c refuses a translation whose printf
	 * conversions differ from fmt's, so the translation takes the same ap.
	 * expected/found come from the English message, the same in every
	 * language (the split looks for English words). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (ksp_error_lang(e)) {
		va_list aq;

		va_copy(aq, ap);
		vsnprintf(e->msg, sizeof(e->msg), fmt, aq);
		va_end(aq);
		split_expected(e);
		vsnprintf(e->msg, sizeof(e->msg), ksp_tr(ksp_error_lang(e), fmt), ap);
	} else {
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		split_expected(e);
	}
#pragma GCC diagnostic pop
	return code;
}

int ksp_error_set(struct ksp_error *e, int code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(e, code, NULL, 0, 0, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

int ksp_error_at(struct ksp_error *e, int code, const char *file, long line,
		 long column, const char *field, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = verror(e, code, file, line, column, field, fmt, ap);
	va_end(ap);
	return rc;
}

/* Append printf-style to buf[*n..size), always NUL-terminated, truncating. */
static void append(char *buf, size_t size, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n + 1 >= size)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n = (size_t)w >= size - *n ? size - 1 : *n + (size_t)w;
}

const char *ksp_error_format(const struct ksp_error *e, char *buf, size_t size)
{
	size_t n = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (!e)
		return buf;
	if (e->file[0]) {
		append(buf, size, &n, "%s:", e->file);
		if (e->line > 0) {
			append(buf, size, &n, "%ld:", e->line);
			if (e->column > 0)
				append(buf, size, &n, "%ld:", e->column);
		}
		append(buf, size, &n, " ");
	}
	if (e->field[0])
		append(buf, size, &n, "%s: ", e->field);
	append(buf, size, &n, "%s", e->msg[0] ? e->msg : ksp_tr(ksp_error_lang(e), ksp_status_name(e->code)));
	return buf;
}

const char *ksp_status_name(int code)
{
	switch (code) {
	case KSP_OK: return KSP_N_("ok");
	case KSP_DONE: return KSP_N_("done");
	case KSP_EINVAL: return KSP_N_("bad input");
	case KSP_EUSAGE: return KSP_N_("wrong usage");
	case KSP_ENOTFOUND: return KSP_N_("not found");
	case KSP_EIO: return KSP_N_("input/output error");
	case KSP_EBUSY: return KSP_N_("database locked");
	case KSP_EDB: return KSP_N_("database error");
	case KSP_ETOOBIG: return KSP_N_("too big");
	case KSP_ECONFLICT: return KSP_N_("conflict");
	case KSP_EINFEASIBLE: return KSP_N_("infeasible");
	case KSP_EINTERNAL: return KSP_N_("internal error");
	default: return KSP_N_("unknown error");
	}
}

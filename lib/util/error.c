#include "kasip/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ksp_error_clear(struct ksp_error *e)
{
	if (!e)
		return;
	memset(e, 0, sizeof(*e));
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
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	split_expected(e);
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
	append(buf, size, &n, "%s", e->msg[0] ? e->msg : ksp_status_name(e->code));
	return buf;
}

const char *ksp_status_name(int code)
{
	switch (code) {
	case KSP_OK: return "ok";
	case KSP_DONE: return "done";
	case KSP_EINVAL: return "bad input";
	case KSP_EUSAGE: return "wrong usage";
	case KSP_ENOTFOUND: return "not found";
	case KSP_EIO: return "input/output error";
	case KSP_EBUSY: return "database locked";
	case KSP_EDB: return "database error";
	case KSP_ETOOBIG: return "too big";
	case KSP_ECONFLICT: return "conflict";
	case KSP_EINFEASIBLE: return "infeasible";
	case KSP_EINTERNAL: return "internal error";
	default: return "unknown error";
	}
}

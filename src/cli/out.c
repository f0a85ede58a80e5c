/*
 * out.c - result tables for people (aligned, UTF-8 aware), Excel (CSV) and
 * programs (JSON).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct out_col {
	char *name;  /* the CSV and JSON key */
	char *label; /* the header for people; NULL: name through the catalogue */
	unsigned flags;
};

struct out_table {
	struct out_col *cols;
	size_t ncols;
	char **cells; /* row-major */
	size_t ncells, cap;
	size_t row_start;
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q) {
		fputs("kasip: out of memory\n", stderr);
		abort();
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

struct out_table *out_table_new(void)
{
	struct out_table *t = xrealloc(NULL, sizeof(*t));

	memset(t, 0, sizeof(*t));
	return t;
}

void out_table_col(struct out_table *t, const char *name, unsigned flags)
{
	out_table_col_label(t, name, NULL, flags);
}

void out_table_col_label(struct out_table *t, const char *name, const char *label,
			 unsigned flags)
{
	t->cols = xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
	t->cols[t->ncols].name = xstrdup(name);
	t->cols[t->ncols].label = label ? xstrdup(label) : NULL;
	t->cols[t->ncols].flags = flags;
	t->ncols++;
}

/* The header people read: the column's key is its English header (msgctxt "column"). */
static const char *col_label(const struct out_col *c)
{
	return c->label ? c->label : ksp_trc(cli_lang(), "column", c->name);
}

void out_table_cell(struct out_table *t, const char *text)
{
	if (t->ncells + 1 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = xrealloc(t->cells, t->cap * sizeof(*t->cells));
	}
	t->cells[t->ncells++] = xstrdup(text ? text : "");
}

void out_table_cellf(struct out_table *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out_table_cell(t, buf);
}

void out_table_end_row(struct out_table *t)
{
	/* Pad a short row so that every row has ncols cells. */
	while (t->ncells - t->row_start < t->ncols)
		out_table_cell(t, "");
	t->row_start = t->ncells;
}

size_t out_utf8_width(const char *s)
{
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		int len;

		if (*p < 0x80) {
			cp = *p;
			len = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			len = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			len = 3;
		} else {
			cp = *p & 0x07;
			len = 4;
		}
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80) {
				len = i;
				break;
			}
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		p += len;
		/* Combining marks take no column; East Asian wide letters take two. */
		if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x483 && cp <= 0x489))
			continue;
		if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
		    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
		    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0x20000 && cp <= 0x3fffd))
			w += 2;
		else
			w += 1;
	}
	return w;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

static void print_text(struct out_table *t, FILE *f)
{
	size_t nrows = t->ncols ? t->ncells / t->ncols : 0;
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(size_t));

	if (!w)
		abort();
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = out_utf8_width(col_label(&t->cols[c]));
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t cw = out_utf8_width(t->cells[r * t->ncols + c]);

			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; r <= nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = r ? t->cells[(r - 1) * t->ncols + c] : col_label(&t->cols[c]);
			size_t sw = out_utf8_width(s);
			int last = c + 1 == t->ncols;

			if (t->cols[c].flags & OUT_NUM) {
				pad(f, w[c] - sw);
				fputs(s, f);
			} else {
				fputs(s, f);
				if (!last)
					pad(f, w[c] - sw);
			}
			if (!last)
				fputs("  ", f);
		}
		fputc('\n', f);
		if (r == 0) {
			for (size_t c = 0; c < t->ncols; c++) {
				for (size_t k = 0; k < w[c]; k++)
					fputc('-', f);
				if (c + 1 < t->ncols)
					fputs("  ", f);
			}
			fputc('\n', f);
		}
	}
	free(w);
}

static void print_csv(struct out_table *t, FILE *f)
{
	size_t nrows = t->ncols ? t->ncells / t->ncols : 0;

	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', f);
		ksp_csv_write_field(f, t->cols[c].name);
	}
	fputc('\n', f);
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', f);
			ksp_csv_write_field(f, t->cells[r * t->ncols + c]);
		}
		fputc('\n', f);
	}
}

static json_t *json_cell(const char *s, unsigned flags)
{
	if (flags & OUT_NUM) {
		char *end;
		double d;

		if (!*s)
			return json_null();
		errno = 0;
		d = strtod(s, &end);
		if (!*end && !errno) {
			if (d == (double)(long long)d && !strchr(s, '.') && !strchr(s, 'e'))
				return json_integer((json_int_t)d);
			return json_real(d);
		}
	}
	return json_string(s);
}

static void print_json(struct out_table *t, FILE *f)
{
	size_t nrows = t->ncols ? t->ncells / t->ncols : 0;

	fputs("[", f);
	for (size_t r = 0; r < nrows; r++) {
		json_t *o = json_object();
		char *txt;

		for (size_t c = 0; c < t->ncols; c++)
			json_object_set_new(o, t->cols[c].name,
					    json_cell(t->cells[r * t->ncols + c], t->cols[c].flags));
		txt = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		fprintf(f, "%s\n  %s", r ? "," : "", txt ? txt : "{}");
		free(txt);
		json_decref(o);
	}
	fputs(nrows ? "\n]\n" : "]\n", f);
}

void out_table_print(struct out_table *t, enum cli_format fmt, FILE *f)
{
	switch (fmt) {
	case FMT_TABLE: print_text(t, f); break;
	case FMT_CSV: print_csv(t, f); break;
	case FMT_JSON: print_json(t, f); break;
	}
}

void out_table_free(struct out_table *t)
{
	if (!t)
		return;
	for (size_t c = 0; c < t->ncols; c++) {
		free(t->cols[c].name);
		free(t->cols[c].label);
	}
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i]);
	free(t->cols);
	free(t->cells);
	free(t);
}

/*
 * import.c - the table-driven CSV importer (see kasip/table.h).
 *
 * One transaction, one prepared INSERT ... ON CONFLICT for the table, one
 * prepared lookup per reference column; every field is validated before it
 * is bound, and the first bad field stops the import with its position.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "data/tables.h"
#include "kasip/csv.h"
#include "kasip/table.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define MAX_TEXT 4096
#define MAX_CODE 64

/* ---- rows this import wrote: a set of rowids ------------------------------ */

/*
 * A row this import wrote is one whose rowid is above the table's largest
 * before the import (SQLite gives a new row the largest rowid + 1), or one
 * in this set: the rows at or below it that the import replaced, or, when
 * the key is the rowid itself (one integer column), inserted.  So the set
 * holds at most the rows the table had before, not the file's.
 */
struct rowset {
	long long *v; /* open addressing; ROWSET_EMPTY marks a free slot */
	size_t cap, n;
};

#define ROWSET_EMPTY LLONG_MIN

static size_t rowset_slot(long long id, size_t cap)
{
	uint64_t x = (uint64_t)id;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x & (cap - 1);
}

static int rowset_has(const struct rowset *rs, long long id)
{
	if (!rs->n)
		return 0;
	for (size_t j = rowset_slot(id, rs->cap); rs->v[j] != ROWSET_EMPTY; j = (j + 1) & (rs->cap - 1))
		if (rs->v[j] == id)
			return 1;
	return 0;
}

static void rowset_add(struct rowset *rs, long long id)
{
	size_t j;

	if ((rs->n + 1) * 2 > rs->cap) {
		struct rowset nr = { NULL, rs->cap ? rs->cap * 2 : 1024, 0 };

		nr.v = ksp_xmalloc(nr.cap * sizeof(*nr.v));
		for (size_t i = 0; i < nr.cap; i++)
			nr.v[i] = ROWSET_EMPTY;
		for (size_t i = 0; i < rs->cap; i++)
			if (rs->v[i] != ROWSET_EMPTY)
				rowset_add(&nr, rs->v[i]);
		free(rs->v);
		*rs = nr;
	}
	for (j = rowset_slot(id, rs->cap); rs->v[j] != ROWSET_EMPTY; j = (j + 1) & (rs->cap - 1))
		if (rs->v[j] == id)
			return;
	rs->v[j] = id;
	rs->n++;
}

/* ---- a set of strings: the codes a reference accepts ----------------------- */

struct strset {
	char **keys;
	size_t cap, n;
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void strset_free(struct strset *ss)
{
	if (!ss)
		return;
	for (size_t i = 0; i < ss->cap; i++)
		free(ss->keys[i]);
	free(ss->keys);
	free(ss);
}

static int strset_has(const struct strset *ss, const char *key, size_t n)
{
	for (size_t j = fnv1a(key, n) & (ss->cap - 1); ss->keys[j]; j = (j + 1) & (ss->cap - 1))
		if (!strncmp(ss->keys[j], key, n) && !ss->keys[j][n])
			return 1;
	return 0;
}

static void strset_add(struct strset *ss, const char *key, size_t n)
{
	size_t j;

	if ((ss->n + 1) * 2 > ss->cap) {
		struct strset ns = { NULL, ss->cap ? ss->cap * 2 : 1024, 0 };

		ns.keys = ksp_xcalloc(ns.cap, sizeof(char *));
		for (size_t i = 0; i < ss->cap; i++)
			if (ss->keys[i]) {
				for (j = fnv1a(ss->keys[i], strlen(ss->keys[i])) & (ns.cap - 1); ns.keys[j];
				     j = (j + 1) & (ns.cap - 1))
					;
				ns.keys[j] = ss->keys[i];
				ns.n++;
			}
		free(ss->keys);
		*ss = ns;
	}
	if (strset_has(ss, key, n))
		return;
	for (j = fnv1a(key, n) & (ss->cap - 1); ss->keys[j]; j = (j + 1) & (ss->cap - 1))
		;
	ss->keys[j] = ksp_xmalloc(n + 1);
	memcpy(ss->keys[j], key, n);
	ss->keys[j][n] = '\0';
	ss->n++;
}

/* ---- regions: KATO or ISO code -> KATO ------------------------------------ */

struct region_code {
	char *code;
	char *kato;
};

struct importer {
	struct ksp_store *store;
	const struct ksp_table *t;
	const char *file;
	int *colfield;                /* column -> field index in the row, or -1 */
	struct ksp_stmt *insert;      /* a plain INSERT: most rows are new */
	struct ksp_stmt *upsert;      /* INSERT ... ON CONFLICT DO UPDATE, for a key that is there */
	struct ksp_stmt *cur;         /* the one bind_field() binds into */
	int nset;                     /* columns that are not the key */
	struct ksp_stmt *exists;      /* SELECT rowid FROM t WHERE keys */
	struct ksp_stmt *unique_db;   /* the rowid of another row with the unique_also values */
	struct ksp_stmt **ref;        /* per column, for KSP_COL_REF */
	struct ksp_strbuf *memo;      /* per REF column: the last (also, value) found, or "" */
	unsigned char *memo_on;       /* per column: memo used (its query reads another table) */
	struct strset **sets;         /* per column: what it accepts (ksp_ref_set), or NULL */
	struct ksp_stmt **group;      /* per column: the ksp_ref_set's group query, or NULL */
	struct ksp_strbuf *group_of;  /* per column: the last ref_also value looked up */
	struct ksp_strbuf *group_is;  /* per column: and its group */
	struct ksp_strbuf scratch;
	struct region_code *regions;
	size_t nregions;
	int loaded_regions;
	int *unique_cols;              /* the table's unique_also columns, -1 ended */
	const char **vals;             /* check_row's values, one per column */
	const char *source_id;
	int source_col;               /* index of the source column */
	/* Which rows this import wrote (see struct rowset). */
	long long oldmax;             /* the largest rowid before the import */
	struct rowset written;
	/* To read the file again for the line of an earlier duplicate. */
	const char *path, *buf;
	size_t len;
	struct ksp_csv_options co;
};

static int load_regions(struct importer *im, struct ksp_error *err)
{
	struct ksp_stmt *st;
	size_t cap = 0;
	int rc;

	im->loaded_regions = 1;
	rc = ksp_stmt_prepare(im->store, "SELECT kato, iso FROM region", &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *kato = ksp_stmt_column_text(st, 0), *iso = ksp_stmt_column_text(st, 1);

		KSP_ALLOC_GROW(im->regions, im->nregions + 2, cap);
		im->regions[im->nregions].code = ksp_xstrdup(kato);
		im->regions[im->nregions++].kato = ksp_xstrdup(kato);
		im->regions[im->nregions].code = ksp_xstrdup(iso);
		im->regions[im->nregions++].kato = ksp_xstrdup(kato);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

static const char *find_region(struct importer *im, const char *code)
{
	for (size_t i = 0; i < im->nregions; i++)
		if (!strcasecmp(im->regions[i].code, code))
			return im->regions[i].kato;
	return NULL;
}

static void importer_release(struct importer *im)
{
	if (im->ref)
		for (int c = 0; c < im->t->ncols; c++)
			ksp_stmt_finalize(im->ref[c]);
	free(im->ref);
	ksp_stmt_finalize(im->insert);
	ksp_stmt_finalize(im->upsert);
	ksp_stmt_finalize(im->exists);
	ksp_stmt_finalize(im->unique_db);
	free(im->colfield);
	for (size_t i = 0; i < im->nregions; i++) {
		free(im->regions[i].code);
		free(im->regions[i].kato);
	}
	free(im->regions);
	free(im->unique_cols);
	if (im->memo)
		for (int c = 0; c < im->t->ncols; c++)
			ksp_strbuf_release(&im->memo[c]);
	free(im->memo);
	free(im->memo_on);
	if (im->sets)
		for (int c = 0; c < im->t->ncols; c++) {
			strset_free(im->sets[c]);
			ksp_stmt_finalize(im->group[c]);
			ksp_strbuf_release(&im->group_of[c]);
			ksp_strbuf_release(&im->group_is[c]);
		}
	free(im->sets);
	free(im->group);
	free(im->group_of);
	free(im->group_is);
	ksp_strbuf_release(&im->scratch);
	free(im->vals);
	free(im->written.v);
}

static const char *dbname(const struct ksp_column *c)
{
	return c->db_name ? c->db_name : c->name;
}

/* ---- field validation ------------------------------------------------------ */

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static const char *type_words(const struct ksp_column *c)
{
	switch (c->type) {
	case KSP_COL_TEXT: return "text";
	case KSP_COL_CODE: return "a code";
	case KSP_COL_INT: return "a whole number";
	case KSP_COL_UINT: return "a non-negative whole number";
	case KSP_COL_PINT: return "a whole number >= 1";
	case KSP_COL_YEAR: return "a year (1900-2200)";
	case KSP_COL_REAL: return "a number";
	case KSP_COL_UREAL: return "a non-negative number";
	case KSP_COL_ENUM: return "one of the listed values";
	case KSP_COL_REGION: return "a region code (KATO or ISO 3166-2)";
	case KSP_COL_REF: return "a known code";
	case KSP_COL_AGE: return "an age (total, N, N-M or N+)";
	case KSP_COL_LAT: return "a latitude (-90..90)";
	case KSP_COL_LON: return "a longitude (-180..180)";
	}
	return "a value";
}

/*
 * A numeric column's plausible range, "LO..HI" in its values (tables.c):
 * 1 when v lies outside it.  A column without one has no range.
 */
static int out_of_range(const struct ksp_column *c, double v, double *lo, double *hi)
{
	const char *dots;
	char *end;

	if (!c->values || !(dots = strstr(c->values, "..")))
		return 0;
	*lo = strtod(c->values, &end);
	*hi = strtod(dots + 2, NULL);
	return v < *lo || v > *hi;
}

static int valid_code(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > MAX_CODE)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(".-_/+", *s))
			return 0;
	return 1;
}

static int enum_has(const char *values, const char *v)
{
	size_t n = strlen(v);

	while (*values) {
		const char *bar = strchr(values, '|');
		size_t len = bar ? (size_t)(bar - values) : strlen(values);

		if (len == n && !strncmp(values, v, n))
			return 1;
		if (!bar)
			break;
		values = bar + 1;
	}
	return 0;
}

static int parse_age(const char *s)
{
	long a, b;
	char *end;

	if (!strcmp(s, "total"))
		return 1;
	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	a = strtol(s, &end, 10);
	if (errno || a < 0 || a > 120)
		return 0;
	if (!*end)
		return 1;
	if (!strcmp(end, "+"))
		return 1;
	if (*end != '-' || !isdigit((unsigned char)end[1]))
		return 0;
	b = strtol(end + 1, &end, 10);
	return !*end && b >= a && b <= 120;
}

static void quote_for_msg(const char *v, char *buf, size_t size)
{
	size_t n = strlen(v);

	if (n > 60)
		snprintf(buf, size, "%.60s...", v);
	else
		snprintf(buf, size, "%s", v);
}

/* Column ci is a reference checked against its set (struct ksp_ref_set). */
static int ref_in_set(struct importer *im, int ci, const char *also, const char *v,
		      const struct ksp_csv_row *row, int field, struct ksp_error *err)
{
	const struct ksp_column *c = &im->t->cols[ci];
	struct ksp_strbuf *sc = &im->scratch, *gi = &im->group_is[ci];
	long line = field >= 0 ? row->field_line[field] : row->line;
	char shown[80];

	if (im->group[ci] && strcmp(im->group_of[ci].buf, also)) {
		struct ksp_stmt *q = im->group[ci];
		int rc;

		/* Rows of one student come together: one look-up for them all. */
		ksp_strbuf_reset(gi);
		ksp_stmt_reset(q);
		ksp_stmt_bind_text(q, 1, also, -1);
		rc = ksp_stmt_step(q, err);
		if (rc == KSP_ROW)
			ksp_strbuf_addstr(gi, ksp_stmt_column_text(q, 0));
		ksp_stmt_reset(q);
		if (rc < 0)
			return rc;
		ksp_strbuf_reset(&im->group_of[ci]);
		ksp_strbuf_addstr(&im->group_of[ci], also);
		if (rc != KSP_ROW)
			ksp_strbuf_addch(gi, 0x1f); /* no group: matches nothing */
	}
	ksp_strbuf_reset(sc);
	ksp_strbuf_addstr(sc, im->group[ci] ? gi->buf : also);
	ksp_strbuf_addch(sc, 0x1f);
	ksp_strbuf_addstr(sc, v);
	if (strset_has(im->sets[ci], sc->buf, sc->len))
		return ksp_stmt_bind_text_static(im->cur, ci + 1, v, -1);
	quote_for_msg(v, shown, sizeof(shown));
	return ksp_error_at(err, KSP_EINVAL, im->file, line, field >= 0 ? field + 1 : 0, c->name,
			    "unknown code \"%s\" (expected %s)", shown,
			    ksp_tr(ksp_error_lang(err), c->what));
}

/*
 * Check value (already trimmed) against column c and bind it at index idx.
 * row and field give the position for errors.
 */
static int bind_field(struct importer *im, int ci, const char *v, const struct ksp_csv_row *row,
		      int field, struct ksp_error *err)
{
	const struct ksp_column *c = &im->t->cols[ci];
	struct ksp_stmt *ins = im->cur;
	long line = field >= 0 ? row->field_line[field] : row->line;
	long col = field >= 0 ? field + 1 : 0;
	char shown[80];
	int idx = ci + 1;
	long long iv;
	double dv, lo = 0, hi = 0;

#define SHOWN (quote_for_msg(v, shown, sizeof(shown)), shown)
#define BAD(...) ksp_error_at(err, KSP_EINVAL, im->file, line, col, c->name, __VA_ARGS__)
	if (!*v) {
		if (c->flags & KSP_COL_OPTIONAL) {
			if (c->def)
				return ksp_stmt_bind_text_static(ins, idx, c->def, -1);
			return ksp_stmt_bind_null(ins, idx);
		}
		if (c->type == KSP_COL_REF && ci == im->source_col && im->source_id)
			v = im->source_id;
		else
			return BAD("expected %s, got an empty field",
				   c->type == KSP_COL_ENUM ? c->values : type_words(c));
	}
	switch (c->type) {
	case KSP_COL_TEXT:
		if (strlen(v) > MAX_TEXT)
			return BAD("text longer than %d bytes", MAX_TEXT);
		return ksp_stmt_bind_text_static(ins, idx, v, -1);
	case KSP_COL_CODE:
		if (!valid_code(v))
			return BAD("expected a code (letters, digits, . - _ / +; at most %d), got \"%s\"",
				   MAX_CODE, SHOWN);
		return ksp_stmt_bind_text_static(ins, idx, v, -1);
	case KSP_COL_INT:
	case KSP_COL_UINT:
	case KSP_COL_PINT:
	case KSP_COL_YEAR:
		if (ksp_parse_int64(v, &iv) != KSP_OK || (c->type != KSP_COL_INT && iv < 0) ||
		    (c->type == KSP_COL_PINT && iv < 1) ||
		    (c->type == KSP_COL_YEAR && (iv < 1900 || iv > 2200)))
			return BAD("expected %s, got \"%s\"", type_words(c), SHOWN);
		if (c->type != KSP_COL_YEAR && out_of_range(c, (double)iv, &lo, &hi))
			return BAD("expected %s from %.15g to %.15g (the column's plausible range), "
				   "got \"%s\"", type_words(c), lo, hi, SHOWN);
		return ksp_stmt_bind_int64(ins, idx, iv);
	case KSP_COL_REAL:
	case KSP_COL_UREAL:
	case KSP_COL_LAT:
	case KSP_COL_LON:
		if (ksp_parse_double(v, &dv) != KSP_OK || (c->type == KSP_COL_UREAL && dv < 0) ||
		    (c->type == KSP_COL_LAT && (dv < -90 || dv > 90)) ||
		    (c->type == KSP_COL_LON && (dv < -180 || dv > 180)))
			return BAD("expected %s, got \"%s\"", type_words(c), SHOWN);
		if (out_of_range(c, dv, &lo, &hi))
			return BAD("expected %s from %.15g to %.15g (the column's plausible range), "
				   "got \"%s\"", type_words(c), lo, hi, SHOWN);
		return ksp_stmt_bind_double(ins, idx, dv);
	case KSP_COL_ENUM:
		if (!enum_has(c->values, v)) {
			struct ksp_strbuf sb = KSP_STRBUF_INIT;
			int rc;

			for (const char *p = c->values; *p; p++)
				if (*p == '|')
					ksp_strbuf_addstr(&sb, ", ");
				else
					ksp_strbuf_addch(&sb, *p);
			rc = BAD("expected one of %s, got \"%s\"", sb.buf, SHOWN);
			ksp_strbuf_release(&sb);
			return rc;
		}
		return ksp_stmt_bind_text_static(ins, idx, v, -1);
	case KSP_COL_AGE:
		if (!parse_age(v))
			return BAD("expected %s, got \"%s\"", type_words(c), SHOWN);
		return ksp_stmt_bind_text_static(ins, idx, v, -1);
	case KSP_COL_REGION: {
		const char *kato;

		if (!im->loaded_regions) {
			int rc = load_regions(im, err);

			if (rc)
				return rc;
		}
		kato = find_region(im, v);
		if (!kato)
			return BAD("unknown region code \"%s\" (expected a KATO code such as 590000000 "
				   "or an ISO 3166-2 code such as KZ-59)", SHOWN);
		return ksp_stmt_bind_text_static(ins, idx, kato, -1);
	}
	case KSP_COL_REF: {
		struct ksp_stmt *q = im->ref[ci];
		struct ksp_strbuf *sc = &im->scratch;
		const char *also = NULL;
		int rc, at = 1;

		if (strlen(v) > MAX_TEXT)
			return BAD("code longer than %d bytes", MAX_TEXT);
		if (c->ref_also)
			for (int k = 0; k < im->t->ncols; k++)
				if (!strcmp(im->t->cols[k].name, c->ref_also) && im->colfield[k] >= 0)
					also = trim(row->fields[im->colfield[k]]);
		/*
		 * Files come sorted by their first columns (a student's choices one
		 * after another): the same code as the row before was found then.
		 */
		if (im->sets[ci])
			return ref_in_set(im, ci, also ? also : "", v, row, field, err);
		ksp_strbuf_reset(sc);
		ksp_strbuf_addstr(sc, also ? also : "");
		ksp_strbuf_addch(sc, 0x1f);
		ksp_strbuf_addstr(sc, v);
		if (im->memo_on[ci] && im->memo[ci].len == sc->len && !memcmp(im->memo[ci].buf, sc->buf, sc->len))
			return ksp_stmt_bind_text_static(ins, idx, v, -1);
		ksp_stmt_reset(q);
		if (c->ref_also)
			ksp_stmt_bind_textz(q, at++, also ? also : "");
		ksp_stmt_bind_text(q, at, v, -1);
		rc = ksp_stmt_step(q, err);
		ksp_stmt_reset(q);
		if (rc < 0)
			return rc;
		if (rc != KSP_ROW)
			return BAD("unknown code \"%s\" (expected %s)", SHOWN,
				   ksp_tr(ksp_error_lang(err), c->what));
		if (im->memo_on[ci]) {
			ksp_strbuf_reset(&im->memo[ci]);
			ksp_strbuf_add(&im->memo[ci], sc->buf, sc->len);
		}
		return ksp_stmt_bind_text_static(ins, idx, v, -1);
	}
	}
#undef BAD
#undef SHOWN
	return KSP_EINTERNAL;
}

/* ---- header and statements -------------------------------------------------- */

/*
 * Lower-case UTF-8 for header matching: ASCII, Russian and Kazakh Cyrillic
 * (the headers Excel users type).  Writes at most size-1 bytes.
 */
static void fold(const char *s, size_t n, char *out, size_t size)
{
	static const unsigned short kk_upper[] = { 0x0492, 0x049a, 0x04a2, 0x04ae,
						   0x04b0, 0x04ba, 0x04d8, 0x04e8 };
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t o = 0;

	while (p < end && o + 3 < size) {
		if (*p < 0x80) {
			out[o++] = (char)tolower(*p++);
			continue;
		}
		if ((*p & 0xe0) == 0xc0 && p + 1 < end) {
			unsigned cp = ((unsigned)(*p & 0x1f) << 6) | (p[1] & 0x3f);

			if (cp >= 0x410 && cp <= 0x42f)
				cp += 0x20;
			else if (cp >= 0x400 && cp <= 0x40f)
				cp += 0x50;
			else
				for (size_t k = 0; k < sizeof(kk_upper) / sizeof(kk_upper[0]); k++)
					if (cp == kk_upper[k])
						cp++;
			out[o++] = (char)(0xc0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3f));
			p += 2;
			continue;
		}
		out[o++] = (char)*p++;
	}
	out[o] = '\0';
}

static int same_folded(const char *a, size_t alen, const char *h)
{
	char fa[256], fh[256];

	fold(a, alen, fa, sizeof(fa));
	fold(h, strlen(h), fh, sizeof(fh));
	return !strcmp(fa, fh);
}

/* A header names column c by its name, its database name or an alias. */
static int header_match(const struct ksp_column *c, const char *h)
{
	const char *a = c->aliases;

	if (same_folded(c->name, strlen(c->name), h) ||
	    (c->db_name && same_folded(c->db_name, strlen(c->db_name), h)))
		return 1;
	while (a && *a) {
		const char *bar = strchr(a, '|');
		size_t len = bar ? (size_t)(bar - a) : strlen(a);

		if (same_folded(a, len, h))
			return 1;
		a = bar ? bar + 1 : NULL;
	}
	return 0;
}

static int map_header(struct importer *im, struct ksp_csv_row *hdr, int **fieldcol,
		      struct ksp_error *err)
{
	const struct ksp_table *t = im->t;
	int *fc = ksp_xcalloc(hdr->nfields, sizeof(int));

	*fieldcol = fc;
	im->colfield = ksp_xmalloc(sizeof(int) * (size_t)t->ncols);
	for (int c = 0; c < t->ncols; c++)
		im->colfield[c] = -1;
	for (size_t f = 0; f < hdr->nfields; f++) {
		char *h = trim(hdr->fields[f]);
		int found = -1;

		for (int c = 0; c < t->ncols; c++)
			if (header_match(&t->cols[c], h))
				found = c;
		if (found < 0) {
			struct ksp_strbuf sb = KSP_STRBUF_INIT;
			int rc;

			for (int c = 0; c < t->ncols; c++)
				ksp_strbuf_addf(&sb, "%s%s", c ? ", " : "", t->cols[c].name);
			rc = ksp_error_at(err, KSP_EINVAL, im->file, hdr->line, (long)f + 1, NULL,
					  "unknown column \"%s\" for table %s (expected: %s)", h,
					  t->name, sb.buf);
			ksp_strbuf_release(&sb);
			return rc;
		}
		if (im->colfield[found] >= 0)
			return ksp_error_at(err, KSP_EINVAL, im->file, hdr->line, (long)f + 1, NULL,
					    "column \"%s\" appears twice", h);
		im->colfield[found] = (int)f;
		fc[f] = found;
	}
	for (int c = 0; c < t->ncols; c++) {
		if (im->colfield[c] >= 0 || (t->cols[c].flags & KSP_COL_OPTIONAL))
			continue;
		if (c == im->source_col && im->source_id)
			continue;
		if (c == im->source_col)
			return ksp_error_at(err, KSP_EINVAL, im->file, hdr->line, 0, NULL,
					    "missing column \"source\" (name a source for every row, "
					    "or give one for the whole file with --source ID)");
		return ksp_error_at(err, KSP_EINVAL, im->file, hdr->line, 0, NULL,
				    "missing column \"%s\" (%s)", t->cols[c].name,
				    ksp_tr(ksp_error_lang(err), t->cols[c].what));
	}
	return KSP_OK;
}

/* Read the codes column c accepts into its set. */
static int load_set(struct importer *im, int c, const struct ksp_ref_set *rs,
		    struct ksp_error *err)
{
	struct ksp_strbuf key = KSP_STRBUF_INIT;
	struct ksp_stmt *st = NULL;
	int rc;

	rc = ksp_stmt_prepare(im->store, rs->set, &st, err);
	if (!rc && rs->group)
		rc = ksp_stmt_prepare(im->store, rs->group, &im->group[c], err);
	if (rc) {
		ksp_stmt_finalize(st);
		return rc;
	}
	im->sets[c] = ksp_xcalloc(1, sizeof(struct strset));
	strset_add(im->sets[c], "", 0); /* never matched (no 0x1f): the table is not empty */
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		ksp_strbuf_reset(&key);
		ksp_strbuf_addstr(&key, ksp_stmt_column_text(st, 0));
		ksp_strbuf_addch(&key, 0x1f);
		ksp_strbuf_addstr(&key, ksp_stmt_column_text(st, 1));
		strset_add(im->sets[c], key.buf, key.len);
	}
	ksp_stmt_finalize(st);
	ksp_strbuf_release(&key);
	return rc == KSP_DONE ? KSP_OK : rc;
}

/* Whether sql names table as a word. */
static int names_table(const char *sql, const char *table)
{
	size_t n = strlen(table);

	for (const char *p = strstr(sql, table); p; p = strstr(p + 1, table)) {
		int before = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		int after = !(isalnum((unsigned char)p[n]) || p[n] == '_');

		if (before && after)
			return 1;
	}
	return 0;
}

static int prepare_statements(struct importer *im, struct ksp_error *err)
{
	const struct ksp_table *t = im->t;
	struct ksp_strbuf sql = KSP_STRBUF_INIT, keys = KSP_STRBUF_INIT, where = KSP_STRBUF_INIT;
	int rc, nset = 0;

	ksp_strbuf_addf(&sql, "INSERT INTO %s (", t->sql_table);
	for (int c = 0; c < t->ncols; c++)
		ksp_strbuf_addf(&sql, "%s%s", c ? ", " : "", dbname(&t->cols[c]));
	ksp_strbuf_addstr(&sql, ") VALUES (");
	for (int c = 0; c < t->ncols; c++)
		ksp_strbuf_addstr(&sql, c ? ", ?" : "?");
	for (int c = 0; c < t->ncols; c++)
		if (t->cols[c].flags & KSP_COL_KEY) {
			ksp_strbuf_addf(&keys, "%s%s", keys.len ? ", " : "", dbname(&t->cols[c]));
			ksp_strbuf_addf(&where, "%s%s = ?", where.len ? " AND " : "",
					dbname(&t->cols[c]));
		}
	ksp_strbuf_addch(&sql, ')');
	rc = ksp_stmt_prepare(im->store, sql.buf, &im->insert, err);
	ksp_strbuf_addf(&sql, " ON CONFLICT (%s) DO ", keys.buf);
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & KSP_COL_KEY)
			continue;
		ksp_strbuf_addf(&sql, "%s%s = excluded.%s", nset++ ? ", " : "UPDATE SET ",
				dbname(&t->cols[c]), dbname(&t->cols[c]));
	}
	if (!nset)
		ksp_strbuf_addstr(&sql, "NOTHING");
	im->nset = nset;
	if (!rc)
		rc = ksp_stmt_prepare(im->store, sql.buf, &im->upsert, err);
	if (!rc) {
		ksp_strbuf_reset(&sql);
		ksp_strbuf_addf(&sql, "SELECT rowid FROM %s WHERE %s", t->sql_table, where.buf);
		rc = ksp_stmt_prepare(im->store, sql.buf, &im->exists, err);
	}
	if (!rc && im->unique_cols) {
		ksp_strbuf_reset(&sql);
		ksp_strbuf_addf(&sql, "SELECT rowid FROM %s WHERE ", t->sql_table);
		for (int k = 0; im->unique_cols[k] >= 0; k++)
			ksp_strbuf_addf(&sql, "%s%s = ?", k ? " AND " : "",
					dbname(&t->cols[im->unique_cols[k]]));
		ksp_strbuf_addf(&sql, " AND NOT (%s)", where.buf);
		rc = ksp_stmt_prepare(im->store, sql.buf, &im->unique_db, err);
	}
	im->ref = ksp_xcalloc((size_t)t->ncols, sizeof(*im->ref));
	im->memo = ksp_xcalloc((size_t)t->ncols, sizeof(*im->memo));
	im->memo_on = ksp_xcalloc((size_t)t->ncols, 1);
	for (int c = 0; c < t->ncols; c++)
		ksp_strbuf_init(&im->memo[c], 0);
	im->sets = ksp_xcalloc((size_t)t->ncols, sizeof(*im->sets));
	im->group = ksp_xcalloc((size_t)t->ncols, sizeof(*im->group));
	im->group_of = ksp_xcalloc((size_t)t->ncols, sizeof(*im->group_of));
	im->group_is = ksp_xcalloc((size_t)t->ncols, sizeof(*im->group_is));
	for (int c = 0; c < t->ncols; c++) {
		ksp_strbuf_init(&im->group_of[c], 0);
		ksp_strbuf_init(&im->group_is[c], 0);
	}
	for (int c = 0; !rc && c < t->ncols; c++)
		if (t->cols[c].type == KSP_COL_REF) {
			const struct ksp_ref_set *rs = ksp_ref_set_find(t, t->cols[c].name);

			if (rs && !names_table(rs->set, t->sql_table))
				rc = load_set(im, c, rs, err);
			if (!rc)
				rc = ksp_stmt_prepare(im->store, t->cols[c].values, &im->ref[c], err);
			/* A code found stays found while rows are only added or updated,
			   unless the query reads the table being imported. */
			im->memo_on[c] = !names_table(t->cols[c].values, t->sql_table);
		}
	ksp_strbuf_release(&sql);
	ksp_strbuf_release(&keys);
	ksp_strbuf_release(&where);
	return rc;
}

/* ---- the import ------------------------------------------------------------- */

/* The import's page cache (KiB): a cap, taken only as pages are used. */
#define IMPORT_CACHE_KIB 32768L

static int is_integer_column(const struct ksp_column *c)
{
	return c->type == KSP_COL_YEAR || c->type == KSP_COL_UINT || c->type == KSP_COL_PINT ||
	       c->type == KSP_COL_INT;
}

/*
 * Column c's value in row as the database stores it: trimmed, the default
 * when empty, a region by its KATO code; a whole number in *iv (*is_int 1)
 * and as digits in num.
 */
static const char *stored_value(struct importer *im, const struct ksp_csv_row *row, int c,
				char *num, size_t size, int *is_int, long long *iv)
{
	const struct ksp_column *col = &im->t->cols[c];
	int f = im->colfield[c];
	const char *v = f >= 0 ? trim(row->fields[f]) : "";

	*is_int = 0;
	if (!*v && col->def)
		v = col->def;
	if (col->type == KSP_COL_REGION) {
		const char *kato = find_region(im, v);

		v = kato ? kato : v;
	}
	if (is_integer_column(col)) {
		*iv = 0;
		ksp_parse_int64(v, iv);
		*is_int = 1;
		snprintf(num, size, "%lld", *iv);
		v = num;
	}
	return v;
}

/*
 * Bind the values of the key columns (cols NULL) or of the listed columns
 * (-1 ended) from row into st from index at, as the database stores them.
 * Returns the next free index.
 */
static int bind_columns(struct importer *im, struct ksp_stmt *st, int at,
			const struct ksp_csv_row *row, const int *cols)
{
	const struct ksp_table *t = im->t;

	for (int k = 0; cols ? cols[k] >= 0 : k < t->ncols; k++) {
		int c = cols ? cols[k] : k, is_int;
		char num[32];
		long long iv;
		const char *v;

		if (!cols && !(t->cols[c].flags & KSP_COL_KEY))
			continue;
		v = stored_value(im, row, c, num, sizeof(num), &is_int, &iv);
		if (is_int)
			ksp_stmt_bind_int64(st, at++, iv);
		else
			ksp_stmt_bind_text(st, at++, v, -1);
	}
	return at;
}

/* The same values as one string, for comparing rows. */
static void row_key(struct importer *im, const struct ksp_csv_row *row, const int *cols,
		    struct ksp_strbuf *sb)
{
	const struct ksp_table *t = im->t;

	for (int k = 0; cols ? cols[k] >= 0 : k < t->ncols; k++) {
		int c = cols ? cols[k] : k, is_int;
		char num[32];
		long long iv;

		if (!cols && !(t->cols[c].flags & KSP_COL_KEY))
			continue;
		ksp_strbuf_addstr(sb, stored_value(im, row, c, num, sizeof(num), &is_int, &iv));
		ksp_strbuf_addch(sb, 0x1f);
	}
}

/* Run st (exists or unique_db) for row: *found and the row's *id. */
static int lookup_rowid(struct importer *im, struct ksp_stmt *st, const struct ksp_csv_row *row,
			int unique, int *found, long long *id, struct ksp_error *err)
{
	int rc, at = 1;

	ksp_stmt_reset(st);
	if (unique)
		at = bind_columns(im, st, at, row, im->unique_cols);
	bind_columns(im, st, at, row, NULL);
	rc = ksp_stmt_step(st, err);
	*found = rc == KSP_ROW;
	*id = *found ? ksp_stmt_column_int64(st, 0) : 0;
	ksp_stmt_reset(st);
	return rc < 0 ? rc : KSP_OK;
}

/* Whether this import wrote the row with this rowid (see struct rowset). */
static int wrote(const struct importer *im, long long id)
{
	return id > im->oldmax || rowset_has(&im->written, id);
}

/*
 * The line of the first row before row with the same key (unique 0) or
 * unique_also values (unique 1): the file is read again, which costs only
 * when there is such an error to report.  0 if it cannot be found.
 */
static long find_line(struct importer *im, const struct ksp_csv_row *row, int unique)
{
	struct ksp_strbuf want = KSP_STRBUF_INIT, have = KSP_STRBUF_INIT;
	const int *cols = unique ? im->unique_cols : NULL;
	struct ksp_csv *csv = NULL;
	struct ksp_error e2;
	struct ksp_csv_row r;
	long line = 0;
	int rc;

	memset(&e2, 0, sizeof(e2));
	row_key(im, row, cols, &want);
	if (im->path)
		rc = ksp_csv_open_file(&csv, im->path, im->file, &im->co, &e2);
	else
		rc = ksp_csv_open_mem(&csv, im->file, im->buf, im->len, &im->co, &e2);
	if (rc || ksp_csv_next(csv, &r, &e2) != KSP_OK)
		goto out;
	while (ksp_csv_next(csv, &r, &e2) == KSP_OK && r.line < row->line) {
		if (r.nfields != row->nfields)
			continue;
		ksp_strbuf_reset(&have);
		row_key(im, &r, cols, &have);
		if (have.len == want.len && !memcmp(have.buf, want.buf, want.len)) {
			line = r.line;
			break;
		}
	}
out:
	ksp_csv_free(csv);
	ksp_strbuf_release(&want);
	ksp_strbuf_release(&have);
	return line;
}

static int duplicate_error(struct importer *im, const struct ksp_csv_row *row, long seen,
			   int unique_also, struct ksp_error *err)
{
	const struct ksp_table *t = im->t;
	struct ksp_strbuf what = KSP_STRBUF_INIT;
	int first = -1, rc;

	for (int c = 0; c < t->ncols; c++) {
		int in;

		if (unique_also) {
			in = 0;
			for (int k = 0; im->unique_cols[k] >= 0; k++)
				in |= im->unique_cols[k] == c;
		} else {
			in = !!(t->cols[c].flags & KSP_COL_KEY);
		}
		if (!in || im->colfield[c] < 0)
			continue;
		if (first < 0)
			first = c;
		ksp_strbuf_addf(&what, "%s%s %s", what.len ? ", " : "", t->cols[c].name,
				trim(row->fields[im->colfield[c]]));
	}
	if (first < 0)
		rc = ksp_error_at(err, KSP_EINVAL, im->file, row->line, 0, NULL,
				  "duplicate row: the same key as line %ld", seen);
	else if (!seen)
		rc = ksp_error_at(err, KSP_EINVAL, im->file, row->line,
				  (long)im->colfield[first] + 1, t->cols[first].name,
				  "duplicate row: %s already in the database under another key",
				  what.buf);
	else
		rc = ksp_error_at(err, KSP_EINVAL, im->file, row->line,
				  (long)im->colfield[first] + 1, t->cols[first].name,
				  "duplicate row: %s already on line %ld", what.buf, seen);
	ksp_strbuf_release(&what);
	return rc;
}

/* Check row's fields and bind them into st. */
static int bind_row(struct importer *im, struct ksp_stmt *st, const struct ksp_csv_row *row,
		    struct ksp_error *err)
{
	int rc = KSP_OK;

	im->cur = st;
	ksp_stmt_reset(st);
	for (int c = 0; !rc && c < im->t->ncols; c++) {
		int f = im->colfield[c];

		rc = bind_field(im, c, f >= 0 ? trim(row->fields[f]) : "", row, f, err);
	}
	return rc;
}

/* The table's check across the fields of row, if it has one. */
static int check_row(struct importer *im, const struct ksp_csv_row *row, struct ksp_error *err)
{
	const struct ksp_table *t = im->t;
	const char *msg;
	int col = 0, f;

	if (!t->check_row)
		return KSP_OK;
	for (int c = 0; c < t->ncols; c++)
		im->vals[c] = im->colfield[c] >= 0 ? trim(row->fields[im->colfield[c]]) : "";
	msg = t->check_row(im->vals, &col);
	if (!msg)
		return KSP_OK;
	f = col >= 0 && col < t->ncols ? im->colfield[col] : -1;
	return ksp_error_at(err, KSP_EINVAL, im->file, f >= 0 ? row->field_line[f] : row->line,
			    f >= 0 ? f + 1 : 0, col >= 0 && col < t->ncols ? t->cols[col].name : NULL,
			    "%s", msg);
}

/*
 * The insert broke a constraint (dbmsg says which).  Say why in the order
 * the checks have always been made: the key on an earlier line, the
 * unique_also values on an earlier line, the table's row check, the
 * unique_also values on another key in the database, else the database's
 * words.  The failed statement changed nothing, so the look-ups see the
 * rows as they were before this one.
 */
static int rejected(struct importer *im, const struct ksp_csv_row *row, const char *dbmsg,
		    struct ksp_error *err)
{
	long long id = 0, uid = 0;
	int found, ufound = 0, rc;

	rc = lookup_rowid(im, im->exists, row, 0, &found, &id, err);
	if (rc)
		return rc;
	if (found && wrote(im, id))
		return duplicate_error(im, row, find_line(im, row, 0), 0, err);
	if (im->unique_db) {
		rc = lookup_rowid(im, im->unique_db, row, 1, &ufound, &uid, err);
		if (rc)
			return rc;
		if (ufound && wrote(im, uid))
			return duplicate_error(im, row, find_line(im, row, 1), 1, err);
	}
	rc = check_row(im, row, err);
	if (rc)
		return rc;
	if (ufound)
		return duplicate_error(im, row, 0, 1, err);
	return ksp_error_at(err, KSP_EINVAL, im->file, row->line, 0, NULL,
			    "row rejected by the database: %s", dbmsg);
}

static int import_rows(struct importer *im, struct ksp_csv *csv, struct ksp_import_result *res,
		       struct ksp_error *err)
{
	const struct ksp_table *t = im->t;
	struct ksp_csv_row row;
	struct ksp_strbuf sql = KSP_STRBUF_INIT;
	int *fieldcol = NULL;
	size_t nheader;
	int rc;

	rc = ksp_csv_next(csv, &row, err);
	if (rc == KSP_DONE)
		rc = ksp_error_at(err, KSP_EINVAL, im->file, 1, 0, NULL,
				  "the file is empty: expected a header line naming the columns");
	if (rc)
		return rc;
	nheader = row.nfields;
	rc = map_header(im, &row, &fieldcol, err);
	if (!rc && t->unique_also) {
		const char *p = t->unique_also;
		int n = 0;

		im->unique_cols = ksp_xcalloc((size_t)t->ncols + 1, sizeof(int));
		while (*p) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);

			for (int c = 0; c < t->ncols; c++)
				if (strlen(t->cols[c].name) == len && !strncmp(t->cols[c].name, p, len))
					im->unique_cols[n++] = c;
			p = comma ? comma + 1 : p + len;
		}
		im->unique_cols[n] = -1;
	}
	if (!rc)
		rc = prepare_statements(im, err);
	if (!rc) {
		ksp_strbuf_addf(&sql, "SELECT coalesce(max(rowid), 0) FROM %s", t->sql_table);
		rc = ksp_store_query_int(im->store, sql.buf, &im->oldmax, err, (const char *)NULL);
		rc = rc < 0 ? rc : KSP_OK;
	}
	im->vals = ksp_xcalloc((size_t)t->ncols, sizeof(*im->vals));
	while (!rc && (rc = ksp_csv_next(csv, &row, err)) == KSP_OK) {
		long long id = 0;
		int existed = 0;

		if (row.nfields != nheader) {
			rc = ksp_error_at(err, KSP_EINVAL, im->file, row.line, 0, NULL,
					  "expected %zu fields as in the header, got %zu", nheader,
					  row.nfields);
			break;
		}
		/*
		 * A plain INSERT first: the row is new, and SQLite gives it the
		 * largest rowid + 1.  If it breaks a constraint, either its key is
		 * there (a row from before, replaced; or one from an earlier line)
		 * or the row is at fault (rejected() says how).  The failed INSERT
		 * changed nothing.
		 */
		rc = bind_row(im, im->insert, &row, err);
		if (rc)
			break;
		rc = ksp_stmt_step(im->insert, err);
		ksp_stmt_reset(im->insert);
		if (rc == KSP_DONE) {
			id = ksp_store_last_insert_id(im->store);
			rc = KSP_OK;
		} else if (rc == KSP_EINVAL) {
			char msg[KSP_ERROR_MSG_SIZE];

			snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
			rc = lookup_rowid(im, im->exists, &row, 0, &existed, &id, err);
			if (rc)
				break;
			if (!existed) {
				rc = rejected(im, &row, msg, err);
				break;
			}
			if (wrote(im, id)) {
				rc = duplicate_error(im, &row, find_line(im, &row, 0), 0, err);
				break;
			}
			if (im->nset) {
				rc = bind_row(im, im->upsert, &row, err);
				if (!rc)
					rc = ksp_stmt_step(im->upsert, err);
				ksp_stmt_reset(im->upsert);
				if (rc == KSP_EINVAL) {
					snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
					rc = rejected(im, &row, msg, err);
					break;
				}
				if (rc != KSP_DONE)
					break;
				rc = KSP_OK;
			}
		} else {
			/* Anything else (a lock, a full disk, an I/O error) is not the
			   file's fault: the store's message names the database, not a row. */
			break;
		}
		if (id <= im->oldmax)
			rowset_add(&im->written, id);
		rc = check_row(im, &row, err);
		if (rc)
			break;
		res->rows++;
		if (existed)
			res->replaced++;
		else
			res->inserted++;
	}
	if (rc == KSP_DONE)
		rc = KSP_OK;
	free(fieldcol);
	ksp_strbuf_release(&sql);
	return rc;
}

static int import_csv(struct ksp_store *s, const char *table, struct ksp_csv *csv,
		      const struct ksp_import_options *opt, struct importer *im,
		      struct ksp_import_result *result, struct ksp_error *err)
{
	struct ksp_import_result res = { 0 };
	const struct ksp_table *t = ksp_table_find(table);
	int own_tx = !ksp_store_in_transaction(s), rc;

	if (!t)
		return ksp_error_set(err, KSP_EUSAGE, "unknown table '%s'; 'kasip tables' lists them",
				     table);
	im->store = s;
	im->t = t;
	im->file = ksp_csv_name(csv);
	im->co.delimiter = ksp_csv_delimiter(csv);
	ksp_strbuf_init(&im->scratch, 0);
	im->source_col = -1;
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].name, "source"))
			im->source_col = c;
	im->source_id = opt ? opt->source_id : NULL;
	if (im->source_id) {
		long long n = 0;

		rc = ksp_store_query_int(s, "SELECT count(*) FROM source WHERE id = ?", &n, err,
					 im->source_id, (const char *)NULL);
		if (rc < 0)
			return rc;
		if (!n)
			return ksp_error_set(err, KSP_EINVAL,
					     "unknown source '%s': import it into the sources table first",
					     im->source_id);
	}
	if (own_tx && (rc = ksp_store_begin(s, err)) != KSP_OK)
		return rc;
	ksp_store_bulk_cache(s, opt && opt->cache_kib > 0 ? opt->cache_kib : IMPORT_CACHE_KIB);
	rc = import_rows(im, csv, &res, err);
	importer_release(im);
	if (own_tx) {
		if (rc)
			ksp_store_rollback(s);
		else
			rc = ksp_store_commit(s, err);
	}
	ksp_store_bulk_cache(s, 0);
	if (own_tx && !rc && res.rows)
		ksp_store_checkpoint(s);
	if (!rc && result)
		*result = res;
	return rc;
}

int ksp_import_csv(struct ksp_store *s, const char *table, const char *path,
		   const struct ksp_import_options *opt, struct ksp_import_result *result,
		   struct ksp_error *err)
{
	struct importer im;
	struct ksp_csv *csv;
	int rc;

	if (!ksp_table_find(table))
		return ksp_error_set(err, KSP_EUSAGE, "unknown table '%s'; 'kasip tables' lists them",
				     table);
	memset(&im, 0, sizeof(im));
	if (opt) {
		im.co.encoding = opt->encoding;
		im.co.delimiter = opt->delimiter;
	}
	im.path = path;
	rc = ksp_csv_open_file(&csv, path, opt ? opt->display_name : NULL, &im.co, err);
	if (rc)
		return rc;
	rc = import_csv(s, table, csv, opt, &im, result, err);
	ksp_csv_free(csv);
	return rc;
}

int ksp_import_csv_mem(struct ksp_store *s, const char *table, const char *name,
		       const char *buf, size_t len, const struct ksp_import_options *opt,
		       struct ksp_import_result *result, struct ksp_error *err)
{
	struct importer im;
	struct ksp_csv *csv;
	int rc;

	memset(&im, 0, sizeof(im));
	if (opt) {
		im.co.encoding = opt->encoding;
		im.co.delimiter = opt->delimiter;
	}
	im.buf = buf;
	im.len = len;
	rc = ksp_csv_open_mem(&csv, name, buf, len, &im.co, err);
	if (rc)
		return rc;
	rc = import_csv(s, table, csv, opt, &im, result, err);
	ksp_csv_free(csv);
	return rc;
}

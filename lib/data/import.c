/*
 * import.c - the table-driven CSV importer (see kasip/table.h).
 *
 * One transaction, one prepared INSERT ... ON CONFLICT for the table, one
 * prepared lookup per reference column; every field is validated before it
 * is bound, and the first bad field stops the import with its position.
 */
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

/* ---- a set of keys seen in this file: key -> line --------------------------- */

struct keyset {
	char **keys;
	long *lines;
	size_t cap, n;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static void keyset_release(struct keyset *ks)
{
	for (size_t i = 0; i < ks->cap; i++)
		free(ks->keys[i]);
	free(ks->keys);
	free(ks->lines);
	memset(ks, 0, sizeof(*ks));
}

static void keyset_grow(struct keyset *ks)
{
	struct keyset nk = { 0 };

	nk.cap = ks->cap ? ks->cap * 2 : 1024;
	nk.keys = ksp_xcalloc(nk.cap, sizeof(char *));
	nk.lines = ksp_xcalloc(nk.cap, sizeof(long));
	for (size_t i = 0; i < ks->cap; i++) {
		size_t j;

		if (!ks->keys[i])
			continue;
		j = fnv1a(ks->keys[i]) & (nk.cap - 1);
		while (nk.keys[j])
			j = (j + 1) & (nk.cap - 1);
		nk.keys[j] = ks->keys[i];
		nk.lines[j] = ks->lines[i];
		nk.n++;
	}
	free(ks->keys);
	free(ks->lines);
	*ks = nk;
}

/* Add key; returns 0, or the line where it was seen before. */
static long keyset_add(struct keyset *ks, const char *key, long line)
{
	size_t j;

	if ((ks->n + 1) * 2 > ks->cap)
		keyset_grow(ks);
	j = fnv1a(key) & (ks->cap - 1);
	while (ks->keys[j]) {
		if (!strcmp(ks->keys[j], key))
			return ks->lines[j];
		j = (j + 1) & (ks->cap - 1);
	}
	ks->keys[j] = ksp_xstrdup(key);
	ks->lines[j] = line;
	ks->n++;
	return 0;
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
	struct ksp_stmt *insert;
	struct ksp_stmt *exists;      /* SELECT 1 FROM t WHERE keys */
	struct ksp_stmt *unique_db;   /* another row with the unique_also values? */
	struct ksp_stmt **ref;        /* per column, for KSP_COL_REF */
	struct region_code *regions;
	size_t nregions;
	int loaded_regions;
	struct keyset keys;
	struct keyset unique;          /* the table's unique_also columns */
	int *unique_cols;              /* their column indexes, -1 ended */
	const char *source_id;
	int source_col;               /* index of the source column */
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
	ksp_stmt_finalize(im->exists);
	ksp_stmt_finalize(im->unique_db);
	free(im->colfield);
	for (size_t i = 0; i < im->nregions; i++) {
		free(im->regions[i].code);
		free(im->regions[i].kato);
	}
	free(im->regions);
	keyset_release(&im->keys);
	keyset_release(&im->unique);
	free(im->unique_cols);
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

/*
 * Check value (already trimmed) against column c and bind it at index idx.
 * row and field give the position for errors.
 */
static int bind_field(struct importer *im, int ci, const char *v, const struct ksp_csv_row *row,
		      int field, struct ksp_error *err)
{
	const struct ksp_column *c = &im->t->cols[ci];
	struct ksp_stmt *ins = im->insert;
	long line = field >= 0 ? row->field_line[field] : row->line;
	long col = field >= 0 ? field + 1 : 0;
	char shown[80];
	int idx = ci + 1;
	long long iv;
	double dv, lo = 0, hi = 0;

	quote_for_msg(v, shown, sizeof(shown));
#define BAD(...) ksp_error_at(err, KSP_EINVAL, im->file, line, col, c->name, __VA_ARGS__)
	if (!*v) {
		if (c->flags & KSP_COL_OPTIONAL) {
			if (c->def)
				return ksp_stmt_bind_text(ins, idx, c->def, -1);
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
		return ksp_stmt_bind_text(ins, idx, v, -1);
	case KSP_COL_CODE:
		if (!valid_code(v))
			return BAD("expected a code (letters, digits, . - _ / +; at most %d), got \"%s\"",
				   MAX_CODE, shown);
		return ksp_stmt_bind_text(ins, idx, v, -1);
	case KSP_COL_INT:
	case KSP_COL_UINT:
	case KSP_COL_PINT:
	case KSP_COL_YEAR:
		if (ksp_parse_int64(v, &iv) != KSP_OK || (c->type != KSP_COL_INT && iv < 0) ||
		    (c->type == KSP_COL_PINT && iv < 1) ||
		    (c->type == KSP_COL_YEAR && (iv < 1900 || iv > 2200)))
			return BAD("expected %s, got \"%s\"", type_words(c), shown);
		if (c->type != KSP_COL_YEAR && out_of_range(c, (double)iv, &lo, &hi))
			return BAD("expected %s from %.15g to %.15g (the column's plausible range), "
				   "got \"%s\"", type_words(c), lo, hi, shown);
		return ksp_stmt_bind_int64(ins, idx, iv);
	case KSP_COL_REAL:
	case KSP_COL_UREAL:
	case KSP_COL_LAT:
	case KSP_COL_LON:
		if (ksp_parse_double(v, &dv) != KSP_OK || (c->type == KSP_COL_UREAL && dv < 0) ||
		    (c->type == KSP_COL_LAT && (dv < -90 || dv > 90)) ||
		    (c->type == KSP_COL_LON && (dv < -180 || dv > 180)))
			return BAD("expected %s, got \"%s\"", type_words(c), shown);
		if (out_of_range(c, dv, &lo, &hi))
			return BAD("expected %s from %.15g to %.15g (the column's plausible range), "
				   "got \"%s\"", type_words(c), lo, hi, shown);
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
			rc = BAD("expected one of %s, got \"%s\"", sb.buf, shown);
			ksp_strbuf_release(&sb);
			return rc;
		}
		return ksp_stmt_bind_text(ins, idx, v, -1);
	case KSP_COL_AGE:
		if (!parse_age(v))
			return BAD("expected %s, got \"%s\"", type_words(c), shown);
		return ksp_stmt_bind_text(ins, idx, v, -1);
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
				   "or an ISO 3166-2 code such as KZ-59)", shown);
		return ksp_stmt_bind_text(ins, idx, kato, -1);
	}
	case KSP_COL_REF: {
		struct ksp_stmt *q = im->ref[ci];
		int rc, at = 1;

		if (strlen(v) > MAX_TEXT)
			return BAD("code longer than %d bytes", MAX_TEXT);
		ksp_stmt_reset(q);
		if (c->ref_also) {
			const char *also = NULL;

			for (int k = 0; k < im->t->ncols; k++)
				if (!strcmp(im->t->cols[k].name, c->ref_also) && im->colfield[k] >= 0)
					also = trim(row->fields[im->colfield[k]]);
			ksp_stmt_bind_textz(q, at++, also ? also : "");
		}
		ksp_stmt_bind_text(q, at, v, -1);
		rc = ksp_stmt_step(q, err);
		ksp_stmt_reset(q);
		if (rc < 0)
			return rc;
		if (rc != KSP_ROW)
			return BAD("unknown code \"%s\" (expected %s)", shown,
				   ksp_tr(ksp_error_lang(err), c->what));
		return ksp_stmt_bind_text(ins, idx, v, -1);
	}
	}
#undef BAD
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
	ksp_strbuf_addf(&sql, ") ON CONFLICT (%s) DO ", keys.buf);
	for (int c = 0; c < t->ncols; c++) {
		if (t->cols[c].flags & KSP_COL_KEY)
			continue;
		ksp_strbuf_addf(&sql, "%s%s = excluded.%s", nset++ ? ", " : "UPDATE SET ",
				dbname(&t->cols[c]), dbname(&t->cols[c]));
	}
	if (!nset)
		ksp_strbuf_addstr(&sql, "NOTHING");
	rc = ksp_stmt_prepare(im->store, sql.buf, &im->insert, err);
	if (!rc) {
		ksp_strbuf_reset(&sql);
		ksp_strbuf_addf(&sql, "SELECT 1 FROM %s WHERE %s", t->sql_table, where.buf);
		rc = ksp_stmt_prepare(im->store, sql.buf, &im->exists, err);
	}
	if (!rc && im->unique_cols) {
		ksp_strbuf_reset(&sql);
		ksp_strbuf_addf(&sql, "SELECT 1 FROM %s WHERE ", t->sql_table);
		for (int k = 0; im->unique_cols[k] >= 0; k++)
			ksp_strbuf_addf(&sql, "%s%s = ?", k ? " AND " : "",
					dbname(&t->cols[im->unique_cols[k]]));
		ksp_strbuf_addf(&sql, " AND NOT (%s)", where.buf);
		rc = ksp_stmt_prepare(im->store, sql.buf, &im->unique_db, err);
	}
	im->ref = ksp_xcalloc((size_t)t->ncols, sizeof(*im->ref));
	for (int c = 0; !rc && c < t->ncols; c++)
		if (t->cols[c].type == KSP_COL_REF)
			rc = ksp_stmt_prepare(im->store, t->cols[c].values, &im->ref[c], err);
	ksp_strbuf_release(&sql);
	ksp_strbuf_release(&keys);
	ksp_strbuf_release(&where);
	return rc;
}

/* ---- the import ------------------------------------------------------------- */

/*
 * Bind the values of the key columns (cols NULL) or of the listed columns
 * (-1 ended) from row into st from index at, as the database stores them:
 * regions by KATO code, defaults filled in, whole numbers as integers.
 * Returns the next free index.
 */
static int bind_columns(struct importer *im, struct ksp_stmt *st, int at,
			const struct ksp_csv_row *row, const int *cols)
{
	const struct ksp_table *t = im->t;

	for (int k = 0; cols ? cols[k] >= 0 : k < t->ncols; k++) {
		int c = cols ? cols[k] : k, f = im->colfield[c];
		const char *v;

		if (!cols && !(t->cols[c].flags & KSP_COL_KEY))
			continue;
		v = f >= 0 ? trim(row->fields[f]) : "";
		if (!*v && t->cols[c].def)
			v = t->cols[c].def;
		if (t->cols[c].type == KSP_COL_REGION) {
			const char *kato = find_region(im, v);

			v = kato ? kato : v;
		}
		if (t->cols[c].type == KSP_COL_YEAR || t->cols[c].type == KSP_COL_UINT ||
		    t->cols[c].type == KSP_COL_PINT || t->cols[c].type == KSP_COL_INT) {
			long long iv = 0;

			ksp_parse_int64(v, &iv);
			ksp_stmt_bind_int64(st, at++, iv);
		} else {
			ksp_stmt_bind_text(st, at++, v, -1);
		}
	}
	return at;
}

/*
 * "duplicate row: region 590000000, year 2025 as on line 2": name the key
 * (or the unique_also) columns and their values, at the first such column.
 */
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

static int import_rows(struct importer *im, struct ksp_csv *csv, struct ksp_import_result *res,
		       struct ksp_error *err)
{
	const struct ksp_table *t = im->t;
	struct ksp_csv_row row;
	struct ksp_strbuf key = KSP_STRBUF_INIT;
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
	while (!rc && (rc = ksp_csv_next(csv, &row, err)) == KSP_OK) {
		long seen;
		int existed;

		if (row.nfields != nheader) {
			rc = ksp_error_at(err, KSP_EINVAL, im->file, row.line, 0, NULL,
					  "expected %zu fields as in the header, got %zu", nheader,
					  row.nfields);
			break;
		}
		ksp_stmt_reset(im->insert);
		ksp_stmt_reset(im->exists);
		ksp_strbuf_reset(&key);
		for (int c = 0; !rc && c < t->ncols; c++) {
			int f = im->colfield[c];
			const char *v = f >= 0 ? trim(row.fields[f]) : "";

			rc = bind_field(im, c, v, &row, f, err);
			if (!rc && (t->cols[c].flags & KSP_COL_KEY)) {
				/* The key as stored: a region by its KATO code, defaults filled in. */
				const char *kv = v;

				if (!*kv && t->cols[c].def)
					kv = t->cols[c].def;
				if (t->cols[c].type == KSP_COL_REGION && find_region(im, kv))
					kv = find_region(im, kv);
				ksp_strbuf_addstr(&key, kv);
				ksp_strbuf_addch(&key, 0x1f);
			}
		}
		if (rc)
			break;
		seen = keyset_add(&im->keys, key.buf, row.line);
		if (seen) {
			rc = duplicate_error(im, &row, seen, 0, err);
			break;
		}
		if (im->unique_cols) {
			ksp_strbuf_reset(&key);
			for (int k = 0; im->unique_cols[k] >= 0; k++) {
				int f = im->colfield[im->unique_cols[k]];

				ksp_strbuf_addstr(&key, f >= 0 ? trim(row.fields[f]) : "");
				ksp_strbuf_addch(&key, 0x1f);
			}
			seen = keyset_add(&im->unique, key.buf, row.line);
			if (seen) {
				rc = duplicate_error(im, &row, seen, 1, err);
				break;
			}
		}
		if (t->check_row) {
			const char **vals = ksp_xcalloc((size_t)t->ncols, sizeof(char *));
			const char *msg;
			int col = 0;

			for (int c = 0; c < t->ncols; c++)
				vals[c] = im->colfield[c] >= 0 ? trim(row.fields[im->colfield[c]]) : "";
			msg = t->check_row(vals, &col);
			free(vals);
			if (msg) {
				int f = col >= 0 && col < t->ncols ? im->colfield[col] : -1;

				rc = ksp_error_at(err, KSP_EINVAL, im->file,
						  f >= 0 ? row.field_line[f] : row.line, f >= 0 ? f + 1 : 0,
						  col >= 0 && col < t->ncols ? t->cols[col].name : NULL,
						  "%s", msg);
				break;
			}
		}
		/* Bind the key again to see whether the row is new or replaces one. */
		bind_columns(im, im->exists, 1, &row, NULL);
		rc = ksp_stmt_step(im->exists, err);
		if (rc < 0)
			break;
		existed = rc == KSP_ROW;
		rc = KSP_OK;
		if (im->unique_db) {
			/* The unique_also columns may not name another row already stored. */
			int at;

			ksp_stmt_reset(im->unique_db);
			at = bind_columns(im, im->unique_db, 1, &row, im->unique_cols);
			bind_columns(im, im->unique_db, at, &row, NULL);
			rc = ksp_stmt_step(im->unique_db, err);
			if (rc < 0)
				break;
			if (rc == KSP_ROW) {
				rc = duplicate_error(im, &row, 0, 1, err);
				break;
			}
			rc = KSP_OK;
		}
		rc = ksp_stmt_step(im->insert, err);
		if (rc == KSP_DONE) {
			rc = KSP_OK;
			res->rows++;
			if (existed)
				res->replaced++;
			else
				res->inserted++;
		} else if (rc == KSP_EINVAL) {
			/* A constraint of the table: this row's fault, so say where it is. */
			char msg[KSP_ERROR_MSG_SIZE];

			snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
			rc = ksp_error_at(err, KSP_EINVAL, im->file, row.line, 0, NULL,
					  "row rejected by the database: %s", msg);
		}
		/* Anything else (a lock, a full disk, an I/O error) is not the file's
		   fault: the store's message names the database, not a row. */
	}
	if (rc == KSP_DONE)
		rc = KSP_OK;
	free(fieldcol);
	ksp_strbuf_release(&key);
	return rc;
}

static int import_csv(struct ksp_store *s, const char *table, struct ksp_csv *csv,
		      const struct ksp_import_options *opt, struct ksp_import_result *result,
		      struct ksp_error *err)
{
	struct importer im;
	struct ksp_import_result res = { 0 };
	const struct ksp_table *t = ksp_table_find(table);
	int own_tx = !ksp_store_in_transaction(s), rc;

	memset(&im, 0, sizeof(im));
	if (!t)
		return ksp_error_set(err, KSP_EUSAGE, "unknown table '%s'; 'kasip tables' lists them",
				     table);
	im.store = s;
	im.t = t;
	im.file = ksp_csv_name(csv);
	im.source_col = -1;
	for (int c = 0; c < t->ncols; c++)
		if (!strcmp(t->cols[c].name, "source"))
			im.source_col = c;
	im.source_id = opt ? opt->source_id : NULL;
	if (im.source_id) {
		long long n = 0;

		rc = ksp_store_query_int(s, "SELECT count(*) FROM source WHERE id = ?", &n, err,
					 im.source_id, (const char *)NULL);
		if (rc < 0)
			return rc;
		if (!n)
			return ksp_error_set(err, KSP_EINVAL,
					     "unknown source '%s': import it into the sources table first",
					     im.source_id);
	}
	if (own_tx && (rc = ksp_store_begin(s, err)) != KSP_OK)
		return rc;
	rc = import_rows(&im, csv, &res, err);
	importer_release(&im);
	if (own_tx) {
		if (rc)
			ksp_store_rollback(s);
		else
			rc = ksp_store_commit(s, err);
	}
	if (!rc && result)
		*result = res;
	return rc;
}

int ksp_import_csv(struct ksp_store *s, const char *table, const char *path,
		   const struct ksp_import_options *opt, struct ksp_import_result *result,
		   struct ksp_error *err)
{
	struct ksp_csv_options co = { 0 };
	struct ksp_csv *csv;
	int rc;

	if (!ksp_table_find(table))
		return ksp_error_set(err, KSP_EUSAGE, "unknown table '%s'; 'kasip tables' lists them",
				     table);
	if (opt) {
		co.encoding = opt->encoding;
		co.delimiter = opt->delimiter;
	}
	rc = ksp_csv_open_file(&csv, path, opt ? opt->display_name : NULL, &co, err);
	if (rc)
		return rc;
	rc = import_csv(s, table, csv, opt, result, err);
	ksp_csv_free(csv);
	return rc;
}

int ksp_import_csv_mem(struct ksp_store *s, const char *table, const char *name,
		       const char *buf, size_t len, const struct ksp_import_options *opt,
		       struct ksp_import_result *result, struct ksp_error *err)
{
	struct ksp_csv_options co = { 0 };
	struct ksp_csv *csv;
	int rc;

	if (opt) {
		co.encoding = opt->encoding;
		co.delimiter = opt->delimiter;
	}
	rc = ksp_csv_open_mem(&csv, name, buf, len, &co, err);
	if (rc)
		return rc;
	rc = import_csv(s, table, csv, opt, result, err);
	ksp_csv_free(csv);
	return rc;
}

/*
 * export.c - tables out as CSV or JSON, and the descriptions `kasip tables` shows.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "data/tables.h"
#include "kasip/csv.h"
#include "kasip/i18n.h"
#include "kasip/table.h"
#include "store/store.h"
#include "util/strbuf.h"

static int numeric(const struct ksp_column *c)
{
	switch (c->type) {
	case KSP_COL_INT:
	case KSP_COL_UINT:
	case KSP_COL_PINT:
	case KSP_COL_YEAR:
	case KSP_COL_REAL:
	case KSP_COL_UREAL:
	case KSP_COL_LAT:
	case KSP_COL_LON:
		return 1;
	default:
		return 0;
	}
}

int ksp_export_table(struct ksp_store *s, const char *table, enum ksp_export_format fmt,
		     FILE *out, struct ksp_error *err)
{
	return ksp_export_table_page(s, table, fmt, 0, 0, out, NULL, NULL, err);
}

int ksp_export_table_page(struct ksp_store *s, const char *table, enum ksp_export_format fmt,
			  size_t offset, size_t limit, FILE *out, long *nrows_out, int *more,
			  struct ksp_error *err)
{
	const struct ksp_table *t = ksp_table_find(table);
	struct ksp_strbuf sql = KSP_STRBUF_INIT;
	struct ksp_stmt *st = NULL;
	long nrows = 0;
	int rc;

	if (!t)
		return ksp_error_set(err, KSP_EUSAGE, "unknown table '%s'; 'kasip tables' lists them",
				     table);
	ksp_strbuf_addstr(&sql, "SELECT ");
	for (int c = 0; c < t->ncols; c++)
		ksp_strbuf_addf(&sql, "%s%s", c ? ", " : "",
				t->cols[c].db_name ? t->cols[c].db_name : t->cols[c].name);
	ksp_strbuf_addf(&sql, " FROM %s ORDER BY %s", t->sql_table, t->order_by);
	/* One row past the page says whether more follow. */
	if (limit || offset)
		ksp_strbuf_addf(&sql, " LIMIT %lld OFFSET %lld",
				limit && limit < (size_t)INT32_MAX ? (long long)limit + 1 : INT64_MAX,
				offset < (size_t)INT64_MAX ? (long long)offset : INT64_MAX);
	if (more)
		*more = 0;
	if (nrows_out)
		*nrows_out = 0;
	rc = ksp_stmt_prepare(s, sql.buf, &st, err);
	ksp_strbuf_release(&sql);
	if (rc)
		return rc;
	if (fmt == KSP_EXPORT_CSV) {
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			ksp_csv_write_field(out, t->cols[c].name);
		}
		fputc('\n', out);
	} else {
		fputs("[", out);
	}
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		json_t *obj;

		if (limit && (size_t)nrows >= limit) {
			if (more)
				*more = 1;
			continue;
		}
		obj = fmt == KSP_EXPORT_JSON ? json_object() : NULL;

		for (int c = 0; c < t->ncols; c++) {
			const struct ksp_column *col = &t->cols[c];
			char num[40];
			const char *v;

			if (ksp_stmt_column_is_null(st, c)) {
				if (obj)
					json_object_set_new(obj, col->name, json_null());
				else if (c)
					fputc(',', out);
				continue;
			}
			if (numeric(col)) {
				double d = ksp_stmt_column_double(st, c);

				ksp_format_double(d, num, sizeof(num));
				v = num;
				if (obj)
					json_object_set_new(obj, col->name,
							    (col->type == KSP_COL_REAL ||
							     col->type == KSP_COL_UREAL ||
							     col->type == KSP_COL_LAT ||
							     col->type == KSP_COL_LON)
								    ? json_real(d)
								    : json_integer(ksp_stmt_column_int64(st, c)));
			} else {
				v = ksp_stmt_column_text(st, c);
				if (obj)
					json_object_set_new(obj, col->name, json_string(v));
			}
			if (!obj) {
				if (c)
					fputc(',', out);
				ksp_csv_write_field(out, v);
			}
		}
		if (obj) {
			char *txt = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER |
							    JSON_REAL_PRECISION(15));

			fprintf(out, "%s\n  %s", nrows ? "," : "", txt ? txt : "{}");
			free(txt);
			json_decref(obj);
		} else {
			fputc('\n', out);
		}
		nrows++;
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	if (nrows_out)
		*nrows_out = nrows;
	if (fmt == KSP_EXPORT_JSON)
		fputs(nrows ? "\n]\n" : "]\n", out);
	if (fflush(out) != 0 || ferror(out))
		return ksp_error_set(err, KSP_EIO, "writing the export failed: %s", strerror(errno));
	return KSP_OK;
}

const struct ksp_table_info *ksp_table_info_at(size_t i, struct ksp_table_info *buf)
{
	if (i >= ksp_tables_count)
		return NULL;
	buf->name = ksp_tables[i]->name;
	buf->summary = ksp_tables[i]->summary;
	buf->ncolumns = ksp_tables[i]->ncols;
	return buf;
}

/* The type for people: a catalogue key with msgctxt "column type" (an enum's values are codes). */
static const char *type_name(const struct ksp_column *c)
{
	switch (c->type) {
	case KSP_COL_TEXT: return KSP_NC_("column type", "text");
	case KSP_COL_CODE: return KSP_NC_("column type", "code");
	case KSP_COL_INT: return KSP_NC_("column type", "integer");
	case KSP_COL_UINT: return KSP_NC_("column type", "integer >= 0");
	case KSP_COL_PINT: return KSP_NC_("column type", "integer >= 1");
	case KSP_COL_YEAR: return KSP_NC_("column type", "year");
	case KSP_COL_REAL: return KSP_NC_("column type", "number");
	case KSP_COL_UREAL: return KSP_NC_("column type", "number >= 0");
	case KSP_COL_ENUM: return c->values;
	case KSP_COL_REGION: return KSP_NC_("column type", "region code");
	case KSP_COL_REF: return KSP_NC_("column type", "code");
	case KSP_COL_AGE: return KSP_NC_("column type", "age");
	case KSP_COL_LAT: return KSP_NC_("column type", "latitude");
	case KSP_COL_LON: return KSP_NC_("column type", "longitude");
	}
	return "?";
}

int ksp_table_column_info(const char *table, int i, struct ksp_column_info *out)
{
	const struct ksp_table *t = ksp_table_find(table);
	const struct ksp_column *c;

	if (!t)
		return KSP_ENOTFOUND;
	if (i < 0 || i >= t->ncols)
		return KSP_DONE;
	c = &t->cols[i];
	out->name = c->name;
	out->type = type_name(c);
	out->what = c->what;
	out->key = !!(c->flags & KSP_COL_KEY);
	out->optional = !!(c->flags & KSP_COL_OPTIONAL);
	out->def = c->def;
	out->range = NULL;
	if ((c->type == KSP_COL_INT || c->type == KSP_COL_UINT || c->type == KSP_COL_PINT ||
	     c->type == KSP_COL_REAL || c->type == KSP_COL_UREAL) &&
	    c->values && strstr(c->values, ".."))
		out->range = c->values;
	return KSP_OK;
}

/*
 * kasip/table.h - importing CSV files into the database and exporting tables.
 *
 * Tables are named as on the command line ("population", "labour-force",
 * "regions", ...; `kasip tables` lists them with their columns).  A CSV
 * file's header names the columns, in any order; every field is checked
 * against its column's type, and codes against the database (an unknown
 * region, occupation or source is an error, never a dropped row).
 *
 * An import is all or nothing: it runs in one transaction (or inside the
 * caller's, if one is open) and the first bad row stops it with an error
 * naming file, line, column and field, e.g.
 *     population.csv:14:3: population: expected a non-negative number, got "12 5x0"
 * and nothing is written.  A row whose key is already in the database
 * replaces it; the same key twice in one file is an error.
 */
#ifndef KASIP_TABLE_H
#define KASIP_TABLE_H

#include <stdio.h>

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ksp_import_options {
	const char *encoding;  /* NULL (UTF-8) or e.g. "cp1251" */
	char delimiter;        /* 0: sniff; or ',' ';' '\t' */
	const char *source_id; /* source for rows of a file without a source column */
	const char *display_name; /* name used in messages (NULL: the path) */
	long cache_kib;        /* the database pages it may keep in memory, KiB (0: 32768) */
};

struct ksp_import_result {
	long rows;     /* data rows read and stored */
	long inserted; /* rows that were new */
	long replaced; /* rows that replaced an existing key */
};

/*
 * Import path into table.  opt and result may be NULL.  Errors: KSP_EUSAGE
 * (unknown table or encoding), KSP_EIO, KSP_EINVAL (bad file or row),
 * KSP_ETOOBIG, KSP_EDB.  On any error the database is unchanged.
 *
 * One transaction, rows streamed: memory does not grow with the file (a
 * UTF-8 file is mapped and read once ahead; other encodings are converted
 * in memory), only with the tables a reference is checked against and the
 * rows the import replaces.  After the commit the write-ahead log is
 * checkpointed and cut back (see ksp_store_checkpoint()).
 */
int ksp_import_csv(struct ksp_store *s, const char *table, const char *path,
		   const struct ksp_import_options *opt, struct ksp_import_result *result,
		   struct ksp_error *err);

/* The same over a memory buffer; name is used in messages. */
int ksp_import_csv_mem(struct ksp_store *s, const char *table, const char *name,
		       const char *buf, size_t len, const struct ksp_import_options *opt,
		       struct ksp_import_result *result, struct ksp_error *err);

enum ksp_export_format { KSP_EXPORT_CSV, KSP_EXPORT_JSON };

/*
 * Write a whole table to out: CSV (RFC 4180, UTF-8, comma, header with the
 * import column names, so that the file re-imports) or JSON (an array of
 * objects, numbers as numbers).  Errors: KSP_EUSAGE (unknown table), KSP_EDB,
 * KSP_EIO (a write failed).
 */
int ksp_export_table(struct ksp_store *s, const char *table, enum ksp_export_format fmt,
		     FILE *out, struct ksp_error *err);

/*
 * One page of a table, for the server: rows offset .. offset + limit - 1 in
 * the table's order (limit 0: every row), written as ksp_export_table()
 * writes (CSV with the header; JSON an array of objects).  *nrows (may be
 * NULL) receives the rows written, *more (may be NULL) 1 when rows follow.
 * Errors as for ksp_export_table().
 */
int ksp_export_table_page(struct ksp_store *s, const char *table, enum ksp_export_format fmt,
			  size_t offset, size_t limit, FILE *out, long *nrows, int *more,
			  struct ksp_error *err);

/*
 * The tables import and export know: iterate with i = 0, 1, ... until NULL.
 * The words for people are English catalogue keys, the same whatever the
 * language: show summary and what as ksp_tr(lang, s), and type as
 * ksp_trc(lang, "column type", type) (an enum's "a|b|c" are codes and come
 * back as they are).  Names, ranges and defaults are codes.
 */
struct ksp_table_info {
	const char *name;
	const char *summary;
	int ncolumns;
};
struct ksp_column_info {
	const char *name;
	const char *type;  /* "text", "code", "number >= 0", an enum's "a|b|c", ... */
	const char *what;
	int key;
	int optional;
	const char *def;   /* default when optional (NULL: empty) */
	const char *range; /* a number's plausible range "LO..HI" (an import outside it fails), or NULL */
};
const struct ksp_table_info *ksp_table_info_at(size_t i, struct ksp_table_info *buf);
/* Column i of table (KSP_OK), KSP_DONE past the end, KSP_ENOTFOUND for no such table. */
int ksp_table_column_info(const char *table, int i, struct ksp_column_info *out);

#ifdef __cplusplus
}
#endif
#endif

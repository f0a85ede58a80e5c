/*
 * data/tables.h - descriptors of the tables that import and export know.
 *
 * A table is a list of typed columns; the importer validates every field
 * against its column's type (and reference), and the exporter writes the
 * columns back under the same names, so that an exported file re-imports.
 * A module adds its tables by adding descriptors to the registry in
 * lib/data/tables.c.
 */
#ifndef KSP_TABLES_H
#define KSP_TABLES_H

#include <stddef.h>

#include "kasip/i18n.h"

enum ksp_coltype {
	KSP_COL_TEXT,   /* UTF-8 text, at most 4096 bytes */
	KSP_COL_CODE,   /* a code: letters, digits and . - _ / + (no blanks), at most 64 bytes */
	KSP_COL_INT,    /* a whole number */
	KSP_COL_UINT,   /* a non-negative whole number */
	KSP_COL_PINT,   /* a whole number >= 1 (ranks) */
	KSP_COL_YEAR,   /* a year, 1900..2200 */
	KSP_COL_REAL,   /* a number */
	KSP_COL_UREAL,  /* a non-negative number */
	KSP_COL_ENUM,   /* one of values ("a|b|c") */
	KSP_COL_REGION, /* a KATO or ISO 3166-2 code of a known region; stored as KATO */
	KSP_COL_REF,    /* a code that values (SQL with '?') finds; see ref_also */
	KSP_COL_AGE,    /* "total", "N", "N-M" or "N+" with 0 <= N <= M <= 120 */
	KSP_COL_LAT,    /* latitude, -90..90 */
	KSP_COL_LON     /* longitude, -180..180 */
};

enum {
	KSP_COL_KEY = 1u,      /* part of the primary key */
	KSP_COL_OPTIONAL = 2u  /* may be absent or empty: then def (or NULL) is stored */
};

struct ksp_column {
	const char *name;    /* CSV header name */
	const char *db_name; /* column in the database (NULL: name) */
	enum ksp_coltype type;
	unsigned flags;
	const char *values;  /* ENUM: "a|b|c"; REF: "SELECT 1 FROM t WHERE [a = ? AND] b = ?" */
	const char *ref_also; /* REF: another column whose value binds the first '?' */
	const char *def;     /* OPTIONAL: the default text when empty (NULL: SQL NULL) */
	const char *what;    /* description for help and errors, e.g. "an ISCO-08 code": a
				catalogue key (KSP_N_), translated where it is shown */
	const char *aliases; /* other header names, e.g. Russian and Kazakh: "год|жыл" */
};

struct ksp_table {
	const char *name;      /* as typed on the command line: "population" */
	const char *sql_table; /* in the database */
	const char *summary;   /* a catalogue key (KSP_N_), translated where it is shown */
	const struct ksp_column *cols;
	int ncols;
	const char *order_by;  /* export order (SQL column list) */
	/*
	 * Another set of columns that must be unique besides the key, as CSV
	 * column names separated by ',' (e.g. "student,place"), or NULL.
	 */
	const char *unique_also;
	/*
	 * A check across the fields of one row, or NULL.  values[i] is column
	 * i's text as read (trimmed, "" when absent).  Returns NULL when the row
	 * is good, else a message; *column is set to the column it is about.
	 */
	const char *(*check_row)(const char *const *values, int *column);
};

/* The past series of the back-test (lib/data/tables_history.c). */
extern const struct ksp_table ksp_table_history_territories, ksp_table_history_concordance,
	ksp_table_history_employment, ksp_table_history_population, ksp_table_history_sections,
	ksp_table_history_occupations;
#define KSP_HISTORY_TABLES                                                                  \
	&ksp_table_history_territories, &ksp_table_history_concordance,                     \
	&ksp_table_history_employment, &ksp_table_history_population,                       \
	&ksp_table_history_sections, &ksp_table_history_occupations

/*
 * A reference the importer checks against an in-memory set instead of one
 * query a row, for a column whose query the rows do not repeat (a place in
 * the student's specialty: every row of a choices file a new pair).  set
 * lists every (group, code) the column accepts, as two text columns; group,
 * with the ref_also value bound, gives the row's group (NULL: the ref_also
 * value is the group).  The set is as large as the table it reads, not as
 * the file.  Both must accept exactly what the column's values query does.
 */
struct ksp_ref_set {
	const struct ksp_table *table;
	const char *column;
	const char *set;
	const char *group;
};

/* The set for column col of t, or NULL. */
const struct ksp_ref_set *ksp_ref_set_find(const struct ksp_table *t, const char *col);

/* The registry.  Lookup by name accepts '-' and '_' as the same. */
const struct ksp_table *ksp_table_find(const char *name);
extern const struct ksp_table *const ksp_tables[];
extern const size_t ksp_tables_count;

#define KSP_COLS(a) a, (int)(sizeof(a) / sizeof(a[0]))

/* The column that names a source: every statistical table has one. */
#define KSP_SOURCE_COLUMN                                                              \
	{ "source", "source_id", KSP_COL_REF, 0, "SELECT 1 FROM source WHERE id = ?", NULL, \
	  NULL, KSP_N_("the id of a row of the sources table"), "источник|дереккөз" }

#endif

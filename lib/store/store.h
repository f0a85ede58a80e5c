/*
 * store/store.h - the storage interface inside libkasip.
 *
 * Library modules talk SQL through the statement functions below, which
 * dispatch to the backend's table of operations (struct ksp_store_ops).
 * SQL written here must be portable between SQLite and PostgreSQL:
 *   - placeholders are '?' (the PostgreSQL backend rewrites them to $n);
 *   - types are INTEGER, BIGINT, DOUBLE PRECISION, TEXT;
 *   - upserts use INSERT ... ON CONFLICT (...) DO UPDATE SET x = excluded.x;
 *   - no SQLite-only functions (no ifnull: use coalesce; no || on numbers).
 * All SQL goes through prepared statements with bound values, never through
 * string pasting of data.
 */
#ifndef KSP_STORE_INT_H
#define KSP_STORE_INT_H

#include "kasip/error.h"
#include "kasip/store.h"

struct ksp_stmt;

enum { KSP_ROW = 2 }; /* ksp_stmt_step(): a row is ready (KSP_DONE: no more) */

struct ksp_store_ops {
	const char *name;
	int (*open)(struct ksp_store *s, const char *target, unsigned flags, struct ksp_error *err);
	void (*close)(struct ksp_store *s);
	/* Start a transaction: write (take the write lock now, waiting up to
	   the busy timeout; KSP_EBUSY when it cannot) or read (a snapshot). */
	int (*begin)(struct ksp_store *s, int write, struct ksp_error *err);
	void (*set_busy_timeout)(struct ksp_store *s, int ms);
	/* Inside a write transaction: mark the database as kasip's. */
	int (*mark)(struct ksp_store *s, struct ksp_error *err);
	int (*exec)(struct ksp_store *s, const char *sql, struct ksp_error *err);
	int (*prepare)(struct ksp_store *s, const char *sql, struct ksp_stmt **out,
		       struct ksp_error *err);
	int (*bind_int64)(struct ksp_stmt *st, int idx, long long v);
	int (*bind_double)(struct ksp_stmt *st, int idx, double v);
	int (*bind_text)(struct ksp_stmt *st, int idx, const char *v, long len);
	int (*bind_null)(struct ksp_stmt *st, int idx);
	int (*step)(struct ksp_stmt *st, struct ksp_error *err);
	int (*reset)(struct ksp_stmt *st);
	void (*finalize)(struct ksp_stmt *st);
	int (*column_count)(struct ksp_stmt *st);
	int (*column_is_null)(struct ksp_stmt *st, int col);
	long long (*column_int64)(struct ksp_stmt *st, int col);
	double (*column_double)(struct ksp_stmt *st, int col);
	const char *(*column_text)(struct ksp_stmt *st, int col);
	const char *(*column_name)(struct ksp_stmt *st, int col);
	long long (*changes)(struct ksp_store *s);
	int (*table_exists)(struct ksp_store *s, const char *table, int *exists,
			    struct ksp_error *err);
	/* See ksp_store_data_version(). */
	int (*data_version)(struct ksp_store *s, long long *version, struct ksp_error *err);
	/* See ksp_store_bulk_cache() and ksp_store_checkpoint(); may be NULL. */
	void (*bulk_cache)(struct ksp_store *s, long kib);
	int (*bind_text_static)(struct ksp_stmt *st, int idx, const char *v, long len);
	long long (*last_insert_id)(struct ksp_store *s);
	void (*checkpoint)(struct ksp_store *s);
};

struct ksp_store {
	const struct ksp_store_ops *ops;
	void *impl;       /* the backend's connection */
	int in_tx;        /* 0, KSP_TX_WRITE or KSP_TX_READ */
	int busy_ms;      /* see ksp_store_set_busy_timeout() */
	unsigned flags;   /* the KSP_STORE_* flags it was opened with */
	int unmarked;     /* kasip's, or empty, but without the mark yet (set by open) */
	char *target;
	int exec_errno;   /* the backend's: errno after a failed exec */
};

enum { KSP_TX_WRITE = 1, KSP_TX_READ = 2 };

extern const struct ksp_store_ops ksp_store_sqlite_ops;

/* Run SQL with no parameters and no result (DDL, PRAGMA). */
int ksp_store_exec(struct ksp_store *s, const char *sql, struct ksp_error *err);

/*
 * Statements.  ksp_stmt_prepare returns KSP_OK or KSP_EDB.  Bind indexes are
 * 1-based, columns 0-based.  bind_text copies the text (len -1: strlen).
 * ksp_stmt_bind_textz binds NULL for a NULL pointer.  ksp_stmt_step returns
 * KSP_ROW, KSP_DONE or an error (KSP_EDB, or KSP_EINVAL for a constraint
 * violation).  column_text returns "" for NULL; the pointer is valid until
 * the next step, reset or finalize.
 */
int ksp_stmt_prepare(struct ksp_store *s, const char *sql, struct ksp_stmt **out,
		     struct ksp_error *err);
int ksp_stmt_bind_int64(struct ksp_stmt *st, int idx, long long v);
int ksp_stmt_bind_double(struct ksp_stmt *st, int idx, double v);
int ksp_stmt_bind_text(struct ksp_stmt *st, int idx, const char *v, long len);
int ksp_stmt_bind_textz(struct ksp_stmt *st, int idx, const char *v);
int ksp_stmt_bind_null(struct ksp_stmt *st, int idx);
/*
 * Bind text without copying it: v must stay as it is until the statement
 * is reset or finalized (for a bulk insert binding a row's fields).
 */
int ksp_stmt_bind_text_static(struct ksp_stmt *st, int idx, const char *v, long len);
int ksp_stmt_step(struct ksp_stmt *st, struct ksp_error *err);
int ksp_stmt_reset(struct ksp_stmt *st);
void ksp_stmt_finalize(struct ksp_stmt *st);
int ksp_stmt_column_count(struct ksp_stmt *st);
int ksp_stmt_column_is_null(struct ksp_stmt *st, int col);
long long ksp_stmt_column_int64(struct ksp_stmt *st, int col);
double ksp_stmt_column_double(struct ksp_stmt *st, int col);
const char *ksp_stmt_column_text(struct ksp_stmt *st, int col);
const char *ksp_stmt_column_name(struct ksp_stmt *st, int col);
/* Rows changed by the last INSERT/UPDATE/DELETE. */
long long ksp_store_changes(struct ksp_store *s);
/* Whether a table exists (*exists 0 or 1). */
int ksp_store_table_exists(struct ksp_store *s, const char *table, int *exists,
			   struct ksp_error *err);
/* Whether a transaction is open. */
int ksp_store_in_transaction(const struct ksp_store *s);

/*
 * Bulk writes (the importer).  ksp_store_bulk_cache() lets the connection
 * keep up to kib KiB of database pages in memory (a cap: pages are taken as
 * they are used), or goes back to the backend's default with kib 0; a large
 * transaction then rewrites the pages of its indexes in memory instead of
 * spilling them to the journal and reading them back.
 * ksp_store_checkpoint(), outside a transaction, copies the journal of what
 * was committed into the database and cuts the journal back to nothing when
 * no reader still needs it; it never waits for one, and a failure is not an
 * error (the data are committed; the journal is then reused as usual).
 */
void ksp_store_bulk_cache(struct ksp_store *s, long kib);
void ksp_store_checkpoint(struct ksp_store *s);
/* The row id the last successful INSERT on this connection gave its row. */
long long ksp_store_last_insert_id(struct ksp_store *s);

/*
 * Convenience: run sql (with '?' parameters bound from the NULL-terminated
 * list of text values) expecting at most one row, copy its first column
 * into *out_int / *out_double (either may be NULL).  Returns KSP_OK when a
 * row was found, KSP_DONE when none.
 */
int ksp_store_query_int(struct ksp_store *s, const char *sql, long long *out,
			struct ksp_error *err, ...);
int ksp_store_query_double(struct ksp_store *s, const char *sql, double *out,
			   struct ksp_error *err, ...);

#endif

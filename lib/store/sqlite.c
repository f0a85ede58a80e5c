/*
 * sqlite.c - the embedded SQLite backend of the storage interface.
 *
 * Foreign keys on, WAL journal, a busy timeout so that a reader and a writer
 * (the CLI and a server) can share the file.  Constraint violations map to
 * KSP_EINVAL (bad data), everything else to KSP_EDB.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store.h"
#include "util/xmalloc.h"

struct sqlite_stmt {
	const struct ksp_store_ops *ops; /* must be first: see store.c */
	sqlite3_stmt *st;
	struct ksp_store *store;
};

static sqlite3 *db_of(struct ksp_store *s)
{
	return (sqlite3 *)s->impl;
}

static int map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT: return KSP_EINVAL;
	case SQLITE_NOMEM: return KSP_EDB;
	case SQLITE_CANTOPEN: return KSP_EIO;
	case SQLITE_IOERR: return KSP_EIO;
	case SQLITE_FULL: return KSP_EIO;
	default: return KSP_EDB;
	}
}

static int db_error(struct ksp_store *s, int rc, struct ksp_error *err, const char *what)
{
	return ksp_error_set(err, map_rc(rc), "%s: %s", what, sqlite3_errmsg(db_of(s)));
}

static int sq_open(struct ksp_store *s, const char *target, unsigned flags, struct ksp_error *err)
{
	sqlite3 *db = NULL;
	int oflags, rc;
	struct stat sb;

	if (!(flags & KSP_STORE_CREATE) && stat(target, &sb) != 0)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "database '%s' does not exist; run 'kasip init' first", target);
	if (flags & KSP_STORE_READONLY)
		oflags = SQLITE_OPEN_READONLY;
	else
		oflags = SQLITE_OPEN_READWRITE | ((flags & KSP_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(target, &db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ksp_error_set(err, KSP_EIO, "cannot open database '%s': %s", target,
			      db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return KSP_EIO;
	}
	s->impl = db;
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	/* Reject files that are not SQLite databases now, with a clear message. */
	rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc == SQLITE_OK && !(flags & KSP_STORE_READONLY))
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		ksp_error_set(err, map_rc(rc), "'%s' is not a usable kasip database: %s", target,
			      sqlite3_errmsg(db));
		sqlite3_close(db);
		s->impl = NULL;
		return map_rc(rc) == KSP_EINVAL ? KSP_EDB : map_rc(rc);
	}
	return KSP_OK;
}

static void sq_close(struct ksp_store *s)
{
	if (s->impl)
		sqlite3_close(db_of(s));
	s->impl = NULL;
}

static int sq_exec(struct ksp_store *s, const char *sql, struct ksp_error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		ksp_error_set(err, map_rc(rc), "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_rc(rc);
	}
	return KSP_OK;
}

static int sq_prepare(struct ksp_store *s, const char *sql, struct ksp_stmt **out,
		      struct ksp_error *err)
{
	sqlite3_stmt *st = NULL;
	struct sqlite_stmt *w;
	int rc = sqlite3_prepare_v2(db_of(s), sql, -1, &st, NULL);

	*out = NULL;
	if (rc != SQLITE_OK)
		return db_error(s, rc, err, "preparing a statement");
	w = ksp_xcalloc(1, sizeof(*w));
	w->ops = &ksp_store_sqlite_ops;
	w->st = st;
	w->store = s;
	*out = (struct ksp_stmt *)(void *)w;
	return KSP_OK;
}

#define W(st) ((struct sqlite_stmt *)(void *)(st))

static int bind_rc(int rc)
{
	return rc == SQLITE_OK ? KSP_OK : KSP_EDB;
}

static int sq_bind_int64(struct ksp_stmt *st, int idx, long long v)
{
	return bind_rc(sqlite3_bind_int64(W(st)->st, idx, v));
}

static int sq_bind_double(struct ksp_stmt *st, int idx, double v)
{
	return bind_rc(sqlite3_bind_double(W(st)->st, idx, v));
}

static int sq_bind_text(struct ksp_stmt *st, int idx, const char *v, long len)
{
	return bind_rc(sqlite3_bind_text(W(st)->st, idx, v, len < 0 ? -1 : (int)len,
					 SQLITE_TRANSIENT));
}

static int sq_bind_null(struct ksp_stmt *st, int idx)
{
	return bind_rc(sqlite3_bind_null(W(st)->st, idx));
}

static int sq_step(struct ksp_stmt *st, struct ksp_error *err)
{
	int rc = sqlite3_step(W(st)->st);

	if (rc == SQLITE_ROW)
		return KSP_ROW;
	if (rc == SQLITE_DONE)
		return KSP_DONE;
	return db_error(W(st)->store, rc, err, "database");
}

static int sq_reset(struct ksp_stmt *st)
{
	sqlite3_reset(W(st)->st);
	sqlite3_clear_bindings(W(st)->st);
	return KSP_OK;
}

static void sq_finalize(struct ksp_stmt *st)
{
	sqlite3_finalize(W(st)->st);
	free(W(st));
}

static int sq_column_count(struct ksp_stmt *st)
{
	return sqlite3_column_count(W(st)->st);
}

static int sq_column_is_null(struct ksp_stmt *st, int col)
{
	return sqlite3_column_type(W(st)->st, col) == SQLITE_NULL;
}

static long long sq_column_int64(struct ksp_stmt *st, int col)
{
	return sqlite3_column_int64(W(st)->st, col);
}

static double sq_column_double(struct ksp_stmt *st, int col)
{
	return sqlite3_column_double(W(st)->st, col);
}

static const char *sq_column_text(struct ksp_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(W(st)->st, col);

	return t ? (const char *)t : "";
}

static const char *sq_column_name(struct ksp_stmt *st, int col)
{
	const char *n = sqlite3_column_name(W(st)->st, col);

	return n ? n : "";
}

static long long sq_changes(struct ksp_store *s)
{
	return sqlite3_changes(db_of(s));
}

static int sq_table_exists(struct ksp_store *s, const char *table, int *exists,
			   struct ksp_error *err)
{
	long long n = 0;
	int rc = ksp_store_query_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
				     "AND name = ?", &n, err, table, (const char *)NULL);

	*exists = n > 0;
	return rc < 0 ? rc : KSP_OK;
}

const struct ksp_store_ops ksp_store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int64 = sq_bind_int64,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.finalize = sq_finalize,
	.column_count = sq_column_count,
	.column_is_null = sq_column_is_null,
	.column_int64 = sq_column_int64,
	.column_double = sq_column_double,
	.column_text = sq_column_text,
	.column_name = sq_column_name,
	.changes = sq_changes,
	.table_exists = sq_table_exists,
};

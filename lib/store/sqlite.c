/*
 * sqlite.c - the embedded SQLite backend of the storage interface.
 *
 * Foreign keys on, WAL journal, write transactions BEGIN IMMEDIATE under a
 * busy timeout so that readers and writers (the CLI, a server, forecast
 * jobs) can share the file: under WAL, a deferred transaction that reads
 * and then writes gets SQLITE_BUSY at once, without the busy handler, when
 * another writer committed in between; taking the write lock first makes
 * the wait an ordinary, bounded one.
 *
 * Errors: constraint violations map to KSP_EINVAL (bad data); locks to
 * KSP_EBUSY; a full disk, a file-size limit and I/O errors to KSP_EIO with
 * words that say so and name the file; everything else to KSP_EDB.
 */
#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* The WAL is cut back to this size after a checkpoint resets it, and to 0 on close. */
#define KSP_WAL_LIMIT "67108864"

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
	case SQLITE_BUSY: return KSP_EBUSY;
	case SQLITE_NOMEM: return KSP_EDB;
	case SQLITE_CANTOPEN: return KSP_EIO;
	case SQLITE_IOERR: return KSP_EIO;
	case SQLITE_FULL: return KSP_EIO;
	default: return KSP_EDB;
	}
}

/*
 * The error for SQLite result rc: faults of the file or the lock in words
 * that name the database; anything else as "what: SQLite's message" (only
 * the message when what is NULL).  msg,
 * when not NULL, is SQLite's message to use instead of sqlite3_errmsg().
 */
static int sq_error(struct ksp_store *s, int rc, const char *msg, struct ksp_error *err,
		    const char *what)
{
	sqlite3 *db = db_of(s);
	int sys = db ? sqlite3_system_errno(db) : 0, code = map_rc(rc);

	/*
	 * A COMMIT that fails writing its pages rolls back before it returns,
	 * and SQLite takes the system error from errno after that; errno as
	 * sqlite3_exec() left it still holds the failed write's (EFBIG, ENOSPC).
	 */
	if (!sys && s->exec_errno)
		sys = s->exec_errno;
	s->exec_errno = 0;

	if (!msg)
		msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	if (code == KSP_EBUSY)
		return ksp_error_set(err, KSP_EBUSY,
				     "database '%s' is locked by another writer; gave up after %.1f s",
				     s->target, s->busy_ms / 1000.0);
	if ((rc & 0xff) == SQLITE_FULL || ((rc & 0xff) == SQLITE_IOERR && sys == ENOSPC))
		return ksp_error_set(err, KSP_EIO, "disk full while writing '%s'; nothing was changed",
				     s->target);
	if ((rc & 0xff) == SQLITE_IOERR && sys == EFBIG)
		return ksp_error_set(err, KSP_EIO,
				     "file size limit exceeded while writing '%s' (ulimit -f); "
				     "nothing was changed", s->target);
	if ((rc & 0xff) == SQLITE_IOERR)
		return ksp_error_set(err, KSP_EIO, "input/output error on '%s': %s%s%s", s->target,
				     msg, sys ? ": " : "", sys ? strerror(sys) : "");
	if ((rc & 0xff) == SQLITE_READONLY)
		return ksp_error_set(err, KSP_EDB, "cannot write into '%s': %s", s->target, msg);
	if (!what)
		return ksp_error_set(err, code, "%s", msg);
	return ksp_error_set(err, code, "%s: %s", what, msg);
}

static int db_error(struct ksp_store *s, int rc, struct ksp_error *err, const char *what)
{
	return sq_error(s, rc, NULL, err, what);
}

/* ---- opening: is it kasip's? -------------------------------------------- */

static int query_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	*out = 0;
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* "it has tables app_users, app_log, ..." for the refusal of a foreign file. */
static int foreign_error(struct ksp_store *s, long long appid, struct ksp_error *err)
{
	struct ksp_strbuf what = KSP_STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	int n = 0, rc;

	if (sqlite3_prepare_v2(db_of(s), "SELECT name FROM sqlite_master WHERE type = 'table' "
			       "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
			       -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (n < 5)
				ksp_strbuf_addf(&what, "%s%s", n ? ", " : "",
						(const char *)sqlite3_column_text(st, 0));
			else if (n == 5)
				ksp_strbuf_addstr(&what, ", ...");
			n++;
		}
	}
	sqlite3_finalize(st);
	if (n)
		rc = ksp_error_set(err, KSP_ECONFLICT,
				   "'%s' is not a kasip database (it has %s %s); kasip will not "
				   "write into it", s->target, n == 1 ? "table" : "tables", what.buf);
	else if (appid)
		rc = ksp_error_set(err, KSP_ECONFLICT,
				   "'%s' is not a kasip database (its application id is 0x%08llx); "
				   "kasip will not write into it", s->target, (unsigned long long)appid);
	else
		rc = ksp_error_set(err, KSP_ECONFLICT,
				   "'%s' is not a kasip database (it has views, indexes or triggers "
				   "of its own); kasip will not write into it", s->target);
	ksp_strbuf_release(&what);
	return rc;
}

/*
 * Decide whose the file is before anything is written into it (not even
 * the journal mode): kasip's (marked, or an older kasip database with the
 * first migration recorded), empty, or somebody else's.
 */
static int check_owner(struct ksp_store *s, unsigned flags, struct ksp_error *err)
{
	sqlite3 *db = db_of(s);
	long long appid = 0, objects = 0, core = 0;
	int rc;

	rc = query_int(db, "PRAGMA application_id", &appid);
	if (rc == SQLITE_OK)
		rc = query_int(db, "SELECT count(*) FROM sqlite_master", &objects);
	if (rc != SQLITE_OK) {
		if (map_rc(rc) == KSP_EDB)
			return ksp_error_set(err, KSP_EDB, "'%s' is not a usable kasip database: %s",
					     s->target, sqlite3_errmsg(db));
		return db_error(s, rc, err, "opening the database");
	}
	if (appid == KSP_STORE_APPLICATION_ID)
		return KSP_OK;
	if (appid == 0 && objects == 0) {
		if (!(flags & KSP_STORE_CREATE))
			return ksp_error_set(err, KSP_ENOTFOUND,
					     "database '%s' is empty; run 'kasip init' first", s->target);
		s->unmarked = 1;
		return KSP_OK;
	}
	if (appid == 0 &&
	    query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
			  "name = 'schema_migration'", &core) == SQLITE_OK && core &&
	    query_int(db, "SELECT count(*) FROM schema_migration WHERE version = 1 AND "
			  "name = 'core'", &core) == SQLITE_OK && core) {
		s->unmarked = 1;
		return KSP_OK;
	}
	return foreign_error(s, appid, err);
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
	sqlite3_busy_timeout(db, s->busy_ms);
	/* Reject files that are not SQLite databases, or not kasip's, now. */
	rc = check_owner(s, flags, err);
	if (rc)
		goto fail;
	rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc == SQLITE_OK && !(flags & KSP_STORE_READONLY))
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	if (rc == SQLITE_OK && !(flags & KSP_STORE_READONLY)) {
		/*
		 * Keep the -wal and -shm files when the last connection closes
		 * (the WAL emptied, see journal_size_limit): a read-only open then
		 * finds its shared-memory file in place and needs no byte of disk,
		 * which is what lets the reading commands work on a full disk.
		 */
		int one = 1;

		sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
		rc = sqlite3_exec(db, "PRAGMA journal_size_limit = " KSP_WAL_LIMIT, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK) {
		rc = map_rc(rc) == KSP_EDB || map_rc(rc) == KSP_EINVAL
			     ? ksp_error_set(err, KSP_EDB, "'%s' is not a usable kasip database: %s",
					     target, sqlite3_errmsg(db))
			     : db_error(s, rc, err, "opening the database");
		goto fail;
	}
	return KSP_OK;
fail:
	sqlite3_close(db);
	s->impl = NULL;
	return rc;
}

static int sq_begin(struct ksp_store *s, int write, struct ksp_error *err)
{
	int rc = sqlite3_exec(db_of(s), write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_error(s, rc, err, "starting a transaction");
	if (!write) {
		/* Take the snapshot now, not at the first query. */
		long long n;

		rc = query_int(db_of(s), "SELECT count(*) FROM sqlite_master", &n);
		if (rc != SQLITE_OK) {
			int code = db_error(s, rc, err, "starting a read transaction");

			sqlite3_exec(db_of(s), "ROLLBACK", NULL, NULL, NULL);
			return code;
		}
	}
	return KSP_OK;
}

static void sq_set_busy_timeout(struct ksp_store *s, int ms)
{
	sqlite3_busy_timeout(db_of(s), ms);
}

static int sq_mark(struct ksp_store *s, struct ksp_error *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", KSP_STORE_APPLICATION_ID);
	return s->ops->exec(s, sql, err);
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
	int rc;

	errno = 0;
	rc = sqlite3_exec(db_of(s), sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		s->exec_errno = errno;
		rc = sq_error(s, rc, msg, err, NULL);
		sqlite3_free(msg);
		return rc;
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

static int sq_bind_text_static(struct ksp_stmt *st, int idx, const char *v, long len)
{
	return bind_rc(sqlite3_bind_text(W(st)->st, idx, v, len < 0 ? -1 : (int)len,
					 SQLITE_STATIC));
}

static long long sq_last_insert_id(struct ksp_store *s)
{
	return sqlite3_last_insert_rowid(db_of(s));
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

static int sq_data_version(struct ksp_store *s, long long *version, struct ksp_error *err)
{
	int rc = ksp_store_query_int(s, "PRAGMA data_version", version, err, (const char *)NULL);

	return rc < 0 ? rc : KSP_OK;
}

static void sq_bulk_cache(struct ksp_store *s, long kib)
{
	char sql[64];

	/* SQLite's default is 2000 KiB (SQLITE_DEFAULT_CACHE_SIZE -2000). */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%ld", kib > 0 ? kib : 2000L);
	sqlite3_exec(db_of(s), sql, NULL, NULL, NULL);
}

static void sq_checkpoint(struct ksp_store *s)
{
	/*
	 * TRUNCATE: copy the WAL into the database and cut it to 0 bytes, so
	 * that a large import does not leave a WAL as large as its changes
	 * while other connections (a server) keep the file open.  With the
	 * busy timeout at 0 it does what it can without waiting for readers.
	 */
	sqlite3_busy_timeout(db_of(s), 0);
	sqlite3_wal_checkpoint_v2(db_of(s), NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_busy_timeout(db_of(s), s->busy_ms);
}

const struct ksp_store_ops ksp_store_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.begin = sq_begin,
	.set_busy_timeout = sq_set_busy_timeout,
	.mark = sq_mark,
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
	.data_version = sq_data_version,
	.bulk_cache = sq_bulk_cache,
	.bind_text_static = sq_bind_text_static,
	.last_insert_id = sq_last_insert_id,
	.checkpoint = sq_checkpoint,
};

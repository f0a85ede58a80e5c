/*
 * kasip/store.h - the database behind kasip.
 *
 * A store is opened from a target string: a file path (or "sqlite:PATH") for
 * the embedded SQLite backend, the default; "postgresql://..." is reserved
 * for the PostgreSQL backend, which implements the same table of operations
 * (lib/store/store.h) so that no caller knows which one it talks to.
 *
 * The schema is versioned: ksp_store_migrate() applies the migrations the
 * database has not seen yet, each in its own transaction.  SQLite runs with
 * foreign keys on and in WAL mode.
 *
 * Several processes may use one database at once (the command line, a
 * server, a forecast job).  Readers never wait.  Writers take turns: every
 * write transaction begins by taking the write lock (BEGIN IMMEDIATE in
 * SQLite) and waits up to the store's busy timeout for it; a writer that
 * gives up gets KSP_EBUSY and the message
 *     database 'kasip.db' is locked by another writer; gave up after 5.0 s
 * and nothing is changed.  Long computations (a forecast, a matching) read
 * first, compute without holding any lock, and then write in one short
 * transaction.
 *
 * kasip writes only into a database it created: one marked with kasip's
 * application id (PRAGMA application_id = KSP_STORE_APPLICATION_ID), or an
 * older kasip database recognised by its schema_migration table.  An empty
 * file (0 bytes, or SQLite with no schema) is a database to create, which
 * only KSP_STORE_CREATE does; a file with somebody else's tables is refused
 * by every open, KSP_STORE_CREATE included, and nothing is written into it.
 *
 * Faults while writing: a full disk is KSP_EIO with "disk full while
 * writing 'kasip.db'; nothing was changed"; a file-size limit (ulimit -f) is
 * KSP_EIO with "file size limit exceeded while writing ...".  The latter
 * needs the process to ignore SIGXFSZ (signal(SIGXFSZ, SIG_IGN)), whose
 * default action kills it: the kasip command does so, and so must a server
 * or any other program that writes through libkasip.  Every write of the
 * library is one transaction, so a fault leaves the database as it was.
 *
 * A store handle is not thread-safe: use one per thread.
 */
#ifndef KASIP_STORE_H
#define KASIP_STORE_H

#include "kasip/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ksp_store;

enum ksp_store_flags {
	KSP_STORE_CREATE = 1u,   /* create the database if it does not exist or is empty */
	KSP_STORE_READONLY = 2u  /* open for reading only */
};

/* The SQLite application id that marks a kasip database ("KSP1"). */
#define KSP_STORE_APPLICATION_ID 0x4b535031
/* How long a writer waits for the write lock unless told otherwise. */
#define KSP_STORE_BUSY_TIMEOUT_MS 5000

/*
 * Open the store named by target.  Without KSP_STORE_CREATE a missing or
 * empty database is KSP_ENOTFOUND with "run 'kasip init' first" in the
 * message.  A database that is not kasip's is KSP_ECONFLICT ("'other.db' is
 * not a kasip database (it has tables app_users, ...); kasip will not write
 * into it"), with or without KSP_STORE_CREATE.
 *
 * KSP_STORE_READONLY opens the file for reading only (SQLite's
 * SQLITE_OPEN_READONLY): nothing is written, not even the journal mode, so
 * reading works on a full disk and on a read-only file system; writes on
 * such a handle fail with KSP_EDB, and ksp_store_migrate() on it is
 * KSP_EUSAGE when the schema is not current (see ksp_store_schema_current).
 *
 * The busy timeout starts at KSP_STORE_BUSY_TIMEOUT_MS.
 * On success *out owns the connection; free it with ksp_store_close().
 */
int ksp_store_open(struct ksp_store **out, const char *target, unsigned flags,
		   struct ksp_error *err);
void ksp_store_close(struct ksp_store *s);

/*
 * How long a write transaction (and any statement) waits for a lock another
 * connection holds before it gives up with KSP_EBUSY: ms milliseconds, 0 for
 * not at all.  Returns KSP_OK, or KSP_EUSAGE for a negative ms.
 */
int ksp_store_set_busy_timeout(struct ksp_store *s, int ms);
int ksp_store_busy_timeout(const struct ksp_store *s);

/* The target the store was opened with (the file name for SQLite). */
const char *ksp_store_target(const struct ksp_store *s);

/* "sqlite" or "postgresql". */
const char *ksp_store_backend(const struct ksp_store *s);

/*
 * A number that changes whenever another connection, of this process or of
 * another, commits a change to the database (SQLite's PRAGMA data_version):
 * a reader that keeps what it read compares it between reads.  This
 * connection's own commits do not change it.  Cheap (no I/O beyond the WAL
 * index).  Errors: KSP_EDB, KSP_EUSAGE (a backend without one).
 */
int ksp_store_data_version(struct ksp_store *s, long long *version, struct ksp_error *err);

/* The schema version this build of libkasip writes and reads. */
int ksp_store_schema_latest(void);
/* The database's schema version (0 for an empty database). */
int ksp_store_schema_version(struct ksp_store *s, int *version, struct ksp_error *err);
/* *current = 1 when every migration of this build is applied (nothing to migrate). */
int ksp_store_schema_current(struct ksp_store *s, int *current, struct ksp_error *err);
/*
 * Apply the missing migrations, each in its own write transaction (which
 * waits for the write lock like any other), and mark the database with
 * KSP_STORE_APPLICATION_ID.  A database newer than this build is
 * KSP_ECONFLICT, and nothing is changed.  A no-op on a current database.
 */
int ksp_store_migrate(struct ksp_store *s, struct ksp_error *err);

/*
 * Transactions.  Imports and runs use them so that a failure leaves the
 * database as it was.  ksp_store_begin() starts a write transaction: it
 * takes the write lock at once (BEGIN IMMEDIATE), waiting up to the busy
 * timeout, and fails with KSP_EBUSY when it cannot.  ksp_store_begin_read()
 * starts a read transaction: one consistent snapshot for several queries,
 * which never waits for writers and never blocks them; it cannot write.
 * Nesting is not supported: begin inside a transaction is KSP_EUSAGE.
 * ksp_store_commit() ends either kind; when it fails, the transaction is
 * rolled back and nothing is changed.  ksp_store_rollback() is a no-op
 * outside a transaction.
 */
int ksp_store_begin(struct ksp_store *s, struct ksp_error *err);
int ksp_store_begin_read(struct ksp_store *s, struct ksp_error *err);
int ksp_store_commit(struct ksp_store *s, struct ksp_error *err);
int ksp_store_rollback(struct ksp_store *s);

#ifdef __cplusplus
}
#endif
#endif

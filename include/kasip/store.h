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
	KSP_STORE_CREATE = 1u,   /* create the database if it does not exist */
	KSP_STORE_READONLY = 2u  /* open for reading only */
};

/*
 * Open the store named by target.  Without KSP_STORE_CREATE a missing
 * database is KSP_ENOTFOUND ("run 'kasip init' first" is the caller's hint).
 * On success *out owns the connection; free it with ksp_store_close().
 */
int ksp_store_open(struct ksp_store **out, const char *target, unsigned flags,
		   struct ksp_error *err);
void ksp_store_close(struct ksp_store *s);

/* "sqlite" or "postgresql". */
const char *ksp_store_backend(const struct ksp_store *s);

/* The schema version this build of libkasip writes and reads. */
int ksp_store_schema_latest(void);
/* The database's schema version (0 for an empty database). */
int ksp_store_schema_version(struct ksp_store *s, int *version, struct ksp_error *err);
/*
 * Apply the missing migrations.  A database newer than this build is
 * KSP_ECONFLICT, and nothing is changed.
 */
int ksp_store_migrate(struct ksp_store *s, struct ksp_error *err);

/*
 * Transactions.  Imports and runs use them so that a failure leaves the
 * database as it was.  Nesting is not supported: begin inside a transaction
 * is KSP_EUSAGE.
 */
int ksp_store_begin(struct ksp_store *s, struct ksp_error *err);
int ksp_store_commit(struct ksp_store *s, struct ksp_error *err);
int ksp_store_rollback(struct ksp_store *s);

#ifdef __cplusplus
}
#endif
#endif

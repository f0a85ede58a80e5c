/*
 * store.c - dispatch to the backend and the schema migrations.
 */
#include "store/store.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store/schema.h"
#include "util/xmalloc.h"

struct ksp_stmt_head {
	const struct ksp_store_ops *ops;
};

/* Every backend's statement struct starts with a struct ksp_stmt_head. */
#define OPS(st) (((struct ksp_stmt_head *)(void *)(st))->ops)

int ksp_store_open(struct ksp_store **out, const char *target, unsigned flags,
		   struct ksp_error *err)
{
	struct ksp_store *s;
	const struct ksp_store_ops *ops = &ksp_store_sqlite_ops;
	int rc;

	*out = NULL;
	if (!target || !*target)
		return ksp_error_set(err, KSP_EUSAGE, "no database given");
	if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11))
		return ksp_error_set(err, KSP_EUSAGE,
				     "'%s': this kasip has no PostgreSQL backend yet; use a SQLite file",
				     target);
	if (!strncmp(target, "sqlite:", 7))
		target += 7;
	s = ksp_xcalloc(1, sizeof(*s));
	s->ops = ops;
	s->target = ksp_xstrdup(target);
	s->busy_ms = KSP_STORE_BUSY_TIMEOUT_MS;
	s->flags = flags;
	rc = ops->open(s, target, flags, err);
	if (rc) {
		free(s->target);
		free(s);
		return rc;
	}
	*out = s;
	return KSP_OK;
}

void ksp_store_close(struct ksp_store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		ksp_store_rollback(s);
	s->ops->close(s);
	free(s->target);
	free(s);
}

const char *ksp_store_backend(const struct ksp_store *s)
{
	return s->ops->name;
}

const char *ksp_store_target(const struct ksp_store *s)
{
	return s->target;
}

int ksp_store_set_busy_timeout(struct ksp_store *s, int ms)
{
	if (ms < 0)
		return KSP_EUSAGE;
	s->busy_ms = ms;
	s->ops->set_busy_timeout(s, ms);
	return KSP_OK;
}

int ksp_store_busy_timeout(const struct ksp_store *s)
{
	return s->busy_ms;
}

int ksp_store_data_version(struct ksp_store *s, long long *version, struct ksp_error *err)
{
	*version = 0;
	if (!s->ops->data_version)
		return ksp_error_set(err, KSP_EUSAGE, "the %s backend keeps no data version",
				     s->ops->name);
	return s->ops->data_version(s, version, err);
}

int ksp_store_exec(struct ksp_store *s, const char *sql, struct ksp_error *err)
{
	return s->ops->exec(s, sql, err);
}

static int begin(struct ksp_store *s, int kind, struct ksp_error *err)
{
	int rc;

	if (s->in_tx)
		return ksp_error_set(err, KSP_EUSAGE, "a transaction is already open");
	if (kind == KSP_TX_WRITE && (s->flags & KSP_STORE_READONLY))
		return ksp_error_set(err, KSP_EUSAGE, "database '%s' is open for reading only",
				     s->target);
	rc = s->ops->begin(s, kind == KSP_TX_WRITE, err);
	if (!rc)
		s->in_tx = kind;
	return rc;
}

int ksp_store_begin(struct ksp_store *s, struct ksp_error *err)
{
	return begin(s, KSP_TX_WRITE, err);
}

int ksp_store_begin_read(struct ksp_store *s, struct ksp_error *err)
{
	return begin(s, KSP_TX_READ, err);
}

int ksp_store_commit(struct ksp_store *s, struct ksp_error *err)
{
	int rc;

	if (!s->in_tx)
		return ksp_error_set(err, KSP_EUSAGE, "no transaction is open");
	rc = s->ops->exec(s, "COMMIT", err);
	if (!rc)
		s->in_tx = 0;
	else
		ksp_store_rollback(s); /* all or nothing, and the handle usable again */
	return rc;
}

int ksp_store_rollback(struct ksp_store *s)
{
	if (!s->in_tx)
		return KSP_OK;
	s->in_tx = 0;
	return s->ops->exec(s, "ROLLBACK", NULL);
}

int ksp_store_in_transaction(const struct ksp_store *s)
{
	return s->in_tx;
}

void ksp_store_bulk_cache(struct ksp_store *s, long kib)
{
	if (s->ops->bulk_cache)
		s->ops->bulk_cache(s, kib);
}

void ksp_store_checkpoint(struct ksp_store *s)
{
	if (s->ops->checkpoint && !s->in_tx)
		s->ops->checkpoint(s);
}

long long ksp_store_last_insert_id(struct ksp_store *s)
{
	return s->ops->last_insert_id ? s->ops->last_insert_id(s) : 0;
}

long long ksp_store_changes(struct ksp_store *s)
{
	return s->ops->changes(s);
}

int ksp_store_table_exists(struct ksp_store *s, const char *table, int *exists,
			   struct ksp_error *err)
{
	return s->ops->table_exists(s, table, exists, err);
}

/* ---- statements ---------------------------------------------------------- */

int ksp_stmt_prepare(struct ksp_store *s, const char *sql, struct ksp_stmt **out,
		     struct ksp_error *err)
{
	return s->ops->prepare(s, sql, out, err);
}

int ksp_stmt_bind_int64(struct ksp_stmt *st, int idx, long long v)
{
	return OPS(st)->bind_int64(st, idx, v);
}

int ksp_stmt_bind_double(struct ksp_stmt *st, int idx, double v)
{
	return OPS(st)->bind_double(st, idx, v);
}

int ksp_stmt_bind_text(struct ksp_stmt *st, int idx, const char *v, long len)
{
	return OPS(st)->bind_text(st, idx, v, len);
}

int ksp_stmt_bind_text_static(struct ksp_stmt *st, int idx, const char *v, long len)
{
	if (OPS(st)->bind_text_static)
		return OPS(st)->bind_text_static(st, idx, v, len);
	return OPS(st)->bind_text(st, idx, v, len);
}

int ksp_stmt_bind_textz(struct ksp_stmt *st, int idx, const char *v)
{
	if (!v)
		return OPS(st)->bind_null(st, idx);
	return OPS(st)->bind_text(st, idx, v, -1);
}

int ksp_stmt_bind_null(struct ksp_stmt *st, int idx)
{
	return OPS(st)->bind_null(st, idx);
}

int ksp_stmt_step(struct ksp_stmt *st, struct ksp_error *err)
{
	return OPS(st)->step(st, err);
}

int ksp_stmt_reset(struct ksp_stmt *st)
{
	return OPS(st)->reset(st);
}

void ksp_stmt_finalize(struct ksp_stmt *st)
{
	if (st)
		OPS(st)->finalize(st);
}

int ksp_stmt_column_count(struct ksp_stmt *st)
{
	return OPS(st)->column_count(st);
}

int ksp_stmt_column_is_null(struct ksp_stmt *st, int col)
{
	return OPS(st)->column_is_null(st, col);
}

long long ksp_stmt_column_int64(struct ksp_stmt *st, int col)
{
	return OPS(st)->column_int64(st, col);
}

double ksp_stmt_column_double(struct ksp_stmt *st, int col)
{
	return OPS(st)->column_double(st, col);
}

const char *ksp_stmt_column_text(struct ksp_stmt *st, int col)
{
	return OPS(st)->column_text(st, col);
}

const char *ksp_stmt_column_name(struct ksp_stmt *st, int col)
{
	return OPS(st)->column_name(st, col);
}

static int query_one(struct ksp_store *s, const char *sql, long long *oi, double *od,
		     struct ksp_error *err, va_list ap)
{
	struct ksp_stmt *st;
	const char *arg;
	int rc, idx = 1;

	rc = ksp_stmt_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	while ((arg = va_arg(ap, const char *)) != NULL)
		ksp_stmt_bind_text(st, idx++, arg, -1);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		if (oi)
			*oi = ksp_stmt_column_int64(st, 0);
		if (od)
			*od = ksp_stmt_column_double(st, 0);
		rc = KSP_OK;
	}
	ksp_stmt_finalize(st);
	return rc;
}

int ksp_store_query_int(struct ksp_store *s, const char *sql, long long *out,
			struct ksp_error *err, ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = query_one(s, sql, out, NULL, err, ap);
	va_end(ap);
	return rc;
}

int ksp_store_query_double(struct ksp_store *s, const char *sql, double *out,
			   struct ksp_error *err, ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = query_one(s, sql, NULL, out, err, ap);
	va_end(ap);
	return rc;
}

/* ---- schema migrations --------------------------------------------------- */

int ksp_store_schema_latest(void)
{
	int v = 0;

	for (int i = 0; i < ksp_migration_count; i++)
		if (ksp_migrations[i].version > v)
			v = ksp_migrations[i].version;
	return v;
}

int ksp_store_schema_version(struct ksp_store *s, int *version, struct ksp_error *err)
{
	long long v = 0;
	int exists = 0, rc;

	*version = 0;
	rc = ksp_store_table_exists(s, "schema_migration", &exists, err);
	if (rc || !exists)
		return rc;
	rc = ksp_store_query_int(s, "SELECT coalesce(max(version), 0) FROM schema_migration",
				 &v, err, (const char *)NULL);
	if (rc < 0)
		return rc;
	*version = (int)v;
	return KSP_OK;
}

/* Whether migration m is recorded (the table may not exist yet). */
static int migration_applied(struct ksp_store *s, const struct ksp_migration *m, int *applied,
			     struct ksp_error *err)
{
	char num[16];
	long long n = 0;
	int exists = 0, rc;

	*applied = 0;
	rc = ksp_store_table_exists(s, "schema_migration", &exists, err);
	if (rc || !exists)
		return rc;
	snprintf(num, sizeof(num), "%d", m->version);
	rc = ksp_store_query_int(s, "SELECT count(*) FROM schema_migration"
				 " WHERE version = CAST(? AS INTEGER)", &n, err, num, (const char *)NULL);
	if (rc < 0)
		return rc;
	*applied = n > 0;
	return KSP_OK;
}

int ksp_store_schema_current(struct ksp_store *s, int *current, struct ksp_error *err)
{
	int rc, applied;

	*current = !s->unmarked;
	for (int i = 0; i < ksp_migration_count && *current; i++) {
		if ((rc = migration_applied(s, &ksp_migrations[i], &applied, err)))
			return rc;
		*current = applied;
	}
	return KSP_OK;
}

static int apply_migration(struct ksp_store *s, const struct ksp_migration *m,
			   struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc, applied = 0;

	rc = ksp_store_begin(s, err);
	if (rc)
		return rc;
	/* Again under the write lock: another process may have just applied it. */
	rc = migration_applied(s, m, &applied, err);
	if (!rc && applied) {
		rc = s->ops->mark(s, err);
		if (!rc)
			rc = ksp_store_commit(s, err);
		ksp_store_rollback(s);
		return rc;
	}
	if (!rc)
		rc = ksp_store_exec(s,
				    "CREATE TABLE IF NOT EXISTS schema_migration (\n"
				    "  version INTEGER PRIMARY KEY,\n"
				    "  name TEXT NOT NULL,\n"
				    "  applied_at TEXT NOT NULL\n"
				    ")", err);
	if (!rc)
		rc = ksp_store_exec(s, m->sql, err);
	if (!rc)
		rc = ksp_stmt_prepare(s, "INSERT INTO schema_migration (version, name, applied_at) "
				      "VALUES (?, ?, ?)", &st, err);
	if (!rc) {
		char when[32];
		time_t now = time(NULL);
		struct tm tm;

		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ksp_stmt_bind_int64(st, 1, m->version);
		ksp_stmt_bind_text(st, 2, m->name, -1);
		ksp_stmt_bind_text(st, 3, when, -1);
		rc = ksp_stmt_step(st, err);
		if (rc == KSP_DONE)
			rc = KSP_OK;
		ksp_stmt_finalize(st);
	}
	if (!rc)
		rc = s->ops->mark(s, err);
	if (!rc)
		rc = ksp_store_commit(s, err);
	if (rc) {
		ksp_store_rollback(s);
		if (err && err->msg[0] && rc != KSP_EBUSY && rc != KSP_EIO) {
			char msg[KSP_ERROR_MSG_SIZE];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			ksp_error_set(err, rc, "migration %d (%s): %s", m->version, m->name, msg);
		}
	}
	return rc;
}

int ksp_store_migrate(struct ksp_store *s, struct ksp_error *err)
{
	int have, rc, current, latest = ksp_store_schema_latest();

	rc = ksp_store_schema_version(s, &have, err);
	if (rc)
		return rc;
	if (have > latest)
		return ksp_error_set(err, KSP_ECONFLICT,
				     "database schema version %d is newer than this kasip (%d); "
				     "upgrade kasip", have, latest);
	rc = ksp_store_schema_current(s, &current, err);
	if (rc || current)
		return rc;
	if (s->flags & KSP_STORE_READONLY)
		return ksp_error_set(err, KSP_EUSAGE,
				     "database '%s' needs a schema upgrade, which a read-only "
				     "open cannot do", s->target);
	/*
	 * Apply every migration the database has not recorded, not only those
	 * above the highest one: modules add their migrations independently.
	 */
	for (int i = 0; i < ksp_migration_count; i++) {
		int applied;

		if ((rc = migration_applied(s, &ksp_migrations[i], &applied, err)))
			return rc;
		if (!applied && (rc = apply_migration(s, &ksp_migrations[i], err)))
			return rc;
	}
	if (s->unmarked) {
		/* an older kasip database, current but not yet marked as kasip's */
		if ((rc = ksp_store_begin(s, err)))
			return rc;
		rc = s->ops->mark(s, err);
		if (!rc)
			rc = ksp_store_commit(s, err);
		ksp_store_rollback(s);
		if (rc)
			return rc;
	}
	s->unmarked = 0;
	return KSP_OK;
}

/*
 * test_store.c - the store's transactions, locks and ownership: write
 * transactions take the write lock first and give up after the busy
 * timeout with KSP_EBUSY; read transactions see one snapshot; kasip opens
 * only its own (or an empty) database; a read-only open writes nothing.
 * Two handles in one process stand in for two processes (SQLite's locks
 * work between connections alike).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "kasip/kasip.h"
#include "store/store.h"

static char dbpath[256];

static struct ksp_store *open_db(unsigned flags)
{
	struct ksp_store *s = NULL;
	struct ksp_error err;

	ksp_error_clear(&err);
	if (ksp_store_open(&s, dbpath, flags, &err) != KSP_OK)
		printf("  open: %s\n", err.msg);
	return s;
}

static void remove_db(void)
{
	char p[300];

	unlink(dbpath);
	snprintf(p, sizeof(p), "%s-wal", dbpath);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", dbpath);
	unlink(p);
}

static struct ksp_store *fresh(void)
{
	struct ksp_store *s;
	struct ksp_error err;

	remove_db();
	s = open_db(KSP_STORE_CREATE);
	CHECK(s != NULL);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	return s;
}

static long long one(struct ksp_store *s, const char *sql)
{
	long long n = -1;

	ksp_store_query_int(s, sql, &n, NULL, (const char *)NULL);
	return n;
}

TEST(write_lock_is_taken_at_begin)
{
	struct ksp_store *a = fresh(), *b = open_db(0);
	struct ksp_error err;
	char want[512];

	CHECK(b != NULL);
	if (!a || !b)
		return;
	CHECK_EQ_INT(ksp_store_busy_timeout(b), KSP_STORE_BUSY_TIMEOUT_MS);
	CHECK_EQ_INT(ksp_store_set_busy_timeout(b, -1), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_store_set_busy_timeout(b, 50), KSP_OK);
	CHECK_EQ_INT(ksp_store_begin(a, &err), KSP_OK);
	/* a writer that has not written yet holds the lock all the same */
	ksp_error_clear(&err);
	CHECK_EQ_INT(ksp_store_begin(b, &err), KSP_EBUSY);
	snprintf(want, sizeof(want),
		 "database '%s' is locked by another writer; gave up after 0.1 s", dbpath);
	CHECK_EQ_STR(err.msg, want);
	CHECK_EQ_INT(ksp_store_in_transaction(b), 0);
	/* readers do not wait */
	CHECK_EQ_INT(one(b, "SELECT count(*) FROM region"), 0);
	CHECK_EQ_INT(ksp_store_begin_read(b, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_commit(b, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_commit(a, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_begin(b, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_rollback(b), KSP_OK);
	ksp_store_close(a);
	ksp_store_close(b);
}

TEST(read_transaction_is_one_snapshot)
{
	struct ksp_store *a = fresh(), *b = open_db(0);
	struct ksp_error err;

	if (!a || !b)
		return;
	CHECK_EQ_INT(ksp_store_begin_read(a, &err), KSP_OK);
	CHECK_EQ_INT(one(a, "SELECT count(*) FROM source"), 0);
	/* a read transaction cannot become a write one */
	CHECK_EQ_INT(ksp_store_begin(a, &err), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_store_begin(b, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_exec(b, "INSERT INTO source (id, kind, title, publisher, url, "
				       "method, note) VALUES ('t', 'user', 't', 't', '', '', '')",
				    &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_commit(b, &err), KSP_OK);
	CHECK_EQ_INT(one(a, "SELECT count(*) FROM source"), 0);
	CHECK_EQ_INT(ksp_store_commit(a, &err), KSP_OK);
	CHECK_EQ_INT(one(a, "SELECT count(*) FROM source"), 1);
	ksp_store_close(a);
	ksp_store_close(b);
}

/* The data version moves with another connection's commit, not with one's own. */
TEST(data_version_tells_other_commits)
{
	struct ksp_store *a = fresh(), *b = open_db(0);
	struct ksp_error err;
	long long v0 = -1, v1 = -1, v2 = -1;

	if (!a || !b)
		return;
	CHECK_EQ_INT(ksp_store_data_version(a, &v0, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_exec(a, "INSERT INTO source (id, kind, title, publisher, url, "
				       "method, note) VALUES ('a', 'user', 'a', 'a', '', '', '')",
				    &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_data_version(a, &v1, &err), KSP_OK);
	CHECK_EQ_INT(v1, v0);
	CHECK_EQ_INT(ksp_store_exec(b, "INSERT INTO source (id, kind, title, publisher, url, "
				       "method, note) VALUES ('b', 'user', 'b', 'b', '', '', '')",
				    &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_data_version(a, &v2, &err), KSP_OK);
	CHECK(v2 != v1);
	ksp_store_close(a);
	ksp_store_close(b);
}

TEST(empty_and_missing_need_init)
{
	struct ksp_store *s = NULL;
	struct ksp_error err;
	FILE *f;

	remove_db();
	CHECK_EQ_INT(ksp_store_open(&s, dbpath, 0, &err), KSP_ENOTFOUND);
	CHECK(strstr(err.msg, "run 'kasip init' first") != NULL);
	f = fopen(dbpath, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	CHECK_EQ_INT(ksp_store_open(&s, dbpath, 0, &err), KSP_ENOTFOUND);
	CHECK(strstr(err.msg, "is empty; run 'kasip init' first") != NULL);
	CHECK_EQ_INT(ksp_store_open(&s, dbpath, KSP_STORE_READONLY, &err), KSP_ENOTFOUND);
	s = open_db(KSP_STORE_CREATE);
	CHECK(s != NULL);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	CHECK_EQ_INT(one(s, "PRAGMA application_id"), KSP_STORE_APPLICATION_ID);
	ksp_store_close(s);
}

TEST(foreign_database_is_refused)
{
	struct ksp_store *s = fresh();
	struct ksp_error err;
	struct stat before, after;
	char want[512];

	if (!s)
		return;
	/* make it somebody else's: their tables, no kasip mark */
	ksp_store_close(s);
	remove_db();
	s = open_db(KSP_STORE_CREATE);
	if (!s)
		return;
	CHECK_EQ_INT(ksp_store_exec(s, "CREATE TABLE app_users (id INTEGER)", &err), KSP_OK);
	ksp_store_close(s);
	CHECK_EQ_INT(stat(dbpath, &before), 0);
	for (unsigned flags = 0; flags <= KSP_STORE_READONLY; flags++) {
		s = NULL;
		ksp_error_clear(&err);
		CHECK_EQ_INT(ksp_store_open(&s, dbpath, flags, &err), KSP_ECONFLICT);
		CHECK(s == NULL);
		snprintf(want, sizeof(want),
			 "'%s' is not a kasip database (it has table app_users); kasip will not "
			 "write into it", dbpath);
		CHECK_EQ_STR(err.msg, want);
	}
	CHECK_EQ_INT(stat(dbpath, &after), 0);
	CHECK_EQ_INT(after.st_size, before.st_size);
	CHECK_EQ_INT(after.st_mtime, before.st_mtime);
}

TEST(older_kasip_database_is_recognised_and_marked)
{
	struct ksp_store *s = fresh();
	struct ksp_error err;
	int current = -1;

	if (!s)
		return;
	/* a database made before the mark existed */
	CHECK_EQ_INT(ksp_store_exec(s, "PRAGMA application_id = 0", &err), KSP_OK);
	ksp_store_close(s);
	s = open_db(KSP_STORE_READONLY);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_INT(ksp_store_schema_current(s, &current, &err), KSP_OK);
	CHECK_EQ_INT(current, 0);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_EUSAGE);
	ksp_store_close(s);
	s = open_db(0);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	CHECK_EQ_INT(one(s, "PRAGMA application_id"), KSP_STORE_APPLICATION_ID);
	CHECK_EQ_INT(ksp_store_schema_current(s, &current, &err), KSP_OK);
	CHECK_EQ_INT(current, 1);
	ksp_store_close(s);
}

TEST(readonly_open_writes_nothing)
{
	struct ksp_store *s = fresh();
	struct ksp_error err;
	int current = 0;

	if (!s)
		return;
	ksp_store_close(s);
	s = open_db(KSP_STORE_READONLY);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_INT(ksp_store_schema_current(s, &current, &err), KSP_OK);
	CHECK_EQ_INT(current, 1);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_begin(s, &err), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_store_begin_read(s, &err), KSP_OK);
	CHECK_EQ_INT(one(s, "SELECT count(*) FROM schema_migration") > 0, 1);
	CHECK_EQ_INT(ksp_store_commit(s, &err), KSP_OK);
	CHECK(ksp_store_exec(s, "DELETE FROM source", &err) != KSP_OK);
	ksp_store_close(s);
}

TEST(status_name)
{
	CHECK_EQ_STR(ksp_status_name(KSP_EBUSY), "database locked");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dbpath, sizeof(dbpath), "%s/ksp_test_store_%d.db", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	RUN(write_lock_is_taken_at_begin);
	RUN(read_transaction_is_one_snapshot);
	RUN(data_version_tells_other_commits);
	RUN(empty_and_missing_need_init);
	RUN(foreign_database_is_refused);
	RUN(older_kasip_database_is_recognised_and_marked);
	RUN(readonly_open_writes_nothing);
	RUN(status_name);
	remove_db();
	return harness_done();
}

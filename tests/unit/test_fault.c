/*
 * test_fault.c - fault injection on the database's I/O (after curl's torture
 * mode): the Nth write or sync fails, for every N until the import gets
 * through; after each failure the database must hold exactly what it held
 * before and pass SQLite's integrity check.
 *
 * The faults come from a VFS that wraps the default one and is registered as
 * the default, so libkasip runs unchanged.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kasip/kasip.h"
#include "store/store.h"

static sqlite3_vfs *base_vfs;
static long fail_at;    /* fail the Nth write/sync from now; 0: never */
static long io_calls;

struct faulty_file {
	sqlite3_file base;     /* must be first */
	sqlite3_file *real;
};

static int should_fail(void)
{
	return fail_at && ++io_calls == fail_at;
}

#define REAL(f) (((struct faulty_file *)(void *)(f))->real)

static int f_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods->xClose(REAL(f));

	free(REAL(f));
	return rc;
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	if (should_fail())
		return SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	if (should_fail())
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_dev(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods faulty_methods = {
	2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check,
	f_fcntl, f_sector, f_dev, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap,
	NULL, NULL,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	struct faulty_file *ff = (struct faulty_file *)(void *)file;
	int rc;

	(void)vfs;
	ff->real = calloc(1, (size_t)base_vfs->szOsFile);
	rc = base_vfs->xOpen(base_vfs, name, ff->real, flags, out);
	if (rc != SQLITE_OK) {
		free(ff->real);
		ff->real = NULL;
		ff->base.pMethods = NULL;
		return rc;
	}
	ff->base.pMethods = &faulty_methods;
	return SQLITE_OK;
}
static int v_delete(sqlite3_vfs *v, const char *n, int s)
{
	(void)v;
	return base_vfs->xDelete(base_vfs, n, s);
}
static int v_access(sqlite3_vfs *v, const char *n, int f, int *o)
{
	(void)v;
	return base_vfs->xAccess(base_vfs, n, f, o);
}
static int v_full(sqlite3_vfs *v, const char *n, int sz, char *o)
{
	(void)v;
	return base_vfs->xFullPathname(base_vfs, n, sz, o);
}
static int v_random(sqlite3_vfs *v, int n, char *o)
{
	(void)v;
	return base_vfs->xRandomness(base_vfs, n, o);
}
static int v_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return base_vfs->xSleep(base_vfs, us);
}
static int v_time(sqlite3_vfs *v, double *t)
{
	(void)v;
	return base_vfs->xCurrentTime(base_vfs, t);
}
static int v_lasterr(sqlite3_vfs *v, int n, char *b)
{
	(void)v;
	return base_vfs->xGetLastError(base_vfs, n, b);
}

static sqlite3_vfs faulty_vfs;

static void register_faulty(void)
{
	base_vfs = sqlite3_vfs_find(NULL);
	faulty_vfs.iVersion = 1;
	faulty_vfs.szOsFile = (int)sizeof(struct faulty_file);
	faulty_vfs.mxPathname = base_vfs->mxPathname;
	faulty_vfs.zName = "kasip-faulty";
	faulty_vfs.xOpen = v_open;
	faulty_vfs.xDelete = v_delete;
	faulty_vfs.xAccess = v_access;
	faulty_vfs.xFullPathname = v_full;
	faulty_vfs.xDlOpen = NULL;
	faulty_vfs.xRandomness = v_random;
	faulty_vfs.xSleep = v_sleep;
	faulty_vfs.xCurrentTime = v_time;
	faulty_vfs.xGetLastError = v_lasterr;
	sqlite3_vfs_register(&faulty_vfs, 1);
}

static char dir[] = "/tmp/kasip-test-fault-XXXXXX";
static char dbpath[4200];

static const char sources_csv[] = "id,kind,title\nbns,official,Test statistics\n";
static const char regions_csv[] =
	"kato,iso,type,name_en,name_ru,name_kk,source\n"
	"000000000,KZ,country,Kazakhstan,Казахстан,Қазақстан,bns\n"
	"590000000,KZ-59,oblast,North Kazakhstan Region,СКО,СҚО,bns\n";

static long long population_checksum(struct ksp_store *s)
{
	double v = -1;

	ksp_store_query_double(s, "SELECT coalesce(sum(value * (year - 1900)), 0) + count(*)"
			       " FROM population", &v, NULL, (const char *)NULL);
	return (long long)v;
}

static int integrity_ok(void)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int ok = 0;

	if (sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, "unix") != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			ok = !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return ok;
}

TEST(every_failing_write_leaves_the_database_as_it_was)
{
	struct ksp_store *s = NULL;
	struct ksp_error err;
	char *csv;
	size_t len = 0, cap = 1 << 19;
	long long before;
	long n, failures = 0;
	int done = 0;

	unlink(dbpath);
	CHECK_EQ_INT(ksp_store_open(&s, dbpath, KSP_STORE_CREATE, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	CHECK_EQ_INT(ksp_import_csv_mem(s, "sources", "s.csv", sources_csv, strlen(sources_csv),
					NULL, NULL, &err), KSP_OK);
	CHECK_EQ_INT(ksp_import_csv_mem(s, "regions", "r.csv", regions_csv, strlen(regions_csv),
					NULL, NULL, &err), KSP_OK);
	CHECK_EQ_INT(ksp_import_csv_mem(s, "population", "p0.csv",
					"region,year,population,source\nKZ-59,2025,5,bns\n", 47, NULL,
					NULL, &err), KSP_OK);
	before = population_checksum(s);
	ksp_store_close(s);

	csv = malloc(cap);
	len += (size_t)snprintf(csv, cap, "region,year,sex,age,population,source\n");
	for (int y = 2000; y < 2040; y++)
		for (int a = 0; a < 101 && len + 64 < cap; a++)
			len += (size_t)snprintf(csv + len, cap - len, "KZ-59,%d,female,%d,%d,bns\n", y, a,
						100 + a);
	for (n = 1; n < 5000 && !done; n++) {
		int rc;

		s = NULL;
		io_calls = 0;
		fail_at = 0;
		if (ksp_store_open(&s, dbpath, 0, &err) != KSP_OK) {
			CHECK(0);
			break;
		}
		fail_at = n;
		rc = ksp_import_csv_mem(s, "population", "big.csv", csv, len, NULL, NULL, &err);
		fail_at = 0;
		ksp_store_close(s);
		CHECK(integrity_ok());
		CHECK_EQ_INT(ksp_store_open(&s, dbpath, 0, &err), KSP_OK);
		if (rc == KSP_OK) {
			/* The import got through: the rows are all there. */
			CHECK_EQ_INT(population_checksum(s) > before, 1);
			done = 1;
		} else {
			failures++;
			CHECK(rc == KSP_EIO || rc == KSP_EDB);
			if (population_checksum(s) != before) {
				printf("  write %ld failed and the database changed\n", n);
				CHECK(0);
			}
		}
		ksp_store_close(s);
	}
	CHECK(done);
	CHECK(failures > 3);
	printf("  %ld injected failures, each left the database as it was\n", failures);
	free(csv);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dbpath, sizeof(dbpath), "%s/fault.db", dir);
	register_faulty();
	RUN(every_failing_write_leaves_the_database_as_it_was);
	{
		char p[4300];

		unlink(dbpath);
		snprintf(p, sizeof(p), "%s-wal", dbpath);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", dbpath);
		unlink(p);
	}
	rmdir(dir);
	return harness_done();
}

/*
 * harness.h - the tiny unit-test harness (after Redis's testhelp.h).
 *
 *   TEST(name) { CHECK(x == 1); CHECK_EQ_INT(a, b); CHECK_NEAR(x, y, 1e-9); }
 *   int main(void) { RUN(name); ...; return harness_done(); }
 *
 * A failed check prints file:line and the expression and marks the current
 * test failed; the test goes on.  harness_done() prints "N passed, N failed"
 * (counting tests) and returns the exit status.
 */
#ifndef KSP_HARNESS_H
#define KSP_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kasip/kasip.h"

static int harness_passed, harness_failed, harness_cur_failed;
static const char *harness_cur;

#define TEST(name) static void name(void)

#define RUN(name)                                                              \
	do {                                                                   \
		harness_cur = #name;                                           \
		harness_cur_failed = 0;                                        \
		name();                                                        \
		if (harness_cur_failed) {                                      \
			harness_failed++;                                      \
			printf("FAIL %s\n", #name);                            \
		} else {                                                       \
			harness_passed++;                                      \
			printf("ok   %s\n", #name);                            \
		}                                                              \
		fflush(stdout);                                                \
	} while (0)

#define CHECK(expr)                                                            \
	do {                                                                   \
		if (!(expr)) {                                                 \
			printf("  %s:%d: %s: check failed: %s\n", __FILE__,    \
			       __LINE__, harness_cur, #expr);                  \
			harness_cur_failed = 1;                                \
		}                                                              \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                     \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_) {                                                \
			printf("  %s:%d: %s: %s == %s: %lld != %lld\n",        \
			       __FILE__, __LINE__, harness_cur, #a, #b, a_, b_); \
			harness_cur_failed = 1;                                \
		}                                                              \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                     \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                       \
			printf("  %s:%d: %s: %s == %s: \"%s\" != \"%s\"\n",    \
			       __FILE__, __LINE__, harness_cur, #a, #b,        \
			       a_ ? a_ : "(null)", b_ ? b_ : "(null)");        \
			harness_cur_failed = 1;                                \
		}                                                              \
	} while (0)

#define CHECK_NEAR(a, b, tol)                                                  \
	do {                                                                   \
		double a_ = (double)(a), b_ = (double)(b);                     \
		if (!(fabs(a_ - b_) <= (tol))) {                               \
			printf("  %s:%d: %s: %s ~ %s: %.12g != %.12g (tol %g)\n", \
			       __FILE__, __LINE__, harness_cur, #a, #b, a_, b_, \
			       (double)(tol));                                 \
			harness_cur_failed = 1;                                \
		}                                                              \
	} while (0)

static inline int harness_done(void)
{
	printf("%d passed, %d failed\n", harness_passed, harness_failed);
	return harness_failed ? 1 : 0;
}

/*
 * Path of a file under the environment variable dir (KSP_SRC, KSP_DATA); CTest sets them, and a binary run by hand falls back on the
 * folders CMake compiled in (HARNESS_KSP_SRC ...).
 */
static inline const char *harness_path(const char *env, const char *rel)
{
	static char buf[4][4096];
	static int i;
	const char *base = getenv(env);

#ifdef HARNESS_KSP_SRC
	if (!base)
		base = !strcmp(env, "KSP_SRC")  ? HARNESS_KSP_SRC
		       : !strcmp(env, "KSP_DATA") ? HARNESS_KSP_DATA
						  : NULL;
#endif

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", base ? base : ".", rel);
	return buf[i];
}

/*
 * A fresh database in a temporary folder, for the tests of the store, the
 * importer, keys and jobs.  harness_db_path() names the file (the folder,
 * /tmp/kasip-test-XXXXXX, is made on the first call; NULL if it cannot
 * be); harness_fresh_store() removes the file, creates and migrates it and
 * imports two sources (bns, est) and three regions (the country, KZ-59,
 * KZ-61), checking every step; harness_db_cleanup() removes the file, its
 * -wal and -shm and the folder.
 */
static inline const char *harness_db_path(void)
{
	static char dir[] = "/tmp/kasip-test-XXXXXX", db[4200];

	if (!db[0]) {
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			return NULL;
		}
		snprintf(db, sizeof(db), "%s/test.db", dir);
	}
	return db;
}

static inline struct ksp_store *harness_fresh_store(void)
{
	static const char sources[] = "id,kind,title,publisher,url,method,note\n"
				      "bns,official,Test statistics,BNS,,,\n"
				      "est,estimate,Test estimate,kasip,,scaled,\n";
	static const char regions[] =
		"kato,iso,type,name_en,name_ru,name_kk,centre_en,centre_ru,centre_kk,lat,lon,source\n"
		"000000000,KZ,country,Kazakhstan,Казахстан,Қазақстан,,,,,,bns\n"
		"590000000,KZ-59,oblast,North Kazakhstan Region,Северо-Казахстанская область,"
		"Солтүстік Қазақстан облысы,Petropavl,Петропавловск,Петропавл,54.86681,69.1335,bns\n"
		"610000000,KZ-61,oblast,Turkistan Region,Туркестанская область,Түркістан облысы,"
		"Turkistan,Туркестан,Түркістан,43.29869,68.26296,bns\n";
	struct ksp_store *s = NULL;
	struct ksp_error err;
	const char *path = harness_db_path();

	CHECK(path != NULL);
	if (!path)
		return NULL;
	unlink(path);
	CHECK_EQ_INT(ksp_store_open(&s, path, KSP_STORE_CREATE, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	CHECK_EQ_INT(ksp_import_csv_mem(s, "sources", "sources.csv", sources, sizeof(sources) - 1,
					NULL, NULL, &err),
		     KSP_OK);
	CHECK_EQ_INT(ksp_import_csv_mem(s, "regions", "regions.csv", regions, sizeof(regions) - 1,
					NULL, NULL, &err),
		     KSP_OK);
	return s;
}

static inline void harness_db_cleanup(void)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	const char *db = harness_db_path();
	char p[4300];

	if (!db)
		return;
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", db, ext[i]);
		unlink(p);
	}
	snprintf(p, sizeof(p), "%s", db);
	*strrchr(p, '/') = 0;
	rmdir(p);
}

#endif

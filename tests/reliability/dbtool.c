/*
 * dbtool.c - a second process at the database, for the reliability tests.
 *
 * Talks to SQLite directly (not through libkasip), as another program or
 * another kasip would:
 *   dbtool hold DB READY RELEASE [SECONDS]
 *       BEGIN IMMEDIATE (the write lock), create the file READY, wait until
 *       the file RELEASE exists (at most SECONDS, default 120), COMMIT.
 *       Lets a test hold the lock on purpose instead of hoping for timing.
 *   dbtool query DB SQL
 *       print the rows of SQL, columns separated by '|' (read-only open)
 *   dbtool exec DB SQL
 *       run SQL (creating DB when missing)
 * Exit 0 on success, 1 on a database error (printed), 2 on wrong usage.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "dbtool: %s: %s\n", what, db ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_close(db);
	return 1;
}

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static int hold(const char *path, const char *ready, const char *release, int seconds)
{
	sqlite3 *db = NULL;
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	FILE *f;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		return fail(db, path);
	sqlite3_busy_timeout(db, seconds * 1000);
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "BEGIN IMMEDIATE");
	f = fopen(ready, "w");
	if (!f)
		return fail(db, ready);
	fclose(f);
	for (long waited = 0; !exists(release) && waited < seconds * 50L; waited++)
		nanosleep(&nap, NULL);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "COMMIT");
	sqlite3_close(db);
	return 0;
}

static int query(const char *path, const char *sql, int readonly)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *tail = sql;
	int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc;

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK)
		return fail(db, path);
	sqlite3_busy_timeout(db, 10000);
	while (tail && *tail) {
		if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) != SQLITE_OK)
			return fail(db, "prepare");
		if (!st)
			break;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *t = sqlite3_column_text(st, c);

				printf("%s%s", c ? "|" : "", t ? (const char *)t : "");
			}
			printf("\n");
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return fail(db, "step");
	}
	sqlite3_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "hold")) {
		int seconds = 120;

		if (argc > 5 && sscanf(argv[5], "%d", &seconds) != 1)
			seconds = 120;
		return hold(argv[2], argv[3], argv[4], seconds);
	}
	if (argc == 4 && !strcmp(argv[1], "query"))
		return query(argv[2], argv[3], 1);
	if (argc == 4 && !strcmp(argv[1], "exec"))
		return query(argv[2], argv[3], 0);
	fprintf(stderr, "usage: dbtool hold DB READY RELEASE [SECONDS] | query DB SQL | exec DB SQL\n");
	return 2;
}

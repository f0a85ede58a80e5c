/*
 * test_import.c - the storage layer, migrations, the table-driven importer
 * and exporter: strict errors with positions, all-or-nothing imports, a
 * database left byte-for-byte unchanged by a failed import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kasip/kasip.h"
#include "store/store.h"

static long long count(struct ksp_store *s, const char *sql)
{
	long long n = -1;

	ksp_store_query_int(s, sql, &n, NULL, (const char *)NULL);
	return n;
}

/* Import buf as name into table; return the status and the formatted error. */
static int try_import(struct ksp_store *s, const char *table, const char *name, const char *buf,
		      char *msg, size_t size)
{
	struct ksp_error err;
	int rc;

	ksp_error_clear(&err);
	rc = ksp_import_csv_mem(s, table, name, buf, strlen(buf), NULL, NULL, &err);
	ksp_error_format(&err, msg, size);
	return rc;
}

/* Issue 9: every numeric column of every table says its plausible range. */
TEST(every_number_has_a_plausible_range)
{
	struct ksp_table_info buf;
	const struct ksp_table_info *t;
	int numbers = 0;

	for (size_t i = 0; (t = ksp_table_info_at(i, &buf)) != NULL; i++) {
		struct ksp_column_info c;

		for (int j = 0; ksp_table_column_info(t->name, j, &c) == KSP_OK; j++) {
			if (strncmp(c.type, "number", 6) && strncmp(c.type, "integer", 7))
				continue;
			numbers++;
			if (!c.range)
				fprintf(stderr, "  %s.%s has no range\n", t->name, c.name);
			CHECK(c.range != NULL);
		}
	}
	CHECK(numbers > 20);
}

TEST(store_open_and_migrate)
{
	struct ksp_store *s = NULL;
	struct ksp_error err;
	int v = -1;

	unlink(harness_db_path());
	CHECK_EQ_INT(ksp_store_open(&s, harness_db_path(), 0, &err), KSP_ENOTFOUND);
	CHECK(strstr(err.msg, "kasip init") != NULL);
	CHECK_EQ_INT(ksp_store_open(&s, harness_db_path(), KSP_STORE_CREATE, &err), KSP_OK);
	CHECK_EQ_STR(ksp_store_backend(s), "sqlite");
	CHECK_EQ_INT(ksp_store_schema_version(s, &v, &err), KSP_OK);
	CHECK_EQ_INT(v, 0);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_schema_version(s, &v, &err), KSP_OK);
	CHECK_EQ_INT(v, ksp_store_schema_latest());
	/* Migrating again is a no-op. */
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	/* Foreign keys are on. */
	CHECK(ksp_store_exec(s, "INSERT INTO region (kato, iso, type, name_en, name_ru, name_kk,"
			     " source_id) VALUES ('1', 'X', 'oblast', 'a', 'b', 'c', 'nope')",
			     &err) != KSP_OK);
	/* A database from a newer kasip is refused, not damaged. */
	CHECK_EQ_INT(ksp_store_exec(s, "INSERT INTO schema_migration VALUES (999, 'future', 'x')",
				    &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_ECONFLICT);
	CHECK_EQ_INT(ksp_store_begin(s, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_begin(s, &err), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_store_rollback(s), KSP_OK);
	ksp_store_close(s);
	CHECK_EQ_INT(ksp_store_open(&s, "postgresql://localhost/kasip", 0, &err), KSP_EUSAGE);
}

TEST(migrations_below_the_highest_are_applied)
{
	struct ksp_store *s = NULL;
	struct ksp_error err;
	int exists = 0;
	char sql[200];

	unlink(harness_db_path());
	CHECK_EQ_INT(ksp_store_open(&s, harness_db_path(), KSP_STORE_CREATE, &err), KSP_OK);
	/* A database that recorded the newest migration but not migration 1. */
	CHECK_EQ_INT(ksp_store_exec(s, "CREATE TABLE schema_migration (version INTEGER PRIMARY KEY,"
				    " name TEXT NOT NULL, applied_at TEXT NOT NULL)", &err), KSP_OK);
	snprintf(sql, sizeof(sql), "INSERT INTO schema_migration VALUES (%d, 'newest', 'x')",
		 ksp_store_schema_latest());
	CHECK_EQ_INT(ksp_store_exec(s, sql, &err), KSP_OK);
	if (ksp_store_schema_latest() > 1) {
		CHECK_EQ_INT(ksp_store_table_exists(s, "region", &exists, &err), KSP_OK);
		CHECK_EQ_INT(exists, 0);
		CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
		CHECK_EQ_INT(ksp_store_table_exists(s, "region", &exists, &err), KSP_OK);
		CHECK_EQ_INT(exists, 1);
	}
	ksp_store_close(s);
}

TEST(import_good_rows_and_replace)
{
	struct ksp_store *s = harness_fresh_store();
	struct ksp_import_result res;
	struct ksp_error err;
	const char *pop = "region;year;population;source\n"
			  "KZ-59;2025;\"518 151,5\";bns\n"
			  "610000000;2025;2151623;bns\n";
	double v = 0;

	CHECK_EQ_INT(ksp_import_csv_mem(s, "population", "p.csv", pop, strlen(pop), NULL, &res,
					&err), KSP_OK);
	CHECK_EQ_INT(res.rows, 2);
	CHECK_EQ_INT(res.inserted, 2);
	ksp_store_query_double(s, "SELECT value FROM population WHERE region = '590000000'", &v,
			       NULL, (const char *)NULL);
	CHECK_NEAR(v, 518151.5, 1e-9);
	/* Defaults of the optional key columns. */
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM population WHERE measure = 'average' AND"
			      " sex = 'total' AND age = 'total' AND unit = 'persons'"), 2);
	/* The same key again replaces. */
	pop = "region,year,population,source\nKZ-59,2025,518000,bns\n";
	CHECK_EQ_INT(ksp_import_csv_mem(s, "population", "p.csv", pop, strlen(pop), NULL, &res,
					&err), KSP_OK);
	CHECK_EQ_INT(res.replaced, 1);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM population"), 2);
	ksp_store_close(s);
}

TEST(import_errors_name_their_position)
{
	static const struct {
		const char *table, *csv, *msg;
	} cases[] = {
		{ "population", "region,year,population,source\nKZ-59,2025,12 5x0,bns\n",
		  "population.csv:2:3: population: expected a non-negative number, got \"12 5x0\"" },
		{ "population", "region,year,population,source\nKZ-59,2025,-4,bns\n",
		  "population.csv:2:3: population: expected a non-negative number, got \"-4\"" },
		{ "population", "region,year,population,source\nKZ-99,2025,4,bns\n",
		  "population.csv:2:1: region: unknown region code \"KZ-99\" (expected a KATO code "
		  "such as 590000000 or an ISO 3166-2 code such as KZ-59)" },
		{ "population", "region,year,population,source\nKZ-59,20x5,4,bns\n",
		  "population.csv:2:2: year: expected a year (1900-2200), got \"20x5\"" },
		{ "population", "region,year,population,source\nKZ-59,2025,4,nosuch\n",
		  "population.csv:2:4: source: unknown code \"nosuch\" (expected the id of a row of "
		  "the sources table)" },
		{ "population", "region,year,population,sex,source\nKZ-59,2025,4,f,bns\n",
		  "population.csv:2:4: sex: expected one of total, male, female, got \"f\"" },
		{ "population", "region,year,population,age,source\nKZ-59,2025,4,15-9,bns\n",
		  "population.csv:2:4: age: expected an age (total, N, N-M or N+), got \"15-9\"" },
		{ "population", "region,year,population,source\nKZ-59,2025,4,bns\nKZ-59,2025,5,bns\n",
		  "population.csv:3:1: region: duplicate row: region KZ-59, year 2025 already on "
		  "line 2" },
		{ "population", "region,year,population\nKZ-59,2025,4\n",
		  "population.csv:1: missing column \"source\" (name a source for every row, or give "
		  "one for the whole file with --source ID)" },
		{ "population", "region,year,people,source\nKZ-59,2025,4,bns\n",
		  "population.csv:1:3: unknown column \"people\" for table population (expected: "
		  "region, year, measure, sex, age, population, unit, source)" },
		{ "population", "region,year,population,source\nKZ-59,2025,4\n",
		  "population.csv:2: expected 4 fields as in the header, got 3" },
		{ "population", "region,year,population,source\nKZ-59,2025,,bns\n",
		  "population.csv:2:3: population: expected a non-negative number, got an empty "
		  "field" },
		{ "population", "", "population.csv:1: the file is empty: expected a header line naming "
				    "the columns" },
		{ "employment", "region,year,industry,employed,source\nKZ-59,2025,ZZ,4,bns\n",
		  "population.csv:2:3: industry: unknown code \"ZZ\" (expected an OKED section, "
		  "division or aggregate code)" },
	};
	struct ksp_store *s = harness_fresh_store();
	char msg[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = try_import(s, cases[i].table, "population.csv", cases[i].csv, msg,
				    sizeof(msg));

		CHECK_EQ_INT(rc, KSP_EINVAL);
		CHECK_EQ_STR(msg, cases[i].msg);
	}
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM population"), 0);
	CHECK_EQ_INT(try_import(s, "nosuch", "x.csv", "a\n1\n", msg, sizeof(msg)), KSP_EUSAGE);
	ksp_store_close(s);
}

TEST(import_is_all_or_nothing)
{
	struct ksp_store *s = harness_fresh_store();
	char msg[512];
	const char *bad = "region,year,population,source\n"
			  "KZ-59,2023,1,bns\nKZ-59,2024,2,bns\nKZ-61,2025,x,bns\n";

	CHECK_EQ_INT(try_import(s, "population", "p.csv", bad, msg, sizeof(msg)), KSP_EINVAL);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM population"), 0);
	/* Inside a caller's transaction the caller decides; the store still works after. */
	CHECK_EQ_INT(try_import(s, "population", "p.csv",
				"region,year,population,source\nKZ-59,2023,1,bns\n", msg,
				sizeof(msg)), KSP_OK);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM population"), 1);
	ksp_store_close(s);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

TEST(failed_import_leaves_file_byte_for_byte_unchanged)
{
	struct ksp_store *s = harness_fresh_store();
	struct ksp_error err;
	struct ksp_strbuf_like {
		char *p;
	} big = { NULL };
	size_t n0 = 0, n1 = 0, cap = 1 << 20, len = 0;
	char *before, *after;
	int rc;

	ksp_store_close(s);
	before = slurp(harness_db_path(), &n0);
	CHECK(before != NULL && n0 > 0);
	/* Many good rows (more than the page cache holds), then a bad last row. */
	big.p = malloc(cap);
	len += (size_t)snprintf(big.p + len, cap - len, "region,year,age,sex,population,source\n");
	for (int a = 0; a <= 100; a++)
		for (int y = 1990; y < 2090 && len + 64 < cap; y++)
			len += (size_t)snprintf(big.p + len, cap - len, "KZ-59,%d,%d,male,%d,bns\n", y,
						a, 1000 + a);
	len += (size_t)snprintf(big.p + len, cap - len, "KZ-59,2100,5,male,oops,bns\n");
	CHECK_EQ_INT(ksp_store_open(&s, harness_db_path(), 0, &err), KSP_OK);
	rc = ksp_import_csv_mem(s, "population", "big.csv", big.p, len, NULL, NULL, &err);
	CHECK_EQ_INT(rc, KSP_EINVAL);
	CHECK(err.line > 10000);
	ksp_store_close(s);
	after = slurp(harness_db_path(), &n1);
	CHECK(after != NULL);
	CHECK_EQ_INT(n0, n1);
	CHECK(n0 == n1 && memcmp(before, after, n0) == 0);
	free(before);
	free(after);
	free(big.p);
}

TEST(export_round_trips)
{
	struct ksp_store *s = harness_fresh_store();
	struct ksp_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *pop = "region,year,population,source\nKZ-59,2025,518151.5,bns\n";
	long long n = 0;

	CHECK_EQ_INT(ksp_import_csv_mem(s, "population", "p.csv", pop, strlen(pop), NULL, NULL,
					&err), KSP_OK);
	CHECK_EQ_INT(ksp_export_table(s, "population", KSP_EXPORT_CSV, f, &err), KSP_OK);
	fclose(f);
	CHECK_EQ_STR(buf, "region,year,measure,sex,age,population,unit,source\n"
			  "590000000,2025,average,total,total,518151.5,persons,bns\n");
	ksp_store_exec(s, "DELETE FROM population", &err);
	CHECK_EQ_INT(ksp_import_csv_mem(s, "population", "export.csv", buf, len, NULL, NULL, &err),
		     KSP_OK);
	ksp_store_query_int(s, "SELECT count(*) FROM population WHERE value = 518151.5", &n, NULL,
			    (const char *)NULL);
	CHECK_EQ_INT(n, 1);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK_EQ_INT(ksp_export_table(s, "regions", KSP_EXPORT_JSON, f, &err), KSP_OK);
	fclose(f);
	CHECK(strstr(buf, "\"name_kk\":\"Солтүстік Қазақстан облысы\"") != NULL);
	CHECK(strstr(buf, "\"lat\":54.86681") != NULL);
	free(buf);
	ksp_store_close(s);
}

TEST(import_cp1251_semicolons_from_excel)
{
	struct ksp_store *s = harness_fresh_store();
	struct ksp_import_options opt = { 0 };
	struct ksp_error err;
	/* "Регион" header is not needed: an English header, a Russian note field. */
	const char csv[] = "id;kind;title;note\r\n"
			   "ru;user;\"\xcf\xf0\xee\xe3\xed\xee\xe7\";\"1 234,5\"\r\n";
	long long n = 0;

	opt.encoding = "cp1251";
	CHECK_EQ_INT(ksp_import_csv_mem(s, "sources", "excel.csv", csv, sizeof(csv) - 1, &opt,
					NULL, &err), KSP_OK);
	ksp_store_query_int(s, "SELECT count(*) FROM source WHERE id = 'ru' AND"
			       " title = 'Прогноз'", &n, NULL, (const char *)NULL);
	CHECK_EQ_INT(n, 1);
	ksp_store_close(s);
}

TEST(russian_and_kazakh_headers)
{
	struct ksp_store *s = harness_fresh_store();
	struct ksp_error err;
	const char *ru = "Регион;Год;Население;Источник\nKZ-59;2025;518151;bns\n";
	const char *kk = "АЙМАҚ;жыл;Халық саны;ДЕРЕККӨЗ\nKZ-61;2025;2151623;bns\n";

	CHECK_EQ_INT(ksp_import_csv_mem(s, "population", "ru.csv", ru, strlen(ru), NULL, NULL,
					&err), KSP_OK);
	CHECK_EQ_INT(ksp_import_csv_mem(s, "population", "kk.csv", kk, strlen(kk), NULL, NULL,
					&err), KSP_OK);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM population"), 2);
	ksp_store_close(s);
}

int main(void)
{
	if (!harness_db_path())
		return 1;
	RUN(every_number_has_a_plausible_range);
	RUN(store_open_and_migrate);
	RUN(migrations_below_the_highest_are_applied);
	RUN(import_good_rows_and_replace);
	RUN(import_errors_name_their_position);
	RUN(import_is_all_or_nothing);
	RUN(failed_import_leaves_file_byte_for_byte_unchanged);
	RUN(export_round_trips);
	RUN(import_cp1251_semicolons_from_excel);
	RUN(russian_and_kazakh_headers);
	harness_db_cleanup();
	return harness_done();
}

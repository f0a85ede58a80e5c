/*
 * test_titles.c - the titles of the classifiers in kk, ru and en and where
 * each comes from (title_*_source, migration 6): the built-in data set's
 * counts per source, the repairs, the import of a national classifier with
 * its own kk and ru titles and their sources, and the export round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kasip/kasip.h"
#include "store/store.h"

static char dbpath[256];
static struct ksp_store *store; /* the built-in data set, loaded once */

/* A new database with the built-in data set loaded (no estimates: not needed here). */
static struct ksp_store *dataset_store(void)
{
	struct ksp_store *s = NULL;
	struct ksp_error err;

	unlink(dbpath);
	if (ksp_store_open(&s, dbpath, KSP_STORE_CREATE, &err) || ksp_store_migrate(s, &err) ||
	    ksp_store_begin(s, &err) || ksp_dataset_load(s, harness_path("KSP_DATA", ""), &err) ||
	    ksp_store_commit(s, &err)) {
		char buf[1024];

		printf("  the data set does not load: %s\n", ksp_error_format(&err, buf, sizeof(buf)));
		ksp_store_close(s);
		return NULL;
	}
	return s;
}

static long long count(struct ksp_store *s, const char *sql)
{
	long long n = -1;

	ksp_store_query_int(s, sql, &n, NULL, (const char *)NULL);
	return n;
}

/* The text of the first column of sql's first row, or "" (static buffer). */
static const char *text(struct ksp_store *s, const char *sql)
{
	static char buf[1024];
	struct ksp_stmt *st;

	buf[0] = '\0';
	if (ksp_stmt_prepare(s, sql, &st, NULL))
		return buf;
	if (ksp_stmt_step(st, NULL) == KSP_ROW)
		snprintf(buf, sizeof(buf), "%s", ksp_stmt_column_text(st, 0));
	ksp_stmt_finalize(st);
	return buf;
}

static int import(struct ksp_store *s, const char *table, const char *name, const char *csv,
		  char *msg, size_t size)
{
	struct ksp_error err;
	int rc;

	ksp_error_clear(&err);
	rc = ksp_import_csv_mem(s, table, name, csv, strlen(csv), NULL, NULL, &err);
	if (msg)
		ksp_error_format(&err, msg, size);
	return rc;
}

static char *export(struct ksp_store *s, const char *table)
{
	struct ksp_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK_EQ_INT(ksp_export_table(s, table, KSP_EXPORT_CSV, f, &err), KSP_OK);
	fclose(f);
	return buf;
}

/*
 * ISCO-08 in the built-in data set: every English title is ISCO-08's own,
 * every group has a Russian title, and the counts per source are those
 * data/kz/SOURCES.md gives (376 ОКЗ titles verbatim, 46 repaired, 197 the
 * project's translation).
 */
TEST(isco_titles_and_their_sources)
{
	struct ksp_store *s = store;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE classification = 'ISCO-08'"),
		     619);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE title_en_source = 'official'"),
		     619);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE title_ru = ''"), 0);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE title_ru_source = 'official'"),
		     376);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE title_ru_source = 'repaired'"),
		     46);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation"
			      " WHERE title_ru_source = 'translation'"),
		     197);
	/* Official and repaired titles are unit groups': ОКЗ's file has no higher levels. */
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE level < 4"
			      " AND title_ru_source <> 'translation'"),
		     0);
	/* Every Kazakh title is the project's translation (data/kz/i18n/isco08-kk.csv). */
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation"
			      " WHERE title_kk <> '' AND title_kk_source = 'translation'"),
		     619);
	/* No PDF artefacts left: no word split before a hyphen, no dangling "не" or "и". */
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE title_ru LIKE '% -%'"
			      " OR title_ru LIKE '% не' OR title_ru LIKE '% и' OR title_ru LIKE '% в'"
			      " OR title_ru LIKE '%  %' OR title_ru LIKE '%,'"),
		     0);

	/* A title copied verbatim, a repaired one (a split word and a cut-off end), a translation. */
	CHECK_EQ_STR(text(s, "SELECT title_ru || '|' || title_ru_source FROM occupation"
			     " WHERE code = '7212'"),
		     "Сварщики и газорезчики|official");
	CHECK_EQ_STR(text(s, "SELECT title_ru || '|' || title_ru_source FROM occupation"
			     " WHERE code = '9311'"),
		     "Неквалифицированные рабочие в горнодобывающей промышленности и разработке "
		     "карьеров|repaired");
	/* Russia-specific wording adapted: no "федеральных" organs in Kazakhstan. */
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE title_ru LIKE '%федеральн%'"),
		     0);
	CHECK_EQ_STR(text(s, "SELECT title_ru_source FROM occupation WHERE code = '1111'"),
		     "repaired");
	CHECK_EQ_STR(text(s, "SELECT title_ru || '|' || title_ru_source FROM occupation"
			     " WHERE code = '1'"),
		     "Руководители|translation");
	/* ОКЗ 6310 takes in all of ISCO-08's sub-major group 63: not copied. */
	CHECK_EQ_STR(text(s, "SELECT title_ru_source FROM occupation WHERE code = '6310'"),
		     "translation");
}

/*
 * OKED: English titles are ISIC Rev.4's (official) but for kasip's three
 * aggregates; Russian titles are BNS labels (official) for TOTAL, G-U and
 * the sections A..S, the project's translation elsewhere; Kazakh titles are
 * all the project's translation.
 */
TEST(oked_titles_and_their_sources)
{
	struct ksp_store *s = store;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM industry"), 112);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM industry WHERE title_ru = '' OR title_kk = ''"),
		     0);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM industry WHERE title_en_source = 'official'"),
		     109);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM industry WHERE title_ru_source = 'official'"),
		     21);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM industry WHERE title_ru_source = 'translation'"),
		     91);
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM industry WHERE title_kk_source = 'translation'"),
		     112);
	CHECK_EQ_STR(text(s, "SELECT title_ru || '|' || title_ru_source FROM industry"
			     " WHERE code = 'C'"),
		     "Обрабатывающая промышленность|official");
	CHECK_EQ_STR(text(s, "SELECT title_ru_source || '|' || title_kk FROM industry"
			     " WHERE code = '85'"),
		     "translation|Білім беру");
}

/*
 * The forecast's specialty groups (ISCED-F 2013 broad fields): every group
 * has a Russian and a Kazakh title, and each title its source.
 */
TEST(specialty_titles_and_their_sources)
{
	static const char *const want[] = { "title_en", "title_ru", "title_kk", "title_en_source",
					    "title_ru_source", "title_kk_source" };
	struct ksp_csv *csv = NULL;
	struct ksp_csv_row row;
	struct ksp_error err;
	int col[6], rows = 0, rc;

	CHECK_EQ_INT(ksp_csv_open_file(&csv, harness_path("KSP_DATA", "forecast/specialties.csv"),
				       "specialties.csv", NULL, &err),
		     KSP_OK);
	if (!csv)
		return;
	CHECK_EQ_INT(ksp_csv_next(csv, &row, &err), KSP_OK);
	for (int k = 0; k < 6; k++) {
		col[k] = -1;
		for (size_t c = 0; c < row.nfields; c++)
			if (!strcmp(row.fields[c], want[k]))
				col[k] = (int)c;
		CHECK(col[k] >= 0);
	}
	while ((rc = ksp_csv_next(csv, &row, &err)) == KSP_OK) {
		rows++;
		for (int k = 0; k < 6; k++)
			CHECK(col[k] >= 0 && (size_t)col[k] < row.nfields && row.fields[col[k]][0]);
		if (col[3] >= 0 && col[5] >= 0) {
			CHECK_EQ_STR(row.fields[col[3]], "official");
			CHECK_EQ_STR(row.fields[col[5]], "translation");
		}
	}
	CHECK_EQ_INT(rc, KSP_DONE);
	CHECK_EQ_INT(rows, 20);
	ksp_csv_free(csv);
}

/* The query API gives the title in a language and the source of that title. */
TEST(title_and_source_by_language)
{
	struct ksp_store *s = store;
	struct ksp_occupation_query q = { 0 };
	struct ksp_occupation *list = NULL;
	struct ksp_error err;
	size_t n = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	q.under = "9311";
	CHECK_EQ_INT(ksp_occupation_list(s, &q, &list, &n, &err), KSP_OK);
	CHECK_EQ_INT(n, 1);
	if (n == 1) {
		CHECK_EQ_STR(ksp_occupation_title(&list[0], "en"), "Mining and quarrying labourers");
		CHECK_EQ_STR(ksp_occupation_title_source(&list[0], "en"), "official");
		CHECK(!strncmp(ksp_occupation_title(&list[0], "ru"), "Неквалифицированные", 38));
		CHECK_EQ_STR(ksp_occupation_title_source(&list[0], "ru"), "repaired");
		CHECK_EQ_STR(ksp_occupation_title(&list[0], "kk"), list[0].title_kk);
		CHECK_EQ_STR(ksp_occupation_title_source(&list[0], "kk"), "translation");
	}
	ksp_occupation_list_free(list);

	/* --search finds a group by its Russian title too. */
	q.under = NULL;
	q.search = "газорезчики";
	CHECK_EQ_INT(ksp_occupation_list(s, &q, &list, &n, &err), KSP_OK);
	CHECK_EQ_INT(n, 1);
	if (n == 1)
		CHECK_EQ_STR(list[0].code, "7212");
	ksp_occupation_list_free(list);
}

/*
 * An akimat imports the official national classifier with its kk and ru
 * titles and says they are official, through the ordinary classifier
 * import; and it can replace ISCO-08's titles with official ones the same way.
 */
TEST(import_national_classifier_with_titles)
{
	static const char sources[] = "id,kind,title\n"
				      "nkz-test,user,A national classifier (test data)\n";
	static const char classifications[] = "id,domain,title,source\n"
					      "NKZ-TEST,occupation,Test national classifier,nkz-test\n";
	static const char occupations[] =
		"classification,code,level,parent_code,title_en,title_ru,title_kk,"
		"title_en_source,title_ru_source,title_kk_source,source\n"
		"NKZ-TEST,7,1,,Craft workers,Квалифицированные рабочие,Білікті жұмысшылар,"
		"translation,official,official,nkz-test\n"
		"NKZ-TEST,7212,2,7,Welders,Сварщики,Дәнекерлеушілер,,official,official,nkz-test\n"
		"NKZ-TEST,7212-1,3,7212,Gas welders,Газосварщики,,translation,official,,nkz-test\n";
	static const char isco_official[] =
		"classification,code,level,parent_code,title_en,title_ru,title_kk,"
		"title_en_source,title_ru_source,title_kk_source,source\n"
		"ISCO-08,7212,4,721,Welders and flamecutters,Сварщики и газорезчики (НКЗ),"
		"Дәнекерлеушілер және газбен кесушілер,official,official,official,isco-08\n";
	struct ksp_store *s = store;
	char msg[512], *before, *after;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ_INT(import(s, "sources", "s.csv", sources, NULL, 0), KSP_OK);
	CHECK_EQ_INT(import(s, "classifications", "c.csv", classifications, NULL, 0), KSP_OK);
	CHECK_EQ_INT(import(s, "occupations", "nkz.csv", occupations, msg, sizeof(msg)), KSP_OK);
	CHECK_EQ_STR(text(s, "SELECT title_kk || '|' || title_kk_source || '|' || title_ru_source"
			     " || '|' || title_en_source FROM occupation"
			     " WHERE classification = 'NKZ-TEST' AND code = '7212'"),
		     "Дәнекерлеушілер|official|official|");
	CHECK_EQ_INT(count(s, "SELECT count(*) FROM occupation WHERE classification = 'NKZ-TEST'"
			      " AND title_ru_source = 'official'"),
		     3);

	/* ISCO-08's own rows take official titles over the project's. */
	CHECK_EQ_INT(import(s, "occupations", "isco.csv", isco_official, msg, sizeof(msg)),
		     KSP_OK);
	CHECK_EQ_STR(text(s, "SELECT title_ru || '|' || title_kk_source FROM occupation"
			     " WHERE classification = 'ISCO-08' AND code = '7212'"),
		     "Сварщики и газорезчики (НКЗ)|official");

	/* Bad sources are refused with their position, and nothing is written. */
	before = export(s, "occupations");
	CHECK_EQ_INT(import(s, "occupations", "bad.csv",
			    "classification,code,level,title_en,title_ru,title_ru_source,source\n"
			    "NKZ-TEST,8,1,Operators,Операторы,machine,nkz-test\n",
			    msg, sizeof(msg)),
		     KSP_EINVAL);
	CHECK(strstr(msg, "bad.csv:2:6: title_ru_source:") != NULL);
	CHECK(strstr(msg, "expected one of official, repaired, translation") != NULL);
	CHECK_EQ_INT(import(s, "occupations", "empty.csv",
			    "classification,code,level,title_en,title_kk,title_kk_source,source\n"
			    "NKZ-TEST,8,1,Operators,,official,nkz-test\n",
			    msg, sizeof(msg)),
		     KSP_EINVAL);
	CHECK(strstr(msg, "empty.csv:2:6: title_kk_source: a title's source is given but the "
			  "title is empty") != NULL);
	CHECK_EQ_INT(import(s, "industries", "ind.csv",
			    "code,level,parent_code,title_en,title_ru_source,source\n"
			    "X,1,TOTAL,Test,official,oked\n",
			    msg, sizeof(msg)),
		     KSP_EINVAL);
	CHECK(strstr(msg, "ind.csv:2:5: title_ru_source: a title's source") != NULL);
	after = export(s, "occupations");
	CHECK(before && after && !strcmp(before, after));
	free(before);
	free(after);
}

/* The titles and their sources survive export -> import -> export byte for byte. */
TEST(export_import_export_is_identical)
{
	static const char *const tables[] = { "occupations", "industries" };
	struct ksp_store *s = store;

	CHECK(s != NULL);
	if (!s)
		return;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char *first = export(s, tables[i]), *second, msg[512];

		CHECK(first && strstr(first, "title_ru_source") != NULL);
		CHECK_EQ_INT(import(s, tables[i], "export.csv", first, msg, sizeof(msg)), KSP_OK);
		second = export(s, tables[i]);
		CHECK(first && second && !strcmp(first, second));
		free(first);
		free(second);
	}
}

int main(void)
{
	snprintf(dbpath, sizeof(dbpath), "/tmp/kasip-test-titles-%ld.db", (long)getpid());
	store = dataset_store();
	RUN(isco_titles_and_their_sources);
	RUN(oked_titles_and_their_sources);
	RUN(specialty_titles_and_their_sources);
	RUN(title_and_source_by_language);
	RUN(export_import_export_is_identical);
	RUN(import_national_classifier_with_titles); /* last: it changes the database */
	ksp_store_close(store);
	unlink(dbpath);
	return harness_done();
}

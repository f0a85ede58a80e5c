/*
 * fuzz_import.c - libFuzzer target for the table-driven importer.
 *
 * An in-memory database with two sources and three regions is set up once;
 * each input is imported as a CSV file into the population table (the first
 * byte picks another table, so that every column type and reference check
 * is reached).  Invariants: the import either succeeds or fails with a
 * status and a message; a failed import leaves the row count unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasip/kasip.h"
#include "store/store.h"

static struct ksp_store *store;

static const char sources_csv[] = "id,kind,title\nbns,official,Test\nest,estimate,Test\n";
static const char regions_csv[] =
	"kato,iso,type,name_en,name_ru,name_kk,source\n"
	"000000000,KZ,country,Kazakhstan,Казахстан,Қазақстан,bns\n"
	"590000000,KZ-59,oblast,North,Север,Солтүстік,bns\n"
	"610000000,KZ-61,oblast,Turkistan,Туркестан,Түркістан,bns\n";
static const char industries_csv[] =
	"code,level,parent_code,title_en,source\nTOTAL,0,,Total,bns\nA,1,TOTAL,Agriculture,bns\n";

static void setup(void)
{
	struct ksp_error err;

	if (ksp_store_open(&store, ":memory:", KSP_STORE_CREATE, &err) ||
	    ksp_store_migrate(store, &err) ||
	    ksp_import_csv_mem(store, "sources", "s.csv", sources_csv, strlen(sources_csv), NULL,
			       NULL, &err) ||
	    ksp_import_csv_mem(store, "regions", "r.csv", regions_csv, strlen(regions_csv), NULL,
			       NULL, &err) ||
	    ksp_import_csv_mem(store, "industries", "i.csv", industries_csv,
			       strlen(industries_csv), NULL, NULL, &err)) {
		fprintf(stderr, "fuzz_import: setup: %s\n", err.msg);
		abort();
	}
}

static long long rows(const char *table)
{
	char sql[128];
	long long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	ksp_store_query_int(store, sql, &n, NULL, (const char *)NULL);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const tables[][2] = {
		{ "population", "population" },   { "labour-force", "labour_force" },
		{ "employment", "employment" },   { "occupations", "occupation" },
		{ "region-distances", "region_distance" }, { "sources", "source" },
	};
	struct ksp_import_options opt = { 0 };
	struct ksp_error err;
	const char *table, *sql_table;
	long long before;
	size_t pick = 0;
	int rc;

	if (!store)
		setup();
	if (size && data[0] < 0x20) {
		pick = data[0] % (sizeof(tables) / sizeof(tables[0]));
		if (data[0] & 0x10)
			opt.encoding = "cp1251";
		data++;
		size--;
	}
	table = tables[pick][0];
	sql_table = tables[pick][1];
	before = rows(sql_table);
	ksp_error_clear(&err);
	rc = ksp_import_csv_mem(store, table, "fuzz.csv", (const char *)data, size, &opt, NULL, &err);
	if (rc != KSP_OK) {
		if (!err.msg[0] || rows(sql_table) != before)
			abort();
	}
	/* Keep the database small: drop what a successful import added. */
	if (rc == KSP_OK && pick != 5)
		ksp_store_exec(store, pick == 0   ? "DELETE FROM population"
				      : pick == 1 ? "DELETE FROM labour_force"
				      : pick == 2 ? "DELETE FROM employment"
				      : pick == 3 ? "DELETE FROM occupation"
						  : "DELETE FROM region_distance",
			       NULL);
	return 0;
}

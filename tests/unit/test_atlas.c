/*
 * test_atlas.c - the Atlas of Professions (lib/atlas/): every indicator on a
 * hand-made run whose numbers can be checked by hand, the class and outlook
 * rules at and around every threshold, training paths with and without
 * colleges, and the class probabilities of a run with draws (the Monte
 * Carlo's sink against a plain evaluation of every draw).
 */
#include <unistd.h>

#include "atlas/internal.h"
#include "forecast/model.h"
#include "harness.h"
#include "kasip/kasip.h"
#include "store/store.h"
#include "util/xmalloc.h"

static const char *data_dir(void)
{
	const char *d = getenv("KSP_DATA");

	return d && *d ? d : HARNESS_KSP_DATA;
}

static struct ksp_store *open_db(const char *name)
{
	struct ksp_store *db = NULL;
	struct ksp_error err;
	char path[256];
	int rc;

	snprintf(path, sizeof(path), "test_atlas_%s_%ld.db", name, (long)getpid());
	remove(path);
	rc = ksp_store_open(&db, path, KSP_STORE_CREATE, &err);
	if (!rc)
		rc = ksp_store_migrate(db, &err);
	if (!rc)
		rc = ksp_store_begin(db, &err);
	if (!rc)
		rc = ksp_dataset_load(db, data_dir(), &err);
	if (!rc)
		rc = ksp_store_commit(db, &err);
	if (rc) {
		printf("  setup: %s\n", err.msg);
		ksp_store_close(db);
		return NULL;
	}
	return db;
}

static int exec(struct ksp_store *db, const char *sql)
{
	struct ksp_stmt *st = NULL;
	struct ksp_error err;
	int rc = ksp_stmt_prepare(db, sql, &st, &err);

	if (!rc)
		rc = ksp_stmt_step(st, &err);
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		printf("  sql: %s: %s\n", sql, err.msg);
	return rc == KSP_DONE ? 0 : -1;
}

static int import_text(struct ksp_store *db, const char *table, const char *text)
{
	struct ksp_error err;
	int rc = ksp_import_csv_mem(db, table, table, text, strlen(text), NULL, NULL, &err);

	if (rc)
		printf("  import %s: %s\n", table, err.msg);
	return rc;
}

/*
 * A hand-made run (id 1): 2020-2022, ISCO-08 level 2, Almaty (750000000)
 * and the country with the same numbers, two groups:
 *   72: employment 100, 110, 120; each year expansion 10, exits 5,
 *       transfers 3 (openings 18); graduates 6 then 4, migrants 2,
 *       transfers in 3 (new supply 11, 9); balance -7, -9; other entrants 1
 *   21: employment 50, 48, 45; expansion -2, -3; exits 2; transfers 1
 *       (openings 1, 0); graduates 2, migrants 1 then 0, transfers in 1
 *       (new supply 4, 3); balance 3, 3
 * The totals are their sums.
 */
static const char *const hand_rows[] = {
	/* region, occupation, year, demand, expansion, exits, transfers, openings, graduates,
	   migrants, transfers_in, new_supply, balance, shortage_ratio, other_entrants */
	"'72', 2020, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0",
	"'72', 2021, 110, 10, 5, 3, 18, 6, 2, 3, 11, -7, 0, 1",
	"'72', 2022, 120, 10, 5, 3, 18, 4, 2, 3, 9, -9, 0, 1",
	"'21', 2020, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0",
	"'21', 2021, 48, -2, 2, 1, 1, 2, 1, 1, 4, 3, 0, 0",
	"'21', 2022, 45, -3, 2, 1, 0, 2, 0, 1, 3, 3, 0, 0",
};
static const char *const hand_totals[] = {
	/* year, population, births, deaths, mig int, mig ext, labour force, employed, demand,
	   openings, new supply, balance, shortfall, other entrants, shortfall_all */
	"2020, 1000, 0, 0, 0, 0, 500, 480, 150, 0, 0, 0, 0, 0, 0",
	"2021, 1010, 20, 10, 0, 0, 505, 485, 158, 19, 15, -4, 0.05, 1, 0.04",
	"2022, 1020, 20, 10, 0, 0, 510, 490, 165, 18, 12, -6, 0.1, 1, 0.09",
};

static int hand_run(struct ksp_store *db)
{
	char sql[1024];
	const char *regions[] = { "750000000", "000000000" };

	if (exec(db, "INSERT INTO forecast_run (id, scenario, created, base_year, target_year, "
		     "level, classification, draws) VALUES (1, 'baseline', '2026-01-01T00:00:00Z', "
		     "2020, 2022, 2, 'ISCO-08', 0)"))
		return -1;
	for (int r = 0; r < 2; r++) {
		for (size_t i = 0; i < sizeof(hand_rows) / sizeof(hand_rows[0]); i++) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO forecast_result (run_id, region, occupation, year, demand, "
				 "expansion, exits, transfers, openings, graduates, migrants, "
				 "transfers_in, new_supply, balance, shortage_ratio, other_entrants) "
				 "VALUES (1, '%s', %s)",
				 regions[r], hand_rows[i]);
			if (exec(db, sql))
				return -1;
		}
		for (size_t i = 0; i < sizeof(hand_totals) / sizeof(hand_totals[0]); i++) {
			snprintf(sql, sizeof(sql),
				 "INSERT INTO forecast_total (run_id, region, year, population, births, "
				 "deaths, net_migration_internal, net_migration_external, labour_force, "
				 "employed, demand, openings, new_supply, balance, shortfall, "
				 "other_entrants, shortfall_all) VALUES (1, '%s', %s)",
				 regions[r], hand_totals[i]);
			if (exec(db, sql))
				return -1;
		}
	}
	return 0;
}

/*
 * A tiny flexibility matrix in place of the built-in one, through the tables
 * the forecast reads: tvet-07 -> 72 (3), 21 (1); higher-02 -> 21.
 */
static int tiny_paths(struct ksp_store *db)
{
	if (exec(db, "DELETE FROM forecast_flexibility") || exec(db, "DELETE FROM forecast_specialty"))
		return -1;
	if (import_text(db, "forecast-specialties",
			"code,level,field,title_en,title_ru,share,kind,source\n"
			"tvet-07,tvet,07,Engineering,Инженерия,0.5,estimate,kasip-atlas-rules\n"
			"higher-02,higher,02,Arts,,0.5,estimate,kasip-atlas-rules\n"))
		return -1;
	return import_text(db, "forecast-flexibility",
			   "specialty,isco_submajor,weight,kind,source\n"
			   "tvet-07,72,3,estimate,kasip-atlas-rules\n"
			   "tvet-07,21,1,estimate,kasip-atlas-rules\n"
			   "higher-02,21,2,estimate,kasip-atlas-rules\n") ? -1 : 0;
}

TEST(indicators_by_hand)
{
	struct ksp_store *db = open_db("hand");
	struct ksp_atlas_options opt = { 0 };
	struct ksp_atlas *a = NULL;
	const struct ksp_atlas_occupation *o72, *o21;
	struct ksp_error err;

	CHECK(db);
	if (!db)
		return;
	CHECK_EQ_INT(hand_run(db), 0);
	/* a project in major group 7 (spread over 72, the only group under it), one outside */
	CHECK_EQ_INT(import_text(db, "forecast-projects",
				 "name,region,occupation,year,jobs,source\n"
				 "plant,KZ-75,7,2021,30,kasip-atlas-rules\n"
				 "later,KZ-75,21,2030,99,kasip-atlas-rules\n"),
		     KSP_OK);
	opt.region = "KZ-75";
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (!a) {
		printf("  %s\n", err.msg);
		ksp_store_close(db);
		return;
	}
	CHECK_EQ_STR(a->region, "750000000");
	CHECK_EQ_STR(a->iso, "KZ-75");
	CHECK_EQ_INT(a->level, 2);
	CHECK_EQ_INT(a->nocc, 2);
	CHECK_EQ_STR(a->occ[0].code, "21"); /* ordered by code */
	o72 = ksp_atlas_find(a, "72");
	o21 = ksp_atlas_find(a, "21");
	CHECK(o72 && o21);
	if (o72 && o21) {
		CHECK_NEAR(o72->emp_base, 100, 1e-9);
		CHECK_NEAR(o72->emp_target, 120, 1e-9);
		CHECK_NEAR(o72->growth, 20, 1e-9);
		CHECK_NEAR(o72->growth_pct, 0.2, 1e-12);
		CHECK_NEAR(o72->growth_rel, 0.2 - 0.1, 1e-12); /* region: 150 -> 165 */
		CHECK_NEAR(o72->base_share, 100.0 / 150, 1e-12);
		CHECK_NEAR(o72->openings, 36, 1e-9);
		CHECK_NEAR(o72->expansion, 20, 1e-9);
		CHECK_NEAR(o72->exits, 10, 1e-9);
		CHECK_NEAR(o72->transfers, 6, 1e-9);
		CHECK_NEAR(o72->new_supply, 20, 1e-9);
		CHECK_NEAR(o72->graduates, 10, 1e-9);
		CHECK_NEAR(o72->migrants, 4, 1e-9);
		CHECK_NEAR(o72->transfers_in, 6, 1e-9);
		CHECK_NEAR(o72->other_entrants, 2, 1e-9);
		CHECK_NEAR(o72->balance, -16, 1e-9);
		CHECK_NEAR(o72->shortage_ratio, 16.0 / 120, 1e-12);
		CHECK_NEAR(o72->project_jobs, 30, 1e-9);
		CHECK_EQ_INT(o72->has_ages, 0);
		CHECK(isnan(o72->share_55));
		CHECK_EQ_INT(o72->has_bands, 0);
		CHECK(isnan(o72->balance_p50));
		CHECK_EQ_INT(o72->has_prob, 0);
		/* region: shortage ratio 10/165; 72 is 0.133 - 0.061 = 7.3 points above it */
		CHECK_EQ_INT(o72->cls, KSP_ATLAS_IN_DEMAND);
		CHECK_EQ_INT(o72->outlook, 5);

		CHECK_NEAR(o21->growth_pct, -0.1, 1e-12);
		CHECK_NEAR(o21->openings, 1, 1e-9);
		CHECK_NEAR(o21->new_supply, 7, 1e-9);
		CHECK_NEAR(o21->balance, 6, 1e-9);
		CHECK_NEAR(o21->shortage_ratio, -6.0 / 45, 1e-12);
		CHECK_NEAR(o21->project_jobs, 0, 0);
		CHECK_EQ_INT(o21->cls, KSP_ATLAS_DECLINING);
		CHECK_EQ_INT(o21->outlook, 1);
	}
	/* key figures and years */
	CHECK_NEAR(a->key.population_base, 1000, 0);
	CHECK_NEAR(a->key.population_target, 1020, 0);
	CHECK_NEAR(a->key.emp_base, 150, 0);
	CHECK_NEAR(a->key.emp_target, 165, 0);
	CHECK_NEAR(a->key.growth_pct, 0.1, 1e-12);
	CHECK_NEAR(a->key.openings, 37, 1e-9);
	CHECK_NEAR(a->key.new_supply, 27, 1e-9);
	CHECK_NEAR(a->key.balance, -10, 1e-9);
	CHECK_NEAR(a->key.shortage_ratio, 10.0 / 165, 1e-12);
	CHECK_NEAR(a->key.shortfall, 0.1, 1e-12);
	CHECK_NEAR(a->key.project_jobs, 30, 1e-9);
	CHECK_EQ_INT(a->key.nclass[KSP_ATLAS_IN_DEMAND], 1);
	CHECK_EQ_INT(a->key.nclass[KSP_ATLAS_DECLINING], 1);
	CHECK_EQ_INT(a->nyears, 3);
	CHECK_EQ_INT(a->years[2].year, 2022);
	CHECK_NEAR(a->years[2].cum_balance, -10, 1e-9);
	CHECK(isnan(a->years[2].demand_p10));
	/* top shortages: only 72 is short */
	CHECK_EQ_INT(a->ntop, 1);
	CHECK_EQ_STR(a->occ[a->top[0]].code, "72");
	/* the map: Almaty and the country */
	CHECK_EQ_INT(a->nareas, 2);
	CHECK_EQ_STR(a->areas[0].iso, "KZ-75");
	CHECK_EQ_STR(a->areas[1].iso, "KZ");
	CHECK_NEAR(a->areas[0].shortage_ratio, 10.0 / 165, 1e-12);
	CHECK_NEAR(a->areas[0].shortfall, 0.1, 1e-12);
	/* the built-in flexibility matrix gives paths; no colleges */
	CHECK_EQ_INT(a->has_paths, 1);
	CHECK_EQ_INT(a->colleges_imported, 0);
	ksp_atlas_free(a);

	/* level 1: the groups summed by prefix */
	opt.level = 1;
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (a) {
		CHECK_EQ_INT(a->nocc, 2);
		CHECK_EQ_STR(a->occ[1].code, "7");
		CHECK_NEAR(a->occ[1].balance, -16, 1e-9);
		ksp_atlas_free(a);
	}
	/* errors: a finer level, an unknown region, an unknown occupation, no run */
	opt.level = 3;
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_EUSAGE);
	opt.level = 0;
	opt.region = "KZ-99";
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_ENOTFOUND);
	opt.region = "KZ-75";
	opt.occupation = "99";
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_ENOTFOUND);
	opt.occupation = NULL;
	opt.run_id = 7;
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_ENOTFOUND);
	CHECK(strstr(err.msg, "no forecast run 7") != NULL);
	ksp_store_close(db);
}

TEST(places_and_country)
{
	struct ksp_store *db = open_db("places");
	struct ksp_atlas_options opt = { 0 };
	struct ksp_atlas *a = NULL;
	struct ksp_error err;

	CHECK(db);
	if (!db)
		return;
	CHECK_EQ_INT(hand_run(db), 0);
	opt.occupation = "72";
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (a) {
		CHECK_EQ_INT(a->national, 1);
		CHECK_EQ_STR(a->iso, "KZ");
		CHECK_EQ_INT(a->nocc, 1);
		CHECK_EQ_INT(a->nplaces, 2);
		CHECK_EQ_STR(a->places[0].area.iso, "KZ-75");
		CHECK_EQ_STR(a->places[1].area.iso, "KZ"); /* the country last */
		CHECK_NEAR(a->places[0].occ.shortage_ratio, 16.0 / 120, 1e-12);
		ksp_atlas_free(a);
	}
	ksp_store_close(db);
}

TEST(training_paths_and_colleges)
{
	struct ksp_store *db = open_db("paths");
	struct ksp_atlas_options opt = { 0 };
	struct ksp_atlas *a = NULL;
	const struct ksp_atlas_occupation *o;
	struct ksp_error err;

	CHECK(db);
	if (!db)
		return;
	CHECK_EQ_INT(hand_run(db), 0);
	CHECK_EQ_INT(tiny_paths(db), 0);
	opt.region = "KZ-75";
	opt.lang = "ru";
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (a) {
		CHECK_EQ_INT(a->has_paths, 1);
		CHECK_EQ_INT(a->colleges_imported, 0);
		o = ksp_atlas_find(a, "72");
		CHECK(o && o->npaths == 1);
		if (o && o->npaths == 1) {
			CHECK_EQ_STR(a->paths[o->path_first].specialty, "tvet-07");
			CHECK_EQ_STR(a->paths[o->path_first].title, "Инженерия");
			CHECK_NEAR(a->paths[o->path_first].weight, 0.75, 1e-12);
			CHECK_EQ_INT(a->paths[o->path_first].ncolleges, 0);
		}
		o = ksp_atlas_find(a, "21");
		CHECK(o && o->npaths == 2);
		if (o && o->npaths == 2) { /* largest weight first; no Russian title: English */
			CHECK_EQ_STR(a->paths[o->path_first].specialty, "higher-02");
			CHECK_EQ_STR(a->paths[o->path_first].title, "Arts");
			CHECK_NEAR(a->paths[o->path_first].weight, 1.0, 1e-12);
			CHECK_NEAR(a->paths[o->path_first + 1].weight, 0.25, 1e-12);
		}
		ksp_atlas_free(a);
	}
	/* no specialty groups in the database: no paths */
	CHECK_EQ_INT(exec(db, "DELETE FROM forecast_flexibility"), 0);
	CHECK_EQ_INT(exec(db, "DELETE FROM forecast_specialty"), 0);
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (a) {
		CHECK_EQ_INT(a->has_paths, 0);
		CHECK_EQ_INT(a->npaths, 0);
		ksp_atlas_free(a);
	}
	CHECK_EQ_INT(tiny_paths(db), 0);
	/* colleges: one in Almaty teaching a welding specialty (two years), one elsewhere */
	CHECK_EQ_INT(import_text(db, "classifications",
				 "id,domain,title,source\nTEST-TVET,specialty,Test TVET classifier,"
				 "kasip-atlas-rules\n"),
		     KSP_OK);
	CHECK_EQ_INT(import_text(db, "specialties",
				 "classification,code,level,title_en,title_ru,title_kk,source\n"
				 "TEST-TVET,07150500,tvet,Welding,Сварочное дело,Дәнекерлеу ісі,"
				 "kasip-atlas-rules\n"),
		     KSP_OK);
	CHECK_EQ_INT(import_text(db, "specialty-crosswalk",
				 "classification,code,specialty_group,weight,source\n"
				 "TEST-TVET,07150500,tvet-07,1,kasip-atlas-rules\n"),
		     KSP_OK);
	CHECK(import_text(db, "specialty-crosswalk",
			  "classification,code,specialty_group,weight,source\n"
			  "TEST-TVET,07150500,tvet-11,1,kasip-atlas-rules\n") != KSP_OK);
	CHECK_EQ_INT(import_text(db, "colleges",
				 "id,name,region\nC1,Almaty welding college,KZ-75\n"
				 "C2,Shymkent college,KZ-79\n"),
		     KSP_OK);
	CHECK_EQ_INT(import_text(db, "college-specialties",
				 "college,classification,specialty,year,state_places,paid_places,"
				 "graduates,source\n"
				 "C1,TEST-TVET,07150500,2023,20,5,,kasip-atlas-rules\n"
				 "C1,TEST-TVET,07150500,2024,25,10,18,kasip-atlas-rules\n"
				 "C2,TEST-TVET,07150500,2024,40,0,30,kasip-atlas-rules\n"),
		     KSP_OK);
	opt.lang = "kk";
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (a) {
		CHECK_EQ_INT(a->colleges_imported, 1);
		o = ksp_atlas_find(a, "72");
		CHECK(o && o->npaths == 1);
		if (o && o->npaths == 1) {
			const struct ksp_atlas_path *p = &a->paths[o->path_first];

			CHECK_EQ_INT(p->ncolleges, 1); /* Almaty's only, the latest year */
			if (p->ncolleges == 1) {
				const struct ksp_atlas_college *c = &a->colleges[p->college_first];

				CHECK_EQ_STR(c->id, "C1");
				CHECK_EQ_STR(c->specialty_title, "Дәнекерлеу ісі");
				CHECK_EQ_INT(c->year, 2024);
				CHECK_NEAR(c->state_places, 25, 0);
				CHECK_NEAR(c->paid_places, 10, 0);
				CHECK_NEAR(c->graduates, 18, 0);
			}
		}
		ksp_atlas_free(a);
	}
	ksp_store_close(db);
}

/* ---- the rules ---------------------------------------------------------------------- */

/* Rules with dyadic thresholds, so that "at the threshold" is exact. */
static void dyadic(double v[KSP_AR_NRULE])
{
	v[KSP_AR_IN_DEMAND_MIN_SR] = 0.0625;
	v[KSP_AR_IN_DEMAND_MIN_OVER] = 0;
	v[KSP_AR_EMERGING_MIN_GROWTH] = 0.25;
	v[KSP_AR_EMERGING_MIN_REL] = 0.125;
	v[KSP_AR_EMERGING_MIN_PROJECT] = 0.125;
	v[KSP_AR_EMERGING_MAX_BASE] = 0.03125;
	v[KSP_AR_DECLINING_MAX_GROWTH] = -0.0625;
	v[KSP_AR_DECLINING_MAX_OVER] = 0;
	v[KSP_AR_OUTLOOK5_MIN_SR] = 0.0625;
	v[KSP_AR_OUTLOOK4_MIN_SR] = 0.03125;
	v[KSP_AR_OUTLOOK3_MIN_SR] = -0.03125;
	v[KSP_AR_OUTLOOK2_MIN_SR] = -0.0625;
	v[KSP_AR_OUTLOOK_UP_GROWTH] = 0.25;
	v[KSP_AR_OUTLOOK_DOWN_GROWTH] = -0.125;
}

/* Classify with region 10,000 -> 10,000 (no growth) and a region balance giving ratio rsr. */
static int cls_of(const double *v, double e0, double et, double bal, double proj, double rsr,
		  int *outlook)
{
	return ksp_atlas_classify_v(v, e0, et, bal, proj, 10000, 10000, -rsr * 10000, outlook);
}

TEST(in_demand_thresholds)
{
	double v[KSP_AR_NRULE];
	const double e = 1024; /* a base share of 0.1: never emerging */

	dyadic(v);
	/* min_shortage_ratio 0.0625: balance -64 of 1024 is exactly at it */
	CHECK_EQ_INT(cls_of(v, e, e, -64, 0, 0, NULL), KSP_ATLAS_IN_DEMAND);
	CHECK_EQ_INT(cls_of(v, e, e, -64.001, 0, 0, NULL), KSP_ATLAS_IN_DEMAND);
	CHECK_EQ_INT(cls_of(v, e, e, -63.999, 0, 0, NULL), KSP_ATLAS_STABLE);
	/* min_over_region 0: the region's ratio 0.125 -> a group must reach 0.125 */
	CHECK_EQ_INT(cls_of(v, e, e, -128, 0, 0.125, NULL), KSP_ATLAS_IN_DEMAND);
	CHECK_EQ_INT(cls_of(v, e, e, -128.001, 0, 0.125, NULL), KSP_ATLAS_IN_DEMAND);
	CHECK_EQ_INT(cls_of(v, e, e, -127.999, 0, 0.125, NULL), KSP_ATLAS_STABLE);
	/* no employment in the target year: never in demand */
	CHECK_EQ_INT(cls_of(v, e, 0, -100, 0, 0, NULL), KSP_ATLAS_DECLINING);
}

TEST(emerging_thresholds)
{
	double v[KSP_AR_NRULE];

	dyadic(v);
	/* base 256 of 10,000 (0.0256 <= 0.03125); growth 0.25 at the threshold */
	CHECK_EQ_INT(cls_of(v, 256, 320, 0, 0, 0, NULL), KSP_ATLAS_EMERGING);
	CHECK_EQ_INT(cls_of(v, 256, 320.01, 0, 0, 0, NULL), KSP_ATLAS_EMERGING);
	CHECK_EQ_INT(cls_of(v, 256, 319.99, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
	/* min_growth_over_region 0.125: the region grows 0.25, the group 0.375 */
	CHECK_EQ_INT(ksp_atlas_classify_v(v, 256, 352, 0, 0, 8192, 10240, 0, NULL),
		     KSP_ATLAS_EMERGING);
	CHECK_EQ_INT(ksp_atlas_classify_v(v, 256, 351.99, 0, 0, 8192, 10240, 0, NULL),
		     KSP_ATLAS_STABLE);
	/* max_base_share 0.03125: 312.5 of 10,000 is at it */
	CHECK_EQ_INT(cls_of(v, 312.5, 500, 0, 0, 0, NULL), KSP_ATLAS_EMERGING);
	CHECK_EQ_INT(cls_of(v, 312.6, 500, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
	/* min_project_share 0.125: 32 project jobs on a base of 256, no growth */
	CHECK_EQ_INT(cls_of(v, 256, 256, 0, 32, 0, NULL), KSP_ATLAS_EMERGING);
	CHECK_EQ_INT(cls_of(v, 256, 256, 0, 31.99, 0, NULL), KSP_ATLAS_STABLE);
	CHECK_EQ_INT(cls_of(v, 256, 256, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
	/* a new occupation (no base) with jobs in the target year */
	CHECK_EQ_INT(cls_of(v, 0, 10, 0, 0, 0, NULL), KSP_ATLAS_EMERGING);
	CHECK_EQ_INT(cls_of(v, 0, 0, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
	/* in demand wins over emerging */
	CHECK_EQ_INT(cls_of(v, 256, 320, -40, 0, 0, NULL), KSP_ATLAS_IN_DEMAND);
}

TEST(declining_thresholds)
{
	double v[KSP_AR_NRULE];
	const double e = 1024;

	dyadic(v);
	/* max_growth -0.0625: 1024 -> 960 is at it */
	CHECK_EQ_INT(cls_of(v, e, 960, 0, 0, 0, NULL), KSP_ATLAS_DECLINING);
	CHECK_EQ_INT(cls_of(v, e, 959.9, 0, 0, 0, NULL), KSP_ATLAS_DECLINING);
	CHECK_EQ_INT(cls_of(v, e, 960.1, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
	/* max_over_region 0: region ratio 0.03125; 30 of 960 is exactly 0.03125 */
	CHECK_EQ_INT(cls_of(v, e, 960, -30, 0, 0.03125, NULL), KSP_ATLAS_DECLINING);
	CHECK_EQ_INT(cls_of(v, e, 960, -29.9, 0, 0.03125, NULL), KSP_ATLAS_DECLINING);
	CHECK_EQ_INT(cls_of(v, e, 960, -30.1, 0, 0.03125, NULL), KSP_ATLAS_STABLE);
}

TEST(outlook_thresholds)
{
	double v[KSP_AR_NRULE];
	const double e = 1024;
	const struct {
		double bal;
		int want;
	} steps[] = {
		/* over the region (0): 0.0625 -> 5, 0.03125 -> 4, -0.03125 -> 3, -0.0625 -> 2 */
		{ -64, 5 },  { -63.9, 4 }, { -32, 4 }, { -31.9, 3 }, { 32, 3 },
		{ 32.1, 2 }, { 64, 2 },    { 64.1, 1 }, { 500, 1 },
	};
	int o;

	dyadic(v);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		cls_of(v, e, e, steps[i].bal, 0, 0, &o);
		if (o != steps[i].want)
			printf("  balance %g: outlook %d, expected %d\n", steps[i].bal, o,
			       steps[i].want);
		CHECK_EQ_INT(o, steps[i].want);
	}
	/* up.min_growth 0.25 (1024 -> 1280): one step up, never above 5 */
	cls_of(v, e, 1280, 0, 0, 0, &o);
	CHECK_EQ_INT(o, 4);
	cls_of(v, e, 1279.9, 0, 0, 0, &o);
	CHECK_EQ_INT(o, 3);
	cls_of(v, e, 1280, -100, 0, 0, &o);
	CHECK_EQ_INT(o, 5);
	/* down.max_growth -0.125 (1024 -> 896): one step down, never below 1 */
	cls_of(v, e, 896, 0, 0, 0, &o);
	CHECK_EQ_INT(o, 2);
	cls_of(v, e, 896.1, 0, 0, 0, &o);
	CHECK_EQ_INT(o, 3);
	cls_of(v, e, 896, 500, 0, 0, &o);
	CHECK_EQ_INT(o, 1);
}

TEST(rules_in_the_store)
{
	struct ksp_store *db = open_db("rules");
	struct ksp_atlas_rule *r = NULL;
	struct ksp_error err;
	char v1[17], v2[17];
	size_t n = 0;

	CHECK(db);
	if (!db)
		return;
	/* the shipped file holds the code's defaults */
	CHECK_EQ_INT(ksp_atlas_rules_list(db, &r, &n, v1, &err), KSP_OK);
	CHECK_EQ_INT(n, KSP_AR_NRULE);
	for (size_t i = 0; i < n && r; i++) {
		CHECK_EQ_STR(r[i].name, ksp_atlas_rule_defs[i].name);
		CHECK_NEAR(r[i].value, ksp_atlas_rule_defs[i].def, 0);
	}
	ksp_atlas_rules_free(r);
	/* the defaults classify at the shipped thresholds too (around them) */
	{
		double v[KSP_AR_NRULE];

		for (int k = 0; k < KSP_AR_NRULE; k++)
			v[k] = ksp_atlas_rule_defs[k].def;
		CHECK_EQ_INT(cls_of(v, 1000, 1000, -50.001, 0, 0, NULL), KSP_ATLAS_IN_DEMAND);
		CHECK_EQ_INT(cls_of(v, 1000, 1000, -49.999, 0, 0, NULL), KSP_ATLAS_STABLE);
		CHECK_EQ_INT(cls_of(v, 1000, 949.999, 0, 0, 0, NULL), KSP_ATLAS_DECLINING);
		CHECK_EQ_INT(cls_of(v, 1000, 950.001, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
		CHECK_EQ_INT(cls_of(v, 100, 125.001, 0, 0, 0, NULL), KSP_ATLAS_EMERGING);
		CHECK_EQ_INT(cls_of(v, 100, 124.999, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
		CHECK_EQ_INT(cls_of(v, 100, 100, 0, 10.001, 0, NULL), KSP_ATLAS_EMERGING);
		CHECK_EQ_INT(cls_of(v, 100, 100, 0, 9.999, 0, NULL), KSP_ATLAS_STABLE);
		CHECK_EQ_INT(cls_of(v, 200.001, 300, 0, 0, 0, NULL), KSP_ATLAS_STABLE);
		CHECK_EQ_INT(cls_of(v, 199.999, 300, 0, 0, 0, NULL), KSP_ATLAS_EMERGING);
	}
	/* a changed rule changes the version; a bad one is refused; a missing one is named */
	CHECK_EQ_INT(import_text(db, "atlas-rules",
				 "name,value,source\nin_demand.min_shortage_ratio,0.08,kasip-atlas-rules\n"),
		     KSP_OK);
	CHECK_EQ_INT(ksp_atlas_rules_list(db, &r, &n, v2, &err), KSP_OK);
	ksp_atlas_rules_free(r);
	CHECK(strcmp(v1, v2) != 0);
	CHECK_EQ_INT(import_text(db, "atlas-rules",
				 "name,value,source\nemerging.max_base_share,2,kasip-atlas-rules\n"),
		     KSP_OK);
	CHECK_EQ_INT(ksp_atlas_rules_list(db, &r, &n, v2, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "emerging.max_base_share") != NULL);
	CHECK(import_text(db, "atlas-rules", "name,value,source\nno.such,1,kasip-atlas-rules\n") !=
	      KSP_OK);
	CHECK_EQ_INT(exec(db, "DELETE FROM atlas_rule"), 0);
	CHECK_EQ_INT(ksp_atlas_rules_list(db, &r, &n, v2, &err), KSP_ENOTFOUND);
	CHECK(strstr(err.msg, "in_demand.min_shortage_ratio") != NULL);
	ksp_store_close(db);
}

/* ---- probabilities -------------------------------------------------------------------- */

struct capture {
	int R, nl, N;
	double *e, *cum; /* [N][R][nl] */
	int calls[32];   /* [N] draw() calls */
};

static void capture_draw(void *ctx, int d, const double *e_last, const double *cum)
{
	struct capture *c = ctx;
	size_t n = (size_t)c->R * c->nl;

	c->calls[d]++;
	memcpy(c->e + (size_t)d * n, e_last, n * sizeof(double));
	memcpy(c->cum + (size_t)d * n, cum, n * sizeof(double));
}

static const struct ksp_fc_uncertain uncertain[] = {
	{ KSP_FC_T_GROWTH, 0, KSP_FC_NORMAL, 0, 0.02 },
	{ KSP_FC_T_GROWTH, 2, KSP_FC_NORMAL, 0, 0.03 },
	{ KSP_FC_T_EXIT, 0, KSP_FC_LOGNORMAL, 0, 0.1 },
	{ KSP_FC_T_ENTRY, KSP_FC_TVET, KSP_FC_NORMAL, 1, 0.2 },
	{ KSP_FC_T_MIG_EXT, 0, KSP_FC_NORMAL, 1, 0.5 },
};

/* The sink sees each draw's target-year demand and cumulative gaps, as a plain evaluation gives them. */
TEST(montecarlo_sink_matches_the_plain_evaluation)
{
	struct ksp_fc_dims d = { .nreg = 3, .nage = 101, .nyear = 6, .base_year = 2025, .nind = 5,
				 .nocc = 12, .nmajor = 3, .ngroup = 6, .nspec = 4 };
	const int N = 17, NU = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_bands bd;
	struct ksp_fc_result res;
	struct ksp_fc_sink sink = { 0 };
	struct capture c;
	int map[12], worst = 0;

	ksp_fc_input_init(&in, &d);
	ksp_fc_synth_world(&in, 5);
	ksp_fc_base_init(&b, &in);
	ksp_fc_prepare(&b);
	for (int o = 0; o < d.nocc; o++)
		map[o] = o;
	CHECK_EQ_INT(ksp_fc_level_init(&lv, &in, map, d.nocc, in.occ_major, NULL), KSP_OK);
	memset(&c, 0, sizeof(c));
	c.R = d.nreg;
	c.nl = d.nocc;
	c.N = N;
	c.e = ksp_xcalloc((size_t)N * d.nreg * d.nocc, sizeof(double));
	c.cum = ksp_xcalloc((size_t)N * d.nreg * d.nocc, sizeof(double));
	sink.draw = capture_draw;
	sink.ctx = &c;
	CHECK_EQ_INT(ksp_fc_montecarlo_sink(&b, &lv, NULL, uncertain, NU, N, 11, NULL,
					    (size_t)1 << 28, 3, &sink, &bd, NULL),
		     KSP_OK);
	/* on three threads: every draw once */
	CHECK_EQ_INT(bd.threads, 3);
	for (int k = 0; k < N; k++)
		CHECK_EQ_INT(c.calls[k], 1);
	ksp_fc_result_init(&res, d.nyear, d.nreg, d.nocc);
	for (int k = 0; k < N; k++) {
		struct ksp_fc_draw dr;

		ksp_fc_draw_sample(&dr, uncertain, NU, 11, k);
		ksp_fc_evaluate(&b, &lv, &dr, &res);
		for (int r = 0; r < d.nreg; r++)
			for (int l = 0; l < d.nocc; l++) {
				size_t i = ((size_t)k * d.nreg + r) * d.nocc + l;
				double gap = 0;

				for (int t = 1; t < d.nyear; t++)
					gap -= res.balance[((size_t)t * d.nreg + r) * d.nocc + l];
				if (c.e[i] != res.demand[((size_t)(d.nyear - 1) * d.nreg + r) * d.nocc + l] ||
				    c.cum[i] != gap)
					worst++;
			}
	}
	CHECK_EQ_INT(worst, 0);
	ksp_fc_result_release(&res);
	ksp_fc_bands_release(&bd);
	free(c.e);
	free(c.cum);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
	ksp_fc_input_release(&in);
}

/* The outlook counts classes over the draws, the country's cells being the regions' sums. */
TEST(outlook_counts_by_hand)
{
	struct ksp_store *db = open_db("outlook");
	struct ksp_atlas_outlook *o;
	struct ksp_error err;
	/* 2 regions x 2 groups; base 100 each (region 200, country 400) */
	const double e0[4] = { 100, 100, 100, 100 };
	const double e_a[4] = { 100, 100, 100, 100 }, cum_a[4] = { 20, 0, 20, 0 };
	const double e_b[4] = { 100, 100, 100, 100 }, cum_b[4] = { 0, 0, 0, 0 };
	const char *kato[2] = { "750000000", "790000000" }, *code[2] = { "72", "21" };
	struct ksp_stmt *st = NULL;
	int rows = 0;

	CHECK(db);
	if (!db)
		return;
	CHECK_EQ_INT(exec(db, "INSERT INTO forecast_run (id, scenario, created, base_year, "
			      "target_year, level, classification, draws) VALUES (1, 'b', '', 2020, "
			      "2022, 2, 'ISCO-08', 4)"),
		     0);
	o = ksp_atlas_outlook_new(db, 2, 2, 2, 4, e0, NULL, NULL, (size_t)1 << 20);
	CHECK(o != NULL);
	if (!o) {
		ksp_store_close(db);
		return;
	}
	/* draws 0-2: group 72 short by 20 (ratio 0.2, region 0.1: in demand); draw 3: balanced */
	ksp_atlas_outlook_draw(o, 0, e_a, cum_a);
	ksp_atlas_outlook_draw(o, 1, e_a, cum_a);
	ksp_atlas_outlook_draw(o, 2, e_a, cum_a);
	ksp_atlas_outlook_draw(o, 3, e_b, cum_b);
	CHECK_EQ_INT(ksp_atlas_outlook_store(o, db, 1, kato, code, -1, &err), KSP_OK);
	CHECK_EQ_INT(ksp_stmt_prepare(db,
				      "SELECT region, occupation, p_in_demand, p_stable, balance_p10, "
				      "balance_p50, balance_p90 FROM forecast_outlook ORDER BY 1, 2",
				      &st, &err),
		     KSP_OK);
	while (st && ksp_stmt_step(st, &err) == KSP_ROW) {
		const char *reg = ksp_stmt_column_text(st, 0), *occ = ksp_stmt_column_text(st, 1);

		rows++;
		if (!strcmp(occ, "72")) {
			CHECK_NEAR(ksp_stmt_column_double(st, 2), 0.75, 1e-12);
			CHECK_NEAR(ksp_stmt_column_double(st, 3), 0.25, 1e-12);
			/* balances -20, -20, -20, 0 (the country: -40 x 3, 0); P90 of type 7:
			   x[2] + 0.7 (x[3] - x[2]) */
			CHECK_NEAR(ksp_stmt_column_double(st, 5), strcmp(reg, "000000000") ? -20 : -40,
				   1e-9);
			CHECK_NEAR(ksp_stmt_column_double(st, 6), strcmp(reg, "000000000") ? -6 : -12,
				   1e-9);
		} else if (!strcmp(occ, "21")) {
			CHECK_NEAR(ksp_stmt_column_double(st, 2), 0, 0);
		} else { /* the region's total */
			CHECK(ksp_stmt_column_is_null(st, 2));
		}
	}
	ksp_stmt_finalize(st);
	CHECK_EQ_INT(rows, 9); /* (2 regions + the country) x (2 groups + the total) */
	ksp_atlas_outlook_free(o);
	ksp_store_close(db);
}

/* A real run with draws: the atlas carries probabilities that add up, and says when rules changed. */
TEST(probabilities_of_a_run_with_draws)
{
	struct ksp_store *db = open_db("draws");
	struct ksp_forecast_options fo = { 0 };
	struct ksp_forecast_run run;
	struct ksp_atlas_options opt = { 0 };
	struct ksp_atlas *a = NULL;
	struct ksp_error err;

	CHECK(db);
	if (!db)
		return;
	CHECK_EQ_INT(ksp_dataset_derive(db, &err), KSP_OK);
	fo.level = 1;
	fo.draws = 40;
	fo.seed = 3;
	fo.target_year = 2030;
	CHECK_EQ_INT(ksp_forecast_run(db, &fo, &run, &err), KSP_OK);
	opt.region = "KZ-75";
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (a) {
		CHECK_EQ_INT(a->has_bands, 1);
		CHECK_EQ_INT(a->has_prob, 1);
		CHECK_EQ_INT(a->prob_stale, 0);
		CHECK(!isnan(a->key.balance_p50));
		CHECK(a->key.balance_p10 <= a->key.balance_p50 &&
		      a->key.balance_p50 <= a->key.balance_p90);
		for (size_t i = 0; i < a->nocc; i++) {
			const struct ksp_atlas_occupation *o = &a->occ[i];
			double sum = 0;

			CHECK(o->has_prob);
			for (int k = 0; k < KSP_ATLAS_NCLASS; k++) {
				double n = o->class_prob[k] * 40;

				sum += o->class_prob[k];
				CHECK_NEAR(n, round(n), 1e-9);
			}
			CHECK_NEAR(sum, 1, 1e-9);
			CHECK(o->balance_p10 <= o->balance_p50 && o->balance_p50 <= o->balance_p90);
		}
		ksp_atlas_free(a);
	}
	/* a coarser atlas than the run has no probabilities; there is none here (level 1) */
	/* the rules change: the probabilities are marked as computed under the older rules */
	CHECK_EQ_INT(import_text(db, "atlas-rules",
				 "name,value,source\nin_demand.min_shortage_ratio,0.2,kasip-atlas-rules\n"),
		     KSP_OK);
	CHECK_EQ_INT(ksp_atlas_build(db, &opt, &a, &err), KSP_OK);
	if (a) {
		CHECK_EQ_INT(a->prob_stale, 1);
		ksp_atlas_free(a);
	}
	ksp_store_close(db);
}

int main(void)
{
	RUN(indicators_by_hand);
	RUN(places_and_country);
	RUN(training_paths_and_colleges);
	RUN(in_demand_thresholds);
	RUN(emerging_thresholds);
	RUN(declining_thresholds);
	RUN(outlook_thresholds);
	RUN(rules_in_the_store);
	RUN(montecarlo_sink_matches_the_plain_evaluation);
	RUN(outlook_counts_by_hand);
	RUN(probabilities_of_a_run_with_draws);
	return harness_done();
}

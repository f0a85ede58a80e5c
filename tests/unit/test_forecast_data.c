/*
 * test_forecast_data.c - the forecast on the full built-in data set: the
 * calibrations hit their published figures, the accounting identities
 * hold every year, results add up across ISCO-08 levels and regions, the
 * Monte Carlo is deterministic for a seed, and a stored run reads back.
 */
#include "harness.h"

#include <string.h>
#include <unistd.h>

#include "forecast/load.h"
#include "kasip/dataset.h"
#include "kasip/forecast.h"
#include "store/store.h"

static struct ksp_store *db;
static char dbpath[256];
static struct ksp_fc_model model;
static int model_ok;

static const char *data_dir(void)
{
	const char *d = getenv("KSP_DATA");

	return d && *d ? d : "data/kz";
}

static int open_db(void)
{
	struct ksp_error err;
	int rc;

	snprintf(dbpath, sizeof(dbpath), "test_forecast_data_%ld.db", (long)getpid());
	remove(dbpath);
	rc = ksp_store_open(&db, dbpath, KSP_STORE_CREATE, &err);
	if (!rc)
		rc = ksp_store_migrate(db, &err);
	if (!rc)
		rc = ksp_store_begin(db, &err);
	if (!rc)
		rc = ksp_dataset_load(db, data_dir(), &err);
	if (!rc)
		rc = ksp_dataset_derive(db, &err);
	if (!rc)
		rc = ksp_store_commit(db, &err);
	if (!rc)
		rc = ksp_scenario_seed(db, data_dir(), &err);
	if (!rc)
		rc = ksp_fc_model_load(&model, db, data_dir(), "baseline", 0, &err);
	if (rc)
		printf("  setup: %s\n", err.msg);
	model_ok = rc == KSP_OK;
	return rc;
}

/* The level-L map of the unit groups (code prefixes), as forecast/run.c builds it. */
static int level_of(const struct ksp_fc_labels *lb, int level, int *map, int *major)
{
	int nl = 0;

	for (int o = 0; o < lb->nocc; o++) {
		if (o == 0 || strncmp(lb->occ[o - 1], lb->occ[o], (size_t)level)) {
			major[nl] = lb->occ[o][0] - '0';
			nl++;
		}
		map[o] = nl - 1;
	}
	return nl;
}

TEST(model_dimensions)
{
	CHECK(model_ok);
	if (!model_ok)
		return;
	CHECK_EQ_INT(model.in.d.nreg, 20);
	CHECK_EQ_INT(model.in.d.nocc, 436);
	CHECK_EQ_INT(model.in.d.nind, 19);
	CHECK_EQ_INT(model.in.d.nage, 101);
	CHECK_EQ_INT(model.in.d.base_year, 2025);
	CHECK_EQ_INT(model.in.d.nyear, 11);
	CHECK_EQ_INT(model.in.d.nspec, 20);
	/* the uncertain parameters: 19 growth rates, 2 migrations, exits, transfers, 2 entry rates, graduates */
	CHECK_EQ_INT(model.nunc, 19 + 7);
}

TEST(calibrations_hit_the_published_figures)
{
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	int map[436], major[436], nl;
	double emp = 0, dem = 0, lf = 0;

	if (!model_ok)
		return;
	ksp_fc_base_init(&b, &model.in);
	ksp_fc_prepare(&b);
	/* base-year labour force: the published 9,769.5 thousand (bns-102800, 2025) */
	for (int r = 0; r < 20; r++)
		lf += b.lf_tot[r];
	CHECK_NEAR(lf, 9769536.0, 5.0);
	/* base-year demand = base-year employment by section */
	for (int i = 0; i < 20 * 19; i++)
		emp += model.in.emp_ind0[i];
	nl = level_of(&model.lb, 1, map, major);
	CHECK_EQ_INT(nl, 10);
	CHECK_EQ_INT(ksp_fc_level_init(&lv, &model.in, map, nl, major, NULL), KSP_OK);
	ksp_fc_result_init(&res, 11, 20, nl);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	for (int r = 0; r < 20; r++)
		dem += res.demand_tot[r];
	CHECK_NEAR(dem, emp, 1e-3);
	CHECK_NEAR(dem, 9320600.0, 1000.0);
	/* the first year's births are near the 2025 births the level was fitted to */
	{
		double births = 0, deaths = 0;

		for (int r = 0; r < 20; r++) {
			births += b.births[20 + r];
			deaths += b.deaths[20 + r];
		}
		CHECK(fabs(births - 335005) / 335005 < 0.03);
		CHECK(fabs(deaths - 134735) / 134735 < 0.03);
	}
	ksp_fc_result_release(&res);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
}

TEST(identities_every_year)
{
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	struct ksp_fc_identity id;
	int map[436], major[436], nl;
	double clamped = 0;

	if (!model_ok)
		return;
	ksp_fc_base_init(&b, &model.in);
	ksp_fc_prepare(&b);
	nl = level_of(&model.lb, 4, map, major);
	CHECK_EQ_INT(nl, 436);
	ksp_fc_level_init(&lv, &model.in, map, nl, major, NULL);
	ksp_fc_result_init(&res, 11, 20, nl);
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	ksp_fc_check_identities(&b, &res, &id);
	/* last year's population + births - deaths + net migration = this year's,
	   every region and year, to rounding on populations of millions */
	CHECK(id.population < 1e-6);
	CHECK(id.internal_migration < 1e-6);
	CHECK(id.openings < 1e-6);
	CHECK(id.balance < 1e-6);
	for (int i = 0; i < 11 * 20; i++)
		clamped += b.clamped[i];
	CHECK(clamped == 0);
	/* external migration: the scenario's 16,153 a year */
	{
		double ext = 0;

		for (int r = 0; r < 20; r++)
			ext += b.netmig_ext[20 * 5 + r];
		CHECK_NEAR(ext, 16153, 1e-6);
	}
	ksp_fc_result_release(&res);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
}

TEST(additive_across_isco_levels)
{
	struct ksp_fc_base b;
	struct ksp_fc_level lv[4];
	struct ksp_fc_result res[4];
	struct ksp_fc_draw dr;
	int map[4][436], major[4][436], nl[4];
	double worst = 0;

	if (!model_ok)
		return;
	ksp_fc_base_init(&b, &model.in);
	ksp_fc_prepare(&b);
	ksp_fc_draw_central(&dr);
	for (int k = 0; k < 4; k++) {
		nl[k] = level_of(&model.lb, k + 1, map[k], major[k]);
		ksp_fc_level_init(&lv[k], &model.in, map[k], nl[k], major[k], NULL);
		ksp_fc_result_init(&res[k], 11, 20, nl[k]);
		ksp_fc_evaluate(&b, &lv[k], &dr, &res[k]);
	}
	CHECK_EQ_INT(nl[0], 10);
	CHECK_EQ_INT(nl[1], 43);
	CHECK_EQ_INT(nl[2], 130);
	CHECK_EQ_INT(nl[3], 436);
	/* each coarser level equals the unit groups summed into it */
	for (int k = 0; k < 3; k++)
		for (int t = 0; t < 11; t++)
			for (int r = 0; r < 20; r++) {
				double sum[2][436] = { { 0 } };

				for (int o = 0; o < 436; o++) {
					size_t c = ((size_t)t * 20 + r) * 436 + o;

					sum[0][map[k][o]] += res[3].demand[c];
					sum[1][map[k][o]] += res[3].balance[c];
				}
				for (int l = 0; l < nl[k]; l++) {
					size_t c = ((size_t)t * 20 + r) * nl[k] + l;
					double e1 = fabs(sum[0][l] - res[k].demand[c]);
					double e2 = fabs(sum[1][l] - res[k].balance[c]);

					if (e1 > worst)
						worst = e1;
					if (e2 > worst)
						worst = e2;
				}
			}
	CHECK(worst < 1e-6);
	/* and regions add up to the country at every level */
	for (int k = 0; k < 4; k++) {
		double net, sum = 0, dem = 0;

		ksp_fc_shortfall(&res[k], 5, -1, &net);
		for (int r = 0; r < 20; r++) {
			double nr, d = res[k].demand_tot[5 * 20 + r];

			ksp_fc_shortfall(&res[k], 5, r, &nr);
			sum += nr * d;
			dem += d;
		}
		CHECK_NEAR(net, sum / dem, 1e-12);
	}
	for (int k = 0; k < 4; k++) {
		ksp_fc_result_release(&res[k]);
		ksp_fc_level_release(&lv[k]);
	}
	ksp_fc_base_release(&b);
}

TEST(montecarlo_determinism_on_the_data)
{
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_bands b1, b2;
	int map[436], major[436], nl;
	size_t nc;

	if (!model_ok)
		return;
	ksp_fc_base_init(&b, &model.in);
	ksp_fc_prepare(&b);
	nl = level_of(&model.lb, 2, map, major);
	ksp_fc_level_init(&lv, &model.in, map, nl, major, NULL);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, model.unc, model.nunc, 30, 2025, NULL,
				       (size_t)1 << 28, &b1, NULL),
		     KSP_OK);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, model.unc, model.nunc, 30, 2025, NULL,
				       (size_t)1 << 28, &b2, NULL),
		     KSP_OK);
	nc = (size_t)3 * KSP_FC_NBAND * 11 * 20 * nl;
	CHECK(memcmp(b1.cell, b2.cell, nc * sizeof(float)) == 0);
	CHECK(memcmp(b1.shortfall, b2.shortfall, 3 * 11 * sizeof(double)) == 0);
	/* the bands contain the central shortfall of 2030 and are not degenerate */
	CHECK(b1.shortfall[0 * 11 + 5] < b1.shortfall[2 * 11 + 5]);
	ksp_fc_bands_release(&b1);
	ksp_fc_bands_release(&b2);
	ksp_fc_level_release(&lv);
	ksp_fc_base_release(&b);
}

TEST(stored_run_reads_back)
{
	struct ksp_forecast_options opt;
	struct ksp_forecast_run run, back;
	struct ksp_forecast_total *tot = NULL;
	struct ksp_forecast_cell *cells = NULL;
	struct ksp_forecast_cell_query q;
	struct ksp_error err;
	size_t nt = 0, nc = 0;

	if (!model_ok)
		return;
	memset(&opt, 0, sizeof(opt));
	opt.data_dir = data_dir();
	opt.level = 2;
	opt.target_year = 2030;
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &run, &err), KSP_OK);
	CHECK_EQ_INT(ksp_forecast_run_get(db, 0, "baseline", &back, &err), KSP_OK);
	CHECK_EQ_INT(back.id, run.id);
	CHECK_EQ_INT(back.level, 2);
	CHECK_EQ_INT(back.shortfall_year, 2030);
	CHECK_NEAR(back.shortfall, run.shortfall, 1e-12);
	CHECK(isnan(back.shortfall_p10));
	CHECK_EQ_INT(ksp_forecast_totals(db, run.id, KSP_FORECAST_NATIONAL, &tot, &nt, &err), KSP_OK);
	CHECK_EQ_INT(nt, 6);
	if (nt == 6) {
		CHECK_NEAR(tot[0].population, 20391610.5, 1.0);
		CHECK_NEAR(tot[5].shortfall, run.shortfall, 1e-12);
	}
	memset(&q, 0, sizeof(q));
	q.run_id = run.id;
	q.region = "KZ-59";
	q.year = 2030;
	CHECK_EQ_INT(ksp_forecast_cells(db, &q, &cells, &nc, &err), KSP_OK);
	CHECK_EQ_INT(nc, 43);
	/* a failed run stores nothing: an unknown scenario */
	opt.scenario = "nosuch";
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &run, &err), KSP_ENOTFOUND);
	CHECK_EQ_INT(ksp_forecast_run_get(db, 0, NULL, &back, &err), KSP_OK);
	CHECK_EQ_INT(back.id, 1);
	ksp_forecast_free(tot);
	ksp_forecast_free(cells);
}

int main(void)
{
	open_db();
	RUN(model_dimensions);
	RUN(calibrations_hit_the_published_figures);
	RUN(identities_every_year);
	RUN(additive_across_isco_levels);
	RUN(montecarlo_determinism_on_the_data);
	RUN(stored_run_reads_back);
	if (model_ok)
		ksp_fc_model_release(&model);
	if (db)
		ksp_store_close(db);
	remove(dbpath);
	{
		char wal[300];

		snprintf(wal, sizeof(wal), "%s-wal", dbpath);
		remove(wal);
		snprintf(wal, sizeof(wal), "%s-shm", dbpath);
		remove(wal);
	}
	return harness_done();
}

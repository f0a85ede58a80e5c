/*
 * test_forecast_data.c - the forecast on the full built-in data set: the
 * calibrations hit their published figures, the accounting identities
 * hold every year, results add up across ISCO-08 levels and regions, the
 * Monte Carlo is deterministic for a seed, a stored run reads back, and
 * the input tables read back for other modules.
 */
#include "harness.h"

#include <string.h>
#include <unistd.h>

#include "forecast/load.h"
#include "kasip/dataset.h"
#include "kasip/forecast.h"
#include "kasip/table.h"
#include "store/store.h"
#include "util/sha256.h"

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
		rc = ksp_fc_model_load(&model, db, "baseline", 0, &err);
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

/*
 * Women's pension age rises from 61 (2028) by half a year a year to 63 (2032):
 * in a year of a rise only 1 / 1.5 of a birth cohort reaches it, so the hazard
 * at the pension age is h / 1.5 (docs/methodology.md, section 4).  By hand,
 * from the exit probabilities x = 1 - (1 - q)(1 - e): at 63 in 2028 e is the
 * rate after the pension age (exit.after female, 0.22, in the shipped
 * assumptions), which gives 1 - q; in 2033 (63 since 2032, no rise) e = h; in
 * 2032 (62.5 -> 63) e = h / 1.5.
 */
TEST(pension_age_rise_thins_the_cohort)
{
	const int A = model.in.d.nage, s = KSP_FC_FEMALE, base = model.in.d.base_year;
	const double *x = model.in.exit_prob;
	double p, h, x28, x32, x33;

	CHECK(model_ok);
	if (!model_ok)
		return;
	x28 = x[((size_t)(2028 - base) * 2 + s) * A + 63];
	x32 = x[((size_t)(2032 - base) * 2 + s) * A + 63];
	x33 = x[((size_t)(2033 - base) * 2 + s) * A + 63];
	p = (1 - x28) / (1 - 0.22); /* survival 1 - q at 63 */
	h = 1 - (1 - x33) / p;
	CHECK(h > 0 && h < 1);
	CHECK(fabs(x32 - (1 - p * (1 - h / 1.5))) < 1e-12);
	/* the thinned hazard gives fewer exits at the pension age */
	CHECK(x32 < x33);
}

/*
 * The exits by cause of the loader (docs/methodology.md, "The ministry's
 * need"): below the pension age nothing is retirement; past it (men 65,
 * women 66 in 2035) every exit but death is, so retirement = x - q; death
 * is q at every age, and no part exceeds the whole.
 */
TEST(exits_by_cause_from_the_assumptions)
{
	const int A = model.in.d.nage, T = model.in.d.nyear;
	const double *x = model.in.exit_prob, *xr = model.in.exit_retire, *xd = model.in.exit_death;
	const size_t m40 = ((size_t)(T - 1) * 2 + KSP_FC_MALE) * A + 40;
	const size_t m65 = ((size_t)(T - 1) * 2 + KSP_FC_MALE) * A + 65;
	const size_t f66 = ((size_t)(T - 1) * 2 + KSP_FC_FEMALE) * A + 66;
	int bad = 0;

	CHECK(model_ok);
	if (!model_ok)
		return;
	CHECK(xr[m40] == 0);
	CHECK(xd[m40] > 0 && xd[m40] < x[m40]);
	CHECK(xr[m65] > 0.1);
	CHECK_NEAR(xr[m65], x[m65] - xd[m65], 1e-12);
	CHECK_NEAR(xr[f66], x[f66] - xd[f66], 1e-12);
	for (size_t i = 0; i < (size_t)T * 2 * A; i++)
		if (xr[i] < 0 || xd[i] < 0 || xr[i] + xd[i] > x[i] + 1e-12)
			bad++;
	CHECK_EQ_INT(bad, 0);
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
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, model.unc, model.nunc, 30, 2025, NULL,
				       (size_t)1 << 28, &b1, NULL),
		     KSP_OK);
	CHECK_EQ_INT(ksp_fc_montecarlo(&b, &lv, NULL, model.unc, model.nunc, 30, 2025, NULL,
				       (size_t)1 << 28, &b2, NULL),
		     KSP_OK);
	nc = (size_t)3 * KSP_FC_NBAND * 11 * (20 + 1) * nl; /* the regions and the country */
	CHECK(memcmp(b1.cell, b2.cell, nc * sizeof(float)) == 0);
	/* the country's bands: ordered, the P50 within the regions' summed P10..P90 */
	{
		int bad = 0, n = 0;

		for (int k = 0; k < KSP_FC_NBAND; k++)
			for (int t = 1; t < 11; t++)
				for (int l = 0; l < nl; l++) {
					float lo = 0, hi = 0, p10 = ksp_fc_band_cell(&b1, 0, k, t, 20, l);
					float p50 = ksp_fc_band_cell(&b1, 1, k, t, 20, l);
					float p90 = ksp_fc_band_cell(&b1, 2, k, t, 20, l);

					for (int r = 0; r < 20; r++) {
						lo += ksp_fc_band_cell(&b1, 0, k, t, r, l);
						hi += ksp_fc_band_cell(&b1, 2, k, t, r, l);
					}
					n++;
					bad += !(p10 <= p50 && p50 <= p90);
					bad += !(p50 >= lo - 1e-3f * fabsf(lo) && p50 <= hi + 1e-3f * fabsf(hi));
				}
		CHECK_EQ_INT(n, 4 * 10 * 43);
		CHECK_EQ_INT(bad, 0);
	}
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
	/* the gaps carry the other entrants of the same years: the regions' and the
	   groups' add up to the country's totals of 2026..2030 */
	{
		struct ksp_forecast_gap *gr = NULL, *go = NULL;
		size_t ngr = 0, ngo = 0;
		double oe = 0, sr = 0, so = 0, gap_r = 0;

		for (size_t i = 1; i < nt; i++)
			oe += tot[i].other_entrants;
		CHECK_EQ_INT(ksp_forecast_gaps(db, run.id, 0, 0, 2030, 0, &gr, &ngr, &err), KSP_OK);
		CHECK_EQ_INT(ksp_forecast_gaps(db, run.id, 1, 1, 2030, 0, &go, &ngo, &err), KSP_OK);
		CHECK_EQ_INT(ngr, 20);
		CHECK_EQ_INT(ngo, 10);
		for (size_t i = 0; i < ngr; i++) {
			sr += gr[i].other_entrants;
			gap_r += gr[i].gap;
		}
		for (size_t i = 0; i < ngo; i++)
			so += go[i].other_entrants;
		CHECK(oe > 100000);
		CHECK_NEAR(sr, oe, 1e-9 * oe);
		CHECK_NEAR(so, oe, 1e-9 * oe);
		/* the gap itself does not include them */
		{
			double bal = 0;

			for (size_t i = 1; i < nt; i++)
				bal -= tot[i].balance;
			CHECK_NEAR(gap_r, bal, 1e-9 * fabs(bal));
		}
		ksp_forecast_free(gr);
		ksp_forecast_free(go);
	}
	/* a failed run stores nothing: an unknown scenario */
	opt.scenario = "nosuch";
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &run, &err), KSP_ENOTFOUND);
	CHECK_EQ_INT(ksp_forecast_run_get(db, 0, NULL, &back, &err), KSP_OK);
	CHECK_EQ_INT(back.id, 1);
	ksp_forecast_free(tot);
	ksp_forecast_free(cells);
}


/* ---- national classifiers -------------------------------------------------------- */

static int import_mem(const char *table, const char *csv)
{
	struct ksp_error err;
	int rc = ksp_import_csv_mem(db, table, table, csv, strlen(csv), NULL, NULL, &err);

	if (rc)
		printf("  import %s: %s\n", table, err.msg);
	return rc;
}

/* What a stored run says it read (forecast_run.assumptions). */
static const char *run_assumptions(long long run_id)
{
	static char buf[4096];
	struct ksp_stmt *st = NULL;
	struct ksp_error err;

	buf[0] = 0;
	if (ksp_stmt_prepare(db, "SELECT assumptions FROM forecast_run WHERE id = ?", &st, &err))
		return buf;
	ksp_stmt_bind_int64(st, 1, run_id);
	if (ksp_stmt_step(st, &err) == KSP_ROW)
		snprintf(buf, sizeof(buf), "%s", ksp_stmt_column_text(st, 0));
	ksp_stmt_finalize(st);
	return buf;
}

/* Region KZ-59's demand in a run, by ISCO major group (1..9, 0 for armed forces) and year. */
static void demand_by_major(long long run_id, double out[10][6])
{
	struct ksp_forecast_cell *cells = NULL;
	struct ksp_forecast_cell_query q;
	struct ksp_error err;
	size_t nc = 0;

	memset(out, 0, sizeof(double) * 10 * 6);
	memset(&q, 0, sizeof(q));
	q.run_id = run_id;
	q.region = "KZ-59";
	CHECK_EQ_INT(ksp_forecast_cells(db, &q, &cells, &nc, &err), KSP_OK);
	for (size_t i = 0; i < nc; i++) {
		int m = cells[i].occupation[0] - '0', t = cells[i].year - 2025;

		if (m >= 0 && m <= 9 && t >= 0 && t < 6)
			out[m][t] += cells[i].demand;
	}
	ksp_forecast_free(cells);
}

/*
 * Imported investment projects (kasip import forecast-projects) add their
 * jobs to demand in their region from their year on, spread over the unit
 * groups of their ISCO code, in every scenario; a project beyond the
 * horizon adds nothing.
 */
TEST(imported_projects_add_jobs)
{
	struct ksp_forecast_options opt;
	struct ksp_forecast_run before, after, low;
	struct ksp_forecast_total *t0 = NULL, *t1 = NULL;
	struct ksp_error err;
	double d0[10][6], d1[10][6];
	size_t n0 = 0, n1 = 0;

	if (!model_ok)
		return;
	memset(&opt, 0, sizeof(opt));
	opt.level = 1;
	opt.target_year = 2030;
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &before, &err), KSP_OK);
	CHECK_EQ_INT(import_mem("sources", "id,kind,title\n"
					   "test-akimat,user,test projects of an akimat\n"),
		     0);
	CHECK_EQ_INT(import_mem("forecast-projects",
				"name;region;occupation;year;jobs;source\n"
				"Plant;KZ-59;72;2028;\"1 200\";test-akimat\n"
				"Plant;590000000;3115;2028;150;test-akimat\n"
				"Terminal;KZ-59;8;2030;300,5;test-akimat\n"
				"Later;KZ-59;8;2040;1000000;test-akimat\n"),
		     0);
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &after, &err), KSP_OK);
	CHECK(strstr(run_assumptions(after.id), "forecast-projects: 4 rows, sha256 ") != NULL);
	demand_by_major(before.id, d0);
	demand_by_major(after.id, d1);
	for (int m = 0; m < 10; m++)
		for (int t = 1; t < 6; t++) {
			double want = 0;

			if (m == 7 && t >= 3)
				want = 1200;
			if (m == 3 && t >= 3)
				want = 150;
			if (m == 8 && t >= 5)
				want = 300.5;
			CHECK_NEAR(d1[m][t] - d0[m][t], want, 1e-6);
		}
	/* the country's demand moves by the same, the other regions not at all */
	CHECK_EQ_INT(ksp_forecast_totals(db, before.id, NULL, &t0, &n0, &err), KSP_OK);
	CHECK_EQ_INT(ksp_forecast_totals(db, after.id, NULL, &t1, &n1, &err), KSP_OK);
	CHECK_EQ_INT(n0, n1);
	for (size_t i = 0; i < n0 && i < n1; i++) {
		double diff = t1[i].demand - t0[i].demand, want = 0;

		if (!strcmp(t0[i].region, "590000000") || !strcmp(t0[i].region, KSP_FORECAST_NATIONAL))
			want = t0[i].year >= 2030 ? 1650.5 : t0[i].year >= 2028 ? 1350 : 0;
		CHECK_NEAR(diff, want, 1e-6 * t0[i].demand);
	}
	/* every scenario reads them */
	opt.scenario = "low";
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &low, &err), KSP_OK);
	CHECK(strstr(run_assumptions(low.id), "forecast-projects: 4 rows, sha256 ") != NULL);
	ksp_forecast_free(t0);
	ksp_forecast_free(t1);
	ksp_store_exec(db, "DELETE FROM forecast_project", NULL);
}

/*
 * A classifier small enough to check by hand, TEST-H:
 *   A ─ A1 ─ A1x, A1y        B ─ B1 (a leaf at level 2)
 *     └ A2 ─ A2x
 * and a crosswalk from three ISCO-08 unit groups: 1111 -> A1x .25, A2x .75;
 * 1112 -> A1y; 2111 -> A1x .5, B1 .5.  With unit results (100, 10, 1000):
 *   level 3: A1x 25 + 500 = 525, A1y 10, A2x 75, B1 500 (the leaf stands for itself)
 *   level 2: A1 535, A2 75, B1 500;  level 1: A 610, B 500; all sum to 1110.
 */
static const char hand_classifier[] =
	"id,domain,title,source\n"
	"TEST-H,occupation,hand classifier,isco-08\n"
	"TEST-R,occupation,reverse crosswalk only,isco-08\n";
static const char hand_codes[] =
	"classification,code,level,parent_code,title_en,source\n"
	"TEST-H,A,1,,a,isco-08\nTEST-H,B,1,,b,isco-08\n"
	"TEST-H,A1,2,A,a1,isco-08\nTEST-H,A2,2,A,a2,isco-08\nTEST-H,B1,2,B,b1,isco-08\n"
	"TEST-H,A1x,3,A1,a1x,isco-08\nTEST-H,A1y,3,A1,a1y,isco-08\nTEST-H,A2x,3,A2,a2x,isco-08\n"
	"TEST-R,R,1,,r,isco-08\n";
static const char hand_crosswalk[] =
	"from_classification,from_code,to_classification,to_code,weight,source\n"
	"ISCO-08,1111,TEST-H,A1x,0.25,isco-08\nISCO-08,1111,TEST-H,A2x,0.75,isco-08\n"
	"ISCO-08,1112,TEST-H,A1y,1,isco-08\n"
	"ISCO-08,2111,TEST-H,A1x,0.5,isco-08\nISCO-08,2111,TEST-H,B1,0.5,isco-08\n"
	"TEST-R,R,ISCO-08,1111,1,isco-08\n";

static void hand_labels(struct ksp_fc_labels *lb)
{
	static char occ[3][KSP_FC_CODE] = { "1111", "1112", "2111" };

	memset(lb, 0, sizeof(*lb));
	lb->nocc = 3;
	lb->occ = occ;
}

TEST(national_classifier_by_hand)
{
	struct ksp_fc_labels lb;
	struct ksp_fc_national nc;
	struct ksp_error err;
	const double unit[3] = { 100, 10, 1000 };
	double out[8];

	if (!model_ok)
		return;
	CHECK_EQ_INT(import_mem("classifications", hand_classifier), KSP_OK);
	CHECK_EQ_INT(import_mem("occupations", hand_codes), KSP_OK);
	CHECK_EQ_INT(import_mem("occupation-crosswalk", hand_crosswalk), KSP_OK);
	hand_labels(&lb);

	/* level 0: the deepest, 3 */
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 0, &lb, &err), KSP_OK);
	CHECK_EQ_INT(nc.level, 3);
	CHECK_EQ_INT(nc.ngroup, 4);
	if (nc.ngroup == 4) {
		CHECK(!strcmp(nc.code[0], "A1x") && !strcmp(nc.code[1], "A1y") &&
		      !strcmp(nc.code[2], "A2x") && !strcmp(nc.code[3], "B1"));
		ksp_fc_xmap_apply(&nc.map, unit, out);
		CHECK(out[0] == 525 && out[1] == 10 && out[2] == 75 && out[3] == 500);
	}
	ksp_fc_national_release(&nc);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 2, &lb, &err), KSP_OK);
	CHECK_EQ_INT(nc.ngroup, 3);
	if (nc.ngroup == 3) {
		ksp_fc_xmap_apply(&nc.map, unit, out);
		CHECK(!strcmp(nc.code[0], "A1") && !strcmp(nc.code[2], "B1"));
		CHECK(out[0] == 535 && out[1] == 75 && out[2] == 500);
	}
	ksp_fc_national_release(&nc);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 1, &lb, &err), KSP_OK);
	CHECK_EQ_INT(nc.ngroup, 2);
	if (nc.ngroup == 2) {
		ksp_fc_xmap_apply(&nc.map, unit, out);
		CHECK(out[0] == 610 && out[1] == 500);
	}
	ksp_fc_national_release(&nc);

	/* no level 4; no such classification; a crosswalk only the other way round */
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 4, &lb, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "no groups of level 4") != NULL);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "NOSUCH", 0, &lb, &err), KSP_ENOTFOUND);
	CHECK(strstr(err.msg, "\"NOSUCH\"") != NULL);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-R", 0, &lb, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "goes from \"TEST-R\" to ISCO-08") != NULL);
	CHECK(strstr(err.msg, "needs one from ISCO-08 to \"TEST-R\"") != NULL);

	/* weights that do not sum to 1, named by their ISCO code */
	ksp_store_exec(db, "UPDATE occupation_crosswalk SET weight = 0.7 WHERE to_code = 'A2x'", NULL);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 0, &lb, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "\"1111\" sum to 0.95, not 1") != NULL);
	/* within 1e-9 is accepted */
	ksp_store_exec(db, "UPDATE occupation_crosswalk SET weight = 0.7500000000005 WHERE to_code = 'A2x'",
		       NULL);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 0, &lb, &err), KSP_OK);
	ksp_fc_national_release(&nc);
	ksp_store_exec(db, "UPDATE occupation_crosswalk SET weight = 0.75 WHERE to_code = 'A2x'", NULL);
	/* a unit group without a row */
	ksp_store_exec(db, "DELETE FROM occupation_crosswalk WHERE from_code = '1112' AND "
			   "to_classification = 'TEST-H'",
		       NULL);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 0, &lb, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "unit group \"1112\" has no row") != NULL);
	/* a row to a code with sub-groups */
	ksp_store_exec(db, "INSERT INTO occupation_crosswalk VALUES ('ISCO-08', '1112', 'TEST-H', "
			   "'A1', 1, 'isco-08')",
		       NULL);
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 0, &lb, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "\"A1\" has sub-groups") != NULL);
	/* a row from a code the model does not have as a unit group */
	ksp_store_exec(db, "UPDATE occupation_crosswalk SET to_code = 'A1y' WHERE to_code = 'A1'", NULL);
	hand_labels(&lb);
	lb.nocc = 2;
	CHECK_EQ_INT(ksp_fc_national_load(&nc, db, "TEST-H", 0, &lb, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "\"2111\" is not an ISCO-08 unit group") != NULL);
}

/* Import the made-up classifier TEST-NKZ of tests/data/forecast. */
static int import_test_nkz(void)
{
	static const char *const files[][2] = {
		{ "sources", "test-nkz-sources.csv" },
		{ "classifications", "test-nkz-classifications.csv" },
		{ "occupations", "test-nkz-occupations.csv" },
		{ "occupation-crosswalk", "test-nkz-crosswalk.csv" },
	};
	const char *src = getenv("KSP_SRC");
	struct ksp_error err;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		int rc;

		snprintf(path, sizeof(path), "%s/tests/data/forecast/%s", src && *src ? src : ".",
			 files[i][1]);
		rc = ksp_import_csv(db, files[i][0], path, NULL, NULL, &err);
		if (rc) {
			printf("  import %s: %s\n", path, err.msg);
			return rc;
		}
	}
	return KSP_OK;
}

TEST(national_run_adds_up)
{
	struct ksp_forecast_options opt;
	struct ksp_forecast_run isco, nat[3];
	struct ksp_forecast_total *ti = NULL, *tn = NULL;
	struct ksp_forecast_cell *ci = NULL, *cn[3] = { NULL };
	struct ksp_forecast_cell_query q;
	struct ksp_error err;
	size_t nti = 0, ntn = 0, nci = 0, ncn[3] = { 0 };
	double worst = 0;

	if (!model_ok)
		return;
	CHECK_EQ_INT(import_test_nkz(), KSP_OK);
	memset(&opt, 0, sizeof(opt));
	opt.target_year = 2028;
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &isco, &err), KSP_OK);
	opt.classification = "TEST-NKZ";
	for (int k = 0; k < 3; k++) {
		opt.level = k == 0 ? 0 : k == 1 ? 2 : 1;
		CHECK_EQ_INT(ksp_forecast_run(db, &opt, &nat[k], &err), KSP_OK);
		CHECK(!strcmp(nat[k].classification, "TEST-NKZ"));
		memset(&q, 0, sizeof(q));
		q.run_id = nat[k].id;
		CHECK_EQ_INT(ksp_forecast_cells(db, &q, &cn[k], &ncn[k], &err), KSP_OK);
	}
	CHECK_EQ_INT(nat[0].level, 4);
	/* 438 unit codes and the level-3 leaf G999; 24 sub-majors; 10 majors; 21 regions, 4 years */
	CHECK_EQ_INT(ncn[0], 439 * 21 * 4);
	CHECK_EQ_INT(ncn[1], 24 * 21 * 4);
	CHECK_EQ_INT(ncn[2], 10 * 21 * 4);
	/* the totals are the ISCO run's, bit for bit (the shortfall depends on the groups) */
	CHECK_EQ_INT(ksp_forecast_totals(db, isco.id, NULL, &ti, &nti, &err), KSP_OK);
	CHECK_EQ_INT(ksp_forecast_totals(db, nat[0].id, NULL, &tn, &ntn, &err), KSP_OK);
	CHECK_EQ_INT(nti, ntn);
	for (size_t i = 0; i < nti && i < ntn; i++)
		CHECK(ti[i].demand == tn[i].demand && ti[i].openings == tn[i].openings &&
		      ti[i].new_supply == tn[i].new_supply && ti[i].balance == tn[i].balance &&
		      ti[i].other_entrants == tn[i].other_entrants);
	/* every level and the ISCO run give the same sums per region and year */
	memset(&q, 0, sizeof(q));
	q.run_id = isco.id;
	CHECK_EQ_INT(ksp_forecast_cells(db, &q, &ci, &nci, &err), KSP_OK);
	{
		/* sums[run][region][year][measure] */
		static double sums[4][21][4][3];
		const struct ksp_forecast_cell *lists[4] = { ci, cn[0], cn[1], cn[2] };
		const size_t counts[4] = { nci, ncn[0], ncn[1], ncn[2] };
		char regs[21][16];
		int nreg = 0;

		memset(sums, 0, sizeof(sums));
		for (int k = 0; k < 4; k++)
			for (size_t i = 0; i < counts[k]; i++) {
				const struct ksp_forecast_cell *c = &lists[k][i];
				int r;

				for (r = 0; r < nreg && strcmp(regs[r], c->region); r++)
					;
				if (r == nreg && nreg < 21)
					snprintf(regs[nreg++], sizeof(regs[0]), "%s", c->region);
				if (r >= 21 || c->year < 2025 || c->year > 2028)
					continue;
				sums[k][r][c->year - 2025][0] += c->demand;
				sums[k][r][c->year - 2025][1] += c->openings;
				sums[k][r][c->year - 2025][2] += c->balance;
			}
		CHECK_EQ_INT(nreg, 21);
		for (int k = 1; k < 4; k++)
			for (int r = 0; r < 21; r++)
				for (int t = 0; t < 4; t++)
					for (int j = 0; j < 3; j++) {
						double a = sums[0][r][t][j], b = sums[k][r][t][j];
						double e = fabs(a - b) / (fabs(a) + 1);

						if (e > worst)
							worst = e;
					}
		CHECK(worst < 1e-12);
	}
	/* the country's rows are the sums of the regions', at a national code */
	{
		double nat_sum = 0, reg_sum = 0;

		for (size_t i = 0; i < ncn[0]; i++)
			if (!strcmp(cn[0][i].occupation, "U9001") && cn[0][i].year == 2028) {
				if (!strcmp(cn[0][i].region, KSP_FORECAST_NATIONAL))
					nat_sum += cn[0][i].demand;
				else
					reg_sum += cn[0][i].demand;
			}
		CHECK(nat_sum > 0);
		CHECK_NEAR(nat_sum, reg_sum, 1e-9 * nat_sum);
	}
	/* gaps by occupation follow the national hierarchy */
	{
		struct ksp_forecast_gap *g2 = NULL, *g1 = NULL;
		size_t n2 = 0, n1 = 0;
		double s2 = 0, s1 = 0;

		CHECK_EQ_INT(ksp_forecast_gaps(db, nat[0].id, 1, 2, 2028, 0, &g2, &n2, &err), KSP_OK);
		CHECK_EQ_INT(ksp_forecast_gaps(db, nat[0].id, 1, 1, 2028, 0, &g1, &n1, &err), KSP_OK);
		CHECK_EQ_INT(n2, 24);
		CHECK_EQ_INT(n1, 10);
		for (size_t i = 0; i < n2; i++)
			s2 += g2[i].gap;
		for (size_t i = 0; i < n1; i++)
			s1 += g1[i].gap;
		CHECK_NEAR(s1, s2, 1e-6 * fabs(s1));
		{
			double o2 = 0, o1 = 0;

			for (size_t i = 0; i < n2; i++)
				o2 += g2[i].other_entrants;
			for (size_t i = 0; i < n1; i++)
				o1 += g1[i].other_entrants;
			CHECK(o1 > 0);
			CHECK_NEAR(o1, o2, 1e-9 * o1);
		}
		CHECK(n2 > 0 && g2[0].code[0] == 'S');
		for (size_t i = 1; i < n2; i++)
			CHECK(g2[i - 1].gap >= g2[i].gap);
		ksp_forecast_free(g2);
		ksp_forecast_free(g1);
	}
	/* a broken crosswalk fails the run and stores nothing */
	{
		struct ksp_forecast_run last;

		ksp_store_exec(db, "UPDATE occupation_crosswalk SET weight = 0.5 WHERE "
				   "to_classification = 'TEST-NKZ' AND from_code = '2511' AND to_code = "
				   "'U9001'",
			       NULL);
		opt.level = 0;
		CHECK_EQ_INT(ksp_forecast_run(db, &opt, &last, &err), KSP_EINVAL);
		CHECK(strstr(err.msg, "\"2511\" sum to 1.1, not 1") != NULL);
		CHECK_EQ_INT(ksp_forecast_run_get(db, 0, NULL, &last, &err), KSP_OK);
		CHECK_EQ_INT(last.id, nat[2].id);
		ksp_store_exec(db, "UPDATE occupation_crosswalk SET weight = 0.4 WHERE "
				   "to_classification = 'TEST-NKZ' AND from_code = '2511' AND to_code = "
				   "'U9001'",
			       NULL);
	}
	ksp_forecast_free(ti);
	ksp_forecast_free(tn);
	ksp_forecast_free(ci);
	for (int k = 0; k < 3; k++)
		ksp_forecast_free(cn[k]);
}

/*
 * The input tables as other modules read them: the specialty groups in the
 * engine's order and the flexibility matrix, and SHA-256 on the FIPS 180-4
 * examples (the hash a run records for each input).
 */
TEST(input_tables_for_other_modules)
{
	struct ksp_specialty_group *g = NULL;
	struct ksp_flexibility_weight *w = NULL;
	struct ksp_error err;
	struct ksp_sha256 h;
	char hex[65], big[1000];
	size_t ng = 0, nw = 0;

	if (!model_ok)
		return;
	CHECK_EQ_INT(ksp_forecast_specialties(db, &g, &ng, &err), KSP_OK);
	CHECK_EQ_INT((int)ng, model.lb.nspec);
	for (size_t k = 0; k < ng && (int)k < model.lb.nspec; k++)
		CHECK(!strcmp(g[k].code, model.lb.spec[k]));
	CHECK(ng > 10 && !strcmp(g[0].code, "tvet-01") && !strcmp(g[10].code, "higher-01"));
	CHECK(ng > 6 && !strcmp(g[6].title_en, "Engineering, manufacturing and construction") &&
	      fabs(g[6].share - 0.382) < 1e-15 && !strcmp(g[6].level, "tvet"));
	CHECK_EQ_INT(ksp_forecast_flexibility(db, &w, &nw, &err), KSP_OK);
	CHECK_EQ_INT((int)nw, 126);
	CHECK(nw > 0 && !strcmp(w[0].specialty, "higher-01") && strlen(w[0].isco_submajor) == 2);
	ksp_forecast_free(g);
	ksp_forecast_free(w);

	ksp_sha256_init(&h);
	ksp_sha256_final_hex(&h, hex);
	CHECK(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
	ksp_sha256_init(&h);
	ksp_sha256_update(&h, "abc", 3);
	ksp_sha256_final_hex(&h, hex);
	CHECK(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	ksp_sha256_init(&h);
	ksp_sha256_update(&h, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
	ksp_sha256_final_hex(&h, hex);
	CHECK(!strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
	/* a million 'a' in pieces that straddle the blocks */
	memset(big, 'a', sizeof(big));
	ksp_sha256_init(&h);
	for (int i = 0; i < 1000; i++)
		ksp_sha256_update(&h, big, sizeof(big));
	ksp_sha256_final_hex(&h, hex);
	CHECK(!strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
}

/* The progress a run reports: increasing, ending at 1, every 1 % of the draws. */
static double seen[1000];
static int nseen;

static void record(void *ctx, double done)
{
	(void)ctx;
	if (nseen < 1000)
		seen[nseen] = done;
	nseen++;
}

TEST(progress_is_reported_and_changes_nothing)
{
	struct ksp_forecast_options opt;
	struct ksp_forecast_run quiet, told;
	struct ksp_error err;
	int up = 1;

	if (!model_ok)
		return;
	memset(&opt, 0, sizeof(opt));
	opt.level = 1;
	opt.target_year = 2028;
	opt.draws = 40;
	opt.seed = 5;
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &quiet, &err), KSP_OK);
	opt.progress = record;
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &told, &err), KSP_OK);
	CHECK(nseen >= 20 && nseen <= 300);
	for (int i = 1; i < nseen && i < 1000; i++)
		up &= seen[i] >= seen[i - 1];
	CHECK(up);
	CHECK(seen[0] > 0 && seen[0] < 0.2);
	CHECK_NEAR(seen[nseen < 1000 ? nseen - 1 : 999], 1, 0);
	/* the same numbers, bit for bit */
	CHECK(told.shortfall == quiet.shortfall);
	CHECK(told.shortfall_p10 == quiet.shortfall_p10);
	CHECK(told.shortfall_p90 == quiet.shortfall_p90);
}

/*
 * What the dashboard reads: a year's map is the atlas's shortage ratio with
 * that year as its end (checked against ksp_atlas_build, another path to
 * the same figures), and the pyramid sums to the run's population.
 */
TEST(dashboard_map_and_pyramid_agree_with_the_run)
{
	struct ksp_forecast_options opt;
	struct ksp_forecast_run run;
	struct ksp_forecast_area *ar = NULL, *ar2 = NULL;
	struct ksp_forecast_total *tot = NULL;
	struct ksp_atlas_options ao;
	struct ksp_atlas *a = NULL, *card = NULL;
	struct ksp_pyramid p;
	struct ksp_error err;
	size_t n = 0, n2 = 0, nt = 0;
	int checked = 0;

	if (!model_ok)
		return;
	memset(&opt, 0, sizeof(opt));
	opt.level = 2;
	opt.target_year = 2028;
	CHECK_EQ_INT(ksp_forecast_run(db, &opt, &run, &err), KSP_OK);
	CHECK_EQ_INT(ksp_forecast_areas(db, run.id, NULL, 2028, &ar, &n, &err), KSP_OK);
	CHECK_EQ_INT(n, 21);
	memset(&ao, 0, sizeof(ao));
	ao.run_id = run.id;
	ao.region = "KZ-35";
	CHECK_EQ_INT(ksp_atlas_build(db, &ao, &a, &err), KSP_OK);
	for (size_t i = 0; a && i < a->nareas; i++)
		for (size_t j = 0; j < n; j++)
			if (!strcmp(a->areas[i].region, ar[j].region)) {
				CHECK_NEAR(ar[j].shortage_ratio, a->areas[i].shortage_ratio, 1e-9);
				CHECK_NEAR(ar[j].demand, a->areas[i].emp_target, 1e-6 * ar[j].demand);
				checked++;
			}
	CHECK_EQ_INT(checked, 21);
	CHECK(n == 21 && !strcmp(ar[20].region, KSP_FORECAST_NATIONAL));
	/* one group: the card's places */
	CHECK_EQ_INT(ksp_forecast_areas(db, run.id, "23", 2028, &ar2, &n2, &err), KSP_OK);
	ao.region = NULL;
	ao.occupation = "23";
	CHECK_EQ_INT(ksp_atlas_build(db, &ao, &card, &err), KSP_OK);
	checked = 0;
	for (size_t i = 0; card && i < card->nplaces; i++)
		for (size_t j = 0; j < n2; j++)
			if (!strcmp(card->places[i].area.region, ar2[j].region)) {
				CHECK_NEAR(ar2[j].shortage_ratio, card->places[i].occ.shortage_ratio, 1e-9);
				checked++;
			}
	CHECK_EQ_INT(checked, 21);
	ksp_forecast_free(ar2);
	CHECK_EQ_INT(ksp_forecast_areas(db, run.id, NULL, 2025, &ar2, &n2, &err), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_forecast_areas(db, run.id, NULL, 2029, &ar2, &n2, &err), KSP_EUSAGE);

	/* the pyramid: the run's population of the region and the country */
	CHECK_EQ_INT(ksp_forecast_totals(db, run.id, "KZ-35", &tot, &nt, &err), KSP_OK);
	CHECK_EQ_INT(nt, 4);
	for (size_t i = 0; i < nt; i++) {
		double sum = 0;

		CHECK_EQ_INT(ksp_forecast_pyramid(db, run.id, "KZ-35", tot[i].year, &p, &err), KSP_OK);
		for (int g = 0; g < KSP_PYRAMID_NGROUP; g++)
			sum += p.male[g] + p.female[g];
		CHECK_NEAR(sum, tot[i].population, 1e-6 * tot[i].population);
		CHECK_NEAR(p.total, tot[i].population, 1e-6 * tot[i].population);
		CHECK_EQ_INT(p.projected, tot[i].year > 2025);
		CHECK(p.male[0] > 0 && p.female[KSP_PYRAMID_NGROUP - 2] > 0);
	}
	ksp_forecast_free(tot);
	tot = NULL;
	CHECK_EQ_INT(ksp_forecast_totals(db, run.id, KSP_FORECAST_NATIONAL, &tot, &nt, &err), KSP_OK);
	CHECK_EQ_INT(ksp_forecast_pyramid(db, run.id, "KZ", 2028, &p, &err), KSP_OK);
	CHECK(nt == 4 && fabs(p.total - tot[3].population) < 1e-6 * p.total);
	CHECK(!strcmp(p.region, KSP_FORECAST_NATIONAL));
	CHECK_EQ_INT(ksp_forecast_pyramid(db, run.id, "KZ-35", 2029, &p, &err), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_forecast_pyramid(db, run.id, "KZ-98", 2028, &p, &err), KSP_ENOTFOUND);
	ksp_forecast_free(tot);
	tot = NULL;

	/* the forecast page's years: all groups are the totals, parts add up */
	{
		struct ksp_forecast_point *pt = NULL;
		size_t np = 0;

		CHECK_EQ_INT(ksp_forecast_totals(db, run.id, "KZ-35", &tot, &nt, &err), KSP_OK);
		CHECK_EQ_INT(ksp_forecast_series(db, run.id, "KZ-35", NULL, &pt, &np, &err), KSP_OK);
		CHECK_EQ_INT(np, 4);
		for (size_t i = 0; i < np && i < nt; i++) {
			CHECK_EQ_INT(pt[i].year, tot[i].year);
			CHECK_NEAR(pt[i].demand, tot[i].demand, 1e-6 * tot[i].demand);
			CHECK_NEAR(pt[i].openings, tot[i].openings, 1e-6 * tot[i].demand);
			CHECK_NEAR(pt[i].new_supply, tot[i].new_supply, 1e-6 * tot[i].demand);
			CHECK_NEAR(pt[i].openings, pt[i].expansion + pt[i].exits + pt[i].transfers,
				   1e-6 * tot[i].demand);
			CHECK_NEAR(pt[i].new_supply,
				   pt[i].graduates + pt[i].migrants + pt[i].transfers_in + pt[i].reserve,
				   1e-6 * tot[i].demand);
		}
		ksp_forecast_free(pt);
		ksp_forecast_free(tot);
		CHECK_EQ_INT(ksp_forecast_series(db, run.id, "KZ-35", "9", &pt, &np, &err), KSP_OK);
		CHECK(np == 4 && isnan(pt[3].band[KSP_FC_DEMAND_BAND][0]) && pt[3].demand > 0);
		ksp_forecast_free(pt);
		CHECK_EQ_INT(ksp_forecast_series(db, run.id, "KZ-35", "77", &pt, &np, &err),
			     KSP_ENOTFOUND);
		CHECK_EQ_INT(ksp_forecast_series(db, run.id, "KZ-98", NULL, &pt, &np, &err),
			     KSP_ENOTFOUND);
	}
	ksp_forecast_free(ar);
	ksp_atlas_free(a);
	ksp_atlas_free(card);
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
	RUN(imported_projects_add_jobs);
	RUN(national_classifier_by_hand);
	RUN(national_run_adds_up);
	RUN(input_tables_for_other_modules);
	RUN(progress_is_reported_and_changes_nothing);
	RUN(pension_age_rise_thins_the_cohort);
	RUN(dashboard_map_and_pyramid_agree_with_the_run);
	RUN(exits_by_cause_from_the_assumptions);
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

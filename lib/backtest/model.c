/*
 * model.c - the forecast engine's projection from a past base year, for the
 * back-test (docs/backtest.md, "The model").
 *
 * Method: step 3 of docs/methodology.md, run by the engine's own function
 * (ksp_fc_demand_year): employment by region x OKED section grows at each
 * section's rate, and the staffing matrix turns it into ISCO-08 groups,
 * E[r,o,t] = sum_i E[r,i,base] G_i(t) S[i,o].  What the engine cannot take
 * from the past is said where it is set:
 *   - E[r,i,base]: no employment by region x section is published before
 *     2024, so each region gets the country's section mix of the base year,
 *     E[r,i] = E[r] * E[i] / sum_i E[i] (the regions' own mixes of today
 *     would leak what happened later);
 *   - G_i: the scenario's rates of its first years (today's assumptions,
 *     made knowing 2010-2025: a hindsight the run records), or with growth
 *     "trend" each section's compound growth over the five years to the
 *     base year (no hindsight);
 *   - S: the staffing matrix of today's inputs (a prior, not fitted to any
 *     year's occupations: its error shows in the base year itself);
 *   - investment projects are left out (none is dated in the past).
 * The engine's demography, exits and supply do not enter: the back-test
 * compares employment, which is demand in the engine.
 */
#include "backtest/backtest.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "forecast/load.h"
#include "forecast/model.h"
#include "kasip/forecast.h"
#include "util/xmalloc.h"

#define TREND_WINDOW 5

/* Each section's compound growth over the five years to the base year (data <= base only). */
static int trend_growth(const struct ksp_bt_known *k, const struct ksp_fc_labels *lb, int I,
			double *g, struct ksp_error *err)
{
	for (int i = 0; i < I; i++) {
		int u = ksp_bt_unit(k->section, lb->ind[i]), y0;
		double v1 = ksp_bt_get(k->section, u, k->base), v0 = NAN;

		g[i] = 0;
		if (u < 0)
			continue; /* a section the series does not have (T, U): no employment */
		for (y0 = k->base - TREND_WINDOW; y0 < k->base; y0++)
			if (!isnan(v0 = ksp_bt_get(k->section, u, y0)))
				break;
		if (y0 == k->base || isnan(v1) || !(v0 > 0) || !(v1 > 0))
			return ksp_error_set(err, KSP_ENOTFOUND,
					     "backtest: growth \"trend\" needs section %s observed in "
					     "%d and in one of %d..%d (the series starts in 2010)",
					     lb->ind[i], k->base, k->base - TREND_WINDOW, k->base - 1);
		g[i] = ksp_fc_exp(ksp_fc_log(v1 / v0) / (k->base - y0)) - 1;
	}
	return KSP_OK;
}

int ksp_bt_engine_project(void *ctx, const struct ksp_bt_known *k, struct ksp_bt_projection *p,
			  struct ksp_error *err)
{
	struct ksp_bt_engine *e = ctx;
	struct ksp_fc_model m;
	struct ksp_fc_input bi;
	struct ksp_fc_level lv;
	struct ksp_fc_dims d;
	int H = k->to - k->base, rc, R, I, O, M, have_m = 0, have_bi = 0, have_lv = 0;
	int *map = NULL, *major = NULL;
	char mcode[KSP_FC_MAX_MAJOR];
	double *dem = NULL, *tw = NULL, gfac[KSP_FC_MAX_IND], trend_g[KSP_FC_MAX_IND];
	double sec_tot = 0;

	memset(&m, 0, sizeof(m));
	/* the scenario's rates and the staffing matrix, as a forecast would load them */
	if ((rc = ksp_fc_model_load(&m, e->store, e->scenario, 0, err)))
		return rc;
	have_m = 1;
	if (m.in.d.nyear - 1 < H) {
		int target = m.in.d.base_year + H;

		ksp_fc_model_release(&m);
		have_m = 0;
		memset(&m, 0, sizeof(m));
		if ((rc = ksp_fc_model_load(&m, e->store, e->scenario, target, err)))
			return rc;
		have_m = 1;
	}
	R = m.in.d.nreg;
	I = m.in.d.nind;
	O = m.in.d.nocc;
	M = m.in.d.nmajor;

	/* the base year: the country's section mix in every region */
	for (int i = 0; i < I; i++) {
		double v = ksp_bt_get(k->section, ksp_bt_unit(k->section, m.lb.ind[i]), k->base);

		if (!isnan(v))
			sec_tot += v;
	}
	if (!(sec_tot > 0)) {
		snprintf(p->what, sizeof(p->what),
			 "none: no employment by OKED section observed in %d (the series starts "
			 "in 2010)",
			 k->base);
		rc = KSP_OK;
		goto out;
	}
	if (k->growth == KSP_BT_GROWTH_TREND && (rc = trend_growth(k, &m.lb, I, trend_g, err)))
		goto out;

	d = m.in.d;
	d.nyear = H + 1;
	d.base_year = k->base;
	ksp_fc_input_init(&bi, &d);
	have_bi = 1;
	memcpy(bi.staffing, m.in.staffing, (size_t)I * O * sizeof(double));
	memcpy(bi.occ_major, m.in.occ_major, (size_t)O * sizeof(int));
	memcpy(bi.transfer_rate, m.in.transfer_rate, (size_t)O * sizeof(double));
	for (int t = 1; t <= H; t++)
		for (int i = 0; i < I; i++)
			bi.growth[(size_t)t * I + i] = k->growth == KSP_BT_GROWTH_TREND
							       ? trend_g[i]
							       : m.in.growth[(size_t)t * I + i];
	for (int r = 0; r < R; r++) {
		double er = ksp_bt_get(k->region, ksp_bt_unit(k->region, m.lb.iso[r]), k->base);

		if (isnan(er))
			er = 0;
		for (int i = 0; i < I; i++) {
			double v = ksp_bt_get(k->section, ksp_bt_unit(k->section, m.lb.ind[i]),
					      k->base);

			bi.emp_ind0[(size_t)r * I + i] = isnan(v) ? 0 : er * v / sec_tot;
		}
	}

	/* the major groups as the level of the run */
	map = ksp_xcalloc((size_t)O + 1, sizeof(int));
	major = ksp_xcalloc((size_t)M + 1, sizeof(int));
	memset(mcode, 0, sizeof(mcode));
	for (int l = 0; l < M; l++)
		major[l] = l;
	for (int o = 0; o < O; o++) {
		map[o] = m.in.occ_major[o];
		mcode[map[o]] = m.lb.occ[o][0];
	}
	if ((rc = ksp_fc_level_init(&lv, &bi, map, M, major, err)))
		goto out;
	have_lv = 1;

	dem = ksp_xcalloc((size_t)R * M + 1, sizeof(double));
	tw = ksp_xcalloc((size_t)R * M + 1, sizeof(double));
	for (int i = 0; i < I; i++)
		gfac[i] = 1.0;
	for (int t = 0; t <= H; t++) {
		const int year = k->base + t;

		if (t > 0)
			for (int i = 0; i < I; i++)
				gfac[i] *= 1.0 + bi.growth[(size_t)t * I + i];
		ksp_fc_demand_year(&bi, &lv, t, gfac, dem, tw);
		for (int r = 0; r < R; r++) {
			double sum = 0;

			for (int l = 0; l < M; l++)
				sum += dem[(size_t)r * M + l];
			ksp_bt_set(&p->region, ksp_bt_unit(&p->region, m.lb.iso[r]), year, sum, 0);
		}
		for (int i = 0; i < I; i++) {
			double sum = 0;

			for (int r = 0; r < R; r++)
				sum += bi.emp_ind0[(size_t)r * I + i] * gfac[i];
			ksp_bt_set(&p->section, ksp_bt_unit(&p->section, m.lb.ind[i]), year, sum, 0);
		}
		for (int l = 0; l < M; l++) {
			char code[2] = { mcode[l], 0 };
			double sum = 0;

			for (int r = 0; r < R; r++)
				sum += dem[(size_t)r * M + l];
			ksp_bt_set(&p->occupation, ksp_bt_unit(&p->occupation, code), year, sum, 0);
		}
	}
	snprintf(p->what, sizeof(p->what),
		 "engine step 3 (ksp_fc_demand_year): %d regions x %d sections from %d with the "
		 "country's section mix, growth %s, today's staffing matrix to %d major groups",
		 R, I, k->base,
		 k->growth == KSP_BT_GROWTH_TREND ? "by each section's trend of the 5 years to the base"
						  : "by the scenario's rates (today's assumptions)",
		 M);
	rc = KSP_OK;
out:
	if (have_lv)
		ksp_fc_level_release(&lv);
	if (have_bi)
		ksp_fc_input_release(&bi);
	if (have_m)
		ksp_fc_model_release(&m);
	free(map);
	free(major);
	free(dem);
	free(tw);
	return rc;
}

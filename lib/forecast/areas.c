/*
 * forecast/areas.c - what the dashboard's map and pyramid show of a run:
 * a year's balance of a group of occupations in every region (summed from
 * the stored cells), and the population by sex and age group (the
 * cohort-component projection of the run's scenario, recomputed: a run
 * stores its population as totals only).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forecast/load.h"
#include "kasip/forecast.h"
#include "kasip/query.h"
#include "store/store.h"
#include "util/xmalloc.h"

/* ---- the map ------------------------------------------------------------- */

int ksp_forecast_areas(struct ksp_store *s, long long run_id, const char *under, int year,
		       struct ksp_forecast_area **out, size_t *n, struct ksp_error *err)
{
	struct ksp_forecast_cell_query q;
	struct ksp_forecast_cell *c = NULL;
	struct ksp_forecast_area *a = NULL;
	struct ksp_forecast_run run;
	size_t nc = 0, na = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ksp_forecast_run_get(s, run_id, NULL, &run, err)))
		return rc;
	if (year <= run.base_year || year > run.target_year)
		return ksp_error_set(err, KSP_EUSAGE, "year %d is outside run %lld (%d to %d)", year,
				     run.id, run.base_year + 1, run.target_year);
	memset(&q, 0, sizeof(q));
	q.run_id = run.id;
	q.under = under && *under ? under : NULL;
	q.year_from = run.base_year + 1;
	q.year_to = year;
	if ((rc = ksp_forecast_cells(s, &q, &c, &nc, err)))
		return rc;
	/* the cells come by region, occupation, year: one area per run of a region */
	for (size_t i = 0; i < nc; i++) {
		struct ksp_forecast_area *x;

		if (!na || strcmp(a[na - 1].region, c[i].region)) {
			KSP_ALLOC_GROW(a, na + 1, cap);
			x = &a[na++];
			memset(x, 0, sizeof(*x));
			memcpy(x->region, c[i].region, sizeof(x->region));
			x->region[sizeof(x->region) - 1] = 0;
			x->year = year;
		}
		x = &a[na - 1];
		if (c[i].year == year)
			x->demand += c[i].demand;
		x->openings += c[i].openings;
		x->new_supply += c[i].new_supply;
	}
	ksp_forecast_free(c);
	for (size_t i = 0; i < na; i++) {
		a[i].balance = a[i].new_supply - a[i].openings;
		a[i].shortage_ratio = a[i].demand > 0 ? -a[i].balance / a[i].demand : NAN;
	}
	/* the country last, whatever its code sorts as */
	for (size_t i = 0; i + 1 < na; i++)
		if (!strcmp(a[i].region, KSP_FORECAST_NATIONAL)) {
			struct ksp_forecast_area t = a[i];

			memmove(&a[i], &a[i + 1], (na - i - 1) * sizeof(*a));
			a[na - 1] = t;
			break;
		}
	*out = a;
	*n = na;
	return KSP_OK;
}

/* ---- a region's years ----------------------------------------------------------- */

int ksp_forecast_series(struct ksp_store *s, long long run_id, const char *region,
			const char *under, struct ksp_forecast_point **out, size_t *n,
			struct ksp_error *err)
{
	struct ksp_forecast_cell_query q;
	struct ksp_forecast_cell *c = NULL;
	struct ksp_forecast_total *tot = NULL;
	struct ksp_forecast_point *pt = NULL;
	struct ksp_forecast_run run;
	struct ksp_region rg;
	const char *kato = KSP_FORECAST_NATIONAL;
	size_t nc = 0, nt = 0, ny;
	int rc, all = !under || !*under, one = 1;
	char first[32] = "";

	*out = NULL;
	*n = 0;
	if ((rc = ksp_forecast_run_get(s, run_id, NULL, &run, err)))
		return rc;
	if (region && *region && strcasecmp(region, "kz") && strcmp(region, KSP_FORECAST_NATIONAL)) {
		if ((rc = ksp_region_find(s, region, &rg, err)))
			return rc;
		kato = rg.kato;
	}
	memset(&q, 0, sizeof(q));
	q.run_id = run.id;
	q.region = kato;
	q.under = all ? NULL : under;
	if ((rc = ksp_forecast_cells(s, &q, &c, &nc, err)))
		return rc;
	if (!nc) {
		ksp_forecast_free(c);
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "run %lld stored no cells of region \"%s\" under \"%s\"", run.id,
				     region ? region : "KZ", all ? "" : under);
	}
	ny = (size_t)(run.target_year - run.base_year + 1);
	pt = ksp_xcalloc(ny, sizeof(*pt));
	for (size_t y = 0; y < ny; y++) {
		pt[y].year = run.base_year + (int)y;
		for (int k = 0; k < KSP_FC_CELL_NBAND; k++)
			for (int b = 0; b < 3; b++)
				pt[y].band[k][b] = NAN;
	}
	for (size_t i = 0; i < nc; i++) {
		struct ksp_forecast_point *p;
		int y = c[i].year - run.base_year;

		if (y < 0 || (size_t)y >= ny)
			continue;
		if (!*first)
			snprintf(first, sizeof(first), "%s", c[i].occupation);
		else if (strcmp(first, c[i].occupation))
			one = 0;
		p = &pt[y];
		p->demand += c[i].demand;
		p->expansion += c[i].expansion;
		p->exits += c[i].exits;
		p->transfers += c[i].transfers;
		p->openings += c[i].openings;
		p->graduates += c[i].graduates;
		p->migrants += c[i].migrants;
		p->transfers_in += c[i].transfers_in;
		p->reserve += c[i].reserve;
		p->new_supply += c[i].new_supply;
		p->balance += c[i].balance;
		p->other_entrants += c[i].other_entrants;
		if (one && !all)
			memcpy(p->band, c[i].band, sizeof(p->band));
	}
	ksp_forecast_free(c);
	/* quantiles do not add up: a prefix of several groups has none */
	if (!all && !one)
		for (size_t y = 0; y < ny; y++)
			for (int k = 0; k < KSP_FC_CELL_NBAND; k++)
				for (int b = 0; b < 3; b++)
					pt[y].band[k][b] = NAN;
	if (all) {
		if ((rc = ksp_forecast_totals(s, run.id, kato, &tot, &nt, err))) {
			free(pt);
			return rc;
		}
		for (size_t i = 0; i < nt; i++) {
			int y = tot[i].year - run.base_year;

			if (y < 0 || (size_t)y >= ny)
				continue;
			for (int b = 0; b < 3; b++) {
				pt[y].band[KSP_FC_DEMAND_BAND][b] = tot[i].band[KSP_FT_DEMAND][b];
				pt[y].band[KSP_FC_OPENINGS_BAND][b] = tot[i].band[KSP_FT_OPENINGS][b];
				pt[y].band[KSP_FC_SUPPLY_BAND][b] = tot[i].band[KSP_FT_NEW_SUPPLY][b];
				pt[y].band[KSP_FC_BALANCE_BAND][b] = tot[i].band[KSP_FT_BALANCE][b];
			}
		}
		ksp_forecast_free(tot);
	}
	*out = pt;
	*n = ny;
	return KSP_OK;
}

/* ---- the pyramid ------------------------------------------------------------ */

static int national(const char *region)
{
	return !region || !*region || !strcasecmp(region, "kz") ||
	       !strcmp(region, KSP_FORECAST_NATIONAL);
}

int ksp_forecast_pyramid(struct ksp_store *s, long long run_id, const char *region, int year,
			 struct ksp_pyramid *out, struct ksp_error *err)
{
	struct ksp_forecast_run run;
	struct ksp_region rg;
	struct ksp_fc_model m;
	double *pop = NULL;
	int rc, r_only = -1, have_model = 0, tx = 0;
	size_t R, S = KSP_FC_NSEX, A, t;

	memset(out, 0, sizeof(*out));
	if ((rc = ksp_forecast_run_get(s, run_id, NULL, &run, err)))
		return rc;
	if (year < run.base_year || year > run.target_year)
		return ksp_error_set(err, KSP_EUSAGE, "year %d is outside run %lld (%d to %d)", year,
				     run.id, run.base_year, run.target_year);
	if (!national(region) && (rc = ksp_region_find(s, region, &rg, err)))
		return rc;
	if (!ksp_store_in_transaction(s)) {
		if ((rc = ksp_store_begin_read(s, err)))
			return rc;
		tx = 1;
	}
	if ((rc = ksp_fc_model_load(&m, s, run.scenario, run.target_year, err)))
		goto out;
	have_model = 1;
	if (m.in.d.base_year != run.base_year) {
		rc = ksp_error_set(err, KSP_ECONFLICT,
				   "run %lld starts in %d but the database's base year is now %d; "
				   "run the forecast again",
				   run.id, run.base_year, m.in.d.base_year);
		goto out;
	}
	R = (size_t)m.in.d.nreg;
	A = (size_t)m.in.d.nage;
	if (!national(region)) {
		for (size_t r = 0; r < R; r++)
			if (!strcmp(m.lb.kato[r], rg.kato))
				r_only = (int)r;
		if (r_only < 0) {
			rc = ksp_error_set(err, KSP_ENOTFOUND, "no region \"%s\" in the forecast",
					   region);
			goto out;
		}
	}
	/* the projection as ksp_fc_prepare() makes it for the central run */
	pop = ksp_xcalloc((size_t)m.in.d.nyear * R * S * A, sizeof(double));
	ksp_fc_population_project(&m.in, m.in.pop0, 1.0, 1.0, 0, pop, NULL, NULL, NULL, NULL,
				  NULL);
	t = (size_t)(year - run.base_year);
	for (size_t r = 0; r < R; r++) {
		if (r_only >= 0 && r != (size_t)r_only)
			continue;
		for (size_t sx = 0; sx < S; sx++)
			for (size_t a = 0; a < A; a++) {
				size_t g = a / KSP_PYRAMID_STEP;
				double v = pop[((t * R + r) * S + sx) * A + a];

				if (g >= KSP_PYRAMID_NGROUP)
					g = KSP_PYRAMID_NGROUP - 1;
				if (sx == 0)
					out->male[g] += v;
				else
					out->female[g] += v;
				out->total += v;
			}
	}
	snprintf(out->region, sizeof(out->region), "%s",
		 r_only >= 0 ? m.lb.kato[r_only] : KSP_FORECAST_NATIONAL);
	out->year = year;
	out->projected = year > run.base_year;
out:
	free(pop);
	if (have_model)
		ksp_fc_model_release(&m);
	if (tx)
		ksp_store_rollback(s);
	return rc;
}

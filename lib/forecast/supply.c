/*
 * supply.c - step 5: new supply by occupation.
 *
 * Method: new supply = graduates entering the labour market, turned from
 * specialties into occupations by an occupational flexibility matrix
 * (Germany's QuBe projections, BIBB-IAB), plus net migrants who will work,
 * plus the labour reserve drawn into work (the unemployed and those outside
 * the labour force who would take a job), plus workers transferring in from
 * other occupations (the "others" of Canada's COPS job seekers).  docs/reference/forecast-methods.md 2.3, 2.7
 * and 7.5; docs/methodology.md, "New supply".
 */
#include "forecast/model.h"

#include <string.h>

#include "util/xmalloc.h"

void ksp_fc_graduates_to_work(struct ksp_fc_input *in, const double *dest)
{
	const int R = in->d.nreg, T = in->d.nyear, K = in->d.nspec;
	double *row = ksp_xcalloc((size_t)R * (K ? K : 1), sizeof(double));

	for (int t = 0; t < T; t++) {
		double *g = in->graduates + (size_t)t * R * K;

		memset(row, 0, (size_t)R * K * sizeof(double));
		/* row[w][k] = sum over r, in order, of dest[lev(k)][r][w] * g[r][k] */
		for (int r = 0; r < R; r++)
			for (int w = 0; w < R; w++)
				for (int k = 0; k < K; k++)
					row[(size_t)w * K + k] +=
						dest[((size_t)in->spec_level[k] * R + r) * R + w] *
						g[(size_t)r * K + k];
		for (int r = 0; r < R; r++) {
			double net = 0;

			for (int k = 0; k < K; k++)
				net += in->entry[k] * (row[(size_t)r * K + k] - g[(size_t)r * K + k]);
			in->work_int_adj[(size_t)t * R + r] -= net;
		}
		memcpy(g, row, (size_t)R * K * sizeof(double));
	}
	free(row);
}

void ksp_fc_supply_year(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			const struct ksp_fc_draw *dr, int t, struct ksp_fc_result *res)
{
	const int R = b->d.nreg, nl = lv->nl;
	int r, l;

	for (r = 0; r < R; r++) {
		const size_t cur = ((size_t)t * R + r) * nl, prev = ((size_t)(t - 1) * R + r) * nl;
		const double *e0 = res->demand + prev;
		const double *gt = lv->grad + (((size_t)t * R + r) * KSP_FC_NLEVEL) * nl;
		const double *gh = gt + nl;
		const double etot = res->demand_tot[(size_t)(t - 1) * R + r];
		const double wm = b->work_int[(size_t)t * R + r] * dr->mig_int_scale +
				  b->work_ext[(size_t)t * R + r] * dr->mig_ext_scale;
		const double rs = b->reserve[(size_t)t * R + r];
		double *gr = res->graduates + cur, *mg = res->migrants + cur;
		double *ti = res->transfers_in + cur, *ns = res->new_supply + cur;
		double *rv = res->reserve + cur;
		const double *tr = res->transfers + cur;
		double wshare, rshare;

		/* migrants and the reserve go where the jobs are: shares of E[t-1] (no
		   data give the unemployed's or the inactive's occupations by region) */
		wshare = etot > 0 ? wm / etot : 0;
		rshare = etot > 0 ? rs / etot : 0;
		for (l = 0; l < nl; l++) {
			gr[l] = gt[l] * dr->entry_mult[KSP_FC_TVET] + gh[l] * dr->entry_mult[KSP_FC_HIGHER];
			mg[l] = wshare * e0[l];
			rv[l] = rshare * e0[l];
			/* transfers in: with no data on the direction of mobility, every
			   occupation regains from the others as many workers as it loses */
			ti[l] = tr[l];
			ns[l] = gr[l] + mg[l] + rv[l] + ti[l];
		}
		if (res->other_entrants) {
			/* entrants = change of the employed + their exits (the supply side's
			   stock-flow identity); others = entrants - graduates - migrants */
			const size_t c = (size_t)t * R + r;
			double grsum = 0, other, share;

			for (l = 0; l < nl; l++)
				grsum += gr[l];
			other = b->emp_tot[c] - b->emp_tot[c - R] + b->exit_sup[c] * dr->exit_mult -
				grsum - wm;
			if (other < 0)
				other = 0;
			share = etot > 0 ? other / etot : 0;
			for (l = 0; l < nl; l++)
				res->other_entrants[cur + l] = share * e0[l];
		}
	}
}

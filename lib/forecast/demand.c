/*
 * demand.c - step 3: employment demand by occupation, and occupation levels.
 *
 * Method: the staffing-matrix method of the US BLS National Employment
 * Matrix and Cedefop's EDMOD, E[r,o,t] = sum_i E[r,i,t] S[i,o]
 * (docs/methodology.md, "Demand"; ../shared/docs/forecast-methods.md 2.1,
 * 2.2 and 7.1), with industry employment growing at scenario rates and
 * investment projects added on top.
 */
#include "forecast/model.h"

#include <string.h>

#include "util/xmalloc.h"

int ksp_fc_level_init(struct ksp_fc_level *lv, const struct ksp_fc_input *in, const int *map,
		      int nl, const int *major, struct ksp_error *err)
{
	const struct ksp_fc_dims *d = &in->d;
	const int I = d->nind, O = d->nocc, R = d->nreg, T = d->nyear, K = d->nspec;
	int *hit = NULL;
	int i, o, l, t, r, k, identity = (nl == O);
	double *gs = NULL;

	memset(lv, 0, sizeof(*lv));
	if (nl < 1 || nl > O)
		return ksp_error_set(err, KSP_EINVAL, "level: %d groups for %d occupations", nl, O);
	hit = ksp_xcalloc((size_t)nl, sizeof(int));
	for (o = 0; o < O; o++) {
		l = map[o];
		if (l < 0 || l >= nl) {
			free(hit);
			return ksp_error_set(err, KSP_EINVAL, "level: occupation %d maps to group %d",
					     o, l);
		}
		if (major[l] != in->occ_major[o]) {
			free(hit);
			return ksp_error_set(err, KSP_EINVAL,
					     "level: occupation %d of major group %d is in group %d "
					     "of major group %d",
					     o, in->occ_major[o], l, major[l]);
		}
		hit[l]++;
		if (l != o)
			identity = 0;
	}
	for (l = 0; l < nl; l++)
		if (!hit[l]) {
			free(hit);
			return ksp_error_set(err, KSP_EINVAL, "level: group %d has no occupation", l);
		}
	free(hit);

	lv->nl = nl;
	lv->tau_diag = identity;
	lv->major = ksp_xcalloc((size_t)nl, sizeof(int));
	memcpy(lv->major, major, (size_t)nl * sizeof(int));
	lv->tau = ksp_xcalloc((size_t)nl, sizeof(double));
	lv->staff = ksp_xcalloc((size_t)I * nl, sizeof(double));
	lv->staff_tau = ksp_xcalloc((size_t)I * nl, sizeof(double));
	lv->proj = ksp_xcalloc((size_t)T * R * nl, sizeof(double));
	lv->proj_tau = ksp_xcalloc((size_t)T * R * nl, sizeof(double));
	lv->grad = ksp_xcalloc((size_t)T * R * KSP_FC_NLEVEL * nl, sizeof(double));

	if (identity)
		memcpy(lv->tau, in->transfer_rate, (size_t)O * sizeof(double));
	for (i = 0; i < I; i++)
		for (o = 0; o < O; o++) {
			double w = in->staffing[(size_t)i * O + o];

			lv->staff[(size_t)i * nl + map[o]] += w;
			lv->staff_tau[(size_t)i * nl + map[o]] += w * in->transfer_rate[o];
		}
	/* projects: jobs added in year t stay in the following years */
	if (in->projects)
		for (t = 0; t < T; t++)
			for (r = 0; r < R; r++) {
				double *p = lv->proj + ((size_t)t * R + r) * nl;
				double *pt = lv->proj_tau + ((size_t)t * R + r) * nl;

				if (t > 0) {
					memcpy(p, p - (size_t)R * nl, (size_t)nl * sizeof(double));
					memcpy(pt, pt - (size_t)R * nl, (size_t)nl * sizeof(double));
				}
				for (o = 0; o < O; o++) {
					double j = in->projects[((size_t)t * R + r) * O + o];

					p[map[o]] += j;
					pt[map[o]] += j * in->transfer_rate[o];
				}
			}
	/* graduates entering, through the flexibility matrix (step 5) */
	gs = ksp_xcalloc((size_t)K * nl, sizeof(double));
	for (k = 0; k < K; k++)
		for (o = 0; o < O; o++)
			gs[(size_t)k * nl + map[o]] += in->flex[(size_t)k * O + o];
	for (t = 0; t < T; t++)
		for (r = 0; r < R; r++)
			for (k = 0; k < K; k++) {
				double g = in->graduates[((size_t)t * R + r) * K + k] * in->entry[k];
				double *dst = lv->grad +
					      (((size_t)t * R + r) * KSP_FC_NLEVEL + in->spec_level[k]) * nl;

				if (g == 0)
					continue;
				for (l = 0; l < nl; l++)
					dst[l] += g * gs[(size_t)k * nl + l];
			}
	free(gs);
	return KSP_OK;
}

void ksp_fc_level_release(struct ksp_fc_level *lv)
{
	free(lv->major);
	free(lv->tau);
	free(lv->staff);
	free(lv->staff_tau);
	free(lv->proj);
	free(lv->proj_tau);
	free(lv->grad);
	memset(lv, 0, sizeof(*lv));
}

void ksp_fc_demand_year(const struct ksp_fc_input *in, const struct ksp_fc_level *lv, int t,
			const double *gfac, double *demand_t, double *tw_t)
{
	const int I = in->d.nind, R = in->d.nreg, nl = lv->nl;
	int r, i, l;

	for (r = 0; r < R; r++) {
		double *e = demand_t + (size_t)r * nl;
		double *w = tw_t + (size_t)r * nl;
		const double *p = lv->proj + ((size_t)t * R + r) * nl;
		const double *pt = lv->proj_tau + ((size_t)t * R + r) * nl;

		memcpy(e, p, (size_t)nl * sizeof(double));
		if (!lv->tau_diag)
			memcpy(w, pt, (size_t)nl * sizeof(double));
		/* E[r,l] = sum_i E[r,i,t] S[i,l]: a dense row times matrix, vectorised over l */
		for (i = 0; i < I; i++) {
			const double ei = in->emp_ind0[(size_t)r * I + i] * gfac[i];
			const double *srow = lv->staff + (size_t)i * nl;

			if (ei == 0)
				continue;
			for (l = 0; l < nl; l++)
				e[l] += ei * srow[l];
			if (!lv->tau_diag) {
				const double *trow = lv->staff_tau + (size_t)i * nl;

				for (l = 0; l < nl; l++)
					w[l] += ei * trow[l];
			}
		}
		if (lv->tau_diag)
			for (l = 0; l < nl; l++)
				w[l] = lv->tau[l] * e[l];
	}
}

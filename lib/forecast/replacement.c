/*
 * replacement.c - step 4: labour-force exits, occupational transfers, openings.
 *
 * Method: the US BLS separations method (since the 2016-26 projections):
 * separations = labour-force exits + occupational transfers; exits come
 * from age- and sex-specific exit probabilities applied to each
 * occupation's demographic mix; openings = employment change + exits +
 * transfers, with no floor at zero (https://www.bls.gov/emp/documentation/
 * separations.htm; docs/reference/forecast-methods.md 2.1 and 7.2-7.3;
 * docs/methodology.md, "Replacement demand").  The age mix of an occupation
 * is found by iterative proportional fitting (Deming and Stephan 1940) of a
 * prior to the two margins the model has.
 */
#include "forecast/model.h"

#include <math.h>
#include <string.h>

#define IPF_MAX_ITER 200
#define IPF_TOL 1e-12

/*
 * Fit mix[m][c] (M x C, seeded with seed) to the row sums row[m] and the
 * column sums col[c], which must have the same total.  Rows or columns with
 * a zero target become zero.  Returns the iterations used.
 */
static int ipf_fit(double *mix, int M, int C, const double *row, const double *col)
{
	int it, m, c;

	for (it = 0; it < IPF_MAX_ITER; it++) {
		double worst = 0;

		for (m = 0; m < M; m++) {
			double sum = 0, f;

			for (c = 0; c < C; c++)
				sum += mix[m * C + c];
			f = sum > 0 ? row[m] / sum : 0;
			for (c = 0; c < C; c++)
				mix[m * C + c] *= f;
		}
		for (c = 0; c < C; c++) {
			double sum = 0, f;

			for (m = 0; m < M; m++)
				sum += mix[m * C + c];
			f = sum > 0 ? col[c] / sum : 0;
			for (m = 0; m < M; m++)
				mix[m * C + c] *= f;
		}
		/* after the column pass the columns fit; check the rows */
		for (m = 0; m < M; m++) {
			double sum = 0, dev;

			for (c = 0; c < C; c++)
				sum += mix[m * C + c];
			dev = fabs(sum - row[m]) / (row[m] > 1 ? row[m] : 1);
			if (dev > worst)
				worst = dev;
		}
		if (worst < IPF_TOL)
			return it + 1;
	}
	return IPF_MAX_ITER;
}

void ksp_fc_exit_rates(struct ksp_fc_base *b)
{
	const struct ksp_fc_input *in = b->in;
	const struct ksp_fc_dims *d = &b->d;
	const int A = d->nage, R = d->nreg, G = d->ngroup, M = d->nmajor;
	const int C = KSP_FC_NSEX * G;
	double mix[KSP_FC_MAX_MAJOR * 2 * KSP_FC_MAX_GROUP];
	double col[2 * KSP_FC_MAX_GROUP];
	int t, r, s, g, a, m, c;

	for (t = 1; t < d->nyear; t++) {
		const double *x = in->exit_prob + (size_t)t * KSP_FC_NSEX * A;
		const double *xr = in->exit_retire + (size_t)t * KSP_FC_NSEX * A;
		const double *xd = in->exit_death + (size_t)t * KSP_FC_NSEX * A;

		for (r = 0; r < R; r++) {
			const double *p = b->pop + ((size_t)(t - 1) * R + r) * KSP_FC_NSEX * A;
			double *xg = b->exit_group + ((size_t)t * R + r) * C;
			const double *row = b->demand_major + ((size_t)(t - 1) * R + r) * M;
			const double *emp = b->emp + ((size_t)(t - 1) * R + r) * C;
			double *xm = b->exit_major + ((size_t)t * R + r) * M;
			double *xmr = b->exit_major_retire + ((size_t)t * R + r) * M;
			double *xmd = b->exit_major_death + ((size_t)t * R + r) * M;
			double xgr[2 * KSP_FC_MAX_GROUP], xgd[2 * KSP_FC_MAX_GROUP];
			double rows = 0, cols = 0;

			/* exit rate of an age group: exit probabilities by single age
			   weighted by the population (participation is flat within a group) */
			for (s = 0; s < KSP_FC_NSEX; s++) {
				double num[KSP_FC_MAX_GROUP] = { 0 }, den[KSP_FC_MAX_GROUP] = { 0 };
				double xs[KSP_FC_MAX_GROUP] = { 0 };
				double numr[KSP_FC_MAX_GROUP] = { 0 }, xsr[KSP_FC_MAX_GROUP] = { 0 };
				double numd[KSP_FC_MAX_GROUP] = { 0 }, xsd[KSP_FC_MAX_GROUP] = { 0 };
				int n[KSP_FC_MAX_GROUP] = { 0 };

				for (a = 0; a < A; a++) {
					g = in->age_group[a];
					if (g < 0)
						continue;
					num[g] += p[s * A + a] * x[s * A + a];
					numr[g] += p[s * A + a] * xr[s * A + a];
					numd[g] += p[s * A + a] * xd[s * A + a];
					den[g] += p[s * A + a];
					xs[g] += x[s * A + a];
					xsr[g] += xr[s * A + a];
					xsd[g] += xd[s * A + a];
					n[g]++;
				}
				/* the same weights for the parts by cause, so that they stay parts */
				for (g = 0; g < G; g++) {
					xg[s * G + g] = den[g] > 0 ? num[g] / den[g]
							: n[g] > 0 ? xs[g] / n[g] : 0;
					xgr[s * G + g] = den[g] > 0 ? numr[g] / den[g]
							 : n[g] > 0 ? xsr[g] / n[g] : 0;
					xgd[s * G + g] = den[g] > 0 ? numd[g] / den[g]
							 : n[g] > 0 ? xsd[g] / n[g] : 0;
				}
			}

			/* exits of the supply side's employed (the entrants of step 5 need them) */
			{
				double xs = 0;

				for (c = 0; c < C; c++)
					xs += emp[c] * xg[c];
				b->exit_sup[(size_t)t * R + r] = xs;
			}
			/* the age mix of each major group: IPF of the prior to both margins */
			for (m = 0; m < M; m++)
				rows += row[m];
			for (c = 0; c < C; c++)
				cols += emp[c];
			for (c = 0; c < C; c++)
				col[c] = cols > 0 ? emp[c] * (rows / cols) : 0;
			for (m = 0; m < M; m++)
				for (s = 0; s < KSP_FC_NSEX; s++)
					for (g = 0; g < G; g++)
						mix[m * C + s * G + g] = in->age_tilt[m * G + g];
			ipf_fit(mix, M, C, row, col);

			for (m = 0; m < M; m++) {
				double num = 0, den = 0, numr = 0, numd = 0;

				for (c = 0; c < C; c++) {
					num += mix[m * C + c] * xg[c];
					numr += mix[m * C + c] * xgr[c];
					numd += mix[m * C + c] * xgd[c];
					den += mix[m * C + c];
				}
				if (den > 0) {
					xm[m] = num / den;
					xmr[m] = numr / den;
					xmd[m] = numd / den;
				} else {
					/* no workers in the group: the region's average exit rate */
					num = numr = numd = 0;
					for (c = 0; c < C; c++) {
						num += col[c] * xg[c];
						numr += col[c] * xgr[c];
						numd += col[c] * xgd[c];
					}
					xm[m] = rows > 0 ? num / rows : 0;
					xmr[m] = rows > 0 ? numr / rows : 0;
					xmd[m] = rows > 0 ? numd / rows : 0;
				}
			}
		}
	}
}

void ksp_fc_replacement_year(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			     const struct ksp_fc_draw *dr, int t, const double *tw_prev,
			     struct ksp_fc_result *res)
{
	const int R = b->d.nreg, M = b->d.nmajor, nl = lv->nl;
	const double xm_mult = dr->exit_mult, tr_mult = dr->transfer_mult;
	int r, l;

	for (r = 0; r < R; r++) {
		const size_t cur = ((size_t)t * R + r) * nl, prev = ((size_t)(t - 1) * R + r) * nl;
		const double *e1 = res->demand + cur, *e0 = res->demand + prev;
		const double *xm = b->exit_major + ((size_t)t * R + r) * M;
		const double *tw = tw_prev + (size_t)r * nl;
		double *ed = res->expansion + cur, *ex = res->exits + cur;
		double *tr = res->transfers + cur, *jo = res->openings + cur;

		for (l = 0; l < nl; l++) {
			/* ED = E[t] - E[t-1]; exits = x E[t-1]; transfers = tau E[t-1] */
			ed[l] = e1[l] - e0[l];
			ex[l] = xm[lv->major[l]] * xm_mult * e0[l];
			tr[l] = tw[l] * tr_mult;
			/* JO = ED + exits + transfers, no floor at zero (BLS since 2016-26) */
			jo[l] = ed[l] + ex[l] + tr[l];
		}
	}
}

void ksp_fc_exits_by_cause(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			   const struct ksp_fc_draw *dr, const struct ksp_fc_result *res, int t,
			   int r, double *retire, double *death)
{
	const int R = b->d.nreg, M = b->d.nmajor, nl = lv->nl;
	const size_t prev = ((size_t)(t - 1) * R + r) * nl;
	const double *e0 = res->demand + prev;
	const double *xr = b->exit_major_retire + ((size_t)t * R + r) * M;
	const double *xd = b->exit_major_death + ((size_t)t * R + r) * M;
	double sr = 0, sd = 0;

	/* as the cells' exits: rate x multiplier x E[t-1] (ksp_fc_replacement_year) */
	for (int l = 0; l < nl; l++) {
		sr += xr[lv->major[l]] * dr->exit_mult * e0[l];
		sd += xd[lv->major[l]] * dr->exit_mult * e0[l];
	}
	if (retire)
		*retire = sr;
	if (death)
		*death = sd;
}

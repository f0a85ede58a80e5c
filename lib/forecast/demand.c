/*
 * demand.c - step 3: employment demand by occupation, and occupation levels.
 *
 * Method: the staffing-matrix method of the US BLS National Employment
 * Matrix and Cedefop's EDMOD, E[r,o,t] = sum_i E[r,i,t] S[i,o]
 * (docs/methodology.md, "Demand"; docs/reference/forecast-methods.md 2.1,
 * 2.2 and 7.1), with industry employment growing at scenario rates and
 * investment projects added on top.
 */
#include "forecast/model.h"

#include <string.h>

#include "util/xmalloc.h"

/* The industries with a non-zero staffing entry in each block of groups (the product skips the rest). */
static void build_sparsity(struct ksp_fc_level *lv, int I)
{
	const int nl = lv->nl, identity = lv->tau_diag;
	int i, l;

	/* the industries with a non-zero entry in each block of groups */
	{
		int n = 0;

		lv->nblk = (nl + KSP_FC_BLOCK - 1) / KSP_FC_BLOCK;
		lv->blk_start = ksp_xcalloc((size_t)lv->nblk + 1, sizeof(int));
		lv->blk_ind = ksp_xcalloc((size_t)lv->nblk * I + 1, sizeof(int));
		for (int b = 0; b < lv->nblk; b++) {
			const int l0 = b * KSP_FC_BLOCK, l1 = l0 + KSP_FC_BLOCK < nl ? l0 + KSP_FC_BLOCK : nl;

			lv->blk_start[b] = n;
			for (i = 0; i < I; i++) {
				int any = 0;

				for (l = l0; l < l1; l++)
					any |= lv->staff[(size_t)i * nl + l] != 0 ||
					       (!identity && lv->staff_tau[(size_t)i * nl + l] != 0);
				if (any)
					lv->blk_ind[n++] = i;
			}
		}
		lv->blk_start[lv->nblk] = n;
	}
}

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

	build_sparsity(lv, I);
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
	free(lv->blk_start);
	free(lv->blk_ind);
	memset(lv, 0, sizeof(*lv));
}

/*
 * Block k of the staffing product (KSP_FC_BLOCK groups from l0 = k *
 * KSP_FC_BLOCK) of one region: e[l] = p[l] + sum_i ei[i] S[i][l], each sum
 * in the order of i, the terms with E[r,i,t] = 0 left out, and w[l] the
 * transfer-weighted demand; by blocks of groups held in registers, over the
 * industries with a non-zero entry in the block (a zero entry adds +0,
 * which changes no bit, so the sums are those of the dense product).  p, pt:
 * the region-year's rows of proj and proj_tau.  The Monte Carlo runs the
 * same operations on four draws at once (demand_block_lanes in
 * montecarlo.c): a change here must be made there too (the tests against the
 * plain evaluation fail otherwise).
 */
static inline void demand_block(const struct ksp_fc_level *lv, const double *p, const double *pt,
				int k, const double *ei, double *e, double *w)
{
	const int nl = lv->nl, l0 = k * KSP_FC_BLOCK;
	const int *ind = lv->blk_ind + lv->blk_start[k];
	const int nind = lv->blk_start[k + 1] - lv->blk_start[k];
	int l;

	if (l0 + KSP_FC_BLOCK <= nl) {
		double acc[KSP_FC_BLOCK], accw[KSP_FC_BLOCK];

		for (l = 0; l < KSP_FC_BLOCK; l++) {
			acc[l] = p[l0 + l];
			accw[l] = lv->tau_diag ? 0 : pt[l0 + l];
		}
		/* (an industry with E[r,i,t] = 0 adds +0 too) */
		if (lv->tau_diag) {
#if defined(__GNUC__) && KSP_FC_BLOCK == 8
			/* the same operations on vectors of 4 (GNU C vector extensions), since
			   the compiler does not always vectorise the loop over acc */
			typedef double v4d __attribute__((vector_size(32)));
			v4d a0, a1;

			memcpy(&a0, acc, sizeof(a0));
			memcpy(&a1, acc + 4, sizeof(a1));
			for (int j = 0; j < nind; j++) {
				const double x = ei[ind[j]];
				const v4d xv = { x, x, x, x };
				v4d s0, s1;

				memcpy(&s0, lv->staff + (size_t)ind[j] * nl + l0, sizeof(s0));
				memcpy(&s1, lv->staff + (size_t)ind[j] * nl + l0 + 4, sizeof(s1));
				a0 += xv * s0;
				a1 += xv * s1;
			}
			memcpy(acc, &a0, sizeof(a0));
			memcpy(acc + 4, &a1, sizeof(a1));
#else
			for (int j = 0; j < nind; j++) {
				const double x = ei[ind[j]];
				const double *srow = lv->staff + (size_t)ind[j] * nl + l0;

				for (l = 0; l < KSP_FC_BLOCK; l++)
					acc[l] += x * srow[l];
			}
#endif
			for (l = 0; l < KSP_FC_BLOCK; l++) {
				e[l] = acc[l];
				w[l] = lv->tau[l0 + l] * acc[l];
			}
		} else {
			for (int j = 0; j < nind; j++) {
				const double x = ei[ind[j]];
				const double *srow = lv->staff + (size_t)ind[j] * nl + l0;
				const double *trow = lv->staff_tau + (size_t)ind[j] * nl + l0;

				for (l = 0; l < KSP_FC_BLOCK; l++)
					acc[l] += x * srow[l];
				for (l = 0; l < KSP_FC_BLOCK; l++)
					accw[l] += x * trow[l];
			}
			for (l = 0; l < KSP_FC_BLOCK; l++) {
				e[l] = acc[l];
				w[l] = accw[l];
			}
		}
	} else {
		for (l = l0; l < nl; l++) {
			e[l - l0] = p[l];
			if (!lv->tau_diag)
				w[l - l0] = pt[l];
		}
		for (int j = 0; j < nind; j++) {
			const int i = ind[j];
			const double x = ei[i];

			if (x == 0)
				continue;
			for (l = l0; l < nl; l++)
				e[l - l0] += x * lv->staff[(size_t)i * nl + l];
			if (!lv->tau_diag)
				for (l = l0; l < nl; l++)
					w[l - l0] += x * lv->staff_tau[(size_t)i * nl + l];
		}
		if (lv->tau_diag)
			for (l = l0; l < nl; l++)
				w[l - l0] = lv->tau[l] * e[l - l0];
	}
}

KSP_CLONES
void ksp_fc_demand_region(const struct ksp_fc_input *in, const struct ksp_fc_level *lv, int t,
			  int r, const double *gfac, double *e, double *w)
{
	const int I = in->d.nind, R = in->d.nreg, nl = lv->nl;
	const double *p = lv->proj + ((size_t)t * R + r) * nl;
	const double *pt = lv->proj_tau + ((size_t)t * R + r) * nl;
	double ei[KSP_FC_MAX_IND];

	for (int i = 0; i < I; i++)
		ei[i] = in->emp_ind0[(size_t)r * I + i] * gfac[i];
	for (int k = 0; k < lv->nblk; k++)
		demand_block(lv, p, pt, k, ei, e + (size_t)k * KSP_FC_BLOCK, w + (size_t)k * KSP_FC_BLOCK);
}

void ksp_fc_demand_year(const struct ksp_fc_input *in, const struct ksp_fc_level *lv, int t,
			const double *gfac, double *demand_t, double *tw_t)
{
	const int R = in->d.nreg, nl = lv->nl;

	for (int r = 0; r < R; r++)
		ksp_fc_demand_region(in, lv, t, r, gfac, demand_t + (size_t)r * nl,
				     tw_t + (size_t)r * nl);
}

/* ---- twins ----------------------------------------------------------------------- */

/* Whether groups a and b of lv have the same inputs, bit for bit. */
static int same_inputs(const struct ksp_fc_level *lv, int I, int TR, int a, int b)
{
	const int nl = lv->nl;

	if (lv->major[a] != lv->major[b] || memcmp(&lv->tau[a], &lv->tau[b], sizeof(double)))
		return 0;
	for (int i = 0; i < I; i++)
		if (memcmp(&lv->staff[(size_t)i * nl + a], &lv->staff[(size_t)i * nl + b],
			   sizeof(double)) ||
		    memcmp(&lv->staff_tau[(size_t)i * nl + a], &lv->staff_tau[(size_t)i * nl + b],
			   sizeof(double)))
			return 0;
	for (int c = 0; c < TR; c++)
		if (memcmp(&lv->proj[(size_t)c * nl + a], &lv->proj[(size_t)c * nl + b],
			   sizeof(double)) ||
		    memcmp(&lv->proj_tau[(size_t)c * nl + a], &lv->proj_tau[(size_t)c * nl + b],
			   sizeof(double)))
			return 0;
	for (int c = 0; c < TR * KSP_FC_NLEVEL; c++)
		if (memcmp(&lv->grad[(size_t)c * nl + a], &lv->grad[(size_t)c * nl + b],
			   sizeof(double)))
			return 0;
	return 1;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int ksp_fc_level_twins(const struct ksp_fc_level *lv, const struct ksp_fc_input *in,
		       struct ksp_fc_level *out, int *cls)
{
	const int I = in->d.nind, TR = in->d.nyear * in->d.nreg, nl = lv->nl;
	uint64_t *h = ksp_xcalloc((size_t)nl, sizeof(uint64_t));
	int *rep = ksp_xcalloc((size_t)nl, sizeof(int)), nu = 0;

	/* a hash of each group's inputs, then equality checked against the classes so far
	   with the same hash (the first group of a class stands for it) */
	for (int l = 0; l < nl; l++) {
		uint64_t x = 0xcbf29ce484222325ULL;

		x = hash_bytes(x, &lv->major[l], sizeof(int));
		x = hash_bytes(x, &lv->tau[l], sizeof(double));
		for (int i = 0; i < I; i++) {
			x = hash_bytes(x, &lv->staff[(size_t)i * nl + l], sizeof(double));
			x = hash_bytes(x, &lv->staff_tau[(size_t)i * nl + l], sizeof(double));
		}
		for (int c = 0; c < TR; c++) {
			x = hash_bytes(x, &lv->proj[(size_t)c * nl + l], sizeof(double));
			x = hash_bytes(x, &lv->proj_tau[(size_t)c * nl + l], sizeof(double));
		}
		for (int c = 0; c < TR * KSP_FC_NLEVEL; c++)
			x = hash_bytes(x, &lv->grad[(size_t)c * nl + l], sizeof(double));
		h[l] = x;
		cls[l] = -1;
		for (int u = nu - 1; u >= 0; u--)
			if (h[rep[u]] == x && same_inputs(lv, I, TR, rep[u], l)) {
				cls[l] = u;
				break;
			}
		if (cls[l] < 0) {
			rep[nu] = l;
			cls[l] = nu++;
		}
	}

	/* the level of the classes: the columns of their first groups */
	memset(out, 0, sizeof(*out));
	out->nl = nu;
	out->tau_diag = lv->tau_diag;
	out->major = ksp_xcalloc((size_t)nu, sizeof(int));
	out->tau = ksp_xcalloc((size_t)nu, sizeof(double));
	out->staff = ksp_xcalloc((size_t)I * nu, sizeof(double));
	out->staff_tau = ksp_xcalloc((size_t)I * nu, sizeof(double));
	out->proj = ksp_xcalloc((size_t)TR * nu, sizeof(double));
	out->proj_tau = ksp_xcalloc((size_t)TR * nu, sizeof(double));
	out->grad = ksp_xcalloc((size_t)TR * KSP_FC_NLEVEL * nu, sizeof(double));
	for (int u = 0; u < nu; u++) {
		const int l = rep[u];

		out->major[u] = lv->major[l];
		out->tau[u] = lv->tau[l];
		for (int i = 0; i < I; i++) {
			out->staff[(size_t)i * nu + u] = lv->staff[(size_t)i * nl + l];
			out->staff_tau[(size_t)i * nu + u] = lv->staff_tau[(size_t)i * nl + l];
		}
		for (int c = 0; c < TR; c++) {
			out->proj[(size_t)c * nu + u] = lv->proj[(size_t)c * nl + l];
			out->proj_tau[(size_t)c * nu + u] = lv->proj_tau[(size_t)c * nl + l];
		}
		for (int c = 0; c < TR * KSP_FC_NLEVEL; c++)
			out->grad[(size_t)c * nu + u] = lv->grad[(size_t)c * nl + l];
	}
	build_sparsity(out, I);
	free(h);
	free(rep);
	return nu;
}

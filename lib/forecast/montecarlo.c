/*
 * montecarlo.c - step 7: draws over the uncertain parameters and bands.
 *
 * Each draw samples the uncertain parameters of a scenario (their
 * distributions are in the scenario file; docs/methodology.md,
 * "Uncertainty"), runs ksp_fc_evaluate() and keeps the values; P10, P50 and
 * P90 of every cell are R's type-7 quantiles over the draws (Hyndman and
 * Fan 1996).  The generator is xoshiro256** seeded by splitmix64 (Blackman
 * and Vigna, https://prng.di.unimi.it/), normals come from Marsaglia's polar
 * method with the portable ksp_fc_log, so the same seed gives the same bits
 * everywhere.
 */
#include "forecast/model.h"

#include <math.h>
#include <string.h>

#include "util/xmalloc.h"

/* ---- generator ------------------------------------------------------------ */

uint64_t ksp_fc_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void ksp_fc_rng_seed(struct ksp_fc_rng *g, uint64_t seed)
{
	uint64_t st = seed;

	for (int i = 0; i < 4; i++)
		g->s[i] = ksp_fc_splitmix64(&st);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t ksp_fc_rng_next(struct ksp_fc_rng *g)
{
	uint64_t *s = g->s;
	const uint64_t result = rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double ksp_fc_rng_uniform(struct ksp_fc_rng *g)
{
	return (double)(ksp_fc_rng_next(g) >> 11) * 0x1.0p-53;
}

double ksp_fc_rng_normal(struct ksp_fc_rng *g)
{
	for (;;) {
		double u = 2.0 * ksp_fc_rng_uniform(g) - 1.0;
		double v = 2.0 * ksp_fc_rng_uniform(g) - 1.0;
		double s = u * u + v * v;

		/* sqrt is correctly rounded by IEEE 754, so portable */
		if (s > 0 && s < 1)
			return u * sqrt(-2.0 * ksp_fc_log(s) / s);
	}
}

/* ---- draws ------------------------------------------------------------------ */

static double sample(struct ksp_fc_rng *g, const struct ksp_fc_uncertain *p)
{
	switch (p->dist) {
	case KSP_FC_NORMAL:
		return p->a + p->b * ksp_fc_rng_normal(g);
	case KSP_FC_LOGNORMAL:
		return ksp_fc_exp(p->a + p->b * ksp_fc_rng_normal(g));
	case KSP_FC_UNIFORM:
		return p->a + (p->b - p->a) * ksp_fc_rng_uniform(g);
	default:
		return p->a;
	}
}

void ksp_fc_draw_sample(struct ksp_fc_draw *dr, const struct ksp_fc_uncertain *u, int nu,
			uint64_t seed, int draw)
{
	struct ksp_fc_rng g;
	uint64_t st = seed;

	/* the draw's own stream: splitmix64 of the seed, then of the draw number */
	st = ksp_fc_splitmix64(&st) ^ (0xd1b54a32d192ed03ULL * (uint64_t)(draw + 1));
	ksp_fc_rng_seed(&g, st);
	ksp_fc_draw_central(dr);
	/* shifts add up, multipliers multiply: two parameters may act on one target */
	for (int i = 0; i < nu; i++) {
		double v = sample(&g, &u[i]);

		if (u[i].target != KSP_FC_T_GROWTH)
			v = v > 0 ? v : 0;
		switch (u[i].target) {
		case KSP_FC_T_GROWTH:
			if (u[i].index >= 0 && u[i].index < KSP_FC_MAX_IND)
				dr->growth_shift[u[i].index] += v;
			break;
		case KSP_FC_T_EXIT:
			dr->exit_mult *= v;
			break;
		case KSP_FC_T_TRANSFER:
			dr->transfer_mult *= v;
			break;
		case KSP_FC_T_ENTRY:
			if (u[i].index >= 0 && u[i].index < KSP_FC_NLEVEL)
				dr->entry_mult[u[i].index] *= v;
			break;
		case KSP_FC_T_MIG_EXT:
			dr->mig_ext_scale *= v;
			break;
		case KSP_FC_T_MIG_INT:
			dr->mig_int_scale *= v;
			break;
		default:
			break;
		}
	}
}

/* ---- quantiles ---------------------------------------------------------------- */

static const double quant_p[3] = { 0.10, 0.50, 0.90 };

/*
 * Put the k-th smallest of x[lo..hi] at x[k], smaller ones before it and
 * larger ones after (Hoare's selection with a median-of-three pivot).
 */
static float select_range(float *x, int lo, int hi, int k)
{
	while (hi > lo) {
		int mid = lo + (hi - lo) / 2, i = lo, j = hi;
		float a = x[lo], b = x[mid], c = x[hi], pivot;

		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		while (i <= j) {
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i <= j) {
				float tmp = x[i];

				x[i] = x[j];
				x[j] = tmp;
				i++;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return x[k];
}

static float select_k(float *x, int n, int k)
{
	return select_range(x, 0, n - 1, k);
}

/* The smallest of x[lo..hi]. */
static float min_range(const float *x, int lo, int hi)
{
	float m = x[lo];

	for (int i = lo + 1; i <= hi; i++)
		m = x[i] < m ? x[i] : m;
	return m;
}

/* Insertion sort of a few floats. */
static void sort_small(float *x, int n)
{
	for (int i = 1; i < n; i++) {
		float v = x[i];
		int j = i - 1;

		while (j >= 0 && x[j] > v) {
			x[j + 1] = x[j];
			j--;
		}
		x[j + 1] = v;
	}
}

/*
 * P10, P50 and P90 (type 7) of x[0..n-1] at once, exactly, by a bucket
 * selection that needs no data-dependent branch in its passes over the
 * draws (a comparison-based selection mispredicts half its branches): the
 * draws are counted into NB buckets of equal width between their minimum
 * and maximum, the buckets holding the wanted ranks are found from the
 * cumulative counts, and only their elements are sorted.  The bucket of a
 * value is a monotone function of it, so the order statistics are exact.
 * x is used as scratch (reordered).
 */
enum { NB = 256, SMALL = 96 };

static void quantiles3(float *x, int n, float out[3])
{
	int cnt[NB + 1], lo[3];
	double h[3];
	float mn = x[0], mx = x[0], scale;
	float sel[SMALL + 1]; /* +1: the branchless gather writes one past the last */

	for (int i = 1; i < n; i++) {
		mn = x[i] < mn ? x[i] : mn;
		mx = x[i] > mx ? x[i] : mx;
	}
	for (int k = 0; k < 3; k++) {
		h[k] = (n - 1) * quant_p[k];
		lo[k] = (int)floor(h[k]);
	}
	if (!(mx > mn) || n < 4) {
		for (int k = 0; k < 3; k++)
			out[k] = !(mx > mn) ? mn : (float)ksp_fc_quantile(x, n, quant_p[k]);
		return;
	}
	scale = (float)NB / (mx - mn);
	memset(cnt, 0, sizeof(cnt));
	for (int i = 0; i < n; i++) {
		int b = (int)((x[i] - mn) * scale);

		b = b < NB - 1 ? b : NB - 1;
		cnt[b + 1]++;
	}
	for (int b = 0; b < NB; b++)
		cnt[b + 1] += cnt[b]; /* cnt[b] = elements in buckets before b */
	for (int k = 0; k < 3; k++) {
		int r0 = lo[k], r1 = lo[k] + 1 < n ? lo[k] + 1 : lo[k];
		int b0 = 0, b1, m = 0;
		double v0, v1;

		/* the buckets b0..b1 that hold ranks r0 and r1 */
		while (cnt[b0 + 1] <= r0)
			b0++;
		b1 = b0;
		while (cnt[b1 + 1] <= r1)
			b1++;
		if (cnt[b1 + 1] - cnt[b0] <= SMALL) {
			for (int i = 0; i < n; i++) {
				int b = (int)((x[i] - mn) * scale);

				b = b < NB - 1 ? b : NB - 1;
				sel[m] = x[i];
				m += (b >= b0) & (b <= b1);
			}
			sort_small(sel, m);
			v0 = sel[r0 - cnt[b0]];
			v1 = sel[r1 - cnt[b0]];
		} else {
			/* a crowded bucket (heavy tails): plain selection */
			v0 = select_range(x, 0, n - 1, r0);
			v1 = r1 > r0 ? min_range(x, r0 + 1, n - 1) : v0;
		}
		out[k] = (float)(v0 + (h[k] - lo[k]) * (v1 - v0));
	}
}

double ksp_fc_quantile(float *x, int n, double p)
{
	double h = (n - 1) * p, lo_v, hi_v;
	int lo = (int)floor(h);

	if (n <= 0)
		return 0;
	if (lo >= n - 1)
		return select_k(x, n, n - 1);
	lo_v = select_k(x, n, lo);
	if (h == lo)
		return lo_v;
	/* after selection everything above lo is >= x[lo]: the next order statistic is their min */
	hi_v = x[lo + 1];
	for (int i = lo + 2; i < n; i++)
		if (x[i] < hi_v)
			hi_v = x[i];
	return lo_v + (h - lo) * (hi_v - lo_v);
}

/* ---- the run -------------------------------------------------------------------- */

void ksp_fc_bands_release(struct ksp_fc_bands *bd)
{
	free(bd->cell);
	free(bd->total);
	free(bd->shortfall);
	memset(bd, 0, sizeof(*bd));
}

/* Write the totals of one draw for the years [t0, t1) into tot[tot][t][r+1]. */
static void draw_totals(const struct ksp_fc_base *b, const struct ksp_fc_result *res,
			const struct ksp_fc_draw *dr, int t0, int t1, float *tot)
{
	const int R = b->d.nreg, nl = res->nl, ny = t1 - t0;

	for (int t = t0; t < t1; t++) {
		double nat[KSP_FC_NTOT] = { 0 };

		for (int r = 0; r <= R; r++) {
			double v[KSP_FC_NTOT] = { 0 };

			if (r < R) {
				size_t c = (size_t)t * R + r;
				const size_t o = c * nl;

				v[KSP_FC_TOT_POP] = b->pop_tot[c] +
						    (dr->mig_ext_scale - 1.0) * b->dpop_ext[c] +
						    (dr->mig_int_scale - 1.0) * b->dpop_int[c];
				v[KSP_FC_TOT_LF] = b->lf_tot[c] +
						   (dr->mig_ext_scale - 1.0) * b->dlf_ext[c] +
						   (dr->mig_int_scale - 1.0) * b->dlf_int[c];
				v[KSP_FC_TOT_DEMAND] = res->demand_tot[c];
				for (int l = 0; l < nl; l++) {
					v[KSP_FC_TOT_OPENINGS] += res->openings[o + l];
					v[KSP_FC_TOT_SUPPLY] += res->new_supply[o + l];
					v[KSP_FC_TOT_BALANCE] += res->balance[o + l];
				}
				for (int k = 0; k < KSP_FC_NTOT; k++)
					nat[k] += v[k];
			} else {
				memcpy(v, nat, sizeof(v));
			}
			for (int k = 0; k < KSP_FC_NTOT; k++)
				tot[((size_t)k * ny + (t - t0)) * (R + 1) + r] = (float)v[k];
		}
	}
}

/*
 * Quantiles of n cells whose draws are stored draw-major: the value of
 * cell c in draw d is buf[d * stride + c].  q[k][c] gets quantile k.
 */
static void cell_quantiles(const float *buf, size_t n, size_t stride, int ndraws,
			   float *q[3])
{
	enum { BLOCK = 16 };
	float *blk = ksp_xmalloc((size_t)BLOCK * ndraws * sizeof(float));

	/* gather 16 cells at a time: one cache line per draw instead of 16 */
	for (size_t c0 = 0; c0 < n; c0 += BLOCK) {
		size_t nb = n - c0 < BLOCK ? n - c0 : BLOCK;

		for (int d = 0; d < ndraws; d++)
			for (size_t j = 0; j < nb; j++)
				blk[j * ndraws + d] = buf[(size_t)d * stride + c0 + j];
		for (size_t j = 0; j < nb; j++) {
			float v[3];

			quantiles3(blk + j * ndraws, ndraws, v);
			for (int k = 0; k < 3; k++)
				q[k][c0 + j] = v[k];
		}
	}
	free(blk);
}

/*
 * The national shortfall of every year of one draw (ksp_fc_shortfall for
 * t = 0..T-1 in one pass); cum is scratch of R * nl doubles.
 */
static void shortfall_all(const struct ksp_fc_result *res, double *cum, double *sf, size_t step)
{
	const size_t n = (size_t)res->nreg * res->nl;

	memset(cum, 0, n * sizeof(double));
	for (int t = 0; t < res->nyear; t++) {
		double gross = 0, dem = 0;

		for (size_t c = 0; c < n; c++) {
			if (t > 0)
				cum[c] -= res->balance[(size_t)t * n + c];
			if (cum[c] > 0)
				gross += cum[c];
			dem += res->demand[(size_t)t * n + c];
		}
		sf[(size_t)t * step] = dem > 0 ? gross / dem : 0;
	}
}

int ksp_fc_montecarlo(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
		      const struct ksp_fc_uncertain *u, int nu, int ndraws, uint64_t seed,
		      const unsigned char *band_year, size_t max_bytes, struct ksp_fc_bands *out,
		      struct ksp_error *err)
{
	const int R = b->d.nreg, T = b->d.nyear, nl = lv->nl;
	const size_t cells_year = (size_t)R * nl, tot_year = (size_t)(R + 1) * KSP_FC_NTOT;
	const size_t per_year = (size_t)KSP_FC_NBAND * cells_year * sizeof(float);
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	float *buf = NULL, *tbuf = NULL, *col = NULL;
	double *sf = NULL;
	int years, nby = 0, by[KSP_FC_MAX_YEAR];

	memset(out, 0, sizeof(*out));
	if (ndraws < 2 || ndraws > 1000000)
		return ksp_error_set(err, KSP_EUSAGE, "draws: expected 2 to 1000000, got %d", ndraws);
	years = (int)(max_bytes / ((size_t)ndraws * per_year));
	if (years < 1)
		return ksp_error_set(err, KSP_EUSAGE,
				     "draws: %d draws of %zu cells need %zu MB a year, over the "
				     "%zu MB cap; use fewer draws or a coarser --level",
				     ndraws, cells_year, ndraws * per_year >> 20, max_bytes >> 20);
	for (int t = 0; t < T; t++)
		if (!band_year || band_year[t])
			by[nby++] = t;
	if (years > nby)
		years = nby;
	if (years < 1)
		years = 1;

	out->ndraws = ndraws;
	out->nyear = T;
	out->nreg = R;
	out->nl = nl;
	out->cell = ksp_xcalloc((size_t)3 * KSP_FC_NBAND * T * cells_year, sizeof(float));
	out->total = ksp_xcalloc((size_t)3 * KSP_FC_NTOT * T * (R + 1), sizeof(float));
	out->shortfall = ksp_xcalloc((size_t)3 * T, sizeof(double));
	for (size_t i = 0; i < (size_t)3 * KSP_FC_NBAND * T * cells_year; i++)
		out->cell[i] = NAN;
	for (size_t i = 0; i < (size_t)3 * KSP_FC_NTOT * T * (R + 1); i++)
		out->total[i] = NAN;

	ksp_fc_result_init_lean(&res, T, R, nl);
	buf = ksp_xmalloc((size_t)ndraws * KSP_FC_NBAND * (years > 0 ? years : 1) * cells_year *
			  sizeof(float));
	tbuf = ksp_xmalloc((size_t)ndraws * T * tot_year * sizeof(float));
	col = ksp_xmalloc((size_t)ndraws * sizeof(float));
	sf = ksp_xcalloc((size_t)ndraws * T, sizeof(double));

	/* passes over chunks of the band years: the chunk's j-th year is by[j0 + j];
	   the totals and the shortfall (all years) are kept in the first pass */
	for (int j0 = 0; j0 == 0 || j0 < nby; j0 += years) {
		const int ny = j0 + years < nby ? years : nby - j0;
		const size_t n = (size_t)KSP_FC_NBAND * ny * cells_year; /* values per draw */

		out->passes++;
		for (int d = 0; d < ndraws; d++) {
			float *dst = buf + (size_t)d * n;

			ksp_fc_draw_sample(&dr, u, nu, seed, d);
			ksp_fc_evaluate(b, lv, &dr, &res);
			for (int j = 0; j < ny; j++) {
				const size_t o = (size_t)by[j0 + j] * cells_year;

				for (int k = 0; k < KSP_FC_NBAND; k++) {
					const double *src = k == KSP_FC_BAND_DEMAND ? res.demand
							  : k == KSP_FC_BAND_OPENINGS ? res.openings
							  : k == KSP_FC_BAND_SUPPLY ? res.new_supply
										     : res.balance;
					float *dd = dst + ((size_t)k * ny + j) * cells_year;

					for (size_t c = 0; c < cells_year; c++)
						dd[c] = (float)src[o + c];
				}
			}
			if (j0 == 0) {
				draw_totals(b, &res, &dr, 0, T, tbuf + (size_t)d * T * tot_year);
				shortfall_all(&res, res.scratch, sf + d, (size_t)ndraws);
			}
		}
		/* quantiles of this pass's cells, written into [q][band][t][r][l] */
		for (int k = 0; k < KSP_FC_NBAND; k++)
			for (int j = 0; j < ny; j++) {
				float *q[3];

				for (int i = 0; i < 3; i++)
					q[i] = out->cell +
					       (((size_t)i * KSP_FC_NBAND + k) * T + by[j0 + j]) * cells_year;
				cell_quantiles(buf + ((size_t)k * ny + j) * cells_year, cells_year, n,
					       ndraws, q);
			}
	}
	for (int k = 0; k < KSP_FC_NTOT; k++) {
		const size_t m = (size_t)T * (R + 1);
		float *q[3];

		for (int i = 0; i < 3; i++)
			q[i] = out->total + ((size_t)i * KSP_FC_NTOT + k) * m;
		cell_quantiles(tbuf + (size_t)k * m, m, (size_t)T * tot_year, ndraws, q);
	}
	for (int t = 0; t < T; t++) {
		for (int d = 0; d < ndraws; d++)
			col[d] = (float)sf[(size_t)t * ndraws + d];
		for (int j = 0; j < 3; j++)
			out->shortfall[(size_t)j * T + t] = ksp_fc_quantile(col, ndraws, quant_p[j]);
	}

	free(buf);
	free(tbuf);
	free(col);
	free(sf);
	ksp_fc_result_release(&res);
	return KSP_OK;
}

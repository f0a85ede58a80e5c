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
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/*
 * P10, P50 and P90 (type 7) of a column x[0..n-1] of one cell's draws,
 * exactly, by a bucket selection:
 *
 *   1. the column's minimum and maximum;
 *   2. each draw's bucket of NB of equal width between them, and their counts;
 *   3. the buckets holding the wanted ranks are found from the counts, one
 *      scan of the bucket numbers picks their few elements, and only among
 *      these are the ranks counted.
 *
 * The bucket of a value is a monotone function of it, so the order
 * statistics are exact and do not depend on the order of the draws.  A
 * crowded bucket range (heavy tails) falls back to Hoare's selection.  The
 * loops of 1 and 2 run over contiguous floats and vectorise; callers give
 * columns (the regions' cells are written as columns, the country's and the
 * totals are copied into columns 16 cells at a time).  A cell that repeats
 * the one before it bit for bit in every draw (a twin) copies its quantiles.
 */
enum { NB = 256, SMALL = 96, QBLK = 16 };

struct qwork {
	float *col;        /* [QBLK][ndraws] the draws of a block of cells */
	unsigned char *bk; /* [ndraws] the buckets of a column */
};

static void qwork_init(struct qwork *w, int ndraws)
{
	w->col = ksp_xmalloc((size_t)QBLK * ndraws * sizeof(float));
	w->bk = ksp_xmalloc((size_t)ndraws);
}

static void qwork_release(struct qwork *w)
{
	free(w->col);
	free(w->bk);
}

/*
 * The j0-th and j1-th smallest of x[0..m-1] (j0 <= j1 < m): each element's
 * rank counted (those smaller, and those equal before it), no branch on the
 * values.
 */
static void pick2(const float *x, int m, int j0, int j1, double *v0, double *v1)
{
	*v0 = *v1 = x[0]; /* (only if the values are not all comparable: NaN) */
	for (int a = 0; a < m; a++) {
		const float xa = x[a];
		int r = 0;

		for (int b = 0; b < m; b++)
			r += (x[b] < xa) | ((x[b] == xa) & (b < a));
		if (r == j0)
			*v0 = xa;
		if (r == j1)
			*v1 = xa;
	}
}

/*
 * Step 3 for one column x[0..n-1] with buckets bk and counts cnt (cnt[b + 1]:
 * the elements in bucket b).  The buckets of the six ranks wanted (two a
 * quantile, increasing) are found in one pass over sums of 16 buckets and
 * the buckets of the sums that hold them; one scan of the bucket numbers, 16
 * at a time, picks the elements of the three ranges of buckets (in the order
 * of the draws), and the two order statistics of each range are picked by
 * counting ranks (pick2).
 */
static void select3(float *x, const unsigned char *bk, const int *cnt, int n, float out[3])
{
	double h[3], v0[3], v1[3];
	int lo[3], rk[6], bof[6], before[6], b0[3], b1[3], base[3], crowded[3], m[3] = { 0, 0, 0 };
	unsigned char mark[NB];
	float sel[3][SMALL];

	for (int k = 0; k < 3; k++) {
		h[k] = (n - 1) * quant_p[k];
		lo[k] = (int)floor(h[k]);
		rk[2 * k] = lo[k];
		rk[2 * k + 1] = lo[k] + 1 < n ? lo[k] + 1 : lo[k];
	}
	/* the bucket of each rank and the elements before that bucket (the ranks
	   increase): the sums of 16 buckets first, then the buckets of one of them */
	{
		int sup[NB / 16], run = 0, want = 0;

		for (int s = 0; s < NB / 16; s++) {
			int t = 0;

			for (int b = 0; b < 16; b++)
				t += cnt[s * 16 + b + 1];
			sup[s] = t;
		}
		for (int s = 0; s < NB / 16 && want < 6; s++) {
			if (rk[want] >= run + sup[s]) {
				run += sup[s];
				continue;
			}
			for (int b = s * 16; b < s * 16 + 16 && want < 6; b++) {
				const int c = cnt[b + 1];

				while (want < 6 && rk[want] < run + c) {
					bof[want] = b;
					before[want] = run;
					want++;
				}
				run += c;
			}
		}
	}
	memset(mark, 0, sizeof(mark));
	for (int k = 0; k < 3; k++) {
		b0[k] = bof[2 * k];
		b1[k] = bof[2 * k + 1];
		base[k] = before[2 * k];
		crowded[k] = before[2 * k + 1] + cnt[b1[k] + 1] - base[k] > SMALL;
		if (!crowded[k])
			for (int b = b0[k]; b <= b1[k]; b++)
				mark[b] |= (unsigned char)(1u << k);
	}
	{
		int i = 0;
#ifdef __SSE2__
		/* 16 buckets at a time: those in any range [b0, b1] (x - b0 <= b1 - b0,
		   unsigned), each element then given to its ranges, in the order of the draws */
		__m128i vlo[3], span[3];
		const __m128i zero = _mm_setzero_si128();

		for (int k = 0; k < 3; k++) {
			/* (a crowded range is not compared: the loop below skips it) */
			vlo[k] = _mm_set1_epi8((char)(crowded[k] ? 0 : b0[k]));
			span[k] = _mm_set1_epi8((char)(crowded[k] ? 0 : b1[k] - b0[k]));
		}
		for (; i + 16 <= n; i += 16) {
			const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(bk + i));
			unsigned hit = 0;

			for (int k = 0; k < 3; k++)
				if (!crowded[k])
					hit |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
						_mm_subs_epu8(_mm_sub_epi8(v, vlo[k]), span[k]), zero));
			while (hit) {
				const int e = i + __builtin_ctz(hit);
				const unsigned mk = mark[bk[e]];

				if (mk & 1u)
					sel[0][m[0]++] = x[e];
				if (mk & 2u)
					sel[1][m[1]++] = x[e];
				if (mk & 4u)
					sel[2][m[2]++] = x[e];
				hit &= hit - 1;
			}
		}
#endif
		for (; i < n; i++) {
			const unsigned mk = mark[bk[i]];

			if (mk)
				for (int k = 0; k < 3; k++)
					if (mk & (1u << k))
						sel[k][m[k]++] = x[i];
		}
	}
	for (int k = 0; k < 3; k++) {
		if (crowded[k])
			continue;
		pick2(sel[k], m[k], rk[2 * k] - base[k], rk[2 * k + 1] - base[k], &v0[k], &v1[k]);
	}
	/* after the scan: the selection reorders x */
	for (int k = 0; k < 3; k++)
		if (crowded[k]) {
			const int r0 = rk[2 * k], r1 = rk[2 * k + 1];

			v0[k] = select_range(x, 0, n - 1, r0);
			v1[k] = r1 > r0 ? min_range(x, r0 + 1, n - 1) : v0[k];
		}
	for (int k = 0; k < 3; k++)
		out[k] = (float)(v0[k] + (h[k] - lo[k]) * (v1[k] - v0[k]));
}

KSP_CLONES
static void col_quantiles(float *x, int n, unsigned char *bk, float out[3])
{
	float mn8[8], mx8[8], mn, mx, scale;
	int cnt[NB + 1], i = 0;

	/* 1. the extremes, in 8 independent chains (only their values matter, through
	   the buckets; which of +0 and -0 is kept changes no bucket) */
	for (int k = 0; k < 8; k++)
		mn8[k] = mx8[k] = x[0];
#ifdef __SSE2__
	{
		/* minps(a, b) is a < b ? a : b, maxps(a, b) a > b ? a : b: the loop below */
		__m128 a0 = _mm_set1_ps(x[0]), a1 = a0, c0 = a0, c1 = a0;

		for (; i + 8 <= n; i += 8) {
			const __m128 v0 = _mm_loadu_ps(x + i), v1 = _mm_loadu_ps(x + i + 4);

			a0 = _mm_min_ps(v0, a0);
			a1 = _mm_min_ps(v1, a1);
			c0 = _mm_max_ps(v0, c0);
			c1 = _mm_max_ps(v1, c1);
		}
		_mm_storeu_ps(mn8, a0);
		_mm_storeu_ps(mn8 + 4, a1);
		_mm_storeu_ps(mx8, c0);
		_mm_storeu_ps(mx8 + 4, c1);
	}
#else
	for (; i + 8 <= n; i += 8)
		for (int k = 0; k < 8; k++) {
			mn8[k] = x[i + k] < mn8[k] ? x[i + k] : mn8[k];
			mx8[k] = x[i + k] > mx8[k] ? x[i + k] : mx8[k];
		}
#endif
	for (; i < n; i++) {
		mn8[0] = x[i] < mn8[0] ? x[i] : mn8[0];
		mx8[0] = x[i] > mx8[0] ? x[i] : mx8[0];
	}
	mn = mn8[0];
	mx = mx8[0];
	for (int k = 1; k < 8; k++) {
		mn = mn8[k] < mn ? mn8[k] : mn;
		mx = mx8[k] > mx ? mx8[k] : mx;
	}
	if (!(mx > mn)) {
		/* every draw the same: the first draw's value (its bits) */
		out[0] = out[1] = out[2] = x[0];
		return;
	}
	if (n < 4) {
		for (int k = 0; k < 3; k++)
			out[k] = (float)ksp_fc_quantile(x, n, quant_p[k]);
		return;
	}
	/* 2. the buckets and their counts */
	scale = (float)NB / (mx - mn);
	for (i = 0; i < n; i++) {
		int b = (int)((x[i] - mn) * scale);

		bk[i] = (unsigned char)(b < NB - 1 ? b : NB - 1);
	}
	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++)
		cnt[bk[i] + 1]++;
	/* 3. the quantiles */
	select3(x, bk, cnt, n, out);
}

void ksp_fc_quantiles3(float *x, int n, float out[3])
{
	unsigned char *bk = ksp_xmalloc(n > 0 ? (size_t)n : 1);

	if (n > 0)
		col_quantiles(x, n, bk, out);
	else
		out[0] = out[1] = out[2] = 0;
	free(bk);
}

/*
 * The quantiles of n cells whose draws are stored draw-major (the value of
 * cell c in draw d is buf[d * stride + c]) into q[k][c], 16 cells at a time
 * copied into columns.
 */
static void cell_quantiles(const float *buf, size_t n, size_t stride, int nd, float *q[3],
			   struct qwork *w)
{
	for (size_t c0 = 0; c0 < n; c0 += QBLK) {
		const int nb = n - c0 < QBLK ? (int)(n - c0) : QBLK;
		unsigned char twin[QBLK];

		for (int d = 0; d < nd; d++) {
			const float *row = buf + (size_t)d * stride + c0;

			for (int j = 0; j < nb; j++)
				w->col[(size_t)j * nd + d] = row[j];
		}
		/* the twins, before the selection reorders the columns */
		for (int j = 1; j < nb; j++)
			twin[j] = !memcmp(w->col + (size_t)(j - 1) * nd, w->col + (size_t)j * nd,
					  (size_t)nd * sizeof(float));
		for (int j = 0; j < nb; j++) {
			float *x = w->col + (size_t)j * nd, v[3];

			if (j > 0 && twin[j])
				for (int k = 0; k < 3; k++)
					v[k] = q[k][c0 + j - 1];
			else
				col_quantiles(x, nd, w->bk, v);
			for (int k = 0; k < 3; k++)
				q[k][c0 + j] = v[k];
		}
	}
}

/* ---- the run -------------------------------------------------------------------- */

void ksp_fc_bands_release(struct ksp_fc_bands *bd)
{
	free(bd->cell);
	free(bd->total);
	free(bd->shortfall);
	memset(bd, 0, sizeof(*bd));
}

/*
 * The share of the Monte Carlo's work done, told to the sink in steps of
 * 1 %, from the calling thread only (the workers add to done, the caller
 * reports when it adds).
 */
struct progress {
	const struct ksp_fc_sink *sink;
	double total, told;
	atomic_llong done;
};

static void progress_add(struct progress *p, long long work, int caller)
{
	double f;
	long long done = atomic_fetch_add(&p->done, work) + work;

	if (!caller || !p->sink || !p->sink->progress || !(p->total > 0))
		return;
	f = (double)done >= p->total ? 1 : (double)done / p->total;
	if (f >= p->told + 0.01 || (f == 1 && p->told < 1)) {
		p->told = f;
		p->sink->progress(p->sink->progress_ctx, f);
	}
}

/*
 * The draws are run in two phases that give the same numbers, bit for bit,
 * as evaluating every draw with ksp_fc_evaluate() and keeping all its cells
 * (the steps below use the same operations in the same order; the tests
 * compare them):
 *
 *   1. every draw in turn, all years and regions (the state of a draw, a
 *      year of demand, fits in the cache): the totals, the shortfall, and
 *      the country's cells of the band years (the regions summed within the
 *      draw);
 *   2. region by region, every draw again, only the band years: the
 *      region's cells.  A region's cells of year t need only its demand of
 *      t - 1 and t, which the draw's growth factors (kept from phase 1) give
 *      directly, so nothing else is recomputed and the buffer holds one
 *      region's draws.
 *
 * So the memory is that of the country's draws and one region's, not of
 * every cell's (at level 4 with 1,000 draws and bands for 11 years, about
 * 80 MB each instead of 1.5 GB), and no pass reruns the whole model.
 */
struct mc {
	const struct ksp_fc_base *b;
	const struct ksp_fc_level *lv;
	const struct ksp_fc_xmap *xm;
	int R, T, I, M, nl, ng; /* ng: groups of the cells banded (xm->nout or nl) */
	int *mrun;              /* [nmrun + 1] starts of the runs of groups of one major group */
	int nmrun;
	/* twins (ksp_fc_level_twins): demand is computed once a class when the classes
	   are fewer than 3/4 of the groups; tw_cls is NULL otherwise */
	struct ksp_fc_level tw;
	int *tw_cls; /* [nl] the class of each group (<= the group's index) */
};

/*
 * Demand e[l] and transfer-weighted demand w[l] of region r in year t
 * (ksp_fc_demand_region): twins have the same inputs bit for bit, so the
 * class's product is each twin's, bit for bit; the classes are computed in
 * e[0..nclass-1] and copied out from the last group down (the class of
 * group l is at most l, so it is read before it is overwritten).
 */
static void mc_demand(const struct mc *mc, int t, int r, const double *gfac, double *e, double *w)
{
	if (!mc->tw_cls) {
		ksp_fc_demand_region(mc->b->in, mc->lv, t, r, gfac, e, w);
		return;
	}
	ksp_fc_demand_region(mc->b->in, &mc->tw, t, r, gfac, e, w);
	for (int l = mc->nl - 1; l >= 0; l--) {
		e[l] = e[mc->tw_cls[l]];
		w[l] = w[mc->tw_cls[l]];
	}
}

/* cg > 0 ? cg : 0.0 without a branch (maxsd is that expression, NaN included). */
static inline double pos_part(double cg)
{
#ifdef __SSE2__
	return _mm_cvtsd_f64(_mm_max_sd(_mm_set_sd(cg), _mm_setzero_pd()));
#else
	return cg > 0 ? cg : 0.0;
#endif
}

/* Per-draw rows: one region, one year. */
struct rows {
	double *jo, *ns, *bal;              /* [nl] */
	double *mdem, *mjo, *mns, *mbal;    /* [ng] mapped (xm) */
};

static void rows_init(struct rows *w, int nl, int ng)
{
	w->jo = ksp_xcalloc((size_t)nl, sizeof(double));
	w->ns = ksp_xcalloc((size_t)nl, sizeof(double));
	w->bal = ksp_xcalloc((size_t)nl, sizeof(double));
	w->mdem = ksp_xcalloc((size_t)ng, sizeof(double));
	w->mjo = ksp_xcalloc((size_t)ng, sizeof(double));
	w->mns = ksp_xcalloc((size_t)ng, sizeof(double));
	w->mbal = ksp_xcalloc((size_t)ng, sizeof(double));
}

static void rows_release(struct rows *w)
{
	free(w->jo);
	free(w->ns);
	free(w->bal);
	free(w->mdem);
	free(w->mjo);
	free(w->mns);
	free(w->mbal);
}

/* What the cells of region r in year t share in draw dr (region_cells, region_sums). */
struct region_year {
	const int *major;
	const double *xm, *gt, *gh; /* exit rates by major group; graduates TVET, higher */
	double tr_mult, em0, em1, exit_mult, wshare, rshare;
};

static struct region_year region_year(const struct mc *mc, const struct ksp_fc_draw *dr, int t,
				      int r, double etot0)
{
	const struct ksp_fc_base *b = mc->b;
	const int R = mc->R;
	const size_t tr = (size_t)t * R + r;
	const double wm = b->work_int[tr] * dr->mig_int_scale + b->work_ext[tr] * dr->mig_ext_scale;
	struct region_year y;

	y.major = mc->lv->major;
	y.xm = b->exit_major + tr * mc->M;
	y.gt = mc->lv->grad + tr * KSP_FC_NLEVEL * mc->nl;
	y.gh = y.gt + mc->nl;
	y.tr_mult = dr->transfer_mult;
	y.em0 = dr->entry_mult[KSP_FC_TVET];
	y.em1 = dr->entry_mult[KSP_FC_HIGHER];
	y.exit_mult = dr->exit_mult;
	y.wshare = etot0 > 0 ? wm / etot0 : 0;
	y.rshare = etot0 > 0 ? b->reserve[tr] / etot0 : 0;
	return y;
}

/*
 * Steps 4b-6 of region r in year t >= 1 for draw dr: the formulas of
 * lean_year (engine.c), operation for operation, over runs of groups of one
 * major group so that the loops vectorise.  e0, e1: demand of t - 1 and t;
 * tw0: transfer-weighted demand of t - 1; etot0: the region's demand of t - 1.
 */
static void region_cells(const struct mc *mc, const struct ksp_fc_draw *dr, int t, int r,
			 const double *e0, const double *e1, const double *tw0, double etot0,
			 struct rows *w)
{
	const struct region_year y = region_year(mc, dr, t, r, etot0);
	const double *gt = y.gt, *gh = y.gh;
	const double tr_mult = y.tr_mult, em0 = y.em0, em1 = y.em1, wshare = y.wshare;
	const double rshare = y.rshare;
	double *jo = w->jo, *ns = w->ns, *bal = w->bal;

	for (int k = 0; k < mc->nmrun; k++) {
		const int l0 = mc->mrun[k], l1 = mc->mrun[k + 1];
		const double xr = y.xm[y.major[l0]] * y.exit_mult;

		for (int l = l0; l < l1; l++) {
			ksp_fc_cell_flows(e0[l], e1[l], tw0[l], xr, tr_mult, gt[l], gh[l], em0, em1,
					  wshare, rshare, &jo[l], &ns[l]);
			bal[l] = ns[l] - jo[l];
		}
	}
}

/*
 * region_cells and, in the same loop, the region's sums for the totals
 * (v: demand, openings, new supply, balance) and the shortfall's cumulative
 * gaps cum[l] with *gross and *dem (the cells without a map): each sum in
 * the order of the groups, as the full evaluation takes it, the chains
 * independent so that they overlap.
 */
static void region_sums(const struct mc *mc, const struct ksp_fc_draw *dr, int t, int r,
			const double *e0, const double *e1, const double *tw0, double etot0,
			double *cum, struct rows *w, double v[KSP_FC_NTOT], double *gross,
			double *dem)
{
	const struct region_year y = region_year(mc, dr, t, r, etot0);
	const double *gt = y.gt, *gh = y.gh;
	const double tr_mult = y.tr_mult, em0 = y.em0, em1 = y.em1, wshare = y.wshare;
	const double rshare = y.rshare;
	double *jo = w->jo, *ns = w->ns, *bal = w->bal;
	double se = 0, so = 0, sn = 0, sb = 0, gs = *gross, ds = *dem;

	for (int k = 0; k < mc->nmrun; k++) {
		const int l0 = mc->mrun[k], l1 = mc->mrun[k + 1];
		const double xr = y.xm[y.major[l0]] * y.exit_mult;

		for (int l = l0; l < l1; l++) {
			double o, n, bl, cg;

			ksp_fc_cell_flows(e0[l], e1[l], tw0[l], xr, tr_mult, gt[l], gh[l], em0, em1,
					  wshare, rshare, &o, &n);
			bl = n - o;
			cg = cum[l] - bl;

			jo[l] = o;
			ns[l] = n;
			bal[l] = bl;
			cum[l] = cg;
			se += e1[l];
			so += o;
			sn += n;
			sb += bl;
			gs += pos_part(cg); /* + 0.0 changes no bit */
			ds += e1[l];
		}
	}
	v[KSP_FC_TOT_DEMAND] = se;
	v[KSP_FC_TOT_OPENINGS] = so;
	v[KSP_FC_TOT_SUPPLY] = sn;
	v[KSP_FC_TOT_BALANCE] = sb;
	*gross = gs;
	*dem = ds;
}

/* The four banded rows of region r (mapped when there is a map); t = 0 has no flows. */
static void banded_rows(const struct mc *mc, int t, const double *e1, struct rows *w,
			const double *out[KSP_FC_NBAND])
{
	if (t == 0) {
		memset(w->jo, 0, (size_t)mc->nl * sizeof(double));
		memset(w->ns, 0, (size_t)mc->nl * sizeof(double));
		memset(w->bal, 0, (size_t)mc->nl * sizeof(double));
	}
	if (mc->xm) {
		ksp_fc_xmap_apply(mc->xm, e1, w->mdem);
		ksp_fc_xmap_apply(mc->xm, w->jo, w->mjo);
		ksp_fc_xmap_apply(mc->xm, w->ns, w->mns);
		ksp_fc_xmap_apply(mc->xm, w->bal, w->mbal);
		out[KSP_FC_BAND_DEMAND] = w->mdem;
		out[KSP_FC_BAND_OPENINGS] = w->mjo;
		out[KSP_FC_BAND_SUPPLY] = w->mns;
		out[KSP_FC_BAND_BALANCE] = w->mbal;
	} else {
		out[KSP_FC_BAND_DEMAND] = e1;
		out[KSP_FC_BAND_OPENINGS] = w->jo;
		out[KSP_FC_BAND_SUPPLY] = w->ns;
		out[KSP_FC_BAND_BALANCE] = w->bal;
	}
}

/* Cumulative growth factors of year t from those of t - 1 (ksp_fc_evaluate's). */
static void growth_step(const struct mc *mc, const struct ksp_fc_draw *dr, int t, double *g)
{
	const double *gr = mc->b->in->growth + (size_t)t * mc->I;

	if (t == 0)
		for (int i = 0; i < mc->I; i++)
			g[i] = 1.0;
	else
		for (int i = 0; i < mc->I; i++)
			g[i] *= 1.0 + gr[i] + dr->growth_shift[i];
}

/*
 * Phase 1 for draw dr: the totals of every year into tot[k][t][r+1] (as
 * floats), the national shortfall of every year into sf[t * sf_step], the
 * growth factors into gf[t][i], each region's demand (the sum of its groups,
 * in their order) into dsum[t][r], and the country's banded cells of the
 * years by[0..nby-1] into nat[j][band][g].  e, tw: scratch of 2 * R * nl;
 * cum: R * ng.
 */
static void phase1_draw(const struct mc *mc, const struct ksp_fc_draw *dr, const int *by, int nby,
			float *tot, double *sf, size_t sf_step, double *gf, double *dsum, float *nat,
			double *e, double *tw, double *dtot, double *cum, double *natrow,
			struct rows *w)
{
	const struct ksp_fc_base *b = mc->b;
	const int R = mc->R, T = mc->T, nl = mc->nl, ng = mc->ng, I = mc->I;
	double gfac[KSP_FC_MAX_IND];
	int jn = 0, cur = 0;

	memset(cum, 0, (size_t)R * ng * sizeof(double));
	for (int t = 0; t < T; t++) {
		double gross = 0, dem = 0, natv[KSP_FC_NTOT] = { 0 };
		const int band = jn < nby && by[jn] == t;

		growth_step(mc, dr, t, gfac);
		memcpy(gf + (size_t)t * I, gfac, (size_t)I * sizeof(double));
		if (band)
			memset(natrow, 0, (size_t)KSP_FC_NBAND * ng * sizeof(double));
		for (int r = 0; r < R; r++) {
			double *e1 = e + ((size_t)cur * R + r) * nl, *e0 = e + ((size_t)!cur * R + r) * nl;
			double *w1 = tw + ((size_t)cur * R + r) * nl, *w0 = tw + ((size_t)!cur * R + r) * nl;
			const size_t c = (size_t)t * R + r;
			const double *cell[KSP_FC_NBAND];
			double v[KSP_FC_NTOT] = { 0 }, *cr = cum + (size_t)r * ng;

			mc_demand(mc, t, r, gfac, e1, w1);
			if (t > 0 && !mc->xm) {
				/* steps 4b-6 with the sums in one loop */
				region_sums(mc, dr, t, r, e0, e1, w0, dtot[!cur * R + r], cr, w, v, &gross,
					    &dem);
				dtot[cur * R + r] = v[KSP_FC_TOT_DEMAND];
				banded_rows(mc, t, e1, w, cell);
				goto totals;
			}
			if (t > 0)
				region_cells(mc, dr, t, r, e0, e1, w0, dtot[!cur * R + r], w);
			banded_rows(mc, t, e1, w, cell);

			/* the sums of the region, and the shortfall's cumulative gaps of the banded
			   cells, in cell order: independent chains in one loop (each sum is still
			   taken in the order of the groups, as the full evaluation takes it) */
			{
				double se = 0, so = 0, sn = 0, sb = 0;
				const double *jo = w->jo, *ns = w->ns, *bl = w->bal;

				if (t == 0) {
					for (int l = 0; l < nl; l++)
						se += e1[l];
				} else {
					for (int l = 0; l < nl; l++) {
						se += e1[l];
						so += jo[l];
						sn += ns[l];
						sb += bl[l];
					}
				}
				{
					const double *cd = cell[KSP_FC_BAND_DEMAND];
					const double *cb = cell[KSP_FC_BAND_BALANCE];

					for (int g = 0; g < ng; g++) {
						double cg = t > 0 ? cr[g] - cb[g] : cr[g];

						cr[g] = cg;
						gross += pos_part(cg);
						dem += cd[g];
					}
				}
				dtot[cur * R + r] = se;
				v[KSP_FC_TOT_OPENINGS] = so;
				v[KSP_FC_TOT_SUPPLY] = sn;
				v[KSP_FC_TOT_BALANCE] = sb;
			}

totals:
			/* the totals (draw_totals of the full evaluation) */
			v[KSP_FC_TOT_POP] = b->pop_tot[c] + (dr->mig_ext_scale - 1.0) * b->dpop_ext[c] +
					    (dr->mig_int_scale - 1.0) * b->dpop_int[c];
			v[KSP_FC_TOT_LF] = b->lf_tot[c] + (dr->mig_ext_scale - 1.0) * b->dlf_ext[c] +
					   (dr->mig_int_scale - 1.0) * b->dlf_int[c];
			v[KSP_FC_TOT_DEMAND] = dtot[cur * R + r];
			dsum[c] = dtot[cur * R + r];
			for (int k = 0; k < KSP_FC_NTOT; k++) {
				natv[k] += v[k];
				tot[((size_t)k * T + t) * (R + 1) + r] = (float)v[k];
			}
			if (band)
				for (int k = 0; k < KSP_FC_NBAND; k++) {
					double *nr = natrow + (size_t)k * ng;

					for (int g = 0; g < ng; g++)
						nr[g] += cell[k][g];
				}
		}
		for (int k = 0; k < KSP_FC_NTOT; k++)
			tot[((size_t)k * T + t) * (R + 1) + R] = (float)natv[k];
		sf[(size_t)t * sf_step] = dem > 0 ? gross / dem : 0;
		if (band) {
			for (size_t i = 0; i < (size_t)KSP_FC_NBAND * ng; i++)
				nat[(size_t)jn * KSP_FC_NBAND * ng + i] = (float)natrow[i];
			jn++;
		}
		cur = !cur;
	}
}

/*
 * Phase 1 on four draws at once (without a map): each lane of a vector of
 * four doubles is one draw, and every lane goes through the operations of
 * phase1_draw in the same order (the staffing product of demand_block, the
 * cells of ksp_fc_cell_flows, the sums in the order of the groups), so each
 * draw's numbers are the same bit for bit; the vectors only run the four
 * chains side by side.  A chunk of fewer than four draws repeats its last
 * draw in the spare lanes, whose results are dropped.
 */
typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));
enum { LANES = 4 };

/* (macros: a function returning a vector of 4 doubles has another ABI with AVX) */
#define v4_splat(x) ((v4d){ (x), (x), (x), (x) })
/* cg > 0 ? cg : 0.0 in each lane (pos_part's; cg is evaluated twice) */
#define v4_pos(cg) ((v4d)((v4l)(cg) & (v4l)((cg) > v4_splat(0.0))))

/* demand_block (demand.c) for four draws, the same operations in the same
   order in each lane (ei: [i] the lanes' employment by industry). */
static inline void demand_block_lanes(const struct ksp_fc_level *lv, const double *p,
				      const double *pt, int k, const v4d *ei, v4d *e, v4d *w)
{
	const int nl = lv->nl, l0 = k * KSP_FC_BLOCK;
	const int *ind = lv->blk_ind + lv->blk_start[k];
	const int nind = lv->blk_start[k + 1] - lv->blk_start[k];
	const int full = l0 + KSP_FC_BLOCK <= nl, nb = full ? KSP_FC_BLOCK : nl - l0;
	v4d acc[KSP_FC_BLOCK], accw[KSP_FC_BLOCK];

	for (int l = 0; l < nb; l++) {
		acc[l] = v4_splat(p[l0 + l]);
		accw[l] = v4_splat(lv->tau_diag ? 0 : pt[l0 + l]);
	}
	for (int j = 0; j < nind; j++) {
		const v4d x = ei[ind[j]];
		const double *srow = lv->staff + (size_t)ind[j] * nl + l0;
		const double *trow = lv->staff_tau + (size_t)ind[j] * nl + l0;

		if (full) {
			for (int l = 0; l < KSP_FC_BLOCK; l++)
				acc[l] += x * srow[l];
			if (!lv->tau_diag)
				for (int l = 0; l < KSP_FC_BLOCK; l++)
					accw[l] += x * trow[l];
		} else {
			/* the last block skips an industry whose employment is 0 (in that lane) */
			const v4l nz = x != v4_splat(0.0);

			for (int l = 0; l < nb; l++)
				acc[l] = (v4d)(((v4l)(acc[l] + x * srow[l]) & nz) | ((v4l)acc[l] & ~nz));
			if (!lv->tau_diag)
				for (int l = 0; l < nb; l++)
					accw[l] = (v4d)(((v4l)(accw[l] + x * trow[l]) & nz) |
							((v4l)accw[l] & ~nz));
		}
	}
	for (int l = 0; l < nb; l++) {
		e[l] = acc[l];
		w[l] = lv->tau_diag ? lv->tau[l0 + l] * acc[l] : accw[l];
	}
}

/* The scratch of phase1_lanes, [LANES] doubles an element (32-byte aligned). */
struct lanes {
	v4d *e, *tw;    /* [2][R][nl] */
	v4d *dtot;      /* [2][R] */
	v4d *cum;       /* [R][ng] */
	v4d *natrow;    /* [NBAND][ng] */
	v4d *jo, *ns, *bal; /* [nl] */
	v4d *ei;        /* [I] */
};

static v4d *v4_alloc(size_t n)
{
	void *p = NULL;

	if (posix_memalign(&p, 32, (n ? n : 1) * sizeof(v4d)))
		ksp_xmalloc((size_t)-1); /* (out of memory: ksp_xmalloc's exit) */
	memset(p, 0, (n ? n : 1) * sizeof(v4d));
	return p;
}

/* size bytes aligned to 32 (big ones through ksp_xmalloc_big, aligned to 2 MB). */
static void *xalign32(size_t size)
{
	return size >= (size_t)4 << 20 ? ksp_xmalloc_big(size) : (void *)v4_alloc((size + 31) / 32);
}

static void lanes_init(struct lanes *L, const struct mc *mc)
{
	const size_t R = (size_t)mc->R, nl = (size_t)mc->nl, ng = (size_t)mc->ng;

	L->e = v4_alloc(2 * R * nl);
	L->tw = v4_alloc(2 * R * nl);
	L->dtot = v4_alloc(2 * R);
	L->cum = v4_alloc(R * ng);
	L->natrow = v4_alloc((size_t)KSP_FC_NBAND * ng);
	L->jo = v4_alloc(nl);
	L->ns = v4_alloc(nl);
	L->bal = v4_alloc(nl);
	L->ei = v4_alloc((size_t)mc->I);
}

static void lanes_release(struct lanes *L)
{
	free(L->e);
	free(L->tw);
	free(L->dtot);
	free(L->cum);
	free(L->natrow);
	free(L->jo);
	free(L->ns);
	free(L->bal);
	free(L->ei);
}

/*
 * Phase 1 (phase1_draw's outputs, without a map) for draws d[0..LANES-1]
 * (repeated when fewer): out[j] the outputs of draw d[j] for j < nvalid.
 */
struct p1out {
	float *tot;
	double *sf;
	size_t sf_step;
	double *gf, *dsum;
	float *nat;
};

KSP_CLONES
static void phase1_lanes(const struct mc *mc, const struct ksp_fc_draw *const dr[LANES],
			 int nvalid, const int *by, int nby, const struct p1out out[LANES],
			 struct lanes *L)
{
	const struct ksp_fc_base *b = mc->b;
	const struct ksp_fc_level *lv = mc->tw_cls ? &mc->tw : mc->lv;
	const int R = mc->R, T = mc->T, nl = mc->nl, ng = mc->ng, I = mc->I;
	const int *cls = mc->tw_cls;
	double g[LANES][KSP_FC_MAX_IND];
	int jn = 0, cur = 0;

	memset(L->cum, 0, (size_t)R * ng * sizeof(v4d));
	for (int t = 0; t < T; t++) {
		const int band = jn < nby && by[jn] == t;
		v4d gross = v4_splat(0), dem = v4_splat(0), natv[KSP_FC_NTOT];
		v4d gfac[KSP_FC_MAX_IND];

		for (int k = 0; k < KSP_FC_NTOT; k++)
			natv[k] = v4_splat(0);
		for (int q = 0; q < LANES; q++) {
			growth_step(mc, dr[q], t, g[q]);
			if (q < nvalid)
				memcpy(out[q].gf + (size_t)t * I, g[q], (size_t)I * sizeof(double));
		}
		for (int i = 0; i < I; i++)
			gfac[i] = (v4d){ g[0][i], g[1][i], g[2][i], g[3][i] };
		if (band)
			memset(L->natrow, 0, (size_t)KSP_FC_NBAND * ng * sizeof(v4d));
		for (int r = 0; r < R; r++) {
			v4d *e1 = L->e + ((size_t)cur * R + r) * nl, *e0 = L->e + ((size_t)!cur * R + r) * nl;
			v4d *w1 = L->tw + ((size_t)cur * R + r) * nl, *w0 = L->tw + ((size_t)!cur * R + r) * nl;
			const size_t c = (size_t)t * R + r;
			const double *p = lv->proj + c * lv->nl, *pt = lv->proj_tau + c * lv->nl;
			v4d *cr = L->cum + (size_t)r * ng, v[KSP_FC_NTOT];
			v4d se = v4_splat(0), so = se, sn = se, sb = se, gs = gross, ds = dem;

			/* demand (ksp_fc_demand_region's, on the twin classes when there are) */
			for (int i = 0; i < I; i++)
				L->ei[i] = b->in->emp_ind0[(size_t)r * I + i] * gfac[i];
			for (int k = 0; k < lv->nblk; k++)
				demand_block_lanes(lv, p, pt, k, L->ei, e1 + (size_t)k * KSP_FC_BLOCK,
						   w1 + (size_t)k * KSP_FC_BLOCK);
			if (cls)
				for (int l = nl - 1; l >= 0; l--) {
					e1[l] = e1[cls[l]];
					w1[l] = w1[cls[l]];
				}
			if (t == 0) {
				for (int l = 0; l < nl; l++) {
					se += e1[l];
					gs += v4_pos(cr[l]);
					ds += e1[l];
					L->jo[l] = L->ns[l] = L->bal[l] = v4_splat(0);
				}
			} else {
				/* region_sums, lane by lane */
				const double *xm = b->exit_major + c * mc->M;
				const double *gt = mc->lv->grad + c * KSP_FC_NLEVEL * nl;
				const double *gh = gt + nl;
				double ws[LANES], rs[LANES];

				for (int q = 0; q < LANES; q++) {
					const double et0 = L->dtot[(size_t)!cur * R + r][q];
					const double wm = b->work_int[c] * dr[q]->mig_int_scale +
							  b->work_ext[c] * dr[q]->mig_ext_scale;

					ws[q] = et0 > 0 ? wm / et0 : 0;
					rs[q] = et0 > 0 ? b->reserve[c] / et0 : 0;
				}
				const v4d tr_mult = (v4d){ dr[0]->transfer_mult, dr[1]->transfer_mult,
						   dr[2]->transfer_mult, dr[3]->transfer_mult };
				const v4d em0 = (v4d){ dr[0]->entry_mult[KSP_FC_TVET], dr[1]->entry_mult[KSP_FC_TVET],
					       dr[2]->entry_mult[KSP_FC_TVET], dr[3]->entry_mult[KSP_FC_TVET] };
				const v4d em1 = (v4d){ dr[0]->entry_mult[KSP_FC_HIGHER],
					       dr[1]->entry_mult[KSP_FC_HIGHER],
					       dr[2]->entry_mult[KSP_FC_HIGHER],
					       dr[3]->entry_mult[KSP_FC_HIGHER] };
				const v4d exit_mult = (v4d){ dr[0]->exit_mult, dr[1]->exit_mult, dr[2]->exit_mult,
						     dr[3]->exit_mult };
				const v4d wshare = (v4d){ ws[0], ws[1], ws[2], ws[3] };
				const v4d rshare = (v4d){ rs[0], rs[1], rs[2], rs[3] };

				for (int kr = 0; kr < mc->nmrun; kr++) {
					const int l0 = mc->mrun[kr], l1 = mc->mrun[kr + 1];
					const v4d xr = xm[mc->lv->major[l0]] * exit_mult;

					for (int l = l0; l < l1; l++) {
						/* ksp_fc_cell_flows */
						const v4d ed = e1[l] - e0[l], ex = xr * e0[l], tr = w0[l] * tr_mult;
						const v4d gr = gt[l] * em0 + gh[l] * em1;
						const v4d mg = wshare * e0[l], rv = rshare * e0[l];
						const v4d o = ed + ex + tr, n = gr + mg + rv + tr;
						const v4d bl = n - o, cg = cr[l] - bl;

						L->jo[l] = o;
						L->ns[l] = n;
						L->bal[l] = bl;
						cr[l] = cg;
						se += e1[l];
						so += o;
						sn += n;
						sb += bl;
						gs += v4_pos(cg);
						ds += e1[l];
					}
				}
			}
			gross = gs;
			dem = ds;
			L->dtot[(size_t)cur * R + r] = se;
			/* the totals (draw_totals of the full evaluation) */
			for (int q = 0; q < LANES; q++) {
				const double pop = b->pop_tot[c] + (dr[q]->mig_ext_scale - 1.0) * b->dpop_ext[c] +
						   (dr[q]->mig_int_scale - 1.0) * b->dpop_int[c];
				const double lf = b->lf_tot[c] + (dr[q]->mig_ext_scale - 1.0) * b->dlf_ext[c] +
						  (dr[q]->mig_int_scale - 1.0) * b->dlf_int[c];

				v[KSP_FC_TOT_POP][q] = pop;
				v[KSP_FC_TOT_LF][q] = lf;
			}
			v[KSP_FC_TOT_DEMAND] = se;
			v[KSP_FC_TOT_OPENINGS] = so;
			v[KSP_FC_TOT_SUPPLY] = sn;
			v[KSP_FC_TOT_BALANCE] = sb;
			for (int k = 0; k < KSP_FC_NTOT; k++)
				natv[k] += v[k];
			for (int q = 0; q < nvalid; q++) {
				out[q].dsum[c] = se[q];
				for (int k = 0; k < KSP_FC_NTOT; k++)
					out[q].tot[((size_t)k * T + t) * (R + 1) + r] = (float)v[k][q];
			}
			if (band) {
				v4d *nr = L->natrow;

				for (int l = 0; l < ng; l++) {
					nr[l] += e1[l];
					nr[ng + l] += L->jo[l];
					nr[2 * (size_t)ng + l] += L->ns[l];
					nr[3 * (size_t)ng + l] += L->bal[l];
				}
			}
		}
		for (int q = 0; q < nvalid; q++) {
			for (int k = 0; k < KSP_FC_NTOT; k++)
				out[q].tot[((size_t)k * T + t) * (R + 1) + R] = (float)natv[k][q];
			out[q].sf[(size_t)t * out[q].sf_step] = dem[q] > 0 ? gross[q] / dem[q] : 0;
		}
		if (band) {
			for (int q = 0; q < nvalid; q++) {
				float *o = out[q].nat + (size_t)jn * KSP_FC_NBAND * ng;

				for (size_t i = 0; i < (size_t)KSP_FC_NBAND * ng; i++)
					o[i] = (float)L->natrow[i][q];
			}
			jn++;
		}
		cur = !cur;
	}
}

/*
 * Phase 2 for draw dr, region r and band year t: the banded cells into
 * out[band][g] (floats).  e0/w0: the region's demand of t - 1 when
 * have_prev, else scratch it is computed into; e1/w1 get year t's.  dsum:
 * the draw's demand totals from phase 1, so that mc may be the twin classes'
 * (the total is over the groups).
 */
static void phase2_draw(const struct mc *mc, const struct ksp_fc_draw *dr, const double *gf, int r,
			int t, int have_prev, double *e0, double *w0, double *e1, double *w1,
			const double *dsum, float *out, struct rows *w)
{
	const int ng = mc->ng, I = mc->I;
	const double *cell[KSP_FC_NBAND];

	if (t > 0 && !have_prev)
		mc_demand(mc, t - 1, r, gf + (size_t)(t - 1) * I, e0, w0);
	mc_demand(mc, t, r, gf + (size_t)t * I, e1, w1);
	if (t > 0)
		region_cells(mc, dr, t, r, e0, e1, w0, dsum[(size_t)(t - 1) * mc->R + r], w);
	banded_rows(mc, t, e1, w, cell);
	for (int k = 0; k < KSP_FC_NBAND; k++) {
		float *o = out + (size_t)k * ng;

		for (int g = 0; g < ng; g++)
			o[g] = (float)cell[k][g];
	}
}

/*
 * Phase 2 without a map, for region r and band year t: block by block of
 * KSP_FC_BLOCK groups, every draw's demand of the block and its cells
 * (region_cells' operations), written as columns of draws whose quantiles
 * are taken while they are in the cache; q[i][band] gets quantile i of the
 * band's groups.  Four draws at once: each lane of a vector is one draw,
 * going through demand_block's and ksp_fc_cell_flows' operations in the
 * same order as ksp_fc_demand_region and region_cells, so the columns are the
 * same bit for bit (the regions' cells never transposed: the block's
 * columns are written and their quantiles taken while in the cache).
 * e0/w0, e1/w1: [k][nq][KSP_FC_BLOCK] lanes (nq: the
 * draws in fours, the last four padded with the last draw); eil: 2 x nq x I
 * lanes of scratch; cols: KSP_FC_NBAND x KSP_FC_BLOCK x nd floats.
 */
KSP_CLONES
static void phase2_lanes(const struct mc *mc, const struct ksp_fc_draw *draws, int nd,
			 const double *gf, int r, int t, int have_prev, v4d *e0, v4d *w0, v4d *e1,
			 v4d *w1, const double *dsum, v4d *eil, float *cols,
			 float *q[3][KSP_FC_NBAND], struct qwork *qw)
{
	const struct ksp_fc_base *b = mc->b;
	const struct ksp_fc_level *lv = mc->lv;
	const int R = mc->R, T = mc->T, I = mc->I, nl = mc->nl, nq = (nd + LANES - 1) / LANES;
	const double *emp0 = b->in->emp_ind0 + (size_t)r * I;
	const size_t c = (size_t)t * R + r, cp = t > 0 ? c - (size_t)R : c;
	const double *p1 = lv->proj + c * nl, *pt1 = lv->proj_tau + c * nl;
	const double *p0 = lv->proj + cp * nl, *pt0 = lv->proj_tau + cp * nl;
	const double *xm = b->exit_major + c * mc->M;
	const double *gt = lv->grad + c * KSP_FC_NLEVEL * nl, *gh = gt + nl;
	v4d *ei0 = eil, *ei1 = eil + (size_t)nq * I;

	for (int dq = 0; dq < nq; dq++) {
		const double *g[LANES];

		for (int l = 0; l < LANES; l++) {
			const int d = dq * LANES + l < nd ? dq * LANES + l : nd - 1;

			g[l] = gf + (size_t)d * T * I;
		}
		for (int i = 0; i < I; i++) {
			const size_t o1 = (size_t)t * I + i, o0 = t > 0 ? o1 - (size_t)I : o1;

			ei1[(size_t)dq * I + i] = emp0[i] * (v4d){ g[0][o1], g[1][o1], g[2][o1], g[3][o1] };
			ei0[(size_t)dq * I + i] = emp0[i] * (v4d){ g[0][o0], g[1][o0], g[2][o0], g[3][o0] };
		}
	}
	for (int k = 0; k < lv->nblk; k++) {
		const int l0 = k * KSP_FC_BLOCK;
		const int nb = nl - l0 < KSP_FC_BLOCK ? nl - l0 : KSP_FC_BLOCK;
		const size_t ob = (size_t)k * nq * KSP_FC_BLOCK;
		float *cd = cols + (size_t)KSP_FC_BAND_DEMAND * KSP_FC_BLOCK * nd;
		float *co = cols + (size_t)KSP_FC_BAND_OPENINGS * KSP_FC_BLOCK * nd;
		float *cs = cols + (size_t)KSP_FC_BAND_SUPPLY * KSP_FC_BLOCK * nd;
		float *cb = cols + (size_t)KSP_FC_BAND_BALANCE * KSP_FC_BLOCK * nd;

		for (int dq = 0; dq < nq; dq++) {
			const size_t o = ob + (size_t)dq * KSP_FC_BLOCK;
			const int d0 = dq * LANES, nv = nd - d0 < LANES ? nd - d0 : LANES;
			v4d tr_mult, em0, em1, exit_mult, wshare, rshare;

			if (t > 0 && !have_prev)
				demand_block_lanes(lv, p0, pt0, k, ei0 + (size_t)dq * I, e0 + o, w0 + o);
			demand_block_lanes(lv, p1, pt1, k, ei1 + (size_t)dq * I, e1 + o, w1 + o);
			if (t == 0) {
				for (int j = 0; j < nb; j++)
					for (int l = 0; l < nv; l++) {
						const size_t at = (size_t)j * nd + d0 + l;

						cd[at] = (float)e1[o + j][l];
						co[at] = cs[at] = cb[at] = 0.0f;
					}
				continue;
			}
			{
				/* region_year's, lane by lane */
				double ws[LANES], rs[LANES], tm[LANES], e0m[LANES], e1m[LANES], xmu[LANES];

				for (int l = 0; l < LANES; l++) {
					const int d = d0 + l < nd ? d0 + l : nd - 1;
					const struct ksp_fc_draw *dr = &draws[d];
					const double et0 = dsum[(size_t)d * T * R + cp];
					const double wm = b->work_int[c] * dr->mig_int_scale +
							  b->work_ext[c] * dr->mig_ext_scale;

					ws[l] = et0 > 0 ? wm / et0 : 0;
					rs[l] = et0 > 0 ? b->reserve[c] / et0 : 0;
					tm[l] = dr->transfer_mult;
					e0m[l] = dr->entry_mult[KSP_FC_TVET];
					e1m[l] = dr->entry_mult[KSP_FC_HIGHER];
					xmu[l] = dr->exit_mult;
				}
				tr_mult = (v4d){ tm[0], tm[1], tm[2], tm[3] };
				em0 = (v4d){ e0m[0], e0m[1], e0m[2], e0m[3] };
				em1 = (v4d){ e1m[0], e1m[1], e1m[2], e1m[3] };
				exit_mult = (v4d){ xmu[0], xmu[1], xmu[2], xmu[3] };
				wshare = (v4d){ ws[0], ws[1], ws[2], ws[3] };
				rshare = (v4d){ rs[0], rs[1], rs[2], rs[3] };
			}
			for (int j = 0; j < nb; j++) {
				const int l = l0 + j;
				const v4d a0 = e0[o + j], a1 = e1[o + j], b0 = w0[o + j];
				const v4d xr = xm[lv->major[l]] * exit_mult;
				/* ksp_fc_cell_flows */
				const v4d ed = a1 - a0, ex = xr * a0, tr = b0 * tr_mult;
				const v4d gr = gt[l] * em0 + gh[l] * em1;
				const v4d mg = wshare * a0, rv = rshare * a0;
				const v4d on = ed + ex + tr, nn = gr + mg + rv + tr, bl = nn - on;

				for (int m = 0; m < nv; m++) {
					const size_t at = (size_t)j * nd + d0 + m;

					cd[at] = (float)a1[m];
					co[at] = (float)on[m];
					cs[at] = (float)nn[m];
					cb[at] = (float)bl[m];
				}
			}
		}
		for (int kb = 0; kb < KSP_FC_NBAND; kb++)
			for (int j = 0; j < nb; j++) {
				float *x = cols + ((size_t)kb * KSP_FC_BLOCK + j) * nd, v[3];

				/* a twin (the column before it, bit for bit) has its quantiles */
				if (j > 0 && !memcmp(x - nd, x, (size_t)nd * sizeof(float)))
					for (int i = 0; i < 3; i++)
						v[i] = q[i][kb][l0 + j - 1];
				else
					col_quantiles(x, nd, qw->bk, v);
				for (int i = 0; i < 3; i++)
					q[i][kb][l0 + j] = v[i];
			}
	}
}

/*
 * The run on several threads.  The work is cut where the results do not
 * depend on who computes them: phase 1 by draws (each draw's totals,
 * shortfall, growth factors and country cells are its own), the country's
 * quantiles by band year and band, phase 2 by regions (each region's cells
 * are its own).  Every value is computed by one thread with the same
 * operations in the same order as on one, so the bands are the same bit for
 * bit whatever the number of threads (tested).  Each worker has its own
 * scratch; the sink's draw() is called under a lock, one draw at a time.
 */
struct mcw {
	/* phase 1 */
	double *e, *tw, *dtot, *cum, *natrow;
	struct rows w;
	struct qwork qw;
	/* phase 2: each draw's demand of a region, two years ([k][d][KSP_FC_BLOCK] or [d][nl]) */
	double *ce[2], *cw[2];
	float *cols, *rbuf;
	float *qc[3];
	struct lanes lanes; /* phase1_lanes (without a map) */
	v4d *eil;           /* phase2_lanes' */
};

struct mcrun {
	struct mc mc, mc2;
	const struct ksp_fc_draw *draws;
	int ndraws, nby, j0, ny; /* the pass's band years by[j0 .. j0 + ny - 1] */
	const int *by;
	const struct ksp_fc_sink *sink;
	pthread_mutex_t sink_lock;
	struct progress *prog;
	float *tbuf, *nbuf;
	double *sf, *gf, *dsum;
	size_t tot_draw;
	struct ksp_fc_bands *out;
	struct mcw *wk; /* [nthreads] */
	int nthreads;
	atomic_int next; /* the next task of the stage */
	int stage;
};

enum { STAGE_PHASE1, STAGE_NATQ, STAGE_PHASE2 };
enum { P1_CHUNK = 4 }; /* draws a phase 1 task takes */

static void mcw_init(struct mcw *w, const struct mc *mc, const struct mc *mc2, int ndraws)
{
	const int R = mc->R, nl = mc->nl, ng = mc->ng, I = mc->I;
	/* [d][nl], or by blocks [k][d / 4][KSP_FC_BLOCK][4] (phase2_lanes) */
	const size_t nlb = ((size_t)nl + KSP_FC_BLOCK - 1) / KSP_FC_BLOCK * KSP_FC_BLOCK;

	memset(w, 0, sizeof(*w));
	w->e = ksp_xcalloc((size_t)2 * R * nl, sizeof(double));
	w->tw = ksp_xcalloc((size_t)2 * R * nl, sizeof(double));
	w->dtot = ksp_xcalloc((size_t)2 * R, sizeof(double));
	w->cum = ksp_xcalloc((size_t)R * ng, sizeof(double));
	w->natrow = ksp_xcalloc((size_t)KSP_FC_NBAND * ng, sizeof(double));
	rows_init(&w->w, nl, ng);
	qwork_init(&w->qw, ndraws);
	if (!mc->xm)
		lanes_init(&w->lanes, mc);
	for (int i = 0; i < 2; i++) {
		/* (in fours of draws, 32-byte aligned, for phase2_lanes) */
		const size_t nd4 = ((size_t)ndraws + LANES - 1) / LANES * LANES;

		w->ce[i] = xalign32((size_t)nd4 * nlb * sizeof(double));
		w->cw[i] = xalign32((size_t)nd4 * nlb * sizeof(double));
	}
	if (mc->xm) {
		w->rbuf = ksp_xmalloc((size_t)ndraws * KSP_FC_NBAND * ng * sizeof(float));
	} else {
		w->eil = v4_alloc((size_t)2 * ((ndraws + LANES - 1) / LANES) * I);
		w->cols = ksp_xmalloc((size_t)KSP_FC_NBAND * KSP_FC_BLOCK * ndraws * sizeof(float));
	}
	if (mc2->lv != mc->lv)
		for (int i = 0; i < 3; i++)
			w->qc[i] = ksp_xcalloc((size_t)KSP_FC_NBAND * mc2->nl, sizeof(float));
}

static void mcw_release(struct mcw *w)
{
	free(w->e);
	free(w->tw);
	free(w->dtot);
	free(w->cum);
	free(w->natrow);
	rows_release(&w->w);
	qwork_release(&w->qw);
	if (w->lanes.e)
		lanes_release(&w->lanes);
	for (int i = 0; i < 2; i++) {
		free(w->ce[i]);
		free(w->cw[i]);
	}
	free(w->rbuf);
	free(w->eil);
	free(w->cols);
	for (int i = 0; i < 3; i++)
		free(w->qc[i]);
}

/* Phase 1 of the draws a worker takes, P1_CHUNK at a time. */
static void stage_phase1(struct mcrun *x, struct mcw *w, int caller)
{
	const struct mc *mc = &x->mc;
	const int T = mc->T, R = mc->R, I = mc->I, nl = mc->nl, ng = mc->ng;
	const size_t n = (size_t)KSP_FC_NBAND * x->ny * ng; /* values per draw */
	const int sink = x->sink && x->sink->draw && x->j0 == 0;

	for (;;) {
		const int d0 = atomic_fetch_add(&x->next, P1_CHUNK);
		const int nv = x->ndraws - d0 < P1_CHUNK ? x->ndraws - d0 : P1_CHUNK;

		if (d0 >= x->ndraws)
			return;
		/* (a later pass writes the same totals, shortfall and growth factors again) */
		if (!mc->xm) {
			/* four draws at once (phase1_lanes) */
			const struct ksp_fc_draw *dr[LANES];
			struct p1out out[LANES];

			for (int q = 0; q < LANES; q++) {
				const int d = d0 + (q < nv ? q : nv - 1);

				dr[q] = &x->draws[d];
				out[q].tot = x->tbuf + (size_t)d * x->tot_draw;
				out[q].sf = x->sf + d;
				out[q].sf_step = (size_t)x->ndraws;
				out[q].gf = x->gf + (size_t)d * T * I;
				out[q].dsum = x->dsum + (size_t)d * T * R;
				out[q].nat = x->nbuf + (size_t)d * n;
			}
			phase1_lanes(mc, dr, nv, x->by + x->j0, x->ny, out, &w->lanes);
			for (int q = 0; sink && q < nv; q++) {
				const v4d *el = w->lanes.e + (size_t)((T - 1) & 1) * R * nl;

				for (size_t i = 0; i < (size_t)R * nl; i++)
					w->e[i] = el[i][q];
				for (size_t i = 0; i < (size_t)R * ng; i++)
					w->cum[i] = w->lanes.cum[i][q];
				pthread_mutex_lock(&x->sink_lock);
				x->sink->draw(x->sink->ctx, d0 + q, w->e, w->cum);
				pthread_mutex_unlock(&x->sink_lock);
			}
			progress_add(x->prog, (long long)T * R * nv, caller);
			continue;
		}
		for (int d = d0; d < d0 + nv; d++) {
			phase1_draw(mc, &x->draws[d], x->by + x->j0, x->ny, x->tbuf + (size_t)d * x->tot_draw,
				    x->sf + d, (size_t)x->ndraws, x->gf + (size_t)d * T * I,
				    x->dsum + (size_t)d * T * R, x->nbuf + (size_t)d * n, w->e, w->tw,
				    w->dtot, w->cum, w->natrow, &w->w);
			/* year t's demand is in the half t % 2 of e (phase1_draw's cur) */
			if (sink) {
				pthread_mutex_lock(&x->sink_lock);
				x->sink->draw(x->sink->ctx, d, w->e + (size_t)((T - 1) & 1) * R * nl,
					      w->cum);
				pthread_mutex_unlock(&x->sink_lock);
			}
			progress_add(x->prog, (long long)T * R, caller);
		}
	}
}

/* The country's quantiles of the pass's band years: a task is one year's band. */
static void stage_natq(struct mcrun *x, struct mcw *w)
{
	const int R = x->mc.R, T = x->mc.T, ng = x->mc.ng;
	const size_t n = (size_t)KSP_FC_NBAND * x->ny * ng;

	for (;;) {
		const int task = atomic_fetch_add(&x->next, 1);
		const int j = task / KSP_FC_NBAND, k = task % KSP_FC_NBAND;
		float *q[3];

		if (j >= x->ny)
			return;
		for (int i = 0; i < 3; i++)
			q[i] = x->out->cell +
			       ((((size_t)i * KSP_FC_NBAND + k) * T + x->by[x->j0 + j]) * (R + 1) + R) * ng;
		cell_quantiles(x->nbuf + ((size_t)j * KSP_FC_NBAND + k) * ng, (size_t)ng, n, x->ndraws,
			       q, &w->qw);
	}
}

/* Phase 2 of the regions a worker takes: band year by band year; each draw's demand of
   the last year is kept (ce[0]) for the next. */
static void stage_phase2(struct mcrun *x, struct mcw *w, int caller)
{
	const struct mc *mc = &x->mc, *mc2 = &x->mc2;
	const int R = mc->R, T = mc->T, I = mc->I, ng = mc->ng, nd = x->ndraws;
	float *const cell = x->out->cell;

	for (;;) {
		const int r = atomic_fetch_add(&x->next, 1);
		int have = -1; /* the year whose demand ce[0] holds */

		if (r >= R)
			return;
		for (int j = 0; j < x->nby; j++) {
			const int t = x->by[j];
			const int prev = t > 0 && have == t - 1;

			if (!mc->xm) {
				/* the cells as columns, block by block of groups */
				float *q[3][KSP_FC_NBAND];

				for (int i = 0; i < 3; i++)
					for (int k = 0; k < KSP_FC_NBAND; k++)
						q[i][k] = w->qc[0] ? w->qc[i] + (size_t)k * mc2->nl
								   : cell + ((((size_t)i * KSP_FC_NBAND + k) * T + t) *
										     (R + 1) + r) * ng;
				phase2_lanes(mc2, x->draws, nd, x->gf, r, t, prev, (v4d *)(void *)w->ce[0],
					     (v4d *)(void *)w->cw[0], (v4d *)(void *)w->ce[1],
					     (v4d *)(void *)w->cw[1], x->dsum, w->eil, w->cols, q, &w->qw);
			} else {
				for (int d = 0; d < nd; d++) {
					const size_t o = (size_t)d * mc2->nl;

					phase2_draw(mc2, &x->draws[d], x->gf + (size_t)d * T * I, r, t, prev,
						    prev ? w->ce[0] + o : w->e, prev ? w->cw[0] + o : w->tw,
						    w->ce[1] + o, w->cw[1] + o, x->dsum + (size_t)d * T * R,
						    w->rbuf + (size_t)d * KSP_FC_NBAND * mc2->ng, &w->w);
				}
				for (int k = 0; k < KSP_FC_NBAND; k++) {
					float *q[3];

					for (int i = 0; i < 3; i++)
						q[i] = cell + ((((size_t)i * KSP_FC_NBAND + k) * T + t) * (R + 1) + r) * ng;
					cell_quantiles(w->rbuf + (size_t)k * ng, (size_t)ng,
						       (size_t)KSP_FC_NBAND * ng, nd, q, &w->qw);
				}
			}
			{
				double *s = w->ce[0];

				w->ce[0] = w->ce[1];
				w->ce[1] = s;
				s = w->cw[0];
				w->cw[0] = w->cw[1];
				w->cw[1] = s;
			}
			have = t;
			progress_add(x->prog, nd, caller);
			if (w->qc[0])
				for (int k = 0; k < KSP_FC_NBAND; k++)
					for (int i = 0; i < 3; i++) {
						float *q = cell + ((((size_t)i * KSP_FC_NBAND + k) * T + t) * (R + 1) + r) * ng;

						for (int l = 0; l < ng; l++)
							q[l] = w->qc[i][(size_t)k * mc2->nl + mc->tw_cls[l]];
					}
		}
	}
}

struct mcarg {
	struct mcrun *x;
	int id;
};

static void *stage_run(void *arg)
{
	const struct mcarg *a = arg;
	struct mcrun *x = a->x;
	struct mcw *w = &x->wk[a->id];

	switch (x->stage) {
	case STAGE_PHASE1:
		stage_phase1(x, w, a->id == 0);
		break;
	case STAGE_NATQ:
		stage_natq(x, w);
		break;
	default:
		stage_phase2(x, w, a->id == 0);
		break;
	}
	return NULL;
}

/* Run a stage on every worker: the caller is worker 0; a thread that cannot be
   started leaves its share to the others. */
static void run_stage(struct mcrun *x, int stage)
{
	pthread_t th[KSP_FC_MAX_THREADS];
	struct mcarg arg[KSP_FC_MAX_THREADS];
	int started[KSP_FC_MAX_THREADS] = { 0 };

	x->stage = stage;
	atomic_store(&x->next, 0);
	for (int i = 0; i < x->nthreads; i++) {
		arg[i].x = x;
		arg[i].id = i;
	}
	for (int i = 1; i < x->nthreads; i++)
		started[i] = pthread_create(&th[i], NULL, stage_run, &arg[i]) == 0;
	stage_run(&arg[0]);
	for (int i = 1; i < x->nthreads; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}

int ksp_fc_threads_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > KSP_FC_MAX_THREADS ? KSP_FC_MAX_THREADS : (int)n;
}

int ksp_fc_montecarlo(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
		      const struct ksp_fc_xmap *xm, const struct ksp_fc_uncertain *u, int nu,
		      int ndraws, uint64_t seed, const unsigned char *band_year, size_t max_bytes,
		      struct ksp_fc_bands *out, struct ksp_error *err)
{
	return ksp_fc_montecarlo_sink(b, lv, xm, u, nu, ndraws, seed, band_year, max_bytes, 1,
				      NULL, out, err);
}

int ksp_fc_montecarlo_sink(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			   const struct ksp_fc_xmap *xm, const struct ksp_fc_uncertain *u, int nu,
			   int ndraws, uint64_t seed, const unsigned char *band_year,
			   size_t max_bytes, int threads, const struct ksp_fc_sink *sink,
			   struct ksp_fc_bands *out, struct ksp_error *err)
{
	const int R = b->d.nreg, T = b->d.nyear, I = b->d.nind, nl = lv->nl;
	const int ng = xm ? xm->nout : nl;
	const size_t tot_draw = (size_t)T * (R + 1) * KSP_FC_NTOT; /* totals of a draw */
	/* a band year of one region, or of the country, over the draws */
	const size_t per_year = (size_t)ndraws * KSP_FC_NBAND * ng * sizeof(float);
	const size_t cells_year = (size_t)(R + 1) * ng;
	/* each draw's demand and transfer-weighted demand of a region, two years (a worker's) */
	const size_t carry = (size_t)4 * ndraws * nl * sizeof(double);
	struct mcrun x;
	struct mc *mc = &x.mc, *mc2 = &x.mc2;
	struct ksp_fc_draw *draws = NULL;
	struct progress prog = { 0 };
	float *col = NULL;
	int nby = 0, by[KSP_FC_MAX_YEAR], ny_nat, nt;

	memset(out, 0, sizeof(*out));
	if (ndraws < 2 || ndraws > 1000000)
		return ksp_error_set(err, KSP_EUSAGE, "draws: expected 2 to 1000000, got %d", ndraws);
	if (xm && xm->nin != lv->nl)
		return ksp_error_set(err, KSP_EUSAGE, "draws: a map of %d groups on a level of %d",
				     xm->nin, lv->nl);
	/* the cap holds at least a year of the country's bands, one of a region's, and
	   the regions' demand carried from one year to the next (a worker's) */
	if (max_bytes < carry || (max_bytes - carry) / 2 < per_year)
		return ksp_error_set(err, KSP_EUSAGE,
				     "draws: %d draws of %d groups need %zu MB for a year's bands, "
				     "over the %zu MB cap; use fewer draws or a coarser --level",
				     ndraws, ng, (2 * per_year + carry) >> 20, max_bytes >> 20);
	/* as many workers as the cap holds with a year of the country's bands (each
	   carries its regions' demand and, with a map, a region-year's bands) */
	nt = threads < 1 ? ksp_fc_threads_default() : threads;
	nt = nt > KSP_FC_MAX_THREADS ? KSP_FC_MAX_THREADS : nt;
	nt = nt < ndraws ? nt : ndraws;
	while (nt > 1 && (max_bytes / (size_t)nt < carry + per_year ||
			  max_bytes - (size_t)nt * (carry + per_year) < per_year))
		nt--;
	for (int t = 0; t < T; t++)
		if (!band_year || band_year[t])
			by[nby++] = t;
	ny_nat = (int)((max_bytes - (size_t)nt * carry) / per_year) - nt;
	ny_nat = ny_nat < nby ? ny_nat : nby;
	ny_nat = ny_nat > 1 ? ny_nat : 1;

	memset(&x, 0, sizeof(x));
	mc->b = b;
	mc->lv = lv;
	mc->xm = xm;
	mc->R = R;
	mc->T = T;
	mc->I = I;
	mc->M = b->d.nmajor;
	mc->nl = nl;
	mc->ng = ng;
	mc->mrun = ksp_xcalloc((size_t)nl + 1, sizeof(int));
	for (int l = 0; l < nl; l++)
		if (l == 0 || lv->major[l] != lv->major[l - 1])
			mc->mrun[mc->nmrun++] = l;
	mc->mrun[mc->nmrun] = nl;
	mc->tw_cls = ksp_xcalloc((size_t)nl, sizeof(int));
	if (ksp_fc_level_twins(lv, b->in, &mc->tw, mc->tw_cls) > nl - nl / 4) {
		ksp_fc_level_release(&mc->tw);
		free(mc->tw_cls);
		mc->tw_cls = NULL;
	}
	out->twin_classes = mc->tw_cls ? mc->tw.nl : nl;
	/* phase 2 (the regions' cells) runs on the twin classes when there are twins and
	   no map, and the classes' quantiles are copied to their groups */
	*mc2 = *mc;
	if (mc->tw_cls && !xm) {
		mc2->lv = &mc->tw;
		mc2->nl = mc2->ng = mc->tw.nl;
		mc2->tw_cls = NULL;
		mc2->mrun = ksp_xcalloc((size_t)mc2->nl + 1, sizeof(int));
		mc2->nmrun = 0;
		for (int l = 0; l < mc2->nl; l++)
			if (l == 0 || mc->tw.major[l] != mc->tw.major[l - 1])
				mc2->mrun[mc2->nmrun++] = l;
		mc2->mrun[mc2->nmrun] = mc2->nl;
	}

	out->ndraws = ndraws;
	out->nyear = T;
	out->nreg = R;
	out->nl = ng;
	out->threads = nt;
	out->cell = ksp_xcalloc((size_t)3 * KSP_FC_NBAND * T * cells_year, sizeof(float));
	out->total = ksp_xcalloc((size_t)3 * KSP_FC_NTOT * T * (R + 1), sizeof(float));
	out->shortfall = ksp_xcalloc((size_t)3 * T, sizeof(double));
	for (size_t i = 0; i < (size_t)3 * KSP_FC_NBAND * T * cells_year; i++)
		out->cell[i] = NAN;

	draws = ksp_xcalloc((size_t)ndraws, sizeof(*draws));
	x.draws = draws;
	x.ndraws = ndraws;
	x.by = by;
	x.nby = nby;
	x.sink = sink;
	x.prog = &prog;
	x.out = out;
	x.tot_draw = tot_draw;
	x.nthreads = nt;
	pthread_mutex_init(&x.sink_lock, NULL);
	x.gf = ksp_xcalloc((size_t)ndraws * T * I, sizeof(double));
	x.tbuf = ksp_xmalloc_big((size_t)ndraws * tot_draw * sizeof(float));
	x.sf = ksp_xcalloc((size_t)ndraws * T, sizeof(double));
	x.dsum = ksp_xcalloc((size_t)ndraws * T * R, sizeof(double));
	x.nbuf = ksp_xmalloc_big((size_t)ny_nat * per_year);
	col = ksp_xmalloc((size_t)ndraws * sizeof(float));
	x.wk = ksp_xcalloc((size_t)nt, sizeof(*x.wk));
	for (int i = 0; i < nt; i++)
		mcw_init(&x.wk[i], mc, mc2, ndraws);
	for (int d = 0; d < ndraws; d++)
		ksp_fc_draw_sample(&draws[d], u, nu, seed, d);
	/* the work, counted in one region's year of one draw: a draw of phase 1 is
	   T * R of them, a band year of a region in phase 2 ndraws */
	prog.sink = sink;
	prog.total = ((double)(nby ? (nby + ny_nat - 1) / ny_nat : 1) * T * R + (double)R * nby) *
		     ndraws;

	/* phase 1, in passes over chunks of the band years (one unless the cap is small):
	   the totals and the shortfall in the first, the country's cells in each */
	for (int j0 = 0; j0 == 0 || j0 < nby; j0 += ny_nat) {
		x.j0 = j0;
		x.ny = j0 + ny_nat < nby ? ny_nat : nby - j0;
		out->passes++;
		run_stage(&x, STAGE_PHASE1);
		run_stage(&x, STAGE_NATQ);
	}
	/* phase 2: region by region */
	run_stage(&x, STAGE_PHASE2);

	/* the totals and the shortfall of every year */
	for (int k = 0; k < KSP_FC_NTOT; k++) {
		const size_t m = (size_t)T * (R + 1);
		float *q[3];

		for (int i = 0; i < 3; i++)
			q[i] = out->total + ((size_t)i * KSP_FC_NTOT + k) * m;
		cell_quantiles(x.tbuf + (size_t)k * m, m, tot_draw, ndraws, q, &x.wk[0].qw);
	}
	for (int t = 0; t < T; t++) {
		for (int d = 0; d < ndraws; d++)
			col[d] = (float)x.sf[(size_t)t * ndraws + d];
		for (int j = 0; j < 3; j++)
			out->shortfall[(size_t)j * T + t] = ksp_fc_quantile(col, ndraws, quant_p[j]);
	}

	for (int i = 0; i < nt; i++)
		mcw_release(&x.wk[i]);
	free(x.wk);
	pthread_mutex_destroy(&x.sink_lock);
	if (mc2->mrun != mc->mrun)
		free(mc2->mrun);
	free(mc->mrun);
	if (mc->tw_cls)
		ksp_fc_level_release(&mc->tw);
	free(mc->tw_cls);
	free(draws);
	free(x.gf);
	free(x.tbuf);
	free(x.sf);
	free(x.dsum);
	free(x.nbuf);
	free(col);
	return KSP_OK;
}

/*
 * calibrate.c - the Monte Carlo's growth spread fitted to the back-test's
 * errors, and the coverage of the P10-P90 band it gives (kasip/backtest.h,
 * docs/backtest.md "Calibrated bands").  Pure: no store.
 */
#include "backtest/backtest.h"

#include <math.h>
#include <string.h>

#include "forecast/model.h"
#include "util/xmalloc.h"

void ksp_backtest_fit_init(struct ksp_backtest_fit *f, int dim, int borders)
{
	memset(f, 0, sizeof(*f));
	f->dim = dim;
	f->borders = borders;
	f->sigma = NAN;
}

void ksp_backtest_fit_add(struct ksp_backtest_fit *f, const struct ksp_backtest_row *rows,
			  size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ksp_backtest_row *r = &rows[i];
		double p = r->projected[KSP_BT_MODEL], e;
		int h = r->horizon;

		if (r->dim != f->dim || r->borders != f->borders || h < 1 ||
		    h > KSP_BT_MAX_HORIZON || !(p > 0) || !(r->observed > 0))
			continue;
		e = log(p / r->observed);
		f->count[h]++;
		f->s1[h] += e;
		f->s2[h] += e * e;
		f->sh += (e / h) * (e / h);
		f->n++;
	}
}

void ksp_backtest_fit_finish(struct ksp_backtest_fit *f)
{
	for (int h = 0; h <= KSP_BT_MAX_HORIZON; h++) {
		f->rms[h] = f->count[h] ? sqrt(f->s2[h] / f->count[h]) : NAN;
		f->bias[h] = f->count[h] ? f->s1[h] / f->count[h] : NAN;
	}
	f->sigma = f->n ? sqrt(f->sh / f->n) : NAN;
}

/* The P10 and P90 of sum_i w_i exp(d_i h) / sum_i w_i, d_i ~ N(0, sigma^2), over draws. */
static void mixed_band(const double *w, int nw, int h, double sigma, int draws, double *lo,
		       double *hi)
{
	struct ksp_fc_rng g;
	float *x = ksp_xmalloc((size_t)draws * sizeof(float));
	double tot = 0;

	for (int i = 0; i < nw; i++)
		tot += w[i];
	ksp_fc_rng_seed(&g, 0x6261636b74657374ULL + (uint64_t)h); /* "backtest" */
	for (int d = 0; d < draws; d++) {
		double v = 0;

		for (int i = 0; i < nw; i++)
			v += w[i] * ksp_fc_exp(sigma * h * ksp_fc_rng_normal(&g));
		x[d] = (float)(tot > 0 ? v / tot : 1);
	}
	*lo = ksp_fc_quantile(x, draws, 0.10);
	*hi = ksp_fc_quantile(x, draws, 0.90);
	free(x);
}

void ksp_backtest_coverage(const struct ksp_backtest_row *rows, size_t n, int dim, int borders,
			   double sigma, int draws, struct ksp_backtest_coverage *out)
{
	memset(out, 0, sizeof(*out));
	out->dim = dim;
	out->borders = borders;
	for (int h = 0; h <= KSP_BT_MAX_HORIZON; h++)
		out->lo[h] = out->hi[h] = NAN;
	if (!isfinite(sigma) || sigma < 0 || draws < 2)
		return;
	for (int h = 1; h <= KSP_BT_MAX_HORIZON; h++) {
		if (dim == KSP_BT_SECTION || dim == KSP_BT_OCCUPATION) {
			out->lo[h] = exp(-KSP_BT_Z90 * sigma * h);
			out->hi[h] = exp(KSP_BT_Z90 * sigma * h);
		} else {
			/* the sections' model projections of that year weigh the shifts */
			double w[64];
			int nw = 0;

			for (size_t i = 0; i < n && nw < 64; i++)
				if (rows[i].dim == KSP_BT_SECTION && rows[i].horizon == h &&
				    rows[i].projected[KSP_BT_MODEL] > 0)
					w[nw++] = rows[i].projected[KSP_BT_MODEL];
			if (nw)
				mixed_band(w, nw, h, sigma, draws, &out->lo[h], &out->hi[h]);
		}
	}
	for (size_t i = 0; i < n; i++) {
		const struct ksp_backtest_row *r = &rows[i];
		double p = r->projected[KSP_BT_MODEL];
		int h = r->horizon;

		if (r->dim != dim || r->borders != borders || h < 1 || h > KSP_BT_MAX_HORIZON ||
		    !(p > 0) || isnan(r->observed) || isnan(out->lo[h]))
			continue;
		out->count[h]++;
		out->n++;
		if (r->observed >= p * out->lo[h] && r->observed <= p * out->hi[h]) {
			out->in[h]++;
			out->inside++;
		}
	}
}

/*
 * series.c - yearly series, the naive forecasts, the concordance of past
 * territories with today's regions, and the summary of errors.
 *
 * Methods: the naive "no change" and "trend" forecasts the US BLS sets
 * beside its projections in its evaluations (Monthly Labor Review 2015,
 * "Evaluation of BLS employment, labor force, and macroeconomic projections";
 * docs/reference/forecast-methods.md);
 * errors as projected - observed and MAPE as the mean APE over units
 * (docs/backtest.md).
 */
#include "backtest/backtest.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/xmalloc.h"

/* ---- series ---------------------------------------------------------------- */

void ksp_bt_series_init(struct ksp_bt_series *s, int nunit, int first, int last)
{
	size_t n;

	memset(s, 0, sizeof(*s));
	s->nunit = nunit > 0 ? nunit : 0;
	s->first = first;
	s->nyears = last >= first ? last - first + 1 : 0;
	n = (size_t)s->nunit * (size_t)s->nyears;
	s->code = ksp_xcalloc((size_t)s->nunit + 1, sizeof(*s->code));
	s->v = ksp_xcalloc(n + 1, sizeof(double));
	s->est = ksp_xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i++)
		s->v[i] = NAN;
}

void ksp_bt_series_release(struct ksp_bt_series *s)
{
	free(s->code);
	free(s->v);
	free(s->est);
	memset(s, 0, sizeof(*s));
}

double ksp_bt_get(const struct ksp_bt_series *s, int u, int year)
{
	int y = year - s->first;

	if (u < 0 || u >= s->nunit || y < 0 || y >= s->nyears)
		return NAN;
	return s->v[(size_t)u * s->nyears + y];
}

void ksp_bt_set(struct ksp_bt_series *s, int u, int year, double v, int est)
{
	int y = year - s->first;

	if (u < 0 || u >= s->nunit || y < 0 || y >= s->nyears)
		return;
	s->v[(size_t)u * s->nyears + y] = v;
	s->est[(size_t)u * s->nyears + y] = (unsigned char)(est != 0);
}

static int est_at(const struct ksp_bt_series *s, int u, int year)
{
	int y = year - s->first;

	if (u < 0 || u >= s->nunit || y < 0 || y >= s->nyears)
		return 0;
	return s->est[(size_t)u * s->nyears + y];
}

int ksp_bt_unit(const struct ksp_bt_series *s, const char *code)
{
	for (int u = 0; u < s->nunit; u++)
		if (!strcmp(s->code[u], code))
			return u;
	return -1;
}

void ksp_bt_series_upto(struct ksp_bt_series *out, const struct ksp_bt_series *s, int last)
{
	ksp_bt_series_init(out, s->nunit, s->first, s->first + s->nyears - 1);
	memcpy(out->code, s->code, (size_t)s->nunit * sizeof(*s->code));
	for (int u = 0; u < s->nunit; u++)
		for (int y = s->first; y <= last && y < s->first + s->nyears; y++)
			ksp_bt_set(out, u, y, ksp_bt_get(s, u, y), est_at(s, u, y));
}

/* ---- the naive forecasts --------------------------------------------------- */

double ksp_bt_ols_slope(const double *x, const double *y, int n)
{
	double mx = 0, my = 0, sxx = 0, sxy = 0;

	if (n < 2)
		return NAN;
	for (int i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	for (int i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	return sxx > 0 ? sxy / sxx : NAN;
}

double ksp_bt_trend(const struct ksp_bt_series *s, int u, int base, int year)
{
	double x[KSP_BT_TREND_YEARS + 1], y[KSP_BT_TREND_YEARS + 1];
	double v0 = ksp_bt_get(s, u, base), slope, p;
	int n = 0;

	if (isnan(v0))
		return NAN;
	for (int t = base - KSP_BT_TREND_YEARS; t <= base; t++) {
		double v = ksp_bt_get(s, u, t);

		if (!isnan(v)) {
			x[n] = t - base;
			y[n++] = v;
		}
	}
	if (n < KSP_BT_TREND_MIN)
		return NAN;
	slope = ksp_bt_ols_slope(x, y, n);
	if (isnan(slope))
		return NAN;
	p = v0 + slope * (year - base);
	return p > 0 ? p : 0;
}

/* ---- the concordance --------------------------------------------------------- */

void ksp_bt_concordance_release(struct ksp_bt_concordance *c)
{
	free(c->terr);
	free(c->reg);
	free(c->share);
	memset(c, 0, sizeof(*c));
}

int ksp_bt_concordance_check(const struct ksp_bt_concordance *c, struct ksp_error *err)
{
	for (int t = 0; t < c->nterr; t++) {
		double sum = 0;

		for (int r = 0; r < c->nreg; r++)
			sum += c->share[(size_t)t * c->nreg + r];
		if (fabs(sum - 1) > 1e-6)
			return ksp_error_set(err, KSP_EINVAL,
					     "history-concordance: the shares of territory \"%s\" sum "
					     "to %.6f, not 1",
					     c->terr[t], sum);
	}
	return KSP_OK;
}

void ksp_bt_to_regions(const struct ksp_bt_concordance *c, const struct ksp_bt_series *terr,
		       struct ksp_bt_series *out)
{
	const int last = terr->first + terr->nyears - 1;

	ksp_bt_series_init(out, c->nreg, terr->first, last);
	memcpy(out->code, c->reg, (size_t)c->nreg * sizeof(*c->reg));
	for (int r = 0; r < c->nreg; r++)
		for (int y = terr->first; y <= last; y++) {
			double sum = 0;
			int any = 0, est = 0;

			for (int t = 0; t < c->nterr; t++) {
				double w = c->share[(size_t)t * c->nreg + r], v;

				if (w <= 0)
					continue;
				v = ksp_bt_get(terr, ksp_bt_unit(terr, c->terr[t]), y);
				if (isnan(v)) {
					/* a territory of other years: it simply does not exist in y */
					continue;
				}
				sum += w * v;
				any = 1;
				est |= w < 1;
			}
			if (any)
				ksp_bt_set(out, r, y, sum, est);
		}
}

/* Union-find over the regions. */
static int find(int *parent, int r)
{
	while (parent[r] != r)
		r = parent[r] = parent[parent[r]];
	return r;
}

int ksp_bt_groups(const struct ksp_bt_concordance *c, const struct ksp_bt_series *terr, int first,
		  int last, int *group, struct ksp_bt_series *out)
{
	int *parent = ksp_xcalloc((size_t)c->nreg + 1, sizeof(int));
	int *root_group = ksp_xcalloc((size_t)c->nreg + 1, sizeof(int));
	int ng = 0;

	for (int r = 0; r < c->nreg; r++)
		parent[r] = r;
	for (int t = 0; t < c->nterr; t++) {
		int u = ksp_bt_unit(terr, c->terr[t]), seen = 0, r0 = -1;

		for (int y = first; y <= last && !seen; y++)
			seen = !isnan(ksp_bt_get(terr, u, y));
		if (!seen)
			continue;
		for (int r = 0; r < c->nreg; r++) {
			if (c->share[(size_t)t * c->nreg + r] <= 0)
				continue;
			if (r0 < 0)
				r0 = r;
			else
				parent[find(parent, r)] = find(parent, r0);
		}
	}
	for (int r = 0; r < c->nreg; r++)
		root_group[r] = -1;
	for (int r = 0; r < c->nreg; r++) {
		int root = find(parent, r);

		if (root_group[root] < 0)
			root_group[root] = ng++;
		group[r] = root_group[root];
	}
	ksp_bt_series_init(out, ng, terr->first, terr->first + terr->nyears - 1);
	for (int r = 0; r < c->nreg; r++) {
		char *code = out->code[group[r]];
		size_t len = strlen(code);

		if (len)
			snprintf(code + len, KSP_BT_CODE - len, "+%s", c->reg[r]);
		else
			snprintf(code, KSP_BT_CODE, "%s", c->reg[r]);
	}
	/* each group's series: the sum of the territories that lie in it */
	for (int g = 0; g < ng; g++)
		for (int y = terr->first; y < terr->first + terr->nyears; y++) {
			double sum = 0;
			int any = 0, gap = 0;

			for (int r = 0; r < c->nreg; r++) {
				int covered = 0;

				if (group[r] != g)
					continue;
				for (int t = 0; t < c->nterr; t++) {
					double v;

					if (c->share[(size_t)t * c->nreg + r] <= 0)
						continue;
					v = ksp_bt_get(terr, ksp_bt_unit(terr, c->terr[t]), y);
					if (!isnan(v))
						covered = 1;
				}
				gap |= !covered;
			}
			for (int t = 0; t < c->nterr && !gap; t++) {
				int in = 0;
				double v;

				for (int r = 0; r < c->nreg; r++)
					in |= group[r] == g && c->share[(size_t)t * c->nreg + r] > 0;
				v = ksp_bt_get(terr, ksp_bt_unit(terr, c->terr[t]), y);
				if (in && !isnan(v)) {
					sum += v;
					any = 1;
				}
			}
			if (any && !gap)
				ksp_bt_set(out, g, y, sum, 0);
		}
	free(parent);
	free(root_group);
	return ng;
}

/* ---- errors ------------------------------------------------------------------- */

double ksp_backtest_pct_error(double projected, double observed)
{
	if (isnan(projected) || isnan(observed) || observed <= 0)
		return NAN;
	return 100.0 * (projected - observed) / observed;
}

static int cmp_summary(const void *a, const void *b)
{
	const struct ksp_backtest_summary *x = a, *y = b;

	if (x->dim != y->dim)
		return x->dim - y->dim;
	if (x->borders != y->borders)
		return x->borders - y->borders;
	if (x->year != y->year)
		return x->year - y->year;
	return x->method - y->method;
}

void ksp_backtest_summarise(const struct ksp_backtest_row *rows, size_t n,
			    struct ksp_backtest_summary **out, size_t *nout)
{
	struct ksp_backtest_summary *s = NULL;
	size_t ns = 0, alloc = 0;

	for (size_t i = 0; i < n; i++) {
		const struct ksp_backtest_row *r = &rows[i];

		/* the country's total is not one of the regions averaged over */
		if (r->dim == KSP_BT_REGION && r->borders == KSP_BT_NATIONAL)
			continue;
		for (int m = 0; m < KSP_BT_NMETHOD; m++) {
			double pe = ksp_backtest_pct_error(r->projected[m], r->observed);
			double pn = ksp_backtest_pct_error(r->projected[KSP_BT_NOCHANGE], r->observed);
			size_t k;

			if (isnan(pe))
				continue;
			for (k = 0; k < ns; k++)
				if (s[k].dim == r->dim && s[k].borders == r->borders &&
				    s[k].year == r->year && s[k].method == m)
					break;
			if (k == ns) {
				KSP_ALLOC_GROW(s, ns + 1, alloc);
				memset(&s[ns], 0, sizeof(s[ns]));
				s[ns].dim = r->dim;
				s[ns].borders = r->borders;
				s[ns].year = r->year;
				s[ns].horizon = r->horizon;
				s[ns].method = m;
				ns++;
			}
			s[k].n++;
			s[k].mape += fabs(pe);
			s[k].mpe += pe;
			if (fabs(pe) > s[k].maxape)
				s[k].maxape = fabs(pe);
			if (!isnan(pn) && fabs(pe) < fabs(pn))
				s[k].beats_nochange++;
		}
	}
	for (size_t k = 0; k < ns; k++) {
		s[k].mape /= s[k].n;
		s[k].mpe /= s[k].n;
	}
	if (ns)
		qsort(s, ns, sizeof(*s), cmp_summary);
	*out = s;
	*nout = ns;
}

const char *ksp_backtest_dim_name(int dim)
{
	static const char *const names[] = { "region", "section", "occupation" };

	return dim >= 0 && dim < KSP_BT_NDIM ? names[dim] : "";
}

const char *ksp_backtest_method_name(int method)
{
	static const char *const names[] = { "model", "nochange", "trend" };

	return method >= 0 && method < KSP_BT_NMETHOD ? names[method] : "";
}

const char *ksp_backtest_borders_name(int borders)
{
	static const char *const names[] = { "current", "consistent", "national" };

	return borders >= 0 && borders <= KSP_BT_NATIONAL ? names[borders] : "";
}

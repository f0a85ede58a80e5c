/*
 * ipf.c - iterative proportional fitting of a two-way table (see data/ipf.h).
 *
 * Method: Deming and Stephan (1940); the convergence conditions (a table
 * with the seed's zero pattern and the given margins must exist) are those
 * of Bishop, Fienberg and Holland, "Discrete Multivariate Analysis" (1975),
 * ch. 3.  docs/data.md describes the estimates built with it.
 */
#include "data/ipf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/xmalloc.h"

/* Sums with Neumaier's compensation: margins of 10^7 persons over a few
 * hundred cells must agree to well under a person. */
struct ksum {
	double s, c;
};

static void ksum_add(struct ksum *k, double v)
{
	double t = k->s + v;

	if (fabs(k->s) >= fabs(v))
		k->c += (k->s - t) + v;
	else
		k->c += (v - t) + k->s;
	k->s = t;
}

static double ksum_get(const struct ksum *k)
{
	return k->s + k->c;
}

static double row_sum(const double *x, size_t ncols, size_t i)
{
	struct ksum k = { 0, 0 };

	for (size_t j = 0; j < ncols; j++)
		ksum_add(&k, x[i * ncols + j]);
	return ksum_get(&k);
}

static double col_sum(const double *x, size_t nrows, size_t ncols, size_t j)
{
	struct ksum k = { 0, 0 };

	for (size_t i = 0; i < nrows; i++)
		ksum_add(&k, x[i * ncols + j]);
	return ksum_get(&k);
}

static int bad_number(double v)
{
	return !isfinite(v) || v < 0;
}

int ksp_ipf_2d(double *x, size_t nrows, size_t ncols, const double *row_target,
	       const double *col_target, double tol, int max_iter, int *iterations,
	       double *max_dev, struct ksp_error *err)
{
	struct ksum kr = { 0, 0 }, kc = { 0, 0 };
	double rtot, ctot, dev = INFINITY, *ct = NULL;
	int it = 0, rc;

	if (iterations)
		*iterations = 0;
	if (max_dev)
		*max_dev = INFINITY;
	if (!x || !row_target || !col_target)
		return ksp_error_set(err, KSP_EUSAGE, "ipf: a NULL table or target");
	if (!nrows || !ncols || nrows > SIZE_MAX / ncols / sizeof(double))
		return ksp_error_set(err, KSP_EUSAGE, "ipf: bad table size %zu x %zu", nrows, ncols);
	if (!isfinite(tol) || tol < 0 || max_iter < 1)
		return ksp_error_set(err, KSP_EUSAGE, "ipf: bad tolerance %g or iteration limit %d",
				     tol, max_iter);
	for (size_t i = 0; i < nrows; i++)
		for (size_t j = 0; j < ncols; j++)
			if (bad_number(x[i * ncols + j]))
				return ksp_error_set(err, KSP_EINVAL,
						     "ipf: seed cell (%zu, %zu) is negative or not a "
						     "number: %g", i + 1, j + 1, x[i * ncols + j]);
	for (size_t i = 0; i < nrows; i++) {
		if (bad_number(row_target[i]))
			return ksp_error_set(err, KSP_EINVAL,
					     "ipf: row target %zu is negative or not a number: %g",
					     i + 1, row_target[i]);
		ksum_add(&kr, row_target[i]);
	}
	for (size_t j = 0; j < ncols; j++) {
		if (bad_number(col_target[j]))
			return ksp_error_set(err, KSP_EINVAL,
					     "ipf: column target %zu is negative or not a number: %g",
					     j + 1, col_target[j]);
		ksum_add(&kc, col_target[j]);
	}
	rtot = ksum_get(&kr);
	ctot = ksum_get(&kc);
	if (fabs(rtot - ctot) > tol + 1e-12 * fmax(rtot, ctot))
		return ksp_error_set(err, KSP_EINVAL,
				     "ipf: inconsistent margins: the row targets sum to %.17g, the "
				     "column targets to %.17g", rtot, ctot);
	for (size_t i = 0; i < nrows; i++)
		if (row_target[i] > 0 && row_sum(x, ncols, i) <= 0)
			return ksp_error_set(err, KSP_EINFEASIBLE,
					     "ipf: row %zu has target %g but its seed is all zero", i + 1,
					     row_target[i]);
	for (size_t j = 0; j < ncols; j++)
		if (col_target[j] > 0 && col_sum(x, nrows, ncols, j) <= 0)
			return ksp_error_set(err, KSP_EINFEASIBLE,
					     "ipf: column %zu has target %g but its seed is all zero",
					     j + 1, col_target[j]);

	/*
	 * The column targets, scaled to the row total: margins that agree only to
	 * rounding would otherwise have no exact fixed point.  The change is
	 * within tol by the check above.
	 */
	ct = ksp_xmalloc(ncols * sizeof(double));
	for (size_t j = 0; j < ncols; j++)
		ct[j] = ctot > 0 ? col_target[j] * (rtot / ctot) : 0;

	for (it = 1; it <= max_iter; it++) {
		for (size_t i = 0; i < nrows; i++) {
			double s = row_sum(x, ncols, i), f = s > 0 ? row_target[i] / s : 0;

			for (size_t j = 0; j < ncols; j++)
				x[i * ncols + j] *= f;
		}
		for (size_t j = 0; j < ncols; j++) {
			double s = col_sum(x, nrows, ncols, j), f = s > 0 ? ct[j] / s : 0;

			for (size_t i = 0; i < nrows; i++)
				x[i * ncols + j] *= f;
		}
		dev = 0;
		for (size_t i = 0; i < nrows; i++)
			dev = fmax(dev, fabs(row_sum(x, ncols, i) - row_target[i]));
		for (size_t j = 0; j < ncols; j++)
			dev = fmax(dev, fabs(col_sum(x, nrows, ncols, j) - col_target[j]));
		if (dev <= tol)
			break;
	}
	if (it > max_iter) {
		it = max_iter;
		rc = ksp_error_set(err, KSP_EINFEASIBLE,
				   "ipf: no convergence in %d iterations (largest margin deviation %g, "
				   "tolerance %g): the seed's zeros admit no table with these margins",
				   max_iter, dev, tol);
	} else {
		rc = KSP_OK;
	}
	if (iterations)
		*iterations = it;
	if (max_dev)
		*max_dev = dev;
	free(ct);
	return rc;
}

/*
 * data/ipf.h - iterative proportional fitting of a two-way table.
 *
 * Iterative proportional fitting (IPF, also called biproportional scaling,
 * RAS or raking; Deming and Stephan 1940) finds the table X closest to a
 * seed table S in the Kullback-Leibler sense whose row and column sums are
 * given.  The result has the form X[i][j] = a[i] * S[i][j] * b[j], so a
 * structural zero of the seed stays zero and the seed's cross-ratios
 * (S[i][j] S[k][l] / S[i][l] S[k][j]) are kept.  With a uniform seed the
 * result is R[i] * C[j] / T, the table of independence.  docs/data.md says
 * where kasip uses it.
 */
#ifndef KSP_IPF_H
#define KSP_IPF_H

#include <stddef.h>

#include "kasip/error.h"

/*
 * Fit x (nrows x ncols, row-major) in place: on entry it holds the seed
 * (finite, >= 0), on return the fitted table whose row sums are row_target
 * and whose column sums are col_target to within tol (absolute, in the
 * units of the table).  Each iteration scales the rows to their targets and
 * then the columns; the fit stops when no row or column sum is more than
 * tol from its target.
 *
 * *iterations (may be NULL) gets the number of iterations done and
 * *max_dev (may be NULL) the largest deviation of a row or column sum from
 * its target at the end.  The targets are not changed.  Thread-safe; the
 * function allocates one array of ncols doubles.
 *
 * Errors:
 *   KSP_EUSAGE      a NULL array, a zero or overflowing size, tol < 0 or not
 *                   finite, max_iter < 1;
 *   KSP_EINVAL      a negative or non-finite seed cell or target, or
 *                   inconsistent margins: the row targets and the column
 *                   targets sum to totals more than tol apart (plus 1e-12 of
 *                   the total for floating-point rounding);
 *   KSP_EINFEASIBLE a positive target whose seed row or column is all zero
 *                   (the zeros of the seed are kept), or no convergence in
 *                   max_iter iterations because the zero structure admits no
 *                   table with these margins; x then holds the last iterate.
 * x is unchanged when the error is KSP_EUSAGE or KSP_EINVAL.
 */
int ksp_ipf_2d(double *x, size_t nrows, size_t ncols, const double *row_target,
	       const double *col_target, double tol, int max_iter, int *iterations,
	       double *max_dev, struct ksp_error *err);

#endif

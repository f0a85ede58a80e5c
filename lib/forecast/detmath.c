/*
 * detmath.c - exp and log that give the same bits on every machine.
 *
 * libm's exp and log are not correctly rounded and differ by an ulp between
 * glibc, musl and Apple's libm, which would make a Monte Carlo run differ in
 * the last digits between machines.  These use only IEEE-754 + - * / (which
 * are correctly rounded), frexp and ldexp (exact), so their results are the
 * same everywhere; they are within a few ulp (relative error below 1e-15) of the true value, which is far
 * finer than any figure kasip reports.  Method: argument reduction by ln 2
 * (Cody and Waite's split constant) and Taylor / atanh series, as in
 * J.-M. Muller, "Elementary Functions", ch. 11.
 */
#include "forecast/model.h"

#include <math.h>

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^20. */
static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;

double ksp_fc_exp(double x)
{
	double k, r, sum;
	int i;

	if (x != x)
		return x;
	if (x > 709.7)
		return HUGE_VAL;
	if (x < -745.2)
		return 0.0;
	/* x = k ln2 + r, |r| <= ln2/2 */
	k = floor(x * INV_LN2 + 0.5);
	r = (x - k * LN2_HI) - k * LN2_LO;
	/* Taylor series to r^18/18! in Horner form: 1 + r(1 + r/2(1 + r/3(...))) */
	sum = 1.0;
	for (i = 18; i >= 1; i--)
		sum = 1.0 + r * sum / (double)i;
	return ldexp(sum, (int)k);
}

double ksp_fc_log(double x)
{
	double m, f, f2, s, term;
	int e, i;

	if (x != x || x < 0)
		return NAN;
	if (x == 0)
		return -HUGE_VAL;
	if (isinf(x))
		return x;
	m = frexp(x, &e); /* x = m 2^e, m in [0.5, 1) */
	if (m < 0.70710678118654752440) {
		m *= 2.0;
		e -= 1;
	}
	/* log m = 2 atanh(f), f = (m-1)/(m+1), |f| <= 0.1716 */
	f = (m - 1.0) / (m + 1.0);
	f2 = f * f;
	s = 0.0;
	term = f;
	for (i = 0; i < 14; i++) {
		s += term / (double)(2 * i + 1);
		term *= f2;
	}
	return ((double)e * LN2_HI) + (2.0 * s + (double)e * LN2_LO);
}

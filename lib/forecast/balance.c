/*
 * balance.c - step 6: balance, shortage ratio and the national shortfall.
 *
 * Method: the COPS comparison of job openings with job seekers over the
 * projection (docs/reference/forecast-methods.md 2.3 and 7.6;
 * docs/methodology.md, "Balance").
 */
#include "forecast/model.h"

void ksp_fc_balance_year(struct ksp_fc_result *res, int t)
{
	const size_t n = (size_t)res->nreg * res->nl, o = (size_t)t * n;
	size_t c;

	for (c = 0; c < n; c++) {
		double e = res->demand[o + c];

		/* B = NS - JO; shortage ratio = (JO - NS) / E[t] */
		res->balance[o + c] = res->new_supply[o + c] - res->openings[o + c];
		res->shortage[o + c] = e > 0 ? -res->balance[o + c] / e : 0;
	}
}

static double shortfall(const struct ksp_fc_result *res, int t, int region, int all, double *net)
{
	const int R = res->nreg, nl = res->nl;
	double gross = 0, netsum = 0, dem = 0;
	int r, l, u;

	for (r = 0; r < R; r++) {
		if (region >= 0 && r != region)
			continue;
		for (l = 0; l < nl; l++) {
			double gap = 0;

			for (u = 1; u <= t; u++) {
				size_t c = ((size_t)u * R + r) * nl + l;

				gap -= res->balance[c];
				if (all && res->other_entrants)
					gap -= res->other_entrants[c];
			}
			if (gap > 0)
				gross += gap;
			netsum += gap;
			dem += res->demand[((size_t)t * R + r) * nl + l];
		}
	}
	if (net)
		*net = dem > 0 ? netsum / dem : 0;
	return dem > 0 ? gross / dem : 0;
}

double ksp_fc_shortfall(const struct ksp_fc_result *res, int t, int region, double *net)
{
	return shortfall(res, t, region, 0, net);
}

double ksp_fc_shortfall_all(const struct ksp_fc_result *res, int t, int region, double *net)
{
	return shortfall(res, t, region, 1, net);
}

/*
 * derive.c - the estimates kasip derives from the official tables at init.
 *
 * No public source gives employment by region and OKED section, population
 * by region, sex and single year of age, or participation by region; the
 * forecast needs them.  Each is derived here by a documented method from the
 * published figures, and every row is stored with a source of kind
 * 'estimate' whose method text says how (docs/data.md gives the formulas):
 *
 *   kasip-est-employment-section   region x section B..S, 2024 and 2025
 *   kasip-est-population-age-sex   region x sex x age 0..100+, 2025 average
 *   kasip-est-participation        region participation rate 15+, 2025
 *
 * Published rows are never overwritten (INSERT ... ON CONFLICT DO NOTHING);
 * the function first deletes its own earlier rows, so it can run again.
 */
#include "data/derive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/ipf.h"
#include "kasip/dataset.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- calibration figures (each with its source row in data/kz/sources.csv) ---- */

#define BASE_YEAR 2025

/* bns-press-age-2024: shares of the population on 1 July 2024. */
#define SHARE_UNDER25_2024 0.426
#define SHARE_25_64_2024 0.485
#define SHARE_65PLUS_2024 0.089
/* finprom-dependency: children under 16, start of 2023; dependency ratio 2023. */
#define SHARE_UNDER16_2023 0.312
#define DEPENDENCY_KZ_2023 740.0
/* Pension ages in 2023 (kz-facts §2.4): men 63, women 61. */
#define PENSION_AGE_MEN 63
#define PENSION_AGE_WOMEN 61

/* Assumptions of the shape (no public source gives them; docs/data.md). */
#define TAIL_START 66          /* the published 65+ group, one year later */
#define SEX_RATIO_BIRTH 1.06   /* boys per girl at birth */
#define SEX_GAP_SLOPE 0.06     /* growth per year of age of the male excess hazard */
#define TILT_RIDGE 0.01        /* weight that keeps unidentified tilts at 1 */

static const struct {
	const char *kato;
	double cbr;  /* press-cbr-2024: births per 1,000, 2024 */
	double cdr;  /* press-cdr-2024: deaths per 1,000, Jan-Sep 2024 */
	double dr;   /* finprom-dependency: dependents per 1,000 of working age, 2023 */
} region_rates[] = {
	{ "230000000", 21.43, 0, 0 },     /* Atyrau */
	{ "390000000", 0, 10.12, 651 },   /* Kostanay */
	{ "470000000", 24.47, 0, 0 },     /* Mangystau */
	{ "590000000", 9.72, 11.52, 672 },/* North Kazakhstan */
	{ "610000000", 25.05, 0, 0 },     /* Turkistan */
	{ "630000000", 11.72, 11.32, 0 }, /* East Kazakhstan */
	{ "710000000", 19.41, 0, 625 },   /* Astana */
	{ "750000000", 0, 0, 642 },       /* Almaty */
	{ "790000000", 23.68, 0, 0 },     /* Shymkent */
};

static const char *const block_bf[] = { "B", "C", "D", "E", "F" };
static const char *const block_gu[] = { "G", "H", "I", "J", "K", "L", "M",
					"N", "O", "P", "Q", "R", "S" };

/* ---- the sources of the estimates ---------------------------------------------- */

#define SRC_EMP "kasip-est-employment-section"
#define SRC_POP "kasip-est-population-age-sex"
#define SRC_PART "kasip-est-participation"

static const struct {
	const char *id, *title, *publisher, *method, *note;
} est_sources[] = {
	{ SRC_EMP, "Employed persons by region and OKED section (B..S), 2024 and 2025",
	  "kasip (estimate from BNS 443435, 102798, 443430 and 5831)",
	  "No public table gives employment by region and section. Section A is published by "
	  "region (bns-443430) and is not estimated. Industry and construction: x[r][j] for "
	  "sections j = B..F is fitted by iterative proportional fitting (lib/data/ipf.c) to the "
	  "row margins R[r] = the region's B-F employment (bns-443435) and the column margins "
	  "C[j] = national employment in section j (bns-5831, thousand persons x 1000), from a "
	  "uniform seed; with a uniform seed the fit is the independence table "
	  "x[r][j] = R[r] * C[j] / sum_r R[r], reached in one iteration. Services: the same for "
	  "sections G..S against the region's G-U employment (kasip-services-remainder) and the "
	  "national G..S (BNS 5831 counts T and U inside S). Persons, unrounded; both margins are "
	  "reproduced to 1e-6 person. Every region gets the national section mix within each "
	  "block: regional specialisation (mining in Atyrau, Mangystau, Karaganda, Ulytau; "
	  "public administration in Astana) is not captured. See docs/data.md.",
	  "The margins agree exactly: the 20 regions' B-F and G-U totals equal the national sums "
	  "of B..F and G..S in 2024 and 2025. Replace with BNS regional tables by section when "
	  "they are obtained." },
	{ SRC_POP, "Average population 2025 by region, sex and single year of age (0..99, 100+)",
	  "kasip (estimate calibrated to BNS 6576, births, and published age shares)",
	  "No public table gives population by age and region. (1) National shares p(a) of the "
	  "2025 average population: p(0) = (B2024 + B2025) / 2N and p(1) = (B2023 + B2024) / 2N "
	  "from births (bns-births; infant deaths and migration ignored), N = national 2025 "
	  "average (bns-6576). The published shares are moved to 2025 along cohorts, deaths and "
	  "migration being spread in proportion: sum p(1..25) = 0.426 (1 - p0), "
	  "sum p(26..65) = 0.485 (1 - p0), sum p(66..100+) = 0.089 (1 - p0) (1 July 2024, "
	  "bns-press-age-2024); p(2)/2 + sum p(3..17) + p(18)/2 = 0.312 (1 - p0 - p1 - B2023/2N) "
	  "(children under 16 at the start of 2023, finprom-dependency). Ages 2..65 are the "
	  "smoothest curve meeting these sums: minimum of sum over a = 1..98 of "
	  "(p(a-1) - 2 p(a) + p(a+1))^2, solved exactly as a linear system. Ages 66+ follow a "
	  "Gompertz survivorship shape l(a) = exp(-(m / b) (exp(b (a - 66)) - 1)) scaled to the "
	  "66+ share, 100+ the sum of the shape above 99; m and b are the values that make the "
	  "whole curve smoothest (b on a grid 0.05..0.12, m by golden section). (2) Sex: men per "
	  "woman r(a) = 1.06 exp(-H(a)), H(a) = 0 below 15 and d / 0.06 (exp(0.06 (a - 65)) - "
	  "exp(0.06 (15 - 65))) from 15 (a male excess hazard growing 6 % a year of age), d "
	  "chosen by bisection so that men are the published share on 1 Jan 2026 (10,018,735 of "
	  "20,495,975, bns-press-jan1-2026); 1.06 and 0.06 are assumptions. (3) Regions: seed "
	  "T[r] p(s,a) f[r](a) with f = c[r] on ages 0-15, o[r] on 65+, 1 between; c[r], o[r] "
	  "minimise, in logs, the misfit to the region's published crude birth rate 2024 "
	  "(press-cbr-2024; child share ratio = rate ratio), crude death rate Jan-Sep 2024 "
	  "(press-cdr-2024; 65+ share ratio = rate ratio) and dependency ratio 2023 relative to "
	  "740 (finprom-dependency; pension ages 63 men, 61 women) plus 0.01 (log c^2 + log o^2); "
	  "regions with none of these get c = o = 1. IPF (lib/data/ipf.c) then fits the 20 x 202 "
	  "table to the published regional totals T[r] (bns-6576) and the national age-sex counts "
	  "N p(s,a). Each region's row is rounded to half persons by largest remainder so that it "
	  "sums exactly to T[r]; the national rows are the sums of the regions. Also stored: "
	  "totals by sex and the 15+ total. See docs/data.md.",
	  "An estimate of a structure no public source gives: single ages carry an error of "
	  "several per cent, the tails and the regional tilts more. Check against a BNS age table "
	  "when one is obtained." },
	{ SRC_PART, "Labour-force participation rate 15+ by region, 2025",
	  "kasip (estimate from BNS 102800 and kasip-est-population-age-sex)",
	  "participation rate (percent) = 100 * labour force aged 15+ (bns-102800, thousand "
	  "persons x 1000; national: kasip-lfs-national) / population aged 15 and over "
	  "(kasip-est-population-age-sex, 2025 average, stored as age 15+). The rate times the "
	  "estimated population 15+ / 100 reproduces the published labour force exactly (to "
	  "floating-point rounding). Unrounded. See docs/data.md.",
	  "Inherits the error of the estimated age structure. No participation by age or sex is "
	  "published; the forecast's rates by age and sex are its own assumptions." },
};

/* ---- dense linear algebra -------------------------------------------------------- */

/* Solve a x = b (n x n, row-major; both destroyed) by Gaussian elimination with
 * partial pivoting; x is written into b.  Returns 0, or -1 if singular. */
static int solve_dense(double *a, double *b, int n)
{
	for (int c = 0; c < n; c++) {
		int piv = c;

		for (int r = c + 1; r < n; r++)
			if (fabs(a[r * n + c]) > fabs(a[piv * n + c]))
				piv = r;
		if (fabs(a[piv * n + c]) < 1e-300)
			return -1;
		if (piv != c) {
			double tb = b[c];

			for (int k = 0; k < n; k++) {
				double t = a[c * n + k];

				a[c * n + k] = a[piv * n + k];
				a[piv * n + k] = t;
			}
			b[c] = b[piv];
			b[piv] = tb;
		}
		for (int r = c + 1; r < n; r++) {
			double f = a[r * n + c] / a[c * n + c];

			if (f == 0)
				continue;
			for (int k = c; k < n; k++)
				a[r * n + k] -= f * a[c * n + k];
			b[r] -= f * b[c];
		}
	}
	for (int c = n - 1; c >= 0; c--) {
		double s = b[c];

		for (int k = c + 1; k < n; k++)
			s -= a[c * n + k] * b[k];
		b[c] = s / a[c * n + c];
	}
	return 0;
}

/* ---- the national age profile ----------------------------------------------------- */

#define FREE_LO 2              /* ages 0 and 1 are fixed by births */
#define FREE_HI (TAIL_START - 1)
#define NFREE (FREE_HI - FREE_LO + 1)
#define NCONS 3

struct shape {
	double p0, p1;        /* fixed shares of ages 0 and 1 */
	double rhs[NCONS];    /* right-hand sides of the group constraints */
	double tail_total;    /* share of ages 66+ */
};

/* The Gompertz survivorship shape of ages 66..99 and 100+, scaled to total. */
static void tail_shape(double m, double beta, double total, double *p)
{
	double g[KSP_NAGES], sum = 0;

	for (int a = TAIL_START; a < KSP_NAGES; a++)
		g[a] = 0;
	for (int a = TAIL_START; a < 250; a++) {
		double l = exp(-m / beta * expm1(beta * (a - TAIL_START)));

		if (a < KSP_NAGES - 1)
			g[a] = l;
		else
			g[KSP_NAGES - 1] += l;
		if (l < 1e-18)
			break;
	}
	for (int a = TAIL_START; a < KSP_NAGES; a++)
		sum += g[a];
	for (int a = TAIL_START; a < KSP_NAGES; a++)
		p[a] = total * g[a] / sum;
}

static double roughness(const double *p)
{
	double j = 0;

	/* The open group 100+ is not a single year: it is left out. */
	for (int a = 1; a < KSP_NAGES - 2; a++) {
		double d = p[a - 1] - 2 * p[a] + p[a + 1];

		j += d * d;
	}
	return j;
}

/* Coefficient of free age a in group constraint k. */
static double cons_coef(int k, int a)
{
	switch (k) {
	case 0: return a <= 25 ? 1 : 0;                    /* ages 2..25 (1 is fixed) */
	case 1: return a >= 26 ? 1 : 0;                    /* ages 26..65 */
	default:                                           /* cohorts under 16 in 2023 */
		if (a == 2 || a == 18)
			return 0.5;
		return a >= 3 && a <= 17 ? 1 : 0;
	}
}

/*
 * Shares p[0..100] for a tail (m, beta): the minimum-roughness curve on the
 * free ages under the group constraints, by the KKT system
 *     [2H A'] [p]   [-2h]
 *     [A  0 ] [l] = [ b ].
 * Returns the roughness, or -1 if the system is singular.
 */
static double shape_solve(const struct shape *sh, double m, double beta, double *p)
{
	enum { N = NFREE + NCONS };
	double *a = ksp_xcalloc((size_t)N * N, sizeof(double));
	double b[N];
	double j;

	memset(b, 0, sizeof(b));
	for (int i = 0; i < KSP_NAGES; i++)
		p[i] = 0;
	p[0] = sh->p0;
	p[1] = sh->p1;
	tail_shape(m, beta, sh->tail_total, p);
	for (int c = 1; c < KSP_NAGES - 2; c++) {
		int ages[3] = { c - 1, c, c + 1 };
		double coef[3] = { 1, -2, 1 }, fixed = 0;

		for (int k = 0; k < 3; k++)
			if (ages[k] < FREE_LO || ages[k] > FREE_HI)
				fixed += coef[k] * p[ages[k]];
		for (int k = 0; k < 3; k++) {
			int fi = ages[k] - FREE_LO;

			if (ages[k] < FREE_LO || ages[k] > FREE_HI)
				continue;
			b[fi] -= 2 * coef[k] * fixed;
			for (int l = 0; l < 3; l++)
				if (ages[l] >= FREE_LO && ages[l] <= FREE_HI)
					a[fi * N + (ages[l] - FREE_LO)] += 2 * coef[k] * coef[l];
		}
	}
	for (int k = 0; k < NCONS; k++) {
		for (int age = FREE_LO; age <= FREE_HI; age++) {
			double v = cons_coef(k, age);

			a[(NFREE + k) * N + (age - FREE_LO)] = v;
			a[(age - FREE_LO) * N + NFREE + k] = v;
		}
		b[NFREE + k] = sh->rhs[k];
	}
	if (solve_dense(a, b, N)) {
		free(a);
		return -1;
	}
	for (int age = FREE_LO; age <= FREE_HI; age++)
		p[age] = b[age - FREE_LO];
	free(a);
	j = roughness(p);
	return j;
}

/* Golden-section search of log m in [log 1e-3, log 0.5] for one beta. */
static double best_m(const struct shape *sh, double beta, double *p, double *jbest)
{
	const double gr = (sqrt(5.0) - 1) / 2;
	double lo = log(1e-3), hi = log(0.5);
	double c = hi - gr * (hi - lo), d = lo + gr * (hi - lo);
	double jc = shape_solve(sh, exp(c), beta, p), jd = shape_solve(sh, exp(d), beta, p);

	for (int it = 0; it < 50; it++) {
		if (jc >= 0 && (jd < 0 || jc < jd)) {
			hi = d;
			d = c;
			jd = jc;
			c = hi - gr * (hi - lo);
			jc = shape_solve(sh, exp(c), beta, p);
		} else {
			lo = c;
			c = d;
			jc = jd;
			d = lo + gr * (hi - lo);
			jd = shape_solve(sh, exp(d), beta, p);
		}
	}
	*jbest = shape_solve(sh, exp((lo + hi) / 2), beta, p);
	return exp((lo + hi) / 2);
}

/* Share of men at age a for the sex model with excess hazard delta at 65. */
static double male_share_at(int a, double delta)
{
	double h = 0, r;

	if (a >= 15)
		h = delta / SEX_GAP_SLOPE *
		    (exp(SEX_GAP_SLOPE * (a - 65)) - exp(SEX_GAP_SLOPE * (15 - 65)));
	r = SEX_RATIO_BIRTH * exp(-h);
	return r / (1 + r);
}

static double male_total(const double *p, double delta)
{
	double s = 0;

	for (int a = 0; a < KSP_NAGES; a++)
		s += p[a] * male_share_at(a, delta);
	return s;
}

int ksp_derive_age_profile(const struct ksp_age_inputs *in, struct ksp_age_profile *out,
			   struct ksp_error *err)
{
	struct shape sh;
	double p[KSP_NAGES], best_p[KSP_NAGES], n = in->total;
	double jbest = -1, lo, hi, sum = 0;

	memset(out, 0, sizeof(*out));
	if (!(n > 0) || !isfinite(n))
		return ksp_error_set(err, KSP_EINVAL, "age profile: bad national total %g", n);
	for (int k = 0; k < 3; k++)
		if (!(in->births[k] > 0) || !isfinite(in->births[k]))
			return ksp_error_set(err, KSP_EINVAL, "age profile: bad births %g",
					     in->births[k]);
	if (!(in->male_share > 0.4 && in->male_share < 0.6))
		return ksp_error_set(err, KSP_EINVAL, "age profile: share of men %g is implausible",
				     in->male_share);

	sh.p0 = (in->births[1] + in->births[2]) / (2 * n);
	sh.p1 = (in->births[0] + in->births[1]) / (2 * n);
	sh.rhs[0] = SHARE_UNDER25_2024 * (1 - sh.p0) - sh.p1;
	sh.rhs[1] = SHARE_25_64_2024 * (1 - sh.p0);
	sh.rhs[2] = SHARE_UNDER16_2023 * (1 - sh.p0 - sh.p1 - in->births[0] / (2 * n));
	sh.tail_total = SHARE_65PLUS_2024 * (1 - sh.p0);

	for (int k = 0; k <= 14; k++) {
		double beta = 0.05 + 0.005 * k, j, m = best_m(&sh, beta, p, &j);

		if (j >= 0 && (jbest < 0 || j < jbest)) {
			jbest = j;
			out->tail_m = m;
			out->tail_beta = beta;
			memcpy(best_p, p, sizeof(p));
		}
	}
	if (jbest < 0)
		return ksp_error_set(err, KSP_EINTERNAL, "age profile: singular linear system");
	for (int a = 0; a < KSP_NAGES; a++) {
		if (best_p[a] < 0)
			return ksp_error_set(err, KSP_EINVAL,
					     "age profile: the calibration figures give a negative "
					     "share at age %d", a);
		sum += best_p[a];
	}
	if (fabs(sum - 1) > 1e-9)
		return ksp_error_set(err, KSP_EINTERNAL, "age profile: shares sum to %.12g", sum);
	out->roughness = jbest;

	/* The sex model: bisection on the excess hazard (male share falls with it). */
	lo = 0;
	hi = 1;
	if (male_total(best_p, lo) < in->male_share || male_total(best_p, hi) > in->male_share)
		return ksp_error_set(err, KSP_EINVAL,
				     "age profile: the sex model cannot give a share of men of %g",
				     in->male_share);
	for (int it = 0; it < 200; it++) {
		double mid = (lo + hi) / 2;

		if (male_total(best_p, mid) > in->male_share)
			lo = mid;
		else
			hi = mid;
	}
	out->sex_delta = (lo + hi) / 2;
	for (int a = 0; a < KSP_NAGES; a++) {
		double s = male_share_at(a, out->sex_delta);

		out->male[a] = n * best_p[a] * s;
		out->female[a] = n * best_p[a] * (1 - s);
	}
	return KSP_OK;
}

/* ---- regional tilts, IPF and rounding --------------------------------------------- */

struct groups {
	double child, old, pen_mid, work; /* national shares: 0-15, 65+, pensioners under 65, rest */
};

static void national_groups(const struct ksp_age_profile *nat, struct groups *g)
{
	double tot = 0;

	memset(g, 0, sizeof(*g));
	for (int a = 0; a < KSP_NAGES; a++) {
		double both = nat->male[a] + nat->female[a];

		tot += both;
		if (a <= 15)
			g->child += both;
		else if (a >= 65)
			g->old += both;
		else {
			if (a >= PENSION_AGE_MEN)
				g->pen_mid += nat->male[a];
			if (a >= PENSION_AGE_WOMEN)
				g->pen_mid += nat->female[a];
		}
	}
	g->child /= tot;
	g->old /= tot;
	g->pen_mid /= tot;
	g->work = 1 - g->child - g->old - g->pen_mid;
}

static double tilt_misfit(const struct groups *g, const struct ksp_age_region *r, double lc,
			  double lo)
{
	double c = exp(lc), o = exp(lo), z = c * g->child + g->work + g->pen_mid + o * g->old;
	double f = TILT_RIDGE * (lc * lc + lo * lo), d;

	if (r->cbr_ratio > 0) {
		d = log(c / z) - log(r->cbr_ratio);
		f += d * d;
	}
	if (r->cdr_ratio > 0) {
		d = log(o / z) - log(r->cdr_ratio);
		f += d * d;
	}
	if (r->dr_ratio > 0) {
		d = log((c * g->child + g->pen_mid + o * g->old) / (g->child + g->pen_mid + g->old)) -
		    log(r->dr_ratio);
		f += d * d;
	}
	return f;
}

/* Grid search on (log c, log o), refined three times around the best point. */
static void tilt_fit(const struct groups *g, struct ksp_age_region *r)
{
	double bc = 0, bo = 0, bf = tilt_misfit(g, r, 0, 0);
	const double steps[3] = { 0.02, 0.002, 0.0002 };

	for (int s = 0; s < 3; s++) {
		double cc = bc, co = bo;

		for (int i = -60; i <= 60; i++)
			for (int j = -60; j <= 60; j++) {
				double lc = cc + i * steps[s], lo = co + j * steps[s];
				double f = tilt_misfit(g, r, lc, lo);

				if (f < bf) {
					bf = f;
					bc = lc;
					bo = lo;
				}
			}
	}
	r->child_tilt = exp(bc);
	r->old_tilt = exp(bo);
}

int ksp_derive_round(double *v, size_t n, double unit, double total, struct ksp_error *err)
{
	double *q = NULL, *rem = NULL, k;
	long long need;
	int rc = KSP_OK;

	if (!(unit > 0) || !isfinite(total) || fabs(total / unit - nearbyint(total / unit)) > 1e-6)
		return ksp_error_set(err, KSP_EINVAL, "round: total %.17g is not a multiple of %g",
				     total, unit);
	q = ksp_xcalloc(n ? n : 1, sizeof(double));
	rem = ksp_xcalloc(n ? n : 1, sizeof(double));
	k = nearbyint(total / unit);
	for (size_t i = 0; i < n; i++) {
		if (!(v[i] >= 0) || !isfinite(v[i])) {
			rc = ksp_error_set(err, KSP_EINVAL, "round: value %zu is %g", i + 1, v[i]);
			goto out;
		}
		q[i] = floor(v[i] / unit);
		rem[i] = v[i] / unit - q[i];
		k -= q[i];
	}
	need = llround(k);
	if (need < 0 || (size_t)need > n) {
		rc = ksp_error_set(err, KSP_EINVAL,
				   "round: the values are %lld units away from the total", need);
		goto out;
	}
	while (need-- > 0) {
		size_t best = 0;

		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		q[best] += 1;
		rem[best] = -1;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = q[i] * unit;
out:
	free(q);
	free(rem);
	return rc;
}

int ksp_derive_regional_ages(const struct ksp_age_profile *nat, struct ksp_age_region *reg,
			     size_t nreg, double *out, int *iterations, double *max_dev,
			     struct ksp_error *err)
{
	double rows[1024], cols[KSP_NSEXAGE], ntot = 0, rtot = 0;
	struct groups g;
	int rc;

	if (nreg == 0 || nreg > sizeof(rows) / sizeof(rows[0]))
		return ksp_error_set(err, KSP_EUSAGE, "regional ages: %zu regions", nreg);
	for (int a = 0; a < KSP_NAGES; a++) {
		cols[a] = nat->male[a];
		cols[KSP_NAGES + a] = nat->female[a];
		ntot += nat->male[a] + nat->female[a];
	}
	for (size_t r = 0; r < nreg; r++) {
		rows[r] = reg[r].total;
		rtot += reg[r].total;
	}
	if (fabs(rtot - ntot) > 0.5)
		return ksp_error_set(err, KSP_EINVAL,
				     "regional ages: the regions sum to %.1f, the country to %.1f",
				     rtot, ntot);
	for (int k = 0; k < KSP_NSEXAGE; k++)
		cols[k] *= rtot / ntot;

	national_groups(nat, &g);
	for (size_t r = 0; r < nreg; r++) {
		tilt_fit(&g, &reg[r]);
		for (int k = 0; k < KSP_NSEXAGE; k++) {
			int a = k % KSP_NAGES;
			double f = a <= 15 ? reg[r].child_tilt : a >= 65 ? reg[r].old_tilt : 1;

			out[r * KSP_NSEXAGE + k] = reg[r].total * cols[k] / rtot * f;
		}
	}
	rc = ksp_ipf_2d(out, nreg, KSP_NSEXAGE, rows, cols, 1e-6, 1000, iterations, max_dev, err);
	if (rc)
		return rc;
	for (size_t r = 0; r < nreg; r++) {
		if (fabs(rows[r] * 2 - nearbyint(rows[r] * 2)) > 1e-9)
			continue;
		rc = ksp_derive_round(out + r * KSP_NSEXAGE, KSP_NSEXAGE, 0.5, rows[r], err);
		if (rc)
			return rc;
	}
	return KSP_OK;
}

int ksp_derive_block(double *out, size_t nreg, const double *reg_total, size_t nsec,
		     const double *sec_total, int *iterations, double *max_dev,
		     struct ksp_error *err)
{
	/* A uniform seed: no public figure says how a region's mix differs. */
	for (size_t i = 0; i < nreg * nsec; i++)
		out[i] = 1;
	return ksp_ipf_2d(out, nreg, nsec, reg_total, sec_total, 1e-6, 1000, iterations, max_dev,
			  err);
}

/* ---- reading the official tables ---------------------------------------------------- */

/*
 * The value of the one row sql finds (binds: region, year, then the non-NULL
 * keys), converted to persons.  KSP_DONE when there is no row.
 */
static int get_figure(struct ksp_store *s, const char *sql, const char *region, long long year,
		      const char *k1, const char *k2, const char *k3, double *out,
		      struct ksp_error *err)
{
	struct ksp_stmt *st;
	int rc, at = 1;

	rc = ksp_stmt_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, at++, region, -1);
	ksp_stmt_bind_int64(st, at++, year);
	if (k1)
		ksp_stmt_bind_text(st, at++, k1, -1);
	if (k2)
		ksp_stmt_bind_text(st, at++, k2, -1);
	if (k3)
		ksp_stmt_bind_text(st, at++, k3, -1);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		const char *unit = ksp_stmt_column_text(st, 1);
		double v = ksp_stmt_column_double(st, 0);

		if (!strcmp(unit, "persons"))
			*out = v;
		else if (!strcmp(unit, "thousand persons"))
			*out = v * 1000;
		else
			rc = ksp_error_set(err, KSP_EINVAL, "unexpected unit \"%s\" for region %s, %lld",
					   unit, region, year);
		if (rc == KSP_ROW)
			rc = KSP_OK;
	}
	ksp_stmt_finalize(st);
	return rc;
}

static const char sql_population[] =
	"SELECT value, unit FROM population WHERE region = ? AND year = ? AND measure = 'average'"
	" AND sex = ? AND age = ?";
static const char sql_employment[] =
	"SELECT value, unit FROM employment WHERE region = ? AND year = ? AND industry = ?";
static const char sql_births[] =
	"SELECT value, unit FROM vital_event WHERE region = ? AND year = ? AND event = ?";
static const char sql_jan1[] =
	"SELECT value, unit FROM population WHERE region = ? AND year = ? AND measure = 'jan1'"
	" AND sex = ? AND age = 'total'";
static const char sql_lf[] =
	"SELECT value, unit FROM labour_force WHERE region = ? AND year = ?"
	" AND indicator = 'labour_force' AND sex = 'total' AND age = '15+'";

/* A figure that must be there. */
static int need(struct ksp_store *s, const char *sql, const char *region, long long year,
		const char *k1, const char *k2, double *out, const char *what,
		struct ksp_error *err)
{
	int rc = get_figure(s, sql, region, year, k1, k2, NULL, out, err);

	if (rc == KSP_DONE)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "derived estimates: no %s for region %s, %lld", what, region,
				     year);
	return rc;
}

struct regions {
	char country[16];
	char (*kato)[16];
	size_t n;
};

static int load_regions(struct ksp_store *s, struct regions *rg, struct ksp_error *err)
{
	struct ksp_stmt *st;
	size_t cap = 0;
	int rc;

	memset(rg, 0, sizeof(*rg));
	rc = ksp_stmt_prepare(s, "SELECT kato, type FROM region ORDER BY kato", &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *kato = ksp_stmt_column_text(st, 0);

		if (!strcmp(ksp_stmt_column_text(st, 1), "country")) {
			snprintf(rg->country, sizeof(rg->country), "%s", kato);
			continue;
		}
		if (rg->n >= 1000) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "derived estimates: too many regions");
			break;
		}
		KSP_ALLOC_GROW(rg->kato, rg->n + 1, cap);
		snprintf(rg->kato[rg->n++], sizeof(rg->kato[0]), "%s", kato);
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	if (!rg->country[0] || !rg->n)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "derived estimates: the regions table has no country row or no "
				     "regions (load regions.csv first)");
	return KSP_OK;
}

/* ---- writing ------------------------------------------------------------------------ */

static int step_done(struct ksp_stmt *st, struct ksp_error *err)
{
	int rc = ksp_stmt_step(st, err);

	ksp_stmt_reset(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

static int write_sources(struct ksp_store *s, struct ksp_error *err)
{
	struct ksp_stmt *st;
	int rc;

	rc = ksp_stmt_prepare(s,
			      "INSERT INTO source (id, kind, title, publisher, url, method, note)"
			      " VALUES (?, 'estimate', ?, ?, '', ?, ?) ON CONFLICT (id) DO UPDATE SET"
			      " kind = excluded.kind, title = excluded.title,"
			      " publisher = excluded.publisher, url = excluded.url,"
			      " method = excluded.method, note = excluded.note",
			      &st, err);
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < sizeof(est_sources) / sizeof(est_sources[0]); i++) {
		ksp_stmt_bind_text(st, 1, est_sources[i].id, -1);
		ksp_stmt_bind_text(st, 2, est_sources[i].title, -1);
		ksp_stmt_bind_text(st, 3, est_sources[i].publisher, -1);
		ksp_stmt_bind_text(st, 4, est_sources[i].method, -1);
		ksp_stmt_bind_text(st, 5, est_sources[i].note, -1);
		rc = step_done(st, err);
	}
	ksp_stmt_finalize(st);
	for (size_t i = 0; !rc && i < 3; i++) {
		static const char *const del[] = {
			"DELETE FROM employment WHERE source_id = '" SRC_EMP "'",
			"DELETE FROM population WHERE source_id = '" SRC_POP "'",
			"DELETE FROM labour_force WHERE source_id = '" SRC_PART "'",
		};

		rc = ksp_store_exec(s, del[i], err);
	}
	return rc;
}

/* ---- employment by region and section ------------------------------------------------ */

static int derive_employment_year(struct ksp_store *s, const struct regions *rg, long long year,
				  struct ksp_stmt *ins, struct ksp_error *err)
{
	const struct {
		const char *agg;
		const char *const *sec;
		size_t nsec;
	} blocks[2] = {
		{ "B-F", block_bf, sizeof(block_bf) / sizeof(block_bf[0]) },
		{ "G-U", block_gu, sizeof(block_gu) / sizeof(block_gu[0]) },
	};
	double *rows = ksp_xcalloc(rg->n, sizeof(double)), cols[16];
	double *x = NULL;
	int rc = KSP_OK;

	for (int b = 0; b < 2 && !rc; b++) {
		size_t ns = blocks[b].nsec;
		int iters;
		double dev;

		for (size_t j = 0; j < ns && !rc; j++)
			rc = need(s, sql_employment, rg->country, year, blocks[b].sec[j], NULL,
				  &cols[j], "national employment by section", err);
		for (size_t r = 0; r < rg->n && !rc; r++)
			rc = need(s, sql_employment, rg->kato[r], year, blocks[b].agg, NULL, &rows[r],
				  "regional employment by sector", err);
		if (rc)
			break;
		free(x);
		x = ksp_xcalloc(rg->n * ns, sizeof(double));
		rc = ksp_derive_block(x, rg->n, rows, ns, cols, &iters, &dev, err);
		if (rc) {
			char msg[KSP_ERROR_MSG_SIZE];

			snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
			rc = ksp_error_set(err, rc,
					   "employment %lld, %s: the regions' totals and the national "
					   "sections disagree: %s", year, blocks[b].agg, msg);
			break;
		}
		for (size_t r = 0; r < rg->n && !rc; r++)
			for (size_t j = 0; j < ns && !rc; j++) {
				ksp_stmt_bind_text(ins, 1, rg->kato[r], -1);
				ksp_stmt_bind_int64(ins, 2, year);
				ksp_stmt_bind_text(ins, 3, blocks[b].sec[j], -1);
				ksp_stmt_bind_double(ins, 4, x[r * ns + j]);
				rc = step_done(ins, err);
			}
	}
	free(x);
	free(rows);
	return rc;
}

static int derive_employment(struct ksp_store *s, const struct regions *rg, struct ksp_error *err)
{
	struct ksp_stmt *years = NULL, *ins = NULL;
	long long yv[64];
	int ny = 0, rc;

	rc = ksp_stmt_prepare(s,
			      "SELECT DISTINCT year FROM employment WHERE region = ? AND industry = 'B'"
			      " ORDER BY year",
			      &years, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(years, 1, rg->country, -1);
	while ((rc = ksp_stmt_step(years, err)) == KSP_ROW && ny < 64)
		yv[ny++] = ksp_stmt_column_int64(years, 0);
	ksp_stmt_finalize(years);
	if (rc != KSP_DONE && rc != KSP_ROW)
		return rc;
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO employment (region, year, industry, value, unit, source_id)"
			      " VALUES (?, ?, ?, ?, 'persons', '" SRC_EMP "')"
			      " ON CONFLICT (region, year, industry) DO NOTHING",
			      &ins, err);
	for (int i = 0; i < ny && !rc; i++) {
		struct ksp_stmt *cnt;
		long long n;

		/* A year with national sections but no regional sectors is left alone. */
		rc = ksp_stmt_prepare(s,
				      "SELECT count(*) FROM employment WHERE industry IN ('B-F', 'G-U')"
				      " AND region <> ? AND year = ?",
				      &cnt, err);
		if (rc)
			break;
		ksp_stmt_bind_text(cnt, 1, rg->country, -1);
		ksp_stmt_bind_int64(cnt, 2, yv[i]);
		rc = ksp_stmt_step(cnt, err);
		n = rc == KSP_ROW ? ksp_stmt_column_int64(cnt, 0) : 0;
		ksp_stmt_finalize(cnt);
		if (rc != KSP_ROW)
			break;
		rc = n ? derive_employment_year(s, rg, yv[i], ins, err) : KSP_OK;
	}
	ksp_stmt_finalize(ins);
	return rc;
}

/* ---- population by sex and age, participation --------------------------------------- */

static void age_label(int a, char *buf, size_t size)
{
	if (a == KSP_NAGES - 1)
		snprintf(buf, size, "%d+", a);
	else
		snprintf(buf, size, "%d", a);
}

static int put_population(struct ksp_stmt *ins, const char *region, const char *sex,
			  const char *age, double v, struct ksp_error *err)
{
	ksp_stmt_bind_text(ins, 1, region, -1);
	ksp_stmt_bind_int64(ins, 2, BASE_YEAR);
	ksp_stmt_bind_text(ins, 3, sex, -1);
	ksp_stmt_bind_text(ins, 4, age, -1);
	ksp_stmt_bind_double(ins, 5, v);
	return step_done(ins, err);
}

/* Store one row of the age table (men then women) under region. */
static int put_age_row(struct ksp_stmt *ins, const char *region, const double *row,
		       struct ksp_error *err)
{
	double men = 0, women = 0;
	char age[16];
	int rc = KSP_OK;

	for (int a = 0; a < KSP_NAGES && !rc; a++) {
		age_label(a, age, sizeof(age));
		men += row[a];
		women += row[KSP_NAGES + a];
		rc = put_population(ins, region, "male", age, row[a], err);
		if (!rc)
			rc = put_population(ins, region, "female", age, row[KSP_NAGES + a], err);
		if (!rc)
			rc = put_population(ins, region, "total", age, row[a] + row[KSP_NAGES + a],
					    err);
	}
	if (!rc)
		rc = put_population(ins, region, "male", "total", men, err);
	if (!rc)
		rc = put_population(ins, region, "female", "total", women, err);
	return rc;
}

static double over15(const double *row)
{
	double s = 0;

	for (int a = 15; a < KSP_NAGES; a++)
		s += row[a] + row[KSP_NAGES + a];
	return s;
}

static int derive_population(struct ksp_store *s, const struct regions *rg, struct ksp_error *err)
{
	struct ksp_age_inputs in;
	struct ksp_age_profile *nat = ksp_xcalloc(1, sizeof(*nat));
	struct ksp_age_region *reg = ksp_xcalloc(rg->n, sizeof(*reg));
	double *tab = ksp_xcalloc(rg->n * KSP_NSEXAGE, sizeof(double));
	double kz[KSP_NSEXAGE], pop24 = 0, births24 = 0, deaths24 = 0, men = 0, women = 0, lf = 0;
	struct ksp_stmt *ins = NULL, *part = NULL;
	int rc;

	memset(&in, 0, sizeof(in));
	memset(kz, 0, sizeof(kz));
	rc = need(s, sql_population, rg->country, BASE_YEAR, "total", "total", &in.total,
		  "average population", err);
	for (int k = 0; k < 3 && !rc; k++)
		rc = need(s, sql_births, rg->country, BASE_YEAR - 2 + k, "births", NULL, &in.births[k],
			  "births", err);
	if (!rc)
		rc = need(s, sql_jan1, rg->country, BASE_YEAR + 1, "male", NULL, &men,
			  "population of men on 1 January", err);
	if (!rc)
		rc = need(s, sql_jan1, rg->country, BASE_YEAR + 1, "female", NULL, &women,
			  "population of women on 1 January", err);
	if (!rc)
		rc = need(s, sql_population, rg->country, BASE_YEAR - 1, "total", "total", &pop24,
			  "average population", err);
	if (!rc)
		rc = need(s, sql_births, rg->country, BASE_YEAR - 1, "births", NULL, &births24,
			  "births", err);
	if (!rc)
		rc = need(s, sql_births, rg->country, BASE_YEAR - 1, "deaths", NULL, &deaths24,
			  "deaths", err);
	if (rc)
		goto out;
	in.male_share = men / (men + women);
	rc = ksp_derive_age_profile(&in, nat, err);
	if (rc)
		goto out;

	for (size_t r = 0; r < rg->n && !rc; r++) {
		rc = need(s, sql_population, rg->kato[r], BASE_YEAR, "total", "total", &reg[r].total,
			  "average population", err);
		for (size_t k = 0; k < sizeof(region_rates) / sizeof(region_rates[0]); k++) {
			if (strcmp(region_rates[k].kato, rg->kato[r]) != 0)
				continue;
			if (region_rates[k].cbr > 0)
				reg[r].cbr_ratio = region_rates[k].cbr / (1000 * births24 / pop24);
			if (region_rates[k].cdr > 0)
				reg[r].cdr_ratio = region_rates[k].cdr / (1000 * deaths24 / pop24);
			if (region_rates[k].dr > 0)
				reg[r].dr_ratio = region_rates[k].dr / DEPENDENCY_KZ_2023;
		}
	}
	if (rc)
		goto out;
	rc = ksp_derive_regional_ages(nat, reg, rg->n, tab, NULL, NULL, err);
	if (rc)
		goto out;

	rc = ksp_stmt_prepare(s,
			      "INSERT INTO population (region, year, measure, sex, age, value, unit,"
			      " source_id) VALUES (?, ?, 'average', ?, ?, ?, 'persons', '" SRC_POP "')"
			      " ON CONFLICT (region, year, measure, sex, age) DO NOTHING",
			      &ins, err);
	if (!rc)
		rc = ksp_stmt_prepare(s,
				      "INSERT INTO labour_force (region, year, indicator, sex, age, value,"
				      " unit, source_id) VALUES (?, ?, 'participation_rate', 'total',"
				      " '15+', ?, 'percent', '" SRC_PART "')"
				      " ON CONFLICT (region, year, indicator, sex, age) DO NOTHING",
				      &part, err);
	for (size_t r = 0; r <= rg->n && !rc; r++) {
		const char *kato = r < rg->n ? rg->kato[r] : rg->country;
		const double *row = r < rg->n ? tab + r * KSP_NSEXAGE : kz;
		double p15;

		if (r < rg->n)
			for (int k = 0; k < KSP_NSEXAGE; k++)
				kz[k] += row[k];
		rc = put_age_row(ins, kato, row, err);
		p15 = over15(row);
		if (!rc)
			rc = put_population(ins, kato, "total", "15+", p15, err);
		if (rc)
			break;
		rc = get_figure(s, sql_lf, kato, BASE_YEAR, NULL, NULL, NULL, &lf, err);
		if (rc == KSP_DONE) {
			rc = KSP_OK; /* no labour force for this region: no rate */
			continue;
		}
		if (rc)
			break;
		ksp_stmt_bind_text(part, 1, kato, -1);
		ksp_stmt_bind_int64(part, 2, BASE_YEAR);
		ksp_stmt_bind_double(part, 3, 100 * lf / p15);
		rc = step_done(part, err);
	}
out:
	ksp_stmt_finalize(ins);
	ksp_stmt_finalize(part);
	free(tab);
	free(reg);
	free(nat);
	return rc;
}

/* ---- the entry point ----------------------------------------------------------------- */

int ksp_dataset_derive(struct ksp_store *s, struct ksp_error *err)
{
	struct regions rg;
	int rc;

	rc = load_regions(s, &rg, err);
	if (!rc)
		rc = write_sources(s, err);
	if (!rc)
		rc = derive_employment(s, &rg, err);
	if (!rc)
		rc = derive_population(s, &rg, err);
	free(rg.kato);
	return rc;
}

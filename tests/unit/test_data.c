/*
 * test_data.c - iterative proportional fitting, the derived estimates, and
 * the built-in data set loaded into a real database.
 *
 * The data tests read data/kz/ ($KSP_DATA) so that they check the files
 * kasip ships, not copies.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#include "data/derive.h"
#include "data/ipf.h"
#include "kasip/csv.h"
#include "kasip/dataset.h"
#include "kasip/store.h"
#include "store/store.h"

/* ---- a CSV file in memory ------------------------------------------------------------ */

struct sheet {
	size_t nrows, ncols;
	char **hdr;
	char ***cell;
};

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static void sheet_free(struct sheet *sh)
{
	for (size_t r = 0; r < sh->nrows; r++) {
		for (size_t c = 0; c < sh->ncols; c++)
			free(sh->cell[r][c]);
		free(sh->cell[r]);
	}
	for (size_t c = 0; c < sh->ncols; c++)
		free(sh->hdr[c]);
	free(sh->hdr);
	free(sh->cell);
}

static int sheet_load(struct sheet *sh, const char *file)
{
	struct ksp_csv *csv;
	struct ksp_csv_row row;
	struct ksp_error err;
	size_t cap = 0;
	int rc;

	memset(sh, 0, sizeof(*sh));
	if (ksp_csv_open_file(&csv, harness_path("KSP_DATA", file), file, NULL, &err)) {
		printf("  cannot read %s: %s\n", file, err.msg);
		return -1;
	}
	while ((rc = ksp_csv_next(csv, &row, &err)) == KSP_OK) {
		char **cells = calloc(row.nfields, sizeof(char *));

		for (size_t i = 0; i < row.nfields; i++)
			cells[i] = dupstr(row.fields[i]);
		if (!sh->hdr) {
			sh->hdr = cells;
			sh->ncols = row.nfields;
			continue;
		}
		if (sh->nrows == cap) {
			cap = cap ? cap * 2 : 64;
			sh->cell = realloc(sh->cell, cap * sizeof(char **));
		}
		sh->cell[sh->nrows++] = cells;
	}
	ksp_csv_free(csv);
	if (rc != KSP_DONE) {
		sheet_free(sh);
		memset(sh, 0, sizeof(*sh));
		return -1;
	}
	return 0;
}

static const char *get(const struct sheet *sh, size_t r, const char *col)
{
	for (size_t c = 0; c < sh->ncols; c++)
		if (!strcmp(sh->hdr[c], col))
			return sh->cell[r][c];
	return "";
}

/* The value of the row matching all of the (column, value) pairs, or NAN. */
static double lookup(const struct sheet *sh, const char *c1, const char *v1, const char *c2,
		     const char *v2, const char *c3, const char *v3)
{
	for (size_t r = 0; r < sh->nrows; r++)
		if (!strcmp(get(sh, r, c1), v1) && !strcmp(get(sh, r, c2), v2) &&
		    (!c3 || !strcmp(get(sh, r, c3), v3)))
			return strtod(get(sh, r, "value"), NULL);
	return NAN;
}

static int is_region(const char *iso)
{
	return !strncmp(iso, "KZ-", 3);
}

/* ---- IPF on small tables with known answers ------------------------------------------- */

TEST(ipf_2x2_uniform_is_independence)
{
	double x[4] = { 1, 1, 1, 1 }, r[2] = { 3, 7 }, c[2] = { 4, 6 }, dev;
	int it;

	CHECK_EQ_INT(ksp_ipf_2d(x, 2, 2, r, c, 1e-12, 100, &it, &dev, NULL), KSP_OK);
	/* R[i] C[j] / T with T = 10. */
	CHECK_NEAR(x[0], 1.2, 1e-12);
	CHECK_NEAR(x[1], 1.8, 1e-12);
	CHECK_NEAR(x[2], 2.8, 1e-12);
	CHECK_NEAR(x[3], 4.2, 1e-12);
	CHECK_EQ_INT(it, 1);
	CHECK(dev <= 1e-12);
}

TEST(ipf_2x2_keeps_the_cross_ratio)
{
	double x[4] = { 1, 2, 3, 4 }, r[2] = { 10, 10 }, c[2] = { 10, 10 };
	double a = 10 * (sqrt(6.0) - 2); /* a^2 / (10 - a)^2 = 1*4 / (2*3) */
	int it;

	CHECK_EQ_INT(ksp_ipf_2d(x, 2, 2, r, c, 1e-10, 1000, &it, NULL, NULL), KSP_OK);
	CHECK_NEAR(x[0], a, 1e-8);
	CHECK_NEAR(x[1], 10 - a, 1e-8);
	CHECK_NEAR(x[2], 10 - a, 1e-8);
	CHECK_NEAR(x[3], a, 1e-8);
	CHECK_NEAR(x[0] * x[3] / (x[1] * x[2]), 2.0 / 3.0, 1e-9);
	CHECK(it > 1);
}

TEST(ipf_3x3_known_answer_and_zeros)
{
	/*
	 * X = diag(1, 2, 3) S diag(2, 1, 0.5) has the form IPF converges to, so
	 * fitting S to X's margins must give X back:
	 *   S = [1 2 0; 2 1 1; 0 1 3]  ->  X = [2 2 0; 8 2 1; 0 3 4.5].
	 */
	double x[9] = { 1, 2, 0, 2, 1, 1, 0, 1, 3 };
	const double want[9] = { 2, 2, 0, 8, 2, 1, 0, 3, 4.5 };
	double r[3] = { 4, 11, 7.5 }, c[3] = { 10, 7, 5.5 }, dev;
	int it;

	CHECK_EQ_INT(ksp_ipf_2d(x, 3, 3, r, c, 1e-11, 10000, &it, &dev, NULL), KSP_OK);
	for (int i = 0; i < 9; i++)
		CHECK_NEAR(x[i], want[i], 1e-9);
	CHECK(x[2] == 0 && x[6] == 0); /* structural zeros stay exactly zero */
	CHECK(dev <= 1e-11);
	CHECK(it > 1);
}

TEST(ipf_rejects_inconsistent_margins)
{
	double x[4] = { 1, 1, 1, 1 }, r[2] = { 1, 2 }, c[2] = { 1, 3 };
	struct ksp_error err;

	CHECK_EQ_INT(ksp_ipf_2d(x, 2, 2, r, c, 1e-6, 100, NULL, NULL, &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "inconsistent margins") != NULL);
	CHECK(x[0] == 1 && x[3] == 1); /* untouched */
	/* Sums 0.5 apart: consistent for a tolerance of 0.5, not for 0.4. */
	c[1] = 1.5;
	CHECK_EQ_INT(ksp_ipf_2d(x, 2, 2, r, c, 0.4, 100, NULL, NULL, NULL), KSP_EINVAL);
}

TEST(ipf_zero_structure)
{
	/* A positive target on an all-zero seed row cannot be met. */
	double x[4] = { 0, 0, 1, 1 }, r[2] = { 1, 1 }, c[2] = { 1, 1 };
	double d[4] = { 1, 0, 0, 1 }, dr[2] = { 1, 2 }, dc[2] = { 2, 1 }, dev;
	double z[6] = { 1, 1, 1, 1, 1, 1 }, zr[2] = { 0, 6 }, zc[3] = { 1, 2, 3 };
	int it;

	CHECK_EQ_INT(ksp_ipf_2d(x, 2, 2, r, c, 1e-9, 100, NULL, NULL, NULL), KSP_EINFEASIBLE);
	/* A diagonal seed cannot carry off-diagonal margins: no convergence. */
	CHECK_EQ_INT(ksp_ipf_2d(d, 2, 2, dr, dc, 1e-9, 50, &it, &dev, NULL), KSP_EINFEASIBLE);
	CHECK_EQ_INT(it, 50);
	CHECK_NEAR(dev, 1, 1e-9);
	CHECK(d[1] == 0 && d[2] == 0);
	/* A zero target empties its row; the rest still fits. */
	CHECK_EQ_INT(ksp_ipf_2d(z, 2, 3, zr, zc, 1e-12, 100, NULL, NULL, NULL), KSP_OK);
	CHECK(z[0] == 0 && z[1] == 0 && z[2] == 0);
	CHECK_NEAR(z[3], 1, 1e-12);
	CHECK_NEAR(z[5], 3, 1e-12);
}

TEST(ipf_bad_arguments)
{
	double x[4] = { 1, -1, 1, 1 }, r[2] = { 1, 1 }, c[2] = { 1, 1 };
	double y[4] = { 1, 1, 1, 1 }, nanr[2] = { NAN, 1 };

	CHECK_EQ_INT(ksp_ipf_2d(x, 2, 2, r, c, 1e-9, 10, NULL, NULL, NULL), KSP_EINVAL);
	CHECK_EQ_INT(ksp_ipf_2d(y, 2, 2, nanr, c, 1e-9, 10, NULL, NULL, NULL), KSP_EINVAL);
	CHECK_EQ_INT(ksp_ipf_2d(y, 2, 2, r, c, -1, 10, NULL, NULL, NULL), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_ipf_2d(y, 2, 2, r, c, 1e-9, 0, NULL, NULL, NULL), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_ipf_2d(y, 0, 2, r, c, 1e-9, 10, NULL, NULL, NULL), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_ipf_2d(NULL, 2, 2, r, c, 1e-9, 10, NULL, NULL, NULL), KSP_EUSAGE);
}

/* ---- rounding ------------------------------------------------------------------------ */

TEST(round_keeps_the_total)
{
	double v[3] = { 0.3, 0.3, 0.4 }, w[4] = { 1.2, 1.2, 1.3, 0.3 }, bad[2] = { 1, 1 };

	CHECK_EQ_INT(ksp_derive_round(v, 3, 1, 1, NULL), KSP_OK);
	CHECK(v[0] == 0 && v[1] == 0 && v[2] == 1);
	/* In half units 2.4, 2.4, 2.6, 0.6: the floors give 6 of the 8 half units, the
	 * 2 left go to the largest remainders (indexes 2 and 3). */
	CHECK_EQ_INT(ksp_derive_round(w, 4, 0.5, 4, NULL), KSP_OK);
	CHECK(w[0] == 1 && w[1] == 1 && w[2] == 1.5 && w[3] == 0.5);
	CHECK_EQ_INT(ksp_derive_round(bad, 2, 0.5, 2.25, NULL), KSP_EINVAL);
	CHECK_EQ_INT(ksp_derive_round(bad, 2, 0.5, 10, NULL), KSP_EINVAL);
	CHECK(bad[0] == 1 && bad[1] == 1); /* untouched on error */
}

/* ---- employment by region and section on the shipped data ---------------------------- */

static const char *const sec_bf[] = { "B", "C", "D", "E", "F" };
static const char *const sec_gu[] = { "G", "H", "I", "J", "K", "L", "M",
				      "N", "O", "P", "Q", "R", "S" };

TEST(employment_blocks_reproduce_both_margins)
{
	struct sheet e, lf;

	memset(&lf, 0, sizeof(lf));
	if (sheet_load(&e, "employment.csv") || sheet_load(&lf, "labour_force.csv")) {
		CHECK(!"data/kz/employment.csv or labour_force.csv readable");
		sheet_free(&e);
		return;
	}
	for (int y = 2024; y <= 2025; y++) {
		char year[8];
		const char *agg[2] = { "B-F", "G-U" };
		const char *const *secs[2] = { sec_bf, sec_gu };
		size_t nsec[2] = { 5, 13 };
		double regA = 0, natA, regtot = 0;

		snprintf(year, sizeof(year), "%d", y);
		/* Published three-sector data: the regions add up to the national sections. */
		natA = lookup(&e, "region", "KZ", "year", year, "industry", "A") * 1000;
		for (size_t r = 0; r < e.nrows; r++)
			if (is_region(get(&e, r, "region")) && !strcmp(get(&e, r, "year"), year)) {
				if (!strcmp(get(&e, r, "industry"), "A"))
					regA += strtod(get(&e, r, "value"), NULL);
				if (!strcmp(get(&e, r, "industry"), "TOTAL")) {
					double t = strtod(get(&e, r, "value"), NULL);
					double l = lookup(&lf, "region", get(&e, r, "region"), "year",
							  year, "indicator", "employed");

					regtot += t;
					CHECK_NEAR(t, l * 1000, 1e-6); /* persons = thousands */
				}
			}
		CHECK_NEAR(regA, natA, 1e-6);
		CHECK_NEAR(regtot, lookup(&e, "region", "KZ", "year", year, "industry", "TOTAL") *
			   1000, 1e-6);
		for (int b = 0; b < 2; b++) {
			double rows[20], cols[13], x[20 * 13], natsum = 0, regsum = 0, dev;
			size_t nr = 0;
			int it;

			for (size_t j = 0; j < nsec[b]; j++) {
				cols[j] = lookup(&e, "region", "KZ", "year", year, "industry",
						 secs[b][j]) * 1000;
				natsum += cols[j];
			}
			for (size_t r = 0; r < e.nrows && nr < 20; r++)
				if (is_region(get(&e, r, "region")) && !strcmp(get(&e, r, "year"), year) &&
				    !strcmp(get(&e, r, "industry"), agg[b])) {
					rows[nr] = strtod(get(&e, r, "value"), NULL);
					regsum += rows[nr++];
				}
			CHECK_EQ_INT(nr, 20);
			CHECK_NEAR(regsum, natsum, 1e-6); /* the facts say exactly equal */
			CHECK_NEAR(regsum, lookup(&e, "region", "KZ", "year", year, "industry", agg[b]),
				   1e-6);
			CHECK_EQ_INT(ksp_derive_block(x, nr, rows, nsec[b], cols, &it, &dev, NULL),
				     KSP_OK);
			CHECK(dev <= 1e-6);
			CHECK_EQ_INT(it, 1); /* uniform seed: independence in one pass */
			for (size_t r = 0; r < nr; r++) {
				double s = 0;

				for (size_t j = 0; j < nsec[b]; j++)
					s += x[r * nsec[b] + j];
				CHECK_NEAR(s, rows[r], 0.5);
			}
			for (size_t j = 0; j < nsec[b]; j++) {
				double s = 0;

				for (size_t r = 0; r < nr; r++) {
					s += x[r * nsec[b] + j];
					CHECK_NEAR(x[r * nsec[b] + j], rows[r] * cols[j] / natsum, 1e-6);
				}
				CHECK_NEAR(s, cols[j], 0.5);
			}
		}
	}
	sheet_free(&e);
	sheet_free(&lf);
}

/* ---- the age profile on the shipped data ----------------------------------------------- */

static int load_age_inputs(struct ksp_age_inputs *in, struct sheet *pop)
{
	struct sheet v;

	memset(in, 0, sizeof(*in));
	if (sheet_load(pop, "population.csv"))
		return -1;
	if (sheet_load(&v, "vital_event.csv")) {
		sheet_free(pop);
		return -1;
	}
	for (size_t r = 0; r < pop->nrows; r++)
		if (!strcmp(get(pop, r, "region"), "KZ") && !strcmp(get(pop, r, "year"), "2025") &&
		    !strcmp(get(pop, r, "measure"), "average"))
			in->total = strtod(get(pop, r, "value"), NULL);
	in->births[0] = lookup(&v, "region", "KZ", "year", "2023", "event", "births");
	in->births[1] = lookup(&v, "region", "KZ", "year", "2024", "event", "births");
	in->births[2] = lookup(&v, "region", "KZ", "year", "2025", "event", "births");
	{
		double men = 0, women = 0;

		for (size_t r = 0; r < pop->nrows; r++)
			if (!strcmp(get(pop, r, "region"), "KZ") &&
			    !strcmp(get(pop, r, "year"), "2026") &&
			    !strcmp(get(pop, r, "measure"), "jan1")) {
				if (!strcmp(get(pop, r, "sex"), "male"))
					men = strtod(get(pop, r, "value"), NULL);
				if (!strcmp(get(pop, r, "sex"), "female"))
					women = strtod(get(pop, r, "value"), NULL);
			}
		in->male_share = men / (men + women);
	}
	sheet_free(&v);
	return 0;
}

static double band(const struct ksp_age_profile *p, int lo, int hi)
{
	double s = 0;

	for (int a = lo; a <= hi && a < KSP_NAGES; a++)
		s += p->male[a] + p->female[a];
	return s;
}

TEST(age_profile_meets_its_calibration)
{
	struct ksp_age_inputs in;
	struct ksp_age_profile p;
	struct sheet pop;
	double n, men = 0, p0, p1, old_m = 0, old_f = 0;

	if (load_age_inputs(&in, &pop)) {
		CHECK(!"data/kz/population.csv and vital_event.csv readable");
		return;
	}
	n = in.total;
	CHECK_NEAR(n, 20391610.5, 1e-6);
	CHECK_EQ_INT(ksp_derive_age_profile(&in, &p, NULL), KSP_OK);
	for (int a = 0; a < KSP_NAGES; a++) {
		CHECK(p.male[a] >= 0 && p.female[a] >= 0);
		men += p.male[a];
	}
	CHECK_NEAR(band(&p, 0, 100), n, 1e-5);
	/* Births anchor ages 0 and 1. */
	p0 = (in.births[1] + in.births[2]) / 2;
	p1 = (in.births[0] + in.births[1]) / 2;
	CHECK_NEAR(band(&p, 0, 0), p0, 1e-5);
	CHECK_NEAR(band(&p, 1, 1), p1, 1e-5);
	/* The published shares of 1 July 2024, one year on along cohorts. */
	CHECK_NEAR(band(&p, 1, 25), 0.426 * (n - p0), 1e-3);
	CHECK_NEAR(band(&p, 26, 65), 0.485 * (n - p0), 1e-3);
	CHECK_NEAR(band(&p, 66, 100), 0.089 * (n - p0), 1e-3);
	/* Children under 16 at the start of 2023, 2.5 years on. */
	CHECK_NEAR(0.5 * band(&p, 2, 2) + band(&p, 3, 17) + 0.5 * band(&p, 18, 18),
		   0.312 * (n - p0 - p1 - in.births[0] / 2), 1e-3);
	/* The share of men is the published one; women outnumber men at old ages. */
	CHECK_NEAR(men / n, 10018735.0 / 20495975.0, 1e-9);
	for (int a = 65; a < KSP_NAGES; a++) {
		old_m += p.male[a];
		old_f += p.female[a];
	}
	CHECK(old_f > 1.3 * old_m);
	CHECK(p.male[5] > p.female[5]);
	/*
	 * Cross-check with a figure not used in the fit: 12.3 million aged 15-64
	 * at the start of 2023 (19,767,103 people: twice the 2023 average minus
	 * 1 January 2024) is, 2.5 years on, ages 17.5..67.5; allow the rounding
	 * of 12.3 and the deaths in between (3 %).
	 */
	{
		double coh = 0.5 * band(&p, 17, 17) + band(&p, 18, 66) + 0.5 * band(&p, 67, 67);
		double want = 12.3e6 / 19767103.0 * (n - p0 - p1 - in.births[0] / 2);

		printf("  15-64 cohort check: %.0f vs %.0f (%.2f%%)\n", coh, want,
		       100 * (coh / want - 1));
		CHECK(fabs(coh / want - 1) < 0.03);
	}
	/* A smooth curve: no year differs from its neighbours' mean by more than 5 %. */
	for (int a = 1; a < KSP_NAGES - 12; a++) {
		double t = band(&p, a, a), m = (band(&p, a - 1, a - 1) + band(&p, a + 1, a + 1)) / 2;

		CHECK(fabs(t / m - 1) < 0.05);
	}
	printf("  tail m %.4f beta %.3f, sex delta %.4f, 0-15 %.1f%%, 65+ %.1f%%, 100+ %.0f\n",
	       p.tail_m, p.tail_beta, p.sex_delta, 100 * band(&p, 0, 15) / n,
	       100 * band(&p, 65, 100) / n, band(&p, 100, 100));
	sheet_free(&pop);
}

static double dependency(const double *row)
{
	double dep = 0, work = 0;

	for (int a = 0; a < KSP_NAGES; a++) {
		double m = row[a], f = row[KSP_NAGES + a];

		dep += (a <= 15 || a >= 63 ? m : 0) + (a <= 15 || a >= 61 ? f : 0);
		work += (a > 15 && a < 63 ? m : 0) + (a > 15 && a < 61 ? f : 0);
	}
	return 1000 * dep / work;
}

TEST(regional_ages_sum_to_published_totals)
{
	struct ksp_age_inputs in;
	struct ksp_age_profile p;
	struct ksp_age_region reg[20];
	struct sheet pop;
	double tab[20 * KSP_NSEXAGE], tot = 0, kzrow[KSP_NSEXAGE], dev;
	const char *iso[20];
	size_t n = 0;
	int it;

	if (load_age_inputs(&in, &pop)) {
		CHECK(!"data/kz/population.csv readable");
		return;
	}
	CHECK_EQ_INT(ksp_derive_age_profile(&in, &p, NULL), KSP_OK);
	memset(reg, 0, sizeof(reg));
	for (size_t r = 0; r < pop.nrows && n < 20; r++)
		if (is_region(get(&pop, r, "region")) && !strcmp(get(&pop, r, "year"), "2025") &&
		    !strcmp(get(&pop, r, "measure"), "average")) {
			iso[n] = get(&pop, r, "region");
			reg[n].total = strtod(get(&pop, r, "value"), NULL);
			/* Published ratios for two regions, as derive.c computes them. */
			if (!strcmp(iso[n], "KZ-61"))
				reg[n].cbr_ratio = 25.05 / (1000 * 365923 / 20158620.5);
			if (!strcmp(iso[n], "KZ-59")) {
				reg[n].cbr_ratio = 9.72 / (1000 * 365923 / 20158620.5);
				reg[n].cdr_ratio = 11.52 / (1000 * 132916 / 20158620.5);
				reg[n].dr_ratio = 672 / 740.0;
			}
			tot += reg[n++].total;
		}
	CHECK_EQ_INT(n, 20);
	CHECK(tot == in.total); /* half persons add up exactly */
	CHECK_EQ_INT(ksp_derive_regional_ages(&p, reg, n, tab, &it, &dev, NULL), KSP_OK);
	CHECK(dev <= 1e-6);
	memset(kzrow, 0, sizeof(kzrow));
	for (size_t r = 0; r < n; r++) {
		double s = 0;

		for (int k = 0; k < KSP_NSEXAGE; k++) {
			double v = tab[r * KSP_NSEXAGE + k];

			CHECK(v >= 0);
			CHECK(v * 2 == floor(v * 2)); /* half persons */
			s += v;
			kzrow[k] += v;
		}
		CHECK(s == reg[r].total); /* exactly the published total */
		if (!strcmp(iso[r], "KZ-61")) {
			CHECK(reg[r].child_tilt > 1.2);
			CHECK(dependency(tab + r * KSP_NSEXAGE) > 800); /* "the south is above 800" */
		}
		if (!strcmp(iso[r], "KZ-59")) {
			CHECK(reg[r].child_tilt < 0.8 && reg[r].old_tilt > 1.2);
			printf("  North Kazakhstan dependency ratio %.0f (published 672 for 2023)\n",
			       dependency(tab + r * KSP_NSEXAGE));
		}
	}
	/* The regions' ages add up to the national profile to within rounding. */
	for (int a = 0; a < KSP_NAGES; a++) {
		CHECK_NEAR(kzrow[a], p.male[a], 0.5 * n);
		CHECK_NEAR(kzrow[KSP_NAGES + a], p.female[a], 0.5 * n);
	}
	sheet_free(&pop);
}

/* ---- the data set in a database ------------------------------------------------------- */

static double qd(struct ksp_store *s, const char *sql, const char *a1, const char *a2)
{
	double v = NAN;
	int rc = ksp_store_query_double(s, sql, &v, NULL, a1, a2, (const char *)NULL);

	return rc == KSP_OK ? v : NAN;
}

static long long qi(struct ksp_store *s, const char *sql)
{
	long long v = -1;

	if (ksp_store_query_int(s, sql, &v, NULL, (const char *)NULL) != KSP_OK)
		return -1;
	return v;
}

/* The largest absolute value the query's rows give in their first column. */
static double qmax(struct ksp_store *s, const char *sql)
{
	struct ksp_stmt *st;
	double m = 0;
	int rc;

	if (ksp_stmt_prepare(s, sql, &st, NULL))
		return INFINITY;
	while ((rc = ksp_stmt_step(st, NULL)) == KSP_ROW)
		m = fmax(m, fabs(ksp_stmt_column_double(st, 0)));
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? m : INFINITY;
}

TEST(dataset_in_a_database)
{
	struct ksp_store *s = NULL;
	struct ksp_error err;
	char path[256], wal[300];
	static const char *const stat_tables[] = { "region", "region_distance", "classification",
						   "occupation", "industry", "population",
						   "labour_force", "employment", "vital_event",
						   "resettlement_quota", "history_territory",
						   "history_concordance", "history_employment",
						   "history_population", "history_employment_section",
						   "history_employment_occupation",
						   "graduate_destination" };

	snprintf(path, sizeof(path), "test_data-%ld.db", (long)getpid());
	unlink(path);
	if (ksp_store_open(&s, path, KSP_STORE_CREATE, &err) || ksp_store_migrate(s, &err) ||
	    ksp_store_begin(s, &err) || ksp_dataset_load(s, getenv("KSP_DATA"), &err) ||
	    ksp_dataset_derive(s, &err) || ksp_store_commit(s, &err)) {
		char buf[1024];

		printf("  %s\n", ksp_error_format(&err, buf, sizeof(buf)));
		CHECK(!"the data set loads and derives");
		ksp_store_close(s);
		unlink(path);
		return;
	}

	/* Counts: 21 regions, 380 distances, 619 ISCO groups, 112 industries. */
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM region"), 21);
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM region_distance"), 380);
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM occupation"), 619);
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM industry"), 3 + 21 + 88);

	/* Published totals: the 20 regions add up to the national rows exactly. */
	CHECK(qmax(s, "SELECT k.value - sum(r.value) FROM population k JOIN population r"
		      " ON r.year = k.year AND r.measure = k.measure AND r.sex = k.sex"
		      " AND r.age = k.age AND r.region <> k.region"
		      " WHERE k.region = '000000000' AND k.measure = 'average' AND k.sex = 'total'"
		      " AND k.age = 'total' GROUP BY k.year, k.value") == 0);
	CHECK_EQ_INT(qi(s, "SELECT count(DISTINCT year) FROM population WHERE measure = 'average'"
			   " AND sex = 'total' AND age = 'total' AND region = '000000000'"),
		     3);
	CHECK(qmax(s, "SELECT k.value - sum(r.value) FROM labour_force k JOIN labour_force r"
		      " ON r.year = k.year AND r.indicator = k.indicator AND r.sex = k.sex"
		      " AND r.age = k.age AND r.region <> k.region"
		      " WHERE k.region = '000000000' AND k.indicator IN ('labour_force', 'employed',"
		      " 'unemployed') GROUP BY k.year, k.indicator, k.value") < 1e-9);
	CHECK(qmax(s, "SELECT 1000 * k.value - sum(r.value) FROM employment k JOIN employment r"
		      " ON r.year = k.year AND r.industry = k.industry AND r.region <> k.region"
		      " AND r.source_id <> 'kasip-est-employment-section'"
		      " WHERE k.region = '000000000' AND k.industry IN ('A', 'TOTAL')"
		      " GROUP BY k.year, k.industry, k.value") < 1e-6);

	/* Derived employment reproduces both margins to well within half a person. */
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM employment"
			   " WHERE source_id = 'kasip-est-employment-section'"),
		     2 * 20 * 18);
	CHECK(qmax(s, "SELECT a.value - sum(e.value) FROM employment a JOIN employment e"
		      " ON e.region = a.region AND e.year = a.year"
		      " AND e.industry IN ('B', 'C', 'D', 'E', 'F')"
		      " WHERE a.industry = 'B-F' AND a.region <> '000000000'"
		      " GROUP BY a.region, a.year, a.value") < 1e-6);
	CHECK(qmax(s, "SELECT a.value - sum(e.value) FROM employment a JOIN employment e"
		      " ON e.region = a.region AND e.year = a.year AND e.industry IN"
		      " ('G','H','I','J','K','L','M','N','O','P','Q','R','S')"
		      " WHERE a.industry = 'G-U' AND a.region <> '000000000'"
		      " GROUP BY a.region, a.year, a.value") < 1e-6);
	CHECK(qmax(s, "SELECT 1000 * k.value - sum(e.value) FROM employment k JOIN employment e"
		      " ON e.year = k.year AND e.industry = k.industry"
		      " AND e.source_id = 'kasip-est-employment-section'"
		      " WHERE k.region = '000000000' AND k.industry NOT IN ('A', 'TOTAL', 'B-F', 'G-U')"
		      " GROUP BY k.year, k.industry, k.value") < 1e-6);

	/* Derived population: exact regional totals, sexes add up, regions add up. */
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM population"
			   " WHERE source_id = 'kasip-est-population-age-sex'"),
		     21 * (3 * 101 + 2 + 1));
	CHECK(qmax(s, "SELECT t.value - sum(a.value) FROM population t JOIN population a"
		      " ON a.region = t.region AND a.year = t.year AND a.measure = t.measure"
		      " AND a.sex = 'total' AND a.source_id = 'kasip-est-population-age-sex'"
		      " AND a.age NOT IN ('total', '15+')"
		      " WHERE t.year = 2025 AND t.measure = 'average' AND t.sex = 'total'"
		      " AND t.age = 'total' GROUP BY t.region, t.value") == 0);
	CHECK(qmax(s, "SELECT t.value - m.value - f.value FROM population t"
		      " JOIN population m ON m.region = t.region AND m.year = t.year"
		      " AND m.measure = t.measure AND m.age = t.age AND m.sex = 'male'"
		      " JOIN population f ON f.region = t.region AND f.year = t.year"
		      " AND f.measure = t.measure AND f.age = t.age AND f.sex = 'female'"
		      " WHERE t.sex = 'total' AND t.year = 2025 AND t.measure = 'average'") == 0);
	CHECK(qmax(s, "SELECT k.value - sum(r.value) FROM population k JOIN population r"
		      " ON r.year = k.year AND r.measure = k.measure AND r.sex = k.sex"
		      " AND r.age = k.age AND r.region <> k.region"
		      " WHERE k.region = '000000000' AND k.source_id = 'kasip-est-population-age-sex'"
		      " GROUP BY k.sex, k.age, k.value") == 0);

	/* Participation times the estimated population 15+ gives the labour force. */
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM labour_force"
			   " WHERE indicator = 'participation_rate'"),
		     21);
	CHECK(qmax(s, "SELECT (r.value * p.value / 100 - 1000 * l.value) / (1000 * l.value)"
		      " FROM labour_force r JOIN population p ON p.region = r.region"
		      " AND p.year = r.year AND p.measure = 'average' AND p.sex = 'total'"
		      " AND p.age = '15+'"
		      " JOIN labour_force l ON l.region = r.region AND l.year = r.year"
		      " AND l.indicator = 'labour_force' AND l.sex = 'total' AND l.age = '15+'"
		      " WHERE r.indicator = 'participation_rate'") < 1e-12);

	/* Every row names a source whose kind is set; derived figures say how. */
	for (size_t i = 0; i < sizeof(stat_tables) / sizeof(stat_tables[0]); i++) {
		char sql[256];
		long long n;

		snprintf(sql, sizeof(sql),
			 "SELECT count(*) FROM %s t LEFT JOIN source s ON s.id = t.source_id"
			 " WHERE s.id IS NULL OR s.kind = ''", stat_tables[i]);
		n = qi(s, sql);
		if (n != 0)
			printf("  %s: %lld rows without a proper source\n", stat_tables[i], n);
		CHECK_EQ_INT(n, 0);
	}
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM source WHERE kind IN ('estimate', 'derived')"
			   " AND method = ''"),
		     0);
	/* the three of derive.c, the forecast's two matrices (forecast-staffing,
	 * -flexibility), the back-test's region concordance and where graduates work */
	CHECK_EQ_INT(qi(s, "SELECT count(*) FROM source WHERE kind = 'estimate'"), 7);
	CHECK(qd(s, "SELECT value FROM population WHERE region = ? AND year = 2025 AND age = ?"
		    " AND sex = 'total' AND measure = 'average'",
		    "000000000", "total") == 20391610.5);

	/* Deriving again replaces the estimates and changes nothing. */
	{
		long long before = qi(s, "SELECT count(*) FROM population");

		CHECK_EQ_INT(ksp_store_begin(s, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_dataset_derive(s, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_store_commit(s, NULL), KSP_OK);
		CHECK_EQ_INT(qi(s, "SELECT count(*) FROM population"), before);
	}
	ksp_store_close(s);
	unlink(path);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
}

int main(void)
{
	RUN(ipf_2x2_uniform_is_independence);
	RUN(ipf_2x2_keeps_the_cross_ratio);
	RUN(ipf_3x3_known_answer_and_zeros);
	RUN(ipf_rejects_inconsistent_margins);
	RUN(ipf_zero_structure);
	RUN(ipf_bad_arguments);
	RUN(round_keeps_the_total);
	RUN(employment_blocks_reproduce_both_margins);
	RUN(age_profile_meets_its_calibration);
	RUN(regional_ages_sum_to_published_totals);
	RUN(dataset_in_a_database);
	return harness_done();
}

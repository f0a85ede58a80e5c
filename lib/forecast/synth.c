/*
 * synth.c - a synthetic world of any size, for the tests and the benchmark.
 *
 * Not data: numbers of a plausible shape (young population, Gompertz
 * mortality, a fertility bell over 15-49, sparse matrices), drawn from the
 * engine's own portable generator so a seed gives the same world anywhere.
 */
#include "forecast/model.h"

#include <string.h>

void ksp_fc_synth_world(struct ksp_fc_input *in, uint64_t seed)
{
	const struct ksp_fc_dims *d = &in->d;
	const int R = d->nreg, A = d->nage, T = d->nyear, I = d->nind, O = d->nocc;
	const int G = d->ngroup, K = d->nspec, M = d->nmajor, S = KSP_FC_NSEX;
	struct ksp_fc_rng g;
	int r, s, a, t, i, o, k, m;

	ksp_fc_rng_seed(&g, seed);
	{
		/* working ages from 15 (from 1 in a tiny world) in G equal bands */
		const int w0 = A > 20 ? 15 : 1;
		const int band = (A - w0) / G > 0 ? (A - w0) / G : 1;

		for (a = 0; a < A; a++) {
			in->age_group[a] = a < w0 ? -1 : (a - w0) / band;
			if (in->age_group[a] >= G)
				in->age_group[a] = G - 1;
		}
	}
	for (r = 0; r < R; r++) {
		double size = 2e5 + 1e6 * ksp_fc_rng_uniform(&g);

		for (s = 0; s < S; s++)
			for (a = 0; a < A; a++) {
				double age = (double)a / (A - 1) * 100.0;
				double q = 0.0005 + 0.00003 * ksp_fc_exp(0.095 * age);

				if (a == 0)
					q = 0.008;
				if (q > 0.6)
					q = 0.6;
				in->pop0[(r * S + s) * A + a] =
					size / A * (1.6 - age / 80.0 > 0.05 ? 1.6 - age / 80.0 : 0.05);
				in->surv[(r * S + s) * A + a] = 1.0 - q;
			}
		in->surv_birth[r * S] = 0.993;
		in->surv_birth[r * S + 1] = 0.994;
		for (a = 0; a < A; a++) {
			double age = (double)a / (A - 1) * 100.0;
			double x = (age - 29.0) / 6.0;

			in->asfr[r * A + a] = age >= 15 && age <= 49 ? 0.12 * ksp_fc_exp(-0.5 * x * x) : 0;
		}
		for (s = 0; s < S; s++)
			for (i = 0; i < G; i++)
				in->part[(r * S + s) * G + i] =
					(s == 0 ? 0.75 : 0.6) * (i == G - 1 ? 0.3 : 1.0) *
					(0.85 + 0.15 * ksp_fc_rng_uniform(&g));
		in->unemp[r] = 0.03 + 0.03 * ksp_fc_rng_uniform(&g);
		for (i = 0; i < I; i++)
			in->emp_ind0[r * I + i] = size * 0.45 / I * (0.2 + 1.6 * ksp_fc_rng_uniform(&g));
	}
	/* internal migration: region r gains bal[r] (sum zero), spread by an age profile */
	for (t = 1; t < T; t++) {
		double bal[KSP_FC_MAX_REG], mean = 0;

		for (r = 0; r < R; r++) {
			bal[r] = 4000.0 * (ksp_fc_rng_uniform(&g) - 0.5);
			mean += bal[r] / R;
		}
		for (r = 0; r < R; r++)
			bal[r] -= mean;
		/* the last region takes the rounding so the sum is exactly zero */
		mean = 0;
		for (r = 0; r < R - 1; r++)
			mean += bal[r];
		bal[R - 1] = -mean;
		for (s = 0; s < S; s++)
			for (a = 1; a < A; a++) {
				double age = (double)a / (A - 1) * 100.0;
				double x = (age - 25.0) / 8.0, w = 0.5 * ksp_fc_exp(-0.5 * x * x) / 20.05;
				double sum = 0;

				for (r = 0; r < R - 1; r++) {
					double v = bal[r] * w;

					in->mig_int[(((size_t)t * R + r) * S + s) * A + a] = v;
					sum += v;
				}
				in->mig_int[(((size_t)t * R + R - 1) * S + s) * A + a] = -sum;
				for (r = 0; r < R; r++)
					in->mig_ext[(((size_t)t * R + r) * S + s) * A + a] = 800.0 / R * w;
			}
		for (i = 0; i < I; i++)
			in->growth[t * I + i] = 0.04 * (ksp_fc_rng_uniform(&g) - 0.35);
		in->fert_mult[t] = 1.0;
	}
	/* staffing: each industry uses about a third of the occupations */
	for (i = 0; i < I; i++) {
		double sum = 0;

		for (o = 0; o < O; o++) {
			double u = ksp_fc_rng_uniform(&g);
			double w = (u < 0.33 || o == i % O) ? ksp_fc_rng_uniform(&g) + 0.01 : 0;

			in->staffing[i * O + o] = w;
			sum += w;
		}
		for (o = 0; o < O; o++)
			in->staffing[i * O + o] /= sum;
	}
	for (o = 0; o < O; o++) {
		in->occ_major[o] = (int)((long)o * M / O);
		in->transfer_rate[o] = 0.02 + 0.06 * ksp_fc_rng_uniform(&g);
	}
	for (m = 0; m < M; m++)
		for (i = 0; i < G; i++)
			in->age_tilt[m * G + i] = 0.5 + ksp_fc_rng_uniform(&g);
	for (t = 0; t < T; t++)
		for (s = 0; s < S; s++)
			for (a = 0; a < A; a++) {
				double age = (double)a / (A - 1) * 100.0, x = 0.01;

				if (age >= 63)
					x = 0.35;
				else if (age >= 55)
					x = 0.05;
				else if (age < 25)
					x = 0.04;
				in->exit_prob[((size_t)t * S + s) * A + a] =
					1.0 - (1.0 - x) * in->surv[s * A + a];
				/* by cause: death 1 - surv; from 63 the rest is retirement */
				in->exit_death[((size_t)t * S + s) * A + a] = 1.0 - in->surv[s * A + a];
				if (age >= 63)
					in->exit_retire[((size_t)t * S + s) * A + a] =
						in->exit_prob[((size_t)t * S + s) * A + a] -
						(1.0 - in->surv[s * A + a]);
			}
	for (k = 0; k < K; k++) {
		double sum = 0;

		in->spec_level[k] = k % 2;
		in->entry[k] = 0.5 + 0.3 * ksp_fc_rng_uniform(&g);
		for (o = 0; o < O; o++) {
			double w = ksp_fc_rng_uniform(&g) < 0.1 || o == k % O ? ksp_fc_rng_uniform(&g) : 0;

			in->flex[k * O + o] = w;
			sum += w;
		}
		for (o = 0; o < O; o++)
			in->flex[k * O + o] /= sum;
		for (t = 0; t < T; t++)
			for (r = 0; r < R; r++)
				in->graduates[((size_t)t * R + r) * K + k] =
					in->pop0[(size_t)r * S * A] * 0.3 / K;
	}
	/* one investment project */
	if (T > 2)
		in->projects[((size_t)2 * R + 0) * O + 0] = 500;
}

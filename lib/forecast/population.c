/*
 * population.c - step 1: the cohort-component projection.
 *
 * Method: the cohort-component method with survival ratios from a life
 * table (Preston, Heuveline and Guillot, "Demography", 2001, ch. 6; UN
 * Manual III), single years of age with an open last age group, as in
 * statistik-aargau/propop.  See docs/methodology.md, "Population", for the
 * formulas; the names below are the ones used there.
 */
#include "forecast/model.h"

#include <string.h>

void ksp_fc_population_project(const struct ksp_fc_input *in, const double *pop0,
			       double int_scale, double ext_scale, int linear, double *pop,
			       double *births,
			       double *deaths, double *netmig_int, double *netmig_ext,
			       double *clamped)
{
	const struct ksp_fc_dims *d = &in->d;
	const int A = d->nage, R = d->nreg, T = d->nyear;
	const size_t year_sz = (size_t)R * KSP_FC_NSEX * A;
	const double boy = in->srb / (1.0 + in->srb);
	int t, r, s, a;

	if (pop0)
		memcpy(pop, pop0, year_sz * sizeof(double));
	else
		memset(pop, 0, year_sz * sizeof(double));
	for (r = 0; r < R; r++) {
		if (births)
			births[r] = 0;
		if (deaths)
			deaths[r] = 0;
		if (netmig_int)
			netmig_int[r] = 0;
		if (netmig_ext)
			netmig_ext[r] = 0;
		if (clamped)
			clamped[r] = 0;
	}

	for (t = 1; t < T; t++) {
		const double *prev = pop + (size_t)(t - 1) * year_sz;
		double *cur = pop + (size_t)t * year_sz;
		const double *mi = in->mig_int + (size_t)t * year_sz;
		const double *me = in->mig_ext + (size_t)t * year_sz;

		for (r = 0; r < R; r++) {
			double b_r = 0, d_r = 0, mi_r = 0, me_r = 0, cl_r = 0;

			for (s = 0; s < KSP_FC_NSEX; s++) {
				const size_t o = ((size_t)r * KSP_FC_NSEX + s) * A;
				const double *p = prev + o, *sv = in->surv + o;
				double *c = cur + o;

				/* survivors move up one age; the open group keeps its own */
				for (a = 1; a < A; a++) {
					double surv = p[a - 1] * sv[a - 1];

					d_r += p[a - 1] - surv;
					c[a] = surv;
				}
				{
					double surv = p[A - 1] * sv[A - 1];

					d_r += p[A - 1] - surv;
					c[A - 1] += surv;
				}
				/* net migration by age at the end of the year */
				for (a = 1; a < A; a++) {
					double m_i = mi[o + a] * int_scale, m_e = me[o + a] * ext_scale;
					double v = c[a] + m_i + m_e;

					if (v < 0 && !linear) {
						/* not more emigrants than people: keep the identity */
						double lack = -v, tot = m_i + m_e;

						cl_r += lack;
						m_i -= lack * (tot != 0 ? m_i / tot : 0.5);
						m_e = -c[a] - m_i;
						v = 0;
					}
					c[a] = v;
					mi_r += m_i;
					me_r += m_e;
				}
			}
			/* births: ASFR times the mean of the women at the start and the end */
			{
				const size_t of = ((size_t)r * KSP_FC_NSEX + KSP_FC_FEMALE) * A;
				const double *f = in->asfr + (size_t)r * A;

				for (a = 1; a < A; a++)
					if (f[a] != 0)
						b_r += f[a] * 0.5 * (prev[of + a] + cur[of + a]);
				b_r *= in->fert_mult[t];
			}
			for (s = 0; s < KSP_FC_NSEX; s++) {
				const size_t o = ((size_t)r * KSP_FC_NSEX + s) * A;
				double born = b_r * (s == KSP_FC_MALE ? boy : 1.0 - boy);
				double alive = born * in->surv_birth[r * KSP_FC_NSEX + s];
				double m_i = mi[o] * int_scale, m_e = me[o] * ext_scale;
				double v = alive + m_i + m_e;

				d_r += born - alive;
				if (v < 0 && !linear) {
					double lack = -v, tot = m_i + m_e;

					cl_r += lack;
					m_i -= lack * (tot != 0 ? m_i / tot : 0.5);
					m_e = -alive - m_i;
					v = 0;
				}
				cur[o] = v;
				mi_r += m_i;
				me_r += m_e;
			}
			if (births)
				births[(size_t)t * R + r] = b_r;
			if (deaths)
				deaths[(size_t)t * R + r] = d_r;
			if (netmig_int)
				netmig_int[(size_t)t * R + r] = mi_r;
			if (netmig_ext)
				netmig_ext[(size_t)t * R + r] = me_r;
			if (clamped)
				clamped[(size_t)t * R + r] = cl_r;
		}
	}
}

void ksp_fc_labour_force(const struct ksp_fc_input *in, const double *pop_t, double *lf_t,
			 double *emp_t)
{
	const struct ksp_fc_dims *d = &in->d;
	const int A = d->nage, G = d->ngroup;
	int r, s, a, g;

	for (r = 0; r < d->nreg; r++) {
		for (s = 0; s < KSP_FC_NSEX; s++) {
			const double *p = pop_t + ((size_t)r * KSP_FC_NSEX + s) * A;
			const double *pr = in->part + ((size_t)r * KSP_FC_NSEX + s) * G;
			double *lf = lf_t + ((size_t)r * KSP_FC_NSEX + s) * G;
			double *em = emp_t + ((size_t)r * KSP_FC_NSEX + s) * G;

			for (g = 0; g < G; g++)
				lf[g] = 0;
			for (a = 0; a < A; a++) {
				g = in->age_group[a];
				if (g >= 0)
					lf[g] += p[a];
			}
			/* LF = participation x population; employed = LF x (1 - u) */
			for (g = 0; g < G; g++) {
				lf[g] *= pr[g];
				em[g] = lf[g] * (1.0 - in->unemp[r]);
			}
		}
	}
}

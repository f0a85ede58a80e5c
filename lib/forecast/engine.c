/*
 * engine.c - the run: memory of the model, the order of the steps, checks.
 *
 * docs/methodology.md describes the steps; ksp_fc_prepare() runs the
 * level-independent ones (population, labour force, exit rates) once, and
 * ksp_fc_evaluate() the rest for one set of parameters, which is what a
 * Monte Carlo draw repeats.
 */
#include "forecast/model.h"

#include <math.h>
#include <string.h>

#include "util/xmalloc.h"

static double *zalloc(size_t n)
{
	return ksp_xcalloc(n ? n : 1, sizeof(double));
}

void ksp_fc_input_init(struct ksp_fc_input *in, const struct ksp_fc_dims *d)
{
	const size_t R = d->nreg, A = d->nage, T = d->nyear, I = d->nind, O = d->nocc;
	const size_t G = d->ngroup, K = d->nspec, M = d->nmajor, S = KSP_FC_NSEX;

	memset(in, 0, sizeof(*in));
	in->d = *d;
	in->pop0 = zalloc(R * S * A);
	in->surv = zalloc(R * S * A);
	in->surv_birth = zalloc(R * S);
	in->asfr = zalloc(R * A);
	in->fert_mult = zalloc(T);
	in->mig_int = zalloc(T * R * S * A);
	in->mig_ext = zalloc(T * R * S * A);
	in->age_group = ksp_xcalloc(A ? A : 1, sizeof(int));
	in->part = zalloc(R * S * G);
	in->unemp = zalloc(R);
	in->emp_ind0 = zalloc(R * I);
	in->growth = zalloc(T * I);
	in->staffing = zalloc(I * O);
	in->projects = zalloc(T * R * O);
	in->exit_prob = zalloc(T * S * A);
	in->exit_retire = zalloc(T * S * A);
	in->exit_death = zalloc(T * S * A);
	in->age_tilt = zalloc(M * G);
	in->occ_major = ksp_xcalloc(O ? O : 1, sizeof(int));
	in->transfer_rate = zalloc(O);
	in->graduates = zalloc(T * R * K);
	in->entry = zalloc(K);
	in->spec_level = ksp_xcalloc(K ? K : 1, sizeof(int));
	in->flex = zalloc(K * O);
	in->reserve0 = zalloc(R);
	in->work_int_adj = zalloc(T * R);
	in->srb = 1.06;
	for (size_t t = 0; t < T; t++)
		in->fert_mult[t] = 1.0;
}

void ksp_fc_input_release(struct ksp_fc_input *in)
{
	free(in->pop0);
	free(in->surv);
	free(in->surv_birth);
	free(in->asfr);
	free(in->fert_mult);
	free(in->mig_int);
	free(in->mig_ext);
	free(in->age_group);
	free(in->part);
	free(in->unemp);
	free(in->emp_ind0);
	free(in->growth);
	free(in->staffing);
	free(in->projects);
	free(in->exit_prob);
	free(in->exit_retire);
	free(in->exit_death);
	free(in->age_tilt);
	free(in->occ_major);
	free(in->transfer_rate);
	free(in->graduates);
	free(in->entry);
	free(in->spec_level);
	free(in->flex);
	free(in->reserve0);
	free(in->work_int_adj);
	memset(in, 0, sizeof(*in));
}

static int check_range(const double *x, size_t n, double lo, double hi, const char *name,
		       struct ksp_error *err)
{
	for (size_t i = 0; i < n; i++)
		if (!(x[i] >= lo && x[i] <= hi))
			return ksp_error_set(err, KSP_EINVAL,
					     "forecast input \"%s\"[%zu] = %g is outside [%g, %g]",
					     name, i, x[i], lo, hi);
	return KSP_OK;
}

static int check_rows(const double *x, size_t rows, size_t cols, const char *name,
		      struct ksp_error *err)
{
	for (size_t i = 0; i < rows; i++) {
		double sum = 0;

		for (size_t j = 0; j < cols; j++)
			sum += x[i * cols + j];
		if (fabs(sum - 1.0) > 1e-9)
			return ksp_error_set(err, KSP_EINVAL,
					     "forecast input \"%s\": row %zu sums to %.12g, not 1",
					     name, i, sum);
	}
	return KSP_OK;
}

int ksp_fc_input_check(const struct ksp_fc_input *in, struct ksp_error *err)
{
	const struct ksp_fc_dims *d = &in->d;
	const size_t R = d->nreg, A = d->nage, T = d->nyear, I = d->nind, O = d->nocc;
	const size_t G = d->ngroup, K = d->nspec, S = KSP_FC_NSEX;
	int rc;

	if (d->nreg < 1 || d->nreg > KSP_FC_MAX_REG || d->nage < 2 || d->nage > KSP_FC_MAX_AGE ||
	    d->nyear < 1 || d->nyear > KSP_FC_MAX_YEAR || d->nind < 1 ||
	    d->nind > KSP_FC_MAX_IND || d->nocc < 1 || d->nocc > KSP_FC_MAX_OCC ||
	    d->nmajor < 1 || d->nmajor > KSP_FC_MAX_MAJOR || d->ngroup < 1 ||
	    d->ngroup > KSP_FC_MAX_GROUP || d->nspec < 0 || d->nspec > KSP_FC_MAX_SPEC)
		return ksp_error_set(err, KSP_EINVAL,
				     "forecast dimensions out of range: %d regions, %d ages, %d years, "
				     "%d industries, %d occupations, %d major groups, %d age groups, "
				     "%d specialties",
				     d->nreg, d->nage, d->nyear, d->nind, d->nocc, d->nmajor, d->ngroup,
				     d->nspec);
	if ((rc = check_range(in->pop0, R * S * A, 0, 1e12, "pop0", err)) ||
	    (rc = check_range(in->surv, R * S * A, 0, 1, "surv", err)) ||
	    (rc = check_range(in->surv_birth, R * S, 0, 1, "surv_birth", err)) ||
	    (rc = check_range(in->asfr, R * A, 0, 1, "asfr", err)) ||
	    (rc = check_range(in->fert_mult, T, 0, 10, "fert_mult", err)) ||
	    (rc = check_range(&in->srb, 1, 0.5, 2, "srb", err)) ||
	    (rc = check_range(in->part, R * S * G, 0, 1, "part", err)) ||
	    (rc = check_range(in->unemp, R, 0, 1, "unemp", err)) ||
	    (rc = check_range(in->emp_ind0, R * I, 0, 1e12, "emp_ind0", err)) ||
	    (rc = check_range(in->growth, T * I, -0.5, 1, "growth", err)) ||
	    (rc = check_range(in->exit_prob, T * S * A, 0, 1, "exit_prob", err)) ||
	    (rc = check_range(in->exit_retire, T * S * A, 0, 1, "exit_retire", err)) ||
	    (rc = check_range(in->exit_death, T * S * A, 0, 1, "exit_death", err)) ||
	    (rc = check_range(in->age_tilt, (size_t)d->nmajor * G, 0, 1e6, "age_tilt", err)) ||
	    (rc = check_range(in->transfer_rate, O, 0, 1, "transfer_rate", err)) ||
	    (rc = check_range(in->graduates, T * R * K, 0, 1e9, "graduates", err)) ||
	    (rc = check_range(in->entry, K, 0, 1, "entry", err)) ||
	    (rc = check_range(in->reserve0, R, 0, 1e12, "reserve0", err)) ||
	    (rc = check_range(&in->reserve_draw, 1, 0, 1, "reserve_draw", err)) ||
	    (rc = check_rows(in->staffing, I, O, "staffing", err)) ||
	    (rc = check_rows(in->flex, K, O, "flex", err)))
		return rc;
	/* retirements and deaths are parts of the exits (rounding aside) */
	for (size_t i = 0; i < T * S * A; i++)
		if (in->exit_retire[i] + in->exit_death[i] > in->exit_prob[i] + 1e-12)
			return ksp_error_set(err, KSP_EINVAL,
					     "forecast input \"exit_retire\" + \"exit_death\"[%zu] = %g "
					     "is above \"exit_prob\" %g",
					     i, in->exit_retire[i] + in->exit_death[i], in->exit_prob[i]);
	for (size_t a = 0; a < A; a++)
		if (in->age_group[a] < -1 || in->age_group[a] >= d->ngroup)
			return ksp_error_set(err, KSP_EINVAL, "forecast input \"age_group\"[%zu] = %d",
					     a, in->age_group[a]);
	for (size_t o = 0; o < O; o++)
		if (in->occ_major[o] < 0 || in->occ_major[o] >= d->nmajor)
			return ksp_error_set(err, KSP_EINVAL, "forecast input \"occ_major\"[%zu] = %d",
					     o, in->occ_major[o]);
	for (size_t k = 0; k < K; k++)
		if (in->spec_level[k] != KSP_FC_TVET && in->spec_level[k] != KSP_FC_HIGHER)
			return ksp_error_set(err, KSP_EINVAL, "forecast input \"spec_level\"[%zu] = %d",
					     k, in->spec_level[k]);
	/* internal migration is a transfer between regions: it sums to zero */
	for (size_t t = 0; t < T; t++)
		for (size_t sa = 0; sa < S * A; sa++) {
			double sum = 0, mag = 0;

			for (size_t r = 0; r < R; r++) {
				double v = in->mig_int[(t * R + r) * S * A + sa];

				sum += v;
				mag += fabs(v);
			}
			if (fabs(sum) > 1e-9 * (mag > 1 ? mag : 1))
				return ksp_error_set(err, KSP_EINVAL,
						     "forecast input \"mig_int\": year %zu, sex-age %zu "
						     "sums to %g over the regions, not 0",
						     t, sa, sum);
		}
	return KSP_OK;
}

void ksp_fc_draw_central(struct ksp_fc_draw *dr)
{
	memset(dr, 0, sizeof(*dr));
	dr->exit_mult = 1;
	dr->transfer_mult = 1;
	dr->entry_mult[KSP_FC_TVET] = 1;
	dr->entry_mult[KSP_FC_HIGHER] = 1;
	dr->mig_ext_scale = 1;
	dr->mig_int_scale = 1;
}

void ksp_fc_result_init(struct ksp_fc_result *res, int nyear, int nreg, int nl)
{
	const size_t n = (size_t)nyear * nreg * nl;

	memset(res, 0, sizeof(*res));
	res->nyear = nyear;
	res->nreg = nreg;
	res->nl = nl;
	res->demand = zalloc(n);
	res->expansion = zalloc(n);
	res->exits = zalloc(n);
	res->transfers = zalloc(n);
	res->openings = zalloc(n);
	res->graduates = zalloc(n);
	res->migrants = zalloc(n);
	res->transfers_in = zalloc(n);
	res->reserve = zalloc(n);
	res->new_supply = zalloc(n);
	res->other_entrants = zalloc(n);
	res->balance = zalloc(n);
	res->shortage = zalloc(n);
	res->demand_tot = zalloc((size_t)nyear * nreg);
	res->scratch = zalloc(2 * (size_t)nreg * nl);
}

void ksp_fc_result_init_lean(struct ksp_fc_result *res, int nyear, int nreg, int nl)
{
	const size_t n = (size_t)nyear * nreg * nl;

	memset(res, 0, sizeof(*res));
	res->nyear = nyear;
	res->nreg = nreg;
	res->nl = nl;
	res->demand = zalloc(n);
	res->openings = zalloc(n);
	res->new_supply = zalloc(n);
	res->balance = zalloc(n);
	res->demand_tot = zalloc((size_t)nyear * nreg);
	res->scratch = zalloc(2 * (size_t)nreg * nl);
}

/*
 * Steps 4b, 5 and 6 of year t fused for a lean result: the formulas of
 * ksp_fc_replacement_year, ksp_fc_supply_year and ksp_fc_balance_year,
 * operation for operation, without storing the components.
 */
static void lean_year(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
		      const struct ksp_fc_draw *dr, int t, const double *tw_prev,
		      struct ksp_fc_result *res)
{
	const int R = b->d.nreg, M = b->d.nmajor, nl = lv->nl;
	const double xm_mult = dr->exit_mult, tr_mult = dr->transfer_mult;
	const double em0 = dr->entry_mult[KSP_FC_TVET], em1 = dr->entry_mult[KSP_FC_HIGHER];

	for (int r = 0; r < R; r++) {
		const size_t cur = ((size_t)t * R + r) * nl, prev = ((size_t)(t - 1) * R + r) * nl;
		const double *e1 = res->demand + cur, *e0 = res->demand + prev;
		const double *xm = b->exit_major + ((size_t)t * R + r) * M;
		const double *tw = tw_prev + (size_t)r * nl;
		const double *gt = lv->grad + (((size_t)t * R + r) * KSP_FC_NLEVEL) * nl;
		const double *gh = gt + nl;
		const double etot = res->demand_tot[(size_t)(t - 1) * R + r];
		const double wm = b->work_int[(size_t)t * R + r] * dr->mig_int_scale +
				  b->work_ext[(size_t)t * R + r] * dr->mig_ext_scale;
		const double rs = b->reserve[(size_t)t * R + r];
		double *jo = res->openings + cur, *ns = res->new_supply + cur, *bal = res->balance + cur;
		const double wshare = etot > 0 ? wm / etot : 0, rshare = etot > 0 ? rs / etot : 0;

		for (int l = 0; l < nl; l++) {
			ksp_fc_cell_flows(e0[l], e1[l], tw[l], xm[lv->major[l]] * xm_mult, tr_mult,
					  gt[l], gh[l], em0, em1, wshare, rshare, &jo[l], &ns[l]);
			bal[l] = ns[l] - jo[l];
		}
	}
}

void ksp_fc_result_release(struct ksp_fc_result *res)
{
	free(res->demand);
	free(res->expansion);
	free(res->exits);
	free(res->transfers);
	free(res->openings);
	free(res->graduates);
	free(res->migrants);
	free(res->transfers_in);
	free(res->reserve);
	free(res->new_supply);
	free(res->other_entrants);
	free(res->balance);
	free(res->shortage);
	free(res->demand_tot);
	free(res->scratch);
	memset(res, 0, sizeof(*res));
}

void ksp_fc_base_init(struct ksp_fc_base *b, const struct ksp_fc_input *in)
{
	const struct ksp_fc_dims *d = &in->d;
	const size_t R = d->nreg, A = d->nage, T = d->nyear, G = d->ngroup, M = d->nmajor;
	const size_t S = KSP_FC_NSEX;

	memset(b, 0, sizeof(*b));
	b->d = *d;
	b->in = in;
	b->pop = zalloc(T * R * S * A);
	b->births = zalloc(T * R);
	b->deaths = zalloc(T * R);
	b->netmig_int = zalloc(T * R);
	b->netmig_ext = zalloc(T * R);
	b->clamped = zalloc(T * R);
	b->lf = zalloc(T * R * S * G);
	b->emp = zalloc(T * R * S * G);
	b->pop_tot = zalloc(T * R);
	b->lf_tot = zalloc(T * R);
	b->emp_tot = zalloc(T * R);
	b->dpop_ext = zalloc(T * R);
	b->dpop_int = zalloc(T * R);
	b->dlf_ext = zalloc(T * R);
	b->dlf_int = zalloc(T * R);
	b->exit_group = zalloc(T * R * S * G);
	b->exit_major = zalloc(T * R * M);
	b->exit_major_retire = zalloc(T * R * M);
	b->exit_major_death = zalloc(T * R * M);
	b->exit_sup = zalloc(T * R);
	b->work_int = zalloc(T * R);
	b->work_ext = zalloc(T * R);
	b->reserve_stock = zalloc(R);
	b->reserve = zalloc(T * R);
	b->demand_major = zalloc(T * R * M);
}

void ksp_fc_base_release(struct ksp_fc_base *b)
{
	free(b->pop);
	free(b->births);
	free(b->deaths);
	free(b->netmig_int);
	free(b->netmig_ext);
	free(b->clamped);
	free(b->lf);
	free(b->emp);
	free(b->pop_tot);
	free(b->lf_tot);
	free(b->emp_tot);
	free(b->dpop_ext);
	free(b->dpop_int);
	free(b->dlf_ext);
	free(b->dlf_int);
	free(b->exit_group);
	free(b->exit_major);
	free(b->exit_major_retire);
	free(b->exit_major_death);
	free(b->exit_sup);
	free(b->work_int);
	free(b->work_ext);
	free(b->reserve_stock);
	free(b->reserve);
	free(b->demand_major);
	memset(b, 0, sizeof(*b));
}

/* Totals per [t][r] of a population and its labour force (lf scratch [r][s][g]). */
static void totals(const struct ksp_fc_input *in, const double *pop, double *pop_tot,
		   double *lf_tot, double *lf, double *emp)
{
	const struct ksp_fc_dims *d = &in->d;
	const size_t A = d->nage, R = d->nreg, G = d->ngroup, S = KSP_FC_NSEX;

	for (size_t t = 0; t < (size_t)d->nyear; t++) {
		const double *p = pop + t * R * S * A;

		ksp_fc_labour_force(in, p, lf, emp);
		for (size_t r = 0; r < R; r++) {
			double sp = 0, sl = 0;

			for (size_t i = 0; i < S * A; i++)
				sp += p[r * S * A + i];
			for (size_t i = 0; i < S * G; i++)
				sl += lf[r * S * G + i];
			pop_tot[t * R + r] = sp;
			lf_tot[t * R + r] = sl;
		}
	}
}

void ksp_fc_prepare(struct ksp_fc_base *b)
{
	const struct ksp_fc_input *in = b->in;
	const struct ksp_fc_dims *d = &b->d;
	const size_t R = d->nreg, A = d->nage, T = d->nyear, G = d->ngroup, M = d->nmajor;
	const size_t S = KSP_FC_NSEX, I = d->nind;
	double *tmp = zalloc(T * R * S * A), *lf = zalloc(R * S * G), *emp = zalloc(R * S * G);
	double *dummy = zalloc(T * R);
	double enat[KSP_FC_NSEX * KSP_FC_MAX_GROUP] = { 0 };
	double pnat[KSP_FC_NSEX * KSP_FC_MAX_GROUP] = { 0 };
	double gfac[KSP_FC_MAX_IND];
	struct ksp_fc_level major;
	int *map = ksp_xcalloc(d->nocc, sizeof(int)), *mj = ksp_xcalloc(M, sizeof(int));

	/* 1. population, with the components of change */
	ksp_fc_population_project(in, in->pop0, 1.0, 1.0, 0, b->pop, b->births, b->deaths,
				  b->netmig_int, b->netmig_ext, b->clamped);
	/* 2. labour force and employed of every year */
	for (size_t t = 0; t < T; t++) {
		ksp_fc_labour_force(in, b->pop + t * R * S * A, b->lf + t * R * S * G,
				    b->emp + t * R * S * G);
		for (size_t r = 0; r < R; r++) {
			double sp = 0, sl = 0, se = 0;

			for (size_t i = 0; i < S * A; i++)
				sp += b->pop[(t * R + r) * S * A + i];
			for (size_t i = 0; i < S * G; i++) {
				sl += b->lf[(t * R + r) * S * G + i];
				se += b->emp[(t * R + r) * S * G + i];
			}
			b->pop_tot[t * R + r] = sp;
			b->lf_tot[t * R + r] = sl;
			b->emp_tot[t * R + r] = se;
		}
	}
	/* the responses to migration alone: the projection is linear in it */
	ksp_fc_population_project(in, NULL, 0.0, 1.0, 1, tmp, NULL, NULL, NULL, NULL, NULL);
	totals(in, tmp, b->dpop_ext, b->dlf_ext, lf, emp);
	ksp_fc_population_project(in, NULL, 1.0, 0.0, 1, tmp, NULL, NULL, NULL, NULL, NULL);
	totals(in, tmp, b->dpop_int, b->dlf_int, lf, emp);

	/* migrants who will work: the national employment rate of their sex and
	   age group in the base year, so that internal moves of workers sum to 0 */
	for (size_t r = 0; r < R; r++)
		for (size_t s = 0; s < S; s++) {
			for (size_t a = 0; a < A; a++) {
				int g = in->age_group[a];

				if (g >= 0)
					pnat[s * G + g] += b->pop[(r * S + s) * A + a];
			}
			for (size_t g = 0; g < G; g++)
				enat[s * G + g] += b->emp[(r * S + s) * G + g];
		}
	for (size_t i = 0; i < S * G; i++)
		enat[i] = pnat[i] > 0 ? enat[i] / pnat[i] : 0;
	for (size_t t = 1; t < T; t++)
		for (size_t r = 0; r < R; r++) {
			double wi = 0, we = 0;

			for (size_t s = 0; s < S; s++)
				for (size_t a = 0; a < A; a++) {
					int g = in->age_group[a];
					size_t c = ((t * R + r) * S + s) * A + a;

					if (g < 0)
						continue;
					wi += in->mig_int[c] * enat[s * G + g];
					we += in->mig_ext[c] * enat[s * G + g];
				}
			b->work_int[t * R + r] = wi + in->work_int_adj[t * R + r];
			b->work_ext[t * R + r] = we;
		}

	/* 5b. the labour reserve: the base year's unemployed and the people outside
	   the labour force who would take a job; a share reserve_draw of what is
	   left enters work each year */
	for (size_t r = 0; r < R; r++) {
		double left = b->lf_tot[r] - b->emp_tot[r] + in->reserve0[r];

		b->reserve_stock[r] = left;
		for (size_t t = 1; t < T; t++) {
			double drawn = left * in->reserve_draw;

			b->reserve[t * R + r] = drawn;
			left -= drawn;
		}
	}

	/* central demand by major group: the row margin of the age mix */
	for (size_t o = 0; o < (size_t)d->nocc; o++)
		map[o] = in->occ_major[o];
	for (size_t m = 0; m < M; m++)
		mj[m] = (int)m;
	if (ksp_fc_level_init(&major, in, map, (int)M, mj, NULL) == KSP_OK) {
		double *tw = zalloc(R * M);

		for (size_t i = 0; i < I; i++)
			gfac[i] = 1.0;
		for (size_t t = 0; t < T; t++) {
			if (t > 0)
				for (size_t i = 0; i < I; i++)
					gfac[i] *= 1.0 + in->growth[t * I + i];
			ksp_fc_demand_year(in, &major, (int)t, gfac, b->demand_major + t * R * M, tw);
		}
		free(tw);
		ksp_fc_level_release(&major);
	}
	/* 4a. exit rates by major group */
	ksp_fc_exit_rates(b);

	free(map);
	free(mj);
	free(tmp);
	free(lf);
	free(emp);
	free(dummy);
}

void ksp_fc_evaluate(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
		     const struct ksp_fc_draw *dr, struct ksp_fc_result *res)
{
	const struct ksp_fc_input *in = b->in;
	const int I = b->d.nind, R = b->d.nreg, T = b->d.nyear, nl = lv->nl;
	double gfac[KSP_FC_MAX_IND];
	double *tw_prev = res->scratch, *tw_cur = res->scratch + (size_t)R * nl;

	for (int i = 0; i < I; i++)
		gfac[i] = 1.0;
	for (int t = 0; t < T; t++) {
		double *e = res->demand + (size_t)t * R * nl;

		if (t > 0)
			for (int i = 0; i < I; i++)
				gfac[i] *= 1.0 + in->growth[(size_t)t * I + i] + dr->growth_shift[i];
		ksp_fc_demand_year(in, lv, t, gfac, e, tw_cur);
		for (int r = 0; r < R; r++) {
			double sum = 0;

			for (int l = 0; l < nl; l++)
				sum += e[(size_t)r * nl + l];
			res->demand_tot[(size_t)t * R + r] = sum;
		}
		if (t > 0 && !res->exits) {
			lean_year(b, lv, dr, t, tw_prev, res);
		} else if (t > 0) {
			ksp_fc_replacement_year(b, lv, dr, t, tw_prev, res);
			ksp_fc_supply_year(b, lv, dr, t, res);
			ksp_fc_balance_year(res, t);
		}
		{
			double *sw = tw_prev;

			tw_prev = tw_cur;
			tw_cur = sw;
		}
	}
}

void ksp_fc_check_identities(const struct ksp_fc_base *b, const struct ksp_fc_result *res,
			     struct ksp_fc_identity *out)
{
	const size_t R = b->d.nreg, T = b->d.nyear;

	memset(out, 0, sizeof(*out));
	for (size_t t = 1; t < T; t++) {
		double mig = 0;

		for (size_t r = 0; r < R; r++) {
			size_t c = t * R + r;
			double lhs = b->pop_tot[c];
			double rhs = b->pop_tot[c - R] + b->births[c] - b->deaths[c] +
				     b->netmig_int[c] + b->netmig_ext[c];

			if (fabs(lhs - rhs) > out->population)
				out->population = fabs(lhs - rhs);
			mig += b->netmig_int[c];
		}
		if (fabs(mig) > out->internal_migration)
			out->internal_migration = fabs(mig);
	}
	if (!res)
		return;
	for (size_t t = 1; t < (size_t)res->nyear; t++)
		for (size_t c = 0; c < (size_t)res->nreg * res->nl; c++) {
			size_t i = t * res->nreg * res->nl + c;
			double e1 = fabs(res->openings[i] -
					 (res->expansion[i] + res->exits[i] + res->transfers[i]));
			double e2 = fabs(res->balance[i] - (res->new_supply[i] - res->openings[i]));

			if (e1 > out->openings)
				out->openings = e1;
			if (e2 > out->balance)
				out->balance = e2;
		}
}

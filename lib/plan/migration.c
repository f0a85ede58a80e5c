/*
 * migration.c - the migration planner: a transportation LP from the
 * surpluses to the shortages of one year of a forecast run, within the
 * willing share, the shortages, the receiving regions' resettlement quotas
 * and a budget.  The model is written out in docs/planning.md.
 *
 * Instead of a column for the shortage left in each cell the objective
 * gives each flow its cost minus the value of the vacancy it fills
 * (shortage_value): the same optimum with fewer columns, since the
 * shortage rows keep the inflow within the shortage.
 */
#include "plan/internal.h"

#include "kasip/forecast.h"
#include "kasip/i18n.h"
#include "kasip/query.h"
#include "util/xmalloc.h"

struct mig {
	char (*reg)[16];
	size_t nreg;
	char (*occ)[32];
	size_t nocc, aocc;
	double *bal;   /* nreg x nocc: new supply - openings in the year */
	double *km;    /* nreg x nreg great-circle km, NAN when unknown */
	double *quota; /* nreg persons */
};

static void mig_release(struct mig *m)
{
	free(m->reg);
	free(m->occ);
	free(m->bal);
	free(m->km);
	free(m->quota);
}

static size_t find_reg(const struct mig *m, const char *code)
{
	for (size_t i = 0; i < m->nreg; i++)
		if (!strcmp(m->reg[i], code))
			return i;
	return (size_t)-1;
}

static int cmp_occ(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static size_t find_occ(const struct mig *m, const char *code)
{
	const char(*p)[32] = bsearch(code, m->occ, m->nocc, sizeof(m->occ[0]), cmp_occ);

	return p ? (size_t)(p - m->occ) : (size_t)-1;
}

/* The regions and occupations of the run's cells of year, summed to level. */
static int load_cells(struct ksp_store *s, const struct ksp_forecast_run *run, int year, int level,
		      struct mig *m, struct ksp_error *err)
{
	struct ksp_forecast_cell_query q;
	struct ksp_forecast_cell *c = NULL;
	size_t n = 0, areg = 0;
	int rc;

	memset(&q, 0, sizeof(q));
	q.run_id = run->id;
	q.year = year;
	if ((rc = ksp_forecast_cells(s, &q, &c, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		char code[32];

		if (!strcmp(c[i].region, KSP_FORECAST_NATIONAL))
			continue;
		snprintf(code, sizeof(code), "%s", c[i].occupation);
		if (level > 0 && level < run->level && !strcmp(run->classification, "ISCO-08") &&
		    strlen(code) > (size_t)level)
			code[level] = 0;
		if (find_reg(m, c[i].region) == (size_t)-1) {
			KSP_ALLOC_GROW(m->reg, m->nreg + 1, areg);
			snprintf(m->reg[m->nreg++], sizeof(m->reg[0]), "%s", c[i].region);
		}
		{
			size_t k;

			for (k = 0; k < m->nocc; k++)
				if (!strcmp(m->occ[k], code))
					break;
			if (k == m->nocc) {
				KSP_ALLOC_GROW(m->occ, m->nocc + 1, m->aocc);
				snprintf(m->occ[m->nocc++], sizeof(m->occ[0]), "%s", code);
			}
		}
	}
	qsort(m->occ, m->nocc, sizeof(m->occ[0]), cmp_occ);
	m->bal = ksp_xcalloc(m->nreg * m->nocc + 1, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		char code[32];

		if (!strcmp(c[i].region, KSP_FORECAST_NATIONAL))
			continue;
		snprintf(code, sizeof(code), "%s", c[i].occupation);
		if (level > 0 && level < run->level && !strcmp(run->classification, "ISCO-08") &&
		    strlen(code) > (size_t)level)
			code[level] = 0;
		m->bal[find_reg(m, c[i].region) * m->nocc + find_occ(m, code)] += c[i].balance;
	}
	ksp_forecast_free(c);
	if (!m->nreg)
		return ksp_error_set(err, KSP_ENOTFOUND, "forecast run %lld has no regional results for %d",
				     run->id, year);
	return KSP_OK;
}

static int load_distances(struct ksp_store *s, struct mig *m, struct ksp_error *err)
{
	struct ksp_stmt *st;
	int rc;

	m->km = ksp_xmalloc((m->nreg * m->nreg + 1) * sizeof(double));
	for (size_t i = 0; i < m->nreg * m->nreg; i++)
		m->km[i] = NAN;
	rc = ksp_stmt_prepare(s,
			      "SELECT from_region, to_region, value FROM region_distance "
			      "WHERE kind = 'great_circle'",
			      &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		size_t a = find_reg(m, ksp_stmt_column_text(st, 0)),
		       b = find_reg(m, ksp_stmt_column_text(st, 1));

		if (a != (size_t)-1 && b != (size_t)-1)
			m->km[a * m->nreg + b] = ksp_stmt_column_double(st, 2);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

/* The quotas of the latest year <= year that has settlers' rows (else the latest). */
static int load_quota(struct ksp_store *s, struct mig *m, int year, int kandas, int *qyear,
		      struct ksp_error *err)
{
	struct ksp_stmt *st;
	long long y = 0;
	char yb[16];
	int rc;

	snprintf(yb, sizeof(yb), "%d", year);
	rc = ksp_store_query_int(s,
				 "SELECT max(year) FROM resettlement_quota WHERE category = 'settlers' "
				 "AND year <= ? AND region <> '" KSP_FORECAST_NATIONAL "'",
				 &y, err, yb, (const char *)NULL);
	if (rc < 0)
		return rc;
	if (!y) {
		rc = ksp_store_query_int(s,
					 "SELECT coalesce(max(year), 0) FROM resettlement_quota "
					 "WHERE region <> '" KSP_FORECAST_NATIONAL "'",
					 &y, err, (const char *)NULL);
		if (rc < 0)
			return rc;
	}
	if (!y)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "the database has no resettlement quotas: run 'kasip init', or 'kasip import resettlement-quota FILE'");
	*qyear = (int)y;
	m->quota = ksp_xcalloc(m->nreg + 1, sizeof(double));
	rc = ksp_stmt_prepare(s,
			      "SELECT region, sum(value) FROM resettlement_quota WHERE year = ? AND "
			      "(category = 'settlers' OR (? = 1 AND category = 'kandas')) GROUP BY region",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, y);
	ksp_stmt_bind_int64(st, 2, kandas);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		size_t a = find_reg(m, ksp_stmt_column_text(st, 0));

		if (a != (size_t)-1)
			m->quota[a] = ksp_stmt_column_double(st, 1);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

static int load_mrp(struct ksp_store *s, int year, double *mrp, struct ksp_error *err)
{
	char yb[16];
	int rc;

	snprintf(yb, sizeof(yb), "%d", year);
	rc = ksp_store_query_double(s, "SELECT value FROM mrp WHERE year <= ? ORDER BY year DESC LIMIT 1",
				    mrp, err, yb, (const char *)NULL);
	if (rc == KSP_DONE)
		rc = ksp_store_query_double(s, "SELECT value FROM mrp ORDER BY year LIMIT 1", mrp, err,
					    (const char *)NULL);
	if (rc == KSP_DONE)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "the database has no MRP values: run 'kasip init', or 'kasip import mrp FILE'");
	return rc < 0 ? rc : KSP_OK;
}

struct flowvar {
	int from, to, occ, col;
	double cost, support, km;
};

int plan_migration(struct ksp_store *s, const struct ksp_plan_options *opt,
		   const struct plan_params *p, struct plan_result *r, struct ksp_error *err)
{
	const char *lang = ksp_error_lang(err);
	struct ksp_forecast_run run;
	struct mig m;
	struct ksp_lp *lp = NULL;
	struct ksp_lp_result res;
	struct ksp_lp_options lo;
	struct flowvar *fv = NULL;
	size_t nfv = 0, afv = 0;
	int *wrow = NULL, *srow = NULL, *qrow = NULL, brow = -1, mrow = -1;
	int year, qyear = 0, rc;
	double mrp = 0, support, family = p->v[MP_FAMILY_SIZE];
	double total_short = 0, total_quota = 0, total_willing = 0;
	int f_flow, f_willing, f_short, f_quota, f_budget, f_min;

	memset(&m, 0, sizeof(m));
	memset(&res, 0, sizeof(res));
	if ((rc = ksp_forecast_run_get(s, opt->run_id, NULL, &run, err)))
		goto out;
	year = opt->year ? opt->year : run.base_year + 1;
	if (year <= run.base_year || year > run.target_year) {
		rc = ksp_error_set(err, KSP_EUSAGE, "forecast run %lld covers %d to %d, not %d", run.id,
				   run.base_year + 1, run.target_year, year);
		goto out;
	}
	if ((rc = load_cells(s, &run, year, (int)p->v[MP_LEVEL], &m, err)) ||
	    (rc = load_distances(s, &m, err)) ||
	    (rc = load_quota(s, &m, year, (int)p->v[MP_QUOTA_KANDAS], &qyear, err)) ||
	    (rc = load_mrp(s, year, &mrp, err)))
		goto out;
	if ((rc = plan_record_input(r, s, "region-distances", err)) ||
	    (rc = plan_record_input(r, s, "resettlement-quota", err)) ||
	    (rc = plan_record_input(r, s, "mrp", err)))
		goto out;
	ksp_strbuf_addf(&r->inputs, "forecast run %lld (%s), year %d; quotas of %d; MRP %.0f KZT\n",
			run.id, run.scenario, year, qyear, mrp);

	support = family * p->v[MP_RELOCATION_MRP] * mrp + p->v[MP_EMPLOYER_MRP] * mrp +
		  p->v[MP_RENT_MRP_MONTH] * p->v[MP_RENT_MONTHS] * mrp + p->v[MP_HOUSING_KZT];

	lp = ksp_lp_new();
	f_flow = ksp_lp_family(lp, KSP_N_("the flows of movers"));
	f_willing = ksp_lp_family(lp, KSP_N_("the willing-to-move shares of the surpluses"));
	f_short = ksp_lp_family(lp, KSP_N_("the shortages of the receiving regions"));
	f_quota = ksp_lp_family(lp, KSP_N_("the quotas of the receiving regions"));
	f_budget = ksp_lp_family(lp, KSP_N_("the budget"));
	f_min = ksp_lp_family(lp, KSP_N_("the minimum number of movers"));
	wrow = ksp_xmalloc((m.nreg * m.nocc + 1) * sizeof(int));
	srow = ksp_xmalloc((m.nreg * m.nocc + 1) * sizeof(int));
	qrow = ksp_xmalloc((m.nreg + 1) * sizeof(int));
	for (size_t i = 0; i < m.nreg; i++) {
		qrow[i] = -1;
		if (m.quota[i] * p->v[MP_QUOTA_SCALE] > 0) {
			qrow[i] = ksp_lp_row(lp, f_quota, -INFINITY, m.quota[i] * p->v[MP_QUOTA_SCALE]);
			total_quota += m.quota[i] * p->v[MP_QUOTA_SCALE];
		}
	}
	for (size_t k = 0; k < m.nreg * m.nocc; k++) {
		wrow[k] = srow[k] = -1;
		if (m.bal[k] > 0)
			total_willing += p->v[MP_WILLING] * m.bal[k];
		else if (m.bal[k] < 0)
			total_short += -m.bal[k];
	}
	for (size_t o = 0; o < m.nocc; o++)
		for (size_t a = 0; a < m.nreg; a++) {
			double sur = m.bal[a * m.nocc + o] * p->v[MP_WILLING];

			if (sur <= 1e-9)
				continue;
			for (size_t b = 0; b < m.nreg; b++) {
				double sh = -m.bal[b * m.nocc + o], km = m.km[a * m.nreg + b];
				struct flowvar *f;

				if (a == b || sh <= 1e-9 || qrow[b] < 0 || !isfinite(km))
					continue;
				if (wrow[a * m.nocc + o] < 0)
					wrow[a * m.nocc + o] = ksp_lp_row(lp, f_willing, -INFINITY, sur);
				if (srow[b * m.nocc + o] < 0)
					srow[b * m.nocc + o] = ksp_lp_row(lp, f_short, -INFINITY, sh);
				KSP_ALLOC_GROW(fv, nfv + 1, afv);
				f = &fv[nfv++];
				f->from = (int)a;
				f->to = (int)b;
				f->occ = (int)o;
				f->km = km;
				f->support = support;
				f->cost = km * p->v[MP_ROAD_FACTOR] * p->v[MP_COST_PER_KM] + support;
				f->col = ksp_lp_col(lp, f_flow, 0, INFINITY, f->cost - p->v[MP_SHORTAGE_VALUE], 0);
				ksp_lp_coef(lp, wrow[a * m.nocc + o], f->col, 1);
				ksp_lp_coef(lp, srow[b * m.nocc + o], f->col, 1);
				ksp_lp_coef(lp, qrow[b], f->col, family);
			}
		}
	if (p->v[MP_BUDGET] > 0) {
		brow = ksp_lp_row(lp, f_budget, -INFINITY, p->v[MP_BUDGET]);
		for (size_t i = 0; i < nfv; i++)
			ksp_lp_coef(lp, brow, fv[i].col, fv[i].support);
	}
	if (p->v[MP_MIN_MOVERS] > 0) {
		mrow = ksp_lp_row(lp, f_min, p->v[MP_MIN_MOVERS], INFINITY);
		for (size_t i = 0; i < nfv; i++)
			ksp_lp_coef(lp, mrow, fv[i].col, 1);
	}

	ksp_lp_options_init(&lo);
	lo.time_limit = p->v[MP_TIME_LIMIT];
	rc = ksp_lp_solve(lp, &lo, &res, err);
	if (rc == KSP_EINFEASIBLE && res.status == KSP_LP_INFEASIBLE) {
		char a[64], b[64];
		double min = p->v[MP_MIN_MOVERS];

		/* Say it in the planner's words: the tightest of the limits on the
		 * number of movers against what the minimum asks for. */
		double qcap = total_quota / family, bcap = p->v[MP_BUDGET] > 0 ? p->v[MP_BUDGET] / support : INFINITY;

		ksp_fmt_number(lang, min, 0, b, sizeof(b));
		if (min > 0 && qcap < min && qcap <= bcap && qcap <= total_willing) {
			ksp_fmt_number(lang, total_quota, 0, a, sizeof(a));
			rc = ksp_error_set(err, KSP_EINFEASIBLE,
					   "the quotas of the receiving regions (%s persons, %.2f a mover's family) cannot take the %s movers that the minimum asks for",
					   a, family, b);
		} else if (min > 0 && bcap < min && bcap <= total_willing) {
			ksp_fmt_number(lang, p->v[MP_BUDGET], 0, a, sizeof(a));
			rc = ksp_error_set(err, KSP_EINFEASIBLE,
					   "the budget of %s KZT cannot pay for the %s movers that the minimum asks for",
					   a, b);
		} else if (min > 0) {
			ksp_fmt_number(lang, total_willing, 0, a, sizeof(a));
			rc = ksp_error_set(err, KSP_EINFEASIBLE,
					   "the willing movers of the surplus regions (%s) and the shortages they can fill cannot give the %s movers that the minimum asks for",
					   a, b);
		}
	}
	/* Never store a plan whose optimum the duals do not prove. */
	if (rc || (rc = ksp_lp_certify(lp, &res, 0, err)))
		goto out;

	/* ---- the plan ---- */
	snprintf(r->info.kind, sizeof(r->info.kind), "migration");
	r->info.run_id = run.id;
	r->info.year = year;
	snprintf(r->info.status, sizeof(r->info.status), "%s",
		 res.status == KSP_LP_OPTIMAL ? "optimal" : "feasible");
	r->info.ncols = res.ncols;
	r->info.nrows = res.nrows;
	r->info.nnz = (long)ksp_lp_nnz(lp);
	r->info.seconds = res.seconds;
	r->info.mip_gap = 0;
	{
		double *out = ksp_xcalloc(m.nreg * m.nocc + 1, sizeof(double));
		double *in = ksp_xcalloc(m.nreg * m.nocc + 1, sizeof(double));
		double cost = 0, sup = 0, movers = 0;

		for (size_t i = 0; i < nfv; i++) {
			double x = res.x[fv[i].col];
			struct ksp_plan_flow *f;

			if (x < 1e-6)
				continue;
			out[fv[i].from * m.nocc + fv[i].occ] += x;
			in[fv[i].to * m.nocc + fv[i].occ] += x;
			cost += x * fv[i].cost;
			sup += x * fv[i].support;
			movers += x;
			KSP_ALLOC_GROW(r->flows, r->nflows + 1, r->aflows);
			f = &r->flows[r->nflows++];
			memset(f, 0, sizeof(*f));
			snprintf(f->from, sizeof(f->from), "%s", m.reg[fv[i].from]);
			snprintf(f->to, sizeof(f->to), "%s", m.reg[fv[i].to]);
			snprintf(f->occupation, sizeof(f->occupation), "%s", m.occ[fv[i].occ]);
			f->movers = x;
			f->persons = x * family;
			f->cost_per_mover = fv[i].cost;
			f->support_per_mover = fv[i].support;
			f->km = fv[i].km;
		}
		r->info.cost = cost;
		r->info.support = sup;
		r->info.total = movers;
		r->info.gap_before = total_short;
		r->info.gap_after = total_short - movers;
		r->info.objective = res.objective + p->v[MP_SHORTAGE_VALUE] * total_short;
		for (size_t a = 0; a < m.nreg; a++) {
			double tb = 0, ta = 0;

			for (size_t o = 0; o < m.nocc; o++) {
				size_t k = a * m.nocc + o;
				double before = -m.bal[k], after = before - in[k] + out[k];

				if (fabs(before) < 1e-9)
					continue;
				plan_add_gap(r, m.reg[a], m.occ[o], before, after);
				tb += before;
				ta += after;
			}
			plan_add_gap(r, m.reg[a], "", tb, ta);
		}
		for (size_t a = 0; a < m.nreg; a++) {
			double used = 0, bound = 0;

			if (qrow[a] >= 0) {
				double y = res.row_dual[qrow[a]];

				plan_add_constraint(r, "quota", m.reg[a], m.quota[a] * p->v[MP_QUOTA_SCALE],
						    res.activity[qrow[a]], y, -y);
			}
			for (size_t o = 0; o < m.nocc; o++)
				if (wrow[a * m.nocc + o] >= 0) {
					bound += m.bal[a * m.nocc + o] * p->v[MP_WILLING];
					used += out[a * m.nocc + o];
				}
			if (bound > 0)
				plan_add_constraint(r, "willing", m.reg[a], bound, used, NAN, NAN)->binding =
					used >= bound - 1e-6 * (1 + bound);
		}
		if (brow >= 0) {
			double y = res.row_dual[brow];

			/* value: the objective's fall per one more million tenge */
			plan_add_constraint(r, "budget", "", p->v[MP_BUDGET], res.activity[brow], y, -y * 1e6);
		}
		if (mrow >= 0) {
			double y = res.row_dual[mrow];

			plan_add_constraint(r, "min-movers", "", p->v[MP_MIN_MOVERS], res.activity[mrow], y, y);
		}
		free(out);
		free(in);
	}
	rc = KSP_OK;
out:
	ksp_lp_result_release(&res);
	ksp_lp_free(lp);
	free(fv);
	free(wrow);
	free(srow);
	free(qrow);
	mig_release(&m);
	return rc;
}

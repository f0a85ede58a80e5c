/*
 * orders.c - the state-order planner: state-funded places x[u] of the
 * coming intake, u a (region, college, specialty group) cell, minimising
 * the shortage left by region and ISCO-08 sub-major group in the run's
 * target year plus a small cost term.  Written out in docs/planning.md.
 *
 * Places act through the forecast's own path: an intake changed by
 * x - last graduates completion x (x - last), of whom entry join the labour
 * market, spread over sub-major groups by the specialty's row of the
 * flexibility matrix (forecast-flexibility, normalised).  The forecast
 * already counts last year's plan continuing, so only the change moves the
 * gap.  The LP relaxation (CLP) gives the duals; CBC gives integer places.
 */
#include "plan/internal.h"

#include "kasip/forecast.h"
#include "kasip/i18n.h"
#include "kasip/query.h"
#include "util/xmalloc.h"

#define NSUB 100 /* sub-major groups by their two digits */

struct cell {
	char region[16];
	char college[64];
	int spec;      /* index into the TVET groups */
	double last, lo, hi, cost;
	int col;
	int capped;    /* hi is the college's capacity, not the bound on the change */
};

struct ord {
	struct ksp_specialty_group *sg;
	size_t nsg;
	int *tvet;     /* indexes of the TVET groups in sg */
	size_t ntvet;
	double *w;     /* ntvet x NSUB, rows summing to 1 */
	int *working;  /* ntvet */
	char (*reg)[16];
	size_t nreg;
	double *gap;   /* nreg x NSUB cumulative gap to the target year (positive: shortage) */
	double *pop;   /* nreg */
	double popsum; /* every region's, also when one is planned alone */
	struct cell *cells;
	size_t ncells, acells;
};

static void ord_release(struct ord *o)
{
	ksp_forecast_free(o->sg);
	free(o->tvet);
	free(o->w);
	free(o->working);
	free(o->reg);
	free(o->gap);
	free(o->pop);
	free(o->cells);
}

static size_t ord_reg(const struct ord *o, const char *code)
{
	for (size_t i = 0; i < o->nreg; i++)
		if (!strcmp(o->reg[i], code))
			return i;
	return (size_t)-1;
}

static int load_groups(struct ksp_store *s, struct ord *o, struct ksp_error *err)
{
	struct ksp_flexibility_weight *fw = NULL;
	size_t nfw = 0;
	int rc;

	if ((rc = ksp_forecast_specialties(s, &o->sg, &o->nsg, err)))
		return rc;
	o->tvet = ksp_xcalloc(o->nsg + 1, sizeof(int));
	for (size_t i = 0; i < o->nsg; i++)
		if (!strcmp(o->sg[i].level, "tvet"))
			o->tvet[o->ntvet++] = (int)i;
	if (!o->ntvet)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "the database has no TVET specialty groups: run 'kasip init', or 'kasip import forecast-specialties FILE'");
	if ((rc = ksp_forecast_flexibility(s, &fw, &nfw, err)))
		return rc;
	o->w = ksp_xcalloc(o->ntvet * NSUB + 1, sizeof(double));
	o->working = ksp_xcalloc(o->ntvet + 1, sizeof(int));
	for (size_t k = 0; k < nfw; k++) {
		const char *sm = fw[k].isco_submajor;

		if (!isdigit((unsigned char)sm[0]) || !isdigit((unsigned char)sm[1]))
			continue;
		for (size_t t = 0; t < o->ntvet; t++)
			if (!strcmp(o->sg[o->tvet[t]].code, fw[k].specialty))
				o->w[t * NSUB + (sm[0] - '0') * 10 + (sm[1] - '0')] += fw[k].weight;
	}
	ksp_forecast_free(fw);
	for (size_t t = 0; t < o->ntvet; t++) {
		double sum = 0, manual = 0;

		for (int m = 0; m < NSUB; m++)
			sum += o->w[t * NSUB + m];
		if (sum <= 0)
			continue;
		for (int m = 0; m < NSUB; m++) {
			o->w[t * NSUB + m] /= sum;
			if (m >= 50 && m < 90)
				manual += o->w[t * NSUB + m];
		}
		/* working specialties: more than half of their graduates go to ISCO-08
		 * majors 5-8 (service, agricultural, craft, machine-operating work) */
		o->working[t] = manual > 0.5;
	}
	return KSP_OK;
}

static int load_gaps(struct ksp_store *s, const struct ksp_forecast_run *run, const char *only,
		     struct ord *o, struct ksp_error *err)
{
	struct ksp_forecast_cell_query q;
	struct ksp_forecast_cell *c = NULL;
	struct ksp_forecast_total *t = NULL;
	size_t n = 0, nt = 0, areg = 0;
	int rc;

	if (strcmp(run->classification, "ISCO-08") || run->level < 2)
		return ksp_error_set(err, KSP_EUSAGE,
				     "the state-order planner needs a forecast run of ISCO-08 at level 2 or deeper; run %lld is %s level %d",
				     run->id, run->classification, run->level);
	memset(&q, 0, sizeof(q));
	q.run_id = run->id;
	q.region = only;
	q.year_from = run->base_year + 1;
	q.year_to = run->target_year;
	if ((rc = ksp_forecast_cells(s, &q, &c, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(c[i].region, KSP_FORECAST_NATIONAL) || ord_reg(o, c[i].region) != (size_t)-1)
			continue;
		KSP_ALLOC_GROW(o->reg, o->nreg + 1, areg);
		snprintf(o->reg[o->nreg++], sizeof(o->reg[0]), "%s", c[i].region);
	}
	o->gap = ksp_xcalloc(o->nreg * NSUB + 1, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		size_t r = ord_reg(o, c[i].region);
		const char *oc = c[i].occupation;

		if (r == (size_t)-1 || !isdigit((unsigned char)oc[0]) || !isdigit((unsigned char)oc[1]))
			continue;
		o->gap[r * NSUB + (oc[0] - '0') * 10 + (oc[1] - '0')] -= c[i].balance;
	}
	ksp_forecast_free(c);
	if (!o->nreg)
		return ksp_error_set(err, KSP_ENOTFOUND, "forecast run %lld has no regional results", run->id);
	o->pop = ksp_xcalloc(o->nreg + 1, sizeof(double));
	if ((rc = ksp_forecast_totals(s, run->id, NULL, &t, &nt, err)))
		return rc;
	for (size_t i = 0; i < nt; i++) {
		size_t r = ord_reg(o, t[i].region);

		if (t[i].year != run->base_year || !strcmp(t[i].region, KSP_FORECAST_NATIONAL))
			continue;
		o->popsum += t[i].population;
		if (r != (size_t)-1)
			o->pop[r] = t[i].population;
	}
	ksp_forecast_free(t);
	return KSP_OK;
}

static struct cell *add_cell(struct ord *o, const char *region, const char *college, int spec)
{
	struct cell *c;

	for (size_t i = 0; i < o->ncells; i++)
		if (o->cells[i].spec == spec && !strcmp(o->cells[i].region, region) &&
		    !strcmp(o->cells[i].college, college))
			return &o->cells[i];
	KSP_ALLOC_GROW(o->cells, o->ncells + 1, o->acells);
	c = &o->cells[o->ncells++];
	memset(c, 0, sizeof(*c));
	snprintf(c->region, sizeof(c->region), "%s", region);
	snprintf(c->college, sizeof(c->college), "%s", college);
	c->spec = spec;
	c->hi = -1; /* no capacity known */
	return c;
}

/*
 * Last year's plan: the colleges' state-funded places of the latest year
 * (college-specialties, through the specialty crosswalk to the groups),
 * for the regions that have them; elsewhere last_total spread by the
 * regions' population and the groups' shares.
 */
static int load_last(struct ksp_store *s, const struct plan_params *p, struct ord *o,
		     struct ksp_error *err)
{
	struct ksp_stmt *st;
	double popsum = o->popsum, sharesum = 0;
	int *has = ksp_xcalloc(o->nreg + 1, sizeof(int));
	int rc;

	rc = ksp_stmt_prepare(s,
			      "SELECT c.region, cs.college, x.specialty_group, "
			      "sum(coalesce(cs.state_places, 0) * x.weight), "
			      "sum((coalesce(cs.state_places, 0) + coalesce(cs.paid_places, 0)) * x.weight) "
			      "FROM college_specialty cs JOIN college c ON c.id = cs.college "
			      "JOIN specialty_crosswalk x ON x.classification = cs.classification AND x.code = cs.specialty "
			      "WHERE cs.year = (SELECT max(year) FROM college_specialty) "
			      "GROUP BY c.region, cs.college, x.specialty_group",
			      &st, err);
	if (rc)
		goto out;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		size_t r = ord_reg(o, ksp_stmt_column_text(st, 0));
		const char *g = ksp_stmt_column_text(st, 2);
		struct cell *c;

		if (r == (size_t)-1)
			continue;
		for (size_t t = 0; t < o->ntvet; t++) {
			if (strcmp(o->sg[o->tvet[t]].code, g))
				continue;
			c = add_cell(o, o->reg[r], ksp_stmt_column_text(st, 1), (int)t);
			c->last += ksp_stmt_column_double(st, 3);
			c->hi = fmax(c->hi, 0) + ksp_stmt_column_double(st, 4);
			has[r] = 1;
		}
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		goto out;
	rc = KSP_OK;
	for (size_t t = 0; t < o->ntvet; t++)
		sharesum += o->sg[o->tvet[t]].share;
	for (size_t r = 0; r < o->nreg; r++) {
		if (has[r])
			continue;
		for (size_t t = 0; t < o->ntvet; t++) {
			struct cell *c = add_cell(o, o->reg[r], "", (int)t);

			c->last = round(p->v[OP_LAST_TOTAL] * (popsum > 0 ? o->pop[r] / popsum : 0) *
					(sharesum > 0 ? o->sg[o->tvet[t]].share / sharesum : 0));
		}
	}
out:
	free(has);
	return rc;
}

int plan_orders(struct ksp_store *s, const struct ksp_plan_options *opt,
		const struct plan_params *p, struct plan_result *r, struct ksp_error *err)
{
	const char *lang = ksp_error_lang(err);
	struct ksp_forecast_run run;
	struct ksp_region reg;
	struct ord o;
	struct ksp_lp *lp = NULL;
	struct ksp_lp_result rel, mip;
	struct ksp_lp_options lo;
	int *srow = NULL, prow, brow = -1, wrow = -1, rc;
	int f_x, f_u, f_short, f_places, f_budget, f_working;
	double places, last_total = 0, k = p->v[OP_COMPLETION] * p->v[OP_ENTRY];
	double gap_before = 0, budget_last = 0;

	memset(&o, 0, sizeof(o));
	memset(&rel, 0, sizeof(rel));
	memset(&mip, 0, sizeof(mip));
	if ((rc = ksp_forecast_run_get(s, opt->run_id, NULL, &run, err)))
		goto out;
	if (opt->region) {
		if ((rc = ksp_region_find(s, opt->region, &reg, err)))
			goto out;
	}
	if ((rc = load_groups(s, &o, err)) ||
	    (rc = load_gaps(s, &run, opt->region ? reg.kato : NULL, &o, err)) ||
	    (rc = load_last(s, p, &o, err)))
		goto out;
	if ((rc = plan_record_input(r, s, "forecast-specialties", err)) ||
	    (rc = plan_record_input(r, s, "forecast-flexibility", err)) ||
	    (rc = plan_record_input(r, s, "college-specialties", err)))
		goto out;
	ksp_strbuf_addf(&r->inputs, "forecast run %lld (%s), gaps %d-%d\n", run.id, run.scenario,
			run.base_year + 1, run.target_year);

	lp = ksp_lp_new();
	f_x = ksp_lp_family(lp, KSP_N_("the places by specialty"));
	f_u = ksp_lp_family(lp, KSP_N_("the shortages left"));
	f_short = ksp_lp_family(lp, KSP_N_("the shortages by region and occupation group"));
	f_places = ksp_lp_family(lp, KSP_N_("the total number of places"));
	f_budget = ksp_lp_family(lp, KSP_N_("the budget"));
	f_working = ksp_lp_family(lp, KSP_N_("the minimum share of working specialties"));
	for (size_t i = 0; i < o.ncells; i++) {
		struct cell *c = &o.cells[i];
		char key[64];

		snprintf(key, sizeof(key), "cost.%s", o.sg[o.tvet[c->spec]].code);
		c->cost = plan_params_keyed(p, key, p->v[OP_COST_PER_PLACE]);
		c->lo = floor(c->last * (1 - p->v[OP_CHANGE]));
		if (c->lo < 0)
			c->lo = 0;
		{
			double up = ceil(c->last * (1 + p->v[OP_CHANGE]));

			c->capped = c->hi >= 0 && c->hi < up;
			c->hi = c->hi >= 0 ? fmax(c->lo, fmin(up, c->hi)) : up;
		}
		c->col = ksp_lp_col(lp, f_x, c->lo, c->hi, p->v[OP_COST_WEIGHT] * c->cost, 1);
		last_total += c->last;
		budget_last += c->last * c->cost;
	}
	places = p->v[OP_PLACES] > 0 ? p->v[OP_PLACES] : last_total;
	/* u[r,m] >= gap - k sum w (x - last), u >= 0: the row is
	 * u + k sum w x >= gap + k sum w last. */
	srow = ksp_xmalloc((o.nreg * NSUB + 1) * sizeof(int));
	for (size_t rr = 0; rr < o.nreg; rr++)
		for (int m = 0; m < NSUB; m++) {
			double g = o.gap[rr * NSUB + m], base = 0;
			int any = 0, u;

			srow[rr * NSUB + m] = -1;
			for (size_t i = 0; i < o.ncells; i++)
				if (!strcmp(o.cells[i].region, o.reg[rr]) && o.w[o.cells[i].spec * NSUB + m] > 0) {
					any = 1;
					base += k * o.w[o.cells[i].spec * NSUB + m] * o.cells[i].last;
				}
			if (!any)
				continue;
			if (g > 0)
				gap_before += g;
			u = ksp_lp_col(lp, f_u, 0, INFINITY, 1, 0);
			srow[rr * NSUB + m] = ksp_lp_row(lp, f_short, g + base, INFINITY);
			ksp_lp_coef(lp, srow[rr * NSUB + m], u, 1);
			for (size_t i = 0; i < o.ncells; i++)
				if (!strcmp(o.cells[i].region, o.reg[rr]) && o.w[o.cells[i].spec * NSUB + m] > 0)
					ksp_lp_coef(lp, srow[rr * NSUB + m], o.cells[i].col,
						    k * o.w[o.cells[i].spec * NSUB + m]);
		}
	prow = ksp_lp_row(lp, f_places, -INFINITY, places);
	for (size_t i = 0; i < o.ncells; i++)
		ksp_lp_coef(lp, prow, o.cells[i].col, 1);
	if (p->v[OP_BUDGET] > 0) {
		brow = ksp_lp_row(lp, f_budget, -INFINITY, p->v[OP_BUDGET]);
		for (size_t i = 0; i < o.ncells; i++)
			ksp_lp_coef(lp, brow, o.cells[i].col, o.cells[i].cost);
	}
	if (p->v[OP_WORKING_SHARE] > 0) {
		wrow = ksp_lp_row(lp, f_working, 0, INFINITY);
		for (size_t i = 0; i < o.ncells; i++)
			ksp_lp_coef(lp, wrow, o.cells[i].col,
				    (o.working[o.cells[i].spec] ? 1.0 : 0.0) - p->v[OP_WORKING_SHARE]);
	}

	ksp_lp_options_init(&lo);
	lo.time_limit = p->v[OP_TIME_LIMIT];
	lo.gap = p->v[OP_GAP];
	lo.relax = 1;
	rc = ksp_lp_solve(lp, &lo, &rel, err);
	if (rc == KSP_EINFEASIBLE && rel.status == KSP_LP_INFEASIBLE) {
		char a[64], b[64];
		double lo_sum = 0, work_hi = 0, all_hi = 0, cost_lo = 0;

		for (size_t i = 0; i < o.ncells; i++) {
			lo_sum += o.cells[i].lo;
			cost_lo += o.cells[i].lo * o.cells[i].cost;
			all_hi += o.cells[i].hi;
			if (o.working[o.cells[i].spec])
				work_hi += o.cells[i].hi;
		}
		if (lo_sum > places) {
			ksp_fmt_number(lang, places, 0, a, sizeof(a));
			ksp_fmt_number(lang, lo_sum, 0, b, sizeof(b));
			rc = ksp_error_set(err, KSP_EINFEASIBLE,
					   "the total of %s places is below the %s that the bounds on the change from last year keep",
					   a, b);
		} else if (p->v[OP_BUDGET] > 0 && cost_lo > p->v[OP_BUDGET]) {
			ksp_fmt_number(lang, p->v[OP_BUDGET], 0, a, sizeof(a));
			ksp_fmt_number(lang, cost_lo, 0, b, sizeof(b));
			rc = ksp_error_set(err, KSP_EINFEASIBLE,
					   "the budget of %s KZT cannot pay for the places that the bounds on the change from last year keep (%s KZT)",
					   a, b);
		} else if (p->v[OP_WORKING_SHARE] > 0) {
			ksp_fmt_number(lang, work_hi, 0, a, sizeof(a));
			rc = ksp_error_set(err, KSP_EINFEASIBLE,
					   "working specialties can have at most %s places within the bounds on the change from last year, too few for a share of %.1f %%",
					   a, 100 * p->v[OP_WORKING_SHARE]);
		}
		(void)all_hi;
	}
	/* The relaxation's duals are reported: never without their proof. */
	if (rc || (rc = ksp_lp_certify(lp, &rel, 0, err)))
		goto out;
	lo.relax = 0;
	rc = ksp_lp_solve(lp, &lo, &mip, err);
	if (rc)
		goto out;

	snprintf(r->info.kind, sizeof(r->info.kind), "orders");
	r->info.run_id = run.id;
	r->info.year = run.base_year + 1;
	if (opt->region)
		snprintf(r->info.region, sizeof(r->info.region), "%s", reg.kato);
	snprintf(r->info.status, sizeof(r->info.status), "%s",
		 mip.status == KSP_LP_OPTIMAL ? "optimal" : "feasible");
	r->info.ncols = mip.ncols;
	r->info.nrows = mip.nrows;
	r->info.nnz = (long)ksp_lp_nnz(lp);
	r->info.seconds = rel.seconds + mip.seconds;
	r->info.mip_gap = mip.gap;
	r->info.objective = mip.objective;
	{
		double tot = 0, cost = 0, after = 0;

		for (size_t i = 0; i < o.ncells; i++) {
			const struct cell *c = &o.cells[i];
			struct ksp_plan_place *pl;
			double x = round(mip.x[c->col]);

			tot += x;
			cost += x * c->cost;
			KSP_ALLOC_GROW(r->places, r->nplaces + 1, r->aplaces);
			pl = &r->places[r->nplaces++];
			memset(pl, 0, sizeof(*pl));
			snprintf(pl->region, sizeof(pl->region), "%s", c->region);
			snprintf(pl->college, sizeof(pl->college), "%s", c->college);
			snprintf(pl->specialty, sizeof(pl->specialty), "%s", o.sg[o.tvet[c->spec]].code);
			pl->places = x;
			pl->last_year = c->last;
			pl->cost_per_place = c->cost;
			/* the shortage one more place would close: its graduates times
			 * the duals of the shortage rows of its region */
			pl->marginal_value = 0;
			for (size_t rr = 0; rr < o.nreg; rr++) {
				if (strcmp(o.reg[rr], c->region))
					continue;
				for (int m = 0; m < NSUB; m++)
					if (srow[rr * NSUB + m] >= 0)
						pl->marginal_value += k * o.w[c->spec * NSUB + m] *
								      rel.row_dual[srow[rr * NSUB + m]];
			}
		}
		for (size_t rr = 0; rr < o.nreg; rr++) {
			double tb = 0, ta = 0;

			for (int m = 0; m < NSUB; m++) {
				double g = o.gap[rr * NSUB + m], d = 0;
				char code[4];

				if (srow[rr * NSUB + m] < 0)
					continue;
				for (size_t i = 0; i < o.ncells; i++)
					if (!strcmp(o.cells[i].region, o.reg[rr]))
						d += k * o.w[o.cells[i].spec * NSUB + m] *
						     (round(mip.x[o.cells[i].col]) - o.cells[i].last);
				snprintf(code, sizeof(code), "%02d", m);
				plan_add_gap(r, o.reg[rr], code, g, g - d);
				if (g > 0)
					tb += g;
				if (g - d > 0)
					ta += g - d;
			}
			plan_add_gap(r, o.reg[rr], "", tb, ta);
			after += ta;
		}
		r->info.total = tot;
		r->info.cost = cost;
		r->info.support = NAN;
		r->info.gap_before = gap_before;
		r->info.gap_after = after;
		plan_add_constraint(r, "places", "", places, tot, rel.row_dual[prow], -rel.row_dual[prow]);
		if (brow >= 0)
			plan_add_constraint(r, "budget", "", p->v[OP_BUDGET], cost, rel.row_dual[brow],
					    -rel.row_dual[brow] * 1e6);
		if (wrow >= 0) {
			double w = 0;

			for (size_t i = 0; i < o.ncells; i++)
				if (o.working[o.cells[i].spec])
					w += round(mip.x[o.cells[i].col]);
			plan_add_constraint(r, "working-share", "", p->v[OP_WORKING_SHARE],
					    tot > 0 ? w / tot : 0, rel.row_dual[wrow], -rel.row_dual[wrow]);
		}
		for (size_t i = 0; i < o.ncells; i++) {
			const struct cell *c = &o.cells[i];
			double x = round(mip.x[c->col]);
			char key[160];

			if (x < c->hi - 0.5 && x > c->lo + 0.5)
				continue;
			snprintf(key, sizeof(key), "%s/%s%s%s", c->region, c->college, *c->college ? "/" : "",
				 o.sg[o.tvet[c->spec]].code);
			plan_add_constraint(r, x >= c->hi - 0.5 && c->capped ? "capacity" : "change", key,
					    x >= c->hi - 0.5 ? c->hi : c->lo, x, rel.reduced_cost[c->col],
					    r->places[i].marginal_value);
		}
	}
	(void)budget_last;
	rc = KSP_OK;
out:
	ksp_lp_result_release(&rel);
	ksp_lp_result_release(&mip);
	ksp_lp_free(lp);
	free(srow);
	ord_release(&o);
	return rc;
}

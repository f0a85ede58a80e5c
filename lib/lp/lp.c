/*
 * lp.c - sparse linear and mixed-integer models solved by COIN-OR CLP and
 * CBC through their C interfaces (see kasip/lp.h).
 *
 * Why these settings: CLP's dual simplex with presolve and perturbation 50
 * is what the `clp` program runs; the library's default perturbation was
 * measured 2.5-5x slower on migration-shaped (transportation) models.
 * Everything a solver reads is validated first, because a bad index or a
 * NaN makes the COIN libraries throw C++ exceptions or loop, and an
 * exception cannot cross the C interface without ending the process.
 *
 * The family at fault in an infeasible model is found by a second LP, the
 * elastic form: each row gets a non-negative slack on each finite bound,
 * costing 1 a unit, and everything else costs 0.  Its optimum is the least
 * total violation; the family with the largest share of it is named.  An
 * unbounded model is boxed (infinite column bounds replaced by +-1e9) and
 * the family of the column that runs furthest is named.
 */
#include "kasip/lp.h"

#include <float.h>
#include <pthread.h>

#include <coin/Cbc_C_Interface.h>
#include <coin/Clp_C_Interface.h>

#include "kasip/i18n.h"
#include "util/xmalloc.h"

/* CBC's C interface drives CbcMain, which keeps state in statics. */
static pthread_mutex_t cbc_lock = PTHREAD_MUTEX_INITIALIZER;

#define BOX 1e9

struct lp_triplet {
	int row, col;
	double v;
};

struct ksp_lp {
	const char **fam;
	size_t nfam, afam;
	double *clo, *chi, *cost;
	int *cint, *cfam;
	size_t ncol, acol;
	double *rlo, *rhi;
	int *rfam;
	size_t nrow, arow;
	struct lp_triplet *t;
	size_t nt, at;
	int bad_index; /* the first triplet out of range, + 1 */
};

/* A model in the arrays the COIN loaders take. */
struct csc {
	int ncol, nrow;
	CoinBigIndex *start;
	int *index;
	double *value;
	double *clo, *chi, *rlo, *rhi, *cost;
};

struct ksp_lp *ksp_lp_new(void)
{
	return ksp_xcalloc(1, sizeof(struct ksp_lp));
}

void ksp_lp_free(struct ksp_lp *lp)
{
	if (!lp)
		return;
	free(lp->fam);
	free(lp->clo);
	free(lp->chi);
	free(lp->cost);
	free(lp->cint);
	free(lp->cfam);
	free(lp->rlo);
	free(lp->rhi);
	free(lp->rfam);
	free(lp->t);
	free(lp);
}

int ksp_lp_family(struct ksp_lp *lp, const char *name)
{
	KSP_ALLOC_GROW(lp->fam, lp->nfam + 1, lp->afam);
	lp->fam[lp->nfam] = name ? name : "";
	return (int)lp->nfam++;
}

const char *ksp_lp_family_name(const struct ksp_lp *lp, int fam)
{
	if (fam < 0 || (size_t)fam >= lp->nfam)
		return NULL;
	return lp->fam[fam];
}

int ksp_lp_col(struct ksp_lp *lp, int fam, double lo, double hi, double cost, int integer)
{
	if (lp->ncol + 1 > lp->acol) {
		size_t a = lp->acol;

		KSP_ALLOC_GROW(lp->clo, lp->ncol + 1, a);
		a = lp->acol;
		KSP_ALLOC_GROW(lp->chi, lp->ncol + 1, a);
		a = lp->acol;
		KSP_ALLOC_GROW(lp->cost, lp->ncol + 1, a);
		a = lp->acol;
		KSP_ALLOC_GROW(lp->cint, lp->ncol + 1, a);
		a = lp->acol;
		KSP_ALLOC_GROW(lp->cfam, lp->ncol + 1, a);
		lp->acol = a;
	}
	lp->clo[lp->ncol] = lo;
	lp->chi[lp->ncol] = hi;
	lp->cost[lp->ncol] = cost;
	lp->cint[lp->ncol] = integer != 0;
	lp->cfam[lp->ncol] = fam;
	return (int)lp->ncol++;
}

int ksp_lp_row(struct ksp_lp *lp, int fam, double lo, double hi)
{
	if (lp->nrow + 1 > lp->arow) {
		size_t a = lp->arow;

		KSP_ALLOC_GROW(lp->rlo, lp->nrow + 1, a);
		a = lp->arow;
		KSP_ALLOC_GROW(lp->rhi, lp->nrow + 1, a);
		a = lp->arow;
		KSP_ALLOC_GROW(lp->rfam, lp->nrow + 1, a);
		lp->arow = a;
	}
	lp->rlo[lp->nrow] = lo;
	lp->rhi[lp->nrow] = hi;
	lp->rfam[lp->nrow] = fam;
	return (int)lp->nrow++;
}

void ksp_lp_coef(struct ksp_lp *lp, int row, int col, double value)
{
	if (row < 0 || col < 0) {
		if (!lp->bad_index)
			lp->bad_index = (int)lp->nt + 1;
	}
	KSP_ALLOC_GROW(lp->t, lp->nt + 1, lp->at);
	lp->t[lp->nt].row = row;
	lp->t[lp->nt].col = col;
	lp->t[lp->nt].v = value;
	lp->nt++;
}

int ksp_lp_ncols(const struct ksp_lp *lp)
{
	return (int)lp->ncol;
}

int ksp_lp_nrows(const struct ksp_lp *lp)
{
	return (int)lp->nrow;
}

size_t ksp_lp_nnz(const struct ksp_lp *lp)
{
	return lp->nt;
}

void ksp_lp_options_init(struct ksp_lp_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->gap = 1e-4;
	opt->diagnose = 1;
}

void ksp_lp_result_release(struct ksp_lp_result *res)
{
	if (!res)
		return;
	free(res->x);
	free(res->activity);
	free(res->row_dual);
	free(res->reduced_cost);
	res->x = res->activity = res->row_dual = res->reduced_cost = NULL;
}

static char backend[64];
static pthread_once_t backend_once = PTHREAD_ONCE_INIT;

static void backend_init(void)
{
	snprintf(backend, sizeof(backend), "clp %s, cbc %s", Clp_Version(), Cbc_getVersion());
}

const char *ksp_lp_backend(void)
{
	pthread_once(&backend_once, backend_init);
	return backend;
}

/* ---- validation ---------------------------------------------------------- */

static const char *fam_name(const struct ksp_lp *lp, int fam, const char *lang)
{
	if (fam < 0 || (size_t)fam >= lp->nfam)
		return "?";
	return ksp_tr(lang, lp->fam[fam]);
}

static int validate(const struct ksp_lp *lp, struct ksp_error *err)
{
	const char *lang = ksp_error_lang(err);

	if (lp->ncol > INT_MAX / 2 || lp->nrow > INT_MAX / 2 || lp->nt > INT_MAX / 2)
		return ksp_error_set(err, KSP_EINVAL, "the model is too large (%zu columns, %zu rows, %zu coefficients)",
				     lp->ncol, lp->nrow, lp->nt);
	for (size_t j = 0; j < lp->ncol; j++) {
		double lo = lp->clo[j], hi = lp->chi[j];

		if (lp->cfam[j] < 0 || (size_t)lp->cfam[j] >= lp->nfam)
			return ksp_error_set(err, KSP_EINVAL, "column %zu belongs to family %d, which does not exist",
					     j, lp->cfam[j]);
		if (isnan(lo) || isnan(hi) || lo == INFINITY || hi == -INFINITY)
			return ksp_error_set(err, KSP_EINVAL, "column %zu (%s): a bound is not a number or infinite on the wrong side",
					     j, fam_name(lp, lp->cfam[j], lang));
		if (lo > hi)
			return ksp_error_set(err, KSP_EINVAL, "column %zu (%s): lower bound %g is above upper bound %g",
					     j, fam_name(lp, lp->cfam[j], lang), lo, hi);
		if (!isfinite(lp->cost[j]))
			return ksp_error_set(err, KSP_EINVAL, "column %zu (%s): the cost is not a finite number",
					     j, fam_name(lp, lp->cfam[j], lang));
	}
	for (size_t i = 0; i < lp->nrow; i++) {
		double lo = lp->rlo[i], hi = lp->rhi[i];

		if (lp->rfam[i] < 0 || (size_t)lp->rfam[i] >= lp->nfam)
			return ksp_error_set(err, KSP_EINVAL, "row %zu belongs to family %d, which does not exist",
					     i, lp->rfam[i]);
		if (isnan(lo) || isnan(hi) || lo == INFINITY || hi == -INFINITY)
			return ksp_error_set(err, KSP_EINVAL, "row %zu (%s): a bound is not a number or infinite on the wrong side",
					     i, fam_name(lp, lp->rfam[i], lang));
		if (lo > hi)
			return ksp_error_set(err, KSP_EINVAL, "row %zu (%s): lower bound %g is above upper bound %g",
					     i, fam_name(lp, lp->rfam[i], lang), lo, hi);
	}
	for (size_t k = 0; k < lp->nt; k++) {
		const struct lp_triplet *t = &lp->t[k];

		if (t->row < 0 || (size_t)t->row >= lp->nrow || t->col < 0 || (size_t)t->col >= lp->ncol)
			return ksp_error_set(err, KSP_EINVAL, "a coefficient is at row %d, column %d, which do not exist",
					     t->row, t->col);
		if (!isfinite(t->v))
			return ksp_error_set(err, KSP_EINVAL, "the coefficient at row %d (%s), column %d is not a finite number",
					     t->row, fam_name(lp, lp->rfam[t->row], lang), t->col);
	}
	return KSP_OK;
}

/* ---- the matrix ---------------------------------------------------------- */

static double coin_bound(double v)
{
	if (v == INFINITY)
		return DBL_MAX;
	if (v == -INFINITY)
		return -DBL_MAX;
	return v;
}

static int cmp_row(const void *a, const void *b)
{
	const struct lp_triplet *x = a, *y = b;

	return (x->row > y->row) - (x->row < y->row);
}

static void csc_release(struct csc *m)
{
	free(m->start);
	free(m->index);
	free(m->value);
	free(m->clo);
	free(m->chi);
	free(m->rlo);
	free(m->rhi);
	free(m->cost);
	memset(m, 0, sizeof(*m));
}

/*
 * Compressed columns from the triplets (duplicates summed), with extra
 * columns reserved at the end (the elastic slacks, filled by the caller).
 */
static void csc_build(const struct ksp_lp *lp, size_t extra_cols, size_t extra_nz, struct csc *m)
{
	size_t nc = lp->ncol, nr = lp->nrow;
	size_t *cnt = ksp_xcalloc(nc + 1, sizeof(*cnt));
	struct lp_triplet *t = ksp_xmalloc((lp->nt + 1) * sizeof(*t));
	size_t nz = 0;

	for (size_t k = 0; k < lp->nt; k++)
		cnt[lp->t[k].col + 1]++;
	for (size_t j = 0; j < nc; j++)
		cnt[j + 1] += cnt[j];
	{
		size_t *pos = ksp_xmalloc((nc + 1) * sizeof(*pos));

		memcpy(pos, cnt, (nc + 1) * sizeof(*pos));
		for (size_t k = 0; k < lp->nt; k++)
			t[pos[lp->t[k].col]++] = lp->t[k];
		free(pos);
	}
	m->ncol = (int)(nc + extra_cols);
	m->nrow = (int)nr;
	m->start = ksp_xcalloc(nc + extra_cols + 1, sizeof(*m->start));
	m->index = ksp_xmalloc((lp->nt + extra_nz + 1) * sizeof(*m->index));
	m->value = ksp_xmalloc((lp->nt + extra_nz + 1) * sizeof(*m->value));
	for (size_t j = 0; j < nc; j++) {
		size_t a = cnt[j], b = cnt[j + 1];

		qsort(t + a, b - a, sizeof(*t), cmp_row);
		m->start[j] = (CoinBigIndex)nz;
		for (size_t k = a; k < b; k++) {
			if (nz > (size_t)m->start[j] && m->index[nz - 1] == t[k].row) {
				m->value[nz - 1] += t[k].v;
				continue;
			}
			m->index[nz] = t[k].row;
			m->value[nz] = t[k].v;
			nz++;
		}
	}
	m->start[nc] = (CoinBigIndex)nz;
	free(t);
	free(cnt);
	m->clo = ksp_xmalloc((nc + extra_cols + 1) * sizeof(double));
	m->chi = ksp_xmalloc((nc + extra_cols + 1) * sizeof(double));
	m->cost = ksp_xmalloc((nc + extra_cols + 1) * sizeof(double));
	m->rlo = ksp_xmalloc((nr + 1) * sizeof(double));
	m->rhi = ksp_xmalloc((nr + 1) * sizeof(double));
	for (size_t j = 0; j < nc; j++) {
		m->clo[j] = coin_bound(lp->clo[j]);
		m->chi[j] = coin_bound(lp->chi[j]);
		m->cost[j] = lp->cost[j];
	}
	for (size_t i = 0; i < nr; i++) {
		m->rlo[i] = coin_bound(lp->rlo[i]);
		m->rhi[i] = coin_bound(lp->rhi[i]);
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double *copy_vec(const double *v, size_t n)
{
	double *c = ksp_xmalloc((n + 1) * sizeof(*c));

	if (v)
		memcpy(c, v, n * sizeof(*c));
	else
		memset(c, 0, n * sizeof(*c));
	return c;
}

/* ---- CLP ----------------------------------------------------------------- */

static Clp_Simplex *clp_load(const struct csc *m, double time_limit)
{
	Clp_Simplex *c = Clp_newModel();

	Clp_setLogLevel(c, 0);
	Clp_loadProblem(c, m->ncol, m->nrow, m->start, m->index, m->value, m->clo, m->chi,
			m->cost, m->rlo, m->rhi);
	Clp_setPerturbation(c, 50);
	if (time_limit > 0)
		Clp_setMaximumSeconds(c, time_limit);
	return c;
}

static void clp_run(Clp_Simplex *c)
{
	Clp_Solve *o = ClpSolve_new();

	ClpSolve_setSolveType(o, 0, -1);     /* dual simplex */
	ClpSolve_setPresolveType(o, 0, -1);  /* presolve on */
	Clp_initialSolveWithOptions(c, o);
	ClpSolve_delete(o);
}

static int clp_status(Clp_Simplex *c)
{
	switch (Clp_status(c)) {
	case 0:
		return KSP_LP_OPTIMAL;
	case 1:
		return KSP_LP_INFEASIBLE;
	case 2:
		return KSP_LP_UNBOUNDED;
	case 3:
		return KSP_LP_LIMIT;
	default:
		return KSP_LP_FAILED;
	}
}

static void solve_clp(const struct ksp_lp *lp, const struct csc *m, double time_limit,
		      struct ksp_lp_result *res)
{
	Clp_Simplex *c = clp_load(m, time_limit);

	clp_run(c);
	res->status = clp_status(c);
	res->iterations = Clp_numberIterations(c);
	if (res->status == KSP_LP_OPTIMAL) {
		res->x = copy_vec(Clp_getColSolution(c), lp->ncol);
		res->activity = copy_vec(Clp_getRowActivity(c), lp->nrow);
		res->row_dual = copy_vec(Clp_getRowPrice(c), lp->nrow);
		res->reduced_cost = copy_vec(Clp_getReducedCost(c), lp->ncol);
		res->objective = Clp_objectiveValue(c);
		res->bound = res->objective;
		res->gap = 0;
	}
	Clp_deleteModel(c);
}

/* ---- CBC ----------------------------------------------------------------- */

static void solve_cbc(const struct ksp_lp *lp, const struct csc *m, const struct ksp_lp_options *opt,
		      struct ksp_lp_result *res)
{
	Cbc_Model *c;
	const double *x;
	int st, sec;

	pthread_mutex_lock(&cbc_lock);
	c = Cbc_newModel();
	Cbc_loadProblem(c, m->ncol, m->nrow, m->start, m->index, m->value, m->clo, m->chi,
			m->cost, m->rlo, m->rhi);
	for (size_t j = 0; j < lp->ncol; j++)
		if (lp->cint[j])
			Cbc_setInteger(c, (int)j);
	Cbc_setLogLevel(c, 0);
	Cbc_setParameter(c, "log", "0");
	Cbc_setParameter(c, "slog", "0");
	if (opt->time_limit > 0)
		Cbc_setMaximumSeconds(c, opt->time_limit);
	Cbc_setAllowableFractionGap(c, opt->gap > 0 ? opt->gap : 1e-4);
	Cbc_solve(c);
	st = Cbc_status(c);
	sec = Cbc_secondaryStatus(c);
	res->mip = 1;
	res->nodes = Cbc_getNodeCount(c);
	res->iterations = Cbc_getIterationCount(c);
	x = Cbc_bestSolution(c);
	if (Cbc_isContinuousUnbounded(c) || sec == 7)
		res->status = KSP_LP_UNBOUNDED;
	else if (st == 2 || Cbc_isAbandoned(c))
		res->status = x ? KSP_LP_FEASIBLE : KSP_LP_FAILED;
	else if (x && (Cbc_isProvenOptimal(c) || sec == 0 || sec == 2))
		res->status = KSP_LP_OPTIMAL;
	else if (x)
		res->status = KSP_LP_FEASIBLE;
	else if (Cbc_isProvenInfeasible(c) || sec == 1 || (st == 0 && sec <= 0))
		res->status = KSP_LP_INFEASIBLE;
	else
		res->status = KSP_LP_LIMIT;
	if (x) {
		double obj = 0, bound = Cbc_getBestPossibleObjValue(c);

		res->x = copy_vec(x, lp->ncol);
		for (size_t j = 0; j < lp->ncol; j++)
			obj += lp->cost[j] * res->x[j];
		res->objective = obj;
		res->bound = isfinite(bound) && fabs(bound) < 1e300 ? bound : obj;
		if (res->status == KSP_LP_OPTIMAL && res->bound > obj)
			res->bound = obj;
		res->gap = fabs(obj - res->bound) / fmax(1.0, fabs(obj));
	}
	Cbc_deleteModel(c);
	pthread_mutex_unlock(&cbc_lock);
	if (res->x) {
		/* A x, from our own matrix: the solver's row activity is of its
		 * preprocessed model. */
		res->activity = ksp_xcalloc(lp->nrow + 1, sizeof(double));
		for (int j = 0; j < m->ncol && (size_t)j < lp->ncol; j++)
			for (CoinBigIndex k = m->start[j]; k < m->start[j + 1]; k++)
				res->activity[m->index[k]] += m->value[k] * res->x[j];
	}
}

/* ---- diagnosis ------------------------------------------------------------ */

/* The elastic LP: least total violation of the row bounds. */
static void diagnose_infeasible(const struct ksp_lp *lp, struct ksp_lp_result *res)
{
	struct csc m;
	size_t nc = lp->ncol, nr = lp->nrow, ns = 0, nz;
	int *slack_row;
	double *viol;
	Clp_Simplex *c;

	res->fault_family = -1;
	for (size_t i = 0; i < nr; i++)
		ns += isfinite(lp->rlo[i]) + isfinite(lp->rhi[i]);
	csc_build(lp, ns, ns, &m);
	slack_row = ksp_xmalloc((ns + 1) * sizeof(*slack_row));
	nz = (size_t)m.start[nc];
	for (size_t j = 0; j < nc; j++)
		m.cost[j] = 0; /* integrality is dropped: the relaxation */
	{
		size_t s = 0;

		for (size_t i = 0; i < nr; i++) {
			for (int side = 0; side < 2; side++) {
				double b = side ? lp->rhi[i] : lp->rlo[i];

				if (!isfinite(b))
					continue;
				m.start[nc + s] = (CoinBigIndex)nz;
				m.index[nz] = (int)i;
				m.value[nz] = side ? -1.0 : 1.0;
				nz++;
				m.clo[nc + s] = 0;
				m.chi[nc + s] = DBL_MAX;
				m.cost[nc + s] = 1;
				slack_row[s] = (int)i;
				s++;
			}
		}
		m.start[nc + ns] = (CoinBigIndex)nz;
	}
	c = clp_load(&m, 0);
	clp_run(c);
	if (Clp_status(c) == 0) {
		const double *x = Clp_getColSolution(c);

		viol = ksp_xcalloc(lp->nfam + 1, sizeof(*viol));
		{
			int *rows = ksp_xcalloc(lp->nfam + 1, sizeof(*rows));
			int best = -1;

			for (size_t s = 0; s < ns; s++) {
				double v = x[nc + s];

				if (v > 1e-7) {
					viol[lp->rfam[slack_row[s]]] += v;
					rows[lp->rfam[slack_row[s]]]++;
				}
			}
			for (size_t f = 0; f < lp->nfam; f++)
				if (viol[f] > 1e-7 && (best < 0 || viol[f] > viol[best]))
					best = (int)f;
			if (best >= 0) {
				res->fault_family = best;
				res->fault_amount = viol[best];
				res->fault_rows = rows[best];
			}
			free(rows);
		}
		free(viol);
	}
	Clp_deleteModel(c);
	free(slack_row);
	csc_release(&m);
}

/* Box the columns and see which runs to the box. */
static void diagnose_unbounded(const struct ksp_lp *lp, struct ksp_lp_result *res)
{
	struct csc m;
	Clp_Simplex *c;

	res->fault_family = -1;
	csc_build(lp, 0, 0, &m);
	for (size_t j = 0; j < lp->ncol; j++) {
		if (m.clo[j] < -BOX)
			m.clo[j] = -BOX;
		if (m.chi[j] > BOX)
			m.chi[j] = BOX;
	}
	c = clp_load(&m, 0);
	clp_run(c);
	if (Clp_status(c) == 0) {
		const double *x = Clp_getColSolution(c);
		double best = 0;

		for (size_t j = 0; j < lp->ncol; j++)
			if (fabs(x[j]) > BOX / 2 && fabs(x[j]) > best) {
				best = fabs(x[j]);
				res->fault_family = lp->cfam[j];
			}
	}
	Clp_deleteModel(c);
	csc_release(&m);
}

/* ---- solve ---------------------------------------------------------------- */

int ksp_lp_solve(struct ksp_lp *lp, const struct ksp_lp_options *opt_in,
		 struct ksp_lp_result *res, struct ksp_error *err)
{
	struct ksp_lp_options opt;
	struct csc m;
	const char *lang = ksp_error_lang(err);
	int mip = 0, rc;
	double t0 = now();

	if (opt_in)
		opt = *opt_in;
	else
		ksp_lp_options_init(&opt);
	memset(res, 0, sizeof(*res));
	res->ncols = (int)lp->ncol;
	res->nrows = (int)lp->nrow;
	res->objective = NAN;
	res->bound = NAN;
	res->fault_family = -1;
	if (!isfinite(opt.time_limit) || !isfinite(opt.gap) || opt.gap >= 1)
		return ksp_error_set(err, KSP_EUSAGE, "bad solver options: time limit %g s, gap %g",
				     opt.time_limit, opt.gap);
	rc = validate(lp, err);
	if (rc)
		return rc;
	if (!opt.relax)
		for (size_t j = 0; j < lp->ncol; j++)
			mip |= lp->cint[j];
	csc_build(lp, 0, 0, &m);
	if (mip)
		solve_cbc(lp, &m, &opt, res);
	else
		solve_clp(lp, &m, opt.time_limit, res);
	csc_release(&m);
	if (opt.diagnose && res->status == KSP_LP_INFEASIBLE)
		diagnose_infeasible(lp, res);
	if (opt.diagnose && res->status == KSP_LP_UNBOUNDED)
		diagnose_unbounded(lp, res);
	res->seconds = now() - t0;

	switch (res->status) {
	case KSP_LP_OPTIMAL:
	case KSP_LP_FEASIBLE:
		return KSP_OK;
	case KSP_LP_INFEASIBLE:
		if (res->fault_family >= 0) {
			char amount[64];

			ksp_fmt_number(lang, res->fault_amount,
				       fabs(res->fault_amount - round(res->fault_amount)) < 1e-6 ? 0 : 2,
				       amount, sizeof(amount));
			return ksp_error_set(err, KSP_EINFEASIBLE,
					     "the model has no solution: %s cannot all be met (short by %s in all, in %d constraints)",
					     fam_name(lp, res->fault_family, lang), amount, res->fault_rows);
		}
		if (mip)
			return ksp_error_set(err, KSP_EINFEASIBLE, "the model has no solution in whole numbers");
		return ksp_error_set(err, KSP_EINFEASIBLE, "the model has no solution");
	case KSP_LP_UNBOUNDED:
		if (res->fault_family >= 0)
			return ksp_error_set(err, KSP_EINFEASIBLE,
					     "the model is unbounded: %s can grow without limit while the cost falls",
					     fam_name(lp, res->fault_family, lang));
		return ksp_error_set(err, KSP_EINFEASIBLE, "the model is unbounded: the cost falls without limit");
	case KSP_LP_LIMIT:
		return ksp_error_set(err, KSP_EINFEASIBLE,
				     "the solver reached its time limit of %.1f s before it found a solution",
				     opt.time_limit);
	default:
		return ksp_error_set(err, KSP_EINTERNAL, "the solver gave up on the model (numerical difficulties)");
	}
}

/* ---- certifying an LP optimum ------------------------------------------------- */

static double lp_absmax(const double *v, size_t n)
{
	double m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]) && fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

int ksp_lp_certify(const struct ksp_lp *lp, const struct ksp_lp_result *res, double tol,
		   struct ksp_error *err)
{
	const char *lang = ksp_error_lang(err);
	double *act, *d, pobj = 0, gap = 0, cmax, dtol;
	int rc = KSP_OK;

	if (!res->x || !res->row_dual || res->ncols != (int)lp->ncol || res->nrows != (int)lp->nrow)
		return ksp_error_set(err, KSP_EUSAGE,
				     "only an LP solution with its duals can be certified");
	if (tol <= 0)
		tol = 1e-6;
	cmax = lp_absmax(lp->cost, lp->ncol);
	dtol = 1e-9 * (1 + cmax);
	act = ksp_xcalloc(lp->nrow + 1, sizeof(double));
	d = ksp_xcalloc(lp->ncol + 1, sizeof(double));
	for (size_t k = 0; k < lp->nt; k++)
		act[lp->t[k].row] += lp->t[k].v * res->x[lp->t[k].col];
	for (size_t j = 0; j < lp->ncol; j++)
		d[j] = lp->cost[j];
	for (size_t k = 0; k < lp->nt; k++)
		d[lp->t[k].col] -= lp->t[k].v * res->row_dual[lp->t[k].row];
	/* primal feasibility, then the sign of each dual against the bound it
	   prices, then the complementary slackness gap: sum of |dual| x the
	   distance to that bound, which is the primal-dual objective gap */
	for (size_t i = 0; i < lp->nrow && !rc; i++) {
		double lo = lp->rlo[i], hi = lp->rhi[i], y = res->row_dual[i], a = act[i];

		if (a < lo - tol * (1 + fabs(lo)) || a > hi + tol * (1 + fabs(hi)))
			rc = ksp_error_set(err, KSP_EINTERNAL,
					   "the solver's answer breaks a constraint of %s by %g",
					   fam_name(lp, lp->rfam[i], lang), a < lo ? lo - a : a - hi);
		else if ((y > dtol && !isfinite(lo)) || (y < -dtol && !isfinite(hi)))
			rc = ksp_error_set(err, KSP_EINTERNAL,
					   "the solver's duals have the wrong sign for a constraint of %s",
					   fam_name(lp, lp->rfam[i], lang));
		else if (y > dtol)
			gap += y * (a - lo);
		else if (y < -dtol)
			gap += -y * (hi - a);
	}
	for (size_t j = 0; j < lp->ncol && !rc; j++) {
		double lo = lp->clo[j], hi = lp->chi[j], x = res->x[j];

		pobj += lp->cost[j] * x;
		if (x < lo - tol * (1 + fabs(lo)) || x > hi + tol * (1 + fabs(hi)))
			rc = ksp_error_set(err, KSP_EINTERNAL,
					   "the solver's answer breaks a constraint of %s by %g",
					   fam_name(lp, lp->cfam[j], lang), x < lo ? lo - x : x - hi);
		else if ((d[j] > dtol && !isfinite(lo)) || (d[j] < -dtol && !isfinite(hi)))
			rc = ksp_error_set(err, KSP_EINTERNAL,
					   "the solver's duals have the wrong sign for a constraint of %s",
					   fam_name(lp, lp->cfam[j], lang));
		else if (d[j] > dtol)
			gap += d[j] * (x - lo);
		else if (d[j] < -dtol)
			gap += -d[j] * (hi - x);
	}
	if (!rc && (gap > tol * (1 + fabs(pobj)) ||
		    fabs(pobj - res->objective) > tol * (1 + fabs(pobj))))
		rc = ksp_error_set(err, KSP_EINTERNAL,
				   "the solver's answer is not proved optimal: the duality gap is %g against an objective of %g",
				   gap, pobj);
	free(act);
	free(d);
	return rc;
}

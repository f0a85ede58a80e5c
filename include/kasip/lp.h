/*
 * kasip/lp.h - linear and mixed-integer programs: build a sparse model,
 * solve it, read the answer.
 *
 * The planners (kasip/plan.h) build their models here.  The backend is
 * COIN-OR: CLP for linear programs (dual simplex with presolve and
 * perturbation 50, as the `clp` program runs it) and CBC for models with
 * integer columns, both through their C interfaces and silenced.  Every
 * input is validated before a solver sees it, and a solver that fails or
 * gives up is reported as an error, never by ending the process.
 *
 * A model minimises c'x subject to
 *     row_lo <= A x <= row_hi,   col_lo <= x <= col_hi,   x_j integer where asked.
 * Bounds may be -INFINITY / INFINITY.  Every row and every column belongs to
 * a family: a named group ("the quotas of the receiving regions") that
 * messages about an infeasible or unbounded model name.  A family's name is
 * a catalogue key (kasip/i18n.h): pass a literal marked with KSP_N_(); the
 * message is written in the language of the error record.
 *
 * Duals follow the convention of minimisation: row_dual[i] is the change of
 * the optimal objective per unit increase of row i's binding bound, so a
 * binding upper bound has row_dual <= 0 and a binding lower bound >= 0, and
 * reduced_cost[j] = c[j] - sum_i a[i][j] * row_dual[i].
 *
 * A model is not thread-safe; different models may be solved on different
 * threads (CBC runs one at a time behind a lock, as it keeps global state).
 */
#ifndef KASIP_LP_H
#define KASIP_LP_H

#include <stddef.h>

#include "kasip/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ksp_lp;

enum ksp_lp_status {
	KSP_LP_OPTIMAL = 0,    /* proven optimal (a MIP: within the gap asked for) */
	KSP_LP_FEASIBLE = 1,   /* a MIP stopped on the time limit with a solution; see gap */
	KSP_LP_INFEASIBLE = 2, /* no point satisfies the constraints */
	KSP_LP_UNBOUNDED = 3,  /* the objective falls without limit */
	KSP_LP_LIMIT = 4,      /* stopped on the time limit without a solution */
	KSP_LP_FAILED = 5      /* the solver gave up (numerical trouble) */
};

/* A new empty model (never NULL); free with ksp_lp_free(). */
struct ksp_lp *ksp_lp_new(void);
void ksp_lp_free(struct ksp_lp *lp);

/*
 * Add a family of rows or columns named name (a catalogue key; the string
 * must outlive the model, as literals do).  Returns its id, 0, 1, ...
 */
int ksp_lp_family(struct ksp_lp *lp, const char *name);

/*
 * Add a column (a variable) of family fam with bounds [lo, hi], cost cost,
 * integer if integer is non-zero.  Returns its index, 0, 1, ...  Values are
 * checked by ksp_lp_solve(), not here.
 */
int ksp_lp_col(struct ksp_lp *lp, int fam, double lo, double hi, double cost, int integer);

/* Add a row (a constraint) lo <= a'x <= hi of family fam.  Returns its index. */
int ksp_lp_row(struct ksp_lp *lp, int fam, double lo, double hi);

/* Set coefficient a[row][col] (a triplet).  Triplets of one cell add up. */
void ksp_lp_coef(struct ksp_lp *lp, int row, int col, double value);

/* Sizes. */
int ksp_lp_ncols(const struct ksp_lp *lp);
int ksp_lp_nrows(const struct ksp_lp *lp);
size_t ksp_lp_nnz(const struct ksp_lp *lp);
/* The name (catalogue key) of a family, NULL for a bad id. */
const char *ksp_lp_family_name(const struct ksp_lp *lp, int fam);

struct ksp_lp_options {
	double time_limit; /* seconds; <= 0: none */
	double gap;        /* relative gap at which a MIP stops; <= 0: 1e-4 */
	int relax;         /* non-zero: solve the LP relaxation (integrality ignored) */
	int diagnose;      /* non-zero: on infeasibility, find the family at fault (one more LP) */
};

/* Set the defaults: no time limit, gap 1e-4, integrality kept, diagnose on. */
void ksp_lp_options_init(struct ksp_lp_options *opt);

struct ksp_lp_result {
	int status;            /* enum ksp_lp_status */
	int mip;               /* 1 when CBC solved it with integer columns */
	int ncols, nrows;
	double objective;      /* of x (NAN without a solution) */
	double bound;          /* a MIP's best bound; an LP's objective */
	double gap;            /* MIP: |objective - bound| / max(1, |objective|); LP: 0 */
	double *x;             /* ncols primal values, NULL without a solution */
	double *activity;      /* nrows values of A x */
	double *row_dual;      /* nrows duals; NULL for a MIP (solve its relaxation for them) */
	double *reduced_cost;  /* ncols reduced costs; NULL for a MIP */
	long iterations;       /* simplex iterations (CLP) */
	long nodes;            /* branch-and-bound nodes (CBC) */
	double seconds;        /* wall time of the solve */
	/* Infeasible: the row family whose bounds must give way most (by the
	 * sum of violations of a least-violation solution), -1 if not found;
	 * fault_amount is that sum, fault_rows the number of its rows that
	 * must give way.  Unbounded: the column family along which the
	 * objective falls.  */
	int fault_family;
	double fault_amount;
	int fault_rows;
};

/*
 * Solve lp with opt (NULL: defaults).  res is filled (release it with
 * ksp_lp_result_release() whatever the return).  Returns KSP_OK when a
 * solution is there (KSP_LP_OPTIMAL, or KSP_LP_FEASIBLE with res->gap);
 * KSP_EINFEASIBLE for an infeasible or unbounded model or a time limit
 * reached without a solution, with a message naming the family at fault;
 * KSP_EINVAL for a model that fails validation (the message names the row
 * or column, its family and the value: a NaN or infinite coefficient or
 * cost, lower bound above upper bound, an index out of range);
 * KSP_EINTERNAL when the solver gives up.  The model is not changed.
 */
int ksp_lp_solve(struct ksp_lp *lp, const struct ksp_lp_options *opt,
		 struct ksp_lp_result *res, struct ksp_error *err);

/*
 * Certify an LP solution of lp (res from ksp_lp_solve with duals: an LP or a
 * relaxation) without the solver: every row and column within its bounds
 * (relative tolerance tol; <= 0: 1e-6), reduced costs recomputed as
 * c - A'y, every dual's sign allowed by the bound it prices, and the
 * complementary slackness gap (sum of |dual| x the distance to its bound,
 * equal to the primal-dual objective gap) within tol x (1 + |c'x|).
 * KSP_OK when it holds; KSP_EINTERNAL with the family at fault otherwise;
 * KSP_EUSAGE without duals (a MIP).  The planners certify every LP before
 * they store a plan.
 */
int ksp_lp_certify(const struct ksp_lp *lp, const struct ksp_lp_result *res, double tol,
		   struct ksp_error *err);

/* Free what res holds (safe on a zeroed or released result). */
void ksp_lp_result_release(struct ksp_lp_result *res);

/* "clp 1.17.6, cbc 2.10.8": the backend's versions (static string). */
const char *ksp_lp_backend(void);

#ifdef __cplusplus
}
#endif
#endif

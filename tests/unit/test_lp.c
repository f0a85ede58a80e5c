/*
 * test_lp.c - the solver interface (kasip/lp.h): small models with optima
 * checked by hand, every LP optimum certified independently by
 * complementary slackness and strong duality from the returned duals,
 * infeasible, unbounded and invalid models, and the DIMACS min-cost-flow
 * fixtures (tests/fixtures/mincost-flow) with their agreed optima.
 */
#include "kasip/lp.h"
#include "kasip/error.h"

#include "harness.h"

#include <jansson.h>

/* The test's own copy of a model, to check answers without the library. */
struct model {
	struct ksp_lp *lp;
	int nc, nr, nt;
	double clo[20000], chi[20000], cost[20000];
	double rlo[4000], rhi[4000];
	int ti[40000], tj[40000];
	double tv[40000];
};

static struct model *model_new(void)
{
	struct model *m = calloc(1, sizeof(*m));

	m->lp = ksp_lp_new();
	ksp_lp_family(m->lp, "the columns");
	ksp_lp_family(m->lp, "the rows");
	return m;
}

static void model_free(struct model *m)
{
	ksp_lp_free(m->lp);
	free(m);
}

static int col(struct model *m, double lo, double hi, double c, int integer)
{
	m->clo[m->nc] = lo;
	m->chi[m->nc] = hi;
	m->cost[m->nc] = c;
	CHECK_EQ_INT(ksp_lp_col(m->lp, 0, lo, hi, c, integer), m->nc);
	return m->nc++;
}

static int row(struct model *m, double lo, double hi)
{
	m->rlo[m->nr] = lo;
	m->rhi[m->nr] = hi;
	CHECK_EQ_INT(ksp_lp_row(m->lp, 1, lo, hi), m->nr);
	return m->nr++;
}

static void coef(struct model *m, int i, int j, double v)
{
	m->ti[m->nt] = i;
	m->tj[m->nt] = j;
	m->tv[m->nt] = v;
	m->nt++;
	ksp_lp_coef(m->lp, i, j, v);
}

static int close_to(double a, double b, double tol)
{
	return fabs(a - b) <= tol * (1 + fabs(a) + fabs(b));
}

/*
 * Certify an LP optimum from x and the duals alone: primal feasibility,
 * reduced costs d = c - A'y recomputed, complementary slackness for rows
 * and columns, dual feasibility of the signs, and equal primal and dual
 * objectives.  Returns the number of violations (printed).
 */
static int certify(const struct model *m, const struct ksp_lp_result *r)
{
	double *act = calloc((size_t)m->nr + 1, sizeof(double));
	double *d = calloc((size_t)m->nc + 1, sizeof(double));
	double pobj = 0, dobj = 0, tol = 1e-6;
	int bad = 0;

	if (!r->x || !r->row_dual || !r->reduced_cost) {
		printf("  no solution or no duals\n");
		free(act);
		free(d);
		return 1;
	}
	for (int k = 0; k < m->nt; k++)
		act[m->ti[k]] += m->tv[k] * r->x[m->tj[k]];
	for (int j = 0; j < m->nc; j++)
		d[j] = m->cost[j];
	for (int k = 0; k < m->nt; k++)
		d[m->tj[k]] -= m->tv[k] * r->row_dual[m->ti[k]];
	for (int j = 0; j < m->nc; j++) {
		double x = r->x[j];

		pobj += m->cost[j] * x;
		if (x < m->clo[j] - tol * (1 + fabs(m->clo[j])) || x > m->chi[j] + tol * (1 + fabs(m->chi[j]))) {
			printf("  column %d: %g outside [%g, %g]\n", j, x, m->clo[j], m->chi[j]);
			bad++;
		}
		if (!close_to(d[j], r->reduced_cost[j], 1e-7)) {
			printf("  column %d: reduced cost %g, recomputed %g\n", j, r->reduced_cost[j], d[j]);
			bad++;
		}
		if (d[j] > tol && !close_to(x, m->clo[j], tol)) {
			printf("  column %d: d = %g > 0 but x = %g is not at its lower bound %g\n", j, d[j], x, m->clo[j]);
			bad++;
		}
		if (d[j] < -tol && !close_to(x, m->chi[j], tol)) {
			printf("  column %d: d = %g < 0 but x = %g is not at its upper bound %g\n", j, d[j], x, m->chi[j]);
			bad++;
		}
		if (fabs(d[j]) > tol)
			dobj += d[j] * (d[j] > 0 ? m->clo[j] : m->chi[j]);
	}
	for (int i = 0; i < m->nr; i++) {
		double y = r->row_dual[i];

		if (act[i] < m->rlo[i] - tol * (1 + fabs(m->rlo[i])) || act[i] > m->rhi[i] + tol * (1 + fabs(m->rhi[i]))) {
			printf("  row %d: %g outside [%g, %g]\n", i, act[i], m->rlo[i], m->rhi[i]);
			bad++;
		}
		if (!close_to(act[i], r->activity[i], 1e-7)) {
			printf("  row %d: activity %g, recomputed %g\n", i, r->activity[i], act[i]);
			bad++;
		}
		if (y > tol && !close_to(act[i], m->rlo[i], tol)) {
			printf("  row %d: y = %g > 0 but %g is not at its lower bound %g\n", i, y, act[i], m->rlo[i]);
			bad++;
		}
		if (y < -tol && !close_to(act[i], m->rhi[i], tol)) {
			printf("  row %d: y = %g < 0 but %g is not at its upper bound %g\n", i, y, act[i], m->rhi[i]);
			bad++;
		}
		if (fabs(y) > tol)
			dobj += y * (y > 0 ? m->rlo[i] : m->rhi[i]);
	}
	if (!close_to(pobj, r->objective, 1e-9)) {
		printf("  objective %.12g, c'x %.12g\n", r->objective, pobj);
		bad++;
	}
	if (!close_to(pobj, dobj, 1e-7)) {
		printf("  primal objective %.12g, dual objective %.12g\n", pobj, dobj);
		bad++;
	}
	free(act);
	free(d);
	return bad;
}

/* The library's own certificate (ksp_lp_certify) of the same answer. */
static int lib_certify(const struct model *m, const struct ksp_lp_result *r)
{
	struct ksp_error e;
	int rc;

	memset(&e, 0, sizeof(e));
	rc = ksp_lp_certify(m->lp, r, 0, &e);
	if (rc)
		printf("  ksp_lp_certify: %s\n", e.msg);
	return rc;
}

static int solve(struct model *m, struct ksp_lp_result *r, struct ksp_error *e)
{
	memset(e, 0, sizeof(*e));
	return ksp_lp_solve(m->lp, NULL, r, e);
}

/* Hillier and Lieberman's Wyndor Glass: max 3x + 5y, x <= 4, 2y <= 12,
 * 3x + 2y <= 18; optimum x = 2, y = 6, 36; shadow prices 0, 1.5, 1. */
TEST(wyndor)
{
	struct model *m = model_new();
	struct ksp_lp_result r;
	struct ksp_error e;
	int x = col(m, 0, INFINITY, -3, 0), y = col(m, 0, INFINITY, -5, 0);
	int r1 = row(m, -INFINITY, 4), r2 = row(m, -INFINITY, 12), r3 = row(m, -INFINITY, 18);

	coef(m, r1, x, 1);
	coef(m, r2, y, 2);
	coef(m, r3, x, 3);
	coef(m, r3, y, 2);
	CHECK_EQ_INT(solve(m, &r, &e), KSP_OK);
	CHECK_EQ_INT(r.status, KSP_LP_OPTIMAL);
	CHECK_NEAR(r.objective, -36, 1e-9);
	CHECK_NEAR(r.x[x], 2, 1e-9);
	CHECK_NEAR(r.x[y], 6, 1e-9);
	CHECK_NEAR(r.row_dual[r1], 0, 1e-9);
	CHECK_NEAR(r.row_dual[r2], -1.5, 1e-9);
	CHECK_NEAR(r.row_dual[r3], -1, 1e-9);
	CHECK_EQ_INT(certify(m, &r), 0);
	CHECK_EQ_INT(lib_certify(m, &r), KSP_OK);
	ksp_lp_result_release(&r);
	model_free(m);
}

/* A transportation problem: supplies 20, 30; demands 10, 25, 15 (>=);
 * costs [[8, 6, 10], [9, 12, 13]], supplies 20, 35.  By hand: source 1
 * saves most at sink 2 (6 against 12), so it sends all 20 there; source 2
 * ships the rest: 1 <- 10 (90), 2 <- 5 (60), 3 <- 15 (195); with 120 that
 * is 465.  Source 2 has 5 left over, so its dual is 0 and the sink duals
 * are its costs 9, 12, 13; source 1's is 6 - 12 = -6. */
TEST(transportation)
{
	struct model *m = model_new();
	struct ksp_lp_result r;
	struct ksp_error e;
	double c[2][3] = { { 8, 6, 10 }, { 9, 12, 13 } }, s[2] = { 20, 35 }, dem[3] = { 10, 25, 15 };
	int f[2][3], rs[2], rd[3];

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++)
			f[i][j] = col(m, 0, INFINITY, c[i][j], 0);
	for (int i = 0; i < 2; i++) {
		rs[i] = row(m, -INFINITY, s[i]);
		for (int j = 0; j < 3; j++)
			coef(m, rs[i], f[i][j], 1);
	}
	for (int j = 0; j < 3; j++) {
		rd[j] = row(m, dem[j], INFINITY);
		for (int i = 0; i < 2; i++)
			coef(m, rd[j], f[i][j], 1);
	}
	CHECK_EQ_INT(solve(m, &r, &e), KSP_OK);
	CHECK_NEAR(r.objective, 465, 1e-7);
	CHECK_NEAR(r.x[f[0][1]], 20, 1e-7);
	CHECK_NEAR(r.x[f[1][2]], 15, 1e-7);
	CHECK_NEAR(r.row_dual[rd[0]], 9, 1e-7);
	CHECK_NEAR(r.row_dual[rd[1]], 12, 1e-7);
	CHECK_NEAR(r.row_dual[rd[2]], 13, 1e-7);
	CHECK_NEAR(r.row_dual[rs[0]], -6, 1e-7);
	CHECK_NEAR(r.row_dual[rs[1]], 0, 1e-7);
	CHECK_EQ_INT(certify(m, &r), 0);
	CHECK_EQ_INT(lib_certify(m, &r), KSP_OK);
	ksp_lp_result_release(&r);
	model_free(m);
}

/* Ranged rows, a free column, a column with a negative lower bound, an
 * equality and duplicate triplets that add up:
 * min x - 2y + z, -3 <= x + y <= 5 (given as 0.5x + 0.5x + y), y - z = 1,
 * x free, y <= 4, -2 <= z <= 10.  By hand: y = z + 1 costs -2y + y - 1 =
 * -y - 1, so y = 4 (z = 3); x as low as the range allows: x = -3 - 4 = -7;
 * objective -7 - 8 + 3 = -12. */
TEST(ranged_free)
{
	struct model *m = model_new();
	struct ksp_lp_result r;
	struct ksp_error e;
	int x = col(m, -INFINITY, INFINITY, 1, 0), y = col(m, -INFINITY, 4, -2, 0);
	int z = col(m, -2, 10, 1, 0);
	int r1 = row(m, -3, 5), r2 = row(m, 1, 1);

	coef(m, r1, x, 0.5);
	coef(m, r1, x, 0.5);
	coef(m, r1, y, 1);
	coef(m, r2, y, 1);
	coef(m, r2, z, -1);
	CHECK_EQ_INT(solve(m, &r, &e), KSP_OK);
	CHECK_NEAR(r.objective, -12, 1e-9);
	CHECK_NEAR(r.x[x], -7, 1e-9);
	CHECK_NEAR(r.x[y], 4, 1e-9);
	CHECK_NEAR(r.x[z], 3, 1e-9);
	CHECK_NEAR(r.row_dual[r1], 1, 1e-9);
	CHECK_EQ_INT(certify(m, &r), 0);
	CHECK_EQ_INT(lib_certify(m, &r), KSP_OK);
	ksp_lp_result_release(&r);
	model_free(m);
}

/* A small integer program, checked by enumeration: max x + 1.5y,
 * x + 2y <= 7.5, x + y <= 5.2, 0 <= x, y <= 10 integer.  The relaxation
 * (x = 2.9, y = 2.3, 6.35) certified by its duals; the integers by CBC
 * against every point of the box. */
TEST(small_mip)
{
	struct model *m = model_new();
	struct ksp_lp_result r;
	struct ksp_lp_options o;
	struct ksp_error e;
	int x = col(m, 0, 10, -1, 1), y = col(m, 0, 10, -1.5, 1);
	int r1 = row(m, -INFINITY, 7.5), r2 = row(m, -INFINITY, 5.2);
	double best = 0;

	coef(m, r1, x, 1);
	coef(m, r1, y, 2);
	coef(m, r2, x, 1);
	coef(m, r2, y, 1);
	for (int a = 0; a <= 10; a++)
		for (int b = 0; b <= 10; b++)
			if (a + 2 * b <= 7.5 && a + b <= 5.2 && -a - 1.5 * b < best)
				best = -a - 1.5 * b;
	CHECK_NEAR(best, -6, 1e-12);
	ksp_lp_options_init(&o);
	o.relax = 1;
	memset(&e, 0, sizeof(e));
	CHECK_EQ_INT(ksp_lp_solve(m->lp, &o, &r, &e), KSP_OK);
	CHECK_EQ_INT(r.mip, 0);
	CHECK_NEAR(r.objective, -6.35, 1e-9);
	CHECK_EQ_INT(certify(m, &r), 0);
	CHECK_EQ_INT(lib_certify(m, &r), KSP_OK);
	ksp_lp_result_release(&r);
	CHECK_EQ_INT(solve(m, &r, &e), KSP_OK);
	CHECK_EQ_INT(r.mip, 1);
	CHECK_EQ_INT(r.status, KSP_LP_OPTIMAL);
	CHECK_NEAR(r.objective, best, 1e-9);
	CHECK(r.row_dual == NULL);
	CHECK(r.gap <= 1e-4);
	CHECK_NEAR(r.x[x] + 2 * r.x[y], r.activity[r1], 1e-9);
	CHECK_NEAR(r.x[x], round(r.x[x]), 1e-9);
	ksp_lp_result_release(&r);
	model_free(m);
}

/* ksp_lp_certify refuses a wrong answer: the transportation problem's
 * optimum with a dual changed, a flow moved off the optimum (feasible, but
 * the duals no longer prove it), a bound broken, and a MIP without duals. */
TEST(certify_refuses)
{
	struct model *m = model_new();
	struct ksp_lp_result r;
	struct ksp_lp_options o;
	struct ksp_error e;
	double c[2][3] = { { 8, 6, 10 }, { 9, 12, 13 } }, s[2] = { 20, 35 }, dem[3] = { 10, 25, 15 };
	int f[2][3], rs[2], rd[3], g;

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++)
			f[i][j] = col(m, 0, INFINITY, c[i][j], 0);
	for (int i = 0; i < 2; i++) {
		rs[i] = row(m, -INFINITY, s[i]);
		for (int j = 0; j < 3; j++)
			coef(m, rs[i], f[i][j], 1);
	}
	for (int j = 0; j < 3; j++) {
		rd[j] = row(m, dem[j], INFINITY);
		for (int i = 0; i < 2; i++)
			coef(m, rd[j], f[i][j], 1);
	}
	CHECK_EQ_INT(solve(m, &r, &e), KSP_OK);
	CHECK_EQ_INT(lib_certify(m, &r), KSP_OK);
	/* source 1's dual says its supply is worth 6 a unit; with 0 the flow from
	   it to sink 2 has reduced cost 6 - 12 < 0 and no upper bound */
	r.row_dual[rs[0]] = 0;
	memset(&e, 0, sizeof(e));
	CHECK_EQ_INT(ksp_lp_certify(m->lp, &r, 0, &e), KSP_EINTERNAL);
	CHECK(strstr(e.msg, "wrong sign for a constraint of the columns") != NULL);
	r.row_dual[rs[0]] = -6;
	/* a supply row's dual must be <= 0 (an upper bound) */
	r.row_dual[rs[1]] = 1;
	CHECK_EQ_INT(ksp_lp_certify(m->lp, &r, 0, &e), KSP_EINTERNAL);
	CHECK(strstr(e.msg, "wrong sign") != NULL);
	r.row_dual[rs[1]] = 0;
	CHECK_EQ_INT(lib_certify(m, &r), KSP_OK);
	/* 5 units of sink 1 from source 1 instead of 2: still feasible, cost 465 - 5 + 30 */
	r.x[f[1][0]] -= 5;
	r.x[f[0][0]] += 5;
	r.x[f[0][1]] -= 5;
	r.x[f[1][1]] += 5;
	r.objective += 25;
	CHECK_EQ_INT(ksp_lp_certify(m->lp, &r, 0, &e), KSP_EINTERNAL);
	CHECK(strstr(e.msg, "not proved optimal") != NULL);
	/* a sink short of its demand */
	r.x[f[1][2]] -= 1;
	CHECK_EQ_INT(ksp_lp_certify(m->lp, &r, 0, &e), KSP_EINTERNAL);
	CHECK(strstr(e.msg, "breaks a constraint of the rows by 1") != NULL);
	ksp_lp_result_release(&r);
	/* a MIP has no duals to certify with */
	g = col(m, 0, 3, 1, 1);
	coef(m, rd[0], g, 1);
	ksp_lp_options_init(&o);
	memset(&e, 0, sizeof(e));
	CHECK_EQ_INT(ksp_lp_solve(m->lp, &o, &r, &e), KSP_OK);
	CHECK_EQ_INT(r.mip, 1);
	CHECK_EQ_INT(ksp_lp_certify(m->lp, &r, 0, &e), KSP_EUSAGE);
	ksp_lp_result_release(&r);
	model_free(m);
}

/* x + y >= 10 with x, y <= 3: short by 4, the rows' family named. */
TEST(infeasible)
{
	struct ksp_lp *lp = ksp_lp_new();
	struct ksp_lp_result r;
	struct ksp_error e;
	int fc = ksp_lp_family(lp, "the flows"), fq = ksp_lp_family(lp, "the quotas of the receiving regions");
	int x = ksp_lp_col(lp, fc, 0, 3, 1, 0), y = ksp_lp_col(lp, fc, 0, 3, 1, 0);
	int r1 = ksp_lp_row(lp, fq, 10, INFINITY);

	ksp_lp_coef(lp, r1, x, 1);
	ksp_lp_coef(lp, r1, y, 1);
	memset(&e, 0, sizeof(e));
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINFEASIBLE);
	CHECK_EQ_INT(r.status, KSP_LP_INFEASIBLE);
	CHECK_EQ_INT(r.fault_family, fq);
	CHECK_NEAR(r.fault_amount, 4, 1e-9);
	CHECK(strstr(e.msg, "the quotas of the receiving regions") != NULL);
	CHECK(r.x == NULL);
	printf("  %s\n", e.msg);
	ksp_lp_result_release(&r);
	/* the same with integer columns goes through CBC */
	ksp_lp_free(lp);
	lp = ksp_lp_new();
	fc = ksp_lp_family(lp, "the flows");
	fq = ksp_lp_family(lp, "the quotas of the receiving regions");
	x = ksp_lp_col(lp, fc, 0, 3, 1, 1);
	y = ksp_lp_col(lp, fc, 0, 3, 1, 1);
	r1 = ksp_lp_row(lp, fq, 10, INFINITY);
	ksp_lp_coef(lp, r1, x, 1);
	ksp_lp_coef(lp, r1, y, 1);
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINFEASIBLE);
	CHECK_EQ_INT(r.status, KSP_LP_INFEASIBLE);
	CHECK_EQ_INT(r.fault_family, fq);
	ksp_lp_result_release(&r);
	/* integer-infeasible only: 2x = 1 */
	ksp_lp_free(lp);
	lp = ksp_lp_new();
	fc = ksp_lp_family(lp, "the flows");
	x = ksp_lp_col(lp, fc, 0, 3, 1, 1);
	r1 = ksp_lp_row(lp, fc, 1, 1);
	ksp_lp_coef(lp, r1, x, 2);
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINFEASIBLE);
	CHECK_EQ_INT(r.status, KSP_LP_INFEASIBLE);
	CHECK(strstr(e.msg, "whole numbers") != NULL);
	ksp_lp_result_release(&r);
	ksp_lp_free(lp);
}

TEST(unbounded)
{
	struct ksp_lp *lp = ksp_lp_new();
	struct ksp_lp_result r;
	struct ksp_error e;
	int fr = ksp_lp_family(lp, "the budget"), fc = ksp_lp_family(lp, "the places");
	int x = ksp_lp_col(lp, fc, 0, INFINITY, -1, 0), y = ksp_lp_col(lp, fr, 0, 5, 0, 0);
	int r1 = ksp_lp_row(lp, fr, -INFINITY, 1);

	ksp_lp_coef(lp, r1, x, 1);
	ksp_lp_coef(lp, r1, x, -1); /* adds up to 0: x is free to grow */
	ksp_lp_coef(lp, r1, y, 1);
	memset(&e, 0, sizeof(e));
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINFEASIBLE);
	CHECK_EQ_INT(r.status, KSP_LP_UNBOUNDED);
	CHECK_EQ_INT(r.fault_family, fc);
	CHECK(strstr(e.msg, "the places") != NULL);
	printf("  %s\n", e.msg);
	ksp_lp_result_release(&r);
	ksp_lp_free(lp);
}

TEST(invalid)
{
	struct ksp_lp *lp;
	struct ksp_lp_result r;
	struct ksp_error e;
	int f;

	memset(&e, 0, sizeof(e));
	lp = ksp_lp_new();
	f = ksp_lp_family(lp, "the flows");
	ksp_lp_col(lp, f, 5, 2, 1, 0);
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINVAL);
	CHECK(strstr(e.msg, "lower bound 5 is above upper bound 2") != NULL);
	ksp_lp_result_release(&r);
	ksp_lp_free(lp);

	lp = ksp_lp_new();
	f = ksp_lp_family(lp, "the flows");
	ksp_lp_col(lp, f, 0, 1, NAN, 0);
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINVAL);
	CHECK(strstr(e.msg, "cost") != NULL);
	ksp_lp_free(lp);

	lp = ksp_lp_new();
	f = ksp_lp_family(lp, "the flows");
	ksp_lp_col(lp, f, 0, 1, 1, 0);
	ksp_lp_row(lp, f, 0, 1);
	ksp_lp_coef(lp, 0, 0, INFINITY);
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINVAL);
	CHECK(strstr(e.msg, "not a finite number") != NULL);
	ksp_lp_free(lp);

	lp = ksp_lp_new();
	f = ksp_lp_family(lp, "the flows");
	ksp_lp_col(lp, f, 0, 1, 1, 0);
	ksp_lp_row(lp, f, 0, 1);
	ksp_lp_coef(lp, 0, 7, 1);
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINVAL);
	CHECK(strstr(e.msg, "column 7") != NULL);
	ksp_lp_free(lp);

	lp = ksp_lp_new();
	ksp_lp_col(lp, 3, 0, 1, 1, 0); /* no such family */
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINVAL);
	ksp_lp_free(lp);

	lp = ksp_lp_new();
	f = ksp_lp_family(lp, "the flows");
	ksp_lp_row(lp, f, INFINITY, INFINITY);
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINVAL);
	ksp_lp_free(lp);

	/* an empty model is optimal at 0 */
	lp = ksp_lp_new();
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_OK);
	CHECK_NEAR(r.objective, 0, 1e-12);
	ksp_lp_result_release(&r);
	ksp_lp_free(lp);
	CHECK(strstr(ksp_lp_backend(), "clp") != NULL);
}

TEST(messages_translated)
{
	struct ksp_lp *lp = ksp_lp_new();
	struct ksp_lp_result r;
	struct ksp_error e;
	int f = ksp_lp_family(lp, "the quotas of the receiving regions");
	int x = ksp_lp_col(lp, f, 0, 3, 1, 0);
	int r1 = ksp_lp_row(lp, f, 10, INFINITY);

	ksp_lp_coef(lp, r1, x, 1);
	memset(&e, 0, sizeof(e));
	ksp_error_use_lang(&e, "ru");
	CHECK_EQ_INT(ksp_lp_solve(lp, NULL, &r, &e), KSP_EINFEASIBLE);
	CHECK(strstr(e.msg, "the model has no solution") == NULL);
	printf("  %s\n", e.msg);
	ksp_lp_result_release(&r);
	ksp_lp_free(lp);
}

/* ---- DIMACS min-cost flow ----------------------------------------------- */

static const char *fixture_dir(void)
{
	static char buf[1024];
	const char *src = getenv("KSP_SRC");

	snprintf(buf, sizeof(buf), "%s/tests/fixtures/mincost-flow", src ? src : HARNESS_KSP_SRC);
	return buf;
}

/* Nodes are rows (out - in = supply), arcs columns [low, cap] at cost. */
static struct model *read_dimacs(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	struct model *m;
	int nodes = 0;

	if (!f)
		return NULL;
	m = model_new();
	while (fgets(line, sizeof(line), f)) {
		long a, b, lo, cap, cost;

		if (line[0] == 'p') {
			long n, arcs;

			if (sscanf(line, "p min %ld %ld", &n, &arcs) == 2) {
				nodes = (int)n;
				for (int i = 0; i < nodes; i++)
					row(m, 0, 0);
			}
		} else if (line[0] == 'n' && sscanf(line, "n %ld %ld", &a, &b) == 2) {
			m->rlo[a - 1] = m->rhi[a - 1] = (double)b;
		} else if (line[0] == 'a' && sscanf(line, "a %ld %ld %ld %ld %ld", &a, &b, &lo, &cap, &cost) == 5) {
			int j = col(m, (double)lo, (double)cap, (double)cost, 0);

			coef(m, (int)a - 1, j, 1);
			coef(m, (int)b - 1, j, -1);
		}
	}
	fclose(f);
	/* the rows' bounds: rebuild the library's model from the copy */
	ksp_lp_free(m->lp);
	m->lp = ksp_lp_new();
	ksp_lp_family(m->lp, "the arcs");
	ksp_lp_family(m->lp, "the nodes' balances");
	for (int j = 0; j < m->nc; j++)
		ksp_lp_col(m->lp, 0, m->clo[j], m->chi[j], m->cost[j], 0);
	for (int i = 0; i < m->nr; i++)
		ksp_lp_row(m->lp, 1, m->rlo[i], m->rhi[i]);
	for (int k = 0; k < m->nt; k++)
		ksp_lp_coef(m->lp, m->ti[k], m->tj[k], m->tv[k]);
	(void)nodes;
	return m;
}

TEST(mincost_flow_fixtures)
{
	char path[1200];
	json_error_t je;
	json_t *root, *inst;
	size_t k;
	json_t *it;
	int n = 0;

	snprintf(path, sizeof(path), "%s/expected.json", fixture_dir());
	root = json_load_file(path, 0, &je);
	CHECK(root != NULL);
	if (!root)
		return;
	inst = json_object_get(root, "instances");
	json_array_foreach(inst, k, it) {
		const char *file = json_string_value(json_object_get(it, "file"));
		const char *status = json_string_value(json_object_get(it, "status"));
		struct model *m;
		struct ksp_lp_result r;
		struct ksp_error e;
		int rc;

		snprintf(path, sizeof(path), "%s/%s", fixture_dir(), file);
		m = read_dimacs(path);
		CHECK(m != NULL);
		if (!m)
			continue;
		rc = solve(m, &r, &e);
		if (strcmp(status, "infeasible") == 0) {
			CHECK_EQ_INT(rc, KSP_EINFEASIBLE);
			CHECK_EQ_INT(r.status, KSP_LP_INFEASIBLE);
			CHECK(strstr(e.msg, "the nodes' balances") != NULL);
			printf("  %s: %s\n", file, e.msg);
		} else {
			double want = json_number_value(json_object_get(it, "optimal_cost"));

			CHECK_EQ_INT(rc, KSP_OK);
			CHECK_NEAR(r.objective, want, 1e-9 * fabs(want) + 1e-6);
			CHECK_EQ_INT(certify(m, &r), 0);
	CHECK_EQ_INT(lib_certify(m, &r), KSP_OK);
			printf("  %s: %.0f (%d arcs, %d nodes, %.3f s)\n", file, r.objective, m->nc, m->nr, r.seconds);
		}
		n++;
		ksp_lp_result_release(&r);
		model_free(m);
	}
	CHECK_EQ_INT(n, 5);
	json_decref(root);
}

int main(void)
{
	RUN(wyndor);
	RUN(transportation);
	RUN(ranged_free);
	RUN(small_mip);
	RUN(certify_refuses);
	RUN(infeasible);
	RUN(unbounded);
	RUN(invalid);
	RUN(messages_translated);
	RUN(mincost_flow_fixtures);
	return harness_done();
}

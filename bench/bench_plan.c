/*
 * bench_plan.c - the planners' models at national scale, through the
 * solver interface (kasip/lp.h), with the rows and columns the planners
 * build (lib/plan/migration.c, lib/plan/orders.c; docs/planning.md).
 *
 * Synthetic instances from a fixed seed, denser than the built-in data
 * (where only 7 regions have a settlers' quota and few regions are in
 * surplus), so that the sizes are the worst the issue names:
 *
 *   migration, minor groups: 20 regions x 130 ISCO-08 minor groups; each
 *     region x group cell is a surplus or a shortage (half each), every
 *     region receives (a quota each), so a group has about 10 x 10 flows;
 *     willing, shortage, quota and budget rows, the budget binding;
 *   migration, unit groups: the same with 436 unit groups;
 *   state order, national: 20 regions, 706 colleges (kz-facts 6) with 6 of
 *     the 10 TVET groups each, integer places within +-25 % of last year or
 *     the college's capacity, 43 sub-major groups, the total, a binding
 *     budget and a 60 % working share; the LP relaxation (CLP, for the
 *     duals) and the MIP to a 1 % gap (CBC), as the planner solves it.
 *
 * Each model is built and solved in a child process of its own, several
 * times; the figures are the median and the range of the solve's wall time
 * (ksp_lp_solve: validation, the solver, reading the answer), the time to
 * build the model, its size, and the child's peak resident memory
 * (getrusage ru_maxrss).  Single-threaded.  Usage:
 *
 *     make release JOBS=2 && build/release/bench/bench_plan [--runs N]
 *
 * It prints the table of docs/performance.md, "Planners".
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kasip/error.h"
#include "kasip/i18n.h"
#include "kasip/lp.h"

#define SEED 20261206u
#define PI 3.14159265358979323846
#define NREG 20
#define MAX_RUNS 31

struct figures {
	int ok;
	int ncols, nrows;
	long nnz;
	int nint;
	double build_ms, med_ms, min_ms, max_ms;
	double cpu_med_ms;   /* the solve's CPU time (this process), median: less noisy under load */
	double relax_med_ms; /* state order: the LP relaxation */
	double objective, gap;
	long nodes;
	int binding; /* migration: quotas binding; orders: whether the budget binds */
	long peak_kb;
	char status[16];
};

/* xorshift64*: a fixed stream from the seed, the same on every machine. */
static uint64_t rng_state;

static double urand(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double cpu_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median_of(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void summarise(double *ms, int n, struct figures *f)
{
	qsort(ms, (size_t)n, sizeof(*ms), cmp_double);
	f->min_ms = ms[0];
	f->max_ms = ms[n - 1];
	f->med_ms = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
}

/* ---- migration ------------------------------------------------------------ */

struct mig {
	int nocc;
	double bal[NREG][436];
	double km[NREG][NREG];
	double quota[NREG];
};

/* Regional centres spread over Kazakhstan's box; great-circle km. */
static void mig_generate(struct mig *m, int nocc)
{
	double lat[NREG], lon[NREG];

	rng_state = SEED ^ (uint64_t)nocc;
	m->nocc = nocc;
	for (int r = 0; r < NREG; r++) {
		lat[r] = (41 + 13 * urand()) * PI / 180;
		lon[r] = (50 + 37 * urand()) * PI / 180;
		/* a region's settlers' quota: 37 to 3,000 persons (kz-facts 5), summed
		   over groups it grows with the number of groups it can take */
		m->quota[r] = round((37 + 2963 * urand()) * nocc / 130.0);
	}
	for (int a = 0; a < NREG; a++)
		for (int b = 0; b < NREG; b++) {
			double d = sin((lat[b] - lat[a]) / 2), e = sin((lon[b] - lon[a]) / 2);

			m->km[a][b] = 2 * 6371 * asin(sqrt(d * d + cos(lat[a]) * cos(lat[b]) * e * e));
		}
	for (int r = 0; r < NREG; r++)
		for (int o = 0; o < nocc; o++) {
			/* a balance of a few hundred persons a cell (130 groups), fewer per
			   unit group: a surplus or a shortage, half each */
			double size = (20 + 400 * urand() * urand()) * 130.0 / nocc;

			m->bal[r][o] = urand() < 0.5 ? size : -size;
		}
}

static struct ksp_lp *mig_build(const struct mig *m, double *support_out)
{
	/* the defaults of plan_migration_defs with MRP 2026 = 4,325 KZT */
	const double family = 4.01, willing = 0.1, mrp = 4325, value = 5e6;
	const double support = family * 70 * mrp + 400 * mrp + 15 * 12 * mrp;
	struct ksp_lp *lp = ksp_lp_new();
	int f_flow = ksp_lp_family(lp, KSP_N_("the flows of movers"));
	int f_willing = ksp_lp_family(lp, KSP_N_("the willing-to-move shares of the surpluses"));
	int f_short = ksp_lp_family(lp, KSP_N_("the shortages of the receiving regions"));
	int f_quota = ksp_lp_family(lp, KSP_N_("the quotas of the receiving regions"));
	int f_budget = ksp_lp_family(lp, KSP_N_("the budget"));
	static int wrow[NREG][436], srow[NREG][436];
	int qrow[NREG], brow, *cols = NULL;
	size_t ncol = 0, acol = 0;
	double qsum = 0;

	for (int r = 0; r < NREG; r++) {
		qrow[r] = ksp_lp_row(lp, f_quota, -INFINITY, m->quota[r]);
		qsum += m->quota[r];
		for (int o = 0; o < m->nocc; o++)
			wrow[r][o] = srow[r][o] = -1;
	}
	for (int o = 0; o < m->nocc; o++)
		for (int a = 0; a < NREG; a++) {
			if (m->bal[a][o] <= 0)
				continue;
			for (int b = 0; b < NREG; b++) {
				int c;

				if (a == b || m->bal[b][o] >= 0)
					continue;
				if (wrow[a][o] < 0)
					wrow[a][o] = ksp_lp_row(lp, f_willing, -INFINITY, willing * m->bal[a][o]);
				if (srow[b][o] < 0)
					srow[b][o] = ksp_lp_row(lp, f_short, -INFINITY, -m->bal[b][o]);
				c = ksp_lp_col(lp, f_flow, 0, INFINITY,
					       m->km[a][b] * 1.3 * 100 + support - value, 0);
				ksp_lp_coef(lp, wrow[a][o], c, 1);
				ksp_lp_coef(lp, srow[b][o], c, 1);
				ksp_lp_coef(lp, qrow[b], c, family);
				if (ncol == acol) {
					acol = acol ? 2 * acol : 4096;
					cols = realloc(cols, acol * sizeof(*cols));
					if (!cols)
						abort();
				}
				cols[ncol++] = c;
			}
		}
	/* a budget for 60 % of the movers the quotas take: it binds */
	brow = ksp_lp_row(lp, f_budget, -INFINITY, 0.6 * qsum / family * support);
	for (size_t i = 0; i < ncol; i++)
		ksp_lp_coef(lp, brow, cols[i], support);
	free(cols);
	*support_out = support;
	return lp;
}

static void bench_migration(int nocc, int runs, struct figures *f)
{
	static struct mig m;
	double ms[MAX_RUNS], cpu[MAX_RUNS], support, t0, c0;
	struct ksp_lp_options lo;
	struct ksp_error err;

	mig_generate(&m, nocc);
	ksp_lp_options_init(&lo);
	lo.time_limit = 60;
	for (int i = 0; i < runs; i++) {
		struct ksp_lp_result res;
		struct ksp_lp *lp;

		t0 = now();
		lp = mig_build(&m, &support);
		if (i == 0)
			f->build_ms = (now() - t0) * 1e3;
		t0 = now();
		c0 = cpu_now();
		if (ksp_lp_solve(lp, &lo, &res, &err)) {
			fprintf(stderr, "bench_plan: migration %d: %s\n", nocc, err.msg);
			ksp_lp_result_release(&res);
			ksp_lp_free(lp);
			return;
		}
		ms[i] = (now() - t0) * 1e3;
		cpu[i] = (cpu_now() - c0) * 1e3;
		if (i == 0) {
			f->ncols = ksp_lp_ncols(lp);
			f->nrows = ksp_lp_nrows(lp);
			f->nnz = (long)ksp_lp_nnz(lp);
			f->objective = res.objective;
			f->binding = 0;
			/* the quota rows are the first NREG */
			for (int r = 0; r < NREG; r++)
				f->binding += res.row_dual[r] < -1e-9;
			snprintf(f->status, sizeof(f->status), "%s",
				 res.status == KSP_LP_OPTIMAL ? "optimal" : "not optimal");
		}
		ksp_lp_result_release(&res);
		ksp_lp_free(lp);
	}
	summarise(ms, runs, f);
	f->cpu_med_ms = median_of(cpu, runs);
	f->ok = 1;
}

/* ---- the state order -------------------------------------------------------- */

#define NCOLLEGE 706
#define NGROUP 10
#define NSUB 43

struct cell {
	int region, group;
	double last, lo, hi, cost;
};

struct ord {
	struct cell *cells;
	int ncells;
	double w[NGROUP][NSUB];
	int working[NGROUP];
	double gap[NREG][NSUB];
};

static void ord_generate(struct ord *o)
{
	rng_state = SEED ^ 0x5eedu;
	o->cells = calloc(NCOLLEGE * NGROUP, sizeof(*o->cells));
	if (!o->cells)
		abort();
	o->ncells = 0;
	for (int g = 0; g < NGROUP; g++) {
		double sum = 0, manual = 0;

		/* each group trains for about 6 sub-major groups */
		for (int m = 0; m < NSUB; m++) {
			o->w[g][m] = urand() < 6.0 / NSUB ? urand() : 0;
			sum += o->w[g][m];
		}
		if (sum <= 0) {
			o->w[g][g] = 1;
			sum = 1;
		}
		for (int m = 0; m < NSUB; m++) {
			o->w[g][m] /= sum;
			if (m >= 20 && m < 35) /* the sub-majors of majors 5-8 */
				manual += o->w[g][m];
		}
		o->working[g] = manual > 0.5 || g < 6;
	}
	for (int c = 0; c < NCOLLEGE; c++) {
		int region = c % NREG;

		for (int g = 0; g < NGROUP; g++) {
			struct cell *u;
			double up;

			if (urand() >= 0.6)
				continue;
			u = &o->cells[o->ncells++];
			u->region = region;
			u->group = g;
			/* 145 k places over ~4,200 cells: about 35 a cell */
			u->last = round(5 + 60 * urand());
			u->lo = floor(u->last * 0.75);
			up = ceil(u->last * 1.25);
			u->hi = urand() < 0.3 ? fmax(u->lo, round(u->last * (1 + 0.2 * urand()))) : up;
			u->cost = 912000 * (0.7 + 0.6 * urand());
		}
	}
	for (int r = 0; r < NREG; r++)
		for (int m = 0; m < NSUB; m++)
			o->gap[r][m] = round(-2000 + 8000 * urand());
}

static struct ksp_lp *ord_build(const struct ord *o, int *nint)
{
	const double k = 0.85 * 0.585, share = 0.6;
	struct ksp_lp *lp = ksp_lp_new();
	int f_x = ksp_lp_family(lp, KSP_N_("the places by specialty"));
	int f_u = ksp_lp_family(lp, KSP_N_("the shortages left"));
	int f_short = ksp_lp_family(lp, KSP_N_("the shortages by region and occupation group"));
	int f_places = ksp_lp_family(lp, KSP_N_("the total number of places"));
	int f_budget = ksp_lp_family(lp, KSP_N_("the budget"));
	int f_working = ksp_lp_family(lp, KSP_N_("the minimum share of working specialties"));
	int *col = malloc((size_t)o->ncells * sizeof(int)), prow, brow, wrow;
	double last_total = 0, budget_last = 0;

	for (int i = 0; i < o->ncells; i++) {
		const struct cell *u = &o->cells[i];

		col[i] = ksp_lp_col(lp, f_x, u->lo, u->hi, 1e-9 * u->cost, 1);
		last_total += u->last;
		budget_last += u->last * u->cost;
	}
	*nint = o->ncells;
	for (int r = 0; r < NREG; r++)
		for (int m = 0; m < NSUB; m++) {
			double base = 0;
			int any = 0, row, v;

			for (int i = 0; i < o->ncells; i++)
				if (o->cells[i].region == r && o->w[o->cells[i].group][m] > 0) {
					any = 1;
					base += k * o->w[o->cells[i].group][m] * o->cells[i].last;
				}
			if (!any)
				continue;
			v = ksp_lp_col(lp, f_u, 0, INFINITY, 1, 0);
			row = ksp_lp_row(lp, f_short, o->gap[r][m] + base, INFINITY);
			ksp_lp_coef(lp, row, v, 1);
			for (int i = 0; i < o->ncells; i++)
				if (o->cells[i].region == r && o->w[o->cells[i].group][m] > 0)
					ksp_lp_coef(lp, row, col[i], k * o->w[o->cells[i].group][m]);
		}
	prow = ksp_lp_row(lp, f_places, -INFINITY, last_total);
	/* 3 % less money than last year's plan costs: the budget binds */
	brow = ksp_lp_row(lp, f_budget, -INFINITY, 0.97 * budget_last);
	wrow = ksp_lp_row(lp, f_working, 0, INFINITY);
	for (int i = 0; i < o->ncells; i++) {
		ksp_lp_coef(lp, prow, col[i], 1);
		ksp_lp_coef(lp, brow, col[i], o->cells[i].cost);
		ksp_lp_coef(lp, wrow, col[i], (o->working[o->cells[i].group] ? 1.0 : 0.0) - share);
	}
	free(col);
	return lp;
}

static void bench_orders(int runs, struct figures *f)
{
	struct ord o;
	double ms[MAX_RUNS], rms[MAX_RUNS], cpu[MAX_RUNS], t0, c0;
	struct ksp_lp_options lo;
	struct ksp_error err;

	ord_generate(&o);
	ksp_lp_options_init(&lo);
	lo.time_limit = 60;
	lo.gap = 0.01;
	for (int i = 0; i < runs; i++) {
		struct ksp_lp_result rel, mip;
		struct ksp_lp *lp;

		memset(&rel, 0, sizeof(rel));
		memset(&mip, 0, sizeof(mip));
		t0 = now();
		lp = ord_build(&o, &f->nint);
		if (i == 0)
			f->build_ms = (now() - t0) * 1e3;
		lo.relax = 1;
		t0 = now();
		if (ksp_lp_solve(lp, &lo, &rel, &err)) {
			fprintf(stderr, "bench_plan: state order (relaxation): %s\n", err.msg);
			goto fail;
		}
		rms[i] = (now() - t0) * 1e3;
		lo.relax = 0;
		t0 = now();
		c0 = cpu_now();
		if (ksp_lp_solve(lp, &lo, &mip, &err)) {
			fprintf(stderr, "bench_plan: state order: %s\n", err.msg);
			goto fail;
		}
		ms[i] = (now() - t0) * 1e3;
		cpu[i] = (cpu_now() - c0) * 1e3;
		if (i == 0) {
			int nr = ksp_lp_nrows(lp);

			f->ncols = ksp_lp_ncols(lp);
			f->nrows = nr;
			f->nnz = (long)ksp_lp_nnz(lp);
			f->objective = mip.objective;
			f->gap = mip.gap;
			f->nodes = mip.nodes;
			/* the budget row is the last but one */
			f->binding = rel.row_dual[nr - 2] < -1e-12;
			snprintf(f->status, sizeof(f->status), "%s",
				 mip.status == KSP_LP_OPTIMAL ? "optimal" : "feasible");
		}
		ksp_lp_result_release(&rel);
		ksp_lp_result_release(&mip);
		ksp_lp_free(lp);
		continue;
fail:
		ksp_lp_result_release(&rel);
		ksp_lp_result_release(&mip);
		ksp_lp_free(lp);
		free(o.cells);
		return;
	}
	free(o.cells);
	summarise(ms, runs, f);
	f->cpu_med_ms = median_of(cpu, runs);
	{
		struct figures g = *f;

		summarise(rms, runs, &g);
		f->relax_med_ms = g.med_ms;
	}
	f->ok = 1;
}

/* ---- each model in a child of its own --------------------------------------- */

static int in_child(int which, int runs, struct figures *f)
{
	int fd[2], status;
	pid_t pid;

	memset(f, 0, sizeof(*f));
	if (pipe(fd))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rusage ru;
		ssize_t w;

		close(fd[0]);
		if (which == 0)
			bench_migration(130, runs, f);
		else if (which == 1)
			bench_migration(436, runs, f);
		else
			bench_orders(runs, f);
		getrusage(RUSAGE_SELF, &ru);
		f->peak_kb = ru.ru_maxrss;
		w = write(fd[1], f, sizeof(*f));
		_exit(w == (ssize_t)sizeof(*f) ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], f, sizeof(*f)) != (ssize_t)sizeof(*f))
		f->ok = 0;
	close(fd[0]);
	waitpid(pid, &status, 0);
	return f->ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "migration, 130 minor groups",
					     "migration, 436 unit groups",
					     "state order, 706 colleges (MIP, 1 % gap)" };
	static const double aims[] = { 100, 1000, 5000 };
	int runs[] = { 9, 7, 5 }, bad = 0;
	struct figures f[3];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			long n = strtol(argv[++i], NULL, 10);

			if (n < 1 || n > MAX_RUNS) {
				fprintf(stderr, "bench_plan: --runs takes 1 to %d\n", MAX_RUNS);
				return 2;
			}
			runs[0] = runs[1] = runs[2] = (int)n;
		} else {
			fprintf(stderr, "usage: bench_plan [--runs N]\n");
			return 2;
		}
	}
	printf("solver: %s; seed %u\n", ksp_lp_backend(), SEED);
	for (int i = 0; i < 3; i++) {
		if (in_child(i, runs[i], &f[i])) {
			fprintf(stderr, "bench_plan: %s failed\n", names[i]);
			bad = 1;
			continue;
		}
		printf("%s: %d columns (%d integer), %d rows, %ld nonzeros; built in %.1f ms; "
		       "solved (%s) in %.1f ms median of %d (%.1f-%.1f), CPU %.1f ms",
		       names[i], f[i].ncols, f[i].nint, f[i].nrows, f[i].nnz, f[i].build_ms,
		       f[i].status, f[i].med_ms, runs[i], f[i].min_ms, f[i].max_ms, f[i].cpu_med_ms);
		if (i == 2)
			printf(", LP relaxation %.1f ms, gap %.3f %%, %ld nodes, budget %s",
			       f[i].relax_med_ms, 100 * f[i].gap, f[i].nodes,
			       f[i].binding ? "binding" : "not binding");
		else
			printf(", %d of %d quotas binding", f[i].binding, NREG);
		printf("; peak RSS %.1f MB\n", f[i].peak_kb / 1024.0);
	}
	if (bad)
		return 1;
	printf("\n| model | columns | rows | nonzeros | build | solve, median (range) | CPU | aim | peak RSS |\n");
	printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (int i = 0; i < 3; i++)
		printf("| %s | %d (%d integer) | %d | %ld | %.0f ms | %.0f ms (%.0f–%.0f)%s | %.0f ms | < %.0f ms %s | %.0f MB |\n",
		       names[i], f[i].ncols, f[i].nint, f[i].nrows, f[i].nnz, f[i].build_ms,
		       f[i].med_ms, f[i].min_ms, f[i].max_ms,
		       i == 2 ? " + LP relaxation" : "", f[i].cpu_med_ms, aims[i],
		       f[i].med_ms < aims[i] ? "met" : "NOT met", f[i].peak_kb / 1024.0);
	return 0;
}

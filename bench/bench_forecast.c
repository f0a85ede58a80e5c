/*
 * bench_forecast.c - the forecast engine on the full national problem.
 *
 *   bench_forecast [DRAWS] [SEED] [DB]
 *
 * (KSP_BENCH_THREADS=N: the threads of the Monte Carlo's second run; default
 * the processors online.)
 *
 * A synthetic world of Kazakhstan's size (20 regions, 101 ages, base year
 * 2025 to 2035, 19 OKED sections, 436 ISCO-08 unit groups in 10 major
 * groups, 12 participation age groups, 22 specialties), so the figures do
 * not depend on what data are loaded; or, given a database made by
 * 'kasip init', the real baseline model (read from the database alone).  Prints the time of one deterministic
 * run (prepare + evaluate at unit level), of DRAWS Monte Carlo draws with
 * bands at levels 1, 2 and 4, each run twice: on one thread (CPU time) and
 * on every processor (wall time; the bands compared bit for bit with the
 * first), and the peak memory.
 * Results go to docs/performance.md ("Forecast").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "forecast/load.h"
#include "kasip/forecast.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Whether two runs' bands are the same bit for bit. */
static int same_bands(const struct ksp_fc_bands *a, const struct ksp_fc_bands *b)
{
	const size_t nc = (size_t)3 * KSP_FC_NBAND * a->nyear * (a->nreg + 1) * a->nl;
	const size_t nt = (size_t)3 * KSP_FC_NTOT * a->nyear * (a->nreg + 1);

	return a->nl == b->nl && !memcmp(a->cell, b->cell, nc * sizeof(float)) &&
	       !memcmp(a->total, b->total, nt * sizeof(float)) &&
	       !memcmp(a->shortfall, b->shortfall, (size_t)3 * a->nyear * sizeof(double));
}

/*
 * The Monte Carlo on one thread (CPU time into *cpu, bands into bd) and on
 * threads (wall time into *wt, compared with bd).  Returns -1 on error, else
 * whether the bands differ.
 */
static int mc_twice(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
		    const struct ksp_fc_uncertain *unc, int nu, int ndraws, uint64_t seed,
		    const unsigned char *by, int threads, struct ksp_fc_bands *bd, double *cpu,
		    double *wt, int *used)
{
	struct ksp_fc_bands b2;
	struct ksp_error err;
	double t0 = now();
	int differ;

	if (ksp_fc_montecarlo_sink(b, lv, NULL, unc, nu, ndraws, seed, by, (size_t)1 << 30, 1, NULL,
				   bd, &err) != KSP_OK) {
		fprintf(stderr, "bench_forecast: %s\n", err.msg);
		return -1;
	}
	*cpu = now() - t0;
	t0 = wall();
	if (ksp_fc_montecarlo_sink(b, lv, NULL, unc, nu, ndraws, seed, by, (size_t)1 << 30, threads,
				   NULL, &b2, &err) != KSP_OK) {
		fprintf(stderr, "bench_forecast: %s\n", err.msg);
		ksp_fc_bands_release(bd);
		return -1;
	}
	*wt = wall() - t0;
	*used = b2.threads;
	differ = !same_bands(bd, &b2);
	ksp_fc_bands_release(&b2);
	return differ;
}

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static const struct ksp_fc_uncertain uncertain[] = {
	{ KSP_FC_T_GROWTH, 0, KSP_FC_NORMAL, 0, 0.01 },   { KSP_FC_T_GROWTH, 1, KSP_FC_NORMAL, 0, 0.02 },
	{ KSP_FC_T_GROWTH, 2, KSP_FC_NORMAL, 0, 0.01 },   { KSP_FC_T_GROWTH, 3, KSP_FC_NORMAL, 0, 0.01 },
	{ KSP_FC_T_GROWTH, 4, KSP_FC_NORMAL, 0, 0.01 },   { KSP_FC_T_GROWTH, 5, KSP_FC_NORMAL, 0, 0.015 },
	{ KSP_FC_T_GROWTH, 6, KSP_FC_NORMAL, 0, 0.01 },   { KSP_FC_T_GROWTH, 7, KSP_FC_NORMAL, 0, 0.01 },
	{ KSP_FC_T_GROWTH, 8, KSP_FC_NORMAL, 0, 0.01 },   { KSP_FC_T_GROWTH, 9, KSP_FC_NORMAL, 0, 0.015 },
	{ KSP_FC_T_GROWTH, 10, KSP_FC_NORMAL, 0, 0.01 },  { KSP_FC_T_GROWTH, 11, KSP_FC_NORMAL, 0, 0.01 },
	{ KSP_FC_T_GROWTH, 12, KSP_FC_NORMAL, 0, 0.01 },  { KSP_FC_T_GROWTH, 13, KSP_FC_NORMAL, 0, 0.01 },
	{ KSP_FC_T_GROWTH, 14, KSP_FC_NORMAL, 0, 0.005 }, { KSP_FC_T_GROWTH, 15, KSP_FC_NORMAL, 0, 0.005 },
	{ KSP_FC_T_GROWTH, 16, KSP_FC_NORMAL, 0, 0.005 }, { KSP_FC_T_GROWTH, 17, KSP_FC_NORMAL, 0, 0.01 },
	{ KSP_FC_T_GROWTH, 18, KSP_FC_NORMAL, 0, 0.01 },  { KSP_FC_T_EXIT, 0, KSP_FC_LOGNORMAL, 0, 0.1 },
	{ KSP_FC_T_TRANSFER, 0, KSP_FC_LOGNORMAL, 0, 0.25 },
	{ KSP_FC_T_ENTRY, KSP_FC_TVET, KSP_FC_NORMAL, 1, 0.1 },
	{ KSP_FC_T_ENTRY, KSP_FC_HIGHER, KSP_FC_NORMAL, 1, 0.1 },
	{ KSP_FC_T_MIG_EXT, 0, KSP_FC_NORMAL, 1, 0.5 },   { KSP_FC_T_MIG_INT, 0, KSP_FC_NORMAL, 1, 0.25 },
};

int main(int argc, char **argv)
{
	const struct ksp_fc_dims d = { .nreg = 20, .nage = 101, .nyear = 11, .base_year = 2025,
				       .nind = 19, .nocc = 436, .nmajor = 10, .ngroup = 12,
				       .nspec = 22 };
	int nu = (int)(sizeof(uncertain) / sizeof(uncertain[0]));
	const struct ksp_fc_uncertain *unc = uncertain;
	int ndraws = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 1000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	struct ksp_fc_input in;
	struct ksp_fc_base b;
	struct ksp_fc_level unit, sub, major;
	struct ksp_fc_result res;
	struct ksp_fc_draw dr;
	struct ksp_error err;
	int map2[436], maj2[436], map1[436], maj1[10], n2 = 0, reps = 200;
	double t0, t_prep, t_eval, best_prep = 1e9, best_eval = 1e9;

	struct ksp_fc_model model;
	int real = argc > 3;

	if (real) {
		struct ksp_store *s = NULL;

		if (ksp_store_open(&s, argv[3], 0, &err) || ksp_store_migrate(s, &err) ||
		    ksp_fc_model_load(&model, s, "baseline", 2035, &err)) {
			fprintf(stderr, "bench_forecast: %s\n", err.msg);
			return 1;
		}
		ksp_store_close(s);
		in = model.in; /* the model keeps ownership */
		printf("real data: %s (baseline scenario, %d uncertain parameters)\n", argv[3],
		       model.nunc);
		unc = model.unc;
		nu = model.nunc;
	} else {
		ksp_fc_input_init(&in, &d);
		ksp_fc_synth_world(&in, 2025);
	}
	if (ksp_fc_input_check(&in, &err) != KSP_OK) {
		fprintf(stderr, "bench_forecast: %s\n", err.msg);
		return 1;
	}
	/* level 1 = major groups; level 2 = about 43 sub-major groups (4 or 5 per major) */
	for (int o = 0; o < 436; o++) {
		int m = in.occ_major[o];

		map1[o] = m;
		maj1[m] = m;
		int brk = real ? o == 0 || strncmp(model.lb.occ[o - 1], model.lb.occ[o], 2)
			       : o == 0 || in.occ_major[o - 1] != m || (o % 10) == 0;

		if (brk) {
			maj2[n2] = m;
			n2++;
		}
		map2[o] = n2 - 1;
	}
	{
		int id[436];

		for (int o = 0; o < 436; o++)
			id[o] = o;
		if (ksp_fc_level_init(&unit, &in, id, 436, in.occ_major, &err) ||
		    ksp_fc_level_init(&sub, &in, map2, n2, maj2, &err) ||
		    ksp_fc_level_init(&major, &in, map1, 10, maj1, &err)) {
			fprintf(stderr, "bench_forecast: %s\n", err.msg);
			return 1;
		}
	}

	/* one deterministic run: best of reps */
	ksp_fc_result_init(&res, d.nyear, d.nreg, 436);
	ksp_fc_draw_central(&dr);
	for (int i = 0; i < reps; i++) {
		t0 = now();
		ksp_fc_base_init(&b, &in);
		ksp_fc_prepare(&b);
		t_prep = now() - t0;
		t0 = now();
		ksp_fc_evaluate(&b, &unit, &dr, &res);
		t_eval = now() - t0;
		if (t_prep < best_prep)
			best_prep = t_prep;
		if (t_eval < best_eval)
			best_eval = t_eval;
		if (i < reps - 1)
			ksp_fc_base_release(&b);
	}
	printf("problem: %d regions x %d ages x %d years, %d sections, %d unit groups, %d specialties\n",
	       d.nreg, d.nage, d.nyear, d.nind, d.nocc, d.nspec);
	printf("deterministic run (best of %d): prepare %.2f ms + evaluate at level 4 %.2f ms = %.2f ms\n",
	       reps, best_prep * 1e3, best_eval * 1e3, (best_prep + best_eval) * 1e3);
	printf("national shortfall in the last year, central run: %.4f\n",
	       ksp_fc_shortfall(&res, d.nyear - 1, -1, NULL));

	{
		double t_draws = 0;
		int n = 200;
		struct ksp_fc_result lean;

		ksp_fc_result_init_lean(&lean, d.nyear, d.nreg, 436);
		t0 = now();
		for (int i = 0; i < n; i++) {
			ksp_fc_draw_sample(&dr, unc, nu, seed, i);
			ksp_fc_evaluate(&b, &unit, &dr, &lean);
		}
		t_draws = now() - t0;
		printf("one draw at level 4 without bands (lean evaluation): %.3f ms\n",
		       t_draws / n * 1e3);
		ksp_fc_result_release(&lean);
	}

	{
		struct ksp_fc_level *lv[3] = { &major, &sub, &unit };
		const char *env = getenv("KSP_BENCH_THREADS");
		int threads = env ? (int)strtol(env, NULL, 10) : 0, used = 1, differ = 0;
		unsigned char by[11] = { 0 };

		for (int k = 0; k < 4; k++) {
			struct ksp_fc_bands bd;
			double cpu, wt;
			char label[64];

			if (k == 0)
				snprintf(label, sizeof(label), "level 1 (10 groups)");
			else if (k == 1)
				snprintf(label, sizeof(label), "level 2 (%d groups)", n2);
			else if (k == 2)
				snprintf(label, sizeof(label), "level 4 (436 groups)");
			else
				snprintf(label, sizeof(label), "level 4, target year's bands only");
			by[10] = 1;
			differ = mc_twice(&b, lv[k < 3 ? k : 2], unc, nu, ndraws, seed, k < 3 ? NULL : by,
					  threads, &bd, &cpu, &wt, &used);
			if (differ < 0)
				return 1;
			printf("%d draws with P10/P50/P90 bands, %s: %.3f s CPU on 1 thread, %.3f s wall "
			       "on %d (%s) (%d pass%s, %d twin classes), shortfall P10/P50/P90 %.4f "
			       "%.4f %.4f\n",
			       ndraws, label, cpu, wt, used, differ ? "BANDS DIFFER" : "same bits",
			       bd.passes, bd.passes == 1 ? "" : "es", bd.twin_classes,
			       bd.shortfall[0 * d.nyear + d.nyear - 1],
			       bd.shortfall[1 * d.nyear + d.nyear - 1],
			       bd.shortfall[2 * d.nyear + d.nyear - 1]);
			ksp_fc_bands_release(&bd);
			if (differ)
				return 1;
		}
	}
	printf("peak memory (max RSS): %.1f MB\n", peak_kb() / 1024.0);

	ksp_fc_result_release(&res);
	ksp_fc_level_release(&unit);
	ksp_fc_level_release(&sub);
	ksp_fc_level_release(&major);
	ksp_fc_base_release(&b);
	if (real)
		ksp_fc_model_release(&model);
	else
		ksp_fc_input_release(&in);
	return 0;
}

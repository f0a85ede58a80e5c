/*
 * bench_atlas.c - the atlas from a stored 1,000-draw run at level 4.
 *
 *   bench_atlas DATA_DIR [DRAWS] [OUTDIR]
 *
 * Makes a database from the data set in a temporary file, stores one
 * baseline run at ISCO-08 level 4 with DRAWS draws (default 1000, seed 1),
 * then times, as wall-clock medians of repeated builds: one region's atlas
 * (Almaty, KZ-75), the country's, an occupation's card (7212, welders) and
 * the regions side by side; and, once, the whole --all set (the country and
 * 20 regions) written as HTML pages and index.html into OUTDIR (default a
 * temporary directory), when the HTML writer is there.  Also prints the
 * size of what the class probabilities add to the run (forecast_outlook).
 * Results go to docs/performance.md ("Atlas").  Not a test: timings are
 * noisy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kasip/kasip.h"
#include "store/store.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the process: on a machine shared with other jobs the wall clock
   counts their time too */
static double cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The medians of n builds of opt, CPU and wall, in milliseconds (-1 on an error). */
static double time_build(struct ksp_store *s, const struct ksp_atlas_options *opt, int n,
			 size_t *nocc, double *wall)
{
	double t[64], w[64];
	struct ksp_error err;

	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++) {
		struct ksp_atlas *a = NULL;
		double t0 = cpu(), w0 = now();

		if (ksp_atlas_build(s, opt, &a, &err)) {
			fprintf(stderr, "bench_atlas: %s\n", err.msg);
			return -1;
		}
		t[i] = (cpu() - t0) * 1e3;
		w[i] = (now() - w0) * 1e3;
		*nocc = a->nocc;
		ksp_atlas_free(a);
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	qsort(w, (size_t)n, sizeof(w[0]), cmp_double);
	*wall = w[n / 2];
	return t[n / 2];
}

int main(int argc, char **argv)
{
	const char *data = argc > 1 ? argv[1] : "data/kz";
	int draws = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 1000;
	char dbpath[256], outdir[256];
	struct ksp_store *s = NULL;
	struct ksp_error err;
	struct ksp_forecast_options fo = { 0 };
	struct ksp_forecast_run run;
	struct ksp_atlas_options opt = { 0 };
	size_t nocc = 0;
	long long rows = 0, bytes = 0;
	double t0, c0, ms, wall;
	int rc;

	snprintf(dbpath, sizeof(dbpath), "/tmp/bench_atlas_%ld.db", (long)getpid());
	if (argc > 3)
		snprintf(outdir, sizeof(outdir), "%s", argv[3]);
	else
		snprintf(outdir, sizeof(outdir), "/tmp/bench_atlas_%ld", (long)getpid());
	remove(dbpath);
	rc = ksp_store_open(&s, dbpath, KSP_STORE_CREATE, &err);
	if (!rc)
		rc = ksp_store_migrate(s, &err);
	if (!rc)
		rc = ksp_store_begin(s, &err);
	if (!rc)
		rc = ksp_dataset_load(s, data, &err);
	if (!rc)
		rc = ksp_dataset_derive(s, &err);
	if (!rc)
		rc = ksp_store_commit(s, &err);
	if (rc) {
		fprintf(stderr, "bench_atlas: %s\n", err.msg);
		return 1;
	}
	fo.level = 4;
	fo.draws = draws;
	fo.seed = 1;
	fo.band_years = KSP_BANDS_TARGET;
	fo.data_dir = data;
	t0 = now();
	c0 = cpu();
	if ((rc = ksp_forecast_run(s, &fo, &run, &err))) {
		fprintf(stderr, "bench_atlas: %s\n", err.msg);
		return 1;
	}
	printf("forecast: level 4, %d draws, bands for the target year: %.2f s CPU (%.2f s wall; "
	       "with the class probabilities)\n",
	       draws, cpu() - c0, now() - t0);
	ksp_store_query_int(s, "SELECT count(*) FROM forecast_outlook", &rows, &err,
			    (const char *)NULL);
	if (ksp_store_query_int(s, "SELECT sum(pgsize) FROM dbstat WHERE name = 'forecast_outlook'",
				&bytes, NULL, (const char *)NULL) < 0)
		bytes = -1;
	printf("forecast_outlook: %lld rows, %lld bytes on disk\n", rows, bytes);

	opt.data_dir = data;
	opt.region = "KZ-75";
	printf("medians of 21 builds, CPU time (wall clock):\n");
	ms = time_build(s, &opt, 21, &nocc, &wall);
	printf("  atlas of one region (KZ-75), level 4, %zu groups: %.1f ms (%.1f ms)\n", nocc, ms,
	       wall);
	opt.region = NULL;
	ms = time_build(s, &opt, 21, &nocc, &wall);
	printf("  atlas of the country, level 4: %.1f ms (%.1f ms)\n", ms, wall);
	opt.level = 2;
	opt.region = "KZ-75";
	ms = time_build(s, &opt, 21, &nocc, &wall);
	printf("  atlas of one region, level 2 (summed from level 4): %.1f ms (%.1f ms)\n", ms, wall);
	opt.level = 0;
	opt.occupation = "7212";
	ms = time_build(s, &opt, 21, &nocc, &wall);
	printf("  card of 7212 in KZ-75 (with every region): %.1f ms (%.1f ms)\n", ms, wall);
	opt.region = NULL;
	ms = time_build(s, &opt, 21, &nocc, &wall);
	printf("  regions side by side for 7212: %.1f ms (%.1f ms)\n", ms, wall);
	opt.occupation = NULL;

	/* --all to HTML: the pages and the index */
	{
		struct ksp_region *regs = NULL;
		struct ksp_atlas *pages[64];
		char *hrefs[64];
		size_t nregs = 0, np = 0;
		int html = 1;

		mkdir(outdir, 0777);
		t0 = now();
		c0 = cpu();
		if ((rc = ksp_region_list(s, KSP_REGION_WITH_COUNTRY, &regs, &nregs, &err)))
			return 1;
		for (size_t i = 0; i < nregs && i < 64 && html; i++) {
			char path[512];
			FILE *f;

			opt.region = regs[i].kato;
			if (ksp_atlas_build(s, &opt, &pages[np], &err)) {
				fprintf(stderr, "bench_atlas: %s\n", err.msg);
				return 1;
			}
			hrefs[np] = malloc(32);
			snprintf(hrefs[np], 32, "%s.html", pages[np]->iso);
			snprintf(path, sizeof(path), "%s/%s", outdir, hrefs[np]);
			f = fopen(path, "w");
			if (!f || ksp_atlas_write_html(pages[np], f, &err) == KSP_EUSAGE)
				html = 0;
			if (f)
				fclose(f);
			np++;
		}
		if (html) {
			char path[512];
			FILE *f;

			snprintf(path, sizeof(path), "%s/index.html", outdir);
			if ((f = fopen(path, "w"))) {
				ksp_atlas_write_index((const struct ksp_atlas *const *)pages,
						      (const char *const *)hrefs, np, "en", f, &err);
				fclose(f);
			}
			printf("--all to HTML (%zu pages and index.html, level 4) into %s: %.2f s CPU "
			       "(%.2f s wall)\n",
			       np, outdir, cpu() - c0, now() - t0);
		} else {
			printf("--all to HTML: the HTML writer is not built yet (%s)\n", err.msg);
		}
		for (size_t i = 0; i < np; i++) {
			ksp_atlas_free(pages[i]);
			free(hrefs[i]);
		}
		ksp_region_list_free(regs);
	}
	ksp_store_close(s);
	remove(dbpath);
	return 0;
}

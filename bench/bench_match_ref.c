/*
 * bench_match_ref.c - kasip's matcher on the reference's instances (issue 14).
 *
 * Reads a binary master-list instance of the reference kit (HRB1, written by
 * bench/ref-match/gen.c; format in bench/ref-match/README.md) through kasip's
 * own input path (ksp_match_add_place(), ksp_match_add_student(),
 * ksp_match_instance_check()) and times ksp_match_run(), students
 * proposing, RUNS times on the same instance.  The reference ranks by
 * (score descending, lottery ascending) with its lottery a permutation of
 * 0..N-1; kasip is given the score
 *
 *     score + (N - 1 - lottery) / N
 *
 * so that its order by score alone is the reference's order, and its own
 * lottery never decides anything.  It prints, one "key value" a line as the
 * reference's da does: the medians of the run times, the proposals, the
 * placed count, the checksum of the assignment (64-bit FNV-1a over the place
 * of each student as 4 little-endian bytes, -1 unplaced; the reference's
 * definition), and the peak resident set of the process (getrusage; the
 * instance as kasip holds it, the runs' working memory and the result).
 * The file's arrays are freed before the first run.  With -a FILE it writes
 * the assignment, one line a student, for `da -c FILE`.
 *
 * bench/match-ref.sh runs this and the reference's da interleaved, pinned
 * to one core, and prints the table of docs/performance.md.
 *
 *     build/release/bench/bench_match_ref [-r RUNS] [-a FILE] [-w] [-c] [-g] INSTANCE
 *
 * -w runs through one reusable workspace and result (ksp_match_run_ws()),
 * as the reference does, instead of a fresh ksp_match_run() every time,
 * which allocates (and so first touches) its working arrays and result.
 * -c times CPU time of the process (CLOCK_PROCESS_CPUTIME_ID) instead of
 * wall time (CLOCK_MONOTONIC).  -g gives every place an explicit list of
 * the students who rank it, in the master order (as the reference's -g),
 * so that kasip's general path (per-choice ranks, heaps) is timed.
 */
#include <sys/resource.h>

#include "kasip/match.h"

#define HRB_MAGIC 0x31425248u
#define HRB_VERSION 1u

static clockid_t clock_id = CLOCK_MONOTONIC;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(clock_id, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void stats(double *v, int n, double *med, double *lo, double *hi)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	*lo = v[0];
	*hi = v[n - 1];
	*med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const struct ksp_match_instance *qsort_in;

/* Scores are distinct here (score + (N - 1 - lottery) / N). */
static int cmp_score_desc(const void *a, const void *b)
{
	double x = qsort_in->score[*(const int32_t *)a], y = qsort_in->score[*(const int32_t *)b];

	return (x < y) - (x > y);
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "bench_match_ref: %s: %s\n", path, what);
	exit(2);
}

static void read_exact(FILE *f, void *p, size_t n, const char *path)
{
	if (n && fread(p, 1, n, f) != n)
		die("truncated binary instance", path);
}

static int general; /* -g: every place ranks its applicants by an explicit list */

/*
 * -g, as the reference's -g: every place lists exactly the students who rank
 * it, in the master order (kasip's scores), so that kasip takes its general
 * path (per-choice ranks, heaps) on the same matching.  Not timed.
 */
static void rank_by_lists(struct ksp_match_instance *in, const char *path)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	size_t L = (size_t)in->pref_start[n];
	int32_t *start = calloc(np + 2, sizeof(*start)), *who = malloc((L + 1) * sizeof(*who));
	int32_t *order = malloc((n + 1) * sizeof(*order));
	struct ksp_error err;

	if (!start || !who || !order)
		die("out of memory", path);
	for (size_t s = 0; s < n; s++)
		order[s] = (int32_t)s;
	qsort_in = in;
	qsort(order, n, sizeof(*order), cmp_score_desc);
	for (size_t k = 0; k < L; k++)
		start[in->pref[k] + 2]++;
	for (size_t p = 0; p < np; p++)
		start[p + 2] += start[p + 1];
	for (size_t i = 0; i < n; i++) {
		int32_t s = order[i];

		for (int32_t k = in->pref_start[s]; k < in->pref_start[s + 1]; k++)
			who[start[in->pref[k] + 1]++] = s;
	}
	for (size_t p = 0; p < np; p++)
		if (ksp_match_rank_students(in, (int32_t)p, who + start[p], NULL,
					    (size_t)(start[p + 1] - start[p]), &err))
			die(err.msg, path);
	free(start);
	free(who);
	free(order);
}

/*
 * Build the kasip instance straight from the file: places first, then one
 * student at a time, so that the file's lists are never all in memory
 * beside the instance's.
 */
static void load(struct ksp_match_instance *in, const char *path, uint64_t *seats)
{
	FILE *f = fopen(path, "rb");
	uint32_t h[8], *cap = NULL, *lottery = NULL, *len = NULL, buf[KSP_MATCH_MAX_CHOICES];
	int32_t *score = NULL, prefs[KSP_MATCH_MAX_CHOICES];
	struct ksp_error err;
	uint64_t e = 0;

	if (!f)
		die("cannot open", path);
	read_exact(f, h, sizeof(h), path);
	if (h[0] != HRB_MAGIC || h[1] != HRB_VERSION || h[5] != 0)
		die("not an HRB1 version 1 file of 32-bit size", path);
	cap = malloc(((size_t)h[3] + 1) * sizeof(*cap));
	score = malloc(((size_t)h[2] + 1) * sizeof(*score));
	lottery = malloc(((size_t)h[2] + 1) * sizeof(*lottery));
	len = malloc(((size_t)h[2] + 1) * sizeof(*len));
	if (!cap || !score || !lottery || !len)
		die("out of memory", path);
	read_exact(f, cap, (size_t)h[3] * sizeof(*cap), path);
	read_exact(f, score, (size_t)h[2] * sizeof(*score), path);
	read_exact(f, lottery, (size_t)h[2] * sizeof(*lottery), path);
	read_exact(f, len, (size_t)h[2] * sizeof(*len), path);
	for (uint32_t i = 0; i < h[2]; i++)
		e += len[i];
	if (e != h[4])
		die("list lengths do not add up to the entry count", path);

	ksp_match_instance_init(in);
	if (ksp_match_instance_reserve(in, (int32_t)h[3], (int32_t)h[2], (int64_t)e, &err))
		die(err.msg, path);
	*seats = 0;
	for (uint32_t p = 0; p < h[3]; p++) {
		if (ksp_match_add_place(in, NULL, -1, -1, -1, (int32_t)cap[p], &err))
			die(err.msg, path);
		*seats += cap[p];
	}
	for (uint32_t s = 0; s < h[2]; s++) {
		/* the reference's (score, lottery) order as one score */
		double x = (double)score[s] + (double)(h[2] - 1 - lottery[s]) / (double)h[2];

		if (len[s] > KSP_MATCH_MAX_CHOICES)
			die("a list longer than kasip's cap", path);
		read_exact(f, buf, len[s] * sizeof(*buf), path);
		for (uint32_t k = 0; k < len[s]; k++)
			prefs[k] = (int32_t)buf[k];
		if (ksp_match_add_student(in, NULL, -1, -1, -1, x, prefs, len[s], &err))
			die(err.msg, path);
	}
	if (fgetc(f) != EOF)
		die("trailing bytes after the instance", path);
	fclose(f);
	free(cap);
	free(score);
	free(lottery);
	free(len);
	if (general)
		rank_by_lists(in, path);
	if (ksp_match_instance_check(in, &err))
		die(err.msg, path);
}

static uint64_t checksum(const int32_t *place, int32_t n)
{
	uint64_t hsh = UINT64_C(0xcbf29ce484222325);

	for (int32_t i = 0; i < n; i++) {
		uint32_t v = (uint32_t)place[i];

		for (int b = 0; b < 4; b++) {
			hsh ^= (v >> (8 * b)) & 0xff;
			hsh *= UINT64_C(0x100000001b3);
		}
	}
	return hsh;
}

int main(int argc, char **argv)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result res;
	struct ksp_match_workspace *ws = NULL;
	struct ksp_error err;
	struct rusage ru;
	const char *path = NULL, *apath = NULL;
	int runs = 7, reuse = 0, placed = 0;
	double *ms, t0, med, lo, hi, load_ms;
	uint64_t seats = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc) {
			runs = (int)strtol(argv[++i], NULL, 10);
			if (runs < 1 || runs > 1000) {
				fprintf(stderr, "bench_match_ref: bad -r\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "-a") && i + 1 < argc) {
			apath = argv[++i];
		} else if (!strcmp(argv[i], "-w")) {
			reuse = 1;
		} else if (!strcmp(argv[i], "-g")) {
			general = 1;
		} else if (!strcmp(argv[i], "-c")) {
			clock_id = CLOCK_PROCESS_CPUTIME_ID;
		} else if (argv[i][0] == '-' || path) {
			fprintf(stderr, "usage: bench_match_ref [-r RUNS] [-a FILE] [-w] [-c] [-g] INSTANCE\n");
			return 2;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		fprintf(stderr, "usage: bench_match_ref [-r RUNS] [-a FILE] [-w] [-c] [-g] INSTANCE\n");
		return 2;
	}
	ms = malloc((size_t)runs * sizeof(*ms));
	t0 = now_ms();
	load(&in, path, &seats);
	load_ms = now_ms() - t0;

	ksp_match_options_init(&opt);
	memset(&res, 0, sizeof(res));
	if (reuse)
		ws = ksp_match_workspace_new();
	for (int r = 0; r < runs; r++) {
		int rc;

		if (!reuse)
			ksp_match_result_release(&res);
		t0 = now_ms();
		rc = reuse ? ksp_match_run_ws(&in, &opt, ws, &res, &err)
			   : ksp_match_run(&in, &opt, &res, &err);
		ms[r] = now_ms() - t0;
		if (rc) {
			fprintf(stderr, "bench_match_ref: %s\n", err.msg);
			return 1;
		}
	}
	for (int32_t s = 0; s < in.nstudents; s++)
		placed += res.place[s] >= 0;
	getrusage(RUSAGE_SELF, &ru);

	printf("instance    %s\n", path);
	printf("students    %d\n", in.nstudents);
	printf("places      %d\n", in.nplaces);
	printf("entries     %d\n", in.pref_start[in.nstudents]);
	printf("seats       %llu\n", (unsigned long long)seats);
	printf("path        kasip ksp_match_run%s, students propose, %s\n",
	       reuse ? "_ws (one workspace)" : "",
	       general ? "every place by an explicit list (general path)" : "every place by score");
	printf("runs        %d\n", runs);
	printf("load_ms     %.3f (not timed below)\n", load_ms);
	stats(ms, runs, &med, &lo, &hi);
	printf("run_ms      %.3f (min %.3f, max %.3f)\n", med, lo, hi);
	printf("proposals   %lld\n", res.proposals);
	printf("matched     %d\n", placed);
	printf("checksum    %016llx\n", (unsigned long long)checksum(res.place, in.nstudents));
	printf("peak_rss_kb %ld\n", ru.ru_maxrss);
	if (apath) {
		FILE *f = fopen(apath, "w");

		if (!f)
			die("cannot write", apath);
		for (int32_t s = 0; s < in.nstudents; s++)
			fprintf(f, "%d\n", res.place[s]);
		if (fclose(f))
			die("cannot write", apath);
	}
	ksp_match_workspace_free(ws);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	free(ms);
	return 0;
}

/*
 * bench_match.c - dual-training placement at national scale.
 *
 * Generates two synthetic instances with the library's generator (fixed
 * seed): 100,000 students x 18,000 enterprises and 1,000,000 x 100,000,
 * 10 choices each, and times ksp_match_run() alone (lottery, ranks and
 * proposals; not the generator, not the checker): the median of 7 runs on
 * the first, 5 on the second, single-threaded.  Also times the checker and
 * the enterprise-proposing run, and reports the peak resident memory of the
 * process (getrusage ru_maxrss) after each instance.
 *
 * Writes the section "Dual-training placement" of docs/performance.md
 * (replacing it if there) when run from the top of the source tree, or the
 * file given by --doc; --no-doc only prints.  Usage:
 *
 *     cmake --preset release && cmake --build --preset release -j2 && \
 *         build/release/bench/bench_match
 *     build/release/bench/bench_match [--only small|large] [--doc FILE | --no-doc]
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include "kasip/match.h"
#include "util/strbuf.h"

#define SEED 20250101u
#define SECTION "## Dual-training placement"

struct size {
	const char *name;
	int32_t students, enterprises;
	int runs;
	double aim_ms;
	/* results */
	int done;
	int32_t places;
	long long seats, choices;
	double gen_s, med_ms, min_ms, max_ms, ep_med_ms, verify_ms, share, mean_choice;
	long long proposals;
	long peak_kb;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss; /* kilobytes on Linux */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int time_runs(const struct ksp_match_instance *in, enum ksp_match_side side, int runs,
		     double *ms, struct ksp_match_result *keep)
{
	struct ksp_match_options opt;
	struct ksp_error err;

	ksp_match_options_init(&opt);
	opt.proposing = side;
	opt.seed = SEED;
	for (int i = 0; i < runs; i++) {
		struct ksp_match_result res;
		double t0 = now();

		if (ksp_match_run(in, &opt, &res, &err)) {
			fprintf(stderr, "bench_match: %s\n", err.msg);
			return -1;
		}
		ms[i] = (now() - t0) * 1e3;
		if (i == runs - 1 && keep)
			*keep = res;
		else
			ksp_match_result_release(&res);
	}
	return 0;
}

static int bench(struct size *z)
{
	struct ksp_match_gen_options g;
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result res;
	struct ksp_match_stats st;
	struct ksp_error err;
	double ms[16], t0;
	int rc = -1;

	ksp_match_gen_options_init(&g);
	g.students = z->students;
	g.enterprises = z->enterprises;
	g.seed = SEED;
	t0 = now();
	if (ksp_match_generate(&in, &g, &err)) {
		fprintf(stderr, "bench_match: %s\n", err.msg);
		return -1;
	}
	z->gen_s = now() - t0;
	z->places = in.nplaces;
	z->choices = in.pref_start[in.nstudents];
	z->seats = 0;
	for (int32_t p = 0; p < in.nplaces; p++)
		z->seats += in.capacity[p];
	printf("%s: %d students, %d enterprises, %d places, %lld seats, %lld choices "
	       "(generated in %.2f s)\n",
	       z->name, (int)in.nstudents, (int)in.nenterprises, (int)in.nplaces, z->seats,
	       z->choices, z->gen_s);
	fflush(stdout);

	if (time_runs(&in, KSP_MATCH_STUDENTS, z->runs, ms, &res))
		goto out;
	z->min_ms = ms[0];
	z->max_ms = ms[0];
	for (int i = 0; i < z->runs; i++) {
		z->min_ms = ms[i] < z->min_ms ? ms[i] : z->min_ms;
		z->max_ms = ms[i] > z->max_ms ? ms[i] : z->max_ms;
	}
	z->med_ms = median(ms, z->runs);
	z->proposals = res.proposals;

	ksp_match_options_init(&opt);
	opt.seed = SEED;
	t0 = now();
	if (ksp_match_verify(&in, &opt, &res, NULL, &err)) {
		fprintf(stderr, "bench_match: the result is not stable: %s\n", err.msg);
		ksp_match_result_release(&res);
		goto out;
	}
	z->verify_ms = (now() - t0) * 1e3;
	if (ksp_match_stats(&in, &res, &st, &err) == KSP_OK) {
		z->share = st.share_matched;
		z->mean_choice = st.mean_choice;
		ksp_match_stats_release(&st);
	}
	ksp_match_result_release(&res);

	if (time_runs(&in, KSP_MATCH_ENTERPRISES, 3, ms, NULL))
		goto out;
	z->ep_med_ms = median(ms, 3);
	z->peak_kb = peak_rss_kb();
	z->done = 1;
	printf("  student-proposing: median %.1f ms (min %.1f, max %.1f, %d runs), %lld proposals\n"
	       "  checker %.1f ms; enterprise-proposing median %.1f ms (3 runs)\n"
	       "  matched %.1f %%, mean rank received %.2f; peak RSS %.0f MB\n",
	       z->med_ms, z->min_ms, z->max_ms, z->runs, z->proposals, z->verify_ms, z->ep_med_ms,
	       100 * z->share, z->mean_choice, (double)z->peak_kb / 1024);
	fflush(stdout);
	rc = 0;
out:
	ksp_match_instance_release(&in);
	return rc;
}

/* ---- docs/performance.md ------------------------------------------------- */

static void machine(char *buf, size_t size)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, size, "unknown CPU");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			char *p = strchr(line, ':');

			if (p) {
				p += 1 + strspn(p + 1, " \t");
				p[strcspn(p, "\n")] = '\0';
				snprintf(buf, size, "%s", p);
			}
			break;
		}
	}
	fclose(f);
}

static int read_file(const char *path, struct ksp_strbuf *sb)
{
	FILE *f = fopen(path, "rb");
	char buf[8192];
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		ksp_strbuf_add(sb, buf, n);
	fclose(f);
	return 0;
}

/* n with thousands separators: 1,000,000. */
static const char *grouped(long long n, char *buf, size_t size)
{
	char raw[32];
	size_t len, o = 0;

	snprintf(raw, sizeof(raw), "%lld", n);
	len = strlen(raw);
	for (size_t i = 0; i < len && o + 2 < size; i++) {
		if (i && raw[i - 1] != '-' && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

static void section(struct ksp_strbuf *sb, const struct size *sz, int nsizes)
{
	char cpu[256], date[32], g1[32], g2[32], g3[32], g4[32], g5[32], g6[32];
	time_t t = time(NULL);
	struct tm tm;

	machine(cpu, sizeof(cpu));
	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	ksp_strbuf_addf(
		sb,
		SECTION "\n\n"
		"Stable matching of students to enterprise places (`kasip match run`: deferred\n"
		"acceptance, students proposing, `lib/match/da.c`; method in\n"
		"[matching.md](matching.md)). `build/release/bench/bench_match` generates two\n"
		"instances with the library's generator (`ksp_match_generate()`, seed %u, 10\n"
		"choices per student, other options at their defaults) and times\n"
		"`ksp_match_run()` alone: lottery, rank tables and proposals, not the generator\n"
		"and not the checker. The figure is the median of 7 runs (100 k students) or 5\n"
		"runs (1 M), single-threaded; the checker (`ksp_match_verify()`) and the\n"
		"enterprise-proposing run are timed once and as a median of 3. Peak memory is\n"
		"the process's peak resident set (`getrusage` `ru_maxrss`) after the instance:\n"
		"generator, instance, runs and checker together.\n\n"
		"```sh\n"
		"cmake --preset release && cmake --build --preset release -j2 && "
		"build/release/bench/bench_match\n"
		"```\n\n"
		"(Run it from the top of the source tree: it rewrites this section.)\n\n"
		"| students x enterprises | places | seats | choices | median | min - max | aim | "
		"checker | enterprises propose | peak memory |\n"
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
		SEED);
	for (int i = 0; i < nsizes; i++) {
		const struct size *z = &sz[i];

		if (!z->done)
			continue;
		ksp_strbuf_addf(sb,
				"| %s x %s | %s | %s | %s | **%.1f ms** | %.1f - %.1f ms | < %.0f ms | "
				"%.1f ms | %.1f ms | %.0f MB |\n",
				grouped(z->students, g1, sizeof(g1)),
				grouped(z->enterprises, g2, sizeof(g2)),
				grouped(z->places, g3, sizeof(g3)), grouped(z->seats, g4, sizeof(g4)),
				grouped(z->choices, g5, sizeof(g5)), z->med_ms, z->min_ms, z->max_ms,
				z->aim_ms, z->verify_ms, z->ep_med_ms, (double)z->peak_kb / 1024);
	}
	ksp_strbuf_addstr(sb, "\n");
	for (int i = 0; i < nsizes; i++)
		if (sz[i].done)
			ksp_strbuf_addf(sb,
					"%s: %s proposals; %.1f %% of students placed, mean rank "
					"received %.2f.\n",
					sz[i].name, grouped(sz[i].proposals, g6, sizeof(g6)),
					100 * sz[i].share, sz[i].mean_choice);
	ksp_strbuf_addf(sb,
			"The others were turned down by every place they ranked. Measured %s on\n"
			"%s, built with %s (release preset, -O3). On this shared machine timings\n"
			"vary by 20-50 %% from run to run: compare medians taken on one machine.\n",
			date, cpu,
#if defined(__clang__)
			"clang " __clang_version__
#elif defined(__GNUC__)
			"gcc " __VERSION__
#else
			"an unknown compiler"
#endif
	);
}

static int write_doc(const char *path, const struct size *sz, int nsizes)
{
	struct ksp_strbuf old = KSP_STRBUF_INIT, out = KSP_STRBUF_INIT;
	char *start, *end, tmp[4096];
	FILE *f;
	int rc = -1;

	if (read_file(path, &old))
		ksp_strbuf_addstr(&old, "# Performance\n\n");
	start = strstr(old.buf, SECTION "\n");
	if (start && start != old.buf && start[-1] != '\n')
		start = NULL;
	if (start) {
		end = strstr(start + strlen(SECTION), "\n## ");
		ksp_strbuf_add(&out, old.buf, (size_t)(start - old.buf));
		section(&out, sz, nsizes);
		if (end)
			ksp_strbuf_addf(&out, "%s", end);
	} else {
		ksp_strbuf_addstr(&out, old.buf);
		if (out.len && out.buf[out.len - 1] != '\n')
			ksp_strbuf_addch(&out, '\n');
		if (out.len)
			ksp_strbuf_addch(&out, '\n');
		section(&out, sz, nsizes);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(f = fopen(tmp, "wb"))) {
		perror(tmp);
		goto done;
	}
	if (fwrite(out.buf, 1, out.len, f) != out.len || fclose(f)) {
		perror(tmp);
		goto done;
	}
	if (rename(tmp, path)) {
		perror(path);
		goto done;
	}
	printf("wrote the section \"Dual-training placement\" of %s\n", path);
	rc = 0;
done:
	ksp_strbuf_release(&old);
	ksp_strbuf_release(&out);
	return rc;
}

int main(int argc, char **argv)
{
	struct size sizes[2] = {
		{ .name = "100 k x 18 k", .students = 100000, .enterprises = 18000, .runs = 7,
		  .aim_ms = 30 },
		{ .name = "1 M x 100 k", .students = 1000000, .enterprises = 100000, .runs = 5,
		  .aim_ms = 1000 },
	};
	const char *doc = "docs/performance.md", *only = NULL;
	struct stat stb;
	int write = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-doc")) {
			write = 0;
		} else if (!strcmp(argv[i], "--doc") && i + 1 < argc) {
			doc = argv[++i];
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else {
			fprintf(stderr,
				"usage: bench_match [--only small|large] [--doc FILE | --no-doc]\n");
			return 2;
		}
	}
	if (write && !strcmp(doc, "docs/performance.md") && stat("docs", &stb)) {
		printf("no docs/ here: run from the top of the source tree to update "
		       "docs/performance.md (or give --doc FILE)\n");
		write = 0;
	}
	for (int i = 0; i < 2; i++) {
		if (only && strcmp(only, i ? "large" : "small"))
			continue;
		if (bench(&sizes[i]))
			return 1;
	}
	if (write && !only && write_doc(doc, sizes, 2))
		return 1;
	return 0;
}

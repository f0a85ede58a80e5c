/*
 * cmd-match.c - kasip match run|verify|explain|stats|cutoffs|export:
 * dual-training placement (kasip/match.h; docs/matching.md).
 *
 * Every subcommand loads the placement data from the database; run
 * computes a matching, proves it stable and stores it under a new run id;
 * the others read a stored run (the latest when no RUN is given) back
 * against the data as it is now.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kasip/csv.h"
#include "kasip/match.h"

static const struct cli_command *cmd;

/* ---- small helpers ---------------------------------------------------------- */

static int parse_run(const char *s, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 1)
		return -1;
	*out = v;
	return 0;
}

static int parse_seed(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > (unsigned long long)INT64_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Who proposes, in the language of --lang. */
static const char *side_words(enum ksp_match_side side)
{
	return side == KSP_MATCH_ENTERPRISES ? cli_tr("enterprises propose")
					     : cli_tr("students propose");
}

/* The distance rule: English for CSV and JSON (people ask for a table). */
static void rule_words(const struct ksp_match_options *opt, char *buf, size_t size,
		       enum cli_format fmt)
{
	const char *lang = fmt == FMT_TABLE ? cli_lang() : NULL;

	if (opt->max_km > 0)
		snprintf(buf, size, ksp_tr(lang, KSP_FMT_("at most %g km")), opt->max_km);
	else if (opt->same_region)
		snprintf(buf, size, "%s", ksp_tr(lang, "same region only"));
	else
		snprintf(buf, size, "%s", ksp_tr(lang, "no distance rule"));
}

/*
 * Load the data and, when want_run, run id (0: latest).  Only 'match run'
 * writes (and opens the database for writing); the others read.
 */
static int load(struct cli *cli, struct ksp_match_instance *in, long long run,
		struct ksp_match_run_info *info, struct ksp_match_result *res, int want_run)
{
	int rc;

	if (!(want_run ? cli_store_read(cli) : cli_store(cli)))
		return EXIT_BAD_INPUT;
	/* the data and the run from one snapshot, even while an import commits */
	if (want_run && (rc = ksp_store_begin_read(cli->store, &cli->err)))
		return cli_fail(cli, rc);
	if ((rc = ksp_match_load(cli->store, in, &cli->err))) {
		ksp_store_rollback(cli->store);
		return cli_fail(cli, rc);
	}
	if (!want_run)
		return EXIT_OK;
	rc = ksp_match_load_run(cli->store, run, in, info, res, &cli->err);
	if (!rc && (rc = ksp_store_commit(cli->store, &cli->err)))
		ksp_match_result_release(res);
	if (rc) {
		ksp_store_rollback(cli->store);
		ksp_match_instance_release(in);
		return cli_fail(cli, rc);
	}
	return EXIT_OK;
}

/* ---- run ---------------------------------------------------------------------- */

static int match_run(int argc, char **argv, struct cli *cli)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result res;
	struct ksp_match_violation v;
	struct ksp_match_run_info info;
	struct ksp_match_stats st;
	enum cli_format fmt = FMT_TABLE;
	char rule[128], n1[32], n2[32];
	const char *val;
	int rc, r;

	ksp_match_options_init(&opt);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--enterprise-proposing")) {
			opt.proposing = KSP_MATCH_ENTERPRISES;
		} else if (!strcmp(argv[i], "--same-region")) {
			opt.same_region = 1;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "seed", &val)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (parse_seed(val, &opt.seed))
				return cli_usage_error(cmd, "--seed takes a whole number 0..%lld, not '%s'",
						       (long long)INT64_MAX, val);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "max-km", &val)) != 0) {
			char *end;

			if (r < 0)
				return EXIT_USAGE;
			errno = 0;
			opt.max_km = strtod(val, &end);
			if (errno || end == val || *end || !(opt.max_km > 0) || opt.max_km > 1e5)
				return cli_usage_error(cmd, "--max-km takes a distance in km, not '%s'",
						       val);
		} else if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else {
			return cli_usage_error(cmd, "match run: unexpected argument '%s'", argv[i]);
		}
	}
	if (opt.max_km > 0 && opt.same_region)
		return cli_usage_error(cmd, "choose --max-km or --same-region, not both");
	if ((rc = load(cli, &in, 0, NULL, NULL, 0)))
		return rc;
	if ((rc = ksp_match_run(&in, &opt, &res, &cli->err))) {
		ksp_match_instance_release(&in);
		return cli_fail(cli, rc);
	}
	/* The checker runs after every match: a failure here is a bug, and nothing is stored. */
	if ((rc = ksp_match_verify(&in, &opt, &res, &v, &cli->err)) ||
	    (rc = ksp_match_save_run(cli->store, &in, &opt, &res, &info, &cli->err)) ||
	    (rc = ksp_match_stats(&in, &res, &st, &cli->err))) {
		if (v.kind)
			ksp_error_set(&cli->err, KSP_EINTERNAL,
				      "the matching failed its stability check, nothing was stored: %s",
				      v.text);
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		return cli_fail(cli, rc);
	}
	rule_words(&opt, rule, sizeof(rule), fmt);
	if (fmt == FMT_TABLE) {
		char n3[32], n4[32];

		cli_printf("run %lld: %s, seed %llu, %s\n", info.id, side_words(opt.proposing),
			   (unsigned long long)opt.seed, rule);
		cli_printf("placed %s of %s students (%s %%), mean rank received %s\n",
			   cli_num(st.matched, 0, fmt, cli->lang, n1, sizeof(n1)),
			   cli_num(st.students, 0, fmt, cli->lang, n2, sizeof(n2)),
			   cli_num(100 * st.share_matched, 1, fmt, cli->lang, n3, sizeof(n3)),
			   cli_num(st.mean_choice, 2, fmt, cli->lang, n4, sizeof(n4)));
		cli_printf("stable: no blocking pair, no place over capacity, every assignment "
			   "acceptable\n");
	} else {
		struct out_table *t = out_table_new();

		out_table_col(t, "run", OUT_NUM);
		out_table_col(t, "proposing", 0);
		out_table_col(t, "seed", OUT_NUM);
		out_table_col(t, "rule", 0);
		out_table_col(t, "students", OUT_NUM);
		out_table_col(t, "placed", OUT_NUM);
		out_table_col(t, "share_placed", OUT_NUM);
		out_table_col(t, "mean_rank", OUT_NUM);
		out_table_col(t, "stable", 0);
		out_table_cellf(t, "%lld", info.id);
		out_table_cell(t, opt.proposing == KSP_MATCH_ENTERPRISES ? "enterprises" : "students");
		out_table_cellf(t, "%" PRIu64, opt.seed);
		out_table_cell(t, rule);
		out_table_cellf(t, "%" PRId32, st.students);
		out_table_cellf(t, "%" PRId32, st.matched);
		out_table_cellf(t, "%.4f", st.share_matched);
		out_table_cellf(t, "%.4f", st.mean_choice);
		out_table_cell(t, "yes");
		out_table_end_row(t);
		out_table_print(t, fmt, stdout);
		out_table_free(t);
	}
	ksp_match_stats_release(&st);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	return EXIT_OK;
}

/* ---- verify ------------------------------------------------------------------- */

/* The optional RUN argument of verify, stats, cutoffs and export. */
static int run_arg(const char *a, long long *run, int *seen)
{
	if (*seen)
		return cli_usage_error(cmd, "unexpected argument '%s'", a);
	if (parse_run(a, run))
		return cli_usage_error(cmd, "a run is a number such as 3, not '%s'", a);
	*seen = 1;
	return EXIT_OK;
}

static int match_verify(int argc, char **argv, struct cli *cli)
{
	struct ksp_match_instance in;
	struct ksp_match_result res;
	struct ksp_match_run_info info;
	struct ksp_match_violation v;
	long long run = 0;
	int seen = 0, rc;

	for (int i = 2; i < argc; i++) {
		if (argv[i][0] == '-')
			return cli_usage_error(cmd, "match verify: unknown option '%s'", argv[i]);
		if ((rc = run_arg(argv[i], &run, &seen)))
			return rc;
	}
	if ((rc = load(cli, &in, run, &info, &res, 1)))
		return rc;
	rc = ksp_match_verify(&in, &info.opt, &res, &v, &cli->err);
	if (rc == KSP_OK)
		cli_printf("run %lld is stable: no blocking pair, no place over capacity, every "
			   "assignment acceptable (%d students, %d places)\n",
			   info.id, (int)in.nstudents, (int)in.nplaces);
	else if (v.kind) {
		char faults[64];

		cli_fmt(faults, sizeof(faults),
			cli_trn("%lld fault in all", "%lld faults in all", (unsigned long)v.count),
			v.count);
		ksp_error_set(&cli->err, rc, "run %lld is not stable: %s (%s)", info.id, v.text,
			      faults);
	}
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	return rc ? cli_fail(cli, rc) : EXIT_OK;
}

/* ---- explain ------------------------------------------------------------------ */

static const char *reason_word(int reason)
{
	switch (reason) {
	case KSP_WHY_FULL: return "full";
	case KSP_WHY_NO_CAPACITY: return "no seats";
	case KSP_WHY_NOT_ACCEPTABLE: return "not acceptable";
	case KSP_WHY_DISTANCE: return "distance";
	case KSP_WHY_REGION: return "region";
	default: return "unstable";
	}
}

static int match_explain(int argc, char **argv, struct cli *cli)
{
	struct ksp_match_instance in;
	struct ksp_match_result res;
	struct ksp_match_run_info info;
	struct ksp_match_explanation ex;
	enum cli_format fmt = FMT_TABLE;
	const char *student = NULL, *val;
	long long run = 0;
	int32_t s = -1;
	int rc, r;

	for (int i = 2; i < argc; i++) {
		if ((r = cli_opt(cmd, argc, argv, &i, "run", &val)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (parse_run(val, &run))
				return cli_usage_error(cmd, "a run is a number such as 3, not '%s'", val);
		} else if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error(cmd, "match explain: unknown option '%s'", argv[i]);
		} else if (!student) {
			student = argv[i];
		} else {
			return cli_usage_error(cmd, "match explain: unexpected argument '%s'", argv[i]);
		}
	}
	if (!student)
		return cli_usage_error(cmd, "match explain needs a student id");
	if ((rc = load(cli, &in, run, &info, &res, 1)))
		return rc;
	for (int32_t i = 0; i < in.nstudents && s < 0; i++)
		if (in.student_id && in.student_id[i] && !strcmp(in.student_id[i], student))
			s = i;
	if (s < 0) {
		ksp_error_set(&cli->err, KSP_ENOTFOUND, "no student \"%s\"", student);
		rc = KSP_ENOTFOUND;
	} else {
		/* the texts in --lang whatever the format: they are for people; programs
		 * read the reason codes and the figures beside them */
		rc = ksp_match_explain(&in, &info.opt, &res, s, cli->lang, &ex, &cli->err);
	}
	if (rc) {
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		return cli_fail(cli, rc);
	}
	if (fmt == FMT_TABLE) {
		char sc[40], raw[40];
		int prec = 0;

		/* the score's own decimals (up to 3), in the number format of --lang */
		ksp_format_double(in.score[s], raw, sizeof(raw));
		if (strchr(raw, '.'))
			prec = (int)strlen(strchr(raw, '.') + 1);
		cli_printf("student %s (run %lld, score %s): %s\n", student, info.id,
			   cli_num(in.score[s], prec > 3 ? 3 : prec, FMT_TABLE, cli->lang, sc,
				   sizeof(sc)),
			   ex.summary);
		for (int32_t i = 0; i < ex.n; i++) {
			char b[64];

			cli_printf("  choice %d, %s: %s\n", (int)ex.items[i].choice,
				   ksp_match_name(&in, KSP_MATCH_PLACE, ex.items[i].place, b, sizeof(b)),
				   ex.items[i].text);
		}
	} else {
		struct out_table *t = out_table_new();
		char b[64], cut[32];

		out_table_col(t, "student", 0);
		out_table_col(t, "choice", OUT_NUM);
		out_table_col(t, "place", 0);
		out_table_col(t, "reason", 0);
		out_table_col(t, "above", OUT_NUM);
		out_table_col(t, "cutoff", OUT_NUM);
		out_table_col(t, "text", 0);
		for (int32_t i = 0; i < ex.n; i++) {
			const struct ksp_match_why *w = &ex.items[i];

			out_table_cell(t, student);
			out_table_cellf(t, "%" PRId32, w->choice);
			out_table_cell(t, ksp_match_name(&in, KSP_MATCH_PLACE, w->place, b, sizeof(b)));
			out_table_cell(t, reason_word(w->reason));
			out_table_cellf(t, "%" PRId32, w->above);
			cut[0] = '\0';
			if (!isnan(w->cutoff))
				snprintf(cut, sizeof(cut), "%g", w->cutoff);
			out_table_cell(t, cut);
			out_table_cell(t, w->text);
			out_table_end_row(t);
		}
		out_table_print(t, fmt, stdout);
		out_table_free(t);
	}
	ksp_match_explanation_release(&ex);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	return EXIT_OK;
}

/* ---- stats and cutoffs -------------------------------------------------------- */

/* Region names in the chosen language, looked up once per command. */
static struct ksp_region *region_names;
static size_t nregion_names;

static const char *region_name(struct cli *cli, const char *kato)
{
	if (!region_names && cli->store)
		if (ksp_region_list(cli->store, 0, &region_names, &nregion_names, NULL) != KSP_OK)
			nregion_names = 0;
	for (size_t i = 0; i < nregion_names; i++)
		if (!strcmp(region_names[i].kato, kato))
			return ksp_region_name(&region_names[i], cli->lang);
	return "";
}

static void cells(struct out_table *t, struct cli *cli, enum cli_format fmt,
		  const struct ksp_match_instance *in, const struct ksp_match_stats_cell *c,
		  int32_t n, int region, int specialty)
{
	char b[64], x[32];

	if (region) {
		out_table_col(t, "region", 0);
		out_table_col(t, "region_name", 0);
	}
	if (specialty)
		out_table_col(t, "specialty", 0);
	out_table_col(t, "places", OUT_NUM);
	out_table_col(t, "seats", OUT_NUM);
	out_table_col(t, "filled", OUT_NUM);
	out_table_col(t, "unfilled", OUT_NUM);
	for (int32_t i = 0; i < n; i++) {
		if (!c[i].places)
			continue;
		if (region) {
			const char *kato = c[i].region >= 0 ? ksp_match_name(in, KSP_MATCH_REGION,
									     c[i].region, b, sizeof(b))
							    : NULL;

			/* "unknown" is a code in CSV and JSON, a word for people */
			out_table_cell(t, kato ? kato : fmt == FMT_TABLE ? cli_trc("match", "unknown")
								      : "unknown");
			out_table_cell(t, kato ? region_name(cli, kato) : "");
		}
		if (specialty)
			out_table_cell(t, c[i].specialty >= 0
						  ? ksp_match_name(in, KSP_MATCH_SPECIALTY, c[i].specialty,
								   b, sizeof(b))
						  : fmt == FMT_TABLE ? cli_trc("match", "unknown")
								     : "unknown");
		out_table_cell(t, cli_num((double)c[i].places, 0, fmt, cli->lang, x, sizeof(x)));
		out_table_cell(t, cli_num((double)c[i].capacity, 0, fmt, cli->lang, x, sizeof(x)));
		out_table_cell(t, cli_num((double)c[i].filled, 0, fmt, cli->lang, x, sizeof(x)));
		out_table_cell(t, cli_num((double)(c[i].capacity - c[i].filled), 0, fmt, cli->lang, x,
					  sizeof(x)));
		out_table_end_row(t);
	}
}

static int match_stats(int argc, char **argv, struct cli *cli)
{
	struct ksp_match_instance in;
	struct ksp_match_result res;
	struct ksp_match_run_info info;
	struct ksp_match_stats st;
	struct out_table *t;
	enum cli_format fmt = FMT_TABLE;
	const char *by = "summary", *val;
	long long run = 0;
	int seen = 0, rc, r;
	char x[32], rule[64];

	for (int i = 2; i < argc; i++) {
		if ((r = cli_opt(cmd, argc, argv, &i, "by", &by)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] == '-') {
			return cli_usage_error(cmd, "match stats: unknown option '%s'", argv[i]);
		} else if ((rc = run_arg(argv[i], &run, &seen))) {
			return rc;
		}
	}
	val = by;
	if (strcmp(val, "summary") && strcmp(val, "rank") && strcmp(val, "region") &&
	    strcmp(val, "specialty") && strcmp(val, "cell"))
		return cli_usage_error(cmd, "--by takes summary, rank, region, specialty or cell, "
					    "not '%s'", val);
	if ((rc = load(cli, &in, run, &info, &res, 1)))
		return rc;
	if ((rc = ksp_match_stats(&in, &res, &st, &cli->err))) {
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		return cli_fail(cli, rc);
	}
	t = out_table_new();
	if (!strcmp(by, "summary")) {
		rule_words(&info.opt, rule, sizeof(rule), fmt);
		if (fmt == FMT_TABLE)
			cli_printf("run %lld (%s): %s, seed %llu, %s\n", info.id, info.created,
				   side_words(info.opt.proposing),
				   (unsigned long long)info.opt.seed, rule);
		out_table_col(t, "measure", 0);
		out_table_col(t, "value", OUT_NUM);
#define ROW(name, v, dec)                                                                  \
	do {                                                                               \
		out_table_cell(t, fmt == FMT_TABLE ? cli_trc("match", name) : name);     \
		out_table_cell(t, cli_num((double)(v), dec, fmt, cli->lang, x, sizeof(x))); \
		out_table_end_row(t);                                                      \
	} while (0)
		ROW(KSP_NC_("match", "students"), st.students, 0);
		ROW(KSP_NC_("match", "placed"), st.matched, 0);
		ROW(KSP_NC_("match", "unplaced"), st.students - st.matched, 0);
		ROW(KSP_NC_("match", "share placed (%)"), 100 * st.share_matched, 1);
		ROW(KSP_NC_("match", "mean rank received"), st.mean_choice, 2);
		ROW(KSP_NC_("match", "students who ranked nothing"), st.empty_lists, 0);
		ROW(KSP_NC_("match", "seats"), st.capacity, 0);
		ROW(KSP_NC_("match", "seats filled"), st.filled, 0);
		ROW(KSP_NC_("match", "seats unfilled"), st.capacity - st.filled, 0);
#undef ROW
	} else if (!strcmp(by, "rank")) {
		out_table_col(t, "rank", 0);
		out_table_col(t, "students", OUT_NUM);
		out_table_col(t, "share", OUT_NUM);
		for (int32_t k = 1; k <= st.max_choice + 1; k++) {
			int32_t r0 = k <= st.max_choice ? k : 0, n = st.rank_hist[r0];

			if (r0)
				out_table_cellf(t, "%" PRId32, r0);
			else
				out_table_cell(t, fmt == FMT_TABLE ? cli_trc("match", "unplaced")
								    : "unplaced");
			out_table_cell(t, cli_num(n, 0, fmt, cli->lang, x, sizeof(x)));
			out_table_cell(t, cli_num(st.students ? 100.0 * n / st.students : 0, 1, fmt,
						  cli->lang, x, sizeof(x)));
			out_table_end_row(t);
		}
	} else if (!strcmp(by, "region")) {
		cells(t, cli, fmt, &in, st.by_region, st.nregions + 1, 1, 0);
	} else if (!strcmp(by, "specialty")) {
		cells(t, cli, fmt, &in, st.by_specialty, st.nspecialties + 1, 0, 1);
	} else {
		cells(t, cli, fmt, &in, st.cells, st.ncells, 1, 1);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_match_stats_release(&st);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	return EXIT_OK;
}

static int match_cutoffs(int argc, char **argv, struct cli *cli)
{
	struct ksp_match_instance in;
	struct ksp_match_result res;
	struct ksp_match_run_info info;
	struct ksp_match_cutoff *cut;
	struct out_table *t;
	enum cli_format fmt = FMT_TABLE;
	long long run = 0;
	int seen = 0, rc, r;
	char b[64];

	for (int i = 2; i < argc; i++) {
		if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] == '-') {
			return cli_usage_error(cmd, "match cutoffs: unknown option '%s'", argv[i]);
		} else if ((rc = run_arg(argv[i], &run, &seen))) {
			return rc;
		}
	}
	if ((rc = load(cli, &in, run, &info, &res, 1)))
		return rc;
	cut = calloc((size_t)in.nplaces + 1, sizeof(*cut));
	if (!cut || (rc = ksp_match_cutoffs(&in, &res, cut, &cli->err))) {
		free(cut);
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		return cli_fail(cli, cut ? rc : KSP_EINTERNAL);
	}
	t = out_table_new();
	out_table_col(t, "place", 0);
	out_table_col(t, "enterprise", 0);
	out_table_col(t, "specialty", 0);
	out_table_col(t, "region", 0);
	out_table_col(t, "region_name", 0);
	out_table_col(t, "seats", OUT_NUM);
	out_table_col(t, "filled", OUT_NUM);
	out_table_col(t, "cutoff", OUT_NUM);
	out_table_col(t, "last_admitted", 0);
	for (int32_t p = 0; p < in.nplaces; p++) {
		out_table_cell(t, ksp_match_name(&in, KSP_MATCH_PLACE, p, b, sizeof(b)));
		out_table_cell(t, ksp_match_name(&in, KSP_MATCH_ENTERPRISE, in.place_enterprise[p], b,
						 sizeof(b)));
		out_table_cell(t, ksp_match_name(&in, KSP_MATCH_SPECIALTY, in.place_specialty[p], b,
						 sizeof(b)));
		{
			const char *kato = ksp_match_name(&in, KSP_MATCH_REGION, in.place_region[p], b,
							  sizeof(b));

			out_table_cell(t, kato);
			out_table_cell(t, region_name(cli, kato));
		}
		out_table_cellf(t, "%" PRId32, cut[p].capacity);
		out_table_cellf(t, "%" PRId32, cut[p].filled);
		if (isnan(cut[p].score))
			out_table_cell(t, "");
		else
			out_table_cellf(t, "%g", cut[p].score);
		out_table_cell(t, cut[p].last >= 0 ? ksp_match_name(&in, KSP_MATCH_STUDENT,
								    cut[p].last, b, sizeof(b))
						   : "");
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	free(cut);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	return EXIT_OK;
}

/* ---- export ------------------------------------------------------------------- */

static int match_export(int argc, char **argv, struct cli *cli)
{
	struct ksp_match_instance in;
	struct ksp_match_result res;
	struct ksp_match_run_info info;
	enum ksp_match_export_format fmt;
	const char *format = "csv", *output = NULL;
	long long run = 0;
	int seen = 0, rc, r;

	for (int i = 2; i < argc; i++) {
		if ((r = cli_opt(cmd, argc, argv, &i, "format", &format)) != 0 ||
		    (r = cli_opt(cmd, argc, argv, &i, "output", &output)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] == '-') {
			return cli_usage_error(cmd, "match export: unknown option '%s'", argv[i]);
		} else if ((rc = run_arg(argv[i], &run, &seen))) {
			return rc;
		}
	}
	if (!strcmp(format, "csv"))
		fmt = KSP_MATCH_CSV;
	else if (!strcmp(format, "json"))
		fmt = KSP_MATCH_JSON;
	else if (!strcmp(format, "xlsx"))
		fmt = KSP_MATCH_XLSX;
	else
		return cli_usage_error(cmd, "--format takes csv, json or xlsx, not '%s'", format);
	if (fmt == KSP_MATCH_XLSX && (!output || !strcmp(output, "-")))
		return cli_usage_error(cmd, "an XLSX export needs --output FILE");
	if ((rc = load(cli, &in, run, &info, &res, 1)))
		return rc;
	rc = ksp_match_export(&in, &res, &info, fmt, output, &cli->err);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	if (rc)
		return cli_fail(cli, rc);
	if (output && strcmp(output, "-"))
		cli_error("wrote run %lld to '%s'", info.id, output);
	return EXIT_OK;
}

/* ---- dispatch ----------------------------------------------------------------- */

static int match_dispatch(int argc, char **argv, struct cli *cli);

int cmd_match(int argc, char **argv, struct cli *cli)
{
	int rc = match_dispatch(argc, argv, cli);

	ksp_region_list_free(region_names);
	region_names = NULL;
	nregion_names = 0;
	return rc;
}

static int match_dispatch(int argc, char **argv, struct cli *cli)
{
	static const struct {
		const char *name;
		int (*run)(int, char **, struct cli *);
	} subs[] = {
		{ "run", match_run },         { "verify", match_verify },
		{ "explain", match_explain }, { "stats", match_stats },
		{ "cutoffs", match_cutoffs }, { "export", match_export },
	};

	cmd = cli_find("match");
	if (argc < 2)
		return cli_usage_error(cmd, "match needs a subcommand: run, verify, explain, stats, "
					    "cutoffs or export");
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].run(argc, argv, cli);
	return cli_usage_error(cmd, "'%s' is not a match subcommand", argv[1]);
}

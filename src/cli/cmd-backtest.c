/*
 * cmd-backtest.c - kasip backtest: the forecast projected from a past base
 * year beside what was observed, with the two naive forecasts (docs/backtest.md).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kasip/backtest.h"

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static const char *tr(struct cli *cli, const char *msgid)
{
	return ksp_tr(cli->lang, msgid);
}

/* A number or "" for NAN. */
static const char *num(struct cli *cli, double v, int dec, enum cli_format fmt, char *b, size_t n)
{
	if (isnan(v))
		return "";
	return cli_num(v, dec, fmt, cli->lang, b, n);
}

static const char *dim_title(struct cli *cli, int dim)
{
	switch (dim) {
	case KSP_BT_REGION: return tr(cli, "Employment by region");
	case KSP_BT_SECTION: return tr(cli, "Employment by OKED section, the country");
	default: return tr(cli, "Employment by ISCO-08 major group, the country");
	}
}

static const char *borders_label(struct cli *cli, int borders)
{
	switch (borders) {
	case KSP_BT_CURRENT: return tr(cli, "today's borders");
	case KSP_BT_CONSISTENT: return tr(cli, "consistent borders");
	default: return tr(cli, "the country");
	}
}

/* Every row with its errors (csv, json). */
static void print_rows(struct cli *cli, const struct ksp_backtest_row *rows, size_t n,
		       enum cli_format fmt)
{
	struct out_table *t = out_table_new();
	char b[64];

	out_table_col(t, "dimension", 0);
	out_table_col(t, "borders", 0);
	out_table_col(t, "code", 0);
	out_table_col(t, "year", OUT_NUM);
	out_table_col(t, "horizon", OUT_NUM);
	out_table_col(t, "observed", OUT_NUM);
	for (int m = 0; m < KSP_BT_NMETHOD; m++) {
		char name[64];

		out_table_col(t, ksp_backtest_method_name(m), OUT_NUM);
		snprintf(name, sizeof(name), "%s_error", ksp_backtest_method_name(m));
		out_table_col(t, name, OUT_NUM);
		snprintf(name, sizeof(name), "%s_pct_error", ksp_backtest_method_name(m));
		out_table_col(t, name, OUT_NUM);
	}
	out_table_col(t, "estimated", OUT_NUM);
	for (size_t i = 0; i < n; i++) {
		const struct ksp_backtest_row *r = &rows[i];

		out_table_cell(t, ksp_backtest_dim_name(r->dim));
		out_table_cell(t, ksp_backtest_borders_name(r->borders));
		out_table_cell(t, r->code);
		out_table_cellf(t, "%d", r->year);
		out_table_cellf(t, "%d", r->horizon);
		out_table_cell(t, num(cli, r->observed, 3, fmt, b, sizeof(b)));
		for (int m = 0; m < KSP_BT_NMETHOD; m++) {
			double p = r->projected[m];

			out_table_cell(t, num(cli, p, 3, fmt, b, sizeof(b)));
			out_table_cell(t, num(cli, p - r->observed, 3, fmt, b, sizeof(b)));
			out_table_cell(t, num(cli, ksp_backtest_pct_error(p, r->observed), 3, fmt, b,
					      sizeof(b)));
		}
		out_table_cellf(t, "%d", r->estimated);
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
}

/* The summaries (csv, json with --summary). */
static void print_summary_rows(const struct ksp_backtest_summary *s, size_t n, enum cli_format fmt)
{
	struct out_table *t = out_table_new();

	out_table_col(t, "dimension", 0);
	out_table_col(t, "borders", 0);
	out_table_col(t, "year", OUT_NUM);
	out_table_col(t, "horizon", OUT_NUM);
	out_table_col(t, "method", 0);
	out_table_col(t, "units", OUT_NUM);
	out_table_col(t, "mape", OUT_NUM);
	out_table_col(t, "mean_pct_error", OUT_NUM);
	out_table_col(t, "max_ape", OUT_NUM);
	out_table_col(t, "beats_nochange", OUT_NUM);
	for (size_t i = 0; i < n; i++) {
		out_table_cell(t, ksp_backtest_dim_name(s[i].dim));
		out_table_cell(t, ksp_backtest_borders_name(s[i].borders));
		out_table_cellf(t, "%d", s[i].year);
		out_table_cellf(t, "%d", s[i].horizon);
		out_table_cell(t, ksp_backtest_method_name(s[i].method));
		out_table_cellf(t, "%d", s[i].n);
		out_table_cellf(t, "%.3f", s[i].mape);
		out_table_cellf(t, "%.3f", s[i].mpe);
		out_table_cellf(t, "%.3f", s[i].maxape);
		out_table_cellf(t, "%d", s[i].beats_nochange);
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
}

static const struct ksp_backtest_summary *find_summary(const struct ksp_backtest_summary *s,
						       size_t n, int dim, int borders, int year,
						       int method)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].dim == dim && s[i].borders == borders && s[i].year == year &&
		    s[i].method == method)
			return &s[i];
	return NULL;
}

/* MAPE by year of one dimension and borders: model, no change, trend. */
static void print_mape(struct cli *cli, const struct ksp_backtest_summary *s, size_t n, int dim,
		       int borders, const struct ksp_backtest_run *run)
{
	struct out_table *t;
	char b[64];
	int any = 0;

	for (size_t i = 0; i < n; i++)
		any |= s[i].dim == dim && s[i].borders == borders;
	if (!any)
		return;
	printf("%s%s%s: %s\n", dim_title(cli, dim), dim == KSP_BT_REGION ? ", " : "",
	       dim == KSP_BT_REGION ? borders_label(cli, borders) : "",
	       tr(cli, "mean absolute percentage error (MAPE) over the units"));
	t = out_table_new();
	out_table_col(t, tr(cli, "year"), OUT_NUM);
	out_table_col(t, tr(cli, "horizon"), OUT_NUM);
	out_table_col(t, tr(cli, "units"), OUT_NUM);
	out_table_col(t, tr(cli, "model"), OUT_NUM);
	out_table_col(t, tr(cli, "no change"), OUT_NUM);
	out_table_col(t, tr(cli, "trend"), OUT_NUM);
	out_table_col(t, tr(cli, "model bias"), OUT_NUM);
	out_table_col(t, tr(cli, "model beats no change"), OUT_NUM);
	for (int y = run->base_year; y <= run->to_year; y++) {
		const struct ksp_backtest_summary *m[KSP_BT_NMETHOD];
		int units = 0;

		for (int k = 0; k < KSP_BT_NMETHOD; k++) {
			m[k] = find_summary(s, n, dim, borders, y, k);
			if (m[k] && m[k]->n > units)
				units = m[k]->n;
		}
		/* in the base year the projections are the observations, except the occupations
		   the staffing matrix spreads */
		if (!units || (y == run->base_year && dim != KSP_BT_OCCUPATION))
			continue;
		out_table_cellf(t, "%d", y);
		out_table_cellf(t, "%d", y - run->base_year);
		out_table_cellf(t, "%d", units);
		for (int k = 0; k < KSP_BT_NMETHOD; k++)
			out_table_cell(t, m[k] ? num(cli, m[k]->mape, 1, FMT_TABLE, b, sizeof(b)) : "");
		out_table_cell(t, m[0] ? num(cli, m[0]->mpe, 1, FMT_TABLE, b, sizeof(b)) : "");
		if (m[0])
			out_table_cellf(t, "%d/%d", m[0]->beats_nochange, m[0]->n);
		else
			out_table_cell(t, "");
		out_table_end_row(t);
	}
	out_table_print(t, FMT_TABLE, stdout);
	out_table_free(t);
	printf("\n");
}

/* The units of one dimension and borders in one year: observed, projections, percent errors. */
static void print_units(struct cli *cli, const struct ksp_backtest_row *rows, size_t n, int dim,
			int borders, int year)
{
	struct out_table *t;
	char b[64];
	int any = 0;

	for (size_t i = 0; i < n; i++)
		any |= rows[i].dim == dim && rows[i].borders == borders && rows[i].year == year;
	if (!any)
		return;
	printf("%s%s%s, %d (%s)\n", dim_title(cli, dim), dim == KSP_BT_REGION ? ", " : "",
	       dim == KSP_BT_REGION ? borders_label(cli, borders) : "", year,
	       tr(cli, "thousand persons; error in percent of the observed"));
	t = out_table_new();
	out_table_col(t, tr(cli, "code"), 0);
	out_table_col(t, tr(cli, "observed"), OUT_NUM);
	out_table_col(t, tr(cli, "model"), OUT_NUM);
	out_table_col(t, tr(cli, "error %"), OUT_NUM);
	out_table_col(t, tr(cli, "no change"), OUT_NUM);
	out_table_col(t, tr(cli, "error %"), OUT_NUM);
	out_table_col(t, tr(cli, "trend"), OUT_NUM);
	out_table_col(t, tr(cli, "error %"), OUT_NUM);
	out_table_col(t, tr(cli, "estimated"), 0);
	for (size_t i = 0; i < n; i++) {
		const struct ksp_backtest_row *r = &rows[i];

		if (r->dim != dim || r->borders != borders || r->year != year)
			continue;
		out_table_cell(t, r->code);
		out_table_cell(t, num(cli, r->observed, 1, FMT_TABLE, b, sizeof(b)));
		for (int m = 0; m < KSP_BT_NMETHOD; m++) {
			out_table_cell(t, num(cli, r->projected[m], 1, FMT_TABLE, b, sizeof(b)));
			out_table_cell(t, num(cli, ksp_backtest_pct_error(r->projected[m], r->observed),
					      1, FMT_TABLE, b, sizeof(b)));
		}
		out_table_cell(t, r->estimated ? tr(cli, "yes") : "");
		out_table_end_row(t);
	}
	out_table_print(t, FMT_TABLE, stdout);
	out_table_free(t);
	printf("\n");
}

static int last_year_of(const struct ksp_backtest_row *rows, size_t n, int dim)
{
	int y = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i].dim == dim && rows[i].year > y)
			y = rows[i].year;
	return y;
}

static void print_report(struct cli *cli, const struct ksp_backtest_run *run,
			 const struct ksp_backtest_row *rows, size_t n,
			 const struct ksp_backtest_summary *s, size_t ns)
{
	printf("%s %lld: %s %d, %s %d\n", tr(cli, "Back-test run"), run->id, tr(cli, "base year"),
	       run->base_year, tr(cli, "compared to"), run->to_year);
	if (run->model[0])
		printf("%s: %s (%s %s, %s %s)\n", tr(cli, "model"), run->model, tr(cli, "scenario"),
		       run->scenario, tr(cli, "growth"), run->growth);
	if (run->note[0])
		printf("%s", run->note);
	printf("%s\n\n", tr(cli, "error = projected - observed (positive: too high); naive "
				 "forecasts: no change from the base year, and the linear trend of "
				 "the five years to it"));
	print_mape(cli, s, ns, KSP_BT_REGION, KSP_BT_CURRENT, run);
	print_mape(cli, s, ns, KSP_BT_REGION, KSP_BT_CONSISTENT, run);
	print_mape(cli, s, ns, KSP_BT_SECTION, KSP_BT_NATIONAL, run);
	print_mape(cli, s, ns, KSP_BT_OCCUPATION, KSP_BT_NATIONAL, run);
	print_units(cli, rows, n, KSP_BT_REGION, KSP_BT_NATIONAL, last_year_of(rows, n, 0));
	print_units(cli, rows, n, KSP_BT_REGION, KSP_BT_CURRENT, last_year_of(rows, n, 0));
	print_units(cli, rows, n, KSP_BT_SECTION, KSP_BT_NATIONAL,
		    last_year_of(rows, n, KSP_BT_SECTION));
	print_units(cli, rows, n, KSP_BT_OCCUPATION, KSP_BT_NATIONAL, run->base_year);
	print_units(cli, rows, n, KSP_BT_OCCUPATION, KSP_BT_NATIONAL,
		    last_year_of(rows, n, KSP_BT_OCCUPATION));
}

/* PREFIX-national.svg, PREFIX-mape-regions.svg, PREFIX-mape-sections.svg. */
static int write_charts(struct cli *cli, long long run_id, const char *prefix)
{
	static const struct {
		int chart;
		const char *suffix;
	} charts[] = {
		{ KSP_BT_CHART_NATIONAL, "national" },
		{ KSP_BT_CHART_MAPE_REGION, "mape-regions" },
		{ KSP_BT_CHART_MAPE_SECTION, "mape-sections" },
	};

	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		char path[4096], *svg = NULL;
		FILE *f;
		int rc = ksp_backtest_svg(cli->store, run_id, charts[i].chart, cli->lang, &svg,
					  &cli->err);

		if (rc)
			return cli_fail(cli, rc);
		snprintf(path, sizeof(path), "%s-%s.svg", prefix, charts[i].suffix);
		f = fopen(path, "w");
		if (!f || fputs(svg, f) == EOF || fputc('\n', f) == EOF || fclose(f)) {
			fprintf(stderr, "kasip: cannot write \"%s\": %s\n", path, strerror(errno));
			ksp_backtest_free(svg);
			return EXIT_BAD_INPUT;
		}
		ksp_backtest_free(svg);
		cli_error("wrote '%s'", path);
	}
	return EXIT_OK;
}

/* The coverage table's rows of one run. */
static void coverage_rows(struct cli *cli, struct out_table *t, const struct ksp_backtest_run *run,
			  const struct ksp_backtest_row *rows, size_t n, double sigma, int in_fit)
{
	static const int what[][2] = { { KSP_BT_SECTION, KSP_BT_NATIONAL },
				       { KSP_BT_REGION, KSP_BT_CURRENT },
				       { KSP_BT_REGION, KSP_BT_NATIONAL } };
	char b[64];

	for (size_t w = 0; w < sizeof(what) / sizeof(what[0]); w++) {
		struct ksp_backtest_coverage c;

		ksp_backtest_coverage(rows, n, what[w][0], what[w][1], sigma, 1000, &c);
		for (int h = 1; h <= KSP_BT_MAX_HORIZON; h++) {
			if (!c.count[h])
				continue;
			out_table_cellf(t, "%lld", run->id);
			out_table_cellf(t, "%d", run->base_year);
			out_table_cell(t, in_fit ? tr(cli, "yes") : tr(cli, "no"));
			out_table_cell(t, w == 2 ? tr(cli, "the country")
				       : w == 1  ? tr(cli, "regions")
						 : tr(cli, "OKED sections"));
			out_table_cellf(t, "%d", h);
			out_table_cell(t, num(cli, 100 * (c.lo[h] - 1), 1, FMT_TABLE, b, sizeof(b)));
			out_table_cell(t, num(cli, 100 * (c.hi[h] - 1), 1, FMT_TABLE, b, sizeof(b)));
			out_table_cellf(t, "%d/%d", c.in[h], c.count[h]);
			out_table_end_row(t);
		}
		if (c.n) {
			out_table_cellf(t, "%lld", run->id);
			out_table_cellf(t, "%d", run->base_year);
			out_table_cell(t, in_fit ? tr(cli, "yes") : tr(cli, "no"));
			out_table_cell(t, w == 2 ? tr(cli, "the country")
				       : w == 1  ? tr(cli, "regions")
						 : tr(cli, "OKED sections"));
			out_table_cell(t, tr(cli, "all"));
			out_table_cell(t, "");
			out_table_cell(t, "");
			out_table_cellf(t, "%d/%d (%.0f %%)", c.inside, c.n, 100.0 * c.inside / c.n);
			out_table_end_row(t);
		}
	}
}

/*
 * kasip backtest --calibrate RUN[,RUN...] [--run ID]: the growth spread fitted
 * to the model's errors of the listed runs, and the coverage of the P10-P90
 * band it gives on each of them and on --run (docs/backtest.md).
 */
static int calibrate(struct cli *cli, const char *list, long long check)
{
	struct ksp_backtest_fit fit[2];
	struct ksp_backtest_run runs[32];
	long long ids[33];
	int nids = 0, rc = EXIT_OK;
	struct out_table *t;
	char b[64];

	for (const char *p = list; *p;) {
		char *end;
		long long id = strtoll(p, &end, 10);

		if (end == p || id <= 0 || (*end && *end != ',') || nids == 32)
			return cli_usage_error(cli_find("backtest"),
					       "--calibrate takes run ids separated by commas, not '%s'",
					       list);
		ids[nids++] = id;
		p = *end ? end + 1 : end;
	}
	if (!cli_store(cli))
		return EXIT_BAD_INPUT;
	ksp_backtest_fit_init(&fit[0], KSP_BT_SECTION, KSP_BT_NATIONAL);
	ksp_backtest_fit_init(&fit[1], KSP_BT_REGION, KSP_BT_CURRENT);
	for (int i = 0; i < nids; i++) {
		struct ksp_backtest_row *rows = NULL;
		size_t n = 0;

		if ((rc = ksp_backtest_get(cli->store, ids[i], &runs[i], &cli->err)) ||
		    (rc = ksp_backtest_rows(cli->store, ids[i], &rows, &n, &cli->err)))
			return cli_fail(cli, rc);
		ksp_backtest_fit_add(&fit[0], rows, n);
		ksp_backtest_fit_add(&fit[1], rows, n);
		ksp_backtest_free(rows);
	}
	ksp_backtest_fit_finish(&fit[0]);
	ksp_backtest_fit_finish(&fit[1]);

	printf("%s\n", tr(cli, "The model's log errors by horizon, pooled over the runs, and the "
			       "fit sd = sigma x horizon (percent)"));
	t = out_table_new();
	out_table_col(t, tr(cli, "units"), 0);
	out_table_col(t, tr(cli, "horizon"), OUT_NUM);
	out_table_col(t, tr(cli, "errors"), OUT_NUM);
	out_table_col(t, tr(cli, "root mean square"), OUT_NUM);
	out_table_col(t, tr(cli, "bias"), OUT_NUM);
	out_table_col(t, tr(cli, "fit"), OUT_NUM);
	for (int k = 0; k < 2; k++)
		for (int h = 1; h <= KSP_BT_MAX_HORIZON; h++) {
			if (!fit[k].count[h])
				continue;
			out_table_cell(t, k ? tr(cli, "regions") : tr(cli, "OKED sections"));
			out_table_cellf(t, "%d", h);
			out_table_cellf(t, "%d", fit[k].count[h]);
			out_table_cell(t, num(cli, 100 * fit[k].rms[h], 1, FMT_TABLE, b, sizeof(b)));
			out_table_cell(t, num(cli, 100 * fit[k].bias[h], 1, FMT_TABLE, b, sizeof(b)));
			out_table_cell(t,
				       num(cli, 100 * fit[k].sigma * h, 1, FMT_TABLE, b, sizeof(b)));
			out_table_end_row(t);
		}
	out_table_print(t, FMT_TABLE, stdout);
	out_table_free(t);
	cli_printf("sigma fitted on the OKED sections: %.4f a year (%d errors); on the regions: "
		   "%.4f (%d errors, for comparison only: the Monte Carlo has no regional shift)",
		   fit[0].sigma, fit[0].n, fit[1].sigma, fit[1].n);
	printf("\n\n");
	if (!isfinite(fit[0].sigma)) {
		fprintf(stderr, "kasip: %s\n",
			tr(cli, "no section errors to fit: the runs have no model projection"));
		return EXIT_BAD_INPUT;
	}

	printf("%s\n", tr(cli, "Coverage of the P10-P90 band the fitted sigma gives (should be "
			       "near 80 %); band relative to the model's projection, percent"));
	t = out_table_new();
	out_table_col(t, tr(cli, "run"), OUT_NUM);
	out_table_col(t, tr(cli, "base year"), OUT_NUM);
	out_table_col(t, tr(cli, "in the fit"), 0);
	out_table_col(t, tr(cli, "units"), 0);
	out_table_col(t, tr(cli, "horizon"), OUT_NUM);
	out_table_col(t, "P10", OUT_NUM);
	out_table_col(t, "P90", OUT_NUM);
	out_table_col(t, tr(cli, "inside"), OUT_NUM);
	for (int i = 0; i <= nids; i++) {
		struct ksp_backtest_run other;
		const struct ksp_backtest_run *run = i < nids ? &runs[i] : &other;
		struct ksp_backtest_row *rows = NULL;
		size_t n = 0;
		int seen = 0;

		if (i == nids) {
			for (int j = 0; j < nids; j++)
				seen |= ids[j] == check;
			if (!check || seen)
				break;
			if ((rc = ksp_backtest_get(cli->store, check, &other, &cli->err))) {
				out_table_free(t);
				return cli_fail(cli, rc);
			}
		}
		if ((rc = ksp_backtest_rows(cli->store, run->id, &rows, &n, &cli->err))) {
			out_table_free(t);
			return cli_fail(cli, rc);
		}
		coverage_rows(cli, t, run, rows, n, fit[0].sigma, i < nids);
		ksp_backtest_free(rows);
	}
	out_table_print(t, FMT_TABLE, stdout);
	out_table_free(t);
	return EXIT_OK;
}

int cmd_backtest(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("backtest");
	enum cli_format fmt = FMT_TABLE;
	struct ksp_backtest_options opt;
	struct ksp_backtest_run run;
	struct ksp_backtest_row *rows = NULL;
	struct ksp_backtest_summary *sum = NULL;
	size_t n = 0, ns = 0;
	const char *v;
	long base = 0, to = 0, run_id = 0;
	const char *chart = NULL, *cal = NULL;
	int r, rc, summary = 0, naive = 0;

	memset(&opt, 0, sizeof(opt));
	for (int i = 1; i < argc; i++) {
		if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "base", &v)) != 0) {
			if (r < 0 || parse_int(v, 1990, 2100, &base))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--base takes a year, not '%s'", v);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "to", &v)) != 0) {
			if (r < 0 || parse_int(v, 1990, 2100, &to))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--to takes a year, not '%s'", v);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "scenario", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			opt.scenario = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "growth", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (!strcmp(v, "scenario"))
				opt.growth = KSP_BT_GROWTH_SCENARIO;
			else if (!strcmp(v, "trend"))
				opt.growth = KSP_BT_GROWTH_TREND;
			else
				return cli_usage_error(cmd, "--growth takes scenario or trend, not '%s'",
						       v);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "run", &v)) != 0) {
			if (r < 0 || parse_int(v, 1, 2000000000L, &run_id))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--run takes a run id, not '%s'", v);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "calibrate", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			cal = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "chart", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			chart = v;
		} else if (!strcmp(argv[i], "--summary")) {
			summary = 1;
		} else if (!strcmp(argv[i], "--naive-only")) {
			naive = 1;
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (cal)
		return calibrate(cli, cal, run_id);
	if (!run_id && (!base || !to))
		return cli_usage_error(cmd, "give --base YEAR and --to YEAR (or --run ID)");
	if (!run_id && base >= to)
		return cli_usage_error(cmd, "--base %ld must come before --to %ld", base, to);
	if (!cli_store(cli))
		return EXIT_BAD_INPUT;
	if (run_id) {
		rc = ksp_backtest_get(cli->store, run_id, &run, &cli->err);
	} else {
		opt.base_year = (int)base;
		opt.to_year = (int)to;
		opt.naive_only = naive;
		rc = ksp_backtest_run(cli->store, &opt, &run, &cli->err);
	}
	if (!rc)
		rc = ksp_backtest_rows(cli->store, run.id, &rows, &n, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	if (chart && (rc = write_charts(cli, run.id, chart)))
		goto out;
	ksp_backtest_summarise(rows, n, &sum, &ns);
	if (fmt == FMT_TABLE)
		print_report(cli, &run, rows, n, sum, ns);
	else if (summary)
		print_summary_rows(sum, ns, fmt);
	else
		print_rows(cli, rows, n, fmt);
	rc = EXIT_OK;
out:
	ksp_backtest_free(rows);
	ksp_backtest_free(sum);
	return rc;
}

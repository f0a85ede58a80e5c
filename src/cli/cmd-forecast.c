/*
 * cmd-forecast.c - kasip forecast: run the labour-market forecast, store it,
 * and print the national (or one region's) summary; or, with --format csv
 * or json, the stored cells region x occupation x year.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kasip/forecast.h"


#define WDC_SHORTFALL 0.12 /* Workforce Development Center: 12 % shortfall by 2030 (kz-facts) */

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

static const char *region_label(const struct ksp_region *regs, size_t n, const char *kato,
				const char *lang)
{
	if (!strcmp(kato, KSP_FORECAST_NATIONAL))
		return cli_tr("Kazakhstan");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(regs[i].kato, kato))
			return ksp_region_name(&regs[i], lang);
	return kato;
}

static const char *occ_label(const struct ksp_occupation *occ, size_t n, const char *code,
			     const char *lang)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(occ[i].code, code))
			return ksp_occupation_title(&occ[i], lang);
	return "";
}

/* "12,345" or "12,345 (11,000..13,500)" */
static const char *with_band(double v, const double *band, enum cli_format fmt, const char *lang,
			     char *buf, size_t size)
{
	char a[48], lo[48], hi[48];

	cli_num(v, 0, fmt, lang, a, sizeof(a));
	if (!band || isnan(band[0]))
		snprintf(buf, size, "%s", a);
	else
		snprintf(buf, size, "%s (%s..%s)", a, cli_num(band[0], 0, fmt, lang, lo, sizeof(lo)),
			 cli_num(band[2], 0, fmt, lang, hi, sizeof(hi)));
	return buf;
}

/* A percentage with one decimal in the command's language ("12.3", "12,3"). */
static const char *pct(double v, char *buf, size_t size)
{
	return ksp_fmt_number(cli_lang(), v, 1, buf, size);
}

/* x as a percentage of demand d (0 without demand) */
static double share(double x, double d)
{
	return d > 0 ? 100 * x / d : 0;
}

/* Largest gap net of other entrants, as a share of demand, first; then by code. */
static int cmp_gap_with_entrants(const void *pa, const void *pb)
{
	const struct ksp_forecast_gap *a = pa, *b = pb;
	double x = share(a->gap - a->other_entrants, a->demand);
	double y = share(b->gap - b->other_entrants, b->demand);

	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(a->code, b->code);
}

/* The published single-year figure of year y among pf, or NULL. */
static const struct ksp_published_figure *published_year(const struct ksp_published_figure *pf,
							size_t n, const char *region, int y)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(pf[i].region, region) && pf[i].year_from == y && pf[i].year_to == y)
			return &pf[i];
	return NULL;
}

/* kasip's need of region over from..to (the years the run has), from all the run's totals. */
static double need_sum(const struct ksp_forecast_total *all, size_t n, const char *region,
		       int from, int to)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		if (!strcmp(all[i].region, region) && all[i].year >= from && all[i].year <= to)
			sum += all[i].need;
	return sum;
}

/* "The ministry published X for A-B ..., kasip's need over C-D is Y." for a span figure. */
static void print_need_span(struct cli *cli, const struct ksp_forecast_run *run,
			    const struct ksp_published_figure *pf, size_t npf,
			    const struct ksp_published_figure *span, const struct ksp_forecast_total *all,
			    size_t nall)
{
	const int from = run->base_year + 1;
	const int to = span->year_to < run->target_year ? span->year_to : run->target_year;
	const struct ksp_published_figure *first =
		published_year(pf, npf, span->region, run->base_year);
	char a[48], b[48], c[48];

	cli_num(span->value, 0, FMT_TABLE, cli->lang, a, sizeof(a));
	cli_num(need_sum(all, nall, span->region, from, to), 0, FMT_TABLE, cli->lang, c,
		sizeof(c));
	if (span->year_from == run->base_year && first) {
		/* the ministry's base year has no flows in kasip: set the rest beside kasip's */
		cli_num(span->value - first->value, 0, FMT_TABLE, cli->lang, b, sizeof(b));
		cli_printf("The ministry published %s for %d-%d, %s for %d-%d without its figure for "
			   "%d; kasip's need over %d-%d is %s.\n",
			   a, span->year_from, span->year_to, b, span->year_from + 1, span->year_to,
			   span->year_from, from, to, c);
	} else {
		cli_printf("The ministry published %s for %d-%d; kasip's need over %d-%d is %s.\n", a,
			   span->year_from, span->year_to, from, to, c);
	}
}

/*
 * The ministry's "need" beside kasip's (docs/methodology.md, "The
 * ministry's need"): net new jobs + retirements by year, and the ministry's
 * published figures (table published-figures) beside them; in the
 * national summary, the regions it published too.
 */
static int print_need(struct cli *cli, const struct ksp_forecast_run *run,
		      const struct ksp_forecast_total *tot, size_t nt, int national)
{
	struct ksp_published_figure *pf = NULL;
	struct ksp_forecast_total *all = NULL;
	struct ksp_region *regs = NULL;
	size_t npf = 0, nall = 0, nregs = 0, nspan = 0, shown = 0;
	int have_year = 0;
	const char *where = tot[0].region, *lang = cli->lang;
	struct out_table *t;
	double sum = 0;
	int rc;

	if (isnan(tot[nt - 1].need)) {
		cli_printf("\nRun %lld was stored before kasip kept the exits by cause: run the forecast "
			   "again to see the ministry's need beside kasip's.\n",
			   run->id);
		return KSP_OK;
	}
	rc = ksp_published_figures(cli->store, KSP_FIGURE_MINISTRY_NEED, NULL, &pf, &npf,
				   &cli->err);
	if (!rc)
		rc = ksp_forecast_totals(cli->store, run->id, NULL, &all, &nall, &cli->err);
	if (!rc)
		rc = ksp_region_list(cli->store, 0, &regs, &nregs, &cli->err);
	if (rc)
		goto out;

	cli_printf("\nThe ministry's \"need\" beside kasip's (docs/methodology.md): net new jobs "
		   "(the change in demand) + retirements (the workers who leave at or past the "
		   "pension age); not the deaths of workers, their other exits (study, military "
		   "service, care, disability) or transfers. Persons.\n");
	for (size_t i = 0; i < npf; i++)
		have_year |= !strcmp(pf[i].region, where) && pf[i].year_from == pf[i].year_to;
	t = out_table_new();
	out_table_col(t, "year", OUT_NUM);
	out_table_col(t, "net new jobs", OUT_NUM);
	out_table_col(t, "retirements", OUT_NUM);
	out_table_col(t, "need", OUT_NUM);
	if (have_year)
		out_table_col(t, "ministry, published", OUT_NUM);
	for (size_t i = 0; i < nt; i++) {
		const struct ksp_published_figure *p = published_year(pf, npf, where, tot[i].year);
		char b[48];

		if (tot[i].year == run->base_year && !p)
			continue;
		out_table_cellf(t, "%d", tot[i].year);
		if (tot[i].year == run->base_year) {
			/* no flows in the base year: the ministry's figure alone */
			for (int k = 0; k < 3; k++)
				out_table_cell(t, "");
		} else {
			sum += tot[i].need;
			out_table_cell(t, cli_num(tot[i].expansion, 0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(tot[i].retirements, 0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(tot[i].need, 0, FMT_TABLE, lang, b, sizeof(b)));
		}
		if (have_year)
			out_table_cell(t, p ? cli_num(p->value, 0, FMT_TABLE, lang, b, sizeof(b)) : "");
		out_table_end_row(t);
	}
	{
		char b[48];

		out_table_cellf(t, "%d-%d", run->base_year + 1, run->target_year);
		out_table_cell(t, "");
		out_table_cell(t, "");
		out_table_cell(t, cli_num(sum, 0, FMT_TABLE, lang, b, sizeof(b)));
		if (have_year)
			out_table_cell(t, "");
		out_table_end_row(t);
	}
	out_table_print(t, FMT_TABLE, stdout);
	out_table_free(t);

	for (size_t i = 0; i < npf; i++)
		if (!strcmp(pf[i].region, where) && pf[i].year_from < pf[i].year_to)
			print_need_span(cli, run, pf, npf, &pf[i], all, nall);
	for (size_t i = 0; i < npf; i++)
		if (strcmp(pf[i].region, KSP_FORECAST_NATIONAL) && pf[i].year_from < pf[i].year_to)
			nspan++;
	if (national && nspan) {
		cli_printf("\nThe regions the ministry published, beside kasip's need over %d-%d:\n",
			   run->base_year + 1, run->target_year);
		t = out_table_new();
		out_table_col(t, "region", 0);
		out_table_col(t, "need", OUT_NUM);
		out_table_col(t, "ministry, published", OUT_NUM);
		out_table_col(t, "its years", 0);
		for (size_t i = 0; i < npf; i++) {
			char b[48];

			if (!strcmp(pf[i].region, KSP_FORECAST_NATIONAL) ||
			    pf[i].year_from == pf[i].year_to)
				continue;
			out_table_cell(t, region_label(regs, nregs, pf[i].region, lang));
			out_table_cell(t, cli_num(need_sum(all, nall, pf[i].region, run->base_year + 1,
							   run->target_year),
						  0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(pf[i].value, 0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cellf(t, "%d-%d", pf[i].year_from, pf[i].year_to);
			out_table_end_row(t);
		}
		out_table_print(t, FMT_TABLE, stdout);
		out_table_free(t);
	}
	/* where the figures shown come from: each source once */
	for (size_t i = 0; i < npf; i++) {
		int seen = !national && strcmp(pf[i].region, where);

		for (size_t j = 0; j < i && !seen; j++)
			seen = !strcmp(pf[j].source, pf[i].source) &&
			       (national || !strcmp(pf[j].region, where));
		if (!seen) {
			cli_printf("Source of the ministry's figures: %s, %s (%s).\n", pf[i].publisher,
				   pf[i].url, pf[i].source);
			shown++;
		}
	}
	if (shown)
		cli_printf("Its method is not published; kasip does not tune to it.\n");
out:
	ksp_forecast_free(pf);
	ksp_forecast_free(all);
	ksp_region_list_free(regs);
	return rc;
}

static int print_summary(struct cli *cli, const struct ksp_forecast_run *run, const char *region)
{
	struct ksp_forecast_total *tot = NULL;
	struct ksp_forecast_gap *gr = NULL, *go = NULL;
	struct ksp_region *regs = NULL;
	struct ksp_occupation *occ = NULL;
	const int glevel = run->level >= 2 ? 2 : 1; /* the summary lists sub-major groups */
	const int isco = !strcmp(run->classification, "ISCO-08");
	struct ksp_occupation_query oq = { run->classification, glevel, NULL, NULL };
	struct out_table *t;
	size_t nt, ngr = 0, ngo = 0, nregs = 0, nocc = 0;
	const char *want = region ? region : KSP_FORECAST_NATIONAL;
	const char *lang = cli->lang;
	double cum = 0;
	int rc, drawn = run->draws > 0;

	rc = ksp_forecast_totals(cli->store, run->id, want, &tot, &nt, &cli->err);
	if (!rc && !nt)
		rc = ksp_error_set(&cli->err, KSP_ENOTFOUND, "run %lld has no totals for \"%s\"",
				   run->id, want);
	if (!rc)
		rc = ksp_region_list(cli->store, 0, &regs, &nregs, &cli->err);
	if (!rc)
		rc = ksp_occupation_list(cli->store, &oq, &occ, &nocc, &cli->err);
	if (!rc && !region)
		rc = ksp_forecast_gaps(cli->store, run->id, 0, 0, run->target_year, 0, &gr, &ngr,
				       &cli->err);
	if (!rc && !region)
		rc = ksp_forecast_gaps(cli->store, run->id, 1, glevel, run->target_year, 10, &go, &ngo,
				       &cli->err);
	if (rc)
		goto out;

	cli_printf("kasip forecast: run %lld, scenario '%s', %d-%d, %s level %d", run->id,
	       run->scenario, run->base_year, run->target_year, run->classification, run->level);
	if (drawn)
		cli_printf(cli_trn(", %d draw (seed %llu): P10..P90 of demand and balance in brackets",
				   ", %d draws (seed %llu): P10..P90 of demand and balance in brackets",
				   (unsigned long)run->draws),
		       run->draws, run->seed);
	cli_printf("\n%s, persons. Openings = expansion + exits + transfers; new supply = graduates "
	       "entering work + migrants who work + the labour reserve drawn + transfers in.\n\n",
	       region_label(regs, nregs, tot[0].region, lang));

	t = out_table_new();
	out_table_col(t, "year", OUT_NUM);
	out_table_col(t, "population", OUT_NUM);
	out_table_col(t, "labour force", OUT_NUM);
	out_table_col(t, "demand", OUT_NUM);
	out_table_col(t, "openings", OUT_NUM);
	out_table_col(t, "new supply", OUT_NUM);
	out_table_col(t, "balance", OUT_NUM);
	out_table_col(t, "cumulative gap", OUT_NUM);
	out_table_col(t, "shortfall %", OUT_NUM);
	for (size_t i = 0; i < nt; i++) {
		char b[128];
		const struct ksp_forecast_total *x = &tot[i];

		if (x->year > run->base_year)
			cum -= x->balance;
		out_table_cellf(t, "%d", x->year);
		/* bands on demand and balance only: the table stays readable */
		out_table_cell(t, with_band(x->population, NULL, FMT_TABLE, lang, b, sizeof(b)));
		out_table_cell(t, with_band(x->labour_force, NULL, FMT_TABLE, lang, b, sizeof(b)));
		out_table_cell(t, with_band(x->demand, drawn ? x->band[KSP_FT_DEMAND] : NULL, FMT_TABLE,
					    lang, b, sizeof(b)));
		if (x->year == run->base_year) {
			for (int k = 0; k < 5; k++)
				out_table_cell(t, "");
		} else {
			out_table_cell(t, with_band(x->openings, NULL, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, with_band(x->new_supply, NULL, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, with_band(x->balance, drawn ? x->band[KSP_FT_BALANCE] : NULL,
						    FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(cum, 0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(100 * x->shortfall, 1, FMT_TABLE, lang, b, sizeof(b)));
		}
		out_table_end_row(t);
	}
	out_table_print(t, FMT_TABLE, stdout);
	out_table_free(t);

	if (!region) {
		char p1[32], p2[32], p3[32], p4[32];

		cli_printf("\nNational shortfall in %d: %s %% of demand (sum over regions and level-%d "
			   "%s groups of the cumulative gaps openings - new supply since %d that are "
			   "positive; %s %% net of surpluses)",
			   run->shortfall_year, pct(100 * run->shortfall, p1, sizeof(p1)), run->level,
			   run->classification, run->base_year,
			   pct(100 * run->shortfall_net, p2, sizeof(p2)));
		if (!isnan(run->shortfall_p10))
			cli_printf(", P10..P90 %s..%s %%", pct(100 * run->shortfall_p10, p1, sizeof(p1)),
				   pct(100 * run->shortfall_p90, p2, sizeof(p2)));
		{
			const size_t ty = (size_t)(run->shortfall_year - run->base_year);
			char oe[48];

			cli_num(tot[ty < nt - 1 ? ty : nt - 1].other_entrants, 0, FMT_TABLE, cli->lang,
				oe, sizeof(oe));
			cli_printf(".\nCounting also the other entrants the demography implies (school "
				   "leavers without a diploma, re-entrants: %s in %d), the shortfall is "
				   "%s %% (%s %% net).\n",
				   oe, run->shortfall_year, pct(100 * run->shortfall_all, p3, sizeof(p3)),
				   pct(100 * run->shortfall_all_net, p4, sizeof(p4)));
		}
		{
			double drawn_sum = 0;
			char rv[48];

			for (size_t i = 0; i < nt; i++)
				if (tot[i].year > run->base_year && tot[i].year <= run->shortfall_year)
					drawn_sum += tot[i].reserve;
			cli_num(drawn_sum, 0, FMT_TABLE, cli->lang, rv, sizeof(rv));
			cli_printf("New supply includes the labour reserve drawn into work (the unemployed "
				   "and the people outside the labour force who would take a job): %s over "
				   "%d-%d.\n",
				   rv, run->base_year + 1, run->shortfall_year);
		}
		cli_printf("For comparison, the Workforce Development Center published a %.0f %% "
			   "shortfall by 2030 (its base and method are not public; kasip does not tune "
			   "to it).\n",
			   100 * WDC_SHORTFALL);
		if ((rc = print_need(cli, run, tot, nt, 1)))
			goto out;

		cli_printf(cli_trn("\n%zu region by cumulative gap to %d, largest shortage first "
				   "counting the other entrants (negative: surplus):\n",
				   "\n%zu regions by cumulative gap to %d, largest shortage first "
				   "counting the other entrants (negative: surplus):\n",
				   (unsigned long)ngr),
			   ngr, run->target_year);
		qsort(gr, ngr, sizeof(*gr), cmp_gap_with_entrants);
		t = out_table_new();
		out_table_col(t, "region", 0);
		out_table_col(t, "gap", OUT_NUM);
		out_table_col(t, "% of demand", OUT_NUM);
		out_table_col(t, "other entrants", OUT_NUM);
		out_table_col(t, "gap with them", OUT_NUM);
		out_table_col(t, "with them %", OUT_NUM);
		for (size_t i = 0; i < ngr; i++) {
			char b[64];

			out_table_cell(t, region_label(regs, nregs, gr[i].code, lang));
			out_table_cell(t, cli_num(gr[i].gap, 0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(share(gr[i].gap, gr[i].demand), 1, FMT_TABLE, lang, b,
						  sizeof(b)));
			out_table_cell(t, cli_num(gr[i].other_entrants, 0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(gr[i].gap - gr[i].other_entrants, 0, FMT_TABLE, lang, b,
						  sizeof(b)));
			out_table_cell(t, cli_num(share(gr[i].gap - gr[i].other_entrants, gr[i].demand), 1,
						  FMT_TABLE, lang, b, sizeof(b)));
			out_table_end_row(t);
		}
		out_table_print(t, FMT_TABLE, stdout);
		out_table_free(t);

		if (isco && glevel == 2)
			cli_printf("\nISCO-08 sub-major groups with the largest cumulative gaps to %d "
				   "(country):\n",
				   run->target_year);
		else if (isco)
			cli_printf("\nISCO-08 major groups with the largest cumulative gaps to %d "
				   "(country):\n",
				   run->target_year);
		else
			cli_printf("\n%s level-%d groups with the largest cumulative gaps to %d "
				   "(country):\n",
				   run->classification, glevel, run->target_year);
		t = out_table_new();
		if (isco)
			out_table_col(t, "isco", 0);
		else
			out_table_col(t, "code", 0);
		out_table_col(t, "group", 0);
		out_table_col(t, "gap", OUT_NUM);
		out_table_col(t, "% of demand", OUT_NUM);
		for (size_t i = 0; i < ngo; i++) {
			char b[64];

			out_table_cell(t, go[i].code);
			out_table_cell(t, occ_label(occ, nocc, go[i].code, lang));
			out_table_cell(t, cli_num(go[i].gap, 0, FMT_TABLE, lang, b, sizeof(b)));
			out_table_cell(t, cli_num(go[i].demand > 0 ? 100 * go[i].gap / go[i].demand : 0,
						  1, FMT_TABLE, lang, b, sizeof(b)));
			out_table_end_row(t);
		}
		out_table_print(t, FMT_TABLE, stdout);
		out_table_free(t);
	}
	if (region && (rc = print_need(cli, run, tot, nt, 0)))
		goto out;
	cli_printf("\nStored as run %lld: 'kasip forecast --run %lld --format csv' gives every cell.\n",
	       run->id, run->id);
out:
	ksp_forecast_free(tot);
	ksp_forecast_free(gr);
	ksp_forecast_free(go);
	ksp_region_list_free(regs);
	ksp_occupation_list_free(occ);
	return rc ? cli_fail(cli, rc) : EXIT_OK;
}

static int print_cells(struct cli *cli, const struct ksp_forecast_run *run, const char *region,
		       int year, enum cli_format fmt)
{
	struct ksp_forecast_cell_query q = { .run_id = run->id, .region = region, .year = year };
	struct ksp_forecast_cell *c = NULL;
	struct out_table *t;
	size_t n;
	int rc, drawn = run->draws > 0;
	/* band[k][j]: the CSV and JSON keys; with msgctxt "column", the headers people read */
	static const char *const bandname[4][3] = {
		{ KSP_NC_("column", "demand_p10"), KSP_NC_("column", "demand_p50"),
		  KSP_NC_("column", "demand_p90") },
		{ KSP_NC_("column", "openings_p10"), KSP_NC_("column", "openings_p50"),
		  KSP_NC_("column", "openings_p90") },
		{ KSP_NC_("column", "new_supply_p10"), KSP_NC_("column", "new_supply_p50"),
		  KSP_NC_("column", "new_supply_p90") },
		{ KSP_NC_("column", "balance_p10"), KSP_NC_("column", "balance_p50"),
		  KSP_NC_("column", "balance_p90") },
	};

	rc = ksp_forecast_cells(cli->store, &q, &c, &n, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	t = out_table_new();
	out_table_col(t, "run", OUT_NUM);
	out_table_col(t, "region", 0);
	out_table_col(t, "occupation", 0);
	out_table_col(t, "year", OUT_NUM);
	{
		/* CSV and JSON keys; with msgctxt "column", the headers people read */
		static const char *const cols[] = {
			KSP_NC_("column", "demand"),	     KSP_NC_("column", "expansion"),
			KSP_NC_("column", "exits"),	     KSP_NC_("column", "transfers"),
			KSP_NC_("column", "openings"),	     KSP_NC_("column", "graduates"),
			KSP_NC_("column", "migrants"),	     KSP_NC_("column", "transfers_in"),
			KSP_NC_("column", "new_supply"),     KSP_NC_("column", "balance"),
			KSP_NC_("column", "shortage_ratio"), KSP_NC_("column", "other_entrants"),
		};

		for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++)
			out_table_col(t, cols[k], OUT_NUM);
	}
	if (drawn)
		for (int k = 0; k < 4; k++)
			for (int j = 0; j < 3; j++)
				out_table_col(t, bandname[k][j], OUT_NUM);
	/* last, so that the columns before it keep their places */
	out_table_col(t, "reserve", OUT_NUM);
	for (size_t i = 0; i < n; i++) {
		char b[64];
		const double v[12] = { c[i].demand,    c[i].expansion, c[i].exits,
				       c[i].transfers, c[i].openings,  c[i].graduates,
				       c[i].migrants,  c[i].transfers_in, c[i].new_supply,
				       c[i].balance,   c[i].shortage_ratio, c[i].other_entrants };

		out_table_cellf(t, "%lld", run->id);
		out_table_cell(t, c[i].region);
		out_table_cell(t, c[i].occupation);
		out_table_cellf(t, "%d", c[i].year);
		for (int k = 0; k < 12; k++)
			out_table_cell(t, cli_num(v[k], k == 10 ? 6 : 2, fmt, cli->lang, b, sizeof(b)));
		if (drawn)
			for (int k = 0; k < 4; k++)
				for (int j = 0; j < 3; j++)
					out_table_cell(t, isnan(c[i].band[k][j])
								  ? ""
								  : cli_num(c[i].band[k][j], 2, fmt,
									    cli->lang, b, sizeof(b)));
		out_table_cell(t, cli_num(c[i].reserve, 2, fmt, cli->lang, b, sizeof(b)));
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_forecast_free(c);
	return EXIT_OK;
}

int cmd_forecast(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("forecast");
	enum cli_format fmt = FMT_TABLE;
	struct ksp_forecast_options opt;
	struct ksp_forecast_run run;
	const char *v, *region = NULL;
	long n, run_id = 0, year = 0;
	int r, rc, have_seed = 0, cells = 0, inputs = 0;

	memset(&opt, 0, sizeof(opt));
	for (int i = 1; i < argc; i++) {
		if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "scenario", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			opt.scenario = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "to", &v)) != 0) {
			if (r < 0 || parse_int(v, 1900, 2200, &n))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--to takes a year, not '%s'", v);
			opt.target_year = (int)n;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "level", &v)) != 0) {
			if (r < 0 || parse_int(v, 1, 4, &n))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--level takes 1 to 4, not '%s'", v);
			opt.level = (int)n;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "classification", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			opt.classification = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "region", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			region = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "draws", &v)) != 0) {
			if (r < 0 || parse_int(v, 2, 100000, &n))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--draws takes 2 to 100000, not '%s'",
							       v);
			opt.draws = (int)n;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "seed", &v)) != 0) {
			char *end;

			if (r < 0)
				return EXIT_USAGE;
			errno = 0;
			opt.seed = strtoull(v, &end, 10);
			if (errno || end == v || *end || *v == '-')
				return cli_usage_error(cmd, "--seed takes a non-negative integer, not '%s'",
						       v);
			have_seed = 1;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "threads", &v)) != 0) {
			if (r < 0 || parse_int(v, 1, 16, &n))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--threads takes 1 to 16, not '%s'",
							       v);
			opt.threads = (int)n;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "bands", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (!strcmp(v, "all"))
				opt.band_years = KSP_BANDS_ALL;
			else if (!strcmp(v, "target"))
				opt.band_years = KSP_BANDS_TARGET;
			else
				return cli_usage_error(cmd, "--bands takes all or target, not '%s'", v);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "run", &v)) != 0) {
			if (r < 0 || parse_int(v, 1, 2000000000L, &run_id))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--run takes a run id, not '%s'", v);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "year", &v)) != 0) {
			if (r < 0 || parse_int(v, 1900, 2200, &year))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--year takes a year, not '%s'", v);
		} else if (!strcmp(argv[i], "--cells")) {
			cells = 1;
		} else if (!strcmp(argv[i], "--inputs")) {
			inputs = 1;
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (have_seed && !opt.draws)
		return cli_usage_error(cmd, "--seed needs --draws");
	/* reading a stored run needs no write access (a full disk, a read-only copy) */
	if (!(run_id ? cli_store_read(cli) : cli_store(cli)))
		return EXIT_BAD_INPUT;
	if (region && strcmp(region, KSP_FORECAST_NATIONAL)) {
		struct ksp_region reg;

		rc = ksp_region_find(cli->store, region, &reg, &cli->err);
		if (rc)
			return cli_fail(cli, rc);
	}
	if (run_id) {
		rc = ksp_forecast_run_get(cli->store, run_id, NULL, &run, &cli->err);
	} else {
		opt.region = region;
		if (fmt == FMT_TABLE && !cells)
			cli_error("running the forecast (scenario '%s')...",
				opt.scenario ? opt.scenario : "baseline");
		rc = ksp_forecast_run(cli->store, &opt, &run, &cli->err);
	}
	if (rc)
		return cli_fail(cli, rc);
	if (inputs) {
		char *text = NULL;

		rc = ksp_forecast_run_inputs(cli->store, run.id, &text, &cli->err);
		if (rc)
			return cli_fail(cli, rc);
		fputs(text, stdout);
		ksp_forecast_free(text);
		return EXIT_OK;
	}
	if (fmt != FMT_TABLE || cells)
		return print_cells(cli, &run, region, (int)year, fmt);
	return print_summary(cli, &run, region);
}

/*
 * backtest.c - the back-test: read the past series, hand the model what was
 * known in the base year, compare its projection and the two naive ones with
 * what was observed, and store the run (docs/backtest.md).
 *
 * Method: the ex-post evaluation of the US BLS (projected - observed, APE,
 * MAPE over units, naive no-change and trend yardsticks;
 * docs/reference/forecast-methods.md).
 */
#include "backtest/backtest.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define SPAN_FIRST 1990
#define SPAN_LAST 2100
#define ISCO08_FIRST 2009 /* ILOSTAT's ISCO-08 series starts here */

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void now_iso(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---- reading the history tables ------------------------------------------------ */

/* Rows (code, year, value) of sql into a series whose units are the codes met, in order. */
static int read_series(struct ksp_store *s, const char *sql, struct ksp_bt_series *out,
		       struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char (*codes)[KSP_BT_CODE] = NULL;
	int *year = NULL, *unit = NULL;
	double *val = NULL;
	size_t n = 0, alloc = 0, nc = 0, calloc_ = 0, ay = 0, au = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ksp_stmt_prepare(s, sql, &st, err)))
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *code = ksp_stmt_column_text(st, 0);
		size_t c;

		for (c = 0; c < nc; c++)
			if (!strcmp(codes[c], code))
				break;
		if (c == nc) {
			if (nc >= KSP_BT_MAX_UNIT) {
				rc = ksp_error_set(err, KSP_EINVAL, "history: more than %d units",
						   KSP_BT_MAX_UNIT);
				goto out;
			}
			KSP_ALLOC_GROW(codes, nc + 1, calloc_);
			snprintf(codes[nc++], KSP_BT_CODE, "%s", code);
		}
		KSP_ALLOC_GROW(val, n + 1, alloc);
		KSP_ALLOC_GROW(year, n + 1, ay);
		KSP_ALLOC_GROW(unit, n + 1, au);
		unit[n] = (int)c;
		year[n] = (int)ksp_stmt_column_int64(st, 1);
		val[n++] = ksp_stmt_column_double(st, 2);
	}
	if (rc != KSP_DONE)
		goto out;
	rc = KSP_OK;
	ksp_bt_series_init(out, (int)nc, SPAN_FIRST, SPAN_LAST);
	if (nc)
		memcpy(out->code, codes, nc * sizeof(*codes));
	for (size_t i = 0; i < n; i++)
		ksp_bt_set(out, unit[i], year[i], val[i], 0);
out:
	ksp_stmt_finalize(st);
	free(codes);
	free(year);
	free(unit);
	free(val);
	return rc;
}

/* The concordance of the territories (not the country) with today's regions (ISO codes). */
static int read_concordance(struct ksp_store *s, struct ksp_bt_concordance *c,
			    struct ksp_error *err)
{
	struct ksp_bt_series tmp;
	struct ksp_stmt *st = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	/* the regions of today, in KATO order */
	rc = read_series(s, "SELECT iso, 0, 0 FROM region WHERE type <> 'country' ORDER BY kato",
			 &tmp, err);
	if (rc)
		return rc;
	c->nreg = tmp.nunit;
	c->reg = ksp_xcalloc((size_t)c->nreg + 1, sizeof(*c->reg));
	memcpy(c->reg, tmp.code, (size_t)c->nreg * sizeof(*c->reg));
	ksp_bt_series_release(&tmp);
	rc = read_series(s,
			 "SELECT DISTINCT c.territory, 0, 0 FROM history_concordance c "
			 "JOIN region r ON r.kato = c.region WHERE r.type <> 'country' "
			 "ORDER BY c.territory",
			 &tmp, err);
	if (rc)
		return rc;
	c->nterr = tmp.nunit;
	c->terr = ksp_xcalloc((size_t)c->nterr + 1, sizeof(*c->terr));
	memcpy(c->terr, tmp.code, (size_t)c->nterr * sizeof(*c->terr));
	ksp_bt_series_release(&tmp);
	c->share = ksp_xcalloc((size_t)c->nterr * c->nreg + 1, sizeof(double));
	rc = ksp_stmt_prepare(s,
			      "SELECT c.territory, r.iso, c.share FROM history_concordance c "
			      "JOIN region r ON r.kato = c.region WHERE r.type <> 'country'",
			      &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		int t = -1, r = -1;

		for (int i = 0; i < c->nterr; i++)
			if (!strcmp(c->terr[i], ksp_stmt_column_text(st, 0)))
				t = i;
		for (int i = 0; i < c->nreg; i++)
			if (!strcmp(c->reg[i], ksp_stmt_column_text(st, 1)))
				r = i;
		if (t >= 0 && r >= 0)
			c->share[(size_t)t * c->nreg + r] = ksp_stmt_column_double(st, 2);
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	return ksp_bt_concordance_check(c, err);
}

/* ---- comparing ------------------------------------------------------------------ */

struct rows {
	struct ksp_backtest_row *r;
	size_t n, alloc;
};

static void add_row(struct rows *rs, int dim, int borders, const char *code, int base, int year,
		    double obs, double model, double nochange, double trend, int est)
{
	struct ksp_backtest_row *r;

	if (isnan(obs))
		return;
	KSP_ALLOC_GROW(rs->r, rs->n + 1, rs->alloc);
	r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->dim = dim;
	r->borders = borders;
	snprintf(r->code, sizeof(r->code), "%s", code);
	r->year = year;
	r->horizon = year - base;
	r->observed = obs;
	r->projected[KSP_BT_MODEL] = model;
	r->projected[KSP_BT_NOCHANGE] = nochange;
	r->projected[KSP_BT_TREND] = trend;
	r->estimated = est;
}

/* Every unit of obs in the years base..to beside the model (proj, same units) and the naive ones. */
static void compare(struct rows *rs, int dim, int borders, const struct ksp_bt_series *obs,
		    const struct ksp_bt_series *proj, int base, int to)
{
	for (int u = 0; u < obs->nunit; u++) {
		int pu = proj ? ksp_bt_unit(proj, obs->code[u]) : -1;
		double v0 = ksp_bt_get(obs, u, base);

		if (isnan(v0))
			continue;
		for (int y = base; y <= to; y++) {
			int e = y >= obs->first && y < obs->first + obs->nyears &&
				obs->est[(size_t)u * obs->nyears + (y - obs->first)];

			e |= obs->est[(size_t)u * obs->nyears + (base - obs->first)];
			add_row(rs, dim, borders, obs->code[u], base, y, ksp_bt_get(obs, u, y),
				pu >= 0 ? ksp_bt_get(proj, pu, y) : NAN, v0,
				ksp_bt_trend(obs, u, base, y), e);
		}
	}
}

/* The model's regions summed into the consistent groups (group[r] of region r). */
static void sum_groups(const struct ksp_bt_series *reg, const int *group,
		       const struct ksp_bt_series *groups, struct ksp_bt_series *out)
{
	ksp_bt_series_init(out, groups->nunit, reg->first, reg->first + reg->nyears - 1);
	memcpy(out->code, groups->code, (size_t)groups->nunit * sizeof(*groups->code));
	for (int y = reg->first; y < reg->first + reg->nyears; y++)
		for (int g = 0; g < groups->nunit; g++) {
			double sum = 0;
			int any = 0;

			for (int r = 0; r < reg->nunit; r++)
				if (group[r] == g) {
					sum += ksp_bt_get(reg, r, y);
					any = 1;
				}
			if (any)
				ksp_bt_set(out, g, y, sum, 0);
		}
}

/* The country: the sum of the model's regions. */
static void sum_all(const struct ksp_bt_series *reg, struct ksp_bt_series *out)
{
	ksp_bt_series_init(out, 1, reg->first, reg->first + reg->nyears - 1);
	snprintf(out->code[0], KSP_BT_CODE, "KZ");
	for (int y = reg->first; y < reg->first + reg->nyears; y++) {
		double sum = 0;

		for (int r = 0; r < reg->nunit; r++)
			sum += ksp_bt_get(reg, r, y);
		if (reg->nunit)
			ksp_bt_set(out, 0, y, sum, 0);
	}
}

static void init_like(struct ksp_bt_series *out, const struct ksp_bt_series *like, int first,
		      int last)
{
	ksp_bt_series_init(out, like->nunit, first, last);
	if (like->nunit)
		memcpy(out->code, like->code, (size_t)like->nunit * sizeof(*like->code));
}

/* ---- storing ----------------------------------------------------------------------- */

static void bind_opt(struct ksp_stmt *st, int i, double v)
{
	if (isnan(v))
		ksp_stmt_bind_null(st, i);
	else
		ksp_stmt_bind_double(st, i, v);
}

static int store_run(struct ksp_store *s, struct ksp_backtest_run *run, const struct rows *rs,
		     struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	long long id = 0;
	int rc;

	if ((rc = ksp_store_begin(s, err)))
		return rc;
	rc = ksp_store_query_int(s, "SELECT coalesce(max(id), 0) + 1 FROM backtest_run", &id, err,
				 (const char *)NULL);
	if (rc < 0)
		goto out;
	run->id = id;
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO backtest_run (id, created, base_year, to_year, scenario, "
			      "growth, model, note, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		goto out;
	ksp_stmt_bind_int64(st, 1, id);
	ksp_stmt_bind_text(st, 2, run->created, -1);
	ksp_stmt_bind_int64(st, 3, run->base_year);
	ksp_stmt_bind_int64(st, 4, run->to_year);
	ksp_stmt_bind_text(st, 5, run->scenario, -1);
	ksp_stmt_bind_text(st, 6, run->growth, -1);
	ksp_stmt_bind_text(st, 7, run->model, -1);
	ksp_stmt_bind_text(st, 8, run->note, -1);
	ksp_stmt_bind_double(st, 9, run->seconds);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	st = NULL;
	if (rc != KSP_DONE)
		goto out;
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO backtest_result (run_id, dimension, borders, code, year, "
			      "observed, model, nochange, trend, estimated) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < rs->n; i++) {
		const struct ksp_backtest_row *r = &rs->r[i];

		ksp_stmt_reset(st);
		ksp_stmt_bind_int64(st, 1, id);
		ksp_stmt_bind_text(st, 2, ksp_backtest_dim_name(r->dim), -1);
		ksp_stmt_bind_text(st, 3, ksp_backtest_borders_name(r->borders), -1);
		ksp_stmt_bind_text(st, 4, r->code, -1);
		ksp_stmt_bind_int64(st, 5, r->year);
		ksp_stmt_bind_double(st, 6, r->observed);
		bind_opt(st, 7, r->projected[KSP_BT_MODEL]);
		bind_opt(st, 8, r->projected[KSP_BT_NOCHANGE]);
		bind_opt(st, 9, r->projected[KSP_BT_TREND]);
		ksp_stmt_bind_int64(st, 10, r->estimated);
		if ((rc = ksp_stmt_step(st, err)) != KSP_DONE)
			goto out;
	}
	rc = KSP_OK;
out:
	ksp_stmt_finalize(st);
	if (rc == KSP_OK)
		return ksp_store_commit(s, err);
	ksp_store_rollback(s);
	return rc;
}

/* ---- the run ------------------------------------------------------------------------ */

int ksp_bt_run_with(struct ksp_store *s, const struct ksp_backtest_options *opt,
		    ksp_bt_model_fn model, void *ctx, struct ksp_backtest_run *run,
		    struct ksp_error *err)
{
	struct ksp_bt_series terr = { 0 }, nat = { 0 }, reg = { 0 }, grp = { 0 }, sec = { 0 },
			     occ = { 0 };
	struct ksp_bt_series kreg = { 0 }, ksec = { 0 }, kocc = { 0 };
	struct ksp_bt_series mgrp = { 0 }, mnat = { 0 };
	struct ksp_bt_projection proj;
	struct ksp_bt_concordance c = { 0 };
	struct ksp_backtest_run info;
	struct ksp_strbuf note = KSP_STRBUF_INIT;
	struct rows rs = { 0 };
	int *group = NULL, rc, base, to, have_model = 0;
	double t0 = wall_now();

	memset(&proj, 0, sizeof(proj));
	memset(&info, 0, sizeof(info));
	if (!opt || opt->base_year < SPAN_FIRST || opt->to_year > SPAN_LAST ||
	    opt->base_year >= opt->to_year)
		return ksp_error_set(err, KSP_EUSAGE,
				     "backtest: the base year must come before the last year "
				     "compared, both in %d..%d",
				     SPAN_FIRST, SPAN_LAST);
	if (opt->growth != KSP_BT_GROWTH_SCENARIO && opt->growth != KSP_BT_GROWTH_TREND)
		return ksp_error_set(err, KSP_EUSAGE, "backtest: unknown growth %d", opt->growth);
	base = opt->base_year;
	to = opt->to_year;

	/* the past series */
	if ((rc = read_series(s,
			      "SELECT territory, year, value FROM history_employment "
			      "WHERE territory <> 'KZ' ORDER BY territory, year",
			      &terr, err)) ||
	    (rc = read_series(s,
			      "SELECT territory, year, value FROM history_employment "
			      "WHERE territory = 'KZ' ORDER BY year",
			      &nat, err)) ||
	    (rc = read_series(s,
			      "SELECT industry, year, value FROM history_employment_section "
			      "WHERE industry <> 'TOTAL' ORDER BY industry, year",
			      &sec, err)) ||
	    (rc = read_series(s,
			      "SELECT major_group, year, value FROM history_employment_occupation "
			      "WHERE classification = 'ISCO-08' AND major_group IN "
			      "('1','2','3','4','5','6','7','8','9') ORDER BY major_group, year",
			      &occ, err)) ||
	    (rc = read_concordance(s, &c, err)))
		goto out;
	if (isnan(ksp_bt_get(&nat, 0, base))) {
		rc = ksp_error_set(err, KSP_ENOTFOUND,
				   "backtest: no employment by region observed in the base year %d "
				   "(history-employment; 2015 is missing in the source)",
				   base);
		goto out;
	}
	ksp_bt_to_regions(&c, &terr, &reg);
	group = ksp_xcalloc((size_t)c.nreg + 1, sizeof(int));
	ksp_bt_groups(&c, &terr, base - KSP_BT_TREND_YEARS, to, group, &grp);

	/* the model sees the years up to the base year only */
	ksp_bt_series_upto(&kreg, &reg, base);
	ksp_bt_series_upto(&ksec, &sec, base);
	ksp_bt_series_upto(&kocc, &occ, base);
	init_like(&proj.region, &reg, base, to);
	init_like(&proj.section, &sec, base, to);
	init_like(&proj.occupation, &occ, base, to);
	if (model) {
		struct ksp_bt_known k = { base, to, &kreg, &ksec, &kocc, opt->growth };

		if ((rc = model(ctx, &k, &proj, err)))
			goto out;
		have_model = 1;
	} else {
		ksp_strbuf_addstr(&note, "no model: the naive forecasts only\n");
	}

	/* regions: today's borders, consistent borders, the country */
	compare(&rs, KSP_BT_REGION, KSP_BT_CURRENT, &reg, have_model ? &proj.region : NULL, base,
		to);
	sum_groups(&proj.region, group, &grp, &mgrp);
	compare(&rs, KSP_BT_REGION, KSP_BT_CONSISTENT, &grp, have_model ? &mgrp : NULL, base, to);
	sum_all(&proj.region, &mnat);
	compare(&rs, KSP_BT_REGION, KSP_BT_NATIONAL, &nat, have_model ? &mnat : NULL, base, to);
	/* sections and occupations: the country */
	if (isnan(ksp_bt_get(&sec, 0, base)))
		ksp_strbuf_addf(&note, "sections: none observed in %d (the series starts in 2010)\n",
				base);
	compare(&rs, KSP_BT_SECTION, KSP_BT_NATIONAL, &sec, have_model ? &proj.section : NULL,
		base, to);
	if (base < ISCO08_FIRST || isnan(ksp_bt_get(&occ, 0, base + 1)))
		ksp_strbuf_addf(&note,
				"occupations: ISCO-08 major groups are observed in 2009-2013 only; "
				"none to compare from %d\n",
				base);
	else
		compare(&rs, KSP_BT_OCCUPATION, KSP_BT_NATIONAL, &occ,
			have_model ? &proj.occupation : NULL, base, to);

	info.base_year = base;
	info.to_year = to;
	snprintf(info.scenario, sizeof(info.scenario), "%s",
		 model && opt->scenario ? opt->scenario : model ? "baseline" : "");
	snprintf(info.growth, sizeof(info.growth), "%s",
		 !model ? "" : opt->growth == KSP_BT_GROWTH_TREND ? "trend" : "scenario");
	snprintf(info.model, sizeof(info.model), "%s", proj.what);
	snprintf(info.note, sizeof(info.note), "%s", note.buf ? note.buf : "");
	now_iso(info.created, sizeof(info.created));
	info.seconds = wall_now() - t0;
	if ((rc = store_run(s, &info, &rs, err)))
		goto out;
	if (run)
		*run = info;
out:
	ksp_bt_series_release(&terr);
	ksp_bt_series_release(&nat);
	ksp_bt_series_release(&reg);
	ksp_bt_series_release(&grp);
	ksp_bt_series_release(&sec);
	ksp_bt_series_release(&occ);
	ksp_bt_series_release(&kreg);
	ksp_bt_series_release(&ksec);
	ksp_bt_series_release(&kocc);
	ksp_bt_series_release(&mgrp);
	ksp_bt_series_release(&mnat);
	ksp_bt_series_release(&proj.region);
	ksp_bt_series_release(&proj.section);
	ksp_bt_series_release(&proj.occupation);
	ksp_bt_concordance_release(&c);
	ksp_strbuf_release(&note);
	free(group);
	free(rs.r);
	return rc;
}

int ksp_backtest_run(struct ksp_store *s, const struct ksp_backtest_options *opt,
		     struct ksp_backtest_run *run, struct ksp_error *err)
{
	struct ksp_bt_engine eng = { s, opt && opt->scenario ? opt->scenario : "baseline" };

	if (opt && !opt->naive_only)
		return ksp_bt_run_with(s, opt, ksp_bt_engine_project, &eng, run, err);
	return ksp_bt_run_with(s, opt, NULL, NULL, run, err);
}

/* ---- reading runs back --------------------------------------------------------------- */

static void run_from_row(struct ksp_stmt *st, struct ksp_backtest_run *out)
{
	memset(out, 0, sizeof(*out));
	out->id = ksp_stmt_column_int64(st, 0);
	snprintf(out->created, sizeof(out->created), "%s", ksp_stmt_column_text(st, 1));
	out->base_year = (int)ksp_stmt_column_int64(st, 2);
	out->to_year = (int)ksp_stmt_column_int64(st, 3);
	snprintf(out->scenario, sizeof(out->scenario), "%s", ksp_stmt_column_text(st, 4));
	snprintf(out->growth, sizeof(out->growth), "%s", ksp_stmt_column_text(st, 5));
	snprintf(out->model, sizeof(out->model), "%s", ksp_stmt_column_text(st, 6));
	snprintf(out->note, sizeof(out->note), "%s", ksp_stmt_column_text(st, 7));
	out->seconds = ksp_stmt_column_double(st, 8);
}

int ksp_backtest_list(struct ksp_store *s, size_t offset, size_t limit,
		      struct ksp_backtest_run **out, size_t *n, int *more, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	struct ksp_backtest_run *v;
	size_t k = 0;
	int rc;

	*out = NULL;
	*n = 0;
	*more = 0;
	if (limit == 0 || limit > 10000)
		return ksp_error_set(err, KSP_EINVAL, "a page of back-test runs holds 1 to 10000");
	rc = ksp_stmt_prepare(s,
			      "SELECT id, created, base_year, to_year, scenario, growth, model, "
			      "note, seconds FROM backtest_run ORDER BY id DESC LIMIT ? OFFSET ?",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, (long long)limit + 1);
	ksp_stmt_bind_int64(st, 2, (long long)offset);
	v = ksp_xcalloc(limit + 1, sizeof(*v));
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW)
		run_from_row(st, &v[k++]);
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(v);
		return rc;
	}
	if (k > limit) {
		k = limit;
		*more = 1;
	}
	*out = v;
	*n = k;
	return KSP_OK;
}

int ksp_backtest_get(struct ksp_store *s, long long id, struct ksp_backtest_run *out,
		     struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	rc = ksp_stmt_prepare(s,
			      id ? "SELECT id, created, base_year, to_year, scenario, growth, model, "
				   "note, seconds FROM backtest_run WHERE id = ?"
				 : "SELECT id, created, base_year, to_year, scenario, growth, model, "
				   "note, seconds FROM backtest_run ORDER BY id DESC LIMIT 1",
			      &st, err);
	if (rc)
		return rc;
	if (id)
		ksp_stmt_bind_int64(st, 1, id);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		run_from_row(st, out);
		rc = KSP_OK;
	} else if (rc == KSP_DONE) {
		rc = id ? ksp_error_set(err, KSP_ENOTFOUND, "no back-test run %lld", id)
			: ksp_error_set(err, KSP_ENOTFOUND,
					"no back-test run yet (run 'kasip backtest --base YEAR "
					"--to YEAR')");
	}
	ksp_stmt_finalize(st);
	return rc;
}

static int parse_name(const char *s, const char *(*name)(int), int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s, name(i)))
			return i;
	return -1;
}

static double col_opt(struct ksp_stmt *st, int col)
{
	return ksp_stmt_column_is_null(st, col) ? NAN : ksp_stmt_column_double(st, col);
}

int ksp_backtest_rows(struct ksp_store *s, long long run_id, struct ksp_backtest_row **out,
		      size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	struct rows rs = { 0 };
	struct ksp_backtest_run run;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ksp_backtest_get(s, run_id, &run, err)))
		return rc;
	rc = ksp_stmt_prepare(s,
			      "SELECT dimension, borders, code, year, observed, model, nochange, "
			      "trend, estimated FROM backtest_result WHERE run_id = ? "
			      "ORDER BY CASE dimension WHEN 'region' THEN 0 WHEN 'section' THEN 1 "
			      "ELSE 2 END, CASE borders WHEN 'current' THEN 0 WHEN 'consistent' "
			      "THEN 1 ELSE 2 END, code, year",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, run.id);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW)
		add_row(&rs, parse_name(ksp_stmt_column_text(st, 0), ksp_backtest_dim_name, KSP_BT_NDIM),
			parse_name(ksp_stmt_column_text(st, 1), ksp_backtest_borders_name,
				   KSP_BT_NATIONAL + 1),
			ksp_stmt_column_text(st, 2), run.base_year, (int)ksp_stmt_column_int64(st, 3),
			ksp_stmt_column_double(st, 4), col_opt(st, 5), col_opt(st, 6),
			col_opt(st, 7), (int)ksp_stmt_column_int64(st, 8));
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(rs.r);
		return rc;
	}
	*out = rs.r;
	*n = rs.n;
	return KSP_OK;
}

void ksp_backtest_free(void *list)
{
	free(list);
}

/*
 * test_backtest.c - the back-test's mechanics on small worlds whose every
 * error is worked out by hand in the comments (docs/backtest.md): percent
 * errors and APE, the naive no-change and trend forecasts with a missing
 * year, MAPE and bias, the concordance of a split territory and the
 * consistent borders, and a whole run stored and read back.  No test
 * asserts an error of the real data.
 */
#include "harness.h"

#include <unistd.h>

#include "backtest/backtest.h"
#include "kasip/kasip.h"
#include "store/store.h"

#define NEAR(a, b) CHECK_NEAR((a), (b), 1e-9)

TEST(percent_error_and_ape)
{
	/* error = projected - observed; percent of the observed */
	NEAR(ksp_backtest_pct_error(110, 100), 10);
	NEAR(ksp_backtest_pct_error(90, 100), -10);
	NEAR(ksp_backtest_pct_error(50, 40), 25);
	CHECK(isnan(ksp_backtest_pct_error(10, 0)));
	CHECK(isnan(ksp_backtest_pct_error(NAN, 100)));
	CHECK(isnan(ksp_backtest_pct_error(100, NAN)));
}

/* One unit, years 2010..2020, NAN where not given. */
static void one_unit(struct ksp_bt_series *s, const int *years, const double *v, int n)
{
	ksp_bt_series_init(s, 1, 2010, 2020);
	snprintf(s->code[0], KSP_BT_CODE, "U");
	for (int i = 0; i < n; i++)
		ksp_bt_set(s, 0, years[i], v[i], 0);
}

TEST(naive_trend_with_a_missing_year)
{
	struct ksp_bt_series s;
	/* base 2016, window 2011..2016, 2015 missing: x = -5 -4 -3 -2 0, y = 100 102 104 106 110.
	   mean x = -2.8, mean y = 104.4; Sxx = 4.84 + 1.44 + 0.04 + 0.64 + 7.84 = 14.8;
	   Sxy = 9.68 + 2.88 + 0.08 + 1.28 + 15.68 = 29.6; slope 2.  From the base value:
	   2019: 110 + 3 * 2 = 116.  The 2010 value lies outside the window. */
	static const int y[] = { 2010, 2011, 2012, 2013, 2014, 2016, 2017 };
	static const double v[] = { 500, 100, 102, 104, 106, 110, 999 };

	one_unit(&s, y, v, 7);
	NEAR(ksp_bt_trend(&s, 0, 2016, 2019), 116);
	NEAR(ksp_bt_trend(&s, 0, 2016, 2016), 110);
	/* no base-year observation (2015): no trend */
	CHECK(isnan(ksp_bt_trend(&s, 0, 2015, 2018)));
	ksp_bt_series_release(&s);

	/* two observations in the window are too few */
	{
		static const int y2[] = { 2015, 2016 };
		static const double v2[] = { 10, 12 };

		one_unit(&s, y2, v2, 2);
		CHECK(isnan(ksp_bt_trend(&s, 0, 2016, 2018)));
		ksp_bt_series_release(&s);
	}
	/* a falling trend stops at zero: slope -50 from 100 gives 0 from year 2 on */
	{
		static const int y3[] = { 2012, 2013, 2014 };
		static const double v3[] = { 200, 150, 100 };

		one_unit(&s, y3, v3, 3);
		NEAR(ksp_bt_trend(&s, 0, 2014, 2015), 50);
		NEAR(ksp_bt_trend(&s, 0, 2014, 2017), 0);
		ksp_bt_series_release(&s);
	}
}

TEST(ols_slope_by_hand)
{
	static const double x[] = { 0, 1, 2 }, y[] = { 1, 3, 2 };

	/* mean x 1, mean y 2; Sxy = (-1)(-1) + 0 + (1)(0) = 1; Sxx = 2 */
	NEAR(ksp_bt_ols_slope(x, y, 3), 0.5);
	CHECK(isnan(ksp_bt_ols_slope(x, y, 1)));
}

static struct ksp_backtest_row row(int dim, int borders, const char *code, int year, double obs,
				   double model, double nochange)
{
	struct ksp_backtest_row r;

	memset(&r, 0, sizeof(r));
	r.dim = dim;
	r.borders = borders;
	snprintf(r.code, sizeof(r.code), "%s", code);
	r.year = year;
	r.horizon = year - 2016;
	r.observed = obs;
	r.projected[KSP_BT_MODEL] = model;
	r.projected[KSP_BT_NOCHANGE] = nochange;
	r.projected[KSP_BT_TREND] = NAN;
	return r;
}

TEST(mape_bias_and_wins)
{
	/* 2020, three regions: observed 100, 200, 50; model 110, 180, 50 (errors +10, -10, 0 %);
	   no change 100, 100, 100 (0, -50, +100 %).  Model MAPE (10 + 10 + 0) / 3 = 6.667, bias 0,
	   largest 10; no change MAPE 50, bias 16.667, largest 100.  The model beats no change in
	   the 2nd and 3rd regions.  The country's row is not a region: left out. */
	struct ksp_backtest_row rows[] = {
		row(KSP_BT_REGION, KSP_BT_CURRENT, "A", 2020, 100, 110, 100),
		row(KSP_BT_REGION, KSP_BT_CURRENT, "B", 2020, 200, 180, 100),
		row(KSP_BT_REGION, KSP_BT_CURRENT, "C", 2020, 50, 50, 100),
		row(KSP_BT_REGION, KSP_BT_NATIONAL, "KZ", 2020, 350, 1000, 1),
		row(KSP_BT_SECTION, KSP_BT_NATIONAL, "A", 2020, 10, 12, NAN),
	};
	struct ksp_backtest_summary *s;
	size_t n;

	ksp_backtest_summarise(rows, 5, &s, &n);
	CHECK_EQ_INT(n, 3); /* regions: model, no change; sections: model */
	if (n == 3) {
		CHECK_EQ_INT(s[0].dim, KSP_BT_REGION);
		CHECK_EQ_INT(s[0].method, KSP_BT_MODEL);
		CHECK_EQ_INT(s[0].n, 3);
		NEAR(s[0].mape, 20.0 / 3);
		NEAR(s[0].mpe, 0);
		NEAR(s[0].maxape, 10);
		CHECK_EQ_INT(s[0].beats_nochange, 2);
		CHECK_EQ_INT(s[1].method, KSP_BT_NOCHANGE);
		NEAR(s[1].mape, 50);
		NEAR(s[1].mpe, 50.0 / 3);
		NEAR(s[1].maxape, 100);
		CHECK_EQ_INT(s[1].beats_nochange, 0);
		CHECK_EQ_INT(s[2].dim, KSP_BT_SECTION);
		NEAR(s[2].mape, 20);
		CHECK_EQ_INT(s[2].n, 1);
	}
	ksp_backtest_free(s);
}

/*
 * A split: territory OLD (to 2009) became regions X (25 %) and Y (75 %);
 * Z never changed.  OLD 2008: 100, 2009: 120; X 2010: 40; Y 2010: 90; Z 50
 * every year but 2009.
 */
static void split_world(struct ksp_bt_concordance *c, struct ksp_bt_series *t)
{
	static const char *const terr[] = { "OLD", "X", "Y", "Z" }, *const reg[] = { "X", "Y", "Z" };
	static const double share[4][3] = { { 0.25, 0.75, 0 }, { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };

	memset(c, 0, sizeof(*c));
	c->nterr = 4;
	c->nreg = 3;
	c->terr = calloc(4, sizeof(*c->terr));
	c->reg = calloc(3, sizeof(*c->reg));
	c->share = calloc(12, sizeof(double));
	for (int i = 0; i < 4; i++) {
		snprintf(c->terr[i], KSP_BT_CODE, "%s", terr[i]);
		for (int r = 0; r < 3; r++)
			c->share[i * 3 + r] = share[i][r];
	}
	for (int r = 0; r < 3; r++)
		snprintf(c->reg[r], KSP_BT_CODE, "%s", reg[r]);
	ksp_bt_series_init(t, 4, 2006, 2012);
	for (int i = 0; i < 4; i++)
		snprintf(t->code[i], KSP_BT_CODE, "%s", terr[3 - i]); /* another order */
	ksp_bt_set(t, 3, 2008, 100, 0);
	ksp_bt_set(t, 3, 2009, 120, 0);
	ksp_bt_set(t, 2, 2010, 40, 0);
	ksp_bt_set(t, 1, 2010, 90, 0);
	for (int y = 2006; y <= 2012; y++)
		if (y != 2009)
			ksp_bt_set(t, 0, y, 50, 0);
}

TEST(concordance_arithmetic)
{
	struct ksp_bt_concordance c;
	struct ksp_bt_series t, r, g;
	int group[3];
	int ng;

	split_world(&c, &t);
	CHECK_EQ_INT(ksp_bt_concordance_check(&c, NULL), KSP_OK);
	ksp_bt_to_regions(&c, &t, &r);
	/* 2009 on today's borders: X = 0.25 * 120 = 30, Y = 0.75 * 120 = 90, both estimated */
	NEAR(ksp_bt_get(&r, 0, 2009), 30);
	NEAR(ksp_bt_get(&r, 1, 2009), 90);
	CHECK(r.est[0 * r.nyears + (2009 - r.first)] == 1);
	/* 2010 as published, not estimated */
	NEAR(ksp_bt_get(&r, 0, 2010), 40);
	CHECK(r.est[0 * r.nyears + (2010 - r.first)] == 0);
	/* Z: 2009 missing stays missing */
	CHECK(isnan(ksp_bt_get(&r, 2, 2009)));
	NEAR(ksp_bt_get(&r, 2, 2008), 50);
	/* nothing before the series */
	CHECK(isnan(ksp_bt_get(&r, 0, 2007)));

	/* consistent borders over 2008..2011: OLD is seen, so X and Y form one group */
	ng = ksp_bt_groups(&c, &t, 2008, 2011, group, &g);
	CHECK_EQ_INT(ng, 2);
	CHECK_EQ_INT(group[0], group[1]);
	CHECK(group[2] != group[0]);
	CHECK_EQ_STR(g.code[group[0]], "X+Y");
	NEAR(ksp_bt_get(&g, group[0], 2009), 120); /* exact: no share */
	NEAR(ksp_bt_get(&g, group[0], 2010), 130);
	NEAR(ksp_bt_get(&g, group[2], 2010), 50);
	CHECK(isnan(ksp_bt_get(&g, group[2], 2009)));
	ksp_bt_series_release(&g);
	/* over 2010..2012 OLD is not seen: three groups, today's regions */
	ng = ksp_bt_groups(&c, &t, 2010, 2012, group, &g);
	CHECK_EQ_INT(ng, 3);
	CHECK_EQ_STR(g.code[group[1]], "Y");
	ksp_bt_series_release(&g);

	/* shares that do not sum to 1 are refused */
	c.share[1] = 0.65;
	CHECK_EQ_INT(ksp_bt_concordance_check(&c, NULL), KSP_EINVAL);
	ksp_bt_series_release(&r);
	ksp_bt_series_release(&t);
	ksp_bt_concordance_release(&c);
}

/* ---- a whole run on a small database ---------------------------------------------------- */

static const char fx_sources[] = "id,kind,title\nfx,user,the test world\n";
static const char fx_regions[] =
	"kato,iso,type,name_en,name_ru,name_kk,source\n"
	"000000000,KZ,country,Country,Country,Country,fx\n"
	"110000000,KZ-11,oblast,North,North,North,fx\n"
	"150000000,KZ-15,oblast,South,South,South,fx\n"
	"230000000,KZ-23,oblast,West,West,West,fx\n";
static const char fx_territories[] =
	"code,name_en,first_year,last_year,source\n"
	"KZ,Country,2011,2018,fx\nOLD,North and South,2012,2013,fx\n"
	"KZ-11,North,2014,2018,fx\nKZ-15,South,2014,2018,fx\nKZ-23,West,2011,2018,fx\n";
static const char fx_concordance[] =
	"territory,region,share,method,source\n"
	"KZ,KZ,1,same,fx\nOLD,KZ-11,0.4,employment_share,fx\nOLD,KZ-15,0.6,employment_share,fx\n"
	"KZ-11,KZ-11,1,same,fx\nKZ-15,KZ-15,1,same,fx\nKZ-23,KZ-23,1,same,fx\n";
/* 2015 is missing, as in the real series */
static const char fx_employment[] =
	"territory,year,employed,source\n"
	"OLD,2012,100,fx\nOLD,2013,110,fx\n"
	"KZ-11,2014,45,fx\nKZ-11,2016,50,fx\nKZ-11,2017,52,fx\nKZ-11,2018,55,fx\n"
	"KZ-15,2014,70,fx\nKZ-15,2016,80,fx\nKZ-15,2017,78,fx\nKZ-15,2018,90,fx\n"
	"KZ-23,2011,20,fx\nKZ-23,2012,21,fx\nKZ-23,2013,22,fx\nKZ-23,2014,23,fx\n"
	"KZ-23,2016,25,fx\nKZ-23,2017,26,fx\nKZ-23,2018,24,fx\n"
	"KZ,2016,155,fx\nKZ,2017,156,fx\nKZ,2018,169,fx\n";

static int saw_future; /* the model was shown a year after the base */

/* A model that grows every region 10 % a year from its base-year value. */
static int ten_percent(void *ctx, const struct ksp_bt_known *k, struct ksp_bt_projection *p,
		       struct ksp_error *err)
{
	(void)ctx;
	(void)err;
	for (int u = 0; u < k->region->nunit; u++) {
		double v = ksp_bt_get(k->region, u, k->base), f = 1;

		for (int y = k->base + 1; y <= 2020; y++)
			saw_future |= !isnan(ksp_bt_get(k->region, u, y));
		for (int y = k->base; y <= k->to; y++, f *= 1.1)
			ksp_bt_set(&p->region, ksp_bt_unit(&p->region, k->region->code[u]), y, v * f,
				   0);
	}
	snprintf(p->what, sizeof(p->what), "ten percent a year");
	return KSP_OK;
}

static const struct ksp_backtest_row *find(const struct ksp_backtest_row *r, size_t n, int borders,
					   const char *code, int year)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].dim == KSP_BT_REGION && r[i].borders == borders &&
		    !strcmp(r[i].code, code) && r[i].year == year)
			return &r[i];
	return NULL;
}

TEST(a_run_stored_and_read_back)
{
	static const struct {
		const char *table, *csv;
	} files[] = {
		{ "sources", fx_sources },
		{ "regions", fx_regions },
		{ "history-territories", fx_territories },
		{ "history-concordance", fx_concordance },
		{ "history-employment", fx_employment },
	};
	struct ksp_store *s = NULL;
	struct ksp_error err;
	struct ksp_backtest_options opt = { 2016, 2018, NULL, KSP_BT_GROWTH_SCENARIO, 0 };
	struct ksp_backtest_run run, got;
	struct ksp_backtest_row *rows = NULL;
	struct ksp_backtest_summary *sum = NULL;
	const struct ksp_backtest_row *r;
	size_t n = 0, ns = 0;
	char path[64];

	snprintf(path, sizeof(path), "test_backtest-%ld.db", (long)getpid());
	unlink(path);
	CHECK_EQ_INT(ksp_store_open(&s, path, KSP_STORE_CREATE, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		int rc = ksp_import_csv_mem(s, files[i].table, files[i].table, files[i].csv,
					    strlen(files[i].csv), NULL, NULL, &err);

		if (rc)
			printf("  %s: %s\n", files[i].table, err.msg);
		CHECK_EQ_INT(rc, KSP_OK);
	}
	/* 2015 is not in the series: it cannot be a base year */
	opt.base_year = 2015;
	CHECK_EQ_INT(ksp_bt_run_with(s, &opt, ten_percent, NULL, &run, &err), KSP_ENOTFOUND);
	opt.base_year = 2016;
	CHECK_EQ_INT(ksp_bt_run_with(s, &opt, ten_percent, NULL, &run, &err), KSP_OK);
	CHECK(!saw_future);
	CHECK_EQ_INT(ksp_backtest_get(s, 0, &got, &err), KSP_OK);
	CHECK_EQ_INT(got.id, run.id);
	CHECK_EQ_INT(got.base_year, 2016);
	CHECK_EQ_STR(got.model, "ten percent a year");
	CHECK_EQ_INT(ksp_backtest_rows(s, run.id, &rows, &n, &err), KSP_OK);

	/* KZ-11 in 2018: observed 55; model 50 * 1.21 = 60.5 (+10 %); no change 50 (-9.0909 %);
	   trend over 2011..2016 of 40 (2012, 0.4 * 100), 44 (2013), 45, 50 at x = -4 -3 -2 0:
	   mean x -2.25, mean y 44.75, Sxx 8.75, Sxy 20.75, slope 2.371429; 50 + 2 * slope. */
	r = find(rows, n, KSP_BT_CURRENT, "KZ-11", 2018);
	CHECK(r != NULL);
	if (r) {
		NEAR(r->observed, 55);
		NEAR(r->projected[KSP_BT_MODEL], 60.5);
		NEAR(r->projected[KSP_BT_NOCHANGE], 50);
		NEAR(r->projected[KSP_BT_TREND], 50 + 2 * 20.75 / 8.75);
		NEAR(ksp_backtest_pct_error(r->projected[KSP_BT_NOCHANGE], r->observed),
		     -500.0 / 55);
		CHECK_EQ_INT(r->horizon, 2);
		CHECK_EQ_INT(r->estimated, 0);
	}
	/* KZ-23: a straight line 20, 21, 22, 23, (2015 missing), 25: trend 2018 = 27 (+12.5 %) */
	r = find(rows, n, KSP_BT_CURRENT, "KZ-23", 2018);
	CHECK(r != NULL);
	if (r)
		NEAR(ksp_backtest_pct_error(r->projected[KSP_BT_TREND], r->observed), 12.5);
	/* consistent borders: OLD is seen in the window, so North and South are one unit:
	   observed 145, model 60.5 + 96.8 = 157.3, no change 130 */
	r = find(rows, n, KSP_BT_CONSISTENT, "KZ-11+KZ-15", 2018);
	CHECK(r != NULL);
	if (r) {
		NEAR(r->observed, 145);
		NEAR(r->projected[KSP_BT_MODEL], 157.3);
		NEAR(r->projected[KSP_BT_NOCHANGE], 130);
	}
	/* the country: 169 observed, 60.5 + 96.8 + 30.25 = 187.55 */
	r = find(rows, n, KSP_BT_NATIONAL, "KZ", 2018);
	CHECK(r != NULL);
	if (r)
		NEAR(r->projected[KSP_BT_MODEL], 187.55);

	/* MAPE 2018 on today's borders: model (10 + 7.5556 + 26.0417) / 3, i.e. errors
	   60.5/55, 96.8/90 and 30.25/24; no change (9.0909 + 11.1111 + 4.1667) / 3 */
	ksp_backtest_summarise(rows, n, &sum, &ns);
	for (size_t i = 0; i < ns; i++) {
		const struct ksp_backtest_summary *x = &sum[i];

		if (x->dim != KSP_BT_REGION || x->borders != KSP_BT_CURRENT || x->year != 2018)
			continue;
		CHECK_EQ_INT(x->n, 3);
		if (x->method == KSP_BT_MODEL)
			NEAR(x->mape, (10 + 100 * 6.8 / 90 + 100 * 6.25 / 24) / 3);
		if (x->method == KSP_BT_NOCHANGE)
			NEAR(x->mape, (100 * 5.0 / 55 + 100 * 10.0 / 90 + 100 * 1.0 / 24) / 3);
	}
	/* no section and no occupation observed: none compared, and the run says so */
	for (size_t i = 0; i < n; i++)
		CHECK(rows[i].dim == KSP_BT_REGION);
	CHECK(strstr(got.note, "occupations") != NULL);

	/* a run without a model keeps the naive forecasts; the model's column is empty */
	CHECK_EQ_INT(ksp_bt_run_with(s, &opt, NULL, NULL, &run, &err), KSP_OK);
	ksp_backtest_free(rows);
	CHECK_EQ_INT(ksp_backtest_rows(s, run.id, &rows, &n, &err), KSP_OK);
	r = find(rows, n, KSP_BT_CURRENT, "KZ-15", 2017);
	CHECK(r != NULL);
	if (r) {
		CHECK(isnan(r->projected[KSP_BT_MODEL]));
		NEAR(r->projected[KSP_BT_NOCHANGE], 80);
	}
	CHECK_EQ_INT(ksp_backtest_get(s, 99, &got, &err), KSP_ENOTFOUND);
	ksp_backtest_free(rows);
	ksp_backtest_free(sum);
	ksp_store_close(s);
	unlink(path);
	{
		char wal[80];

		snprintf(wal, sizeof(wal), "%s-wal", path);
		unlink(wal);
		snprintf(wal, sizeof(wal), "%s-shm", path);
		unlink(wal);
	}
}

/* A row of the model only: dimension, borders, horizon, projected, observed. */
static struct ksp_backtest_row mrow(int dim, int borders, int h, double projected, double observed)
{
	struct ksp_backtest_row r;

	memset(&r, 0, sizeof(r));
	r.dim = dim;
	r.borders = borders;
	r.year = 2016 + h;
	r.horizon = h;
	r.observed = observed;
	r.projected[KSP_BT_MODEL] = projected;
	r.projected[KSP_BT_NOCHANGE] = r.projected[KSP_BT_TREND] = NAN;
	return r;
}

TEST(calibration_fit_and_coverage)
{
	/* Sections: log errors +0.1 at h 1, -0.2 and +0.2 at h 2.  rms(1) = 0.1, bias(1) = 0.1;
	   rms(2) = 0.2, bias(2) = 0; sigma^2 = (0.1^2 + 0.1^2 + 0.1^2) / 3 = 0.01, sigma 0.1.
	   The base year (h 0), a region and a missing observation are not pooled. */
	struct ksp_backtest_row rows[] = {
		mrow(KSP_BT_SECTION, KSP_BT_NATIONAL, 1, 100 * exp(0.1), 100),
		mrow(KSP_BT_SECTION, KSP_BT_NATIONAL, 2, 100 * exp(-0.2), 100),
		mrow(KSP_BT_SECTION, KSP_BT_NATIONAL, 2, 100 * exp(0.2), 100),
		mrow(KSP_BT_SECTION, KSP_BT_NATIONAL, 0, 50, 100),
		mrow(KSP_BT_REGION, KSP_BT_CURRENT, 1, 200, 100),
		mrow(KSP_BT_SECTION, KSP_BT_NATIONAL, 1, 100, NAN),
		/* outside the h 1 band e^(+-1.28155 * 0.1) = [0.8797, 1.1368]: 120 / 100 */
		mrow(KSP_BT_SECTION, KSP_BT_NATIONAL, 1, 100, 120),
	};
	struct ksp_backtest_fit f;
	struct ksp_backtest_coverage c;

	ksp_backtest_fit_init(&f, KSP_BT_SECTION, KSP_BT_NATIONAL);
	ksp_backtest_fit_add(&f, rows, 6);
	ksp_backtest_fit_finish(&f);
	CHECK_EQ_INT(f.n, 3);
	CHECK_EQ_INT(f.count[1], 1);
	CHECK_EQ_INT(f.count[2], 2);
	NEAR(f.rms[1], 0.1);
	NEAR(f.bias[1], 0.1);
	NEAR(f.rms[2], 0.2);
	NEAR(f.bias[2], 0);
	CHECK(isnan(f.rms[3]));
	NEAR(f.sigma, 0.1);

	/* h 1: e^-0.1 = 0.905 inside, 1.2 outside; h 2: e^+-0.2 inside [0.7739, 1.2921] */
	ksp_backtest_coverage(rows, 7, KSP_BT_SECTION, KSP_BT_NATIONAL, 0.1, 1000, &c);
	NEAR(c.lo[1], exp(-KSP_BT_Z90 * 0.1));
	NEAR(c.hi[2], exp(KSP_BT_Z90 * 0.2));
	CHECK_EQ_INT(c.count[1], 2);
	CHECK_EQ_INT(c.in[1], 1);
	CHECK_EQ_INT(c.count[2], 2);
	CHECK_EQ_INT(c.in[2], 2);
	CHECK_EQ_INT(c.n, 4);
	CHECK_EQ_INT(c.inside, 3);

	/* Regions: with sigma 0 the band is the projection itself; the region at h 1 projected
	   200 against 100 observed is outside, none at h 2. */
	ksp_backtest_coverage(rows, 7, KSP_BT_REGION, KSP_BT_CURRENT, 0, 1000, &c);
	NEAR(c.lo[1], 1);
	NEAR(c.hi[1], 1);
	CHECK_EQ_INT(c.n, 1);
	CHECK_EQ_INT(c.inside, 0);
	/* one section's weight: the band is that section's, e^(+-z sigma h), up to sampling */
	{
		struct ksp_backtest_row two[] = { rows[0], rows[4] };

		ksp_backtest_coverage(two, 2, KSP_BT_REGION, KSP_BT_CURRENT, 0.1, 1000, &c);
		CHECK_NEAR(c.hi[1], exp(KSP_BT_Z90 * 0.1), 0.02);
		CHECK_NEAR(c.lo[1], exp(-KSP_BT_Z90 * 0.1), 0.02);
		/* three sections' independent shifts average out: a narrower band */
		ksp_backtest_coverage(rows, 7, KSP_BT_REGION, KSP_BT_CURRENT, 0.1, 1000, &c);
		CHECK(c.hi[1] < exp(KSP_BT_Z90 * 0.1) - 0.02);
	}
	/* no band without a sigma */
	ksp_backtest_coverage(rows, 7, KSP_BT_SECTION, KSP_BT_NATIONAL, NAN, 1000, &c);
	CHECK_EQ_INT(c.n, 0);
}

int main(void)
{
	RUN(percent_error_and_ape);
	RUN(naive_trend_with_a_missing_year);
	RUN(ols_slope_by_hand);
	RUN(mape_bias_and_wins);
	RUN(concordance_arithmetic);
	RUN(a_run_stored_and_read_back);
	RUN(calibration_fit_and_coverage);
	return harness_done();
}

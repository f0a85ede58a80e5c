/*
 * backtest/backtest.h - the back-test's pieces inside libkasip: yearly
 * series, the naive forecasts, the concordance of territories with today's
 * regions, and the interface of "the model's projection" (docs/backtest.md).
 *
 * The framework (backtest.c) reads the history tables into series, hands
 * the model only their years up to the base year (later years are NAN in
 * the copy it gets), and compares what the model and the naive forecasts
 * give with what was observed.  Any projection that fills a struct
 * ksp_bt_projection can be back-tested; model.c drives the forecast
 * engine's demand step (methodology.md, step 3) from the past base year.
 */
#ifndef KSP_BACKTEST_INT_H
#define KSP_BACKTEST_INT_H

#include "kasip/backtest.h"
#include "kasip/store.h"

#define KSP_BT_CODE 32
#define KSP_BT_MAX_UNIT 256   /* units of one series */
#define KSP_BT_MAX_SPAN 200   /* years of one series */
#define KSP_BT_TREND_YEARS 5  /* the naive trend's window: base - 5 .. base */
#define KSP_BT_TREND_MIN 3    /* observations the trend needs in its window */

/* Yearly series of several units: v[u][y - first], NAN where not observed. */
struct ksp_bt_series {
	int nunit, first, nyears;
	char (*code)[KSP_BT_CODE];
	double *v;
	unsigned char *est; /* [u][y - first]: the value used a concordance share */
};

/* nunit units (codes set by the caller), years first..last, all NAN. */
void ksp_bt_series_init(struct ksp_bt_series *s, int nunit, int first, int last);
void ksp_bt_series_release(struct ksp_bt_series *s);
/* The value of unit u in year (NAN outside the span). */
double ksp_bt_get(const struct ksp_bt_series *s, int u, int year);
/* Set a value (ignored outside the span). */
void ksp_bt_set(struct ksp_bt_series *s, int u, int year, double v, int est);
/* The unit with code, or -1. */
int ksp_bt_unit(const struct ksp_bt_series *s, const char *code);
/* A copy of s with every year after last set to NAN (what the model may know). */
void ksp_bt_series_upto(struct ksp_bt_series *out, const struct ksp_bt_series *s, int last);

/*
 * The naive trend (docs/backtest.md): the ordinary least-squares slope of
 * unit u's observations in the years base - KSP_BT_TREND_YEARS .. base
 * (missing years are left out of the fit), extended from the base-year
 * value: v(base) + slope * (year - base), not below 0.  NAN when the base
 * year is not observed or the window has fewer than KSP_BT_TREND_MIN
 * observations.
 */
double ksp_bt_trend(const struct ksp_bt_series *s, int u, int base, int year);

/* The OLS slope of the n points (x, y); NAN when n < 2 or the x are all equal. */
double ksp_bt_ols_slope(const double *x, const double *y, int n);

/*
 * Territories of the series mapped to today's regions: share[t][r] is the
 * share of territory t's employed who are in region r today (rows sum to 1).
 */
struct ksp_bt_concordance {
	int nterr, nreg;
	char (*terr)[KSP_BT_CODE];
	char (*reg)[KSP_BT_CODE];
	double *share; /* [t][r] */
};
void ksp_bt_concordance_release(struct ksp_bt_concordance *c);
/* KSP_EINVAL naming the territory when a row of shares does not sum to 1 (within 1e-6). */
int ksp_bt_concordance_check(const struct ksp_bt_concordance *c, struct ksp_error *err);

/*
 * Territory series (units named as c->terr, any order) to the regions of
 * c on today's borders: out (initialised here, units c->reg) gets, for each
 * region and year, sum over territories of share * value, flagged estimated
 * when a share below 1 contributed; NAN when a territory that covers the
 * region is not observed that year.
 */
void ksp_bt_to_regions(const struct ksp_bt_concordance *c, const struct ksp_bt_series *terr,
		       struct ksp_bt_series *out);

/*
 * Consistent borders over the years first..last: the regions joined by a
 * territory observed in those years (a split) form one group.  group[r]
 * receives the group of region r (numbered in the order of their first
 * region); returns the number of groups.  out (initialised here) holds each
 * group's series, the sum of its territories (exact: no share), its code
 * the ISO codes of its regions joined by '+'.
 */
int ksp_bt_groups(const struct ksp_bt_concordance *c, const struct ksp_bt_series *terr, int first,
		  int last, int *group, struct ksp_bt_series *out);

/* ---- the model's projection ------------------------------------------------ */

/* What the model may know: the series up to the base year (later years NAN). */
struct ksp_bt_known {
	int base, to;
	const struct ksp_bt_series *region;     /* today's regions (ISO codes) */
	const struct ksp_bt_series *section;    /* OKED sections A..U, the country */
	const struct ksp_bt_series *occupation; /* ISCO-08 major groups 1..9, the country */
	int growth;                             /* enum ksp_backtest_growth */
};

/*
 * What the model gives: the same units as the known series, years
 * base..to (initialised by the framework, NAN); a model fills what it
 * projects and says what it did in what (one line).
 */
struct ksp_bt_projection {
	struct ksp_bt_series region, section, occupation;
	char what[512];
};

typedef int (*ksp_bt_model_fn)(void *ctx, const struct ksp_bt_known *k,
			       struct ksp_bt_projection *p, struct ksp_error *err);

/* The engine's demand step as the model (model.c). */
struct ksp_bt_engine {
	struct ksp_store *store;
	const char *scenario;
};
int ksp_bt_engine_project(void *ctx, const struct ksp_bt_known *k, struct ksp_bt_projection *p,
			  struct ksp_error *err);

/*
 * The back-test with any model (NULL: naive forecasts only): what
 * ksp_backtest_run() does with the engine.  model_name goes to the run.
 */
int ksp_bt_run_with(struct ksp_store *s, const struct ksp_backtest_options *opt,
		    ksp_bt_model_fn model, void *ctx, struct ksp_backtest_run *run,
		    struct ksp_error *err);

#endif

/*
 * kasip/backtest.h - the forecast's back-test: a projection from an earlier
 * base year set beside what was observed.
 *
 * A back-test run projects employment from a past base year with only the
 * data of that year and before, for every year up to to_year, and compares
 * it with the published figures of the history tables (kasip init loads
 * them from data/kz/history; docs/backtest.md): employment by region,
 * by OKED section (the country) and, where ILOSTAT has it (2009-2013), by
 * ISCO-08 major group.  Beside the model it runs the two naive forecasts
 * that the US BLS evaluations of its projections use as yardsticks: no
 * change from the base year, and each unit's linear trend over the five
 * years up to the base year.  The run and every compared figure are stored
 * (backtest_run, backtest_result), so later commands and the server read
 * them without recomputing.
 *
 * Regions are compared on today's borders (a territory that split is
 * shared by the concordance's shares: an estimate, flagged per row) and on
 * consistent borders (the regions that a split of the compared years joins
 * are merged: exact, no share needed).
 *
 * Errors follow the BLS convention: error = projected - observed (positive:
 * the projection was too high), percent error = 100 * error / observed, APE
 * its absolute value, MAPE the mean APE over the units.
 *
 * Not thread-safe per store handle (as the store).
 */
#ifndef KASIP_BACKTEST_H
#define KASIP_BACKTEST_H

#include <stddef.h>

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ksp_backtest_dim { KSP_BT_REGION, KSP_BT_SECTION, KSP_BT_OCCUPATION, KSP_BT_NDIM };
enum ksp_backtest_method { KSP_BT_MODEL, KSP_BT_NOCHANGE, KSP_BT_TREND, KSP_BT_NMETHOD };
enum ksp_backtest_borders {
	KSP_BT_CURRENT,    /* today's 20 regions (split territories shared: estimated) */
	KSP_BT_CONSISTENT, /* regions merged where a split of the compared years joins them */
	KSP_BT_NATIONAL    /* the country as a whole (sections, occupations, the total) */
};
enum ksp_backtest_growth {
	KSP_BT_GROWTH_SCENARIO, /* the scenario's growth rates (today's assumptions) */
	KSP_BT_GROWTH_TREND     /* each section's growth over the five years to the base year */
};

/* "region", "section", "occupation"; "model", "nochange", "trend"; "current", ... */
const char *ksp_backtest_dim_name(int dim);
const char *ksp_backtest_method_name(int method);
const char *ksp_backtest_borders_name(int borders);

struct ksp_backtest_options {
	int base_year;       /* the year the projection starts from (its data are known) */
	int to_year;         /* the last year compared (> base_year) */
	const char *scenario; /* the model's scenario (NULL: "baseline") */
	int growth;          /* enum ksp_backtest_growth */
	int naive_only;      /* leave the model out: the naive forecasts only */
};

/* A stored back-test run. */
struct ksp_backtest_run {
	long long id;
	char created[32];
	int base_year, to_year;
	char scenario[64];
	char growth[16];   /* "scenario" or "trend" */
	char model[512];   /* what the model projection was, "" when none */
	char note[1024];   /* what was left out and why, one item a line */
	double seconds;
};

/*
 * One compared figure: a unit (region ISO code, merged regions "KZ-19+KZ-33",
 * an OKED section, an ISCO-08 major group, or KZ for the country) in one
 * year, thousand persons.  projected[m] is NAN where method m gives nothing.
 */
struct ksp_backtest_row {
	int dim;          /* enum ksp_backtest_dim */
	int borders;      /* enum ksp_backtest_borders */
	char code[32];
	int year;
	int horizon;      /* year - base year */
	double observed;
	double projected[KSP_BT_NMETHOD];
	int estimated;    /* the value on today's borders used a concordance share */
};

/* Percent error and APE of one projection (NAN if either is NAN or observed <= 0). */
double ksp_backtest_pct_error(double projected, double observed);

/* The mean errors of one method over the units of a dimension, borders and year. */
struct ksp_backtest_summary {
	int dim, borders, year, horizon, method;
	int n;          /* units with an observation and a projection */
	double mape;    /* mean APE, percent */
	double mpe;     /* mean signed percent error (bias), percent */
	double maxape;  /* the largest APE */
	int beats_nochange; /* units where this method's APE is below no change's */
};

/*
 * Summarise rows (any order): one summary per dimension, borders (not the
 * national total of regions), year and method that has at least one unit,
 * ordered by dimension, borders, year, method.  *out is a heap array freed
 * with ksp_backtest_free().  Pure: no store.
 */
void ksp_backtest_summarise(const struct ksp_backtest_row *rows, size_t n,
			    struct ksp_backtest_summary **out, size_t *nout);

/*
 * Run the back-test described by opt and store it.  On success *run (may
 * be NULL) describes the stored run.  Errors: KSP_EUSAGE (bad years or
 * options), KSP_ENOTFOUND (no history tables' figures for the base year:
 * run 'kasip init'; no such scenario), KSP_EINVAL (a concordance whose
 * shares do not sum to 1), KSP_EDB.  All or nothing.
 */
int ksp_backtest_run(struct ksp_store *s, const struct ksp_backtest_options *opt,
		     struct ksp_backtest_run *run, struct ksp_error *err);

/* A stored run by id, or (id 0) the latest.  KSP_ENOTFOUND when there is none. */
/*
 * The stored back-test runs, newest first: at most limit from offset
 * (*out a heap array freed with ksp_backtest_free(), *more 1 when there are
 * runs after them).
 */
int ksp_backtest_list(struct ksp_store *s, size_t offset, size_t limit,
		      struct ksp_backtest_run **out, size_t *n, int *more, struct ksp_error *err);
int ksp_backtest_get(struct ksp_store *s, long long id, struct ksp_backtest_run *out,
		     struct ksp_error *err);

/*
 * The rows of a stored run, ordered by dimension, borders, code, year.
 * *out is a heap array freed with ksp_backtest_free().
 */
int ksp_backtest_rows(struct ksp_store *s, long long run_id, struct ksp_backtest_row **out,
		      size_t *n, struct ksp_error *err);

/* The charts of a stored run (docs/backtest.md). */
enum ksp_backtest_chart {
	KSP_BT_CHART_NATIONAL,     /* the country's employment: observed, model, naive */
	KSP_BT_CHART_MAPE_REGION,  /* MAPE over today's regions by year, each method */
	KSP_BT_CHART_MAPE_SECTION  /* MAPE over the OKED sections by year, each method */
};

/*
 * One chart of run run_id (0: the latest) as a complete <svg> element,
 * labels in lang (ksp_tr).  *svg is a NUL-terminated heap string the
 * caller frees with ksp_backtest_free().  Errors: KSP_ENOTFOUND (no such
 * run), KSP_EUSAGE (unknown chart), KSP_EDB.
 */
int ksp_backtest_svg(struct ksp_store *s, long long run_id, int chart, const char *lang,
		     char **svg, struct ksp_error *err);

/*
 * Calibrated bands (docs/backtest.md, "Calibrated bands").  The Monte
 * Carlo's uncertainty about a section's employment growth is a shift of its
 * yearly rate held over the whole projection, so the log error of a section
 * projected h years ahead is about h times that shift.  Taking the shift
 * normal with sd sigma, the log error e = ln(projected / observed) at
 * horizon h is N(0, (sigma h)^2) and the maximum-likelihood sigma over N
 * pooled errors is sqrt(sum (e / h)^2 / N) (it takes the bias in too).
 */
#define KSP_BT_MAX_HORIZON 40
#define KSP_BT_Z90 1.2815515655446004 /* the standard normal's 90th percentile */

struct ksp_backtest_fit {
	int dim, borders;   /* the units whose model errors are pooled */
	int n;              /* errors pooled (horizon >= 1, both figures > 0) */
	int count[KSP_BT_MAX_HORIZON + 1];
	double rms[KSP_BT_MAX_HORIZON + 1];  /* root mean square log error at h (NAN: none) */
	double bias[KSP_BT_MAX_HORIZON + 1]; /* mean log error at h (NAN: none) */
	double sigma;       /* the fit: sd of the yearly growth shift (NAN when n = 0) */
	/* internal sums */
	double s2[KSP_BT_MAX_HORIZON + 1], s1[KSP_BT_MAX_HORIZON + 1], sh;
};

/* An empty fit of the model's errors on dim and borders. */
void ksp_backtest_fit_init(struct ksp_backtest_fit *f, int dim, int borders);
/* Pool the model's errors of rows (one run's or several runs') into f. */
void ksp_backtest_fit_add(struct ksp_backtest_fit *f, const struct ksp_backtest_row *rows,
			  size_t n);
/* Compute rms, bias and sigma from what was pooled. */
void ksp_backtest_fit_finish(struct ksp_backtest_fit *f);

/*
 * The coverage of the P10-P90 band that the Monte Carlo's growth shifts of
 * sd sigma give around one run's model projection: the share of the
 * observed figures inside it, by horizon.  A section's band is
 * projected * exp(-/+ z sigma h) (z = KSP_BT_Z90).  A region's or the
 * country's is the P10-P90 of sum_i w_i exp(d_i h) / sum_i w_i over draws
 * of independent sections' shifts d_i ~ N(0, sigma^2), w_i the model's
 * projection of section i that year (the model gives every region the
 * country's section mix, so every region gets the same relative band);
 * draws are seeded, so the result is the same on every machine.
 */
struct ksp_backtest_coverage {
	int dim, borders;
	int n, inside;     /* observed figures with a band, and those inside it */
	int count[KSP_BT_MAX_HORIZON + 1], in[KSP_BT_MAX_HORIZON + 1];
	double lo[KSP_BT_MAX_HORIZON + 1], hi[KSP_BT_MAX_HORIZON + 1]; /* the band relative
									   to the projection */
};
void ksp_backtest_coverage(const struct ksp_backtest_row *rows, size_t n, int dim, int borders,
			   double sigma, int draws, struct ksp_backtest_coverage *out);

void ksp_backtest_free(void *list);

#ifdef __cplusplus
}
#endif
#endif

/*
 * chart.c - the back-test as SVG line charts (docs/backtest.md): projected
 * against observed for the country, and the MAPE of each method by
 * horizon, drawn by render/chart.c.
 */
#include "backtest/backtest.h"

#include <math.h>
#include <string.h>

#include "kasip/i18n.h"
#include "render/chart.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

static const unsigned colours[KSP_BT_NMETHOD] = { 0x1f77b4, 0x7f7f7f, 0xff7f0e };

static const char *method_label(const char *lang, int m)
{
	switch (m) {
	case KSP_BT_MODEL: return ksp_tr(lang, "model");
	case KSP_BT_NOCHANGE: return ksp_tr(lang, "no change");
	default: return ksp_tr(lang, "trend");
	}
}

int ksp_backtest_svg(struct ksp_store *s, long long run_id, int chart, const char *lang,
		     char **svg, struct ksp_error *err)
{
	struct ksp_backtest_run run;
	struct ksp_backtest_row *rows = NULL;
	struct ksp_backtest_summary *sum = NULL;
	struct ksp_chart_series se[KSP_BT_NMETHOD + 1];
	struct ksp_line_chart lc;
	struct ksp_strbuf out = KSP_STRBUF_INIT;
	size_t n = 0, ns = 0, ny;
	double *x = NULL, *y = NULL;
	int rc;

	*svg = NULL;
	if (chart < KSP_BT_CHART_NATIONAL || chart > KSP_BT_CHART_MAPE_SECTION)
		return ksp_error_set(err, KSP_EUSAGE, "backtest: unknown chart %d", chart);
	if ((rc = ksp_backtest_get(s, run_id, &run, err)) ||
	    (rc = ksp_backtest_rows(s, run.id, &rows, &n, err)))
		return rc;
	ny = (size_t)(run.to_year - run.base_year + 1);
	x = ksp_xcalloc(ny, sizeof(double));
	y = ksp_xcalloc(ny * (KSP_BT_NMETHOD + 1), sizeof(double));
	for (size_t i = 0; i < ny; i++) {
		x[i] = run.base_year + (double)i;
		for (int m = 0; m <= KSP_BT_NMETHOD; m++)
			y[m * ny + i] = NAN;
	}
	memset(se, 0, sizeof(se));
	memset(&lc, 0, sizeof(lc));
	lc.lang = lang;
	lc.n = ny;
	lc.x = x;
	lc.series = se;
	lc.y_decimals = -1;
	if (chart == KSP_BT_CHART_NATIONAL) {
		/* the country's employment: observed, then each projection */
		for (size_t i = 0; i < n; i++) {
			const struct ksp_backtest_row *r = &rows[i];
			size_t t = (size_t)(r->year - run.base_year);

			if (r->dim != KSP_BT_REGION || r->borders != KSP_BT_NATIONAL || t >= ny)
				continue;
			y[t] = r->observed;
			for (int m = 0; m < KSP_BT_NMETHOD; m++)
				y[(m + 1) * ny + t] = r->projected[m];
		}
		se[0].label = ksp_tr(lang, "observed");
		se[0].y = y;
		se[0].colour = 0x000000;
		for (int m = 0; m < KSP_BT_NMETHOD; m++) {
			se[m + 1].label = method_label(lang, m);
			se[m + 1].y = y + (m + 1) * ny;
			se[m + 1].colour = colours[m];
			se[m + 1].dashed = m != KSP_BT_MODEL;
		}
		lc.nseries = KSP_BT_NMETHOD + 1;
		lc.title = ksp_tr(lang, "Employment in the country: projected from the base year and observed");
		lc.y_label = ksp_tr(lang, "thousand persons");
	} else {
		const int dim = chart == KSP_BT_CHART_MAPE_REGION ? KSP_BT_REGION : KSP_BT_SECTION;
		const int borders = dim == KSP_BT_REGION ? KSP_BT_CURRENT : KSP_BT_NATIONAL;

		ksp_backtest_summarise(rows, n, &sum, &ns);
		for (size_t i = 0; i < ns; i++) {
			size_t t = (size_t)(sum[i].year - run.base_year);

			if (sum[i].dim == dim && sum[i].borders == borders && t < ny)
				y[sum[i].method * ny + t] = sum[i].mape;
		}
		for (int m = 0; m < KSP_BT_NMETHOD; m++) {
			se[m].label = method_label(lang, m);
			se[m].y = y + m * ny;
			se[m].colour = colours[m];
			se[m].dashed = m != KSP_BT_MODEL;
		}
		lc.nseries = KSP_BT_NMETHOD;
		lc.title = dim == KSP_BT_REGION
				   ? ksp_tr(lang, "Mean absolute percentage error over the regions, by year")
				   : ksp_tr(lang, "Mean absolute percentage error over the OKED sections, by year");
		lc.y_label = ksp_tr(lang, "MAPE, %");
	}
	ksp_chart_lines(&out, &lc);
	*svg = ksp_strbuf_detach(&out, NULL);
	free(x);
	free(y);
	ksp_backtest_free(rows);
	ksp_backtest_free(sum);
	return KSP_OK;
}

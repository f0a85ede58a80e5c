/*
 * render/chart.h - generic charts on plain arrays, drawn as inline SVG
 * (internal).
 *
 * The charts know nothing of forecasts: the caller passes arrays, labels
 * already translated (ksp_tr) and the language for numbers (ksp_fmt_number).
 * Each function appends one complete <svg> element to out; the size is in
 * CSS px at 100 % and the element scales with its container (viewBox).
 * Pointers in the specs are borrowed for the duration of the call.
 * Thread-safe: no global state.
 */
#ifndef KSP_RENDER_CHART_H
#define KSP_RENDER_CHART_H

#include <stddef.h>

#include "util/strbuf.h"

/* ---- lines over years with an optional band ------------------------------- */

struct ksp_chart_series {
	const char *label;    /* the legend entry */
	const double *y;      /* n values; NaN leaves a gap */
	const double *lo;     /* the band's lower edge (e.g. P10), or NULL */
	const double *hi;     /* the band's upper edge (e.g. P90), or NULL */
	unsigned colour;      /* 0xRRGGBB */
	int dashed;           /* draw the line dashed */
};

struct ksp_line_chart {
	const char *lang;        /* numbers: ksp_fmt_number(lang, ...) */
	const char *title;       /* aria-label and tooltip of the whole chart */
	const char *y_label;     /* the unit, written above the y axis */
	const char *band_label;  /* the legend entry of the bands (e.g. "P10–P90 range") */
	size_t n;                /* points per series, 1.. */
	const double *x;         /* n x values (years), increasing */
	const struct ksp_chart_series *series;
	size_t nseries;
	int y_decimals;          /* -1: as the ticks need */
	double width, height;    /* 0: 640 x 300 */
};

/*
 * Lines for every series, each over its shaded band when it has one, with
 * nice ticks on both axes (years as integers), horizontal grid lines, the
 * unit and a legend above the plot.  The y axis starts at zero when every
 * value is positive and the smallest is below 40 % of the largest, so
 * that a level is not mistaken for a collapse.  Each point carries a
 * tooltip with its year, value and band.
 */
void ksp_chart_lines(struct ksp_strbuf *out, const struct ksp_line_chart *c);

/* ---- horizontal bars -------------------------------------------------------- */

struct ksp_bar_chart {
	const char *lang;
	const char *title;          /* aria-label and tooltip */
	const char *value_label;    /* the unit, written under the axis */
	size_t n;                   /* bars, drawn top to bottom in the given order */
	const char *const *labels;  /* n labels; a long one is cut with an ellipsis, the full text in <title> */
	const double *values;       /* n values; negative bars go left of zero */
	const double *lo, *hi;      /* optional whiskers (e.g. P10, P90), or NULL */
	unsigned colour;            /* bars of positive values */
	unsigned colour_negative;   /* bars of negative values */
	int decimals;               /* of the value written at the end of each bar */
	double width;               /* 0: 640; the height follows from n */
	double label_width;         /* 0: 40 % of width */
};

void ksp_chart_bars(struct ksp_strbuf *out, const struct ksp_bar_chart *c);

#endif

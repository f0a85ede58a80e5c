/*
 * chart.c - lines with bands and horizontal bars (see render/chart.h).
 *
 * Layout is computed from estimated text widths (ksp_svg_text_width), so
 * that the y axis makes room for its longest tick label and bar labels
 * are cut before they run into the bars.
 */
#include "render/chart.h"

#include "kasip/i18n.h"
#include "render/svg.h"
#include "util/xmalloc.h"

#define FONT_ATTRS                                                                          \
	"font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', " \
	"Arial, sans-serif\" font-size=\"12\" fill=\"#222\""
#define FONT_SIZE 12.0
#define SMALL_SIZE 11.0

static void hex(unsigned rgb, char out[8])
{
	snprintf(out, 8, "#%06x", rgb & 0xFFFFFFu);
}

static void fmt(const char *lang, double v, int decimals, char *buf, size_t size)
{
	ksp_fmt_number(lang, v, decimals, buf, size);
}

/* ---- lines -------------------------------------------------------------------- */

struct frame {
	double left, right, top, bottom; /* the plot area */
	double x0, x1, y0, y1;           /* the data domain */
};

static double fx(const struct frame *f, double x)
{
	return f->x1 > f->x0 ? f->left + (x - f->x0) / (f->x1 - f->x0) * (f->right - f->left)
			     : 0.5 * (f->left + f->right);
}

static double fy(const struct frame *f, double y)
{
	return f->bottom - (y - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

static void minmax(const double *v, size_t n, double *lo, double *hi)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
}

void ksp_chart_lines(struct ksp_strbuf *out, const struct ksp_line_chart *c)
{
	struct ksp_svg svg = { .decimals = 1 };
	double W = c->width > 0 ? c->width : 640, H = c->height > 0 ? c->height : 300;
	double lo = INFINITY, hi = -INFINITY, first, step, lx;
	int count, dec, ydec, tdec;
	struct frame f;
	char buf[64], buf2[64], buf3[64], col[8];
	struct ksp_strbuf tip = KSP_STRBUF_INIT, attrs = KSP_STRBUF_INIT;
	int any_band = 0;

	for (size_t s = 0; s < c->nseries; s++) {
		minmax(c->series[s].y, c->n, &lo, &hi);
		minmax(c->series[s].lo, c->n, &lo, &hi);
		minmax(c->series[s].hi, c->n, &lo, &hi);
		any_band |= c->series[s].lo && c->series[s].hi;
	}
	if (!isfinite(lo))
		lo = 0, hi = 1;
	if (lo > 0 && lo < 0.4 * hi)
		lo = 0;
	step = ksp_nice_ticks(lo, hi, 5, &first, &count, &dec);
	ydec = c->y_decimals >= 0 ? c->y_decimals : dec;
	/* Tooltips show one decimal more than the ticks unless the step is large. */
	tdec = c->y_decimals >= 0 ? c->y_decimals : step >= 10 ? dec : dec + 1;
	f.y0 = first;
	f.y1 = first + step * (count - 1);
	f.x0 = c->n ? c->x[0] : 0;
	f.x1 = c->n ? c->x[c->n - 1] : 1;

	/* The y axis makes room for its widest tick label. */
	f.left = 0;
	for (int i = 0; i < count; i++) {
		double w;

		fmt(c->lang, first + i * step, ydec, buf, sizeof(buf));
		w = ksp_svg_text_width(buf, SMALL_SIZE);
		if (w > f.left)
			f.left = w;
	}
	f.left += 14;
	f.right = W - 16;
	f.top = 52;
	f.bottom = H - 26;

	ksp_svg_begin(&svg, out, W, H, "chart chart-lines", c->title);
	ksp_svg_group_begin(&svg, FONT_ATTRS);

	/* Legend, one row above the plot. */
	lx = f.left;
	ksp_svg_group_begin(&svg, "class=\"legend\"");
	for (size_t s = 0; s < c->nseries; s++) {
		hex(c->series[s].colour, col);
		ksp_strbuf_reset(&attrs);
		ksp_strbuf_addf(&attrs, "stroke=\"%s\" stroke-width=\"2.5\"%s", col,
				c->series[s].dashed ? " stroke-dasharray=\"6 3\"" : "");
		ksp_svg_line(&svg, lx, 12, lx + 22, 12, attrs.buf);
		ksp_svg_text(&svg, lx + 28, 16, NULL, NULL, c->series[s].label);
		lx += 28 + ksp_svg_text_width(c->series[s].label, FONT_SIZE) + 18;
	}
	if (any_band && c->band_label) {
		size_t nb = 0, k = 0;

		/* One stripe of each band's colour, so that the swatch stands for all of them. */
		for (size_t s = 0; s < c->nseries; s++)
			nb += c->series[s].lo && c->series[s].hi;
		for (size_t s = 0; s < c->nseries; s++) {
			if (!c->series[s].lo || !c->series[s].hi)
				continue;
			hex(c->series[s].colour, col);
			ksp_strbuf_reset(&attrs);
			ksp_strbuf_addf(&attrs, "fill=\"%s\" fill-opacity=\"0.25\"", col);
			ksp_svg_rect(&svg, lx, 6 + 12.0 * (double)k / (double)nb, 22, 12.0 / (double)nb, attrs.buf, NULL);
			k++;
		}
		ksp_svg_text(&svg, lx + 28, 16, NULL, NULL, c->band_label);
	}
	ksp_svg_group_end(&svg);
	if (c->y_label)
		ksp_svg_text(&svg, 4, 38, NULL, "font-size=\"11\" fill=\"#555\"", c->y_label);

	/* Grid and y ticks. */
	ksp_svg_group_begin(&svg, "class=\"axis\" font-size=\"11\" fill=\"#555\"");
	for (int i = 0; i < count; i++) {
		double v = first + i * step, y = fy(&f, v);

		ksp_svg_line(&svg, f.left, y, f.right, y,
			     fabs(v) < step * 1e-6 ? "stroke=\"#777\"" : "stroke=\"#e3e3e3\"");
		fmt(c->lang, v, ydec, buf, sizeof(buf));
		ksp_svg_text(&svg, f.left - 6, y + 4, "end", NULL, buf);
	}
	/* x ticks: every year while they fit, else a nice integer step. */
	{
		double xs = 1, x0 = f.x0;
		int xn = (int)c->n;

		if (c->n > 1) {
			double room = (f.right - f.left) / (double)(c->n - 1);

			if (room < 34) {
				xs = ksp_nice_ticks(f.x0, f.x1, (int)((f.right - f.left) / 48), &x0, &xn, NULL);
				if (xs < 1)
					xs = 1;
				xn = (int)floor((f.x1 - x0) / xs + 1e-9) + 1;
			}
		}
		ksp_svg_line(&svg, f.left, f.bottom, f.right, f.bottom, "stroke=\"#777\"");
		for (int i = 0; i < xn; i++) {
			double v = x0 + i * xs, x;

			if (v < f.x0 - 1e-9 || v > f.x1 + 1e-9)
				continue;
			x = fx(&f, v);
			ksp_svg_line(&svg, x, f.bottom, x, f.bottom + 4, "stroke=\"#777\"");
			snprintf(buf, sizeof(buf), "%.0f", v);
			ksp_svg_text(&svg, x, f.bottom + 17, "middle", NULL, buf);
		}
	}
	ksp_svg_group_end(&svg);

	/* Bands first, then lines on top, then the points with their tooltips. */
	for (size_t s = 0; s < c->nseries; s++) {
		const struct ksp_chart_series *se = &c->series[s];
		double *xy;
		size_t m = 0;

		if (!se->lo || !se->hi)
			continue;
		hex(se->colour, col);
		xy = ksp_xcalloc(2 * c->n, 2 * sizeof(double));
		for (size_t i = 0; i < c->n; i++)
			if (isfinite(se->hi[i]) && isfinite(se->lo[i])) {
				xy[2 * m] = fx(&f, c->x[i]);
				xy[2 * m + 1] = fy(&f, se->hi[i]);
				m++;
			}
		for (size_t i = c->n; i-- > 0;)
			if (isfinite(se->hi[i]) && isfinite(se->lo[i])) {
				xy[2 * m] = fx(&f, c->x[i]);
				xy[2 * m + 1] = fy(&f, se->lo[i]);
				m++;
			}
		ksp_strbuf_reset(&attrs);
		ksp_strbuf_addf(&attrs, "class=\"band\" fill=\"%s\" fill-opacity=\"0.2\" stroke=\"none\"", col);
		if (m >= 4)
			ksp_svg_polygon(&svg, xy, m, attrs.buf, NULL);
		free(xy);
	}
	for (size_t s = 0; s < c->nseries; s++) {
		const struct ksp_chart_series *se = &c->series[s];
		double *xy = ksp_xcalloc(c->n ? c->n : 1, 2 * sizeof(double));

		hex(se->colour, col);
		for (size_t i = 0; i < c->n; i++) {
			xy[2 * i] = fx(&f, c->x[i]);
			xy[2 * i + 1] = isfinite(se->y[i]) ? fy(&f, se->y[i]) : NAN;
		}
		ksp_strbuf_reset(&attrs);
		ksp_strbuf_addf(&attrs,
				"fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\" stroke-linejoin=\"round\"%s",
				col, se->dashed ? " stroke-dasharray=\"6 3\"" : "");
		ksp_svg_polyline(&svg, xy, c->n, attrs.buf);
		ksp_strbuf_reset(&attrs);
		ksp_strbuf_addf(&attrs, "fill=\"%s\"", col);
		for (size_t i = 0; i < c->n; i++) {
			if (!isfinite(se->y[i]))
				continue;
			fmt(c->lang, se->y[i], tdec, buf, sizeof(buf));
			ksp_strbuf_reset(&tip);
			ksp_strbuf_addf(&tip, "%s, %.0f: %s", se->label, c->x[i], buf);
			if (se->lo && se->hi && isfinite(se->lo[i]) && isfinite(se->hi[i])) {
				fmt(c->lang, se->lo[i], tdec, buf2, sizeof(buf2));
				fmt(c->lang, se->hi[i], tdec, buf3, sizeof(buf3));
				ksp_strbuf_addf(&tip, " (%s: %s \xE2\x80\x93 %s)",
						c->band_label ? c->band_label : "", buf2, buf3);
			}
			ksp_svg_circle(&svg, xy[2 * i], xy[2 * i + 1], 2.5, attrs.buf, tip.buf);
		}
		free(xy);
	}
	ksp_svg_group_end(&svg);
	ksp_svg_end(&svg);
	ksp_strbuf_release(&tip);
	ksp_strbuf_release(&attrs);
}

/* ---- bars --------------------------------------------------------------------- */

void ksp_chart_bars(struct ksp_strbuf *out, const struct ksp_bar_chart *c)
{
	struct ksp_svg svg = { .decimals = 1 };
	const double row = 22, bar = 14, top = 6;
	double W = c->width > 0 ? c->width : 640;
	double lw = c->label_width > 0 ? c->label_width : 0.4 * W;
	double H, lo = 0, hi = 0, first, step, left, right, vmax_w = 0;
	int count, dec;
	char buf[64], col[8], coln[8], label[512];
	struct ksp_strbuf tip = KSP_STRBUF_INIT, attrs = KSP_STRBUF_INIT;

	minmax(c->values, c->n, &lo, &hi);
	minmax(c->lo, c->n, &lo, &hi);
	minmax(c->hi, c->n, &lo, &hi);
	if (lo == hi)
		hi = lo + 1;
	step = ksp_nice_ticks(lo, hi, 4, &first, &count, &dec);
	for (size_t i = 0; i < c->n; i++) {
		double w;

		fmt(c->lang, c->values[i], c->decimals, buf, sizeof(buf));
		w = ksp_svg_text_width(buf, SMALL_SIZE);
		if (w > vmax_w)
			vmax_w = w;
	}
	H = top + row * (double)c->n + 44;
	left = lw;
	right = W - vmax_w - 12;
	hex(c->colour, col);
	hex(c->colour_negative ? c->colour_negative : c->colour, coln);

	ksp_svg_begin(&svg, out, W, H, "chart chart-bars", c->title);
	ksp_svg_group_begin(&svg, FONT_ATTRS);
	{
		double x0 = first, x1 = first + step * (count - 1);
#define BX(v) (left + ((v) - x0) / (x1 - x0) * (right - left))
		double ybase = top + row * (double)c->n;

		/* Grid and axis. */
		ksp_svg_group_begin(&svg, "class=\"axis\" font-size=\"11\" fill=\"#555\"");
		for (int i = 0; i < count; i++) {
			double v = first + i * step, x = BX(v);

			ksp_svg_line(&svg, x, top - 2, x, ybase,
				     fabs(v) < step * 1e-6 ? "stroke=\"#777\"" : "stroke=\"#e3e3e3\"");
			fmt(c->lang, v, dec, buf, sizeof(buf));
			ksp_svg_text(&svg, x, ybase + 15, "middle", NULL, buf);
		}
		if (c->value_label)
			ksp_svg_text(&svg, 0.5 * (left + right), ybase + 34, "middle", NULL, c->value_label);
		ksp_svg_group_end(&svg);

		for (size_t i = 0; i < c->n; i++) {
			double y = top + row * (double)i, v = c->values[i];
			double xa = BX(0 < v ? 0 : v), xb = BX(0 < v ? v : 0);
			int cut;

			/* The label, cut to its column; the full text in the tooltip. */
			cut = ksp_svg_fit_text(c->labels[i], FONT_SIZE, lw - 12, label, sizeof(label));
			ksp_svg_group_begin(&svg, NULL);
			ksp_svg_title(&svg, c->labels[i]);
			ksp_svg_text(&svg, lw - 8, y + row / 2 + 4, "end", NULL, cut ? label : c->labels[i]);
			ksp_svg_group_end(&svg);

			fmt(c->lang, v, c->decimals, buf, sizeof(buf));
			ksp_strbuf_reset(&tip);
			ksp_strbuf_addf(&tip, "%s: %s", c->labels[i], buf);
			if (c->lo && c->hi && isfinite(c->lo[i]) && isfinite(c->hi[i])) {
				char b2[64], b3[64];

				fmt(c->lang, c->lo[i], c->decimals, b2, sizeof(b2));
				fmt(c->lang, c->hi[i], c->decimals, b3, sizeof(b3));
				ksp_strbuf_addf(&tip, " (%s \xE2\x80\x93 %s)", b2, b3);
			}
			ksp_strbuf_reset(&attrs);
			ksp_strbuf_addf(&attrs, "fill=\"%s\"", v < 0 ? coln : col);
			if (isfinite(v))
				ksp_svg_rect(&svg, xa, y + (row - bar) / 2, xb - xa, bar, attrs.buf, tip.buf);
			if (c->lo && c->hi && isfinite(c->lo[i]) && isfinite(c->hi[i])) {
				double ym = y + row / 2, a = BX(c->lo[i]), b = BX(c->hi[i]);

				ksp_svg_line(&svg, a, ym, b, ym, "stroke=\"#333\" stroke-width=\"1\"");
				ksp_svg_line(&svg, a, ym - 4, a, ym + 4, "stroke=\"#333\" stroke-width=\"1\"");
				ksp_svg_line(&svg, b, ym - 4, b, ym + 4, "stroke=\"#333\" stroke-width=\"1\"");
			}
			{
				double xe = BX(v < 0 ? 0 : v);

				if (c->hi && isfinite(c->hi[i]) && BX(c->hi[i]) > xe)
					xe = BX(c->hi[i]);
				ksp_svg_text(&svg, xe + 4, y + row / 2 + 4, NULL, "font-size=\"11\"", buf);
			}
		}
#undef BX
	}
	ksp_svg_group_end(&svg);
	ksp_svg_end(&svg);
	ksp_strbuf_release(&tip);
	ksp_strbuf_release(&attrs);
}

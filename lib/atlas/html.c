/*
 * html.c - the atlas as one printable HTML page, and the index of pages
 * (kasip/atlas.h).
 *
 * The page needs nothing but itself: CSS inline, charts and the map as
 * inline SVG (render/), system fonts, no script.  It is laid out for
 * A4: the title, key figures and the first charts fill the first page,
 * each class's table starts a page of its own, rows never split and the
 * header row repeats.  Every word goes through the message catalogue
 * (ksp_tr) and every number through ksp_fmt_number in the atlas's
 * language.
 */
#include <errno.h>

#include "kasip/atlas.h"
#include "data/boundary.h"
#include "kasip/i18n.h"
#include "render/chart.h"
#include "render/map.h"
#include "render/svg.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* The charts' colours: openings (demand) warm, new supply cool; they stay apart in greyscale. */
#define COLOUR_DEMAND 0xc0392b
#define COLOUR_SUPPLY 0x2166ac

static const char page_css[] =
	"@page{size:A4;margin:14mm 13mm 16mm}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',Arial,"
	"sans-serif;font-size:10pt;line-height:1.35;color:#222;background:#fff;max-width:190mm;"
	"margin:0 auto;padding:6mm 4mm}\n"
	"h1{font-size:20pt;margin:0 0 2pt;line-height:1.15}\n"
	"h2{font-size:13pt;margin:14pt 0 4pt;border-bottom:1.5pt solid #222;padding-bottom:2pt}\n"
	"h3{font-size:10.5pt;margin:10pt 0 3pt}\n"
	".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:8.5pt;color:#666;margin:0}\n"
	".sub{color:#555;margin:2pt 0 8pt}\n"
	".key{display:grid;grid-template-columns:repeat(4,1fr);gap:4pt;margin:6pt 0}\n"
	".tile{border:0.75pt solid #ccc;border-radius:3pt;padding:4pt 6pt}\n"
	".tile .v{font-size:13pt;font-weight:600;white-space:nowrap}\n"
	".tile .l{font-size:8pt;color:#555}\n"
	".tile .d{font-size:8pt;color:#555}\n"
	".classes{display:flex;gap:4pt;flex-wrap:wrap;margin:4pt 0}\n"
	".chip{font-size:8.5pt;padding:1pt 6pt;border-radius:8pt;border:0.75pt solid #bbb}\n"
	"figure{margin:6pt 0 8pt;break-inside:avoid;page-break-inside:avoid}\n"
	"figcaption{font-size:8.5pt;color:#555;margin-top:2pt}\n"
	"figure .t{font-weight:600;font-size:10pt;margin-bottom:2pt}\n"
	"svg{max-width:100%;height:auto;display:block}\n"
	"table{border-collapse:collapse;width:100%;font-size:8pt;margin:4pt 0}\n"
	"thead{display:table-header-group}\n"
	"tr{break-inside:avoid;page-break-inside:avoid}\n"
	"th{font-weight:600;text-align:left;vertical-align:bottom;border-bottom:1pt solid #222;"
	"padding:2pt 3pt;hyphens:auto}\n"
	"td{padding:2pt 3pt;border-bottom:0.5pt solid #ddd;vertical-align:top}\n"
	"th.n{text-align:right}\n"
	"td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"table.occ{table-layout:fixed}\n"
	"table.occ th{font-size:7pt;overflow-wrap:anywhere}\n"
	".n .small{white-space:normal}\n"
	"tr.cur td{font-weight:700;background:#f3f3f3}\n"
	".regions{display:grid;grid-template-columns:1fr;gap:0}\n"
	"td.c{white-space:nowrap;color:#555}\n"
	".small{font-size:7.5pt;color:#666}\n"
	".o{display:inline-block;min-width:1.4em;text-align:center;border-radius:2pt;color:#fff;"
	"font-weight:600}\n"
	".o1{background:#b2182b}.o2{background:#ef8a62}.o3{background:#999}.o4{background:#67a9cf}"
	".o5{background:#2166ac}\n"
	".short{color:#b2182b}.surp{color:#2166ac}\n"
	".notes li{margin-bottom:3pt}\n"
	".rules td{font-size:8pt}\n"
	"footer{margin-top:12pt;font-size:8pt;color:#777;border-top:0.5pt solid #ccc;padding-top:4pt}\n"
	"a{color:#1a4f8b}\n"
	"section.page{break-before:page;page-break-before:always}\n"
	"@media screen{section.page{margin-top:18pt}}\n"
	"@media print{body{padding:0;max-width:none}a{color:inherit;text-decoration:none}}\n";

/* ---- small formatters ------------------------------------------------------------ */

struct page {
	struct ksp_strbuf *o;
	const char *lang;
};

static void esc(struct page *p, const char *s)
{
	ksp_svg_escape(p->o, s);
}

static void add(struct page *p, const char *s)
{
	ksp_strbuf_addstr(p->o, s);
}

/* A number for people, or an en dash for a figure the atlas does not have. */
static const char *num(const struct page *p, double v, int decimals, char *buf, size_t size)
{
	if (!isfinite(v)) {
		snprintf(buf, size, "\xE2\x80\x93");
		return buf;
	}
	ksp_fmt_number(p->lang, v, decimals, buf, size);
	/* A typographic minus reads better in print. */
	if (buf[0] == '-') {
		size_t n = strlen(buf);

		if (n + 3 < size) {
			memmove(buf + 3, buf + 1, n);
			memcpy(buf, "\xE2\x88\x92", 3);
		}
	}
	return buf;
}

/* Quotation marks: "English", «Kazakh and Russian». */
static const char *lq(const struct page *p)
{
	const char *l = ksp_lang_norm(p->lang);

	return l && strcmp(l, "en") ? "\xC2\xAB" : "\xE2\x80\x9C";
}

static const char *rq(const struct page *p)
{
	const char *l = ksp_lang_norm(p->lang);

	return l && strcmp(l, "en") ? "\xC2\xBB" : "\xE2\x80\x9D";
}

/* A fraction as a percentage: en "12.5%", kk and ru "12,5 %". */
static const char *pct(const struct page *p, double v, int decimals, char *buf, size_t size)
{
	const char *l = ksp_lang_norm(p->lang);
	size_t n;

	if (!isfinite(v))
		return num(p, v, 0, buf, size);
	num(p, 100 * v, decimals, buf, size);
	n = strlen(buf);
	snprintf(buf + n, size - n, "%s", l && strcmp(l, "en") ? "\xC2\xA0%" : "%");
	return buf;
}

/* Persons with a sign for a balance: +1 234 / −1 234. */
static const char *signed_num(const struct page *p, double v, char *buf, size_t size)
{
	num(p, v, 0, buf, size);
	if (isfinite(v) && v > 0.5 && strlen(buf) + 2 < size) {
		memmove(buf + 1, buf, strlen(buf) + 1);
		buf[0] = '+';
	}
	return buf;
}

static void td_num(struct page *p, const char *text, const char *cls)
{
	add(p, "<td class=\"n");
	if (cls) {
		ksp_strbuf_addch(p->o, ' ');
		add(p, cls);
	}
	add(p, "\">");
	esc(p, text);
	add(p, "</td>");
}

/* ---- the page's parts ------------------------------------------------------------- */

static void page_head(struct page *p, const char *title)
{
	const char *l = ksp_lang_norm(p->lang);

	ksp_strbuf_addf(p->o,
			"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<meta name=\"generator\" content=\"kasip\">\n<title>",
			l ? l : "en");
	esc(p, title);
	add(p, "</title>\n<style>\n");
	add(p, page_css);
	add(p, "</style>\n</head>\n<body>\n");
}

static void tile(struct page *p, const char *label, const char *value, const char *detail)
{
	add(p, "<div class=\"tile\"><div class=\"l\">");
	esc(p, label);
	add(p, "</div><div class=\"v\">");
	esc(p, value);
	add(p, "</div>");
	if (detail && *detail) {
		add(p, "<div class=\"d\">");
		esc(p, detail);
		add(p, "</div>");
	}
	add(p, "</div>\n");
}

static void key_figures(struct page *p, const struct ksp_atlas *a)
{
	const struct ksp_atlas_key *k = &a->key;
	char b1[64], b2[64], b3[64], d[256];

	add(p, "<h2>");
	esc(p, ksp_tr(p->lang, "Key figures"));
	add(p, "</h2>\n<div class=\"key\">\n");
	snprintf(d, sizeof(d), "%d: %s", a->run.base_year, num(p, k->emp_base, 0, b1, sizeof(b1)));
	snprintf(b3, sizeof(b3), "%d", a->run.target_year);
	{
		char lab[128];

		snprintf(lab, sizeof(lab), "%s, %s", ksp_tr(p->lang, "Employment"), b3);
		tile(p, lab, num(p, k->emp_target, 0, b2, sizeof(b2)), d);
	}
	pct(p, k->growth_pct, 1, b1, sizeof(b1));
	snprintf(d, sizeof(d), "%s %s", signed_num(p, k->growth, b2, sizeof(b2)), ksp_tr(p->lang, "persons"));
	tile(p, ksp_tr(p->lang, "Employment growth"), b1, d);
	snprintf(d, sizeof(d), "%d\xE2\x80\x93%d", a->run.base_year + 1, a->run.target_year);
	tile(p, ksp_tr(p->lang, "Openings"), num(p, k->openings, 0, b1, sizeof(b1)), d);
	tile(p, ksp_tr(p->lang, "New supply"), num(p, k->new_supply, 0, b1, sizeof(b1)), d);
	if (isfinite(k->balance_p10) && isfinite(k->balance_p90))
		snprintf(d, sizeof(d), "P10\xE2\x80\x93P90: %s \xE2\x80\xA6 %s",
			 signed_num(p, k->balance_p10, b2, sizeof(b2)),
			 signed_num(p, k->balance_p90, b3, sizeof(b3)));
	else
		snprintf(d, sizeof(d), "%s", ksp_tr(p->lang, "new supply minus openings"));
	tile(p, ksp_tr(p->lang, "Balance"), signed_num(p, k->balance, b1, sizeof(b1)), d);
	tile(p, ksp_tr(p->lang, "Shortage ratio"), pct(p, k->shortage_ratio, 1, b1, sizeof(b1)),
	     ksp_tr(p->lang, "shortage / employment in the target year"));
	snprintf(d, sizeof(d), "%d: %s", a->run.base_year, num(p, k->population_base, 0, b2, sizeof(b2)));
	tile(p, ksp_tr(p->lang, "Population"), num(p, k->population_target, 0, b1, sizeof(b1)), d);
	snprintf(d, sizeof(d), "%d: %s", a->run.base_year, num(p, k->labour_force_base, 0, b2, sizeof(b2)));
	tile(p, ksp_tr(p->lang, "Labour force"), num(p, k->labour_force_target, 0, b1, sizeof(b1)), d);
	add(p, "</div>\n<div class=\"classes\">\n");
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++) {
		ksp_strbuf_addf(p->o, "<span class=\"chip\">");
		esc(p, ksp_tr(p->lang, ksp_atlas_class_label(c)));
		ksp_strbuf_addf(p->o, ": <b>%zu</b></span>\n", k->nclass[c]);
	}
	if (isfinite(k->project_jobs) && k->project_jobs > 0) {
		add(p, "<span class=\"chip\">");
		esc(p, ksp_tr(p->lang, "Investment-project jobs"));
		add(p, ": <b>");
		esc(p, num(p, k->project_jobs, 0, b1, sizeof(b1)));
		add(p, "</b></span>\n");
	}
	add(p, "</div>\n");
}

static void figure_open(struct page *p, const char *title)
{
	add(p, "<figure>\n<div class=\"t\">");
	esc(p, title);
	add(p, "</div>\n");
}

static void figure_close(struct page *p, const char *caption)
{
	if (caption) {
		add(p, "<figcaption>");
		esc(p, caption);
		add(p, "</figcaption>\n");
	}
	add(p, "</figure>\n");
}

static void chart_flows(struct page *p, const struct ksp_atlas *a)
{
	size_t n = 0, first = 0;
	double *x, *d, *dlo, *dhi, *s, *slo, *shi;
	struct ksp_chart_series ser[2];
	struct ksp_line_chart lc = { 0 };
	char title[256];

	/* The flows start the year after the base year. */
	while (first < a->nyears && (a->years[first].year <= a->run.base_year || !isfinite(a->years[first].openings)))
		first++;
	if (first >= a->nyears)
		return;
	x = ksp_xcalloc(a->nyears, 7 * sizeof(double));
	d = x + a->nyears, dlo = d + a->nyears, dhi = dlo + a->nyears;
	s = dhi + a->nyears, slo = s + a->nyears, shi = slo + a->nyears;
	for (size_t i = first; i < a->nyears; i++, n++) {
		const struct ksp_atlas_year *y = &a->years[i];

		x[n] = y->year;
		d[n] = y->openings;
		dlo[n] = a->has_bands ? y->openings_p10 : NAN;
		dhi[n] = a->has_bands ? y->openings_p90 : NAN;
		s[n] = y->new_supply;
		slo[n] = a->has_bands ? y->new_supply_p10 : NAN;
		shi[n] = a->has_bands ? y->new_supply_p90 : NAN;
	}
	ser[0] = (struct ksp_chart_series){ ksp_tr(p->lang, "Openings (demand)"), d, a->has_bands ? dlo : NULL,
					    a->has_bands ? dhi : NULL, COLOUR_DEMAND, 0 };
	ser[1] = (struct ksp_chart_series){ ksp_tr(p->lang, "New supply"), s, a->has_bands ? slo : NULL,
					    a->has_bands ? shi : NULL, COLOUR_SUPPLY, 1 };
	snprintf(title, sizeof(title), "%s, %d\xE2\x80\x93%d", ksp_tr(p->lang, "Openings and new supply per year"),
		 (int)x[0], (int)x[n - 1]);
	lc.lang = p->lang;
	lc.title = title;
	lc.y_label = ksp_tr(p->lang, "persons a year");
	lc.band_label = ksp_tr(p->lang, "P10\xE2\x80\x93P90 of the draws");
	lc.n = n;
	lc.x = x;
	lc.series = ser;
	lc.nseries = 2;
	lc.y_decimals = -1;
	lc.width = 680;
	lc.height = 250;
	figure_open(p, title);
	ksp_chart_lines(p->o, &lc);
	figure_close(p, a->has_bands
				? ksp_tr(p->lang, "Openings: jobs to fill from expansion, exits and transfers. New supply: "
					"graduates, migrants and transfers in. The shaded bands hold 80 % of the "
					"Monte Carlo draws.")
				: ksp_tr(p->lang, "Openings: jobs to fill from expansion, exits and transfers. New supply: "
					"graduates, migrants and transfers in. The run has no draws, so no bands."));
	free(x);
}

static void chart_top(struct page *p, const struct ksp_atlas *a)
{
	const char **labels;
	double *v, *lo, *hi;
	struct ksp_bar_chart bc = { 0 };
	char title[256];
	int bands = 1;

	if (!a->ntop)
		return;
	labels = ksp_xcalloc(a->ntop, sizeof(*labels));
	v = ksp_xcalloc(a->ntop, 3 * sizeof(double));
	lo = v + a->ntop, hi = lo + a->ntop;
	for (size_t i = 0; i < a->ntop; i++) {
		const struct ksp_atlas_occupation *o = &a->occ[a->top[i]];

		labels[i] = o->title[0] ? o->title : o->code;
		/* A shortage is drawn as a positive length: the balance's sign flipped. */
		v[i] = -o->balance;
		lo[i] = o->has_bands ? -o->balance_p90 : NAN;
		hi[i] = o->has_bands ? -o->balance_p10 : NAN;
		bands &= o->has_bands;
	}
	snprintf(title, sizeof(title), "%s, %d\xE2\x80\x93%d", ksp_tr(p->lang, "Largest shortages"),
		 a->run.base_year + 1, a->run.target_year);
	bc.lang = p->lang;
	bc.title = title;
	bc.value_label = ksp_tr(p->lang, "shortage, persons (openings minus new supply)");
	bc.n = a->ntop;
	bc.labels = labels;
	bc.values = v;
	bc.lo = bands ? lo : NULL;
	bc.hi = bands ? hi : NULL;
	bc.colour = 0xd6604d;
	bc.colour_negative = COLOUR_SUPPLY;
	bc.decimals = 0;
	bc.width = 680;
	bc.label_width = 290;
	figure_open(p, title);
	ksp_chart_bars(p->o, &bc);
	figure_close(p, bands ? ksp_tr(p->lang, "Whiskers: P10\xE2\x80\x93P90 of the shortage over the draws.") : NULL);
	free(labels);
	free(v);
}

/* The outlines, as the atlas carries them from the database (none: no map). */
static int map_shapes(const struct ksp_atlas *a, struct ksp_boundaries *b)
{
	struct ksp_error e = { 0 };
	size_t n = 0;

	b->regions = NULL;
	b->n = 0;
	for (size_t i = 0; a->boundaries && i < a->nareas; i++)
		n += a->boundaries[i] != NULL;
	if (!n)
		return KSP_ENOTFOUND;
	b->regions = ksp_xcalloc(n, sizeof(*b->regions));
	for (size_t i = 0; i < a->nareas; i++) {
		struct ksp_region_shape *r;

		if (!a->boundaries[i])
			continue;
		r = &b->regions[b->n++];
		snprintf(r->code, sizeof(r->code), "%s", a->areas[i].region);
		r->name = ksp_xstrdup(a->areas[i].name);
		if (ksp_geo_shape_parse(&r->shape, a->boundaries[i], &e))
			return KSP_EINVAL;
	}
	return KSP_OK;
}

static void chart_map(struct page *p, const struct ksp_atlas *a, const struct ksp_atlas *const *pages,
		      const char *const *hrefs, size_t npages)
{
	struct ksp_boundaries b = { 0 };
	struct ksp_map_region *mr;
	struct ksp_choropleth m = { 0 };
	size_t n = 0;
	char title[256];

	if (map_shapes(a, &b) || !b.n) {
		ksp_boundaries_release(&b);
		return;
	}
	mr = ksp_xcalloc(b.n, sizeof(*mr));
	for (size_t i = 0; i < b.n; i++) {
		const struct ksp_atlas_area *ar = NULL;

		for (size_t j = 0; j < a->nareas; j++)
			if (!strcmp(a->areas[j].region, b.regions[i].code))
				ar = &a->areas[j];
		mr[n].code = b.regions[i].code;
		mr[n].name = ar && ar->name[0] ? ar->name : b.regions[i].name;
		mr[n].value = ar ? ar->shortage_ratio : NAN;
		mr[n].shape = &b.regions[i].shape;
		for (size_t j = 0; j < npages; j++)
			if (!strcmp(pages[j]->region, b.regions[i].code))
				mr[n].href = hrefs[j];
		n++;
	}
	snprintf(title, sizeof(title), "%s, %d", ksp_tr(p->lang, "Shortage ratio by region"), a->run.target_year);
	m.lang = p->lang;
	m.title = title;
	m.regions = mr;
	m.n = n;
	m.current = a->national || npages ? NULL : a->region;
	m.low_label = ksp_tr(p->lang, "surplus");
	m.high_label = ksp_tr(p->lang, "shortage");
	m.value_label = ksp_tr(p->lang, "cumulative shortage as a share of employment");
	m.percent = 1;
	m.width = 680;
	figure_open(p, title);
	ksp_map_choropleth(p->o, &m);
	if (npages)
		figure_close(p, ksp_tr(p->lang, "A region's shape leads to its page. Boundaries: geokz (A. Rodionov), "
				      "based on OCHA/UNHCR COD-AB Kazakhstan, CC BY 4.0."));
	else
		figure_close(p, a->national ? ksp_tr(p->lang, "Boundaries: geokz (A. Rodionov), based on OCHA/UNHCR COD-AB "
					    "Kazakhstan, CC BY 4.0.")
				    : ksp_tr(p->lang, "This region is outlined. Boundaries: geokz (A. Rodionov), based "
					    "on OCHA/UNHCR COD-AB Kazakhstan, CC BY 4.0."));
	free(mr);
	ksp_boundaries_release(&b);
}

static int cmp_area(const void *pa, const void *pb)
{
	const struct ksp_atlas_area *x = *(const struct ksp_atlas_area *const *)pa;
	const struct ksp_atlas_area *y = *(const struct ksp_atlas_area *const *)pb;
	double u = isfinite(x->shortage_ratio) ? x->shortage_ratio : -INFINITY;
	double v = isfinite(y->shortage_ratio) ? y->shortage_ratio : -INFINITY;

	if (u != v)
		return u > v ? -1 : 1;
	return strcmp(x->region, y->region);
}

/* Every region's figures, the largest shortage ratio first, this region marked, the country last. */
static void regions_table(struct page *p, const struct ksp_atlas *a)
{
	const struct ksp_atlas_area **sorted, *country = NULL;
	size_t n = 0;
	char b1[64];

	if (!a->nareas)
		return;
	sorted = ksp_xcalloc(a->nareas, sizeof(*sorted));
	for (size_t i = 0; i < a->nareas; i++) {
		if (!strcmp(a->areas[i].iso, KSP_ATLAS_COUNTRY))
			country = &a->areas[i];
		else
			sorted[n++] = &a->areas[i];
	}
	qsort(sorted, n, sizeof(*sorted), cmp_area);
	if (country)
		sorted[n++] = country;
	add(p, "<table class=\"areas\">\n<thead><tr><th>");
	esc(p, ksp_tr(p->lang, "Region"));
	add(p, "</th><th class=\"n\">");
	esc(p, ksp_tr(p->lang, "Employed"));
	ksp_strbuf_addf(p->o, ", %d</th><th class=\"n\">", a->run.target_year);
	esc(p, ksp_tr(p->lang, "Balance"));
	add(p, "</th><th class=\"n\">");
	esc(p, ksp_tr(p->lang, "Shortage ratio"));
	add(p, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct ksp_atlas_area *ar = sorted[i];
		int cur = !strcmp(ar->region, a->region);

		add(p, cur ? "<tr class=\"cur\"><td>" : "<tr><td>");
		esc(p, ar->name);
		add(p, "</td>");
		td_num(p, num(p, ar->emp_target, 0, b1, sizeof(b1)), NULL);
		td_num(p, signed_num(p, ar->balance, b1, sizeof(b1)), NULL);
		td_num(p, pct(p, ar->shortage_ratio, 1, b1, sizeof(b1)),
		       ar->shortage_ratio > 0.0005 ? "short" : ar->shortage_ratio < -0.0005 ? "surp" : NULL);
		add(p, "</tr>\n");
	}
	add(p, "</tbody>\n</table>\n");
	free(sorted);
}

/* ---- the tables ---------------------------------------------------------------------- */

static const char *class_intro(int c)
{
	switch (c) {
	case KSP_ATLAS_IN_DEMAND:
		return KSP_N_("A lasting shortage: new supply falls short of openings by more than the "
			      "rule's share of employment. Ranked by shortage ratio.");
	case KSP_ATLAS_EMERGING:
		return KSP_N_("Fast growth, or investment-project jobs, from a small base. Ranked by "
			      "growth.");
	case KSP_ATLAS_STABLE:
		return KSP_N_("Neither a lasting shortage nor a fall. Ranked by employment.");
	default:
		return KSP_N_("Shrinking employment with a surplus. Ranked by the steepest fall.");
	}
}

static void class_table(struct page *p, const struct ksp_atlas *a, int c)
{
	size_t n = a->key.nclass[c];
	char b1[64], b2[64], b3[64];

	ksp_strbuf_addf(p->o, "<section class=\"page class-%s\">\n<h2>", ksp_atlas_class_id(c));
	esc(p, ksp_tr(p->lang, ksp_atlas_class_label(c)));
	ksp_strbuf_addf(p->o, " <span class=\"small\">(%zu)</span></h2>\n<p class=\"small\">", n);
	esc(p, ksp_tr(p->lang, class_intro(c)));
	add(p, "</p>\n");
	if (!n) {
		add(p, "<p>");
		esc(p, ksp_tr(p->lang, "No occupation is in this class."));
		add(p, "</p>\n</section>\n");
		return;
	}
	/* Fixed column widths: the occupation's title and its training paths get the room. */
	ksp_strbuf_addf(p->o,
			"<table class=\"occ\">\n<colgroup><col style=\"width:6%%\"><col style=\"width:%d%%\">"
			"<col style=\"width:9%%\">%s<col style=\"width:9%%\"><col style=\"width:7%%\">"
			"<col style=\"width:8%%\"><col style=\"width:8%%\"><col style=\"width:10%%\">"
			"<col style=\"width:9%%\"></colgroup>\n",
			a->has_prob ? 26 : 34, a->has_prob ? "<col style=\"width:8%\">" : "");
	add(p, "<thead><tr><th>");
	esc(p, ksp_tr(p->lang, "Code"));
	add(p, "</th><th>");
	esc(p, ksp_tr(p->lang, "Occupation"));
	add(p, "</th><th>");
	esc(p, ksp_tr(p->lang, "Outlook"));
	add(p, "</th>");
	if (a->has_prob) {
		add(p, "<th class=\"n\">");
		esc(p, ksp_tr(p->lang, "Probability"));
		add(p, "</th>");
	}
	ksp_strbuf_addf(p->o, "<th class=\"n\">");
	esc(p, ksp_tr(p->lang, "Employed"));
	ksp_strbuf_addf(p->o, ", %d</th><th class=\"n\">", a->run.target_year);
	esc(p, ksp_tr(p->lang, "Growth"));
	add(p, "</th><th class=\"n\">");
	esc(p, ksp_tr(p->lang, "Openings"));
	add(p, "</th><th class=\"n\">");
	esc(p, ksp_tr(p->lang, "New supply"));
	add(p, "</th><th class=\"n\">");
	esc(p, ksp_tr(p->lang, "Balance"));
	add(p, "</th><th class=\"n\">");
	esc(p, ksp_tr(p->lang, "Shortage ratio"));
	add(p, "</th></tr></thead>\n<tbody>\n");
	for (size_t r = 0; r < n; r++) {
		const struct ksp_atlas_occupation *o = &a->occ[a->by_class[c][r]];
		const char *ol = ksp_atlas_outlook_label(o->outlook);

		add(p, "<tr><td class=\"c\">");
		esc(p, o->code);
		add(p, "</td><td class=\"t\">");
		esc(p, o->title[0] ? o->title : o->code);
		if (o->npaths && a->paths) {
			add(p, "<div class=\"small\">");
			esc(p, ksp_tr(p->lang, "Train:"));
			for (size_t k = 0; k < o->npaths && k < 3; k++) {
				const struct ksp_atlas_path *pa = &a->paths[o->path_first + k];

				add(p, k ? "; " : " ");
				esc(p, pa->title[0] ? pa->title : pa->specialty);
				add(p, " (");
				esc(p, pct(p, pa->weight, 0, b1, sizeof(b1)));
				add(p, ")");
			}
			add(p, "</div>");
		}
		ksp_strbuf_addf(p->o, "</td><td><span class=\"o o%d\">%d</span> ", o->outlook, o->outlook);
		esc(p, ol ? ksp_tr(p->lang, ol) : "");
		add(p, "</td>");
		if (a->has_prob)
			td_num(p, o->has_prob ? pct(p, o->class_prob[c], 0, b1, sizeof(b1)) : "\xE2\x80\x93", NULL);
		td_num(p, num(p, o->emp_target, 0, b1, sizeof(b1)), NULL);
		{
			char g[64];

			if (isfinite(o->growth_pct)) {
				pct(p, o->growth_pct, 1, b1, sizeof(b1));
				snprintf(g, sizeof(g), "%s%s", o->growth_pct > 0.0005 ? "+" : "", b1);
			} else {
				snprintf(g, sizeof(g), "%s", ksp_tr(p->lang, "new"));
			}
			td_num(p, g, NULL);
		}
		td_num(p, num(p, o->openings, 0, b1, sizeof(b1)), NULL);
		td_num(p, num(p, o->new_supply, 0, b1, sizeof(b1)), NULL);
		add(p, "<td class=\"n\">");
		esc(p, signed_num(p, o->balance, b1, sizeof(b1)));
		if (o->has_bands && isfinite(o->balance_p10) && isfinite(o->balance_p90)) {
			add(p, "<div class=\"small\">");
			esc(p, signed_num(p, o->balance_p10, b2, sizeof(b2)));
			add(p, " \xE2\x80\xA6 ");
			esc(p, signed_num(p, o->balance_p90, b3, sizeof(b3)));
			add(p, "</div>");
		}
		add(p, "</td>");
		td_num(p, pct(p, o->shortage_ratio, 1, b1, sizeof(b1)),
		       o->shortage_ratio > 0.0005 ? "short" : o->shortage_ratio < -0.0005 ? "surp" : NULL);
		add(p, "</tr>\n");
	}
	add(p, "</tbody>\n</table>\n</section>\n");
}

/* ---- notes ------------------------------------------------------------------------------ */

static void note_item(void *ctx, const char *text)
{
	struct page *p = ctx;

	add(p, "<li>");
	esc(p, text);
	add(p, "</li>\n");
}

static void notes(struct page *p, const struct ksp_atlas *a)
{
	char b1[64], b2[64];
	struct ksp_strbuf line = KSP_STRBUF_INIT;

	add(p, "<section class=\"page notes\">\n<h2>");
	esc(p, ksp_tr(p->lang, "Notes"));
	add(p, "</h2>\n<ul>\n");

	ksp_strbuf_addf(&line, "%s %lld, %s %s%s%s, %d\xE2\x80\x93%d, %s %s, %s %d",
			ksp_tr(p->lang, "Forecast run"), a->run.id, ksp_tr(p->lang, "scenario"), lq(p),
			a->run.scenario, rq(p), a->run.base_year,
			a->run.target_year, ksp_tr(p->lang, "classification"), a->classification, ksp_tr(p->lang, "level"),
			a->level);
	if (a->run.draws > 0)
		ksp_strbuf_addf(&line, ", %s: %s", ksp_tr(p->lang, "Monte Carlo draws"),
				num(p, a->run.draws, 0, b1, sizeof(b1)));
	if (a->run.created[0])
		ksp_strbuf_addf(&line, " (%s %s)", ksp_tr(p->lang, "computed"), a->run.created);
	ksp_strbuf_addch(&line, '.');
	note_item(p, line.buf);

	note_item(p, ksp_tr(p->lang, "Figures are persons; openings and new supply are summed over the years after "
			   "the base year up to the target year. Balance = new supply minus openings: "
			   "negative is a shortage. Shortage ratio = shortage / employment in the target "
			   "year."));
	note_item(p, ksp_tr(p->lang, "Data: the Bureau of National Statistics (population, labour force, "
			   "employment), the forecast's assumption files and their sources (kasip "
			   "show sources); occupation groups: ISCO-08."));
	/* The atlas's own notes say where the titles come from; say how to change them. */
	ksp_atlas_notes(a, note_item, p);
	note_item(p, ksp_tr(p->lang, "An akimat can replace the occupation titles by importing the national "
				     "classifier (NK RK 01-2017) with its Kazakh and Russian titles."));
	add(p, "</ul>\n<h3>");
	esc(p, ksp_tr(p->lang, "How to read the classes"));
	add(p, "</h3>\n<p>");
	esc(p, ksp_tr(p->lang, "Each occupation gets the first class whose rule holds: in demand, then emerging, "
		     "then declining; stable is what is left. The outlook (1 to 5) rates the chance of "
		     "finding work in the occupation here. Where the run has draws, the probability is "
		     "the share of draws in which the occupation's class rule holds."));
	add(p, "</p>\n");
	if (a->nrules) {
		add(p, "<table class=\"rules\"><thead><tr><th>");
		esc(p, ksp_tr(p->lang, "Rule"));
		add(p, "</th><th class=\"n\">");
		esc(p, ksp_tr(p->lang, "Threshold"));
		add(p, "</th><th>");
		esc(p, ksp_tr(p->lang, "What it tests"));
		add(p, "</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < a->nrules; i++) {
			const struct ksp_atlas_rule *r = &a->rules[i];

			add(p, "<tr><td class=\"c\">");
			esc(p, r->name);
			add(p, "</td>");
			td_num(p, !strcmp(r->unit, "fraction") ? pct(p, r->value, 1, b1, sizeof(b1))
							     : num(p, r->value, 0, b2, sizeof(b2)),
			       NULL);
			add(p, "<td>");
			esc(p, ksp_tr(p->lang, r->what));
			add(p, "</td></tr>\n");
		}
		add(p, "</tbody></table>\n");
		ksp_strbuf_addf(p->o, "<p class=\"small\">%s %s.</p>\n", ksp_tr(p->lang, "Rules version"),
				a->rules_version);
	}
	add(p, "</section>\n");
	ksp_strbuf_release(&line);
}

/* ---- the page ----------------------------------------------------------------------------- */

static int flush(struct ksp_strbuf *sb, FILE *out, struct ksp_error *err)
{
	if (fwrite(sb->buf, 1, sb->len, out) != sb->len || fflush(out) != 0)
		return ksp_error_set(err, KSP_EIO, "cannot write the page: %s", strerror(errno));
	return KSP_OK;
}

int ksp_atlas_write_html(const struct ksp_atlas *a, FILE *out, struct ksp_error *err)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct page p = { &sb, a->lang };
	char title[512];
	int rc;

	snprintf(title, sizeof(title), "%s \xE2\x80\x94 %s, %d\xE2\x80\x93%d", ksp_tr(p.lang, "Atlas of Professions"),
		 a->name, a->run.base_year, a->run.target_year);
	page_head(&p, title);
	add(&p, "<header>\n<p class=\"kicker\">");
	esc(&p, ksp_tr(p.lang, "Atlas of Professions"));
	add(&p, "</p>\n<h1>");
	esc(&p, a->name);
	add(&p, "</h1>\n<p class=\"sub\">");
	ksp_strbuf_addf(&sb, "%s %d\xE2\x80\x93%d \xC2\xB7 ", ksp_tr(p.lang, "Forecast"), a->run.base_year,
			a->run.target_year);
	esc(&p, ksp_tr(p.lang, "scenario"));
	add(&p, " ");
	add(&p, lq(&p));
	esc(&p, a->run.scenario);
	add(&p, rq(&p));
	add(&p, " \xC2\xB7 ");
	esc(&p, a->classification);
	ksp_strbuf_addf(&sb, ", %s %d \xC2\xB7 %s %lld</p>\n</header>\n", ksp_tr(p.lang, "level"), a->level,
			ksp_tr(p.lang, "run"), a->run.id);

	/* The first page: key figures, the flows over time, the largest shortages. */
	key_figures(&p, a);
	chart_flows(&p, a);
	chart_top(&p, a);
	/* The second: where the region stands among the others. */
	add(&p, "<section class=\"page regions\">\n<h2>");
	esc(&p, ksp_tr(p.lang, "The regions compared"));
	add(&p, "</h2>\n");
	chart_map(&p, a, NULL, NULL, 0);
	regions_table(&p, a);
	add(&p, "</section>\n");
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
		class_table(&p, a, c);
	notes(&p, a);
	add(&p, "<footer>");
	esc(&p, ksp_tr(p.lang, "Made with kasip from a stored forecast run; every figure can be recomputed with "
		      "'kasip atlas'."));
	add(&p, "</footer>\n</body>\n</html>\n");
	rc = flush(&sb, out, err);
	ksp_strbuf_release(&sb);
	return rc;
}

/* ---- the index ------------------------------------------------------------------------------ */

int ksp_atlas_write_index(const struct ksp_atlas *const *pages, const char *const *hrefs, size_t n,
			  const char *lang, FILE *out, struct ksp_error *err)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct page p = { &sb, lang };
	const struct ksp_atlas *any = n ? pages[0] : NULL;
	char b1[64], b2[64], b3[64];
	int rc;

	page_head(&p, ksp_tr(p.lang, "Atlas of Professions"));
	add(&p, "<header>\n<p class=\"kicker\">kasip</p>\n<h1>");
	esc(&p, ksp_tr(p.lang, "Atlas of Professions"));
	add(&p, "</h1>\n");
	if (any) {
		add(&p, "<p class=\"sub\">");
		ksp_strbuf_addf(&sb, "%s %d\xE2\x80\x93%d \xC2\xB7 ", ksp_tr(p.lang, "Forecast"), any->run.base_year,
				any->run.target_year);
		esc(&p, ksp_tr(p.lang, "scenario"));
		add(&p, " ");
		add(&p, lq(&p));
		esc(&p, any->run.scenario);
		ksp_strbuf_addf(&sb, "%s \xC2\xB7 %s %lld</p>\n", rq(&p), ksp_tr(p.lang, "run"), any->run.id);
	}
	add(&p, "</header>\n");
	/* The map leads to the pages: the country's atlas has every region's figures. */
	if (any) {
		const struct ksp_atlas *nat = any;

		for (size_t i = 0; i < n; i++)
			if (pages[i]->national)
				nat = pages[i];
		chart_map(&p, nat, pages, hrefs, n);
	}
	add(&p, "<table>\n<thead><tr><th>");
	esc(&p, ksp_tr(p.lang, "Region"));
	add(&p, "</th><th class=\"n\">");
	esc(&p, ksp_tr(p.lang, "Employed"));
	if (any)
		ksp_strbuf_addf(&sb, ", %d", any->run.target_year);
	add(&p, "</th><th class=\"n\">");
	esc(&p, ksp_tr(p.lang, "Balance"));
	add(&p, "</th><th class=\"n\">");
	esc(&p, ksp_tr(p.lang, "Shortage ratio"));
	add(&p, "</th><th class=\"n\">");
	esc(&p, ksp_tr(p.lang, "In demand"));
	add(&p, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct ksp_atlas *a = pages[i];

		add(&p, "<tr><td><a href=\"");
		esc(&p, hrefs[i]);
		add(&p, "\">");
		if (a->national)
			add(&p, "<b>");
		esc(&p, a->name);
		if (a->national)
			add(&p, "</b>");
		add(&p, "</a></td>");
		td_num(&p, num(&p, a->key.emp_target, 0, b1, sizeof(b1)), NULL);
		td_num(&p, signed_num(&p, a->key.balance, b2, sizeof(b2)), NULL);
		td_num(&p, pct(&p, a->key.shortage_ratio, 1, b3, sizeof(b3)),
		       a->key.shortage_ratio > 0.0005 ? "short" : a->key.shortage_ratio < -0.0005 ? "surp" : NULL);
		snprintf(b1, sizeof(b1), "%zu", a->key.nclass[KSP_ATLAS_IN_DEMAND]);
		td_num(&p, b1, NULL);
		add(&p, "</tr>\n");
	}
	add(&p, "</tbody>\n</table>\n<footer>");
	esc(&p, ksp_tr(p.lang, "Made with kasip from a stored forecast run; every figure can be recomputed with "
		      "'kasip atlas'."));
	add(&p, "</footer>\n</body>\n</html>\n");
	rc = flush(&sb, out, err);
	ksp_strbuf_release(&sb);
	return rc;
}

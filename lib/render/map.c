/*
 * map.c - shapes, projection, simplification and the choropleth (see
 * render/map.h).
 */
#include "render/map.h"

#include <jansson.h>

#include "kasip/i18n.h"
#include "render/svg.h"
#include "util/xmalloc.h"

#define MAP_MAX_POINTS 1000000
#define DEG (M_PI / 180.0)

/* ---- shapes ------------------------------------------------------------------- */

void ksp_geo_shape_init(struct ksp_geo_shape *g)
{
	memset(g, 0, sizeof(*g));
}

void ksp_geo_shape_release(struct ksp_geo_shape *g)
{
	free(g->ring_start);
	free(g->lonlat);
	ksp_geo_shape_init(g);
}

struct shape_builder {
	struct ksp_geo_shape *g;
	size_t ring_alloc, point_alloc;
};

static int add_ring(struct shape_builder *b, json_t *ring, struct ksp_error *err)
{
	struct ksp_geo_shape *g = b->g;
	size_t i;
	json_t *pt;

	if (!json_is_array(ring))
		return ksp_error_set(err, KSP_EINVAL, "geometry: expected a ring (an array of positions)");
	if (g->npoints + json_array_size(ring) > MAP_MAX_POINTS)
		return ksp_error_set(err, KSP_EINVAL, "geometry: more than %d points", MAP_MAX_POINTS);
	KSP_ALLOC_GROW(g->ring_start, g->nrings + 2, b->ring_alloc);
	KSP_ALLOC_GROW(g->lonlat, 2 * (g->npoints + json_array_size(ring)), b->point_alloc);
	json_array_foreach(ring, i, pt) {
		json_t *x = json_array_get(pt, 0), *y = json_array_get(pt, 1);

		if (!json_is_number(x) || !json_is_number(y))
			return ksp_error_set(err, KSP_EINVAL,
					     "geometry: expected a position [lon, lat] at point %zu", i);
		g->lonlat[2 * g->npoints] = json_number_value(x);
		g->lonlat[2 * g->npoints + 1] = json_number_value(y);
		if (fabs(g->lonlat[2 * g->npoints]) > 180 || fabs(g->lonlat[2 * g->npoints + 1]) > 90)
			return ksp_error_set(err, KSP_EINVAL,
					     "geometry: position %zu is not a longitude and latitude", i);
		g->npoints++;
	}
	g->nrings++;
	g->ring_start[g->nrings] = g->npoints;
	return KSP_OK;
}

static int add_polygon(struct shape_builder *b, json_t *poly, struct ksp_error *err)
{
	size_t i;
	json_t *ring;

	if (!json_is_array(poly))
		return ksp_error_set(err, KSP_EINVAL, "geometry: expected a polygon (an array of rings)");
	json_array_foreach(poly, i, ring) {
		int rc = add_ring(b, ring, err);

		if (rc)
			return rc;
	}
	return KSP_OK;
}

int ksp_geo_shape_parse(struct ksp_geo_shape *g, const char *geometry, struct ksp_error *err)
{
	struct shape_builder b = { g, 0, 0 };
	json_error_t jerr;
	json_t *root, *coords;
	const char *type;
	int rc = KSP_OK;

	ksp_geo_shape_init(g);
	root = json_loads(geometry ? geometry : "", JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return ksp_error_set(err, KSP_EINVAL, "geometry: %s at line %d", jerr.text, jerr.line);
	type = json_string_value(json_object_get(root, "type"));
	coords = json_object_get(root, "coordinates");
	KSP_ALLOC_GROW(g->ring_start, 1, b.ring_alloc);
	g->ring_start[0] = 0;
	if (type && !strcmp(type, "Polygon")) {
		rc = add_polygon(&b, coords, err);
	} else if (type && !strcmp(type, "MultiPolygon")) {
		size_t i;
		json_t *poly;

		if (!json_is_array(coords)) {
			rc = ksp_error_set(err, KSP_EINVAL, "geometry: expected an array of polygons");
			goto out;
		}
		json_array_foreach(coords, i, poly) {
			rc = add_polygon(&b, poly, err);
			if (rc)
				goto out;
		}
	} else {
		rc = ksp_error_set(err, KSP_EINVAL, "geometry: expected Polygon or MultiPolygon, got \"%s\"",
				   type ? type : "");
	}
out:
	json_decref(root);
	return rc;
}

/* ---- projection ---------------------------------------------------------------- */

/* Snyder, Map Projections: A Working Manual (USGS PP 1395), 15-1 to 15-5, sphere. */
void ksp_lcc_init(struct ksp_lcc *p, double lat1, double lat2, double lat0, double lon0)
{
	double p1 = lat1 * DEG, p2 = lat2 * DEG, p0 = lat0 * DEG;

	if (fabs(lat1 - lat2) < 1e-9)
		p->n = sin(p1);
	else
		p->n = log(cos(p1) / cos(p2)) / log(tan(M_PI / 4 + p2 / 2) / tan(M_PI / 4 + p1 / 2));
	p->F = cos(p1) * pow(tan(M_PI / 4 + p1 / 2), p->n) / p->n;
	p->rho0 = p->F / pow(tan(M_PI / 4 + p0 / 2), p->n);
	p->lon0 = lon0 * DEG;
}

void ksp_lcc_kazakhstan(struct ksp_lcc *p)
{
	ksp_lcc_init(p, 45, 51, 48, 67);
}

void ksp_lcc_forward(const struct ksp_lcc *p, double lon, double lat, double *x, double *y)
{
	double rho = p->F / pow(tan(M_PI / 4 + lat * DEG / 2), p->n);
	double theta = p->n * (lon * DEG - p->lon0);

	*x = rho * sin(theta);
	*y = p->rho0 - rho * cos(theta);
}

/* ---- simplification ---------------------------------------------------------- */

/* Squared distance from p to the segment a-b. */
static double seg_dist2(const double *p, const double *a, const double *b)
{
	double dx = b[0] - a[0], dy = b[1] - a[1], t, ex, ey;
	double len2 = dx * dx + dy * dy;

	t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	ex = a[0] + t * dx - p[0];
	ey = a[1] + t * dy - p[1];
	return ex * ex + ey * ey;
}

size_t ksp_simplify_dp(double *xy, size_t n, double tol)
{
	unsigned char *keep;
	size_t *stack, top = 0, m = 0;
	double tol2 = tol * tol;

	if (n <= 2)
		return n;
	keep = ksp_xcalloc(n, 1);
	stack = ksp_xcalloc(2 * n, sizeof(*stack));
	keep[0] = keep[n - 1] = 1;
	stack[top++] = 0;
	stack[top++] = n - 1;
	while (top) {
		size_t b = stack[--top], a = stack[--top], far = 0;
		double dmax = -1;

		for (size_t i = a + 1; i < b; i++) {
			double d = seg_dist2(xy + 2 * i, xy + 2 * a, xy + 2 * b);

			if (d > dmax)
				dmax = d, far = i;
		}
		if (far && dmax > tol2) {
			keep[far] = 1;
			stack[top++] = a;
			stack[top++] = far;
			stack[top++] = far;
			stack[top++] = b;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (keep[i]) {
			xy[2 * m] = xy[2 * i];
			xy[2 * m + 1] = xy[2 * i + 1];
			m++;
		}
	free(keep);
	free(stack);
	return m;
}

/* ---- the choropleth ----------------------------------------------------------- */

static double nice_at_least(double v)
{
	static const double mult[] = { 1, 2, 2.5, 5, 10 };
	double mag;

	if (!(v > 0) || !isfinite(v))
		return 0;
	mag = pow(10, floor(log10(v)));
	for (size_t i = 0; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (mult[i] * mag >= v * (1 - 1e-9))
			return mult[i] * mag;
	return 10 * mag;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double ksp_map_class_step(const double *values, size_t n)
{
	double *a = ksp_xcalloc(n ? n : 1, sizeof(double)), q;
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (isfinite(values[i]))
			a[m++] = fabs(values[i]);
	if (!m) {
		free(a);
		return 0.05;
	}
	qsort(a, m, sizeof(double), cmp_double);
	/* The 90th percentile (nearest rank): one outlier does not set the scale. */
	q = a[(size_t)ceil(0.9 * (double)m) - 1];
	free(a);
	q = nice_at_least(q / 3);
	return q > 0 ? q : 0.05;
}

static int value_class(double v, double step)
{
	double k = floor(fabs(v) / step);

	if (k > 3)
		k = 3;
	return 3 + (v < 0 ? -(int)k : (int)k);
}

static int decimals_for(double v)
{
	for (int d = 0; d < 4; d++) {
		double s = v * pow(10, d);

		if (fabs(s - round(s)) < 1e-6)
			return d;
	}
	return 4;
}

static void fmt_value(const struct ksp_choropleth *m, double v, int decimals, char *buf, size_t size)
{
	char num[64];
	const char *l = ksp_lang_norm(m->lang);

	ksp_fmt_number(m->lang, m->percent ? 100 * v : v, decimals, num, sizeof(num));
	const char *unit = !m->percent ? "" : (l && strcmp(l, "en")) ? "\xC2\xA0%" : "%";
	int n;

	/* A typographic minus.  A label cut to the buffer is still a label. */
	if (num[0] == '-')
		n = snprintf(buf, size, "\xE2\x88\x92%s%s", num + 1, unit);
	else
		n = snprintf(buf, size, "%s%s", num, unit);
	if (n < 0 && size)
		buf[0] = 0;
}

static void link_open(struct ksp_svg *s, const char *href)
{
	if (!href)
		return;
	ksp_strbuf_addstr(s->out, "<a href=\"");
	ksp_svg_escape(s->out, href);
	ksp_strbuf_addstr(s->out, "\">");
}

static void link_close(struct ksp_svg *s, const char *href)
{
	if (href)
		ksp_strbuf_addstr(s->out, "</a>\n");
}

struct by_area {
	size_t i;
	double area;
};

static int cmp_by_area(const void *pa, const void *pb)
{
	const struct by_area *x = pa, *y = pb;

	if (x->area != y->area)
		return x->area > y->area ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

struct projected {
	double *xy;          /* projected points, all rings */
	size_t *ring_start;  /* as the shape's */
	size_t nrings;
	double x0, y0, x1, y1; /* bounding box in px */
};

void ksp_map_choropleth(struct ksp_strbuf *out, const struct ksp_choropleth *m)
{
	struct ksp_svg svg = { .decimals = 1 };
	struct ksp_lcc lcc;
	double W = m->width > 0 ? m->width : 640, tol = m->tolerance > 0 ? m->tolerance : 0.6;
	double bx0 = INFINITY, by0 = INFINITY, bx1 = -INFINITY, by1 = -INFINITY, scale, pad = 6;
	double mapH, H, step, *values;
	struct projected *pr = ksp_xcalloc(m->n ? m->n : 1, sizeof(*pr));
	struct ksp_strbuf attrs = KSP_STRBUF_INIT, tip = KSP_STRBUF_INIT;
	char col[8], buf[64];
	const struct ksp_colour_scale sc = { ksp_palette_surplus_shortage, 7, 0, 3, 6, 0 };
	size_t cur = (size_t)-1;
	struct by_area *order;
	int sdec;

	ksp_lcc_kazakhstan(&lcc);
	/* Project everything once (y grows down in SVG), in sphere units. */
	for (size_t r = 0; r < m->n; r++) {
		const struct ksp_geo_shape *g = m->regions[r].shape;

		if (m->current && m->regions[r].code && !strcmp(m->current, m->regions[r].code))
			cur = r;
		if (!g || !g->npoints)
			continue;
		pr[r].xy = ksp_xcalloc(g->npoints, 2 * sizeof(double));
		for (size_t i = 0; i < g->npoints; i++) {
			double x, y;

			ksp_lcc_forward(&lcc, g->lonlat[2 * i], g->lonlat[2 * i + 1], &x, &y);
			pr[r].xy[2 * i] = x;
			pr[r].xy[2 * i + 1] = -y;
			if (x < bx0) bx0 = x;
			if (x > bx1) bx1 = x;
			if (-y < by0) by0 = -y;
			if (-y > by1) by1 = -y;
		}
	}
	if (!isfinite(bx0))
		bx0 = by0 = 0, bx1 = by1 = 1;
	scale = (W - 2 * pad) / (bx1 - bx0);
	mapH = (by1 - by0) * scale + 2 * pad;
	H = mapH + 58;

	values = ksp_xcalloc(m->n ? m->n : 1, sizeof(double));
	for (size_t r = 0; r < m->n; r++)
		values[r] = m->regions[r].value;
	step = ksp_map_class_step(values, m->n);
	free(values);
	sdec = decimals_for(m->percent ? 100 * step : step);

	ksp_svg_begin(&svg, out, W, H, "chart chart-map", m->title);
	ksp_svg_group_begin(&svg, "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', "
				  "'DejaVu Sans', Arial, sans-serif\" font-size=\"12\" fill=\"#222\"");

	/* To px, simplified at this scale; rings that shrink to nothing are dropped. */
	for (size_t r = 0; r < m->n; r++) {
		const struct ksp_geo_shape *g = m->regions[r].shape;
		struct projected *p = &pr[r];
		size_t o = 0;

		if (!p->xy)
			continue;
		p->ring_start = ksp_xcalloc(g->nrings + 1, sizeof(size_t));
		p->x0 = p->y0 = INFINITY;
		p->x1 = p->y1 = -INFINITY;
		for (size_t k = 0; k < g->nrings; k++) {
			size_t a = g->ring_start[k], n = g->ring_start[k + 1] - a, kept;
			double area = 0;

			for (size_t i = 0; i < n; i++) {
				double *q = p->xy + 2 * (a + i);

				q[0] = pad + (q[0] - bx0) * scale;
				q[1] = pad + (q[1] - by0) * scale;
				if (q[0] < p->x0) p->x0 = q[0];
				if (q[0] > p->x1) p->x1 = q[0];
				if (q[1] < p->y0) p->y0 = q[1];
				if (q[1] > p->y1) p->y1 = q[1];
			}
			kept = ksp_simplify_dp(p->xy + 2 * a, n, tol);
			for (size_t i = 0; i + 1 < kept; i++) {
				const double *q = p->xy + 2 * (a + i);

				area += q[0] * q[3] - q[2] * q[1];
			}
			if (kept < 4 || fabs(area) / 2 < 0.5)
				continue;
			memmove(p->xy + 2 * o, p->xy + 2 * a, kept * 2 * sizeof(double));
			p->ring_start[p->nrings++] = o;
			o += kept;
		}
		p->ring_start[p->nrings] = o;
	}

	/* Regions, largest first so that a city inside its oblast is drawn over it, then the
	 * dots of the small ones, then the current outline. */
	order = ksp_xcalloc(m->n ? m->n : 1, sizeof(*order));
	for (size_t r = 0; r < m->n; r++) {
		order[r].i = r;
		order[r].area = pr[r].xy ? (pr[r].x1 - pr[r].x0) * (pr[r].y1 - pr[r].y0) : 0;
	}
	qsort(order, m->n, sizeof(*order), cmp_by_area);
	ksp_svg_group_begin(&svg, "class=\"regions\" stroke=\"#8c8c8c\" stroke-width=\"0.5\" stroke-linejoin=\"round\"");
	for (size_t oi = 0; oi < m->n; oi++) {
		size_t r = order[oi].i;
		const struct ksp_map_region *rg = &m->regions[r];
		struct projected *p = &pr[r];

		if (!p->nrings)
			continue;
		ksp_colour_at(&sc, isnan(rg->value) ? NAN : value_class(rg->value, step), col);
		ksp_strbuf_reset(&attrs);
		ksp_strbuf_addf(&attrs, "fill=\"%s\" fill-rule=\"evenodd\"", col);
		ksp_strbuf_reset(&tip);
		if (isnan(rg->value)) {
			ksp_strbuf_addf(&tip, "%s: %s", rg->name ? rg->name : "", ksp_tr(m->lang, "no data"));
		} else {
			fmt_value(m, rg->value, m->percent ? 1 : 2, buf, sizeof(buf));
			ksp_strbuf_addf(&tip, "%s: %s", rg->name ? rg->name : "", buf);
		}
		link_open(&svg, rg->href);
		ksp_svg_path_begin(&svg);
		for (size_t k = 0; k < p->nrings; k++)
			ksp_svg_path_ring(&svg, p->xy + 2 * p->ring_start[k], p->ring_start[k + 1] - p->ring_start[k] - 1);
		ksp_svg_path_end(&svg, attrs.buf, tip.buf);
		link_close(&svg, rg->href);
	}
	ksp_svg_group_end(&svg);
	for (size_t r = 0; r < m->n; r++) {
		const struct ksp_map_region *rg = &m->regions[r];
		struct projected *p = &pr[r];

		if (!p->xy || (p->x1 - p->x0 >= 10 && p->y1 - p->y0 >= 10))
			continue;
		ksp_colour_at(&sc, isnan(rg->value) ? NAN : value_class(rg->value, step), col);
		ksp_strbuf_reset(&attrs);
		ksp_strbuf_addf(&attrs, "fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"", col,
				r == cur ? "#000" : "#444", r == cur ? "2" : "0.8");
		ksp_strbuf_reset(&tip);
		if (isnan(rg->value))
			ksp_strbuf_addf(&tip, "%s: %s", rg->name ? rg->name : "", ksp_tr(m->lang, "no data"));
		else {
			fmt_value(m, rg->value, m->percent ? 1 : 2, buf, sizeof(buf));
			ksp_strbuf_addf(&tip, "%s: %s", rg->name ? rg->name : "", buf);
		}
		link_open(&svg, rg->href);
		ksp_svg_circle(&svg, 0.5 * (p->x0 + p->x1), 0.5 * (p->y0 + p->y1), 4.5, attrs.buf, tip.buf);
		link_close(&svg, rg->href);
	}
	if (cur != (size_t)-1 && pr[cur].xy) {
		struct projected *p = &pr[cur];
		int small = p->x1 - p->x0 < 10 && p->y1 - p->y0 < 10;
		double lx = 0.5 * (p->x0 + p->x1), ly = 0.5 * (p->y0 + p->y1) + 4;
		const char *anchor = "middle";

		if (p->nrings && !small) {
			ksp_svg_path_begin(&svg);
			for (size_t k = 0; k < p->nrings; k++)
				ksp_svg_path_ring(&svg, p->xy + 2 * p->ring_start[k],
						  p->ring_start[k + 1] - p->ring_start[k] - 1);
			ksp_svg_path_end(&svg, "class=\"current\" fill=\"none\" stroke=\"#000\" stroke-width=\"2.2\" stroke-linejoin=\"round\"", NULL);
		}
		if (small)
			ly = p->y0 - 9;
		/* Keep the label inside the map. */
		if (lx - 0.5 * ksp_svg_text_width(m->regions[cur].name, 13) < 2)
			lx = 2, anchor = "start";
		else if (lx + 0.5 * ksp_svg_text_width(m->regions[cur].name, 13) > W - 2)
			lx = W - 2, anchor = "end";
		ksp_svg_text(&svg, lx, ly, anchor,
			     "font-size=\"13\" font-weight=\"bold\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\" stroke-linejoin=\"round\"",
			     m->regions[cur].name);
	}

	/* The legend: seven classes, the edges labelled, surplus left, shortage right. */
	{
		double bw = 50, bh = 11, lx0 = 0.5 * (W - 7 * bw), ly = mapH + 22;

		ksp_svg_group_begin(&svg, "class=\"legend\" font-size=\"11\"");
		if (m->value_label)
			ksp_svg_text(&svg, 0.5 * W, ly - 6, "middle", "fill=\"#444\"", m->value_label);
		for (int k = 0; k < 7; k++) {
			ksp_colour_at(&sc, k, col);
			ksp_strbuf_reset(&attrs);
			ksp_strbuf_addf(&attrs, "fill=\"%s\" stroke=\"#999\" stroke-width=\"0.5\"", col);
			ksp_svg_rect(&svg, lx0 + k * bw, ly, bw, bh, attrs.buf, NULL);
		}
		for (int k = 1; k < 7; k++) {
			double v = (k <= 3 ? k - 4 : k - 3) * step;

			fmt_value(m, v, sdec, buf, sizeof(buf));
			ksp_svg_text(&svg, lx0 + k * bw, ly + bh + 13, "middle", "fill=\"#444\"", buf);
		}
		if (m->low_label)
			ksp_svg_text(&svg, lx0 - 6, ly + bh - 1, "end", NULL, m->low_label);
		if (m->high_label)
			ksp_svg_text(&svg, lx0 + 7 * bw + 6, ly + bh - 1, NULL, NULL, m->high_label);
		ksp_svg_group_end(&svg);
	}
	ksp_svg_group_end(&svg);
	ksp_svg_end(&svg);

	for (size_t r = 0; r < m->n; r++) {
		free(pr[r].xy);
		free(pr[r].ring_start);
	}
	free(pr);
	free(order);
	ksp_strbuf_release(&attrs);
	ksp_strbuf_release(&tip);
}

/*
 * test_render.c - the SVG writer, the charts, the projection, the
 * simplification and the map drawn from the boundaries stored at init.
 *
 * Writes render-sample.html beside the binary (the build tree) with every
 * chart and the map, for a person to look at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include "data/boundary.h"
#include "kasip/dataset.h"
#include "kasip/store.h"
#include "render/chart.h"
#include "render/map.h"
#include "render/svg.h"
#include "store/store.h"

static const char *num(double v, int d)
{
	static struct ksp_strbuf sb = KSP_STRBUF_INIT;

	ksp_strbuf_reset(&sb);
	ksp_svg_num(&sb, v, d);
	return sb.buf;
}

TEST(svg_numbers)
{
	CHECK_EQ_STR(num(0, 1), "0");
	CHECK_EQ_STR(num(-0.0, 1), "0");
	CHECK_EQ_STR(num(-0.04, 1), "0");
	CHECK_EQ_STR(num(-0.05, 1), "-0.1");
	CHECK_EQ_STR(num(12.25, 1), "12.3");
	CHECK_EQ_STR(num(12.0, 2), "12");
	CHECK_EQ_STR(num(12.5, 2), "12.5");
	CHECK_EQ_STR(num(0.125, 3), "0.125");
	CHECK_EQ_STR(num(-3.10, 2), "-3.1");
	CHECK_EQ_STR(num(1234567.891, 1), "1234567.9");
	CHECK_EQ_STR(num(7, 0), "7");
	CHECK_EQ_STR(num(0.5, 0), "1");
	CHECK_EQ_STR(num(NAN, 1), "0");
	CHECK_EQ_STR(num(INFINITY, 1), "0");
	CHECK_EQ_STR(num(0.001, 9), "0.001"); /* decimals clamp at 6 */
	CHECK_EQ_STR(num(1e20, 0), "1000000000000000");
}

TEST(svg_escaping)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;

	ksp_svg_escape(&sb, "a<b & \"c\" 'd' >e");
	CHECK_EQ_STR(sb.buf, "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;e");
	ksp_strbuf_reset(&sb);
	ksp_svg_escape(&sb, "Қазақстан \x01\x1f\tok");
	CHECK_EQ_STR(sb.buf, "Қазақстан \tok");
	ksp_strbuf_reset(&sb);
	ksp_svg_escape(&sb, "bad \xff\xc0\x80 end"); /* invalid and overlong UTF-8 */
	CHECK_EQ_STR(sb.buf, "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end");
	ksp_strbuf_reset(&sb);
	ksp_svg_escape(&sb, NULL);
	CHECK_EQ_STR(sb.buf, "");
	ksp_strbuf_release(&sb);
}

TEST(svg_elements)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct ksp_svg s = { .decimals = 1 };
	double xy[] = { 0, 0, 10.04, 5.55, NAN, 3, 20, -0.01 };

	ksp_svg_begin(&s, &sb, 100, 50.25, "c", "A & B");
	CHECK(strstr(sb.buf, "viewBox=\"0 0 100 50.3\"") != NULL);
	CHECK(strstr(sb.buf, "aria-label=\"A &amp; B\">\n<title>A &amp; B</title>") != NULL);
	ksp_strbuf_reset(&sb);
	ksp_svg_polyline(&s, xy, 4, "stroke=\"red\"");
	CHECK_EQ_STR(sb.buf, "<polyline points=\"0,0 10,5.6 20,0\" stroke=\"red\"/>\n");
	ksp_strbuf_reset(&sb);
	ksp_svg_path_begin(&s);
	ksp_svg_path_ring(&s, xy, 2);
	ksp_svg_path_ring(&s, xy + 6, 1); /* too short: nothing */
	ksp_svg_path_moveto(&s, 1, 2);
	ksp_svg_path_lineto(&s, 3, 4);
	ksp_svg_path_end(&s, "fill=\"#fff\"", "x<y");
	CHECK_EQ_STR(sb.buf, "<path d=\"M0 0 L10 5.6ZM1 2 L3 4\" fill=\"#fff\"><title>x&lt;y</title></path>\n");
	ksp_strbuf_reset(&sb);
	ksp_svg_rect(&s, 10, 10, -4, 2, NULL, NULL);
	CHECK_EQ_STR(sb.buf, "<rect x=\"6\" y=\"10\" width=\"4\" height=\"2\"/>\n");
	ksp_strbuf_reset(&sb);
	ksp_svg_text(&s, 1, 2, "end", NULL, "<b>");
	CHECK_EQ_STR(sb.buf, "<text x=\"1\" y=\"2\" text-anchor=\"end\">&lt;b&gt;</text>\n");
	ksp_strbuf_release(&sb);
}

TEST(text_fitting)
{
	char buf[64];

	CHECK_EQ_INT(ksp_utf8_len("Қазақ"), 5);
	CHECK(ksp_svg_text_width("iiii", 10) < ksp_svg_text_width("MMMM", 10));
	CHECK_EQ_INT(ksp_svg_fit_text("Welder", 12, 200, buf, sizeof(buf)), 0);
	CHECK_EQ_STR(buf, "Welder");
	CHECK_EQ_INT(ksp_svg_fit_text("Electrical equipment installers and repairers", 12, 120, buf, sizeof(buf)),
		     1);
	CHECK(ksp_svg_text_width(buf, 12) <= 120);
	CHECK(strlen(buf) > 3 && !strcmp(buf + strlen(buf) - 3, "\xE2\x80\xA6"));
	/* Cyrillic is cut on a character boundary. */
	CHECK_EQ_INT(ksp_svg_fit_text("Электромонтажники и ремонтники", 12, 80, buf, sizeof(buf)), 1);
	CHECK(ksp_utf8_len(buf) >= 4);
	{
		struct ksp_strbuf sb = KSP_STRBUF_INIT;

		ksp_svg_escape(&sb, buf); /* no replacement character: valid UTF-8 */
		CHECK(strstr(sb.buf, "\xEF\xBF\xBD") == NULL);
		ksp_strbuf_release(&sb);
	}
	/* A tiny buffer still gets a terminated string. */
	ksp_svg_fit_text("Electrical equipment", 12, 60, buf, 6);
	CHECK(strlen(buf) < 6);
}

TEST(nice_ticks)
{
	double first, step;
	int count, dec;

	step = ksp_nice_ticks(0, 97, 5, &first, &count, &dec);
	CHECK_NEAR(step, 20, 1e-12);
	CHECK_NEAR(first, 0, 1e-12);
	CHECK_EQ_INT(count, 6); /* 0..100 */
	CHECK_EQ_INT(dec, 0);
	step = ksp_nice_ticks(12.3, 13.1, 5, &first, &count, &dec);
	CHECK_NEAR(step, 0.2, 1e-12);
	CHECK_NEAR(first, 12.2, 1e-9);
	CHECK_EQ_INT(count, 6); /* 12.2 .. 13.2 */
	CHECK_EQ_INT(dec, 1);
	step = ksp_nice_ticks(-35, 12, 4, &first, &count, &dec);
	CHECK_NEAR(step, 10, 1e-12);
	CHECK_NEAR(first, -40, 1e-12);
	CHECK_EQ_INT(count, 7); /* -40 .. 20 */
	step = ksp_nice_ticks(600, 600, 5, &first, &count, &dec); /* one value */
	CHECK(step > 0 && first <= 600 && first + step * (count - 1) >= 600);
	step = ksp_nice_ticks(0, 3e6, 5, &first, &count, &dec);
	CHECK_NEAR(step, 5e5, 1e-6);
	step = ksp_nice_ticks(0, 0.003, 3, &first, &count, &dec);
	CHECK_NEAR(step, 0.001, 1e-15);
	CHECK_EQ_INT(dec, 3);
}

TEST(colours)
{
	const struct ksp_colour_scale sc = { ksp_palette_surplus_shortage, 7, -3, 0, 3, 1 };
	char hex[8];

	ksp_colour_at(&sc, -3, hex);
	CHECK_EQ_STR(hex, "#2166ac");
	ksp_colour_at(&sc, -99, hex);
	CHECK_EQ_STR(hex, "#2166ac");
	ksp_colour_at(&sc, 0, hex);
	CHECK_EQ_STR(hex, "#f7f7f7");
	ksp_colour_at(&sc, 3, hex);
	CHECK_EQ_STR(hex, "#b2182b");
	ksp_colour_at(&sc, NAN, hex);
	CHECK_EQ_STR(hex, KSP_COLOUR_NODATA);
	ksp_colour_at(&sc, 0.5, hex); /* halfway between #f7f7f7 and #fddbc7 */
	CHECK_EQ_STR(hex, "#fae9df");
}

TEST(projection)
{
	struct ksp_lcc p;
	double x, y, x2, y2, k1, k2;

	ksp_lcc_kazakhstan(&p);
	ksp_lcc_forward(&p, 67, 48, &x, &y);
	CHECK_NEAR(x, 0, 1e-12);
	CHECK_NEAR(y, 0, 1e-12);
	/* North is up, east is right; meridians converge to the north. */
	ksp_lcc_forward(&p, 67, 55, &x, &y);
	CHECK(y > 0 && fabs(x) < 1e-12);
	ksp_lcc_forward(&p, 80, 48, &x, &y);
	CHECK(x > 0 && y > 0); /* the parallel curves up away from the central meridian */
	/* Scale is true on the standard parallels: 1 degree of longitude spans
	 * cos(lat) * pi/180 radii there. */
	ksp_lcc_forward(&p, 66.5, 45, &x, &y);
	ksp_lcc_forward(&p, 67.5, 45, &x2, &y2);
	k1 = hypot(x2 - x, y2 - y) / (cos(45 * M_PI / 180) * M_PI / 180);
	CHECK_NEAR(k1, 1, 1e-4);
	ksp_lcc_forward(&p, 66.5, 51, &x, &y);
	ksp_lcc_forward(&p, 67.5, 51, &x2, &y2);
	k2 = hypot(x2 - x, y2 - y) / (cos(51 * M_PI / 180) * M_PI / 180);
	CHECK_NEAR(k2, 1, 1e-4);
	/* Conformal: at 48 N the scale along the meridian equals the scale along the parallel. */
	ksp_lcc_forward(&p, 67, 47.9, &x, &y);
	ksp_lcc_forward(&p, 67, 48.1, &x2, &y2);
	k1 = hypot(x2 - x, y2 - y) / (0.2 * M_PI / 180);
	ksp_lcc_forward(&p, 66.9, 48, &x, &y);
	ksp_lcc_forward(&p, 67.1, 48, &x2, &y2);
	k2 = hypot(x2 - x, y2 - y) / (0.2 * cos(48 * M_PI / 180) * M_PI / 180);
	CHECK_NEAR(k1, k2, 1e-5);
	CHECK(k1 < 1); /* between the standard parallels the scale is below 1 */
}

TEST(douglas_peucker)
{
	/* A square with points on its edges: only the corners stay. */
	double sq[] = { 0, 0, 5, 0.1, 10, 0, 10, 5, 10, 10, 5, 10, 0, 10, 0, 5, 0, 0 };
	double line[] = { 0, 0, 1, 0.4, 2, -0.4, 3, 0 };
	size_t n;

	n = ksp_simplify_dp(sq, 9, 0.5);
	CHECK_EQ_INT(n, 5);
	CHECK_NEAR(sq[2], 10, 0);
	CHECK_NEAR(sq[3], 0, 0);
	CHECK_NEAR(sq[8], 0, 0); /* closed: the last point is the first */
	n = ksp_simplify_dp(line, 4, 0.5);
	CHECK_EQ_INT(n, 2);
	{
		double l2[] = { 0, 0, 1, 0.4, 2, -0.4, 3, 0 };

		n = ksp_simplify_dp(l2, 4, 0.3);
		CHECK_EQ_INT(n, 4);
	}
	CHECK_EQ_INT(ksp_simplify_dp(line, 2, 1), 2);
}

TEST(geojson_shapes)
{
	struct ksp_geo_shape g;
	struct ksp_error err = { 0 };

	CHECK_EQ_INT(ksp_geo_shape_parse(&g, "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[50,45],[51,45],[51,46],[50,45]],"
					     "[[50.2,45.1],[50.4,45.1],[50.3,45.2],[50.2,45.1]]],[[[60,50],[61,50],[61,51],[60,50]]]]}",
				     &err),
		     KSP_OK);
	CHECK_EQ_INT(g.nrings, 3);
	CHECK_EQ_INT(g.npoints, 12);
	CHECK_EQ_INT(g.ring_start[2], 8);
	CHECK_NEAR(g.lonlat[2 * 8], 60, 0);
	ksp_geo_shape_release(&g);
	CHECK_EQ_INT(ksp_geo_shape_parse(&g, "{\"type\":\"Point\",\"coordinates\":[1,2]}", &err), KSP_EINVAL);
	CHECK(strstr(err.msg, "\"Point\"") != NULL);
	ksp_geo_shape_release(&g);
	CHECK_EQ_INT(ksp_geo_shape_parse(&g, "{\"type\":\"Polygon\",\"coordinates\":[[[1,2],[3]]]}", &err), KSP_EINVAL);
	ksp_geo_shape_release(&g);
	CHECK_EQ_INT(ksp_geo_shape_parse(&g, "{\"type\":\"Polygon\",\"coordinates\":[[[1,200],[3,4]]]}", &err),
		     KSP_EINVAL);
	ksp_geo_shape_release(&g);
	CHECK_EQ_INT(ksp_geo_shape_parse(&g, "{nope", &err), KSP_EINVAL);
	ksp_geo_shape_release(&g);
}

TEST(class_step)
{
	double v[] = { 0.02, -0.05, 0.11, 0.31, -0.14, NAN, 0.04, 0.07, 0.09, -0.01, 2.5 };

	/* 90th percentile of |v| (10 values) is 0.31: a third is 0.103 -> 0.2 */
	CHECK_NEAR(ksp_map_class_step(v, 11), 0.2, 1e-12);
	CHECK_NEAR(ksp_map_class_step(v, 10), 0.2, 1e-12);
	CHECK_NEAR(ksp_map_class_step(v, 3), 0.05, 1e-12); /* 0.11 / 3 -> 0.05 */
	CHECK_NEAR(ksp_map_class_step(NULL, 0), 0.05, 1e-12);
}

static FILE *sample;

TEST(charts)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	double years[] = { 2025, 2026, 2027, 2028, 2029, 2030 };
	double dem[] = { 120.5, 124, 129.2, 133, 136.1, 140 };
	double dlo[] = { 120.5, 121, 123, 125, 126, 127.5 };
	double dhi[] = { 120.5, 127, 135, 141, 146, 152 };
	double sup[] = { 118, 119.5, 121, 122, 122.5, 123 };
	struct ksp_chart_series ser[] = {
		{ "Demand", dem, dlo, dhi, 0xd6604d, 0 },
		{ "Supply", sup, NULL, NULL, 0x2166ac, 1 },
	};
	struct ksp_line_chart lc = { "ru", "Demand & supply", "thousand persons", "P10–P90", 6, years, ser, 2, -1, 0, 0 };
	const char *labels[] = { "Welders and flamecutters", "Nursing professionals",
				 "Electrical equipment installers and repairers of all kinds", "Teachers <primary>" };
	double vals[] = { 1234, 950.5, 410, -120 };
	double lo[] = { 1000, 800, 200, -300 };
	double hi[] = { 1500, 1100, 600, 50 };
	struct ksp_bar_chart bc = { "en", "Top shortages", "persons", 4, labels, vals, lo, hi, 0xb2182b, 0x2166ac, 0, 640, 220 };

	ksp_chart_lines(&sb, &lc);
	CHECK(!strncmp(sb.buf, "<svg ", 5));
	CHECK(strstr(sb.buf, "class=\"band\"") != NULL);
	CHECK(strstr(sb.buf, "Demand &amp; supply") != NULL);
	CHECK(strstr(sb.buf, ">2030</text>") != NULL);
	CHECK(strstr(sb.buf, "stroke-dasharray") != NULL);
	CHECK(strstr(sb.buf, "Demand, 2030: 140,0 (P10–P90: 127,5 – 152,0)") != NULL); /* ru numbers */
	if (sample)
		fputs(sb.buf, sample);
	ksp_strbuf_reset(&sb);
	ksp_chart_bars(&sb, &bc);
	/* The long label is cut, its full text kept as the tooltip. */
	CHECK(strstr(sb.buf, "<title>Electrical equipment installers and repairers of all kinds</title>") != NULL);
	CHECK(strstr(sb.buf, "\xE2\x80\xA6</text>") != NULL);
	CHECK(strstr(sb.buf, "Teachers &lt;primary&gt;") != NULL);
	CHECK(strstr(sb.buf, ">1,234</text>") != NULL);
	CHECK(strstr(sb.buf, "fill=\"#2166ac\"") != NULL); /* the negative bar */
	if (sample)
		fputs(sb.buf, sample);
	ksp_strbuf_release(&sb);
}

TEST(map_from_store)
{
	struct ksp_store *s = NULL;
	struct ksp_error err = { 0 };
	struct ksp_boundaries b = { 0 };
	struct ksp_map_region *mr = NULL;
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	const char *db = "test_render.db";

	remove(db);
	CHECK_EQ_INT(ksp_store_open(&s, db, KSP_STORE_CREATE, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_migrate(s, &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_begin(s, &err), KSP_OK);
	CHECK_EQ_INT(ksp_dataset_load(s, harness_path("KSP_DATA", ""), &err), KSP_OK);
	CHECK_EQ_INT(ksp_store_commit(s, &err), KSP_OK);
	if (err.code)
		printf("  %s\n", err.msg);
	CHECK_EQ_INT(ksp_boundaries_read(s, "kk", &b, &err), KSP_OK);
	CHECK_EQ_INT(b.n, 20);
	if (b.n == 20) {
		CHECK(b.regions[17].city && b.regions[18].city && b.regions[19].city);
		CHECK(!b.regions[16].city);
		mr = calloc(b.n, sizeof(*mr));
		for (size_t i = 0; i < b.n; i++) {
			mr[i].code = b.regions[i].code;
			mr[i].name = b.regions[i].name;
			mr[i].shape = &b.regions[i].shape;
			mr[i].value = i == 3 ? NAN : ((double)i - 8) / 40;
		}
		{
			struct ksp_choropleth m = { "kk", "Map", mr, b.n, "750000000", "surplus", "shortage",
						    "Shortage ratio", 1, 640, 0 };

			ksp_map_choropleth(&sb, &m);
		}
		CHECK(strstr(sb.buf, "class=\"current\"") == NULL); /* Almaty city is small: a dot */
		CHECK(strstr(sb.buf, "stroke=\"#000\" stroke-width=\"2\"") != NULL);
		CHECK(strstr(sb.buf, "Алматы") != NULL);
		CHECK(strstr(sb.buf, KSP_COLOUR_NODATA) != NULL);
		/* Simplified at the drawn scale: the 0.5 MB of boundaries come down to a small map. */
		CHECK(sb.len < 60000);
		printf("  map: %zu bytes\n", sb.len);
		if (sample)
			fputs(sb.buf, sample);
		ksp_strbuf_reset(&sb);
		{
			struct ksp_choropleth m = { "en", "Map", mr, b.n, "350000000", "surplus", "shortage",
						    "Shortage ratio", 1, 640, 0 };

			ksp_map_choropleth(&sb, &m);
		}
		CHECK(strstr(sb.buf, "class=\"current\"") != NULL);
		if (sample)
			fputs(sb.buf, sample);
	}
	free(mr);
	ksp_strbuf_release(&sb);
	ksp_boundaries_release(&b);
	ksp_store_close(s);
	remove(db);
}

int main(void)
{
	sample = fopen("render-sample.html", "w");
	if (sample)
		fputs("<!DOCTYPE html><html lang=\"kk\"><meta charset=\"utf-8\"><title>render sample</title>"
		      "<style>svg{max-width:100%;height:auto;display:block;margin:1em 0}</style><body>\n",
		      sample);
	RUN(svg_numbers);
	RUN(svg_escaping);
	RUN(svg_elements);
	RUN(text_fitting);
	RUN(nice_ticks);
	RUN(colours);
	RUN(projection);
	RUN(douglas_peucker);
	RUN(geojson_shapes);
	RUN(class_step);
	RUN(charts);
	RUN(map_from_store);
	if (sample) {
		fputs("</body></html>\n", sample);
		fclose(sample);
	}
	return harness_done();
}

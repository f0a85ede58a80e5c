/*
 * test_atlas_html.c - the atlas's printable outputs on a hand-made atlas:
 * the HTML page (SVG included) against a golden file, its self-containment
 * and print rules, the languages' numbers, and the index page.
 *
 * The atlas is built here, not computed, so that the page's test does not
 * move when the computation changes; the map draws the shipped
 * boundaries ($KSP_DATA/regions.geojson), put where the database would.  Set KSP_UPDATE_GOLDEN=1 to
 * rewrite the golden file after a deliberate change, and look at the
 * pages written beside the binary (atlas-fixture-*.html) before committing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness.h"

#include "kasip/atlas.h"

/* Copy a fixture field, cutting it at the destination's size. */
static void copy_field(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

static const struct {
	const char *code, *title;
	int cls, outlook;
	double emp_base, emp_target, openings, new_supply;
} fixture_occ[] = {
	{ "21", "Science and engineering professionals", 0, 5, 12000, 13900, 4100, 2600 },
	{ "22", "Health professionals", 0, 4, 15500, 17100, 5200, 4400 },
	{ "25", "Information and communications technology professionals", 1, 4, 2100, 3300, 1700, 1500 },
	{ "31", "Science and engineering associate professionals", 2, 3, 9800, 10100, 2300, 2250 },
	{ "51", "Personal service workers", 2, 3, 20400, 21000, 4800, 4900 },
	{ "72", "Metal, machinery and related trades workers & <welders>", 0, 4, 14100, 14800, 3900, 2900 },
	{ "92", "Agricultural, forestry and fishery labourers", 3, 1, 7600, 6500, 900, 1500 },
	{ "96", "Refuse workers and other elementary workers", 3, 2, 3000, 2800, 500, 620 },
};
#define NOCC (sizeof(fixture_occ) / sizeof(fixture_occ[0]))

static void read_regions(struct ksp_atlas *a)
{
	FILE *f = fopen(harness_path("KSP_DATA", "regions.csv"), "r");
	char line[4096];

	a->areas = calloc(21, sizeof(*a->areas));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && a->nareas < 21) {
		char *fld[6] = { 0 }, *p = line;
		struct ksp_atlas_area *ar;
		int k = 0;

		if (line[0] == '#' || !strncmp(line, "kato,", 5) || !strncmp(line, "000000000", 9))
			continue;
		while (k < 6 && p) {
			fld[k++] = p;
			p = strchr(p, ',');
			if (p)
				*p++ = 0;
		}
		if (k < 6)
			continue;
		ar = &a->areas[a->nareas];
		copy_field(ar->region, sizeof(ar->region), fld[0]);
		copy_field(ar->iso, sizeof(ar->iso), fld[1]);
		copy_field(ar->name, sizeof(ar->name), fld[3]);
		ar->emp_target = 400000 + 10000.0 * (double)a->nareas;
		/* From a 6 % surplus to a 13 % shortage, one region without data. */
		ar->shortage_ratio = a->nareas == 4 ? NAN : -0.06 + 0.01 * (double)a->nareas;
		ar->balance = -ar->shortage_ratio * ar->emp_target;
		a->nareas++;
	}
	fclose(f);
}

/* Each area's outline, as ksp_atlas_build() reads it from region_boundary. */
static void read_boundaries(struct ksp_atlas *a)
{
	json_t *root = json_load_file(harness_path("KSP_DATA", "regions.geojson"), 0, NULL);
	json_t *features = json_object_get(root, "features"), *feat;
	size_t i;

	a->boundaries = calloc(a->nareas ? a->nareas : 1, sizeof(*a->boundaries));
	json_array_foreach(features, i, feat) {
		const char *kato = json_string_value(json_object_get(json_object_get(feat, "properties"), "KATO"));

		for (size_t k = 0; kato && k < a->nareas; k++)
			if (!strcmp(a->areas[k].region, kato) && !a->boundaries[k])
				a->boundaries[k] = json_dumps(json_object_get(feat, "geometry"),
							      JSON_COMPACT | JSON_REAL_PRECISION(8));
	}
	json_decref(root);
}

static struct ksp_atlas *fixture(const char *lang, int national)
{
	struct ksp_atlas *a = calloc(1, sizeof(*a));
	size_t nc[KSP_ATLAS_NCLASS] = { 0 };

	a->run.id = 7;
	snprintf(a->run.scenario, sizeof(a->run.scenario), "baseline");
	snprintf(a->run.created, sizeof(a->run.created), "2026-12-05 08:00:00");
	a->run.base_year = 2025;
	a->run.target_year = 2030;
	a->run.level = 2;
	a->run.draws = 200;
	snprintf(a->region, sizeof(a->region), "%s", national ? "000000000" : "350000000");
	snprintf(a->iso, sizeof(a->iso), "%s", national ? "KZ" : "KZ-35");
	snprintf(a->name, sizeof(a->name), "%s", national ? "Kazakhstan" : "Karaganda Region");
	a->national = national;
	a->level = 2;
	snprintf(a->lang, sizeof(a->lang), "%s", lang);
	snprintf(a->classification, sizeof(a->classification), "ISCO-08");
	a->has_bands = a->has_prob = 1;
	a->prob_level = 2;
	a->has_paths = 1;
	snprintf(a->rules_version, sizeof(a->rules_version), "0123456789abcdef");

	a->nocc = NOCC;
	a->occ = calloc(NOCC, sizeof(*a->occ));
	for (size_t i = 0; i < NOCC; i++) {
		struct ksp_atlas_occupation *o = &a->occ[i];

		snprintf(o->code, sizeof(o->code), "%s", fixture_occ[i].code);
		snprintf(o->title, sizeof(o->title), "%s", fixture_occ[i].title);
		snprintf(o->title_source, sizeof(o->title_source), "%s", i % 3 ? "project" : "official");
		o->level = 2;
		o->emp_base = fixture_occ[i].emp_base;
		o->emp_target = fixture_occ[i].emp_target;
		o->growth = o->emp_target - o->emp_base;
		o->growth_pct = o->growth / o->emp_base;
		o->openings = fixture_occ[i].openings;
		o->new_supply = fixture_occ[i].new_supply;
		o->balance = o->new_supply - o->openings;
		o->shortage_ratio = -o->balance / o->emp_target;
		o->has_bands = 1;
		o->balance_p10 = o->balance - 0.3 * fabs(o->balance) - 100;
		o->balance_p50 = o->balance;
		o->balance_p90 = o->balance + 0.25 * fabs(o->balance) + 100;
		o->share_55 = NAN;
		o->cls = fixture_occ[i].cls;
		o->outlook = fixture_occ[i].outlook;
		o->has_prob = 1;
		for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
			o->class_prob[c] = c == o->cls ? 0.83 - 0.05 * (double)i : 0.17 / 3 + 0.05 * (double)i / 3;
		a->key.emp_base += o->emp_base;
		a->key.emp_target += o->emp_target;
		a->key.openings += o->openings;
		a->key.new_supply += o->new_supply;
		nc[o->cls]++;
	}
	/* Training paths for the first occupation. */
	a->npaths = 2;
	a->paths = calloc(2, sizeof(*a->paths));
	snprintf(a->paths[0].specialty, sizeof(a->paths[0].specialty), "higher-07");
	snprintf(a->paths[0].title, sizeof(a->paths[0].title), "Engineering, manufacturing and construction");
	a->paths[0].weight = 0.62;
	snprintf(a->paths[1].specialty, sizeof(a->paths[1].specialty), "higher-05");
	snprintf(a->paths[1].title, sizeof(a->paths[1].title), "Natural sciences, mathematics and statistics");
	a->paths[1].weight = 0.21;
	a->occ[0].path_first = 0;
	a->occ[0].npaths = 2;

	a->key.growth = a->key.emp_target - a->key.emp_base;
	a->key.growth_pct = a->key.growth / a->key.emp_base;
	a->key.balance = a->key.new_supply - a->key.openings;
	a->key.shortage_ratio = -a->key.balance / a->key.emp_target;
	a->key.balance_p10 = a->key.balance - 2500;
	a->key.balance_p50 = a->key.balance;
	a->key.balance_p90 = a->key.balance + 1800;
	a->key.population_base = 1134000;
	a->key.population_target = 1121500;
	a->key.labour_force_base = 640200;
	a->key.labour_force_target = 631000;
	a->key.project_jobs = 850;
	memcpy(a->key.nclass, nc, sizeof(nc));

	/* Ranked by class as the atlas ranks them (the fixture lists them so already). */
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++) {
		size_t k = 0;

		a->by_class[c] = calloc(NOCC, sizeof(size_t));
		for (size_t i = 0; i < NOCC; i++)
			if (a->occ[i].cls == c)
				a->by_class[c][k++] = i;
	}
	{
		static const size_t top[] = { 5, 0, 1, 3, 2 };

		a->top = calloc(5, sizeof(size_t));
		memcpy(a->top, top, sizeof(top));
		a->ntop = 5;
	}
	a->nyears = 6;
	a->years = calloc(6, sizeof(*a->years));
	for (int y = 0; y < 6; y++) {
		struct ksp_atlas_year *yr = &a->years[y];

		yr->year = 2025 + y;
		yr->demand = a->key.emp_base + a->key.growth * y / 5.0;
		yr->openings = y ? a->key.openings / 5 * (0.9 + 0.04 * y) : NAN;
		yr->new_supply = y ? a->key.new_supply / 5 * (1.02 - 0.01 * y) : NAN;
		yr->openings_p10 = yr->openings * (1 - 0.03 * y);
		yr->openings_p90 = yr->openings * (1 + 0.035 * y);
		yr->new_supply_p10 = yr->new_supply * (1 - 0.025 * y);
		yr->new_supply_p90 = yr->new_supply * (1 + 0.02 * y);
	}
	read_regions(a);
	read_boundaries(a);
	a->nrules = 2;
	a->rules = calloc(2, sizeof(*a->rules));
	snprintf(a->rules[0].name, sizeof(a->rules[0].name), "in_demand.min_shortage_ratio");
	a->rules[0].value = 0.05;
	snprintf(a->rules[0].unit, sizeof(a->rules[0].unit), "fraction");
	snprintf(a->rules[0].what, sizeof(a->rules[0].what), "in demand: the shortage is at least this share of employment");
	snprintf(a->rules[1].name, sizeof(a->rules[1].name), "emerging.max_base_share");
	a->rules[1].value = 0.02;
	snprintf(a->rules[1].unit, sizeof(a->rules[1].unit), "fraction");
	snprintf(a->rules[1].what, sizeof(a->rules[1].what), "emerging: at most this share of the region's employment in the base year");
	return a;
}

static void fixture_free(struct ksp_atlas *a)
{
	free(a->occ);
	free(a->paths);
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
		free(a->by_class[c]);
	free(a->top);
	free(a->years);
	for (size_t i = 0; a->boundaries && i < a->nareas; i++)
		free(a->boundaries[i]);
	free(a->boundaries);
	free(a->areas);
	free(a->rules);
	free(a);
}

/* The page as a string (malloc'd). */
static char *page(const struct ksp_atlas *a, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct ksp_error err = { 0 };

	CHECK_EQ_INT(ksp_atlas_write_html(a, f, &err), KSP_OK);
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	buf[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void save(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

TEST(html_golden)
{
	struct ksp_atlas *a = fixture("en", 0);
	size_t n, gn;
	char *got = page(a, &n);
	const char *golden = harness_path("KSP_SRC", "tests/data/atlas/fixture-en.html");
	char *want;

	save("atlas-fixture-en.html", got, n);
	if (getenv("KSP_UPDATE_GOLDEN"))
		save(golden, got, n);
	want = slurp(golden, &gn);
	CHECK(want != NULL);
	if (want) {
		CHECK_EQ_INT(n, gn);
		CHECK(n == gn && !memcmp(got, want, n));
		if (n != gn || memcmp(got, want, n)) {
			size_t i = 0;

			while (i < n && i < gn && got[i] == want[i])
				i++;
			printf("  first difference at byte %zu: \"%.60s\" vs \"%.60s\"\n", i, got + i,
			       i < gn ? want + i : "");
		}
	}
	free(want);
	free(got);
	fixture_free(a);
}

TEST(html_self_contained)
{
	struct ksp_atlas *a = fixture("en", 0);
	char *s = page(a, NULL);

	CHECK(!strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 32));
	/* Nothing from the network, no script: the only URL is the SVG namespace. */
	CHECK(count(s, "http://") == count(s, "xmlns=\"http://www.w3.org/2000/svg\""));
	CHECK(strstr(s, "https://") == NULL);
	CHECK(strstr(s, "<script") == NULL);
	CHECK(strstr(s, "<link") == NULL);
	CHECK(strstr(s, " src=") == NULL);
	CHECK(strstr(s, "@import") == NULL);
	/* Print: A4, a page per class, rows that do not split, repeated headers. */
	CHECK(strstr(s, "@page{size:A4") != NULL);
	CHECK(strstr(s, "tr{break-inside:avoid") != NULL);
	CHECK(strstr(s, "thead{display:table-header-group}") != NULL);
	CHECK_EQ_INT(count(s, "<section class=\"page class-"), 4);
	/* Three charts: flows with bands, bars, the map with this region outlined. */
	CHECK_EQ_INT(count(s, "<svg "), 3);
	CHECK_EQ_INT(count(s, "class=\"band\""), 2);
	CHECK(strstr(s, "class=\"chart chart-bars\"") != NULL);
	CHECK(strstr(s, "class=\"current\"") != NULL);
	CHECK(strstr(s, ">Karaganda Region</text>") != NULL);
	/* Escaped data, the class probability, the training path. */
	CHECK(strstr(s, "trades workers &amp; &lt;welders&gt;") != NULL);
	CHECK(strstr(s, "<welders>") == NULL);
	CHECK(strstr(s, ">83%</td>") != NULL);
	CHECK(strstr(s, "Engineering, manufacturing and construction (62%)") != NULL);
	CHECK(strstr(s, "Forecast run 7") != NULL);
	free(s);
	fixture_free(a);
}

TEST(html_languages)
{
	const char *langs[] = { "ru", "kk" };

	for (int i = 0; i < 2; i++) {
		struct ksp_atlas *a = fixture(langs[i], 0);
		size_t n;
		char *s = page(a, &n), name[64], tag[32];

		snprintf(name, sizeof(name), "atlas-fixture-%s.html", langs[i]);
		save(name, s, n);
		snprintf(tag, sizeof(tag), "<html lang=\"%s\">", langs[i]);
		CHECK(strstr(s, tag) != NULL);
		/* Digit groups with a no-break space, a decimal comma, a spaced percent sign. */
		CHECK(strstr(s, "17\xC2\xA0" "100") != NULL);
		CHECK(strstr(s, "83\xC2\xA0%") != NULL);
		CHECK(strstr(s, "\xE2\x88\x92") != NULL); /* a typographic minus */
		CHECK(strstr(s, "\xC2\xAB" "baseline\xC2\xBB") != NULL); /* guillemets */
		free(s);
		fixture_free(a);
	}
}

TEST(html_national)
{
	struct ksp_atlas *a = fixture("en", 1);
	char *s = page(a, NULL);

	CHECK(strstr(s, "<h1>Kazakhstan</h1>") != NULL);
	CHECK(strstr(s, "class=\"current\"") == NULL); /* no region outlined */
	free(s);
	fixture_free(a);
}

TEST(html_without_map_or_draws)
{
	struct ksp_atlas *a = fixture("en", 0);
	char *s;

	for (size_t i = 0; i < a->nareas; i++) { /* no boundaries: no map, the rest as before */
		free(a->boundaries[i]);
		a->boundaries[i] = NULL;
	}
	a->has_bands = a->has_prob = 0;
	for (size_t i = 0; i < a->nocc; i++)
		a->occ[i].has_bands = a->occ[i].has_prob = 0;
	s = page(a, NULL);
	CHECK_EQ_INT(count(s, "<svg "), 2);
	CHECK(strstr(s, "class=\"band\"") == NULL);
	CHECK(strstr(s, ">Probability<") == NULL);
	free(s);
	fixture_free(a);
}

TEST(html_index)
{
	struct ksp_atlas *pages[2] = { fixture("en", 1), fixture("en", 0) };
	const char *hrefs[2] = { "kz.html", "kz-35 <x>.html" };
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	struct ksp_error err = { 0 };

	CHECK_EQ_INT(ksp_atlas_write_index((const struct ksp_atlas *const *)pages, hrefs, 2, "en", f, &err),
		     KSP_OK);
	fclose(f);
	CHECK(strstr(buf, "<a href=\"kz.html\"><b>Kazakhstan</b></a>") != NULL);
	CHECK(strstr(buf, "<a href=\"kz-35 &lt;x&gt;.html\">Karaganda Region</a>") != NULL);
	CHECK(strstr(buf, "<script") == NULL);
	save("atlas-fixture-index.html", buf, n);
	free(buf);
	fixture_free(pages[0]);
	fixture_free(pages[1]);
}

/* ---- the workbook, read back ---------------------------------------------------------- */

/* One member of the zip, through unzip -p (malloc'd, "" when missing). */
static char *unzip_member(const char *zip, const char *member)
{
	char cmd[512], *buf = NULL;
	size_t n = 0, r;
	char chunk[8192];
	FILE *p, *m = open_memstream(&buf, &n);

	snprintf(cmd, sizeof(cmd), "unzip -p '%s' '%s' 2>/dev/null", zip, member);
	p = popen(cmd, "r");
	while (p && (r = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, r, m);
	if (p)
		pclose(p);
	fclose(m);
	return buf;
}

/* The value of attribute attr in the element that starts at el (copied into out). */
static const char *attr(const char *el, const char *attr_name, char *out, size_t size)
{
	char pat[64];
	const char *end = strchr(el, '>'), *a, *q;

	snprintf(pat, sizeof(pat), " %s=\"", attr_name);
	out[0] = 0;
	a = strstr(el, pat);
	if (!a || (end && a > end))
		return out;
	a += strlen(pat);
	q = strchr(a, '"');
	if (q && (size_t)(q - a) < size) {
		memcpy(out, a, (size_t)(q - a));
		out[q - a] = 0;
	}
	return out;
}

/* The cell element <c r="ref" ...> in a sheet, or NULL. */
static const char *cell(const char *sheet, const char *ref)
{
	char pat[32];

	snprintf(pat, sizeof(pat), "<c r=\"%s\"", ref);
	return strstr(sheet, pat);
}

/* The number format code of a cell's style (through styles.xml), "General" for none. */
static const char *cell_format(const char *styles, const char *c, char *out, size_t size)
{
	char s[16], id[16], pat[64];
	const char *xfs = strstr(styles, "<cellXfs"), *x, *nf;
	int k;

	snprintf(out, size, "General");
	if (!c || !xfs)
		return out;
	k = (int)strtol(attr(c, "s", s, sizeof(s)), NULL, 10);
	x = xfs;
	for (int i = 0; i <= k && x; i++)
		x = strstr(x + 1, "<xf ");
	if (!x)
		return out;
	attr(x, "numFmtId", id, sizeof(id));
	snprintf(pat, sizeof(pat), "<numFmt numFmtId=\"%s\"", id);
	nf = strstr(styles, pat);
	if (nf)
		attr(nf, "formatCode", out, size);
	return out;
}

/* The index of a shared string, or -1. */
static int shared(const char *sst, const char *text)
{
	char pat[512];
	const char *hit, *p = sst;
	int n = 0;

	snprintf(pat, sizeof(pat), "<t>%s</t>", text);
	hit = strstr(sst, pat);
	if (!hit)
		return -1;
	while ((p = strstr(p, "<si>")) && p < hit)
		n++, p++;
	return n - 1;
}

static int cell_is_string(const char *c, int idx)
{
	char t[8], v[32];
	const char *vv;

	if (!c || strcmp(attr(c, "t", t, sizeof(t)), "s"))
		return 0;
	vv = strstr(c, "<v>");
	if (!vv)
		return 0;
	snprintf(v, sizeof(v), "%d</v>", idx);
	return !strncmp(vv + 3, v, strlen(v));
}

static int cell_is_number(const char *c, const char *value)
{
	char v[64];
	const char *vv = c ? strstr(c, "<v>") : NULL, *end = c ? strstr(c, "</c>") : NULL;

	if (!vv || (end && vv > end))
		return 0;
	snprintf(v, sizeof(v), "<v>%s</v>", value);
	return !strncmp(vv, v, strlen(v));
}

TEST(xlsx_read_back)
{
	struct ksp_atlas *a = fixture("en", 0);
	struct ksp_error err = { 0 };
	const char *path = "atlas-fixture-en.xlsx";
	char *wbk, *sh1, *sh2, *sh5, *styles, *sst, fmt[64], buf[64];

	remove(path);
	CHECK_EQ_INT(ksp_atlas_write_xlsx(a, path, &err), KSP_OK);
	wbk = unzip_member(path, "xl/workbook.xml");
	sh1 = unzip_member(path, "xl/worksheets/sheet1.xml");
	sh2 = unzip_member(path, "xl/worksheets/sheet2.xml");
	sh5 = unzip_member(path, "xl/worksheets/sheet5.xml");
	styles = unzip_member(path, "xl/styles.xml");
	sst = unzip_member(path, "xl/sharedStrings.xml");
	CHECK(strlen(wbk) > 0); /* unzip is there and the file is a zip */

	/* Sheets: key figures, one per class, notes. */
	CHECK(strstr(wbk, "<sheet name=\"Key figures\" sheetId=\"1\"") != NULL);
	CHECK(strstr(wbk, "<sheet name=\"In demand\" sheetId=\"2\"") != NULL);
	CHECK(strstr(wbk, "<sheet name=\"Emerging\" sheetId=\"3\"") != NULL);
	CHECK(strstr(wbk, "<sheet name=\"Stable\" sheetId=\"4\"") != NULL);
	CHECK(strstr(wbk, "<sheet name=\"Declining\" sheetId=\"5\"") != NULL);
	CHECK(strstr(wbk, "<sheet name=\"Notes\" sheetId=\"6\"") != NULL);

	/* Frozen header rows and autofilters over the whole tables (30 columns: A..AD). */
	CHECK(strstr(sh1, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>") != NULL);
	CHECK(strstr(sh2, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>") != NULL);
	CHECK(strstr(sh2, "<autoFilter ref=\"A1:AD4\"/>") != NULL); /* 3 occupations in demand */
	CHECK(strstr(sh5, "<autoFilter ref=\"A1:AD3\"/>") != NULL); /* 2 declining */
	CHECK(strstr(sh1, "<autoFilter ref=\"A1:C") != NULL);

	/* The cells of the first occupation in demand: rank, code, title, numbers and their formats. */
	CHECK(cell_is_number(cell(sh2, "A2"), "1"));
	CHECK(cell_is_string(cell(sh2, "B2"), shared(sst, "21")));
	CHECK(cell_is_string(cell(sh2, "C2"), shared(sst, "Science and engineering professionals")));
	CHECK(cell_is_number(cell(sh2, "H2"), "13900"));
	CHECK_EQ_STR(cell_format(styles, cell(sh2, "H2"), fmt, sizeof(fmt)), "#,##0");
	CHECK(cell_is_number(cell(sh2, "F2"), "0.83"));
	CHECK_EQ_STR(cell_format(styles, cell(sh2, "F2"), fmt, sizeof(fmt)), "0%");
	CHECK_EQ_STR(cell_format(styles, cell(sh2, "J2"), fmt, sizeof(fmt)), "0.0%");
	CHECK(cell_is_number(cell(sh2, "V2"), "-1500"));
	/* No ages in the data set: a blank cell with its format, not a zero. */
	{
		const char *c = cell(sh2, "AB2"), *end = c ? strchr(c, '>') : NULL;

		CHECK(end != NULL && end[-1] == '/'); /* <c r="AB2" s="N"/>: no value */
		CHECK_EQ_STR(cell_format(styles, c, fmt, sizeof(fmt)), "0.0%");
	}
	/* Escaped data comes back as written. */
	CHECK(shared(sst, "Metal, machinery and related trades workers &amp; &lt;welders&gt;") >= 0);
	CHECK(shared(sst, "Engineering, manufacturing and construction (62%); Natural sciences, mathematics and statistics (21%)") >= 0);
	/* The key figures: the region, the run, the balance. */
	CHECK(cell_is_string(cell(sh1, "B2"), shared(sst, "Karaganda Region")));
	CHECK(strstr(sst, "<t>Balance</t>") != NULL);
	/* Column widths fit: the title column is wide, the code column narrow. */
	{
		const char *c3 = strstr(sh2, "<col min=\"3\" max=\"3\"");
		const char *c2 = strstr(sh2, "<col min=\"2\" max=\"2\"");

		CHECK(c3 && c2);
		if (c3 && c2) {
			CHECK(strtod(attr(c3, "width", buf, sizeof(buf)), NULL) > 50);
			CHECK(strtod(attr(c2, "width", buf, sizeof(buf)), NULL) < 12);
		}
	}
	free(wbk);
	free(sh1);
	free(sh2);
	free(sh5);
	free(styles);
	free(sst);
	fixture_free(a);
}

TEST(xlsx_errors)
{
	struct ksp_atlas *a = fixture("kk", 0);
	struct ksp_error err = { 0 };

	CHECK_EQ_INT(ksp_atlas_write_xlsx(a, "no-such-dir/x.xlsx", &err), KSP_EIO);
	CHECK(strstr(err.msg, "no-such-dir/x.xlsx") != NULL);
	fixture_free(a);
}

TEST(html_write_error)
{
	struct ksp_atlas *a = fixture("en", 0);
	FILE *f = fopen("/dev/full", "w");
	struct ksp_error err = { 0 };

	if (f) {
		CHECK_EQ_INT(ksp_atlas_write_html(a, f, &err), KSP_EIO);
		fclose(f);
	}
	fixture_free(a);
}

int main(void)
{
	RUN(html_golden);
	RUN(html_self_contained);
	RUN(html_languages);
	RUN(html_national);
	RUN(html_without_map_or_draws);
	RUN(html_index);
	RUN(html_write_error);
	RUN(xlsx_read_back);
	RUN(xlsx_errors);
	return harness_done();
}

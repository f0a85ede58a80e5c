/*
 * cmd-atlas.c - kasip atlas: the regional Atlas of Professions from a stored
 * forecast run (docs/atlas.md).  Every figure comes from kasip/atlas.h; this
 * file only lays it out.
 *
 *   kasip atlas --region CODE      one region's (or KZ: the country's) atlas
 *   kasip atlas --all --output DIR the country, every region, index.html
 *   kasip atlas --compare --occupation CODE   the regions side by side
 *   kasip atlas --occupation CODE --region CODE   one occupation's card
 *   kasip atlas rules              the class and outlook rules
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "kasip/atlas.h"


enum atlas_format { AF_TABLE, AF_CSV, AF_JSON, AF_HTML, AF_XLSX };

struct atlas_cli {
	struct cli *cli;
	const struct cli_command *cmd;
	enum atlas_format fmt;
	const char *output;
	struct ksp_atlas_options opt;
};

static const char *tr(const struct atlas_cli *ac, const char *msgid)
{
	return ksp_tr(ac->cli->lang, msgid);
}

static enum cli_format table_fmt(enum atlas_format f)
{
	return f == AF_CSV ? FMT_CSV : f == AF_JSON ? FMT_JSON : FMT_TABLE;
}

/* A number for people (digit groups in lang), or plain in CSV/JSON; NAN is empty. */
static const char *num(const struct atlas_cli *ac, double v, int decimals, char *buf, size_t size)
{
	if (isnan(v)) {
		buf[0] = 0;
		return buf;
	}
	/* CSV and JSON: persons to 2 decimals, as the library's writers give them */
	return cli_num(v, ac->fmt == AF_TABLE ? decimals : 2, table_fmt(ac->fmt), ac->cli->lang,
		       buf, size);
}

/* A fraction as a percentage for people ("12.5 %"), or the fraction in CSV/JSON. */
static const char *pct(const struct atlas_cli *ac, double v, char *buf, size_t size)
{
	char n[64];

	if (isnan(v) || isinf(v)) {
		buf[0] = 0;
		return buf;
	}
	if (ac->fmt != AF_TABLE) {
		snprintf(buf, size, "%.6f", v);
		return buf;
	}
	snprintf(buf, size, "%s %%", cli_num(v * 100, 1, FMT_TABLE, ac->cli->lang, n, sizeof(n)));
	return buf;
}

static void print_note(void *ctx, const char *text)
{
	fprintf((FILE *)ctx, "  - %s\n", text);
}

static void print_run(const struct atlas_cli *ac, const struct ksp_atlas *a, FILE *f)
{
	fprintf(f, "%s %lld (%s, %d-%d, %s %s %d, %d %s)\n", ksp_tr(ac->cli->lang, "Forecast run"), a->run.id,
		a->run.scenario, a->run.base_year, a->run.target_year, a->classification,
		ksp_tr(ac->cli->lang, "level"), a->level, a->run.draws,
		ksp_trn(ac->cli->lang, "draw", "draws", (unsigned long)a->run.draws));
}

/* ---- the class tables ---------------------------------------------------------------- */

static void occ_columns(const struct atlas_cli *ac, struct out_table *t, int with_region)
{
	int people = ac->fmt == AF_TABLE;

	if (with_region) {
		out_table_col(t, people ? ksp_tr(ac->cli->lang, "Region") : "region", 0);
		out_table_col(t, people ? ksp_tr(ac->cli->lang, "Name") : "name", 0);
	}
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Code") : "code", 0);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Occupation") : "title", 0);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Class") : "class", 0);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Outlook") : "outlook", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Probability") : "class_probability", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Employed, base") : "emp_base", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Employed, target") : "emp_target", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Growth") : "growth_pct", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Openings") : "openings", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "New supply") : "new_supply", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Balance") : "balance", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Shortage ratio") : "shortage_ratio", OUT_NUM);
}

static void occ_row(const struct atlas_cli *ac, struct out_table *t,
		    const struct ksp_atlas_occupation *o, const struct ksp_atlas_area *area)
{
	char b[64];

	if (area) {
		out_table_cell(t, area->iso);
		out_table_cell(t, area->name);
	}
	out_table_cell(t, o->code);
	out_table_cell(t, o->title);
	out_table_cell(t, ac->fmt == AF_TABLE ? tr(ac, ksp_atlas_class_label(o->cls))
					      : ksp_atlas_class_id(o->cls));
	out_table_cellf(t, "%d", o->outlook);
	out_table_cell(t, o->has_prob ? pct(ac, o->class_prob[o->cls], b, sizeof(b)) : "");
	out_table_cell(t, num(ac, o->emp_base, 0, b, sizeof(b)));
	out_table_cell(t, num(ac, o->emp_target, 0, b, sizeof(b)));
	out_table_cell(t, pct(ac, o->growth_pct, b, sizeof(b)));
	out_table_cell(t, num(ac, o->openings, 0, b, sizeof(b)));
	out_table_cell(t, num(ac, o->new_supply, 0, b, sizeof(b)));
	out_table_cell(t, num(ac, o->balance, 0, b, sizeof(b)));
	out_table_cell(t, pct(ac, o->shortage_ratio, b, sizeof(b)));
	out_table_end_row(t);
}

static void key_line(const struct atlas_cli *ac, FILE *f, const char *label, double base,
		     double target, int with_base)
{
	char b1[64], b2[64];

	if (with_base)
		fprintf(f, "  %-28s %s -> %s\n", label, num(ac, base, 0, b1, sizeof(b1)),
			num(ac, target, 0, b2, sizeof(b2)));
	else
		fprintf(f, "  %-28s %s\n", label, num(ac, target, 0, b2, sizeof(b2)));
}

static void print_table(const struct atlas_cli *ac, const struct ksp_atlas *a, FILE *f)
{
	char b[64], b2[64];

	fprintf(f, "%s: %s (%s)\n", ksp_tr(ac->cli->lang, "Atlas of professions"), a->name, a->iso);
	print_run(ac, a, f);
	fprintf(f, "\n%s %d-%d\n", ksp_tr(ac->cli->lang, "Key figures"), a->run.base_year, a->run.target_year);
	key_line(ac, f, ksp_tr(ac->cli->lang, "Population"), a->key.population_base, a->key.population_target, 1);
	key_line(ac, f, ksp_tr(ac->cli->lang, "Labour force"), a->key.labour_force_base,
		 a->key.labour_force_target, 1);
	key_line(ac, f, ksp_tr(ac->cli->lang, "Employment"), a->key.emp_base, a->key.emp_target, 1);
	fprintf(f, "  %-28s %s\n", ksp_tr(ac->cli->lang, "Employment growth"), pct(ac, a->key.growth_pct, b, sizeof(b)));
	key_line(ac, f, ksp_tr(ac->cli->lang, "Openings"), 0, a->key.openings, 0);
	key_line(ac, f, ksp_tr(ac->cli->lang, "New supply"), 0, a->key.new_supply, 0);
	key_line(ac, f, ksp_tr(ac->cli->lang, "Balance"), 0, a->key.balance, 0);
	if (!isnan(a->key.balance_p50))
		fprintf(f, "  %-28s %s .. %s\n", ksp_tr(ac->cli->lang, "Balance, P10 .. P90"),
			num(ac, a->key.balance_p10, 0, b, sizeof(b)),
			num(ac, a->key.balance_p90, 0, b2, sizeof(b2)));
	fprintf(f, "  %-28s %s\n", ksp_tr(ac->cli->lang, "Shortage ratio"), pct(ac, a->key.shortage_ratio, b, sizeof(b)));
	fprintf(f, "  %-28s %s\n", ksp_tr(ac->cli->lang, "Shortfall (gross)"), pct(ac, a->key.shortfall, b, sizeof(b)));
	key_line(ac, f, ksp_tr(ac->cli->lang, "Project jobs"), 0, a->key.project_jobs, 0);
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
		fprintf(f, "  %-28s %zu\n", tr(ac, ksp_atlas_class_label(c)), a->key.nclass[c]);

	for (int c = 0; c < KSP_ATLAS_NCLASS; c++) {
		struct out_table *t;

		fprintf(f, "\n%s (%zu)\n", tr(ac, ksp_atlas_class_label(c)), a->key.nclass[c]);
		if (!a->key.nclass[c])
			continue;
		t = out_table_new();
		occ_columns(ac, t, 0);
		for (size_t i = 0; i < a->key.nclass[c]; i++)
			occ_row(ac, t, &a->occ[a->by_class[c][i]], NULL);
		out_table_print(t, FMT_TABLE, f);
		out_table_free(t);
	}
	if (a->ntop) {
		struct out_table *t = out_table_new();

		fprintf(f, "\n%s\n", ksp_tr(ac->cli->lang, "Largest shortages"));
		out_table_col(t, ksp_tr(ac->cli->lang, "Code"), 0);
		out_table_col(t, ksp_tr(ac->cli->lang, "Occupation"), 0);
		out_table_col(t, ksp_tr(ac->cli->lang, "Shortage"), OUT_NUM);
		out_table_col(t, ksp_tr(ac->cli->lang, "Shortage ratio"), OUT_NUM);
		for (size_t i = 0; i < a->ntop; i++) {
			const struct ksp_atlas_occupation *o = &a->occ[a->top[i]];

			out_table_cell(t, o->code);
			out_table_cell(t, o->title);
			out_table_cell(t, num(ac, -o->balance, 0, b, sizeof(b)));
			out_table_cell(t, pct(ac, o->shortage_ratio, b, sizeof(b)));
			out_table_end_row(t);
		}
		out_table_print(t, FMT_TABLE, f);
		out_table_free(t);
	}
	fprintf(f, "\n%s\n", ksp_tr(ac->cli->lang, "Notes"));
	ksp_atlas_notes(a, print_note, f);
}

/* ---- the card ------------------------------------------------------------------------ */

static void print_card(const struct atlas_cli *ac, const struct ksp_atlas *a, FILE *f)
{
	const struct ksp_atlas_occupation *o = &a->occ[0];
	char b[64], b2[64], b3[64];
	struct out_table *t;

	fprintf(f, "%s %s: %s (%s)\n", o->code, o->title, a->name, a->iso);
	print_run(ac, a, f);
	fprintf(f, "\n  %-28s %d/5 %s\n", ksp_tr(ac->cli->lang, "Outlook"), o->outlook,
		tr(ac, ksp_atlas_outlook_label(o->outlook)));
	fprintf(f, "  %-28s %s", ksp_tr(ac->cli->lang, "Class"), tr(ac, ksp_atlas_class_label(o->cls)));
	if (o->has_prob)
		fprintf(f, " (%s %s)", pct(ac, o->class_prob[o->cls], b, sizeof(b)),
			ksp_tr(ac->cli->lang, "of draws"));
	fputc('\n', f);
	if (o->has_prob) {
		fprintf(f, "  %-28s", ksp_tr(ac->cli->lang, "Class probabilities"));
		for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
			fprintf(f, "%s%s %s", c ? ", " : " ", tr(ac, ksp_atlas_class_label(c)),
				pct(ac, o->class_prob[c], b, sizeof(b)));
		fputc('\n', f);
	}
	fprintf(f, "  %-28s %s -> %s (%s)\n", ksp_tr(ac->cli->lang, "Employment"), num(ac, o->emp_base, 0, b, sizeof(b)),
		num(ac, o->emp_target, 0, b2, sizeof(b2)), pct(ac, o->growth_pct, b3, sizeof(b3)));
	fprintf(f, "  %-28s %s (%s %s, %s %s, %s %s)\n", ksp_tr(ac->cli->lang, "Openings"),
		num(ac, o->openings, 0, b, sizeof(b)), ksp_tr(ac->cli->lang, "expansion"),
		num(ac, o->expansion, 0, b2, sizeof(b2)), ksp_tr(ac->cli->lang, "exits"),
		num(ac, o->exits, 0, b3, sizeof(b3)), ksp_tr(ac->cli->lang, "transfers"),
		num(ac, o->transfers, 0, b3, sizeof(b3)));
	fprintf(f, "  %-28s %s", ksp_tr(ac->cli->lang, "New supply"), num(ac, o->new_supply, 0, b, sizeof(b)));
	fprintf(f, " (%s %s,", ksp_tr(ac->cli->lang, "graduates"), num(ac, o->graduates, 0, b, sizeof(b)));
	fprintf(f, " %s %s,", ksp_tr(ac->cli->lang, "migrants"), num(ac, o->migrants, 0, b, sizeof(b)));
	fprintf(f, " %s %s)\n", ksp_tr(ac->cli->lang, "transfers in"), num(ac, o->transfers_in, 0, b, sizeof(b)));
	fprintf(f, "  %-28s %s", ksp_tr(ac->cli->lang, "Balance"), num(ac, o->balance, 0, b, sizeof(b)));
	if (o->has_bands)
		fprintf(f, " (P10 %s, P90 %s)", num(ac, o->balance_p10, 0, b, sizeof(b)),
			num(ac, o->balance_p90, 0, b2, sizeof(b2)));
	fputc('\n', f);
	fprintf(f, "  %-28s %s\n", ksp_tr(ac->cli->lang, "Shortage ratio"), pct(ac, o->shortage_ratio, b, sizeof(b)));
	if (o->project_jobs > 0)
		fprintf(f, "  %-28s %s\n", ksp_tr(ac->cli->lang, "Project jobs"), num(ac, o->project_jobs, 0, b, sizeof(b)));

	fprintf(f, "\n%s\n", ksp_tr(ac->cli->lang, "Where to train"));
	if (!a->has_paths)
		fprintf(f, "  %s\n", ksp_tr(ac->cli->lang, "no training paths: the flexibility matrix was not read"));
	for (size_t i = 0; i < o->npaths; i++) {
		const struct ksp_atlas_path *p = &a->paths[o->path_first + i];

		fprintf(f, "  %s %s (%s): %s\n", p->specialty, p->title,
			!strcmp(p->level, "tvet") ? ksp_tr(ac->cli->lang, "college")
						  : ksp_tr(ac->cli->lang, "university"),
			pct(ac, p->weight, b, sizeof(b)));
		for (size_t c = 0; c < p->ncolleges; c++) {
			const struct ksp_atlas_college *cl = &a->colleges[p->college_first + c];

			fprintf(f, "      %s %s, %s %s: %s %s, %s %s (%d)\n", cl->id, cl->name,
				cl->specialty, cl->specialty_title, ksp_tr(ac->cli->lang, "state-funded"),
				num(ac, cl->state_places, 0, b, sizeof(b)), ksp_tr(ac->cli->lang, "paid"),
				num(ac, cl->paid_places, 0, b2, sizeof(b2)), cl->year);
		}
	}
	if (a->has_paths && o->npaths && !a->colleges_imported)
		fprintf(f, "  %s\n", ksp_tr(ac->cli->lang, "no colleges are imported: kasip import college-specialties"));

	fprintf(f, "\n%s\n", ksp_tr(ac->cli->lang, "In every region"));
	t = out_table_new();
	occ_columns(ac, t, 1);
	for (size_t i = 0; i < a->nplaces; i++)
		occ_row(ac, t, &a->places[i].occ, &a->places[i].area);
	out_table_print(t, FMT_TABLE, f);
	out_table_free(t);
	fprintf(f, "\n%s\n", ksp_tr(ac->cli->lang, "Notes"));
	ksp_atlas_notes(a, print_note, f);
}

/* The regions side by side (the card's table, alone; CSV and JSON carry the run). */
static void print_compare(const struct atlas_cli *ac, const struct ksp_atlas *a, FILE *f)
{
	struct out_table *t = out_table_new();
	int people = ac->fmt == AF_TABLE;

	if (people) {
		fprintf(f, "%s %s: %s\n", a->occ[0].code, a->occ[0].title,
			ksp_tr(ac->cli->lang, "the regions side by side, largest shortage first"));
		print_run(ac, a, f);
		fputc('\n', f);
	} else {
		out_table_col(t, "run_id", OUT_NUM);
		out_table_col(t, "scenario", 0);
		out_table_col(t, "base_year", OUT_NUM);
		out_table_col(t, "target_year", OUT_NUM);
	}
	occ_columns(ac, t, 1);
	for (size_t i = 0; i < a->nplaces; i++) {
		if (!people) {
			out_table_cellf(t, "%lld", a->run.id);
			out_table_cell(t, a->run.scenario);
			out_table_cellf(t, "%d", a->run.base_year);
			out_table_cellf(t, "%d", a->run.target_year);
		}
		occ_row(ac, t, &a->places[i].occ, &a->places[i].area);
	}
	out_table_print(t, table_fmt(ac->fmt), f);
	out_table_free(t);
	if (people) {
		fprintf(f, "\n%s\n", ksp_tr(ac->cli->lang, "Notes"));
		ksp_atlas_notes(a, print_note, f);
	}
}

/* ---- writing ------------------------------------------------------------------------- */

enum atlas_kind { AK_REGION, AK_CARD, AK_COMPARE };

static int write_atlas(struct atlas_cli *ac, const struct ksp_atlas *a, enum atlas_kind kind,
		       const char *path)
{
	FILE *f = stdout;
	int rc = KSP_OK;

	if (ac->fmt == AF_XLSX) {
		if (!path)
			return cli_usage_error(ac->cmd, "--format xlsx needs --output FILE");
		rc = ksp_atlas_write_xlsx(a, path, &ac->cli->err);
		return rc ? cli_fail(ac->cli, rc) : EXIT_OK;
	}
	if (path && !(f = fopen(path, "w"))) {
		ksp_error_set(&ac->cli->err, KSP_EIO, "cannot write \"%s\": %s", path, strerror(errno));
		return cli_fail(ac->cli, KSP_EIO);
	}
	switch (ac->fmt) {
	case AF_TABLE:
		if (kind == AK_CARD)
			print_card(ac, a, f);
		else if (kind == AK_COMPARE)
			print_compare(ac, a, f);
		else
			print_table(ac, a, f);
		break;
	case AF_CSV:
		if (kind == AK_REGION)
			rc = ksp_atlas_write_csv(a, f, &ac->cli->err);
		else
			print_compare(ac, a, f);
		break;
	case AF_JSON:
		rc = ksp_atlas_write_json(a, f, &ac->cli->err);
		break;
	case AF_HTML:
		rc = ksp_atlas_write_html(a, f, &ac->cli->err);
		break;
	case AF_XLSX:
		break;
	}
	if (f != stdout) {
		if (fclose(f) && !rc)
			rc = ksp_error_set(&ac->cli->err, KSP_EIO, "cannot write \"%s\": %s", path,
					   strerror(errno));
	} else if (fflush(stdout) && !rc) {
		rc = ksp_error_set(&ac->cli->err, KSP_EIO, "writing: %s", strerror(errno));
	}
	return rc ? cli_fail(ac->cli, rc) : EXIT_OK;
}

static int build(struct atlas_cli *ac, struct ksp_atlas **a)
{
	int rc = ksp_atlas_build(ac->cli->store, &ac->opt, a, &ac->cli->err);

	return rc ? cli_fail(ac->cli, rc) : EXIT_OK;
}

/* --all: the country's and every region's page, and index.html for HTML. */
static int write_all(struct atlas_cli *ac)
{
	static const char *const ext[] = { "txt", "csv", "json", "html", "xlsx" };
	struct ksp_region *regs = NULL;
	struct ksp_atlas **pages = NULL;
	char **hrefs = NULL;
	size_t nregs = 0, npages = 0;
	int rc, status = EXIT_OK;

	if (!ac->output)
		return cli_usage_error(ac->cmd, "--all needs --output DIR");
	if (mkdir(ac->output, 0777) && errno != EEXIST) {
		ksp_error_set(&ac->cli->err, KSP_EIO, "cannot create \"%s\": %s", ac->output,
			      strerror(errno));
		return cli_fail(ac->cli, KSP_EIO);
	}
	if ((rc = ksp_region_list(ac->cli->store, KSP_REGION_WITH_COUNTRY, &regs, &nregs,
				  &ac->cli->err)))
		return cli_fail(ac->cli, rc);
	pages = calloc(nregs ? nregs : 1, sizeof(*pages));
	hrefs = calloc(nregs ? nregs : 1, sizeof(*hrefs));
	if (!pages || !hrefs) {
		status = cli_fail(ac->cli, ksp_error_set(&ac->cli->err, KSP_EIO, "out of memory"));
		goto out;
	}
	for (size_t i = 0; i < nregs; i++) {
		struct ksp_atlas *a = NULL;
		char path[4096];

		ac->opt.region = regs[i].kato;
		if ((status = build(ac, &a)) != EXIT_OK)
			goto out;
		pages[npages] = a;
		hrefs[npages] = malloc(64);
		if (!hrefs[npages]) {
			npages++;
			status = cli_fail(ac->cli, ksp_error_set(&ac->cli->err, KSP_EIO, "out of memory"));
			goto out;
		}
		snprintf(hrefs[npages], 64, "%s.%s", a->iso, ext[ac->fmt]);
		npages++;
		snprintf(path, sizeof(path), "%s/%s.%s", ac->output, a->iso, ext[ac->fmt]);
		if ((status = write_atlas(ac, a, AK_REGION, path)) != EXIT_OK)
			goto out;
	}
	if (ac->fmt == AF_HTML) {
		char path[4096];
		FILE *f;

		snprintf(path, sizeof(path), "%s/index.html", ac->output);
		if (!(f = fopen(path, "w"))) {
			ksp_error_set(&ac->cli->err, KSP_EIO, "cannot write \"%s\": %s", path,
				      strerror(errno));
			status = cli_fail(ac->cli, KSP_EIO);
			goto out;
		}
		rc = ksp_atlas_write_index((const struct ksp_atlas *const *)pages,
					   (const char *const *)hrefs, npages, ac->cli->lang, f,
					   &ac->cli->err);
		if (fclose(f) && !rc)
			rc = ksp_error_set(&ac->cli->err, KSP_EIO, "cannot write \"%s\"", path);
		if (rc) {
			status = cli_fail(ac->cli, rc);
			goto out;
		}
	}
	if (npages)
		fprintf(stderr, "kasip: %zu %s %s '%s' (%s %lld)\n", npages,
			ksp_trn(ac->cli->lang, "page", "pages", (unsigned long)npages),
			ksp_tr(ac->cli->lang, "written to"), ac->output, ksp_tr(ac->cli->lang, "forecast run"), pages[0]->run.id);
out:
	for (size_t i = 0; i < npages; i++) {
		ksp_atlas_free(pages[i]);
		free(hrefs[i]);
	}
	free(pages);
	free(hrefs);
	ksp_region_list_free(regs);
	return status;
}

/* ---- kasip atlas rules ---------------------------------------------------------------- */

static int atlas_rules(struct atlas_cli *ac)
{
	struct ksp_atlas_rule *rules;
	struct out_table *t;
	char version[17], b[64];
	size_t n;
	int rc, people = ac->fmt == AF_TABLE;

	if (ac->fmt == AF_HTML || ac->fmt == AF_XLSX)
		return cli_usage_error(ac->cmd, "atlas rules: --format takes table, csv or json");
	if ((rc = ksp_atlas_rules_list(ac->cli->store, &rules, &n, version, &ac->cli->err)))
		return cli_fail(ac->cli, rc);
	t = out_table_new();
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Rule") : "name", 0);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Value") : "value", OUT_NUM);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "Unit") : "unit", 0);
	out_table_col(t, people ? ksp_tr(ac->cli->lang, "What it tests") : "what", 0);
	for (size_t i = 0; i < n; i++) {
		out_table_cell(t, rules[i].name);
		if (people)
			out_table_cell(t, pct(ac, rules[i].value, b, sizeof(b)));
		else
			out_table_cellf(t, "%g", rules[i].value);
		/* the only unit the rules table admits */
		out_table_cell(t, people && !strcmp(rules[i].unit, "fraction")
					  ? ksp_trc(ac->cli->lang, "unit", "fraction")
					  : rules[i].unit);
		out_table_cell(t, tr(ac, rules[i].what));
		out_table_end_row(t);
	}
	if (people)
		printf("%s %s\n", ksp_tr(ac->cli->lang, "Atlas rules, version"), version);
	out_table_print(t, table_fmt(ac->fmt), stdout);
	if (people)
		printf("%s\n", ksp_tr(ac->cli->lang, "Change them with 'kasip import atlas-rules FILE' "
				      "(docs/methodology.md, \"Atlas classes and outlook\")."));
	out_table_free(t);
	ksp_atlas_rules_free(rules);
	return EXIT_OK;
}

/* ---- the command ---------------------------------------------------------------------- */

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int cmd_atlas(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("atlas");
	struct atlas_cli ac;
	struct ksp_atlas *a = NULL;
	const char *v, *region = NULL;
	enum cli_format dummy = FMT_TABLE;
	int r, all = 0, compare = 0, rules = 0, status, have_fmt = 0;
	long n;

	memset(&ac, 0, sizeof(ac));
	ac.cli = cli;
	ac.cmd = cmd;
	ac.fmt = AF_TABLE;
	for (int i = 1; i < argc; i++) {
		if (i == 1 && !strcmp(argv[i], "rules")) {
			rules = 1;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "format", &v)) != 0) {
			static const char *const names[] = { "table", "csv", "json", "html", "xlsx" };
			int k;

			if (r < 0)
				return EXIT_USAGE;
			for (k = 0; k < 5 && strcmp(v, names[k]); k++)
				;
			if (k == 5)
				return cli_usage_error(
					cmd, "--format takes table, csv, json, html or xlsx, not '%s'", v);
			ac.fmt = (enum atlas_format)k;
			have_fmt = 1;
		} else if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &dummy)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "region", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			region = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "run", &v)) != 0) {
			if (r < 0 || parse_long(v, 1, 2000000000L, &n))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--run takes a run id, not '%s'", v);
			ac.opt.run_id = n;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "level", &v)) != 0) {
			if (r < 0 || parse_long(v, 1, 4, &n))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--level takes 1 to 4, not '%s'", v);
			ac.opt.level = (int)n;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "top", &v)) != 0) {
			if (r < 0 || parse_long(v, 1, 1000, &n))
				return r < 0 ? EXIT_USAGE
					     : cli_usage_error(cmd, "--top takes 1 to 1000, not '%s'", v);
			ac.opt.top = (size_t)n;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "occupation", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			ac.opt.occupation = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "output", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			ac.output = v;
		} else if (!strcmp(argv[i], "--all")) {
			all = 1;
		} else if (!strcmp(argv[i], "--compare")) {
			compare = 1;
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	ac.opt.lang = cli->lang;
	if (rules) {
		if (region || all || compare || ac.opt.occupation)
			return cli_usage_error(cmd, "atlas rules takes only --format and --lang");
		if (!cli_store_read(cli))
			return EXIT_BAD_INPUT;
		return atlas_rules(&ac);
	}
	if (all + compare > 1 || (all && (region || ac.opt.occupation)))
		return cli_usage_error(cmd, "--all makes every page: no --region, --occupation or "
					    "--compare with it");
	if (compare && !ac.opt.occupation)
		return cli_usage_error(cmd, "--compare needs --occupation CODE");
	if (compare && region)
		return cli_usage_error(cmd, "--compare sets every region side by side: no --region");
	if (!all && !compare && !region)
		return cli_usage_error(cmd, "say --region CODE (KZ: the country), --all, --compare "
					    "or rules");
	if ((compare || ac.opt.occupation) && (ac.fmt == AF_HTML || ac.fmt == AF_XLSX))
		return cli_usage_error(cmd, "an occupation's card and --compare take --format table, "
					    "csv or json");
	if (!cli_store_read(cli))
		return EXIT_BAD_INPUT;
	if (all) {
		if (!have_fmt) /* the printable pages and their index */
			ac.fmt = AF_HTML;
		return write_all(&ac);
	}
	ac.opt.region = region;
	if ((status = build(&ac, &a)) != EXIT_OK)
		return status;
	if (ac.fmt == AF_CSV || ac.fmt == AF_JSON) /* the page and the workbook say it themselves */
		fprintf(stderr, "kasip: %s %s, %s %lld (%s, %d-%d)\n", ksp_tr(cli->lang, "atlas of"), a->iso,
			ksp_tr(cli->lang, "forecast run"), a->run.id, a->run.scenario, a->run.base_year,
			a->run.target_year);
	status = write_atlas(&ac, a, compare ? AK_COMPARE : ac.opt.occupation ? AK_CARD : AK_REGION,
			     ac.output);
	ksp_atlas_free(a);
	return status;
}

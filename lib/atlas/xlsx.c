/*
 * xlsx.c - the atlas as a workbook (kasip/atlas.h), with libxlsxwriter.
 *
 * Sheets: the key figures (with the run they come from), one sheet per
 * class in the class's ranking, and the notes with the rules.  Every
 * table has a bold header row that stays frozen, an autofilter, number
 * formats (persons "#,##0", fractions as percentages) and columns as wide
 * as their content (measured in characters, capped), so that an analyst
 * can sort and filter without reformatting.  Figures the atlas does not
 * have are blank cells, never zeros.
 */
#include <xlsxwriter.h>

#include "kasip/atlas.h"
#include "kasip/i18n.h"
#include "render/svg.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define MAX_WIDTH 60.0
#define MIN_WIDTH 6.0

enum fmt_kind { F_TEXT, F_INT, F_PERSONS, F_PCT1, F_PCT0, F_PP };

struct book {
	lxw_workbook *wb;
	lxw_format *head, *text, *wrap, *persons, *pct1, *pct0, *pp, *integer, *title;
	const char *lang;
};

/* Widths of the current sheet's columns, in characters. */
struct widths {
	double w[64];
};

static void width_fit(struct widths *w, int col, double chars)
{
	if (col < 0 || col >= 64)
		return;
	if (chars > w->w[col])
		w->w[col] = chars;
}

/* Characters a number takes in its format: digits, group separators, sign, decimals, "%". */
static double number_chars(double v, enum fmt_kind k)
{
	double a = fabs(v), digits;

	if (k == F_PCT1 || k == F_PCT0 || k == F_PP)
		a *= 100;
	digits = a >= 1 ? floor(log10(a)) + 1 : 1;
	if (k == F_PERSONS)
		digits += floor((digits - 1) / 3);
	if (k == F_PCT1 || k == F_PP)
		digits += 2;
	if (k == F_PCT1 || k == F_PCT0)
		digits += 1;
	return digits + (v < 0 ? 1 : 0);
}

static lxw_format *fmt_of(struct book *b, enum fmt_kind k)
{
	switch (k) {
	case F_INT: return b->integer;
	case F_PERSONS: return b->persons;
	case F_PCT1: return b->pct1;
	case F_PCT0: return b->pct0;
	case F_PP: return b->pp;
	default: return b->text;
	}
}

static void cell_num(struct book *b, lxw_worksheet *ws, struct widths *w, int row, int col, double v,
		     enum fmt_kind k)
{
	if (!isfinite(v)) {
		worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, fmt_of(b, k));
		return;
	}
	worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, fmt_of(b, k));
	width_fit(w, col, number_chars(v, k));
}

static void cell_text(struct book *b, lxw_worksheet *ws, struct widths *w, int row, int col, const char *s)
{
	worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s ? s : "", b->text);
	/* Code points, not bytes: Cyrillic takes two bytes a letter. */
	width_fit(w, col, (double)ksp_utf8_len(s ? s : ""));
}

static void header(struct book *b, lxw_worksheet *ws, struct widths *w, const char *const *cols, int n)
{
	for (int c = 0; c < n; c++) {
		const char *t = ksp_tr(b->lang, cols[c]);

		double whole = 1.1 * (double)ksp_utf8_len(t) + 2.5, word = 0, cur = 0;

		worksheet_write_string(ws, 0, (lxw_col_t)c, t, b->head);
		/* The header wraps: it needs its longest word, and fits on one line when short.
		 * Bold text is wider, and the autofilter's button takes two characters. */
		for (const unsigned char *p = (const unsigned char *)t;; p++) {
			if (!*p || *p == ' ') {
				if (cur > word)
					word = cur;
				cur = 0;
				if (!*p)
					break;
			} else if ((*p & 0xC0) != 0x80) {
				cur++;
			}
		}
		word = 1.1 * word + 2.5;
		width_fit(w, c, whole < 16 ? whole : word > 16 ? word : 16);
	}
	worksheet_set_row(ws, 0, 45, NULL);
}

static void finish_sheet(lxw_worksheet *ws, struct widths *w, int ncols, int nrows)
{
	for (int c = 0; c < ncols && c < 64; c++) {
		double width = w->w[c] + 1.5;

		if (width < MIN_WIDTH)
			width = MIN_WIDTH;
		if (width > MAX_WIDTH)
			width = MAX_WIDTH;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL);
	}
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)(nrows > 0 ? nrows : 0), (lxw_col_t)(ncols - 1));
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
static void sheet_name(const char *in, char *out, size_t size)
{
	size_t o = 0, chars = 0;

	for (const unsigned char *p = (const unsigned char *)in; *p && o + 4 < size; p++) {
		if ((*p & 0xC0) != 0x80) {
			if (chars == 31)
				break;
			chars++;
		}
		out[o++] = strchr("[]:*?/\\", *p) ? '-' : (char)*p;
	}
	out[o] = 0;
}

/* ---- the sheets ---------------------------------------------------------------------- */

static void key_row(struct book *b, lxw_worksheet *ws, struct widths *w, int *row, const char *label,
		    double v, enum fmt_kind k, const char *unit)
{
	cell_text(b, ws, w, *row, 0, ksp_tr(b->lang, label));
	cell_num(b, ws, w, *row, 1, v, k);
	cell_text(b, ws, w, *row, 2, unit ? ksp_tr(b->lang, unit) : "");
	(*row)++;
}

static void key_text(struct book *b, lxw_worksheet *ws, struct widths *w, int *row, const char *label,
		     const char *v)
{
	cell_text(b, ws, w, *row, 0, ksp_tr(b->lang, label));
	cell_text(b, ws, w, *row, 1, v);
	(*row)++;
}

static void sheet_key(struct book *b, const struct ksp_atlas *a)
{
	static const char *const cols[] = { KSP_N_("Indicator"), KSP_N_("Value"), KSP_N_("Unit") };
	char name[128], buf[64];
	lxw_worksheet *ws;
	struct widths w = { { 0 } };
	const struct ksp_atlas_key *k = &a->key;
	int row = 1;

	sheet_name(ksp_tr(b->lang, "Key figures"), name, sizeof(name));
	ws = workbook_add_worksheet(b->wb, name);
	header(b, ws, &w, cols, 3);
	key_text(b, ws, &w, &row, KSP_N_("Region"), a->name);
	key_text(b, ws, &w, &row, KSP_N_("Region code"), a->region);
	snprintf(buf, sizeof(buf), "%lld", a->run.id);
	key_text(b, ws, &w, &row, KSP_N_("Forecast run"), buf);
	key_text(b, ws, &w, &row, KSP_N_("Scenario"), a->run.scenario);
	key_row(b, ws, &w, &row, KSP_N_("Base year"), a->run.base_year, F_INT, NULL);
	key_row(b, ws, &w, &row, KSP_N_("Target year"), a->run.target_year, F_INT, NULL);
	snprintf(buf, sizeof(buf), "%s, %s %d", a->classification, ksp_tr(b->lang, "level"), a->level);
	key_text(b, ws, &w, &row, KSP_N_("Classification"), buf);
	key_row(b, ws, &w, &row, KSP_N_("Monte Carlo draws"), a->run.draws, F_INT, NULL);
	key_row(b, ws, &w, &row, KSP_N_("Population, base year"), k->population_base, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Population, target year"), k->population_target, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Labour force, base year"), k->labour_force_base, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Labour force, target year"), k->labour_force_target, F_PERSONS,
		KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Employment, base year"), k->emp_base, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Employment, target year"), k->emp_target, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Employment growth"), k->growth, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Employment growth, %"), k->growth_pct, F_PCT1, NULL);
	key_row(b, ws, &w, &row, KSP_N_("Openings"), k->openings, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("New supply"), k->new_supply, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Labour reserve drawn"), k->reserve, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Other entrants"), k->other_entrants, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Balance"), k->balance, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Balance, P10"), k->balance_p10, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Balance, P50"), k->balance_p50, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Balance, P90"), k->balance_p90, F_PERSONS, KSP_N_("persons"));
	key_row(b, ws, &w, &row, KSP_N_("Shortage ratio"), k->shortage_ratio, F_PCT1, NULL);
	key_row(b, ws, &w, &row, KSP_N_("Gross shortfall"), k->shortfall, F_PCT1, NULL);
	key_row(b, ws, &w, &row, KSP_N_("Investment-project jobs"), k->project_jobs, F_PERSONS, KSP_N_("persons"));
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++) {
		cell_text(b, ws, &w, row, 0, ksp_tr(b->lang, ksp_atlas_class_label(c)));
		cell_num(b, ws, &w, row, 1, (double)k->nclass[c], F_INT);
		cell_text(b, ws, &w, row, 2, ksp_tr(b->lang, "occupations"));
		row++;
	}
	finish_sheet(ws, &w, 3, row - 1);
}

static const char *const class_cols[] = {
	KSP_N_("Rank"), KSP_N_("Code"), KSP_N_("Occupation"), KSP_N_("Outlook"), KSP_N_("Outlook, in words"),
	KSP_N_("Probability of the class"), KSP_N_("Employment, base year"), KSP_N_("Employment, target year"),
	KSP_N_("Growth"), KSP_N_("Growth, %"), KSP_N_("Growth against the region, pp"), KSP_N_("Openings"),
	KSP_N_("Expansion"), KSP_N_("Exits"), KSP_N_("Transfers"), KSP_N_("New supply"), KSP_N_("Graduates"),
	KSP_N_("Migrants"), KSP_N_("Transfers in"), KSP_N_("Labour reserve drawn"), KSP_N_("Other entrants"), KSP_N_("Balance"),
	KSP_N_("Balance, P10"), KSP_N_("Balance, P50"), KSP_N_("Balance, P90"), KSP_N_("Shortage ratio"),
	KSP_N_("Investment-project jobs"), KSP_N_("Workers aged 55+"), KSP_N_("Where to train"),
	KSP_N_("Title source"),
};
#define NCLASS_COLS ((int)(sizeof(class_cols) / sizeof(class_cols[0])))

static void sheet_class(struct book *b, const struct ksp_atlas *a, int cls)
{
	char name[128];
	lxw_worksheet *ws;
	struct widths w = { { 0 } };
	struct ksp_strbuf train = KSP_STRBUF_INIT;
	size_t n = a->key.nclass[cls];

	sheet_name(ksp_tr(b->lang, ksp_atlas_class_label(cls)), name, sizeof(name));
	ws = workbook_add_worksheet(b->wb, name);
	header(b, ws, &w, class_cols, NCLASS_COLS);
	for (size_t r = 0; r < n; r++) {
		const struct ksp_atlas_occupation *o = &a->occ[a->by_class[cls][r]];
		const char *ol = ksp_atlas_outlook_label(o->outlook);
		int row = (int)r + 1, c = 0;

		cell_num(b, ws, &w, row, c++, (double)(r + 1), F_INT);
		cell_text(b, ws, &w, row, c++, o->code);
		cell_text(b, ws, &w, row, c++, o->title);
		cell_num(b, ws, &w, row, c++, o->outlook, F_INT);
		cell_text(b, ws, &w, row, c++, ol ? ksp_tr(b->lang, ol) : "");
		cell_num(b, ws, &w, row, c++, o->has_prob ? o->class_prob[cls] : NAN, F_PCT0);
		cell_num(b, ws, &w, row, c++, o->emp_base, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->emp_target, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->growth, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->growth_pct, F_PCT1);
		cell_num(b, ws, &w, row, c++, o->growth_rel, F_PP);
		cell_num(b, ws, &w, row, c++, o->openings, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->expansion, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->exits, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->transfers, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->new_supply, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->graduates, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->migrants, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->transfers_in, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->reserve, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->other_entrants, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->balance, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->has_bands ? o->balance_p10 : NAN, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->has_bands ? o->balance_p50 : NAN, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->has_bands ? o->balance_p90 : NAN, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->shortage_ratio, F_PCT1);
		cell_num(b, ws, &w, row, c++, o->project_jobs, F_PERSONS);
		cell_num(b, ws, &w, row, c++, o->has_ages ? o->share_55 : NAN, F_PCT1);
		ksp_strbuf_reset(&train);
		for (size_t k = 0; a->paths && k < o->npaths; k++) {
			const struct ksp_atlas_path *pa = &a->paths[o->path_first + k];

			ksp_strbuf_addf(&train, "%s%s (%.0f%%)", k ? "; " : "", pa->title[0] ? pa->title : pa->specialty,
					100 * pa->weight);
		}
		cell_text(b, ws, &w, row, c++, train.buf);
		cell_text(b, ws, &w, row, c++, o->title_source);
	}
	finish_sheet(ws, &w, NCLASS_COLS, (int)n);
	ksp_strbuf_release(&train);
}

struct notes_ctx {
	struct book *b;
	lxw_worksheet *ws;
	struct widths *w;
	int row;
};

static void note_row(void *ctx, const char *text)
{
	struct notes_ctx *nc = ctx;

	worksheet_write_string(nc->ws, (lxw_row_t)nc->row, 0, text, nc->b->wrap);
	nc->row++;
}

static void sheet_notes(struct book *b, const struct ksp_atlas *a)
{
	static const char *const cols[] = { KSP_N_("Notes") };
	static const char *const rcols[] = { KSP_N_("Rule"), KSP_N_("Threshold"), KSP_N_("Unit"),
					     KSP_N_("What it tests") };
	char name[128];
	lxw_worksheet *ws;
	struct widths w = { { 0 } };
	struct notes_ctx nc;

	sheet_name(ksp_tr(b->lang, "Notes"), name, sizeof(name));
	ws = workbook_add_worksheet(b->wb, name);
	header(b, ws, &w, cols, 1);
	nc = (struct notes_ctx){ b, ws, &w, 1 };
	note_row(&nc, ksp_tr(b->lang, "Figures are persons; openings and new supply are summed over the "
				      "years after the base year up to the target year. Balance = new "
				      "supply minus openings: negative is a shortage. Shortage ratio = "
				      "shortage / employment in the target year."));
	ksp_atlas_notes(a, note_row, &nc);
	worksheet_set_column(ws, 0, 0, 110, b->wrap);
	worksheet_freeze_panes(ws, 1, 0);
	/* The rules beside the notes, a table of their own to the right. */
	if (a->nrules) {
		struct widths rw = { { 0 } };

		for (int c = 0; c < 4; c++) {
			const char *t = ksp_tr(b->lang, rcols[c]);

			worksheet_write_string(ws, 0, (lxw_col_t)(c + 2), t, b->head);
			width_fit(&rw, c, 1.1 * (double)ksp_utf8_len(t) + 1);
		}
		for (size_t i = 0; i < a->nrules; i++) {
			const struct ksp_atlas_rule *r = &a->rules[i];
			int row = (int)i + 1;

			worksheet_write_string(ws, (lxw_row_t)row, 2, r->name, b->text);
			width_fit(&rw, 0, (double)ksp_utf8_len(r->name));
			worksheet_write_number(ws, (lxw_row_t)row, 3, r->value,
					       !strcmp(r->unit, "fraction") ? b->pct1 : b->persons);
			worksheet_write_string(ws, (lxw_row_t)row, 4, r->unit, b->text);
			width_fit(&rw, 2, (double)ksp_utf8_len(r->unit));
			worksheet_write_string(ws, (lxw_row_t)row, 5, ksp_tr(b->lang, r->what), b->text);
			width_fit(&rw, 3, (double)ksp_utf8_len(ksp_tr(b->lang, r->what)));
		}
		rw.w[1] = rw.w[1] < 10 ? 10 : rw.w[1];
		for (int c = 0; c < 4; c++)
			worksheet_set_column(ws, (lxw_col_t)(c + 2), (lxw_col_t)(c + 2),
					     rw.w[c] + 1.5 > MAX_WIDTH ? MAX_WIDTH : rw.w[c] + 1.5, NULL);
		worksheet_set_column(ws, 1, 1, 2, NULL);
	}
}

int ksp_atlas_write_xlsx(const struct ksp_atlas *a, const char *path, struct ksp_error *err)
{
	struct book b = { 0 };
	lxw_error e;

	b.lang = a->lang;
	b.wb = workbook_new(path);
	if (!b.wb)
		return ksp_error_set(err, KSP_EIO, "cannot create the workbook '%s'", path);
	b.head = workbook_add_format(b.wb);
	format_set_bold(b.head);
	format_set_bottom(b.head, LXW_BORDER_THIN);
	format_set_bg_color(b.head, 0xEEEEEE);
	format_set_text_wrap(b.head);
	format_set_align(b.head, LXW_ALIGN_VERTICAL_TOP);
	b.text = workbook_add_format(b.wb);
	format_set_align(b.text, LXW_ALIGN_VERTICAL_TOP);
	b.wrap = workbook_add_format(b.wb);
	format_set_text_wrap(b.wrap);
	format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);
	b.integer = workbook_add_format(b.wb);
	format_set_num_format(b.integer, "0");
	b.persons = workbook_add_format(b.wb);
	format_set_num_format(b.persons, "#,##0");
	b.pct1 = workbook_add_format(b.wb);
	format_set_num_format(b.pct1, "0.0%");
	b.pct0 = workbook_add_format(b.wb);
	format_set_num_format(b.pct0, "0%");
	/* Fraction points shown as percentage points. */
	b.pp = workbook_add_format(b.wb);
	format_set_num_format(b.pp, "+0.0%;-0.0%;0.0%");

	sheet_key(&b, a);
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
		sheet_class(&b, a, c);
	sheet_notes(&b, a);
	{
		lxw_doc_properties props = { 0 };
		char title[512];

		snprintf(title, sizeof(title), "%s: %s", ksp_tr(a->lang, "Atlas of Professions"), a->name);
		props.title = title;
		props.author = "kasip";
		workbook_set_properties(b.wb, &props);
		e = workbook_close(b.wb);
	}
	if (e != LXW_NO_ERROR)
		return ksp_error_set(err, KSP_EIO, "cannot write the workbook '%s': %s", path, lxw_strerror(e));
	return KSP_OK;
}

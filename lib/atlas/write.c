/*
 * write.c - the atlas as CSV and JSON (kasip/atlas.h): every indicator with
 * the run, the region and the units, for programs and spreadsheets.
 *
 * Persons are written to 2 decimals and fractions to 6, so that files are
 * stable across machines and golden-file tests can compare them; NAN is an
 * empty CSV field and a JSON null.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "atlas/internal.h"
#include "kasip/csv.h"
#include "kasip/i18n.h"
#include "util/strbuf.h"

#define PERSONS 2
#define FRACTION 6

static double rounded(double v, int decimals)
{
	double m = decimals == PERSONS ? 100.0 : 1e6, r;

	if (isnan(v) || isinf(v))
		return v;
	r = round(v * m) / m;
	return r == 0 ? 0 : r; /* no "-0" */
}

static void csv_num(FILE *f, double v, int decimals)
{
	char buf[64];

	fputc(',', f);
	if (isnan(v) || isinf(v))
		return;
	fputs(ksp_format_double(rounded(v, decimals), buf, sizeof(buf)), f);
}

static void csv_text(FILE *f, const char *v, int first)
{
	if (!first)
		fputc(',', f);
	ksp_csv_write_field(f, v);
}

static const char units_note[] =
	"persons; growth_pct, growth_rel, base_share, shortage_ratio, share_55, p_*: fractions";

int ksp_atlas_write_csv(const struct ksp_atlas *a, FILE *out, struct ksp_error *err)
{
	char buf[64];

	fputs("run_id,scenario,base_year,target_year,region,region_iso,level,classification,code,"
	      "title,title_source,class,outlook,p_in_demand,p_emerging,p_stable,p_declining,"
	      "emp_base,emp_target,growth,growth_pct,growth_rel,base_share,openings,expansion,"
	      "exits,transfers,new_supply,graduates,migrants,transfers_in,reserve,other_entrants,"
	      "balance,"
	      "balance_p10,balance_p50,balance_p90,shortage_ratio,project_jobs,share_55,"
	      "training,units\n",
	      out);
	for (size_t i = 0; i < a->nocc; i++) {
		const struct ksp_atlas_occupation *o = &a->occ[i];
		struct ksp_strbuf tr = KSP_STRBUF_INIT;

		snprintf(buf, sizeof(buf), "%lld", a->run.id);
		csv_text(out, buf, 1);
		csv_text(out, a->run.scenario, 0);
		fprintf(out, ",%d,%d", a->run.base_year, a->run.target_year);
		csv_text(out, a->region, 0);
		csv_text(out, a->iso, 0);
		fprintf(out, ",%d", o->level);
		csv_text(out, a->classification, 0);
		csv_text(out, o->code, 0);
		csv_text(out, o->title, 0);
		csv_text(out, o->title_source, 0);
		csv_text(out, ksp_atlas_class_id(o->cls), 0);
		fprintf(out, ",%d", o->outlook);
		for (int k = 0; k < KSP_ATLAS_NCLASS; k++)
			csv_num(out, o->has_prob ? o->class_prob[k] : NAN, FRACTION);
		csv_num(out, o->emp_base, PERSONS);
		csv_num(out, o->emp_target, PERSONS);
		csv_num(out, o->growth, PERSONS);
		csv_num(out, o->growth_pct, FRACTION);
		csv_num(out, o->growth_rel, FRACTION);
		csv_num(out, o->base_share, FRACTION);
		csv_num(out, o->openings, PERSONS);
		csv_num(out, o->expansion, PERSONS);
		csv_num(out, o->exits, PERSONS);
		csv_num(out, o->transfers, PERSONS);
		csv_num(out, o->new_supply, PERSONS);
		csv_num(out, o->graduates, PERSONS);
		csv_num(out, o->migrants, PERSONS);
		csv_num(out, o->transfers_in, PERSONS);
		csv_num(out, o->reserve, PERSONS);
		csv_num(out, o->other_entrants, PERSONS);
		csv_num(out, o->balance, PERSONS);
		csv_num(out, o->balance_p10, PERSONS);
		csv_num(out, o->balance_p50, PERSONS);
		csv_num(out, o->balance_p90, PERSONS);
		csv_num(out, o->shortage_ratio, FRACTION);
		csv_num(out, o->project_jobs, PERSONS);
		csv_num(out, o->share_55, FRACTION);
		for (size_t j = 0; j < o->npaths; j++) {
			const struct ksp_atlas_path *p = &a->paths[o->path_first + j];

			ksp_strbuf_addf(&tr, "%s%s:%s", j ? ";" : "", p->specialty,
					ksp_format_double(rounded(p->weight, FRACTION), buf, sizeof(buf)));
		}
		csv_text(out, tr.buf ? tr.buf : "", 0);
		csv_text(out, units_note, 0);
		fputc('\n', out);
		ksp_strbuf_release(&tr);
	}
	if (fflush(out) || ferror(out))
		return ksp_error_set(err, KSP_EIO, "writing the atlas: %s", strerror(errno));
	return KSP_OK;
}

/* ---- JSON ---------------------------------------------------------------------------- */

static json_t *jnum(double v, int decimals)
{
	if (isnan(v) || isinf(v))
		return json_null();
	return json_real(rounded(v, decimals));
}

static void put(json_t *o, const char *k, json_t *v)
{
	json_object_set_new(o, k, v);
}

static json_t *occ_json(const struct ksp_atlas *a, const struct ksp_atlas_occupation *o,
			int with_paths)
{
	json_t *j = json_object(), *p;

	put(j, "code", json_string(o->code));
	put(j, "title", json_string(o->title));
	put(j, "title_source", json_string(o->title_source));
	put(j, "level", json_integer(o->level));
	put(j, "class", json_string(ksp_atlas_class_id(o->cls)));
	put(j, "class_label", json_string(ksp_tr(a->lang, ksp_atlas_class_label(o->cls))));
	put(j, "outlook", json_integer(o->outlook));
	put(j, "outlook_label", json_string(ksp_tr(a->lang, ksp_atlas_outlook_label(o->outlook))));
	if (o->has_prob) {
		p = json_object();
		for (int k = 0; k < KSP_ATLAS_NCLASS; k++)
			put(p, ksp_atlas_class_id(k), jnum(o->class_prob[k], FRACTION));
		put(j, "class_probability", p);
	} else {
		put(j, "class_probability", json_null());
	}
	put(j, "emp_base", jnum(o->emp_base, PERSONS));
	put(j, "emp_target", jnum(o->emp_target, PERSONS));
	put(j, "growth", jnum(o->growth, PERSONS));
	put(j, "growth_pct", jnum(o->growth_pct, FRACTION));
	put(j, "growth_rel", jnum(o->growth_rel, FRACTION));
	put(j, "base_share", jnum(o->base_share, FRACTION));
	put(j, "openings", jnum(o->openings, PERSONS));
	put(j, "expansion", jnum(o->expansion, PERSONS));
	put(j, "exits", jnum(o->exits, PERSONS));
	put(j, "transfers", jnum(o->transfers, PERSONS));
	put(j, "new_supply", jnum(o->new_supply, PERSONS));
	put(j, "graduates", jnum(o->graduates, PERSONS));
	put(j, "migrants", jnum(o->migrants, PERSONS));
	put(j, "transfers_in", jnum(o->transfers_in, PERSONS));
	put(j, "reserve", jnum(o->reserve, PERSONS));
	put(j, "other_entrants", jnum(o->other_entrants, PERSONS));
	put(j, "balance", jnum(o->balance, PERSONS));
	put(j, "balance_p10", jnum(o->balance_p10, PERSONS));
	put(j, "balance_p50", jnum(o->balance_p50, PERSONS));
	put(j, "balance_p90", jnum(o->balance_p90, PERSONS));
	put(j, "shortage_ratio", jnum(o->shortage_ratio, FRACTION));
	put(j, "project_jobs", jnum(o->project_jobs, PERSONS));
	put(j, "has_ages", json_boolean(o->has_ages));
	put(j, "share_55", jnum(o->share_55, FRACTION));
	if (with_paths) {
		json_t *arr = json_array();

		for (size_t i = 0; i < o->npaths; i++) {
			const struct ksp_atlas_path *ph = &a->paths[o->path_first + i];
			json_t *x = json_object(), *cs = json_array();

			put(x, "specialty_group", json_string(ph->specialty));
			put(x, "level", json_string(ph->level));
			put(x, "title", json_string(ph->title));
			put(x, "weight", jnum(ph->weight, FRACTION));
			for (size_t c = 0; c < ph->ncolleges; c++) {
				const struct ksp_atlas_college *cl = &a->colleges[ph->college_first + c];
				json_t *y = json_object();

				put(y, "id", json_string(cl->id));
				put(y, "name", json_string(cl->name));
				put(y, "region", json_string(cl->region));
				put(y, "specialty", json_string(cl->specialty));
				put(y, "specialty_title", json_string(cl->specialty_title));
				put(y, "year", json_integer(cl->year));
				put(y, "state_places", jnum(cl->state_places, PERSONS));
				put(y, "paid_places", jnum(cl->paid_places, PERSONS));
				put(y, "graduates", jnum(cl->graduates, PERSONS));
				put(y, "source", json_string(cl->source));
				json_array_append_new(cs, y);
			}
			put(x, "colleges", cs);
			json_array_append_new(arr, x);
		}
		put(j, "training", arr);
	}
	return j;
}

static json_t *area_json(const struct ksp_atlas_area *ar)
{
	json_t *j = json_object();

	put(j, "region", json_string(ar->region));
	put(j, "iso", json_string(ar->iso));
	put(j, "name", json_string(ar->name));
	put(j, "emp_target", jnum(ar->emp_target, PERSONS));
	put(j, "balance", jnum(ar->balance, PERSONS));
	put(j, "shortage_ratio", jnum(ar->shortage_ratio, FRACTION));
	put(j, "shortfall", jnum(ar->shortfall, FRACTION));
	return j;
}

void ksp_atlas_notes(const struct ksp_atlas *a, void (*emit)(void *ctx, const char *text),
		     void *ctx)
{
	const char *l = a->lang;

	if (!a->has_ages)
		emit(ctx, ksp_tr(l, "The data set has no ages by occupation: the share of workers "
				    "aged 55 and over is not given."));
	if (!a->has_bands)
		emit(ctx, ksp_tr(l, "The run has no Monte Carlo draws: no bands and no class "
				    "probabilities; run 'kasip forecast --draws 1000'."));
	else if (!a->has_prob && a->prob_level && a->prob_level != a->level)
		emit(ctx, ksp_tr(l, "Class probabilities and balance bands are computed at the "
				    "run's level only: use --level with the run's level."));
	else if (!a->has_prob)
		emit(ctx, ksp_tr(l, "This run stored no class probabilities; run the forecast "
				    "again to get them."));
	if (a->has_prob && a->prob_stale)
		emit(ctx, ksp_tr(l, "The class probabilities were computed under older rules; the "
				    "classes follow the current rules. Run the forecast again to "
				    "recompute them."));
	if (!a->has_paths)
		emit(ctx, ksp_tr(l, "Training paths are not given: the data set's flexibility "
				    "matrix was not read."));
	if (!a->colleges_imported)
		emit(ctx, ksp_tr(l, "No colleges are imported: import colleges, specialties, "
				    "specialty-crosswalk and college-specialties to see where to "
				    "train."));
	else if (a->national)
		emit(ctx, ksp_tr(l, "Colleges are listed in the regions' atlases, not the "
				    "country's."));
	{
		/* where the titles come from (the titles' own column: official, repaired or the
		   project's translation), so that a reader can tell */
		size_t off = 0, rep = 0, own = 0;
		char buf[512];

		for (size_t i = 0; i < a->nocc; i++) {
			const char *src = a->occ[i].title_source;

			off += !strcmp(src, "official");
			rep += !strcmp(src, "repaired");
			own += !strcmp(src, "translation");
		}
		if (off + rep + own) {
			/* a translated format: the catalogue keeps its conversions in order (po2c
			   refuses a translation that does not) */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
			snprintf(buf, sizeof(buf),
				 ksp_tr(l, "Occupation titles: %zu official, %zu repaired from the official "
					   "classifier, %zu the project's translation."),
				 off, rep, own);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
			emit(ctx, buf);
		}
	}
	if (strcmp(a->classification, "ISCO-08"))
		emit(ctx, ksp_tr(l, "Investment-project jobs are not given in a national "
				    "classifier."));
	else if (a->level > 2)
		emit(ctx, ksp_tr(l, "Below the sub-major groups the staffing matrix is an even "
				    "spread: unit groups of one sub-major group share its ratios and "
				    "classes (docs/methodology.md, \"Known limitations\")."));
}

static void note_json(void *ctx, const char *text)
{
	json_array_append_new((json_t *)ctx, json_string(text));
}

int ksp_atlas_write_json(const struct ksp_atlas *a, FILE *out, struct ksp_error *err)
{
	json_t *root = json_object(), *j, *arr;
	int rc = KSP_OK;

	j = json_object();
	put(j, "id", json_integer(a->run.id));
	put(j, "scenario", json_string(a->run.scenario));
	put(j, "created", json_string(a->run.created));
	put(j, "base_year", json_integer(a->run.base_year));
	put(j, "target_year", json_integer(a->run.target_year));
	put(j, "level", json_integer(a->run.level));
	put(j, "draws", json_integer(a->run.draws));
	put(j, "seed", json_integer((json_int_t)a->run.seed));
	put(j, "classification", json_string(a->run.classification));
	put(root, "run", j);

	j = json_object();
	put(j, "region", json_string(a->region));
	put(j, "iso", json_string(a->iso));
	put(j, "name", json_string(a->name));
	put(j, "national", json_boolean(a->national));
	put(j, "level", json_integer(a->level));
	put(j, "lang", json_string(a->lang));
	put(root, "atlas", j);

	j = json_object();
	put(j, "population_base", jnum(a->key.population_base, PERSONS));
	put(j, "population_target", jnum(a->key.population_target, PERSONS));
	put(j, "labour_force_base", jnum(a->key.labour_force_base, PERSONS));
	put(j, "labour_force_target", jnum(a->key.labour_force_target, PERSONS));
	put(j, "emp_base", jnum(a->key.emp_base, PERSONS));
	put(j, "emp_target", jnum(a->key.emp_target, PERSONS));
	put(j, "growth", jnum(a->key.growth, PERSONS));
	put(j, "growth_pct", jnum(a->key.growth_pct, FRACTION));
	put(j, "openings", jnum(a->key.openings, PERSONS));
	put(j, "new_supply", jnum(a->key.new_supply, PERSONS));
	put(j, "reserve", jnum(a->key.reserve, PERSONS));
	put(j, "other_entrants", jnum(a->key.other_entrants, PERSONS));
	put(j, "balance", jnum(a->key.balance, PERSONS));
	put(j, "balance_p10", jnum(a->key.balance_p10, PERSONS));
	put(j, "balance_p50", jnum(a->key.balance_p50, PERSONS));
	put(j, "balance_p90", jnum(a->key.balance_p90, PERSONS));
	put(j, "shortage_ratio", jnum(a->key.shortage_ratio, FRACTION));
	put(j, "shortfall", jnum(a->key.shortfall, FRACTION));
	put(j, "project_jobs", jnum(a->key.project_jobs, PERSONS));
	{
		json_t *c = json_object();

		for (int k = 0; k < KSP_ATLAS_NCLASS; k++)
			put(c, ksp_atlas_class_id(k), json_integer((json_int_t)a->key.nclass[k]));
		put(j, "occupations_by_class", c);
	}
	put(root, "key", j);

	arr = json_array();
	for (size_t i = 0; i < a->nocc; i++)
		json_array_append_new(arr, occ_json(a, &a->occ[i], 1));
	put(root, "occupations", arr);

	arr = json_array();
	for (size_t i = 0; i < a->ntop; i++)
		json_array_append_new(arr, json_string(a->occ[a->top[i]].code));
	put(root, "top_shortages", arr);

	j = json_object();
	for (int k = 0; k < KSP_ATLAS_NCLASS; k++) {
		json_t *c = json_array();

		for (size_t i = 0; i < a->key.nclass[k]; i++)
			json_array_append_new(c, json_string(a->occ[a->by_class[k][i]].code));
		put(j, ksp_atlas_class_id(k), c);
	}
	put(root, "ranked", j);

	arr = json_array();
	for (size_t i = 0; i < a->nyears; i++) {
		const struct ksp_atlas_year *y = &a->years[i];
		json_t *x = json_object();

		put(x, "year", json_integer(y->year));
		put(x, "demand", jnum(y->demand, PERSONS));
		put(x, "demand_p10", jnum(y->demand_p10, PERSONS));
		put(x, "demand_p90", jnum(y->demand_p90, PERSONS));
		put(x, "openings", jnum(y->openings, PERSONS));
		put(x, "openings_p10", jnum(y->openings_p10, PERSONS));
		put(x, "openings_p90", jnum(y->openings_p90, PERSONS));
		put(x, "new_supply", jnum(y->new_supply, PERSONS));
		put(x, "new_supply_p10", jnum(y->new_supply_p10, PERSONS));
		put(x, "new_supply_p90", jnum(y->new_supply_p90, PERSONS));
		put(x, "balance", jnum(y->balance, PERSONS));
		put(x, "balance_p10", jnum(y->balance_p10, PERSONS));
		put(x, "balance_p90", jnum(y->balance_p90, PERSONS));
		put(x, "cum_balance", jnum(y->cum_balance, PERSONS));
		put(x, "population", jnum(y->population, PERSONS));
		put(x, "labour_force", jnum(y->labour_force, PERSONS));
		json_array_append_new(arr, x);
	}
	put(root, "years", arr);

	arr = json_array();
	for (size_t i = 0; i < a->nareas; i++)
		json_array_append_new(arr, area_json(&a->areas[i]));
	put(root, "areas", arr);

	if (a->places) {
		arr = json_array();
		for (size_t i = 0; i < a->nplaces; i++) {
			json_t *x = json_object();

			put(x, "area", area_json(&a->places[i].area));
			put(x, "occupation", occ_json(a, &a->places[i].occ, 0));
			json_array_append_new(arr, x);
		}
		put(root, "places", arr);
	}

	j = json_object();
	put(j, "version", json_string(a->rules_version));
	put(j, "probabilities_version", json_string(a->prob_rules_version));
	arr = json_array();
	for (size_t i = 0; i < a->nrules; i++) {
		json_t *x = json_object();

		put(x, "name", json_string(a->rules[i].name));
		put(x, "value", json_real(a->rules[i].value));
		put(x, "unit", json_string(a->rules[i].unit));
		put(x, "what", json_string(a->rules[i].what));
		json_array_append_new(arr, x);
	}
	put(j, "rules", arr);
	put(root, "rules", j);

	arr = json_array();
	ksp_atlas_notes(a, note_json, arr);
	put(root, "notes", arr);

	j = json_object();
	put(j, "persons", json_string("emp_*, growth, openings, expansion, exits, transfers, "
				      "new_supply, graduates, migrants, transfers_in, reserve, "
				      "other_entrants, "
				      "balance*, project_jobs, population*, labour_force*, demand*, "
				      "places"));
	put(j, "fraction", json_string("growth_pct, growth_rel, base_share, shortage_ratio, "
				       "shortfall, share_55, class_probability, weight (0.05 is 5 %)"));
	put(j, "period", json_string("flows and balances are sums over the years base_year + 1 "
				     "to target_year"));
	put(root, "units", j);

	if (json_dumpf(root, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) ||
	    fputc('\n', out) == EOF || fflush(out) || ferror(out))
		rc = ksp_error_set(err, KSP_EIO, "writing the atlas: %s", strerror(errno));
	json_decref(root);
	return rc;
}

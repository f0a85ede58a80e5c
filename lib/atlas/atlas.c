/*
 * atlas.c - kasip/atlas.h: an atlas from a stored forecast run.
 *
 * Everything comes from the run's stored cells (forecast_result), totals
 * (forecast_total) and outlook (forecast_outlook, written by the Monte
 * Carlo), the investment projects, the rules table and, for the training
 * paths, the data set's flexibility matrix and the imported colleges.  The
 * indicators are defined in docs/atlas.md; the classes in
 * docs/methodology.md, "Atlas classes and outlook".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "atlas/internal.h"
#include "data/boundary.h"
#include "kasip/forecast.h"
#include "kasip/query.h"
#include "store/store.h"
#include "util/xmalloc.h"

#define MAX_SPEC 256
#define MAX_TOP 1000

/* One group of one region, summed over the years (flows: base+1 .. target). */
struct acc {
	char region[16];
	char code[32];
	double e0, et, exp, exits, tr, jo, grad, mig, trin, ns, oe, bal, rv;
};

static int is_country(const char *region)
{
	return !region || !*region || !strcasecmp(region, KSP_ATLAS_COUNTRY) ||
	       !strcmp(region, KSP_FORECAST_NATIONAL);
}

static double col_opt(struct ksp_stmt *st, int c)
{
	return ksp_stmt_column_is_null(st, c) ? NAN : ksp_stmt_column_double(st, c);
}

static int cmp_acc(const void *a, const void *b)
{
	const struct acc *x = a, *y = b;
	int c = strcmp(x->region, y->region);

	return c ? c : strcmp(x->code, y->code);
}

/*
 * The groups of level (prefix length plen) of region (NULL: every region,
 * the country included) and of one group (NULL: all), summed over the
 * years, ordered by region then code (strcmp).  The rows are read in the
 * primary key's order (run, region, occupation, year), so that the database
 * seeks to the region and sorts nothing, and summed here: a group's unit
 * groups are consecutive in that order.
 */
static int load_groups(struct ksp_store *s, const struct ksp_forecast_run *run, int plen,
		       const char *region, const char *occ, struct acc **out, size_t *n,
		       struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0, olen = occ ? strlen(occ) : 0;
	char sql[768], upper[40];
	int rc, b = 1;

	*out = NULL;
	*n = 0;
	/* the codes of a group are those from occ up to (not including) occ with its last
	   character raised by one: a range the index can seek */
	if (occ) {
		if (olen + 1 >= sizeof(upper) || !olen)
			return KSP_OK;
		memcpy(upper, occ, olen + 1);
		upper[olen - 1]++;
	}
	snprintf(sql, sizeof(sql),
		 "SELECT region, occupation, year, demand, expansion, exits, transfers, openings, "
		 "graduates, migrants, transfers_in, new_supply, other_entrants, balance, reserve "
		 "FROM forecast_result WHERE run_id = ?%s%s ORDER BY region, occupation, year",
		 region ? " AND region = ?" : "", occ ? " AND occupation >= ? AND occupation < ?" : "");
	if ((rc = ksp_stmt_prepare(s, sql, &st, err)))
		return rc;
	ksp_stmt_bind_int64(st, b++, run->id);
	if (region)
		ksp_stmt_bind_text(st, b++, region, -1);
	if (occ) {
		ksp_stmt_bind_text(st, b++, occ, -1);
		ksp_stmt_bind_text(st, b++, upper, -1);
	}
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *reg = ksp_stmt_column_text(st, 0), *code = ksp_stmt_column_text(st, 1);
		int year = (int)ksp_stmt_column_int64(st, 2);
		size_t clen = strlen(code), glen = clen < (size_t)plen ? clen : (size_t)plen;
		struct acc *a;

		if (occ && (clen < olen || glen != olen))
			continue; /* a code of another level inside the range */
		if (glen >= sizeof(a->code))
			continue;
		if (!*n || strcmp((*out)[*n - 1].region, reg) ||
		    strncmp((*out)[*n - 1].code, code, glen) || (*out)[*n - 1].code[glen]) {
			KSP_ALLOC_GROW(*out, *n + 1, alloc);
			a = &(*out)[(*n)++];
			memset(a, 0, sizeof(*a));
			snprintf(a->region, sizeof(a->region), "%s", reg);
			memcpy(a->code, code, glen);
			a->code[glen] = 0;
		}
		a = &(*out)[*n - 1];
		if (year == run->base_year)
			a->e0 += ksp_stmt_column_double(st, 3);
		if (year == run->target_year)
			a->et += ksp_stmt_column_double(st, 3);
		if (year > run->base_year && year <= run->target_year) {
			a->exp += ksp_stmt_column_double(st, 4);
			a->exits += ksp_stmt_column_double(st, 5);
			a->tr += ksp_stmt_column_double(st, 6);
			a->jo += ksp_stmt_column_double(st, 7);
			a->grad += ksp_stmt_column_double(st, 8);
			a->mig += ksp_stmt_column_double(st, 9);
			a->trin += ksp_stmt_column_double(st, 10);
			a->ns += ksp_stmt_column_double(st, 11);
			a->oe += ksp_stmt_column_double(st, 12);
			a->bal += ksp_stmt_column_double(st, 13);
			a->rv += ksp_stmt_column_double(st, 14);
		}
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	/* the database's collation may differ from strcmp */
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_acc);
	return KSP_OK;
}

/* ---- totals, areas, projects ------------------------------------------------------ */

struct region_tot {
	char region[16];
	double e0, et, bal, shortfall;
};

static int load_region_totals(struct ksp_store *s, const struct ksp_forecast_run *run,
			      struct region_tot **out, size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(s,
			      "SELECT region, sum(CASE WHEN year = ? THEN demand ELSE 0 END), "
			      "sum(CASE WHEN year = ? THEN demand ELSE 0 END), "
			      "sum(CASE WHEN year > ? THEN balance ELSE 0 END), "
			      "sum(CASE WHEN year = ? THEN shortfall ELSE 0 END) "
			      "FROM forecast_total WHERE run_id = ? AND year <= ? "
			      "GROUP BY region ORDER BY region",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, run->base_year);
	ksp_stmt_bind_int64(st, 2, run->target_year);
	ksp_stmt_bind_int64(st, 3, run->base_year);
	ksp_stmt_bind_int64(st, 4, run->target_year);
	ksp_stmt_bind_int64(st, 5, run->id);
	ksp_stmt_bind_int64(st, 6, run->target_year);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct region_tot *t;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		t = &(*out)[(*n)++];
		snprintf(t->region, sizeof(t->region), "%s", ksp_stmt_column_text(st, 0));
		t->e0 = ksp_stmt_column_double(st, 1);
		t->et = ksp_stmt_column_double(st, 2);
		t->bal = ksp_stmt_column_double(st, 3);
		t->shortfall = ksp_stmt_column_double(st, 4);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

static const struct region_tot *find_tot(const struct region_tot *t, size_t n, const char *kato)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].region, kato))
			return &t[i];
	return NULL;
}

/*
 * Project jobs of the groups of accs (one region each, or the country),
 * added from base+1 to the target year, as the forecast adds them
 * (methodology.md, "Demand"): a project's code of the level or finer
 * belongs to its prefix; a coarser code is spread over the groups under
 * it in proportion to the country's base-year employment (a token weight
 * for a group without).  nat: the country's groups (for the weights).
 * Only ISCO-08 runs: a national classifier's cells have no projects here.
 */
static int add_projects(struct ksp_store *s, const struct ksp_forecast_run *run, int plen,
			const struct acc *nat, size_t nnat, struct acc *accs, double *proj,
			size_t nacc, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	for (size_t i = 0; i < nacc; i++)
		proj[i] = 0;
	if (strcmp(run->classification, "ISCO-08"))
		return KSP_OK;
	rc = ksp_stmt_prepare(s,
			      "SELECT region, occupation, jobs FROM forecast_project "
			      "WHERE year > ? AND year <= ? ORDER BY region, year, name, occupation",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, run->base_year);
	ksp_stmt_bind_int64(st, 2, run->target_year);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *reg = ksp_stmt_column_text(st, 0), *code = ksp_stmt_column_text(st, 1);
		double jobs = ksp_stmt_column_double(st, 2), wsum = 0;
		size_t len = strlen(code), cmp = len < (size_t)plen ? len : (size_t)plen;

		if (!len)
			continue;
		for (size_t g = 0; g < nnat; g++)
			if (!strncmp(nat[g].code, code, cmp))
				wsum += nat[g].e0 > 0 ? nat[g].e0 : 1e-9;
		if (wsum <= 0)
			continue;
		for (size_t i = 0; i < nacc; i++) {
			double w = 0;

			if (strcmp(accs[i].region, KSP_FORECAST_NATIONAL) && strcmp(accs[i].region, reg))
				continue;
			if (strncmp(accs[i].code, code, cmp))
				continue;
			for (size_t g = 0; g < nnat; g++)
				if (!strcmp(nat[g].code, accs[i].code))
					w = nat[g].e0 > 0 ? nat[g].e0 : 1e-9;
			proj[i] += jobs * w / wsum;
		}
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

/* ---- titles -------------------------------------------------------------------------- */

struct title {
	char code[32];
	char text[256];
	char source[32];
};

static int load_titles(struct ksp_store *s, const char *classification, const char *lang,
		       struct title **out, size_t *n, struct ksp_error *err)
{
	/* where a title comes from: title_<lang>_source (the titles work), an older
	   single title_source, or nothing in older databases */
	static const char *const sql[] = {
		"SELECT code, title_en, title_ru, title_kk, title_en_source, title_ru_source, "
		"title_kk_source FROM occupation WHERE classification = ?",
		"SELECT code, title_en, title_ru, title_kk, title_source, title_source, title_source "
		"FROM occupation WHERE classification = ?",
		"SELECT code, title_en, title_ru, title_kk, '', '', '' FROM occupation "
		"WHERE classification = ?",
	};
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc = KSP_EDB;

	*out = NULL;
	*n = 0;
	for (int i = 0; i < 3 && rc; i++)
		rc = ksp_stmt_prepare(s, sql[i], &st, i == 2 ? err : NULL);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, classification, -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct title *t;
		int c = 1; /* the column of the title given: en, ru or kk */

		if (!strcmp(lang, "ru") && *ksp_stmt_column_text(st, 2))
			c = 2;
		else if (!strcmp(lang, "kk") && *ksp_stmt_column_text(st, 3))
			c = 3;
		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		t = &(*out)[(*n)++];
		snprintf(t->code, sizeof(t->code), "%s", ksp_stmt_column_text(st, 0));
		snprintf(t->text, sizeof(t->text), "%s", ksp_stmt_column_text(st, c));
		snprintf(t->source, sizeof(t->source), "%s", ksp_stmt_column_text(st, c + 3));
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

static const struct title *find_title(const struct title *t, size_t n, const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].code, code))
			return &t[i];
	return NULL;
}

/* ---- the outlook of the draws ------------------------------------------------------- */

struct outlook {
	char region[16];
	char code[32];
	double p[KSP_ATLAS_NCLASS], b10, b50, b90;
};

static int load_outlook(struct ksp_store *s, long long run_id, const char *region,
			struct outlook **out, size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(s,
			      "SELECT region, occupation, p_in_demand, p_emerging, p_stable, "
			      "p_declining, balance_p10, balance_p50, balance_p90 FROM forecast_outlook "
			      "WHERE run_id = ? AND (? = '' OR region = ?)",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, run_id);
	ksp_stmt_bind_text(st, 2, region ? region : "", -1);
	ksp_stmt_bind_text(st, 3, region ? region : "", -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct outlook *o;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		o = &(*out)[(*n)++];
		snprintf(o->region, sizeof(o->region), "%s", ksp_stmt_column_text(st, 0));
		snprintf(o->code, sizeof(o->code), "%s", ksp_stmt_column_text(st, 1));
		for (int k = 0; k < KSP_ATLAS_NCLASS; k++)
			o->p[k] = col_opt(st, 2 + k);
		o->b10 = col_opt(st, 6);
		o->b50 = col_opt(st, 7);
		o->b90 = col_opt(st, 8);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

static const struct outlook *find_outlook(const struct outlook *o, size_t n, const char *region,
					  const char *code)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(o[i].code, code) && !strcmp(o[i].region, region))
			return &o[i];
	return NULL;
}

/* ---- training paths ------------------------------------------------------------------- */

struct spec {
	char code[32], level[8], title[256];
	double w[100]; /* the row of the flexibility matrix by ISCO-08 sub-major, normalised */
	size_t college_first, ncolleges;
	int colleges_loaded;
};

/*
 * The specialty groups with their titles in lang and the flexibility matrix,
 * each specialty's row normalised to 1, from the database (the tables
 * forecast-specialties and forecast-flexibility that the forecast reads).
 */
static int read_paths(struct ksp_store *s, const char *lang, struct spec *sp, int *nsp,
		      struct ksp_error *err)
{
	struct ksp_specialty_group *g = NULL;
	struct ksp_flexibility_weight *w = NULL;
	size_t ng = 0, nw = 0;
	int rc;

	if ((rc = ksp_forecast_specialties(s, &g, &ng, err)) ||
	    (rc = ksp_forecast_flexibility(s, &w, &nw, err)))
		goto out;
	for (size_t i = 0; i < ng; i++) {
		const char *t = lang && !strcmp(lang, "ru")   ? g[i].title_ru
				: lang && !strcmp(lang, "kk") ? g[i].title_kk
							      : g[i].title_en;
		struct spec *p;

		if (*nsp >= MAX_SPEC) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "forecast-specialties: over %d specialty groups",
					   MAX_SPEC);
			goto out;
		}
		p = &sp[(*nsp)++];
		memset(p, 0, sizeof(*p));
		snprintf(p->code, sizeof(p->code), "%s", g[i].code);
		snprintf(p->level, sizeof(p->level), "%s", g[i].level);
		snprintf(p->title, sizeof(p->title), "%s", *t ? t : g[i].title_en);
	}
	for (size_t i = 0; i < nw; i++) {
		const char *sm = w[i].isco_submajor;

		if (strlen(sm) != 2 || sm[0] < '0' || sm[0] > '9' || sm[1] < '0' || sm[1] > '9')
			continue;
		for (int k = 0; k < *nsp; k++)
			if (!strcmp(sp[k].code, w[i].specialty))
				sp[k].w[(sm[0] - '0') * 10 + (sm[1] - '0')] += w[i].weight;
	}
	for (int k = 0; k < *nsp; k++) {
		double sum = 0;

		for (int m = 0; m < 100; m++)
			sum += sp[k].w[m];
		for (int m = 0; m < 100 && sum > 0; m++)
			sp[k].w[m] /= sum;
	}
out:
	ksp_forecast_free(g);
	ksp_forecast_free(w);
	return rc;
}

/* The weight of specialty group p for an ISCO-08 group code (level 1: its sub-majors'). */
static double path_weight(const struct spec *p, const char *code)
{
	double w = 0;

	if (strlen(code) >= 2 && code[0] >= '0' && code[0] <= '9' && code[1] >= '0' && code[1] <= '9')
		return p->w[(code[0] - '0') * 10 + (code[1] - '0')];
	if (strlen(code) == 1 && code[0] >= '0' && code[0] <= '9')
		for (int m = 0; m < 10; m++)
			w += p->w[(code[0] - '0') * 10 + m];
	return w;
}

/* The colleges of region (the country: none) teaching specialty group p's specialties. */
static int load_colleges(struct ksp_store *s, struct ksp_atlas *a, size_t *alloc, struct spec *p,
			 struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	p->colleges_loaded = 1;
	p->college_first = a->ncolleges;
	p->ncolleges = 0;
	if (a->national || !a->colleges_imported)
		return KSP_OK;
	rc = ksp_stmt_prepare(
		s,
		"SELECT c.id, c.name, c.region, cs.specialty, s.title_en, s.title_ru, s.title_kk, "
		"cs.year, cs.state_places, cs.paid_places, cs.graduates, cs.source_id "
		"FROM college_specialty cs JOIN college c ON c.id = cs.college "
		"JOIN specialty s ON s.classification = cs.classification AND s.code = cs.specialty "
		"JOIN specialty_crosswalk x ON x.classification = cs.classification "
		"AND x.code = cs.specialty "
		"WHERE x.specialty_group = ? AND c.region = ? AND cs.year = (SELECT max(year) FROM "
		"college_specialty y WHERE y.college = cs.college AND y.classification = "
		"cs.classification AND y.specialty = cs.specialty) ORDER BY c.id, cs.specialty",
		&st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, p->code, -1);
	ksp_stmt_bind_text(st, 2, a->region, -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_atlas_college *c;
		const char *en = ksp_stmt_column_text(st, 4), *ru = ksp_stmt_column_text(st, 5);
		const char *kk = ksp_stmt_column_text(st, 6), *x = en;

		if (!strcmp(a->lang, "ru") && *ru)
			x = ru;
		else if (!strcmp(a->lang, "kk") && *kk)
			x = kk;
		KSP_ALLOC_GROW(a->colleges, a->ncolleges + 1, *alloc);
		c = &a->colleges[a->ncolleges++];
		memset(c, 0, sizeof(*c));
		snprintf(c->id, sizeof(c->id), "%s", ksp_stmt_column_text(st, 0));
		snprintf(c->name, sizeof(c->name), "%s", ksp_stmt_column_text(st, 1));
		snprintf(c->region, sizeof(c->region), "%s", ksp_stmt_column_text(st, 2));
		snprintf(c->specialty, sizeof(c->specialty), "%s", ksp_stmt_column_text(st, 3));
		snprintf(c->specialty_title, sizeof(c->specialty_title), "%s", x);
		snprintf(c->group, sizeof(c->group), "%s", p->code);
		c->year = (int)ksp_stmt_column_int64(st, 7);
		c->state_places = col_opt(st, 8);
		c->paid_places = col_opt(st, 9);
		c->graduates = col_opt(st, 10);
		snprintf(c->source, sizeof(c->source), "%s", ksp_stmt_column_text(st, 11));
		p->ncolleges++;
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

struct pw {
	int k;
	double w;
};

static int cmp_pw(const void *a, const void *b)
{
	const struct pw *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->k - y->k;
}

static int build_paths(struct ksp_store *s, struct ksp_atlas *a, struct spec *sp, int nsp,
		       struct ksp_error *err)
{
	size_t alloc = 0, calloc_ = 0;
	struct pw pw[MAX_SPEC];
	int rc;

	for (size_t i = 0; i < a->nocc; i++) {
		struct ksp_atlas_occupation *o = &a->occ[i];
		int np = 0;

		o->path_first = a->npaths;
		for (int k = 0; k < nsp; k++) {
			double w = path_weight(&sp[k], o->code);

			if (w > 0) {
				pw[np].k = k;
				pw[np].w = w;
				np++;
			}
		}
		qsort(pw, (size_t)np, sizeof(pw[0]), cmp_pw);
		for (int j = 0; j < np; j++) {
			struct spec *p = &sp[pw[j].k];
			struct ksp_atlas_path *ph;

			if (!p->colleges_loaded && (rc = load_colleges(s, a, &calloc_, p, err)))
				return rc;
			KSP_ALLOC_GROW(a->paths, a->npaths + 1, alloc);
			ph = &a->paths[a->npaths++];
			memset(ph, 0, sizeof(*ph));
			snprintf(ph->specialty, sizeof(ph->specialty), "%s", p->code);
			snprintf(ph->level, sizeof(ph->level), "%s", p->level);
			snprintf(ph->title, sizeof(ph->title), "%s", p->title);
			ph->weight = pw[j].w;
			ph->college_first = p->college_first;
			ph->ncolleges = p->ncolleges;
		}
		o->npaths = a->npaths - o->path_first;
	}
	return KSP_OK;
}

/* ---- indicators ----------------------------------------------------------------------- */

static void fill_occ(struct ksp_atlas_occupation *o, const struct acc *x, int level,
		     double region_e0, double region_et, double region_bal, double proj,
		     const double *rv,
		     const struct outlook *ol, const struct title *t)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->code, sizeof(o->code), "%s", x->code);
	snprintf(o->title, sizeof(o->title), "%s", t ? t->text : "");
	snprintf(o->title_source, sizeof(o->title_source), "%s", t ? t->source : "");
	o->level = level;
	o->emp_base = x->e0;
	o->emp_target = x->et;
	o->growth = x->et - x->e0;
	o->growth_pct = x->e0 > 0 ? o->growth / x->e0 : NAN;
	o->growth_rel = x->e0 > 0 && region_e0 > 0
				? o->growth_pct - (region_et - region_e0) / region_e0
				: NAN;
	o->base_share = region_e0 > 0 ? x->e0 / region_e0 : NAN;
	o->openings = x->jo;
	o->expansion = x->exp;
	o->exits = x->exits;
	o->transfers = x->tr;
	o->new_supply = x->ns;
	o->graduates = x->grad;
	o->migrants = x->mig;
	o->transfers_in = x->trin;
	o->reserve = x->rv;
	o->other_entrants = x->oe;
	o->balance = x->bal;
	o->shortage_ratio = x->et > 0 ? -x->bal / x->et : 0;
	o->project_jobs = proj;
	o->has_ages = 0;
	o->share_55 = NAN;
	o->cls = ksp_atlas_classify_v(rv, x->e0, x->et, x->bal, proj, region_e0, region_et,
				      region_bal, &o->outlook);
	o->balance_p10 = o->balance_p50 = o->balance_p90 = NAN;
	for (int k = 0; k < KSP_ATLAS_NCLASS; k++)
		o->class_prob[k] = NAN;
	if (ol) {
		o->has_bands = !isnan(ol->b50);
		o->balance_p10 = ol->b10;
		o->balance_p50 = ol->b50;
		o->balance_p90 = ol->b90;
		o->has_prob = !isnan(ol->p[0]);
		for (int k = 0; k < KSP_ATLAS_NCLASS; k++)
			o->class_prob[k] = ol->p[k];
	}
}

/* Ranking within a class (docs/atlas.md): what a reader looks for first. */
struct ranked {
	double key;
	const char *code;
	size_t i;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *x = pa, *y = pb;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return strcmp(x->code, y->code);
}

static double rank_key(const struct ksp_atlas_occupation *o, int cls)
{
	switch (cls) {
	case KSP_ATLAS_IN_DEMAND: /* the largest shortage ratio */
		return -o->shortage_ratio;
	case KSP_ATLAS_EMERGING: /* the fastest growth (a new occupation first) */
		return isnan(o->growth_pct) ? -INFINITY : -o->growth_pct;
	case KSP_ATLAS_DECLINING: /* the steepest fall */
		return isnan(o->growth_pct) ? 0 : o->growth_pct;
	case KSP_ATLAS_STABLE: /* the largest employment */
		return -o->emp_target;
	default: /* the top shortages: the largest cumulative shortage */
		return o->balance;
	}
}

/* The occupations i with pick(i) ranked by cls's key into idx; returns their number. */
static size_t rank_into(const struct ksp_atlas *a, int cls, size_t *idx)
{
	struct ranked *r = ksp_xcalloc(a->nocc ? a->nocc : 1, sizeof(*r));
	size_t n = 0;

	for (size_t i = 0; i < a->nocc; i++) {
		const struct ksp_atlas_occupation *o = &a->occ[i];

		if (cls >= 0 ? o->cls != cls : !(o->balance < 0))
			continue;
		r[n].key = rank_key(o, cls);
		r[n].code = o->code;
		r[n].i = i;
		n++;
	}
	qsort(r, n, sizeof(*r), cmp_ranked);
	for (size_t j = 0; j < n; j++)
		idx[j] = r[j].i;
	free(r);
	return n;
}

static void rank(struct ksp_atlas *a, size_t top)
{
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++) {
		a->by_class[c] = ksp_xcalloc(a->nocc ? a->nocc : 1, sizeof(size_t));
		rank_into(a, c, a->by_class[c]);
	}
	a->top = ksp_xcalloc(a->nocc ? a->nocc : 1, sizeof(size_t));
	a->ntop = rank_into(a, -1, a->top);
	if (a->ntop > top)
		a->ntop = top;
}

static int cmp_place(const void *pa, const void *pb)
{
	const struct ksp_atlas_place *x = pa, *y = pb;
	int nx = !strcmp(x->area.region, KSP_FORECAST_NATIONAL);
	int ny = !strcmp(y->area.region, KSP_FORECAST_NATIONAL);

	if (nx != ny)
		return nx - ny; /* the country last */
	if (x->occ.shortage_ratio != y->occ.shortage_ratio)
		return x->occ.shortage_ratio > y->occ.shortage_ratio ? -1 : 1;
	return strcmp(x->area.region, y->area.region);
}

/* ---- the build ------------------------------------------------------------------------ */

static void area_fill(struct ksp_atlas_area *ar, const struct ksp_region *rg, const char *kato,
		      const struct region_tot *t, const char *lang)
{
	memset(ar, 0, sizeof(*ar));
	snprintf(ar->region, sizeof(ar->region), "%s", kato);
	snprintf(ar->iso, sizeof(ar->iso), "%s", rg ? rg->iso : "");
	snprintf(ar->name, sizeof(ar->name), "%s", rg ? ksp_region_name(rg, lang) : kato);
	ar->emp_target = t ? t->et : NAN;
	ar->balance = t ? t->bal : NAN;
	ar->shortage_ratio = t && t->et > 0 ? -t->bal / t->et : NAN;
	ar->shortfall = t ? t->shortfall : NAN;
}

static const struct ksp_region *find_region(const struct ksp_region *r, size_t n, const char *kato)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].kato, kato))
			return &r[i];
	return NULL;
}

static int load_years(struct ksp_store *s, struct ksp_atlas *a, struct ksp_error *err)
{
	struct ksp_forecast_total *ft = NULL;
	size_t n = 0;
	double cum = 0;
	int rc;

	if ((rc = ksp_forecast_totals(s, a->run.id, a->region, &ft, &n, err)))
		return rc;
	a->years = ksp_xcalloc(n ? n : 1, sizeof(*a->years));
	for (size_t i = 0; i < n; i++) {
		struct ksp_atlas_year *y;

		if (ft[i].year < a->run.base_year || ft[i].year > a->run.target_year)
			continue;
		y = &a->years[a->nyears++];
		y->year = ft[i].year;
		y->demand = ft[i].demand;
		y->openings = ft[i].openings;
		y->new_supply = ft[i].new_supply;
		y->balance = ft[i].balance;
		if (ft[i].year > a->run.base_year)
			cum += ft[i].balance;
		y->cum_balance = cum;
		y->population = ft[i].population;
		y->labour_force = ft[i].labour_force;
		y->demand_p10 = ft[i].band[KSP_FT_DEMAND][0];
		y->demand_p90 = ft[i].band[KSP_FT_DEMAND][2];
		y->openings_p10 = ft[i].band[KSP_FT_OPENINGS][0];
		y->openings_p90 = ft[i].band[KSP_FT_OPENINGS][2];
		y->new_supply_p10 = ft[i].band[KSP_FT_NEW_SUPPLY][0];
		y->new_supply_p90 = ft[i].band[KSP_FT_NEW_SUPPLY][2];
		y->balance_p10 = ft[i].band[KSP_FT_BALANCE][0];
		y->balance_p90 = ft[i].band[KSP_FT_BALANCE][2];
		if (y->year == a->run.base_year) {
			a->key.population_base = y->population;
			a->key.labour_force_base = y->labour_force;
			a->key.emp_base = y->demand;
		}
		if (y->year == a->run.target_year) {
			a->key.population_target = y->population;
			a->key.labour_force_target = y->labour_force;
			a->key.emp_target = y->demand;
			a->key.shortfall = ft[i].shortfall;
		}
		if (y->year > a->run.base_year) {
			a->key.openings += y->openings;
			a->key.new_supply += y->new_supply;
			a->key.balance += y->balance;
			a->key.other_entrants += ft[i].other_entrants;
			a->key.reserve += ft[i].reserve;
		}
	}
	ksp_forecast_free(ft);
	if (!a->nyears)
		return ksp_error_set(err, KSP_ENOTFOUND, "forecast run %lld has no totals for \"%s\"",
				     a->run.id, a->iso);
	a->key.growth = a->key.emp_target - a->key.emp_base;
	a->key.growth_pct = a->key.emp_base > 0 ? a->key.growth / a->key.emp_base : NAN;
	a->key.shortage_ratio = a->key.emp_target > 0 ? -a->key.balance / a->key.emp_target : 0;
	return KSP_OK;
}

int ksp_atlas_build(struct ksp_store *s, const struct ksp_atlas_options *opt,
		    struct ksp_atlas **out, struct ksp_error *err)
{
	struct ksp_atlas *a = ksp_xcalloc(1, sizeof(*a));
	struct ksp_region *regs = NULL;
	struct region_tot *tots = NULL;
	struct acc *accs = NULL, *nat = NULL, *pl = NULL;
	struct title *titles = NULL;
	struct outlook *ol = NULL;
	struct spec *sp = NULL;
	double *proj = NULL, rv[KSP_AR_NRULE];
	size_t nregs = 0, ntots = 0, naccs = 0, nnat = 0, ntitles = 0, nol = 0, npl = 0;
	const char *lang = opt->lang && (!strcmp(opt->lang, "kk") || !strcmp(opt->lang, "ru"))
				   ? opt->lang
				   : "en";
	const struct region_tot *rt;
	int rc, plen, national_cls;

	*out = NULL;
	snprintf(a->lang, sizeof(a->lang), "%s", lang);
	a->key.balance_p10 = a->key.balance_p50 = a->key.balance_p90 = NAN;

	/* the run, the level, the region */
	if ((rc = ksp_forecast_run_get(s, opt->run_id, NULL, &a->run, err)))
		goto out;
	national_cls = strcmp(a->run.classification, "ISCO-08") != 0;
	snprintf(a->classification, sizeof(a->classification), "%s", a->run.classification);
	a->level = opt->level ? opt->level : a->run.level;
	if (a->level < 1 || a->level > a->run.level) {
		rc = ksp_error_set(err, KSP_EUSAGE,
				   "level %d: forecast run %lld has levels 1 to %d; run 'kasip "
				   "forecast --level %d' for a finer atlas",
				   a->level, a->run.id, a->run.level, a->level);
		goto out;
	}
	if (national_cls && a->level != a->run.level) {
		rc = ksp_error_set(err, KSP_EUSAGE,
				   "level %d: forecast run %lld is in %s at level %d, the only level "
				   "of its atlas",
				   a->level, a->run.id, a->run.classification, a->run.level);
		goto out;
	}
	plen = national_cls ? 64 : a->level;
	if ((rc = ksp_region_list(s, KSP_REGION_WITH_COUNTRY, &regs, &nregs, err)))
		goto out;
	if (is_country(opt->region)) {
		const struct ksp_region *c = find_region(regs, nregs, KSP_FORECAST_NATIONAL);

		a->national = 1;
		snprintf(a->region, sizeof(a->region), "%s", KSP_FORECAST_NATIONAL);
		snprintf(a->iso, sizeof(a->iso), "%s", KSP_ATLAS_COUNTRY);
		snprintf(a->name, sizeof(a->name), "%s", c ? ksp_region_name(c, lang) : "Kazakhstan");
	} else {
		const struct ksp_region *g = NULL;

		for (size_t i = 0; i < nregs; i++)
			if (!strcasecmp(regs[i].kato, opt->region) ||
			    !strcasecmp(regs[i].iso, opt->region))
				g = &regs[i];
		if (!g) {
			rc = ksp_error_set(err, KSP_ENOTFOUND, "no region \"%s\"; see 'kasip regions'",
					   opt->region);
			goto out;
		}
		if (a->run.region[0] && strcmp(a->run.region, g->kato)) {
			rc = ksp_error_set(err, KSP_ENOTFOUND,
					   "forecast run %lld stored region %s only, not \"%s\"",
					   a->run.id, a->run.region, opt->region);
			goto out;
		}
		snprintf(a->region, sizeof(a->region), "%s", g->kato);
		snprintf(a->iso, sizeof(a->iso), "%s", g->iso);
		snprintf(a->name, sizeof(a->name), "%s", ksp_region_name(g, lang));
	}

	/* the rules */
	if ((rc = ksp_atlas_rules_list(s, &a->rules, &a->nrules, a->rules_version, err)))
		goto out;
	ksp_atlas_rule_values(a->rules, a->nrules, rv);
	{
		struct ksp_stmt *st = NULL;

		rc = ksp_stmt_prepare(s, "SELECT class_rules FROM forecast_run WHERE id = ?", &st, err);
		if (rc)
			goto out;
		ksp_stmt_bind_int64(st, 1, a->run.id);
		if ((rc = ksp_stmt_step(st, err)) == KSP_ROW)
			snprintf(a->prob_rules_version, sizeof(a->prob_rules_version), "%s",
				 ksp_stmt_column_text(st, 0));
		ksp_stmt_finalize(st);
		if (rc < 0)
			goto out;
		rc = KSP_OK;
	}

	/* the key figures and the years, the areas of the map */
	if ((rc = load_years(s, a, err)))
		goto out;
	if ((rc = load_region_totals(s, &a->run, &tots, &ntots, err)))
		goto out;
	a->areas = ksp_xcalloc(ntots ? ntots : 1, sizeof(*a->areas));
	for (size_t i = 0; i < ntots; i++) /* by KATO: the country's 000000000 goes last */
		if (strcmp(tots[i].region, KSP_FORECAST_NATIONAL))
			area_fill(&a->areas[a->nareas++], find_region(regs, nregs, tots[i].region),
				  tots[i].region, &tots[i], lang);
	if ((rt = find_tot(tots, ntots, KSP_FORECAST_NATIONAL))) {
		area_fill(&a->areas[a->nareas], find_region(regs, nregs, KSP_FORECAST_NATIONAL),
			  KSP_FORECAST_NATIONAL, rt, lang);
		snprintf(a->areas[a->nareas].iso, sizeof(a->areas[0].iso), "%s", KSP_ATLAS_COUNTRY);
		a->nareas++;
	}
	/* The outlines, for the map: a page needs nothing but the database. */
	a->boundaries = ksp_xcalloc(a->nareas ? a->nareas : 1, sizeof(*a->boundaries));
	for (size_t i = 0; i < a->nareas; i++)
		if ((rc = ksp_boundary_get(s, a->areas[i].region, &a->boundaries[i], err)))
			goto out;
	if (!(rt = find_tot(tots, ntots, a->region))) {
		rc = ksp_error_set(err, KSP_ENOTFOUND, "forecast run %lld has no totals for \"%s\"",
				   a->run.id, a->iso);
		goto out;
	}

	/* the occupations */
	if ((rc = load_groups(s, &a->run, plen, a->region, opt->occupation, &accs, &naccs, err)))
		goto out;
	{
		/* the country's groups weigh projects of a coarser code: read them only then */
		long long np = 0;

		rc = ksp_store_query_int(s, "SELECT count(*) FROM forecast_project", &np, err,
					 (const char *)NULL);
		if (rc < 0)
			goto out;
		rc = KSP_OK;
		if (np && !national_cls &&
		    (rc = load_groups(s, &a->run, plen, KSP_FORECAST_NATIONAL, NULL, &nat, &nnat, err)))
			goto out;
	}
	if (opt->occupation && !naccs) {
		rc = ksp_error_set(err, KSP_ENOTFOUND,
				   "no occupation group \"%s\" at level %d in forecast run %lld; see "
				   "'kasip occupations --level %d'",
				   opt->occupation, a->level, a->run.id, a->level);
		goto out;
	}
	if ((rc = load_titles(s, a->run.classification, lang, &titles, &ntitles, err)))
		goto out;
	if ((rc = load_outlook(s, a->run.id, opt->occupation ? NULL : a->region, &ol, &nol, err)))
		goto out;
	a->has_bands = a->run.draws > 0;
	a->has_prob = nol > 0 && a->level == a->run.level;
	a->prob_level = nol > 0 ? a->run.level : 0;
	a->prob_stale = a->has_prob && strcmp(a->prob_rules_version, a->rules_version) != 0;
	proj = ksp_xcalloc(naccs ? naccs : 1, sizeof(double));
	if ((rc = add_projects(s, &a->run, plen, nat, nnat, accs, proj, naccs, err)))
		goto out;
	a->occ = ksp_xcalloc(naccs ? naccs : 1, sizeof(*a->occ));
	for (size_t i = 0; i < naccs; i++) {
		const struct outlook *o =
			a->level == a->run.level ? find_outlook(ol, nol, a->region, accs[i].code) : NULL;

		fill_occ(&a->occ[a->nocc], &accs[i], a->level, rt->e0, rt->et, rt->bal, proj[i], rv, o,
			 find_title(titles, ntitles, accs[i].code));
		a->key.nclass[a->occ[a->nocc].cls]++;
		a->key.project_jobs += proj[i];
		a->nocc++;
	}
	{
		const struct outlook *o = find_outlook(ol, nol, a->region, "");

		if (o) {
			a->key.balance_p10 = o->b10;
			a->key.balance_p50 = o->b50;
			a->key.balance_p90 = o->b90;
		}
	}
	rank(a, opt->top ? (opt->top > MAX_TOP ? MAX_TOP : opt->top) : 10);

	/* one occupation in every region (the card, --compare) */
	if (opt->occupation) {
		double *pproj;

		/* region by region: each is a seek in the primary key (run, region, occupation) */
		for (size_t i = 0; i < ntots; i++) {
			struct acc *one = NULL;
			size_t none = 0;

			rc = load_groups(s, &a->run, plen, tots[i].region, opt->occupation, &one, &none,
					 err);
			if (rc)
				goto out;
			pl = ksp_xreallocarray(pl, npl + none + 1, sizeof(*pl));
			memcpy(pl + npl, one, none * sizeof(*one));
			npl += none;
			free(one);
		}
		pproj = ksp_xcalloc(npl ? npl : 1, sizeof(double));
		rc = add_projects(s, &a->run, plen, nat, nnat, pl, pproj, npl, err);
		if (rc) {
			free(pproj);
			goto out;
		}
		a->places = ksp_xcalloc(npl ? npl : 1, sizeof(*a->places));
		for (size_t i = 0; i < npl; i++) {
			const struct region_tot *t = find_tot(tots, ntots, pl[i].region);
			const struct outlook *o =
				a->level == a->run.level ? find_outlook(ol, nol, pl[i].region, pl[i].code)
							 : NULL;
			struct ksp_atlas_place *p = &a->places[a->nplaces++];

			area_fill(&p->area, find_region(regs, nregs, pl[i].region), pl[i].region, t,
				  lang);
			if (!strcmp(pl[i].region, KSP_FORECAST_NATIONAL))
				snprintf(p->area.iso, sizeof(p->area.iso), "%s", KSP_ATLAS_COUNTRY);
			fill_occ(&p->occ, &pl[i], a->level, t ? t->e0 : 0, t ? t->et : 0,
				 t ? t->bal : 0, pproj[i], rv, o, find_title(titles, ntitles, pl[i].code));
		}
		free(pproj);
		qsort(a->places, a->nplaces, sizeof(*a->places), cmp_place);
	}

	/* training paths and colleges */
	{
		long long n = 0;

		rc = ksp_store_query_int(s, "SELECT count(*) FROM college_specialty", &n, err,
					 (const char *)NULL);
		if (rc < 0)
			goto out;
		rc = KSP_OK;
		a->colleges_imported = n > 0;
	}
	if (!national_cls) {
		int nsp = 0;

		sp = ksp_xcalloc(MAX_SPEC, sizeof(*sp));
		if ((rc = read_paths(s, lang, sp, &nsp, err)) ||
		    (nsp && (rc = build_paths(s, a, sp, nsp, err))))
			goto out;
		a->has_paths = nsp > 0;
	}
	*out = a;
	a = NULL;
out:
	free(sp);
	free(proj);
	free(pl);
	free(ol);
	free(titles);
	free(accs);
	free(nat);
	free(tots);
	ksp_region_list_free(regs);
	ksp_atlas_free(a);
	return rc;
}

void ksp_atlas_free(struct ksp_atlas *a)
{
	if (!a)
		return;
	free(a->occ);
	free(a->top);
	for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
		free(a->by_class[c]);
	free(a->years);
	for (size_t i = 0; a->boundaries && i < a->nareas; i++)
		free(a->boundaries[i]);
	free(a->boundaries);
	free(a->areas);
	free(a->paths);
	free(a->colleges);
	free(a->places);
	ksp_atlas_rules_free(a->rules);
	free(a);
}

const struct ksp_atlas_occupation *ksp_atlas_find(const struct ksp_atlas *a, const char *code)
{
	for (size_t i = 0; a && code && i < a->nocc; i++)
		if (!strcmp(a->occ[i].code, code))
			return &a->occ[i];
	return NULL;
}

/*
 * load.c - the engine's input from the store and a scenario.
 *
 * Each block below is one paragraph of docs/methodology.md ("Inputs and
 * calibration"): the base-year tables (the estimates of lib/data/derive.c)
 * and the forecast's own inputs (forecast-assumptions, -staffing,
 * -specialties, -flexibility, -projects: data/kz/forecast loaded by init,
 * or imported) all come from the store, each row naming its source.  No
 * file is read, so that the database is the whole truth of a run.
 * Calibrations fit one level per block to a published figure (deaths,
 * births, labour force) and are reported in m->calibration; the inputs'
 * row counts and content hashes in m->assumptions.
 */
#include "forecast/load.h"

#include <math.h>
#include <string.h>

#include "kasip/csv.h"
#include "data/tables.h"
#include "kasip/table.h"
#include "store/store.h"
#include "util/sha256.h"
#include "util/xmalloc.h"

#define MAXCOL 16

/* ---- small CSV tables ------------------------------------------------------------ */

struct tab {
	int rows, cols;
	char *head[MAXCOL];
	char **cell; /* rows x cols */
	long *line;
	char name[128];
};

static void tab_free(struct tab *t)
{
	for (int c = 0; c < t->cols; c++)
		free(t->head[c]);
	for (long i = 0; i < (long)t->rows * t->cols; i++)
		free(t->cell[i]);
	free(t->cell);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

/*
 * Read the text columns cols of the rows of sql (a SELECT of those columns,
 * in that order) into t.  A row's "line" is its line in `kasip export
 * TABLE` (the header is line 1), so that a message points into the table
 * an analyst exports, corrects and imports again.
 */
static int tab_load(struct tab *t, struct ksp_store *s, const char *name, const char *sql,
		    const char *const *cols, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc, alloc = 0;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	for (const char *const *c = cols; *c && t->cols < MAXCOL; c++)
		t->head[t->cols++] = ksp_xstrdup(*c);
	rc = ksp_stmt_prepare(s, sql, &st, err);
	if (rc)
		goto out;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		if (t->rows >= 100000) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "%s: over 100000 rows", name);
			goto out;
		}
		if (t->rows + 1 > alloc) {
			alloc = alloc ? alloc * 2 : 64;
			t->cell = ksp_xreallocarray(t->cell, (size_t)alloc * t->cols, sizeof(char *));
			t->line = ksp_xreallocarray(t->line, (size_t)alloc, sizeof(long));
		}
		for (int c = 0; c < t->cols; c++)
			t->cell[(long)t->rows * t->cols + c] = ksp_xstrdup(ksp_stmt_column_text(st, c));
		t->line[t->rows] = t->rows + 2;
		t->rows++;
	}
	if (rc == KSP_DONE)
		rc = KSP_OK;
out:
	ksp_stmt_finalize(st);
	if (rc)
		tab_free(t);
	return rc;
}

static int tab_col(const struct tab *t, const char *col)
{
	for (int c = 0; c < t->cols; c++)
		if (!strcmp(t->head[c], col))
			return c;
	return -1;
}

static const char *tab_get(const struct tab *t, int row, const char *col)
{
	int c = tab_col(t, col);

	return c < 0 ? "" : t->cell[(long)row * t->cols + c];
}

/* A number of row/col, or an error naming the place. */
static int tab_num(const struct tab *t, int row, const char *col, double *v, struct ksp_error *err)
{
	const char *s = tab_get(t, row, col);

	if (ksp_parse_double(s, v) != KSP_OK || !isfinite(*v))
		return ksp_error_at(err, KSP_EINVAL, t->name, t->line[row], tab_col(t, col) + 1, col,
				    "expected a number, got \"%s\"", s);
	return KSP_OK;
}

/* The value of assumption (name, key); an error when there is none. */
static int asm_get(const struct tab *t, const char *name, const char *key, double *v,
		   struct ksp_error *err)
{
	for (int r = 0; r < t->rows; r++)
		if (!strcmp(tab_get(t, r, "name"), name) && !strcmp(tab_get(t, r, "key"), key ? key : ""))
			return tab_num(t, r, "value", v, err);
	return ksp_error_at(err, KSP_EINVAL, t->name, 0, 0, name,
			    "no assumption \"%s\" with key \"%s\"", name, key ? key : "");
}

/* ---- scenario parameters ------------------------------------------------------------ */

static const char *const param_names[] = {
	"title", "migration.external", "migration.internal_scale", "fertility.trend",
	"exits.multiplier", "transfers.multiplier", "entry.tvet", "entry.higher",
	"graduates.higher", "admissions.tvet_growth", "reserve.draw", NULL
};

int ksp_fc_param_known(const char *name)
{
	for (const char *const *p = param_names; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	/* growth.X for an OKED section letter */
	return !strncmp(name, "growth.", 7) && name[7] >= 'A' && name[7] <= 'U' && !name[8];
}

int ksp_fc_dist_parse(const char *s)
{
	if (!strcmp(s, "fixed"))
		return KSP_FC_FIXED;
	if (!strcmp(s, "normal"))
		return KSP_FC_NORMAL;
	if (!strcmp(s, "lognormal"))
		return KSP_FC_LOGNORMAL;
	if (!strcmp(s, "uniform"))
		return KSP_FC_UNIFORM;
	return -1;
}

const char *ksp_fc_dist_name(int dist)
{
	static const char *const n[] = { "fixed", "normal", "lognormal", "uniform" };

	return dist >= 0 && dist < 4 ? n[dist] : "fixed";
}

static const struct ksp_fc_param *param_find(const struct ksp_fc_model *m, const char *name)
{
	for (int i = 0; i < m->nparam; i++)
		if (!strcmp(m->param[i].name, name))
			return &m->param[i];
	return NULL;
}

static int param_value(const struct ksp_fc_model *m, const char *scenario, const char *name,
		       double *v, struct ksp_error *err)
{
	const struct ksp_fc_param *p = param_find(m, name);

	if (!p)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "scenario \"%s\" has no parameter \"%s\"", scenario, name);
	*v = p->value;
	return KSP_OK;
}

static int load_params(struct ksp_fc_model *m, struct ksp_store *s, const char *scenario,
		       struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc, alloc = 0;

	rc = ksp_stmt_prepare(s, "SELECT name, value, dist, spread FROM scenario_param "
				 "WHERE scenario = ? ORDER BY name", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, scenario, -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_fc_param *p;

		if (m->nparam >= 1000) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "scenario \"%s\": over 1000 parameters",
					   scenario);
			break;
		}
		KSP_ALLOC_GROW(m->param, m->nparam + 1, alloc);
		p = &m->param[m->nparam++];
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", ksp_stmt_column_text(st, 0));
		p->value = ksp_stmt_column_double(st, 1);
		p->dist = ksp_fc_dist_parse(ksp_stmt_column_text(st, 2));
		p->spread = ksp_stmt_column_double(st, 3);
		if (p->dist < 0)
			p->dist = KSP_FC_FIXED;
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		rc = m->nparam ? KSP_OK
			       : ksp_error_set(err, KSP_ENOTFOUND,
					       "no scenario \"%s\"; see 'kasip scenario list'", scenario);
	return rc;
}

/*
 * The Monte Carlo distributions of the scenario: growth rates as shifts,
 * everything else as multipliers of the central value (methodology.md,
 * "Uncertainty").
 */
static void build_uncertain(struct ksp_fc_model *m)
{
	int alloc = 0;

	for (int i = 0; i < m->nparam; i++) {
		const struct ksp_fc_param *p = &m->param[i];
		struct ksp_fc_uncertain u = { 0, 0, p->dist, 0, 0 };
		int shift = 0;

		if (p->dist == KSP_FC_FIXED || p->spread <= 0)
			continue;
		if (!strncmp(p->name, "growth.", 7)) {
			int found = -1;

			for (int k = 0; k < m->lb.nind; k++)
				if (!strcmp(m->lb.ind[k], p->name + 7))
					found = k;
			if (found < 0)
				continue;
			u.target = KSP_FC_T_GROWTH;
			u.index = found;
			shift = 1;
		} else if (!strcmp(p->name, "exits.multiplier")) {
			u.target = KSP_FC_T_EXIT;
		} else if (!strcmp(p->name, "transfers.multiplier")) {
			u.target = KSP_FC_T_TRANSFER;
		} else if (!strcmp(p->name, "entry.tvet")) {
			u.target = KSP_FC_T_ENTRY;
			u.index = KSP_FC_TVET;
		} else if (!strcmp(p->name, "entry.higher") || !strcmp(p->name, "graduates.higher")) {
			u.target = KSP_FC_T_ENTRY;
			u.index = KSP_FC_HIGHER;
		} else if (!strcmp(p->name, "migration.external")) {
			u.target = KSP_FC_T_MIG_EXT;
		} else if (!strcmp(p->name, "migration.internal_scale")) {
			u.target = KSP_FC_T_MIG_INT;
		} else {
			continue;
		}
		if (shift) {
			/* draw = value + noise: the engine adds the noise */
			u.dist = p->dist == KSP_FC_UNIFORM ? KSP_FC_UNIFORM : KSP_FC_NORMAL;
			u.a = p->dist == KSP_FC_UNIFORM ? -p->spread : 0;
			u.b = p->spread;
		} else {
			/* draw / value: the multiplier of the central run */
			if (p->value == 0)
				continue;
			if (p->dist == KSP_FC_LOGNORMAL) {
				u.a = 0;
				u.b = p->spread;
			} else if (p->dist == KSP_FC_UNIFORM) {
				u.a = 1 - p->spread / fabs(p->value);
				u.b = 1 + p->spread / fabs(p->value);
			} else {
				u.a = 1;
				u.b = p->spread / fabs(p->value);
			}
		}
		KSP_ALLOC_GROW(m->unc, m->nunc + 1, alloc);
		m->unc[m->nunc++] = u;
	}
}

/* ---- the life table ------------------------------------------------------------------- */

void ksp_fc_life_table(double q0, double makeham, double gb, double gc, double a0, double k,
		       int nage, double *q, double *surv, double *surv_birth, double *e0)
{
	enum { OMEGA = 131 };
	double lx[OMEGA + 1], Lx[OMEGA], qx[OMEGA], tail;
	int a;

	/* q(x) = 1 - exp(-(A + k B e^{C x} (e^C - 1) / C)): the Gompertz-Makeham
	   hazard integrated over [x, x+1) (Gompertz 1825, Makeham 1860) */
	qx[0] = q0 * k < 1 ? q0 * k : 1;
	for (a = 1; a < OMEGA; a++) {
		double h = makeham + k * gb * ksp_fc_exp(gc * a) * (ksp_fc_exp(gc) - 1.0) / gc;

		qx[a] = 1.0 - ksp_fc_exp(-h);
	}
	qx[OMEGA - 1] = 1.0;
	lx[0] = 1.0;
	for (a = 0; a < OMEGA; a++)
		lx[a + 1] = lx[a] * (1.0 - qx[a]);
	/* person-years: L0 = l1 + a0 (l0 - l1), Lx = (lx + lx+1) / 2 */
	Lx[0] = lx[1] + a0 * (lx[0] - lx[1]);
	for (a = 1; a < OMEGA; a++)
		Lx[a] = 0.5 * (lx[a] + lx[a + 1]);
	if (e0) {
		double s = 0;

		for (a = OMEGA - 1; a >= 0; a--)
			s += Lx[a];
		*e0 = s;
	}
	if (surv_birth)
		*surv_birth = Lx[0];
	/* survival ratios S(a) = L(a+1) / L(a); the open group T(n) / T(n-1) */
	tail = 0;
	for (a = OMEGA - 1; a >= nage; a--)
		tail += Lx[a];
	for (a = 0; a < nage - 1; a++) {
		if (q)
			q[a] = qx[a];
		surv[a] = Lx[a] > 0 ? Lx[a + 1] / Lx[a] : 0;
	}
	if (q)
		q[nage - 1] = qx[nage - 1];
	/* last group: those aged nage-1+ at t-1 alive at t = T(nage) / T(nage-1) */
	surv[nage - 1] = (tail + Lx[nage - 1]) > 0 ? tail / (tail + Lx[nage - 1]) : 0;
}

/* ---- the model -------------------------------------------------------------------------- */

static int age_of(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || v < 0 || v > 200)
		return -1;
	if (*end == '+' && !end[1])
		return (int)v;
	return *end ? -1 : (int)v;
}

static int region_index(const struct ksp_fc_labels *lb, const char *code)
{
	for (int r = 0; r < lb->nreg; r++)
		if (!strcasecmp(lb->kato[r], code) || !strcasecmp(lb->iso[r], code))
			return r;
	return -1;
}

static int sex_of(const char *s)
{
	return !strcmp(s, "male") ? KSP_FC_MALE : !strcmp(s, "female") ? KSP_FC_FEMALE : -1;
}

static int load_regions(struct ksp_fc_labels *lb, struct ksp_store *s, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc = ksp_stmt_prepare(s, "SELECT kato, iso FROM region WHERE type <> 'country' "
				     "ORDER BY kato", &st, err);

	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		if (lb->nreg >= KSP_FC_MAX_REG) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "over %d regions", KSP_FC_MAX_REG);
			break;
		}
		snprintf(lb->kato[lb->nreg], KSP_FC_CODE, "%s", ksp_stmt_column_text(st, 0));
		snprintf(lb->iso[lb->nreg], KSP_FC_CODE, "%s", ksp_stmt_column_text(st, 1));
		lb->nreg++;
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		rc = lb->nreg ? KSP_OK
			      : ksp_error_set(err, KSP_ENOTFOUND,
					      "no regions in the database; run 'kasip init'");
	return rc;
}

static int load_occupations(struct ksp_fc_labels *lb, struct ksp_store *s, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc = ksp_stmt_prepare(s, "SELECT code FROM occupation WHERE classification = 'ISCO-08' "
				     "AND level = 4 ORDER BY code", &st, err);
	int alloc = 0;

	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *c = ksp_stmt_column_text(st, 0);

		if (lb->nocc >= KSP_FC_MAX_OCC) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "over %d occupations", KSP_FC_MAX_OCC);
			break;
		}
		if (strlen(c) != 4 || !isdigit((unsigned char)c[0])) {
			rc = ksp_error_set(err, KSP_EINVAL, "ISCO-08 unit group \"%s\" is not 4 digits", c);
			break;
		}
		KSP_ALLOC_GROW(lb->occ, lb->nocc + 1, alloc);
		snprintf(lb->occ[lb->nocc], KSP_FC_CODE, "%s", c);
		lb->nocc++;
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		rc = lb->nocc ? KSP_OK
			      : ksp_error_set(err, KSP_ENOTFOUND,
					      "no ISCO-08 unit groups in the database; run 'kasip init'");
	return rc;
}

/* Base-year employment by region and OKED section (the sections that have any). */
static int load_employment(struct ksp_fc_model *m, struct ksp_store *s, int year, double **out,
			   struct ksp_error *err)
{
	struct ksp_fc_labels *lb = &m->lb;
	struct ksp_stmt *st = NULL;
	double v[KSP_FC_MAX_REG][26];
	int has[26] = { 0 }, rc;

	memset(v, 0, sizeof(v));
	rc = ksp_stmt_prepare(s, "SELECT region, industry, value, unit FROM employment "
				 "WHERE year = ? ORDER BY region, industry", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, year);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		int r = region_index(lb, ksp_stmt_column_text(st, 0));
		const char *ind = ksp_stmt_column_text(st, 1);
		const char *unit = ksp_stmt_column_text(st, 3);
		double x = ksp_stmt_column_double(st, 2);

		if (r < 0 || strlen(ind) != 1 || ind[0] < 'A' || ind[0] > 'Z')
			continue;
		if (strstr(unit, "thousand"))
			x *= 1000.0;
		v[r][ind[0] - 'A'] = x;
		if (x > 0)
			has[ind[0] - 'A'] = 1;
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	for (int i = 0; i < 26; i++)
		if (has[i]) {
			if (lb->nind >= KSP_FC_MAX_IND)
				return ksp_error_set(err, KSP_ETOOBIG, "too many sections");
			snprintf(lb->ind[lb->nind++], KSP_FC_CODE, "%c", 'A' + i);
		}
	if (lb->nind < 2)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "no employment by region and OKED section for %d; run 'kasip init'",
				     year);
	*out = ksp_xcalloc((size_t)lb->nreg * lb->nind, sizeof(double));
	for (int r = 0; r < lb->nreg; r++) {
		double tot = 0;

		for (int i = 0; i < lb->nind; i++) {
			(*out)[r * lb->nind + i] = v[r][lb->ind[i][0] - 'A'];
			tot += v[r][lb->ind[i][0] - 'A'];
		}
		if (tot <= 0) {
			free(*out);
			*out = NULL;
			return ksp_error_set(err, KSP_ENOTFOUND,
					     "no employment by section for region %s in %d; run 'kasip init'",
					     lb->iso[r], year);
		}
	}
	return KSP_OK;
}

static int load_population(struct ksp_fc_model *m, struct ksp_store *s, int year,
			   struct ksp_error *err)
{
	struct ksp_fc_input *in = &m->in;
	const int A = in->d.nage;
	struct ksp_stmt *st = NULL;
	int rc, cells = 0;

	rc = ksp_stmt_prepare(s, "SELECT region, sex, age, value FROM population WHERE year = ? "
				 "AND measure = 'average' AND sex IN ('male', 'female')", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, year);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		int r = region_index(&m->lb, ksp_stmt_column_text(st, 0));
		int sx = sex_of(ksp_stmt_column_text(st, 1));
		const char *as = ksp_stmt_column_text(st, 2);
		int a = age_of(as);

		if (r < 0 || sx < 0 || a < 0)
			continue;
		/* "100+" is the open group; a plain age past it would be folded in */
		if (a >= A)
			a = A - 1;
		in->pop0[((size_t)r * KSP_FC_NSEX + sx) * A + a] += ksp_stmt_column_double(st, 3);
		cells++;
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	if (cells < m->lb.nreg * KSP_FC_NSEX * A)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "population by region, sex and single age for %d: %d of %d cells; "
				     "run 'kasip init' (it derives them)",
				     year, cells, m->lb.nreg * KSP_FC_NSEX * A);
	return KSP_OK;
}

/* Labour force (persons) and unemployment rate (share) of each region in year. */
static int load_labour(struct ksp_fc_model *m, struct ksp_store *s, int year, double *lf,
		       double *u, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc, nlf = 0, nu = 0;

	rc = ksp_stmt_prepare(s, "SELECT region, indicator, value, unit FROM labour_force "
				 "WHERE year = ? AND sex = 'total' AND age = '15+' AND indicator IN "
				 "('labour_force', 'unemployment_rate')", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, year);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		int r = region_index(&m->lb, ksp_stmt_column_text(st, 0));
		double v = ksp_stmt_column_double(st, 2);
		const char *unit = ksp_stmt_column_text(st, 3);

		if (r < 0)
			continue;
		if (!strcmp(ksp_stmt_column_text(st, 1), "labour_force")) {
			lf[r] = strstr(unit, "thousand") ? v * 1000.0 : v;
			nlf++;
		} else {
			u[r] = strstr(unit, "percent") ? v / 100.0 : v;
			nu++;
		}
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	if (nlf < m->lb.nreg || nu < m->lb.nreg)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "labour force or unemployment rate by region for %d missing; "
				     "run 'kasip init'",
				     year);
	return KSP_OK;
}

/* Rogers-Castro model migration schedule, normalised to sum 1 over ages 0..A-1. */
static int migration_profile(const struct tab *as, int A, double *prof, struct ksp_error *err)
{
	double a1, al1, a2, al2, mu2, la2, c, maxage, sum = 0;
	int rc;

	if ((rc = asm_get(as, "migration.profile", "a1", &a1, err)) ||
	    (rc = asm_get(as, "migration.profile", "alpha1", &al1, err)) ||
	    (rc = asm_get(as, "migration.profile", "a2", &a2, err)) ||
	    (rc = asm_get(as, "migration.profile", "alpha2", &al2, err)) ||
	    (rc = asm_get(as, "migration.profile", "mu2", &mu2, err)) ||
	    (rc = asm_get(as, "migration.profile", "lambda2", &la2, err)) ||
	    (rc = asm_get(as, "migration.profile", "c", &c, err)))
		return rc;
	if ((rc = asm_get(as, "migration.profile", "max_age", &maxage, err)))
		return rc;
	for (int a = 0; a < A; a++) {
		double x = a;

		if (a > maxage) {
			prof[a] = 0;
			continue;
		}
		prof[a] = a1 * ksp_fc_exp(-al1 * x) +
			  a2 * ksp_fc_exp(-al2 * (x - mu2) - ksp_fc_exp(-la2 * (x - mu2))) + c;
		sum += prof[a];
	}
	for (int a = 0; a < A; a++)
		prof[a] /= sum;
	return KSP_OK;
}

/* "male:15-24" -> sex and age range. */
static int parse_band(const char *key, int *sex, int *lo, int *hi)
{
	char sx[16];
	const char *colon = strchr(key, ':');
	char *end;

	if (!colon || (size_t)(colon - key) >= sizeof(sx))
		return -1;
	memcpy(sx, key, (size_t)(colon - key));
	sx[colon - key] = 0;
	*sex = sex_of(sx);
	*lo = (int)strtol(colon + 1, &end, 10);
	if (*end == '-')
		*hi = (int)strtol(end + 1, &end, 10);
	else if (*end == '+')
		*hi = 1000, end++;
	else
		*hi = *lo;
	return *sex < 0 || *end ? -1 : 0;
}

/* Statutory retirement age of sex in year: the latest listed year not after it. */
static double retirement_age(const struct tab *as, int sex, int year)
{
	double best = -1, age = sex == KSP_FC_MALE ? 63 : 61;

	for (int r = 0; r < as->rows; r++) {
		const char *k = tab_get(as, r, "key");
		const char *colon = strchr(k, ':');
		double v;
		long y;

		if (strcmp(tab_get(as, r, "name"), "retirement_age") || !colon)
			continue;
		if (strncmp(k, sex == KSP_FC_MALE ? "male" : "female", (size_t)(colon - k)) ||
		    (size_t)(colon - k) != strlen(sex == KSP_FC_MALE ? "male" : "female"))
			continue;
		y = strtol(colon + 1, NULL, 10);
		if (y <= year && y > best && ksp_parse_double(tab_get(as, r, "value"), &v) == KSP_OK) {
			best = (double)y;
			age = v;
		}
	}
	return age;
}

/* Spread sub-major weights w[sub] over unit groups by weights unitw[o] (or evenly). */
static void spread_submajor(const struct ksp_fc_labels *lb, const double *w100,
			    const double *unitw, double *row)
{
	double tot[100] = { 0 }, cnt[100] = { 0 }, sum = 0;
	int o;

	for (o = 0; o < lb->nocc; o++) {
		int sm = (lb->occ[o][0] - '0') * 10 + (lb->occ[o][1] - '0');

		tot[sm] += unitw ? unitw[o] : 0;
		cnt[sm] += 1;
	}
	for (o = 0; o < lb->nocc; o++) {
		int sm = (lb->occ[o][0] - '0') * 10 + (lb->occ[o][1] - '0');
		double share = unitw && tot[sm] > 0 ? unitw[o] / tot[sm] : 1.0 / cnt[sm];

		row[o] = w100[sm] * share;
		sum += row[o];
	}
	for (o = 0; o < lb->nocc; o++)
		row[o] = sum > 0 ? row[o] / sum : 0;
}

/*
 * Read a matrix table (forecast_staffing by section, forecast_flexibility
 * by specialty) into w[row][100] by ISCO-08 sub-major group.  Rows of
 * sections or specialties that the model does not have are left out.
 */
static int read_submajor_matrix(struct ksp_store *s, const char *table, const char *sql_table,
				const char *rowcol, char (*rows)[KSP_FC_CODE], int nrows,
				double *w, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char sql[256];
	int rc;

	snprintf(sql, sizeof(sql), "SELECT %s, isco_submajor, weight FROM %s ORDER BY %s, isco_submajor",
		 rowcol, sql_table, rowcol);
	rc = ksp_stmt_prepare(s, sql, &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *key = ksp_stmt_column_text(st, 0), *sm = ksp_stmt_column_text(st, 1);
		double v = ksp_stmt_column_double(st, 2);
		int k = -1;

		for (int i = 0; i < nrows; i++)
			if (!strcmp(rows[i], key))
				k = i;
		/* the importer checks both; a database written otherwise is checked here */
		if (strlen(sm) != 2 || !isdigit((unsigned char)sm[0]) || !isdigit((unsigned char)sm[1]) ||
		    !(v >= 0) || !isfinite(v)) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "%s: %s \"%s\", sub-major group \"%s\": expected a 2-digit "
					   "ISCO-08 sub-major group and a weight >= 0",
					   table, rowcol, key, sm);
			break;
		}
		if (k >= 0)
			w[k * 100 + (sm[0] - '0') * 10 + (sm[1] - '0')] += v;
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

/* A run's record of the version of one input: see load.h. */
int ksp_fc_model_record_input(struct ksp_fc_model *m, struct ksp_store *s, const char *table,
			      struct ksp_error *err)
{
	const struct ksp_table *t = ksp_table_find(table);
	struct ksp_sha256 h;
	char *buf = NULL, hex[65], sql[128];
	size_t len = 0;
	long long rows = 0;
	FILE *f;
	int rc;

	if (!t)
		return ksp_error_set(err, KSP_EINTERNAL, "no table \"%s\"", table);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t->sql_table);
	if ((rc = ksp_store_query_int(s, sql, &rows, err, (const char *)NULL)) < 0)
		return rc;
	f = open_memstream(&buf, &len);
	if (!f)
		return ksp_error_set(err, KSP_EIO, "%s: cannot hash its export", table);
	rc = ksp_export_table(s, table, KSP_EXPORT_CSV, f, err);
	if (fclose(f) && !rc)
		rc = ksp_error_set(err, KSP_EIO, "%s: cannot hash its export", table);
	if (!rc) {
		ksp_sha256_init(&h);
		ksp_sha256_update(&h, buf, len);
		ksp_sha256_final_hex(&h, hex);
		ksp_strbuf_addf(&m->assumptions, "%s: %lld rows, sha256 %s\n", table, rows, hex);
	}
	free(buf);
	return rc;
}

/*
 * Step 3's investment projects (methodology.md, "Demand"): jobs of an
 * ISCO-08 group of any level, code, in region r from year on, spread over
 * its unit groups in proportion to their base-year national employment
 * unitw (a group without employment gets a token weight, so that a project
 * in a new occupation still counts).  A year outside the horizon adds
 * nothing.  Returns -1 when code names no unit group.
 */
static int add_project(struct ksp_fc_input *in, const struct ksp_fc_labels *lb,
		       const double *unitw, int base, int nyear, int r, const char *code, int year,
		       double jobs)
{
	size_t len = strlen(code);
	double wsum = 0;

	for (int o = 0; o < lb->nocc; o++)
		if (len && !strncmp(lb->occ[o], code, len))
			wsum += unitw[o] > 0 ? unitw[o] : 1e-9;
	if (wsum <= 0)
		return -1;
	if (year <= base || year >= base + nyear)
		return 0;
	for (int o = 0; o < lb->nocc; o++)
		if (!strncmp(lb->occ[o], code, len))
			in->projects[(((size_t)year - base) * lb->nreg + r) * lb->nocc + o] +=
				jobs * (unitw[o] > 0 ? unitw[o] : 1e-9) / wsum;
	return 0;
}

/* The projects imported into the database (kasip import forecast-projects). */
static int load_projects(struct ksp_fc_model *m, struct ksp_store *s, const double *unitw,
			 int base, int nyear, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc, n = 0;

	rc = ksp_stmt_prepare(s, "SELECT name, region, occupation, year, jobs FROM forecast_project "
				 "ORDER BY region, year, name, occupation",
			      &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *name = ksp_stmt_column_text(st, 0);
		const char *code = ksp_stmt_column_text(st, 2);
		int r = region_index(&m->lb, ksp_stmt_column_text(st, 1));

		if (r < 0 || add_project(&m->in, &m->lb, unitw, base, nyear, r, code,
					 (int)ksp_stmt_column_int64(st, 3),
					 ksp_stmt_column_double(st, 4)) < 0) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "forecast project \"%s\": %s \"%s\" is not in the model", name,
					   r < 0 ? "region" : "ISCO-08 group",
					   r < 0 ? ksp_stmt_column_text(st, 1) : code);
			break;
		}
		n++;
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	(void)n;
	return KSP_OK;
}

/* An input table the forecast cannot run without: an error saying how to fill it when empty. */
static int need_rows(struct ksp_store *s, const char *table, struct ksp_error *err)
{
	const struct ksp_table *t = ksp_table_find(table);
	char sql[128];
	long long n = 0;
	int rc;

	if (!t)
		return ksp_error_set(err, KSP_EINTERNAL, "no table \"%s\"", table);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t->sql_table);
	if ((rc = ksp_store_query_int(s, sql, &n, err, (const char *)NULL)) < 0)
		return rc;
	if (n == 0)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "the database has no %s: run 'kasip init', or 'kasip import %s FILE'",
				     table, table);
	return KSP_OK;
}

/* The specialty groups: TVET first, then higher, each by code (the export's order). */
static int load_specialties(struct ksp_fc_labels *lb, struct ksp_store *s, int *level,
			    double *share, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	rc = ksp_stmt_prepare(s, "SELECT code, level, share FROM forecast_specialty "
				 "ORDER BY CASE level WHEN 'tvet' THEN 0 ELSE 1 END, code", &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *lev = ksp_stmt_column_text(st, 1);

		if (lb->nspec >= KSP_FC_MAX_SPEC) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "over %d specialties", KSP_FC_MAX_SPEC);
			break;
		}
		if (strcmp(lev, "tvet") && strcmp(lev, "higher")) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "forecast-specialties: \"%s\": level \"%s\", expected tvet or higher",
					   ksp_stmt_column_text(st, 0), lev);
			break;
		}
		snprintf(lb->spec[lb->nspec], KSP_FC_CODE, "%s", ksp_stmt_column_text(st, 0));
		level[lb->nspec] = !strcmp(lev, "tvet") ? KSP_FC_TVET : KSP_FC_HIGHER;
		share[lb->nspec] = ksp_stmt_column_double(st, 2);
		lb->nspec++;
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

/*
 * Graduates where they will work (methodology.md): the shares of
 * graduate-destinations by level, study region and work region; a study
 * region without rows keeps its graduates, and one whose shares do not sum
 * to 1 (within 0.001) is refused.  The shares are scaled to sum to exactly
 * 1, then the graduates are moved (ksp_fc_graduates_to_work).
 */
static int load_destinations(struct ksp_fc_model *m, struct ksp_store *s, struct ksp_error *err)
{
	const int R = m->lb.nreg;
	double *dest = ksp_xcalloc((size_t)KSP_FC_NLEVEL * R * R, sizeof(double));
	struct ksp_stmt *st = NULL;
	int rc;

	rc = ksp_stmt_prepare(s, "SELECT study_region, work_region, level, share "
				 "FROM graduate_destination ORDER BY level, study_region, work_region",
			      &st, err);
	if (rc)
		goto out;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		int r = region_index(&m->lb, ksp_stmt_column_text(st, 0));
		int w = region_index(&m->lb, ksp_stmt_column_text(st, 1));
		int lev = strcmp(ksp_stmt_column_text(st, 2), "tvet") ? KSP_FC_HIGHER : KSP_FC_TVET;

		if (r < 0 || w < 0)
			continue;
		dest[((size_t)lev * R + r) * R + w] += ksp_stmt_column_double(st, 3);
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		goto out;
	rc = KSP_OK;
	for (int lev = 0; lev < KSP_FC_NLEVEL; lev++)
		for (int r = 0; r < R; r++) {
			double *row = dest + ((size_t)lev * R + r) * R, sum = 0;

			for (int w = 0; w < R; w++)
				sum += row[w];
			if (sum == 0) {
				row[r] = 1;
				continue;
			}
			if (fabs(sum - 1) > 0.001) {
				rc = ksp_error_set(err, KSP_EINVAL,
						   "graduate-destinations: the shares of the %s graduates "
						   "of %s sum to %g, not 1",
						   lev == KSP_FC_TVET ? "tvet" : "higher", m->lb.iso[r], sum);
				goto out;
			}
			for (int w = 0; w < R; w++)
				row[w] /= sum;
		}
	ksp_fc_graduates_to_work(&m->in, dest);
out:
	free(dest);
	return rc;
}

int ksp_fc_model_load(struct ksp_fc_model *m, struct ksp_store *s, const char *scenario,
		      int target_year, struct ksp_error *err)
{
	static const char *const cols_as[] = { "name", "key", "value", NULL };
	static const char *const inputs[] = { "regions", "occupations", "population",
					      "labour-force", "employment", "forecast-assumptions",
					      "forecast-staffing", "forecast-specialties",
					      "forecast-flexibility", "forecast-projects",
					      "graduate-destinations", NULL };
	struct ksp_fc_labels *lb = &m->lb;
	struct ksp_fc_input *in = &m->in;
	struct ksp_fc_dims d;
	struct tab as = { 0 };
	double base_d, *emp = NULL, lf[KSP_FC_MAX_REG] = { 0 }, ur[KSP_FC_MAX_REG] = { 0 };
	double *unitw = NULL, *w = NULL, mig_prof[KSP_FC_MAX_AGE], glo[KSP_FC_MAX_GROUP];
	double mort_k = 1, spec_share[KSP_FC_MAX_SPEC];
	int rc, base, A = 101, spec_level[KSP_FC_MAX_SPEC];

	memset(m, 0, sizeof(*m));
	ksp_strbuf_init(&m->calibration, 256);
	ksp_strbuf_init(&m->assumptions, 256);

	for (const char *const *t = inputs + 5; *t && strcmp(*t, "forecast-projects"); t++)
		if ((rc = need_rows(s, *t, err)))
			goto out;
	if ((rc = tab_load(&as, s, "forecast-assumptions",
			   "SELECT name, key, value FROM forecast_assumption ORDER BY name, key", cols_as,
			   err)))
		goto out;
	if ((rc = asm_get(&as, "base_year", NULL, &base_d, err)))
		goto out;
	base = (int)base_d;
	if (target_year == 0)
		target_year = base + 10;
	if (target_year <= base || target_year - base + 1 > KSP_FC_MAX_YEAR) {
		rc = ksp_error_set(err, KSP_EUSAGE, "target year %d: expected %d to %d", target_year,
				   base + 1, base + KSP_FC_MAX_YEAR - 1);
		goto out;
	}
	if ((rc = load_params(m, s, scenario, err)) || (rc = load_regions(lb, s, err)) ||
	    (rc = load_occupations(lb, s, err)) || (rc = load_employment(m, s, base, &emp, err)))
		goto out;

	/* participation age groups, by their lower bounds */
	for (int r = 0; r < as.rows; r++) {
		double v;
		int g;

		if (strcmp(tab_get(&as, r, "name"), "age_group"))
			continue;
		if (lb->ngroup >= KSP_FC_MAX_GROUP) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "over %d age groups", KSP_FC_MAX_GROUP);
			goto out;
		}
		if ((rc = tab_num(&as, r, "value", &v, err)))
			goto out;
		for (g = lb->ngroup; g > 0 && glo[g - 1] > v; g--) {
			glo[g] = glo[g - 1];
			memcpy(lb->group[g], lb->group[g - 1], KSP_FC_CODE);
		}
		snprintf(lb->group[g], KSP_FC_CODE, "%s", tab_get(&as, r, "key"));
		glo[g] = v;
		lb->ngroup++;
	}
	if (lb->ngroup < 1) {
		rc = ksp_error_set(err, KSP_EINVAL, "forecast-assumptions: no age_group rows");
		goto out;
	}
	if ((rc = load_specialties(lb, s, spec_level, spec_share, err)))
		goto out;
	for (const char *const *t = inputs; *t; t++)
		if ((rc = ksp_fc_model_record_input(m, s, *t, err)))
			goto out;

	d.nreg = lb->nreg;
	d.nage = A;
	d.nyear = target_year - base + 1;
	d.base_year = base;
	d.nind = lb->nind;
	d.nocc = lb->nocc;
	d.nmajor = 10;
	d.ngroup = lb->ngroup;
	d.nspec = lb->nspec;
	ksp_fc_input_init(in, &d);
	memcpy(in->emp_ind0, emp, (size_t)lb->nreg * lb->nind * sizeof(double));
	for (int a = 0; a < A; a++) {
		in->age_group[a] = -1;
		for (int g = 0; g < lb->ngroup; g++)
			if (a >= glo[g])
				in->age_group[a] = g;
	}
	for (int o = 0; o < lb->nocc; o++)
		in->occ_major[o] = lb->occ[o][0] - '0';

	if ((rc = load_population(m, s, base, err)) || (rc = load_labour(m, s, base, lf, ur, err)))
		goto out;

	/* ---- 1. mortality: Gompertz-Makeham, one level fitted to the deaths ---- */
	{
		double q0[2], mk[2], gb[2], gc[2], a0, target, births, lo = 0.05, hi = 20, k = 1;
		double sv[2][KSP_FC_MAX_AGE], svb[2], e0[2];
		const char *sx[2] = { "male", "female" };

		for (int sxi = 0; sxi < 2; sxi++)
			if ((rc = asm_get(&as, "mortality.q0", sx[sxi], &q0[sxi], err)) ||
			    (rc = asm_get(&as, "mortality.makeham", sx[sxi], &mk[sxi], err)) ||
			    (rc = asm_get(&as, "mortality.gompertz_b", sx[sxi], &gb[sxi], err)) ||
			    (rc = asm_get(&as, "mortality.gompertz_c", sx[sxi], &gc[sxi], err)))
				goto out;
		if ((rc = asm_get(&as, "mortality.infant_a0", NULL, &a0, err)) ||
		    (rc = asm_get(&as, "mortality.calibrate_deaths", "KZ", &target, err)) ||
		    (rc = asm_get(&as, "fertility.calibrate_births", "KZ", &births, err)))
			goto out;
		/* deaths(k) of the base population and the year's births rise with k: bisection */
		for (int it = 0; it < 100; it++) {
			double dth = 0;

			k = sqrt(lo * hi);
			for (int sxi = 0; sxi < 2; sxi++) {
				ksp_fc_life_table(q0[sxi], mk[sxi], gb[sxi], gc[sxi], a0, k, A, NULL,
						  sv[sxi], &svb[sxi], NULL);
				for (int r = 0; r < lb->nreg; r++)
					for (int a = 0; a < A; a++)
						dth += in->pop0[((size_t)r * 2 + sxi) * A + a] *
						       (1.0 - sv[sxi][a]);
				dth += births * (sxi == 0 ? 0.5146 : 0.4854) * (1.0 - svb[sxi]);
			}
			if (dth > target)
				hi = k;
			else
				lo = k;
		}
		mort_k = k;
		for (int sxi = 0; sxi < 2; sxi++) {
			ksp_fc_life_table(q0[sxi], mk[sxi], gb[sxi], gc[sxi], a0, k, A, NULL, sv[sxi],
					  &svb[sxi], &e0[sxi]);
			for (int r = 0; r < lb->nreg; r++) {
				memcpy(in->surv + ((size_t)r * 2 + sxi) * A, sv[sxi], (size_t)A * sizeof(double));
				in->surv_birth[r * 2 + sxi] = svb[sxi];
			}
		}
		ksp_strbuf_addf(&m->calibration,
				"mortality_level=%.6f (deaths %s %.0f)\nlife_expectancy_male=%.2f\n"
				"life_expectancy_female=%.2f\n",
				k, "2025", target, e0[0], e0[1]);
	}

	/* ---- 1. fertility: a normal age curve, levels fitted to births ---- */
	{
		double mean, sd, srb, births, cbr_nat, pop_nat = 0, shape[KSP_FC_MAX_AGE], ssum = 0;
		double breg[KSP_FC_MAX_REG], known = 0, rest_expo = 0, trend;
		int has[KSP_FC_MAX_REG] = { 0 };

		if ((rc = asm_get(&as, "fertility.mean_age", NULL, &mean, err)) ||
		    (rc = asm_get(&as, "fertility.sd_age", NULL, &sd, err)) ||
		    (rc = asm_get(&as, "fertility.srb", NULL, &srb, err)) ||
		    (rc = asm_get(&as, "fertility.calibrate_births", "KZ", &births, err)) ||
		    (rc = asm_get(&as, "fertility.cbr_2024", "KZ", &cbr_nat, err)) ||
		    (rc = param_value(m, scenario, "fertility.trend", &trend, err)))
			goto out;
		in->srb = srb;
		for (int a = 0; a < A; a++) {
			double x = (a - mean) / sd;

			shape[a] = a >= 15 && a <= 49 ? ksp_fc_exp(-0.5 * x * x) : 0;
			ssum += shape[a];
		}
		for (int a = 0; a < A; a++)
			shape[a] /= ssum; /* sums to 1: asfr = TFR x shape */
		for (int r = 0; r < lb->nreg; r++)
			for (int sxi = 0; sxi < 2; sxi++)
				for (int a = 0; a < A; a++)
					pop_nat += in->pop0[((size_t)r * 2 + sxi) * A + a];
		/* regions with a published crude birth rate: births = P cbr_r / cbr_nat x B / P */
		for (int r = 0; r < lb->nreg; r++) {
			double cbr, pr = 0;

			for (int i = 0; i < 2 * A; i++)
				pr += in->pop0[(size_t)r * 2 * A + i];
			breg[r] = 0;
			if (asm_get(&as, "fertility.cbr_2024", lb->iso[r], &cbr, NULL) == KSP_OK) {
				breg[r] = pr * (cbr / cbr_nat) * (births / pop_nat);
				known += breg[r];
				has[r] = 1;
			} else {
				for (int a = 0; a < A; a++)
					rest_expo += shape[a] * in->pop0[((size_t)r * 2 + 1) * A + a];
			}
		}
		for (int r = 0; r < lb->nreg; r++) {
			double expo = 0, tfr;

			for (int a = 0; a < A; a++)
				expo += shape[a] * in->pop0[((size_t)r * 2 + 1) * A + a];
			if (!has[r])
				breg[r] = (births - known) * (rest_expo > 0 ? expo / rest_expo : 0);
			tfr = expo > 0 ? breg[r] / expo : 0;
			for (int a = 0; a < A; a++)
				in->asfr[(size_t)r * A + a] = tfr * shape[a];
			ksp_strbuf_addf(&m->calibration, "tfr_%s=%.3f\n", lb->iso[r], tfr);
		}
		for (int t = 0; t < d.nyear; t++) {
			double f = 1;

			for (int i = 0; i < t; i++)
				f *= 1.0 + trend;
			in->fert_mult[t] = f;
		}
	}

	/* ---- 1. migration: internal balances summing to zero, external by population ---- */
	{
		double scale_int, ext, bal[KSP_FC_MAX_REG] = { 0 }, gain = 0, lose_pop = 0;
		double popr[KSP_FC_MAX_REG] = { 0 }, pop_nat = 0, sum;
		int gainer[KSP_FC_MAX_REG] = { 0 }, last = -1;

		if ((rc = migration_profile(&as, A, mig_prof, err)) ||
		    (rc = param_value(m, scenario, "migration.internal_scale", &scale_int, err)) ||
		    (rc = param_value(m, scenario, "migration.external", &ext, err)))
			goto out;
		for (int r = 0; r < lb->nreg; r++) {
			for (int i = 0; i < 2 * A; i++)
				popr[r] += in->pop0[(size_t)r * 2 * A + i];
			pop_nat += popr[r];
			if (asm_get(&as, "migration.internal_2024", lb->iso[r], &bal[r], NULL) == KSP_OK) {
				gainer[r] = 1;
				gain += bal[r];
			}
		}
		for (int r = 0; r < lb->nreg; r++)
			if (!gainer[r]) {
				lose_pop += popr[r];
				last = r;
			}
		/* the others lose the gainers' total in proportion to their population;
		   the last one takes the rounding, so the balances sum to exactly zero */
		sum = 0;
		for (int r = 0; r < lb->nreg; r++) {
			if (!gainer[r] && r != last)
				bal[r] = -gain * popr[r] / lose_pop;
			if (r != last)
				sum += bal[r];
		}
		if (last >= 0)
			bal[last] = -sum;
		for (int t = 1; t < d.nyear; t++)
			for (int sxi = 0; sxi < 2; sxi++)
				for (int a = 0; a < A; a++) {
					double col = 0;

					for (int r = 0; r < lb->nreg; r++) {
						size_t c = (((size_t)t * lb->nreg + r) * 2 + sxi) * A + a;

						in->mig_ext[c] = ext * popr[r] / pop_nat * 0.5 * mig_prof[a];
						if (r == last)
							continue;
						in->mig_int[c] = bal[r] * scale_int * 0.5 * mig_prof[a];
						col += in->mig_int[c];
					}
					if (last >= 0)
						in->mig_int[(((size_t)t * lb->nreg + last) * 2 + sxi) * A + a] = -col;
				}
		ksp_strbuf_addf(&m->calibration, "internal_migration_gainers=%.0f\n", gain);
	}

	/* ---- 2. participation: a national shape scaled to each region's labour force ---- */
	{
		double shape[2][KSP_FC_MAX_GROUP];

		for (int sxi = 0; sxi < 2; sxi++)
			for (int g = 0; g < lb->ngroup; g++) {
				char key[64];

				snprintf(key, sizeof(key), "%s:%s", sxi ? "female" : "male", lb->group[g]);
				if ((rc = asm_get(&as, "participation", key, &shape[sxi][g], err)))
					goto out;
				if (!(shape[sxi][g] > 0 && shape[sxi][g] < 1)) {
					rc = ksp_error_set(err, KSP_EINVAL,
							   "forecast-assumptions: participation %s = "
							   "%g, expected a rate strictly between 0 and 1",
							   key, shape[sxi][g]);
					goto out;
				}
			}
		double deltas[KSP_FC_MAX_REG + 1], lf_nat = 0, share_inactive = 0, draw = 0;

		/* each region's rates: logit(p) = logit(shape) + delta_r, delta_r fitted by
		   bisection so that the labour force is the published one (a shift on the
		   logit scale keeps every rate below 1, unlike a plain scale factor); the
		   same fit on the whole country (r = nreg) gives the national shift */
		for (int r = 0; r < lb->nreg; r++)
			lf_nat += lf[r];
		for (int r = 0; r <= lb->nreg; r++) {
			double lo = -5, hi = 5, delta = 0;

			for (int it = 0; it < 100; it++) {
				double model = 0;

				delta = 0.5 * (lo + hi);
				for (int q = 0; q < lb->nreg; q++) {
					if (r < lb->nreg && q != r)
						continue;
					for (int sxi = 0; sxi < 2; sxi++)
						for (int a = 0; a < A; a++) {
							int g = in->age_group[a];
							double p, e;

							if (g < 0)
								continue;
							p = shape[sxi][g];
							e = ksp_fc_exp(ksp_fc_log(p / (1 - p)) + delta);
							model += e / (1 + e) *
								 in->pop0[((size_t)q * 2 + sxi) * A + a];
						}
				}
				if (model > (r < lb->nreg ? lf[r] : lf_nat))
					hi = delta;
				else
					lo = delta;
			}
			deltas[r] = delta;
		}
		/* the labour reserve (methodology.md, "The labour reserve"): a region whose
		   participation is below the country's at the same ages and sexes has
		   people outside the labour force the country's rates would count in it;
		   a share of them (an assumption) would take a job.  Both numbers are
		   optional: without them there is no reserve beyond the unemployed, and
		   none of it is drawn */
		if (asm_get(&as, "reserve.inactive_share", NULL, &share_inactive, NULL) != KSP_OK)
			share_inactive = 0;
		if (param_find(m, "reserve.draw"))
			(void)param_value(m, scenario, "reserve.draw", &draw, NULL);
		if (!(share_inactive >= 0 && share_inactive <= 1) || !(draw >= 0 && draw <= 1)) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "reserve.inactive_share %g or reserve.draw %g is not a share "
					   "between 0 and 1",
					   share_inactive, draw);
			goto out;
		}
		in->reserve_draw = draw;
		ksp_strbuf_addf(&m->calibration, "participation_logit_shift_national=%.4f\n",
				deltas[lb->nreg]);
		for (int r = 0; r < lb->nreg; r++) {
			double gap = 0;

			if (deltas[r] >= deltas[lb->nreg])
				continue;
			for (int sxi = 0; sxi < 2; sxi++)
				for (int a = 0; a < A; a++) {
					int g = in->age_group[a];
					double p, en, er;

					if (g < 0)
						continue;
					p = shape[sxi][g];
					en = ksp_fc_exp(ksp_fc_log(p / (1 - p)) + deltas[lb->nreg]);
					er = ksp_fc_exp(ksp_fc_log(p / (1 - p)) + deltas[r]);
					gap += (en / (1 + en) - er / (1 + er)) *
					       in->pop0[((size_t)r * 2 + sxi) * A + a];
				}
			in->reserve0[r] = share_inactive * gap;
			ksp_strbuf_addf(&m->calibration, "reserve_inactive_%s=%.0f\n", lb->iso[r],
					in->reserve0[r]);
		}
		for (int r = 0; r < lb->nreg; r++) {
			const double delta = deltas[r];

			for (int sxi = 0; sxi < 2; sxi++)
				for (int g = 0; g < lb->ngroup; g++) {
					double p = shape[sxi][g];
					double e = ksp_fc_exp(ksp_fc_log(p / (1 - p)) + delta);

					in->part[((size_t)r * 2 + sxi) * lb->ngroup + g] = e / (1 + e);
				}
			in->unemp[r] = ur[r];
			ksp_strbuf_addf(&m->calibration, "participation_logit_shift_%s=%.4f\n", lb->iso[r],
					delta);
		}
	}

	/* ---- 3. demand: growth by section, the staffing matrix ---- */
	{
		w = ksp_xcalloc((size_t)lb->nind * 100, sizeof(double));
		if ((rc = read_submajor_matrix(s, "forecast-staffing", "forecast_staffing", "section",
					       lb->ind, lb->nind, w, err)))
			goto out;
		for (int i = 0; i < lb->nind; i++) {
			double rsum = 0, g;
			char name[32];

			for (int sm = 0; sm < 100; sm++)
				rsum += w[i * 100 + sm];
			if (rsum <= 0) {
				rc = ksp_error_set(err, KSP_EINVAL,
						   "forecast-staffing: no weights for section \"%s\"",
						   lb->ind[i]);
				goto out;
			}
			spread_submajor(lb, w + i * 100, NULL, in->staffing + (size_t)i * lb->nocc);
			snprintf(name, sizeof(name), "growth.%s", lb->ind[i]);
			if ((rc = param_value(m, scenario, name, &g, err)))
				goto out;
			for (int t = 1; t < d.nyear; t++)
				in->growth[(size_t)t * lb->nind + i] = g;
		}
		free(w);
		w = NULL;
		/* base-year national demand by unit group: weights of the spreads below */
		unitw = ksp_xcalloc((size_t)lb->nocc, sizeof(double));
		for (int r = 0; r < lb->nreg; r++)
			for (int i = 0; i < lb->nind; i++)
				for (int o = 0; o < lb->nocc; o++)
					unitw[o] += in->emp_ind0[r * lb->nind + i] *
						    in->staffing[(size_t)i * lb->nocc + o];
	}

	/* ---- 3. investment projects ---- */
	if ((rc = load_projects(m, s, unitw, base, d.nyear, err)))
		goto out;

	/* ---- 4. exits by sex and age, transfers and age mix by major group ---- */
	{
		double q[2][KSP_FC_MAX_AGE], other[2][KSP_FC_MAX_AGE] = { { 0 } }, retire[2], after[2],
						       after70[2], mult, tmult;
		double q0, mk, gb, gc, a0;
		const char *sx[2] = { "male", "female" };

		if ((rc = param_value(m, scenario, "exits.multiplier", &mult, err)) ||
		    (rc = param_value(m, scenario, "transfers.multiplier", &tmult, err)) ||
		    (rc = asm_get(&as, "mortality.infant_a0", NULL, &a0, err)))
			goto out;
		for (int sxi = 0; sxi < 2; sxi++) {
			double dummy[KSP_FC_MAX_AGE];

			if ((rc = asm_get(&as, "mortality.q0", sx[sxi], &q0, err)) ||
			    (rc = asm_get(&as, "mortality.makeham", sx[sxi], &mk, err)) ||
			    (rc = asm_get(&as, "mortality.gompertz_b", sx[sxi], &gb, err)) ||
			    (rc = asm_get(&as, "mortality.gompertz_c", sx[sxi], &gc, err)) ||
			    (rc = asm_get(&as, "exit.retire", sx[sxi], &retire[sxi], err)) ||
			    (rc = asm_get(&as, "exit.after", sx[sxi], &after[sxi], err)) ||
			    (rc = asm_get(&as, "exit.after70", sx[sxi], &after70[sxi], err)))
				goto out;
			ksp_fc_life_table(q0, mk, gb, gc, a0, mort_k, A, q[sxi], dummy, NULL, NULL);
		}
		for (int r = 0; r < as.rows; r++) {
			int sxi, lo, hi;
			double v;

			if (strcmp(tab_get(&as, r, "name"), "exit.other"))
				continue;
			if (parse_band(tab_get(&as, r, "key"), &sxi, &lo, &hi)) {
				rc = ksp_error_at(err, KSP_EINVAL, as.name, as.line[r], 2, "key",
						  "expected SEX:AGE-AGE, got \"%s\"", tab_get(&as, r, "key"));
				goto out;
			}
			if ((rc = tab_num(&as, r, "value", &v, err)))
				goto out;
			for (int a = lo; a <= hi && a < A; a++)
				other[sxi][a] = v;
		}
		for (int t = 0; t < d.nyear; t++)
			for (int sxi = 0; sxi < 2; sxi++) {
				double R = retirement_age(&as, sxi, base + t), f = R - floor(R);
				double dR = R - retirement_age(&as, sxi, base + t - 1), h;
				int ra = (int)floor(R);

				/* cohort flows: while the age rises by dR a calendar year, a year holds
				   the birthdays of 1 / (1 + dR) of a birth cohort reaching it, so the
				   hazard at the pension age falls on that share (docs/methodology.md,
				   "The ministry's need"); the others stay at the rate before it */
				dR = dR > 0 ? dR : 0;
				h = retire[sxi] / (1 + dR);
				for (int a = 0; a < A; a++) {
					const size_t k = ((size_t)t * 2 + sxi) * A + a;
					double e, eo, x;

					/* a retirement age of 61.5 retires half at 61, half at 62;
					   eo: the same with the retirement hazards at zero */
					if (a < ra) {
						e = eo = other[sxi][a];
					} else if (a == ra) {
						e = (1 - f) * h + f * other[sxi][a];
						eo = f * other[sxi][a];
					} else if (a == ra + 1) {
						e = f * h + (1 - f) * (a >= 70 ? after70[sxi] : after[sxi]);
						eo = 0;
					} else {
						e = a >= 70 ? after70[sxi] : after[sxi];
						eo = 0;
					}
					e *= mult;
					eo *= mult;
					if (e > 1)
						e = 1;
					if (eo > 1)
						eo = 1;
					x = 1.0 - (1.0 - q[sxi][a]) * (1.0 - e);
					in->exit_prob[k] = x;
					/* the exits by cause (docs/methodology.md, "The ministry's
					   need"): retirements are what the exits lose with the
					   retirement hazards at zero, deaths the exits with every
					   other hazard at zero */
					in->exit_retire[k] = x - (1.0 - (1.0 - q[sxi][a]) * (1.0 - eo));
					in->exit_death[k] = q[sxi][a];
				}
			}
		for (int mj = 0; mj < 10; mj++) {
			char key[8];
			double tr;
			int found = 0;

			snprintf(key, sizeof(key), "%d", mj);
			if ((rc = asm_get(&as, "transfer", key, &tr, err)))
				goto out;
			for (int o = 0; o < lb->nocc; o++)
				if (in->occ_major[o] == mj)
					in->transfer_rate[o] = tr * tmult > 1 ? 1 : tr * tmult;
			for (int r = 0; r < as.rows && !found; r++) {
				const char *v = tab_get(&as, r, "value");
				char *end;
				int g = 0;

				if (strcmp(tab_get(&as, r, "name"), "age_tilt") ||
				    strcmp(tab_get(&as, r, "key"), key))
					continue;
				found = 1;
				while (*v && g < lb->ngroup) {
					in->age_tilt[mj * lb->ngroup + g++] = strtod(v, &end);
					if (end == v)
						break;
					v = *end == ';' ? end + 1 : end;
				}
				if (g != lb->ngroup) {
					rc = ksp_error_at(err, KSP_EINVAL, as.name, as.line[r], 3, "value",
							  "age_tilt %s: expected %d numbers separated by ';'",
							  key, lb->ngroup);
					goto out;
				}
			}
			if (!found)
				for (int g = 0; g < lb->ngroup; g++)
					in->age_tilt[mj * lb->ngroup + g] = 1;
		}
	}

	/* ---- 5. graduates by specialty, region and year; the flexibility matrix ---- */
	{
		double ent_t, ent_h, grad_h, adm_g, dur, comp_s, comp_p, gt_pub[2], regw[KSP_FC_MAX_REG];
		double regsum = 0;

		if ((rc = param_value(m, scenario, "entry.tvet", &ent_t, err)) ||
		    (rc = param_value(m, scenario, "entry.higher", &ent_h, err)) ||
		    (rc = param_value(m, scenario, "graduates.higher", &grad_h, err)) ||
		    (rc = param_value(m, scenario, "admissions.tvet_growth", &adm_g, err)) ||
		    (rc = asm_get(&as, "tvet.duration", NULL, &dur, err)) ||
		    (rc = asm_get(&as, "tvet.completion", "state", &comp_s, err)) ||
		    (rc = asm_get(&as, "tvet.completion", "paid", &comp_p, err)) ||
		    (rc = asm_get(&as, "graduates.tvet", "2024", &gt_pub[0], err)) ||
		    (rc = asm_get(&as, "graduates.tvet", "2025", &gt_pub[1], err)))
			goto out;
		/* regions: population aged 18-22 */
		for (int r = 0; r < lb->nreg; r++) {
			regw[r] = 0;
			for (int sxi = 0; sxi < 2; sxi++)
				for (int a = 18; a <= 22 && a < A; a++)
					regw[r] += in->pop0[((size_t)r * 2 + sxi) * A + a];
			regsum += regw[r];
		}
		w = ksp_xcalloc((size_t)lb->nspec * 100, sizeof(double));
		if ((rc = read_submajor_matrix(s, "forecast-flexibility", "forecast_flexibility",
					       "specialty", lb->spec, lb->nspec, w, err)))
			goto out;
		for (int k = 0; k < lb->nspec; k++) {
			double share = spec_share[k], rsum = 0;

			in->spec_level[k] = spec_level[k];
			in->entry[k] = in->spec_level[k] == KSP_FC_TVET ? ent_t : ent_h;
			for (int sm = 0; sm < 100; sm++)
				rsum += w[k * 100 + sm];
			if (rsum <= 0) {
				rc = ksp_error_set(err, KSP_EINVAL,
						   "forecast-flexibility: no weights for specialty \"%s\"",
						   lb->spec[k]);
				goto out;
			}
			spread_submajor(lb, w + k * 100, unitw, in->flex + (size_t)k * lb->nocc);
			for (int t = 0; t < d.nyear; t++) {
				int y = base + t;
				double g;

				if (in->spec_level[k] == KSP_FC_HIGHER) {
					g = grad_h;
				} else if (y <= base) {
					g = gt_pub[1];
				} else {
					/* graduates = admissions (y - duration) x completion */
					int ay = y - (int)dur;
					double st, pd;
					char key[16];

					snprintf(key, sizeof(key), "%d", ay > base ? base : ay);
					if (asm_get(&as, "admissions.tvet_state", key, &st, NULL) ||
					    asm_get(&as, "admissions.tvet_paid", key, &pd, NULL)) {
						rc = ksp_error_set(err, KSP_EINVAL,
								   "forecast-assumptions: no TVET "
								   "admissions for %s",
								   key);
						goto out;
					}
					g = st * comp_s + pd * comp_p;
					for (int i = base; i < ay; i++)
						g *= 1.0 + adm_g;
				}
				for (int r = 0; r < lb->nreg; r++)
					in->graduates[((size_t)t * lb->nreg + r) * lb->nspec + k] =
						g * share * regw[r] / regsum;
			}
		}
	}
	/* ---- 5c. graduates where they will work ---- */
	if ((rc = load_destinations(m, s, err)))
		goto out;
	build_uncertain(m);
	rc = ksp_fc_input_check(in, err);
out:
	tab_free(&as);
	free(emp);
	free(unitw);
	free(w);
	if (rc)
		ksp_fc_model_release(m);
	return rc;
}

void ksp_fc_model_release(struct ksp_fc_model *m)
{
	ksp_fc_input_release(&m->in);
	free(m->lb.occ);
	free(m->unc);
	free(m->param);
	ksp_strbuf_release(&m->calibration);
	ksp_strbuf_release(&m->assumptions);
	memset(m, 0, sizeof(*m));
}

/*
 * params.c - the planners' parameters: defaults with their sources, and
 * the parameter file ("key = value" lines, '#' comments, blank lines).
 * docs/planning.md lists them; a change here is a change there.
 */
#include "plan/internal.h"

#include "kasip/csv.h"

const struct plan_param_def plan_migration_defs[] = {
	{ "willing", 0.10, 0, 1, "share",
	  "assumption: the share of a surplus willing to move in a year (no survey found)" },
	{ "family_size", 4.01, 1, 12, "persons per mover",
	  "1,634 persons in 407 families moved from Turkistan in 2025 (kz-facts 5)" },
	{ "road_factor", 1.3, 1, 3, "road km per great-circle km", "assumption" },
	{ "cost_per_km", 100, 0, 100000, "KZT per road km per family", "assumption: the move itself" },
	{ "relocation_mrp", 70, 0, 10000, "MRP per family member", "relocation subsidy (kz-facts 5)" },
	{ "employer_mrp", 400, 0, 10000, "MRP per mover", "employer subsidy (kz-facts 5)" },
	{ "rent_mrp_month", 15, 0, 1000, "MRP a month per family",
	  "rent and utilities, 15-30 MRP a month (kz-facts 5): the low end" },
	{ "rent_months", 12, 0, 60, "months", "rent support for 12 months (kz-facts 5)" },
	{ "housing_kzt", 0, 0, 1e9, "KZT per family", "assumption: the amount is not published" },
	{ "budget", 0, 0, 1e15, "KZT (0: no limit)", "the programme's budget for the year" },
	{ "min_movers", 0, 0, 1e7, "movers", "the least number of movers the plan must reach" },
	{ "shortage_value", 5e6, 0, 1e10, "KZT per vacancy filled",
	  "assumption: about a year's average wage; what filling a vacancy is worth" },
	{ "quota_scale", 1, 0, 100, "multiplier", "scales every region's quota" },
	{ "quota_kandas", 0, 0, 1, "0 or 1", "1: the kandas quota counts too" },
	{ "level", 0, 0, 4, "ISCO-08 level (0: the run's)", "occupations summed to this level" },
	{ "time_limit", 10, 0.1, 3600, "seconds", "the solver's time limit" },
};

const struct plan_param_def plan_orders_defs[] = {
	{ "places", 0, 0, 1e7, "places (0: last year's total)", "the total state order" },
	{ "budget", 0, 0, 1e15, "KZT a year (0: no limit)", "the funding for the intake's first year" },
	{ "working_share", 0, 0, 1, "share", "least share of places in working specialties" },
	{ "change", 0.25, 0, 10, "share of last year's places",
	  "assumption: how far a cell may move from last year's plan" },
	{ "cost_per_place", 912000, 0, 1e9, "KZT a year",
	  "average per-student funding raised to 912 k KZT (kz-facts 6); cost.GROUP = V per group" },
	{ "last_total", 145000, 0, 1e7, "places",
	  "145 k state-funded admissions 2025-26 (kz-facts 6), spread by population where no "
	  "college-specialties are imported" },
	{ "completion", 0.85, 0, 1, "share", "assumption: share of an intake that graduates" },
	{ "entry", 0.585, 0, 1, "share",
	  "92.9 k of 158.7 k TVET graduates of 2024 employed (kz-facts 6)" },
	{ "cost_weight", 1e-9, 0, 1, "shortage persons per KZT", "the small cost term" },
	{ "gap", 0.01, 1e-6, 0.5, "relative", "CBC stops within this gap" },
	{ "time_limit", 5, 0.1, 3600, "seconds", "the solver's time limit" },
};

static size_t ndefs_of(int kind)
{
	return kind == KSP_PLAN_MIGRATION ? sizeof(plan_migration_defs) / sizeof(plan_migration_defs[0])
					  : sizeof(plan_orders_defs) / sizeof(plan_orders_defs[0]);
}

void plan_params_init(struct plan_params *p, int kind)
{
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->defs = kind == KSP_PLAN_MIGRATION ? plan_migration_defs : plan_orders_defs;
	p->ndefs = ndefs_of(kind);
	for (size_t i = 0; i < p->ndefs; i++)
		p->v[i] = p->defs[i].def;
}

static int keyed_ok(const struct plan_params *p, const char *key)
{
	if (p->kind != KSP_PLAN_ORDERS || strncmp(key, "cost.", 5) || !key[5])
		return 0;
	for (const char *c = key + 5; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
			return 0;
	return strlen(key) < 64;
}

/* 0 ok, 1 unknown key, 2 out of range (def in *d). */
static int set_one(struct plan_params *p, const char *key, double value,
		   const struct plan_param_def **d)
{
	*d = NULL;
	for (size_t i = 0; i < p->ndefs; i++) {
		if (strcmp(p->defs[i].key, key))
			continue;
		*d = &p->defs[i];
		if (!(value >= p->defs[i].lo && value <= p->defs[i].hi))
			return 2;
		p->v[i] = value;
		return 0;
	}
	if (!keyed_ok(p, key))
		return 1;
	if (!(value >= 0 && value <= 1e9))
		return 2;
	for (size_t i = 0; i < p->nkeyed; i++)
		if (!strcmp(p->keyed[i].key, key)) {
			p->keyed[i].value = value;
			return 0;
		}
	if (p->nkeyed >= PLAN_MAX_KEYED)
		return 1;
	snprintf(p->keyed[p->nkeyed].key, sizeof(p->keyed[0].key), "%s", key);
	p->keyed[p->nkeyed++].value = value;
	return 0;
}

int plan_params_set(struct plan_params *p, const char *key, double value, struct ksp_error *err)
{
	const struct plan_param_def *d;

	switch (set_one(p, key, value, &d)) {
	case 0:
		return KSP_OK;
	case 1:
		return ksp_error_set(err, KSP_EUSAGE, "unknown parameter \"%s\"", key);
	default:
		if (d)
			return ksp_error_set(err, KSP_EINVAL, "%s: %g is out of range (%g to %g)", key,
					     value, d->lo, d->hi);
		return ksp_error_set(err, KSP_EINVAL, "%s: %g is out of range (%g to %g)", key, value,
				     0.0, 1e9);
	}
}

double plan_params_keyed(const struct plan_params *p, const char *key, double def)
{
	for (size_t i = 0; i < p->nkeyed; i++)
		if (!strcmp(p->keyed[i].key, key))
			return p->keyed[i].value;
	return def;
}

int plan_params_read(struct plan_params *p, const char *text, const char *file,
		     struct ksp_error *err)
{
	long line = 0;
	const char *s = text;

	while (*s) {
		const char *eol = strchr(s, '\n'), *e, *k0, *k1, *v0, *v1, *eq;
		char key[64], val[256];
		const struct plan_param_def *d;
		double value;

		line++;
		if (!eol)
			eol = s + strlen(s);
		e = eol;
		for (const char *h = s; h < eol; h++)
			if (*h == '#') {
				e = h;
				break;
			}
		k0 = s;
		while (k0 < e && isspace((unsigned char)*k0))
			k0++;
		if (k0 == e)
			goto next;
		eq = memchr(k0, '=', (size_t)(e - k0));
		if (!eq)
			return ksp_error_at(err, KSP_EINVAL, file, line, (long)(k0 - s) + 1, NULL,
					    "expected \"key = value\"");
		k1 = eq;
		while (k1 > k0 && isspace((unsigned char)k1[-1]))
			k1--;
		v0 = eq + 1;
		while (v0 < e && isspace((unsigned char)*v0))
			v0++;
		v1 = e;
		while (v1 > v0 && isspace((unsigned char)v1[-1]))
			v1--;
		if (k1 == k0 || (size_t)(k1 - k0) >= sizeof(key))
			return ksp_error_at(err, KSP_EINVAL, file, line, (long)(k0 - s) + 1, NULL,
					    "expected a parameter's name before '='");
		memcpy(key, k0, (size_t)(k1 - k0));
		key[k1 - k0] = 0;
		if ((size_t)(v1 - v0) >= sizeof(val) || v1 == v0)
			return ksp_error_at(err, KSP_EINVAL, file, line, (long)(v0 - s) + 1, key,
					    "expected a number after '='");
		memcpy(val, v0, (size_t)(v1 - v0));
		val[v1 - v0] = 0;
		if (ksp_parse_double(val, &value))
			return ksp_error_at(err, KSP_EINVAL, file, line, (long)(v0 - s) + 1, key,
					    "expected a number, got \"%s\"", val);
		switch (set_one(p, key, value, &d)) {
		case 0:
			break;
		case 1:
			return ksp_error_at(err, KSP_EINVAL, file, line, (long)(k0 - s) + 1, key,
					    "unknown parameter \"%s\"", key);
		default:
			return ksp_error_at(err, KSP_EINVAL, file, line, (long)(v0 - s) + 1, key,
					    "expected a number from %g to %g, got \"%s\"",
					    d ? d->lo : 0.0, d ? d->hi : 1e9, val);
		}
next:
		s = *eol ? eol + 1 : eol;
	}
	return KSP_OK;
}

void plan_params_write(const struct plan_params *p, struct ksp_strbuf *sb)
{
	for (size_t i = 0; i < p->ndefs; i++)
		ksp_strbuf_addf(sb, "%s = %.10g\n", p->defs[i].key, p->v[i]);
	for (size_t i = 0; i < p->nkeyed; i++)
		ksp_strbuf_addf(sb, "%s = %.10g\n", p->keyed[i].key, p->keyed[i].value);
}

int ksp_plan_params_check(int kind, const char *text, const char *file, struct ksp_error *err)
{
	struct plan_params p;

	if (kind != KSP_PLAN_MIGRATION && kind != KSP_PLAN_ORDERS)
		return ksp_error_set(err, KSP_EUSAGE, "unknown kind of plan %d", kind);
	plan_params_init(&p, kind);
	return plan_params_read(&p, text, file, err);
}

int ksp_plan_param_check(int kind, const char *key, double value, struct ksp_error *err)
{
	struct plan_params p;

	if (kind != KSP_PLAN_MIGRATION && kind != KSP_PLAN_ORDERS)
		return ksp_error_set(err, KSP_EUSAGE, "unknown kind of plan %d", kind);
	plan_params_init(&p, kind);
	return plan_params_set(&p, key, value, err);
}

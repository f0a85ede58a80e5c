/*
 * rules.c - the class and outlook rules of the atlas (docs/methodology.md,
 * "Atlas classes and outlook"): their names, shipped values and ranges, the
 * table atlas_rule, and the classification itself, which the atlas and the
 * forecast's Monte Carlo draws share so that a class and its probability
 * come from the same rule.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "atlas/internal.h"
#include "kasip/i18n.h"
#include "store/store.h"
#include "util/xmalloc.h"

const struct ksp_atlas_rule_def ksp_atlas_rule_defs[KSP_AR_NRULE] = {
	{ "in_demand.min_shortage_ratio", 0.05, "fraction", 0.0, 10.0,
	  KSP_N_("in demand: the cumulative shortage is at least this share of target-year employment") },
	{ "in_demand.min_over_region", 0.0, "fraction", -10.0, 10.0,
	  KSP_N_("in demand: and the shortage ratio is at least this much above the region's") },
	{ "emerging.min_growth", 0.25, "fraction", 0.0, 100.0,
	  KSP_N_("emerging: employment grows at least this much over the period") },
	{ "emerging.min_growth_over_region", 0.10, "fraction", 0.0, 100.0,
	  KSP_N_("emerging: and at least this much faster than the region's employment") },
	{ "emerging.min_project_share", 0.10, "fraction", 0.0, 100.0,
	  KSP_N_("emerging (or): investment projects add at least this share of base-year employment") },
	{ "emerging.max_base_share", 0.02, "fraction", 0.0, 1.0,
	  KSP_N_("emerging: only from a small base, at most this share of the region's employment") },
	{ "declining.max_growth", -0.05, "fraction", -1.0, 0.0,
	  KSP_N_("declining: employment changes by at most this much (a fall) over the period") },
	{ "declining.max_over_region", 0.0, "fraction", -10.0, 10.0,
	  KSP_N_("declining: and the shortage ratio is at most this much above the region's (a relative surplus)") },
	{ "outlook.very_good.min_over_region", 0.05, "fraction", -10.0, 10.0,
	  KSP_N_("outlook 5 (very good) from this shortage ratio over the region's") },
	{ "outlook.good.min_over_region", 0.02, "fraction", -10.0, 10.0,
	  KSP_N_("outlook 4 (good) from this shortage ratio over the region's") },
	{ "outlook.moderate.min_over_region", -0.02, "fraction", -10.0, 10.0,
	  KSP_N_("outlook 3 (moderate) from this shortage ratio over the region's") },
	{ "outlook.limited.min_over_region", -0.05, "fraction", -10.0, 10.0,
	  KSP_N_("outlook 2 (limited) from this shortage ratio over the region's; below it 1 (very limited)") },
	{ "outlook.up.min_growth", 0.20, "fraction", 0.0, 100.0,
	  KSP_N_("outlook one step up (at most 5) when employment grows at least this much") },
	{ "outlook.down.max_growth", -0.10, "fraction", -1.0, 0.0,
	  KSP_N_("outlook one step down (at least 1) when employment changes by at most this much") },
};

static const char *const class_id[KSP_ATLAS_NCLASS] = { "in_demand", "emerging", "stable",
							  "declining" };
static const char *const class_label[KSP_ATLAS_NCLASS] = {
	KSP_N_("In demand"), KSP_N_("Emerging"), KSP_N_("Stable"), KSP_N_("Declining")
};
static const char *const outlook_label[5] = { KSP_N_("Very limited"), KSP_N_("Limited"),
					      KSP_N_("Moderate"), KSP_N_("Good"),
					      KSP_N_("Very good") };

const char *ksp_atlas_class_id(int cls)
{
	return cls >= 0 && cls < KSP_ATLAS_NCLASS ? class_id[cls] : NULL;
}

const char *ksp_atlas_class_label(int cls)
{
	return cls >= 0 && cls < KSP_ATLAS_NCLASS ? class_label[cls] : NULL;
}

int ksp_atlas_class_parse(const char *id)
{
	for (int i = 0; id && i < KSP_ATLAS_NCLASS; i++)
		if (!strcmp(id, class_id[i]))
			return i;
	return -1;
}

const char *ksp_atlas_outlook_label(int outlook)
{
	return outlook >= 1 && outlook <= 5 ? outlook_label[outlook - 1] : NULL;
}

void ksp_atlas_rule_values(const struct ksp_atlas_rule *rules, size_t n, double v[KSP_AR_NRULE])
{
	for (int k = 0; k < KSP_AR_NRULE; k++) {
		v[k] = ksp_atlas_rule_defs[k].def;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(rules[i].name, ksp_atlas_rule_defs[k].name))
				v[k] = rules[i].value;
	}
}

/*
 * The rules, tried in order (methodology.md, "Atlas classes and outlook").
 * Ratios to an employment of 0 are taken as 0, except growth from a zero
 * base to a positive target, which is unbounded growth (a new occupation).
 */
int ksp_atlas_classify_v(const double v[KSP_AR_NRULE], double emp_base, double emp_target,
			 double balance, double project_jobs, double region_emp_base,
			 double region_emp_target, double region_balance, int *outlook)
{
	const double sr = emp_target > 0 ? -balance / emp_target : 0;
	const double rsr = region_emp_target > 0 ? -region_balance / region_emp_target : 0;
	const double over = sr - rsr;
	const double growth = emp_base > 0	      ? (emp_target - emp_base) / emp_base
			      : emp_target > 0 ? INFINITY
					       : 0;
	const double rgrowth =
		region_emp_base > 0 ? (region_emp_target - region_emp_base) / region_emp_base : 0;
	const double base_share = region_emp_base > 0 ? emp_base / region_emp_base : 0;
	const double proj_share = emp_base > 0 ? project_jobs / emp_base
				  : project_jobs > 0 ? INFINITY
						     : 0;
	int cls, o;

	if (emp_target > 0 && sr >= v[KSP_AR_IN_DEMAND_MIN_SR] && over >= v[KSP_AR_IN_DEMAND_MIN_OVER])
		cls = KSP_ATLAS_IN_DEMAND;
	else if (base_share <= v[KSP_AR_EMERGING_MAX_BASE] &&
		 ((growth >= v[KSP_AR_EMERGING_MIN_GROWTH] &&
		   growth - rgrowth >= v[KSP_AR_EMERGING_MIN_REL]) ||
		  (project_jobs > 0 && proj_share >= v[KSP_AR_EMERGING_MIN_PROJECT])))
		cls = KSP_ATLAS_EMERGING;
	else if (emp_base > 0 && growth <= v[KSP_AR_DECLINING_MAX_GROWTH] &&
		 over <= v[KSP_AR_DECLINING_MAX_OVER])
		cls = KSP_ATLAS_DECLINING;
	else
		cls = KSP_ATLAS_STABLE;
	if (outlook) {
		o = over >= v[KSP_AR_OUTLOOK5_MIN_SR]	? 5
		    : over >= v[KSP_AR_OUTLOOK4_MIN_SR] ? 4
		    : over >= v[KSP_AR_OUTLOOK3_MIN_SR] ? 3
		    : over >= v[KSP_AR_OUTLOOK2_MIN_SR] ? 2
							: 1;
		if (growth >= v[KSP_AR_OUTLOOK_UP_GROWTH] && o < 5)
			o++;
		else if (emp_base > 0 && growth <= v[KSP_AR_OUTLOOK_DOWN_GROWTH] && o > 1)
			o--;
		*outlook = o;
	}
	return cls;
}

int ksp_atlas_classify(const struct ksp_atlas_rule *rules, size_t nrules, double emp_base,
		       double emp_target, double balance, double project_jobs,
		       double region_emp_base, double region_emp_target, double region_balance,
		       int *outlook)
{
	double v[KSP_AR_NRULE];

	ksp_atlas_rule_values(rules, nrules, v);
	return ksp_atlas_classify_v(v, emp_base, emp_target, balance, project_jobs,
				    region_emp_base, region_emp_target, region_balance, outlook);
}

void ksp_atlas_rules_version(const double v[KSP_AR_NRULE], char out[17])
{
	uint64_t h = 1469598103934665603ull;
	char buf[128];

	for (int k = 0; k < KSP_AR_NRULE; k++) {
		int len = snprintf(buf, sizeof(buf), "%s=%.17g\n", ksp_atlas_rule_defs[k].name, v[k]);

		for (int i = 0; i < len; i++) {
			h ^= (unsigned char)buf[i];
			h *= 1099511628211ull;
		}
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int ksp_atlas_rules_list(struct ksp_store *s, struct ksp_atlas_rule **out, size_t *n,
			 char version[17], struct ksp_error *err)
{
	struct ksp_atlas_rule *r = ksp_xcalloc(KSP_AR_NRULE, sizeof(*r));
	struct ksp_stmt *st = NULL;
	double v[KSP_AR_NRULE];
	int rc, seen[KSP_AR_NRULE] = { 0 };

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(s, "SELECT name, value, unit, source_id FROM atlas_rule", &st, err);
	if (rc)
		goto out;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *name = ksp_stmt_column_text(st, 0);
		double x = ksp_stmt_column_double(st, 1);

		for (int k = 0; k < KSP_AR_NRULE; k++) {
			const struct ksp_atlas_rule_def *d = &ksp_atlas_rule_defs[k];

			if (strcmp(name, d->name))
				continue;
			if (!(x >= d->lo && x <= d->hi)) {
				rc = ksp_error_set(err, KSP_EINVAL,
						   "atlas rule \"%s\": expected %g to %g, got %g", name,
						   d->lo, d->hi, x);
				goto out;
			}
			seen[k] = 1;
			snprintf(r[k].name, sizeof(r[k].name), "%s", d->name);
			r[k].value = x;
			snprintf(r[k].unit, sizeof(r[k].unit), "%s", ksp_stmt_column_text(st, 2));
			snprintf(r[k].what, sizeof(r[k].what), "%s", d->what);
			snprintf(r[k].source, sizeof(r[k].source), "%s", ksp_stmt_column_text(st, 3));
		}
	}
	if (rc != KSP_DONE)
		goto out;
	rc = KSP_OK;
	for (int k = 0; k < KSP_AR_NRULE; k++)
		if (!seen[k]) {
			rc = ksp_error_set(err, KSP_ENOTFOUND,
					   "atlas rule \"%s\" is missing; run 'kasip init' or import "
					   "atlas-rules",
					   ksp_atlas_rule_defs[k].name);
			goto out;
		}
	/* the outlook's steps must not cross */
	for (int k = KSP_AR_OUTLOOK5_MIN_SR; k < KSP_AR_OUTLOOK2_MIN_SR; k++)
		if (r[k].value < r[k + 1].value) {
			rc = ksp_error_set(err, KSP_EINVAL, "atlas rule \"%s\" (%g) is below \"%s\" (%g)",
					   r[k].name, r[k].value, r[k + 1].name, r[k + 1].value);
			goto out;
		}
	for (int k = 0; k < KSP_AR_NRULE; k++)
		v[k] = r[k].value;
	if (version)
		ksp_atlas_rules_version(v, version);
	*out = r;
	*n = KSP_AR_NRULE;
	r = NULL;
out:
	ksp_stmt_finalize(st);
	free(r);
	return rc;
}

void ksp_atlas_rules_free(struct ksp_atlas_rule *rules)
{
	free(rules);
}

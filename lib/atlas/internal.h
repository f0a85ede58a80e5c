/*
 * atlas/internal.h - pieces of the atlas shared inside libkasip: the
 * rules' defaults (for tests and the shipped file) and the outlook of the
 * forecast's draws (forecast/run.c stores it, atlas/atlas.c reads it).
 */
#ifndef KSP_ATLAS_INTERNAL_H
#define KSP_ATLAS_INTERNAL_H

#include <stddef.h>

#include "forecast/model.h"
#include "kasip/atlas.h"

/* The rules the code knows, in the order they are applied. */
enum {
	KSP_AR_IN_DEMAND_MIN_SR,       /* in_demand.min_shortage_ratio */
	KSP_AR_IN_DEMAND_MIN_OVER,     /* in_demand.min_over_region */
	KSP_AR_EMERGING_MIN_GROWTH,    /* emerging.min_growth */
	KSP_AR_EMERGING_MIN_REL,       /* emerging.min_growth_over_region */
	KSP_AR_EMERGING_MIN_PROJECT,   /* emerging.min_project_share */
	KSP_AR_EMERGING_MAX_BASE,      /* emerging.max_base_share */
	KSP_AR_DECLINING_MAX_GROWTH,   /* declining.max_growth */
	KSP_AR_DECLINING_MAX_OVER,     /* declining.max_over_region */
	KSP_AR_OUTLOOK5_MIN_SR,        /* outlook.very_good.min_over_region */
	KSP_AR_OUTLOOK4_MIN_SR,        /* outlook.good.min_over_region */
	KSP_AR_OUTLOOK3_MIN_SR,        /* outlook.moderate.min_over_region */
	KSP_AR_OUTLOOK2_MIN_SR,        /* outlook.limited.min_over_region */
	KSP_AR_OUTLOOK_UP_GROWTH,      /* outlook.up.min_growth */
	KSP_AR_OUTLOOK_DOWN_GROWTH,    /* outlook.down.max_growth */
	KSP_AR_NRULE
};

struct ksp_atlas_rule_def {
	const char *name;
	double def;       /* the shipped value */
	const char *unit;
	double lo, hi;    /* the values allowed */
	const char *what; /* English */
};
extern const struct ksp_atlas_rule_def ksp_atlas_rule_defs[KSP_AR_NRULE];

/* The thresholds by index, from a list (a rule not in it: the default). */
void ksp_atlas_rule_values(const struct ksp_atlas_rule *rules, size_t n, double v[KSP_AR_NRULE]);

/* ksp_atlas_classify on values already by index (the inner loop of the draws). */
int ksp_atlas_classify_v(const double v[KSP_AR_NRULE], double emp_base, double emp_target,
			 double balance, double project_jobs, double region_emp_base,
			 double region_emp_target, double region_balance, int *outlook);

/* The version of a rule set: 16 hex digits of FNV-1a 64 over "name=value\n" in order. */
void ksp_atlas_rules_version(const double v[KSP_AR_NRULE], char out[17]);

/*
 * The class probabilities of a Monte Carlo run (atlas/outlook.c): made
 * before the draws from the rules in the store (NULL when it has none: the
 * run then stores no probabilities), fed by the draws as a ksp_fc_sink
 * (ksp_atlas_outlook_draw, ctx = the outlook), stored with the run inside
 * its transaction.  e0 [nreg][ng]: base-year employment of the cells; proj
 * [nreg][ng]: project jobs by the target year (NULL: none); xm maps the
 * draws' demand from nl groups to the ng cells (NULL: nl == ng).  The
 * balances of every cell and draw are kept for their quantiles when they
 * fit in max_bytes.  kato [nreg], code [ng]; only_region >= 0: store that
 * region and the country only.
 */
struct ksp_atlas_outlook;
struct ksp_store;
struct ksp_atlas_outlook *ksp_atlas_outlook_new(struct ksp_store *s, int nreg, int ng, int nl,
						int ndraws, const double *e0, const double *proj,
						const struct ksp_fc_xmap *xm, size_t max_bytes);
void ksp_atlas_outlook_draw(void *ctx, int d, const double *e_last, const double *cum);
int ksp_atlas_outlook_store(struct ksp_atlas_outlook *o, struct ksp_store *s, long long run_id,
			    const char *const *kato, const char *const *code, int only_region,
			    struct ksp_error *err);
const char *ksp_atlas_outlook_version(const struct ksp_atlas_outlook *o);
void ksp_atlas_outlook_free(struct ksp_atlas_outlook *o);

#endif

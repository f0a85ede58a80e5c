/*
 * atlas/internal.h - pieces of the atlas shared inside libkasip: the
 * rules' defaults (for tests and the shipped file) and the outlook of the
 * forecast's draws (forecast/run.c stores it, atlas/atlas.c reads it).
 */
#ifndef KSP_ATLAS_INTERNAL_H
#define KSP_ATLAS_INTERNAL_H

#include <stddef.h>

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

#endif

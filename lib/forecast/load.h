/*
 * forecast/load.h - building the engine's input from the store and a
 * scenario (internal to libkasip).
 *
 * docs/methodology.md gives every step with its formula; docs/forecast.md
 * describes the input tables (forecast-assumptions, -staffing,
 * -specialties, -flexibility, -projects) that kasip init loads from
 * data/kz/forecast/.
 */
#ifndef KSP_FORECAST_LOAD_H
#define KSP_FORECAST_LOAD_H

#include "forecast/model.h"
#include "kasip/store.h"
#include "util/strbuf.h"

#define KSP_FC_CODE 16

/* The names behind the engine's indices. */
struct ksp_fc_labels {
	int nreg, nind, nocc, nspec, ngroup;
	char kato[KSP_FC_MAX_REG][KSP_FC_CODE];
	char iso[KSP_FC_MAX_REG][KSP_FC_CODE];
	char ind[KSP_FC_MAX_IND][KSP_FC_CODE];
	char (*occ)[KSP_FC_CODE];   /* [nocc] ISCO-08 unit codes, sorted */
	char spec[KSP_FC_MAX_SPEC][KSP_FC_CODE];
	char group[KSP_FC_MAX_GROUP][KSP_FC_CODE];
};

/* A scenario parameter as the model uses it. */
struct ksp_fc_param {
	char name[64];
	double value, spread;
	int dist; /* enum ksp_fc_dist */
};

struct ksp_fc_model {
	struct ksp_fc_input in;
	struct ksp_fc_labels lb;
	struct ksp_fc_uncertain *unc; /* the scenario's uncertain parameters */
	int nunc;
	struct ksp_fc_param *param;
	int nparam;
	struct ksp_strbuf calibration; /* what was fitted, one "name=value" per line */
	struct ksp_strbuf assumptions; /* the input tables read: "TABLE: N rows, sha256 HEX" lines */
};

/*
 * Load the model of scenario for the years base..target_year from the
 * store alone.  The scenario must be in the store (kasip init adds the
 * shipped ones).  Errors: see ksp_forecast_run() in kasip/forecast.h.
 */
int ksp_fc_model_load(struct ksp_fc_model *m, struct ksp_store *s, const char *scenario,
		      int target_year, struct ksp_error *err);
void ksp_fc_model_release(struct ksp_fc_model *m);

/*
 * Record input table (an import/export name) in m->assumptions as
 * "TABLE: N rows, sha256 HEX": its rows and the SHA-256 of its export as
 * CSV (the bytes of `kasip export TABLE`), so that a run says which version
 * of each input it used and an exported file can be checked against it
 * with sha256sum.  ksp_fc_model_load records every table it reads.
 */
int ksp_fc_model_record_input(struct ksp_fc_model *m, struct ksp_store *s, const char *table,
			      struct ksp_error *err);

/* The parameter names a scenario may set (NULL-terminated), and whether name is one. */
int ksp_fc_param_known(const char *name);
/* "fixed" ... -> enum ksp_fc_dist, or -1. */
int ksp_fc_dist_parse(const char *s);
const char *ksp_fc_dist_name(int dist);

/*
 * Build the life table of one sex from Gompertz-Makeham parameters scaled
 * by k (methodology.md, "Population"): q[a] for a = 0..nage-1 (the last is
 * the open group's), survival ratios surv[a] = L(a+1)/L(a) (open group
 * T(a+1)/T(a)), surv_birth = L0/l0 and the life expectancy at birth.
 */
void ksp_fc_life_table(double q0, double makeham, double gb, double gc, double a0, double k,
		       int nage, double *q, double *surv, double *surv_birth, double *e0);

/* ---- national classifiers (forecast/crosswalk.c) ------------------------------ */

#define KSP_FC_NCODE 32        /* longest code of a national classifier + 1 */
#define KSP_FC_MAX_NCODE 100000 /* codes in one classification */
#define KSP_FC_MAX_XROW 1000000 /* rows of one crosswalk */

/*
 * The hierarchy of an occupation classification as the occupation table
 * holds it: codes sorted by strcmp, with their level (1..5) and parent.
 * Loading checks that every code of level > 1 has a parent of the level
 * just above, in the same classification.
 */
struct ksp_fc_hierarchy {
	int n, maxlevel;
	char (*code)[KSP_FC_NCODE]; /* [n] */
	int *level;                 /* [n] */
	int *parent;                /* [n] index of the parent, -1 at level 1 */
	int *nchild;                /* [n] */
};
/* Errors: KSP_ENOTFOUND (no such occupation classification, or no codes), KSP_EINVAL, KSP_ETOOBIG. */
int ksp_fc_hierarchy_load(struct ksp_fc_hierarchy *h, struct ksp_store *s,
			  const char *classification, struct ksp_error *err);
void ksp_fc_hierarchy_release(struct ksp_fc_hierarchy *h);
/* The index of code, or -1. */
int ksp_fc_hierarchy_find(const struct ksp_fc_hierarchy *h, const char *code);
/*
 * The group at level of code i: its ancestor of that level; a code at or
 * above the level is its own group (a leaf above the level stands for
 * itself, so that every level partitions the finest codes).
 */
int ksp_fc_hierarchy_group(const struct ksp_fc_hierarchy *h, int i, int level);

/*
 * Results in a national classifier: the groups of one level and the map
 * from the ISCO-08 unit groups of the model (lb->occ, in that order) to
 * them, through a crosswalk from ISCO-08 to the classifier whose weights
 * for each unit group sum to 1 (docs/methodology.md, "National
 * classifiers").
 */
struct ksp_fc_national {
	char classification[64];
	int level;                  /* the level of the groups */
	int ngroup;
	char (*code)[KSP_FC_NCODE]; /* [ngroup] sorted by strcmp */
	struct ksp_fc_xmap map;     /* nin = lb->nocc, nout = ngroup */
};

/*
 * Load classification's groups of level (0: its deepest level, at most 4)
 * and the crosswalk from ISCO-08 to it.  Errors: KSP_ENOTFOUND (no such
 * classification, no crosswalk), KSP_EINVAL (a crosswalk only in the other
 * direction, a unit group without a row or whose weights do not sum to 1
 * within 1e-9, a row from a code that is not a unit group or to a code that
 * has sub-groups, no groups at the level), KSP_ETOOBIG.  The message names
 * the code.
 */
int ksp_fc_national_load(struct ksp_fc_national *nc, struct ksp_store *s,
			 const char *classification, int level, const struct ksp_fc_labels *lb,
			 struct ksp_error *err);
void ksp_fc_national_release(struct ksp_fc_national *nc);

#endif

/*
 * forecast/load.h - building the engine's input from the store, the
 * assumption files of the data set and a scenario (internal to libkasip).
 *
 * docs/methodology.md gives every step with its formula; docs/forecast.md
 * describes the files of data/kz/forecast/.
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
	struct ksp_strbuf assumptions; /* the assumption files read, with their sizes */
};

/*
 * Load the model of scenario for the years base..target_year.  The
 * scenario must be in the store (ksp_scenario_seed adds the shipped ones).
 * Errors: see ksp_forecast_run() in kasip/forecast.h.
 */
int ksp_fc_model_load(struct ksp_fc_model *m, struct ksp_store *s, const char *data_dir,
		      const char *scenario, int target_year, struct ksp_error *err);
void ksp_fc_model_release(struct ksp_fc_model *m);

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

#endif

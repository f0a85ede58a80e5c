/*
 * data/derive.h - the steps of the derived estimates (internal to libkasip).
 *
 * ksp_dataset_derive() (kasip/dataset.h) reads the official tables, runs
 * these pure functions and stores their results.  They are here, apart from
 * the database, so that tests/unit/test_data.c can check them on their own.
 * docs/data.md gives every method with its formulas and sources.
 */
#ifndef KSP_DERIVE_H
#define KSP_DERIVE_H

#include <stddef.h>

#include "kasip/error.h"

enum {
	KSP_NAGES = 101,            /* single years of age 0..99 and the open group 100+ */
	KSP_NSEXAGE = 2 * KSP_NAGES /* a row of the regional table: men 0..100+, then women */
};

/* What the national age-sex profile is calibrated to. */
struct ksp_age_inputs {
	double total;      /* national average population of the base year (2025), persons */
	double births[3];  /* live births in base-2, base-1 and the base year */
	double male_share; /* men / (men + women), as published for 1 January after the base year */
};

struct ksp_age_profile {
	double male[KSP_NAGES];   /* persons; male and female sum to total */
	double female[KSP_NAGES];
	double tail_m;            /* Gompertz level of the 66+ shape (hazard at 66) */
	double tail_beta;         /* Gompertz slope of the 66+ shape */
	double sex_delta;         /* male excess hazard at 65 in the sex model */
	double roughness;         /* sum of squared second differences of the shares */
};

/*
 * Build the national single-year age-sex profile of the base year's
 * average population (docs/data.md, "Population by sex and age"): the
 * smoothest curve through the published group shares, with a Gompertz tail
 * above 65 and a sex ratio falling with age to the published share of men.
 * Errors: KSP_EINVAL for inputs the model cannot meet (a negative share, a
 * share of men outside its range), KSP_EINTERNAL if the linear system is
 * singular.
 */
int ksp_derive_age_profile(const struct ksp_age_inputs *in, struct ksp_age_profile *out,
			   struct ksp_error *err);

/* One region for ksp_derive_regional_ages(). */
struct ksp_age_region {
	double total;      /* the published average population (a multiple of 0.5) */
	double cbr_ratio;  /* crude birth rate / national rate; 0 when not published */
	double cdr_ratio;  /* crude death rate / national rate; 0 when not published */
	double dr_ratio;   /* dependency ratio / national ratio; 0 when not published */
	double child_tilt; /* out: the fitted factor on ages 0-15 */
	double old_tilt;   /* out: the fitted factor on ages 65+ */
};

/*
 * Fit each region's tilts (child_tilt, old_tilt) to its published ratios,
 * then fit the nreg x KSP_NSEXAGE table out (row-major, persons) by IPF to
 * the regions' totals and the national profile's ages, and round each row to
 * half persons keeping its total exactly (rows whose total is not a multiple
 * of 0.5 are left unrounded).  iterations and max_dev (may be NULL) report
 * the IPF.  Errors: KSP_EINVAL (the regions do not sum to the profile's
 * total within 0.5 person), those of ksp_ipf_2d().
 */
int ksp_derive_regional_ages(const struct ksp_age_profile *nat, struct ksp_age_region *reg,
			     size_t nreg, double *out, int *iterations, double *max_dev,
			     struct ksp_error *err);

/*
 * Round v[0..n) (each >= 0) to multiples of unit so that they sum to total
 * exactly, by the largest-remainder method (ties to the lower index).
 * total must be a multiple of unit and within n units of sum(v).
 * Errors: KSP_EINVAL (v is then unchanged).
 */
int ksp_derive_round(double *v, size_t n, double unit, double total, struct ksp_error *err);

/*
 * Split each region's block total over the block's sections in proportion to
 * the national section totals: IPF from a uniform seed (docs/data.md,
 * "Employment by region and section").  out is nreg x nsec, row-major.
 * Errors: those of ksp_ipf_2d() (KSP_EINVAL for margins that disagree by
 * more than 1e-6).
 */
int ksp_derive_block(double *out, size_t nreg, const double *reg_total, size_t nsec,
		     const double *sec_total, int *iterations, double *max_dev,
		     struct ksp_error *err);

#endif

/*
 * forecast/model.h - the stock-flow forecast engine on in-memory arrays.
 *
 * The engine follows docs/methodology.md step by step; every function below
 * carries the name of its step there:
 *
 *   1. ksp_fc_population_project   cohort-component projection (P)
 *   2. ksp_fc_labour_force         participation and employment (LF)
 *   3. ksp_fc_demand_year          industry growth x staffing matrix (E, ED)
 *   4. ksp_fc_exit_rates           exits by age applied to each occupation's
 *                                  age mix (BLS separations method) (X)
 *      ksp_fc_replacement_year     exits + transfers, openings (JO)
 *   5. ksp_fc_supply_year          graduates x flexibility matrix, migrants,
 *                                  transfers in (NS)
 *   6. ksp_fc_balance_year         balance, shortage ratio (B)
 *   7. ksp_fc_montecarlo           draws and P10/P50/P90 bands
 *
 * Layout: struct-of-arrays, each array one contiguous block of doubles with
 * the year outermost and the occupation (or age) innermost, so a year's
 * cells are contiguous and the staffing product vectorises.  No per-cell
 * allocation.  Indices: t year (0 = base year), r region, s sex (0 male,
 * 1 female), a single year of age (the last one open-ended), g age group of
 * participation, i industry, o occupation at the finest level, l occupation
 * group at the level of a run, m major group, k specialty.
 *
 * Flows of year t (t >= 1) are those between the stock of year t-1 and the
 * stock of year t.  Arrays of flows are indexed like stocks and hold zeros
 * at t = 0.
 *
 * Reproducibility: every loop sums in a fixed order, floating-point
 * contraction is off (see below), and the only transcendental functions are
 * ksp_fc_exp() and ksp_fc_log() below, written with + - * / only.  The
 * results are therefore bit-identical on any IEEE-754 binary64 machine
 * (x86-64 SSE2, AArch64) for the same inputs and seed.
 *
 * Ownership: structs with _init/_release own their arrays; inputs are owned
 * by whoever filled them (ksp_fc_input_release frees them all).
 * Not thread-safe per object; separate objects may be used in parallel.
 */
#ifndef KSP_FORECAST_MODEL_H
#define KSP_FORECAST_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "kasip/error.h"

/*
 * No fused multiply-add: a*b+c must round twice on every machine.  GCC does
 * not contract in ISO C mode (-std=c11, which the build uses); clang
 * contracts within expressions unless told.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#define KSP_FC_NSEX 2
enum { KSP_FC_MALE = 0, KSP_FC_FEMALE = 1 };
enum { KSP_FC_TVET = 0, KSP_FC_HIGHER = 1, KSP_FC_NLEVEL = 2 };

/* Hard caps on the dimensions (inputs come from files and the database). */
#define KSP_FC_MAX_REG 64
#define KSP_FC_MAX_AGE 131
#define KSP_FC_MAX_YEAR 61
#define KSP_FC_MAX_IND 64
#define KSP_FC_MAX_OCC 4096
#define KSP_FC_MAX_GROUP 32
#define KSP_FC_MAX_SPEC 256
#define KSP_FC_MAX_MAJOR 16

struct ksp_fc_dims {
	int nreg;      /* regions */
	int nage;      /* single years of age; the last one is open (101: 0..99, 100+) */
	int nyear;     /* years from the base year to the target year, inclusive */
	int base_year; /* calendar year of t = 0 */
	int nind;      /* industries (OKED sections) */
	int nocc;      /* occupations at the finest level (ISCO-08 unit groups) */
	int nmajor;    /* groups that carry an age mix (ISCO-08 major groups) */
	int ngroup;    /* age groups of participation */
	int nspec;     /* specialties of graduates */
};

/*
 * Everything the engine needs, already at the model's dimensions.  The
 * loader (forecast/load.c) fills it from the store and data/kz/forecast;
 * tests fill it by hand.  Arrays are indexed as in the comments, row-major.
 */
struct ksp_fc_input {
	struct ksp_fc_dims d;

	/* 1. population */
	double *pop0;       /* [r][s][a] base-year population */
	double *surv;       /* [r][s][a] survival ratio: aged a in t-1 -> aged a+1 in t
			       (the open age group survives into itself) */
	double *surv_birth; /* [r][s] births of year t alive at age 0 in t */
	double *asfr;       /* [r][a] age-specific fertility rate, births per woman-year */
	double *fert_mult;  /* [t] multiplier on asfr in year t */
	double srb;         /* sex ratio at birth, boys per girl */
	double *mig_int;    /* [t][r][s][a] net internal migrants (sum over r is 0) */
	double *mig_ext;    /* [t][r][s][a] net external migrants */

	/* 2. labour force */
	int *age_group;     /* [a] participation age group of age a, or -1 (not of working age) */
	double *part;       /* [r][s][g] participation rate */
	double *unemp;      /* [r] unemployment rate */

	/* 3. demand */
	double *emp_ind0;   /* [r][i] base-year employment by industry */
	double *growth;     /* [t][i] growth rate of industry i from t-1 to t */
	double *staffing;   /* [i][o] staffing matrix, each row sums to 1 */
	double *projects;   /* [t][r][o] jobs that investment projects add in year t (or NULL) */

	/* 4. replacement */
	double *exit_prob;  /* [t][s][a] probability that a worker aged a leaves the labour force in year t */
	double *exit_retire; /* [t][s][a] the part of exit_prob that is retirement: exit_prob less the
				exit probability with the retirement hazards at zero (all zero: unknown) */
	double *exit_death; /* [t][s][a] the part of exit_prob that is death: the probability of dying
			       (all zero: unknown); exit_prob - exit_retire - exit_death are the other
			       exits (study, military service, care, disability) */
	double *age_tilt;   /* [m][g] prior of the age mix of major group m (relative weights) */
	int *occ_major;     /* [o] major group of occupation o */
	double *transfer_rate; /* [o] occupational transfer rate per year */

	/* 5. supply */
	double *graduates;  /* [t][r][k] graduates of specialty k in year t */
	double *entry;      /* [k] share of graduates who enter the labour market */
	int *spec_level;    /* [k] KSP_FC_TVET or KSP_FC_HIGHER */
	double *flex;       /* [k][o] occupational flexibility matrix, each row sums to 1 */

	/* 5b. the labour reserve (methodology.md, "The labour reserve") */
	double *reserve0;   /* [r] people outside the labour force in the base year who would
			       take a job (an estimate), beside the unemployed */
	double reserve_draw; /* share of the reserve left that enters work each year (0: none) */

	/* 5c. graduates where they work (ksp_fc_graduates_to_work) */
	double *work_int_adj; /* [t][r] added to the internal migrants who work: less the
				 graduates entering work that the destinations moved in */
};

/* Allocate every array of in (zeroed) for the dimensions d; projects included. */
void ksp_fc_input_init(struct ksp_fc_input *in, const struct ksp_fc_dims *d);
void ksp_fc_input_release(struct ksp_fc_input *in);
/*
 * Check dimensions against the caps and the arrays for what the steps rely
 * on (rates in [0,1], rows of the matrices summing to 1 within 1e-9, internal
 * migration summing to zero over regions).  KSP_EINVAL names the array.
 */
int ksp_fc_input_check(const struct ksp_fc_input *in, struct ksp_error *err);

/*
 * The level-independent part of a run: the demography and the labour
 * force, the exit rates by major group and the migrant workers.  Filled by
 * ksp_fc_prepare(); the population is also projected with only the
 * external and only the internal migration (zero base population), so that a
 * Monte Carlo draw that scales migration gets its population by linearity.
 */
struct ksp_fc_base {
	struct ksp_fc_dims d;
	const struct ksp_fc_input *in; /* not owned; must outlive the base */

	double *pop;        /* [t][r][s][a] */
	double *births;     /* [t][r] */
	double *deaths;     /* [t][r] */
	double *netmig_int; /* [t][r] applied net internal migration */
	double *netmig_ext; /* [t][r] applied net external migration */
	double *clamped;    /* [t][r] migrants not applied because a cell would go negative */
	double *lf;         /* [t][r][s][g] labour force */
	double *emp;        /* [t][r][s][g] employed (supply side) */

	double *pop_tot;    /* [t][r] */
	double *lf_tot;     /* [t][r] */
	double *emp_tot;    /* [t][r] */
	double *dpop_ext;   /* [t][r] population response to the external migration */
	double *dpop_int;   /* [t][r] population response to the internal migration */
	double *dlf_ext;    /* [t][r] */
	double *dlf_int;    /* [t][r] */

	double *exit_group; /* [t][r][s][g] exit rate of the employed of an age group */
	double *exit_major; /* [t][r][m] exit rate of major group m (its age mix) */
	double *exit_major_retire; /* [t][r][m] the part of exit_major that is retirement (same mix) */
	double *exit_major_death;  /* [t][r][m] the part of exit_major that is death (same mix) */
	double *exit_sup;   /* [t][r] exits of the supply side's employed (same rates) */
	double *work_int;   /* [t][r] internal net migrants who will work */
	double *work_ext;   /* [t][r] external net migrants who will work */
	double *reserve_stock; /* [r] the base year's reserve: unemployed + reserve0 */
	double *reserve;    /* [t][r] reserve drawn into work in year t: reserve_draw times
			       what is left of reserve_stock after the years before */
	double *demand_major; /* [t][r][m] central demand by major group (for the age mix) */
};

/*
 * An occupation level of a run: the finest occupations mapped to nl groups
 * (e.g. ISCO-08 unit groups to sub-major groups) and the inputs aggregated
 * to it.  Because every step is linear in the occupations, aggregating the
 * inputs first gives exactly the sums of the finest results.
 */
struct ksp_fc_level {
	int nl;
	int *major;         /* [l] major group of group l */
	int tau_diag;       /* nl == nocc and the map is the identity: transfers are tau*E */
	double *tau;        /* [l] transfer rate (only when tau_diag) */
	double *staff;      /* [i][l] staffing aggregated */
	double *staff_tau;  /* [i][l] sum over o in l of S[i][o]*tau[o] */
	double *proj;       /* [t][r][l] cumulative project jobs */
	double *proj_tau;   /* [t][r][l] cumulative project jobs times tau */
	double *grad;       /* [t][r][lev][l] graduates entering, by level (central entry) */
	/* the staffing product by blocks of KSP_FC_BLOCK groups skips the zeros (adding
	   ei * 0 changes no bit): the industries with a non-zero entry in block k are
	   blk_ind[blk_start[k] .. blk_start[k+1] - 1], in order */
	int nblk;
	int *blk_start;     /* [nblk + 1] */
	int *blk_ind;
};
#define KSP_FC_BLOCK 8

/*
 * The hot loops of the Monte Carlo are compiled twice on x86-64, for the
 * baseline (SSE2) and for AVX2, and the loader picks one (target_clones).
 * The operations are the same element by element, without fused
 * multiply-add (AVX2 does not include FMA, and everything is built with
 * -ffp-contract=off), and no sum is reordered, so both give the same bits.
 * Only with gcc: clang 14 emits no resolver for a cloned function that
 * another file calls, and the link fails (the fuzz build is clang's).
 */
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__) && \
	!defined(KSP_NO_CLONES)
#define KSP_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define KSP_CLONES
#endif

/*
 * Build a level: map[o] is the group of occupation o (0..nl-1), major[l]
 * the major group of group l.  Every group must be hit by the map and every
 * group must lie inside one major group.  Errors: KSP_EINVAL.
 */
int ksp_fc_level_init(struct ksp_fc_level *lv, const struct ksp_fc_input *in, const int *map,
		      int nl, const int *major, struct ksp_error *err);
void ksp_fc_level_release(struct ksp_fc_level *lv);

/*
 * The twins of a level: groups whose inputs (staffing and transfer columns,
 * projects, graduates, major group, transfer rate) are the same bit for bit
 * have the same results bit for bit, in every draw, so they need computing
 * once (with the shipped data, the unit groups of a sub-major group are
 * twins: its staffing share is spread evenly over them).  Fills cls[l], the
 * class of group l (classes numbered in the order of their first group),
 * and out (release it with ksp_fc_level_release), a level with one group per
 * class, the first group's inputs.  Returns the number of classes.
 */
int ksp_fc_level_twins(const struct ksp_fc_level *lv, const struct ksp_fc_input *in,
		       struct ksp_fc_level *out, int *cls);

/*
 * Steps 4b-6 of one cell (methodology.md, "Replacement demand" to
 * "Balance"): openings *jo = expansion e1 - e0 + exits xr * e0 + transfers
 * tw0 * tr_mult, and new supply *ns = graduates gt * em0 + gh * em1 +
 * migrants wshare * e0 + reserve rshare * e0 + transfers in.  The lean evaluation and the Monte
 * Carlo call this one function; the full evaluation keeps every component
 * (replacement.c, supply.c) with the same operations in the same order, so
 * all three agree bit for bit (tested: lean_evaluation_is_bit_identical,
 * montecarlo_equals_the_plain_evaluation).
 */
static inline void ksp_fc_cell_flows(double e0, double e1, double tw0, double xr, double tr_mult,
				     double gt, double gh, double em0, double em1, double wshare,
				     double rshare, double *jo, double *ns)
{
	const double ed = e1 - e0, ex = xr * e0, tr = tw0 * tr_mult;
	const double gr = gt * em0 + gh * em1, mg = wshare * e0, rv = rshare * e0;

	*jo = ed + ex + tr;
	*ns = gr + mg + rv + tr;
}

/* The parameters a Monte Carlo draw changes; ksp_fc_draw_central() gives the central run. */
struct ksp_fc_draw {
	double growth_shift[KSP_FC_MAX_IND]; /* added to every year's growth rate of industry i */
	double exit_mult;                    /* multiplies the exit rates */
	double transfer_mult;                /* multiplies the transfer rates */
	double entry_mult[KSP_FC_NLEVEL];    /* multiplies the entry rates of TVET / higher */
	double mig_ext_scale;                /* scales the external net migration */
	double mig_int_scale;                /* scales the internal net migration */
};
void ksp_fc_draw_central(struct ksp_fc_draw *dr);

/* Results at one level: arrays [t][r][l], flows zero at t = 0. */
struct ksp_fc_result {
	int nyear, nreg, nl;
	double *demand;       /* E: employment demanded */
	double *expansion;    /* ED = E[t] - E[t-1] */
	double *exits;        /* labour-force exits */
	double *transfers;    /* occupational transfers out */
	double *openings;     /* JO = ED + exits + transfers */
	double *graduates;    /* graduates entering the occupation */
	double *migrants;     /* net migrants who will work in it */
	double *transfers_in; /* transfers from other occupations */
	double *reserve;      /* the labour reserve drawn into the occupation */
	double *new_supply;   /* NS = graduates + migrants + reserve + transfers_in */
	double *other_entrants; /* entrants the demography implies beyond graduates and
				   migrants (school leavers without a diploma, re-entrants);
				   reported, not part of NS (full results only) */
	double *balance;      /* B = NS - JO (negative: shortage) */
	double *shortage;     /* shortage ratio (JO - NS) / E[t] */
	double *demand_tot;   /* [t][r] demand summed over the groups */
	double *scratch;      /* [2][r][l] transfer-weighted employment of t-1 and t */
};
void ksp_fc_result_init(struct ksp_fc_result *res, int nyear, int nreg, int nl);
/*
 * A lean result for Monte Carlo draws: only demand, openings, new_supply,
 * balance and demand_tot are kept (the other arrays are NULL); evaluate then
 * runs steps 4b-6 fused in one pass, with the same operations in the same
 * order, so these four arrays are bit-identical to a full evaluation.
 */
void ksp_fc_result_init_lean(struct ksp_fc_result *res, int nyear, int nreg, int nl);
void ksp_fc_result_release(struct ksp_fc_result *res);

/* ---- the steps ---------------------------------------------------------- */

/*
 * 1. Cohort-component projection (methodology.md, "Population").  Projects
 * pop0 year by year with the migration of mig_int * int_scale and mig_ext *
 * ext_scale; writes pop [t][r][s][a] and the components per [t][r] (any of
 * births..clamped may be NULL).  Accounting identity, every t >= 1 and r:
 *   sum pop[t] = sum pop[t-1] + births - deaths + netmig_int + netmig_ext.
 * A cell that net emigration would make negative is set to zero and the
 * migrants not applied are counted in clamped (and left out of netmig_*).
 * pop0 may be NULL (zero base population).  With linear != 0 nothing is
 * clamped, so that the projection is a linear function of pop0 and the
 * migration (the response runs of ksp_fc_prepare).
 */
void ksp_fc_population_project(const struct ksp_fc_input *in, const double *pop0,
			       double int_scale, double ext_scale, int linear, double *pop,
			       double *births,
			       double *deaths, double *netmig_int, double *netmig_ext,
			       double *clamped);

/*
 * 2. Labour force of one year t from its population (methodology.md,
 * "Labour force"): lf[r][s][g] = part * pop, emp = lf * (1 - unemp).
 */
void ksp_fc_labour_force(const struct ksp_fc_input *in, const double *pop_t, double *lf_t,
			 double *emp_t);

/*
 * 3. Demand of year t at a level (methodology.md, "Demand"):
 * E[r][l] = sum_i emp_ind0[r][i] * G[i] * S[i][l] + projects, where G is the
 * cumulative growth factor of industry i to year t; also writes the
 * transfer-weighted employment tw[r][l] = sum over o in l of tau[o] E[r][o].
 */
void ksp_fc_demand_year(const struct ksp_fc_input *in, const struct ksp_fc_level *lv, int t,
			const double *gfac, double *demand_t, double *tw_t);
/* The same for one region r: demand_r[l] and tw_r[l] (the rows of r). */
void ksp_fc_demand_region(const struct ksp_fc_input *in, const struct ksp_fc_level *lv, int t,
			  int r, const double *gfac, double *demand_r, double *tw_r);
/*
 * 4a. Exit rates by major group (methodology.md, "Replacement demand"):
 * the exit probability by single age is averaged over each participation age
 * group with the population as weights, then applied to the age mix of each
 * major group, found by iterative proportional fitting of age_tilt to the
 * demand by major group and the employed by sex and age group.
 */
void ksp_fc_exit_rates(struct ksp_fc_base *b);

/*
 * 4c. The exits of year t >= 1 of region r by cause, summed over the groups
 * of a full result at level lv (methodology.md, "The ministry's need"):
 * *retire = sum_l exit_major_retire[m(l)] * exit_mult * E[t-1][l] and *death
 * the same with exit_major_death.  Because the age mix does not depend on
 * the exit probabilities, these are the exits the run would lose with the
 * retirement hazards (the mortality) at zero, and the exits of the
 * result's cells are their sum with the other exits.  Either pointer may
 * be NULL.
 */
void ksp_fc_exits_by_cause(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			   const struct ksp_fc_draw *dr, const struct ksp_fc_result *res, int t,
			   int r, double *retire, double *death);

/*
 * 4b. Exits, transfers and openings of year t >= 1 at a level.
 * exits = x[r][m(l)] * exit_mult * E[t-1], transfers = transfer_mult *
 * tw[t-1], openings = (E[t] - E[t-1]) + exits + transfers; no floor at zero.
 */
void ksp_fc_replacement_year(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			     const struct ksp_fc_draw *dr, int t, const double *tw_prev,
			     struct ksp_fc_result *res);

/*
 * 5. New supply of year t >= 1 at a level (methodology.md, "New supply"):
 * graduates through the flexibility matrix, migrant workers and the labour
 * reserve drawn (b->reserve) spread by the occupations' shares of E[t-1],
 * and transfers in (each occupation regains
 * as many as it loses: no data give the direction of mobility).  Also the other
 * entrants: the supply side's employed change plus its exits, less the
 * graduates and migrants entering (not below 0), spread the same way.
 */
void ksp_fc_supply_year(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			const struct ksp_fc_draw *dr, int t, struct ksp_fc_result *res);

/*
 * 5c. Graduates where they will work (methodology.md, "Graduates where they
 * will work"): dest[(lev * nreg + r) * nreg + w] is the share of the
 * graduates of level lev who studied in region r that work in region w
 * (each row r sums to 1; the identity when no destinations are known).
 * Rewrites in->graduates [t][r][k] from study regions to work regions and
 * subtracts from in->work_int_adj [t][r] the graduates entering work
 * (in->entry) that this moves into r, net, since the internal migration
 * balances already hold these moves: the migrants who work are the other
 * movers.  Both sum to zero over regions, so each year's national totals
 * stay the same.
 */
void ksp_fc_graduates_to_work(struct ksp_fc_input *in, const double *dest);

/* 6. Balance and shortage ratio of year t (methodology.md, "Balance"). */
void ksp_fc_balance_year(struct ksp_fc_result *res, int t);

/*
 * The same counting other entrants as supply too: the gaps are those of
 * openings - (new supply + other entrants).
 */
double ksp_fc_shortfall_all(const struct ksp_fc_result *res, int t, int region, double *net);

/*
 * The national shortfall in year t: the sum over regions and groups of the
 * positive part of the cumulative gap sum_{1..t}(JO - NS), divided by the
 * demand of year t.  *net gets the same without the positive part (may be
 * NULL).  region >= 0 restricts to one region.
 */
double ksp_fc_shortfall(const struct ksp_fc_result *res, int t, int region, double *net);

/* ---- results in another classification (forecast/crosswalk.c) -------------- */

/*
 * A linear map of results from the groups of a level (nin) to the groups of
 * another classification (nout), built from a weighted crosswalk
 * (docs/methodology.md, "National classifiers"): out[g] = sum over the
 * entries e of g, in order, of w[e] * in[src[e]].  Stored by output group
 * (start[g] .. start[g+1]-1), sources ascending, so every output is one dot
 * product in a fixed order.  When the weights of each source sum to 1 the
 * map keeps totals: sum_g out[g] = sum_o in[o] up to rounding.
 */
struct ksp_fc_xmap {
	int nin, nout;
	int *start; /* [nout + 1] */
	int *src;   /* [start[nout]] */
	double *w;  /* [start[nout]] */
};
void ksp_fc_xmap_release(struct ksp_fc_xmap *x);

/* out[0..nout-1] = the map of in[0..nin-1]. */
void ksp_fc_xmap_apply(const struct ksp_fc_xmap *x, const double *in, double *out);

/*
 * Map every array of a result (full or lean) at nin groups into out, which
 * must have been initialised (full or lean alike) with x->nout groups and
 * the same years and regions.  Flows are mapped cell by cell; the shortage
 * ratio is recomputed from the mapped balance and demand (step 6), and
 * demand_tot is copied: the regions' totals stay those of the source level.
 */
void ksp_fc_result_map(const struct ksp_fc_xmap *x, const struct ksp_fc_result *in,
		       struct ksp_fc_result *out);

/* ---- the run ------------------------------------------------------------ */

/* Steps 1, 2 and 4a: everything that does not depend on the level. */
void ksp_fc_base_init(struct ksp_fc_base *b, const struct ksp_fc_input *in);
void ksp_fc_prepare(struct ksp_fc_base *b);
void ksp_fc_base_release(struct ksp_fc_base *b);

/* Steps 3 to 6 for every year at level lv with the parameters dr. */
void ksp_fc_evaluate(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
		     const struct ksp_fc_draw *dr, struct ksp_fc_result *res);

/*
 * Accounting identities of a prepared base and a result: the largest
 * absolute error of (a) the population identity per region and year, (b)
 * sum over regions of the applied internal migration, (c) openings =
 * expansion + exits + transfers per cell, (d) balance = new supply -
 * openings.  Each is a rounding error (around 1e-9 persons) when the engine
 * is right.
 */
struct ksp_fc_identity {
	double population, internal_migration, openings, balance;
};
void ksp_fc_check_identities(const struct ksp_fc_base *b, const struct ksp_fc_result *res,
			     struct ksp_fc_identity *out);

/* ---- Monte Carlo -------------------------------------------------------- */

enum ksp_fc_dist { KSP_FC_FIXED, KSP_FC_NORMAL, KSP_FC_LOGNORMAL, KSP_FC_UNIFORM };
enum ksp_fc_target {
	KSP_FC_T_GROWTH,   /* index = industry; the draw is added to its growth rate */
	KSP_FC_T_EXIT,     /* the draw is the exit-rate multiplier */
	KSP_FC_T_TRANSFER, /* the draw is the transfer-rate multiplier */
	KSP_FC_T_ENTRY,    /* index = level; the draw is the entry-rate multiplier */
	KSP_FC_T_MIG_EXT,  /* the draw scales the external migration */
	KSP_FC_T_MIG_INT   /* the draw scales the internal migration */
};
/*
 * One uncertain parameter: normal(a = mean, b = sd), lognormal (exp of
 * normal(a, b)), uniform(a, b), fixed (a).  Growth draws are added to the
 * industry's shift; the other draws are multipliers (clipped at 0), and
 * two parameters on the same target multiply.
 */
struct ksp_fc_uncertain {
	int target, index, dist;
	double a, b;
};

/* Portable PRNG: xoshiro256** seeded by splitmix64 (Blackman and Vigna). */
struct ksp_fc_rng {
	uint64_t s[4];
};
uint64_t ksp_fc_splitmix64(uint64_t *state);
void ksp_fc_rng_seed(struct ksp_fc_rng *g, uint64_t seed);
uint64_t ksp_fc_rng_next(struct ksp_fc_rng *g);
/* Uniform on [0,1) with 53 random bits. */
double ksp_fc_rng_uniform(struct ksp_fc_rng *g);
/* Standard normal by Marsaglia's polar method (uses ksp_fc_log and sqrt only). */
double ksp_fc_rng_normal(struct ksp_fc_rng *g);

/*
 * The draw number `draw` of a run with seed `seed`: its own generator is
 * seeded with splitmix64 of (seed, draw), so a draw does not depend on the
 * others (the run may be split or repeated).
 */
void ksp_fc_draw_sample(struct ksp_fc_draw *dr, const struct ksp_fc_uncertain *u, int nu,
			uint64_t seed, int draw);

/* Bands: quantiles P10, P50, P90 (R's type 7) of a measure over the draws. */
enum { KSP_FC_BAND_DEMAND, KSP_FC_BAND_OPENINGS, KSP_FC_BAND_SUPPLY, KSP_FC_BAND_BALANCE,
       KSP_FC_NBAND };
enum { KSP_FC_TOT_POP, KSP_FC_TOT_LF, KSP_FC_TOT_DEMAND, KSP_FC_TOT_OPENINGS,
       KSP_FC_TOT_SUPPLY, KSP_FC_TOT_BALANCE, KSP_FC_NTOT };
struct ksp_fc_bands {
	int ndraws, nyear, nreg, nl;
	float *cell;      /* [q][band][t][r+1][l], q = 0,1,2 for P10,P50,P90; r = nreg is
			     the country, whose draws are the sums of the regions' */
	float *total;     /* [q][tot][t][r+1]: r = nreg is the national total */
	double *shortfall; /* [q][t] national shortfall (ksp_fc_shortfall) */
	int passes;       /* times every draw was run in full (memory cap) */
	int twin_classes; /* groups whose demand was computed (the twin classes, or nl) */
	int threads;      /* threads the draws ran on */
};
void ksp_fc_bands_release(struct ksp_fc_bands *bd);

/* Quantile q (0, 1, 2: P10, P50, P90) of measure band of cell (t, r, l); r = nreg: the country. */
static inline float ksp_fc_band_cell(const struct ksp_fc_bands *bd, int q, int band, int t, int r,
				     int l)
{
	return bd->cell[((((size_t)q * KSP_FC_NBAND + band) * bd->nyear + t) * (bd->nreg + 1) + r) *
				bd->nl +
			l];
}

/*
 * Run ndraws draws at level lv and keep the bands (with a map xm, not NULL,
 * the bands of the cells are those of the mapped cells, xm->nin = lv->nl
 * groups to xm->nout, and so is the shortfall; the totals stay those of lv):
 * of the cells for the years t with band_year[t] != 0 (NULL: every year; the
 * other years' cells are NAN), the country's cells being the quantiles of
 * the regions summed within each draw; of the totals and the shortfall for
 * every year.  The numbers are those of ksp_fc_evaluate() on each draw, bit
 * for bit, whatever the cap.
 *
 * Memory (docs/performance.md, "Forecast"): the draws of the cells are kept
 * as floats, those of the country's band years (ndraws x 4 x groups floats a
 * year) and of one region-year at a time, with each draw's demand of one
 * region for two years (4 x ndraws x lv->nl doubles).  max_bytes must hold
 * that demand, a region-year and at least one country-year; when the
 * country's band years do not all fit, the draws are run again for each
 * chunk of them (out->passes counts the runs).  Twin groups (identical
 * inputs, ksp_fc_level_twins) have their demand computed once a class, and
 * without a map the regions' cells and quantiles too (out->twin_classes;
 * docs/performance.md, "Twins").  Errors: KSP_EUSAGE for
 * ndraws outside 2..1000000, a map that does not fit the level or a cap too
 * small.
 */
int ksp_fc_montecarlo(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
		      const struct ksp_fc_xmap *xm, const struct ksp_fc_uncertain *u, int nu,
		      int ndraws, uint64_t seed, const unsigned char *band_year, size_t max_bytes,
		      struct ksp_fc_bands *out, struct ksp_error *err);

/*
 * A sink of the draws (the atlas's class probabilities, lib/atlas/outlook.c):
 * draw() is called once for every draw d after its last year, in the first
 * pass only, one call at a time but not in the order of d nor always from
 * the calling thread (the draws run on several threads), with e_last [r][lv->nl] the draw's demand of the
 * target year at the level (unmapped) and cum [r][ng] the cumulative gap
 * sum over t >= 1 of (openings - new supply) of the cells (mapped when
 * there is a map; positive: shortage).  The arrays are the Monte Carlo's
 * scratch: read them, do not keep them.  progress() is called with the
 * share of the work done (0..1, increasing, in steps of at least 1 %: at
 * most about a hundred calls), from the calling thread.  Either may be NULL.
 */
struct ksp_fc_sink {
	void (*draw)(void *ctx, int d, const double *e_last, const double *cum);
	void *ctx;
	void (*progress)(void *progress_ctx, double done);
	void *progress_ctx;
};

/*
 * ksp_fc_montecarlo on threads threads (< 1: ksp_fc_threads_default(); at
 * most KSP_FC_MAX_THREADS, fewer when the cap does not hold each one's
 * scratch) with a sink of the draws (NULL: none).  The bands are the same
 * bit for bit whatever the number of threads (ksp_fc_montecarlo runs on
 * one).
 */
enum { KSP_FC_MAX_THREADS = 16 };
int ksp_fc_threads_default(void); /* the processors online, 1..KSP_FC_MAX_THREADS */
int ksp_fc_montecarlo_sink(const struct ksp_fc_base *b, const struct ksp_fc_level *lv,
			   const struct ksp_fc_xmap *xm, const struct ksp_fc_uncertain *u, int nu,
			   int ndraws, uint64_t seed, const unsigned char *band_year,
			   size_t max_bytes, int threads, const struct ksp_fc_sink *sink,
			   struct ksp_fc_bands *out, struct ksp_error *err);

/* Quantile of type 7 of x[0..n-1] (reorders x). */
double ksp_fc_quantile(float *x, int n, double p);

/* P10, P50, P90 of x[0..n-1] as the Monte Carlo takes them (its bucket
   selection; the same numbers as ksp_fc_quantile, rounded to float; may
   reorder x). */
void ksp_fc_quantiles3(float *x, int n, float out[3]);

/* ---- synthetic worlds (tests and the benchmark) ------------------------- */

/*
 * Fill in (already ksp_fc_input_init'ed with d) with a plausible synthetic
 * world drawn from seed: a young population, Gompertz survival, fertility
 * over ages 15-49, internal migration summing to zero, sparse staffing and
 * flexibility matrices.  d->nmajor must divide d->nocc into contiguous
 * blocks (occupation o is in major group o * nmajor / nocc).  The result
 * passes ksp_fc_input_check().
 */
void ksp_fc_synth_world(struct ksp_fc_input *in, uint64_t seed);

/* ---- deterministic elementary functions --------------------------------- */

/* exp and log with + - * / only: the same bits on every IEEE-754 machine. */
double ksp_fc_exp(double x);
double ksp_fc_log(double x);

#endif

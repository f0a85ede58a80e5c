/*
 * kasip/plan.h - the planners: internal labour migration and state-funded
 * college places, both starting from a stored forecast run.
 *
 * Migration (docs/planning.md, "Migration"): flows f[from, to, occupation]
 * of workers (each with a family) from regions in surplus to regions in
 * shortage in one year, at the lowest cost of distance and the
 * programme's support, within the willing-to-move share of each surplus,
 * each shortage, each receiving region's resettlement quota (persons) and
 * a budget.  An LP solved by CLP (kasip/lp.h); the duals of the quotas and
 * the budget say what one more place or one more tenge would be worth.
 *
 * State order (docs/planning.md, "State order"): places x[region or
 * college, specialty] of the coming intake minimising the shortage left by
 * occupation group and region (through completion, entry and the
 * specialty x occupation flexibility matrix of the forecast) plus a small
 * cost term, within the total places, the budget, capacities, a minimum
 * share of working specialties and bounds on the change from last year.
 * Integer places by CBC; the LP relaxation's duals give the marginal value
 * of a place and of one more million tenge.
 *
 * Parameters come from the defaults, then a parameter file ("key = value"
 * lines, '#' comments; ksp_plan_params_parse), then the caller's settings.
 * A stored plan keeps every parameter it ran with, the run it read and the
 * row counts and hashes of the tables it read, and its results.
 * Lists are heap arrays the caller frees with ksp_plan_free().  Not
 * thread-safe per store handle (as the store).
 */
#ifndef KASIP_PLAN_H
#define KASIP_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ksp_plan_kind { KSP_PLAN_MIGRATION = 1, KSP_PLAN_ORDERS = 2 };

/* One parameter setting "key=value" (as on a command line or in a file). */
struct ksp_plan_set {
	const char *key;
	double value;
};

struct ksp_plan_options {
	int kind;                  /* enum ksp_plan_kind */
	long long run_id;          /* the forecast run; 0: the latest */
	int year;                  /* migration: the year of the gaps; 0: the run's base year + 1 */
	const char *region;        /* orders: NULL, or a region (ISO or KATO): plan it alone */
	const char *params_file;   /* NULL, or a parameter file read after the defaults */
	const char *params_text;   /* NULL, or a parameter file's text (the API's "params"),
				      read after params_file; messages call it "params" */
	const struct ksp_plan_set *sets; /* settings applied last (e.g. --budget) */
	size_t nsets;
};

/*
 * Run a planner and store its plan; *plan_id (may be NULL) gets its id.
 * Errors: KSP_ENOTFOUND (no such run, no forecast run at all, no such
 * region), KSP_EINVAL (a parameter file's line is wrong: the error has its
 * file, line and column; a value out of range), KSP_EUSAGE (an unknown
 * parameter), KSP_EINFEASIBLE (no plan meets the constraints: the message
 * says which ones and by how much), KSP_EINTERNAL (the solver gave up),
 * KSP_EDB, KSP_EBUSY.  All or nothing.
 */
int ksp_plan_run(struct ksp_store *s, const struct ksp_plan_options *opt, long long *plan_id,
		 struct ksp_error *err);

/*
 * Check a parameter file of kind (contents text, name file for messages)
 * against the planner's parameters.  KSP_EINVAL with file, line and column
 * at the first bad line ("plan.txt:3:10: willing: expected a number from 0
 * to 1, got \"lots\""), KSP_OK otherwise.
 */
int ksp_plan_params_check(int kind, const char *text, const char *file, struct ksp_error *err);

/*
 * Check one setting (key, value) as ksp_plan_run would take it: KSP_EUSAGE
 * for a key kind does not know, KSP_EINVAL for a value out of its range,
 * KSP_OK otherwise.
 */
int ksp_plan_param_check(int kind, const char *key, double value, struct ksp_error *err);

/* A stored plan. */
struct ksp_plan_info {
	long long id;
	char kind[16];          /* "migration" or "orders" */
	long long run_id;
	int year;               /* migration: the year; orders: the intake year */
	char region[16];        /* orders: the region planned alone, or "" */
	char created[32];
	char status[16];        /* optimal, feasible (a MIP stopped on its time limit) */
	double objective;
	double cost;            /* KZT: the movers' total cost, or the places' funding */
	double support;         /* migration: the programme's part of the cost (the budget's) */
	double total;           /* movers, or places */
	double gap_before, gap_after; /* the shortage the plan addresses, before and after */
	double mip_gap;         /* relative; 0 for an LP */
	double seconds;
	int ncols, nrows;
	long nnz;
	char *params;           /* every parameter, "key = value" lines (heap; ksp_plan_info_release) */
	char *inputs;           /* "TABLE: N rows, sha256 HEX" lines (heap) */
};

void ksp_plan_info_release(struct ksp_plan_info *p);

/* One plan, or (id 0) the latest.  KSP_ENOTFOUND. */
int ksp_plan_get(struct ksp_store *s, long long id, struct ksp_plan_info *out,
		 struct ksp_error *err);

/* The stored plans, newest first (params and inputs are NULL). */
int ksp_plan_list(struct ksp_store *s, struct ksp_plan_info **out, size_t *n,
		  struct ksp_error *err);

struct ksp_plan_flow {
	char from[16], to[16];  /* KATO */
	char occupation[32];
	double movers;          /* workers (each with a family of family_size persons) */
	double persons;         /* movers x family_size: what the quota counts */
	double cost_per_mover;  /* KZT: distance + support */
	double support_per_mover; /* KZT: the programme's part */
	double km;              /* great-circle km between the centres */
};

/* The flows of a migration plan, largest first. */
int ksp_plan_flows(struct ksp_store *s, long long plan_id, struct ksp_plan_flow **out, size_t *n,
		   struct ksp_error *err);

struct ksp_plan_gap {
	char region[16];
	char occupation[32];    /* a code, or "" for the region's total */
	double before, after;   /* positive: shortage; negative: surplus */
};

/* The gaps before and after, by region and occupation (regions' totals
 * have occupation ""). */
int ksp_plan_gaps(struct ksp_store *s, long long plan_id, struct ksp_plan_gap **out, size_t *n,
		  struct ksp_error *err);

struct ksp_plan_constraint {
	char kind[32];          /* quota, budget, places, capacity, working-share, willing, min-movers */
	char key[64];           /* region, college/specialty, or "" */
	double bound;           /* the limit */
	double used;            /* what the plan uses of it */
	double dual;            /* objective change per unit more (negative: it saves) */
	double value;           /* in words of the plan: KZT saved per place of quota, shortage
				   closed per place or per million tenge */
	int binding;
};

/* The constraints with their duals, binding first. */
int ksp_plan_constraints(struct ksp_store *s, long long plan_id, struct ksp_plan_constraint **out,
			 size_t *n, struct ksp_error *err);

struct ksp_plan_place {
	char region[16];
	char college[64];       /* "" where planned by region */
	char specialty[32];     /* a specialty group (forecast-specialties) */
	double places;
	double last_year;
	double cost_per_place;  /* KZT a year */
	double marginal_value;  /* shortage closed by one more place (LP relaxation) */
};

/* The places of a state-order plan, by region, college and specialty. */
int ksp_plan_places(struct ksp_store *s, long long plan_id, struct ksp_plan_place **out,
		    size_t *n, struct ksp_error *err);

/* The origin-destination matrix of a migration plan: movers summed over
 * occupations, n regions (KATO, ascending) that send or receive, row from,
 * column to (movers[from * n + to]).  Empty (n 0) for a state order. */
struct ksp_plan_od {
	size_t n;
	char (*region)[16];
	double *movers;
};

int ksp_plan_od(struct ksp_store *s, long long plan_id, struct ksp_plan_od *out,
		struct ksp_error *err);
void ksp_plan_od_release(struct ksp_plan_od *od);

/*
 * Write plan plan_id as "csv" (its main table: the flows or the places) or
 * "json" (everything: the plan, flows or places, OD matrix, gaps,
 * constraints) to f, or as "xlsx" (a workbook with a sheet each) to the
 * file path.  KSP_EUSAGE for another format or xlsx without a path,
 * KSP_ENOTFOUND, KSP_EIO.
 */
int ksp_plan_export(struct ksp_store *s, long long plan_id, const char *format, FILE *f,
		    const char *path, struct ksp_error *err);

/* The plan as one JSON document (heap string; free with ksp_plan_free). */
int ksp_plan_json(struct ksp_store *s, long long plan_id, char **out, struct ksp_error *err);

void ksp_plan_free(void *list);

#ifdef __cplusplus
}
#endif
#endif

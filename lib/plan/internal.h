/*
 * plan/internal.h - what the planners share inside libkasip.
 */
#ifndef KSP_PLAN_INTERNAL_H
#define KSP_PLAN_INTERNAL_H

#include "kasip/lp.h"
#include "kasip/plan.h"
#include "store/store.h"
#include "util/strbuf.h"

/* A planner's parameter: its key, default, range, unit and source. */
struct plan_param_def {
	const char *key;
	double def, lo, hi;
	const char *unit;
	const char *source; /* where the default comes from, or "assumption: ..." */
};

#define PLAN_MAX_PARAMS 32
#define PLAN_MAX_KEYED 256

/* The effective parameters: one value a def, plus keyed ones ("cost.tvet-07"). */
struct plan_params {
	int kind;
	const struct plan_param_def *defs;
	size_t ndefs;
	double v[PLAN_MAX_PARAMS];
	struct {
		char key[64];
		double value;
	} keyed[PLAN_MAX_KEYED];
	size_t nkeyed;
};

/* Migration parameters, in the order of plan_migration_defs. */
enum {
	MP_WILLING, MP_FAMILY_SIZE, MP_ROAD_FACTOR, MP_COST_PER_KM, MP_RELOCATION_MRP,
	MP_EMPLOYER_MRP, MP_RENT_MRP_MONTH, MP_RENT_MONTHS, MP_HOUSING_KZT, MP_BUDGET,
	MP_MIN_MOVERS, MP_SHORTAGE_VALUE, MP_QUOTA_SCALE, MP_QUOTA_KANDAS, MP_LEVEL,
	MP_TIME_LIMIT, MP_COUNT
};

/* State-order parameters, in the order of plan_orders_defs. */
enum {
	OP_PLACES, OP_BUDGET, OP_WORKING_SHARE, OP_CHANGE, OP_COST_PER_PLACE, OP_LAST_TOTAL,
	OP_COMPLETION, OP_ENTRY, OP_COST_WEIGHT, OP_GAP, OP_TIME_LIMIT, OP_COUNT
};

extern const struct plan_param_def plan_migration_defs[];
extern const struct plan_param_def plan_orders_defs[];

/* Defaults of kind. */
void plan_params_init(struct plan_params *p, int kind);
/* Read "key = value" lines; errors positioned at file:line:column. */
int plan_params_read(struct plan_params *p, const char *text, const char *file,
		     struct ksp_error *err);
/* Set one (range-checked); KSP_EUSAGE for an unknown key. */
int plan_params_set(struct plan_params *p, const char *key, double value, struct ksp_error *err);
/* A keyed value (e.g. "cost.tvet-07"), or def. */
double plan_params_keyed(const struct plan_params *p, const char *key, double def);
/* Every parameter as "key = value" lines. */
void plan_params_write(const struct plan_params *p, struct ksp_strbuf *sb);

/* ---- what a planner hands to storage -------------------------------------- */

struct plan_result {
	struct ksp_plan_info info;
	struct ksp_plan_flow *flows;
	size_t nflows, aflows;
	struct ksp_plan_gap *gaps;
	size_t ngaps, agaps;
	struct ksp_plan_constraint *cons;
	size_t ncons, acons;
	struct ksp_plan_place *places;
	size_t nplaces, aplaces;
	struct ksp_strbuf inputs;
};

void plan_result_release(struct plan_result *r);
struct ksp_plan_constraint *plan_add_constraint(struct plan_result *r, const char *kind,
						const char *key, double bound, double used,
						double dual, double value);
struct ksp_plan_gap *plan_add_gap(struct plan_result *r, const char *region,
				  const char *occupation, double before, double after);
/* Record an input table's row count and hash (as a forecast run does). */
int plan_record_input(struct plan_result *r, struct ksp_store *s, const char *table,
		      struct ksp_error *err);
/* Store r in one write transaction; r->info.id gets the id. */
int plan_store(struct ksp_store *s, struct plan_result *r, const struct plan_params *p,
	       struct ksp_error *err);

int plan_migration(struct ksp_store *s, const struct ksp_plan_options *opt,
		   const struct plan_params *p, struct plan_result *r, struct ksp_error *err);
int plan_orders(struct ksp_store *s, const struct ksp_plan_options *opt,
		const struct plan_params *p, struct plan_result *r, struct ksp_error *err);

#endif

/*
 * orders.c - the state-order planner (docs/planning.md, "State order").
 */
#include "plan/internal.h"

int plan_orders(struct ksp_store *s, const struct ksp_plan_options *opt,
		const struct plan_params *p, struct plan_result *r, struct ksp_error *err)
{
	(void)s;
	(void)opt;
	(void)p;
	(void)r;
	return ksp_error_set(err, KSP_EUSAGE, "the state-order planner is not built yet");
}

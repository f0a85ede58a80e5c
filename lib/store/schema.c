/*
 * schema.c - the ordered list of migrations (see store/schema.h).
 */
#include "store/schema.h"

const struct ksp_migration ksp_migrations[] = {
	{ 1, "core", ksp_schema_core_sql },
	{ 2, "placement", ksp_schema_placement_sql },
	{ 3, "forecast", ksp_schema_forecast_sql },
	{ 4, "forecast-projects", ksp_schema_forecast_projects_sql },
	{ 5, "region-boundary", ksp_schema_boundary_sql },
	{ 6, "title-sources", ksp_schema_titles_sql },
	{ 7, "server", ksp_schema_server_sql },
	{ 8, "atlas", ksp_schema_atlas_sql },
	{ 9, "forecast-inputs", ksp_schema_forecast_inputs_sql },
	{ 10, "history", ksp_schema_history_sql },
	{ 11, "plans", ksp_schema_plans_sql },
	{ 12, "place-rule", ksp_schema_place_rule_sql },
	{ 13, "forecast-reserve", ksp_schema_forecast_reserve_sql },
	{ 14, "graduate-destinations", ksp_schema_graduate_destinations_sql },
	{ 15, "forecast-need", ksp_schema_forecast_need_sql },
};

const int ksp_migration_count = (int)(sizeof(ksp_migrations) / sizeof(ksp_migrations[0]));

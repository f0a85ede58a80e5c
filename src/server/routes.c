/*
 * routes.c - the route table: every URL the server answers, its handler,
 * who may call it, and the words the OpenAPI document says about it
 * (openapi.c generates the document from this table, so it cannot drift).
 * Adding a resource is adding a line here and a handler in api.c.
 */
#include "server.h"

#define PAGE "limit,offset,cursor,format,lang"

const struct srv_route srv_routes[] = {
	{ "GET", "/health", api_health, SRV_PUBLIC, 200, "liveness and the schema version", "", "operations" },
	{ "GET", "/api/v1/openapi.json", api_openapi, SRV_PUBLIC, 200, "this API described in OpenAPI 3", "", "operations" },

	{ "GET", "/api/v1/messages", api_messages, SRV_PUBLIC, 200, "the dashboard's words (msgctxt dashboard of the message catalogue) in the request's language", "lang", "operations" },

	{ "GET", "/api/v1/boundaries", api_boundaries, 0, 200, "the regions' outlines as a GeoJSON FeatureCollection (properties kato, iso, name in the request's language)", "lang", "reference" },
	{ "GET", "/api/v1/regions", api_regions, SRV_ROWS | SRV_PAGED, 200, "the regions with codes, names, centres and population", PAGE ",country", "reference" },
	{ "GET", "/api/v1/regions/{code}", api_region, SRV_ROWS, 200, "one region (KATO or ISO 3166-2 code) and every figure about it", "format,lang", "reference" },
	{ "GET", "/api/v1/regions/{code}/atlas", api_region_atlas, SRV_ROWS, 200, "a region's (KZ: the country's) Atlas of Professions from a forecast run, as JSON, CSV, the printable HTML page or XLSX", "run,level,format,lang", "atlas" },
	{ "GET", "/api/v1/occupations/{code}/card", api_occupation_card, SRV_ROWS, 200, "an occupation group's card: its outlook in a region and in every region, and the training paths", "region,run,level,format,lang", "atlas" },
	{ "GET", "/api/v1/occupations", api_occupations, SRV_ROWS | SRV_PAGED, 200, "occupation groups, searched by title in kk, ru or en", PAGE ",search,q,level,under,classification", "reference" },

	{ "GET", "/api/v1/tables", api_tables, SRV_ROWS, 200, "the tables import and export know", "format,lang", "data" },
	{ "GET", "/api/v1/tables/{table}", api_table, SRV_ROWS, 200, "one table's columns, types and defaults", "format,lang", "data" },
	{ "GET", "/api/v1/tables/{table}/rows", api_table_rows, SRV_ROWS | SRV_PAGED, 200, "a table's rows, paged, as JSON or re-importable CSV", PAGE, "data" },
	{ "GET", "/api/v1/sources", api_sources, SRV_ROWS | SRV_PAGED, 200, "the sources every figure names", PAGE, "data" },
	{ "POST", "/api/v1/import/{table}", api_import, SRV_WRITE | SRV_CSV_BODY, 200, "import a CSV body into a table, all rows or none", "encoding,delimiter,source,name,lang", "data" },

	{ "GET", "/api/v1/scenarios", api_scenarios, SRV_ROWS | SRV_PAGED, 200, "the forecast's scenarios", PAGE, "forecast" },
	{ "POST", "/api/v1/scenarios", api_scenario_new, SRV_WRITE | SRV_JSON_BODY, 201, "a new scenario from another with changed parameters", "lang", "forecast" },
	{ "PUT", "/api/v1/scenarios/{name}", api_scenario_update, SRV_WRITE | SRV_JSON_BODY, 200, "change a user scenario's title and parameters (shipped ones are read-only)", "lang", "forecast" },
	{ "GET", "/api/v1/scenarios/{name}", api_scenario, SRV_ROWS, 200, "one scenario and its parameters", "format,lang", "forecast" },
	{ "GET", "/api/v1/forecasts", api_forecasts, SRV_ROWS | SRV_PAGED, 200, "the stored forecast runs, newest first", PAGE, "forecast" },
	{ "POST", "/api/v1/forecasts", api_forecast_submit, SRV_WRITE | SRV_JSON_BODY, 202, "run a forecast as a job", "lang", "forecast" },
	{ "GET", "/api/v1/forecasts/{id}", api_forecast, 0, 200, "one forecast run and its national shortfall", "lang", "forecast" },
	{ "GET", "/api/v1/forecasts/{id}/cells", api_forecast_cells, SRV_ROWS | SRV_PAGED, 200, "a run's region x occupation x year cells", PAGE ",region,occupation,under,level,year,from,to", "forecast" },
	{ "GET", "/api/v1/forecasts/{id}/totals", api_forecast_totals, SRV_ROWS | SRV_PAGED, 200, "a run's totals by region and year", PAGE ",region", "forecast" },

	{ "GET", "/api/v1/forecasts/{id}/map", api_forecast_map, SRV_ROWS, 200, "every region's balance and shortage ratio of a group of occupations (under= a code prefix) from base+1 to a year (the dashboard's map)", "year,under,format,lang", "forecast" },
	{ "GET", "/api/v1/forecasts/{id}/series", api_forecast_series, SRV_ROWS, 200, "a region's (or the country's) years for the groups under a code prefix: demand, the parts of openings and of new supply, with P10/P50/P90 where stored (the dashboard's forecast page)", "region,under,format,lang", "forecast" },
	{ "GET", "/api/v1/forecasts/{id}/pyramid", api_forecast_pyramid, SRV_ROWS, 200, "the population of a region (or the country) by sex and five-year age group in a year of the run's projection", "region,year,format,lang", "forecast" },

	{ "GET", "/api/v1/backtests", api_backtests, SRV_ROWS | SRV_PAGED, 200, "the stored back-test runs, newest first", PAGE, "forecast" },
	{ "POST", "/api/v1/backtests", api_backtest_submit, SRV_WRITE | SRV_JSON_BODY, 202, "run a back-test (the forecast from a past base year beside what was observed) as a job", "lang", "forecast" },
	{ "GET", "/api/v1/backtests/{id}", api_backtest, SRV_ROWS | SRV_PAGED, 200, "one back-test run with its rows (projected beside observed, errors) or its summary (MAPE by year), paged", PAGE ",table,dimension,borders,year", "forecast" },

	{ "GET", "/api/v1/match-runs", api_match_runs, SRV_ROWS | SRV_PAGED, 200, "the stored placement runs, newest first", PAGE, "matching" },
	{ "POST", "/api/v1/match-runs", api_match_submit, SRV_WRITE | SRV_JSON_BODY, 202, "run a placement (stable matching) as a job", "lang", "matching" },
	{ "GET", "/api/v1/match-runs/{id}", api_match_run, 0, 200, "one placement run with its statistics", "lang", "matching" },
	{ "GET", "/api/v1/match-runs/{id}/students/{student}", api_match_student, 0, 200, "one student's outcome in a run: the place they got and why not each place they ranked above it (as kasip match explain), and their choices", "lang", "matching" },
	{ "GET", "/api/v1/match-runs/{id}/cutoffs", api_match_cutoffs, SRV_ROWS | SRV_PAGED, 200, "every place's seats, fill and cutoff score, or (by=region) each region's places, full places, seats, fill and lowest and highest cutoff", PAGE ",by", "matching" },

	{ "GET", "/api/v1/plans", api_plans, SRV_ROWS | SRV_PAGED, 200, "the stored plans (state orders and migration), newest first", PAGE ",kind", "planning" },
	{ "POST", "/api/v1/plans/orders", api_plan_orders_submit, SRV_WRITE | SRV_JSON_BODY, 202, "plan the state order of college places (CBC) from a forecast run, as a job", "lang", "planning" },
	{ "POST", "/api/v1/plans/migration", api_plan_migration_submit, SRV_WRITE | SRV_JSON_BODY, 202, "plan the internal labour migration (CLP) from a forecast run, as a job", "lang", "planning" },
	{ "GET", "/api/v1/plans/{id}", api_plan, SRV_ROWS | SRV_PAGED, 200, "one plan: its inputs, gap before and after, binding constraints with duals, OD matrix, and its rows (places or flows), gaps or constraints, paged", PAGE ",table", "planning" },

	{ "GET", "/api/v1/jobs", api_jobs, SRV_ROWS | SRV_PAGED, 200, "the jobs, newest first", PAGE, "jobs" },
	{ "GET", "/api/v1/jobs/{id}", api_job, 0, 200, "one job's state, progress and outcome", "lang", "jobs" },
};

const size_t srv_nroutes = sizeof(srv_routes) / sizeof(srv_routes[0]);

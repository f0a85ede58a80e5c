/*
 * dataset.c - loading the built-in data set (data/kz/) in dependency order.
 */
#include <string.h>
#include <sys/stat.h>

#include "kasip/dataset.h"
#include "kasip/forecast.h"
#include "kasip/table.h"
#include "data/boundary.h"
#include "util/xmalloc.h"

static const struct {
	const char *table;
	const char *file;
} dataset_files[] = {
	{ "sources", "sources.csv" },
	{ "regions", "regions.csv" },
	{ "region-distances", "region_distances.csv" },
	{ "classifications", "classifications.csv" },
	{ "occupations", "occupations.csv" },
	{ "industries", "industries.csv" },
	{ "population", "population.csv" },
	{ "labour-force", "labour_force.csv" },
	{ "employment", "employment.csv" },
	{ "vital-events", "vital_event.csv" },
	{ "resettlement-quota", "resettlement_quota.csv" },
	{ "mrp", "mrp.csv" },
	{ "atlas-rules", "atlas_rules.csv" },
	/* the forecast's inputs (docs/forecast.md, "Inputs") */
	{ "forecast-assumptions", "forecast/assumptions.csv" },
	{ "forecast-staffing", "forecast/staffing.csv" },
	{ "forecast-specialties", "forecast/specialties.csv" },
	{ "forecast-flexibility", "forecast/flexibility.csv" },
	{ "forecast-projects", "forecast/projects.csv" },
	{ "graduate-destinations", "forecast/graduate_destinations.csv" },
	/* figures others published, set beside the forecast's (docs/methodology.md) */
	{ "published-figures", "published_figures.csv" },
	/* the past series of the back-test (docs/backtest.md) */
	{ "sources", "history/sources.csv" },
	{ "history-territories", "history/territories.csv" },
	{ "history-concordance", "history/concordance.csv" },
	{ "history-employment", "history/employment.csv" },
	{ "history-population", "history/population.csv" },
	{ "history-employment-sections", "history/employment_sections.csv" },
	{ "history-employment-occupations", "history/employment_occupations.csv" },
};

int ksp_dataset_load(struct ksp_store *s, const char *dir, struct ksp_error *err)
{
	for (size_t i = 0; i < sizeof(dataset_files) / sizeof(dataset_files[0]); i++) {
		char *path = ksp_xasprintf("%s/%s", dir, dataset_files[i].file);
		int rc = ksp_import_csv(s, dataset_files[i].table, path, NULL, NULL, err);

		free(path);
		if (rc)
			return rc;
	}
	/* The boundaries are optional: a data set without them gives pages without a map. */
	{
		char *path = ksp_xasprintf("%s/regions.geojson", dir);
		struct stat sb;
		int rc = KSP_OK;

		if (stat(path, &sb) == 0)
			rc = ksp_boundary_import_geojson(s, path, "geokz-adm1-2024", err);
		free(path);
		if (rc)
			return rc;
	}
	/* The shipped scenarios (forecast/scenarios/NAME.csv). */
	return ksp_scenario_seed(s, dir, err);
}

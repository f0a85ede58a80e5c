/*
 * kasip/forecast.h - the labour-market forecast: demand, supply and balance
 * by region x occupation x year, and the scenarios it runs on.
 *
 * The forecast is a stock-flow model (docs/methodology.md): a
 * cohort-component population projection, the labour force, employment
 * demand by industry turned into occupations by a staffing matrix,
 * replacement demand (labour-force exits and occupational transfers, the
 * BLS separations method), new supply (graduates through a specialty x
 * occupation flexibility matrix, migrants, transfers in) and the balance.
 * A run reads the store alone: the base-year tables and the forecast's
 * input tables (forecast-assumptions, forecast-staffing,
 * forecast-specialties, forecast-flexibility, forecast-projects), which
 * kasip init loads from the data set and an analyst replaces with kasip
 * import.  It stores its results under a run id with the row count and
 * content hash of every input table it read, so later commands and the
 * server read them without recomputing, and know what they were made from.
 *
 * Scenarios are named sets of parameters, each with a central value and
 * optionally a distribution (normal, lognormal, uniform) that a Monte Carlo
 * run (draws > 0) samples to give P10/P50/P90 bands.  The same seed gives
 * the same numbers on every machine.
 *
 * Strings in the structs below are NUL-terminated UTF-8, truncated to their
 * arrays.  Lists are heap arrays the caller frees with ksp_forecast_free().
 * Not thread-safe per store handle (as the store).
 */
#ifndef KASIP_FORECAST_H
#define KASIP_FORECAST_H

#include <stddef.h>

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The country's code in results (region column). */
#define KSP_FORECAST_NATIONAL "000000000"

enum ksp_forecast_band_years {
	KSP_BANDS_ALL = 0,   /* bands for every year */
	KSP_BANDS_TARGET = 1 /* bands for the target year only (totals: every year) */
};

struct ksp_forecast_options {
	const char *scenario;       /* NULL: "baseline" */
	int target_year;            /* 0: the base year + 10 */
	int level;                  /* ISCO-08 level of the stored results, 1..4 (0: 4) */
	const char *region;         /* NULL, or an ISO/KATO code: store this region's cells only */
	int draws;                  /* 0: one central run; else 2..100000 Monte Carlo draws */
	unsigned long long seed;    /* seed of the draws */
	int band_years;             /* KSP_BANDS_ALL or KSP_BANDS_TARGET */
	const char *data_dir;       /* unused, kept for source compatibility: a run reads the
				       store alone (kasip init loads the data set's inputs) */
	size_t max_bytes;           /* memory cap of the draws; 0: 512 MiB */
	int threads;                /* threads of the draws, 1..16; 0: the processors online.
				       The results are the same bit for bit on any number */
	const char *classification; /* NULL or "ISCO-08"; else the id of a national classifier
				       of occupations with a crosswalk from ISCO-08 (level 0: its
				       deepest level, at most 4) */
	/*
	 * NULL, or called from the thread running the forecast with the share
	 * of the work done: 0..1, increasing, a hundred or so calls (the
	 * inputs read, the central run, every 1 % of the draws, the results
	 * stored).  It must not use the store the forecast runs on (it may be
	 * inside a transaction); a job records it through a connection of its
	 * own.
	 */
	void (*progress)(void *progress_ctx, double done);
	void *progress_ctx;
};

/* A stored run.  Figures that a run does not have are NAN. */
struct ksp_forecast_run {
	long long id;
	char scenario[64];
	char created[32];
	int base_year, target_year, level, draws; /* level: of the classification */
	unsigned long long seed;
	char classification[32]; /* ISCO-08, or the national classifier of the cells */
	char region[16];
	int shortfall_year;   /* the year of the shortfall figures (2030 when in range, else target) */
	double shortfall;     /* national shortfall: sum of positive cumulative gaps / demand */
	double shortfall_net; /* the same with surpluses netted */
	double shortfall_p10, shortfall_p50, shortfall_p90;
	double shortfall_all;     /* the same counting other entrants as supply */
	double shortfall_all_net;
	double seconds;       /* time the computation took */
};

/*
 * Run the forecast described by opt and store it.  The scenario must be in
 * the store (kasip init adds the shipped ones: baseline, high, low).  On
 * success *run describes the stored run (may be NULL).
 * With a national classifier (opt->classification) the engine runs on the
 * ISCO-08 unit groups and the cells stored are theirs mapped through the
 * crosswalk from ISCO-08 to the classifier, then summed up its hierarchy
 * to opt->level (docs/forecast.md); the totals are the ISCO-08 run's.
 * Errors: KSP_ENOTFOUND (no such scenario, region or classification, no
 * crosswalk, or a base-year or input table empty: run 'kasip init'),
 * KSP_EINVAL (an input is wrong, the error naming the table, its line in
 * the table's export and the field; a crosswalk that does not fit, the
 * error naming the code), KSP_EUSAGE (bad options), KSP_EDB.  All or
 * nothing: a failed run leaves the store unchanged.
 */
int ksp_forecast_run(struct ksp_store *s, const struct ksp_forecast_options *opt,
		     struct ksp_forecast_run *run, struct ksp_error *err);

/*
 * Read a stored run: by id, or (id 0) the latest one of scenario (NULL: of
 * any scenario).  KSP_ENOTFOUND when there is none.
 */
int ksp_forecast_run_get(struct ksp_store *s, long long id, const char *scenario,
			 struct ksp_forecast_run *out, struct ksp_error *err);

/*
 * The stored runs, newest first, skipping offset, at most limit (0: 100);
 * free with ksp_forecast_free().
 */
int ksp_forecast_run_list(struct ksp_store *s, size_t offset, size_t limit,
			  struct ksp_forecast_run **out, size_t *n, struct ksp_error *err);

/*
 * The inputs a stored run read, one line each: "TABLE: N rows, sha256 HEX",
 * the hash being that of the table's CSV export at the time (`kasip export
 * TABLE | sha256sum` gives the same while the table is unchanged).  *out is
 * a NUL-terminated heap string the caller frees with ksp_forecast_free().
 * Runs stored before the inputs were tables list the files they read.
 * Errors: KSP_ENOTFOUND (no such run), KSP_EDB.
 */
int ksp_forecast_run_inputs(struct ksp_store *s, long long run_id, char **out,
			    struct ksp_error *err);

/* Totals of a region (or the country) and year.  p[k][q]: bands, NAN without draws. */
enum { KSP_FT_POPULATION, KSP_FT_LABOUR_FORCE, KSP_FT_DEMAND, KSP_FT_OPENINGS,
       KSP_FT_NEW_SUPPLY, KSP_FT_BALANCE, KSP_FT_NBAND };
struct ksp_forecast_total {
	char region[16]; /* KATO; KSP_FORECAST_NATIONAL for the country */
	int year;
	double population, births, deaths, net_migration_internal, net_migration_external;
	double labour_force, employed, demand, openings, new_supply, balance, shortfall;
	double other_entrants, shortfall_all;
	double reserve; /* the labour reserve drawn into work, part of new_supply */
	/*
	 * The ministry's "need" (docs/methodology.md, "The ministry's need"):
	 * need = expansion + retirements, the net new jobs and the workers who
	 * leave at or past the pension age; not the deaths of workers, the
	 * other exits (exits - retirements - worker_deaths: study, military
	 * service, care, disability) or transfers.  0 in the base year; NAN in
	 * runs stored before kasip kept them (run the forecast again).
	 */
	double expansion;     /* net new jobs: demand - demand of the year before */
	double exits;         /* labour-force exits of the employed (part of openings) */
	double retirements;   /* the part of exits lost with the retirement hazards at zero */
	double worker_deaths; /* the part of exits that is deaths */
	double need;          /* expansion + retirements */
	double band[KSP_FT_NBAND][3];
};

/* The totals of a run, ordered by region then year; region NULL: all. */
int ksp_forecast_totals(struct ksp_store *s, long long run_id, const char *region,
			struct ksp_forecast_total **out, size_t *n, struct ksp_error *err);

/* One cell: region x occupation group x year.  band[k][q] as for totals. */
enum { KSP_FC_DEMAND_BAND, KSP_FC_OPENINGS_BAND, KSP_FC_SUPPLY_BAND, KSP_FC_BALANCE_BAND,
       KSP_FC_CELL_NBAND };
struct ksp_forecast_cell {
	char region[16];
	char occupation[32];
	int year;
	double demand, expansion, exits, transfers, openings;
	double graduates, migrants, transfers_in, new_supply, balance, shortage_ratio;
	double other_entrants; /* reported beside new supply, not part of it */
	double reserve;        /* the labour reserve drawn into work, part of new_supply */
	double band[KSP_FC_CELL_NBAND][3];
};

struct ksp_forecast_cell_query {
	long long run_id;
	const char *region;     /* NULL: every region (KSP_FORECAST_NATIONAL: the country) */
	const char *occupation; /* NULL, or a code: that group */
	int year;               /* 0: every year */
	size_t limit;           /* 0: no limit */
	size_t offset;          /* cells to skip first (paging) */
	int year_from, year_to; /* 0: open; a range of years, inclusive */
	const char *under;      /* NULL, or a code prefix: the groups under it (ISCO-08) */
};

/* Cells ordered by region, occupation, year. */
int ksp_forecast_cells(struct ksp_store *s, const struct ksp_forecast_cell_query *q,
		       struct ksp_forecast_cell **out, size_t *n, struct ksp_error *err);

/* A cumulative gap: sum over the years base+1..year_to of openings - new supply. */
struct ksp_forecast_gap {
	char code[32];  /* region KATO or occupation code */
	double gap;     /* positive: shortage */
	double demand;  /* demand in year_to */
	double other_entrants; /* the other entrants of the same years (school leavers without a
				  diploma, re-entrants): reported beside the gap, not part of it */
};

/*
 * The largest cumulative gaps to year_to: by region (by_occupation 0) or by
 * occupation group over the country (1), the groups being the run's
 * results summed to level `level` of the run's classification (ISCO-08 by
 * code prefix, a national classifier up its hierarchy; 0 or above the
 * run's level: the run's level); largest shortage first.
 */
int ksp_forecast_gaps(struct ksp_store *s, long long run_id, int by_occupation, int level,
		      int year_to, size_t limit, struct ksp_forecast_gap **out, size_t *n,
		      struct ksp_error *err);

/*
 * A year's figures of a group of occupations in one region, for the map
 * (the dashboard's, GET /api/v1/forecasts/{id}/map).  The shortage ratio
 * is the atlas's (kasip/atlas.h) with the chosen year as its end: the
 * cumulative balance from base+1 to year over the demand in year.
 */
struct ksp_forecast_area {
	char region[16];       /* KATO; KSP_FORECAST_NATIONAL for the country (last) */
	int year;
	double demand;         /* in year, of the groups summed */
	double openings;       /* summed over base+1 .. year */
	double new_supply;     /* summed over base+1 .. year */
	double balance;        /* new_supply - openings (negative: shortage) */
	double shortage_ratio; /* -balance / demand; NAN when demand is 0 */
};

/*
 * The areas of a run for year (base+1 .. target) and the groups under the
 * code prefix under (NULL or "": every group; ISCO-08 codes: "2" the
 * professionals, "23" the teachers), one per region the run stored, by
 * KATO, the country last when the run stored it.  *out is a heap array
 * freed with ksp_forecast_free().  Errors: KSP_ENOTFOUND (no such run),
 * KSP_EUSAGE (a year outside the run), KSP_EDB.
 */
int ksp_forecast_areas(struct ksp_store *s, long long run_id, const char *under, int year,
		       struct ksp_forecast_area **out, size_t *n, struct ksp_error *err);

/*
 * A year of a region's (or the country's) forecast for a group of
 * occupations: the cells of the groups summed, with the parts of openings
 * and of new supply (the Forecast page's fan chart and components).
 */
struct ksp_forecast_point {
	int year;
	double demand, expansion, exits, transfers, openings;
	double graduates, migrants, transfers_in, reserve, new_supply, balance;
	double other_entrants;
	/* P10, P50, P90 of demand, openings and new supply (KSP_FC_DEMAND_BAND,
	   KSP_FC_OPENINGS_BAND, KSP_FC_SUPPLY_BAND); NAN where the run has no
	   draws, or where the quantiles of a sum are not stored: they are for
	   one stored group (under names it) or for all groups (the totals) */
	double band[KSP_FC_CELL_NBAND][3];
};

/*
 * The yearly points of a run for region (KATO or ISO; NULL, "" or "KZ": the
 * country) and the groups under the code prefix under (NULL or "": all),
 * base year to target year.  *out is a heap array freed with
 * ksp_forecast_free().  Errors: KSP_ENOTFOUND (no such run or region, or
 * no stored cell under the prefix), KSP_EDB.
 */
int ksp_forecast_series(struct ksp_store *s, long long run_id, const char *region,
			const char *under, struct ksp_forecast_point **out, size_t *n,
			struct ksp_error *err);

/* Age groups of a pyramid: 0-4, 5-9, ..., 95-99 and 100+. */
#define KSP_PYRAMID_STEP 5
#define KSP_PYRAMID_NGROUP 21

/* The population of a region (or the country) by sex and age group in one year. */
struct ksp_pyramid {
	char region[16];  /* KATO; KSP_FORECAST_NATIONAL for the country */
	int year;
	int projected;    /* 0: the base year (the data set), 1: the projection */
	double male[KSP_PYRAMID_NGROUP], female[KSP_PYRAMID_NGROUP]; /* persons, on 1 July */
	double total;
};

/*
 * The population pyramid of region (KATO or ISO; NULL, "", "KZ" or
 * KSP_FORECAST_NATIONAL: the country) in year, from the cohort-component
 * projection (docs/methodology.md, "Population") of the run's scenario
 * with its central parameters: the population the run's totals hold (the
 * groups sum to its population in that year, while the inputs are those
 * the run read).  The projection is recomputed from the store's inputs,
 * which takes about as long as loading a forecast's inputs.  Errors:
 * KSP_ENOTFOUND (no such run or region), KSP_EUSAGE (a year outside the
 * run's base .. target), KSP_ECONFLICT (the base year in the store is no
 * longer the run's), KSP_EDB, and those of ksp_forecast_run().
 */
int ksp_forecast_pyramid(struct ksp_store *s, long long run_id, const char *region, int year,
			 struct ksp_pyramid *out, struct ksp_error *err);

void ksp_forecast_free(void *list);

/* ---- figures others published, set beside the forecast's --------------------- */

/*
 * The Ministry of Labour and Social Protection's additional need for
 * workers, as the press reported its medium-term forecast: the figure code
 * of its rows in the table published-figures.  kasip's counterpart is the
 * need of ksp_forecast_total (docs/methodology.md, "The ministry's need").
 */
#define KSP_FIGURE_MINISTRY_NEED "mlspp.need"

/* One published figure (table published-figures) with where it comes from. */
struct ksp_published_figure {
	char figure[64];         /* e.g. KSP_FIGURE_MINISTRY_NEED */
	char region[16];         /* KATO; KSP_FORECAST_NATIONAL for the country */
	int year_from, year_to;  /* one year, or (year_from < year_to) the total of the years */
	double value;
	char unit[16];           /* persons or percent */
	char kind[16];           /* official, derived, estimate or assumption */
	char source[64];         /* the id of its row of the sources table */
	char publisher[256];     /* the source's publisher ("" when it has none) */
	char url[512];           /* where it was read */
	char note[512];          /* how it was published, how kasip reads it */
};

/*
 * The published figures of figure (NULL: all) for region (NULL: every
 * region; KATO, ISO 3166-2, or KSP_FORECAST_NATIONAL), ordered by figure,
 * region (the country first), single years before spans, then by year.
 * *out is a heap array the caller frees with ksp_forecast_free(); none
 * gives *n = 0.  Errors: KSP_EDB.
 */
int ksp_published_figures(struct ksp_store *s, const char *figure, const char *region,
			  struct ksp_published_figure **out, size_t *n, struct ksp_error *err);

/* ---- the forecast's input tables, for other modules ------------------------ */

/* A specialty group of graduates (table forecast-specialties). */
struct ksp_specialty_group {
	char code[32];     /* e.g. tvet-07 */
	char level[8];     /* tvet or higher */
	char field[8];     /* ISCED-F 2013 broad field, 01..10 */
	char title_en[256], title_ru[256], title_kk[256]; /* "" when not given */
	double share;      /* of its level's graduates */
};

/*
 * The specialty groups in the engine's order (TVET first, then higher, each
 * by code).  *out is a heap array the caller frees with ksp_forecast_free().
 * An empty table gives *n = 0.  Errors: KSP_EDB.
 */
int ksp_forecast_specialties(struct ksp_store *s, struct ksp_specialty_group **out, size_t *n,
			     struct ksp_error *err);

/* One weight of the flexibility matrix (table forecast-flexibility). */
struct ksp_flexibility_weight {
	char specialty[32];   /* a code of ksp_forecast_specialties() */
	char isco_submajor[4]; /* two digits */
	double weight;        /* as imported; the model normalises each specialty's row to 1 */
};

/*
 * The flexibility matrix, ordered by specialty and sub-major group.  *out
 * is a heap array the caller frees with ksp_forecast_free().  Errors:
 * KSP_EDB.
 */
int ksp_forecast_flexibility(struct ksp_store *s, struct ksp_flexibility_weight **out, size_t *n,
			     struct ksp_error *err);

/* ---- scenarios ----------------------------------------------------------- */

struct ksp_scenario {
	char name[64];
	char title[256];
	char origin[16];   /* shipped or user */
	char based_on[64];
	char created[32];
	int nparams;
};

struct ksp_scenario_param {
	char name[64];
	double value;
	char dist[16];     /* fixed, normal, lognormal, uniform */
	double spread;     /* sd; sd of the log; half-width */
	char unit[32];
	char note[512];
};

/*
 * Add the shipped scenarios of DIR/forecast/scenarios/ (NAME.csv) that the
 * store does not have yet, inside the caller's transaction if one is open,
 * else in its own.  ksp_dataset_load() calls it, so that kasip init leaves
 * them in the database; nothing else reads the files.  Errors: KSP_EINVAL
 * (a file is wrong), KSP_ENOTFOUND (no such directory), KSP_EIO, KSP_EDB.
 */
int ksp_scenario_seed(struct ksp_store *s, const char *data_dir, struct ksp_error *err);

/*
 * sc's title for people in lang ("kk", "ru"; anything else English): a
 * shipped scenario whose title is still the one kasip ships gets the
 * catalogue's translation; a user's title, or a changed one, is returned as
 * it is.  The string is sc's or static.
 */
const char *ksp_scenario_title(const struct ksp_scenario *sc, const char *lang);

/* The scenarios, ordered by name. */
int ksp_scenario_list(struct ksp_store *s, struct ksp_scenario **out, size_t *n,
		      struct ksp_error *err);

/* One scenario and its parameters (ordered by name).  KSP_ENOTFOUND. */
int ksp_scenario_get(struct ksp_store *s, const char *name, struct ksp_scenario *sc,
		     struct ksp_scenario_param **params, size_t *n, struct ksp_error *err);

/*
 * Create the user scenario name as a copy of from (NULL: baseline) with the
 * changes in sets, each "PARAM=VALUE" or "PARAM=VALUE:DIST:SPREAD", and
 * then, if file is not NULL, the rows of a scenario CSV file (the format of
 * the shipped ones).  Names are [a-z0-9_-], 1..63 characters.  Errors:
 * KSP_ECONFLICT (the name exists), KSP_ENOTFOUND (from, or a parameter the
 * model does not know), KSP_EINVAL (a bad value), KSP_EDB.
 */
int ksp_scenario_new(struct ksp_store *s, const char *name, const char *from, const char *title,
		     const char *const *sets, size_t nsets, const char *file,
		     struct ksp_error *err);

/*
 * Change the user scenario name: its title (NULL: as it is) and the
 * parameters in sets (as for ksp_scenario_new), all or nothing.  Errors:
 * KSP_ENOTFOUND (no such scenario, or a parameter the model does not know),
 * KSP_ECONFLICT (a shipped scenario: they are read-only), KSP_EINVAL (a bad
 * value), KSP_EDB.
 */
int ksp_scenario_update(struct ksp_store *s, const char *name, const char *title,
			const char *const *sets, size_t nsets, struct ksp_error *err);

#ifdef __cplusplus
}
#endif
#endif

/*
 * kasip/atlas.h - the regional Atlas of Professions.
 *
 * An atlas is computed from a stored forecast run (kasip/forecast.h), for
 * one region or the country, at one occupation level: the region's key
 * figures, and for every occupation group its employment in the base and
 * the target year, growth, openings and new supply over the period with
 * their parts, the cumulative balance and shortage ratio, project jobs,
 * where the run has draws the P10/P50/P90 of the cumulative balance, a
 * class (in demand, emerging, stable, declining) with an outlook of 1 to 5
 * and, where the run has draws, the share of draws in which each class's
 * rule holds; the specialty groups that lead to it (the flexibility
 * matrix) and the colleges of the region that teach them.  Besides: yearly
 * series for the charts, the top shortages, and every region's shortage
 * for the map.  docs/atlas.md explains every indicator; the class rules
 * and why their thresholds sit where they do are in docs/methodology.md,
 * "Atlas classes and outlook".
 *
 * Every indicator is computed here: the command, the server and the
 * dashboard only format what this header gives them.  Figures are persons
 * (counts) or fractions (ratios and shares: 0.05 is 5 %); a figure the run
 * or the data set does not have is NAN, and a flag says why (has_bands,
 * has_ages, ...): nothing is made up.
 *
 * Strings are NUL-terminated UTF-8, truncated to their arrays.  Titles are
 * in the language asked for, falling back to English when the store has
 * none in it.  Labels for people (class and outlook names, column titles)
 * are English msgids: pass them through ksp_tr(lang, ...) (kasip/i18n.h).
 *
 * Ownership: ksp_atlas_build() and ksp_atlas_rules_list() allocate; the
 * caller frees with ksp_atlas_free() and ksp_atlas_rules_free().  An atlas
 * is read-only once built and may be shared between threads; a store handle
 * is not thread-safe (kasip/store.h).
 */
#ifndef KASIP_ATLAS_H
#define KASIP_ATLAS_H

#include <stddef.h>
#include <stdio.h>

#include "kasip/error.h"
#include "kasip/forecast.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- classes and outlook ---------------------------------------------------- */

/*
 * The classes, in the order their rules are tried (the first that holds
 * wins; stable is what is left).  docs/methodology.md, "Atlas classes and
 * outlook".
 */
enum ksp_atlas_class {
	KSP_ATLAS_IN_DEMAND = 0, /* a lasting shortage */
	KSP_ATLAS_EMERGING = 1,  /* fast growth, or project jobs, from a small base */
	KSP_ATLAS_STABLE = 2,    /* neither */
	KSP_ATLAS_DECLINING = 3, /* shrinking employment with a surplus */
	KSP_ATLAS_NCLASS = 4
};

/* "in_demand", "emerging", "stable", "declining" (ids for files and URLs); NULL if out of range. */
const char *ksp_atlas_class_id(int cls);
/* The class's English name, a msgid: "In demand", ... (NULL if out of range). */
const char *ksp_atlas_class_label(int cls);
/* -1 for an unknown id. */
int ksp_atlas_class_parse(const char *id);
/*
 * The outlook's English name, a msgid: 1 "Very limited", 2 "Limited",
 * 3 "Moderate", 4 "Good", 5 "Very good" (NULL if out of range).
 */
const char *ksp_atlas_outlook_label(int outlook);

/*
 * One rule threshold of the table atlas_rule (kasip atlas rules; import and
 * export the table "atlas-rules").  The names are fixed (the code knows
 * them); the values are the analyst's.
 */
struct ksp_atlas_rule {
	char name[64];   /* e.g. "in_demand.min_shortage_ratio" */
	double value;
	char unit[16];   /* "fraction" or "persons" */
	char what[256];  /* one line: what the rule tests (English) */
	char source[64]; /* the source row of the value (sources table) */
};

/*
 * The rules in the store, in the order the classification applies them, and
 * their version (16 hex digits of a hash of the names and values, so that a
 * run's class probabilities can say which rules they were computed under).
 * version may be NULL.  A rule missing from the table is KSP_ENOTFOUND
 * ("run 'kasip init' or import atlas-rules"); a value out of its range
 * (e.g. a negative share) is KSP_EINVAL naming the rule.
 */
int ksp_atlas_rules_list(struct ksp_store *s, struct ksp_atlas_rule **out, size_t *n,
			 char version[17], struct ksp_error *err);
void ksp_atlas_rules_free(struct ksp_atlas_rule *rules);

/* ---- the atlas ---------------------------------------------------------------- */

/* Code of the country in an atlas (also accepted: NULL, "", "000000000", "kz"). */
#define KSP_ATLAS_COUNTRY "KZ"

struct ksp_atlas_options {
	const char *region;     /* KATO or ISO code; NULL or KSP_ATLAS_COUNTRY: the country */
	long long run_id;       /* 0: the latest stored run */
	int level;              /* occupation level 1..4; 0: the run's */
	const char *lang;       /* "kk", "ru", "en" (NULL: en): titles and names */
	const char *data_dir;   /* unused, kept for source compatibility: the training paths
				   come from the database (forecast-specialties,
				   forecast-flexibility), the map from region_boundary */
	const char *occupation; /* NULL, or one group's code: the atlas holds that group only
				   and `places` gives it in every region (the card and
				   --compare) */
	size_t top;             /* length of the top-shortage list; 0: 10 */
};

/* A specialty group that leads to an occupation (the flexibility matrix). */
struct ksp_atlas_path {
	char specialty[32];  /* a shipped specialty group, e.g. "tvet-07" */
	char level[8];       /* "tvet" (colleges) or "higher" (universities) */
	char title[256];     /* in lang */
	double weight;       /* share of the group's entering graduates who go into this
				occupation (the flexibility matrix, rows normalised to 1) */
	size_t college_first, ncolleges; /* its colleges in the region: colleges[first .. +n-1] */
};

/* A college of the region teaching a specialty of a path (table college-specialties). */
struct ksp_atlas_college {
	char id[64];
	char name[256];
	char region[16];      /* KATO */
	char specialty[64];   /* the college's specialty code (specialty classifier) */
	char specialty_title[256]; /* in lang */
	char group[32];       /* the shipped specialty group it maps to */
	int year;             /* the intake year of the places */
	double state_places;  /* state-funded places; NAN when not given */
	double paid_places;   /* paid places; NAN when not given */
	double graduates;     /* graduates of that year; NAN when not given */
	char source[64];
};

/* The indicators of one occupation group in one region (or the country) over the run's period. */
struct ksp_atlas_occupation {
	char code[32];
	char title[256];        /* in lang (English when the store has none in lang) */
	char title_source[32];  /* where the title comes from ("" when the store does not say) */
	int level;

	double emp_base;        /* employment (demand) in the base year */
	double emp_target;      /* employment (demand) in the target year */
	double growth;          /* emp_target - emp_base */
	double growth_pct;      /* growth / emp_base (NAN when emp_base is 0) */
	double growth_rel;      /* growth_pct - the region's growth_pct (fraction points) */
	double base_share;      /* emp_base / the region's emp_base */

	/* flows summed over the years base+1 .. target */
	double openings;        /* expansion + exits + transfers */
	double expansion, exits, transfers;
	double new_supply;      /* graduates + migrants + reserve + transfers_in */
	double graduates, migrants, transfers_in;
	double reserve;         /* the labour reserve drawn into work (docs/methodology.md) */
	double other_entrants;  /* beside new supply, not part of it (docs/forecast.md) */
	double balance;         /* new_supply - openings; negative: shortage */
	double shortage_ratio;  /* -balance / emp_target (0 when emp_target is 0) */

	double project_jobs;    /* jobs investment projects add by the target year */

	int has_ages;           /* 0: the data set has no ages by occupation; share_55 is NAN */
	double share_55;        /* share of the workers aged 55+ in the base year */

	int has_bands;          /* the run has draws: the bands below are set, else NAN */
	double balance_p10, balance_p50, balance_p90; /* of the cumulative balance */

	int cls;                /* enum ksp_atlas_class, by the central run */
	int outlook;            /* 1..5 */
	int has_prob;           /* class_prob is set (draws, at the run's level) */
	double class_prob[KSP_ATLAS_NCLASS]; /* share of draws in which each class holds */

	size_t path_first, npaths; /* training: paths[first .. +n-1], largest weight first */
};

/* A region's (or the country's) figures of one year, for the charts. */
struct ksp_atlas_year {
	int year;
	double demand, openings, new_supply, balance;  /* balance: of that year */
	double cum_balance;                             /* from base+1 to this year */
	double population, labour_force;
	/* P10 and P90 (NAN without draws) */
	double demand_p10, demand_p90, new_supply_p10, new_supply_p90;
	double openings_p10, openings_p90, balance_p10, balance_p90;
};

/* A region's shortage for the map (and for comparing regions). */
struct ksp_atlas_area {
	char region[16];        /* KATO (KSP_FORECAST_NATIONAL for the country) */
	char iso[16];           /* ISO 3166-2, e.g. "KZ-75" ("KZ" for the country) */
	char name[256];         /* in lang */
	double emp_target;
	double balance;         /* cumulative, all occupations netted */
	double shortage_ratio;  /* -balance / emp_target */
	double shortfall;       /* the run's gross shortfall in the target year (positive gaps
				   of the groups / demand): the map's colour */
};

/* One occupation in one region, for the card and --compare (options.occupation). */
struct ksp_atlas_place {
	struct ksp_atlas_area area;
	struct ksp_atlas_occupation occ; /* npaths 0: the paths are the atlas's own */
};

/* The region's key figures. */
struct ksp_atlas_key {
	double population_base, population_target;
	double labour_force_base, labour_force_target;
	double emp_base, emp_target, growth, growth_pct;
	double openings, new_supply, balance, shortage_ratio;
	double other_entrants;
	double reserve;                 /* the labour reserve drawn into work, part of new_supply */
	double shortfall;               /* the run's gross shortfall in the target year */
	double balance_p10, balance_p50, balance_p90; /* of the cumulative balance (NAN without draws) */
	size_t nclass[KSP_ATLAS_NCLASS]; /* occupations per class */
	double project_jobs;
};

struct ksp_atlas {
	struct ksp_forecast_run run; /* the run used */
	char region[16];        /* KATO, or KSP_FORECAST_NATIONAL for the country */
	char iso[16];           /* "KZ-75", or "KZ" */
	char name[256];         /* the region's name in lang */
	int national;
	int level;
	char lang[4];
	char classification[32];

	struct ksp_atlas_key key;

	struct ksp_atlas_occupation *occ; /* ordered by code */
	size_t nocc;
	size_t *top;            /* indices into occ: the largest shortages (balance < 0), largest first */
	size_t ntop;
	size_t *by_class[KSP_ATLAS_NCLASS]; /* indices into occ per class, ranked (docs/atlas.md) */

	struct ksp_atlas_year *years; /* base year .. target year */
	size_t nyears;
	struct ksp_atlas_area *areas; /* every region of the run, by KATO; the country last */
	size_t nareas;
	char **boundaries;      /* nareas outlines for the map as stored at init (table
				   region_boundary): a GeoJSON Polygon or MultiPolygon for
				   areas[i], NULL where none is stored (the country) */

	struct ksp_atlas_path *paths;
	size_t npaths;
	struct ksp_atlas_college *colleges;
	size_t ncolleges;

	struct ksp_atlas_place *places; /* options.occupation: the group in every region,
					   largest shortage ratio first; else NULL */
	size_t nplaces;

	/* what the atlas has, and what it lacks (the pages say so) */
	int has_bands;          /* the run has draws */
	int has_prob;           /* class probabilities were stored with the run */
	int has_ages;           /* the data set has ages by occupation */
	int has_paths;          /* the database has specialty groups (forecast-specialties) and
				   the atlas is in ISCO-08 */
	int colleges_imported;  /* the table college-specialties has rows */
	int prob_level;         /* the level the probabilities are for (the run's) */
	char rules_version[17]; /* the rules the classes were computed under (now) */
	char prob_rules_version[17]; /* those the run's probabilities were computed under */
	int prob_stale;         /* the rules changed since the run: probabilities are under the old */
	struct ksp_atlas_rule *rules; /* the rules used, as ksp_atlas_rules_list gives them */
	size_t nrules;
};

/*
 * Build the atlas described by opt from a stored run.  On success *out owns
 * the atlas (free with ksp_atlas_free).  Errors: KSP_ENOTFOUND (no run:
 * "run 'kasip forecast' first"; no such region, or a region the run did not
 * store; no such occupation group at the level; rules missing),
 * KSP_EUSAGE (a level finer than the run's, or a level other than the run's
 * in a national classifier), KSP_EINVAL (a bad rule, a bad flexibility or
 * specialty file, naming file and line), KSP_EDB.  Reads only.
 */
int ksp_atlas_build(struct ksp_store *s, const struct ksp_atlas_options *opt,
		    struct ksp_atlas **out, struct ksp_error *err);
void ksp_atlas_free(struct ksp_atlas *a);

/* The occupation of code in a (NULL if none). */
const struct ksp_atlas_occupation *ksp_atlas_find(const struct ksp_atlas *a, const char *code);

/*
 * Classify one occupation group by the rules (the function the atlas and
 * the forecast's draws use).  rules: the table as ksp_atlas_rules_list
 * gives it.  The measures: the group's employment in the base and target
 * year, its cumulative balance and project jobs, and the region's
 * employment in the base and target year and cumulative balance (all
 * groups).  Returns the class; *outlook (may be NULL) gets 1..5.  A rule
 * missing from the list takes its shipped value (ksp_atlas_rules_list
 * checks that none is missing).  Pure and thread-safe.
 */
int ksp_atlas_classify(const struct ksp_atlas_rule *rules, size_t nrules, double emp_base,
		       double emp_target, double balance, double project_jobs,
		       double region_emp_base, double region_emp_target, double region_balance,
		       int *outlook);

/*
 * What the atlas lacks or qualifies (no ages, no draws, probabilities under
 * older rules, no colleges imported, ...), as sentences in a->lang: emit is
 * called once a sentence, in a fixed order.  Every output prints them.
 */
void ksp_atlas_notes(const struct ksp_atlas *a, void (*emit)(void *ctx, const char *text),
		     void *ctx);

/* ---- writers ------------------------------------------------------------------ */

/*
 * CSV: one row per occupation with every indicator, and the run id,
 * scenario, base and target year, region, level and units in columns of
 * their own, so that each row stands alone; header names are fixed English
 * ids (docs/atlas.md).  JSON: one object with "run", "atlas" (the region,
 * level, language), "key", "occupations" (each with its "training" paths and
 * colleges), "top_shortages", "ranked" (codes per class), "years", "areas",
 * "places" (with options.occupation), "rules", "notes" (ksp_atlas_notes) and
 * "units".  Persons to 2 decimals, fractions to 6, C-locale; NAN is an
 * empty CSV field and a JSON null.  Not thread-safe on one FILE.  Errors:
 * KSP_EIO (a write failed).
 */
int ksp_atlas_write_csv(const struct ksp_atlas *a, FILE *out, struct ksp_error *err);
int ksp_atlas_write_json(const struct ksp_atlas *a, FILE *out, struct ksp_error *err);

/*
 * The printable page (lib/atlas/html.c): one
 * self-contained HTML file with inline SVG charts and the map, labels in
 * a->lang.  ksp_atlas_write_index() writes index.html linking the pages
 * pages[i] written to hrefs[i] (relative file names).  The workbook
 * (lib/atlas/xlsx.c): a sheet of key figures and one per class, written to
 * path.  Errors: KSP_EIO.  docs/atlas.md, "The printable page".
 */
int ksp_atlas_write_html(const struct ksp_atlas *a, FILE *out, struct ksp_error *err);
int ksp_atlas_write_index(const struct ksp_atlas *const *pages, const char *const *hrefs,
			  size_t n, const char *lang, FILE *out, struct ksp_error *err);
int ksp_atlas_write_xlsx(const struct ksp_atlas *a, const char *path, struct ksp_error *err);

#ifdef __cplusplus
}
#endif
#endif

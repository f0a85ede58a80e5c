/*
 * kasip/query.h - reading reference data and statistics for people.
 *
 * Lists are returned in heap arrays the caller frees with the matching
 * *_free function.  Names are UTF-8.  Functions return KSP_OK, KSP_ENOTFOUND
 * (no such region) or KSP_EDB.
 */
#ifndef KASIP_QUERY_H
#define KASIP_QUERY_H

#include <stddef.h>

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KSP_NAME_SIZE 192

struct ksp_region {
	char kato[16];
	char iso[16];
	char type[16]; /* country, oblast, city */
	char name_en[KSP_NAME_SIZE], name_ru[KSP_NAME_SIZE], name_kk[KSP_NAME_SIZE];
	char centre_en[KSP_NAME_SIZE], centre_ru[KSP_NAME_SIZE], centre_kk[KSP_NAME_SIZE];
	double lat, lon;
	int has_centre;
	double population;   /* the latest average annual population, or -1 */
	int population_year; /* its year, or 0 */
};

enum { KSP_REGION_WITH_COUNTRY = 1u };

/* The regions ordered by KATO code (the country first when asked for). */
int ksp_region_list(struct ksp_store *s, unsigned flags, struct ksp_region **out, size_t *n,
		    struct ksp_error *err);
void ksp_region_list_free(struct ksp_region *list);
/* One region by KATO or ISO 3166-2 code (case-insensitive). */
int ksp_region_find(struct ksp_store *s, const char *code, struct ksp_region *out,
		    struct ksp_error *err);
/* The name in lang ("kk", "ru", anything else: English). */
const char *ksp_region_name(const struct ksp_region *r, const char *lang);
const char *ksp_region_centre(const struct ksp_region *r, const char *lang);

/*
 * A region's boundary as kasip init stored it from the data set
 * (data/kz/regions.geojson, table region_boundary): *geometry gets a heap
 * copy of its GeoJSON Polygon or MultiPolygon, unsimplified (free() it),
 * or NULL when none is stored (the country).  Errors: KSP_EDB.
 */
int ksp_region_boundary(struct ksp_store *s, const char *kato, char **geometry,
			struct ksp_error *err);

struct ksp_occupation {
	char classification[32];
	char code[16];
	int level;
	char parent_code[16];
	char title_en[KSP_NAME_SIZE * 2], title_ru[KSP_NAME_SIZE * 2], title_kk[KSP_NAME_SIZE * 2];
	/* Where each title comes from: "official", "repaired", "translation" or "" (not stated). */
	char title_en_source[16], title_ru_source[16], title_kk_source[16];
};

struct ksp_occupation_query {
	const char *classification; /* NULL: ISCO-08 */
	int level;                  /* 0: every level */
	const char *under;          /* NULL, or a code whose descendants (and itself) to list */
	const char *search;         /* NULL, or a substring of the title in kk, ru or en (case-
				       insensitive for Latin and Cyrillic, Kazakh letters included) */
};

int ksp_occupation_list(struct ksp_store *s, const struct ksp_occupation_query *q,
			struct ksp_occupation **out, size_t *n, struct ksp_error *err);
void ksp_occupation_list_free(struct ksp_occupation *list);
/* The title in lang, falling back to English where the data set has none. */
const char *ksp_occupation_title(const struct ksp_occupation *o, const char *lang);
/*
 * Where the title ksp_occupation_title() returns comes from: "official",
 * "repaired", "translation" or "" (the importer did not say); data/kz/SOURCES.md.
 */
const char *ksp_occupation_title_source(const struct ksp_occupation *o, const char *lang);

/* One figure with its year, unit and source, for profiles and summaries. */
struct ksp_fact {
	char topic[32];      /* population, labour force, employment, ... (English; the
				"data" context of the catalogue translates it) */
	char indicator[320]; /* what the figure is, in the language asked for */
	char key[160];       /* the same in English, whatever the language: for programs */
	int year;            /* 0 when it does not apply */
	double value;
	char unit[24];
	char source[48];     /* source id, or "computed" */
	char kind[16];       /* official, derived, estimate, assumption, user, computed */
};

/*
 * Everything the database holds about one region (by KATO code).  lang
 * ("kk", "ru", "en"; NULL is English) is the language of each fact's
 * indicator, industries' titles included; topic, unit, source and kind stay
 * codes.  *out is the caller's, freed with ksp_fact_list_free().
 */
int ksp_region_facts(struct ksp_store *s, const char *kato, const char *lang,
		     struct ksp_fact **out, size_t *n, struct ksp_error *err);
/* Counts of rows, national totals and the checks that regions sum to them (lang as above). */
int ksp_dataset_summary(struct ksp_store *s, const char *lang, struct ksp_fact **out,
			size_t *n, struct ksp_error *err);
void ksp_fact_list_free(struct ksp_fact *list);

#ifdef __cplusplus
}
#endif
#endif

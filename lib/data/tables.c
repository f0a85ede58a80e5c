/*
 * tables.c - the registry of importable and exportable tables.
 *
 * Column names here are the CSV headers (see docs/data.md and `kasip tables`).
 */
#include "data/tables.h"

#include <stdlib.h>
#include <string.h>

static const struct ksp_column source_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, "a short id, e.g. bns-6576", NULL },
	{ "kind", NULL, KSP_COL_ENUM, 0, "official|derived|estimate|assumption|user", NULL, NULL,
	  "what kind of figure the source gives", NULL },
	{ "title", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "the title of the source", NULL },
	{ "publisher", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "who published it", NULL },
	{ "url", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "where it can be read", NULL },
	{ "method", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  "how derived figures and estimates were made", NULL },
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "anything else", NULL },
};

static const struct ksp_column region_cols[] = {
	{ "kato", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, "the 9-digit KATO code", NULL },
	{ "iso", NULL, KSP_COL_CODE, 0, NULL, NULL, NULL, "the ISO 3166-2 code, e.g. KZ-59", NULL },
	{ "type", NULL, KSP_COL_ENUM, 0, "country|oblast|city", NULL, NULL, "the kind of unit", NULL },
	{ "name_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "the English name", NULL },
	{ "name_ru", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "the Russian name", NULL },
	{ "name_kk", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "the Kazakh name", NULL },
	{ "centre_en", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "the centre, English", NULL },
	{ "centre_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "the centre, Russian", NULL },
	{ "centre_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "the centre, Kazakh", NULL },
	{ "lat", NULL, KSP_COL_LAT, KSP_COL_OPTIONAL, NULL, NULL, NULL, "the centre's latitude", NULL },
	{ "lon", NULL, KSP_COL_LON, KSP_COL_OPTIONAL, NULL, NULL, NULL, "the centre's longitude", NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column distance_cols[] = {
	{ "from_region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, "a region code", NULL },
	{ "to_region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, "a region code", NULL },
	{ "kind", NULL, KSP_COL_ENUM, KSP_COL_KEY, "great_circle|road|rail", NULL, NULL,
	  "how the distance is measured", NULL },
	{ "value", NULL, KSP_COL_UREAL, 0, NULL, NULL, NULL, "the distance" ,
	  "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "km", NULL, NULL, "km" ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column classification_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, "e.g. ISCO-08, NKZ-2017, OKED", NULL },
	{ "domain", NULL, KSP_COL_ENUM, 0, "occupation|industry|specialty", NULL, NULL,
	  "what it classifies", NULL },
	{ "title", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "its full title", NULL },
	KSP_SOURCE_COLUMN,
};

/*
 * Where a title comes from (migration 6, lib/store/schema_titles.c): official
 * (verbatim from an official classifier), repaired (an official title with a
 * defect of its copy fixed or foreign wording adapted) or translation.
 */
#define KSP_TITLE_SOURCE_COLUMN(lang, language)                                         \
	{ "title_" lang "_source", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL,                \
	  "official|repaired|translation", NULL, "",                                     \
	  "where the " language " title comes from: official, repaired or translation",  \
	  NULL }

/* A title's source needs the title: columns title, title + 3 (en, ru, kk). */
static const char *check_title_sources(const char *const *values, int title, int *column)
{
	for (int l = 0; l < 3; l++)
		if (values[title + 3 + l][0] && !values[title + l][0]) {
			*column = title + 3 + l;
			return "a title's source is given but the title is empty";
		}
	return NULL;
}

static const struct ksp_column occupation_cols[] = {
	{ "classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE domain = 'occupation' AND id = ?", NULL, NULL,
	  "an occupation classification, e.g. ISCO-08", NULL },
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, "the group's code", NULL },
	{ "level", NULL, KSP_COL_UINT, 0, NULL, NULL, NULL, "1 major .. 4 unit group (5 national)", NULL },
	{ "parent_code", NULL, KSP_COL_REF, KSP_COL_OPTIONAL,
	  "SELECT 1 FROM occupation WHERE classification = ? AND code = ?", "classification", NULL,
	  "the code of the group above, listed earlier in the file or already loaded", NULL },
	{ "title_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "English title", NULL },
	{ "title_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "Russian title", NULL },
	{ "title_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "Kazakh title", NULL },
	KSP_TITLE_SOURCE_COLUMN("en", "English"),
	KSP_TITLE_SOURCE_COLUMN("ru", "Russian"),
	KSP_TITLE_SOURCE_COLUMN("kk", "Kazakh"),
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column crosswalk_cols[] = {
	{ "from_classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE id = ?", NULL, NULL, "e.g. NKZ-2017", NULL },
	{ "from_code", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = ? AND code = ?", "from_classification",
	  NULL, "a code of the first classification", NULL },
	{ "to_classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE id = ?", NULL, NULL, "e.g. ISCO-08", NULL },
	{ "to_code", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = ? AND code = ?", "to_classification",
	  NULL, "a code of the second classification", NULL },
	{ "weight", NULL, KSP_COL_UREAL, 0, NULL, NULL, NULL,
	  "the share of the first code that goes to the second (0 < w <= 1)", NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column industry_cols[] = {
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  "an OKED section (A..U), division (01..99) or aggregate (TOTAL, B-F, G-U)", NULL },
	{ "level", NULL, KSP_COL_UINT, 0, NULL, NULL, NULL, "0 aggregate, 1 section, 2 division", NULL },
	{ "parent_code", NULL, KSP_COL_REF, KSP_COL_OPTIONAL, "SELECT 1 FROM industry WHERE code = ?",
	  NULL, NULL, "the code above", NULL },
	{ "title_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "English title", NULL },
	{ "title_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "Russian title", NULL },
	{ "title_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "Kazakh title", NULL },
	KSP_TITLE_SOURCE_COLUMN("en", "English"),
	KSP_TITLE_SOURCE_COLUMN("ru", "Russian"),
	KSP_TITLE_SOURCE_COLUMN("kk", "Kazakh"),
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column population_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  "a KATO or ISO 3166-2 region code (KZ for the country)" ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, "the year" ,
	  "год|жыл" },
	{ "measure", NULL, KSP_COL_ENUM, KSP_COL_KEY | KSP_COL_OPTIONAL, "average|jan1", NULL,
	  "average", "average annual population or population on 1 January", NULL },
	{ "sex", NULL, KSP_COL_ENUM, KSP_COL_KEY | KSP_COL_OPTIONAL, "total|male|female", NULL,
	  "total", "sex" ,
	  "пол|жынысы" },
	{ "age", NULL, KSP_COL_AGE, KSP_COL_KEY | KSP_COL_OPTIONAL, NULL, NULL, "total",
	  "total, 37, 15-64 or 100+" ,
	  "возраст|жас|жасы" },
	{ "population", "value", KSP_COL_UREAL, 0, NULL, NULL, NULL, "the number of persons" ,
	  "value|население|численность|халық|халық саны" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "persons|thousand persons", NULL, "persons",
	  "the unit" ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column labour_force_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, "a region code" ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, "the year" ,
	  "год|жыл" },
	{ "indicator", NULL, KSP_COL_ENUM, KSP_COL_KEY,
	  "labour_force|employed|unemployed|unemployment_rate|participation_rate", NULL, NULL,
	  "what is measured", NULL },
	{ "sex", NULL, KSP_COL_ENUM, KSP_COL_KEY | KSP_COL_OPTIONAL, "total|male|female", NULL,
	  "total", "sex" ,
	  "пол|жынысы" },
	{ "age", NULL, KSP_COL_AGE, KSP_COL_KEY | KSP_COL_OPTIONAL, NULL, NULL, "15+",
	  "the age group, e.g. 15+" ,
	  "возраст|жас|жасы" },
	{ "value", NULL, KSP_COL_UREAL, 0, NULL, NULL, NULL, "the figure" ,
	  "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "persons|thousand persons|percent", NULL, NULL, "the unit" ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column employment_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, "a region code" ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, "the year" ,
	  "год|жыл" },
	{ "industry", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM industry WHERE code = ?", NULL,
	  NULL, "an OKED section, division or aggregate code" ,
	  "окэд|оквэд|отрасль|сала|экономикалық қызмет түрі" },
	{ "employed", "value", KSP_COL_UREAL, 0, NULL, NULL, NULL, "employed persons" ,
	  "value|занятые|занятое население|жұмыспен қамтылғандар" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "persons|thousand persons", NULL, "persons",
	  "the unit" ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column vital_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, "a region code" ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, "the year" ,
	  "год|жыл" },
	{ "event", NULL, KSP_COL_ENUM, KSP_COL_KEY,
	  "births|deaths|natural_increase|net_migration|internal_net_migration|"
	  "external_net_migration|arrivals|departures",
	  NULL, NULL, "the kind of event", NULL },
	{ "value", NULL, KSP_COL_REAL, 0, NULL, NULL, NULL, "the count (net figures may be negative)" ,
	  "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "persons|thousand persons", NULL, NULL, "the unit" ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column quota_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, "the receiving region" ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, "the year" ,
	  "год|жыл" },
	{ "category", NULL, KSP_COL_ENUM, KSP_COL_KEY, "kandas|settlers", NULL, NULL,
	  "kandas (repatriates) or settlers (internal migrants)", NULL },
	{ "quota", "value", KSP_COL_UREAL, 0, NULL, NULL, NULL, "persons in the quota" ,
	  "value|квота|квота" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "persons", NULL, NULL, "the unit" ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

/* ---- dual-training placement (migration 2, lib/match/schema.c; docs/matching.md) ---- */

#define KSP_REGION_ALIASES "регион|область|облыс|аймақ|като|kato|iso"

static const struct ksp_column college_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, "the college's id, e.g. C0001",
	  NULL },
	{ "name", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "the college's name",
	  "название|атауы" },
	{ "region", NULL, KSP_COL_REGION, 0, NULL, NULL, NULL, "the region the college is in",
	  KSP_REGION_ALIASES },
};

static const struct ksp_column enterprise_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  "the enterprise's id, e.g. its BIN", NULL },
	{ "name", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "the enterprise's name",
	  "название|атауы" },
	{ "region", NULL, KSP_COL_REGION, 0, NULL, NULL, NULL, "the region its places are in",
	  KSP_REGION_ALIASES },
};

static const struct ksp_column place_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  "the place's id, e.g. E000123-SP007", NULL },
	{ "enterprise", NULL, KSP_COL_REF, 0, "SELECT 1 FROM enterprise WHERE id = ?", NULL, NULL,
	  "the id of an enterprise (table enterprises)", NULL },
	{ "specialty", NULL, KSP_COL_CODE, 0, NULL, NULL, NULL, "the specialty's code", NULL },
	{ "capacity", NULL, KSP_COL_UINT, 0, NULL, NULL, NULL,
	  "how many students the place takes", NULL },
};

static const struct ksp_column student_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, "the student's id", NULL },
	{ "college", NULL, KSP_COL_REF, 0, "SELECT 1 FROM college WHERE id = ?", NULL, NULL,
	  "the id of a college (table colleges)", NULL },
	{ "specialty", NULL, KSP_COL_CODE, 0, NULL, NULL, NULL, "the specialty's code", NULL },
	{ "score", NULL, KSP_COL_REAL, 0, NULL, NULL, NULL,
	  "the score places rank by (higher is better)", NULL },
	{ "region", NULL, KSP_COL_REGION, KSP_COL_OPTIONAL, NULL, NULL, NULL,
	  "where the student lives, if not the college's region", KSP_REGION_ALIASES },
};

static const struct ksp_column choice_cols[] = {
	{ "student", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM student WHERE id = ?", NULL,
	  NULL, "the id of a student (table students)", NULL },
	{ "rank", NULL, KSP_COL_PINT, KSP_COL_KEY, NULL, NULL, NULL,
	  "1 for the student's first choice, 2 for the second, ...", NULL },
	{ "place", NULL, KSP_COL_REF, 0,
	  "SELECT 1 FROM place p JOIN student s ON s.specialty = p.specialty "
	  "WHERE s.id = ? AND p.id = ?",
	  "student", NULL, "the id of a place (table places) in the student's specialty", NULL },
};

static const struct ksp_column ranking_cols[] = {
	{ "enterprise", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM enterprise WHERE id = ?",
	  NULL, NULL, "the id of an enterprise (table enterprises)", NULL },
	{ "place", NULL, KSP_COL_REF, KSP_COL_KEY | KSP_COL_OPTIONAL,
	  "SELECT 1 FROM place WHERE enterprise = ? AND id = ?", "enterprise", "",
	  "one of the enterprise's places, or empty for all of them", NULL },
	{ "student", NULL, KSP_COL_REF, KSP_COL_KEY | KSP_COL_OPTIONAL,
	  "SELECT 1 FROM student WHERE id = ?", NULL, "",
	  "a student it ranks (give a student or a college)", NULL },
	{ "college", NULL, KSP_COL_REF, KSP_COL_KEY | KSP_COL_OPTIONAL,
	  "SELECT 1 FROM college WHERE id = ?", NULL, "",
	  "a college whose students it ranks (give a student or a college)", NULL },
	{ "rank", NULL, KSP_COL_PINT, 0, NULL, NULL, NULL,
	  "1 = best; equal ranks tie and the lottery decides", NULL },
};

static const struct ksp_column project_cols[] = {
	{ "name", NULL, KSP_COL_TEXT, KSP_COL_KEY, NULL, NULL, NULL,
	  "the project's name, e.g. \"Petropavl heavy machinery plant\"", "проект|жоба|название|атауы" },
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, "a region code",
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "occupation", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = 'ISCO-08' AND code = ?", NULL, NULL,
	  "an ISCO-08 code of any level: the jobs are spread over its unit groups",
	  "isco|мсзр|занятие|профессия|кәсіп" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL,
	  "the year the jobs appear (they stay in later years)", "год|жыл" },
	{ "jobs", NULL, KSP_COL_UREAL, 0, NULL, NULL, NULL, "the jobs the project adds",
	  "рабочие места|жұмыс орындары" },
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "anything else", NULL },
	KSP_SOURCE_COLUMN,
};

/* ---- the atlas (lib/atlas/) ---- */

static const struct ksp_column atlas_rule_cols[] = {
	{ "name", NULL, KSP_COL_ENUM, KSP_COL_KEY,
	  "in_demand.min_shortage_ratio|in_demand.min_over_region|emerging.min_growth|"
	  "emerging.min_growth_over_region|emerging.min_project_share|emerging.max_base_share|"
	  "declining.max_growth|declining.max_over_region|outlook.very_good.min_over_region|"
	  "outlook.good.min_over_region|outlook.moderate.min_over_region|"
	  "outlook.limited.min_over_region|outlook.up.min_growth|outlook.down.max_growth",
	  NULL, NULL, "the rule's threshold (docs/methodology.md, \"Atlas classes and outlook\")",
	  NULL },
	{ "value", NULL, KSP_COL_REAL, 0, NULL, NULL, NULL, "the threshold", "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "fraction", NULL, "fraction",
	  "fraction (0.05 is 5 %)", NULL },
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "why the value", NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column specialty_cols[] = {
	{ "classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE domain = 'specialty' AND id = ?", NULL, NULL,
	  "a specialty classification (classifications, domain specialty)", NULL },
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, "the specialty's code",
	  "код|коды" },
	{ "level", NULL, KSP_COL_ENUM, 0, "tvet|higher", NULL, NULL,
	  "tvet (colleges) or higher (universities)", NULL },
	{ "title_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, "English title", NULL },
	{ "title_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "Russian title", NULL },
	{ "title_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "", "Kazakh title", NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column specialty_crosswalk_cols[] = {
	{ "classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE domain = 'specialty' AND id = ?", NULL, NULL,
	  "the specialty classification", NULL },
	{ "code", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM specialty WHERE classification = ? AND code = ?", "classification", NULL,
	  "a specialty code of it", NULL },
	{ "specialty_group", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  "a specialty group of the forecast, tvet-01..tvet-10 or higher-01..higher-10 "
	  "(data/kz/forecast/specialties.csv)", NULL },
	{ "weight", NULL, KSP_COL_UREAL, 0, NULL, NULL, NULL,
	  "the share of the specialty in the group, 0 < weight <= 1", NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column college_specialty_cols[] = {
	{ "college", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM college WHERE id = ?", NULL,
	  NULL, "a college's id (table colleges)", "колледж" },
	{ "classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE domain = 'specialty' AND id = ?", NULL, NULL,
	  "the specialty classification", NULL },
	{ "specialty", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM specialty WHERE classification = ? AND code = ?", "classification", NULL,
	  "the specialty's code", "специальность|мамандық" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, "the intake year", "год|жыл" },
	{ "state_places", NULL, KSP_COL_UREAL, KSP_COL_OPTIONAL, NULL, NULL, NULL,
	  "state-funded places (state order)", "гранты|госзаказ|мемлекеттік тапсырыс" },
	{ "paid_places", NULL, KSP_COL_UREAL, KSP_COL_OPTIONAL, NULL, NULL, NULL, "paid places",
	  "платные|ақылы" },
	{ "graduates", NULL, KSP_COL_UREAL, KSP_COL_OPTIONAL, NULL, NULL, NULL,
	  "graduates of the year", "выпускники|түлектер" },
	KSP_SOURCE_COLUMN,
};

/* A crosswalk row's group is one of the forecast's and its weight is at most 1. */
static const char *check_specialty_crosswalk(const char *const *values, int *column)
{
	const char *g = values[2], *num;
	char *end;
	double w;

	num = !strncmp(g, "tvet-", 5) ? g + 5 : !strncmp(g, "higher-", 7) ? g + 7 : NULL;
	if (!num || strlen(num) != 2 || num[0] < '0' || num[0] > '1' || num[1] < '0' ||
	    num[1] > '9' || !strcmp(num, "00") || (num[0] == '1' && num[1] != '0')) {
		*column = 3;
		return "expected a specialty group tvet-01..tvet-10 or higher-01..higher-10";
	}
	w = strtod(values[3], &end);
	if (!(w > 0 && w <= 1)) {
		*column = 4;
		return "expected a weight above 0 and at most 1";
	}
	return NULL;
}

static const struct ksp_table t_sources = {
	"sources", "source", "where every figure comes from, and how estimates were made",
	KSP_COLS(source_cols), "id", NULL, NULL };
static const struct ksp_table t_regions = {
	"regions", "region", "the country, its 17 oblasts and 3 cities: KATO, ISO, names, centres",
	KSP_COLS(region_cols), "kato", NULL, NULL };
static const struct ksp_table t_distances = {
	"region-distances", "region_distance", "distances between regional centres",
	KSP_COLS(distance_cols), "from_region, to_region, kind", NULL, NULL };
static const struct ksp_table t_classifications = {
	"classifications", "classification", "classifications of occupations, industries, specialties",
	KSP_COLS(classification_cols), "id", NULL, NULL };
static const char *check_occupation(const char *const *values, int *column)
{
	return check_title_sources(values, 4, column);
}

static const char *check_industry(const char *const *values, int *column)
{
	return check_title_sources(values, 3, column);
}

static const struct ksp_table t_occupations = {
	"occupations", "occupation", "occupation groups (ISCO-08 and national classifiers)",
	KSP_COLS(occupation_cols), "classification, code", NULL, check_occupation };
static const struct ksp_table t_crosswalk = {
	"occupation-crosswalk", "occupation_crosswalk",
	"a national classifier's codes mapped to ISCO-08 with weights",
	KSP_COLS(crosswalk_cols), "from_classification, from_code, to_classification, to_code", NULL, NULL };
static const struct ksp_table t_industries = {
	"industries", "industry", "OKED sections, divisions and aggregates",
	KSP_COLS(industry_cols), "level, code", NULL, check_industry };
static const struct ksp_table t_population = {
	"population", "population", "population by region, year, sex and age",
	KSP_COLS(population_cols), "region, year, measure, sex, age", NULL, NULL };
static const struct ksp_table t_labour_force = {
	"labour-force", "labour_force", "labour force, employment and unemployment by region",
	KSP_COLS(labour_force_cols), "region, year, indicator, sex, age", NULL, NULL };
static const struct ksp_table t_employment = {
	"employment", "employment", "employed persons by region and industry",
	KSP_COLS(employment_cols), "region, year, industry", NULL, NULL };
static const struct ksp_table t_vital = {
	"vital-events", "vital_event", "births, deaths and migration by region",
	KSP_COLS(vital_cols), "region, year, event", NULL, NULL };
static const struct ksp_table t_quota = {
	"resettlement-quota", "resettlement_quota",
	"yearly quota of kandas and settlers each region receives",
	KSP_COLS(quota_cols), "year, category, region", NULL, NULL };

/* A project's jobs are in a region, not in the country as a whole. */
static const char *check_project(const char *const *values, int *column)
{
	if (!strcmp(values[1], "KZ") || !strcmp(values[1], "kz") ||
	    !strcmp(values[1], "000000000")) {
		*column = 1;
		return "a project's jobs are in a region: give an oblast or a city, not the country";
	}
	return NULL;
}

static const struct ksp_table t_projects = {
	"forecast-projects", "forecast_project",
	"investment projects: jobs they add by region, ISCO-08 group and year (read by every forecast)",
	KSP_COLS(project_cols), "region, year, name, occupation", NULL, check_project };

/* A ranking row names a student or a college, not both and not neither. */
static const char *check_ranking(const char *const *values, int *column)
{
	int student = values[2][0] != '\0', college = values[3][0] != '\0';

	if (student && college) {
		*column = 3;
		return "give a student or a college in a ranking row, not both";
	}
	if (!student && !college) {
		*column = 2;
		return "give a student or a college in a ranking row";
	}
	return NULL;
}

static const struct ksp_table t_colleges = {
	"colleges", "college", "colleges taking part in dual training, by region",
	KSP_COLS(college_cols), "id", NULL, NULL };
static const struct ksp_table t_enterprises = {
	"enterprises", "enterprise", "enterprises offering dual-training places, by region",
	KSP_COLS(enterprise_cols), "id", NULL, NULL };
static const struct ksp_table t_places = {
	"places", "place", "an enterprise's dual-training seats in one specialty",
	KSP_COLS(place_cols), "id", "enterprise,specialty", NULL };
static const struct ksp_table t_students = {
	"students", "student", "students to place: college, specialty, score",
	KSP_COLS(student_cols), "id", NULL, NULL };
static const struct ksp_table t_choices = {
	"choices", "choice", "every student's ranked list of places",
	KSP_COLS(choice_cols), "student, rank", "student,place", NULL };
static const struct ksp_table t_rankings = {
	"enterprise-rankings", "enterprise_ranking",
	"enterprises' own rankings of students or colleges (else by score)",
	KSP_COLS(ranking_cols), "enterprise, place, student, college", NULL, check_ranking };

static const struct ksp_table t_atlas_rules = {
	"atlas-rules", "atlas_rule",
	"the thresholds of the atlas's class and outlook rules (kasip atlas rules)",
	KSP_COLS(atlas_rule_cols), "name", NULL, NULL };
static const struct ksp_table t_specialties = {
	"specialties", "specialty",
	"a specialty classifier (TVET or higher education) with kk, ru and en titles",
	KSP_COLS(specialty_cols), "classification, code", NULL, NULL };
static const struct ksp_table t_specialty_crosswalk = {
	"specialty-crosswalk", "specialty_crosswalk",
	"a specialty classifier's codes mapped to the forecast's specialty groups",
	KSP_COLS(specialty_crosswalk_cols), "classification, code, specialty_group", NULL,
	check_specialty_crosswalk };
static const struct ksp_table t_college_specialties = {
	"college-specialties", "college_specialty",
	"which specialties a college teaches, with state-funded and paid places and graduates",
	KSP_COLS(college_specialty_cols), "college, classification, specialty, year", NULL, NULL };

const struct ksp_table *const ksp_tables[] = {
	&t_sources, &t_regions, &t_distances, &t_classifications, &t_occupations, &t_crosswalk,
	&t_industries, &t_population, &t_labour_force, &t_employment, &t_vital, &t_quota,
	&t_projects, &t_colleges, &t_enterprises, &t_places, &t_students, &t_choices, &t_rankings,
	&t_atlas_rules, &t_specialties, &t_specialty_crosswalk, &t_college_specialties,
};
const size_t ksp_tables_count = sizeof(ksp_tables) / sizeof(ksp_tables[0]);

static int same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '_' ? '-' : *a, y = *b == '_' ? '-' : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

const struct ksp_table *ksp_table_find(const char *name)
{
	for (size_t i = 0; i < ksp_tables_count; i++)
		if (same_name(ksp_tables[i]->name, name) || same_name(ksp_tables[i]->sql_table, name))
			return ksp_tables[i];
	return NULL;
}

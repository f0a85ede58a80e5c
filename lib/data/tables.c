/*
 * tables.c - the registry of importable and exportable tables.
 *
 * Column names here are the CSV headers (see docs/data.md and `kasip tables`).
 */
#include "data/tables.h"

#include <stdlib.h>
#include <string.h>

#include "kasip/csv.h"
#include "kasip/i18n.h"

static const struct ksp_column source_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("a short id, e.g. bns-6576"), NULL },
	{ "kind", NULL, KSP_COL_ENUM, 0, "official|derived|estimate|assumption|user", NULL, NULL,
	  KSP_N_("what kind of figure the source gives"), NULL },
	{ "title", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL,
	  KSP_N_("the title of the source"), NULL },
	{ "publisher", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("who published it"), NULL },
	{ "url", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("where it can be read"), NULL },
	{ "method", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("how derived figures and estimates were made"), NULL },
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("anything else"), NULL },
};

static const struct ksp_column region_cols[] = {
	{ "kato", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the 9-digit KATO code"), NULL },
	{ "iso", NULL, KSP_COL_CODE, 0, NULL, NULL, NULL,
	  KSP_N_("the ISO 3166-2 code, e.g. KZ-59"), NULL },
	{ "type", NULL, KSP_COL_ENUM, 0, "country|oblast|city", NULL, NULL,
	  KSP_N_("the kind of unit"), NULL },
	{ "name_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("the English name"), NULL },
	{ "name_ru", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("the Russian name"), NULL },
	{ "name_kk", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("the Kazakh name"), NULL },
	{ "centre_en", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("the centre, English"), NULL },
	{ "centre_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("the centre, Russian"), NULL },
	{ "centre_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("the centre, Kazakh"), NULL },
	{ "lat", NULL, KSP_COL_LAT, KSP_COL_OPTIONAL, NULL, NULL, NULL,
	  KSP_N_("the centre's latitude"), NULL },
	{ "lon", NULL, KSP_COL_LON, KSP_COL_OPTIONAL, NULL, NULL, NULL,
	  KSP_N_("the centre's longitude"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column distance_cols[] = {
	{ "from_region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("a region code"), NULL },
	{ "to_region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("a region code"), NULL },
	{ "kind", NULL, KSP_COL_ENUM, KSP_COL_KEY, "great_circle|road|rail", NULL, NULL,
	  KSP_N_("how the distance is measured"), NULL },
	{ "value", NULL, KSP_COL_UREAL, 0, "0..20000", NULL, NULL, KSP_N_("the distance") ,
	  "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "km", NULL, NULL, KSP_N_("km") ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column classification_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("e.g. ISCO-08, NKZ-2017, OKED"), NULL },
	{ "domain", NULL, KSP_COL_ENUM, 0, "occupation|industry|specialty", NULL, NULL,
	  KSP_N_("what it classifies"), NULL },
	{ "title", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("its full title"), NULL },
	KSP_SOURCE_COLUMN,
};

/*
 * Where a title comes from (migration 6, lib/store/schema_titles.c): official
 * (verbatim from an official classifier), repaired (an official title with a
 * defect of its copy fixed or foreign wording adapted) or translation.
 */
#define KSP_TITLE_SOURCE_COLUMN(lang, what)                                         \
	{ "title_" lang "_source", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL,            \
	  "official|repaired|translation", NULL, "", what, NULL }
/* (each key on one line: tools/po2c reads no literal split over a macro's lines) */
#define KSP_TITLE_SOURCE_COLUMNS \
	KSP_TITLE_SOURCE_COLUMN("en", KSP_N_("where the English title comes from: official, repaired or translation")), \
	KSP_TITLE_SOURCE_COLUMN("ru", KSP_N_("where the Russian title comes from: official, repaired or translation")), \
	KSP_TITLE_SOURCE_COLUMN("kk", KSP_N_("where the Kazakh title comes from: official, repaired or translation"))

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
	  KSP_N_("an occupation classification, e.g. ISCO-08"), NULL },
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the group's code"), NULL },
	{ "level", NULL, KSP_COL_UINT, 0, "1..5", NULL, NULL,
	  KSP_N_("1 major .. 4 unit group (5 national)"), NULL },
	{ "parent_code", NULL, KSP_COL_REF, KSP_COL_OPTIONAL,
	  "SELECT 1 FROM occupation WHERE classification = ? AND code = ?", "classification", NULL,
	  KSP_N_("the code of the group above, listed earlier in the file or already loaded"), NULL },
	{ "title_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("English title"), NULL },
	{ "title_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Russian title"), NULL },
	{ "title_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Kazakh title"), NULL },
	KSP_TITLE_SOURCE_COLUMNS,
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column crosswalk_cols[] = {
	{ "from_classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE id = ?", NULL, NULL, KSP_N_("e.g. NKZ-2017"), NULL },
	{ "from_code", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = ? AND code = ?", "from_classification",
	  NULL, KSP_N_("a code of the first classification"), NULL },
	{ "to_classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE id = ?", NULL, NULL, KSP_N_("e.g. ISCO-08"), NULL },
	{ "to_code", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = ? AND code = ?", "to_classification",
	  NULL, KSP_N_("a code of the second classification"), NULL },
	{ "weight", NULL, KSP_COL_UREAL, 0, "0..1", NULL, NULL,
	  KSP_N_("the share of the first code that goes to the second (0 < w <= 1)"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column industry_cols[] = {
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("an OKED section (A..U), division (01..99) or aggregate (TOTAL, B-F, G-U)"), NULL },
	{ "level", NULL, KSP_COL_UINT, 0, "0..4", NULL, NULL,
	  KSP_N_("0 aggregate, 1 section, 2 division"), NULL },
	{ "parent_code", NULL, KSP_COL_REF, KSP_COL_OPTIONAL, "SELECT 1 FROM industry WHERE code = ?",
	  NULL, NULL, KSP_N_("the code above"), NULL },
	{ "title_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("English title"), NULL },
	{ "title_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Russian title"), NULL },
	{ "title_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Kazakh title"), NULL },
	KSP_TITLE_SOURCE_COLUMNS,
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column population_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("a KATO or ISO 3166-2 region code (KZ for the country)") ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("the year") ,
	  "год|жыл" },
	{ "measure", NULL, KSP_COL_ENUM, KSP_COL_KEY | KSP_COL_OPTIONAL, "average|jan1", NULL,
	  "average", KSP_N_("average annual population or population on 1 January"), NULL },
	{ "sex", NULL, KSP_COL_ENUM, KSP_COL_KEY | KSP_COL_OPTIONAL, "total|male|female", NULL,
	  "total", KSP_N_("sex") ,
	  "пол|жынысы" },
	{ "age", NULL, KSP_COL_AGE, KSP_COL_KEY | KSP_COL_OPTIONAL, NULL, NULL, "total",
	  KSP_N_("total, 37, 15-64 or 100+") ,
	  "возраст|жас|жасы" },
	{ "population", "value", KSP_COL_UREAL, 0, "0..30000000", NULL, NULL,
	  KSP_N_("the number of persons") ,
	  "value|население|численность|халық|халық саны" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "persons|thousand persons", NULL, "persons",
	  KSP_N_("the unit") ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column labour_force_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("a region code") ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("the year") ,
	  "год|жыл" },
	{ "indicator", NULL, KSP_COL_ENUM, KSP_COL_KEY,
	  "labour_force|employed|unemployed|unemployment_rate|participation_rate", NULL, NULL,
	  KSP_N_("what is measured"), NULL },
	{ "sex", NULL, KSP_COL_ENUM, KSP_COL_KEY | KSP_COL_OPTIONAL, "total|male|female", NULL,
	  "total", KSP_N_("sex") ,
	  "пол|жынысы" },
	{ "age", NULL, KSP_COL_AGE, KSP_COL_KEY | KSP_COL_OPTIONAL, NULL, NULL, "15+",
	  KSP_N_("the age group, e.g. 15+") ,
	  "возраст|жас|жасы" },
	{ "value", NULL, KSP_COL_UREAL, 0, "0..30000000", NULL, NULL, KSP_N_("the figure") ,
	  "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "persons|thousand persons|percent", NULL, NULL,
	  KSP_N_("the unit") ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column employment_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("a region code") ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("the year") ,
	  "год|жыл" },
	{ "industry", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM industry WHERE code = ?", NULL,
	  NULL, KSP_N_("an OKED section, division or aggregate code") ,
	  "окэд|оквэд|отрасль|сала|экономикалық қызмет түрі" },
	{ "employed", "value", KSP_COL_UREAL, 0, "0..30000000", NULL, NULL,
	  KSP_N_("employed persons") ,
	  "value|занятые|занятое население|жұмыспен қамтылғандар" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "persons|thousand persons", NULL, "persons",
	  KSP_N_("the unit") ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column vital_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("a region code") ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("the year") ,
	  "год|жыл" },
	{ "event", NULL, KSP_COL_ENUM, KSP_COL_KEY,
	  "births|deaths|natural_increase|net_migration|internal_net_migration|"
	  "external_net_migration|arrivals|departures",
	  NULL, NULL, KSP_N_("the kind of event"), NULL },
	{ "value", NULL, KSP_COL_REAL, 0, "-10000000..10000000", NULL, NULL,
	  KSP_N_("the count (net figures may be negative)") ,
	  "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "persons|thousand persons", NULL, NULL,
	  KSP_N_("the unit") ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column quota_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the receiving region") ,
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("the year") ,
	  "год|жыл" },
	{ "category", NULL, KSP_COL_ENUM, KSP_COL_KEY, "kandas|settlers", NULL, NULL,
	  KSP_N_("kandas (repatriates) or settlers (internal migrants)"), NULL },
	{ "quota", "value", KSP_COL_UREAL, 0, "0..1000000", NULL, NULL,
	  KSP_N_("persons in the quota") ,
	  "value|квота|квота" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "persons", NULL, NULL, KSP_N_("the unit") ,
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

/* ---- dual-training placement (migration 2, lib/match/schema.c; docs/matching.md) ---- */

#define KSP_REGION_ALIASES "регион|область|облыс|аймақ|като|kato|iso"

static const struct ksp_column college_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the college's id, e.g. C0001"),
	  NULL },
	{ "name", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("the college's name"),
	  "название|атауы" },
	{ "region", NULL, KSP_COL_REGION, 0, NULL, NULL, NULL,
	  KSP_N_("the region the college is in"),
	  KSP_REGION_ALIASES },
};

static const struct ksp_column enterprise_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the enterprise's id, e.g. its BIN"), NULL },
	{ "name", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("the enterprise's name"),
	  "название|атауы" },
	{ "region", NULL, KSP_COL_REGION, 0, NULL, NULL, NULL,
	  KSP_N_("the region its places are in"),
	  KSP_REGION_ALIASES },
};

static const struct ksp_column place_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the place's id, e.g. E000123-SP007"), NULL },
	{ "enterprise", NULL, KSP_COL_REF, 0, "SELECT 1 FROM enterprise WHERE id = ?", NULL, NULL,
	  KSP_N_("the id of an enterprise (table enterprises)"), NULL },
	{ "specialty", NULL, KSP_COL_CODE, 0, NULL, NULL, NULL,
	  KSP_N_("the specialty's code"), NULL },
	{ "capacity", NULL, KSP_COL_UINT, 0, "0..1000000", NULL, NULL,
	  KSP_N_("how many students the place takes"), NULL },
	{ "rule", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "score|list|college", NULL, "",
	  KSP_N_("how it ranks: score, list (only the students its enterprise ranks; none if none), "
	  "college; empty: by the enterprise's rankings if any, else by score"), NULL },
};

static const struct ksp_column student_cols[] = {
	{ "id", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the student's id"), NULL },
	{ "college", NULL, KSP_COL_REF, 0, "SELECT 1 FROM college WHERE id = ?", NULL, NULL,
	  KSP_N_("the id of a college (table colleges)"), NULL },
	{ "specialty", NULL, KSP_COL_CODE, 0, NULL, NULL, NULL,
	  KSP_N_("the specialty's code"), NULL },
	{ "score", NULL, KSP_COL_REAL, 0, "-1000000..1000000", NULL, NULL,
	  KSP_N_("the score places rank by (higher is better)"), NULL },
	{ "region", NULL, KSP_COL_REGION, KSP_COL_OPTIONAL, NULL, NULL, NULL,
	  KSP_N_("where the student lives, if not the college's region"), KSP_REGION_ALIASES },
};

static const struct ksp_column choice_cols[] = {
	{ "student", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM student WHERE id = ?", NULL,
	  NULL, KSP_N_("the id of a student (table students)"), NULL },
	{ "rank", NULL, KSP_COL_PINT, KSP_COL_KEY, "1..1000", NULL, NULL,
	  KSP_N_("1 for the student's first choice, 2 for the second, ..."), NULL },
	{ "place", NULL, KSP_COL_REF, 0,
	  "SELECT 1 FROM place p JOIN student s ON s.specialty = p.specialty "
	  "WHERE s.id = ? AND p.id = ?",
	  "student", NULL,
	  KSP_N_("the id of a place (table places) in the student's specialty"), NULL },
};

static const struct ksp_column ranking_cols[] = {
	{ "enterprise", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM enterprise WHERE id = ?",
	  NULL, NULL, KSP_N_("the id of an enterprise (table enterprises)"), NULL },
	{ "place", NULL, KSP_COL_REF, KSP_COL_KEY | KSP_COL_OPTIONAL,
	  "SELECT 1 FROM place WHERE enterprise = ? AND id = ?", "enterprise", "",
	  KSP_N_("one of the enterprise's places, or empty for all of them"), NULL },
	{ "student", NULL, KSP_COL_REF, KSP_COL_KEY | KSP_COL_OPTIONAL,
	  "SELECT 1 FROM student WHERE id = ?", NULL, "",
	  KSP_N_("a student it ranks (give a student or a college)"), NULL },
	{ "college", NULL, KSP_COL_REF, KSP_COL_KEY | KSP_COL_OPTIONAL,
	  "SELECT 1 FROM college WHERE id = ?", NULL, "",
	  KSP_N_("a college whose students it ranks (give a student or a college)"), NULL },
	{ "rank", NULL, KSP_COL_PINT, 0, "1..100000000", NULL, NULL,
	  KSP_N_("1 = best; equal ranks tie and the lottery decides"), NULL },
};

static const struct ksp_column project_cols[] = {
	{ "name", NULL, KSP_COL_TEXT, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the project's name, e.g. \"Petropavl heavy machinery plant\""), "проект|жоба|название|атауы" },
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("a region code"),
	  "регион|область|облыс|аймақ|като|kato|iso" },
	{ "occupation", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = 'ISCO-08' AND code = ?", NULL, NULL,
	  KSP_N_("an ISCO-08 code of any level: the jobs are spread over its unit groups"),
	  "isco|мсзр|занятие|профессия|кәсіп" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the year the jobs appear (they stay in later years)"), "год|жыл" },
	{ "jobs", NULL, KSP_COL_UREAL, 0, "0..10000000", NULL, NULL,
	  KSP_N_("the jobs the project adds"),
	  "рабочие места|жұмыс орындары" },
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("anything else"), NULL },
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
	  NULL, NULL,
	  KSP_N_("the rule's threshold (docs/methodology.md, \"Atlas classes and outlook\")"),
	  NULL },
	{ "value", NULL, KSP_COL_REAL, 0, "-100..100", NULL, NULL,
	  KSP_N_("the threshold"), "значение|мәні" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "fraction", NULL, "fraction",
	  KSP_N_("fraction (0.05 is 5 %)"), NULL },
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("why the value"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column specialty_cols[] = {
	{ "classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE domain = 'specialty' AND id = ?", NULL, NULL,
	  KSP_N_("a specialty classification (classifications, domain specialty)"), NULL },
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL, KSP_N_("the specialty's code"),
	  "код|коды" },
	{ "level", NULL, KSP_COL_ENUM, 0, "tvet|higher", NULL, NULL,
	  KSP_N_("tvet (colleges) or higher (universities)"), NULL },
	{ "title_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("English title"), NULL },
	{ "title_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Russian title"), NULL },
	{ "title_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Kazakh title"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column specialty_crosswalk_cols[] = {
	{ "classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE domain = 'specialty' AND id = ?", NULL, NULL,
	  KSP_N_("the specialty classification"), NULL },
	{ "code", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM specialty WHERE classification = ? AND code = ?", "classification", NULL,
	  KSP_N_("a specialty code of it"), NULL },
	{ "specialty_group", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("a specialty group of the forecast, tvet-01..tvet-10 or higher-01..higher-10 "
	  "(data/kz/forecast/specialties.csv)"), NULL },
	{ "weight", NULL, KSP_COL_UREAL, 0, "0..1", NULL, NULL,
	  KSP_N_("the share of the specialty in the group, 0 < weight <= 1"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column college_specialty_cols[] = {
	{ "college", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM college WHERE id = ?", NULL,
	  NULL, KSP_N_("a college's id (table colleges)"), "колледж" },
	{ "classification", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM classification WHERE domain = 'specialty' AND id = ?", NULL, NULL,
	  KSP_N_("the specialty classification"), NULL },
	{ "specialty", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM specialty WHERE classification = ? AND code = ?", "classification", NULL,
	  KSP_N_("the specialty's code"), "специальность|мамандық" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the intake year"), "год|жыл" },
	{ "state_places", NULL, KSP_COL_UREAL, KSP_COL_OPTIONAL, "0..100000", NULL, NULL,
	  KSP_N_("state-funded places (state order)"), "гранты|госзаказ|мемлекеттік тапсырыс" },
	{ "paid_places", NULL, KSP_COL_UREAL, KSP_COL_OPTIONAL, "0..100000", NULL, NULL,
	  KSP_N_("paid places"),
	  "платные|ақылы" },
	{ "graduates", NULL, KSP_COL_UREAL, KSP_COL_OPTIONAL, "0..100000", NULL, NULL,
	  KSP_N_("graduates of the year"), "выпускники|түлектер" },
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
	"sources", "source", KSP_N_("where every figure comes from, and how estimates were made"),
	KSP_COLS(source_cols), "id", NULL, NULL };
static const struct ksp_table t_regions = {
	"regions", "region",
	  KSP_N_("the country, its 17 oblasts and 3 cities: KATO, ISO, names, centres"),
	KSP_COLS(region_cols), "kato", NULL, NULL };
static const struct ksp_table t_distances = {
	"region-distances", "region_distance", KSP_N_("distances between regional centres"),
	KSP_COLS(distance_cols), "from_region, to_region, kind", NULL, NULL };
static const struct ksp_table t_classifications = {
	"classifications", "classification",
	  KSP_N_("classifications of occupations, industries, specialties"),
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
	"occupations", "occupation", KSP_N_("occupation groups (ISCO-08 and national classifiers)"),
	KSP_COLS(occupation_cols), "classification, code", NULL, check_occupation };
static const struct ksp_table t_crosswalk = {
	"occupation-crosswalk", "occupation_crosswalk",
	KSP_N_("a national classifier's codes mapped to ISCO-08 with weights"),
	KSP_COLS(crosswalk_cols), "from_classification, from_code, to_classification, to_code", NULL, NULL };
static const struct ksp_table t_industries = {
	"industries", "industry", KSP_N_("OKED sections, divisions and aggregates"),
	KSP_COLS(industry_cols), "level, code", NULL, check_industry };
static const struct ksp_table t_population = {
	"population", "population", KSP_N_("population by region, year, sex and age"),
	KSP_COLS(population_cols), "region, year, measure, sex, age", NULL, NULL };
static const struct ksp_table t_labour_force = {
	"labour-force", "labour_force",
	  KSP_N_("labour force, employment and unemployment by region"),
	KSP_COLS(labour_force_cols), "region, year, indicator, sex, age", NULL, NULL };
static const struct ksp_table t_employment = {
	"employment", "employment", KSP_N_("employed persons by region and industry"),
	KSP_COLS(employment_cols), "region, year, industry", NULL, NULL };
static const struct ksp_table t_vital = {
	"vital-events", "vital_event", KSP_N_("births, deaths and migration by region"),
	KSP_COLS(vital_cols), "region, year, event", NULL, NULL };
static const struct ksp_table t_quota = {
	"resettlement-quota", "resettlement_quota",
	KSP_N_("yearly quota of kandas and settlers each region receives"),
	KSP_COLS(quota_cols), "year, category, region", NULL, NULL };

static const struct ksp_column mrp_cols[] = {
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the year"), "год|жыл" },
	{ "value", NULL, KSP_COL_UREAL, 0, "0..1000000", NULL, NULL,
	  KSP_N_("the MRP in tenge"), "мрп|аек" },
	{ "unit", NULL, KSP_COL_ENUM, 0, "KZT", NULL, NULL, KSP_N_("the unit"), NULL },
	KSP_SOURCE_COLUMN,
};
static const struct ksp_table t_mrp = {
	"mrp", "mrp",
	  KSP_N_("the monthly calculation index (MRP) by year, in which support is set"),
	KSP_COLS(mrp_cols), "year", NULL, NULL };

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
	KSP_N_("investment projects: jobs they add by region, ISCO-08 group and year (read by every forecast)"),
	KSP_COLS(project_cols), "region, year, name, occupation", NULL, check_project };

/* ---- the forecast's inputs (docs/forecast.md, "Inputs") ---- */

#define KSP_FC_KINDS "official|derived|estimate|assumption"

static const struct ksp_column assumption_cols[] = {
	{ "name", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the assumption's family, e.g. mortality.q0 (docs/forecast.md lists them)"), NULL },
	{ "key", NULL, KSP_COL_TEXT, KSP_COL_KEY | KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("what the value is for within the family: a sex, an age band, a region's ISO code, a "
	  "major group, a year; empty when the family has one value"), NULL },
	{ "value", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL,
	  KSP_N_("a number in the family's plausible range; age_tilt: numbers separated by ';'; a rule: "
	  "a word"), NULL },
	{ "unit", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("the unit, for people"),
	  NULL },
	{ "kind", NULL, KSP_COL_ENUM, 0, KSP_FC_KINDS, NULL, NULL,
	  KSP_N_("what kind of figure the value is"), NULL },
	KSP_SOURCE_COLUMN,
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("why this value"), NULL },
};

/*
 * The families of assumptions the forecast reads, with the plausible range
 * of their values (a value outside it is refused at import, like any bad
 * value).  Probabilities and rates are 0..1; persons are national figures.
 */
static const struct {
	const char *name;
	double min, max;
	const char *msg;
} assumption_family[] = {
	{ "base_year", 1950, 2100, "base_year: expected a year from 1950 to 2100" },
	{ "mortality.q0", 0, 0.2, "mortality.q0: expected an infant death probability from 0 to 0.2" },
	{ "mortality.makeham", 0, 0.05, "mortality.makeham: expected a hazard from 0 to 0.05" },
	{ "mortality.gompertz_b", 0, 0.01, "mortality.gompertz_b: expected a level from 0 to 0.01" },
	{ "mortality.gompertz_c", 0, 0.3, "mortality.gompertz_c: expected a slope from 0 to 0.3" },
	{ "mortality.infant_a0", 0, 1, "mortality.infant_a0: expected years from 0 to 1" },
	{ "mortality.calibrate_deaths", 0, 3000000,
	  "mortality.calibrate_deaths: expected deaths in a year from 0 to 3,000,000" },
	{ "fertility.mean_age", 15, 49, "fertility.mean_age: expected an age from 15 to 49" },
	{ "fertility.sd_age", 1, 20, "fertility.sd_age: expected years from 1 to 20" },
	{ "fertility.calibrate_births", 0, 3000000,
	  "fertility.calibrate_births: expected births in a year from 0 to 3,000,000" },
	{ "fertility.srb", 0.9, 1.2, "fertility.srb: expected boys per girl from 0.9 to 1.2" },
	{ "fertility.cbr_2024", 0, 100, "fertility.cbr_2024: expected births per 1000 from 0 to 100" },
	{ "migration.internal_2024", -3000000, 3000000,
	  "migration.internal_2024: expected a net balance from -3,000,000 to 3,000,000" },
	{ "migration.profile", 0, 120, "migration.profile: expected a number from 0 to 120" },
	{ "migration.external_region_rule", 0, 0, NULL },
	{ "age_group", 0, 120, "age_group: expected the group's lowest age, 0 to 120" },
	{ "participation", 0, 1, "participation: expected a rate from 0 to 1" },
	{ "reserve.inactive_share", 0, 1,
	  "reserve.inactive_share: expected a share from 0 to 1" },
	{ "retirement_age", 40, 80, "retirement_age: expected an age from 40 to 80" },
	{ "exit.retire", 0, 1, "exit.retire: expected a probability from 0 to 1" },
	{ "exit.after", 0, 1, "exit.after: expected a probability from 0 to 1" },
	{ "exit.after70", 0, 1, "exit.after70: expected a probability from 0 to 1" },
	{ "exit.other", 0, 1, "exit.other: expected a probability from 0 to 1" },
	{ "transfer", 0, 1, "transfer: expected a rate from 0 to 1" },
	{ "age_tilt", 0, 100, "age_tilt: expected numbers from 0 to 100 separated by ';'" },
	{ "tvet.duration", 1, 10, "tvet.duration: expected years from 1 to 10" },
	{ "tvet.completion", 0, 1, "tvet.completion: expected a share from 0 to 1" },
	{ "graduates.tvet", 0, 3000000, "graduates.tvet: expected persons from 0 to 3,000,000" },
	{ "graduates.region_rule", 0, 0, NULL },
	{ "admissions.tvet_state", 0, 3000000,
	  "admissions.tvet_state: expected persons from 0 to 3,000,000" },
	{ "admissions.tvet_paid", 0, 3000000,
	  "admissions.tvet_paid: expected persons from 0 to 3,000,000" },
};

static int number_in(const char *s, size_t len, double min, double max)
{
	char buf[64];
	double v;

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = 0;
	return ksp_parse_double(buf, &v) == KSP_OK && v >= min && v <= max;
}

/* A known family, and a value in its range (a rule's value is a word). */
static const char *check_assumption(const char *const *values, int *column)
{
	for (size_t i = 0; i < sizeof(assumption_family) / sizeof(assumption_family[0]); i++) {
		const char *v = values[2], *semi;

		if (strcmp(values[0], assumption_family[i].name))
			continue;
		*column = 2;
		if (!assumption_family[i].msg)
			return NULL;
		if (strcmp(values[0], "age_tilt"))
			return number_in(v, strlen(v), assumption_family[i].min, assumption_family[i].max)
				       ? NULL
				       : assumption_family[i].msg;
		for (;; v = semi + 1) {
			semi = strchr(v, ';');
			if (!number_in(v, semi ? (size_t)(semi - v) : strlen(v),
				       assumption_family[i].min, assumption_family[i].max))
				return assumption_family[i].msg;
			if (!semi)
				return NULL;
		}
	}
	*column = 0;
	return "unknown assumption family (docs/forecast.md lists them)";
}

static const struct ksp_column staffing_cols[] = {
	{ "section", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM industry WHERE level = 1 AND code = ?", NULL, NULL,
	  KSP_N_("an OKED section, A..U"), "oked|секция|бөлім" },
	{ "isco_submajor", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = 'ISCO-08' AND level = 2 AND code = ?",
	  NULL, NULL, KSP_N_("an ISCO-08 sub-major group, 01..96"), NULL },
	{ "weight", NULL, KSP_COL_UREAL, 0, "0..100", NULL, NULL,
	  KSP_N_("the group's weight in the section's staff (a row is normalised to 1)"), NULL },
	{ "kind", NULL, KSP_COL_ENUM, 0, KSP_FC_KINDS, NULL, NULL,
	  KSP_N_("what kind of figure the weight is"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column fc_specialty_cols[] = {
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the specialty group's code, e.g. tvet-07"), NULL },
	{ "level", NULL, KSP_COL_ENUM, 0, "tvet|higher", NULL, NULL,
	  KSP_N_("tvet (colleges) or higher (universities)"), NULL },
	{ "field", NULL, KSP_COL_CODE, 0, NULL, NULL, NULL,
	  KSP_N_("the ISCED-F 2013 broad field, 01..10"), NULL },
	{ "title_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("English title"), NULL },
	{ "title_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Russian title"), NULL },
	{ "title_kk", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("Kazakh title"), NULL },
	KSP_TITLE_SOURCE_COLUMNS,
	{ "share", NULL, KSP_COL_UREAL, 0, "0..1", NULL, NULL,
	  KSP_N_("the group's share of its level's graduates"), NULL },
	{ "kind", NULL, KSP_COL_ENUM, 0, KSP_FC_KINDS, NULL, NULL,
	  KSP_N_("what kind of figure the share is"), NULL },
	KSP_SOURCE_COLUMN,
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("anything else"), NULL },
};

static const struct ksp_column flexibility_cols[] = {
	{ "specialty", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM forecast_specialty WHERE code = ?", NULL, NULL,
	  KSP_N_("a specialty group of forecast-specialties"), NULL },
	{ "isco_submajor", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM occupation WHERE classification = 'ISCO-08' AND level = 2 AND code = ?",
	  NULL, NULL, KSP_N_("an ISCO-08 sub-major group, 01..96"), NULL },
	{ "weight", NULL, KSP_COL_UREAL, 0, "0..100", NULL, NULL,
	  KSP_N_("the share of the specialty's graduates who work in the group (a row is normalised to 1)"),
	  NULL },
	{ "kind", NULL, KSP_COL_ENUM, 0, KSP_FC_KINDS, NULL, NULL,
	  KSP_N_("what kind of figure the weight is"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column destination_cols[] = {
	{ "study_region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the region where the graduates studied"), NULL },
	{ "work_region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the region where they work"), NULL },
	{ "level", NULL, KSP_COL_ENUM, KSP_COL_KEY, "tvet|higher", NULL, NULL,
	  KSP_N_("tvet (colleges) or higher (universities)"), NULL },
	{ "share", NULL, KSP_COL_UREAL, 0, "0..1", NULL, NULL,
	  KSP_N_("the share of the study region's graduates of the level who work in the work region "
	  "(a study region's shares sum to 1)"),
	  NULL },
	{ "kind", NULL, KSP_COL_ENUM, 0, KSP_FC_KINDS, NULL, NULL,
	  KSP_N_("what kind of figure the share is"), NULL },
	KSP_SOURCE_COLUMN,
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("anything else"), NULL },
};

static const struct ksp_table t_assumptions = {
	"forecast-assumptions", "forecast_assumption",
	KSP_N_("the forecast's demographic and labour-market assumptions, each with its source"),
	KSP_COLS(assumption_cols), "name, key", NULL, check_assumption };
static const struct ksp_table t_staffing = {
	"forecast-staffing", "forecast_staffing",
	KSP_N_("the staffing matrix: ISCO-08 sub-major groups' weights in each OKED section"),
	KSP_COLS(staffing_cols), "section, isco_submajor", NULL, NULL };
static const char *check_fc_specialty(const char *const *values, int *column)
{
	return check_title_sources(values, 3, column);
}

/* TVET first, then higher: the engine's order of the specialty groups. */
static const struct ksp_table t_fc_specialties = {
	"forecast-specialties", "forecast_specialty",
	KSP_N_("specialty groups of graduates (ISCED-F broad fields by level) and their shares"),
	KSP_COLS(fc_specialty_cols), "CASE level WHEN 'tvet' THEN 0 ELSE 1 END, code", NULL,
	check_fc_specialty };
static const struct ksp_table t_flexibility = {
	"forecast-flexibility", "forecast_flexibility",
	KSP_N_("the flexibility matrix: where each specialty group's graduates work, by ISCO-08 sub-major"),
	KSP_COLS(flexibility_cols), "specialty, isco_submajor", NULL, NULL };

static const struct ksp_table t_destinations = {
	"graduate-destinations", "graduate_destination",
	KSP_N_("where the graduates of each region work: study region to work region, by level"),
	KSP_COLS(destination_cols), "study_region, level, work_region", NULL, NULL };

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
	"colleges", "college", KSP_N_("colleges taking part in dual training, by region"),
	KSP_COLS(college_cols), "id", NULL, NULL };
static const struct ksp_table t_enterprises = {
	"enterprises", "enterprise", KSP_N_("enterprises offering dual-training places, by region"),
	KSP_COLS(enterprise_cols), "id", NULL, NULL };
static const struct ksp_table t_places = {
	"places", "place", KSP_N_("an enterprise's dual-training seats in one specialty"),
	KSP_COLS(place_cols), "id", "enterprise,specialty", NULL };
static const struct ksp_table t_students = {
	"students", "student", KSP_N_("students to place: college, specialty, score"),
	KSP_COLS(student_cols), "id", NULL, NULL };
static const struct ksp_table t_choices = {
	"choices", "choice", KSP_N_("every student's ranked list of places"),
	KSP_COLS(choice_cols), "student, rank", "student,place", NULL };
static const struct ksp_table t_rankings = {
	"enterprise-rankings", "enterprise_ranking",
	KSP_N_("enterprises' own rankings of students or colleges (else by score)"),
	KSP_COLS(ranking_cols), "enterprise, place, student, college", NULL, check_ranking };

static const struct ksp_table t_atlas_rules = {
	"atlas-rules", "atlas_rule",
	KSP_N_("the thresholds of the atlas's class and outlook rules (kasip atlas rules)"),
	KSP_COLS(atlas_rule_cols), "name", NULL, NULL };
static const struct ksp_table t_specialties = {
	"specialties", "specialty",
	KSP_N_("a specialty classifier (TVET or higher education) with kk, ru and en titles"),
	KSP_COLS(specialty_cols), "classification, code", NULL, NULL };
static const struct ksp_table t_specialty_crosswalk = {
	"specialty-crosswalk", "specialty_crosswalk",
	KSP_N_("a specialty classifier's codes mapped to the forecast's specialty groups"),
	KSP_COLS(specialty_crosswalk_cols), "classification, code, specialty_group", NULL,
	check_specialty_crosswalk };
static const struct ksp_table t_college_specialties = {
	"college-specialties", "college_specialty",
	KSP_N_("which specialties a college teaches, with state-funded and paid places and graduates"),
	KSP_COLS(college_specialty_cols), "college, classification, specialty, year", NULL, NULL };

const struct ksp_table *const ksp_tables[] = {
	&t_sources, &t_regions, &t_distances, &t_classifications, &t_occupations, &t_crosswalk,
	&t_industries, &t_population, &t_labour_force, &t_employment, &t_vital, &t_quota,
	&t_projects, &t_assumptions, &t_staffing, &t_fc_specialties, &t_flexibility,
	&t_destinations, &t_colleges,
	&t_enterprises, &t_places, &t_students, &t_choices, &t_rankings, &t_atlas_rules,
	&t_specialties, &t_specialty_crosswalk, &t_college_specialties, &t_mrp,
	KSP_HISTORY_TABLES,
};
const size_t ksp_tables_count = sizeof(ksp_tables) / sizeof(ksp_tables[0]);

static const struct ksp_ref_set ref_sets[] = {
	{ &t_choices, "place", "SELECT specialty, id FROM place",
	  "SELECT specialty FROM student WHERE id = ?" },
	{ &t_rankings, "place", "SELECT enterprise, id FROM place", NULL },
};

const struct ksp_ref_set *ksp_ref_set_find(const struct ksp_table *t, const char *col)
{
	for (size_t i = 0; i < sizeof(ref_sets) / sizeof(ref_sets[0]); i++)
		if (ref_sets[i].table == t && !strcmp(ref_sets[i].column, col))
			return &ref_sets[i];
	return NULL;
}

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

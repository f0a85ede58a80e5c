/*
 * tables_history.c - the past series of the back-test as importable tables
 * (migration 9, lib/backtest/schema.c; docs/backtest.md).  Registered in
 * lib/data/tables.c; kept apart so that the registry stays short.
 */
#include "data/tables.h"

#include <stdlib.h>
#include <string.h>

#define HIST_YEARS "1990..2100"
#define HIST_THOUSANDS "0..30000"

static const struct ksp_column territory_cols[] = {
	{ "code", NULL, KSP_COL_CODE, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("the territory: a region's ISO 3166-2 code (today's borders), or KZ-YUZ, KZ-ALM, KZ-VOS, "
	  "KZ-KAR (borders before a split)"), NULL },
	{ "name_en", NULL, KSP_COL_TEXT, 0, NULL, NULL, NULL, KSP_N_("the English name"), NULL },
	{ "name_ru", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("the Russian name"), NULL },
	{ "first_year", NULL, KSP_COL_YEAR, 0, HIST_YEARS, NULL, NULL,
	  KSP_N_("the first year published on these borders"), NULL },
	{ "last_year", NULL, KSP_COL_YEAR, 0, HIST_YEARS, NULL, NULL,
	  KSP_N_("the last year published on these borders"), NULL },
	{ "note", NULL, KSP_COL_TEXT, KSP_COL_OPTIONAL, NULL, NULL, "",
	  KSP_N_("anything else"), NULL },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column concordance_cols[] = {
	{ "territory", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM history_territory WHERE code = ?",
	  NULL, NULL, KSP_N_("a territory of history-territories"), NULL },
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("a region of today (KZ for the country)"), "регион|область|облыс|аймақ|като|kato|iso" },
	{ "share", NULL, KSP_COL_UREAL, 0, "0..1", NULL, NULL,
	  KSP_N_("the share of the territory's employed who are in the region today (0 < share <= 1)"), NULL },
	{ "method", NULL, KSP_COL_ENUM, 0, "same|employment_share|population_share", NULL, NULL,
	  KSP_N_("same (the same territory: exact) or how a split territory's share was estimated"), NULL },
	KSP_SOURCE_COLUMN,
};

/* A territory's shares must be a share: the sum over regions is checked when a back-test runs. */
static const char *check_concordance(const char *const *values, int *column)
{
	if (!strcmp(values[3], "same") && strtod(values[2], NULL) != 1.0) {
		*column = 2;
		return "a territory with method \"same\" has share 1";
	}
	return NULL;
}

static const struct ksp_column hist_employment_cols[] = {
	{ "territory", NULL, KSP_COL_REF, KSP_COL_KEY, "SELECT 1 FROM history_territory WHERE code = ?",
	  NULL, NULL, KSP_N_("a territory of history-territories (KZ: the country)"), NULL },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, HIST_YEARS, NULL, NULL,
	  KSP_N_("the year"), "год|жыл" },
	{ "employed", "value", KSP_COL_UREAL, 0, HIST_THOUSANDS, NULL, NULL,
	  KSP_N_("employed persons aged 15+, thousand"), "value|занятые|занятое население" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "thousand persons", NULL, "thousand persons",
	  KSP_N_("the unit"), "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column hist_population_cols[] = {
	{ "region", NULL, KSP_COL_REGION, KSP_COL_KEY, NULL, NULL, NULL,
	  KSP_N_("a region of today (KZ for the country)"), "регион|область|облыс|аймақ|като|kato|iso" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, HIST_YEARS, NULL, NULL,
	  KSP_N_("the year"), "год|жыл" },
	{ "population", "value", KSP_COL_UREAL, 0, "0..30000000", NULL, NULL,
	  KSP_N_("average annual population on today's borders"), "value|население|численность" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "persons", NULL, "persons",
	  KSP_N_("the unit"),
	  "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column hist_section_cols[] = {
	{ "industry", NULL, KSP_COL_REF, KSP_COL_KEY,
	  "SELECT 1 FROM industry WHERE code = ? AND (level = 1 OR code = 'TOTAL')", NULL, NULL,
	  KSP_N_("an OKED section (A..U) or TOTAL"), "окэд|отрасль|сала" },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, HIST_YEARS, NULL, NULL,
	  KSP_N_("the year"), "год|жыл" },
	{ "employed", "value", KSP_COL_UREAL, 0, HIST_THOUSANDS, NULL, NULL,
	  KSP_N_("employed persons in the country, thousand"), "value|занятые|занятое население" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "thousand persons", NULL, "thousand persons",
	  KSP_N_("the unit"), "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

static const struct ksp_column hist_occupation_cols[] = {
	{ "classification", NULL, KSP_COL_ENUM, KSP_COL_KEY, "ISCO-08|ISCO-88", NULL, NULL,
	  KSP_N_("the classification of the year's figures"), NULL },
	{ "major_group", NULL, KSP_COL_ENUM, KSP_COL_KEY, "0|1|2|3|4|5|6|7|8|9|X|TOTAL", NULL, NULL,
	  KSP_N_("an ISCO major group, X (not elsewhere classified) or TOTAL"), NULL },
	{ "year", NULL, KSP_COL_YEAR, KSP_COL_KEY, HIST_YEARS, NULL, NULL,
	  KSP_N_("the year"), "год|жыл" },
	{ "employed", "value", KSP_COL_UREAL, 0, HIST_THOUSANDS, NULL, NULL,
	  KSP_N_("employed persons in the country, thousand"), "value|занятые|занятое население" },
	{ "unit", NULL, KSP_COL_ENUM, KSP_COL_OPTIONAL, "thousand persons", NULL, "thousand persons",
	  KSP_N_("the unit"), "единица|единица измерения|өлшем бірлігі" },
	KSP_SOURCE_COLUMN,
};

/* A territory's years run forward. */
static const char *check_territory(const char *const *values, int *column)
{
	if (strtol(values[3], NULL, 10) > strtol(values[4], NULL, 10)) {
		*column = 4;
		return "last_year is before first_year";
	}
	return NULL;
}

const struct ksp_table ksp_table_history_territories = {
	"history-territories", "history_territory",
	KSP_N_("territories of the past employment series, each on the borders of its years"),
	KSP_COLS(territory_cols), "code", NULL, check_territory };
const struct ksp_table ksp_table_history_concordance = {
	"history-concordance", "history_concordance",
	KSP_N_("each past territory mapped to today's regions with shares (the 2010 and 2022 splits)"),
	KSP_COLS(concordance_cols), "territory, region", NULL, check_concordance };
const struct ksp_table ksp_table_history_employment = {
	"history-employment", "history_employment",
	KSP_N_("employed by territory (each year's borders) and the country, 2001-2025"),
	KSP_COLS(hist_employment_cols), "territory, year", NULL, NULL };
const struct ksp_table ksp_table_history_population = {
	"history-population", "history_population",
	KSP_N_("average population by region on today's borders, 2009-2025"),
	KSP_COLS(hist_population_cols), "region, year", NULL, NULL };
const struct ksp_table ksp_table_history_sections = {
	"history-employment-sections", "history_employment_section",
	KSP_N_("employed in the country by OKED section, 2010-2025"),
	KSP_COLS(hist_section_cols), "industry, year", NULL, NULL };
const struct ksp_table ksp_table_history_occupations = {
	"history-employment-occupations", "history_employment_occupation",
	KSP_N_("employed in the country by ISCO major group, 2001-2013 (ILOSTAT)"),
	KSP_COLS(hist_occupation_cols), "classification, year, major_group", NULL, NULL };

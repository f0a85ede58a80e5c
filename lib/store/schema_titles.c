/*
 * schema_titles.c - migration 6: where each title of a classifier comes from.
 *
 * Every title of an occupation group or an industry, in each language,
 * says how it was obtained: 'official' (copied verbatim from an official
 * classifier), 'repaired' (an official title with a defect of its copy
 * fixed, or another country's wording adapted to Kazakhstan) or
 * 'translation' (kasip's own, or the importer's); '' when not stated.
 * data/kz/SOURCES.md says which titles of the built-in data set are which.
 */
#include "store/schema.h"

#define KSP_TITLE_SOURCE(col)                                                   \
	"  ADD COLUMN " col " TEXT NOT NULL DEFAULT '' CHECK (" col " IN "           \
	"('', 'official', 'repaired', 'translation'));\n"

const char ksp_schema_titles_sql[] =
	"ALTER TABLE occupation" KSP_TITLE_SOURCE("title_en_source")
	"ALTER TABLE occupation" KSP_TITLE_SOURCE("title_ru_source")
	"ALTER TABLE occupation" KSP_TITLE_SOURCE("title_kk_source")
	"ALTER TABLE industry" KSP_TITLE_SOURCE("title_en_source")
	"ALTER TABLE industry" KSP_TITLE_SOURCE("title_ru_source")
	"ALTER TABLE industry" KSP_TITLE_SOURCE("title_kk_source");

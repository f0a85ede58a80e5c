/*
 * schema.c - migration 8: the Atlas of Professions (docs/atlas.md).
 *
 * atlas_rule holds the thresholds of the class and outlook rules, one row a
 * threshold (the names are fixed by lib/atlas/rules.c, the values are the
 * analyst's: kasip atlas rules; import atlas-rules).  specialty is an
 * importable specialty classifier (kk / ru / en titles) and
 * specialty_crosswalk maps its codes to the specialty groups of the
 * forecast (data/kz/forecast/specialties.csv); college_specialty says which
 * colleges teach which specialty with how many places.  forecast_outlook
 * keeps, per region x occupation group of a Monte Carlo run, the share of
 * draws in which each class rule held and the quantiles of the cumulative
 * balance (occupation '' is the region's total), computed at forecast time
 * under the rules named by forecast_run.class_rules (their version).
 * Portable SQL only (store/store.h).
 */
#include "store/schema.h"

const char ksp_schema_atlas_sql[] =
	"CREATE TABLE atlas_rule (\n"
	"  name TEXT PRIMARY KEY,\n"
	"  value DOUBLE PRECISION NOT NULL,\n"
	"  unit TEXT NOT NULL DEFAULT 'fraction',\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  source_id TEXT NOT NULL REFERENCES source(id)\n"
	");\n"
	"CREATE TABLE specialty (\n"
	"  classification TEXT NOT NULL REFERENCES classification(id),\n"
	"  code TEXT NOT NULL,\n"
	"  level TEXT NOT NULL CHECK (level IN ('tvet','higher')),\n"
	"  title_en TEXT NOT NULL,\n"
	"  title_ru TEXT NOT NULL DEFAULT '',\n"
	"  title_kk TEXT NOT NULL DEFAULT '',\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (classification, code)\n"
	");\n"
	"CREATE TABLE specialty_crosswalk (\n"
	"  classification TEXT NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  specialty_group TEXT NOT NULL,\n"
	"  weight DOUBLE PRECISION NOT NULL CHECK (weight > 0 AND weight <= 1),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (classification, code, specialty_group),\n"
	"  FOREIGN KEY (classification, code) REFERENCES specialty(classification, code)\n"
	");\n"
	"CREATE TABLE college_specialty (\n"
	"  college TEXT NOT NULL REFERENCES college(id),\n"
	"  classification TEXT NOT NULL,\n"
	"  specialty TEXT NOT NULL,\n"
	"  year INTEGER NOT NULL,\n"
	"  state_places DOUBLE PRECISION CHECK (state_places >= 0),\n"
	"  paid_places DOUBLE PRECISION CHECK (paid_places >= 0),\n"
	"  graduates DOUBLE PRECISION CHECK (graduates >= 0),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (college, classification, specialty, year),\n"
	"  FOREIGN KEY (classification, specialty) REFERENCES specialty(classification, code)\n"
	");\n"
	"CREATE TABLE forecast_outlook (\n"
	"  run_id INTEGER NOT NULL REFERENCES forecast_run(id) ON DELETE CASCADE,\n"
	"  region TEXT NOT NULL,\n"
	"  occupation TEXT NOT NULL,\n"
	"  draws INTEGER NOT NULL,\n"
	"  p_in_demand DOUBLE PRECISION,\n"
	"  p_emerging DOUBLE PRECISION,\n"
	"  p_stable DOUBLE PRECISION,\n"
	"  p_declining DOUBLE PRECISION,\n"
	"  balance_p10 DOUBLE PRECISION,\n"
	"  balance_p50 DOUBLE PRECISION,\n"
	"  balance_p90 DOUBLE PRECISION,\n"
	"  PRIMARY KEY (run_id, region, occupation)\n"
	");\n"
	"ALTER TABLE forecast_run ADD COLUMN class_rules TEXT NOT NULL DEFAULT '';\n";

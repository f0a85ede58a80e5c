/*
 * schema.c - migration 10: the past series of the back-test and its runs.
 *
 * history_territory lists the territories of the employment series by
 * region, each on the borders of the years it is published for (the 20
 * regions of today and the four that split before: KZ-YUZ, KZ-ALM, KZ-VOS,
 * KZ-KAR); history_concordance maps each to today's regions with the
 * share of its employed each region has (an estimate where a territory
 * split).  history_employment, history_population, history_employment_section
 * and history_employment_occupation are the published series
 * (data/kz/history/, docs/backtest.md).  A back-test run
 * (lib/backtest/backtest.c) stores what it was run with in backtest_run and
 * every compared figure in backtest_result: the observed value beside the
 * model's projection and the two naive ones.  Portable SQL only
 * (store/store.h).
 */
#include "store/schema.h"

const char ksp_schema_history_sql[] =
	"CREATE TABLE history_territory (\n"
	"  code TEXT PRIMARY KEY,\n"
	"  name_en TEXT NOT NULL,\n"
	"  name_ru TEXT NOT NULL DEFAULT '',\n"
	"  first_year INTEGER NOT NULL,\n"
	"  last_year INTEGER NOT NULL,\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  CHECK (first_year <= last_year)\n"
	");\n"
	"CREATE TABLE history_concordance (\n"
	"  territory TEXT NOT NULL REFERENCES history_territory(code),\n"
	"  region TEXT NOT NULL REFERENCES region(kato),\n"
	"  share DOUBLE PRECISION NOT NULL CHECK (share > 0 AND share <= 1),\n"
	"  method TEXT NOT NULL CHECK (method IN ('same','employment_share','population_share')),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (territory, region)\n"
	");\n"
	"CREATE TABLE history_employment (\n"
	"  territory TEXT NOT NULL REFERENCES history_territory(code),\n"
	"  year INTEGER NOT NULL,\n"
	"  value DOUBLE PRECISION NOT NULL CHECK (value >= 0),\n"
	"  unit TEXT NOT NULL,\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (territory, year)\n"
	");\n"
	"CREATE TABLE history_population (\n"
	"  region TEXT NOT NULL REFERENCES region(kato),\n"
	"  year INTEGER NOT NULL,\n"
	"  value DOUBLE PRECISION NOT NULL CHECK (value >= 0),\n"
	"  unit TEXT NOT NULL,\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (region, year)\n"
	");\n"
	"CREATE TABLE history_employment_section (\n"
	"  industry TEXT NOT NULL REFERENCES industry(code),\n"
	"  year INTEGER NOT NULL,\n"
	"  value DOUBLE PRECISION NOT NULL CHECK (value >= 0),\n"
	"  unit TEXT NOT NULL,\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (industry, year)\n"
	");\n"
	"CREATE TABLE history_employment_occupation (\n"
	"  classification TEXT NOT NULL CHECK (classification IN ('ISCO-08','ISCO-88')),\n"
	"  major_group TEXT NOT NULL,\n"
	"  year INTEGER NOT NULL,\n"
	"  value DOUBLE PRECISION NOT NULL CHECK (value >= 0),\n"
	"  unit TEXT NOT NULL,\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (classification, major_group, year)\n"
	");\n"
	"CREATE TABLE backtest_run (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  created TEXT NOT NULL,\n"
	"  base_year INTEGER NOT NULL,\n"
	"  to_year INTEGER NOT NULL,\n"
	"  scenario TEXT NOT NULL DEFAULT '',\n"
	"  growth TEXT NOT NULL DEFAULT '',\n"
	"  model TEXT NOT NULL DEFAULT '',\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  seconds DOUBLE PRECISION NOT NULL DEFAULT 0,\n"
	"  CHECK (base_year < to_year)\n"
	");\n"
	"CREATE TABLE backtest_result (\n"
	"  run_id INTEGER NOT NULL REFERENCES backtest_run(id) ON DELETE CASCADE,\n"
	"  dimension TEXT NOT NULL CHECK (dimension IN ('region','section','occupation')),\n"
	"  borders TEXT NOT NULL CHECK (borders IN ('current','consistent','national')),\n"
	"  code TEXT NOT NULL,\n"
	"  year INTEGER NOT NULL,\n"
	"  observed DOUBLE PRECISION NOT NULL,\n"
	"  model DOUBLE PRECISION,\n"
	"  nochange DOUBLE PRECISION,\n"
	"  trend DOUBLE PRECISION,\n"
	"  estimated INTEGER NOT NULL DEFAULT 0,\n"
	"  PRIMARY KEY (run_id, dimension, borders, code, year)\n"
	");\n";

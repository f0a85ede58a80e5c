/*
 * schema.c - migration 3: scenarios, investment projects and forecast runs.
 *
 * A scenario is a named set of parameters (scenario_param), each with a
 * central value and, when it is uncertain, a distribution for the Monte
 * Carlo draws.  A forecast run stores what it was run with (scenario,
 * years, level, draws, seed and a copy of the parameters and assumption
 * files used) and its results: forecast_result by region x occupation group
 * (at the run's level) x year, forecast_total by region x year.  The
 * country is region '000000000' in both.  Later commands and the server read
 * runs from here without recomputing.  Portable SQL only (store/store.h).
 */
#include "store/schema.h"

const char ksp_schema_forecast_sql[] =
	"CREATE TABLE scenario (\n"
	"  name TEXT PRIMARY KEY,\n"
	"  title TEXT NOT NULL DEFAULT '',\n"
	"  origin TEXT NOT NULL CHECK (origin IN ('shipped','user')),\n"
	"  based_on TEXT NOT NULL DEFAULT '',\n"
	"  created TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE TABLE scenario_param (\n"
	"  scenario TEXT NOT NULL REFERENCES scenario(name) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  value DOUBLE PRECISION NOT NULL,\n"
	"  dist TEXT NOT NULL CHECK (dist IN ('fixed','normal','lognormal','uniform')),\n"
	"  spread DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (spread >= 0),\n"
	"  unit TEXT NOT NULL DEFAULT '',\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  PRIMARY KEY (scenario, name)\n"
	");\n"
	"CREATE TABLE forecast_project (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  scenario TEXT NOT NULL DEFAULT '',\n"
	"  region TEXT NOT NULL REFERENCES region(kato),\n"
	"  occupation TEXT NOT NULL,\n"
	"  year INTEGER NOT NULL,\n"
	"  jobs DOUBLE PRECISION NOT NULL,\n"
	"  name TEXT NOT NULL DEFAULT '',\n"
	"  source TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE TABLE forecast_run (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  scenario TEXT NOT NULL,\n"
	"  created TEXT NOT NULL,\n"
	"  base_year INTEGER NOT NULL,\n"
	"  target_year INTEGER NOT NULL,\n"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),\n"
	"  classification TEXT NOT NULL,\n"
	"  region TEXT NOT NULL DEFAULT '',\n"
	"  draws INTEGER NOT NULL DEFAULT 0,\n"
	"  seed BIGINT NOT NULL DEFAULT 0,\n"
	"  band_years TEXT NOT NULL DEFAULT '',\n"
	"  parameters TEXT NOT NULL DEFAULT '',\n"
	"  assumptions TEXT NOT NULL DEFAULT '',\n"
	"  calibration TEXT NOT NULL DEFAULT '',\n"
	"  shortfall_year INTEGER,\n"
	"  shortfall DOUBLE PRECISION,\n"
	"  shortfall_net DOUBLE PRECISION,\n"
	"  shortfall_all DOUBLE PRECISION,\n"
	"  shortfall_all_net DOUBLE PRECISION,\n"
	"  shortfall_p10 DOUBLE PRECISION,\n"
	"  shortfall_p50 DOUBLE PRECISION,\n"
	"  shortfall_p90 DOUBLE PRECISION,\n"
	"  engine TEXT NOT NULL DEFAULT '',\n"
	"  seconds DOUBLE PRECISION\n"
	");\n"
	"CREATE TABLE forecast_result (\n"
	"  run_id INTEGER NOT NULL REFERENCES forecast_run(id) ON DELETE CASCADE,\n"
	"  region TEXT NOT NULL,\n"
	"  occupation TEXT NOT NULL,\n"
	"  year INTEGER NOT NULL,\n"
	"  demand DOUBLE PRECISION NOT NULL,\n"
	"  expansion DOUBLE PRECISION NOT NULL,\n"
	"  exits DOUBLE PRECISION NOT NULL,\n"
	"  transfers DOUBLE PRECISION NOT NULL,\n"
	"  openings DOUBLE PRECISION NOT NULL,\n"
	"  graduates DOUBLE PRECISION NOT NULL,\n"
	"  migrants DOUBLE PRECISION NOT NULL,\n"
	"  transfers_in DOUBLE PRECISION NOT NULL,\n"
	"  new_supply DOUBLE PRECISION NOT NULL,\n"
	"  balance DOUBLE PRECISION NOT NULL,\n"
	"  shortage_ratio DOUBLE PRECISION NOT NULL,\n"
	"  other_entrants DOUBLE PRECISION NOT NULL,\n"
	"  demand_p10 DOUBLE PRECISION, demand_p50 DOUBLE PRECISION, demand_p90 DOUBLE PRECISION,\n"
	"  openings_p10 DOUBLE PRECISION, openings_p50 DOUBLE PRECISION,\n"
	"  openings_p90 DOUBLE PRECISION,\n"
	"  new_supply_p10 DOUBLE PRECISION, new_supply_p50 DOUBLE PRECISION,\n"
	"  new_supply_p90 DOUBLE PRECISION,\n"
	"  balance_p10 DOUBLE PRECISION, balance_p50 DOUBLE PRECISION, balance_p90 DOUBLE PRECISION,\n"
	"  PRIMARY KEY (run_id, region, occupation, year)\n"
	");\n"
	"CREATE TABLE forecast_total (\n"
	"  run_id INTEGER NOT NULL REFERENCES forecast_run(id) ON DELETE CASCADE,\n"
	"  region TEXT NOT NULL,\n"
	"  year INTEGER NOT NULL,\n"
	"  population DOUBLE PRECISION NOT NULL,\n"
	"  births DOUBLE PRECISION NOT NULL,\n"
	"  deaths DOUBLE PRECISION NOT NULL,\n"
	"  net_migration_internal DOUBLE PRECISION NOT NULL,\n"
	"  net_migration_external DOUBLE PRECISION NOT NULL,\n"
	"  labour_force DOUBLE PRECISION NOT NULL,\n"
	"  employed DOUBLE PRECISION NOT NULL,\n"
	"  demand DOUBLE PRECISION NOT NULL,\n"
	"  openings DOUBLE PRECISION NOT NULL,\n"
	"  new_supply DOUBLE PRECISION NOT NULL,\n"
	"  balance DOUBLE PRECISION NOT NULL,\n"
	"  shortfall DOUBLE PRECISION NOT NULL,\n"
	"  other_entrants DOUBLE PRECISION NOT NULL,\n"
	"  shortfall_all DOUBLE PRECISION NOT NULL,\n"
	"  population_p10 DOUBLE PRECISION, population_p50 DOUBLE PRECISION,\n"
	"  population_p90 DOUBLE PRECISION,\n"
	"  labour_force_p10 DOUBLE PRECISION, labour_force_p50 DOUBLE PRECISION,\n"
	"  labour_force_p90 DOUBLE PRECISION,\n"
	"  demand_p10 DOUBLE PRECISION, demand_p50 DOUBLE PRECISION, demand_p90 DOUBLE PRECISION,\n"
	"  openings_p10 DOUBLE PRECISION, openings_p50 DOUBLE PRECISION,\n"
	"  openings_p90 DOUBLE PRECISION,\n"
	"  new_supply_p10 DOUBLE PRECISION, new_supply_p50 DOUBLE PRECISION,\n"
	"  new_supply_p90 DOUBLE PRECISION,\n"
	"  balance_p10 DOUBLE PRECISION, balance_p50 DOUBLE PRECISION, balance_p90 DOUBLE PRECISION,\n"
	"  PRIMARY KEY (run_id, region, year)\n"
	");\n";

/*
 * Migration 4: investment projects as an importable table.  Migration 3's
 * forecast_project had a surrogate id and no source, and nothing read or
 * wrote it; this one is keyed like every statistical table (a project's
 * jobs in one region, group and year), names its source and is read by
 * every forecast (docs/forecast.md, "Investment projects").
 */
const char ksp_schema_forecast_projects_sql[] =
	"DROP TABLE forecast_project;\n"
	"CREATE TABLE forecast_project (\n"
	"  name TEXT NOT NULL,\n"
	"  region TEXT NOT NULL REFERENCES region(kato),\n"
	"  occupation TEXT NOT NULL,\n"
	"  year INTEGER NOT NULL,\n"
	"  jobs DOUBLE PRECISION NOT NULL CHECK (jobs >= 0),\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (name, region, occupation, year)\n"
	");\n";

/*
 * Migration 9: every other input of the forecast in the database, so that
 * one database is the whole truth and no run reads a file beside the
 * process (docs/forecast.md, "Inputs").  The assumptions keep their value
 * as text, exactly as written: most are numbers, a few are lists ("1;2;1.8")
 * or rules, and the engine parses them as it parsed the file.  The
 * matrices are by ISCO-08 sub-major group; the specialty groups carry
 * their titles for the atlas, each with where it comes from (as migration
 * 6's titles of occupations and industries).  Every row names its source and the kind of
 * figure it is.
 */
const char ksp_schema_forecast_inputs_sql[] =
	"CREATE TABLE forecast_assumption (\n"
	"  name TEXT NOT NULL,\n"
	"  key TEXT NOT NULL DEFAULT '',\n"
	"  value TEXT NOT NULL,\n"
	"  unit TEXT NOT NULL DEFAULT '',\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('official','derived','estimate','assumption')),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  PRIMARY KEY (name, key)\n"
	");\n"
	"CREATE TABLE forecast_staffing (\n"
	"  section TEXT NOT NULL,\n"
	"  isco_submajor TEXT NOT NULL,\n"
	"  weight DOUBLE PRECISION NOT NULL CHECK (weight >= 0),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('official','derived','estimate','assumption')),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (section, isco_submajor)\n"
	");\n"
	"CREATE TABLE forecast_specialty (\n"
	"  code TEXT PRIMARY KEY,\n"
	"  level TEXT NOT NULL CHECK (level IN ('tvet','higher')),\n"
	"  field TEXT NOT NULL,\n"
	"  title_en TEXT NOT NULL,\n"
	"  title_ru TEXT NOT NULL DEFAULT '',\n"
	"  title_kk TEXT NOT NULL DEFAULT '',\n"
	"  title_en_source TEXT NOT NULL DEFAULT '' CHECK (title_en_source IN "
	"('', 'official', 'repaired', 'translation')),\n"
	"  title_ru_source TEXT NOT NULL DEFAULT '' CHECK (title_ru_source IN "
	"('', 'official', 'repaired', 'translation')),\n"
	"  title_kk_source TEXT NOT NULL DEFAULT '' CHECK (title_kk_source IN "
	"('', 'official', 'repaired', 'translation')),\n"
	"  share DOUBLE PRECISION NOT NULL CHECK (share >= 0 AND share <= 1),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('official','derived','estimate','assumption')),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  note TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE TABLE forecast_flexibility (\n"
	"  specialty TEXT NOT NULL REFERENCES forecast_specialty(code),\n"
	"  isco_submajor TEXT NOT NULL,\n"
	"  weight DOUBLE PRECISION NOT NULL CHECK (weight >= 0),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('official','derived','estimate','assumption')),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  PRIMARY KEY (specialty, isco_submajor)\n"
	");\n";

/*
 * Migration 13: the labour reserve drawn into work (the unemployed and the
 * inactive who would take a job; docs/methodology.md, "The labour reserve"),
 * a component of new supply stored in every cell and total.  Runs made
 * before it have none: 0.
 */
const char ksp_schema_forecast_reserve_sql[] =
	"ALTER TABLE forecast_result ADD COLUMN reserve DOUBLE PRECISION NOT NULL DEFAULT 0;\n"
	"ALTER TABLE forecast_total ADD COLUMN reserve DOUBLE PRECISION NOT NULL DEFAULT 0;\n";

/*
 * Migration 14: where the graduates of each region work (study region to
 * work region, by level; docs/methodology.md, "Graduates where they will
 * work"), an importable table the forecast's supply reads.  A study region
 * without rows keeps its graduates.
 */
const char ksp_schema_graduate_destinations_sql[] =
	"CREATE TABLE graduate_destination (\n"
	"  study_region TEXT NOT NULL REFERENCES region(kato),\n"
	"  work_region TEXT NOT NULL REFERENCES region(kato),\n"
	"  level TEXT NOT NULL CHECK (level IN ('tvet','higher')),\n"
	"  share DOUBLE PRECISION NOT NULL CHECK (share >= 0 AND share <= 1),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('official','derived','estimate','assumption')),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  PRIMARY KEY (study_region, work_region, level)\n"
	");\n";

/*
 * Migration 15: the ministry's "need" beside kasip's openings
 * (docs/methodology.md, "The ministry's need").  Every total of a run
 * keeps its net new jobs (expansion), its exits and two of their causes,
 * retirements and deaths of workers, so that need = expansion +
 * retirements is read, not recomputed by zeroing assumptions; runs made
 * before it have NULL there.  published_figure holds the comparable
 * figures others published (a ministry's need by year or over a span of
 * years, by region or for the country), each with its source, so that
 * no published number is a literal in the code.
 */
const char ksp_schema_forecast_need_sql[] =
	"ALTER TABLE forecast_total ADD COLUMN expansion DOUBLE PRECISION;\n"
	"ALTER TABLE forecast_total ADD COLUMN exits DOUBLE PRECISION;\n"
	"ALTER TABLE forecast_total ADD COLUMN retirements DOUBLE PRECISION;\n"
	"ALTER TABLE forecast_total ADD COLUMN worker_deaths DOUBLE PRECISION;\n"
	"CREATE TABLE published_figure (\n"
	"  figure TEXT NOT NULL,\n"
	"  region TEXT NOT NULL REFERENCES region(kato),\n"
	"  year_from INTEGER NOT NULL,\n"
	"  year_to INTEGER NOT NULL,\n"
	"  value DOUBLE PRECISION NOT NULL,\n"
	"  unit TEXT NOT NULL CHECK (unit IN ('persons','percent')),\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('official','derived','estimate','assumption')),\n"
	"  source_id TEXT NOT NULL REFERENCES source(id),\n"
	"  note TEXT NOT NULL DEFAULT '',\n"
	"  CHECK (year_to >= year_from),\n"
	"  PRIMARY KEY (figure, region, year_from, year_to)\n"
	");\n";

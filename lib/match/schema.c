/*
 * schema.c - migration 2: dual-training placement (docs/matching.md).
 *
 * Colleges and enterprises sit in a region (KATO); a place is one
 * enterprise's seats in one specialty; students rank places (choice);
 * enterprises may rank students or colleges, for one place or for all
 * their places (enterprise_ranking, place '' = all; exactly one of student
 * and college is set, the other ''); every run of the matching is kept
 * with its options and summary (match_run) and one row per student
 * (match_assignment: the place or NULL, the rank received, the lottery
 * number as 16 hex digits, since it is an unsigned 64-bit number).
 * Portable SQL only (see store/store.h).
 */
#include "store/schema.h"

const char ksp_schema_placement_sql[] =
	"CREATE TABLE college (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  name TEXT NOT NULL DEFAULT '',\n"
	"  region TEXT NOT NULL REFERENCES region(kato)\n"
	");\n"
	"CREATE TABLE enterprise (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  name TEXT NOT NULL DEFAULT '',\n"
	"  region TEXT NOT NULL REFERENCES region(kato)\n"
	");\n"
	"CREATE TABLE place (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  enterprise TEXT NOT NULL REFERENCES enterprise(id),\n"
	"  specialty TEXT NOT NULL,\n"
	"  capacity INTEGER NOT NULL CHECK (capacity >= 0),\n"
	"  UNIQUE (enterprise, specialty)\n"
	");\n"
	"CREATE TABLE student (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  college TEXT NOT NULL REFERENCES college(id),\n"
	"  specialty TEXT NOT NULL,\n"
	"  score DOUBLE PRECISION NOT NULL,\n"
	"  region TEXT REFERENCES region(kato)\n"
	");\n"
	"CREATE INDEX student_college ON student (college);\n"
	"CREATE TABLE choice (\n"
	"  student TEXT NOT NULL REFERENCES student(id),\n"
	"  rank INTEGER NOT NULL CHECK (rank >= 1),\n"
	"  place TEXT NOT NULL REFERENCES place(id),\n"
	"  PRIMARY KEY (student, rank),\n"
	"  UNIQUE (student, place)\n"
	");\n"
	"CREATE INDEX choice_place ON choice (place);\n"
	"CREATE TABLE enterprise_ranking (\n"
	"  enterprise TEXT NOT NULL REFERENCES enterprise(id),\n"
	"  place TEXT NOT NULL DEFAULT '',\n"
	"  student TEXT NOT NULL DEFAULT '',\n"
	"  college TEXT NOT NULL DEFAULT '',\n"
	"  rank INTEGER NOT NULL CHECK (rank >= 1),\n"
	"  PRIMARY KEY (enterprise, place, student, college),\n"
	"  CHECK ((student = '') <> (college = ''))\n"
	");\n"
	"CREATE TABLE match_run (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  created TEXT NOT NULL,\n"
	"  direction TEXT NOT NULL CHECK (direction IN ('students','enterprises')),\n"
	"  seed BIGINT NOT NULL CHECK (seed >= 0),\n"
	"  options TEXT NOT NULL,\n"
	"  stats TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE match_assignment (\n"
	"  run INTEGER NOT NULL REFERENCES match_run(id),\n"
	"  student TEXT NOT NULL REFERENCES student(id),\n"
	"  place TEXT REFERENCES place(id),\n"
	"  rank INTEGER CHECK (rank >= 1),\n"
	"  lottery TEXT NOT NULL,\n"
	"  PRIMARY KEY (run, student)\n"
	");\n";

/*
 * Migration 12: a place's ranking rule, stored (docs/matching.md).  Before
 * it the rule was read off enterprise_ranking: a place with rows ranked by
 * them, one without by score; so a place could not rank by a list naming
 * nobody.  rule '' keeps that reading for old rows; 'score', 'list' and
 * 'college' say it outright, and a 'list' or 'college' place with no rows
 * accepts nobody.
 */
const char ksp_schema_place_rule_sql[] =
	"ALTER TABLE place ADD COLUMN rule TEXT NOT NULL DEFAULT ''\n"
	"  CHECK (rule IN ('', 'score', 'list', 'college'));\n";

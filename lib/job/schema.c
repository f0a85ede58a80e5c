/*
 * schema.c - migration 7: the server's jobs and API keys.
 *
 * job: long work (a forecast, a matching run) submitted through the API,
 * with its state, progress and outcome, so that a restart never loses one
 * silently (ksp_job_fail_interrupted).  api_key: the keys that may write
 * through the API; only a keyed BLAKE2b hash of each key is kept, beside
 * a short public prefix to find it by (lib/access/apikey.c).  Portable SQL
 * only (store/store.h).
 */
#include "store/schema.h"

const char ksp_schema_server_sql[] =
	"CREATE TABLE job (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  kind TEXT NOT NULL,\n"
	"  state TEXT NOT NULL CHECK (state IN ('queued','running','done','failed')),\n"
	"  progress DOUBLE PRECISION NOT NULL DEFAULT 0,\n"
	"  params TEXT NOT NULL DEFAULT '',\n"
	"  result TEXT NOT NULL DEFAULT '',\n"
	"  error TEXT NOT NULL DEFAULT '',\n"
	"  owner TEXT NOT NULL DEFAULT '',\n"
	"  created TEXT NOT NULL,\n"
	"  started TEXT NOT NULL DEFAULT '',\n"
	"  finished TEXT NOT NULL DEFAULT ''\n"
	");\n"
	"CREATE INDEX job_state ON job (state);\n"
	"CREATE TABLE api_key (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  prefix TEXT NOT NULL UNIQUE,\n"
	"  hash TEXT NOT NULL,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  role TEXT NOT NULL CHECK (role IN ('viewer','analyst','admin')),\n"
	"  region TEXT NOT NULL DEFAULT '',\n"
	"  created TEXT NOT NULL,\n"
	"  revoked TEXT NOT NULL DEFAULT ''\n"
	");\n";

/*
 * store/schema.h - the schema's migrations.
 *
 * Migration N brings a database from version N-1 to N.  Each is a block of
 * portable DDL (see store/store.h) owned by the module whose tables it
 * creates; lib/store/schema.c lists them in order.  A migration, once
 * released, is never edited: a change is a new migration.
 */
#ifndef KSP_SCHEMA_H
#define KSP_SCHEMA_H

struct ksp_migration {
	int version;
	const char *name;
	const char *sql;
};

extern const char ksp_schema_core_sql[];      /* 1: lib/store/schema_core.c */
extern const char ksp_schema_placement_sql[]; /* 2: lib/match/schema.c */
extern const char ksp_schema_forecast_sql[];  /* 3: lib/forecast/schema.c */
extern const char ksp_schema_forecast_projects_sql[]; /* 4: lib/forecast/schema.c */
extern const char ksp_schema_boundary_sql[];  /* 5: lib/data/boundary.c */
extern const char ksp_schema_titles_sql[];    /* 6: lib/store/schema_titles.c */
extern const char ksp_schema_server_sql[];    /* 7: lib/job/schema.c */
extern const char ksp_schema_atlas_sql[];     /* 8: lib/atlas/schema.c */
extern const char ksp_schema_forecast_inputs_sql[]; /* 9: lib/forecast/schema.c */
extern const char ksp_schema_history_sql[];   /* 10: lib/backtest/schema.c */
extern const char ksp_schema_plans_sql[];     /* 11: lib/plan/schema.c */
extern const char ksp_schema_place_rule_sql[]; /* 12: lib/match/schema.c */
extern const char ksp_schema_forecast_reserve_sql[]; /* 13: lib/forecast/schema.c */
extern const char ksp_schema_graduate_destinations_sql[]; /* 14: lib/forecast/schema.c */
extern const char ksp_schema_forecast_need_sql[]; /* 15: lib/forecast/schema.c */

extern const struct ksp_migration ksp_migrations[];
extern const int ksp_migration_count;

#endif

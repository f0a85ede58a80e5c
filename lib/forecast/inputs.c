/*
 * inputs.c - the forecast's input tables read for other modules (the atlas's
 * training paths) and a stored run's record of the inputs it read.
 */
#include <string.h>

#include "kasip/forecast.h"
#include "store/store.h"
#include "util/xmalloc.h"

int ksp_forecast_specialties(struct ksp_store *s, struct ksp_specialty_group **out, size_t *n,
			     struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(s, "SELECT code, level, field, title_en, title_ru, title_kk, share "
				 "FROM forecast_specialty "
				 "ORDER BY CASE level WHEN 'tvet' THEN 0 ELSE 1 END, code", &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_specialty_group *g;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		g = &(*out)[(*n)++];
		memset(g, 0, sizeof(*g));
		snprintf(g->code, sizeof(g->code), "%s", ksp_stmt_column_text(st, 0));
		snprintf(g->level, sizeof(g->level), "%s", ksp_stmt_column_text(st, 1));
		snprintf(g->field, sizeof(g->field), "%s", ksp_stmt_column_text(st, 2));
		snprintf(g->title_en, sizeof(g->title_en), "%s", ksp_stmt_column_text(st, 3));
		snprintf(g->title_ru, sizeof(g->title_ru), "%s", ksp_stmt_column_text(st, 4));
		snprintf(g->title_kk, sizeof(g->title_kk), "%s", ksp_stmt_column_text(st, 5));
		g->share = ksp_stmt_column_double(st, 6);
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	return KSP_OK;
}

int ksp_forecast_flexibility(struct ksp_store *s, struct ksp_flexibility_weight **out, size_t *n,
			     struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(s, "SELECT specialty, isco_submajor, weight FROM forecast_flexibility "
				 "ORDER BY specialty, isco_submajor", &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_flexibility_weight *w;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		w = &(*out)[(*n)++];
		memset(w, 0, sizeof(*w));
		snprintf(w->specialty, sizeof(w->specialty), "%s", ksp_stmt_column_text(st, 0));
		snprintf(w->isco_submajor, sizeof(w->isco_submajor), "%s", ksp_stmt_column_text(st, 1));
		w->weight = ksp_stmt_column_double(st, 2);
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return rc;
	}
	return KSP_OK;
}

int ksp_forecast_run_inputs(struct ksp_store *s, long long run_id, char **out,
			    struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	*out = NULL;
	rc = ksp_stmt_prepare(s, "SELECT assumptions FROM forecast_run WHERE id = ?", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, run_id);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		*out = ksp_xstrdup(ksp_stmt_column_text(st, 0));
		rc = KSP_OK;
	} else if (rc == KSP_DONE) {
		rc = ksp_error_set(err, KSP_ENOTFOUND, "no forecast run %lld", run_id);
	}
	ksp_stmt_finalize(st);
	return rc;
}

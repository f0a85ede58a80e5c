/*
 * published.c - kasip/forecast.h: the figures others published, to set
 * beside the forecast's (table published-figures, migration 15), with
 * their sources.  The ministry's need is compared with the run's
 * (docs/methodology.md, "The ministry's need"); the numbers live in the
 * data set (data/kz/published_figures.csv), never in the code.
 */
#include <stdio.h>
#include <string.h>

#include "kasip/forecast.h"
#include "store/store.h"
#include "util/xmalloc.h"

int ksp_published_figures(struct ksp_store *s, const char *figure, const char *region,
			  struct ksp_published_figure **out, size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	/* single years first, then spans, each by its first year */
	rc = ksp_stmt_prepare(
		s,
		"SELECT p.figure, p.region, p.year_from, p.year_to, p.value, p.unit, p.kind, "
		"p.source_id, coalesce(src.publisher, ''), coalesce(src.url, ''), p.note "
		"FROM published_figure p LEFT JOIN source src ON src.id = p.source_id "
		"LEFT JOIN region g ON g.kato = p.region "
		"WHERE (? = '' OR p.figure = ?) AND (? = '' OR p.region = ? OR upper(g.iso) = upper(?)) "
		"ORDER BY p.figure, p.region, p.year_to - p.year_from, p.year_from",
		&st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, figure ? figure : "", -1);
	ksp_stmt_bind_text(st, 2, figure ? figure : "", -1);
	for (int i = 3; i <= 5; i++)
		ksp_stmt_bind_text(st, i, region ? region : "", -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_published_figure *f;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		f = &(*out)[(*n)++];
		memset(f, 0, sizeof(*f));
		snprintf(f->figure, sizeof(f->figure), "%s", ksp_stmt_column_text(st, 0));
		snprintf(f->region, sizeof(f->region), "%s", ksp_stmt_column_text(st, 1));
		f->year_from = (int)ksp_stmt_column_int64(st, 2);
		f->year_to = (int)ksp_stmt_column_int64(st, 3);
		f->value = ksp_stmt_column_double(st, 4);
		snprintf(f->unit, sizeof(f->unit), "%s", ksp_stmt_column_text(st, 5));
		snprintf(f->kind, sizeof(f->kind), "%s", ksp_stmt_column_text(st, 6));
		snprintf(f->source, sizeof(f->source), "%s", ksp_stmt_column_text(st, 7));
		snprintf(f->publisher, sizeof(f->publisher), "%s", ksp_stmt_column_text(st, 8));
		snprintf(f->url, sizeof(f->url), "%s", ksp_stmt_column_text(st, 9));
		snprintf(f->note, sizeof(f->note), "%s", ksp_stmt_column_text(st, 10));
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

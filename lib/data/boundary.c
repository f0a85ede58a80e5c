/*
 * boundary.c - migration 5 and the regions' boundaries (see data/boundary.h).
 */
#include "data/boundary.h"

#include <jansson.h>
#include <sys/stat.h>

#include "kasip/i18n.h"
#include "kasip/query.h"
#include "store/schema.h"
#include "store/store.h"
#include "util/xmalloc.h"

const char ksp_schema_boundary_sql[] =
	"CREATE TABLE region_boundary (\n"
	"  region TEXT PRIMARY KEY REFERENCES region(kato),\n"
	"  geometry TEXT NOT NULL,\n" /* a GeoJSON Polygon or MultiPolygon, WGS84 lon/lat */
	"  source_id TEXT NOT NULL REFERENCES source(id)\n"
	");\n";

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

int ksp_boundary_import_geojson(struct ksp_store *s, const char *path, const char *source_id,
				struct ksp_error *err)
{
	struct ksp_stmt *ins = NULL, *chk = NULL, *del = NULL;
	json_t *root = NULL, *features, *feat;
	json_error_t jerr;
	struct stat sb;
	const char *name = base_name(path);
	size_t i;
	int rc = KSP_OK;

	if (stat(path, &sb) != 0)
		return ksp_error_set(err, KSP_EIO, "cannot read '%s': %s", path, strerror(errno));
	if (sb.st_size > KSP_BOUNDARY_MAX_FILE)
		return ksp_error_set(err, KSP_ETOOBIG, "%s: larger than %ld bytes", name,
				     KSP_BOUNDARY_MAX_FILE);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return ksp_error_at(err, KSP_EINVAL, name, jerr.line, jerr.column, NULL, "%s", jerr.text);
	features = json_object_get(root, "features");
	if (!json_is_array(features)) {
		rc = ksp_error_set(err, KSP_EINVAL, "%s: expected a FeatureCollection", name);
		goto out;
	}
	rc = ksp_stmt_prepare(s, "SELECT 1 FROM region WHERE kato = ?", &chk, err);
	if (!rc)
		rc = ksp_stmt_prepare(s, "DELETE FROM region_boundary WHERE region = ?", &del, err);
	if (!rc)
		rc = ksp_stmt_prepare(s,
				      "INSERT INTO region_boundary (region, geometry, source_id) VALUES (?, ?, ?)",
				      &ins, err);
	if (rc)
		goto out;
	json_array_foreach(features, i, feat) {
		const char *kato =
			json_string_value(json_object_get(json_object_get(feat, "properties"), "KATO"));
		struct ksp_geo_shape g;
		char *text;

		if (!kato) {
			rc = ksp_error_set(err, KSP_EINVAL, "%s: feature %zu: no \"KATO\" property", name, i + 1);
			goto out;
		}
		ksp_stmt_reset(chk);
		ksp_stmt_bind_textz(chk, 1, kato);
		rc = ksp_stmt_step(chk, err);
		if (rc == KSP_DONE) {
			rc = ksp_error_set(err, KSP_EINVAL, "%s: feature %zu: unknown region '%s'", name, i + 1,
					   kato);
			goto out;
		}
		if (rc != KSP_ROW)
			goto out;
		text = json_dumps(json_object_get(feat, "geometry"), JSON_COMPACT | JSON_REAL_PRECISION(8));
		if (!text) {
			rc = ksp_error_set(err, KSP_EINVAL, "%s: feature %zu: no geometry", name, i + 1);
			goto out;
		}
		/* Check it now, so that a page never meets a geometry it cannot draw. */
		{
			struct ksp_error e2 = { 0 };

			rc = ksp_geo_shape_parse(&g, text, &e2);
			ksp_geo_shape_release(&g);
			if (rc) {
				free(text);
				rc = ksp_error_set(err, KSP_EINVAL, "%s: feature %zu ('%s'): %s", name, i + 1,
						   kato, e2.msg);
				goto out;
			}
		}
		ksp_stmt_reset(del);
		ksp_stmt_bind_textz(del, 1, kato);
		rc = ksp_stmt_step(del, err);
		if (rc == KSP_DONE) {
			ksp_stmt_reset(ins);
			ksp_stmt_bind_textz(ins, 1, kato);
			ksp_stmt_bind_text(ins, 2, text, -1);
			ksp_stmt_bind_textz(ins, 3, source_id);
			rc = ksp_stmt_step(ins, err);
		}
		free(text);
		if (rc != KSP_DONE)
			goto out;
		rc = KSP_OK;
	}
out:
	ksp_stmt_finalize(chk);
	ksp_stmt_finalize(del);
	ksp_stmt_finalize(ins);
	json_decref(root);
	return rc;
}

void ksp_boundaries_release(struct ksp_boundaries *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->regions[i].name);
		ksp_geo_shape_release(&b->regions[i].shape);
	}
	free(b->regions);
	b->regions = NULL;
	b->n = 0;
}

int ksp_boundaries_read(struct ksp_store *s, const char *lang, struct ksp_boundaries *out,
			struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	const char *l = ksp_lang_norm(lang);
	size_t alloc = 0;
	int rc, exists = 0;

	out->regions = NULL;
	out->n = 0;
	/* A database made before migration 5 was applied has no such table: no map. */
	rc = ksp_store_table_exists(s, "region_boundary", &exists, err);
	if (rc || !exists)
		return rc;
	rc = ksp_stmt_prepare(s,
			      "SELECT r.kato, r.name_en, r.name_ru, r.name_kk, r.type, b.geometry "
			      "FROM region_boundary b JOIN region r ON r.kato = b.region "
			      "ORDER BY CASE WHEN r.type = 'city' THEN 1 ELSE 0 END, r.kato",
			      &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_region_shape *r;
		int col = l && !strcmp(l, "ru") ? 2 : l && !strcmp(l, "kk") ? 3 : 1;
		const char *name = ksp_stmt_column_text(st, col);

		KSP_ALLOC_GROW(out->regions, out->n + 1, alloc);
		r = &out->regions[out->n++];
		memset(r, 0, sizeof(*r));
		snprintf(r->code, sizeof(r->code), "%s", ksp_stmt_column_text(st, 0));
		r->name = ksp_xstrdup(*name ? name : ksp_stmt_column_text(st, 1));
		r->city = !strcmp(ksp_stmt_column_text(st, 4), "city");
		rc = ksp_geo_shape_parse(&r->shape, ksp_stmt_column_text(st, 5), err);
		if (rc)
			break;
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

int ksp_boundary_get(struct ksp_store *s, const char *kato, char **geometry, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc, exists = 0;

	*geometry = NULL;
	rc = ksp_store_table_exists(s, "region_boundary", &exists, err);
	if (rc || !exists)
		return rc;
	rc = ksp_stmt_prepare(s, "SELECT geometry FROM region_boundary WHERE region = ?", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_textz(st, 1, kato);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW)
		*geometry = ksp_xstrdup(ksp_stmt_column_text(st, 0));
	ksp_stmt_finalize(st);
	return rc == KSP_ROW || rc == KSP_DONE ? KSP_OK : rc;
}

int ksp_region_boundary(struct ksp_store *s, const char *kato, char **geometry,
			struct ksp_error *err)
{
	return ksp_boundary_get(s, kato, geometry, err);
}

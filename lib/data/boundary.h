/*
 * data/boundary.h - the regions' boundaries in the database (internal).
 *
 * The built-in data set ships data/kz/regions.geojson (geokz, CC BY 4.0;
 * data/kz/SOURCES.md).  ksp_dataset_load() stores each feature's geometry
 * as GeoJSON text in region_boundary, keyed by KATO code (the feature's
 * "KATO" property), so that a page drawn later needs only the database.
 * The geometry is kept unsimplified: the map simplifies it at the scale
 * it draws (render/map.h).
 */
#ifndef KSP_DATA_BOUNDARY_H
#define KSP_DATA_BOUNDARY_H

#include <stddef.h>

#include "kasip/error.h"
#include "kasip/store.h"
#include "render/map.h"

/* The largest GeoJSON file accepted. */
#define KSP_BOUNDARY_MAX_FILE (64L * 1024 * 1024)

/*
 * Store every feature of the GeoJSON FeatureCollection at path in
 * region_boundary with source_id, replacing a region's earlier boundary,
 * inside the caller's transaction.  Each feature needs a "KATO" property
 * naming a region already in the database and a Polygon or MultiPolygon
 * geometry.  Errors: KSP_EIO (cannot read), KSP_ETOOBIG, KSP_EINVAL
 * ("regions.geojson: feature 3: unknown region '123'"), KSP_EDB.
 */
int ksp_boundary_import_geojson(struct ksp_store *s, const char *path, const char *source_id,
				struct ksp_error *err);

struct ksp_region_shape {
	char code[16];              /* KATO */
	char *name;                 /* in the requested language */
	int city;                   /* a city of republican significance */
	struct ksp_geo_shape shape;
};

struct ksp_boundaries {
	struct ksp_region_shape *regions; /* oblasts first, then cities (drawn on top) */
	size_t n;
};

/*
 * Read every stored boundary with the region's name in lang (kk, ru, en).
 * out is initialised by the call and owned by the caller: release it with
 * ksp_boundaries_release() (also after an error).  No boundaries is not an
 * error (out->n == 0).  Errors: KSP_EDB, KSP_EINVAL (a stored geometry
 * does not parse).
 */
int ksp_boundaries_read(struct ksp_store *s, const char *lang, struct ksp_boundaries *out,
			struct ksp_error *err);
void ksp_boundaries_release(struct ksp_boundaries *b);

/*
 * One stored boundary: *geometry gets a heap copy of the region's GeoJSON
 * geometry (free() it), or NULL when none is stored.  Errors: KSP_EDB.
 */
int ksp_boundary_get(struct ksp_store *s, const char *kato, char **geometry, struct ksp_error *err);


#endif

/*
 * render/map.h - region shapes, the Lambert conformal conic projection,
 * Douglas-Peucker simplification and the choropleth map (internal).
 *
 * Shapes come from GeoJSON geometries (Polygon or MultiPolygon, WGS84
 * longitude/latitude), as stored in the region_boundary table
 * (lib/data/boundary.c).  The map is projected with a Lambert conformal
 * conic on the sphere with standard parallels 45 and 51 N, origin 48 N
 * 67 E, which keeps Kazakhstan's shapes and its east-west extent true
 * (an equirectangular map would stretch the north by a third).  Rings are
 * simplified in pixels, at the scale they are drawn, so that a page
 * carries no detail no one can see.
 */
#ifndef KSP_RENDER_MAP_H
#define KSP_RENDER_MAP_H

#include <stddef.h>

#include "kasip/error.h"
#include "util/strbuf.h"

/* A region's outline: rings (outer and holes alike) of lon/lat points. */
struct ksp_geo_shape {
	size_t nrings;
	size_t *ring_start; /* nrings + 1 offsets into the points */
	double *lonlat;     /* 2 per point */
	size_t npoints;
};

void ksp_geo_shape_init(struct ksp_geo_shape *g);
void ksp_geo_shape_release(struct ksp_geo_shape *g);

/*
 * Parse a GeoJSON geometry object (text) of type Polygon or MultiPolygon
 * into g (initialised by the call; release it even on error).  Errors:
 * KSP_EINVAL naming what is wrong ("geometry: expected Polygon or
 * MultiPolygon, got \"Point\""); at most 1,000,000 points.
 */
int ksp_geo_shape_parse(struct ksp_geo_shape *g, const char *geometry, struct ksp_error *err);

/* ---- projection --------------------------------------------------------------- */

struct ksp_lcc {
	double n, F, rho0, lon0; /* radians */
};

/* Set up a Lambert conformal conic on the unit sphere (degrees in). */
void ksp_lcc_init(struct ksp_lcc *p, double lat1, double lat2, double lat0, double lon0);
/* Kazakhstan's: parallels 45 and 51 N, origin 48 N 67 E. */
void ksp_lcc_kazakhstan(struct ksp_lcc *p);
/* Project lon/lat (degrees) to x (east) / y (north) in units of the sphere's radius. */
void ksp_lcc_forward(const struct ksp_lcc *p, double lon, double lat, double *x, double *y);

/* ---- simplification ----------------------------------------------------------- */

/*
 * Douglas-Peucker on the n points of xy (x0,y0,...), in place: keeps the
 * first and last points and every point farther than tol from the
 * simplified line.  Returns the number of points kept.  Iterative (no
 * recursion depth to worry about); O(n log n) typical.
 */
size_t ksp_simplify_dp(double *xy, size_t n, double tol);

/* ---- the choropleth ------------------------------------------------------------ */

struct ksp_map_region {
	const char *code;                  /* KATO, compared with current */
	const char *name;                  /* tooltip and the current region's label */
	double value;                      /* NaN: no data (grey) */
	const struct ksp_geo_shape *shape; /* NULL: not drawn */
	const char *href;                  /* NULL, or a link the region's shape leads to */
};

struct ksp_choropleth {
	const char *lang;
	const char *title;           /* aria-label */
	const struct ksp_map_region *regions;
	size_t n;
	const char *current;         /* KATO code of the region to outline, or NULL */
	const char *low_label;       /* left end of the legend ("surplus") */
	const char *high_label;      /* right end of the legend ("shortage") */
	const char *value_label;     /* the legend's caption */
	int percent;                 /* values are shares: show them x100 with " %" */
	double width;                /* 0: 640; the height follows from the shape */
	double tolerance;            /* simplification in px, 0: 0.6 */
};

/*
 * A map of the regions coloured by value on the diverging surplus-shortage
 * palette in 7 classes, symmetric around zero: |v| below one step is the
 * pale middle class, then one, two, and three or more steps each way; the
 * step is a nice number so that three steps cover most values (an outlier
 * does not wash the others out).  Larger regions are drawn first, so that
 * a city inside its oblast lies on top.  Regions whose drawn outline is smaller
 * than 10 px get a dot so that the three cities can be seen.  The current
 * region is drawn last with a thick outline and labelled.  Each region has
 * its name and value as a tooltip.
 */
void ksp_map_choropleth(struct ksp_strbuf *out, const struct ksp_choropleth *m);

/* The class step the map would use for these values (for tests and notes). */
double ksp_map_class_step(const double *values, size_t n);

#endif

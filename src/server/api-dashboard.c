/*
 * api-dashboard.c - the handlers the dashboard (web/) needs besides the
 * general API: its words from the message catalogue, the regions'
 * boundaries for the map, a run's map of one year and its population
 * pyramid.  As in api.c, each reads its parameters, calls the library and
 * encodes; the figures are the library's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static int need_store(struct srv_request *r)
{
	if (r->store)
		return 1;
	srv_error(r, 503, "unavailable", KSP_N_("the database is not available"), NULL);
	return 0;
}

/* ---- the words -------------------------------------------------------------- */

static void add_message(void *ud, const char *msgid, const char *text)
{
	json_object_set_new((json_t *)ud, msgid, json_string(text));
}

void api_messages(struct srv_request *r)
{
	json_t *m = json_object();

	ksp_tr_each(r->lang, "dashboard", add_message, m);
	srv_json(r, 200, json_pack("{s:s, s:o}", "lang", r->lang, "messages", m));
}

/* ---- the map's outlines ------------------------------------------------------- */

void api_boundaries(struct srv_request *r)
{
	struct ksp_region *list = NULL;
	struct ksp_error err;
	json_t *features;
	size_t n = 0;
	int rc;

	if (!need_store(r))
		return;
	if ((rc = ksp_region_list(r->store, 0, &list, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	features = json_array();
	for (size_t i = 0; i < n; i++) {
		char *geometry = NULL;
		json_t *g, *f;
		json_error_t jerr;

		if ((rc = ksp_region_boundary(r->store, list[i].kato, &geometry, &err))) {
			json_decref(features);
			ksp_region_list_free(list);
			srv_fail(r, rc, &err);
			return;
		}
		if (!geometry)
			continue;
		g = json_loads(geometry, 0, &jerr);
		free(geometry);
		if (!g)
			continue; /* the library checked it at import; nothing to draw */
		f = json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:o}", "type", "Feature", "properties",
			      "kato", list[i].kato, "iso", list[i].iso, "name",
			      ksp_region_name(&list[i], r->lang), "type", list[i].type, "geometry", g);
		json_array_append_new(features, f);
	}
	ksp_region_list_free(list);
	srv_json(r, 200, json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features));
}

/* ---- a run's map and pyramid ----------------------------------------------------- */

static int run_id(struct srv_request *r, long long *id)
{
	const char *v = srv_param(r, "id");
	char *end;

	errno = 0;
	*id = strtoll(v, &end, 10);
	if (!*v || *end || errno || *id <= 0) {
		srv_error(r, 404, "not_found", KSP_N_("not found"),
			  srv_printf(r->arena, "\"%s\" is not an id", v));
		return -1;
	}
	return 0;
}

void api_forecast_map(struct srv_request *r)
{
	struct ksp_forecast_area *a = NULL;
	struct ksp_forecast_run run;
	struct ksp_error err;
	long long id, year;
	size_t n = 0;
	json_t *items;
	int rc;

	if (!need_store(r) || run_id(r, &id))
		return;
	if ((rc = ksp_forecast_run_get(r->store, id, NULL, &run, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	if (srv_query_int(r, "year", 0, 2200, run.target_year, &year))
		return;
	if ((rc = ksp_forecast_areas(r->store, run.id, srv_query(r, "under"), (int)year, &a, &n,
				     &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items,
				      json_pack("{s:s, s:i, s:o, s:o, s:o, s:o, s:o}", "region",
						a[i].region, "year", a[i].year, "demand",
						num(a[i].demand), "openings", num(a[i].openings),
						"new_supply", num(a[i].new_supply), "balance",
						num(a[i].balance), "shortage_ratio",
						num(a[i].shortage_ratio)));
	ksp_forecast_free(a);
	srv_rows(r, items, NULL, 0,
		 json_pack("{s:I, s:i, s:i, s:s}", "run", (json_int_t)run.id, "base_year",
			   run.base_year, "target_year", run.target_year, "under",
			   srv_query(r, "under") ? srv_query(r, "under") : ""));
}

void api_forecast_pyramid(struct srv_request *r)
{
	struct ksp_forecast_run run;
	struct ksp_pyramid p;
	struct ksp_error err;
	long long id, year;
	json_t *items;
	int rc;

	if (!need_store(r) || run_id(r, &id))
		return;
	if ((rc = ksp_forecast_run_get(r->store, id, NULL, &run, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	if (srv_query_int(r, "year", 0, 2200, run.base_year, &year))
		return;
	if ((rc = ksp_forecast_pyramid(r->store, run.id, srv_query(r, "region"), (int)year, &p,
				       &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	items = json_array();
	for (int g = 0; g < KSP_PYRAMID_NGROUP; g++) {
		int lo = g * KSP_PYRAMID_STEP;
		char *label = g + 1 == KSP_PYRAMID_NGROUP
				      ? srv_printf(r->arena, "%d+", lo)
				      : srv_printf(r->arena, "%d-%d", lo, lo + KSP_PYRAMID_STEP - 1);

		json_array_append_new(items, json_pack("{s:s, s:i, s:o, s:o}", "age", label,
						       "age_from", lo, "male", num(p.male[g]),
						       "female", num(p.female[g])));
	}
	srv_rows(r, items, NULL, 0,
		 json_pack("{s:I, s:s, s:i, s:b, s:o}", "run", (json_int_t)run.id, "region",
			   p.region, "year", p.year, "projected", p.projected, "total",
			   num(p.total)));
}

void api_forecast_series(struct srv_request *r)
{
	static const char *const bands[KSP_FC_CELL_NBAND] = { "demand", "openings", "new_supply",
							      "balance" };
	static const char *const q[3] = { "p10", "p50", "p90" };
	struct ksp_forecast_point *p = NULL;
	struct ksp_forecast_run run;
	struct ksp_error err;
	long long id;
	size_t n = 0;
	json_t *items;
	int rc;

	if (!need_store(r) || run_id(r, &id))
		return;
	if ((rc = ksp_forecast_run_get(r->store, id, NULL, &run, &err)) ||
	    (rc = ksp_forecast_series(r->store, run.id, srv_query(r, "region"), srv_query(r, "under"),
				      &p, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack(
			"{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "year",
			p[i].year, "demand", num(p[i].demand), "expansion", num(p[i].expansion),
			"exits", num(p[i].exits), "transfers", num(p[i].transfers), "openings",
			num(p[i].openings), "graduates", num(p[i].graduates), "migrants",
			num(p[i].migrants), "transfers_in", num(p[i].transfers_in), "reserve",
			num(p[i].reserve), "new_supply", num(p[i].new_supply), "balance",
			num(p[i].balance), "other_entrants", num(p[i].other_entrants));

		for (int k = 0; k < KSP_FC_CELL_NBAND; k++)
			for (int b = 0; b < 3; b++)
				json_object_set_new(o, srv_printf(r->arena, "%s_%s", bands[k], q[b]),
						    num(p[i].band[k][b]));
		json_array_append_new(items, o);
	}
	ksp_forecast_free(p);
	srv_rows(r, items, NULL, 0,
		 json_pack("{s:I, s:s, s:i, s:i, s:s, s:s}", "run", (json_int_t)run.id, "scenario",
			   run.scenario, "base_year", run.base_year, "target_year", run.target_year,
			   "region", srv_query(r, "region") ? srv_query(r, "region") : "KZ", "under",
			   srv_query(r, "under") ? srv_query(r, "under") : ""));
}

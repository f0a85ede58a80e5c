/*
 * api.c - the handlers of /api/v1: each reads its parameters, calls the
 * library and builds the answer.  Lists are arrays of flat objects handed
 * to srv_rows(), which writes them as JSON or CSV; figures a run does not
 * have (NAN) are null.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"

/* ---- small helpers ------------------------------------------------------------ */

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *str(const char *s)
{
	return json_string(s ? s : "");
}

static int need_store(struct srv_request *r)
{
	if (r->store)
		return 1;
	srv_error(r, 503, "unavailable", KSP_N_("the database is not available"), NULL);
	return 0;
}

/* A positive integer id from the path; 404 when it is not one. */
static int path_id(struct srv_request *r, const char *name, long long *id)
{
	const char *v = srv_param(r, name);
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

/* Slice a whole list into a page: returns the next offset (0: none). */
static size_t page_of(size_t n, size_t offset, size_t limit, size_t *from, size_t *to)
{
	*from = offset < n ? offset : n;
	*to = n - *from > limit ? *from + limit : n;
	return *to < n ? *to : 0;
}

/*
 * Answer with a page of a list read with limit + 1 items from offset: the
 * first limit of its n items (each size bytes) as to_json makes them, and a
 * next link when there was one more.
 */
static void rows_page(struct srv_request *r, const void *list, size_t size, size_t n,
		      size_t offset, size_t limit,
		      json_t *(*to_json)(struct srv_request *r, const void *item))
{
	json_t *items = json_array();

	for (size_t i = 0; i < n && i < limit; i++)
		json_array_append_new(items, to_json(r, (const char *)list + i * size));
	srv_rows(r, items, NULL, n > limit ? offset + limit : 0, NULL);
}

/* ---- health and the API description ------------------------------------------ */

void api_health(struct srv_request *r)
{
	json_t *o = json_object();
	struct ksp_error err;
	int version = 0, ok;

	ok = r->store && ksp_store_schema_version(r->store, &version, &err) == KSP_OK;
	json_object_set_new(o, "status", json_string(ok ? "ok" : "degraded"));
	json_object_set_new(o, "version", json_string(ksp_version()));
	json_object_set_new(o, "schema", json_integer(version));
	srv_json(r, ok ? 200 : 503, o);
}

void api_openapi(struct srv_request *r)
{
	srv_json(r, 200, srv_openapi());
}

/* ---- regions -------------------------------------------------------------------- */

static json_t *region_json(const struct ksp_region *g, const char *lang)
{
	json_t *o = json_object();

	json_object_set_new(o, "kato", str(g->kato));
	json_object_set_new(o, "iso", str(g->iso));
	json_object_set_new(o, "type", str(g->type));
	json_object_set_new(o, "name", str(ksp_region_name(g, lang)));
	json_object_set_new(o, "name_kk", str(g->name_kk));
	json_object_set_new(o, "name_ru", str(g->name_ru));
	json_object_set_new(o, "name_en", str(g->name_en));
	json_object_set_new(o, "centre", str(g->has_centre ? ksp_region_centre(g, lang) : ""));
	json_object_set_new(o, "lat", g->has_centre ? json_real(g->lat) : json_null());
	json_object_set_new(o, "lon", g->has_centre ? json_real(g->lon) : json_null());
	json_object_set_new(o, "population", g->population >= 0 ? json_real(g->population)
								: json_null());
	json_object_set_new(o, "population_year",
			    g->population_year ? json_integer(g->population_year) : json_null());
	return o;
}

void api_regions(struct srv_request *r)
{
	struct ksp_region *list = NULL;
	struct ksp_error err;
	size_t n = 0, offset, limit, from, to, next;
	const char *c = srv_query(r, "country");
	json_t *items;
	int rc;

	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	rc = ksp_region_list(r->store, c && !strcmp(c, "1") ? KSP_REGION_WITH_COUNTRY : 0, &list,
			     &n, &err);
	if (rc) {
		srv_fail(r, rc, &err);
		return;
	}
	next = page_of(n, offset, limit, &from, &to);
	items = json_array();
	for (size_t i = from; i < to; i++)
		json_array_append_new(items, region_json(&list[i], r->lang));
	ksp_region_list_free(list);
	srv_rows(r, items, NULL, next, NULL);
}

void api_region(struct srv_request *r)
{
	struct ksp_region g;
	struct ksp_fact *facts = NULL;
	struct ksp_error err;
	size_t n = 0;
	json_t *o, *fa;
	int rc;

	if (!need_store(r))
		return;
	if ((rc = ksp_region_find(r->store, srv_param(r, "code"), &g, &err)) ||
	    (rc = ksp_region_facts(r->store, g.kato, r->lang, &facts, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	fa = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_object();

		json_object_set_new(f, "topic", str(facts[i].topic));
		json_object_set_new(f, "indicator", str(facts[i].indicator));
		json_object_set_new(f, "year", facts[i].year ? json_integer(facts[i].year)
							      : json_null());
		json_object_set_new(f, "value", num(facts[i].value));
		json_object_set_new(f, "unit", str(facts[i].unit));
		json_object_set_new(f, "source", str(facts[i].source));
		json_object_set_new(f, "kind", str(facts[i].kind));
		/* The indicator in English whatever the language: a key for programs. */
		json_object_set_new(f, "key", str(facts[i].key));
		json_array_append_new(fa, f);
	}
	ksp_fact_list_free(facts);
	if (srv_wants_csv(r)) {
		srv_rows(r, fa, NULL, 0, NULL);
		return;
	}
	o = region_json(&g, r->lang);
	json_object_set_new(o, "facts", fa);
	srv_json(r, 200, o);
}

/* ---- occupations ------------------------------------------------------------------ */

void api_occupations(struct srv_request *r)
{
	struct ksp_occupation_query q = { 0 };
	struct ksp_occupation *list = NULL;
	struct ksp_error err;
	size_t n = 0, offset, limit, from, to, next;
	long long level;
	json_t *items;
	int rc;

	if (!need_store(r) || srv_page(r, &offset, &limit) ||
	    srv_query_int(r, "level", 0, 4, 0, &level))
		return;
	q.level = (int)level;
	q.under = srv_query(r, "under");
	q.search = srv_query(r, "search");
	if (!q.search)
		q.search = srv_query(r, "q");
	q.classification = srv_query(r, "classification");
	if ((rc = ksp_occupation_list(r->store, &q, &list, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	next = page_of(n, offset, limit, &from, &to);
	items = json_array();
	for (size_t i = from; i < to; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code", str(list[i].code));
		json_object_set_new(o, "level", json_integer(list[i].level));
		json_object_set_new(o, "parent", str(list[i].parent_code));
		json_object_set_new(o, "title", str(ksp_occupation_title(&list[i], r->lang)));
		json_object_set_new(o, "title_kk", str(list[i].title_kk));
		json_object_set_new(o, "title_ru", str(list[i].title_ru));
		json_object_set_new(o, "title_en", str(list[i].title_en));
		json_object_set_new(o, "classification", str(list[i].classification));
		json_array_append_new(items, o);
	}
	ksp_occupation_list_free(list);
	srv_rows(r, items, NULL, next, json_pack("{s:I}", "total", (json_int_t)n));
}

/* ---- tables and sources ---------------------------------------------------------- */

void api_tables(struct srv_request *r)
{
	struct ksp_table_info buf;
	const struct ksp_table_info *t;
	json_t *items = json_array();

	for (size_t i = 0; (t = ksp_table_info_at(i, &buf)); i++)
		json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:s}", "name", t->name,
						       "summary", ksp_tr(r->lang, t->summary), "columns",
						       t->ncolumns, "rows",
						       srv_printf(r->arena, "/api/v1/tables/%s/rows",
								  t->name)));
	srv_rows(r, items, NULL, 0, NULL);
}

void api_table(struct srv_request *r)
{
	const char *name = srv_param(r, "table");
	struct ksp_column_info c;
	json_t *cols = json_array(), *o;
	int rc = KSP_OK;

	for (int i = 0; (rc = ksp_table_column_info(name, i, &c)) == KSP_OK; i++)
		/* type stays the English key for programs; type_label is for people */
		json_array_append_new(cols, json_pack("{s:s, s:s, s:s?, s:s, s:b, s:b, s:s?, s:s}",
						      "name", c.name, "type", c.type, "range", c.range,
						      "what", c.what ? ksp_tr(r->lang, c.what) : "",
						      "key", c.key, "optional", c.optional, "default",
						      c.def, "type_label",
						      ksp_trc(r->lang, "column type", c.type)));
	if (rc == KSP_ENOTFOUND) {
		json_decref(cols);
		srv_error(r, 404, "not_found", KSP_N_("no such table"),
			  srv_printf(r->arena, "unknown table \"%s\"", name));
		return;
	}
	if (srv_wants_csv(r)) {
		srv_rows(r, cols, NULL, 0, NULL);
		return;
	}
	o = json_pack("{s:s, s:o, s:s}", "name", name, "columns", cols, "rows",
		      srv_printf(r->arena, "/api/v1/tables/%s/rows", name));
	srv_json(r, 200, o);
}

static void table_rows(struct srv_request *r, const char *name)
{
	struct ksp_column_info c;
	struct ksp_error err;
	size_t offset, limit, len = 0;
	char *buf = NULL;
	long nrows = 0;
	int more = 0, rc, csv;
	FILE *f;

	if (ksp_table_column_info(name, 0, &c) == KSP_ENOTFOUND) {
		srv_error(r, 404, "not_found", KSP_N_("no such table"),
			  srv_printf(r->arena, "unknown table \"%s\"", name));
		return;
	}
	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	csv = srv_wants_csv(r);
	if (!(f = open_memstream(&buf, &len)))
		abort();
	rc = ksp_export_table_page(r->store, name, csv ? KSP_EXPORT_CSV : KSP_EXPORT_JSON, offset,
				   limit, f, &nrows, &more, &err);
	fclose(f);
	if (rc) {
		free(buf);
		srv_fail(r, rc, &err);
		return;
	}
	if (csv) {
		/* The export's own CSV: it re-imports as it is. */
		srv_raw(r, 200, "text/csv; charset=utf-8", buf, len);
		return;
	}
	{
		json_error_t jerr;
		json_t *items = json_loadb(buf, len, 0, &jerr);

		free(buf);
		if (!items) {
			srv_error(r, 500, "internal", KSP_N_("the server failed"), jerr.text);
			return;
		}
		srv_rows(r, items, NULL, more ? offset + (size_t)nrows : 0,
			 json_pack("{s:s}", "table", name));
	}
}

void api_table_rows(struct srv_request *r)
{
	table_rows(r, srv_param(r, "table"));
}

void api_sources(struct srv_request *r)
{
	table_rows(r, "sources");
}

/* ---- import ------------------------------------------------------------------------ */

/*
 * A key bound to a region may import only rows of that region: the file
 * needs a region column and every row's region must be the key's.
 */
static int upload_in_region(struct srv_request *r, const char *table,
			    const struct ksp_csv_options *copt)
{
	struct ksp_column_info info;
	struct ksp_csv *csv = NULL;
	int has_region = 0;
	struct ksp_csv_row row;
	struct ksp_error err;
	long col = -1;
	int rc, ok = 1;
	char last[64] = "";

	if (!r->key || r->key->role == KSP_ROLE_ADMIN || !r->key->region[0])
		return 1;
	/* A table without a region column is national data. */
	for (int i = 0; ksp_table_column_info(table, i, &info) == KSP_OK; i++)
		if (!strcmp(info.name, "region"))
			has_region = 1;
	if (!has_region)
		goto out;
	if (ksp_csv_open_mem(&csv, "upload.csv", r->body, r->body_len, copt, &err))
		return 1; /* the importer reports the error itself */
	if ((rc = ksp_csv_next(csv, &row, &err)) == KSP_OK)
		for (size_t i = 0; i < row.nfields; i++)
			if (!strcmp(row.fields[i], "region") ||
			    !strcmp(row.fields[i], "\xEF\xBB\xBFregion"))
				col = (long)i;
	if (col < 0) {
		ok = 0;
	} else {
		while (ok && (rc = ksp_csv_next(csv, &row, &err)) == KSP_OK) {
			struct ksp_region g;
			const char *v = (size_t)col < row.nfields ? row.fields[col] : "";

			if (!strcmp(v, last))
				continue;
			if (ksp_region_find(r->store, v, &g, &err) != KSP_OK ||
			    strcmp(g.kato, r->key->region))
				ok = 0;
			else
				snprintf(last, sizeof(last), "%s", v);
		}
	}
	ksp_csv_free(csv);
out:
	if (!has_region)
		ok = 0;
	if (!ok)
		srv_error(r, 403, "forbidden", KSP_N_("this key may not write for that region"),
			  srv_printf(r->arena,
				     "the key \"%s\" is bound to region %s: every row needs a "
				     "region column naming it",
				     r->key->name, r->key->region));
	return ok;
}

void api_import(struct srv_request *r)
{
	const char *table = srv_param(r, "table"), *d = srv_query(r, "delimiter");
	struct ksp_import_options opt = { 0 };
	struct ksp_import_result res = { 0 };
	struct ksp_csv_options copt = { 0 };
	struct ksp_column_info c;
	struct ksp_error err;
	int rc;

	if (ksp_table_column_info(table, 0, &c) == KSP_ENOTFOUND) {
		srv_error(r, 404, "not_found", KSP_N_("no such table"),
			  srv_printf(r->arena, "unknown table \"%s\"", table));
		return;
	}
	if (!need_store(r))
		return;
	opt.encoding = srv_query(r, "encoding");
	opt.source_id = srv_query(r, "source");
	opt.display_name = srv_query(r, "name");
	if (!opt.display_name)
		opt.display_name = srv_printf(r->arena, "%s.csv", table);
	if (d) {
		if (!strcmp(d, "tab") || !strcmp(d, "\t"))
			opt.delimiter = '\t';
		else if (!strcmp(d, ",") || !strcmp(d, ";"))
			opt.delimiter = d[0];
		else {
			srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
				  "delimiter is ',', ';' or tab");
			return;
		}
	}
	copt.delimiter = opt.delimiter;
	copt.encoding = opt.encoding;
	if (!upload_in_region(r, table, &copt))
		return;
	rc = ksp_import_csv_mem(r->store, table, opt.display_name, r->body, r->body_len, &opt,
				&res, &err);
	if (rc) {
		srv_fail(r, rc, &err);
		return;
	}
	srv_json(r, 200, json_pack("{s:s, s:I, s:I, s:I}", "table", table, "rows",
				   (json_int_t)res.rows, "inserted", (json_int_t)res.inserted,
				   "replaced", (json_int_t)res.replaced));
}

static int take(struct srv_request *r, json_t *body, json_t *params, const char *const *names,
		const char *types);

/* ---- scenarios ----------------------------------------------------------------------- */

/* title in the request's language (a shipped one's translation), origin a code */
static json_t *scenario_json(const struct ksp_scenario *s, const char *lang)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "name", s->name, "title",
			 ksp_scenario_title(s, lang), "origin", s->origin, "based_on", s->based_on,
			 "created", s->created, "parameters", s->nparams);
}

void api_scenarios(struct srv_request *r)
{
	struct ksp_scenario *list = NULL;
	struct ksp_error err;
	size_t n = 0, offset, limit, from, to, next;
	json_t *items;
	int rc;

	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	if ((rc = ksp_scenario_list(r->store, &list, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	next = page_of(n, offset, limit, &from, &to);
	items = json_array();
	for (size_t i = from; i < to; i++)
		json_array_append_new(items, scenario_json(&list[i], r->lang));
	ksp_forecast_free(list);
	srv_rows(r, items, NULL, next, NULL);
}

void api_scenario(struct srv_request *r)
{
	struct ksp_scenario sc;
	struct ksp_scenario_param *p = NULL;
	struct ksp_error err;
	size_t n = 0;
	json_t *o, *ps;
	int rc;

	if (!need_store(r))
		return;
	if ((rc = ksp_scenario_get(r->store, srv_param(r, "name"), &sc, &p, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	ps = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(ps, json_pack("{s:s, s:o, s:s, s:o, s:s, s:s}", "name",
						    p[i].name, "value", num(p[i].value), "dist",
						    p[i].dist, "spread", num(p[i].spread), "unit",
						    p[i].unit, "note", p[i].note));
	ksp_forecast_free(p);
	if (srv_wants_csv(r)) {
		srv_rows(r, ps, NULL, 0, NULL);
		return;
	}
	o = scenario_json(&sc, r->lang);
	json_object_set_new(o, "params", ps);
	srv_json(r, 200, o);
}

/* The "set" member: an array of "PARAM=VALUE[:DIST:SPREAD]" strings; -1 after a 400. */
static int scenario_sets(struct srv_request *r, json_t *body, const char ***setv, size_t *nsets)
{
	json_t *sets = json_object_get(body, "set"), *v;
	size_t i;

	*nsets = json_array_size(sets);
	*setv = srv_alloc(r->arena, (*nsets + 1) * sizeof(**setv));
	if (sets && !json_is_array(sets)) {
		srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
			  "\"set\" is an array of \"PARAM=VALUE[:DIST:SPREAD]\" strings");
		return -1;
	}
	json_array_foreach(sets, i, v)
	{
		if (!json_is_string(v)) {
			srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
				  "every entry of \"set\" is a string");
			return -1;
		}
		(*setv)[i] = json_string_value(v);
	}
	return 0;
}

void api_scenario_new(struct srv_request *r)
{
	static const char *const names[] = { "name", "from", "title", "set", NULL };
	json_t *body, *ok;
	const char *name;
	const char **setv;
	struct ksp_error err;
	size_t nsets;
	int rc;

	if (!need_store(r) || srv_json_body(r, &body))
		return;
	ok = json_object();
	rc = take(r, body, ok, names, "sssa");
	json_decref(ok);
	if (rc || scenario_sets(r, body, &setv, &nsets)) {
		json_decref(body);
		return;
	}
	name = json_string_value(json_object_get(body, "name"));
	if (!name) {
		json_decref(body);
		srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
			  "a scenario needs \"name\" (a string)");
		return;
	}
	rc = ksp_scenario_new(r->store, name, json_string_value(json_object_get(body, "from")),
			      json_string_value(json_object_get(body, "title")), setv, nsets, NULL,
			      &err);
	if (rc) {
		json_decref(body);
		srv_fail(r, rc, &err);
		return;
	}
	r->location = srv_printf(r->arena, "/api/v1/scenarios/%s", name);
	srv_json(r, 201, json_pack("{s:s, s:s}", "name", name, "href", r->location));
	json_decref(body);
}

void api_scenario_update(struct srv_request *r)
{
	static const char *const names[] = { "title", "set", NULL };
	const char *name = srv_param(r, "name");
	json_t *body, *ok;
	const char **setv;
	struct ksp_error err;
	size_t nsets;
	int rc;

	if (!need_store(r) || srv_json_body(r, &body))
		return;
	ok = json_object();
	rc = take(r, body, ok, names, "sa");
	json_decref(ok);
	if (rc || scenario_sets(r, body, &setv, &nsets)) {
		json_decref(body);
		return;
	}
	rc = ksp_scenario_update(r->store, name, json_string_value(json_object_get(body, "title")),
				 setv, nsets, &err);
	json_decref(body);
	if (rc) {
		srv_fail(r, rc, &err);
		return;
	}
	srv_json(r, 200, json_pack("{s:s, s:s}", "name", name, "href",
				   srv_printf(r->arena, "/api/v1/scenarios/%s", name)));
}

/* ---- forecasts ------------------------------------------------------------------------ */

static json_t *run_json(const struct ksp_forecast_run *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(f->id));
	json_object_set_new(o, "scenario", str(f->scenario));
	json_object_set_new(o, "created", str(f->created));
	json_object_set_new(o, "base_year", json_integer(f->base_year));
	json_object_set_new(o, "target_year", json_integer(f->target_year));
	json_object_set_new(o, "level", json_integer(f->level));
	json_object_set_new(o, "classification", str(f->classification));
	json_object_set_new(o, "region", str(f->region));
	json_object_set_new(o, "draws", json_integer(f->draws));
	json_object_set_new(o, "seed", json_integer((json_int_t)f->seed));
	json_object_set_new(o, "shortfall_year", json_integer(f->shortfall_year));
	json_object_set_new(o, "shortfall", num(f->shortfall));
	json_object_set_new(o, "shortfall_net", num(f->shortfall_net));
	json_object_set_new(o, "shortfall_p10", num(f->shortfall_p10));
	json_object_set_new(o, "shortfall_p50", num(f->shortfall_p50));
	json_object_set_new(o, "shortfall_p90", num(f->shortfall_p90));
	json_object_set_new(o, "shortfall_all", num(f->shortfall_all));
	json_object_set_new(o, "shortfall_all_net", num(f->shortfall_all_net));
	json_object_set_new(o, "seconds", num(f->seconds));
	return o;
}

static json_t *run_item(struct srv_request *r, const void *item)
{
	(void)r;
	return run_json(item);
}

void api_forecasts(struct srv_request *r)
{
	struct ksp_forecast_run *list = NULL;
	struct ksp_error err;
	size_t n = 0, offset, limit;
	int rc;

	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	if ((rc = ksp_forecast_run_list(r->store, offset, limit + 1, &list, &n, &err)))
		srv_fail(r, rc, &err);
	else
		rows_page(r, list, sizeof(*list), n, offset, limit, run_item);
	ksp_forecast_free(list);
}

static int load_run(struct srv_request *r, struct ksp_forecast_run *run)
{
	struct ksp_error err;
	long long id;
	int rc;

	if (!need_store(r) || path_id(r, "id", &id))
		return -1;
	if ((rc = ksp_forecast_run_get(r->store, id, NULL, run, &err))) {
		srv_fail(r, rc, &err);
		return -1;
	}
	return 0;
}

/*
 * The ministry's "need" beside the run's (docs/methodology.md, "The
 * ministry's need"): the country's net new jobs + retirements by year with
 * the ministry's single-year figures, their total, and every published
 * figure (the country's and the regions') with kasip's need over the years
 * it shares with the run.  NULL and *rc set when the store fails.
 */
static json_t *need_json(struct srv_request *r, const struct ksp_forecast_run *run, int *rc,
			 struct ksp_error *err)
{
	struct ksp_forecast_total *t = NULL;
	struct ksp_published_figure *pf = NULL;
	size_t nt = 0, npf = 0;
	json_t *o = NULL, *years, *pub;
	double total = 0;

	if ((*rc = ksp_forecast_totals(r->store, run->id, NULL, &t, &nt, err)) ||
	    (*rc = ksp_published_figures(r->store, KSP_FIGURE_MINISTRY_NEED, NULL, &pf, &npf, err)))
		goto out;
	o = json_object();
	years = json_array();
	for (size_t i = 0; i < nt; i++) {
		json_t *y;
		const struct ksp_published_figure *p = NULL;

		if (strcmp(t[i].region, KSP_FORECAST_NATIONAL) || t[i].year <= run->base_year)
			continue;
		for (size_t j = 0; j < npf; j++)
			if (!strcmp(pf[j].region, KSP_FORECAST_NATIONAL) &&
			    pf[j].year_from == t[i].year && pf[j].year_to == t[i].year)
				p = &pf[j];
		total += t[i].need;
		y = json_object();
		json_object_set_new(y, "year", json_integer(t[i].year));
		json_object_set_new(y, "expansion", num(t[i].expansion));
		json_object_set_new(y, "retirements", num(t[i].retirements));
		json_object_set_new(y, "worker_deaths", num(t[i].worker_deaths));
		json_object_set_new(y, "exits", num(t[i].exits));
		json_object_set_new(y, "need", num(t[i].need));
		json_object_set_new(y, "published", p ? num(p->value) : json_null());
		json_array_append_new(years, y);
	}
	json_object_set_new(o, "years", years);
	json_object_set_new(o, "year_from", json_integer(run->base_year + 1));
	json_object_set_new(o, "year_to", json_integer(run->target_year));
	json_object_set_new(o, "total", num(total));
	pub = json_array();
	for (size_t j = 0; j < npf; j++) {
		json_t *p = json_object();
		const int from = pf[j].year_from > run->base_year ? pf[j].year_from
								  : run->base_year + 1;
		const int to = pf[j].year_to < run->target_year ? pf[j].year_to : run->target_year;
		double k = 0;

		for (size_t i = 0; i < nt; i++)
			if (!strcmp(t[i].region, pf[j].region) && t[i].year >= from && t[i].year <= to)
				k += t[i].need;
		json_object_set_new(p, "region", str(pf[j].region));
		json_object_set_new(p, "year_from", json_integer(pf[j].year_from));
		json_object_set_new(p, "year_to", json_integer(pf[j].year_to));
		json_object_set_new(p, "value", num(pf[j].value));
		json_object_set_new(p, "unit", str(pf[j].unit));
		json_object_set_new(p, "source", str(pf[j].source));
		json_object_set_new(p, "publisher", str(pf[j].publisher));
		json_object_set_new(p, "url", str(pf[j].url));
		json_object_set_new(p, "note", str(pf[j].note));
		/* kasip's need over the years the figure shares with the run (none: null) */
		json_object_set_new(p, "kasip_year_from", from <= to ? json_integer(from) : json_null());
		json_object_set_new(p, "kasip_year_to", from <= to ? json_integer(to) : json_null());
		json_object_set_new(p, "kasip", from <= to ? num(k) : json_null());
		json_array_append_new(pub, p);
	}
	json_object_set_new(o, "published", pub);
out:
	ksp_forecast_free(t);
	ksp_forecast_free(pf);
	return o;
}

void api_forecast(struct srv_request *r)
{
	struct ksp_forecast_run run;
	struct ksp_error err;
	json_t *o, *need;
	int rc;

	if (load_run(r, &run))
		return;
	if (!(need = need_json(r, &run, &rc, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	o = run_json(&run);
	json_object_set_new(o, "need", need);
	srv_json(r, 200, o);
}

static const char *const band_names[] = { "p10", "p50", "p90" };

void api_forecast_cells(struct srv_request *r)
{
	static const char *const cell_bands[KSP_FC_CELL_NBAND] = { "demand", "openings",
								   "new_supply", "balance" };
	struct ksp_forecast_cell_query q = { 0 };
	struct ksp_forecast_cell *c = NULL;
	struct ksp_forecast_run run;
	struct ksp_error err;
	size_t n = 0, offset, limit;
	long long year, yfrom, yto, level;
	json_t *items;
	int rc;

	if (load_run(r, &run) || srv_page(r, &offset, &limit) ||
	    srv_query_int(r, "year", 0, 2200, 0, &year) ||
	    srv_query_int(r, "from", 0, 2200, 0, &yfrom) ||
	    srv_query_int(r, "to", 0, 2200, 0, &yto) ||
	    srv_query_int(r, "level", 0, 4, 0, &level))
		return;
	if (level && level != run.level) {
		srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
			  srv_printf(r->arena,
				     "run %lld holds cells at level %d; ask for the groups "
				     "of another level with under= or run a forecast at level %lld",
				     run.id, run.level, level));
		return;
	}
	q.run_id = run.id;
	q.region = srv_query(r, "region");
	q.occupation = srv_query(r, "occupation");
	q.under = srv_query(r, "under");
	q.year = (int)year;
	q.year_from = (int)yfrom;
	q.year_to = (int)yto;
	q.offset = offset;
	q.limit = limit + 1;
	if ((rc = ksp_forecast_cells(r->store, &q, &c, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	items = json_array();
	for (size_t i = 0; i < n && i < limit; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "region", str(c[i].region));
		json_object_set_new(o, "occupation", str(c[i].occupation));
		json_object_set_new(o, "year", json_integer(c[i].year));
		json_object_set_new(o, "demand", num(c[i].demand));
		json_object_set_new(o, "expansion", num(c[i].expansion));
		json_object_set_new(o, "exits", num(c[i].exits));
		json_object_set_new(o, "transfers", num(c[i].transfers));
		json_object_set_new(o, "openings", num(c[i].openings));
		json_object_set_new(o, "graduates", num(c[i].graduates));
		json_object_set_new(o, "migrants", num(c[i].migrants));
		json_object_set_new(o, "transfers_in", num(c[i].transfers_in));
		json_object_set_new(o, "reserve", num(c[i].reserve));
		json_object_set_new(o, "new_supply", num(c[i].new_supply));
		json_object_set_new(o, "balance", num(c[i].balance));
		json_object_set_new(o, "shortage_ratio", num(c[i].shortage_ratio));
		json_object_set_new(o, "other_entrants", num(c[i].other_entrants));
		for (int k = 0; k < KSP_FC_CELL_NBAND; k++)
			for (int b = 0; b < 3; b++)
				json_object_set_new(o,
						    srv_printf(r->arena, "%s_%s", cell_bands[k],
							       band_names[b]),
						    num(c[i].band[k][b]));
		json_array_append_new(items, o);
	}
	ksp_forecast_free(c);
	srv_rows(r, items, NULL, n > limit ? offset + limit : 0,
		 json_pack("{s:I, s:i}", "run", (json_int_t)run.id, "level", run.level));
}

void api_forecast_totals(struct srv_request *r)
{
	static const char *const total_bands[KSP_FT_NBAND] = {
		"population", "labour_force", "demand", "openings", "new_supply", "balance"
	};
	struct ksp_forecast_total *t = NULL;
	struct ksp_forecast_run run;
	struct ksp_error err;
	size_t n = 0, offset, limit, from, to, next;
	json_t *items;
	int rc;

	if (load_run(r, &run) || srv_page(r, &offset, &limit))
		return;
	if ((rc = ksp_forecast_totals(r->store, run.id, srv_query(r, "region"), &t, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	next = page_of(n, offset, limit, &from, &to);
	items = json_array();
	for (size_t i = from; i < to; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "region", str(t[i].region));
		json_object_set_new(o, "year", json_integer(t[i].year));
		json_object_set_new(o, "population", num(t[i].population));
		json_object_set_new(o, "births", num(t[i].births));
		json_object_set_new(o, "deaths", num(t[i].deaths));
		json_object_set_new(o, "net_migration_internal", num(t[i].net_migration_internal));
		json_object_set_new(o, "net_migration_external", num(t[i].net_migration_external));
		json_object_set_new(o, "labour_force", num(t[i].labour_force));
		json_object_set_new(o, "employed", num(t[i].employed));
		json_object_set_new(o, "demand", num(t[i].demand));
		json_object_set_new(o, "openings", num(t[i].openings));
		json_object_set_new(o, "new_supply", num(t[i].new_supply));
		json_object_set_new(o, "reserve", num(t[i].reserve));
		json_object_set_new(o, "balance", num(t[i].balance));
		json_object_set_new(o, "shortfall", num(t[i].shortfall));
		json_object_set_new(o, "other_entrants", num(t[i].other_entrants));
		json_object_set_new(o, "shortfall_all", num(t[i].shortfall_all));
		json_object_set_new(o, "expansion", num(t[i].expansion));
		json_object_set_new(o, "exits", num(t[i].exits));
		json_object_set_new(o, "retirements", num(t[i].retirements));
		json_object_set_new(o, "worker_deaths", num(t[i].worker_deaths));
		json_object_set_new(o, "need", num(t[i].need));
		for (int k = 0; k < KSP_FT_NBAND; k++)
			for (int b = 0; b < 3; b++)
				json_object_set_new(o,
						    srv_printf(r->arena, "%s_%s", total_bands[k],
							       band_names[b]),
						    num(t[i].band[k][b]));
		json_array_append_new(items, o);
	}
	ksp_forecast_free(t);
	srv_rows(r, items, NULL, next, json_pack("{s:I}", "run", (json_int_t)run.id));
}

/* Record a job and queue it: 202 with its id, or an error. */
static void submit(struct srv_request *r, const char *kind, json_t *params)
{
	struct ksp_error err;
	char *txt = json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS);
	long long id = 0;
	int rc;

	rc = ksp_job_create(r->store, kind, txt, r->key ? r->key->name : "", &id, &err);
	if (rc) {
		free(txt);
		srv_fail(r, rc, &err);
		return;
	}
	if (srv_jobs_submit(srv_server_jobs(r->srv), id, kind, txt)) {
		free(txt);
		ksp_job_finish(r->store, id, 0, "the job queue was full", NULL);
		srv_error(r, 503, "busy", KSP_N_("too many jobs are waiting; try again later"), NULL);
		return;
	}
	free(txt);
	r->location = srv_printf(r->arena, "/api/v1/jobs/%lld", id);
	srv_json(r, 202, json_pack("{s:I, s:s, s:s, s:s}", "job", (json_int_t)id, "kind", kind,
				   "state", "queued", "href", r->location));
}

/* Copy the allowed members of body into params, checking their types. */
static int take(struct srv_request *r, json_t *body, json_t *params, const char *const *names,
		const char *types)
{
	const char *k;
	json_t *v;

	json_object_foreach(body, k, v)
	{
		size_t i;
		int ok = 0;

		for (i = 0; names[i]; i++)
			if (!strcmp(names[i], k))
				break;
		if (!names[i]) {
			srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
				  srv_printf(r->arena, "unknown member \"%s\"", k));
			return -1;
		}
		switch (types[i]) {
		case 's': ok = json_is_string(v); break;
		case 'i': ok = json_is_integer(v) && json_integer_value(v) >= 0; break;
		case 'n': ok = json_is_number(v); break;
		case 'b': ok = json_is_boolean(v); break;
		case 'a': ok = json_is_array(v); break;
		}
		if (!ok) {
			srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
				  srv_printf(r->arena, "\"%s\" must be %s", k,
					     types[i] == 's'   ? "a string"
					     : types[i] == 'i' ? "a whole number >= 0"
					     : types[i] == 'b' ? "true or false"
					     : types[i] == 'a' ? "an array"
							       : "a number"));
			return -1;
		}
		json_object_set(params, k, v);
	}
	return 0;
}

void api_forecast_submit(struct srv_request *r)
{
	static const char *const names[] = { "scenario", "to", "level", "region", "draws", "seed",
					     "bands", "classification", NULL };
	json_t *body, *params;

	if (!need_store(r) || srv_json_body(r, &body))
		return;
	params = json_object();
	if (take(r, body, params, names, "siisiiss") ||
	    !srv_allow_region(r, json_string_value(json_object_get(params, "region")))) {
		json_decref(body);
		json_decref(params);
		return;
	}
	submit(r, "forecast", params);
	json_decref(body);
	json_decref(params);
}

/* ---- back-tests ---------------------------------------------------------------------- */

void api_backtest_submit(struct srv_request *r)
{
	static const char *const names[] = { "base", "to", "scenario", "growth", "naive_only", NULL };
	json_t *body, *params;
	const char *growth;

	if (!need_store(r) || srv_json_body(r, &body))
		return;
	params = json_object();
	if (take(r, body, params, names, "iissb") || !srv_allow_region(r, NULL))
		goto out;
	if (!json_object_get(params, "base") || !json_object_get(params, "to")) {
		srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
			  "\"base\" and \"to\" (years) are needed");
		goto out;
	}
	growth = json_string_value(json_object_get(params, "growth"));
	if (growth && strcmp(growth, "scenario") && strcmp(growth, "trend")) {
		srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
			  "\"growth\" is \"scenario\" or \"trend\"");
		goto out;
	}
	submit(r, "backtest", params);
out:
	json_decref(body);
	json_decref(params);
}

static json_t *backtest_run_json(const struct ksp_backtest_run *b)
{
	return json_pack("{s:I, s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:o}", "id", (json_int_t)b->id,
			 "created", b->created, "base_year", b->base_year, "to_year", b->to_year,
			 "scenario", b->scenario, "growth", b->growth, "model", b->model, "note",
			 b->note, "seconds", num(b->seconds));
}

static json_t *backtest_item(struct srv_request *r, const void *item)
{
	(void)r;
	return backtest_run_json(item);
}

/* The stored back-test runs, newest first, paged. */
void api_backtests(struct srv_request *r)
{
	struct ksp_backtest_run *list = NULL;
	struct ksp_error err;
	size_t n = 0, offset, limit;
	int rc, more = 0;

	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	if ((rc = ksp_backtest_list(r->store, offset, limit, &list, &n, &more, &err)))
		srv_fail(r, rc, &err);
	else
		rows_page(r, list, sizeof(*list), n + (size_t)more, offset, limit, backtest_item);
	ksp_backtest_free(list);
}

/* A dimension, borders or method name from the query; -1 when absent, -2 after a 400. */
static int name_arg(struct srv_request *r, const char *q, const char *(*name)(int), int n)
{
	const char *v = srv_query(r, q);

	if (!v || !*v)
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(name(i), v))
			return i;
	srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
		  srv_printf(r->arena, "unknown %s \"%s\"", q, v));
	return -2;
}

/*
 * One stored back-test with one of its tables, paged: ?table=rows (default:
 * every compared figure with the three methods' projections and errors) or
 * summary (MAPE, bias, largest APE by dimension, borders, year and method);
 * filtered by dimension, borders and year.
 */
void api_backtest(struct srv_request *r)
{
	static const char *const row_cols[] = {
		"dimension", "borders", "code", "year", "horizon", "observed", "model", "model_error",
		"model_pct_error", "nochange", "nochange_error", "nochange_pct_error", "trend",
		"trend_error", "trend_pct_error", "estimated", NULL
	};
	static const char *const sum_cols[] = { "dimension", "borders", "year", "horizon",
						"method", "units", "mape", "mean_pct_error",
						"max_ape", "beats_nochange", NULL };
	struct ksp_backtest_run run;
	struct ksp_backtest_row *rows = NULL, *keep;
	struct ksp_backtest_summary *sum = NULL;
	struct ksp_error err;
	size_t n = 0, nk = 0, ns = 0, offset, limit, from, to, next;
	long long id, year;
	const char *table = srv_query(r, "table");
	int rc, dim, borders, summary;
	json_t *items, *meta;

	if (!need_store(r) || path_id(r, "id", &id) || srv_page(r, &offset, &limit) ||
	    srv_query_int(r, "year", 1990, 2100, 0, &year))
		return;
	if (table && strcmp(table, "rows") && strcmp(table, "summary")) {
		srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
			  "\"table\" is \"rows\" or \"summary\"");
		return;
	}
	summary = table && !strcmp(table, "summary");
	if ((dim = name_arg(r, "dimension", ksp_backtest_dim_name, KSP_BT_NDIM)) == -2 ||
	    (borders = name_arg(r, "borders", ksp_backtest_borders_name, 3)) == -2)
		return;
	if ((rc = ksp_backtest_get(r->store, id, &run, &err)) ||
	    (rc = ksp_backtest_rows(r->store, id, &rows, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	keep = rows;
	for (size_t i = 0; i < n; i++)
		if ((dim < 0 || rows[i].dim == dim) && (borders < 0 || rows[i].borders == borders))
			keep[nk++] = rows[i];
	items = json_array();
	if (summary) {
		size_t m = 0;

		ksp_backtest_summarise(keep, nk, &sum, &ns);
		for (size_t i = 0; i < ns; i++)
			if (!year || sum[i].year == year)
				sum[m++] = sum[i];
		next = page_of(m, offset, limit, &from, &to);
		for (size_t i = from; i < to; i++) {
			const struct ksp_backtest_summary *s = &sum[i];

			json_array_append_new(
				items,
				json_pack("{s:s, s:s, s:i, s:i, s:s, s:i, s:o, s:o, s:o, s:i}",
					  "dimension", ksp_backtest_dim_name(s->dim), "borders",
					  ksp_backtest_borders_name(s->borders), "year", s->year,
					  "horizon", s->horizon, "method",
					  ksp_backtest_method_name(s->method), "units", s->n, "mape",
					  num(s->mape), "mean_pct_error", num(s->mpe), "max_ape",
					  num(s->maxape), "beats_nochange", s->beats_nochange));
		}
	} else {
		size_t m = 0;

		for (size_t i = 0; i < nk; i++)
			if (!year || keep[i].year == year)
				keep[m++] = keep[i];
		next = page_of(m, offset, limit, &from, &to);
		for (size_t i = from; i < to; i++) {
			const struct ksp_backtest_row *b = &keep[i];
			json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:o}", "dimension",
					      ksp_backtest_dim_name(b->dim), "borders",
					      ksp_backtest_borders_name(b->borders), "code", b->code,
					      "year", b->year, "horizon", b->horizon, "observed",
					      num(b->observed));

			for (int k = 0; k < KSP_BT_NMETHOD; k++) {
				const char *mn = ksp_backtest_method_name(k);
				double p = b->projected[k];

				json_object_set_new(o, mn, num(p));
				json_object_set_new(o, srv_printf(r->arena, "%s_error", mn),
						    num(p - b->observed));
				json_object_set_new(o, srv_printf(r->arena, "%s_pct_error", mn),
						    num(ksp_backtest_pct_error(p, b->observed)));
			}
			json_object_set_new(o, "estimated", json_boolean(b->estimated));
			json_array_append_new(items, o);
		}
	}
	meta = json_pack("{s:o, s:s}", "run", backtest_run_json(&run), "table",
			 summary ? "summary" : "rows");
	ksp_backtest_free(rows);
	ksp_backtest_free(sum);
	srv_rows(r, items, summary ? sum_cols : row_cols, next, meta);
}

/* ---- matching ------------------------------------------------------------------------ */

static json_t *match_info_json(const struct ksp_match_run_info *m)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:o, s:b}", "id", (json_int_t)m->id, "created",
			 m->created, "proposing",
			 m->opt.proposing == KSP_MATCH_ENTERPRISES ? "enterprises" : "students",
			 "seed", (json_int_t)m->opt.seed, "max_km",
			 m->opt.max_km > 0 ? json_real(m->opt.max_km) : json_null(),
			 "same_region", m->opt.same_region);
}

static json_t *match_info_item(struct srv_request *r, const void *item)
{
	(void)r;
	return match_info_json(item);
}

void api_match_runs(struct srv_request *r)
{
	struct ksp_match_run_info *list = NULL;
	struct ksp_error err;
	size_t n = 0, offset, limit;
	int rc;

	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	if ((rc = ksp_match_run_list(r->store, offset, limit + 1, &list, &n, &err)))
		srv_fail(r, rc, &err);
	else
		rows_page(r, list, sizeof(*list), n, offset, limit, match_info_item);
	free(list);
}

/* Load the placement data and run id; -1 after answering. */
static int load_match(struct srv_request *r, struct ksp_match_instance *in,
		      struct ksp_match_run_info *info, struct ksp_match_result *res)
{
	struct ksp_error err;
	long long id;
	int rc;

	if (!need_store(r) || path_id(r, "id", &id))
		return -1;
	ksp_match_instance_init(in);
	if ((rc = ksp_match_load(r->store, in, &err))) {
		ksp_match_instance_release(in);
		srv_fail(r, rc, &err);
		return -1;
	}
	if ((rc = ksp_match_load_run(r->store, id, in, info, res, &err))) {
		ksp_match_instance_release(in);
		srv_fail(r, rc, &err);
		return -1;
	}
	return 0;
}

static json_t *stats_cells(const struct ksp_match_instance *in, const struct ksp_match_stats_cell *c,
			   int32_t n)
{
	json_t *a = json_array();
	char b1[64], b2[64];

	for (int32_t i = 0; i < n; i++)
		json_array_append_new(
			a, json_pack("{s:s, s:s, s:I, s:I, s:I}", "region",
				     c[i].region >= 0 ? ksp_match_name(in, KSP_MATCH_REGION,
									c[i].region, b1, sizeof(b1))
						      : "",
				     "specialty",
				     c[i].specialty >= 0
					     ? ksp_match_name(in, KSP_MATCH_SPECIALTY, c[i].specialty,
							      b2, sizeof(b2))
					     : "",
				     "places", (json_int_t)c[i].places, "capacity",
				     (json_int_t)c[i].capacity, "filled", (json_int_t)c[i].filled));
	return a;
}

void api_match_run(struct srv_request *r)
{
	struct ksp_match_instance in;
	struct ksp_match_run_info info;
	struct ksp_match_result res;
	struct ksp_match_stats st;
	struct ksp_error err;
	json_t *o, *hist;
	int rc;

	if (load_match(r, &in, &info, &res))
		return;
	if ((rc = ksp_match_stats(&in, &res, &st, &err))) {
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		srv_fail(r, rc, &err);
		return;
	}
	o = match_info_json(&info);
	hist = json_array();
	for (int32_t i = 0; i <= st.max_choice; i++)
		json_array_append_new(hist, json_integer(st.rank_hist[i]));
	json_object_set_new(
		o, "stats",
		json_pack("{s:i, s:i, s:i, s:o, s:o, s:o, s:I, s:I, s:o, s:o}", "students",
			  st.students, "matched", st.matched, "empty_lists", st.empty_lists,
			  "share_matched", num(st.share_matched), "mean_choice", num(st.mean_choice),
			  "rank_hist", hist, "capacity", (json_int_t)st.capacity, "filled",
			  (json_int_t)st.filled, "by_region",
			  stats_cells(&in, st.by_region, st.nregions + 1), "by_specialty",
			  stats_cells(&in, st.by_specialty, st.nspecialties + 1)));
	ksp_match_stats_release(&st);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	srv_json(r, 200, o);
}

void api_match_cutoffs(struct srv_request *r)
{
	struct ksp_match_instance in;
	struct ksp_match_run_info info;
	struct ksp_match_result res;
	struct ksp_match_cutoff *cut;
	struct ksp_error err;
	size_t offset, limit, from, to, next;
	json_t *items;
	char b[4][64];
	const char *by;
	int rc;

	if (srv_page(r, &offset, &limit))
		return;
	by = srv_query(r, "by");
	if (by && strcmp(by, "place") && strcmp(by, "region")) {
		srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
			  "by is place (default) or region");
		return;
	}
	if (load_match(r, &in, &info, &res))
		return;
	cut = calloc((size_t)in.nplaces + 1, sizeof(*cut));
	if (!cut)
		abort();
	if ((rc = ksp_match_cutoffs(&in, &res, cut, &err))) {
		free(cut);
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		srv_fail(r, rc, &err);
		return;
	}
	if (by && !strcmp(by, "region")) {
		/* The library's figures by the region of the place; unknown last. */
		struct ksp_match_region_cutoff *g = calloc((size_t)in.nregions + 1, sizeof(*g));

		if (!g)
			abort();
		ksp_match_cutoffs_by_region(&in, cut, g);
		next = page_of((size_t)in.nregions + 1, offset, limit, &from, &to);
		items = json_array();
		for (size_t i = from; i < to; i++)
			json_array_append_new(
				items,
				json_pack("{s:s, s:i, s:i, s:I, s:I, s:o, s:o}", "region",
					  g[i].region >= 0 ? ksp_match_name(&in, KSP_MATCH_REGION,
									    g[i].region, b[0], 64)
							   : "",
					  "places", g[i].places, "full", g[i].full, "seats",
					  (json_int_t)g[i].capacity, "filled",
					  (json_int_t)g[i].filled, "lowest_cutoff", num(g[i].lowest),
					  "highest_cutoff", num(g[i].highest)));
		free(g);
		free(cut);
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		srv_rows(r, items, NULL, next,
			 json_pack("{s:I, s:s}", "run", (json_int_t)info.id, "by", "region"));
		return;
	}
	next = page_of((size_t)in.nplaces, offset, limit, &from, &to);
	items = json_array();
	for (size_t p = from; p < to; p++)
		json_array_append_new(
			items,
			json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:o, s:s}", "place",
				  ksp_match_name(&in, KSP_MATCH_PLACE, (int32_t)p, b[0], 64),
				  "enterprise",
				  ksp_match_name(&in, KSP_MATCH_ENTERPRISE,
						 in.place_enterprise[p], b[1], 64),
				  "specialty",
				  ksp_match_name(&in, KSP_MATCH_SPECIALTY, in.place_specialty[p],
						 b[2], 64),
				  "region",
				  ksp_match_name(&in, KSP_MATCH_REGION, in.place_region[p], b[3], 64),
				  "seats", cut[p].capacity, "filled", cut[p].filled, "full",
				  cut[p].full, "cutoff", num(cut[p].score), "last_admitted",
				  cut[p].last >= 0 ? ksp_match_name(&in, KSP_MATCH_STUDENT,
								    cut[p].last, b[0], 64)
						   : ""));
	free(cut);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	srv_rows(r, items, NULL, next, json_pack("{s:I}", "run", (json_int_t)info.id));
}

static const char *why_code(int reason)
{
	switch (reason) {
	case KSP_WHY_FULL: return "full";
	case KSP_WHY_NO_CAPACITY: return "no_seats";
	case KSP_WHY_NOT_ACCEPTABLE: return "not_acceptable";
	case KSP_WHY_DISTANCE: return "distance";
	case KSP_WHY_REGION: return "region";
	default: return "unstable";
	}
}

/*
 * One student's outcome in a run (ksp_match_explain, as `kasip match
 * explain`): the place they got and, for every place they ranked above it
 * (every place when unplaced), why not, with the figures of the reason;
 * and their whole list of choices.  summary and text are in the request's
 * language (?lang=, Accept-Language); reason is a code.
 */
void api_match_student(struct srv_request *r)
{
	struct ksp_match_instance in;
	struct ksp_match_run_info info;
	struct ksp_match_result res;
	struct ksp_match_explanation ex;
	struct ksp_error err;
	const char *want = srv_param(r, "student");
	char b[4][64];
	int32_t s = -1;
	json_t *o, *why, *choices;
	int rc;

	if (load_match(r, &in, &info, &res))
		return;
	for (int32_t i = 0; i < in.nstudents && s < 0; i++)
		if (in.student_id && in.student_id[i] && !strcmp(in.student_id[i], want))
			s = i;
	if (s < 0) {
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		srv_error(r, 404, "not_found", KSP_N_("not found"),
			  srv_printf(r->arena, "no student \"%s\" in the placement data", want));
		return;
	}
	ksp_error_use_lang(&err, r->lang);
	if ((rc = ksp_match_explain(&in, &info.opt, &res, s, r->lang, &ex, &err))) {
		ksp_match_result_release(&res);
		ksp_match_instance_release(&in);
		srv_fail(r, rc, &err);
		return;
	}
	why = json_array();
	for (int32_t i = 0; i < ex.n; i++) {
		const struct ksp_match_why *w = &ex.items[i];

		json_array_append_new(
			why, json_pack("{s:i, s:s, s:s, s:s, s:s, s:i, s:o, s:b, s:o, s:s}", "choice",
				       w->choice, "place",
				       ksp_match_name(&in, KSP_MATCH_PLACE, w->place, b[0], 64),
				       "enterprise",
				       ksp_match_name(&in, KSP_MATCH_ENTERPRISE,
						      in.place_enterprise[w->place], b[1], 64),
				       "region",
				       ksp_match_name(&in, KSP_MATCH_REGION, in.place_region[w->place],
						      b[2], 64),
				       "reason", why_code(w->reason), "above", w->above, "cutoff",
				       w->reason == KSP_WHY_FULL ? num(w->cutoff) : json_null(), "tie",
				       w->tie, "km",
				       w->reason == KSP_WHY_DISTANCE ? num(w->km) : json_null(), "text",
				       w->text));
	}
	choices = json_array();
	for (int32_t k = in.pref_start[s]; k < in.pref_start[s + 1]; k++) {
		int32_t p = in.pref[k];

		json_array_append_new(
			choices, json_pack("{s:i, s:s, s:s, s:s, s:b}", "choice",
					   k - in.pref_start[s] + 1, "place",
					   ksp_match_name(&in, KSP_MATCH_PLACE, p, b[0], 64),
					   "enterprise",
					   ksp_match_name(&in, KSP_MATCH_ENTERPRISE,
							  in.place_enterprise[p], b[1], 64),
					   "region",
					   ksp_match_name(&in, KSP_MATCH_REGION, in.place_region[p],
							  b[2], 64),
					   "placed", p == ex.place));
	}
	o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:o, s:i, s:s, s:o, s:o}", "run",
		      (json_int_t)info.id, "student", want, "score", num(in.score[s]), "college",
		      in.student_college[s] >= 0
			      ? ksp_match_name(&in, KSP_MATCH_COLLEGE, in.student_college[s], b[0], 64)
			      : "",
		      "specialty",
		      in.student_specialty[s] >= 0 ? ksp_match_name(&in, KSP_MATCH_SPECIALTY,
								    in.student_specialty[s], b[1], 64)
						   : "",
		      "place",
		      ex.place >= 0 ? json_string(ksp_match_name(&in, KSP_MATCH_PLACE, ex.place,
								  b[2], 64))
				    : json_null(),
		      "choice", ex.choice, "summary", ex.summary, "why", why, "choices", choices);
	ksp_match_explanation_release(&ex);
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	srv_json(r, 200, o);
}

void api_match_submit(struct srv_request *r)
{
	static const char *const names[] = { "seed", "enterprise_proposing", "max_km",
					     "same_region", NULL };
	json_t *body, *params;

	if (!need_store(r) || srv_json_body(r, &body))
		return;
	params = json_object();
	/* A matching places students across regions: national work. */
	if (take(r, body, params, names, "ibnb") || !srv_allow_region(r, NULL)) {
		json_decref(body);
		json_decref(params);
		return;
	}
	submit(r, "match-run", params);
	json_decref(body);
	json_decref(params);
}

/* ---- jobs --------------------------------------------------------------------------- */

static json_t *job_json(const struct ksp_job *j)
{
	json_t *o = json_object(), *v;

	json_object_set_new(o, "id", json_integer(j->id));
	json_object_set_new(o, "kind", str(j->kind));
	json_object_set_new(o, "state", str(ksp_job_state_name(j->state)));
	json_object_set_new(o, "progress", json_real(j->progress));
	v = json_loads(j->params, 0, NULL);
	json_object_set_new(o, "params", v ? v : str(j->params));
	v = j->result[0] ? json_loads(j->result, 0, NULL) : json_null();
	json_object_set_new(o, "result", v ? v : str(j->result));
	json_object_set_new(o, "error", j->error[0] ? str(j->error) : json_null());
	json_object_set_new(o, "owner", str(j->owner));
	json_object_set_new(o, "created", str(j->created));
	json_object_set_new(o, "started", str(j->started));
	json_object_set_new(o, "finished", str(j->finished));
	return o;
}

static json_t *job_item(struct srv_request *r, const void *item)
{
	const struct ksp_job *j = item;
	json_t *o = job_json(j);

	if (srv_wants_csv(r)) {
		/* CSV cells are flat: the JSON members as text. */
		json_object_set_new(o, "params", str(j->params));
		json_object_set_new(o, "result", str(j->result));
	}
	return o;
}

void api_jobs(struct srv_request *r)
{
	struct ksp_job *list = NULL;
	struct ksp_error err;
	size_t n = 0, offset, limit;
	int rc;

	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	if ((rc = ksp_job_list(r->store, offset, limit + 1, &list, &n, &err)))
		srv_fail(r, rc, &err);
	else
		rows_page(r, list, sizeof(*list), n, offset, limit, job_item);
	free(list);
}

void api_job(struct srv_request *r)
{
	struct ksp_job *j;
	struct ksp_error err;
	long long id;
	int rc;

	if (!need_store(r) || path_id(r, "id", &id))
		return;
	j = srv_alloc(r->arena, sizeof(*j));
	if ((rc = ksp_job_get(r->store, id, j, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	srv_json(r, 200, job_json(j));
}

/* ---- the atlas of professions ---------------------------------------------------------- */

/*
 * One atlas, written by the library's own writers: JSON (default), CSV,
 * the printable HTML page or the XLSX workbook (?format=, or Accept).
 */
static void atlas_answer(struct srv_request *r, const char *region, const char *occupation)
{
	struct ksp_atlas_options opt;
	struct ksp_atlas *a = NULL;
	struct ksp_error err;
	const char *fmt = srv_query(r, "format"), *type;
	long long run, level;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!need_store(r) || srv_query_int(r, "run", 0, INT64_MAX, 0, &run) ||
	    srv_query_int(r, "level", 0, 4, 0, &level))
		return;
	if (!fmt)
		fmt = srv_wants_csv(r) ? "csv" : "json";
	if (strcmp(fmt, "json") && strcmp(fmt, "csv") && strcmp(fmt, "html") && strcmp(fmt, "xlsx")) {
		srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
			  "format is json, csv, html or xlsx");
		return;
	}
	memset(&opt, 0, sizeof(opt));
	opt.region = region;
	opt.occupation = occupation;
	opt.run_id = run;
	opt.level = (int)level;
	opt.lang = r->lang;
	if ((rc = ksp_atlas_build(r->store, &opt, &a, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	if (!strcmp(fmt, "xlsx")) {
		char path[] = "/tmp/kasip-atlas-XXXXXX";
		int fd = mkstemp(path);
		struct stat st;

		if (fd < 0) {
			ksp_atlas_free(a);
			srv_error(r, 500, "internal", KSP_N_("the server failed"), "no temporary file");
			return;
		}
		close(fd);
		rc = ksp_atlas_write_xlsx(a, path, &err);
		if (!rc && !stat(path, &st) && (f = fopen(path, "rb"))) {
			len = (size_t)st.st_size;
			buf = malloc(len ? len : 1);
			if (!buf)
				abort();
			if (fread(buf, 1, len, f) != len)
				rc = ksp_error_set(&err, KSP_EIO, "reading the workbook back failed");
			fclose(f);
		}
		unlink(path);
		type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		/* The name is made of codes from the database, never of the request's text. */
		r->disposition = srv_printf(r->arena, "attachment; filename=\"atlas-%s%s%s.xlsx\"",
					    a->iso, occupation && a->nocc ? "-" : "",
					    occupation && a->nocc ? a->occ[0].code : "");
	} else {
		if (!(f = open_memstream(&buf, &len)))
			abort();
		rc = !strcmp(fmt, "csv")    ? ksp_atlas_write_csv(a, f, &err)
		     : !strcmp(fmt, "html") ? ksp_atlas_write_html(a, f, &err)
					    : ksp_atlas_write_json(a, f, &err);
		fclose(f);
		type = !strcmp(fmt, "csv")    ? "text/csv; charset=utf-8"
		       : !strcmp(fmt, "html") ? "text/html; charset=utf-8"
					      : "application/json; charset=utf-8";
	}
	ksp_atlas_free(a);
	if (rc) {
		free(buf);
		srv_fail(r, rc, &err);
		return;
	}
	srv_raw(r, 200, type, buf, len);
}

void api_region_atlas(struct srv_request *r)
{
	atlas_answer(r, srv_param(r, "code"), NULL);
}

void api_occupation_card(struct srv_request *r)
{
	atlas_answer(r, srv_query(r, "region"), srv_param(r, "code"));
}

/* ---- plans: the state-order and migration planners (kasip/plan.h) ------------------- */

/*
 * The body of POST /api/v1/plans/orders or /migration: "run", "region"
 * (orders) or "year" (migration), "params" (a parameter file's text), and
 * any parameter by its key in the parameter file ("budget": 2e9).  Every
 * member is checked here with the library's own checks, so that a bad one
 * is a 400 now and not a failed job later.
 */
static void plan_submit(struct srv_request *r, int kind)
{
	const char *jobkind = kind == KSP_PLAN_ORDERS ? "plan-orders" : "plan-migration";
	struct ksp_error err;
	json_t *body, *params, *v;
	const char *k, *region = NULL;
	int rc;

	ksp_error_clear(&err);
	ksp_error_use_lang(&err, r->lang);
	if (!need_store(r) || srv_json_body(r, &body))
		return;
	params = json_object();
	json_object_foreach(body, k, v)
	{
		const char *want = NULL;
		int misplaced = 0;

		if (!strcmp(k, "run")) {
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				want = "a whole number > 0";
		} else if (!strcmp(k, "year")) {
			if (kind != KSP_PLAN_MIGRATION)
				misplaced = 1;
			else if (!json_is_integer(v) || json_integer_value(v) < 1990 ||
				 json_integer_value(v) > 2100)
				want = "a year from 1990 to 2100";
		} else if (!strcmp(k, "region")) {
			if (kind != KSP_PLAN_ORDERS)
				misplaced = 1;
			else if (!json_is_string(v))
				want = "a string";
			else
				region = json_string_value(v);
		} else if (!strcmp(k, "params")) {
			if (!json_is_string(v))
				want = "a string";
			else if ((rc = ksp_plan_params_check(kind, json_string_value(v), "params",
							     &err))) {
				srv_fail(r, rc, &err);
				goto out;
			}
		} else if (!json_is_number(v)) {
			want = "a number";
		} else if ((rc = ksp_plan_param_check(kind, k, json_number_value(v), &err))) {
			srv_fail(r, rc, &err);
			goto out;
		}
		if (misplaced) {
			if (kind == KSP_PLAN_ORDERS)
				srv_error(r, 400, "bad_request",
					  KSP_N_("\"year\" goes with a migration plan"), NULL);
			else
				srv_error(r, 400, "bad_request",
					  KSP_N_("\"region\" goes with a state-order plan: a migration plan is national"),
					  NULL);
			goto out;
		}
		if (want) {
			srv_error(r, 400, "bad_request", KSP_N_("the request is not valid"),
				  srv_printf(r->arena, "\"%s\" must be %s", k, want));
			goto out;
		}
		json_object_set(params, k, v);
	}
	/* An analyst bound to a region plans its own region's order only; the national
	   migration plan moves people between regions, so it is national work. */
	if (!srv_allow_region(r, kind == KSP_PLAN_ORDERS ? region : NULL))
		goto out;
	if (region) {
		struct ksp_region reg;

		if ((rc = ksp_region_find(r->store, region, &reg, &err))) {
			if (rc == KSP_ENOTFOUND)
				rc = KSP_EUSAGE;
			srv_fail(r, rc, &err);
			goto out;
		}
		json_object_set_new(params, "region", json_string(reg.kato));
	}
	if ((v = json_object_get(params, "run"))) {
		struct ksp_forecast_run run;

		if ((rc = ksp_forecast_run_get(r->store, json_integer_value(v), NULL, &run, &err))) {
			if (rc == KSP_ENOTFOUND)
				rc = KSP_EUSAGE;
			srv_fail(r, rc, &err);
			goto out;
		}
	}
	submit(r, jobkind, params);
out:
	json_decref(body);
	json_decref(params);
}

void api_plan_orders_submit(struct srv_request *r)
{
	plan_submit(r, KSP_PLAN_ORDERS);
}

void api_plan_migration_submit(struct srv_request *r)
{
	plan_submit(r, KSP_PLAN_MIGRATION);
}

/*
 * The names a plan's codes have in the request's language: the regions of
 * the data set, the specialty groups (forecast-specialties, the places'
 * specialties) and the ISCO-08 occupations (the flows' and gaps'), loaded
 * when asked for.  A code the database does not name gets "".
 */
struct plan_regions {
	struct ksp_region *list;
	size_t n;
	const char *lang;
	struct ksp_specialty_group *sg;
	size_t nsg;
	struct ksp_occupation *occ; /* by code */
	size_t nocc;
};

static int occ_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ksp_occupation *)a)->code,
		      ((const struct ksp_occupation *)b)->code);
}

static void plan_regions_load(struct srv_request *r, struct plan_regions *g)
{
	struct ksp_error err;

	memset(g, 0, sizeof(*g));
	g->lang = r->lang;
	if (ksp_region_list(r->store, KSP_REGION_WITH_COUNTRY, &g->list, &g->n, &err))
		g->list = NULL, g->n = 0;
}

static void plan_names_load(struct srv_request *r, struct plan_regions *g, int specialties,
			    int occupations)
{
	struct ksp_occupation_query q = { 0 };
	struct ksp_error err;

	if (specialties && ksp_forecast_specialties(r->store, &g->sg, &g->nsg, &err))
		g->sg = NULL, g->nsg = 0;
	if (occupations) {
		if (ksp_occupation_list(r->store, &q, &g->occ, &g->nocc, &err))
			g->occ = NULL, g->nocc = 0;
		else if (g->nocc)
			qsort(g->occ, g->nocc, sizeof(*g->occ), occ_cmp);
	}
}

static void plan_regions_release(struct plan_regions *g)
{
	ksp_region_list_free(g->list);
	ksp_forecast_free(g->sg);
	ksp_occupation_list_free(g->occ);
}

static json_t *plan_specialty_name(const struct plan_regions *g, const char *code)
{
	for (size_t i = 0; i < g->nsg; i++)
		if (!strcmp(g->sg[i].code, code)) {
			const struct ksp_specialty_group *s = &g->sg[i];
			const char *t = !strcmp(g->lang, "kk")	 ? s->title_kk
					: !strcmp(g->lang, "ru") ? s->title_ru
								 : s->title_en;

			return str(*t ? t : s->title_en);
		}
	return str("");
}

static json_t *plan_occupation_name(const struct plan_regions *g, const char *code)
{
	struct ksp_occupation key;
	const struct ksp_occupation *o;
	size_t n = strlen(code);

	/* a code longer than any occupation's names none (not a truncated one) */
	if (!n || n >= sizeof(key.code) || !g->nocc)
		return str("");
	memcpy(key.code, code, n + 1);
	o = bsearch(&key, g->occ, g->nocc, sizeof(*g->occ), occ_cmp);
	return str(o ? ksp_occupation_title(o, g->lang) : "");
}

static json_t *plan_region_name(const struct plan_regions *g, const char *kato)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->list[i].kato, kato))
			return str(ksp_region_name(&g->list[i], g->lang));
	return str("");
}

static json_t *plan_head_json(const struct ksp_plan_info *p, const struct plan_regions *g)
{
	json_t *o = json_object();
	char href[64];

	snprintf(href, sizeof(href), "/api/v1/plans/%lld", p->id);
	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "kind", str(p->kind));
	json_object_set_new(o, "run", json_integer(p->run_id));
	json_object_set_new(o, "year", json_integer(p->year));
	json_object_set_new(o, "region", str(p->region));
	json_object_set_new(o, "region_name", p->region[0] ? plan_region_name(g, p->region) : str(""));
	json_object_set_new(o, "created", str(p->created));
	json_object_set_new(o, "status", str(p->status));
	json_object_set_new(o, "objective", num(p->objective));
	json_object_set_new(o, "total", num(p->total));
	json_object_set_new(o, "cost", num(p->cost));
	json_object_set_new(o, "support", num(p->support));
	json_object_set_new(o, "gap_before", num(p->gap_before));
	json_object_set_new(o, "gap_after", num(p->gap_after));
	json_object_set_new(o, "mip_gap", num(p->mip_gap));
	json_object_set_new(o, "seconds", num(p->seconds));
	json_object_set_new(o, "href", json_string(href));
	return o;
}

void api_plans(struct srv_request *r)
{
	static const char *const cols[] = { "id", "kind", "run", "year", "region", "region_name",
					    "created", "status", "objective", "total", "cost",
					    "support", "gap_before", "gap_after", "mip_gap",
					    "seconds", "href", NULL };
	struct ksp_plan_info *list = NULL;
	struct plan_regions g;
	struct ksp_error err;
	size_t n = 0, m = 0, offset, limit, from, to, next;
	const char *kind = srv_query(r, "kind");
	json_t *items;
	int rc;

	if (!need_store(r) || srv_page(r, &offset, &limit))
		return;
	if (kind && strcmp(kind, "orders") && strcmp(kind, "migration")) {
		srv_error(r, 400, "bad_request",
			  KSP_N_("a plan's kind is \"orders\" or \"migration\""), NULL);
		return;
	}
	if ((rc = ksp_plan_list(r->store, &list, &n, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!kind || !strcmp(list[i].kind, kind))
			list[m++] = list[i];
	plan_regions_load(r, &g);
	next = page_of(m, offset, limit, &from, &to);
	items = json_array();
	for (size_t i = from; i < to; i++)
		json_array_append_new(items, plan_head_json(&list[i], &g));
	plan_regions_release(&g);
	ksp_plan_free(list);
	srv_rows(r, items, cols, next, NULL);
}

/* "key = value" lines (the stored parameters) as an object of numbers. */
static json_t *plan_params_json(const char *text)
{
	json_t *o = json_object();

	for (const char *s = text ? text : ""; *s;) {
		const char *eol = strchr(s, '\n'), *eq;
		char key[80], val[80];
		double v;

		if (!eol)
			eol = s + strlen(s);
		eq = memchr(s, '=', (size_t)(eol - s));
		if (eq && eq - s < (long)sizeof(key) && eol - eq <= (long)sizeof(val)) {
			const char *v0 = eq + 1;
			size_t kl = (size_t)(eq - s), vl;

			while (kl && s[kl - 1] == ' ')
				kl--;
			memcpy(key, s, kl);
			key[kl] = 0;
			while (v0 < eol && *v0 == ' ')
				v0++;
			vl = (size_t)(eol - v0);
			memcpy(val, v0, vl);
			val[vl] = 0;
			if (ksp_parse_double(val, &v))
				v = NAN;
			json_object_set_new(o, key, num(v));
		}
		s = *eol ? eol + 1 : eol;
	}
	return o;
}

/* "TABLE: N rows, sha256 HEX" lines (the inputs read) as an array of objects. */
static json_t *plan_inputs_json(const char *text)
{
	json_t *a = json_array();

	for (const char *s = text ? text : ""; *s;) {
		const char *eol = strchr(s, '\n');
		char table[80], hash[80];
		long long rows;

		if (!eol)
			eol = s + strlen(s);
		if (sscanf(s, "%79[^:]: %lld rows, sha256 %79[0-9a-f]", table, &rows, hash) == 3)
			json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "table", table, "rows",
							   (json_int_t)rows, "sha256", hash));
		s = *eol ? eol + 1 : eol;
	}
	return a;
}

static json_t *plan_constraint_json(const struct ksp_plan_constraint *c)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:b}", "kind", c->kind, "key", c->key,
			 "bound", num(c->bound), "used", num(c->used), "dual", num(c->dual),
			 "value", num(c->value), "binding", c->binding);
}

/*
 * One plan: its head, parameters, inputs, model size, binding constraints
 * with their duals and (migration) the origin-destination matrix as "plan";
 * and one of its tables as the paged rows: ?table=rows (default: the places
 * by region x college x specialty, or the flows from x to x occupation),
 * gaps (before and after by region and occupation) or constraints (all).
 */
void api_plan(struct srv_request *r)
{
	static const char *const place_cols[] = { "region",	    "region_name",
						  "college",	    "specialty",
						  "specialty_name", "places",
						  "last_year",	    "cost_per_place",
						  "marginal_value", NULL };
	static const char *const flow_cols[] = { "from",	    "from_name",
						 "to",		    "to_name",
						 "occupation",	    "occupation_name",
						 "movers",	    "persons",
						 "cost_per_mover",  "support_per_mover",
						 "km",		    NULL };
	static const char *const gap_cols[] = { "region",	   "region_name", "occupation",
						"occupation_name", "before",	  "after",
						NULL };
	static const char *const cons_cols[] = { "kind", "key", "bound", "used", "dual", "value",
						 "binding", NULL };
	struct ksp_plan_info p;
	struct ksp_plan_constraint *cons = NULL;
	struct plan_regions g;
	struct ksp_error err;
	size_t ncons = 0, n = 0, offset, limit, from, to, next;
	const char *table = srv_query(r, "table");
	const char *const *cols;
	json_t *items, *head, *bind;
	long long id;
	int rc, mig;

	if (!need_store(r) || path_id(r, "id", &id) || srv_page(r, &offset, &limit))
		return;
	if (!table || !*table)
		table = "rows";
	if (strcmp(table, "rows") && strcmp(table, "gaps") && strcmp(table, "constraints")) {
		srv_error(r, 400, "bad_request",
			  KSP_N_("a plan's table is \"rows\", \"gaps\" or \"constraints\""), NULL);
		return;
	}
	if ((rc = ksp_plan_get(r->store, id, &p, &err))) {
		srv_fail(r, rc, &err);
		return;
	}
	if ((rc = ksp_plan_constraints(r->store, id, &cons, &ncons, &err))) {
		ksp_plan_info_release(&p);
		srv_fail(r, rc, &err);
		return;
	}
	mig = !strcmp(p.kind, "migration");
	plan_regions_load(r, &g);
	plan_names_load(r, &g, !mig && !strcmp(table, "rows"), !strcmp(table, "gaps") || (mig && !strcmp(table, "rows")));
	head = plan_head_json(&p, &g);
	json_object_set_new(head, "params", plan_params_json(p.params));
	json_object_set_new(head, "inputs", plan_inputs_json(p.inputs));
	json_object_set_new(head, "model", json_pack("{s:i, s:i, s:I}", "columns", p.ncols, "rows",
						     p.nrows, "nonzeros", (json_int_t)p.nnz));
	bind = json_array();
	for (size_t i = 0; i < ncons; i++)
		if (cons[i].binding)
			json_array_append_new(bind, plan_constraint_json(&cons[i]));
	json_object_set_new(head, "binding", bind);
	if (mig) {
		struct ksp_plan_od od;
		json_t *regs = json_array(), *m = json_array();

		if ((rc = ksp_plan_od(r->store, id, &od, &err)))
			goto fail;
		for (size_t i = 0; i < od.n; i++) {
			json_t *row = json_array();

			json_array_append_new(regs, json_pack("{s:s, s:o}", "code", od.region[i],
							      "name",
							      plan_region_name(&g, od.region[i])));
			for (size_t j = 0; j < od.n; j++)
				json_array_append_new(row, num(od.movers[i * od.n + j]));
			json_array_append_new(m, row);
		}
		json_object_set_new(head, "od_matrix",
				    json_pack("{s:o, s:o}", "regions", regs, "movers", m));
		ksp_plan_od_release(&od);
	}
	items = json_array();
	if (!strcmp(table, "constraints")) {
		cols = cons_cols;
		next = page_of(ncons, offset, limit, &from, &to);
		for (size_t i = from; i < to; i++)
			json_array_append_new(items, plan_constraint_json(&cons[i]));
	} else if (!strcmp(table, "gaps")) {
		struct ksp_plan_gap *gp = NULL;

		if ((rc = ksp_plan_gaps(r->store, id, &gp, &n, &err))) {
			json_decref(items);
			goto fail;
		}
		cols = gap_cols;
		next = page_of(n, offset, limit, &from, &to);
		for (size_t i = from; i < to; i++)
			json_array_append_new(
				items,
				json_pack("{s:s, s:o, s:s, s:o, s:o, s:o}", "region", gp[i].region,
					  "region_name", plan_region_name(&g, gp[i].region),
					  "occupation", gp[i].occupation, "occupation_name",
					  plan_occupation_name(&g, gp[i].occupation), "before",
					  num(gp[i].before), "after", num(gp[i].after)));
		ksp_plan_free(gp);
	} else if (mig) {
		struct ksp_plan_flow *f = NULL;

		if ((rc = ksp_plan_flows(r->store, id, &f, &n, &err))) {
			json_decref(items);
			goto fail;
		}
		cols = flow_cols;
		next = page_of(n, offset, limit, &from, &to);
		for (size_t i = from; i < to; i++)
			json_array_append_new(
				items,
				json_pack("{s:s, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
					  "from", f[i].from, "from_name",
					  plan_region_name(&g, f[i].from), "to", f[i].to, "to_name",
					  plan_region_name(&g, f[i].to), "occupation", f[i].occupation,
					  "occupation_name", plan_occupation_name(&g, f[i].occupation),
					  "movers", num(f[i].movers),
					  "persons", num(f[i].persons), "cost_per_mover",
					  num(f[i].cost_per_mover), "support_per_mover",
					  num(f[i].support_per_mover), "km", num(f[i].km)));
		ksp_plan_free(f);
	} else {
		struct ksp_plan_place *pl = NULL;

		if ((rc = ksp_plan_places(r->store, id, &pl, &n, &err))) {
			json_decref(items);
			goto fail;
		}
		cols = place_cols;
		next = page_of(n, offset, limit, &from, &to);
		for (size_t i = from; i < to; i++)
			json_array_append_new(
				items, json_pack("{s:s, s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "region",
						 pl[i].region, "region_name",
						 plan_region_name(&g, pl[i].region), "college",
						 pl[i].college, "specialty", pl[i].specialty,
						 "specialty_name",
						 plan_specialty_name(&g, pl[i].specialty), "places",
						 num(pl[i].places), "last_year", num(pl[i].last_year),
						 "cost_per_place", num(pl[i].cost_per_place),
						 "marginal_value", num(pl[i].marginal_value)));
		ksp_plan_free(pl);
	}
	plan_regions_release(&g);
	ksp_plan_free(cons);
	ksp_plan_info_release(&p);
	srv_rows(r, items, cols, next, json_pack("{s:o, s:s}", "plan", head, "table", table));
	return;
fail:
	json_decref(head);
	plan_regions_release(&g);
	ksp_plan_free(cons);
	ksp_plan_info_release(&p);
	srv_fail(r, rc, &err);
}

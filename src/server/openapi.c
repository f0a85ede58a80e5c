/*
 * openapi.c - the OpenAPI 3 document, generated from the route table so
 * that the description cannot drift from the routes.
 */
#include <stdio.h>
#include <string.h>

#include "server.h"

static const struct {
	const char *name, *type, *what;
} query_params[] = {
	{ "limit", "integer", "rows in a page, 1 to 1000 (default 100)" },
	{ "offset", "integer", "rows to skip" },
	{ "cursor", "string", "the opaque position a previous page's next link carries" },
	{ "format", "string", "json (default) or csv (Accept: text/csv does the same); the atlas also html and xlsx" },
	{ "run", "integer", "a forecast run's id (default: the latest)" },
	{ "lang", "string", "kk, ru or en; else Accept-Language; else en" },
	{ "country", "string", "1: list the country first" },
	{ "search", "string", "a part of the title in kk, ru or en, any case" },
	{ "q", "string", "the same as search" },
	{ "level", "integer", "the ISCO-08 level, 1 to 4" },
	{ "under", "string", "a code whose groups (itself included) to list" },
	{ "classification", "string", "ISCO-08 (default) or an imported national classifier" },
	{ "region", "string", "a region's KATO or ISO 3166-2 code" },
	{ "occupation", "string", "an occupation group's code" },
	{ "year", "integer", "one year" },
	{ "from", "integer", "the first year" },
	{ "to", "integer", "the last year" },
	{ "encoding", "string", "the CSV body's encoding: utf-8 (default) or cp1251" },
	{ "delimiter", "string", "the CSV delimiter: ',', ';' or tab (default: sniffed)" },
	{ "source", "string", "the source id for rows of a file without a source column" },
	{ "name", "string", "the file name errors name (default TABLE.csv)" },
	{ "table", "string", "a back-test's table: rows (default) or summary; a plan's: rows (default: places or flows), gaps or constraints" },
	{ "kind", "string", "a plan's kind: orders or migration" },
	{ "by", "string", "a placement run's cutoffs by place (default) or by region" },
	{ "dimension", "string", "a back-test's dimension: region, section or occupation" },
	{ "borders", "string", "a back-test's borders: current, consistent or national" },
};

static json_t *query_param(const char *name)
{
	for (size_t i = 0; i < sizeof(query_params) / sizeof(query_params[0]); i++)
		if (!strcmp(query_params[i].name, name))
			return json_pack("{s:s, s:s, s:s, s:b, s:{s:s}}", "name", name, "in",
					 "query", "description", query_params[i].what, "required",
					 0, "schema", "type", query_params[i].type);
	/* An undocumented parameter still appears; the unit test refuses it. */
	return json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name, "in", "query", "required", 0,
			 "schema", "type", "string");
}

static json_t *error_response(const char *what)
{
	return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", what, "content",
			 "application/json", "schema", "$ref", "#/components/schemas/Error");
}

json_t *srv_openapi(void)
{
	json_t *doc, *paths = json_object();

	for (size_t i = 0; i < srv_nroutes; i++) {
		const struct srv_route *rt = &srv_routes[i];
		json_t *item = json_object_get(paths, rt->path), *op, *params, *responses;
		char method[8], id[128], buf[256];
		const char *p;
		size_t k;

		if (!item) {
			item = json_object();
			json_object_set_new(paths, rt->path, item);
		}
		for (k = 0; rt->method[k] && k < sizeof(method) - 1; k++)
			method[k] = (char)(rt->method[k] | 0x20);
		method[k] = 0;
		snprintf(id, sizeof(id), "%s%s", method, rt->path);
		for (char *c = id; *c; c++)
			if (*c == '/' || *c == '{' || *c == '}' || *c == '.' || *c == '-')
				*c = '_';
		op = json_pack("{s:s, s:s, s:[s]}", "summary", rt->summary, "operationId", id,
			       "tags", rt->tag);
		params = json_array();
		/* Path parameters, from the template. */
		for (p = rt->path; (p = strchr(p, '{'));) {
			const char *e = strchr(p, '}');

			if (!e)
				break;
			snprintf(buf, sizeof(buf), "%.*s", (int)(e - p - 1), p + 1);
			json_array_append_new(params,
					      json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", buf, "in",
							"path", "required", 1, "schema", "type",
							"string"));
			p = e;
		}
		for (p = rt->query; p && *p;) {
			const char *e = strchr(p, ',');
			size_t n = e ? (size_t)(e - p) : strlen(p);

			snprintf(buf, sizeof(buf), "%.*s", (int)n, p);
			json_array_append_new(params, query_param(buf));
			p += n + (e ? 1 : 0);
		}
		json_object_set_new(op, "parameters", params);
		if (rt->flags & (SRV_CSV_BODY | SRV_JSON_BODY))
			json_object_set_new(
				op, "requestBody",
				json_pack("{s:b, s:{s:{s:{s:s}}}}", "required",
					  (rt->flags & SRV_CSV_BODY) ? 1 : 0, "content",
					  (rt->flags & SRV_CSV_BODY) ? "text/csv" : "application/json",
					  "schema", "type",
					  (rt->flags & SRV_CSV_BODY) ? "string" : "object"));
		responses = json_object();
		snprintf(buf, sizeof(buf), "%d", rt->status);
		{
			json_t *content = json_pack("{s:{s:{s:s}}}", "application/json", "schema",
						    "type", "object");

			if (rt->flags & SRV_ROWS)
				json_object_set_new(content, "text/csv",
						    json_pack("{s:{s:s}}", "schema", "type", "string"));
			json_object_set_new(responses, buf,
					    json_pack("{s:s, s:o}", "description",
						      rt->status == 202 ? "accepted: a job was queued"
						      : rt->status == 201 ? "created"
									  : "success",
						      "content", content));
		}
		json_object_set_new(responses, "400", error_response("bad request"));
		if (strchr(rt->path, '{'))
			json_object_set_new(responses, "404", error_response("not found"));
		if (rt->flags & SRV_WRITE) {
			json_object_set_new(responses, "401", error_response("no or wrong API key"));
			json_object_set_new(responses, "403",
					    error_response("the key's role or region does not allow it"));
			json_object_set_new(responses, "413", error_response("the body is too large"));
		}
		json_object_set_new(responses, "429", error_response("too many requests"));
		json_object_set_new(op, "responses", responses);
		if (rt->flags & SRV_WRITE)
			json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
		json_object_set_new(item, method, op);
	}
	doc = json_object();
	json_object_set_new(doc, "openapi", json_string("3.0.3"));
	json_object_set_new(
		doc, "info",
		json_pack("{s:s, s:s, s:s}", "title", "kasip API", "version", ksp_version(),
			  "description",
			  "Labour-resources planning for Kazakhstan: regions, occupations, data "
			  "tables, forecasts and dual-training placement. Reading is open unless "
			  "the server is private; writing needs an API key (Authorization: "
			  "Bearer KEY)."));
	json_object_set_new(doc, "servers", json_pack("[{s:s}]", "url", "/"));
	json_object_set_new(doc, "paths", paths);
	json_object_set_new(
		doc, "components",
		json_pack("{s:{s:{s:s, s:s}}, s:{s:{s:s, s:{s:{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}}, "
			  "s:[s, s]}}}}}",
			  "securitySchemes", "bearer", "type", "http", "scheme", "bearer",
			  "schemas", "Error", "type", "object", "properties", "error", "type",
			  "object", "properties", "code", "type", "string", "message", "type",
			  "string", "detail", "type", "string", "required", "code", "message"));
	return doc;
}

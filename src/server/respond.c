/*
 * respond.c - writing answers: JSON, rows as JSON or CSV (one query, several
 * encoders: a handler builds an array of flat objects once, the encoder
 * picks the format), and errors with a message in the request's language.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static void set_body(struct srv_request *r, int status, const char *type, char *body, size_t len)
{
	free(r->body_out);
	r->status = status;
	r->content_type = type;
	r->body_out = body;
	r->body_out_len = len;
}

void srv_raw(struct srv_request *r, int status, const char *content_type, char *body, size_t len)
{
	set_body(r, status, content_type, body, len);
}

void srv_json(struct srv_request *r, int status, json_t *v)
{
	char *txt = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
	size_t len;

	json_decref(v);
	if (!txt) {
		txt = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"encoding failed\"}}");
		status = 500;
		if (!txt)
			abort();
	}
	len = strlen(txt);
	/* A final newline: curl and shells print answers tidily. */
	{
		char *t = realloc(txt, len + 2);

		if (!t)
			abort();
		txt = t;
		txt[len++] = '\n';
		txt[len] = 0;
	}
	set_body(r, status, "application/json; charset=utf-8", txt, len);
}

void srv_error(struct srv_request *r, int status, const char *code, const char *msgid,
	       const char *detail)
{
	json_t *e = json_object(), *o = json_object();

	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "message", json_string(ksp_tr(r->lang, msgid)));
	if (detail && *detail)
		json_object_set_new(e, "detail", json_string(detail));
	json_object_set_new(o, "error", e);
	snprintf(r->error_code, sizeof(r->error_code), "%s", code);
	srv_json(r, status, o);
}

void srv_fail(struct srv_request *r, int status, const struct ksp_error *err)
{
	const char *code, *msgid;
	int http;
	json_t *e, *o;

	switch (status) {
	case KSP_EINVAL:
		http = 400, code = "bad_value", msgid = KSP_N_("the input has a bad value");
		break;
	case KSP_EUSAGE:
		http = 400, code = "bad_request", msgid = KSP_N_("the request is not valid");
		break;
	case KSP_ENOTFOUND:
		http = 404, code = "not_found", msgid = KSP_N_("not found");
		break;
	case KSP_ECONFLICT:
		http = 409, code = "conflict", msgid = KSP_N_("it conflicts with what exists");
		break;
	case KSP_ETOOBIG:
		http = 413, code = "too_large", msgid = KSP_N_("the input is over a size limit");
		break;
	case KSP_EINFEASIBLE:
		http = 422, code = "infeasible", msgid = KSP_N_("the model has no solution");
		break;
	case KSP_EDB:
		if (err && (strstr(err->msg, "locked") || strstr(err->msg, "busy")))
			http = 503, code = "busy", msgid = KSP_N_("the database is busy; try again");
		else
			http = 500, code = "database", msgid = KSP_N_("the database failed");
		break;
	default:
		http = 500, code = "internal", msgid = KSP_N_("the server failed");
		break;
	}
	e = json_object();
	json_object_set_new(e, "code", json_string(code));
	json_object_set_new(e, "message", json_string(ksp_tr(r->lang, msgid)));
	if (err && err->msg[0])
		json_object_set_new(e, "detail", json_string(err->msg));
	if (err && err->file[0])
		json_object_set_new(e, "file", json_string(err->file));
	if (err && err->line)
		json_object_set_new(e, "line", json_integer(err->line));
	if (err && err->column)
		json_object_set_new(e, "column", json_integer(err->column));
	if (err && err->field[0])
		json_object_set_new(e, "field", json_string(err->field));
	if (err && err->expected[0]) {
		json_object_set_new(e, "expected", json_string(err->expected));
		json_object_set_new(e, "found", json_string(err->found));
	}
	o = json_object();
	json_object_set_new(o, "error", e);
	snprintf(r->error_code, sizeof(r->error_code), "%s", code);
	srv_json(r, http, o);
}

/* ---- CSV --------------------------------------------------------------------- */

static void csv_value(FILE *f, json_t *v)
{
	char num[48];

	switch (json_typeof(v)) {
	case JSON_STRING:
		ksp_csv_write_field(f, json_string_value(v));
		break;
	case JSON_INTEGER:
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fputs(ksp_format_double(json_real_value(v), num, sizeof(num)), f);
		break;
	case JSON_TRUE:
		fputs("true", f);
		break;
	case JSON_FALSE:
		fputs("false", f);
		break;
	case JSON_NULL:
		break;
	default: {
		char *t = json_dumps(v, JSON_COMPACT);

		ksp_csv_write_field(f, t ? t : "");
		free(t);
	}
	}
}

static void send_csv(struct srv_request *r, json_t *items, const char *const *columns)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_t *first = json_array_get(items, 0);
	size_t i;
	json_t *row;

	if (!f)
		abort();
	if (columns) {
		for (size_t c = 0; columns[c]; c++) {
			if (c)
				fputc(',', f);
			ksp_csv_write_field(f, columns[c]);
		}
	} else if (first) {
		const char *k;
		json_t *v;
		int c = 0;

		json_object_foreach(first, k, v)
		{
			if (c++)
				fputc(',', f);
			ksp_csv_write_field(f, k);
		}
	}
	fputc('\n', f);
	json_array_foreach(items, i, row)
	{
		if (columns) {
			for (size_t c = 0; columns[c]; c++) {
				if (c)
					fputc(',', f);
				csv_value(f, json_object_get(row, columns[c]));
			}
		} else {
			const char *k;
			json_t *v;
			int c = 0;

			json_object_foreach(row, k, v)
			{
				if (c++)
					fputc(',', f);
				csv_value(f, v);
			}
		}
		fputc('\n', f);
	}
	fclose(f);
	set_body(r, 200, "text/csv; charset=utf-8", buf, len);
}

/* The request's own path and query with offset replaced by a cursor. */
static char *next_link(struct srv_request *r, size_t next_offset)
{
	static const char *const keep[] = { "limit", "lang", "format", "region", "occupation",
					    "level", "year", "from", "to", "under", "search",
					    "classification", "q", "table", "dimension", "borders",
					    "by", "country", "kind", NULL };
	char *url = srv_printf(r->arena, "%s?cursor=o%zu", r->path, next_offset);

	for (size_t i = 0; keep[i]; i++) {
		const char *v = srv_query(r, keep[i]);
		char *enc;

		if (!v)
			continue;
		/* Percent-encode everything but unreserved characters. */
		enc = srv_alloc(r->arena, strlen(v) * 3 + 1);
		{
			char *o = enc;

			for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
				if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
				    *p == '~') {
					*o++ = (char)*p;
				} else {
					snprintf(o, 4, "%%%02X", *p);
					o += 3;
				}
			}
			*o = 0;
		}
		url = srv_printf(r->arena, "%s&%s=%s", url, keep[i], enc);
	}
	return url;
}

void srv_rows(struct srv_request *r, json_t *items, const char *const *columns,
	      size_t next_offset, json_t *meta)
{
	json_t *o;

	if (srv_wants_csv(r)) {
		send_csv(r, items, columns);
		json_decref(items);
		json_decref(meta);
		return;
	}
	o = meta ? meta : json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "next",
			    next_offset ? json_string(next_link(r, next_offset)) : json_null());
	srv_json(r, 200, o);
}

/* ---- access --------------------------------------------------------------------- */

int srv_allow_region(struct srv_request *r, const char *region)
{
	struct ksp_region reg;
	struct ksp_error err;

	if (!r->key) {
		r->www_authenticate = 1;
		srv_error(r, 401, "unauthorized", KSP_N_("an API key is needed"), NULL);
		return 0;
	}
	if (r->key->role == KSP_ROLE_ADMIN || !r->key->region[0])
		return 1;
	if (region && *region && r->store && ksp_region_find(r->store, region, &reg, &err) == KSP_OK &&
	    !strcmp(reg.kato, r->key->region))
		return 1;
	srv_error(r, 403, "forbidden", KSP_N_("this key may not write for that region"),
		  srv_printf(r->arena, "the key \"%s\" is bound to region %s", r->key->name,
			     r->key->region));
	return 0;
}

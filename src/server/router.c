/*
 * router.c - matching a request against the route table, and reading what
 * a request says: query arguments, language, format, paging, a JSON body.
 * Nothing here touches the network, so the fuzzer drives it directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

/* Split "/a/b/c" into segments in place; returns the count or -1 when over max. */
static int split(char *p, char **seg, int max)
{
	int n = 0;

	if (*p == '/')
		p++;
	while (*p) {
		char *slash = strchr(p, '/');

		if (n == max)
			return -1;
		seg[n++] = p;
		if (!slash)
			break;
		*slash = 0;
		p = slash + 1;
	}
	return n;
}

#define MAX_SEGMENTS 16

int srv_route_match(const char *method, const char *path, char *buf, size_t bufsize,
		    const struct srv_route **route, struct srv_param *params, int *nparams,
		    char *allow, size_t allow_size)
{
	char *seg[MAX_SEGMENTS], tmpl[256], *tseg[MAX_SEGMENTS];
	size_t len = strlen(path), used = 0;
	int nseg, found_path = 0;

	*route = NULL;
	*nparams = 0;
	if (allow_size)
		allow[0] = 0;
	if (len + 1 > bufsize || path[0] != '/')
		return 404;
	memcpy(buf, path, len + 1);
	/* One trailing slash is forgiven: /api/v1/regions/ is /api/v1/regions. */
	if (len > 1 && buf[len - 1] == '/')
		buf[len - 1] = 0;
	if ((nseg = split(buf, seg, MAX_SEGMENTS)) < 0)
		return 404;
	for (int i = 0; i < nseg; i++)
		if (!*seg[i])
			return 404; /* an empty segment: "//" */
	for (size_t r = 0; r < srv_nroutes; r++) {
		const struct srv_route *rt = &srv_routes[r];
		struct srv_param p[SRV_MAX_PATH_PARAMS];
		int nt, np = 0, ok = 1;

		snprintf(tmpl, sizeof(tmpl), "%s", rt->path);
		nt = split(tmpl, tseg, MAX_SEGMENTS);
		if (nt != nseg)
			continue;
		for (int i = 0; i < nt && ok; i++) {
			size_t tl = strlen(tseg[i]);

			if (tl > 2 && tseg[i][0] == '{' && tseg[i][tl - 1] == '}') {
				if (np == SRV_MAX_PATH_PARAMS) {
					ok = 0;
					break;
				}
				/* The name points into the table, which outlives the request. */
				p[np].name = rt->path + (tseg[i] - tmpl) + 1;
				p[np].value = seg[i];
				np++;
			} else if (strcmp(tseg[i], seg[i])) {
				ok = 0;
			}
		}
		if (!ok)
			continue;
		found_path = 1;
		if (!strcmp(rt->method, method) ||
		    (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET"))) {
			if (!*route) {
				*route = rt;
				memcpy(params, p, sizeof(p[0]) * (size_t)np);
				*nparams = np;
			}
		}
		if (allow_size && !strstr(allow, rt->method)) {
			int w = snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "",
					 rt->method);

			if (w > 0 && (size_t)w < allow_size - used)
				used += (size_t)w;
		}
	}
	if (*route)
		return 200;
	return found_path ? 405 : 404;
}

/*
 * Path parameter names in the table are "name}" up to the closing brace
 * (they point into the template); compare up to it.
 */
const char *srv_param(const struct srv_request *r, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < r->nparams; i++)
		if (!strncmp(r->params[i].name, name, n) && r->params[i].name[n] == '}')
			return r->params[i].value;
	return "";
}

const char *srv_query(const struct srv_request *r, const char *name)
{
	const char *v = r->query ? r->query(r->ctx, name) : NULL;

	return v;
}

const char *srv_header(const struct srv_request *r, const char *name)
{
	return r->header ? r->header(r->ctx, name) : NULL;
}

const char *srv_negotiate_lang(const char *query_lang, const char *accept)
{
	const char *best = NULL, *l;
	double best_q = 0;

	if (query_lang && (l = ksp_lang_norm(query_lang)))
		return l;
	/* Accept-Language: kk-KZ, ru;q=0.9, en;q=0.8 */
	while (accept && *accept) {
		const char *end = strchr(accept, ','), *semi;
		size_t n = end ? (size_t)(end - accept) : strlen(accept);
		char tag[32];
		double q = 1;

		while (n && (*accept == ' ' || *accept == '\t')) {
			accept++;
			n--;
		}
		semi = memchr(accept, ';', n);
		if (semi) {
			const char *qs = semi + 1;

			while (qs < accept + n && (*qs == ' ' || *qs == '\t'))
				qs++;
			if (qs + 2 <= accept + n && (qs[0] == 'q' || qs[0] == 'Q') && qs[1] == '=') {
				char num[16];
				size_t qn = (size_t)(accept + n - qs - 2);
				char *e;

				if (qn >= sizeof(num))
					qn = sizeof(num) - 1;
				memcpy(num, qs + 2, qn);
				num[qn] = 0;
				q = strtod(num, &e);
				if (e == num || !(q >= 0 && q <= 1))
					q = 0;
			}
		}
		{
			size_t tn = semi ? (size_t)(semi - accept) : n;

			while (tn && (accept[tn - 1] == ' ' || accept[tn - 1] == '\t'))
				tn--;
			if (tn < sizeof(tag)) {
				memcpy(tag, accept, tn);
				tag[tn] = 0;
				l = ksp_lang_norm(tag);
				if (l && q > best_q) {
					best = l;
					best_q = q;
				}
			}
		}
		if (!end)
			break;
		accept = end + 1;
	}
	return best ? best : "en";
}

int srv_wants_csv(const struct srv_request *r)
{
	const char *f = srv_query(r, "format"), *accept;

	if (f)
		return !strcasecmp(f, "csv");
	accept = srv_header(r, "Accept");
	/* text/csv named before application/json (or alone) wins. */
	if (accept) {
		const char *c = strstr(accept, "text/csv"), *j = strstr(accept, "application/json");

		return c && (!j || c < j);
	}
	return 0;
}

static int parse_size(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned long long)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

int srv_query_int(struct srv_request *r, const char *name, long long lo, long long hi,
		  long long def, long long *out)
{
	const char *v = srv_query(r, name);
	long long x;
	char *end;

	if (!v) {
		*out = def;
		return 0;
	}
	errno = 0;
	x = strtoll(v, &end, 10);
	if (!*v || *end || errno || x < lo || x > hi) {
		srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
			  srv_printf(r->arena, "%s must be an integer from %lld to %lld, not \"%s\"",
				     name, lo, hi, v));
		return -1;
	}
	*out = x;
	return 0;
}

int srv_page(struct srv_request *r, size_t *offset, size_t *limit)
{
	const char *l = srv_query(r, "limit"), *o = srv_query(r, "offset"),
		   *c = srv_query(r, "cursor");
	unsigned long long v;

	*limit = SRV_LIMIT_DEFAULT;
	*offset = 0;
	if (l) {
		if (parse_size(l, SRV_LIMIT_MAX, &v) || v == 0) {
			srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
				  srv_printf(r->arena, "limit must be from 1 to %d, not \"%s\"",
					     SRV_LIMIT_MAX, l));
			return -1;
		}
		*limit = (size_t)v;
	}
	/* A cursor is "o" followed by the offset: opaque to clients, plain to us. */
	if (c) {
		if (c[0] != 'o' || parse_size(c + 1, 1ull << 40, &v)) {
			srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
				  "cursor is not one this server gave");
			return -1;
		}
		*offset = (size_t)v;
	} else if (o) {
		if (parse_size(o, 1ull << 40, &v)) {
			srv_error(r, 400, "bad_parameter", KSP_N_("a query parameter has a bad value"),
				  srv_printf(r->arena, "offset must be a whole number, not \"%s\"",
					     o));
			return -1;
		}
		*offset = (size_t)v;
	}
	return 0;
}

int srv_json_depth(const char *s, size_t len)
{
	int depth = 0, max = 0, in_str = 0;

	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = 0;
		} else if (ch == '"') {
			in_str = 1;
		} else if (ch == '[' || ch == '{') {
			if (++depth > max)
				max = depth;
		} else if (ch == ']' || ch == '}') {
			depth--;
		}
	}
	return max;
}

int srv_json_body(struct srv_request *r, json_t **out)
{
	json_error_t jerr;
	json_t *v;

	*out = NULL;
	if (r->body_len > SRV_JSON_BODY_MAX) {
		srv_error(r, 413, "too_large", KSP_N_("the request body is too large"), NULL);
		return -1;
	}
	if (!r->body_len) {
		*out = json_object();
		return 0;
	}
	if (srv_json_depth(r->body, r->body_len) > SRV_JSON_DEPTH_MAX) {
		srv_error(r, 400, "bad_json", KSP_N_("the JSON body nests too deeply"),
			  srv_printf(r->arena, "at most %d levels", SRV_JSON_DEPTH_MAX));
		return -1;
	}
	v = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v) {
		json_t *e = json_pack("{s:{s:s, s:s, s:s, s:i, s:i}}", "error", "code", "bad_json",
				      "message", ksp_tr(r->lang, "the body is not valid JSON"),
				      "detail", jerr.text, "line", jerr.line, "column", jerr.column);

		snprintf(r->error_code, sizeof(r->error_code), "bad_json");
		srv_json(r, 400, e);
		return -1;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		srv_error(r, 400, "bad_json", KSP_N_("the JSON body must be an object"), NULL);
		return -1;
	}
	*out = v;
	return 0;
}

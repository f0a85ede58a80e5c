/*
 * test_server.c - the server's parts that do not need the network: the
 * router (path parameters, 404, 405 with Allow), the OpenAPI document
 * against the route table (a route missing from it, or a path in it that
 * no route has, fails), the language from Accept-Language, paging, JSON
 * bodies (depth, errors with line and column), static paths, the arena,
 * gzip (Accept-Encoding, which answers, a round trip through zlib, a kept
 * answer's gzip form made once).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "harness.h"
#include "server.h"

static int match(const char *method, const char *path, const struct srv_route **rt,
		 struct srv_param *p, int *np, char *allow)
{
	char buf[512];

	return srv_route_match(method, path, buf, sizeof(buf), rt, p, np, allow, 64);
}

TEST(router)
{
	const struct srv_route *rt;
	struct srv_param p[SRV_MAX_PATH_PARAMS];
	struct srv_request r;
	char allow[64];
	int np;

	CHECK_EQ_INT(match("GET", "/api/v1/regions", &rt, p, &np, allow), 200);
	CHECK(rt && rt->fn == api_regions);
	CHECK_EQ_INT(np, 0);
	{
		/* The values point into the caller's buffer. */
		char buf[64];

		CHECK_EQ_INT(srv_route_match("GET", "/api/v1/regions/KZ-59", buf, sizeof(buf), &rt,
					     p, &np, allow, sizeof(allow)),
			     200);
		memset(&r, 0, sizeof(r));
		memcpy(r.params, p, sizeof(p));
		r.nparams = np;
		CHECK_EQ_STR(srv_param(&r, "code"), "KZ-59");
		CHECK_EQ_STR(srv_param(&r, "cod"), "");
		CHECK_EQ_INT(srv_route_match("GET", "/api/v1/regions/KZ-59", buf, 10, &rt, p, &np,
					     allow, sizeof(allow)),
			     404);
	}
	CHECK_EQ_INT(match("GET", "/api/v1/regions/KZ-59", &rt, p, &np, allow), 200);
	CHECK(rt && rt->fn == api_region);
	CHECK_EQ_INT(np, 1);
	CHECK_EQ_INT(match("GET", "/api/v1/forecasts/12/cells", &rt, p, &np, allow), 200);
	CHECK(rt && rt->fn == api_forecast_cells);
	CHECK_EQ_INT(match("POST", "/api/v1/forecasts", &rt, p, &np, allow), 200);
	CHECK(rt && rt->fn == api_forecast_submit);
	CHECK_EQ_INT(match("HEAD", "/api/v1/regions", &rt, p, &np, allow), 200);
	CHECK_EQ_INT(match("GET", "/api/v1/regions/", &rt, p, &np, allow), 200);
	CHECK_EQ_INT(match("GET", "/api/v1/nothing", &rt, p, &np, allow), 404);
	CHECK_EQ_INT(match("GET", "/api/v1//regions", &rt, p, &np, allow), 404);
	CHECK_EQ_INT(match("GET", "/api/v1/regions/KZ-59/x", &rt, p, &np, allow), 404);
	CHECK_EQ_INT(match("GET", "api/v1/regions", &rt, p, &np, allow), 404);
	CHECK_EQ_INT(match("GET", "", &rt, p, &np, allow), 404);
	CHECK_EQ_INT(match("DELETE", "/api/v1/regions", &rt, p, &np, allow), 405);
	CHECK_EQ_STR(allow, "GET");
	CHECK_EQ_INT(match("PUT", "/api/v1/forecasts", &rt, p, &np, allow), 405);
	CHECK_EQ_STR(allow, "GET, POST");
	CHECK_EQ_INT(match("GET", "/api/v1/import/population", &rt, p, &np, allow), 405);
	CHECK_EQ_STR(allow, "POST");
}

/* Every route is in the document with its method, and every path and method there is a route. */
TEST(openapi_matches_routes)
{
	json_t *doc = srv_openapi(), *paths = json_object_get(doc, "paths"), *item;
	const char *path;
	size_t nops = 0;

	CHECK(json_is_object(paths));
	for (size_t i = 0; i < srv_nroutes; i++) {
		char m[8];
		size_t k;
		json_t *op;

		for (k = 0; srv_routes[i].method[k] && k < 7; k++)
			m[k] = (char)(srv_routes[i].method[k] | 0x20);
		m[k] = 0;
		op = json_object_get(json_object_get(paths, srv_routes[i].path), m);
		if (!op)
			printf("  %s %s is not in the OpenAPI document\n", srv_routes[i].method,
			       srv_routes[i].path);
		CHECK(op != NULL);
		CHECK(srv_routes[i].summary && *srv_routes[i].summary);
		/* Every query parameter of the route is described (no bare "string" entries). */
		if (op) {
			size_t j;
			json_t *prm;

			json_array_foreach(json_object_get(op, "parameters"), j, prm)
			{
				if (!json_object_get(prm, "description") &&
				    strcmp(json_string_value(json_object_get(prm, "in")), "path")) {
					printf("  %s %s: parameter %s has no description\n",
					       srv_routes[i].method, srv_routes[i].path,
					       json_string_value(json_object_get(prm, "name")));
					CHECK(0);
				}
			}
		}
	}
	json_object_foreach(paths, path, item)
	{
		const char *method;
		json_t *op;

		json_object_foreach(item, method, op)
		{
			int found = 0;

			nops++;
			for (size_t i = 0; i < srv_nroutes; i++)
				if (!strcmp(srv_routes[i].path, path) &&
				    !strcasecmp(srv_routes[i].method, method))
					found = 1;
			if (!found)
				printf("  %s %s is in the document but not a route\n", method, path);
			CHECK(found);
		}
	}
	CHECK_EQ_INT(nops, srv_nroutes);
	CHECK_EQ_STR(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	json_decref(doc);
}

TEST(language)
{
	CHECK_EQ_STR(srv_negotiate_lang("kk", "ru"), "kk");
	CHECK_EQ_STR(srv_negotiate_lang("xx", "ru"), "ru");
	CHECK_EQ_STR(srv_negotiate_lang(NULL, NULL), "en");
	CHECK_EQ_STR(srv_negotiate_lang(NULL, "ru-RU,ru;q=0.9,en;q=0.8"), "ru");
	CHECK_EQ_STR(srv_negotiate_lang(NULL, "de, en;q=0.5, kk;q=0.7"), "kk");
	CHECK_EQ_STR(srv_negotiate_lang(NULL, "kk;q=0, en;q=0.1"), "en");
	CHECK_EQ_STR(srv_negotiate_lang(NULL, "*"), "en");
	CHECK_EQ_STR(srv_negotiate_lang(NULL, ";;;,,,q=,;q=2"), "en");
}

static const char *fake_query(void *ctx, const char *name)
{
	const char *const *kv = ctx;

	for (; kv[0]; kv += 2)
		if (!strcmp(kv[0], name))
			return kv[1];
	return NULL;
}

TEST(paging)
{
	struct srv_request r;
	size_t off, lim;
	const char *q1[] = { "limit", "5", "offset", "20", NULL };
	const char *q2[] = { "cursor", "o40", NULL };
	const char *q3[] = { "limit", "1001", NULL };
	const char *q4[] = { "offset", "-1", NULL };

	memset(&r, 0, sizeof(r));
	r.arena = srv_arena_new();
	r.lang = "en";
	r.query = fake_query;
	r.ctx = (void *)q1;
	CHECK_EQ_INT(srv_page(&r, &off, &lim), 0);
	CHECK_EQ_INT(off, 20);
	CHECK_EQ_INT(lim, 5);
	r.ctx = (void *)q2;
	CHECK_EQ_INT(srv_page(&r, &off, &lim), 0);
	CHECK_EQ_INT(off, 40);
	CHECK_EQ_INT(lim, SRV_LIMIT_DEFAULT);
	r.ctx = (void *)q3;
	CHECK_EQ_INT(srv_page(&r, &off, &lim), -1);
	CHECK_EQ_INT(r.status, 400);
	free(r.body_out);
	r.body_out = NULL;
	r.ctx = (void *)q4;
	CHECK_EQ_INT(srv_page(&r, &off, &lim), -1);
	free(r.body_out);
	srv_arena_free(r.arena);
}

TEST(json_bodies)
{
	struct srv_request r;
	json_t *v;

	CHECK_EQ_INT(srv_json_depth("{\"a\":[1,{\"b\":2}]}", 16), 3);
	CHECK_EQ_INT(srv_json_depth("\"[[[[\"", 6), 0);
	CHECK_EQ_INT(srv_json_depth("[\"\\\"[\"]", 7), 1);
	memset(&r, 0, sizeof(r));
	r.arena = srv_arena_new();
	r.lang = "en";
	r.body = "{\"a\": 1,\n \"b\": }";
	r.body_len = strlen(r.body);
	CHECK_EQ_INT(srv_json_body(&r, &v), -1);
	CHECK_EQ_INT(r.status, 400);
	CHECK(r.body_out && strstr(r.body_out, "\"line\":2"));
	CHECK(r.body_out && strstr(r.body_out, "\"bad_json\""));
	free(r.body_out);
	r.body_out = NULL;
	r.body = "{\"a\": [1, 2]}";
	r.body_len = strlen(r.body);
	CHECK_EQ_INT(srv_json_body(&r, &v), 0);
	CHECK(json_is_object(v));
	json_decref(v);
	r.body_len = 0;
	CHECK_EQ_INT(srv_json_body(&r, &v), 0);
	CHECK(json_is_object(v) && json_object_size(v) == 0);
	json_decref(v);
	srv_arena_free(r.arena);
}

TEST(static_paths)
{
	CHECK(srv_path_safe("/index.html"));
	CHECK(srv_path_safe("/"));
	CHECK(srv_path_safe("/a/b.c/d..e"));
	CHECK(!srv_path_safe("/../etc/passwd"));
	CHECK(!srv_path_safe("/a/../../b"));
	CHECK(!srv_path_safe("/a/.."));
	CHECK(!srv_path_safe("/./a"));
	CHECK(!srv_path_safe("a"));
	CHECK(!srv_path_safe("/a\\..\\b"));
}

TEST(arena)
{
	struct srv_arena *a = srv_arena_new();
	char *big, *s;

	for (int i = 0; i < 1000; i++) {
		s = srv_printf(a, "item %d", i);
		CHECK(s && !strncmp(s, "item", 4));
	}
	big = srv_alloc(a, 100000);
	memset(big, 1, 100000);
	s = srv_strdup(a, "after the big block");
	CHECK_EQ_STR(s, "after the big block");
	CHECK(((uintptr_t)srv_alloc(a, 3) % _Alignof(max_align_t)) == 0);
	srv_arena_free(a);
}

/* Decompress a gzip buffer (zlib's inflate) and compare it with want. */
static int gunzip_equals(const char *z, size_t zn, const char *want, size_t n)
{
	z_stream s;
	char *out = malloc(n + 16);
	int rc, ok;

	memset(&s, 0, sizeof(s));
	if (!out || inflateInit2(&s, 15 + 16) != Z_OK) {
		free(out);
		return 0;
	}
	s.next_in = (Bytef *)(uintptr_t)z;
	s.avail_in = (uInt)zn;
	s.next_out = (Bytef *)out;
	s.avail_out = (uInt)(n + 16);
	rc = inflate(&s, Z_FINISH);
	ok = rc == Z_STREAM_END && s.total_out == n && !memcmp(out, want, n);
	inflateEnd(&s);
	free(out);
	return ok;
}

TEST(gzip)
{
	struct srv_arena *a = srv_arena_new();
	struct srv_request r;
	struct srv_cache *c = srv_cache_new();
	struct srv_cache_entry *e;
	char *body = NULL, *z;
	size_t n = 0, zn, kn, kn2;
	const char *k, *k2;
	FILE *f = open_memstream(&body, &n);

	CHECK(srv_accepts_gzip("gzip"));
	CHECK(srv_accepts_gzip("gzip, deflate, br"));
	CHECK(srv_accepts_gzip("br;q=1.0, GZIP;q=0.5"));
	CHECK(srv_accepts_gzip("deflate, x-gzip"));
	CHECK(srv_accepts_gzip("gzip ; q=0.001"));
	CHECK(!srv_accepts_gzip(NULL));
	CHECK(!srv_accepts_gzip(""));
	CHECK(!srv_accepts_gzip("deflate, br"));
	CHECK(!srv_accepts_gzip("gzip;q=0"));
	CHECK(!srv_accepts_gzip("gzip;q=0.000, identity"));
	CHECK(!srv_accepts_gzip("gzipped"));
	CHECK(!srv_accepts_gzip("br;q=0, nogzip"));

	CHECK(srv_gzip_worth("application/json; charset=utf-8", SRV_GZIP_MIN + 1));
	CHECK(srv_gzip_worth("text/csv; charset=utf-8", 100000));
	CHECK(srv_gzip_worth("application/geo+json", 100000));
	CHECK(!srv_gzip_worth("application/json; charset=utf-8", SRV_GZIP_MIN));
	CHECK(!srv_gzip_worth("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			      100000));
	CHECK(!srv_gzip_worth("image/png", 100000));
	CHECK(!srv_gzip_worth(NULL, 100000));

	CHECK_EQ_STR(srv_etag_gzip(a, "\"k0123456789abcdef\""), "\"k0123456789abcdef-gz\"");

	/* a round trip: JSON-like text, and bytes that do not compress */
	for (int i = 0; i < 5000; i++)
		fprintf(f, "{\"region\":\"%d\",\"value\":%d.%d},", i % 20, i * 7919 % 1000, i % 10);
	fclose(f);
	CHECK_EQ_INT(srv_gzip(body, n, &z, &zn), 0);
	CHECK(zn > 18 && zn < n / 3);
	CHECK(gunzip_equals(z, zn, body, n));
	free(z);
	{
		unsigned char noise[4096];
		unsigned x = 12345;

		for (size_t i = 0; i < sizeof(noise); i++)
			noise[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
		CHECK_EQ_INT(srv_gzip((const char *)noise, sizeof(noise), &z, &zn), 0);
		CHECK(gunzip_equals(z, zn, (const char *)noise, sizeof(noise)));
		free(z);
	}

	/* a kept answer: its gzip form is made once and sent again */
	memset(&r, 0, sizeof(r));
	r.arena = a;
	r.status = 200;
	r.content_type = "application/json; charset=utf-8";
	r.body_out = body;
	r.body_out_len = n;
	r.etag = "\"k1\"";
	e = srv_cache_put(c, "/api/v1/x?\x1f" "en\x1f" "json", srv_cache_generation(c), &r);
	CHECK(e != NULL);
	if (e) {
		k = srv_cache_gzip(c, e, &kn);
		k2 = srv_cache_gzip(c, e, &kn2);
		CHECK(k && k == k2 && kn == kn2);
		CHECK(k && gunzip_equals(k, kn, body, n));
		srv_cache_unref(e);
	}
	/* the table's entry, found again, has it already */
	e = srv_cache_get(c, "/api/v1/x?\x1f" "en\x1f" "json", srv_cache_generation(c));
	CHECK(e != NULL);
	if (e) {
		CHECK(srv_cache_gzip(c, e, &kn2) == k);
		srv_cache_unref(e);
	}
	srv_cache_free(c);
	free(body);
	srv_arena_free(a);
}

int main(void)
{
	RUN(router);
	RUN(openapi_matches_routes);
	RUN(language);
	RUN(paging);
	RUN(json_bodies);
	RUN(static_paths);
	RUN(arena);
	RUN(gzip);
	return harness_done();
}

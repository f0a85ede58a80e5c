/*
 * dispatch.c - one request from arrival to handler: the route, the
 * language, the key and what it may do, then the handler.  Nothing here
 * knows the transport (http.c) so the fuzzer runs it as it is.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server.h"

static int is_api(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api") || !strcmp(path, "/health");
}

/* Read "Bearer KEY" and check it; 0 when fine (or absent), -1 after a 401. */
static int authenticate(struct srv_request *r, struct ksp_apikey *key)
{
	const char *h = srv_header(r, "Authorization"), *k;
	struct ksp_error err;

	if (!h)
		return 0;
	if (strncasecmp(h, "Bearer ", 7)) {
		r->www_authenticate = 1;
		srv_error(r, 401, "unauthorized", KSP_N_("the API key is not valid"),
			  "use Authorization: Bearer KEY");
		return -1;
	}
	for (k = h + 7; *k == ' '; k++)
		;
	if (!r->store || ksp_apikey_check(r->store, k, key, &err) != KSP_OK) {
		r->www_authenticate = 1;
		srv_error(r, 401, "unauthorized", KSP_N_("the API key is not valid"),
			  "the key is unknown or revoked");
		return -1;
	}
	r->key = key;
	return 0;
}

/* ---- kept answers (cache.c) ----------------------------------------------------- */

/*
 * Whether the route's answer may be kept: a read (GET) whose answer depends
 * on the database, the path, the query, the language and JSON or CSV only,
 * which every read route's does (handlers never look at the key when they
 * read).  /health says whether the database answers now: never kept.
 */
static int cacheable(const struct srv_server *srv, const struct srv_route *route,
		     const struct srv_request *r)
{
	return srv->cache && r->store && r->query_string && !strcmp(r->method, "GET") &&
	       !(route->flags & SRV_WRITE) && strcmp(route->path, "/health");
}

/*
 * The generation answers are kept in; 0 when none can be kept.  Each
 * thread has its own connection: when its data version moved (another
 * connection committed: a job, another thread, another process), the
 * database changed and a new generation starts.  The first look of a
 * thread starts one too, since nothing tells what changed before it.
 */
static unsigned long generation(struct srv_server *srv, struct srv_request *r)
{
	static _Thread_local struct ksp_store *seen_store;
	static _Thread_local long long seen;
	long long v;

	if (ksp_store_data_version(r->store, &v, NULL))
		return 0;
	if (r->store != seen_store || v != seen) {
		seen_store = r->store;
		seen = v;
		srv_cache_changed(srv->cache);
	}
	return srv_cache_generation(srv->cache);
}

/* "GET /path?query", the language and JSON or CSV; NULL when too long to keep. */
static char *cache_key(struct srv_request *r)
{
	char *k = srv_printf(r->arena, "%s?%s\x1f%s\x1f%s", r->path, r->query_string, r->lang,
			     srv_wants_csv(r) ? "csv" : "json");

	return strlen(k) < SRV_CACHE_KEY_MAX ? k : NULL;
}

static int not_modified(struct srv_request *r)
{
	const char *inm = srv_header(r, "If-None-Match");

	return inm && r->etag && (strstr(inm, r->etag) || !strcmp(inm, "*"));
}

/* ---- gzip (gzip.c) ------------------------------------------------------------- */

/*
 * Whether r's answer goes out compressed: a 200 of a text type over
 * SRV_GZIP_MIN bytes to a client that accepts gzip.  A small answer is sent
 * as it is: compressing it would cost more than the bytes it saves.
 */
static int wants_gzip(struct srv_request *r, const char *type, size_t len)
{
	return srv_gzip_worth(type, len) && srv_accepts_gzip(srv_header(r, "Accept-Encoding"));
}

/* Compress r's own (malloc'ed) 200 answer in place; on a zlib failure it stays plain. */
static void gzip_own(struct srv_request *r)
{
	char *z;
	size_t zn;

	if (srv_gzip(r->body_out, r->body_out_len, &z, &zn))
		return;
	free(r->body_out);
	r->body_out = z;
	r->body_out_len = zn;
	r->content_encoding = "gzip";
	if (r->etag)
		r->etag = srv_etag_gzip(r->arena, r->etag);
}

/*
 * Answer from a kept entry, compressed when the client accepts it (the
 * entry's gzip form, made once).  The reference passes to r, or is dropped
 * on 304.
 */
static void answer_kept(struct srv_request *r, struct srv_cache_entry *e)
{
	size_t len;
	const char *body = srv_cache_body(e, &len);
	int gz = wants_gzip(r, srv_cache_type(e), len);

	r->etag = gz ? srv_etag_gzip(r->arena, srv_cache_etag(e)) : srv_cache_etag(e);
	r->cache_state = "hit";
	if (not_modified(r)) {
		/* the entry may go with our reference: keep copies of what the headers use */
		srv_raw(r, 304, srv_strdup(r->arena, srv_cache_type(e)), NULL, 0);
		r->etag = srv_strdup(r->arena, r->etag);
		srv_cache_unref(e);
		return;
	}
	if (gz) {
		size_t zn;
		const char *z = srv_cache_gzip(r->srv->cache, e, &zn);

		if (z) {
			body = z;
			len = zn;
			r->content_encoding = "gzip";
		} else {
			r->etag = srv_cache_etag(e);
		}
	}
	r->status = 200;
	r->content_type = srv_cache_type(e);
	r->disposition = srv_cache_disposition(e);
	r->body_out = (char *)body;
	r->body_out_len = len;
	r->cached = e;
}

/* ---- a request ------------------------------------------------------------------ */

void srv_handle(struct srv_server *srv, struct srv_request *r)
{
	const struct srv_route *route = NULL;
	struct ksp_apikey *key = srv_alloc(r->arena, sizeof(*key));
	char allow[64];
	char *buf;
	size_t plen = strlen(r->path);
	int m;

	r->srv = srv;
	r->lang = srv_negotiate_lang(srv_query(r, "lang"), srv_header(r, "Accept-Language"));
	if (plen > SRV_PATH_MAX) {
		srv_error(r, 414, "uri_too_long", KSP_N_("the address is too long"), NULL);
		return;
	}
	if (!is_api(r->path)) {
		if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
			r->allow = "GET, HEAD";
			srv_error(r, 405, "method_not_allowed", KSP_N_("the method is not allowed here"),
				  NULL);
			return;
		}
		if (srv->cfg.private_ && (authenticate(r, key) || !r->key)) {
			if (!r->status) {
				r->www_authenticate = 1;
				srv_error(r, 401, "unauthorized", KSP_N_("an API key is needed"), NULL);
			}
			return;
		}
		if (!srv->web_root[0]) {
			srv_error(r, 404, "not_found", KSP_N_("not found"), NULL);
			return;
		}
		srv_static(r, srv->web_root);
		return;
	}
	buf = srv_alloc(r->arena, plen + 1);
	m = srv_route_match(r->method, r->path, buf, plen + 1, &route, r->params, &r->nparams,
			    allow, sizeof(allow));
	if (m == 404) {
		srv_error(r, 404, "not_found", KSP_N_("no such resource"),
			  "GET /api/v1/openapi.json lists the resources");
		return;
	}
	if (m == 405) {
		r->allow = srv_strdup(r->arena, allow);
		srv_error(r, 405, "method_not_allowed", KSP_N_("the method is not allowed here"),
			  srv_printf(r->arena, "allowed: %s", allow));
		return;
	}
	if (authenticate(r, key))
		return;
	if ((route->flags & SRV_WRITE) && !r->key) {
		r->www_authenticate = 1;
		srv_error(r, 401, "unauthorized", KSP_N_("an API key is needed"),
			  "writing needs Authorization: Bearer KEY");
		return;
	}
	if ((route->flags & SRV_WRITE) && r->key->role < KSP_ROLE_ANALYST) {
		srv_error(r, 403, "forbidden", KSP_N_("this key's role may not do that"),
			  srv_printf(r->arena, "the key \"%s\" is a %s key; writing needs analyst "
					       "or admin",
				     r->key->name, ksp_role_name(r->key->role)));
		return;
	}
	if (srv->cfg.private_ && !(route->flags & SRV_PUBLIC) && !r->key) {
		r->www_authenticate = 1;
		srv_error(r, 401, "unauthorized", KSP_N_("an API key is needed"),
			  "this server is private: reading needs a key too");
		return;
	}
	if (cacheable(srv, route, r)) {
		unsigned long gen = generation(srv, r);
		char *ck = gen ? cache_key(r) : NULL;
		struct srv_cache_entry *e = ck ? srv_cache_get(srv->cache, ck, gen) : NULL;

		if (e) {
			answer_kept(r, e);
			return;
		}
		r->cache_state = "miss";
		route->fn(r);
		if (!r->status)
			srv_error(r, 500, "internal", KSP_N_("the server failed"),
				  "the handler gave no answer");
		if (r->status == 200 && r->body_out) {
			r->etag = srv_etag_of(r->arena, r->body_out, r->body_out_len);
			e = ck ? srv_cache_put(srv->cache, ck, gen, r) : NULL;
			if (e && wants_gzip(r, r->content_type, r->body_out_len)) {
				/* sent as a kept answer is: its gzip form, made now and kept */
				free(r->body_out);
				r->body_out = NULL;
				answer_kept(r, e);
				r->cache_state = "miss";
				return;
			}
			srv_cache_unref(e);
			if (not_modified(r))
				srv_raw(r, 304, r->content_type, NULL, 0);
			else if (wants_gzip(r, r->content_type, r->body_out_len))
				gzip_own(r); /* not kept (too large, or a long key) */
		}
		return;
	}
	route->fn(r);
	if (!r->status)
		srv_error(r, 500, "internal", KSP_N_("the server failed"), "the handler gave no answer");
	if (r->status == 200 && r->body_out && wants_gzip(r, r->content_type, r->body_out_len))
		gzip_own(r);
	/* This thread's own commits do not move its data version: say so here. */
	if (route->flags & SRV_WRITE)
		srv_cache_changed(srv->cache);
}

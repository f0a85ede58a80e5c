/*
 * fuzz_server.c - libFuzzer target for the server's request handling
 * without the network: the router, query and header parsing, the language
 * negotiation, keys, JSON bodies, paging and every handler (on an
 * in-memory database with a few regions and an API key).
 *
 * An input is a small HTTP request:
 *     METHOD PATH[?QUERY]\n
 *     Header: value\n ...
 *     \n
 *     body
 * Invariants: every request gets a status from 100 to 599; a JSON answer
 * parses; nothing leaks (the arena and the body are freed every time).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

static struct ksp_store *store;
static struct srv_server server;

static const char sources_csv[] = "id,kind,title\nbns,official,Test\n";
static const char regions_csv[] = "kato,iso,type,name_en,name_ru,name_kk,source\n"
				  "000000000,KZ,country,Kazakhstan,Казахстан,Қазақстан,bns\n"
				  "590000000,KZ-59,oblast,North,Север,Солтүстік,bns\n";

static void setup(void)
{
	struct ksp_error err;
	char key[KSP_APIKEY_SIZE];

	if (ksp_store_open(&store, ":memory:", KSP_STORE_CREATE, &err) ||
	    ksp_store_migrate(store, &err) ||
	    ksp_import_csv_mem(store, "sources", "s.csv", sources_csv, strlen(sources_csv), NULL,
			       NULL, &err) ||
	    ksp_import_csv_mem(store, "regions", "r.csv", regions_csv, strlen(regions_csv), NULL,
			       NULL, &err) ||
	    ksp_apikey_new(store, "fuzz", KSP_ROLE_ANALYST, "KZ-59", key, NULL, &err)) {
		fprintf(stderr, "fuzz_server: setup: %s\n", err.msg);
		abort();
	}
	memset(&server, 0, sizeof(server));
}

struct kv {
	char *k, *v;
};

struct fake {
	struct kv q[32], h[32];
	int nq, nh;
};

static const char *lookup(struct kv *a, int n, const char *name, int icase)
{
	for (int i = 0; i < n; i++)
		if (icase ? !strcasecmp(a[i].k, name) : !strcmp(a[i].k, name))
			return a[i].v;
	return NULL;
}

static const char *f_query(void *ctx, const char *name)
{
	struct fake *f = ctx;

	return lookup(f->q, f->nq, name, 0);
}

static const char *f_header(void *ctx, const char *name)
{
	struct fake *f = ctx;

	return lookup(f->h, f->nh, name, 1);
}

/* Decode %XX and + in place, as MHD does for the path and the arguments. */
static void unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%' && s[1] && s[2] && strchr("0123456789abcdefABCDEF", s[1]) &&
		    strchr("0123456789abcdefABCDEF", s[2])) {
			char hex[3] = { s[1], s[2], 0 };

			*o++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else {
			*o++ = *s == '+' ? ' ' : *s;
		}
	}
	*o = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srv_request r;
	struct fake f;
	char *text, *line, *next, *q;
	size_t n;

	if (!store)
		setup();
	memset(&r, 0, sizeof(r));
	memset(&f, 0, sizeof(f));
	r.arena = srv_arena_new();
	text = srv_strndup(r.arena, (const char *)data, size);
	n = strlen(text); /* an embedded NUL ends the request */
	/* The request line. */
	next = strchr(text, '\n');
	if (next)
		*next++ = 0;
	line = text;
	q = strchr(line, ' ');
	if (!q) {
		srv_arena_free(r.arena);
		return 0;
	}
	*q++ = 0;
	r.method = line;
	r.path = q;
	if ((q = strchr(q, '?'))) {
		*q++ = 0;
		while (q && *q && f.nq < 32) {
			char *amp = strchr(q, '&'), *eq;

			if (amp)
				*amp++ = 0;
			eq = strchr(q, '=');
			if (eq)
				*eq++ = 0;
			unescape(q);
			if (eq)
				unescape(eq);
			f.q[f.nq].k = q;
			f.q[f.nq++].v = eq ? eq : "";
			q = amp;
		}
	}
	unescape((char *)r.path);
	/* Headers up to an empty line, then the body. */
	while (next && *next && *next != '\n' && f.nh < 32) {
		char *colon, *e = strchr(next, '\n');

		if (e)
			*e++ = 0;
		colon = strchr(next, ':');
		if (colon) {
			*colon++ = 0;
			while (*colon == ' ')
				colon++;
			f.h[f.nh].k = next;
			f.h[f.nh++].v = colon;
		}
		next = e;
	}
	if (next && *next == '\n')
		next++;
	r.body = next ? next : "";
	r.body_len = next ? n - (size_t)(next - text) : 0;
	r.query = f_query;
	r.header = f_header;
	r.ctx = &f;
	r.store = store;
	srv_handle(&server, &r);
	if (r.status < 100 || r.status > 599)
		abort();
	if (r.body_out && r.content_type && !strncmp(r.content_type, "application/json", 16)) {
		json_t *v = json_loadb(r.body_out, r.body_out_len, 0, NULL);

		if (!v)
			abort();
		json_decref(v);
	}
	free(r.body_out);
	srv_arena_free(r.arena);
	return 0;
}

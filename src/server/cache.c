/*
 * cache.c - rendered answers of the read routes, kept until the database
 * changes.
 *
 * Computing an atlas costs milliseconds of CPU; sending a kept one costs
 * microseconds.  An answer is kept under its key (method, path, query,
 * language, JSON or CSV) with the generation it was computed in.  The
 * generation moves on whenever the database may have changed: a thread
 * that sees its connection's data version move (a commit by any other
 * connection: a job, another thread's import, kasip import from the
 * command line, another server on the same file) and every write route
 * this server answers.  An answer of an older generation is never sent.
 *
 * Entries are reference counted: an answer being sent holds its entry, so
 * that eviction never frees bytes still on their way out.  The table is
 * bounded by SRV_CACHE_MAX bytes: over it, the entries of old generations
 * go first, then everything else.
 *
 * An entry's gzip form is made the first time a client that accepts gzip
 * asks for it, and kept with the entry, so a large answer (the outlines,
 * 520 KB) is compressed once a generation, not once a request.
 */
#include <stdatomic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define NBUCKET 4096

struct srv_cache_entry {
	struct srv_cache_entry *next;
	atomic_int refs;
	uint64_t hash;
	unsigned long gen;
	char *key;
	char *body;
	size_t len;
	char *content_type;
	char *disposition; /* NULL when none */
	char etag[24];
	/* The gzip form, NULL until srv_cache_gzip() makes it; set once, under mu. */
	char *gz;
	size_t gzlen;
	int in_table; /* counted in bytes (under mu) */
};

struct srv_cache {
	pthread_mutex_t mu;
	atomic_ulong gen;
	size_t bytes; /* held by the table's entries */
	struct srv_cache_entry *bucket[NBUCKET];
};

static uint64_t fnv1a(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211ull;
	return h;
}

static size_t entry_bytes(const struct srv_cache_entry *e)
{
	return sizeof(*e) + e->len + e->gzlen + strlen(e->key) + 64;
}

static void entry_free(struct srv_cache_entry *e)
{
	free(e->key);
	free(e->body);
	free(e->gz);
	free(e->content_type);
	free(e->disposition);
	free(e);
}

void srv_cache_unref(struct srv_cache_entry *e)
{
	if (e && atomic_fetch_sub(&e->refs, 1) == 1)
		entry_free(e);
}

struct srv_cache *srv_cache_new(void)
{
	struct srv_cache *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	pthread_mutex_init(&c->mu, NULL);
	atomic_init(&c->gen, 1);
	return c;
}

/* Drop the table's entries; old: only those of an older generation.  Under mu. */
static void evict(struct srv_cache *c, int old)
{
	unsigned long g = atomic_load(&c->gen);

	for (size_t b = 0; b < NBUCKET; b++) {
		struct srv_cache_entry **pp = &c->bucket[b];

		while (*pp) {
			struct srv_cache_entry *e = *pp;

			if (old && e->gen == g) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			c->bytes -= entry_bytes(e);
			e->in_table = 0;
			srv_cache_unref(e);
		}
	}
}

void srv_cache_free(struct srv_cache *c)
{
	if (!c)
		return;
	evict(c, 0);
	pthread_mutex_destroy(&c->mu);
	free(c);
}

unsigned long srv_cache_generation(struct srv_cache *c)
{
	return atomic_load(&c->gen);
}

void srv_cache_changed(struct srv_cache *c)
{
	if (c)
		atomic_fetch_add(&c->gen, 1);
}

struct srv_cache_entry *srv_cache_get(struct srv_cache *c, const char *key, unsigned long gen)
{
	uint64_t h = fnv1a(key, strlen(key));
	struct srv_cache_entry **pp, *e, *found = NULL;

	pthread_mutex_lock(&c->mu);
	for (pp = &c->bucket[h % NBUCKET]; (e = *pp);) {
		if (e->hash != h || strcmp(e->key, key)) {
			pp = &e->next;
			continue;
		}
		if (e->gen == gen) {
			atomic_fetch_add(&e->refs, 1);
			found = e;
			break;
		}
		/* computed before the database changed: it goes */
		*pp = e->next;
		c->bytes -= entry_bytes(e);
		e->in_table = 0;
		srv_cache_unref(e);
	}
	pthread_mutex_unlock(&c->mu);
	return found;
}

struct srv_cache_entry *srv_cache_put(struct srv_cache *c, const char *key, unsigned long gen,
				      const struct srv_request *r)
{
	struct srv_cache_entry *e, **pp;

	if (r->body_out_len > SRV_CACHE_ENTRY_MAX || gen != atomic_load(&c->gen))
		return NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		abort();
	atomic_init(&e->refs, 2); /* the table's and the caller's */
	e->key = strdup(key);
	e->body = malloc(r->body_out_len ? r->body_out_len : 1);
	e->content_type = strdup(r->content_type ? r->content_type : "application/octet-stream");
	e->disposition = r->disposition ? strdup(r->disposition) : NULL;
	if (!e->key || !e->body || !e->content_type || (r->disposition && !e->disposition))
		abort();
	memcpy(e->body, r->body_out, r->body_out_len);
	e->len = r->body_out_len;
	e->hash = fnv1a(key, strlen(key));
	e->gen = gen;
	snprintf(e->etag, sizeof(e->etag), "%s", r->etag ? r->etag : "");
	pthread_mutex_lock(&c->mu);
	/* one entry a key: a newer answer replaces the one there */
	for (pp = &c->bucket[e->hash % NBUCKET]; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == e->hash && !strcmp((*pp)->key, key)) {
			struct srv_cache_entry *old = *pp;

			*pp = old->next;
			c->bytes -= entry_bytes(old);
			old->in_table = 0;
			srv_cache_unref(old);
			break;
		}
	if (c->bytes + entry_bytes(e) > SRV_CACHE_MAX)
		evict(c, 1);
	if (c->bytes + entry_bytes(e) > SRV_CACHE_MAX)
		evict(c, 0);
	e->next = c->bucket[e->hash % NBUCKET];
	c->bucket[e->hash % NBUCKET] = e;
	c->bytes += entry_bytes(e);
	e->in_table = 1;
	pthread_mutex_unlock(&c->mu);
	return e;
}

const char *srv_cache_body(const struct srv_cache_entry *e, size_t *len)
{
	*len = e->len;
	return e->body;
}

const char *srv_cache_gzip(struct srv_cache *c, struct srv_cache_entry *e, size_t *len)
{
	char *z;
	size_t zn;

	pthread_mutex_lock(&c->mu);
	z = e->gz;
	zn = e->gzlen;
	pthread_mutex_unlock(&c->mu);
	if (z) {
		*len = zn;
		return z;
	}
	/* Compressed outside the lock; when two threads race, the first kept wins. */
	if (srv_gzip(e->body, e->len, &z, &zn))
		return NULL;
	pthread_mutex_lock(&c->mu);
	if (e->gz) {
		free(z);
	} else {
		e->gz = z;
		e->gzlen = zn;
		if (e->in_table) {
			c->bytes += zn;
			if (c->bytes > SRV_CACHE_MAX)
				evict(c, 1);
		}
	}
	z = e->gz;
	*len = e->gzlen;
	pthread_mutex_unlock(&c->mu);
	return z;
}

const char *srv_cache_etag(const struct srv_cache_entry *e)
{
	return e->etag;
}

const char *srv_cache_type(const struct srv_cache_entry *e)
{
	return e->content_type;
}

const char *srv_cache_disposition(const struct srv_cache_entry *e)
{
	return e->disposition;
}

char *srv_etag_of(struct srv_arena *a, const char *body, size_t len)
{
	return srv_printf(a, "\"k%016llx\"", (unsigned long long)fnv1a(body, len));
}

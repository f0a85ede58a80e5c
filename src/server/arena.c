/*
 * arena.c - the per-request arena (after h2o's h2o_mem_pool_t): everything
 * a request allocates comes from here and goes in one free when it ends.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define ARENA_CHUNK 8192

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[]; /* aligned storage follows */
};

struct srv_arena {
	struct chunk *head;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fputs("kasip: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct srv_arena *srv_arena_new(void)
{
	struct srv_arena *a = xmalloc(sizeof(*a));

	a->head = NULL;
	return a;
}

void srv_arena_free(struct srv_arena *a)
{
	if (!a)
		return;
	while (a->head) {
		struct chunk *c = a->head;

		a->head = c->next;
		free(c);
	}
	free(a);
}

void *srv_alloc(struct srv_arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct chunk *c = a->head;
	void *p;

	size = (size + align - 1) / align * align;
	if (!size)
		size = align;
	if (!c || c->size - c->used < size) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		if (cap > SIZE_MAX - sizeof(struct chunk)) {
			fputs("kasip: allocation too large\n", stderr);
			abort();
		}
		c = xmalloc(sizeof(struct chunk) + cap);
		c->size = cap;
		c->used = 0;
		/* A big block goes behind the current chunk so its free space stays usable. */
		if (a->head && size > ARENA_CHUNK) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

char *srv_strndup(struct srv_arena *a, const char *s, size_t n)
{
	char *p = srv_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *srv_strdup(struct srv_arena *a, const char *s)
{
	return srv_strndup(a, s, strlen(s));
}

char *srv_printf(struct srv_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return srv_strdup(a, "");
	p = srv_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

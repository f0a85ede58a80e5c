#include "util/xmalloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

static void die_oom(size_t size)
{
	fprintf(stderr, "kasip: out of memory allocating %zu bytes\n", size);
	abort();
}

void *ksp_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		die_oom(size);
	return p;
}

void *ksp_xmalloc_big(size_t size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	const size_t huge = (size_t)2 << 20;

	if (size >= 2 * huge) {
		void *p = NULL;

		if (posix_memalign(&p, huge, size))
			die_oom(size);
		/* a hint: with transparent huge pages off it changes nothing */
		(void)madvise(p, size, MADV_HUGEPAGE);
		return p;
	}
#endif
	return ksp_xmalloc(size);
}

void *ksp_xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > SIZE_MAX / size)
		die_oom(SIZE_MAX);
	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		die_oom(nmemb * size);
	return p;
}

void *ksp_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		die_oom(size);
	return p;
}

void *ksp_xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		die_oom(SIZE_MAX);
	return ksp_xrealloc(ptr, nmemb * size);
}

char *ksp_xstrdup(const char *s)
{
	return ksp_xstrndup(s, strlen(s));
}

char *ksp_xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = ksp_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *ksp_xasprintf(const char *fmt, ...)
{
	va_list ap, aq;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(aq);
		die_oom(0);
	}
	p = ksp_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, aq);
	va_end(aq);
	return p;
}

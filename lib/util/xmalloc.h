/*
 * xmalloc.h - allocation that never returns NULL (internal to libkasip).
 *
 * Out of memory is not a condition kasip can recover from in a useful way, so
 * every allocation goes through these wrappers, which print one line and
 * abort.  Sizes are overflow-checked: ksp_xcalloc(n, size) and
 * ksp_xreallocarray(p, n, size) abort instead of wrapping around.
 * (The same idea as git's xmalloc and Redis's zmalloc.)
 */
#ifndef KSP_XMALLOC_H
#define KSP_XMALLOC_H

#include <stddef.h>

void *ksp_xmalloc(size_t size);
/*
 * ksp_xmalloc() for a large working array (4 MB or more): aligned to 2 MB
 * and marked for transparent huge pages on Linux (madvise MADV_HUGEPAGE,
 * which the default "madvise" setting honours), so that touching it costs
 * one page fault per 2 MB instead of one per 4 KB; elsewhere, and for
 * smaller sizes, plain ksp_xmalloc().  Free with free().
 */
void *ksp_xmalloc_big(size_t size);
void *ksp_xcalloc(size_t nmemb, size_t size);
void *ksp_xrealloc(void *ptr, size_t size);
void *ksp_xreallocarray(void *ptr, size_t nmemb, size_t size);
char *ksp_xstrdup(const char *s);
char *ksp_xstrndup(const char *s, size_t n);
/* printf into a fresh heap string. */
char *ksp_xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Grow an array to hold at least n elements: alloc is the current capacity. */
#define KSP_ALLOC_GROW(ptr, n, alloc)                                          \
	do {                                                                   \
		if ((size_t)(n) > (size_t)(alloc)) {                           \
			size_t a_ = (size_t)(alloc) < 16 ? 16 : (size_t)(alloc); \
			while (a_ < (size_t)(n))                               \
				a_ = a_ / 2 * 3 + 16;                          \
			(ptr) = ksp_xreallocarray((ptr), a_, sizeof(*(ptr)));  \
			(alloc) = a_;                                          \
		}                                                              \
	} while (0)

#endif

/*
 * strbuf.h - a growable, always NUL-terminated byte buffer (after git's strbuf).
 *
 * struct ksp_strbuf sb = KSP_STRBUF_INIT;  ...  ksp_strbuf_release(&sb);
 * buf is never NULL after init; len excludes the terminating NUL.
 * Allocation failures abort (see xmalloc.h).
 */
#ifndef KSP_STRBUF_H
#define KSP_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct ksp_strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char ksp_strbuf_empty[];
#define KSP_STRBUF_INIT { 0, 0, ksp_strbuf_empty }

void ksp_strbuf_init(struct ksp_strbuf *sb, size_t hint);
void ksp_strbuf_release(struct ksp_strbuf *sb);
/* Take ownership of the buffer; sb is re-initialised.  Free with free(). */
char *ksp_strbuf_detach(struct ksp_strbuf *sb, size_t *len);
void ksp_strbuf_grow(struct ksp_strbuf *sb, size_t extra);
void ksp_strbuf_reset(struct ksp_strbuf *sb);
void ksp_strbuf_add(struct ksp_strbuf *sb, const void *data, size_t len);
void ksp_strbuf_addstr(struct ksp_strbuf *sb, const char *s);
void ksp_strbuf_addch(struct ksp_strbuf *sb, int c);
void ksp_strbuf_addf(struct ksp_strbuf *sb, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
void ksp_strbuf_vaddf(struct ksp_strbuf *sb, const char *fmt, va_list ap)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 0)))
#endif
	;

#endif

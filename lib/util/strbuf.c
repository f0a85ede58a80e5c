#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

char ksp_strbuf_empty[1];

void ksp_strbuf_init(struct ksp_strbuf *sb, size_t hint)
{
	sb->alloc = 0;
	sb->len = 0;
	sb->buf = ksp_strbuf_empty;
	if (hint)
		ksp_strbuf_grow(sb, hint);
}

void ksp_strbuf_release(struct ksp_strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	ksp_strbuf_init(sb, 0);
}

char *ksp_strbuf_detach(struct ksp_strbuf *sb, size_t *len)
{
	char *p;

	if (!sb->alloc)
		ksp_strbuf_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	ksp_strbuf_init(sb, 0);
	return p;
}

void ksp_strbuf_grow(struct ksp_strbuf *sb, size_t extra)
{
	int fresh = !sb->alloc;
	size_t need = sb->len + extra + 1;

	if (need < sb->len) {
		fprintf(stderr, "kasip: strbuf overflow\n");
		abort();
	}
	if (fresh)
		sb->buf = NULL;
	KSP_ALLOC_GROW(sb->buf, need, sb->alloc);
	if (fresh)
		sb->buf[0] = '\0';
}

void ksp_strbuf_reset(struct ksp_strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

void ksp_strbuf_add(struct ksp_strbuf *sb, const void *data, size_t len)
{
	ksp_strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void ksp_strbuf_addstr(struct ksp_strbuf *sb, const char *s)
{
	ksp_strbuf_add(sb, s, strlen(s));
}

void ksp_strbuf_addch(struct ksp_strbuf *sb, int c)
{
	ksp_strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void ksp_strbuf_vaddf(struct ksp_strbuf *sb, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc ? sb->alloc - sb->len : 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n + 1 > (sb->alloc ? sb->alloc - sb->len : 0)) {
		ksp_strbuf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
		if (n < 0)
			return;
	}
	sb->len += (size_t)n;
}

void ksp_strbuf_addf(struct ksp_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ksp_strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

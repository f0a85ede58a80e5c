/*
 * i18n.c - the message catalogue.
 *
 * The translations are compiled from po/LANG.po by tools/po2c at build
 * time (catalogue.h); English is the msgids themselves.  Nothing here
 * depends on the machine's locales.
 */
#include "kasip/i18n.h"

#include "i18n/catalogue.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *ksp_lang_norm(const char *lang)
{
	static const char *const known[] = { "kk", "ru", "en" };

	if (!lang)
		return NULL;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strncasecmp(lang, known[i], 2) && (lang[2] == 0 || lang[2] == '-' || lang[2] == '_'))
			return known[i];
	return NULL;
}

/* ---- lookup -------------------------------------------------------------- */

static const struct ksp_catalogue *catalogue(const char *lang)
{
	const char *l = ksp_lang_norm(lang);

	if (!l)
		return NULL;
	for (size_t i = 0; i < ksp_ncatalogues; i++)
		if (!strcmp(ksp_catalogues[i].lang, l))
			return &ksp_catalogues[i];
	return NULL;
}

/* The same order as tools/po2c sorts: no context first, then by context, then msgid. */
static int msg_cmp(const char *ctx, const char *id, const struct ksp_msg *m)
{
	int c;

	if (!ctx != !m->ctx)
		return ctx ? 1 : -1;
	if (ctx && (c = strcmp(ctx, m->ctx)) != 0)
		return c;
	return strcmp(id, m->id);
}

static const struct ksp_msg *lookup(const struct ksp_catalogue *cat, const char *ctx,
				    const char *id)
{
	size_t lo = 0, hi;

	if (!cat || !id)
		return NULL;
	hi = cat->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = msg_cmp(ctx, id, &cat->msgs[mid]);

		if (!c)
			return &cat->msgs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *ksp_trc(const char *lang, const char *context, const char *msgid)
{
	const struct ksp_msg *m = lookup(catalogue(lang), context, msgid);

	return m && !m->plural ? m->str[0] : msgid;
}

size_t ksp_tr_each(const char *lang, const char *context,
		   void (*fn)(void *ud, const char *msgid, const char *text), void *ud)
{
	const struct ksp_catalogue *keys = catalogue("kk");
	size_t n = 0;

	if (!keys || !context)
		return 0;
	for (size_t i = 0; i < keys->n; i++) {
		const struct ksp_msg *m = &keys->msgs[i];

		if (m->plural || !m->ctx || strcmp(m->ctx, context))
			continue;
		fn(ud, m->id, ksp_trc(lang, context, m->id));
		n++;
	}
	return n;
}

const char *ksp_tr(const char *lang, const char *msgid)
{
	return ksp_trc(lang, NULL, msgid);
}

const char *ksp_trn(const char *lang, const char *singular, const char *plural, unsigned long n)
{
	const struct ksp_catalogue *cat = catalogue(lang);
	const struct ksp_msg *m = lookup(cat, NULL, singular);
	unsigned long k;

	if (!m || !m->plural)
		return n == 1 ? singular : plural;
	k = cat->plural(n);
	if (k >= (unsigned long)cat->nplurals || !m->str[k])
		k = 0;
	return m->str[k];
}

char *ksp_fmt_number(const char *lang, double v, int decimals, char *buf, size_t size)
{
	const char *l = ksp_lang_norm(lang);
	const char *group = (l && strcmp(l, "en")) ? "\xc2\xa0" : ",";
	const char *point = (l && strcmp(l, "en")) ? "," : ".";
	char raw[64], *dot;
	size_t len, intlen, o = 0, start;

	if (!size)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, size, "%s", isnan(v) ? "-" : (v > 0 ? "inf" : "-inf"));
		return buf;
	}
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (!strcmp(raw, "-0") || (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1)))
		memmove(raw, raw + 1, strlen(raw));
	dot = strchr(raw, '.');
	len = strlen(raw);
	intlen = dot ? (size_t)(dot - raw) : len;
	start = raw[0] == '-' ? 1 : 0;
	buf[0] = 0;
	for (size_t i = 0; i < len && o + 4 < size; i++) {
		if (raw[i] == '.') {
			o += (size_t)snprintf(buf + o, size - o, "%s", point);
			continue;
		}
		if (i > start && i < intlen && (intlen - i) % 3 == 0)
			o += (size_t)snprintf(buf + o, size - o, "%s", group);
		if (o + 1 < size) {
			buf[o++] = raw[i];
			buf[o] = 0;
		}
	}
	return buf;
}

/*
 * i18n.c - the message catalogue.
 *
 * INTERIM: returns the English msgid until the compiled catalogue lands
 * (issue 10); the API is final so that other modules can use it now.
 */
#include "kasip/i18n.h"

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

const char *ksp_tr(const char *lang, const char *msgid)
{
	(void)lang;
	return msgid;
}

const char *ksp_trc(const char *lang, const char *context, const char *msgid)
{
	(void)context;
	return ksp_tr(lang, msgid);
}

const char *ksp_trn(const char *lang, const char *singular, const char *plural, unsigned long n)
{
	(void)lang;
	return n == 1 ? singular : plural;
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

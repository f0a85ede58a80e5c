/*
 * catalogue.h - the compiled message catalogue (private to lib/i18n).
 *
 * tools/po2c writes one table per po/LANG.po into the build directory
 * (catalogue.c); i18n.c looks messages up in it.  Each table is sorted by
 * (msgctxt, msgid) in strcmp order, msgctxt NULL (none) before any
 * context, so that a lookup is a binary search: no allocation, no locks,
 * nothing written after start-up.
 */
#ifndef KSP_I18N_CATALOGUE_H
#define KSP_I18N_CATALOGUE_H

#include <stddef.h>

#define KSP_MAX_PLURALS 4

struct ksp_msg {
	const char *ctx; /* msgctxt, NULL when none */
	const char *id;  /* msgid: the English text */
	int plural;      /* 1 when str[] holds the plural forms */
	const char *str[KSP_MAX_PLURALS];
};

struct ksp_catalogue {
	const char *lang; /* "kk", "ru" */
	int nplurals;
	unsigned long (*plural)(unsigned long n); /* Plural-Forms' plural= */
	const struct ksp_msg *msgs;
	size_t n;
};

extern const struct ksp_catalogue ksp_catalogues[];
extern const size_t ksp_ncatalogues;

#endif

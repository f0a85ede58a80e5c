/*
 * kasip/i18n.h - one message catalogue for every word kasip prints for people.
 *
 * The catalogue follows gettext: the key of a message is its English text
 * (msgid), translations live in po/kk.po and po/ru.po (plural forms
 * included), and the build compiles them into the library, so that a
 * server can answer each request in its own language without the
 * machine's locales.  Every string passed to ksp_tr() as a literal, or
 * marked with KSP_N_() where it is stored in a table first, is a key; a
 * test fails on a key missing in any language and on a key no code uses.
 *
 * lang is "kk", "ru" or "en"; anything else (NULL included) is English.
 * The returned strings are static; all functions are thread-safe.
 */
#ifndef KASIP_I18N_H
#define KASIP_I18N_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Mark a string literal as a catalogue key without translating it here. */
#define KSP_N_(s) (s)

/* The translation of msgid in lang, or msgid itself when there is none. */
const char *ksp_tr(const char *lang, const char *msgid);
/* The same with a gettext context (msgctxt), for words with two meanings. */
const char *ksp_trc(const char *lang, const char *context, const char *msgid);
/* Plural: the form of lang's plural rule for n (English: n == 1 ? singular : plural). */
const char *ksp_trn(const char *lang, const char *singular, const char *plural, unsigned long n);

/* "kk", "ru" or "en" for a supported language code (case-insensitive, a
 * region suffix such as "ru-RU" allowed), NULL for anything else. */
const char *ksp_lang_norm(const char *lang);

/*
 * Format v with the given decimals by lang's conventions for people: digit
 * groups (en "12,345.6"; kk and ru "12 345,6" with a no-break space) and
 * the decimal separator.  Returns buf (always NUL-terminated).
 */
char *ksp_fmt_number(const char *lang, double v, int decimals, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif

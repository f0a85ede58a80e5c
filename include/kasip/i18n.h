/*
 * kasip/i18n.h - one message catalogue for every word kasip prints for people.
 *
 * The catalogue follows gettext: the key of a message is its English text
 * (msgid), translations live in po/kk.po and po/ru.po (plural forms
 * included), and the build compiles them into the library (tools/po2c), so
 * that a server can answer each request in its own language without the
 * machine's locales.  Every string passed to ksp_tr(), ksp_trc() or
 * ksp_trn() as a literal, marked with KSP_N_() or KSP_NC_() where it is
 * stored in a table first, or given as the format of ksp_error_set() and
 * ksp_error_at() is a key; the test i18n/catalogue fails on a key missing
 * in any language and on a key no code uses.  docs/hacking.md says how to
 * add one.
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
/* The same for a key with a context (msgctxt); evaluates to the msgid. */
#define KSP_NC_(ctx, s) (s)
/*
 * Mark a literal as a key that is a printf format, where it is passed to
 * ksp_tr() first: ksp_tr(lang, KSP_FMT_("aged %s")).  The template flags it
 * c-format, so tools/po2c checks that each translation keeps its conversions.
 */
#define KSP_FMT_(s) (s)

/*
 * The translations of a printf format keep its conversions, in order
 * (tools/po2c refuses a .po that breaks this), so a translated format can be
 * passed to printf; format_arg lets the compiler check the arguments
 * against the English msgid, as with gettext().
 */
#if defined(__GNUC__)
#define KSP_FORMAT_ARG(n) __attribute__((format_arg(n)))
#else
#define KSP_FORMAT_ARG(n)
#endif

/* The translation of msgid in lang, or msgid itself when there is none. */
const char *ksp_tr(const char *lang, const char *msgid) KSP_FORMAT_ARG(2);
/* The same with a gettext context (msgctxt), for words with two meanings. */
const char *ksp_trc(const char *lang, const char *context, const char *msgid) KSP_FORMAT_ARG(3);
/* Plural: the form of lang's plural rule for n (English: n == 1 ? singular : plural). */
const char *ksp_trn(const char *lang, const char *singular, const char *plural, unsigned long n)
	KSP_FORMAT_ARG(2) KSP_FORMAT_ARG(3);

/*
 * Every message of the catalogue with the msgctxt context (singular ones
 * only): fn(ud, msgid, text) with text its translation in lang (the msgid
 * itself in English or where lang has none), in msgid order.  The keys
 * are those of the Kazakh table (po/kk.po), which the test i18n/catalogue
 * keeps complete.  The dashboard's words have the context "dashboard"
 * (the t("...") calls of web/js/, which po2c extracts); the server hands
 * them to the pages at /api/v1/messages.  Returns the number of messages.
 */
size_t ksp_tr_each(const char *lang, const char *context,
		   void (*fn)(void *ud, const char *msgid, const char *text), void *ud);

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

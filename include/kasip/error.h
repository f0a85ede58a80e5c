/*
 * kasip/error.h - status codes and the caller-owned error record.
 *
 * Every libkasip function that can fail returns an int status (KSP_OK or one
 * of the codes below) and, when given a non-NULL struct ksp_error, fills it
 * with a message and, where it applies, the file, line, column and field the
 * error is about.  There is no global error state: two threads using two
 * error records never interfere.
 */
#ifndef KASIP_ERROR_H
#define KASIP_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ksp_status {
	KSP_OK = 0,
	KSP_DONE = 1,       /* iteration finished; not an error */
	KSP_EINVAL = -1,    /* bad input data (a file, a value, a code) */
	KSP_EUSAGE = -2,    /* the call itself is wrong (bad option, bad argument) */
	KSP_ENOTFOUND = -3, /* a named thing does not exist */
	KSP_EIO = -4,       /* reading or writing a file failed */
	KSP_EDB = -5,       /* the database refused an operation */
	KSP_ETOOBIG = -6,   /* a size cap on outside input was exceeded */
	KSP_ECONFLICT = -7, /* the thing exists already, or versions disagree */
	KSP_EINFEASIBLE = -8, /* a model has no solution */
	KSP_EINTERNAL = -9, /* a bug: an invariant did not hold */
	KSP_EBUSY = -10     /* the database stayed locked by another writer; try again later */
};

#define KSP_ERROR_MSG_SIZE 512
#define KSP_ERROR_FILE_SIZE 256
#define KSP_ERROR_FIELD_SIZE 64
#define KSP_ERROR_VALUE_SIZE 160

/*
 * Where an error applies.  line and column are 1-based; 0 means "does not
 * apply".  column counts CSV fields (the 3rd field is column 3), not bytes.
 * expected and found are the two halves of a message of the form
 * "... expected EXPECTED, got \"FOUND\"" (filled by ksp_error_at() and
 * ksp_error_set() from the message; "" otherwise), for programs such as
 * the server that give them as separate fields.
 *
 * lang is the language messages are written in ("kk", "ru"; anything
 * else, an uninitialised record included, means English), set by the
 * caller before the call with ksp_error_use_lang(); ksp_error_clear()
 * keeps it.  The format strings of ksp_error_set() and ksp_error_at() are
 * catalogue keys (kasip/i18n.h): the message is formatted from their
 * translation.
 */
struct ksp_error {
	char lang[4];
	int code;
	long line;
	long column;
	char file[KSP_ERROR_FILE_SIZE];
	char field[KSP_ERROR_FIELD_SIZE];
	char msg[KSP_ERROR_MSG_SIZE];
	char expected[KSP_ERROR_VALUE_SIZE];
	char found[KSP_ERROR_VALUE_SIZE];
};

/* Reset to "no error", keeping e->lang.  Safe on a NULL pointer. */
void ksp_error_clear(struct ksp_error *e);

/* Write e's later messages in lang ("kk", "ru" or "en", see ksp_lang_norm();
 * anything else is English).  Safe on a NULL pointer. */
void ksp_error_use_lang(struct ksp_error *e, const char *lang);
/* The language e's messages are written in: "kk", "ru", or NULL for English. */
const char *ksp_error_lang(const struct ksp_error *e);

/*
 * Record an error and return code, so that callers can write
 *     return ksp_error_set(err, KSP_EINVAL, "bad %s", what);
 * fmt is a literal English message, translated into e->lang before it is
 * formatted (the extractor behind the catalogue test reads it).
 * Safe on a NULL err (then only the code is returned).
 */
int ksp_error_set(struct ksp_error *e, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Same, with a position: file (may be NULL), line, column, field (may be NULL). */
int ksp_error_at(struct ksp_error *e, int code, const char *file, long line,
		 long column, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;

/*
 * Write the one-line form of e into buf (always NUL-terminated):
 *     "population.csv:14:3: population: expected a non-negative integer, got \"12 5x0\""
 * Parts that do not apply are left out.  Returns buf.
 */
const char *ksp_error_format(const struct ksp_error *e, char *buf, size_t size);

/* A short English name of a status code ("bad input", "not found", ...);
 * ksp_tr(lang, ksp_status_name(code)) gives it in another language. */
const char *ksp_status_name(int code);

#ifdef __cplusplus
}
#endif
#endif

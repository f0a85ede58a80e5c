/*
 * kasip/csv.h - a strict RFC 4180 CSV reader for files saved by people.
 *
 * Accepts what Excel and LibreOffice write with Russian or Kazakh settings:
 * quoted fields with embedded newlines and "" escapes, CRLF or LF line ends,
 * UTF-8 with or without a byte-order mark, CP1251 (converted to UTF-8 with
 * iconv), and ',' ';' or TAB as the delimiter, sniffed from the header line
 * when not given.  Lines starting with '#' before the header are comments.
 *
 * Every size that the input controls is capped (file, field, fields per row,
 * row); going over a cap is a KSP_ETOOBIG error with the position, never a
 * crash or an unbounded allocation.
 *
 * Ownership: the reader owns the row it returns; the row's strings stay valid
 * until the next ksp_csv_next() or ksp_csv_free().  Not thread-safe; use one
 * reader per thread.
 */
#ifndef KASIP_CSV_H
#define KASIP_CSV_H

#include <stddef.h>

#include "kasip/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KSP_CSV_MAX_FILE ((size_t)1 << 30)   /* 1 GiB */
#define KSP_CSV_MAX_FIELD ((size_t)1 << 16)  /* 64 KiB in one field */
#define KSP_CSV_MAX_FIELDS 1024              /* fields in one row */
#define KSP_CSV_MAX_ROW ((size_t)1 << 20)    /* 1 MiB in one row */

struct ksp_csv_options {
	char delimiter;       /* ',' ';' '\t', or 0 to sniff from the first line */
	const char *encoding; /* NULL or "utf-8", or "cp1251" (any name iconv knows) */
	size_t max_file;      /* 0 = KSP_CSV_MAX_FILE */
	size_t max_field;     /* 0 = KSP_CSV_MAX_FIELD */
	size_t max_fields;    /* 0 = KSP_CSV_MAX_FIELDS */
	size_t max_row;       /* 0 = KSP_CSV_MAX_ROW */
};

/* One record.  fields[i] is NUL-terminated UTF-8 of length lens[i]. */
struct ksp_csv_row {
	size_t nfields;
	char **fields;
	size_t *lens;
	long line;        /* physical line (1-based) where the record starts */
	long *field_line; /* physical line where each field starts */
};

struct ksp_csv;

/*
 * Open a reader over a file.  name is used in error messages (NULL: path).
 * Reads the whole file (up to max_file), converts it to UTF-8 if asked, drops
 * a UTF-8 BOM and decides the delimiter.  Errors: KSP_EIO (cannot read),
 * KSP_ETOOBIG, KSP_EINVAL (bad encoding, invalid UTF-8), KSP_EUSAGE (unknown
 * encoding name).
 */
int ksp_csv_open_file(struct ksp_csv **out, const char *path, const char *name,
		      const struct ksp_csv_options *opt, struct ksp_error *err);

/* Same over a memory buffer (copied; the caller keeps buf). */
int ksp_csv_open_mem(struct ksp_csv **out, const char *name, const char *buf,
		     size_t len, const struct ksp_csv_options *opt,
		     struct ksp_error *err);

/*
 * Read the next record into *row.  Returns KSP_OK, KSP_DONE at the end of
 * input, or an error with file, line and column set (an unterminated quote,
 * a stray quote inside an unquoted field, text after a closing quote, a cap
 * exceeded).  Blank lines are skipped.  After an error the reader stays in
 * the error state.
 */
int ksp_csv_next(struct ksp_csv *csv, struct ksp_csv_row *row,
		 struct ksp_error *err);

/* The delimiter in use (after sniffing). */
char ksp_csv_delimiter(const struct ksp_csv *csv);
/* The name given at open, for messages. */
const char *ksp_csv_name(const struct ksp_csv *csv);

void ksp_csv_free(struct ksp_csv *csv);

/*
 * Numbers as people type them in CSV files.
 *
 * Leading and trailing blanks are ignored.  Spaces, no-break spaces (U+00A0)
 * and narrow no-break spaces (U+202F) between digits are thousands separators
 * ("12 500").  A comma is a decimal separator ("4,5"); where both '.' and ','
 * appear, the last one is the decimal separator and the other one separates
 * thousands ("1.234,5" and "1,234.5").  No hex, no inf/nan, no trailing text.
 * Return KSP_OK or KSP_EINVAL (with no error record: the caller knows where).
 */
int ksp_parse_double(const char *s, double *out);
int ksp_parse_int64(const char *s, long long *out);

#ifdef __cplusplus
}
#endif
#endif

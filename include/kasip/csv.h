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
 * The rules, where files and RFC 4180 leave a choice:
 * - Line ends are CRLF, LF or a lone CR (old Mac Excel); all three end a
 *   record outside quotes and count as one line for line numbers.  Inside
 *   quotes they are data, kept byte for byte (no CRLF -> LF).
 * - Empty lines are skipped anywhere (a record of one empty field must be
 *   written as ""); a line of spaces or of delimiters is a record.
 * - A '#' in the first column is a comment only before the first record.
 * - Strict quoting: a field is quoted only if its first byte is '"'; a quote
 *   inside an unquoted field (ab"c, also a space before the quote: a, "b")
 *   and text after a closing quote ("ab"c) are errors.  Spaces around the
 *   delimiter are kept; the caller trims.
 * - The text must be valid UTF-8 (no overlong forms, surrogates or code
 *   points above U+10FFFF) and may not contain a NUL byte.
 * - A UTF-8 byte-order mark is dropped, and wins over the encoding option.
 *   With no encoding (or UTF-8) given, a UTF-16 byte-order mark (Excel's
 *   "Unicode text") makes the file read as UTF-16.
 * - Sniffing counts ',' ';' and TAB outside quotes in the first record after
 *   comments and blank lines; the most frequent wins, a tie or none gives ','.
 *
 * Positions: line is the physical line where the record starts (for a cap on
 * the record) or where the field starts; column is the field's number.  For
 * encoding errors, found at open, line is the line of the offending byte and
 * column the field it is in (0 in a comment line).
 *
 * Ownership: the reader owns the row it returns; the row's strings stay valid
 * until the next ksp_csv_next() or ksp_csv_free().  Not thread-safe; use one
 * reader per thread (different readers in different threads are fine).
 */
#ifndef KASIP_CSV_H
#define KASIP_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "kasip/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KSP_CSV_MAX_FILE ((size_t)1 << 30)   /* 1 GiB */
#define KSP_CSV_MAX_FIELD ((size_t)1 << 16)  /* 64 KiB in one field */
#define KSP_CSV_MAX_FIELDS 1024              /* fields in one row */
#define KSP_CSV_MAX_ROW ((size_t)1 << 20)    /* 1 MiB in one row */

struct ksp_csv_options {
	char delimiter;       /* ',' ';' '\t' (or other ASCII punctuation but '"'), 0 to sniff */
	const char *encoding; /* NULL or "utf-8", or "cp1251" (any name iconv knows) */
	size_t max_file;      /* 0 = KSP_CSV_MAX_FILE; bytes read (converted text: up to 4x) */
	size_t max_field;     /* 0 = KSP_CSV_MAX_FIELD */
	size_t max_fields;    /* 0 = KSP_CSV_MAX_FIELDS */
	size_t max_row;       /* 0 = KSP_CSV_MAX_ROW */
};

/*
 * One record.  fields[i] is NUL-terminated UTF-8 of length lens[i] (never
 * containing a NUL, so lens[i] == strlen(fields[i])).  nfields >= 1.
 */
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
 * a UTF-8 BOM, decides the delimiter and checks the whole text, so that an
 * encoding problem is reported before any record is read.  opt may be NULL
 * (all defaults).  On success *out is a reader to free with ksp_csv_free();
 * on failure *out is NULL.  Errors: KSP_EIO (cannot read), KSP_ETOOBIG (the
 * file cap), KSP_EINVAL (a byte sequence invalid in the encoding, invalid
 * UTF-8, a NUL byte; with line and column), KSP_EUSAGE (unknown encoding
 * name, a delimiter that cannot be one).
 */
int ksp_csv_open_file(struct ksp_csv **out, const char *path, const char *name,
		      const struct ksp_csv_options *opt, struct ksp_error *err);

/* Same over a memory buffer (copied; the caller keeps buf).  name NULL: "<memory>". */
int ksp_csv_open_mem(struct ksp_csv **out, const char *name, const char *buf,
		     size_t len, const struct ksp_csv_options *opt,
		     struct ksp_error *err);

/*
 * Read the next record into *row.  Returns KSP_OK, KSP_DONE at the end of
 * input, or an error with file, line and column set: KSP_EINVAL (an
 * unterminated quote, a stray quote inside an unquoted field, text after a
 * closing quote) or KSP_ETOOBIG (a field, the fields of a record or a record
 * over its cap: "field 3 is longer than 65536 bytes").  Blank lines are
 * skipped.  On KSP_DONE or an error row->nfields is 0.  After an error the
 * reader stays in the error state and returns the same error again; after
 * KSP_DONE it returns KSP_DONE again.
 */
int ksp_csv_next(struct ksp_csv *csv, struct ksp_csv_row *row,
		 struct ksp_error *err);

/* The delimiter in use (after sniffing; ',' for an empty file). */
char ksp_csv_delimiter(const struct ksp_csv *csv);
/* The name given at open, for messages. */
const char *ksp_csv_name(const struct ksp_csv *csv);

void ksp_csv_free(struct ksp_csv *csv);

/*
 * Numbers as people type them in CSV files.
 *
 * Leading and trailing blanks (space, TAB, U+00A0, U+202F) are ignored, and
 * a leading '+' or '-' is allowed.  Spaces, no-break spaces (U+00A0) and
 * narrow no-break spaces (U+202F) between digits are thousands separators
 * ("12 500").  A comma is a decimal separator ("4,5"); where both '.' and ','
 * appear, the last one is the decimal separator and the other one separates
 * thousands ("1.234,5" and "1,234.5").  A lone '.' or ',' is always the
 * decimal one ("1,234" is 1.234); one of them repeated with no other is
 * thousands grouping ("1.234.567").  Groups must be well formed: 1-3 digits,
 * then groups of exactly 3, one separator between them, one kind per number
 * ("12 5", "1 234.567 8" and "12  500" are errors).  ksp_parse_double also
 * takes ".5", ",5" and an exponent ("1,5E+3", as Excel writes big numbers);
 * it gives the correctly rounded double, 0 for "-0" and for values that
 * underflow, and an error for values beyond DBL_MAX.
 * ksp_parse_int64 takes no fraction and no exponent ("4,0" is an error) and
 * fails outside [LLONG_MIN, LLONG_MAX].  No hex, no inf/nan, no trailing
 * text, at most 255 characters after trimming.
 * Return KSP_OK (*out set) or KSP_EINVAL (*out untouched, no error record:
 * the caller knows where).  Thread-safe, and independent of the locale.
 */
int ksp_parse_double(const char *s, double *out);
int ksp_parse_int64(const char *s, long long *out);

/*
 * Writing CSV.  ksp_csv_write_field() writes one field to f, quoted (with
 * inner quotes doubled) when it holds a comma, a quote, a line break or
 * leading or trailing blanks, so that the reader above gives it back.
 * ksp_format_double() writes the shortest C-locale text that reads back as
 * the same double ("80", "74.5", "0.58"), without an exponent for whole
 * numbers below 1e15, and returns buf.
 */
void ksp_csv_write_field(FILE *f, const char *v);
const char *ksp_format_double(double v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif

/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and the number parsers.
 *
 * Each input is read with the delimiter sniffed and with each of ',' ';' TAB,
 * as CP1251 when the first byte is odd (UTF-8 otherwise), and once more with
 * tiny caps.  Every field goes through ksp_parse_double and ksp_parse_int64.
 * Checked on the way:
 * - an error has a status the header documents, a message, and (for the
 *   reader's errors past the file cap) a line; the reader repeats it;
 * - every row has 1..max_fields fields, lines grow, every field is valid
 *   UTF-8 without NUL, lens[i] == strlen(fields[i]) <= max_field;
 * - an integer that ksp_parse_int64 accepts parses as the same double;
 * - writing the rows back out (every field quoted) and reading that again
 *   gives the same rows.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kasip/csv.h"
#include "util/strbuf.h"

#define FUZZ_CHECK(x)                                                                              \
	do {                                                                                       \
		if (!(x)) {                                                                        \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #x);  \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* An independent, slow, obviously right UTF-8 check (no NUL allowed). */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k, len;

		if (s[i] == 0)
			return 0;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			len = 2;
			cp = s[i] & 0x1F;
		} else if ((s[i] & 0xF0) == 0xE0) {
			len = 3;
			cp = s[i] & 0x0F;
		} else if ((s[i] & 0xF8) == 0xF0) {
			len = 4;
			cp = s[i] & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000))
			return 0;
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static void check_numbers(const char *s)
{
	long long iv;
	double dv;
	int irc = ksp_parse_int64(s, &iv);
	int drc = ksp_parse_double(s, &dv);

	FUZZ_CHECK(irc == KSP_OK || irc == KSP_EINVAL);
	FUZZ_CHECK(drc == KSP_OK || drc == KSP_EINVAL);
	if (drc == KSP_OK)
		FUZZ_CHECK(!isnan(dv) && !isinf(dv));
	if (irc == KSP_OK) {
		FUZZ_CHECK(drc == KSP_OK);
		FUZZ_CHECK(dv == (double)iv);
	}
}

static void check_error(const struct ksp_error *err, int rc, int at_open)
{
	char msg[1024];

	FUZZ_CHECK(err->code == rc);
	FUZZ_CHECK(rc == KSP_EINVAL || rc == KSP_ETOOBIG);
	FUZZ_CHECK(err->msg[0] != '\0');
	FUZZ_CHECK(strcmp(err->file, "fuzz.csv") == 0);
	/* Only the whole-file caps have no position. */
	if (rc == KSP_EINVAL || !at_open)
		FUZZ_CHECK(err->line > 0);
	if (!at_open)
		FUZZ_CHECK(err->column > 0);
	ksp_error_format(err, msg, sizeof(msg));
}

/* Quote every field, so that the text reads back as exactly these fields. */
static void write_row(struct ksp_strbuf *out, const struct ksp_csv_row *row, char delim)
{
	size_t i, j;

	for (i = 0; i < row->nfields; i++) {
		if (i)
			ksp_strbuf_addch(out, delim);
		ksp_strbuf_addch(out, '"');
		for (j = 0; j < row->lens[i]; j++) {
			if (row->fields[i][j] == '"')
				ksp_strbuf_addch(out, '"');
			ksp_strbuf_addch(out, row->fields[i][j]);
		}
		ksp_strbuf_addch(out, '"');
	}
	ksp_strbuf_addch(out, '\n');
}

/*
 * Read data with opt; return the rows written back out in out (when not
 * NULL) and the delimiter used in *delim.  Returns the final status.
 */
static int run(const uint8_t *data, size_t size, const struct ksp_csv_options *opt,
               struct ksp_strbuf *out, char *delim, int numbers)
{
	size_t max_field = opt->max_field ? opt->max_field : KSP_CSV_MAX_FIELD;
	size_t max_fields = opt->max_fields ? opt->max_fields : KSP_CSV_MAX_FIELDS;
	static char unset;
	struct ksp_csv *csv = (struct ksp_csv *)(void *)&unset; /* must become NULL on failure */
	struct ksp_csv_row row;
	struct ksp_error err, again;
	long prev_line = 0;
	size_t i;
	int rc;

	rc = ksp_csv_open_mem(&csv, "fuzz.csv", (const char *)data, size, opt, &err);
	if (rc != KSP_OK) {
		FUZZ_CHECK(csv == NULL);
		check_error(&err, rc, 1);
		return rc;
	}
	*delim = ksp_csv_delimiter(csv);
	if (opt->delimiter)
		FUZZ_CHECK(*delim == opt->delimiter);
	else
		FUZZ_CHECK(*delim == ',' || *delim == ';' || *delim == '\t');
	FUZZ_CHECK(strcmp(ksp_csv_name(csv), "fuzz.csv") == 0);

	while ((rc = ksp_csv_next(csv, &row, &err)) == KSP_OK) {
		FUZZ_CHECK(row.nfields >= 1 && row.nfields <= max_fields);
		FUZZ_CHECK(row.line > prev_line);
		prev_line = row.line;
		for (i = 0; i < row.nfields; i++) {
			FUZZ_CHECK(row.lens[i] == strlen(row.fields[i]));
			FUZZ_CHECK(row.lens[i] <= max_field);
			FUZZ_CHECK(utf8_ok((const unsigned char *)row.fields[i], row.lens[i]));
			FUZZ_CHECK(row.field_line[i] >= row.line);
			FUZZ_CHECK(i == 0 || row.field_line[i] >= row.field_line[i - 1]);
			if (numbers)
				check_numbers(row.fields[i]);
		}
		FUZZ_CHECK(row.field_line[0] == row.line);
		if (out)
			write_row(out, &row, *delim);
	}
	if (rc == KSP_DONE) {
		FUZZ_CHECK(ksp_csv_next(csv, &row, NULL) == KSP_DONE);
	} else {
		check_error(&err, rc, 0);
		FUZZ_CHECK(err.line >= prev_line);
		FUZZ_CHECK(ksp_csv_next(csv, &row, &again) == rc);
		FUZZ_CHECK(again.line == err.line && again.column == err.column);
		FUZZ_CHECK(strcmp(again.msg, err.msg) == 0);
	}
	FUZZ_CHECK(row.nfields == 0);
	ksp_csv_free(csv);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {0, ',', ';', '\t'};
	struct ksp_csv_options opt;
	size_t d;

	/* The numbers alone, on the raw input as one string. */
	if (size < 512) {
		char s[512];

		memcpy(s, data, size);
		s[size] = '\0';
		check_numbers(s);
	}

	for (d = 0; d < sizeof(delims); d++) {
		struct ksp_strbuf out = KSP_STRBUF_INIT, again = KSP_STRBUF_INIT;
		char delim = 0, delim2 = 0;
		int rc;

		memset(&opt, 0, sizeof(opt));
		opt.delimiter = delims[d];
		opt.encoding = size && (data[0] & 1) ? "cp1251" : NULL;
		rc = run(data, size, &opt, &out, &delim, 1);

		/* Written back out, the rows read back the same. */
		if (rc == KSP_DONE) {
			struct ksp_csv_options o2;

			memset(&o2, 0, sizeof(o2));
			o2.delimiter = delim;
			rc = run((const uint8_t *)out.buf, out.len, &o2, &again, &delim2, 0);
			FUZZ_CHECK(rc == KSP_DONE);
			FUZZ_CHECK(again.len == out.len &&
			           memcmp(again.buf, out.buf, out.len) == 0);
		}
		ksp_strbuf_release(&out);
		ksp_strbuf_release(&again);
	}

	/* Tiny caps: every cap error path. */
	memset(&opt, 0, sizeof(opt));
	opt.max_file = size > 8 ? size - (data[1] & 7) : 0;
	opt.max_field = 1 + (size ? data[0] % 8 : 0);
	opt.max_fields = 1 + (size > 1 ? data[1] % 5 : 0);
	opt.max_row = 4 + (size > 2 ? data[2] % 32 : 0);
	opt.encoding = size > 3 && (data[3] & 1) ? "cp1251" : NULL;
	{
		char delim;

		run(data, size, &opt, NULL, &delim, 0);
	}
	return 0;
}

/*
 * test_csv.c - the CSV reader and the number parsers (lib/io/csv.c, number.c).
 *
 * Most reader tests turn the records into one string, "LINE:f1|f2|f3" per
 * record, joined by newlines, with \n \r | and \ in fields shown escaped, so
 * that a whole file's result is one comparison.
 */
#include <dirent.h>

#include "harness.h"
#include "kasip/csv.h"
#include "util/strbuf.h"

/* ---- helpers ------------------------------------------------------------------ */

static void dump_field(struct ksp_strbuf *sb, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\n': ksp_strbuf_addstr(sb, "\\n"); break;
		case '\r': ksp_strbuf_addstr(sb, "\\r"); break;
		case '\t': ksp_strbuf_addstr(sb, "\\t"); break;
		case '|': ksp_strbuf_addstr(sb, "\\|"); break;
		case '\\': ksp_strbuf_addstr(sb, "\\\\"); break;
		default: ksp_strbuf_addch(sb, s[i]);
		}
	}
}

/*
 * Read every record of csv into out ("LINE:f1|f2\n..." without the last
 * newline).  Also checks the row invariants.  Returns the final status
 * (KSP_DONE on success) and fills err.
 */
static int dump_rows(struct ksp_csv *csv, struct ksp_strbuf *out, struct ksp_error *err)
{
	struct ksp_csv_row row;
	long prev_line = 0;
	int rc;
	size_t i;

	while ((rc = ksp_csv_next(csv, &row, err)) == KSP_OK) {
		CHECK(row.nfields >= 1);
		CHECK(row.line > prev_line);
		prev_line = row.line;
		if (out->len)
			ksp_strbuf_addch(out, '\n');
		ksp_strbuf_addf(out, "%ld:", row.line);
		for (i = 0; i < row.nfields; i++) {
			CHECK_EQ_INT(strlen(row.fields[i]), row.lens[i]);
			CHECK(row.field_line[i] >= row.line);
			if (i)
				ksp_strbuf_addch(out, '|');
			dump_field(out, row.fields[i], row.lens[i]);
		}
	}
	return rc;
}

/* The records of buf as a string (static storage, one at a time), or "ERR". */
static const char *rows_opt(const char *buf, size_t len, const struct ksp_csv_options *opt)
{
	static char res[8192];
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct ksp_error err;
	struct ksp_csv *csv;
	int rc;

	ksp_error_clear(&err);
	rc = ksp_csv_open_mem(&csv, "t.csv", buf, len, opt, &err);
	if (rc != KSP_OK) {
		snprintf(res, sizeof(res), "ERR open %d %ld:%ld %s", rc, err.line, err.column,
		         err.msg);
		return res;
	}
	rc = dump_rows(csv, &sb, &err);
	if (rc != KSP_DONE)
		snprintf(res, sizeof(res), "ERR %d %ld:%ld %s", rc, err.line, err.column, err.msg);
	else
		snprintf(res, sizeof(res), "%s", sb.buf);
	ksp_strbuf_release(&sb);
	ksp_csv_free(csv);
	return res;
}

static const char *rows(const char *s)
{
	return rows_opt(s, strlen(s), NULL);
}

static const char *rows_d(const char *s, char delim)
{
	struct ksp_csv_options o = {0};

	o.delimiter = delim;
	return rows_opt(s, strlen(s), &o);
}

/* The delimiter sniffed from s. */
static char sniffed(const char *s)
{
	struct ksp_csv *csv;
	char d;

	if (ksp_csv_open_mem(&csv, NULL, s, strlen(s), NULL, NULL) != KSP_OK)
		return '?';
	d = ksp_csv_delimiter(csv);
	ksp_csv_free(csv);
	return d;
}

/*
 * Open buf (len bytes) and read until the first error; check the status,
 * the position and that the one-line message is want_msg (when not NULL).
 */
static void expect_err_opt(const char *buf, size_t len, const struct ksp_csv_options *opt,
                           int want_rc, long want_line, long want_col, const char *want_msg,
                           int srcline)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct ksp_error err, again;
	struct ksp_csv_row row;
	struct ksp_csv *csv = NULL;
	char msg[1024];
	int rc;

	ksp_error_clear(&err);
	rc = ksp_csv_open_mem(&csv, "t.csv", buf, len, opt, &err);
	if (rc == KSP_OK) {
		rc = dump_rows(csv, &sb, &err);
		/* The reader stays in the error state and repeats the error. */
		ksp_error_clear(&again);
		if (rc != KSP_DONE) {
			CHECK_EQ_INT(ksp_csv_next(csv, &row, &again), rc);
			CHECK_EQ_INT(again.line, err.line);
			CHECK_EQ_INT(row.nfields, 0);
		}
	} else {
		CHECK(csv == NULL);
	}
	if (rc != want_rc || err.line != want_line || err.column != want_col)
		printf("  (case at line %d: got rc %d at %ld:%ld: %s)\n", srcline, rc, err.line,
		       err.column, err.msg);
	CHECK_EQ_INT(rc, want_rc);
	CHECK_EQ_INT(err.code, want_rc);
	CHECK_EQ_INT(err.line, want_line);
	CHECK_EQ_INT(err.column, want_col);
	if (want_msg)
		CHECK_EQ_STR(ksp_error_format(&err, msg, sizeof(msg)), want_msg);
	ksp_strbuf_release(&sb);
	ksp_csv_free(csv);
}

#define EXPECT_ERR(s, rc, line, col, msg)                                                          \
	expect_err_opt(s, strlen(s), NULL, rc, line, col, msg, __LINE__)
#define EXPECT_ERR_N(s, n, opt, rc, line, col, msg)                                                \
	expect_err_opt(s, n, opt, rc, line, col, msg, __LINE__)
/* s is a string literal that may hold NUL bytes */
#define EXPECT_ERR_L(s, opt, rc, line, col, msg)                                                   \
	expect_err_opt(s, sizeof(s) - 1, opt, rc, line, col, msg, __LINE__)

/* ---- records ------------------------------------------------------------------ */

TEST(basic_lf_crlf_and_end_of_file)
{
	CHECK_EQ_STR(rows("a,b,c\n1,2,3\n"), "1:a|b|c\n2:1|2|3");
	CHECK_EQ_STR(rows("a,b,c\r\n1,2,3\r\n"), "1:a|b|c\n2:1|2|3");
	CHECK_EQ_STR(rows("a,b,c\r\n1,2,3"), "1:a|b|c\n2:1|2|3");
	CHECK_EQ_STR(rows("a"), "1:a");
	CHECK_EQ_STR(rows("a\n"), "1:a");
	CHECK_EQ_STR(rows("a\r\nb\nc\r\n"), "1:a\n2:b\n3:c");
}

TEST(empty_inputs)
{
	CHECK_EQ_STR(rows(""), "");
	CHECK_EQ_STR(rows("\n\n\r\n"), "");
	CHECK_EQ_STR(rows("# only a comment\n# and another"), "");
	CHECK_EQ_STR(rows("\uFEFF"), "");
}

TEST(empty_fields_and_spaces_kept)
{
	CHECK_EQ_STR(rows("a,,c\n,,\n,x\nx,\n"), "1:a||c\n2:||\n3:|x\n4:x|");
	CHECK_EQ_STR(rows(" a , b ,c \n"), "1: a | b |c ");
	CHECK_EQ_STR(rows("   \n"), "1:   ");
	CHECK_EQ_STR(rows_d("\t\n", ','), "1:\\t");
	CHECK_EQ_STR(rows("\t\n"), "1:|"); /* sniffed as TAB-separated */
}

TEST(blank_lines_skipped_everywhere)
{
	CHECK_EQ_STR(rows("\n\na,b\n\n\n1,2\r\n\r\n3,4\n\n"), "3:a|b\n6:1|2\n8:3|4");
}

TEST(comments_only_before_the_header)
{
	CHECK_EQ_STR(rows("# c1, with \"quotes\n#c2;;;\n\nh1,h2\n#x,y\n"), "4:h1|h2\n5:#x|y");
	CHECK_EQ_STR(rows("#\r\n#\r\nh\r\n"), "3:h");
	/* Only a '#' in the first column starts a comment. */
	CHECK_EQ_STR(rows(" # not a comment\n"), "1: # not a comment");
	CHECK_EQ_STR(rows("\"#quoted\",x\n"), "1:#quoted|x");
}

TEST(quoted_fields_and_escapes)
{
	CHECK_EQ_STR(rows("\"a\",\"b,c\",\"\"\n"), "1:a|b,c|");
	CHECK_EQ_STR(rows("\"a\";\"b,c\";\"\"\n"), "1:a|b,c|");
	CHECK_EQ_STR(rows("\"\"\"\"\n"), "1:\"");
	CHECK_EQ_STR(rows("\"\"\"\"\"\"\n"), "1:\"\"");
	CHECK_EQ_STR(rows("\"a\"\"\"\"b\",\"\"\"x\"\"\"\n"), "1:a\"\"b|\"x\"");
	CHECK_EQ_STR(rows("\"say \"\"hi\"\", ok\",2"), "1:say \"hi\", ok|2");
	CHECK_EQ_STR(rows("\"\",\"\"\n"), "1:|");
	CHECK_EQ_STR(rows("x,\"\"\r\n"), "1:x|");
	CHECK_EQ_STR(rows("\"unicode: Қазақстан\",\"Астана\"\n"), "1:unicode: Қазақстан|Астана");
}

TEST(embedded_newlines_and_line_numbers)
{
	struct ksp_csv *csv;
	struct ksp_csv_row row;
	const char *s = "id,note,x\n1,\"a\nb\nc\",\"p\r\nq\"\n2,\"\",\"z\"\n\n3,\"\n\",y\n";

	CHECK_EQ_STR(rows(s), "1:id|note|x\n2:1|a\\nb\\nc|p\\r\\nq\n6:2||z\n8:3|\\n|y");
	CHECK_EQ_INT(ksp_csv_open_mem(&csv, "t.csv", s, strlen(s), NULL, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
	CHECK_EQ_INT(row.line, 2);
	CHECK_EQ_INT(row.nfields, 3);
	CHECK_EQ_INT(row.field_line[0], 2);
	CHECK_EQ_INT(row.field_line[1], 2);
	CHECK_EQ_INT(row.field_line[2], 4); /* after "a\nb\nc" */
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
	CHECK_EQ_INT(row.line, 6);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
	CHECK_EQ_INT(row.line, 8);
	CHECK_EQ_INT(row.field_line[2], 9);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_DONE);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_DONE);
	CHECK_EQ_INT(row.nfields, 0);
	ksp_csv_free(csv);
}

TEST(lone_cr_is_a_line_end)
{
	CHECK_EQ_STR(rows("a,b\r1,2\r"), "1:a|b\n2:1|2");
	CHECK_EQ_STR(rows("a\rb\r\nc\nd"), "1:a\n2:b\n3:c\n4:d");
	CHECK_EQ_STR(rows("a\r\r\rb"), "1:a\n4:b");
	/* Inside quotes a CR is data, and counts as a line. */
	CHECK_EQ_STR(rows("\"x\ry\",1\rz"), "1:x\\ry|1\n3:z");
	CHECK_EQ_STR(rows("\"x\r\",1\n\"\r\n\"\rq"), "1:x\\r|1\n3:\\r\\n\n5:q");
}

TEST(bom_is_dropped)
{
	CHECK_EQ_STR(rows("\uFEFFa,b\n1,2\n"), "1:a|b\n2:1|2");
	CHECK_EQ_STR(rows("\uFEFF#c\na;b\n"), "2:a|b");
	CHECK_EQ_STR(rows("\uFEFF\"q\",x\n"), "1:q|x");
	/* A file saved with a BOM twice is refused at 1:1 (its first column
	 * would otherwise be "\uFEFFregion", an unknown column); a BOM later
	 * in the text is data. */
	CHECK_EQ_STR(rows("\uFEFF\uFEFFa\n"), "ERR open -1 1:1 two byte-order marks (BOM) at the start "
					       "of the file: it was saved with a BOM twice; remove one");
	CHECK_EQ_STR(rows("\uFEFFa\uFEFF\n"), "1:a\uFEFF");
}

TEST(sniffing)
{
	CHECK_EQ_INT(sniffed("a,b,c\n"), ',');
	CHECK_EQ_INT(sniffed("a;b;c\n"), ';');
	CHECK_EQ_INT(sniffed("a\tb\tc\n"), '\t');
	CHECK_EQ_INT(sniffed("abc\n"), ',');
	CHECK_EQ_INT(sniffed(""), ',');
	/* ties go to ',' */
	CHECK_EQ_INT(sniffed("a;b,c\n"), ',');
	CHECK_EQ_INT(sniffed("a;b\tc\n"), ',');
	CHECK_EQ_INT(sniffed("a;b;c\td\te\n"), ',');
	CHECK_EQ_INT(sniffed("a;b;c\td\n"), ';');
	/* the most frequent, counted outside quotes */
	CHECK_EQ_INT(sniffed("\"x,y,z\";b;c\n"), ';');
	CHECK_EQ_INT(sniffed("\"Доля, %\";b\n"), ';');
	CHECK_EQ_INT(sniffed("\"a;b;c\"\t\"d\"\n"), '\t');
	/* only the first record, which may span lines */
	CHECK_EQ_INT(sniffed("a;b\n1,2,3,4,5\n"), ';');
	CHECK_EQ_INT(sniffed("\"a\n,,,,\";b\n"), ';');
	/* comment and blank lines before it are skipped */
	CHECK_EQ_INT(sniffed("# a, b, c, d\n\n\nx;y\n"), ';');
	CHECK_EQ_INT(sniffed("\uFEFF# a;b;c\r\nx\ty\r\n"), '\t');
	CHECK_EQ_STR(rows("a;b\n1;\"2;3\"\n"), "1:a|b\n2:1|2;3");
	CHECK_EQ_STR(rows("a\tb\n1\t2,5\n"), "1:a|b\n2:1|2,5");
}

TEST(fixed_delimiter)
{
	CHECK_EQ_STR(rows_d("a;b,c\n", ','), "1:a;b|c");
	CHECK_EQ_STR(rows_d("a;b,c\n", ';'), "1:a|b,c");
	CHECK_EQ_STR(rows_d("a\tb;c\n", '\t'), "1:a|b;c");
	CHECK_EQ_STR(rows_d("a|b|\"c|d\"\n", '|'), "1:a|b|c\\|d");

	{
		struct ksp_csv_options o = {0};
		struct ksp_csv *csv = (struct ksp_csv *)1;
		struct ksp_error err;
		static const char bad[] = {'"', '\n', '\r', 'a', '7', (char)0xC3};
		size_t i;

		for (i = 0; i < sizeof(bad); i++) {
			o.delimiter = bad[i];
			CHECK_EQ_INT(ksp_csv_open_mem(&csv, "t.csv", "a", 1, &o, &err), KSP_EUSAGE);
			CHECK(csv == NULL);
			CHECK(strstr(err.msg, "delimiter") != NULL);
		}
	}
}

TEST(utf8_validation)
{
	/* valid: 2, 3 and 4 byte forms at their limits */
	CHECK_EQ_STR(rows("\xC2\x80,\xDF\xBF\n"), "1:\xC2\x80|\xDF\xBF");
	CHECK_EQ_STR(rows("\xE0\xA0\x80,\xEF\xBF\xBF,\xED\x9F\xBF\n"),
	             "1:\xE0\xA0\x80|\xEF\xBF\xBF|\xED\x9F\xBF");
	CHECK_EQ_STR(rows("\xF0\x90\x80\x80,\xF4\x8F\xBF\xBF\n"),
	             "1:\xF0\x90\x80\x80|\xF4\x8F\xBF\xBF");
	CHECK_EQ_STR(rows("\"\xF0\x9F\x98\x80 emoji\"\n"), "1:\xF0\x9F\x98\x80 emoji");

	EXPECT_ERR("a,b\n1,\xC0\xEB\xEC\n", KSP_EINVAL, 2, 2, NULL);  /* CP1251 text */
	EXPECT_ERR("a\n\xC0\xAF\n", KSP_EINVAL, 2, 1, NULL);          /* overlong '/' */
	EXPECT_ERR("a\n\xC1\xBF\n", KSP_EINVAL, 2, 1, NULL);          /* overlong */
	EXPECT_ERR("a\n\xE0\x9F\xBF\n", KSP_EINVAL, 2, 1, NULL);      /* overlong 3-byte */
	EXPECT_ERR("a\n\xF0\x8F\xBF\xBF\n", KSP_EINVAL, 2, 1, NULL);  /* overlong 4-byte */
	EXPECT_ERR("a,b\nx,\xED\xA0\x80\n", KSP_EINVAL, 2, 2, NULL);  /* surrogate */
	EXPECT_ERR("a,b\nx,y\xED\xBF\xBF\n", KSP_EINVAL, 2, 2, NULL); /* surrogate */
	EXPECT_ERR("a\n\xF4\x90\x80\x80\n", KSP_EINVAL, 2, 1, NULL);  /* above U+10FFFF */
	EXPECT_ERR("a\n\xF5\x80\x80\x80\n", KSP_EINVAL, 2, 1, NULL);
	EXPECT_ERR("a\n\xFF\n", KSP_EINVAL, 2, 1, NULL);
	EXPECT_ERR("a\n\x80\n", KSP_EINVAL, 2, 1, NULL);       /* lone continuation */
	EXPECT_ERR("a\nab\xC3(\n", KSP_EINVAL, 2, 1, NULL);    /* missing continuation */
	EXPECT_ERR("a\nx,\xE2\x82\n", KSP_EINVAL, 2, 2, NULL); /* truncated */
	EXPECT_ERR("a,b\nx,\xD0", KSP_EINVAL, 2, 2, NULL);     /* truncated at the end */
	EXPECT_ERR("a,b\nx,\xF0\x9F\x98", KSP_EINVAL, 2, 2, NULL);
	/* Long ASCII runs before the bad byte (the 8-byte fast path). */
	EXPECT_ERR("abcdefghijklmnopqrstuvwxyz,0123456789abcdef\xA0xyz\n", KSP_EINVAL, 1, 2, NULL);
	/* In a multi-line quoted field: the line of the byte, the field's number. */
	EXPECT_ERR("a,b\n1,\"first\nsecond \xFF\"\n", KSP_EINVAL, 3, 2, NULL);
	/* In a comment: column 0 (no field). */
	EXPECT_ERR("# \xE9t\xE9\na\n", KSP_EINVAL, 1, 0, NULL);
	EXPECT_ERR("a;b;c\n1;2;\xFF\n", KSP_EINVAL, 2, 3,
	           "t.csv:2:3: invalid UTF-8 byte 0xff (if the file is in another encoding "
	           "such as cp1251, give its name)");
}

TEST(nul_bytes_are_errors)
{
	EXPECT_ERR_L("a,b\n1,x\0y\n", NULL, KSP_EINVAL, 2, 2, "t.csv:2:2: NUL byte in the text");
	EXPECT_ERR_L("\0", NULL, KSP_EINVAL, 1, 1, NULL);
	EXPECT_ERR_L("a\n\"x\0\"\n", NULL, KSP_EINVAL, 2, 1, NULL);
	EXPECT_ERR_L("abcdefghijklmnop\0", NULL, KSP_EINVAL, 1, 1, NULL);
}

TEST(syntax_errors_with_positions)
{
	EXPECT_ERR("a,b,c\n1,\"ok\",3\n4,5,\"never\nclosed\n", KSP_EINVAL, 3, 3,
	           "t.csv:3:3: unterminated quoted field starting here");
	EXPECT_ERR("\"", KSP_EINVAL, 1, 1, NULL);
	EXPECT_ERR("a,\"b\"\"", KSP_EINVAL, 1, 2, NULL);
	EXPECT_ERR("name,value\nfoo,12\nab\"c,3\n", KSP_EINVAL, 3, 1,
	           "t.csv:3:1: quote inside an unquoted field (quote the whole field and "
	           "double the quote)");
	EXPECT_ERR("x,abc\"\n", KSP_EINVAL, 1, 2, NULL);
	EXPECT_ERR("a, \"b\"\n", KSP_EINVAL, 1, 2, NULL);
	EXPECT_ERR("a,b\n\"x\",\"ab\"c\n", KSP_EINVAL, 2, 2,
	           "t.csv:2:2: text after the closing quote of a quoted field");
	EXPECT_ERR("\"ab\" ,c\n", KSP_EINVAL, 1, 1, NULL);
	/* positions after multi-line records and CRLF inside quotes */
	EXPECT_ERR("id,note\n1,\"line one\nline two\"\n2,\"x\r\ny\r\nz\"\n3,bad\"quote\n",
	           KSP_EINVAL, 7, 2, NULL);
	EXPECT_ERR("h\n\"a\rb\"\n\"c\r\n\"x\n", KSP_EINVAL, 4, 1, NULL);
	/* after blank lines and comments */
	EXPECT_ERR("# c\n\nh\n\n\n\"unterminated\n\n\n", KSP_EINVAL, 6, 1, NULL);
}

TEST(error_state_and_error_null)
{
	struct ksp_csv *csv;
	struct ksp_csv_row row;
	struct ksp_error err;
	const char *s = "a\nb\"\nc\n";

	CHECK_EQ_INT(ksp_csv_open_mem(&csv, NULL, s, strlen(s), NULL, NULL), KSP_OK);
	CHECK_EQ_STR(ksp_csv_name(csv), "<memory>");
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_EINVAL);
	ksp_error_clear(&err);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, &err), KSP_EINVAL);
	CHECK_EQ_INT(err.line, 2);
	CHECK_EQ_STR(err.file, "<memory>");
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_EINVAL);
	ksp_csv_free(csv);
	ksp_csv_free(NULL);
}

TEST(caps)
{
	struct ksp_csv_options o = {0};
	char big[200];

	o.max_field = 8;
	CHECK_EQ_STR(rows_opt("12345678,\"1234\"\"567\"\n", 21, &o), "1:12345678|1234\"567");
	EXPECT_ERR_L("a,b,c\n1,2,123456789\n", &o, KSP_ETOOBIG, 2, 3,
	             "t.csv:2:3: field 3 is longer than 8 bytes");
	/* the unescaped length counts, not the quoted text */
	CHECK_EQ_STR(rows_opt("\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\n", 19, &o),
	             "1:\"\"\"\"\"\"\"\"");
	EXPECT_ERR_L("x\n\"a\nbcdefghi\"\n", &o, KSP_ETOOBIG, 2, 1, NULL);

	o.max_field = 0;
	o.max_fields = 3;
	CHECK_EQ_STR(rows_opt("a,b,c\n,,\n", 9, &o), "1:a|b|c\n2:||");
	EXPECT_ERR_L("a,b,c\n1,2,3,4\n", &o, KSP_ETOOBIG, 2, 4,
	             "t.csv:2:4: record has more than 3 fields");
	EXPECT_ERR_L("a,b,c\n,,,\n", &o, KSP_ETOOBIG, 2, 4, NULL);

	o.max_fields = 0;
	o.max_row = 10;
	CHECK_EQ_STR(rows_opt("abcd,efghi\r\n", 12, &o), "1:abcd|efghi");
	EXPECT_ERR_L("abcd,efghi\nabcd,efghij\n", &o, KSP_ETOOBIG, 2, 2,
	             "t.csv:2:2: record is longer than 10 bytes");
	/* a record's line is where it starts */
	EXPECT_ERR_L("h\n\"ab\ncd\",\"e\nf\ng\"\n", &o, KSP_ETOOBIG, 2, 2, NULL);

	o.max_row = 0;
	o.max_file = 10;
	CHECK_EQ_STR(rows_opt("0123456789", 10, &o), "1:0123456789");
	EXPECT_ERR_L("0123456789\n", &o, KSP_ETOOBIG, 0, 0, "t.csv: file is larger than 10 bytes");

	/* the defaults apply when the options are 0 */
	o.max_file = 0;
	memset(big, 'x', sizeof(big));
	CHECK(strncmp(rows_opt(big, sizeof(big), &o), "1:xxx", 5) == 0);
}

TEST(default_field_cap)
{
	size_t n = KSP_CSV_MAX_FIELD + 1;
	char *buf = malloc(n + 4);

	memset(buf, 'y', n + 4);
	buf[0] = 'a';
	buf[1] = '\n';
	EXPECT_ERR_N(buf, n + 2, NULL, KSP_ETOOBIG, 2, 1,
	             "t.csv:2:1: field 1 is longer than 65536 bytes");
	/* exactly the cap is fine */
	{
		struct ksp_csv *csv;
		struct ksp_csv_row row;

		CHECK_EQ_INT(ksp_csv_open_mem(&csv, "t.csv", buf, n + 1, NULL, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
		CHECK_EQ_INT(row.lens[0], KSP_CSV_MAX_FIELD);
		ksp_csv_free(csv);
	}
	free(buf);
}

TEST(rows_reuse_and_grow)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct ksp_csv *csv;
	struct ksp_csv_row row;
	size_t i, nrows = 0, total = 0, want = 0;
	int rc;

	/* rows of 1, 300, 2, 1000 fields, then 5000 short rows */
	ksp_strbuf_addstr(&sb, "x\n");
	for (i = 0; i < 300; i++)
		ksp_strbuf_addf(&sb, "%s%zu", i ? "," : "", i);
	ksp_strbuf_addstr(&sb, "\n\"q\",\"r\"\n");
	for (i = 0; i < 1000; i++)
		ksp_strbuf_addstr(&sb, i ? ",\"\"\"\"" : "\"\"\"\"");
	ksp_strbuf_addch(&sb, '\n');
	for (i = 0; i < 5000; i++)
		ksp_strbuf_addf(&sb, "%zu,\"row %zu\r\nnext\",z\r\n", i, i);
	want = 1 + 300 + 2 + 1000 + 5000 * 3;

	CHECK_EQ_INT(ksp_csv_open_mem(&csv, "big.csv", sb.buf, sb.len, NULL, NULL), KSP_OK);
	while ((rc = ksp_csv_next(csv, &row, NULL)) == KSP_OK) {
		nrows++;
		total += row.nfields;
		if (nrows == 2)
			CHECK_EQ_STR(row.fields[299], "299");
		if (nrows == 4)
			CHECK_EQ_STR(row.fields[999], "\"");
		if (nrows == 5004) {
			CHECK_EQ_STR(row.fields[1], "row 4999\r\nnext");
			CHECK_EQ_INT(row.line, 4 + 2 * 4999 + 1);
		}
	}
	CHECK_EQ_INT(rc, KSP_DONE);
	CHECK_EQ_INT(nrows, 5004);
	CHECK_EQ_INT(total, want);
	ksp_csv_free(csv);
	ksp_strbuf_release(&sb);
}

TEST(strings_stay_valid_until_next)
{
	struct ksp_csv *csv;
	struct ksp_csv_row row;
	const char *s = "\"a\"\"b\",cd\nef,\"g\nh\"\n";
	char *first;

	CHECK_EQ_INT(ksp_csv_open_mem(&csv, "t.csv", s, strlen(s), NULL, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
	first = row.fields[0];
	CHECK_EQ_STR(first, "a\"b");
	CHECK_EQ_STR(row.fields[1], "cd");
	CHECK_EQ_INT(ksp_csv_next(csv, &row, NULL), KSP_OK);
	CHECK_EQ_STR(row.fields[0], "ef");
	CHECK_EQ_STR(row.fields[1], "g\nh");
	CHECK_EQ_INT(row.field_line[1], 2);
	ksp_csv_free(csv);
}

/* ---- encodings ------------------------------------------------------------------ */

TEST(cp1251_conversion)
{
	struct ksp_csv_options o = {0};
	/* "Астана;Нур-Султан;1 354 556" in CP1251 with a no-break space and CRLF */
	const char s[] = "\xC0\xF1\xF2\xE0\xED\xE0;\xCD\xF3\xF0-\xD1\xF3\xEB\xF2\xE0\xED;1\xA0"
	                 "354\xA0"
	                 "556\r\n"
	                 "\"\xB9 1; \xAB\xF2\xE5\xF1\xF2\xBB\";\x88\r\n";

	o.encoding = "cp1251";
	CHECK_EQ_STR(rows_opt(s, sizeof(s) - 1, &o),
	             "1:Астана|Нур-Султан|1\u00A0354\u00A0556\n2:№ 1; «тест»|€");
	o.encoding = "CP1251";
	CHECK_EQ_STR(rows_opt("\xC0", 1, &o), "1:А");
	o.encoding = "windows-1251";
	CHECK_EQ_STR(rows_opt("\xC0", 1, &o), "1:А");
	/* Without the option the same bytes are invalid UTF-8, with a hint. */
	EXPECT_ERR_N(s, sizeof(s) - 1, NULL, KSP_EINVAL, 1, 1,
	             "t.csv:1:1: invalid UTF-8 byte 0xc0 (if the file is in another encoding "
	             "such as cp1251, give its name)");
	/* A UTF-8 BOM wins over the option. */
	o.encoding = "cp1251";
	CHECK_EQ_STR(rows_opt("\uFEFF\xD0\x90", 5, &o), "1:А");
	/* utf-8 by any of its names is no conversion */
	o.encoding = "UTF-8";
	CHECK_EQ_STR(rows_opt("\xD0\x90", 2, &o), "1:А");
	o.encoding = "utf8";
	CHECK_EQ_STR(rows_opt("\xD0\x90", 2, &o), "1:А");
	o.encoding = "";
	CHECK_EQ_STR(rows_opt("\xD0\x90", 2, &o), "1:А");
}

TEST(encoding_errors)
{
	struct ksp_csv_options o = {0};

	o.encoding = "no-such-encoding";
	EXPECT_ERR_L("a", &o, KSP_EUSAGE, 0, 0, "t.csv: unknown encoding \"no-such-encoding\"");
	/* 0x98 is not a character in CP1251 */
	o.encoding = "cp1251";
	EXPECT_ERR_L("\xD0\xE5\xE3;\xCA\xEE\xE4\r\n\xC0;\x98\r\n", &o, KSP_EINVAL, 2, 2,
	             "t.csv:2:2: invalid byte 0x98 for encoding \"cp1251\"");
	/* NUL survives conversion and is still an error */
	EXPECT_ERR_L("a,\0", &o, KSP_EINVAL, 1, 2, NULL);
	/* position in a multi-line field and after a comment */
	EXPECT_ERR_L("#;;\r\na,\"b\r\nc\x98\"", &o, KSP_EINVAL, 3, 2, NULL);
	/* an incomplete sequence at the end */
	o.encoding = "UTF-16LE";
	EXPECT_ERR_L("a\0,\0b\0\n\0c", &o, KSP_EINVAL, 2, 1,
	             "t.csv:2:1: incomplete \"UTF-16LE\" byte sequence at the end of the file");
}

TEST(utf16_with_bom)
{
	const char le[] = "\xFF\xFE"
	                  "a\0\t\0\x10\x04\n\0"
	                  "1\0\t\0"
	                  "2\0";
	const char be[] = "\xFE\xFF"
	                  "\0a\0;\0b\0\r\0\n";

	CHECK_EQ_STR(rows_opt(le, sizeof(le) - 1, NULL), "1:a|А\n2:1|2");
	CHECK_EQ_STR(rows_opt(be, sizeof(be) - 1, NULL), "1:a|b");
	/* a lone surrogate */
	EXPECT_ERR_L("\xFF\xFE\x61\0\n\0\x00\xD8\x62\0", NULL, KSP_EINVAL, 2, 1, NULL);
	/* an explicit single-byte encoding wins over what looks like a UTF-16 BOM */
	{
		struct ksp_csv_options o = {0};

		o.encoding = "cp1251";
		CHECK_EQ_STR(rows_opt("\xFF\xFE", 2, &o), "1:яю");
	}
}

TEST(conversion_caps)
{
	struct ksp_csv_options o = {0};
	char s[64];

	/* Conversion may grow the text up to 4x max_file: CP1251 doubles. */
	memset(s, '\xC0', sizeof(s));
	o.encoding = "cp1251";
	o.max_file = 64;
	{
		const char *r = rows_opt(s, sizeof(s), &o);

		CHECK(strncmp(r, "1:АААА", 10) == 0);
		CHECK_EQ_INT(strlen(r), 2 + 128);
	}
	o.max_file = 63;
	EXPECT_ERR_N(s, sizeof(s), &o, KSP_ETOOBIG, 0, 0, NULL);
}

/* ---- files ------------------------------------------------------------------------ */

static const char *read_file_rows(const char *path, const struct ksp_csv_options *opt, char *delim)
{
	static char res[8192];
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct ksp_error err;
	struct ksp_csv *csv;
	int rc;

	ksp_error_clear(&err);
	rc = ksp_csv_open_file(&csv, path, NULL, opt, &err);
	if (rc != KSP_OK) {
		snprintf(res, sizeof(res), "ERR open %d %s:%ld:%ld %s", rc, err.file, err.line,
		         err.column, err.msg);
		return res;
	}
	if (delim)
		*delim = ksp_csv_delimiter(csv);
	rc = dump_rows(csv, &sb, &err);
	if (rc != KSP_DONE)
		snprintf(res, sizeof(res), "ERR %d %ld:%ld %s", rc, err.line, err.column, err.msg);
	else
		snprintf(res, sizeof(res), "%s", sb.buf);
	ksp_strbuf_release(&sb);
	ksp_csv_free(csv);
	return res;
}

TEST(open_file_errors)
{
	struct ksp_csv *csv = (struct ksp_csv *)1;
	struct ksp_error err;
	struct ksp_csv_options o = {0};
	char msg[1024];

	CHECK_EQ_INT(ksp_csv_open_file(&csv, "/nonexistent/x.csv", "x.csv", NULL, &err), KSP_EIO);
	CHECK(csv == NULL);
	CHECK_EQ_STR(err.file, "x.csv");
	CHECK(strstr(err.msg, "cannot open \"/nonexistent/x.csv\"") != NULL);
	CHECK_EQ_INT(ksp_csv_open_file(&csv, harness_path("KSP_SRC", "tests/data/csv-good"), NULL,
	                               NULL, &err),
	             KSP_EIO);
	CHECK(strstr(err.msg, "directory") != NULL);
	o.max_file = 100;
	CHECK_EQ_INT(
	        ksp_csv_open_file(&csv,
	                          harness_path("KSP_SRC", "tests/data/csv-good/utf8-bom-excel.csv"),
	                          "in.csv", &o, &err),
	        KSP_ETOOBIG);
	CHECK_EQ_STR(ksp_error_format(&err, msg, sizeof(msg)),
	             "in.csv: file is larger than 100 bytes");
	/* a pipe-like file with no size: /dev/zero never ends, the cap stops it */
	o.max_file = 1000;
	CHECK_EQ_INT(ksp_csv_open_file(&csv, "/dev/zero", NULL, &o, &err), KSP_ETOOBIG);
	CHECK_EQ_STR(err.file, "/dev/zero");
}

/* Write len bytes of buf to a new temporary file; its path into path. */
static void temp_file(char *path, size_t size, const char *buf, size_t len)
{
	int fd;

	snprintf(path, size, "/tmp/kasip-test-csv-XXXXXX");
	fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write(fd, buf, len) == (ssize_t)len);
	close(fd);
}

/*
 * A regular UTF-8 file is mapped and its pages given back as the reader
 * goes (1 MiB at a time): records and characters across those boundaries,
 * a file of exactly one page with no line end, an invalid byte past the
 * first MiB.
 */
TEST(mapped_files)
{
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	struct ksp_csv *csv = NULL;
	struct ksp_csv_row row;
	struct ksp_error err;
	char path[64], want[64];
	long n = 0, bad = 0, at;
	int rc;

	ksp_strbuf_addstr(&sb, "id,name\n");
	for (long i = 0; i < 120000; i++) /* 21 bytes a record */
		ksp_strbuf_addf(&sb, "\xd0\x96%06ld,\"\xd2\x9b\xd0\xb0\"\"\xd0\xb7\"\r\n", i);
	temp_file(path, sizeof(path), sb.buf, sb.len);
	CHECK(sb.len > 2 * 1048576);
	CHECK_EQ_INT(ksp_csv_open_file(&csv, path, NULL, NULL, &err), KSP_OK);
	CHECK_EQ_INT(ksp_csv_next(csv, &row, &err), KSP_OK);
	while ((rc = ksp_csv_next(csv, &row, &err)) == KSP_OK) {
		snprintf(want, sizeof(want), "\xd0\x96%06ld", n);
		if (row.nfields != 2 || strcmp(row.fields[0], want) ||
		    strcmp(row.fields[1], "\xd2\x9b\xd0\xb0\"\xd0\xb7") || row.line != n + 2)
			bad++;
		n++;
	}
	CHECK_EQ_INT(rc, KSP_DONE);
	CHECK_EQ_INT(n, 120000);
	CHECK_EQ_INT(bad, 0);
	ksp_csv_free(csv);
	unlink(path);

	/* an invalid byte past the second MiB: found at open, on its line */
	at = (long)sb.len - 200000;
	sb.buf[at] = (char)0xff;
	temp_file(path, sizeof(path), sb.buf, sb.len);
	csv = NULL;
	CHECK_EQ_INT(ksp_csv_open_file(&csv, path, "big.csv", NULL, &err), KSP_EINVAL);
	CHECK(csv == NULL);
	CHECK_EQ_INT(err.line, 2 + (at - 8) / 21);
	unlink(path);

	/* exactly one page, the last record with no line end */
	ksp_strbuf_reset(&sb);
	ksp_strbuf_addstr(&sb, "a,b\n");
	while (sb.len < 4096 - 8)
		ksp_strbuf_addstr(&sb, "x,y\n");
	while (sb.len < 4096)
		ksp_strbuf_addch(&sb, 'z');
	temp_file(path, sizeof(path), sb.buf, sb.len);
	CHECK_EQ_INT(ksp_csv_open_file(&csv, path, NULL, NULL, &err), KSP_OK);
	n = 0;
	while ((rc = ksp_csv_next(csv, &row, &err)) == KSP_OK)
		n++;
	CHECK_EQ_INT(rc, KSP_DONE);
	CHECK_EQ_INT(n, 1 + (4096 - 8 - 4) / 4 + 1);
	CHECK_EQ_INT(row.nfields, 0);
	ksp_csv_free(csv);
	unlink(path);
	ksp_strbuf_release(&sb);
}

TEST(good_files)
{
	struct ksp_csv_options o = {0};
	char d = 0;

	o.encoding = "cp1251";
	CHECK_EQ_STR(
	        read_file_rows(harness_path("KSP_SRC",
	                                    "tests/data/csv-good/excel-ru-semicolon-cp1251.csv"),
	                       &o, &d),
	        "1:Регион|Код КАТО|Население|Доля, %|Примечание\n"
	        "2:Астана|710000000|1\u00A0354\u00A0556|7,1|столица; до 2019 г. — Нур-Султан\n"
	        "3:Алматы|750000000|2\u00A0228\u00A0675|11,5|город \"республиканского\" значения\n"
	        "4:Карагандинская область|350000000|1\u00A0131\u00A0000|5,8|две строки:\\nвторая "
	        "строка\n"
	        "6:Абайская область|100000000|610\u00A0000|3,1|");
	CHECK_EQ_INT(d, ';');

	CHECK_EQ_STR(
	        read_file_rows(harness_path("KSP_SRC", "tests/data/csv-good/utf8-bom-excel.csv"),
	                       NULL, &d),
	        "1:kato|name_kk|name_ru|population\n"
	        "2:710000000|Астана|Астана|1354556\n"
	        "3:790000000|Шымкент|Шымкент|1222129\n"
	        "4:190000000|Алматы облысы|Алматинская область|1524325\n"
	        "5:610000000|Түркістан облысы|Туркестанская область|2163035\n"
	        "6:270000000|Батыс Қазақстан облысы|Западно-Казахстанская область|697000");
	CHECK_EQ_INT(d, ',');

	CHECK_EQ_STR(read_file_rows(harness_path("KSP_SRC",
	                                         "tests/data/csv-good/lf-embedded-newlines.csv"),
	                            NULL, &d),
	             "4:isco|title|note\n"
	             "5:2211|Generalist medical practitioners|shortage in rural areas\\nsee the "
	             "2024 survey\n"
	             "7:2341|Primary school teachers|quoted \"title\" inside\n"
	             "8:7212|Welders|\n"
	             "10:8322|Car drivers|three\\nline\\nnote\n"
	             "13:9999||");
	CHECK_EQ_INT(d, ',');

	CHECK_EQ_STR(
	        read_file_rows(harness_path("KSP_SRC", "tests/data/csv-good/tab-separated.csv"),
	                       NULL, &d),
	        "1:region|year|unemployment_rate\n2:KZ-71|2023|4,6\n3:KZ-75|2023|4.7\n"
	        "4:KZ-79|2023|4,9");
	CHECK_EQ_INT(d, '\t');

	CHECK_EQ_STR(read_file_rows(harness_path("KSP_SRC",
	                                         "tests/data/csv-good/utf16le-excel-unicode.csv"),
	                            NULL, &d),
	             "1:Регион|Население\n2:Астана|1354556\n3:Қостанай облысы|831000");
	CHECK_EQ_INT(d, '\t');

	CHECK_EQ_STR(
	        read_file_rows(harness_path("KSP_SRC", "tests/data/csv-good/mac-cr.csv"), NULL, &d),
	        "1:a|b\n2:1|2\n3:3|x\\ry\n5:4|5");
}

/* Every file in tests/data/csv-good has a case above. */
TEST(good_files_all_listed)
{
	static const char *const known[] = {
	        "excel-ru-semicolon-cp1251.csv", "utf8-bom-excel.csv",
	        "lf-embedded-newlines.csv",      "tab-separated.csv",
	        "utf16le-excel-unicode.csv",     "mac-cr.csv",
	};
	DIR *dir = opendir(harness_path("KSP_SRC", "tests/data/csv-good"));
	struct dirent *de;
	size_t i, seen = 0;

	CHECK(dir != NULL);
	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL) {
		int found = 0;

		if (de->d_name[0] == '.')
			continue;
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			found |= strcmp(de->d_name, known[i]) == 0;
		if (!found)
			printf("  csv-good/%s has no test case\n", de->d_name);
		CHECK(found);
		seen++;
	}
	closedir(dir);
	CHECK_EQ_INT(seen, sizeof(known) / sizeof(known[0]));
}

struct bad_case {
	const char *file;
	const char *encoding;
	size_t max_field, max_row;
	int rc;
	long line, col;
	const char *msg; /* the start of the formatted message after "NAME:" */
};

static const struct bad_case bad_cases[] = {
        {"unterminated-quote.csv", NULL, 0, 0, KSP_EINVAL, 3, 3,
         "3:3: unterminated quoted field starting here"},
        {"stray-quote.csv", NULL, 0, 0, KSP_EINVAL, 3, 1, "3:1: quote inside an unquoted field"},
        {"text-after-quote.csv", NULL, 0, 0, KSP_EINVAL, 2, 2, "2:2: text after the closing quote"},
        {"space-before-quote.csv", NULL, 0, 0, KSP_EINVAL, 1, 2, "1:2: quote inside"},
        {"stray-quote-after-multiline.csv", NULL, 0, 0, KSP_EINVAL, 7, 2, "7:2: quote inside"},
        {"bad-utf8.csv", NULL, 0, 0, KSP_EINVAL, 3, 2, "3:2: invalid UTF-8 byte 0xc0"},
        {"bad-utf8-in-multiline-field.csv", NULL, 0, 0, KSP_EINVAL, 3, 2,
         "3:2: invalid UTF-8 byte 0xff"},
        {"bad-utf8-in-comment.csv", NULL, 0, 0, KSP_EINVAL, 1, 0, "1: invalid UTF-8 byte 0xe9"},
        {"overlong-utf8.csv", NULL, 0, 0, KSP_EINVAL, 2, 1, "2:1: invalid UTF-8 byte 0xc0"},
        {"surrogate-utf8.csv", NULL, 0, 0, KSP_EINVAL, 2, 2, "2:2: invalid UTF-8 byte 0xed"},
        {"truncated-utf8-at-eof.csv", NULL, 0, 0, KSP_EINVAL, 2, 2, "2:2: invalid UTF-8 byte 0xd0"},
        {"nul-byte.csv", NULL, 0, 0, KSP_EINVAL, 2, 2, "2:2: NUL byte in the text"},
        {"too-many-fields.csv", NULL, 0, 0, KSP_ETOOBIG, 2, 1025,
         "2:1025: record has more than 1024 fields"},
        {"field-too-long.csv", NULL, 32, 0, KSP_ETOOBIG, 2, 3,
         "2:3: field 3 is longer than 32 bytes"},
        {"record-too-long.csv", NULL, 0, 64, KSP_ETOOBIG, 3, 6,
         "3:6: record is longer than 64 bytes"},
        {"cp1251-undefined-byte.csv", "cp1251", 0, 0, KSP_EINVAL, 2, 2,
         "2:2: invalid byte 0x98 for encoding \"cp1251\""},
        {"utf16le-truncated.csv", NULL, 0, 0, KSP_EINVAL, 2, 2,
         "2:2: incomplete \"UTF-16LE\" byte sequence"},
};

static const struct bad_case *bad_case_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		if (strcmp(bad_cases[i].file, name) == 0)
			return &bad_cases[i];
	return NULL;
}

/* Every file in tests/data/csv-bad fails with its position; every case has its file. */
TEST(bad_files)
{
	DIR *dir = opendir(harness_path("KSP_SRC", "tests/data/csv-bad"));
	struct dirent *de;
	size_t seen = 0;

	CHECK(dir != NULL);
	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL) {
		const struct bad_case *bc;
		struct ksp_csv_options o = {0};
		struct ksp_strbuf sb = KSP_STRBUF_INIT;
		struct ksp_error err;
		struct ksp_csv *csv;
		char rel[512], msg[1024], want[600];
		int rc;

		if (de->d_name[0] == '.')
			continue;
		seen++;
		bc = bad_case_find(de->d_name);
		if (!bc)
			printf("  csv-bad/%s has no entry in bad_cases\n", de->d_name);
		CHECK(bc != NULL);
		if (!bc)
			continue;
		o.encoding = bc->encoding;
		o.max_field = bc->max_field;
		o.max_row = bc->max_row;
		snprintf(rel, sizeof(rel), "tests/data/csv-bad/%s", de->d_name);
		ksp_error_clear(&err);
		rc = ksp_csv_open_file(&csv, harness_path("KSP_SRC", rel), de->d_name, &o, &err);
		if (rc == KSP_OK) {
			rc = dump_rows(csv, &sb, &err);
			ksp_csv_free(csv);
		}
		ksp_strbuf_release(&sb);
		ksp_error_format(&err, msg, sizeof(msg));
		snprintf(want, sizeof(want), "%s:%s", bc->file, bc->msg);
		if (rc != bc->rc || err.line != bc->line || err.column != bc->col ||
		    strncmp(msg, want, strlen(want)) != 0)
			printf("  csv-bad/%s: got %d \"%s\"\n", de->d_name, rc, msg);
		CHECK_EQ_INT(rc, bc->rc);
		CHECK(err.line > 0);
		CHECK_EQ_INT(err.line, bc->line);
		CHECK_EQ_INT(err.column, bc->col);
		CHECK(strncmp(msg, want, strlen(want)) == 0);
	}
	closedir(dir);
	CHECK_EQ_INT(seen, sizeof(bad_cases) / sizeof(bad_cases[0]));
}

/* The upstream reference files the data set is built from (data/upstream) all read, with rectangular rows. */
TEST(upstream_data_files)
{
	const char *dirpath = harness_path("KSP_SRC", "data/upstream");
	DIR *dir = opendir(dirpath);
	struct dirent *de;
	size_t nfiles = 0;

	CHECK(dir != NULL);
	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL) {
		size_t n = strlen(de->d_name), header = 0, nrows = 0;
		struct ksp_error err;
		struct ksp_csv *csv;
		struct ksp_csv_row row;
		char path[4096];
		int rc;

		if (n < 5 || strcmp(de->d_name + n - 4, ".csv") != 0)
			continue;
		nfiles++;
		snprintf(path, sizeof(path), "%s/%s", dirpath, de->d_name);
		ksp_error_clear(&err);
		rc = ksp_csv_open_file(&csv, path, de->d_name, NULL, &err);
		CHECK_EQ_INT(rc, KSP_OK);
		if (rc != KSP_OK)
			continue;
		CHECK_EQ_INT(ksp_csv_delimiter(csv), ',');
		while ((rc = ksp_csv_next(csv, &row, &err)) == KSP_OK) {
			if (!nrows++)
				header = row.nfields;
			if (row.nfields != header)
				printf("  %s:%ld: %zu fields, header has %zu\n", de->d_name,
				       row.line, row.nfields, header);
			CHECK_EQ_INT(row.nfields, header);
		}
		if (rc != KSP_DONE)
			printf("  %s:%ld:%ld: %s\n", de->d_name, err.line, err.column, err.msg);
		CHECK_EQ_INT(rc, KSP_DONE);
		CHECK(nrows > 1);
		ksp_csv_free(csv);
	}
	closedir(dir);
	CHECK(nfiles >= 5);
}

/* ---- numbers -------------------------------------------------------------------- */

struct dcase {
	const char *s;
	double v;
};

TEST(parse_double_good)
{
	static const struct dcase cases[] = {
	        {"0", 0},
	        {"-0", 0},
	        {"+7", 7},
	        {"42", 42},
	        {"-42", -42},
	        {"007", 7},
	        {"4,5", 4.5},
	        {"4.5", 4.5},
	        {"-4,5", -4.5},
	        {",5", 0.5},
	        {".5", 0.5},
	        {"-,25", -0.25},
	        {"0,1", 0.1},
	        {"12 500", 12500},
	        {"12\u00A0500", 12500},
	        {"12\u202F500", 12500},
	        {"1 234 567,89", 1234567.89},
	        {"1\u00A0234\u00A0567.5", 1234567.5},
	        {"1.234,5", 1234.5},
	        {"1,234.5", 1234.5},
	        {"1.234.567,25", 1234567.25},
	        {"1,234,567.25", 1234567.25},
	        {"1.234.567", 1234567},
	        {"1,234,567", 1234567},
	        {"1,234", 1.234}, /* a lone separator is the decimal one */
	        {"1.234", 1.234},
	        {"  3,5  ", 3.5},
	        {"\t3,5\t", 3.5},
	        {"\u00A03,5\u202F", 3.5},
	        {"1e3", 1000},
	        {"1,5E+3", 1500},
	        {"1.5e-3", 0.0015},
	        {"-2,5E2", -250},
	        {"1,23457E+15", 1.23457e15},
	        {"123456789012345", 123456789012345.0},
	        {"9007199254740993", 9007199254740992.0}, /* rounds to even */
	        {"123456789012345678", 123456789012345678.0},
	        /* 17 digits: two roundings (digits, then the power of ten) would be off by one ulp
	         */
	        {"97034050148785141e8", 9.703405014878515e+24},
	        {"93 141 447 779 900 273 000 000", 9.314144777990028e+22},
	        {"1,2182877362171545E36", 1.2182877362171545e+36},
	        {"0,1000000000000000055511151231257827", 0.1},
	        {"3,141592653589793238462643383279", 3.141592653589793},
	        {"1e22", 1e22},
	        {"1e23", 1e23},
	        {"1e-22", 1e-22},
	        {"1,7976931348623157e308", 1.7976931348623157e308},
	        {"2,2250738585072014E-308", 2.2250738585072014e-308},
	        {"4,9e-324", 4.9e-324},
	        {"1e-400", 0},
	        {"0e999999999", 0},
	        {"000000000000000000000000000001", 1},
	        {"1 000 000", 1000000},
	        {"999", 999},
	        {"-1 000,5", -1000.5},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double v = -12345;
		int rc = ksp_parse_double(cases[i].s, &v);

		if (rc != KSP_OK || v != cases[i].v)
			printf("  case \"%s\": rc %d, %.17g\n", cases[i].s, rc, v);
		CHECK_EQ_INT(rc, KSP_OK);
		CHECK(v == cases[i].v);
		CHECK(!signbit(v) || cases[i].v < 0);
	}
}

TEST(parse_double_bad)
{
	static const char *const bad[] = {
	        "",
	        " ",
	        "\t",
	        "-",
	        "+",
	        "+-1",
	        "--1",
	        "- 1",
	        "1-",
	        "abc",
	        "12 5x0",
	        "0x10",
	        "0X1A",
	        "inf",
	        "-inf",
	        "infinity",
	        "nan",
	        "NaN",
	        "1e",
	        "1e+",
	        "e5",
	        "1e5x",
	        "1,5e",
	        "5,",
	        "5.",
	        ",",
	        ".",
	        "1..2",
	        "1,,2",
	        "1.2.3,4,5",
	        "1,234.567.8",
	        "12  500",
	        " 12 50",
	        "1 23",
	        "1234 567",
	        "12 5",
	        "1 234.567 8",
	        "1.234 567",
	        "1 234,567,8",
	        "1,5,6",
	        "1.5,2",
	        "1,2.3,4",
	        "12,3.4",
	        "1_000",
	        "1'000",
	        "5%",
	        "$5",
	        "5 руб",
	        "١٢",
	        "1e400",
	        "-1e999",
	        "1E100000",
	        "٫5",
	        "1\u00A0\u00A0000",
	        "1\302000" /* a lone 0xC2 */,
	        "12\240500" /* a raw 0xA0 */,
	        "3,5\302",
	        "1 ,5",
	        "1, 5",
	        "1 .5",
	        "\u202F",
	        "1\n",
	        "\n1",
	        "1\r",
	        "0b101",
	        "1/2",
	        "1e1.5",
	        "1e1,5",
	        "1.0e",
	        "(5)",
	        "5-",
	};
	size_t i;
	char longnum[400];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = 12345;
		int rc = ksp_parse_double(bad[i], &v);

		if (rc != KSP_EINVAL)
			printf("  case \"%s\": rc %d, %.17g\n", bad[i], rc, v);
		CHECK_EQ_INT(rc, KSP_EINVAL);
		CHECK(v == 12345); /* untouched on failure */
	}
	/* text longer than the limit */
	memset(longnum, '1', sizeof(longnum) - 1);
	longnum[sizeof(longnum) - 1] = '\0';
	{
		double v;

		CHECK_EQ_INT(ksp_parse_double(longnum, &v), KSP_EINVAL);
		longnum[255] = '\0';
		CHECK_EQ_INT(ksp_parse_double(longnum, &v), KSP_OK);
		CHECK(v > 1.1e254 && v < 1.12e254);
	}
	CHECK_EQ_INT(ksp_parse_double(NULL, &(double){0}), KSP_EINVAL);
}

struct icase {
	const char *s;
	long long v;
};

TEST(parse_int64_good)
{
	static const struct icase cases[] = {
	        {"0", 0},
	        {"-0", 0},
	        {"+5", 5},
	        {"42", 42},
	        {" 42 ", 42},
	        {"-17", -17},
	        {"007", 7},
	        {"12 500", 12500},
	        {"12\u00A0500", 12500},
	        {"1\u202F000\u202F000", 1000000},
	        {"1.234.567", 1234567},
	        {"1,234,567", 1234567},
	        {"9223372036854775807", LLONG_MAX},
	        {"9 223 372 036 854 775 807", LLONG_MAX},
	        {"-9223372036854775808", LLONG_MIN},
	        {"-9 223 372 036 854 775 807", -LLONG_MAX},
	        {"00000000000000000000000000009", 9},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long long v = -12345;
		int rc = ksp_parse_int64(cases[i].s, &v);

		if (rc != KSP_OK || v != cases[i].v)
			printf("  case \"%s\": rc %d, %lld\n", cases[i].s, rc, v);
		CHECK_EQ_INT(rc, KSP_OK);
		CHECK(v == cases[i].v);
	}
}

TEST(parse_int64_bad)
{
	static const char *const bad[] = {
	        "",
	        " ",
	        "-",
	        "+",
	        "abc",
	        "12 5x0",
	        "1,5",
	        "1.5",
	        "4,0",
	        "1e3",
	        "1E3",
	        "9223372036854775808",
	        "-9223372036854775809",
	        "99999999999999999999",
	        "9 223 372 036 854 775 808",
	        "18446744073709551616",
	        "0x10",
	        "inf",
	        "nan",
	        "12  500",
	        "1 23",
	        "1,234",
	        "1.234",
	        "1.234,0",
	        "1 234,5",
	        "5,",
	        ",5",
	        "1e",
	        "--1",
	        "+-1",
	        "1-",
	        "5%",
	        "1.234.56",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long long v = 12345;
		int rc = ksp_parse_int64(bad[i], &v);

		if (rc != KSP_EINVAL)
			printf("  case \"%s\": rc %d, %lld\n", bad[i], rc, v);
		CHECK_EQ_INT(rc, KSP_EINVAL);
		CHECK(v == 12345);
	}
	CHECK_EQ_INT(ksp_parse_int64(NULL, &(long long){0}), KSP_EINVAL);
}

/* Every integer that parses as int64 parses as the same double. */
TEST(parse_int_and_double_agree)
{
	static const char *const s[] = {
	        "0",
	        "1",
	        "-1",
	        "12 345",
	        "9007199254740993",
	        "9 223 372 036 854 775 807",
	        "-9223372036854775808",
	        "1,000,000",
	        "123456789012345678",
	};
	size_t i;

	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		long long iv;
		double dv;

		CHECK_EQ_INT(ksp_parse_int64(s[i], &iv), KSP_OK);
		CHECK_EQ_INT(ksp_parse_double(s[i], &dv), KSP_OK);
		CHECK(dv == (double)iv);
	}
}

/* What the writer writes, the reader reads back unchanged, with ',' or ';'. */
TEST(writer_round_trips)
{
	static const char *fields[] = { "plain", "", "a,b", "a;b", "say \"hi\"", " lead", "trail ",
					"two\nlines", "cr\r\nlf", "Солтүстік Қазақстан", "tab\there" };
	const size_t n = sizeof(fields) / sizeof(fields[0]);
	static const double nums[] = { 0, 80, -3, 74.5, 0.58, 1.0 / 3, 2151623, 1e20, 518151.5 };
	char num[40];

	for (int rep = 0; rep < 2; rep++) {
		struct ksp_csv_options o = { 0 };
		struct ksp_csv *csv = NULL;
		struct ksp_csv_row row;
		struct ksp_error err;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		for (size_t i = 0; i < n; i++) {
			if (i)
				fputc(rep ? ';' : ',', f);
			ksp_csv_write_field(f, fields[i]);
		}
		fputc('\n', f);
		fclose(f);
		o.delimiter = rep ? ';' : ',';
		CHECK_EQ_INT(ksp_csv_open_mem(&csv, "w.csv", buf, len, &o, &err), KSP_OK);
		if (csv) {
			int rc = ksp_csv_next(csv, &row, &err);

			if (rc)
				printf("  %s\n", err.msg);
			CHECK_EQ_INT(rc, KSP_OK);
			CHECK_EQ_INT(rc ? 0 : row.nfields, n);
			for (size_t i = 0; !rc && i < n && i < row.nfields; i++)
				CHECK_EQ_STR(row.fields[i], fields[i]);
			ksp_csv_free(csv);
		}
		free(buf);
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		double back = 0;

		ksp_format_double(nums[i], num, sizeof(num));
		CHECK_EQ_INT(ksp_parse_double(num, &back), KSP_OK);
		CHECK(back == nums[i]);
	}
	CHECK_EQ_STR(ksp_format_double(74.5, num, sizeof(num)), "74.5");
	CHECK_EQ_STR(ksp_format_double(2151623, num, sizeof(num)), "2151623");
	CHECK_EQ_STR(ksp_format_double(0.1, num, sizeof(num)), "0.1");
}

int main(void)
{
	RUN(basic_lf_crlf_and_end_of_file);
	RUN(empty_inputs);
	RUN(mapped_files);
	RUN(empty_fields_and_spaces_kept);
	RUN(blank_lines_skipped_everywhere);
	RUN(comments_only_before_the_header);
	RUN(quoted_fields_and_escapes);
	RUN(embedded_newlines_and_line_numbers);
	RUN(lone_cr_is_a_line_end);
	RUN(bom_is_dropped);
	RUN(sniffing);
	RUN(fixed_delimiter);
	RUN(utf8_validation);
	RUN(nul_bytes_are_errors);
	RUN(syntax_errors_with_positions);
	RUN(error_state_and_error_null);
	RUN(caps);
	RUN(default_field_cap);
	RUN(rows_reuse_and_grow);
	RUN(strings_stay_valid_until_next);
	RUN(cp1251_conversion);
	RUN(encoding_errors);
	RUN(utf16_with_bom);
	RUN(conversion_caps);
	RUN(open_file_errors);
	RUN(good_files);
	RUN(good_files_all_listed);
	RUN(bad_files);
	RUN(upstream_data_files);
	RUN(parse_double_good);
	RUN(parse_double_bad);
	RUN(parse_int64_good);
	RUN(parse_int64_bad);
	RUN(parse_int_and_double_agree);
	RUN(writer_round_trips);
	return harness_done();
}

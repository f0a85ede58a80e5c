/*
 * csv.c - the strict RFC 4180 reader described in kasip/csv.h.
 *
 * The whole file is read into one buffer (it is capped), converted to UTF-8
 * if needed, and checked once: valid UTF-8, no NUL byte.  After that the
 * buffer ends in a NUL that no field can contain, so the scanning loops need
 * no bounds checks: they stop at a byte marked special in a 256-entry table
 * and the NUL sentinel is one of them.
 *
 * Fields are cut in place: an unquoted field's terminator is overwritten by
 * its NUL, and a quoted field is unescaped towards its start (unescaping only
 * shrinks).  A row therefore costs no copy and no allocation, only three
 * reused arrays of one slot per field.
 *
 * Decisions (documented in csv.h too):
 * - A lone CR ends a line, as LF and CRLF do (old Mac Excel writes CR only;
 *   Python's csv module does the same).  Line numbers count it as a line.
 * - A NUL byte anywhere is an error: it cannot be in a C string field.
 * - Sniffing counts ',' ';' and TAB outside quotes in the first record after
 *   comments and blank lines; the most frequent wins, a tie or none is ','.
 */
#include "kasip/csv.h"
#include "kasip/i18n.h"

#include <fcntl.h>
#include <iconv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xmalloc.h"

struct ksp_csv {
	char *name;
	char *buf; /* owned allocation (malloc, or the mapping when map is set) */
	char *map; /* a UTF-8 file mapped (private): the text is buf, read in place */
	size_t maplen;
	size_t dropped; /* bytes of the mapping given back to the kernel */
	char *p;   /* the UTF-8 text inside buf; p[len] == '\0' */
	size_t len;
	size_t pos; /* where the next record is looked for */
	long line;  /* physical line at pos */
	char delim;
	bool seen_record; /* '#' lines are comments only before the first record */
	int state;        /* KSP_OK while reading, then KSP_DONE or the error code */
	struct ksp_error saved;

	size_t max_field, max_fields, max_row;
	unsigned char plain_stop[256];  /* ends an unquoted field */
	unsigned char quoted_stop[256]; /* interrupts a quoted field */

	/* The row handed out, reused from record to record. */
	char **fields;
	size_t *lens;
	long *field_line;
	size_t alloc;
};

/* ---- errors ---------------------------------------------------------------- */

/*
 * Record an error in the reader (which then stays in that state) and in err.
 * CSV_FAIL() evaluates to the code, so that callers write "return CSV_FAIL(...)";
 * it is a macro so that static analysers, which do not follow variadic
 * calls, still see which status comes back.
 */
static void csv_fail(struct ksp_csv *csv, struct ksp_error *err, int code, long line, long col,
                     const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 6, 7)))
#endif
        ;

#define CSV_FAIL(csv, err, code, line, col, ...)                                                       \
	(csv_fail((csv), (err), (code), (line), (col), __VA_ARGS__), (code))

static void csv_fail(struct ksp_csv *csv, struct ksp_error *err, int code, long line, long col,
                     const char *fmt, ...)
{
	char msg[KSP_ERROR_MSG_SIZE];
	va_list ap;

	/* fmt is a catalogue key (po2c knows CSV_FAIL); po2c checks that every
	 * translation has fmt's conversions, so the translated format is safe. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), ksp_tr(ksp_error_lang(err), fmt), ap);
	va_end(ap);
#pragma GCC diagnostic pop
	ksp_error_use_lang(&csv->saved, ksp_error_lang(err));
	ksp_error_at(&csv->saved, code, csv->name, line, col, NULL, "%s", msg);
	csv->state = code;
	if (err)
		*err = csv->saved;
}

/* ---- a mapped file ------------------------------------------------------------ */

/*
 * A regular UTF-8 file is mapped rather than read: the reader walks it once
 * (the check at open) and then once more (the records), and gives the pages
 * behind it back every DROP_CHUNK bytes, so that its memory does not grow
 * with the file.  The mapping is private: the reader writes into it (field
 * ends, unescaped quotes) without changing the file, and a page given back
 * reads again as the file's.  One anonymous page follows the file's pages,
 * so that text[len] is a readable '\0' whatever the file's length.  (A file
 * cut shorter while it is read would raise SIGBUS: files being written are
 * not imported.)
 */
#define DROP_CHUNK ((size_t)1 << 20)

static size_t page_size(void)
{
	long pg = sysconf(_SC_PAGESIZE);

	return pg > 0 ? (size_t)pg : 4096;
}

static char *map_file(int fd, size_t len, size_t *maplen)
{
	size_t pg = page_size(), filelen = (len + pg - 1) / pg * pg;
	char *base;

	base = mmap(NULL, filelen + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mmap(base, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
		munmap(base, filelen + pg);
		return NULL;
	}
	madvise(base, filelen, MADV_SEQUENTIAL);
	*maplen = filelen + pg;
	return base;
}

/* Give back the mapped pages wholly before upto. */
static void drop_before(struct ksp_csv *csv, const char *upto)
{
	size_t pg = page_size(), end;

	if (!csv->map || upto <= csv->map)
		return;
	end = (size_t)(upto - csv->map) / pg * pg;
	if (end <= csv->dropped)
		return;
	madvise(csv->map + csv->dropped, end - csv->dropped, MADV_DONTNEED);
	csv->dropped = end;
}

static void release_text(struct ksp_csv *csv)
{
	if (csv->map)
		munmap(csv->map, csv->maplen);
	else
		free(csv->buf);
	csv->map = NULL;
	csv->buf = NULL;
}

/* ---- scanning helpers -------------------------------------------------------- */

static bool is_eol(char c)
{
	return c == '\n' || c == '\r';
}

/* Index after the line end at p[i] (CRLF, LF or a lone CR).  p[i + 1] is readable. */
static size_t skip_eol(const char *p, size_t i)
{
	return p[i] == '\r' && p[i + 1] == '\n' ? i + 2 : i + 1;
}

/*
 * Skip blank lines and '#' comment lines from i (the preamble before the
 * header), counting lines into *line when not NULL.  Works on unchecked text.
 */
static size_t skip_preamble(const char *p, size_t len, size_t i, long *line)
{
	while (i < len) {
		if (is_eol(p[i])) {
			i = i + 1 < len ? skip_eol(p, i) : i + 1;
		} else if (p[i] == '#') {
			while (i < len && !is_eol(p[i]))
				i++;
			continue;
		} else {
			break;
		}
		if (line)
			(*line)++;
	}
	return i;
}

/*
 * The delimiter of the first record: the most frequent of ',' ';' TAB outside
 * quotes; a tie or none of them gives ','.  Scans at most limit bytes.
 */
static char sniff(const char *p, size_t len, size_t limit)
{
	size_t i = skip_preamble(p, len, 0, NULL);
	size_t end = len - i > limit ? i + limit : len;
	size_t ncomma = 0, nsemi = 0, ntab = 0;
	bool inq = false;

	for (; i < end; i++) {
		char c = p[i];

		if (c == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (is_eol(c))
			break;
		else if (c == ',')
			ncomma++;
		else if (c == ';')
			nsemi++;
		else if (c == '\t')
			ntab++;
	}
	if (nsemi > ncomma && nsemi > ntab)
		return ';';
	if (ntab > ncomma && ntab > nsemi)
		return '\t';
	return ',';
}

/*
 * Where the byte at off is, for encoding errors found before the records are
 * read: the physical line of that byte and the number of the field it is in
 * (0 in a comment line).  Quotes are followed loosely (each '"' toggles), which
 * is exact for well-formed files.
 */
static void locate(const char *p, size_t off, char delim, long *line, long *col)
{
	size_t i;
	bool inq = false, bol = true, comment = false, seen = false;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		char c = p[i];

		if (is_eol(c)) {
			if (c == '\r' && i + 1 < off && p[i + 1] == '\n')
				continue; /* counted at the LF */
			(*line)++;
			if (!inq) {
				*col = 1;
				bol = true;
				comment = false;
			}
			continue;
		}
		if (bol && !inq) {
			bol = false;
			if (!seen && c == '#')
				comment = true;
			else
				seen = true;
		}
		if (comment)
			continue;
		if (c == '"')
			inq = !inq;
		else if (c == delim && !inq)
			(*col)++;
	}
	if (comment)
		*col = 0;
}

/*
 * Offset of the first byte of s that is not valid UTF-8 (overlong forms,
 * surrogates and code points above U+10FFFF are invalid) or is NUL; len if
 * there is none.  ASCII goes eight bytes at a time.
 */
static size_t utf8_check(const unsigned char *s, size_t len)
{
	const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		unsigned lo = 0x80, hi = 0xBF;
		size_t n, k;

		if (len - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (!(w & high) && !((w - ones) & ~w & high)) {
				i += 8;
				continue;
			}
		}
		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 3;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 4;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return i;
		}
		if (len - i < n)
			return i;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k < n; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return i;
		i += n;
	}
	return len;
}

/* utf8_check() over a mapped text, chunk by chunk, giving back what it has read. */
static size_t utf8_check_mapped(struct ksp_csv *csv)
{
	const unsigned char *s = (const unsigned char *)csv->p;
	size_t len = csv->len, done = 0;

	while (done < len) {
		size_t end = len - done > DROP_CHUNK ? done + DROP_CHUNK : len, bad;

		/* End the chunk before a character's first byte, not inside it. */
		while (end < len && end > done && (s[end] & 0xC0) == 0x80)
			end--;
		if (end == done)
			end = len - done > DROP_CHUNK ? done + DROP_CHUNK : len;
		bad = utf8_check(s + done, end - done);
		if (bad != end - done)
			return done + bad;
		drop_before(csv, csv->p + end);
		done = end;
	}
	csv->dropped = 0; /* the records are read from the start again */
	return len;
}

/* ---- opening ------------------------------------------------------------------- */

static bool is_utf8_name(const char *enc)
{
	return !enc || !*enc || strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0;
}

/*
 * Convert in[0..inlen) from enc to UTF-8 into a fresh buffer with room for the
 * sentinel NUL.  The result may be at most out_cap bytes.
 */
static int convert(struct ksp_csv *csv, const char *enc, const char *in, size_t inlen,
                   size_t out_cap, char **outp, size_t *outlen, struct ksp_error *err)
{
	iconv_t cd;
	char *out = NULL, *ip = (char *)in;
	size_t ileft = inlen, used = 0, room; /* room: usable bytes, one more is allocated */
	int rc = KSP_OK, e;
	bool flushed = false;

	cd = iconv_open("UTF-8", enc);
	if (cd == (iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's own error value */
		return CSV_FAIL(csv, err, KSP_EUSAGE, 0, 0, "unknown encoding \"%s\"", enc);
	/* Cyrillic in CP1251 doubles in UTF-8. */
	room = inlen < (out_cap - 16) / 2 ? inlen * 2 + 16 : out_cap;
	out = ksp_xmalloc(room + 1);
	for (;;) {
		char *op = out + used;
		size_t oleft = room - used;
		size_t r;

		if (!flushed)
			r = iconv(cd, &ip, &ileft, &op, &oleft);
		else
			r = iconv(cd, NULL, NULL, &op, &oleft); /* end a shift state */
		e = errno;
		used = (size_t)(op - out);
		if (r != (size_t)-1) {
			if (flushed)
				break;
			flushed = true;
			continue;
		}
		if (e == E2BIG) {
			if (room >= out_cap) {
				rc = CSV_FAIL(csv, err, KSP_ETOOBIG, 0, 0,
				          "file is larger than %zu bytes after conversion to UTF-8",
				          out_cap);
				goto out;
			}
			room = room > out_cap / 2 ? out_cap : room * 2;
			out = ksp_xrealloc(out, room + 1);
			continue;
		}
		{
			long line, col;
			char delim = csv->delim ? csv->delim : sniff(out, used, csv->max_row);

			locate(out, used, delim, &line, &col);
			if (e == EILSEQ)
				rc = CSV_FAIL(csv, err, KSP_EINVAL, line, col,
				          "invalid byte 0x%02x for encoding \"%s\"",
				          (unsigned char)*ip, enc);
			else
				rc = CSV_FAIL(csv, err, KSP_EINVAL, line, col,
				          "incomplete \"%s\" byte sequence at the end of the file",
				          enc);
		}
		goto out;
	}
	out[used] = '\0';
	*outp = out;
	*outlen = used;
	out = NULL;
out:
	free(out);
	iconv_close(cd);
	return rc;
}

/*
 * Take ownership of raw (rawlen bytes, allocated with one spare byte) and make
 * the reader's text of it: decode, drop the BOM, choose the delimiter, check.
 */
static int csv_setup(struct ksp_csv *csv, char *raw, size_t rawlen,
                     const struct ksp_csv_options *opt, size_t max_file, struct ksp_error *err)
{
	const unsigned char *u = (const unsigned char *)raw;
	const char *enc = opt ? opt->encoding : NULL;
	const char *from = NULL;
	size_t skip = 0, bad;
	int rc;

	csv->buf = raw;
	raw[rawlen] = '\0';
	/* A named encoding must exist even when a BOM makes it moot. */
	if (!is_utf8_name(enc)) {
		iconv_t cd = iconv_open("UTF-8", enc);

		if (cd == (iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's error value */
			return CSV_FAIL(csv, err, KSP_EUSAGE, 0, 0, "unknown encoding \"%s\"", enc);
		iconv_close(cd);
	}
	if (rawlen >= 6 && !memcmp(raw, "\xEF\xBB\xBF\xEF\xBB\xBF", 6))
		return CSV_FAIL(csv, err, KSP_EINVAL, 1, 1,
				"two byte-order marks (BOM) at the start of the file: it was "
				"saved with a BOM twice; remove one");
	if (rawlen >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		skip = 3; /* a UTF-8 BOM wins over the option: as CP1251 it would be "п»ї" */
	} else if (is_utf8_name(enc) && rawlen >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		from = "UTF-16LE"; /* Excel's "Unicode text" */
		skip = 2;
	} else if (is_utf8_name(enc) && rawlen >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		from = "UTF-16BE";
		skip = 2;
	} else if (!is_utf8_name(enc)) {
		from = enc;
	}

	if (from) {
		/* CP1251 at most triples (Cyrillic doubles); 4x leaves room for any charset. */
		size_t cap = max_file > SIZE_MAX / 8 ? SIZE_MAX / 2 : max_file * 4 + 16;
		char *text = NULL;
		size_t len = 0;

		rc = convert(csv, from, raw + skip, rawlen - skip, cap, &text, &len, err);
		if (rc != KSP_OK)
			return rc;
		release_text(csv);
		csv->buf = text;
		csv->p = text;
		csv->len = len;
		if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
			csv->p += 3;
			csv->len -= 3;
		}
	} else {
		csv->p = raw + skip;
		csv->len = rawlen - skip;
	}

	if (!csv->delim)
		csv->delim = sniff(csv->p, csv->len, csv->max_row);

	bad = csv->map ? utf8_check_mapped(csv) : utf8_check((const unsigned char *)csv->p, csv->len);
	if (bad != csv->len) {
		unsigned char c = (unsigned char)csv->p[bad];
		long line, col;

		locate(csv->p, bad, csv->delim, &line, &col);
		if (c == 0)
			return CSV_FAIL(csv, err, KSP_EINVAL, line, col, "NUL byte in the text");
		if (from)
			return CSV_FAIL(csv, err, KSP_EINVAL, line, col, "invalid UTF-8 byte 0x%02x",
			            c);
		return CSV_FAIL(csv, err, KSP_EINVAL, line, col,
		            "invalid UTF-8 byte 0x%02x (if the file is in another encoding "
		            "such as cp1251, give its name)",
		            c);
	}

	memset(csv->plain_stop, 0, sizeof(csv->plain_stop));
	csv->plain_stop[0] = 1;
	csv->plain_stop['"'] = 1;
	csv->plain_stop['\r'] = 1;
	csv->plain_stop['\n'] = 1;
	csv->plain_stop[(unsigned char)csv->delim] = 1;
	memset(csv->quoted_stop, 0, sizeof(csv->quoted_stop));
	csv->quoted_stop[0] = 1;
	csv->quoted_stop['"'] = 1;
	csv->quoted_stop['\r'] = 1;
	csv->quoted_stop['\n'] = 1;
	return KSP_OK;
}

/* Allocate the reader and apply the options that do not need the text. */
static int csv_new(struct ksp_csv **out, const char *name, const struct ksp_csv_options *opt,
                   size_t *max_file, struct ksp_error *err)
{
	struct ksp_csv *csv = ksp_xcalloc(1, sizeof(*csv));
	char d = opt ? opt->delimiter : 0;

	csv->name = ksp_xstrdup(name ? name : "<memory>");
	csv->line = 1;
	csv->max_field = opt && opt->max_field ? opt->max_field : KSP_CSV_MAX_FIELD;
	csv->max_fields = opt && opt->max_fields ? opt->max_fields : KSP_CSV_MAX_FIELDS;
	csv->max_row = opt && opt->max_row ? opt->max_row : KSP_CSV_MAX_ROW;
	*max_file = opt && opt->max_file ? opt->max_file : KSP_CSV_MAX_FILE;
	if (*max_file > SIZE_MAX / 4)
		*max_file = SIZE_MAX / 4; /* room for the arithmetic on it below */
	*out = csv;
	if (d && (d == '"' || d == '\r' || d == '\n' || (unsigned char)d >= 0x80 ||
	          !(ispunct((unsigned char)d) || d == '\t' || d == ' ')))
		return CSV_FAIL(csv, err, KSP_EUSAGE, 0, 0,
		            "the delimiter must be ASCII punctuation, a space or TAB, "
		            "not byte 0x%02x",
		            (unsigned char)d);
	csv->delim = d;
	return KSP_OK;
}

int ksp_csv_open_mem(struct ksp_csv **out, const char *name, const char *buf, size_t len,
                     const struct ksp_csv_options *opt, struct ksp_error *err)
{
	struct ksp_csv *csv;
	size_t max_file;
	char *raw;
	int rc;

	*out = NULL;
	rc = csv_new(&csv, name, opt, &max_file, err);
	if (rc != KSP_OK)
		goto out;
	if (len > max_file) {
		rc = CSV_FAIL(csv, err, KSP_ETOOBIG, 0, 0, "file is larger than %zu bytes", max_file);
		goto out;
	}
	if (!buf && len) {
		rc = CSV_FAIL(csv, err, KSP_EUSAGE, 0, 0, "no buffer");
		goto out;
	}
	raw = ksp_xmalloc(len + 1);
	if (len)
		memcpy(raw, buf, len);
	rc = csv_setup(csv, raw, len, opt, max_file, err);
out:
	if (rc != KSP_OK) {
		ksp_csv_free(csv);
		return rc;
	}
	*out = csv;
	return KSP_OK;
}

/* Read all of fd into a buffer with one spare byte, up to max bytes. */
static int read_all(struct ksp_csv *csv, int fd, const char *path, size_t max, char **outp,
                    size_t *outlen, struct ksp_error *err)
{
	struct stat st;
	size_t alloc, used = 0;
	char *b;
	char ebuf[128];

	if (fstat(fd, &st) != 0)
		goto io_error;
	if (S_ISDIR(st.st_mode))
		return CSV_FAIL(csv, err, KSP_EIO, 0, 0, "cannot read \"%s\": it is a directory", path);
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > (uintmax_t)max)
		return CSV_FAIL(csv, err, KSP_ETOOBIG, 0, 0, "file is larger than %zu bytes", max);
	/* Regular files are read in one go; pipes and the like grow as they come. */
	alloc = S_ISREG(st.st_mode) ? (size_t)st.st_size + 2 : (max < 65536 ? max + 2 : 65536);
	b = ksp_xmalloc(alloc);
	for (;;) {
		ssize_t r;

		if (used + 1 == alloc) {
			if (alloc - 1 > max) {
				free(b);
				return CSV_FAIL(csv, err, KSP_ETOOBIG, 0, 0,
				            "file is larger than %zu bytes", max);
			}
			/* Never more than max + 1 bytes: one past the cap proves it is too big. */
			alloc = alloc - 1 > (max + 1) / 2 ? max + 2 : (alloc - 1) * 2 + 1;
			b = ksp_xrealloc(b, alloc);
		}
		r = read(fd, b + used, alloc - 1 - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(b);
			goto io_error;
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	if (used > max) {
		free(b);
		return CSV_FAIL(csv, err, KSP_ETOOBIG, 0, 0, "file is larger than %zu bytes", max);
	}
	*outp = b;
	*outlen = used;
	return KSP_OK;

io_error:
	if (strerror_r(errno, ebuf, sizeof(ebuf)) != 0)
		snprintf(ebuf, sizeof(ebuf), "error %d", errno);
	return CSV_FAIL(csv, err, KSP_EIO, 0, 0, "cannot read \"%s\": %s", path, ebuf);
}

int ksp_csv_open_file(struct ksp_csv **out, const char *path, const char *name,
                      const struct ksp_csv_options *opt, struct ksp_error *err)
{
	struct ksp_csv *csv;
	size_t max_file, len = 0;
	char *raw = NULL;
	struct stat st;
	int fd = -1, rc;

	*out = NULL;
	rc = csv_new(&csv, name ? name : path, opt, &max_file, err);
	if (rc != KSP_OK)
		goto out;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		char ebuf[128];

		if (strerror_r(errno, ebuf, sizeof(ebuf)) != 0)
			snprintf(ebuf, sizeof(ebuf), "error %d", errno);
		rc = CSV_FAIL(csv, err, KSP_EIO, 0, 0, "cannot open \"%s\": %s", path, ebuf);
		goto out;
	}
	if (is_utf8_name(opt ? opt->encoding : NULL) && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size > 0 && (uintmax_t)st.st_size <= (uintmax_t)max_file) {
		len = (size_t)st.st_size;
		raw = map_file(fd, len, &csv->maplen);
		csv->map = raw;
	}
	if (!raw) {
		rc = read_all(csv, fd, path, max_file, &raw, &len, err);
		if (rc != KSP_OK)
			goto out;
	}
	rc = csv_setup(csv, raw, len, opt, max_file, err);
out:
	if (fd >= 0)
		close(fd);
	if (rc != KSP_OK) {
		ksp_csv_free(csv);
		return rc;
	}
	*out = csv;
	return KSP_OK;
}

/* ---- records ------------------------------------------------------------------- */

static void grow_row(struct ksp_csv *csv, size_t n)
{
	size_t a = csv->alloc;

	KSP_ALLOC_GROW(csv->fields, n, a);
	if (a != csv->alloc) {
		csv->lens = ksp_xreallocarray(csv->lens, a, sizeof(*csv->lens));
		csv->field_line = ksp_xreallocarray(csv->field_line, a, sizeof(*csv->field_line));
		csv->alloc = a;
	}
}

int ksp_csv_next(struct ksp_csv *csv, struct ksp_csv_row *row, struct ksp_error *err)
{
	char *p = csv->p;
	const unsigned char *plain = csv->plain_stop, *quoted = csv->quoted_stop;
	const char delim = csv->delim;
	size_t r, nf = 0, row_start;
	long rec_line;

	row->nfields = 0;
	row->line = 0;
	if (csv->state != KSP_OK) {
		if (csv->state != KSP_DONE && err)
			*err = csv->saved;
		return csv->state;
	}

	/* The rows before this one are no longer needed. */
	if (csv->map && csv->pos >= csv->dropped + DROP_CHUNK)
		drop_before(csv, p + csv->pos);

	/* Blank lines anywhere, and comment lines before the header. */
	r = csv->pos;
	for (;;) {
		if (is_eol(p[r])) {
			r = skip_eol(p, r);
			csv->line++;
		} else if (p[r] == '#' && !csv->seen_record) {
			r += strcspn(p + r, "\r\n");
		} else {
			break;
		}
	}
	if (r >= csv->len) {
		csv->pos = csv->len;
		csv->state = KSP_DONE;
		return KSP_DONE;
	}
	csv->seen_record = true;
	rec_line = csv->line;
	row_start = r;

	for (;;) {
		long fline = csv->line;
		size_t start, len;
		char c;

		if (nf == csv->max_fields)
			return CSV_FAIL(csv, err, KSP_ETOOBIG, rec_line, (long)nf + 1,
			            "record has more than %zu fields", csv->max_fields);
		if (nf == csv->alloc)
			grow_row(csv, nf + 1);

		if (p[r] == '"') {
			/* Unescape towards the start: w (write) never passes s (chunk start). */
			size_t w, s;

			start = w = s = ++r;
			for (;;) {
				while (!quoted[(unsigned char)p[r]])
					r++;
				c = p[r];
				if (c == '"') {
					if (w != s)
						memmove(p + w, p + s, r - s);
					w += r - s;
					if (p[r + 1] != '"') {
						r++;
						break;
					}
					p[w++] = '"';
					r += 2;
					s = r;
				} else if (c == '\0') {
					return CSV_FAIL(csv, err, KSP_EINVAL, fline, (long)nf + 1,
					            "unterminated quoted field starting here");
				} else {
					/* A line end inside quotes is data; count the line. */
					r = skip_eol(p, r);
					csv->line++;
				}
			}
			c = p[r];
			if (c != delim && !is_eol(c) && c != '\0')
				return CSV_FAIL(csv, err, KSP_EINVAL, fline, (long)nf + 1,
				            "text after the closing quote of a quoted field");
			len = w - start;
			p[w] = '\0';
		} else {
			start = r;
			while (!plain[(unsigned char)p[r]])
				r++;
			c = p[r];
			if (c == '"')
				return CSV_FAIL(csv, err, KSP_EINVAL, fline, (long)nf + 1,
				            "quote inside an unquoted field (quote the whole "
				            "field and double the quote)");
			len = r - start;
			p[r] = '\0';
		}

		if (len > csv->max_field)
			return CSV_FAIL(csv, err, KSP_ETOOBIG, fline, (long)nf + 1,
			            "field %zu is longer than %zu bytes", nf + 1, csv->max_field);
		if (r - row_start > csv->max_row)
			return CSV_FAIL(csv, err, KSP_ETOOBIG, rec_line, (long)nf + 1,
			            "record is longer than %zu bytes", csv->max_row);
		csv->fields[nf] = p + start;
		csv->lens[nf] = len;
		csv->field_line[nf] = fline;
		nf++;

		/* c is the byte after the field, which p[r] may no longer hold. */
		if (c == delim) {
			r++;
			continue;
		}
		if (c == '\r' || c == '\n') {
			r += c == '\r' && p[r + 1] == '\n' ? 2 : 1;
			csv->line++;
		} else if (r != csv->len) {
			/* open rejected every NUL: going on would loop on empty records */
			return CSV_FAIL(csv, err, KSP_EINTERNAL, fline, (long)nf,
			            "NUL byte in the text");
		}
		break;
	}

	csv->pos = r;
	row->nfields = nf;
	row->fields = csv->fields;
	row->lens = csv->lens;
	row->line = rec_line;
	row->field_line = csv->field_line;
	return KSP_OK;
}

/* ---- accessors ---------------------------------------------------------------- */

char ksp_csv_delimiter(const struct ksp_csv *csv)
{
	return csv->delim ? csv->delim : ',';
}

const char *ksp_csv_name(const struct ksp_csv *csv)
{
	return csv->name;
}

void ksp_csv_free(struct ksp_csv *csv)
{
	if (!csv)
		return;
	free(csv->name);
	release_text(csv);
	free(csv->fields);
	free(csv->lens);
	free(csv->field_line);
	free(csv);
}

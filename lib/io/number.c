/*
 * number.c - numbers as people type them in CSV files (see kasip/csv.h).
 *
 * The text is first split into a sign, the digits of the integer part, the
 * digits of the fraction and an exponent, deciding which of '.' and ',' is the
 * decimal separator; only then is it converted.  Nothing here depends on the
 * locale: the digits go to strtod() as "DDDDe-N", a string with no radix
 * character, which every locale reads the same way.
 */
#include "kasip/csv.h"

#include <float.h>

/* Longest text (after trimming blanks) we accept as a number. */
#define NUM_MAX_TEXT 255

enum sep_kind { SEP_NONE = 0, SEP_SPACE, SEP_DOT, SEP_COMMA };

struct num {
	bool neg;
	char digits[NUM_MAX_TEXT + 1]; /* integer then fraction digits, no separators */
	size_t nint;                   /* digits of the integer part */
	size_t nfrac;                  /* digits of the fraction */
	bool has_dec;
	bool has_exp;
	long exp; /* clamped to +-100000: beyond that the result is 0 or too big anyway */
};

/* Length of a blank at s (space, TAB, U+00A0, U+202F), or 0. */
static size_t blank_len(const unsigned char *s, const unsigned char *end)
{
	if (s >= end)
		return 0;
	if (s[0] == ' ' || s[0] == '\t')
		return 1;
	if (end - s >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (end - s >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF)
		return 3;
	return 0;
}

/* Length of a blank that ends just before end, or 0. */
static size_t blank_len_back(const unsigned char *start, const unsigned char *end)
{
	if (end - start >= 1 && (end[-1] == ' ' || end[-1] == '\t'))
		return 1;
	if (end - start >= 2 && end[-2] == 0xC2 && end[-1] == 0xA0)
		return 2;
	if (end - start >= 3 && end[-3] == 0xE2 && end[-2] == 0x80 && end[-1] == 0xAF)
		return 3;
	return 0;
}

/*
 * Split s into *n.  allow_exp: accept an exponent ("1,5E+3").
 * The mantissa is read as digit runs separated by single separators; then
 * the decimal separator is decided (the only '.' or ',' when there is one of
 * them once, the last of the two kinds when both appear) and the remaining
 * separators must group thousands: a first run of 1-3 digits, then runs of
 * exactly 3.
 */
static int num_split(const char *s, struct num *n, bool allow_exp)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + strlen(s);
	size_t runlen[NUM_MAX_TEXT + 1];
	enum sep_kind sep[NUM_MAX_TEXT + 1]; /* sep[i] follows run i */
	size_t nruns = 0, ndig = 0, b, i, ndot = 0, ncomma = 0, nspace = 0;
	size_t dec_at = SIZE_MAX; /* index of the separator that is the decimal one */
	enum sep_kind dec = SEP_NONE, group = SEP_NONE;

	n->neg = false;
	n->nint = n->nfrac = 0;
	n->has_dec = n->has_exp = false;
	n->exp = 0;
	while ((b = blank_len(p, end)) != 0)
		p += b;
	while ((b = blank_len_back(p, end)) != 0)
		end -= b;
	if (p == end || end - p > NUM_MAX_TEXT)
		return KSP_EINVAL;
	if (*p == '+' || *p == '-') {
		n->neg = *p == '-';
		p++;
	}

	/* The mantissa: digit runs and the separators between them. */
	runlen[0] = 0;
	while (p < end) {
		enum sep_kind k;

		if (*p >= '0' && *p <= '9') {
			n->digits[ndig++] = (char)*p++;
			runlen[nruns]++;
			continue;
		}
		if (*p == '.') {
			k = SEP_DOT;
			ndot++;
			b = 1;
		} else if (*p == ',') {
			k = SEP_COMMA;
			ncomma++;
			b = 1;
		} else if ((b = blank_len(p, end)) != 0) {
			k = SEP_SPACE;
			nspace++;
		} else {
			break;
		}
		sep[nruns++] = k;
		runlen[nruns] = 0;
		p += b;
	}
	sep[nruns] = SEP_NONE;
	nruns++;
	if (ndig == 0)
		return KSP_EINVAL;

	/* Which separator is the decimal one, which one groups thousands. */
	if (ndot && ncomma) {
		size_t last = SIZE_MAX;

		for (i = 0; i + 1 < nruns; i++)
			if (sep[i] == SEP_DOT || sep[i] == SEP_COMMA)
				last = i;
		dec = sep[last];
		group = dec == SEP_DOT ? SEP_COMMA : SEP_DOT;
		if ((dec == SEP_DOT ? ndot : ncomma) != 1 || nspace)
			return KSP_EINVAL;
		dec_at = last;
	} else if (ndot + ncomma == 1) {
		dec = ndot ? SEP_DOT : SEP_COMMA;
		group = nspace ? SEP_SPACE : SEP_NONE;
		for (i = 0; i + 1 < nruns; i++)
			if (sep[i] == dec)
				dec_at = i;
	} else if (ndot + ncomma > 1) {
		if (nspace)
			return KSP_EINVAL;
		group = ndot ? SEP_DOT : SEP_COMMA;
	} else {
		group = nspace ? SEP_SPACE : SEP_NONE;
	}

	/* The decimal separator, if any, is the last separator. */
	if (dec != SEP_NONE) {
		if (dec_at != nruns - 2)
			return KSP_EINVAL;
		n->has_dec = true;
		n->nfrac = runlen[nruns - 1];
		if (n->nfrac == 0)
			return KSP_EINVAL; /* "5," */
	}
	n->nint = ndig - n->nfrac;

	/* Thousands groups: runs 0 .. nint_runs-1 with group separators between. */
	{
		size_t nint_runs = dec != SEP_NONE ? nruns - 1 : nruns;

		if (nint_runs > 1) {
			if (runlen[0] < 1 || runlen[0] > 3)
				return KSP_EINVAL;
			for (i = 1; i < nint_runs; i++)
				if (runlen[i] != 3 || sep[i - 1] != group)
					return KSP_EINVAL;
		} else if (dec == SEP_NONE && runlen[0] == 0) {
			return KSP_EINVAL;
		}
	}

	/* The exponent. */
	if (p < end) {
		long e = 0;
		bool eneg = false;

		if (!allow_exp || (*p != 'e' && *p != 'E'))
			return KSP_EINVAL;
		p++;
		if (p < end && (*p == '+' || *p == '-')) {
			eneg = *p == '-';
			p++;
		}
		if (p == end)
			return KSP_EINVAL;
		for (; p < end; p++) {
			if (*p < '0' || *p > '9')
				return KSP_EINVAL;
			if (e < 100000)
				e = e * 10 + (*p - '0');
		}
		n->has_exp = true;
		n->exp = eneg ? -e : e;
	}
	n->digits[ndig] = '\0';
	return KSP_OK;
}

int ksp_parse_int64(const char *s, long long *out)
{
	struct num n;
	unsigned long long v = 0, limit;
	size_t i;

	if (!s || num_split(s, &n, false) != KSP_OK || n.has_dec)
		return KSP_EINVAL;
	limit = n.neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	for (i = 0; i < n.nint; i++) {
		unsigned d = (unsigned)(n.digits[i] - '0');

		if (v > (limit - d) / 10)
			return KSP_EINVAL;
		v = v * 10 + d;
	}
	if (n.neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
	else
		*out = (long long)v;
	return KSP_OK;
}

/* Exactly representable powers of ten (10^22 < 2^53 * 2^22 is the last exact one). */
static const double pow10_exact[] = {
        1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

int ksp_parse_double(const char *s, double *out)
{
	struct num n;
	const char *d;
	size_t nd;
	long e;
	double v;

	if (!s || num_split(s, &n, true) != KSP_OK)
		return KSP_EINVAL;

	/* Significant digits d[0..nd) times 10^e. */
	d = n.digits;
	nd = n.nint + n.nfrac;
	e = n.exp - (long)n.nfrac;
	while (nd && *d == '0') {
		d++;
		nd--;
	}
	while (nd && d[nd - 1] == '0') {
		nd--;
		e++;
	}
	if (nd == 0) {
		*out = 0.0; /* "-0" is 0 too: a sign on zero means nothing in a table */
		return KSP_OK;
	}

#if FLT_EVAL_METHOD == 0
	/*
	 * Clinger's fast path: a mantissa below 2^53 and a power of ten up to
	 * 10^22 are both exact, so one IEEE multiplication or division gives the
	 * correctly rounded result.  This covers almost every number in a table.
	 */
	if (nd <= 15 && e >= -22 && e <= 22) {
		unsigned long long m = 0;
		size_t i;

		for (i = 0; i < nd; i++)
			m = m * 10 + (unsigned)(d[i] - '0');
		v = e >= 0 ? (double)m * pow10_exact[e] : (double)m / pow10_exact[-e];
		*out = n.neg ? -v : v;
		return KSP_OK;
	}
#endif
	{
		/* "DDDDe-N": no radix character, so strtod reads it the same in any locale. */
		char buf[NUM_MAX_TEXT + 32];
		char *endp;
		int w;

		w = snprintf(buf, sizeof(buf), "%s%.*se%ld", n.neg ? "-" : "", (int)nd, d, e);
		if (w < 0 || (size_t)w >= sizeof(buf))
			return KSP_EINVAL;
		errno = 0;
		v = strtod(buf, &endp);
		if (*endp != '\0' || isinf(v) || isnan(v))
			return KSP_EINVAL;
		/* ERANGE on underflow leaves 0 or a subnormal: close enough, accept it. */
		*out = v == 0.0 ? 0.0 : v;
	}
	return KSP_OK;
}

/*
 * svg.c - the small SVG writer (see render/svg.h).
 */
#include "render/svg.h"

#include "util/strbuf.h"

/* ---- text ---------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		n = 2, cp = s[0] & 0x1Fu;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		n = 3, cp = s[0] & 0x0Fu;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		n = 4, cp = s[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3Fu);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void ksp_svg_escape(struct ksp_strbuf *sb, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");

	while (*p) {
		size_t n = utf8_seq(p);

		if (!n) {
			ksp_strbuf_addstr(sb, "\xEF\xBF\xBD");
			p++;
			continue;
		}
		if (n > 1) {
			ksp_strbuf_add(sb, p, n);
			p += n;
			continue;
		}
		switch (*p) {
		case '&': ksp_strbuf_addstr(sb, "&amp;"); break;
		case '<': ksp_strbuf_addstr(sb, "&lt;"); break;
		case '>': ksp_strbuf_addstr(sb, "&gt;"); break;
		case '"': ksp_strbuf_addstr(sb, "&quot;"); break;
		case '\'': ksp_strbuf_addstr(sb, "&#39;"); break;
		default:
			if (*p >= 0x20 || *p == '\t' || *p == '\n')
				ksp_strbuf_addch(sb, *p);
		}
		p++;
	}
}

void ksp_svg_num(struct ksp_strbuf *sb, double v, int decimals)
{
	static const double pow10[] = { 1, 10, 100, 1e3, 1e4, 1e5, 1e6 };
	char digits[32];
	long long n;
	unsigned long long u;
	int len = 0;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (!isfinite(v))
		v = 0;
	/* Beyond 1e15 units the page is broken anyway; clamp rather than overflow. */
	if (v > 1e15)
		v = 1e15;
	if (v < -1e15)
		v = -1e15;
	/* Scaled integer arithmetic: no locale, no "-0", exact rounding half away from zero. */
	n = llround(v * pow10[decimals]);
	if (n == 0) {
		ksp_strbuf_addch(sb, '0');
		return;
	}
	if (n < 0)
		ksp_strbuf_addch(sb, '-');
	u = n < 0 ? (unsigned long long)(-(n + 1)) + 1u : (unsigned long long)n;
	while (u || len <= decimals) {
		digits[len++] = (char)('0' + u % 10);
		u /= 10;
	}
	/* digits[] holds the number backwards; digits[0..decimals-1] are the fraction. */
	{
		int lo = 0;

		while (lo < decimals && digits[lo] == '0')
			lo++;
		for (int i = len - 1; i >= decimals; i--)
			ksp_strbuf_addch(sb, digits[i]);
		if (lo < decimals) {
			ksp_strbuf_addch(sb, '.');
			for (int i = decimals - 1; i >= lo; i--)
				ksp_strbuf_addch(sb, digits[i]);
		}
	}
}

size_t ksp_utf8_len(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

/* Relative width of one character in em (a typical system sans-serif). */
static double char_em(const unsigned char *p)
{
	unsigned c = *p;

	if (c < 0x80) {
		if (c == ' ' || c == '.' || c == ',' || c == ':' || c == ';' || c == '\'' || c == '|' ||
		    c == 'i' || c == 'l' || c == 'j' || c == '!' || c == 'I')
			return 0.31;
		if (c == 'f' || c == 't' || c == 'r' || c == '(' || c == ')' || c == '-' || c == '/')
			return 0.40;
		if (c >= '0' && c <= '9')
			return 0.62;
		if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '%')
			return 0.92;
		if (c >= 'A' && c <= 'Z')
			return 0.72;
		return 0.61;
	}
	/* Cyrillic: capitals and ж, ш, щ, ю, м, ы are wide. */
	if ((c == 0xD0 || c == 0xD1) && p[1]) {
		unsigned cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);

		if (cp >= 0x410 && cp <= 0x42F)
			return 0.74;
		if (cp == 0x436 || cp == 0x448 || cp == 0x449 || cp == 0x44E || cp == 0x43C ||
		    cp == 0x44B)
			return 0.86;
		return 0.62;
	}
	if (c == 0xE2 && p[1] == 0x80 && p[2] == 0xA6) /* ellipsis */
		return 1.0;
	return 0.66;
}

double ksp_svg_text_width(const char *text, double size)
{
	double em = 0;

	for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++)
		if ((*p & 0xC0) != 0x80)
			em += char_em(p);
	return em * size;
}

int ksp_svg_fit_text(const char *text, double size, double max_width, char *buf, size_t bufsize)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	double ell = 1.0 * size, w = 0;
	size_t keep = 0, len = strlen((const char *)p);

	if (!bufsize)
		return 0;
	if (ksp_svg_text_width((const char *)p, size) <= max_width && len < bufsize) {
		memcpy(buf, p, len + 1);
		return 0;
	}
	/* Keep whole characters while they and the ellipsis fit. */
	for (size_t i = 0; p[i];) {
		size_t n = utf8_seq(p + i);
		double cw;

		if (!n)
			n = 1;
		cw = char_em(p + i) * size;
		if (w + cw + ell > max_width || i + n + 4 > bufsize)
			break;
		w += cw;
		i += n;
		keep = i;
	}
	/* Do not end on a space before the ellipsis. */
	while (keep && p[keep - 1] == ' ')
		keep--;
	memcpy(buf, p, keep);
	memcpy(buf + keep, "\xE2\x80\xA6", 4);
	return 1;
}

/* ---- the document -------------------------------------------------------- */

static void attrs_add(struct ksp_svg *s, const char *attrs)
{
	if (attrs && *attrs) {
		ksp_strbuf_addch(s->out, ' ');
		ksp_strbuf_addstr(s->out, attrs);
	}
}

static void num(struct ksp_svg *s, double v)
{
	ksp_svg_num(s->out, v, s->decimals);
}

/* Close an element that may carry a <title> child. */
static void close_titled(struct ksp_svg *s, const char *tag, const char *title)
{
	if (title && *title) {
		ksp_strbuf_addstr(s->out, "><title>");
		ksp_svg_escape(s->out, title);
		ksp_strbuf_addf(s->out, "</title></%s>\n", tag);
	} else {
		ksp_strbuf_addstr(s->out, "/>\n");
	}
}

void ksp_svg_begin(struct ksp_svg *s, struct ksp_strbuf *out, double width, double height,
		   const char *css_class, const char *label)
{
	if (!s->decimals)
		s->decimals = 1;
	s->out = out;
	ksp_strbuf_addstr(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
	num(s, width);
	ksp_strbuf_addch(out, ' ');
	num(s, height);
	ksp_strbuf_addstr(out, "\" width=\"");
	num(s, width);
	ksp_strbuf_addstr(out, "\" height=\"");
	num(s, height);
	ksp_strbuf_addstr(out, "\" role=\"img\"");
	if (css_class && *css_class) {
		ksp_strbuf_addstr(out, " class=\"");
		ksp_svg_escape(out, css_class);
		ksp_strbuf_addch(out, '"');
	}
	if (label && *label) {
		ksp_strbuf_addstr(out, " aria-label=\"");
		ksp_svg_escape(out, label);
		ksp_strbuf_addstr(out, "\">\n<title>");
		ksp_svg_escape(out, label);
		ksp_strbuf_addstr(out, "</title>\n");
	} else {
		ksp_strbuf_addstr(out, ">\n");
	}
}

void ksp_svg_end(struct ksp_svg *s)
{
	ksp_strbuf_addstr(s->out, "</svg>\n");
}

void ksp_svg_group_begin(struct ksp_svg *s, const char *attrs)
{
	ksp_strbuf_addstr(s->out, "<g");
	attrs_add(s, attrs);
	ksp_strbuf_addstr(s->out, ">\n");
}

void ksp_svg_group_end(struct ksp_svg *s)
{
	ksp_strbuf_addstr(s->out, "</g>\n");
}

void ksp_svg_title(struct ksp_svg *s, const char *text)
{
	ksp_strbuf_addstr(s->out, "<title>");
	ksp_svg_escape(s->out, text);
	ksp_strbuf_addstr(s->out, "</title>\n");
}

/* ---- shapes -------------------------------------------------------------- */

void ksp_svg_rect(struct ksp_svg *s, double x, double y, double w, double h, const char *attrs,
		  const char *title)
{
	if (w < 0)
		x += w, w = -w;
	if (h < 0)
		y += h, h = -h;
	ksp_strbuf_addstr(s->out, "<rect x=\"");
	num(s, x);
	ksp_strbuf_addstr(s->out, "\" y=\"");
	num(s, y);
	ksp_strbuf_addstr(s->out, "\" width=\"");
	num(s, w);
	ksp_strbuf_addstr(s->out, "\" height=\"");
	num(s, h);
	ksp_strbuf_addch(s->out, '"');
	attrs_add(s, attrs);
	close_titled(s, "rect", title);
}

void ksp_svg_line(struct ksp_svg *s, double x1, double y1, double x2, double y2, const char *attrs)
{
	ksp_strbuf_addstr(s->out, "<line x1=\"");
	num(s, x1);
	ksp_strbuf_addstr(s->out, "\" y1=\"");
	num(s, y1);
	ksp_strbuf_addstr(s->out, "\" x2=\"");
	num(s, x2);
	ksp_strbuf_addstr(s->out, "\" y2=\"");
	num(s, y2);
	ksp_strbuf_addch(s->out, '"');
	attrs_add(s, attrs);
	ksp_strbuf_addstr(s->out, "/>\n");
}

void ksp_svg_circle(struct ksp_svg *s, double cx, double cy, double r, const char *attrs,
		    const char *title)
{
	ksp_strbuf_addstr(s->out, "<circle cx=\"");
	num(s, cx);
	ksp_strbuf_addstr(s->out, "\" cy=\"");
	num(s, cy);
	ksp_strbuf_addstr(s->out, "\" r=\"");
	num(s, r);
	ksp_strbuf_addch(s->out, '"');
	attrs_add(s, attrs);
	close_titled(s, "circle", title);
}

static void points(struct ksp_svg *s, const double *xy, size_t n)
{
	int first = 1;

	for (size_t i = 0; i < n; i++) {
		if (isnan(xy[2 * i]) || isnan(xy[2 * i + 1]))
			continue;
		if (!first)
			ksp_strbuf_addch(s->out, ' ');
		first = 0;
		num(s, xy[2 * i]);
		ksp_strbuf_addch(s->out, ',');
		num(s, xy[2 * i + 1]);
	}
}

void ksp_svg_polyline(struct ksp_svg *s, const double *xy, size_t n, const char *attrs)
{
	ksp_strbuf_addstr(s->out, "<polyline points=\"");
	points(s, xy, n);
	ksp_strbuf_addch(s->out, '"');
	attrs_add(s, attrs);
	ksp_strbuf_addstr(s->out, "/>\n");
}

void ksp_svg_polygon(struct ksp_svg *s, const double *xy, size_t n, const char *attrs,
		     const char *title)
{
	ksp_strbuf_addstr(s->out, "<polygon points=\"");
	points(s, xy, n);
	ksp_strbuf_addch(s->out, '"');
	attrs_add(s, attrs);
	close_titled(s, "polygon", title);
}

void ksp_svg_text(struct ksp_svg *s, double x, double y, const char *anchor, const char *attrs,
		  const char *text)
{
	ksp_strbuf_addstr(s->out, "<text x=\"");
	num(s, x);
	ksp_strbuf_addstr(s->out, "\" y=\"");
	num(s, y);
	ksp_strbuf_addch(s->out, '"');
	if (anchor && strcmp(anchor, "start"))
		ksp_strbuf_addf(s->out, " text-anchor=\"%s\"", anchor);
	attrs_add(s, attrs);
	ksp_strbuf_addch(s->out, '>');
	ksp_svg_escape(s->out, text);
	ksp_strbuf_addstr(s->out, "</text>\n");
}

void ksp_svg_path_begin(struct ksp_svg *s)
{
	ksp_strbuf_addstr(s->out, "<path d=\"");
}

static void path_cmd(struct ksp_svg *s, char cmd, double x, double y)
{
	struct ksp_strbuf *o = s->out;
	char prev = o->len ? o->buf[o->len - 1] : 0;

	/* After '"' (start) or 'Z' no separator is needed. */
	if (prev != '"' && prev != 'Z')
		ksp_strbuf_addch(o, ' ');
	ksp_strbuf_addch(o, cmd);
	num(s, x);
	ksp_strbuf_addch(o, ' ');
	num(s, y);
}

void ksp_svg_path_moveto(struct ksp_svg *s, double x, double y)
{
	path_cmd(s, 'M', x, y);
}

void ksp_svg_path_lineto(struct ksp_svg *s, double x, double y)
{
	path_cmd(s, 'L', x, y);
}

void ksp_svg_path_close(struct ksp_svg *s)
{
	ksp_strbuf_addch(s->out, 'Z');
}

void ksp_svg_path_end(struct ksp_svg *s, const char *attrs, const char *title)
{
	ksp_strbuf_addch(s->out, '"');
	attrs_add(s, attrs);
	close_titled(s, "path", title);
}

void ksp_svg_path_ring(struct ksp_svg *s, const double *xy, size_t n)
{
	if (n < 2)
		return;
	ksp_svg_path_moveto(s, xy[0], xy[1]);
	for (size_t i = 1; i < n; i++)
		ksp_svg_path_lineto(s, xy[2 * i], xy[2 * i + 1]);
	ksp_svg_path_close(s);
}

/* ---- scales -------------------------------------------------------------- */

double ksp_nice_ticks(double lo, double hi, int target, double *first, int *count, int *decimals)
{
	double span, raw, mag, norm, step, f, l;
	int dec, n;

	if (!isfinite(lo) || !isfinite(hi))
		lo = 0, hi = 1;
	if (lo > hi) {
		double t = lo;

		lo = hi, hi = t;
	}
	if (hi - lo < 1e-12 * (fabs(lo) + fabs(hi)) || hi == lo) {
		double d = lo == 0 ? 1 : fabs(lo) * 0.1;

		lo -= d, hi += d;
	}
	if (target < 2)
		target = 2;
	if (target > 20)
		target = 20;
	span = hi - lo;
	raw = span / target;
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
	/* A small epsilon so that lo = 3 * step does not become 2.999... */
	f = floor(lo / step + 1e-9) * step;
	l = ceil(hi / step - 1e-9) * step;
	n = (int)llround((l - f) / step) + 1;
	dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (first)
		*first = f;
	if (count)
		*count = n;
	if (decimals)
		*decimals = dec;
	return step;
}

const unsigned ksp_palette_surplus_shortage[7] = {
	0x2166ac, 0x67a9cf, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xef8a62, 0xb2182b,
};

void ksp_colour_at(const struct ksp_colour_scale *sc, double v, char hex[8])
{
	double t, pos;
	int i;
	unsigned a, b, rgb = 0;

	if (isnan(v) || !sc || sc->nstops < 1) {
		memcpy(hex, KSP_COLOUR_NODATA, 8);
		return;
	}
	if (sc->diverging) {
		if (v <= sc->mid)
			t = sc->mid > sc->lo ? 0.5 * (v - sc->lo) / (sc->mid - sc->lo) : 0.5;
		else
			t = sc->hi > sc->mid ? 0.5 + 0.5 * (v - sc->mid) / (sc->hi - sc->mid) : 0.5;
	} else {
		t = sc->hi > sc->lo ? (v - sc->lo) / (sc->hi - sc->lo) : 0.5;
	}
	if (t < 0)
		t = 0;
	if (t > 1)
		t = 1;
	pos = t * (sc->nstops - 1);
	i = (int)floor(pos);
	if (i >= sc->nstops - 1)
		i = sc->nstops - 2 < 0 ? 0 : sc->nstops - 2;
	a = sc->stops[i];
	b = sc->nstops > 1 ? sc->stops[i + 1] : a;
	pos -= i;
	for (int sh = 16; sh >= 0; sh -= 8) {
		double ca = (a >> sh) & 0xFF, cb = (b >> sh) & 0xFF;
		unsigned c = (unsigned)lround(ca + (cb - ca) * pos);

		rgb |= c << sh;
	}
	snprintf(hex, 8, "#%06x", rgb & 0xFFFFFFu);
}

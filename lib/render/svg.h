/*
 * render/svg.h - a small SVG writer for the printable outputs (internal).
 *
 * The atlas draws its charts and its map as inline SVG inside one HTML
 * file, so the writer appends to a ksp_strbuf and never touches a file.
 * Every coordinate goes through ksp_svg_num() with a fixed number of
 * decimals (struct ksp_svg.decimals): the output does not depend on the
 * C locale, "-0" never appears, and trailing zeros are dropped, so that
 * the same figures give the same bytes (golden files) and a page stays
 * small.  Text is escaped for XML; element attributes passed as `attrs`
 * are written verbatim and must come from code, never from data.
 *
 * Nothing here allocates except the output buffer; nothing can fail.
 * Thread-safe: no global state.
 */
#ifndef KSP_RENDER_SVG_H
#define KSP_RENDER_SVG_H

#include <stddef.h>

#include "util/strbuf.h"

struct ksp_svg {
	struct ksp_strbuf *out; /* not owned */
	int decimals;           /* of every coordinate, 1..6 (0 is taken as 1) */
};

/* ---- text ---------------------------------------------------------------- */

/*
 * Append text escaped for XML character data and attribute values
 * (& < > " ').  Bytes below 0x20 other than TAB and LF are dropped (they
 * are not allowed in XML 1.0); invalid UTF-8 is replaced by U+FFFD.
 */
void ksp_svg_escape(struct ksp_strbuf *sb, const char *text);

/*
 * Append v with at most `decimals` decimals (0..6), '.' as the separator,
 * trailing zeros and a bare '.' removed, "-0" written "0".  NaN and
 * infinities are written "0": SVG has no way to say them.
 */
void ksp_svg_num(struct ksp_strbuf *sb, double v, int decimals);

/* Code points in a UTF-8 string (continuation bytes not counted). */
size_t ksp_utf8_len(const char *s);

/*
 * An estimate of the width of text in px at font size `size` in a system
 * sans-serif, erring wide (DejaVu Sans, the common Linux fallback, is
 * wide): about 0.6 em a character, narrower for spaces and punctuation,
 * wider for capitals.  Good enough to decide what fits.
 */
double ksp_svg_text_width(const char *text, double size);

/*
 * Copy text into buf, cut so that its estimated width at font size `size`
 * is at most max_width, ending with an ellipsis (U+2026) when cut, on a
 * UTF-8 character boundary.  Returns 1 when the text was cut, 0 otherwise.
 */
int ksp_svg_fit_text(const char *text, double size, double max_width, char *buf, size_t bufsize);

/* ---- the document -------------------------------------------------------- */

/*
 * Open an <svg> of width x height user units with a viewBox, so that it
 * scales with its container (CSS max-width: 100%).  label, when not NULL,
 * becomes aria-label and the first <title>.  The root has role="img".
 */
void ksp_svg_begin(struct ksp_svg *s, struct ksp_strbuf *out, double width, double height,
		   const char *css_class, const char *label);
void ksp_svg_end(struct ksp_svg *s);

/* <g attrs>...</g>; attrs may be NULL. */
void ksp_svg_group_begin(struct ksp_svg *s, const char *attrs);
void ksp_svg_group_end(struct ksp_svg *s);

/* A <title> child: the tooltip of the enclosing element. */
void ksp_svg_title(struct ksp_svg *s, const char *text);

/* ---- shapes (attrs may be NULL; title, when not NULL, adds a tooltip) ------ */

void ksp_svg_rect(struct ksp_svg *s, double x, double y, double w, double h, const char *attrs,
		  const char *title);
void ksp_svg_line(struct ksp_svg *s, double x1, double y1, double x2, double y2, const char *attrs);
void ksp_svg_circle(struct ksp_svg *s, double cx, double cy, double r, const char *attrs,
		    const char *title);
/* xy holds n points as x0,y0,x1,y1,...; points with a NaN coordinate are skipped. */
void ksp_svg_polyline(struct ksp_svg *s, const double *xy, size_t n, const char *attrs);
void ksp_svg_polygon(struct ksp_svg *s, const double *xy, size_t n, const char *attrs,
		     const char *title);

/*
 * Text at (x, y) (the baseline); anchor is "start", "middle" or "end" (NULL
 * is start).  The text is escaped.
 */
void ksp_svg_text(struct ksp_svg *s, double x, double y, const char *anchor, const char *attrs,
		  const char *text);

/*
 * Path data: ksp_svg_path_begin() opens <path d=", then moveto/lineto
 * append absolute commands ("M1 2 L3 4"), close appends Z, and
 * ksp_svg_path_end() closes the attribute and the element with attrs and
 * an optional tooltip.
 */
void ksp_svg_path_begin(struct ksp_svg *s);
void ksp_svg_path_moveto(struct ksp_svg *s, double x, double y);
void ksp_svg_path_lineto(struct ksp_svg *s, double x, double y);
void ksp_svg_path_close(struct ksp_svg *s);
void ksp_svg_path_end(struct ksp_svg *s, const char *attrs, const char *title);

/* Append the points of a ring to the open path: M x y L ... Z. */
void ksp_svg_path_ring(struct ksp_svg *s, const double *xy, size_t n);

/* ---- scales -------------------------------------------------------------- */

/*
 * "Nice" axis ticks for [lo, hi] aiming at about `target` ticks (2..20):
 * the step is 1, 2 or 5 times a power of ten; *first is the first
 * multiple of the step at or below lo, *count the ticks up to the first
 * multiple at or above hi, and *decimals the decimals that show the step
 * exactly.  lo == hi is widened to a unit around them.  Returns the step.
 */
double ksp_nice_ticks(double lo, double hi, int target, double *first, int *count, int *decimals);

/*
 * A colour scale: n stops (0xRRGGBB) spread evenly over [lo, hi], linear
 * in sRGB between stops; values outside are clamped.  A diverging scale
 * puts its middle stop at `mid` (lo..mid and mid..hi each take half).
 */
struct ksp_colour_scale {
	const unsigned *stops;
	int nstops;
	double lo, mid, hi;
	int diverging;
};

/* The colour for v as "#rrggbb" in hex[8]; NaN gives the scale's no-data grey. */
void ksp_colour_at(const struct ksp_colour_scale *sc, double v, char hex[8]);

/* The no-data grey of every scale. */
#define KSP_COLOUR_NODATA "#d9d9d9"

/*
 * The atlas's diverging palette (7 stops, blue for surplus through a pale
 * neutral to red for shortage; ColorBrewer RdBu reversed, safe for the
 * common colour-vision deficiencies and in greyscale print).
 */
extern const unsigned ksp_palette_surplus_shortage[7];

#endif

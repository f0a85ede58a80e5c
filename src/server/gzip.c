/*
 * gzip.c - compressed answers: whether a client accepts gzip, whether an
 * answer is worth compressing, and the compression itself (zlib, level 6,
 * the gzip wrapper).  Static files (static.c) and API answers (dispatch.c;
 * a kept answer's compressed copy in cache.c) share these.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>

#include "server.h"

int srv_accepts_gzip(const char *ae)
{
	/* Accept-Encoding: a list of "coding[;q=V]"; gzip (or x-gzip) with q > 0. */
	while (ae && *ae) {
		const char *end = strchr(ae, ','), *semi;
		size_t n = end ? (size_t)(end - ae) : strlen(ae), len;

		while (n && (*ae == ' ' || *ae == '\t'))
			ae++, n--;
		semi = memchr(ae, ';', n);
		len = semi ? (size_t)(semi - ae) : n;
		while (len && (ae[len - 1] == ' ' || ae[len - 1] == '\t'))
			len--;
		if ((len == 4 && !strncasecmp(ae, "gzip", 4)) ||
		    (len == 6 && !strncasecmp(ae, "x-gzip", 6))) {
			const char *q = semi;

			/* q=0 (0.0, 0.000) refuses it; anything else accepts */
			while (q && q < ae + n) {
				q++;
				while (*q == ' ' || *q == '\t')
					q++;
				if ((q[0] == 'q' || q[0] == 'Q') && q[1] == '=')
					return strtod(q + 2, NULL) > 0;
				q = memchr(q, ';', (size_t)(ae + n - q));
			}
			return 1;
		}
		ae = end ? end + 1 : NULL;
	}
	return 0;
}

int srv_gzip_worth(const char *type, size_t len)
{
	if (len <= SRV_GZIP_MIN || len > UINT_MAX / 2 || !type)
		return 0;
	/* text (JSON, CSV, HTML, GeoJSON, SVG); not xlsx or images, already compressed */
	return !strncmp(type, "text/", 5) || strstr(type, "json") || strstr(type, "+xml");
}

int srv_gzip(const char *in, size_t n, char **out, size_t *outlen)
{
	z_stream z;
	size_t cap;
	char *buf;
	int rc;

	if (n > UINT_MAX / 2)
		return -1;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	/* deflateBound() is for the zlib wrapper; gzip's header and trailer add 18 - 6 */
	cap = deflateBound(&z, (uLong)n) + 32;
	buf = malloc(cap);
	if (!buf)
		abort();
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)buf;
	z.avail_out = (uInt)cap;
	rc = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = z.total_out;
	return 0;
}

char *srv_etag_gzip(struct srv_arena *a, const char *etag)
{
	size_t n = strlen(etag);

	/* "\"k0123...\"" -> "\"k0123...-gz\"": a strong ETag names one encoding */
	if (n >= 2 && etag[n - 1] == '"')
		return srv_printf(a, "%.*s-gz\"", (int)(n - 1), etag);
	return srv_printf(a, "%s-gz", etag);
}

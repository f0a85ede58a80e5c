/*
 * static.c - files under the web root: the content type by extension, an
 * ETag from size and time (304 on If-None-Match), gzip for clients that
 * accept it (a precompressed FILE.gz beside the file, else compressed here
 * for text), and nothing outside the root: the decoded path may not have a
 * ".." segment, and the file's realpath must lie under the root's (so a
 * symlink pointing out is refused too).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "server.h"

static const struct {
	const char *ext, *type;
	int text;
} types[] = {
	{ "html", "text/html; charset=utf-8", 1 },
	{ "css", "text/css; charset=utf-8", 1 },
	{ "js", "text/javascript; charset=utf-8", 1 },
	{ "mjs", "text/javascript; charset=utf-8", 1 },
	{ "json", "application/json; charset=utf-8", 1 },
	{ "geojson", "application/geo+json", 1 },
	{ "svg", "image/svg+xml", 1 },
	{ "txt", "text/plain; charset=utf-8", 1 },
	{ "csv", "text/csv; charset=utf-8", 1 },
	{ "map", "application/json", 1 },
	{ "png", "image/png", 0 },
	{ "jpg", "image/jpeg", 0 },
	{ "jpeg", "image/jpeg", 0 },
	{ "gif", "image/gif", 0 },
	{ "webp", "image/webp", 0 },
	{ "ico", "image/x-icon", 0 },
	{ "woff", "font/woff", 0 },
	{ "woff2", "font/woff2", 0 },
	{ "ttf", "font/ttf", 0 },
	{ "pdf", "application/pdf", 0 },
	{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 0 },
};

static const char *type_of(const char *path, int *text)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	*text = 0;
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (!strcasecmp(dot + 1, types[i].ext)) {
				*text = types[i].text;
				return types[i].type;
			}
	return "application/octet-stream";
}

int srv_path_safe(const char *path)
{
	const char *p = path;

	if (*p != '/')
		return 0;
	while (*p) {
		const char *seg = ++p, *e = strchr(seg, '/');
		size_t n = e ? (size_t)(e - seg) : strlen(seg);

		if ((n == 2 && seg[0] == '.' && seg[1] == '.') || (n == 1 && seg[0] == '.'))
			return 0;
		for (size_t i = 0; i < n; i++)
			if (seg[i] == '\\' || (unsigned char)seg[i] < 0x20)
				return 0;
		p = seg + n;
	}
	return 1;
}

static int read_file(const char *path, size_t size, char **out)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return -1;
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	if (size && fread(buf, 1, size, f) != size) {
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	*out = buf;
	return 0;
}

static void not_found(struct srv_request *r)
{
	srv_error(r, 404, "not_found", KSP_N_("not found"), NULL);
}

void srv_static(struct srv_request *r, const char *root)
{
	char want[PATH_MAX], real[PATH_MAX], gz[PATH_MAX + 4], *etag, *body = NULL;
	const char *path = r->path, *type, *inm;
	size_t rootlen = strlen(root);
	struct stat st;
	int text, gzipped = 0;

	if (!srv_path_safe(path) || strlen(path) > SRV_PATH_MAX) {
		not_found(r);
		return;
	}
	if (snprintf(want, sizeof(want), "%s%s%s", root, path,
		     path[strlen(path) - 1] == '/' ? "index.html" : "") >= (int)sizeof(want) ||
	    !realpath(want, real) || strncmp(real, root, rootlen) ||
	    (real[rootlen] != '/' && real[rootlen] != 0) || stat(real, &st) ||
	    !S_ISREG(st.st_mode) || (size_t)st.st_size > SRV_STATIC_MAX) {
		/* A directory without its slash: the index under it, by a redirect. */
		if (realpath(want, real) && !strncmp(real, root, rootlen) &&
		    (real[rootlen] == '/' || real[rootlen] == 0) && !stat(real, &st) &&
		    S_ISDIR(st.st_mode)) {
			r->location = srv_printf(r->arena, "%s/", path);
			srv_raw(r, 301, "text/plain; charset=utf-8", NULL, 0);
			return;
		}
		not_found(r);
		return;
	}
	type = type_of(real, &text);
	r->vary = "Accept-Encoding";
	etag = srv_printf(r->arena, "\"%llx-%llx\"", (unsigned long long)st.st_size,
			  (unsigned long long)st.st_mtime);
	r->etag = etag;
	inm = srv_header(r, "If-None-Match");
	if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
		srv_raw(r, 304, type, NULL, 0);
		return;
	}
	if (srv_accepts_gzip(srv_header(r, "Accept-Encoding"))) {
		struct stat gst;

		snprintf(gz, sizeof(gz), "%s.gz", real);
		if (!stat(gz, &gst) && S_ISREG(gst.st_mode) && (size_t)gst.st_size <= SRV_STATIC_MAX &&
		    !read_file(gz, (size_t)gst.st_size, &body)) {
			srv_raw(r, 200, type, body, (size_t)gst.st_size);
			gzipped = 1;
		}
	}
	if (!gzipped) {
		if (read_file(real, (size_t)st.st_size, &body)) {
			not_found(r);
			return;
		}
		if (text && st.st_size > SRV_GZIP_MIN &&
		    srv_accepts_gzip(srv_header(r, "Accept-Encoding"))) {
			char *z;
			size_t zn;

			if (!srv_gzip(body, (size_t)st.st_size, &z, &zn)) {
				free(body);
				srv_raw(r, 200, type, z, zn);
				gzipped = 1;
			}
		}
		if (!gzipped)
			srv_raw(r, 200, type, body, (size_t)st.st_size);
	}
	if (gzipped)
		r->content_encoding = "gzip";
}

/*
 * server.h - kasip serve: the HTTP API over libkasip.
 *
 * The server is a thin router over the library (STYLE.md): a table of
 * { method, "/api/v1/regions/{code}", handler } in routes.c; a handler
 * reads its parameters, calls the library and hands back JSON (or rows,
 * which the encoder writes as JSON or CSV).  No business rule lives in a
 * handler.  It includes only the public headers of libkasip.
 *
 * Files:
 *   server.h   this: the request, the route table, the helpers handlers use
 *   arena.c    the per-request arena, freed in one go when the request ends
 *   router.c   matching a path against the table, query and language parsing
 *   http.c     libmicrohttpd: limits, bodies, auth, rate limits, access log, stop
 *   respond.c  JSON, CSV and error responses
 *   api.c      the handlers of /api/v1
 *   api-dashboard.c  what the dashboard needs besides: words, outlines, map, pyramid, series
 *   jobs.c     the worker pool that runs forecasts, back-tests, matchings and plans as jobs
 *   cache.c    rendered answers of the read routes, kept until the database changes
 *   static.c   files under the web root (types, ETag, gzip, no escape)
 *   gzip.c     gzip for answers (static files and API answers over SRV_GZIP_MIN)
 *   openapi.c  the OpenAPI 3 document, generated from the route table
 */
#ifndef KSP_SERVER_H
#define KSP_SERVER_H

#include <stddef.h>

#include <jansson.h>

#include "kasip/kasip.h"

/* ---- limits (every one named; docs/api.md lists them) ----------------------- */

#define SRV_DEFAULT_LISTEN "127.0.0.1:8080"
#define SRV_MAX_THREADS 64
#define SRV_CONNECTION_LIMIT 1024       /* open connections in all */
#define SRV_PER_IP_CONNECTION_LIMIT 64  /* open connections from one address */
#define SRV_CONNECTION_TIMEOUT 30       /* seconds a connection may stay idle */
#define SRV_CONNECTION_MEMORY 65536     /* bytes MHD may use per connection for headers */
#define SRV_BODY_MAX (64u << 20)        /* bytes of a request body (a CSV upload): 413 above */
#define SRV_JSON_BODY_MAX (1u << 20)    /* bytes of a JSON request body */
#define SRV_JSON_DEPTH_MAX 32           /* nesting of a JSON request body */
#define SRV_PATH_MAX 1024               /* bytes of a request path: 414 above */
#define SRV_MAX_PATH_PARAMS 4
#define SRV_LIMIT_DEFAULT 100           /* rows of a page when ?limit= is not given */
#define SRV_LIMIT_MAX 1000              /* rows of a page at most */
#define SRV_RATE_DEFAULT 50.0           /* requests a second from one address, sustained */
#define SRV_BURST_DEFAULT 200.0         /* requests from one address in a burst */
#define SRV_RATE_SLOTS 4096             /* addresses the rate limiter remembers */
#define SRV_JOB_QUEUE_MAX 64            /* jobs waiting for a worker: 503 above */
#define SRV_JOB_WORKERS 1               /* worker threads running jobs */
#define SRV_STATIC_MAX (32u << 20)      /* bytes of a static file read into memory */
#define SRV_CACHE_MAX (64u << 20)       /* bytes of rendered answers kept (cache.c) */
#define SRV_CACHE_ENTRY_MAX (8u << 20)  /* bytes of one answer kept; larger: not kept */
#define SRV_CACHE_KEY_MAX 4096          /* bytes of a cache key; longer: not kept */
#define SRV_GZIP_MIN 1024               /* bytes of an answer sent as it is; above: gzip if accepted */

/* ---- the configuration (kasip serve's options) ----------------------------- */

struct srv_config {
	const char *listen;        /* ADDR:PORT; port 0 picks a free one */
	const char *db;            /* the database file */
	const char *web_root;      /* static files; NULL or missing: none */
	const char *trusted_proxy; /* address whose X-Forwarded-For is believed */
	const char *access_log;    /* file for the access log; NULL: stderr */
	int threads;               /* MHD thread pool size; 0: 2 */
	int job_workers;           /* 0: SRV_JOB_WORKERS */
	int private_;              /* reading needs a key too */
	double rate, burst;        /* per-address token bucket; 0: the defaults */
	int quiet;                 /* no start-up line (tests) */
};

/*
 * Run the server until SIGINT or SIGTERM: prints "kasip: serving on
 * http://ADDR:PORT/" on stdout, then answers until a signal, then stops
 * taking connections, finishes the requests in flight and the running
 * jobs, and returns 0 (1 when it could not start, with a message on
 * stderr).
 */
int srv_run(const struct srv_config *cfg);

/* ---- the per-request arena ----------------------------------------------- */

struct srv_arena;
struct srv_arena *srv_arena_new(void);
void srv_arena_free(struct srv_arena *a);
void *srv_alloc(struct srv_arena *a, size_t size);
char *srv_strdup(struct srv_arena *a, const char *s);
char *srv_strndup(struct srv_arena *a, const char *s, size_t n);
char *srv_printf(struct srv_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* ---- requests and routes --------------------------------------------------- */

struct srv_server;

struct srv_param {
	const char *name;
	const char *value;
};

struct srv_request {
	struct srv_arena *arena;
	struct srv_server *srv;
	struct ksp_store *store; /* this thread's connection (NULL in the fuzzer) */
	const char *method;
	const char *path;
	struct srv_param params[SRV_MAX_PATH_PARAMS]; /* {name} values of the route */
	int nparams;
	/* The query string and headers, through the transport (MHD or a test). */
	const char *(*query)(void *ctx, const char *name);
	const char *(*header)(void *ctx, const char *name);
	void *ctx;
	const char *body;
	size_t body_len;
	const char *lang;           /* "kk", "ru" or "en" */
	const struct ksp_apikey *key; /* the caller's key, NULL when none */
	const char *base_url;       /* "/api/v1/..." path for next links */
	/* The query arguments as "name=value&..." in their order (NULL: unknown to
	   the transport; such a request is never answered from the cache). */
	const char *query_string;

	/* The response, filled by the handler through respond.c. */
	int status;
	const char *content_type;
	char *body_out; /* malloc'ed, handed to MHD */
	size_t body_out_len;
	const char *allow;    /* Allow header (405) */
	const char *location; /* Location header (202, 201) */
	const char *etag;
	const char *content_encoding; /* "gzip" when the body is compressed */
	const char *vary;             /* Vary; NULL: an API answer's (Accept, Accept-Language,
					 Accept-Encoding) */
	const char *disposition;      /* Content-Disposition (a download's file name) */
	int www_authenticate;
	char error_code[32]; /* for the access log */
	/* When body_out is a kept answer's (not malloc'ed): the entry, which the
	   transport releases with srv_cache_unref() once the bytes are sent. */
	struct srv_cache_entry *cached;
	const char *cache_state; /* "hit", "miss" or NULL (not cacheable): X-Cache */
};

typedef void (*srv_handler)(struct srv_request *r);

enum srv_route_flags {
	SRV_WRITE = 1u,  /* needs an analyst (or admin) key */
	SRV_PUBLIC = 2u, /* open even on a private server (health, the API description) */
	SRV_ROWS = 4u,   /* answers CSV too (Accept: text/csv or ?format=csv) */
	SRV_PAGED = 8u,  /* takes limit and offset, answers with next */
	SRV_CSV_BODY = 16u, /* the body is CSV (else JSON, when there is one) */
	SRV_JSON_BODY = 32u
};

struct srv_route {
	const char *method;
	const char *path;   /* "/api/v1/regions/{code}" */
	srv_handler fn;
	unsigned flags;
	int status;         /* the success status (200, 201, 202) */
	const char *summary;
	const char *query;  /* the query parameters it reads, comma-separated ("" none) */
	const char *tag;
};

extern const struct srv_route srv_routes[];
extern const size_t srv_nroutes;

/*
 * Match method and path against the table.  Returns 200 with *route set
 * and the path's {name} values in params (pointing into buf, a copy of the
 * path the caller provides, at least strlen(path) + 1 bytes), 404 when no
 * route has the path, 405 when routes have it but not the method (allow
 * receives "GET, POST").
 */
int srv_route_match(const char *method, const char *path, char *buf, size_t bufsize,
		    const struct srv_route **route, struct srv_param *params, int *nparams,
		    char *allow, size_t allow_size);

/* The value of path parameter name ("" when absent). */
const char *srv_param(const struct srv_request *r, const char *name);
/* A query argument (NULL when absent). */
const char *srv_query(const struct srv_request *r, const char *name);
/* A header (NULL when absent). */
const char *srv_header(const struct srv_request *r, const char *name);

/*
 * The language of a request: ?lang= when it names a supported one, else
 * the first supported language of Accept-Language by q-value, else "en".
 */
const char *srv_negotiate_lang(const char *query_lang, const char *accept_language);

/* Whether the client asked for CSV (?format=csv, or Accept preferring text/csv). */
int srv_wants_csv(const struct srv_request *r);

/*
 * Parse ?limit and ?offset (or ?cursor, the opaque form of an offset that
 * next links carry).  0 on success; on a bad value answers 400 and returns -1.
 */
int srv_page(struct srv_request *r, size_t *offset, size_t *limit);

/* An integer query argument in [lo, hi]; def when absent; -1 after a 400. */
int srv_query_int(struct srv_request *r, const char *name, long long lo, long long hi,
		  long long def, long long *out);

/*
 * Parse the JSON body into *out (an object): 400 "bad_json" with line and
 * column when it does not parse, 400 when it nests deeper than
 * SRV_JSON_DEPTH_MAX or is not an object, 413 over SRV_JSON_BODY_MAX.  An
 * empty body is an empty object.  Returns 0, or -1 after answering.
 */
int srv_json_body(struct srv_request *r, json_t **out);

/* Depth of the deepest nesting of [ and { in a JSON text (strings skipped). */
int srv_json_depth(const char *s, size_t len);

/* ---- responses ------------------------------------------------------------ */

/* Answer with a JSON value (stolen). */
void srv_json(struct srv_request *r, int status, json_t *v);
/*
 * Answer with rows: items (stolen) is an array of flat objects, written as
 * {"items": [...], "next": link or null, ...meta} in JSON or as CSV (the
 * first object's keys are the header; columns gives it when there may be
 * no rows).  next_offset 0: no next page.
 */
void srv_rows(struct srv_request *r, json_t *items, const char *const *columns,
	      size_t next_offset, json_t *meta);
/*
 * Answer with an error: {"error": {"code": code, "message": msgid in the
 * request's language, "detail": detail (may be NULL)}}.  msgid is an
 * English catalogue key (a literal marked with KSP_N_ at the call).
 */
void srv_error(struct srv_request *r, int status, const char *code, const char *msgid,
	       const char *detail);
/* Answer with the error of a library status and record. */
void srv_fail(struct srv_request *r, int status, const struct ksp_error *err);
/* The raw body (malloc'ed, stolen) with a content type. */
void srv_raw(struct srv_request *r, int status, const char *content_type, char *body,
	     size_t len);

/* ---- access control --------------------------------------------------------- */

/*
 * Whether the request's key may write for region (a KATO or ISO code; NULL
 * or "": national work).  Answers 403 and returns 0 when not.
 */
int srv_allow_region(struct srv_request *r, const char *region);

/* ---- the server ------------------------------------------------------------ */

struct srv_server {
	struct srv_config cfg;
	char web_root[4096]; /* realpath of the web root; "" for none */
	struct srv_jobs *jobs;
	struct srv_cache *cache; /* NULL: nothing is kept (the fuzzer) */
	void *daemon;       /* struct MHD_Daemon */
	void *log;          /* FILE * of the access log */
	void *rate;         /* the rate limiter (http.c) */
};

/*
 * Answer a request whose method, path, headers, query and body are set:
 * route it (or serve a static file), check the key, call the handler.
 * Transport-independent: http.c calls it for libmicrohttpd, the fuzzer
 * directly.  r->store may be NULL (handlers answer 503).
 */
void srv_handle(struct srv_server *srv, struct srv_request *r);

/* ---- jobs ----------------------------------------------------------------- */

struct srv_jobs;
/* Start n workers on the database file db. */
struct srv_jobs *srv_jobs_start(const char *db, int n);
/*
 * Queue job id (already recorded as queued) with its kind and JSON
 * parameters (copied).  0, or -1 when the queue is full.
 */
int srv_jobs_submit(struct srv_jobs *j, long long id, const char *kind, const char *params);
/* Finish the running jobs, mark the queued ones failed, join the workers. */
void srv_jobs_stop(struct srv_jobs *j);
/* The server's job pool (for handlers). */
struct srv_jobs *srv_server_jobs(struct srv_server *s);
int srv_server_private(struct srv_server *s);

/* ---- the cache of answers (cache.c) ------------------------------------------ */

struct srv_cache;
struct srv_cache_entry;

/* A new empty cache (abort on OOM); free it with srv_cache_free() once no
   request runs.  Thread-safe: every function below may be called from any
   thread. */
struct srv_cache *srv_cache_new(void);
void srv_cache_free(struct srv_cache *c);
/* The current generation; srv_cache_changed() starts a new one (the database
   may have changed: nothing kept before is sent again). */
unsigned long srv_cache_generation(struct srv_cache *c);
void srv_cache_changed(struct srv_cache *c);
/* The entry of key computed in generation gen, with a reference the caller
   drops with srv_cache_unref(); NULL when there is none. */
struct srv_cache_entry *srv_cache_get(struct srv_cache *c, const char *key, unsigned long gen);
/* Keep a copy of r's answer (body, type, disposition, ETag) under key, if it
   was computed in the current generation gen and is not too large.  Returns
   the new entry with a reference for the caller (srv_cache_unref()), NULL
   when nothing was kept. */
struct srv_cache_entry *srv_cache_put(struct srv_cache *c, const char *key, unsigned long gen,
				      const struct srv_request *r);
void srv_cache_unref(struct srv_cache_entry *e);
const char *srv_cache_body(const struct srv_cache_entry *e, size_t *len);
const char *srv_cache_etag(const struct srv_cache_entry *e);
const char *srv_cache_type(const struct srv_cache_entry *e);
const char *srv_cache_disposition(const struct srv_cache_entry *e);
/* The entry's body compressed with gzip (srv_gzip()), made on the first call
   and kept with the entry (counted in SRV_CACHE_MAX) for every later one; it
   lives as long as the entry (hold a reference).  NULL when zlib failed. */
const char *srv_cache_gzip(struct srv_cache *c, struct srv_cache_entry *e, size_t *len);
/* A strong ETag of a body ("\"k" and 16 hex digits of FNV-1a), in arena a. */
char *srv_etag_of(struct srv_arena *a, const char *body, size_t len);

/* ---- gzip (gzip.c) ------------------------------------------------------------ */

/* Whether an Accept-Encoding header value accepts gzip (gzip or x-gzip, not
   with q=0); NULL: no. */
int srv_accepts_gzip(const char *accept_encoding);
/* Whether an answer of this Content-Type and length is worth compressing:
   over SRV_GZIP_MIN bytes and text (text/..., JSON, GeoJSON, +xml). */
int srv_gzip_worth(const char *content_type, size_t len);
/* Compress n bytes of in (gzip wrapper, level 6) into *out (malloc'ed, the
   caller frees) of *outlen bytes.  Returns 0, or -1 when zlib fails (nothing
   to free).  Thread-safe. */
int srv_gzip(const char *in, size_t n, char **out, size_t *outlen);
/* The ETag of the gzip form of an answer whose ETag is etag ("\"k...\"" ->
   "\"k...-gz\""), in arena a. */
char *srv_etag_gzip(struct srv_arena *a, const char *etag);

/* ---- static files ------------------------------------------------------------ */

/*
 * Serve path (the request path, decoded) from root (a realpath).  Answers
 * 404 for anything missing or outside the root (.., symlinks leaving it),
 * 304 for a matching If-None-Match; gzip when the client accepts it (a
 * file.gz beside the file, or compressed here for text types).
 */
void srv_static(struct srv_request *r, const char *root);

/* Whether the decoded path stays under the root by its segments (no "..", no NUL). */
int srv_path_safe(const char *path);

/* ---- the API description ---------------------------------------------------- */

/* The OpenAPI 3 document of srv_routes (a new reference). */
json_t *srv_openapi(void);

/* ---- handlers (api.c) ---------------------------------------------------- */
void api_health(struct srv_request *r);
void api_openapi(struct srv_request *r);
void api_regions(struct srv_request *r);
void api_region(struct srv_request *r);
void api_occupations(struct srv_request *r);
void api_tables(struct srv_request *r);
void api_table(struct srv_request *r);
void api_table_rows(struct srv_request *r);
void api_sources(struct srv_request *r);
void api_import(struct srv_request *r);
void api_scenarios(struct srv_request *r);
void api_scenario(struct srv_request *r);
void api_scenario_new(struct srv_request *r);
void api_scenario_update(struct srv_request *r);
void api_forecasts(struct srv_request *r);
void api_forecast(struct srv_request *r);
void api_forecast_cells(struct srv_request *r);
void api_forecast_totals(struct srv_request *r);
void api_forecast_submit(struct srv_request *r);
void api_backtest_submit(struct srv_request *r);
void api_backtest(struct srv_request *r);
void api_backtests(struct srv_request *r);
void api_match_runs(struct srv_request *r);
void api_match_run(struct srv_request *r);
void api_match_cutoffs(struct srv_request *r);
void api_match_student(struct srv_request *r);
void api_match_submit(struct srv_request *r);
void api_jobs(struct srv_request *r);
void api_region_atlas(struct srv_request *r);
void api_occupation_card(struct srv_request *r);
void api_job(struct srv_request *r);
void api_plans(struct srv_request *r);
void api_plan(struct srv_request *r);
void api_plan_orders_submit(struct srv_request *r);
void api_plan_migration_submit(struct srv_request *r);
/* api-dashboard.c */
void api_messages(struct srv_request *r);
void api_boundaries(struct srv_request *r);
void api_forecast_map(struct srv_request *r);
void api_forecast_pyramid(struct srv_request *r);
void api_forecast_series(struct srv_request *r);

#endif

/*
 * http.c - kasip serve on libmicrohttpd: the daemon and its limits, request
 * bodies with a cap, one database connection per thread, the per-address
 * rate limit, the access log, and a clean stop on SIGINT or SIGTERM.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "server.h"

/* ---- one store connection per thread -------------------------------------------- */

static pthread_key_t store_key;
static pthread_once_t store_once = PTHREAD_ONCE_INIT;
static const char *store_path;

static void store_destroy(void *p)
{
	ksp_store_close(p);
}

static void store_key_make(void)
{
	pthread_key_create(&store_key, store_destroy);
}

/* This thread's connection, opened on its first request (NULL when it cannot be). */
static struct ksp_store *thread_store(void)
{
	struct ksp_store *s;
	struct ksp_error err;

	pthread_once(&store_once, store_key_make);
	s = pthread_getspecific(store_key);
	if (s)
		return s;
	if (ksp_store_open(&s, store_path, 0, &err)) {
		fprintf(stderr, "kasip: serve: %s\n", err.msg);
		return NULL;
	}
	pthread_setspecific(store_key, s);
	return s;
}

/* ---- the rate limiter: a token bucket per address, in a bounded table ----------- */

struct bucket {
	char addr[INET6_ADDRSTRLEN];
	double tokens, last;
};

struct rate {
	pthread_mutex_t mu;
	double per_second, burst;
	struct bucket slot[SRV_RATE_SLOTS];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Whether addr may make a request now.  The table is open-addressed over
 * 8 probes; a full neighbourhood gives its stalest slot to the newcomer, so
 * memory stays bounded whatever the number of addresses.
 */
static int rate_ok(struct rate *rt, const char *addr)
{
	uint32_t h = 2166136261u;
	struct bucket *b = NULL, *stalest = NULL;
	double t = now_s();
	int ok;

	for (const char *p = addr; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	pthread_mutex_lock(&rt->mu);
	for (int i = 0; i < 8; i++) {
		struct bucket *s = &rt->slot[(h + (uint32_t)i) % SRV_RATE_SLOTS];

		if (!strcmp(s->addr, addr)) {
			b = s;
			break;
		}
		if (!stalest || s->last < stalest->last)
			stalest = s;
	}
	if (!b) {
		b = stalest;
		snprintf(b->addr, sizeof(b->addr), "%s", addr);
		b->tokens = rt->burst;
		b->last = t;
	}
	b->tokens += (t - b->last) * rt->per_second;
	if (b->tokens > rt->burst)
		b->tokens = rt->burst;
	b->last = t;
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	pthread_mutex_unlock(&rt->mu);
	return ok;
}

/* ---- requests -------------------------------------------------------------------- */

struct conn_req {
	struct srv_request r;
	struct MHD_Connection *c;
	char *body;
	size_t len, cap;
	int early; /* an answer decided before the body: 413, 429 */
	double t0;
	char addr[INET6_ADDRSTRLEN];
	char *log_key; /* the key's name for the log, copied */
};

static pthread_mutex_t flight_mu = PTHREAD_MUTEX_INITIALIZER;
static long in_flight;

static const char *mhd_query(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, name);
}

static const char *mhd_header(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, name);
}

/* The query arguments as "name=value&..." in their order (for the cache's key). */
struct query_text {
	char buf[SRV_CACHE_KEY_MAX];
	size_t len;
	int over;
};

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct query_text *t = cls;
	int n;

	(void)kind;
	n = snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s%s%s%s", t->len ? "&" : "",
		     key, value ? "=" : "", value ? value : "");
	if (n < 0 || (size_t)n >= sizeof(t->buf) - t->len) {
		t->over = 1;
		return MHD_NO;
	}
	t->len += (size_t)n;
	return MHD_YES;
}

static const char *query_string(struct srv_arena *a, struct MHD_Connection *c)
{
	struct query_text *t = srv_alloc(a, sizeof(*t));

	t->len = 0;
	t->over = 0;
	t->buf[0] = 0;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, t);
	return t->over ? NULL : t->buf;
}

/* The client's address: the peer, or X-Forwarded-For's last entry from the trusted proxy. */
static void client_addr(struct srv_server *srv, struct MHD_Connection *c, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const char *xff;

	snprintf(out, size, "?");
	if (ci && ci->client_addr)
		getnameinfo(ci->client_addr,
			    ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
								   : sizeof(struct sockaddr_in),
			    out, (socklen_t)size, NULL, 0, NI_NUMERICHOST);
	if (!srv->cfg.trusted_proxy || strcmp(out, srv->cfg.trusted_proxy))
		return;
	xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
	if (xff) {
		const char *last = strrchr(xff, ',');
		char cand[INET6_ADDRSTRLEN + 8];
		unsigned char bin[sizeof(struct in6_addr)];
		size_t n;

		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		n = strcspn(last, " ");
		if (n < sizeof(cand)) {
			memcpy(cand, last, n);
			cand[n] = 0;
			if ((inet_pton(AF_INET, cand, bin) == 1 || inet_pton(AF_INET6, cand, bin) == 1) &&
			    (size_t)snprintf(out, size, "%s", cand) >= size)
				out[0] = 0; /* an address cut short is no address */
		}
	}
}

static void add_headers(struct MHD_Response *resp, const struct srv_request *r)
{
	MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type
								       : "text/plain; charset=utf-8");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->etag)
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->content_encoding)
		MHD_add_response_header(resp, "Content-Encoding", r->content_encoding);
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	/* A static file varies by encoding; an API answer (kept or not) by type,
	   language and encoding (gzip over SRV_GZIP_MIN bytes). */
	MHD_add_response_header(resp, "Vary",
				r->vary ? r->vary : "Accept, Accept-Language, Accept-Encoding");
	/* An API answer is revalidated every time (its ETag gives a 304). */
	if (!r->etag || r->cache_state)
		MHD_add_response_header(resp, "Cache-Control", "no-cache");
	if (r->cache_state)
		MHD_add_response_header(resp, "X-Cache", r->cache_state);
	if (r->status == 429)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->www_authenticate)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"kasip\"");
	MHD_add_response_header(resp, "Content-Language", r->lang ? r->lang : "en");
}

static void unref_kept(void *entry)
{
	srv_cache_unref(entry);
}

static enum MHD_Result answer(struct conn_req *q)
{
	struct srv_request *r = &q->r;
	struct MHD_Response *resp;
	enum MHD_Result ok;

	if (r->cached) /* a kept answer: sent from the entry, which goes when MHD is done */
		resp = MHD_create_response_from_buffer_with_free_callback_cls(
			r->body_out_len, r->body_out, unref_kept, r->cached);
	else
		resp = MHD_create_response_from_buffer(r->body_out_len, r->body_out,
						       r->body_out ? MHD_RESPMEM_MUST_FREE
								   : MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	r->body_out = NULL; /* MHD owns it now */
	r->cached = NULL;
	add_headers(resp, r);
	ok = MHD_queue_response(q->c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct srv_server *srv = cls;
	struct conn_req *q = *con_cls;

	(void)version;
	if (!q) {
		const char *cl;
		struct rate *rt = srv->rate;

		q = calloc(1, sizeof(*q));
		if (!q)
			return MHD_NO;
		q->t0 = now_s();
		q->c = c;
		q->r.arena = srv_arena_new();
		q->r.method = srv_strdup(q->r.arena, method);
		q->r.path = srv_strdup(q->r.arena, url);
		q->r.query = mhd_query;
		q->r.header = mhd_header;
		q->r.ctx = c;
		q->r.srv = srv;
		q->r.lang = "en";
		client_addr(srv, c, q->addr, sizeof(q->addr));
		*con_cls = q;
		pthread_mutex_lock(&flight_mu);
		in_flight++;
		pthread_mutex_unlock(&flight_mu);
		if (!rate_ok(rt, q->addr)) {
			q->r.lang = srv_negotiate_lang(mhd_query(c, "lang"),
						       mhd_header(c, "Accept-Language"));
			srv_error(&q->r, 429, "too_many_requests",
				  KSP_N_("too many requests from this address; slow down"), NULL);
			q->early = 1;
			return answer(q);
		}
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > SRV_BODY_MAX) {
			q->r.lang = srv_negotiate_lang(mhd_query(c, "lang"),
						       mhd_header(c, "Accept-Language"));
			srv_error(&q->r, 413, "too_large", KSP_N_("the request body is too large"),
				  NULL);
			q->early = 1;
			return answer(q);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!q->early) {
			if (q->len + *upload_size > SRV_BODY_MAX) {
				free(q->body);
				q->body = NULL;
				q->len = q->cap = 0;
				srv_error(&q->r, 413, "too_large",
					  KSP_N_("the request body is too large"), NULL);
				q->early = 2; /* answered when the body ends */
			} else {
				if (q->len + *upload_size + 1 > q->cap) {
					size_t cap = q->cap ? q->cap : 65536;
					char *b;

					while (cap < q->len + *upload_size + 1)
						cap *= 2;
					b = realloc(q->body, cap);
					if (!b)
						return MHD_NO;
					q->body = b;
					q->cap = cap;
				}
				memcpy(q->body + q->len, upload, *upload_size);
				q->len += *upload_size;
				q->body[q->len] = 0;
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (q->early == 1)
		return MHD_YES; /* answered already */
	if (q->early == 2)
		return answer(q);
	q->r.body = q->body ? q->body : "";
	q->r.body_len = q->len;
	q->r.query_string = query_string(q->r.arena, c);
	q->r.store = thread_store();
	srv_handle(srv, &q->r);
	if (q->r.key)
		q->log_key = srv_strdup(q->r.arena, q->r.key->name);
	return answer(q);
}

/* ---- the access log ------------------------------------------------------------------ */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;

static void log_request(struct srv_server *srv, struct conn_req *q)
{
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	json_t *o;
	char *line;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:f, s:o}", "time", when, "addr", q->addr,
		      "method", q->r.method ? q->r.method : "", "path", q->r.path ? q->r.path : "",
		      "status", q->r.status, "bytes", (json_int_t)q->r.body_out_len, "ms",
		      (double)((long long)((now_s() - q->t0) * 1e6)) / 1e3, "key",
		      q->log_key ? json_string(q->log_key) : json_null());
	if (!o)
		return;
	if (q->r.error_code[0])
		json_object_set_new(o, "error", json_string(q->r.error_code));
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(o);
	if (!line)
		return;
	pthread_mutex_lock(&log_mu);
	fprintf(srv->log, "%s\n", line);
	fflush(srv->log);
	pthread_mutex_unlock(&log_mu);
	free(line);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct srv_server *srv = cls;
	struct conn_req *q = *con_cls;

	(void)c;
	(void)toe;
	if (!q)
		return;
	log_request(srv, q);
	if (q->r.cached) { /* never handed to MHD */
		srv_cache_unref(q->r.cached);
		q->r.body_out = NULL;
	}
	free(q->r.body_out);
	free(q->body);
	srv_arena_free(q->r.arena);
	free(q);
	*con_cls = NULL;
	pthread_mutex_lock(&flight_mu);
	in_flight--;
	pthread_mutex_unlock(&flight_mu);
}

/* ---- start and stop --------------------------------------------------------------------- */

struct srv_jobs *srv_server_jobs(struct srv_server *s)
{
	return s ? s->jobs : NULL;
}

int srv_server_private(struct srv_server *s)
{
	return s && s->cfg.private_;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
			int *v6)
{
	char host[128];
	const char *colon = strrchr(listen, ':'), *port;
	struct addrinfo hints, *res = NULL;
	size_t hn;

	if (!colon)
		return -1;
	port = colon + 1;
	hn = (size_t)(colon - listen);
	if (listen[0] == '[' && hn >= 2 && listen[hn - 1] == ']') {
		listen++;
		hn -= 2;
	}
	if (hn == 0 || hn >= sizeof(host) || !*port || strspn(port, "0123456789") != strlen(port) ||
	    strtol(port, NULL, 10) > 65535)
		return -1;
	memcpy(host, listen, hn);
	host[hn] = 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) || !res)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	*v6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	return 0;
}

int srv_run(const struct srv_config *cfg)
{
	struct srv_server srv;
	struct sockaddr_storage ss;
	struct ksp_store *s = NULL;
	struct ksp_error err;
	struct rate *rt = NULL;
	struct MHD_Daemon *d = NULL;
	const union MHD_DaemonInfo *di;
	sigset_t set;
	socklen_t sslen;
	FILE *log = stderr;
	long failed = 0;
	int v6 = 0, sig = 0, threads, rc = 1;
	unsigned flags;

	memset(&srv, 0, sizeof(srv));
	srv.cfg = *cfg;
	if (!srv.cfg.listen)
		srv.cfg.listen = SRV_DEFAULT_LISTEN;
	threads = cfg->threads > 0 ? cfg->threads : 2;
	if (threads > SRV_MAX_THREADS)
		threads = SRV_MAX_THREADS;
	if (parse_listen(srv.cfg.listen, &ss, &sslen, &v6)) {
		fprintf(stderr, "kasip: serve: --listen takes ADDR:PORT (e.g. 127.0.0.1:8080), not '%s'\n",
			srv.cfg.listen);
		return 2;
	}
	/* A file-size limit is an ordinary write error; a closed client is not a crash. */
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);

	/* The database: present, current, and no job left running by a previous server. */
	if (ksp_store_open(&s, cfg->db, 0, &err) || ksp_store_migrate(s, &err) ||
	    ksp_job_fail_interrupted(s, "the server stopped while the job was queued or running",
				     &failed, &err)) {
		char msg[1024];

		fprintf(stderr, "kasip: serve: %s\n", ksp_error_format(&err, msg, sizeof(msg)));
		if (s)
			ksp_store_close(s);
		return 1;
	}
	ksp_store_close(s);
	if (failed)
		fprintf(stderr, "kasip: serve: %ld job%s cut off by a restart marked failed\n", failed,
			failed == 1 ? "" : "s");
	store_path = cfg->db;
	if (cfg->web_root && !realpath(cfg->web_root, srv.web_root)) {
		fprintf(stderr, "kasip: serve: no web root '%s'; serving the API only\n",
			cfg->web_root);
		srv.web_root[0] = 0;
	}
	if (cfg->access_log && !(log = fopen(cfg->access_log, "a"))) {
		fprintf(stderr, "kasip: serve: cannot open the access log '%s': %s\n",
			cfg->access_log, strerror(errno));
		return 1;
	}
	srv.log = log;
	rt = calloc(1, sizeof(*rt));
	if (!rt)
		abort();
	pthread_mutex_init(&rt->mu, NULL);
	rt->per_second = cfg->rate > 0 ? cfg->rate : SRV_RATE_DEFAULT;
	rt->burst = cfg->burst >= 1 ? cfg->burst : SRV_BURST_DEFAULT;
	srv.rate = rt;

	/* Every thread started from here on (MHD's, the jobs') leaves the signals to sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	srv.jobs = srv_jobs_start(cfg->db, cfg->job_workers);
	srv.cache = srv_cache_new();
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
	if (v6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)SRV_CONNECTION_LIMIT, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		/* Behind a proxy every connection comes from it: the token bucket limits instead. */
		(unsigned)(cfg->trusted_proxy ? 0 : SRV_PER_IP_CONNECTION_LIMIT),
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_CONNECTION_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_CONNECTION_MEMORY,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "kasip: serve: cannot listen on %s: %s\n", srv.cfg.listen,
			strerror(errno));
		goto out;
	}
	srv.daemon = d;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	{
		char host[INET6_ADDRSTRLEN] = "?";

		getnameinfo((struct sockaddr *)&ss, sslen, host, sizeof(host), NULL, 0,
			    NI_NUMERICHOST);
		printf("kasip: serving on http://%s%s%s:%u/ (database '%s', %d threads%s)\n",
		       v6 ? "[" : "", host, v6 ? "]" : "", di ? di->port : 0, cfg->db, threads,
		       cfg->private_ ? ", private" : "");
		printf("kasip: the API is at /api/v1 (described at /api/v1/openapi.json); "
		       "Ctrl-C stops\n");
		fflush(stdout);
	}
	while (sigwait(&set, &sig) == 0 && sig != SIGINT && sig != SIGTERM)
		;
	fprintf(stderr, "kasip: serve: stopping (finishing the requests in flight)\n");
	/* No new connections; the requests already taken run to their end (10 s at most). */
	{
		MHD_socket ls = MHD_quiesce_daemon(d);

		for (int i = 0; i < 1000; i++) {
			long n;

			pthread_mutex_lock(&flight_mu);
			n = in_flight;
			pthread_mutex_unlock(&flight_mu);
			if (!n)
				break;
			usleep(10000);
		}
		MHD_stop_daemon(d);
		if (ls != MHD_INVALID_SOCKET)
			close(ls);
	}
	rc = 0;
out:
	srv_jobs_stop(srv.jobs);
	srv_cache_free(srv.cache);
	pthread_mutex_destroy(&rt->mu);
	free(rt);
	if (log != stderr)
		fclose(log);
	return rc;
}

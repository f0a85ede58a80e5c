/*
 * jobs.c - the worker pool that runs long work (forecasts, back-tests, matchings, plans) while
 * the server keeps answering.  A job is recorded in the database before it
 * is queued here (api.c); a worker takes it, marks it running, calls the
 * library with its own store connection, and records the outcome.  On stop
 * the running jobs finish and the queued ones are marked failed with the
 * reason, so that nothing is lost silently.
 *
 * Progress: the library calls back with the share done (the forecast's
 * ksp_forecast_options.progress; a matching's four steps are counted here);
 * the worker writes it to the job's row through a second connection of its
 * own, because the first may be inside the forecast's transaction.  That
 * connection does not wait for the database's write lock: while the
 * forecast stores its results an update is skipped, not queued.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"

struct item {
	long long id;
	char kind[32];
	char *params;
	struct item *next;
};

struct srv_jobs {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item *head, *tail;
	size_t n;
	int stopping;
	pthread_t *threads;
	int nthreads;
	char *db;
};

static char *dupstr(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		abort();
	return p;
}

/* A running job's progress, written at most every 1 % and 0.2 s. */
struct progress {
	struct ksp_store *s; /* the worker's progress connection (NULL: none) */
	long long id;
	double told, when;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void job_progress(void *ctx, double done)
{
	struct progress *p = ctx;
	double t = now_s();

	if (!p->s || done < p->told + 0.01 || (t < p->when + 0.2 && done < 1))
		return;
	if (ksp_job_progress(p->s, p->id, done, NULL) == KSP_OK) {
		p->told = done;
		p->when = t;
	}
}

static const char *get_s(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long get_i(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int run_forecast(struct ksp_store *s, json_t *p, struct progress *pr, json_t **result,
			struct ksp_error *err)
{
	struct ksp_forecast_options opt;
	struct ksp_forecast_run run;
	const char *bands = get_s(p, "bands");
	int rc;

	memset(&opt, 0, sizeof(opt));
	opt.scenario = get_s(p, "scenario");
	opt.target_year = (int)get_i(p, "to");
	opt.level = (int)get_i(p, "level");
	opt.region = get_s(p, "region");
	opt.draws = (int)(get_i(p, "draws") > 100000 ? 100001 : get_i(p, "draws"));
	opt.seed = (unsigned long long)get_i(p, "seed");
	opt.classification = get_s(p, "classification");
	opt.progress = job_progress;
	opt.progress_ctx = pr;
	if (bands && !strcmp(bands, "target"))
		opt.band_years = KSP_BANDS_TARGET;
	else if (bands && strcmp(bands, "all"))
		return ksp_error_set(err, KSP_EUSAGE, "bands is \"all\" or \"target\", not \"%s\"",
				     bands);
	if ((rc = ksp_forecast_run(s, &opt, &run, err)))
		return rc;
	*result = json_pack("{s:I, s:s, s:o}", "run", (json_int_t)run.id, "href",
			    "", "shortfall", isfinite(run.shortfall) ? json_real(run.shortfall)
								     : json_null());
	{
		char href[64];

		snprintf(href, sizeof(href), "/api/v1/forecasts/%lld", run.id);
		json_object_set_new(*result, "href", json_string(href));
	}
	return KSP_OK;
}

static int run_backtest(struct ksp_store *s, json_t *p, json_t **result, struct ksp_error *err)
{
	struct ksp_backtest_options opt;
	struct ksp_backtest_run run;
	const char *growth = get_s(p, "growth");
	char href[64];
	int rc;

	memset(&opt, 0, sizeof(opt));
	opt.base_year = (int)(get_i(p, "base") > 9999 ? 9999 : get_i(p, "base"));
	opt.to_year = (int)(get_i(p, "to") > 9999 ? 9999 : get_i(p, "to"));
	opt.scenario = get_s(p, "scenario");
	opt.growth = growth && !strcmp(growth, "trend") ? KSP_BT_GROWTH_TREND
							: KSP_BT_GROWTH_SCENARIO;
	opt.naive_only = json_is_true(json_object_get(p, "naive_only"));
	if ((rc = ksp_backtest_run(s, &opt, &run, err)))
		return rc;
	snprintf(href, sizeof(href), "/api/v1/backtests/%lld", run.id);
	*result = json_pack("{s:I, s:s}", "run", (json_int_t)run.id, "href", href);
	return KSP_OK;
}

static int run_match(struct ksp_store *s, json_t *p, struct progress *pr, json_t **result,
		     struct ksp_error *err)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result res;
	struct ksp_match_run_info info;
	struct ksp_match_violation v;
	char href[64];
	int rc;

	ksp_match_instance_init(&in);
	memset(&res, 0, sizeof(res));
	ksp_match_options_init(&opt);
	if (json_object_get(p, "seed"))
		opt.seed = (uint64_t)get_i(p, "seed");
	opt.proposing = json_is_true(json_object_get(p, "enterprise_proposing"))
				? KSP_MATCH_ENTERPRISES
				: KSP_MATCH_STUDENTS;
	opt.max_km = json_number_value(json_object_get(p, "max_km"));
	opt.same_region = json_is_true(json_object_get(p, "same_region"));
	if ((rc = ksp_match_load(s, &in, err)))
		goto out;
	job_progress(pr, 0.25);
	if ((rc = ksp_match_run(&in, &opt, &res, err)))
		goto out;
	job_progress(pr, 0.5);
	/* Never store a matching that is not proved stable. */
	if ((rc = ksp_match_verify(&in, &opt, &res, &v, err)))
		goto out;
	job_progress(pr, 0.75);
	if ((rc = ksp_match_save_run(s, &in, &opt, &res, &info, err)))
		goto out;
	snprintf(href, sizeof(href), "/api/v1/match-runs/%lld", info.id);
	*result = json_pack("{s:I, s:s, s:i}", "run", (json_int_t)info.id, "href", href,
			    "students", in.nstudents);
out:
	ksp_match_result_release(&res);
	ksp_match_instance_release(&in);
	return rc;
}

/*
 * A plan: "run", "year", "region", "params" (a parameter file's text) and
 * every other member a parameter by its key (api.c checked them all).
 */
static int run_plan(struct ksp_store *s, json_t *p, int kind, json_t **result,
		    struct ksp_error *err)
{
	struct ksp_plan_options opt;
	struct ksp_plan_set *sets;
	const char *k;
	json_t *v;
	long long id = 0;
	char href[64];
	int rc;

	memset(&opt, 0, sizeof(opt));
	opt.kind = kind;
	opt.run_id = get_i(p, "run");
	opt.year = (int)(get_i(p, "year") > 9999 ? 9999 : get_i(p, "year"));
	opt.region = get_s(p, "region");
	opt.params_text = get_s(p, "params");
	sets = calloc(json_object_size(p) + 1, sizeof(*sets));
	if (!sets)
		abort();
	json_object_foreach(p, k, v)
	{
		if (!strcmp(k, "run") || !strcmp(k, "year") || !strcmp(k, "region") ||
		    !strcmp(k, "params"))
			continue;
		sets[opt.nsets].key = k;
		sets[opt.nsets++].value = json_number_value(v);
	}
	opt.sets = sets;
	rc = ksp_plan_run(s, &opt, &id, err);
	free(sets);
	if (rc)
		return rc;
	snprintf(href, sizeof(href), "/api/v1/plans/%lld", id);
	*result = json_pack("{s:I, s:s, s:s}", "plan", (json_int_t)id, "kind",
			    kind == KSP_PLAN_ORDERS ? "orders" : "migration", "href", href);
	return KSP_OK;
}

static void run_one(struct ksp_store *s, struct ksp_store *ps, struct item *it)
{
	struct progress pr = { ps, it->id, 0, 0 };
	struct ksp_error err;
	json_t *params, *result = NULL;
	char msg[KSP_ERROR_MSG_SIZE + KSP_ERROR_FILE_SIZE + 128];
	int rc;

	ksp_error_clear(&err);
	if ((rc = ksp_job_start(s, it->id, &err))) {
		/* Not queued any more: leave it.  Anything else: say why it did not run. */
		if (rc != KSP_ECONFLICT) {
			ksp_error_format(&err, msg, sizeof(msg));
			ksp_job_finish(s, it->id, 0, msg, NULL);
		}
		return;
	}
	params = json_loads(it->params, 0, NULL);
	if (!params)
		params = json_object();
	if (!strcmp(it->kind, "forecast"))
		rc = run_forecast(s, params, &pr, &result, &err);
	else if (!strcmp(it->kind, "backtest"))
		rc = run_backtest(s, params, &result, &err);
	else if (!strcmp(it->kind, "match-run"))
		rc = run_match(s, params, &pr, &result, &err);
	else if (!strcmp(it->kind, "plan-orders"))
		rc = run_plan(s, params, KSP_PLAN_ORDERS, &result, &err);
	else if (!strcmp(it->kind, "plan-migration"))
		rc = run_plan(s, params, KSP_PLAN_MIGRATION, &result, &err);
	else
		rc = ksp_error_set(&err, KSP_EINTERNAL, "no such kind of job \"%s\"", it->kind);
	json_decref(params);
	if (rc) {
		ksp_error_format(&err, msg, sizeof(msg));
		ksp_job_finish(s, it->id, 0, msg, NULL);
	} else {
		char *txt = json_dumps(result, JSON_COMPACT);

		ksp_job_finish(s, it->id, 1, txt ? txt : "{}", NULL);
		free(txt);
	}
	json_decref(result);
}

static void *worker(void *arg)
{
	struct srv_jobs *j = arg;
	struct ksp_store *s = NULL, *ps = NULL;
	struct ksp_error err;

	if (ksp_store_open(&s, j->db, 0, &err)) {
		fprintf(stderr, "kasip: job worker: %s\n", err.msg);
		s = NULL;
	}
	if (s && !ksp_store_open(&ps, j->db, 0, NULL))
		ksp_store_set_busy_timeout(ps, 0);
	else
		ps = NULL;
	for (;;) {
		struct item *it;

		pthread_mutex_lock(&j->mu);
		while (!j->head && !j->stopping)
			pthread_cond_wait(&j->cv, &j->mu);
		if (j->stopping) {
			pthread_mutex_unlock(&j->mu);
			break;
		}
		it = j->head;
		j->head = it->next;
		if (!j->head)
			j->tail = NULL;
		j->n--;
		pthread_mutex_unlock(&j->mu);
		if (s)
			run_one(s, ps, it);
		free(it->params);
		free(it);
	}
	if (ps)
		ksp_store_close(ps);
	if (s)
		ksp_store_close(s);
	return NULL;
}

struct srv_jobs *srv_jobs_start(const char *db, int n)
{
	struct srv_jobs *j = calloc(1, sizeof(*j));

	if (!j)
		abort();
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	j->db = dupstr(db);
	j->nthreads = n > 0 ? n : SRV_JOB_WORKERS;
	j->threads = calloc((size_t)j->nthreads, sizeof(*j->threads));
	if (!j->threads)
		abort();
	for (int i = 0; i < j->nthreads; i++)
		if (pthread_create(&j->threads[i], NULL, worker, j)) {
			fprintf(stderr, "kasip: could not start a job worker\n");
			abort();
		}
	return j;
}

int srv_jobs_submit(struct srv_jobs *j, long long id, const char *kind, const char *params)
{
	struct item *it;

	if (!j)
		return -1;
	pthread_mutex_lock(&j->mu);
	if (j->stopping || j->n >= SRV_JOB_QUEUE_MAX) {
		pthread_mutex_unlock(&j->mu);
		return -1;
	}
	it = calloc(1, sizeof(*it));
	if (!it)
		abort();
	it->id = id;
	snprintf(it->kind, sizeof(it->kind), "%s", kind);
	it->params = dupstr(params);
	if (j->tail)
		j->tail->next = it;
	else
		j->head = it;
	j->tail = it;
	j->n++;
	pthread_cond_signal(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return 0;
}

void srv_jobs_stop(struct srv_jobs *j)
{
	struct ksp_store *s = NULL;
	struct item *it;

	if (!j)
		return;
	pthread_mutex_lock(&j->mu);
	j->stopping = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	for (int i = 0; i < j->nthreads; i++)
		pthread_join(j->threads[i], NULL);
	if (ksp_store_open(&s, j->db, 0, NULL))
		s = NULL;
	while ((it = j->head)) {
		j->head = it->next;
		if (s)
			ksp_job_finish(s, it->id, 0, "the server stopped before the job ran", NULL);
		free(it->params);
		free(it);
	}
	if (s)
		ksp_store_close(s);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j->threads);
	free(j->db);
	free(j);
}

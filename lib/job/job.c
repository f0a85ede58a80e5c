/*
 * job.c - long work recorded in the database (kasip/job.h).
 */
#include "kasip/job.h"
#include "store/store.h"
#include "util/xmalloc.h"

static const char *const state_names[] = { "queued", "running", "done", "failed" };

const char *ksp_job_state_name(int state)
{
	return state >= 0 && state <= KSP_JOB_FAILED ? state_names[state] : "?";
}

static int state_parse(const char *s)
{
	for (int i = 0; i <= KSP_JOB_FAILED; i++)
		if (!strcmp(s, state_names[i]))
			return i;
	return KSP_JOB_FAILED;
}

static void now_utc(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Run one write statement; KSP_OK when it changed a row, else ENOTFOUND/ECONFLICT. */
static int exec_one(struct ksp_store *s, struct ksp_stmt *st, long long id, int none_code,
		    struct ksp_error *err)
{
	int rc = ksp_stmt_step(st, err);

	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	if (ksp_store_changes(s) < 1)
		return ksp_error_set(err, none_code,
				     none_code == KSP_ENOTFOUND ? "no job %lld"
								: "job %lld is not in a state to do that",
				     id);
	return KSP_OK;
}

int ksp_job_create(struct ksp_store *s, const char *kind, const char *params, const char *owner,
		   long long *id, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char now[32];
	long long next = 0;
	int rc, own_tx;

	if (!kind || !*kind || strlen(kind) >= sizeof(((struct ksp_job *)0)->kind))
		return ksp_error_set(err, KSP_EUSAGE, "a job needs a kind of at most 31 bytes");
	if (params && strlen(params) >= KSP_JOB_TEXT_MAX)
		return ksp_error_set(err, KSP_ETOOBIG, "job parameters over %d bytes",
				     KSP_JOB_TEXT_MAX - 1);
	now_utc(now, sizeof(now));
	/* One transaction: the id read back is the one this INSERT took, whoever else writes. */
	own_tx = !ksp_store_in_transaction(s);
	if (own_tx && (rc = ksp_store_begin(s, err)))
		return rc;
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO job (id, kind, state, params, owner, created) "
			      "SELECT coalesce(max(id), 0) + 1, ?, 'queued', ?, ?, ? FROM job",
			      &st, err);
	if (rc)
		goto out;
	ksp_stmt_bind_text(st, 1, kind, -1);
	ksp_stmt_bind_text(st, 2, params ? params : "", -1);
	ksp_stmt_bind_text(st, 3, owner ? owner : "", -1);
	ksp_stmt_bind_text(st, 4, now, -1);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		goto out;
	rc = ksp_store_query_int(s, "SELECT max(id) FROM job", &next, err, (const char *)NULL);
	if (rc == KSP_DONE)
		rc = ksp_error_set(err, KSP_EINTERNAL, "the new job is not in the database");
	if (rc)
		goto out;
	if (own_tx && (rc = ksp_store_commit(s, err)))
		goto out;
	own_tx = 0;
out:
	if (own_tx)
		ksp_store_rollback(s);
	if (rc)
		return rc;
	*id = next;
	return KSP_OK;
}

int ksp_job_start(struct ksp_store *s, long long id, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char now[32];
	int rc;

	now_utc(now, sizeof(now));
	rc = ksp_stmt_prepare(s,
			      "UPDATE job SET state = 'running', started = ? "
			      "WHERE id = ? AND state = 'queued'",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, now, -1);
	ksp_stmt_bind_int64(st, 2, id);
	return exec_one(s, st, id, KSP_ECONFLICT, err);
}

int ksp_job_progress(struct ksp_store *s, long long id, double progress, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	if (!(progress >= 0))
		progress = 0;
	if (progress > 1)
		progress = 1;
	rc = ksp_stmt_prepare(s, "UPDATE job SET progress = ? WHERE id = ? AND state = 'running'",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_double(st, 1, progress);
	ksp_stmt_bind_int64(st, 2, id);
	return exec_one(s, st, id, KSP_ECONFLICT, err);
}

int ksp_job_finish(struct ksp_store *s, long long id, int ok, const char *text,
		   struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char now[32];
	size_t len = text ? strlen(text) : 0;
	int rc;

	if (len >= KSP_JOB_TEXT_MAX)
		len = KSP_JOB_TEXT_MAX - 1;
	/* Do not cut a UTF-8 sequence in two. */
	while (len && text && len < strlen(text) && ((unsigned char)text[len] & 0xC0) == 0x80)
		len--;
	now_utc(now, sizeof(now));
	rc = ksp_stmt_prepare(s,
			      ok ? "UPDATE job SET state = 'done', progress = 1, result = ?, "
				   "finished = ? WHERE id = ? AND state IN ('queued','running')"
				 : "UPDATE job SET state = 'failed', error = ?, finished = ? "
				   "WHERE id = ? AND state IN ('queued','running')",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, text ? text : "", (long)len);
	ksp_stmt_bind_text(st, 2, now, -1);
	ksp_stmt_bind_int64(st, 3, id);
	return exec_one(s, st, id, KSP_ECONFLICT, err);
}

static const char job_columns[] = "SELECT id, kind, state, progress, params, result, error, "
				  "owner, created, started, finished FROM job ";

static void job_read(struct ksp_stmt *st, struct ksp_job *j)
{
	memset(j, 0, sizeof(*j));
	j->id = ksp_stmt_column_int64(st, 0);
	snprintf(j->kind, sizeof(j->kind), "%s", ksp_stmt_column_text(st, 1));
	j->state = state_parse(ksp_stmt_column_text(st, 2));
	j->progress = ksp_stmt_column_double(st, 3);
	snprintf(j->params, sizeof(j->params), "%s", ksp_stmt_column_text(st, 4));
	snprintf(j->result, sizeof(j->result), "%s", ksp_stmt_column_text(st, 5));
	snprintf(j->error, sizeof(j->error), "%s", ksp_stmt_column_text(st, 6));
	snprintf(j->owner, sizeof(j->owner), "%s", ksp_stmt_column_text(st, 7));
	snprintf(j->created, sizeof(j->created), "%s", ksp_stmt_column_text(st, 8));
	snprintf(j->started, sizeof(j->started), "%s", ksp_stmt_column_text(st, 9));
	snprintf(j->finished, sizeof(j->finished), "%s", ksp_stmt_column_text(st, 10));
}

int ksp_job_get(struct ksp_store *s, long long id, struct ksp_job *out, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char sql[256];
	int rc;

	snprintf(sql, sizeof(sql), "%sWHERE id = ?", job_columns);
	if ((rc = ksp_stmt_prepare(s, sql, &st, err)))
		return rc;
	ksp_stmt_bind_int64(st, 1, id);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		job_read(st, out);
		rc = KSP_OK;
	} else if (rc == KSP_DONE) {
		rc = ksp_error_set(err, KSP_ENOTFOUND, "no job %lld", id);
	}
	ksp_stmt_finalize(st);
	return rc;
}

int ksp_job_list(struct ksp_store *s, size_t offset, size_t limit, struct ksp_job **out,
		 size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char sql[256];
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!limit)
		limit = 100;
	snprintf(sql, sizeof(sql), "%sORDER BY id DESC LIMIT ? OFFSET ?", job_columns);
	if ((rc = ksp_stmt_prepare(s, sql, &st, err)))
		return rc;
	ksp_stmt_bind_int64(st, 1, (long long)(limit > (size_t)INT32_MAX ? (size_t)INT32_MAX : limit));
	ksp_stmt_bind_int64(st, 2, (long long)(offset > (size_t)INT64_MAX ? (size_t)INT64_MAX : offset));
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		job_read(st, &(*out)[(*n)++]);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

int ksp_job_fail_interrupted(struct ksp_store *s, const char *reason, long *n,
			     struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	char now[32];
	int rc;

	now_utc(now, sizeof(now));
	rc = ksp_stmt_prepare(s,
			      "UPDATE job SET state = 'failed', error = ?, finished = ? "
			      "WHERE state IN ('queued','running')",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, reason ? reason : "interrupted", -1);
	ksp_stmt_bind_text(st, 2, now, -1);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE)
		return rc;
	if (n)
		*n = (long)ksp_store_changes(s);
	return KSP_OK;
}

/*
 * kasip/job.h - long work recorded in the database.
 *
 * A job (a forecast or a matching run submitted through the server) is a
 * row that goes queued -> running -> done | failed, with a progress from
 * 0 to 1, its parameters and its outcome as JSON text, and who asked for
 * it (a key's name, never the key).  The row is written before the work
 * starts, so a job cut off by a restart is still there:
 * ksp_job_fail_interrupted() marks such jobs failed, with a reason, when
 * the server starts.  Every function is one short statement; thread-safe
 * given one store handle per thread.
 */
#ifndef KASIP_JOB_H
#define KASIP_JOB_H

#include <stddef.h>

#include "kasip/error.h"
#include "kasip/store.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ksp_job_state { KSP_JOB_QUEUED, KSP_JOB_RUNNING, KSP_JOB_DONE, KSP_JOB_FAILED };

#define KSP_JOB_TEXT_MAX 4096 /* bytes of params, result and error kept */

struct ksp_job {
	long long id;
	char kind[32];   /* "forecast", "match-run", ... */
	int state;       /* enum ksp_job_state */
	double progress; /* 0..1 */
	char params[KSP_JOB_TEXT_MAX];
	char result[KSP_JOB_TEXT_MAX];
	char error[KSP_JOB_TEXT_MAX];
	char owner[128];
	char created[32], started[32], finished[32]; /* UTC ISO 8601; "" when not yet */
};

/* "queued", "running", "done", "failed". */
const char *ksp_job_state_name(int state);

/* Record a new queued job; *id receives its id.  Texts over the cap: KSP_ETOOBIG. */
int ksp_job_create(struct ksp_store *s, const char *kind, const char *params, const char *owner,
		   long long *id, struct ksp_error *err);
/* queued -> running (KSP_ECONFLICT when the job is not queued). */
int ksp_job_start(struct ksp_store *s, long long id, struct ksp_error *err);
/* Set the progress (clamped to 0..1) of a running job. */
int ksp_job_progress(struct ksp_store *s, long long id, double progress, struct ksp_error *err);
/* running|queued -> done (text: the result) or failed (text: why); truncated to the cap. */
int ksp_job_finish(struct ksp_store *s, long long id, int ok, const char *text,
		   struct ksp_error *err);
/* One job.  KSP_ENOTFOUND. */
int ksp_job_get(struct ksp_store *s, long long id, struct ksp_job *out, struct ksp_error *err);
/* Jobs newest first, skipping offset, at most limit (0: 100); free with free(). */
int ksp_job_list(struct ksp_store *s, size_t offset, size_t limit, struct ksp_job **out,
		 size_t *n, struct ksp_error *err);
/*
 * Mark every queued or running job failed with reason (a restart cut them
 * off); *n (may be NULL) receives how many.
 */
int ksp_job_fail_interrupted(struct ksp_store *s, const char *reason, long *n,
			     struct ksp_error *err);

#ifdef __cplusplus
}
#endif
#endif

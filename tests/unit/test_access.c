/*
 * test_access.c - API keys (kasip/apikey.h) and the job records
 * (kasip/job.h): a key is shown once and kept only as a hash, a revoked or
 * altered key is refused, a job goes queued -> running -> done|failed, and
 * one left running by a restart is marked failed with its reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kasip/kasip.h"
#include "store/store.h"

TEST(key_roundtrip)
{
	struct ksp_store *s = harness_fresh_store();
	struct ksp_apikey info, got, *list = NULL;
	struct ksp_error err;
	char key[KSP_APIKEY_SIZE], other[KSP_APIKEY_SIZE];
	long long n = -1;
	size_t nl = 0;

	CHECK_EQ_INT(ksp_apikey_new(s, "akimat-59", KSP_ROLE_ANALYST, "KZ-59", key, &info, &err),
		     KSP_OK);
	CHECK_EQ_INT(strlen(key), 49);
	CHECK(!strncmp(key, "kasip_", 6));
	CHECK_EQ_STR(info.region, "590000000");
	CHECK_EQ_INT(ksp_apikey_check(s, key, &got, &err), KSP_OK);
	CHECK_EQ_STR(got.name, "akimat-59");
	CHECK_EQ_INT(got.role, KSP_ROLE_ANALYST);
	CHECK_EQ_STR(got.region, "590000000");
	/* The key's text is nowhere in the database. */
	ksp_store_query_int(s, "SELECT count(*) FROM api_key WHERE hash = ? OR prefix = ?", &n,
			    NULL, key, key, (const char *)NULL);
	CHECK_EQ_INT(n, 0);
	/* One character changed: refused, and the message does not repeat the key. */
	snprintf(other, sizeof(other), "%s", key);
	other[40] = other[40] == 'A' ? 'B' : 'A';
	CHECK_EQ_INT(ksp_apikey_check(s, other, NULL, &err), KSP_ENOTFOUND);
	CHECK(!strstr(err.msg, other + 6));
	CHECK_EQ_INT(ksp_apikey_check(s, "kasip_short", NULL, &err), KSP_ENOTFOUND);
	CHECK_EQ_INT(ksp_apikey_check(s, "", NULL, &err), KSP_ENOTFOUND);
	/* Names are unique; roles and regions are checked. */
	CHECK_EQ_INT(ksp_apikey_new(s, "akimat-59", KSP_ROLE_VIEWER, NULL, other, NULL, &err),
		     KSP_ECONFLICT);
	CHECK_EQ_INT(ksp_apikey_new(s, "x", KSP_ROLE_NONE, NULL, other, NULL, &err), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_apikey_new(s, "y", KSP_ROLE_ADMIN, "KZ-99", other, NULL, &err),
		     KSP_ENOTFOUND);
	CHECK_EQ_INT(ksp_apikey_new(s, "", KSP_ROLE_ADMIN, NULL, other, NULL, &err), KSP_EUSAGE);
	CHECK_EQ_INT(ksp_apikey_new(s, "ops", KSP_ROLE_ADMIN, NULL, other, NULL, &err), KSP_OK);
	CHECK(strcmp(key, other) != 0);
	CHECK_EQ_INT(ksp_apikey_list(s, &list, &nl, &err), KSP_OK);
	CHECK_EQ_INT(nl, 2);
	if (nl == 2) {
		CHECK_EQ_STR(list[1].name, "ops");
		CHECK_EQ_INT(list[1].role, KSP_ROLE_ADMIN);
	}
	free(list);
	/* Revoked: refused. */
	CHECK_EQ_INT(ksp_apikey_revoke(s, "akimat-59", &err), KSP_OK);
	CHECK_EQ_INT(ksp_apikey_check(s, key, NULL, &err), KSP_ENOTFOUND);
	CHECK_EQ_INT(ksp_apikey_revoke(s, "akimat-59", &err), KSP_ENOTFOUND);
	CHECK_EQ_INT(ksp_apikey_check(s, other, NULL, &err), KSP_OK);
	CHECK_EQ_STR(ksp_role_name(ksp_role_parse("viewer")), "viewer");
	CHECK_EQ_INT(ksp_role_parse("root"), KSP_ROLE_NONE);
	ksp_store_close(s);
}

TEST(job_lifecycle)
{
	struct ksp_store *s = harness_fresh_store();
	struct ksp_job j, *list = NULL;
	struct ksp_error err;
	long long a = 0, b = 0, c = 0;
	long nf = -1;
	size_t n = 0;

	CHECK_EQ_INT(ksp_job_create(s, "forecast", "{\"to\":2030}", "ops", &a, &err), KSP_OK);
	CHECK_EQ_INT(ksp_job_create(s, "forecast", "{}", "ops", &b, &err), KSP_OK);
	CHECK_EQ_INT(ksp_job_create(s, "match-run", "{}", "", &c, &err), KSP_OK);
	CHECK(a > 0 && b == a + 1 && c == b + 1);
	CHECK_EQ_INT(ksp_job_get(s, a, &j, &err), KSP_OK);
	CHECK_EQ_INT(j.state, KSP_JOB_QUEUED);
	CHECK_EQ_STR(j.params, "{\"to\":2030}");
	CHECK_EQ_INT(ksp_job_progress(s, a, 0.5, &err), KSP_ECONFLICT); /* not running */
	CHECK_EQ_INT(ksp_job_start(s, a, &err), KSP_OK);
	CHECK_EQ_INT(ksp_job_start(s, a, &err), KSP_ECONFLICT);
	CHECK_EQ_INT(ksp_job_progress(s, a, 7, &err), KSP_OK);
	CHECK_EQ_INT(ksp_job_get(s, a, &j, &err), KSP_OK);
	CHECK_NEAR(j.progress, 1, 0);
	CHECK_EQ_STR(ksp_job_state_name(j.state), "running");
	CHECK(j.started[0] != 0);
	CHECK_EQ_INT(ksp_job_finish(s, a, 1, "{\"run\":1}", &err), KSP_OK);
	CHECK_EQ_INT(ksp_job_finish(s, a, 0, "late", &err), KSP_ECONFLICT);
	CHECK_EQ_INT(ksp_job_get(s, a, &j, &err), KSP_OK);
	CHECK_EQ_INT(j.state, KSP_JOB_DONE);
	CHECK_EQ_STR(j.result, "{\"run\":1}");
	/* A restart: b (queued) and c (running) are marked failed with the reason. */
	CHECK_EQ_INT(ksp_job_start(s, c, &err), KSP_OK);
	CHECK_EQ_INT(ksp_job_fail_interrupted(s, "the server restarted", &nf, &err), KSP_OK);
	CHECK_EQ_INT(nf, 2);
	CHECK_EQ_INT(ksp_job_get(s, c, &j, &err), KSP_OK);
	CHECK_EQ_INT(j.state, KSP_JOB_FAILED);
	CHECK_EQ_STR(j.error, "the server restarted");
	CHECK_EQ_INT(ksp_job_get(s, a, &j, &err), KSP_OK);
	CHECK_EQ_INT(j.state, KSP_JOB_DONE);
	CHECK_EQ_INT(ksp_job_get(s, 99, &j, &err), KSP_ENOTFOUND);
	CHECK_EQ_INT(ksp_job_list(s, 1, 10, &list, &n, &err), KSP_OK);
	CHECK_EQ_INT(n, 2);
	if (n == 2)
		CHECK_EQ_INT(list[0].id, b);
	free(list);
	ksp_store_close(s);
}

int main(void)
{
	RUN(key_roundtrip);
	RUN(job_lifecycle);
	harness_db_cleanup();
	return harness_done();
}

/*
 * test_match.c - dual-training placement (kasip/match.h).
 *
 *  - every instance in tests/fixtures/matching/ (instances.json of each
 *    folder) gives both published stable matchings, student-optimal and
 *    enterprise-optimal, and every listed stable matching passes the
 *    checker; where all were counted, brute force finds as many;
 *  - random small instances (all three ranking rules, ties, geographic
 *    rules) against brute-force enumeration of every matching with an
 *    oracle written here from the definitions: the student-proposing
 *    result is stable and student-optimal, the enterprise-proposing one is
 *    stable and student-pessimal (= enterprise-optimal), and the checker
 *    agrees with the oracle on every feasible matching;
 *  - determinism, the lottery's reference values, the checker catching
 *    planted faults, explanations, cutoffs, statistics, input errors.
 *
 * spa_instances.json (student-project allocation) is not used: its
 * supervisors have their own capacities across projects, which a place
 * with a capacity cannot express (on the 2019 tutorial instance 10 of 26
 * supervisors would be over capacity), so it does not map onto this model.
 */
#include <dirent.h>
#include <jansson.h>

#include "harness.h"
#include "kasip/match.h"
#include "match/internal.h"

/* ---- fixtures -------------------------------------------------------------- */

struct fx {
	struct ksp_match_instance in;
	int nres, nhosp;
	const char **res_name; /* borrowed from the JSON */
	const char **hosp_name;
};

static int fx_index(const char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

static void fx_release(struct fx *f)
{
	ksp_match_instance_release(&f->in);
	free(f->res_name);
	free(f->hosp_name);
}

/* Build the instance: places = hospitals with their explicit lists, students = residents. */
static int fx_build(struct fx *f, json_t *inst)
{
	json_t *res = json_object_get(inst, "residents"), *hosp = json_object_get(inst, "hospitals");
	const char *key;
	json_t *val;
	int i;

	memset(f, 0, sizeof(*f));
	ksp_match_instance_init(&f->in);
	if (!json_is_object(res) || !json_is_object(hosp))
		return -1;
	f->nres = (int)json_object_size(res);
	f->nhosp = (int)json_object_size(hosp);
	f->res_name = calloc((size_t)f->nres + 1, sizeof(char *));
	f->hosp_name = calloc((size_t)f->nhosp + 1, sizeof(char *));
	i = 0;
	json_object_foreach(hosp, key, val)
	{
		f->hosp_name[i++] = key;
		if (ksp_match_add_place(&f->in, key, -1, -1, -1,
					(int32_t)json_integer_value(json_object_get(val, "capacity")),
					NULL))
			return -1;
	}
	i = 0;
	json_object_foreach(res, key, val)
	{
		int32_t prefs[64];
		size_t n = json_array_size(val);

		f->res_name[i++] = key;
		if (n > 64)
			return -1;
		for (size_t j = 0; j < n; j++) {
			prefs[j] = fx_index(f->hosp_name, f->nhosp,
					    json_string_value(json_array_get(val, j)));
			if (prefs[j] < 0)
				return -1;
		}
		if (ksp_match_add_student(&f->in, key, -1, -1, -1, 50.0, prefs, n, NULL))
			return -1;
	}
	i = 0;
	json_object_foreach(hosp, key, val)
	{
		json_t *prefs = json_object_get(val, "prefs");
		size_t n = json_array_size(prefs);
		int32_t *who = calloc(n + 1, sizeof(*who));

		for (size_t j = 0; j < n; j++) {
			who[j] = fx_index(f->res_name, f->nres,
					  json_string_value(json_array_get(prefs, j)));
			if (who[j] < 0) {
				free(who);
				return -1;
			}
		}
		if (ksp_match_rank_students(&f->in, i, who, NULL, n, NULL)) {
			free(who);
			return -1;
		}
		free(who);
		i++;
	}
	return ksp_match_instance_check(&f->in, NULL);
}

/* Read {student: place or null} into place[] (by student index); -1 on a bad name. */
static int fx_matching(const struct fx *f, json_t *m, int32_t *place)
{
	const char *key;
	json_t *val;

	for (int s = 0; s < f->nres; s++)
		place[s] = -1;
	json_object_foreach(m, key, val)
	{
		int s = fx_index(f->res_name, f->nres, key);

		if (s < 0)
			return -1;
		if (json_is_null(val))
			continue;
		place[s] = fx_index(f->hosp_name, f->nhosp, json_string_value(val));
		if (place[s] < 0)
			return -1;
	}
	return 0;
}

/* Rank a student gives to their place (position; unmatched = list length + 1). */
static int32_t student_rank(const struct ksp_match_instance *in, int32_t s, int32_t p)
{
	int32_t c = p < 0 ? -1 : ksp_match_choice_of(in, s, p);

	return c < 0 ? in->pref_start[s + 1] - in->pref_start[s] + 1 : c;
}

static int same_places(const int32_t *a, const int32_t *b, int32_t n)
{
	for (int32_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Brute force for fixtures: count the stable matchings (strict lists, no ties). */
struct fx_enum {
	const struct ksp_match_instance *in;
	int32_t *place, *count;
	long long stable;
	struct ksp_match_result *res;
};

static void fx_enum_rec(struct fx_enum *e, int32_t s)
{
	const struct ksp_match_instance *in = e->in;

	if (s == in->nstudents) {
		for (int32_t i = 0; i < in->nstudents; i++)
			e->res->place[i] = e->place[i];
		if (ksp_match_verify(in, &(struct ksp_match_options){ .seed = 1 }, e->res, NULL,
				     NULL) == KSP_OK)
			e->stable++;
		return;
	}
	e->place[s] = -1;
	fx_enum_rec(e, s + 1);
	for (int32_t k = in->pref_start[s]; k < in->pref_start[s + 1]; k++) {
		int32_t p = in->pref[k];

		if (e->count[p] >= in->capacity[p] || !ksp_match_listed_rank(in, p, s))
			continue;
		e->count[p]++;
		e->place[s] = p;
		fx_enum_rec(e, s + 1);
		e->count[p]--;
	}
	e->place[s] = -1;
}

static int n_fixture_instances, n_fixture_enumerated;

static void check_fixture_file(const char *path)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr), *insts;
	size_t i;

	CHECK(root != NULL);
	if (!root) {
		printf("  %s: %s\n", path, jerr.text);
		return;
	}
	CHECK_EQ_STR(json_string_value(json_object_get(root, "format")), "kasip-matching-fixture/1");
	insts = json_object_get(root, "instances");
	for (i = 0; i < json_array_size(insts); i++) {
		json_t *inst = json_array_get(insts, i), *exp = json_object_get(inst, "expected");
		const char *name = json_string_value(json_object_get(inst, "name"));
		struct ksp_match_options opt;
		struct ksp_match_result so, eo, tmp;
		struct ksp_match_violation v;
		json_t *all = json_object_get(exp, "all_stable_matchings");
		int32_t *want;
		struct fx f;
		int ok = 1, built;

		built = fx_build(&f, inst) == 0;
		CHECK(built);
		if (!built) {
			printf("  %s: %s: cannot build the instance\n", path, name);
			fx_release(&f);
			continue;
		}
		n_fixture_instances++;
		want = calloc((size_t)f.nres + 1, sizeof(*want));
		ksp_match_options_init(&opt);
		CHECK_EQ_INT(ksp_match_run(&f.in, &opt, &so, NULL), KSP_OK);
		opt.proposing = KSP_MATCH_ENTERPRISES;
		CHECK_EQ_INT(ksp_match_run(&f.in, &opt, &eo, NULL), KSP_OK);

		CHECK_EQ_INT(fx_matching(&f, json_object_get(exp, "resident_optimal"), want), 0);
		if (!same_places(so.place, want, f.nres)) {
			ok = 0;
			printf("  %s: student-optimal differs\n", name);
		}
		CHECK_EQ_INT(fx_matching(&f, json_object_get(exp, "hospital_optimal"), want), 0);
		if (!same_places(eo.place, want, f.nres)) {
			ok = 0;
			printf("  %s: enterprise-optimal differs\n", name);
		}
		if (ksp_match_verify(&f.in, &opt, &so, &v, NULL) != KSP_OK ||
		    ksp_match_verify(&f.in, &opt, &eo, &v, NULL) != KSP_OK) {
			ok = 0;
			printf("  %s: not stable: %s\n", name, v.text);
		}

		/* Every listed stable matching: stable, between the two optima. */
		ksp_match_result_init(&tmp, &f.in);
		memcpy(tmp.lottery, so.lottery, (size_t)f.nres * sizeof(*tmp.lottery));
		for (size_t j = 0; j < json_array_size(all); j++) {
			CHECK_EQ_INT(fx_matching(&f, json_array_get(all, j), tmp.place), 0);
			if (ksp_match_verify(&f.in, &opt, &tmp, &v, NULL) != KSP_OK) {
				ok = 0;
				printf("  %s: listed matching %zu: %s\n", name, j, v.text);
			}
			for (int32_t s = 0; s < f.nres; s++)
				if (student_rank(&f.in, s, so.place[s]) >
					    student_rank(&f.in, s, tmp.place[s]) ||
				    student_rank(&f.in, s, tmp.place[s]) >
					    student_rank(&f.in, s, eo.place[s])) {
					ok = 0;
					printf("  %s: listed matching %zu not between the optima\n",
					       name, j);
					break;
				}
		}
		if (json_array_size(all))
			CHECK_EQ_INT((long long)json_array_size(all),
				     json_integer_value(
					     json_object_get(exp, "number_of_stable_matchings")));

		/* Count the stable matchings by brute force where that is small. */
		if (json_is_integer(json_object_get(exp, "number_of_stable_matchings"))) {
			double space = 1;

			for (int32_t s = 0; s < f.nres; s++)
				space *= f.in.pref_start[s + 1] - f.in.pref_start[s] + 1;
			if (space <= 2e6) {
				struct fx_enum e = { &f.in, NULL, NULL, 0, &tmp };

				e.place = calloc((size_t)f.nres + 1, sizeof(*e.place));
				e.count = calloc((size_t)f.nhosp + 1, sizeof(*e.count));
				fx_enum_rec(&e, 0);
				if (e.stable != json_integer_value(json_object_get(
							exp, "number_of_stable_matchings"))) {
					ok = 0;
					printf("  %s: brute force finds %lld stable matchings\n", name,
					       e.stable);
				}
				n_fixture_enumerated++;
				free(e.place);
				free(e.count);
			}
		}
		CHECK(ok);
		printf("  %-55s %s\n", name, ok ? "ok" : "FAILED");
		ksp_match_result_release(&tmp);
		ksp_match_result_release(&so);
		ksp_match_result_release(&eo);
		free(want);
		fx_release(&f);
	}
	json_decref(root);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(fixtures)
{
	const char *dir = harness_path("KSP_SRC", "tests/fixtures/matching");
	DIR *d = opendir(dir);
	struct dirent *de;
	char *names[64], path[4096];
	int n = 0, files = 0;

	CHECK(d != NULL);
	if (!d)
		return;
	while ((de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), cmp_str);
	for (int i = 0; i < n; i++) {
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s/instances.json", dir, names[i]);
		if ((fp = fopen(path, "r"))) {
			fclose(fp);
			printf("  %s/instances.json\n", names[i]);
			check_fixture_file(path);
			files++;
		}
		free(names[i]);
	}
	/* The README lists six folders and 21 instances. */
	CHECK(files >= 6);
	CHECK(n_fixture_instances >= 21);
	printf("  %d instances, %d counted by brute force\n", n_fixture_instances,
	       n_fixture_enumerated);
}

/* ---- random small instances against brute force -------------------------- */

#define TS 6 /* students */
#define TP 4 /* places */
#define TC 3 /* colleges */

struct tinst {
	int ns, np;
	int cap[TP], rule[TP], pregion[TP];
	double score[TS];
	int college[TS], sregion[TS];
	int nlist[TS], list[TS][TP]; /* student preferences */
	int lrank[TP][TS];           /* LIST: rank value of each student, 0 unlisted */
	int crank[TP][TC];           /* COLLEGE: rank value of each college, 0 unlisted */
	int geo;                     /* 0 none, 1 max_km, 2 same region */
	double max_km;
};

static const double region_lon[3] = { 0.0, 1.0, 2.5 }; /* on the equator */

static double t_km(int a, int b)
{
	/* on the equator, the great-circle distance is the arc of longitude */
	return 6371.0088 * fabs(region_lon[a] - region_lon[b]) * 3.14159265358979323846 / 180.0;
}

/*
 * A random instance.  Odd seeds ("rich"): long lists, capacities 1-2, few
 * ties, so that many instances have several stable matchings and the
 * optimality checks bite; even seeds: anything goes (capacity 0, empty
 * lists, unlisted students, many ties, geography).
 */
static void t_random(struct tinst *t, struct match_rng *r, int rich)
{
	memset(t, 0, sizeof(*t));
	t->ns = 1 + (int)match_rng_below(r, TS);
	t->np = 1 + (int)match_rng_below(r, TP);
	t->geo = (int)match_rng_below(r, 5);
	t->geo = t->geo > 2 ? 0 : t->geo;
	t->max_km = 150.0; /* neighbours 111 km apart pass, 167 and 278 km do not */
	for (int p = 0; p < t->np; p++) {
		t->cap[p] = (int)match_rng_below(r, 4); /* 0..3 */
		t->rule[p] = (int)match_rng_below(r, 3);
		t->pregion[p] = (int)match_rng_below(r, 3);
		for (int s = 0; s < t->ns; s++) /* about 3/4 listed, ranks 1..3 with ties */
			t->lrank[p][s] = match_rng_below(r, 4) ? 1 + (int)match_rng_below(r, 3) : 0;
		for (int c = 0; c < TC; c++)
			t->crank[p][c] = match_rng_below(r, 4) ? 1 + (int)match_rng_below(r, 2) : 0;
	}
	int odd_scores = !match_rng_below(r, 4);

	for (int s = 0; s < t->ns; s++) {
		int perm[TP];

		t->score[s] = 50.0 + 10.0 * match_rng_below(r, 3); /* ties are common */
		if (odd_scores) /* negative, not whole thousandths: the general sort in da.c */
			t->score[s] = -5.0 + 0.0001 * match_rng_below(r, 3);
		t->college[s] = (int)match_rng_below(r, TC + 1) - 1; /* -1: no college */
		t->sregion[s] = (int)match_rng_below(r, 3);
		for (int p = 0; p < t->np; p++)
			perm[p] = p;
		for (int p = t->np - 1; p > 0; p--) {
			int j = (int)match_rng_below(r, (uint32_t)p + 1), x = perm[p];

			perm[p] = perm[j];
			perm[j] = x;
		}
		t->nlist[s] = (int)match_rng_below(r, (uint32_t)t->np + 1);
		for (int i = 0; i < t->nlist[s]; i++)
			t->list[s][i] = perm[i];
	}
	if (!rich)
		return;
	memset(t, 0, sizeof(*t));
	t->np = 3 + (int)match_rng_below(r, TP - 2);
	t->ns = t->np + (int)match_rng_below(r, 3);
	for (int p = 0; p < t->np; p++) {
		t->cap[p] = 1 + !match_rng_below(r, 4);
		t->rule[p] = match_rng_below(r, 4) ? KSP_RANK_LIST : KSP_RANK_SCORE;
		for (int s = 0; s < t->ns; s++) /* a strict list: a random permutation */
			t->lrank[p][s] = s + 1;
		for (int s = t->ns - 1; s > 0; s--) {
			int j = (int)match_rng_below(r, (uint32_t)s + 1), x = t->lrank[p][s];

			t->lrank[p][s] = t->lrank[p][j];
			t->lrank[p][j] = x;
		}
	}
	for (int s = 0; s < t->ns; s++) {
		t->score[s] = 40.0 + match_rng_below(r, 50);
		t->college[s] = -1;
		for (int p = 0; p < t->np; p++)
			t->list[s][p] = p;
		for (int p = t->np - 1; p > 0; p--) {
			int j = (int)match_rng_below(r, (uint32_t)p + 1), x = t->list[s][p];

			t->list[s][p] = t->list[s][j];
			t->list[s][j] = x;
		}
		t->nlist[s] = t->np - (int)match_rng_below(r, 2);
	}
	if (match_rng_below(r, 2))
		return;
	/* Half of them cyclic (a Latin square, many stable matchings), perturbed. */
	for (int s = 0; s < t->ns; s++)
		for (int i = 0; i < t->np; i++)
			t->list[s][i] = (s + i) % t->np;
	for (int p = 0; p < t->np; p++) {
		t->rule[p] = KSP_RANK_LIST;
		for (int i = 0; i < t->ns; i++)
			t->lrank[p][(p + 1 + i) % t->ns] = i + 1;
	}
	{
		int s = (int)match_rng_below(r, (uint32_t)t->ns), i = (int)match_rng_below(r, 2);
		int x = t->list[s][i];

		t->list[s][i] = t->list[s][i + 1];
		t->list[s][i + 1] = x;
	}
}

static void t_build(const struct tinst *t, struct ksp_match_instance *in)
{
	ksp_match_instance_init(in);
	for (int g = 0; g < 3; g++)
		CHECK_EQ_INT(ksp_match_add_region(in, NULL, 0.0, region_lon[g], NULL), KSP_OK);
	for (int c = 0; c < TC; c++)
		CHECK_EQ_INT(ksp_match_add_college(in, NULL, -1, NULL), KSP_OK);
	for (int p = 0; p < t->np; p++)
		CHECK_EQ_INT(ksp_match_add_place(in, NULL, -1, -1, t->pregion[p], t->cap[p], NULL),
			     KSP_OK);
	for (int s = 0; s < t->ns; s++) {
		int32_t prefs[TP];

		for (int i = 0; i < t->nlist[s]; i++)
			prefs[i] = t->list[s][i];
		CHECK_EQ_INT(ksp_match_add_student(in, NULL, t->college[s], -1, t->sregion[s],
						   t->score[s], prefs, (size_t)t->nlist[s], NULL),
			     KSP_OK);
	}
	for (int p = 0; p < t->np; p++) {
		int32_t who[TS], rank[TS];
		size_t n = 0;

		if (t->rule[p] == KSP_RANK_LIST) {
			for (int s = 0; s < t->ns; s++)
				if (t->lrank[p][s]) {
					who[n] = s;
					rank[n++] = t->lrank[p][s];
				}
			CHECK_EQ_INT(ksp_match_rank_students(in, p, who, rank, n, NULL), KSP_OK);
		} else if (t->rule[p] == KSP_RANK_COLLEGE) {
			for (int c = 0; c < TC; c++)
				if (t->crank[p][c]) {
					who[n] = c;
					rank[n++] = t->crank[p][c];
				}
			CHECK_EQ_INT(ksp_match_rank_colleges(in, p, who, rank, n, NULL), KSP_OK);
		}
	}
	CHECK_EQ_INT(ksp_match_instance_check(in, NULL), KSP_OK);
}

/* The oracle, from the definitions in kasip/match.h. */
static int t_acceptable(const struct tinst *t, int p, int s)
{
	if (t->geo == 1 && t_km(t->sregion[s], t->pregion[p]) > t->max_km)
		return 0;
	if (t->geo == 2 && t->sregion[s] != t->pregion[p])
		return 0;
	if (t->rule[p] == KSP_RANK_LIST)
		return t->lrank[p][s] > 0;
	if (t->rule[p] == KSP_RANK_COLLEGE)
		return t->college[s] >= 0 && t->crank[p][t->college[s]] > 0;
	return 1;
}

/* Place p strictly prefers s to t. */
static int t_better(const struct tinst *t, const uint64_t *lot, int p, int s, int u)
{
	if (t->rule[p] == KSP_RANK_LIST && t->lrank[p][s] != t->lrank[p][u])
		return t->lrank[p][s] < t->lrank[p][u];
	if (t->rule[p] == KSP_RANK_COLLEGE && t->crank[p][t->college[s]] != t->crank[p][t->college[u]])
		return t->crank[p][t->college[s]] < t->crank[p][t->college[u]];
	if (t->rule[p] != KSP_RANK_LIST && t->score[s] != t->score[u])
		return t->score[s] > t->score[u];
	if (lot[s] != lot[u])
		return lot[s] < lot[u];
	return s < u;
}

static int t_rank(const struct tinst *t, int s, int p)
{
	for (int i = 0; i < t->nlist[s]; i++)
		if (t->list[s][i] == p)
			return i;
	return TP + 1; /* unmatched */
}

static int t_stable(const struct tinst *t, const uint64_t *lot, const int32_t *m)
{
	int count[TP] = { 0 };

	for (int s = 0; s < t->ns; s++)
		if (m[s] >= 0)
			count[m[s]]++;
	for (int s = 0; s < t->ns; s++)
		for (int i = 0; i < t->nlist[s] && t->list[s][i] != m[s]; i++) {
			int p = t->list[s][i];

			if (!t_acceptable(t, p, s))
				continue;
			if (count[p] < t->cap[p])
				return 0;
			for (int u = 0; u < t->ns; u++)
				if (m[u] == p && t_better(t, lot, p, s, u))
					return 0;
		}
	return 1;
}

struct t_enum {
	const struct tinst *t;
	const struct ksp_match_instance *in;
	const struct ksp_match_options *opt;
	struct ksp_match_result *res; /* scratch for ksp_match_verify */
	int32_t m[TS];
	int count[TP];
	int32_t (*stable)[TS];
	int nstable, nfeasible, verify_disagrees;
};

static void t_enum_rec(struct t_enum *e, int s)
{
	const struct tinst *t = e->t;

	if (s == t->ns) {
		int st = t_stable(t, e->res->lottery, e->m);

		e->nfeasible++;
		if (st) {
			memcpy(e->stable[e->nstable++], e->m, sizeof(e->m));
		}
		memcpy(e->res->place, e->m, (size_t)t->ns * sizeof(int32_t));
		if ((ksp_match_verify(e->in, e->opt, e->res, NULL, NULL) == KSP_OK) != st)
			e->verify_disagrees++;
		return;
	}
	e->m[s] = -1;
	t_enum_rec(e, s + 1);
	for (int i = 0; i < t->nlist[s]; i++) {
		int p = t->list[s][i];

		if (e->count[p] >= t->cap[p] || !t_acceptable(t, p, s))
			continue;
		e->count[p]++;
		e->m[s] = p;
		t_enum_rec(e, s + 1);
		e->count[p]--;
	}
	e->m[s] = -1;
}

TEST(brute_force_random)
{
	int32_t(*stable)[TS] = malloc(sizeof(int32_t[TS]) * 20000);
	int bad_so = 0, bad_eo = 0, bad_verify = 0, bad_rural = 0, instances = 0, multi = 0;
	long long nstable_total = 0, nfeasible_total = 0;

	for (uint64_t seed = 1; seed <= 2000; seed++) {
		struct ksp_match_instance in;
		struct ksp_match_options opt;
		struct ksp_match_result so, eo, scratch;
		struct match_rng rng;
		struct tinst t;
		struct t_enum e;
		int so_found = 0, eo_found = 0;

		match_rng_seed(&rng, seed * 7919);
		t_random(&t, &rng, (int)(seed & 1));
		t_build(&t, &in);
		ksp_match_options_init(&opt);
		opt.seed = seed;
		opt.max_km = t.geo == 1 ? t.max_km : 0;
		opt.same_region = t.geo == 2;
		CHECK_EQ_INT(ksp_match_run(&in, &opt, &so, NULL), KSP_OK);
		opt.proposing = KSP_MATCH_ENTERPRISES;
		CHECK_EQ_INT(ksp_match_run(&in, &opt, &eo, NULL), KSP_OK);
		for (int s = 0; s < t.ns; s++)
			CHECK(so.lottery[s] == eo.lottery[s]);

		memset(&e, 0, sizeof(e));
		e.t = &t;
		e.in = &in;
		e.opt = &opt;
		e.stable = stable;
		ksp_match_result_init(&scratch, &in);
		memcpy(scratch.lottery, so.lottery, (size_t)t.ns * sizeof(uint64_t));
		e.res = &scratch;
		t_enum_rec(&e, 0);
		nstable_total += e.nstable;
		multi += e.nstable > 1;
		nfeasible_total += e.nfeasible;
		bad_verify += e.verify_disagrees;

		for (int i = 0; i < e.nstable; i++) {
			if (same_places(stable[i], so.place, t.ns))
				so_found = 1;
			if (same_places(stable[i], eo.place, t.ns))
				eo_found = 1;
			for (int s = 0; s < t.ns; s++) {
				/* student-optimal: everyone weakly prefers SO to any stable M */
				if (t_rank(&t, s, so.place[s]) > t_rank(&t, s, stable[i][s]))
					so_found = -1000;
				/* enterprise-optimal = student-pessimal */
				if (t_rank(&t, s, stable[i][s]) > t_rank(&t, s, eo.place[s]))
					eo_found = -1000;
			}
		}
		if (so_found != 1) {
			bad_so++;
			if (bad_so <= 3)
				printf("  seed %llu: student-proposing result not student-optimal "
				       "stable\n",
				       (unsigned long long)seed);
		}
		if (eo_found != 1) {
			bad_eo++;
			if (bad_eo <= 3)
				printf("  seed %llu: enterprise-proposing result not enterprise-"
				       "optimal stable\n",
				       (unsigned long long)seed);
		}
		/* rural hospitals theorem: the same fill in every stable matching */
		for (int p = 0; p < t.np; p++)
			if (so.filled[p] != eo.filled[p])
				bad_rural++;
		CHECK_EQ_INT(ksp_match_verify(&in, &opt, &so, NULL, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_verify(&in, &opt, &eo, NULL, NULL), KSP_OK);
		instances++;
		ksp_match_result_release(&scratch);
		ksp_match_result_release(&so);
		ksp_match_result_release(&eo);
		ksp_match_instance_release(&in);
	}
	CHECK_EQ_INT(bad_so, 0);
	CHECK_EQ_INT(bad_eo, 0);
	CHECK_EQ_INT(bad_verify, 0);
	CHECK_EQ_INT(bad_rural, 0);
	CHECK(multi >= 100); /* the optimality checks must have something to choose from */
	printf("  %d instances (%d with several stable matchings), %lld feasible matchings "
	       "checked, %lld stable\n",
	       instances, multi, nfeasible_total, nstable_total);
	free(stable);
}

/* ---- determinism and the lottery ------------------------------------------ */

TEST(lottery_reference)
{
	/* SplitMix64 from state 0: the reference outputs of Vigna's splitmix64.c. */
	CHECK(ksp_match_lottery(0, 0) == UINT64_C(0xE220A8397B1DCDAF));
	CHECK(ksp_match_lottery(0, 1) == UINT64_C(0x6E789E6AA1B965F4));
	CHECK(ksp_match_lottery(0, 2) == UINT64_C(0x06C45D188009454F));
	CHECK(ksp_match_lottery(42, 5) != ksp_match_lottery(43, 5));
	/* By id: FNV-1a of the id, XOR the seed, one SplitMix64 step (values from an
	 * independent implementation). */
	CHECK(ksp_match_lottery_id(1, "A") == UINT64_C(0xE762F436DEAFD7B2));
	CHECK(ksp_match_lottery_id(1, "B") == UINT64_C(0xE9658231D7765D9D));
	CHECK(ksp_match_lottery_id(42, "S0000001") == UINT64_C(0xF3A96C071D5502A2));
}

static uint64_t hash_instance(const struct ksp_match_instance *in)
{
	uint64_t h = UINT64_C(1469598103934665603);
	const int32_t *arrays[] = { in->capacity,        in->place_enterprise, in->place_specialty,
				    in->place_region,    in->student_college,  in->student_specialty,
				    in->student_region,  in->pref_start };
	const int32_t lens[] = { in->nplaces,   in->nplaces,   in->nplaces,       in->nplaces,
				 in->nstudents, in->nstudents, in->nstudents, in->nstudents + 1 };

#define MIX(x) (h = (h ^ (uint64_t)(x)) * UINT64_C(1099511628211))
	for (size_t a = 0; a < sizeof(lens) / sizeof(lens[0]); a++)
		for (int32_t i = 0; i < lens[a]; i++)
			MIX((uint32_t)arrays[a][i]);
	for (int32_t i = 0; i < in->pref_start[in->nstudents]; i++)
		MIX((uint32_t)in->pref[i]);
	for (int32_t i = 0; i < in->nstudents; i++)
		MIX((uint64_t)llround(in->score[i] * 10));
	for (int32_t i = 0; i < in->nranks; i++)
		MIX((uint32_t)in->rank_who[i] ^ ((uint64_t)(uint32_t)in->rank_place[i] << 32));
#undef MIX
	return h;
}

TEST(determinism)
{
	struct ksp_match_gen_options g;
	struct ksp_match_instance a, b;
	struct ksp_match_options opt;
	struct ksp_match_result r1, r2, r3;
	int differ = 0;

	ksp_match_gen_options_init(&g);
	g.students = 3000;
	g.enterprises = 500;
	g.seed = 7;
	CHECK_EQ_INT(ksp_match_generate(&a, &g, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_generate(&b, &g, NULL), KSP_OK);
	CHECK(hash_instance(&a) == hash_instance(&b));
	ksp_match_options_init(&opt);
	opt.seed = 99;
	CHECK_EQ_INT(ksp_match_run(&a, &opt, &r1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_run(&b, &opt, &r2, NULL), KSP_OK);
	CHECK(same_places(r1.place, r2.place, a.nstudents));
	CHECK(same_places(r1.choice, r2.choice, a.nstudents));
	CHECK(!memcmp(r1.lottery, r2.lottery, (size_t)a.nstudents * sizeof(uint64_t)));
	CHECK(r1.proposals == r2.proposals);
	/* another lottery seed changes who wins ties, so some places change */
	opt.seed = 100;
	CHECK_EQ_INT(ksp_match_run(&a, &opt, &r3, NULL), KSP_OK);
	for (int32_t s = 0; s < a.nstudents; s++)
		differ += r1.place[s] != r3.place[s];
	CHECK(differ > 0);
	ksp_match_result_release(&r1);
	ksp_match_result_release(&r2);
	ksp_match_result_release(&r3);
	ksp_match_instance_release(&b);
	/* another generator seed gives another instance */
	g.seed = 8;
	CHECK_EQ_INT(ksp_match_generate(&b, &g, NULL), KSP_OK);
	CHECK(hash_instance(&a) != hash_instance(&b));
	ksp_match_instance_release(&a);
	ksp_match_instance_release(&b);
}

/* ---- generated instances: both sides, the lattice, geography ------------- */

TEST(generated_instance)
{
	struct ksp_match_gen_options g;
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result so, eo, geo;
	struct ksp_match_violation v;
	long long own = 0, total = 0, seats = 0;
	int worse = 0, fill_differs = 0, bad_scores = 0, bad_lists = 0, college_places = 0;

	ksp_match_gen_options_init(&g);
	g.students = 20000;
	g.enterprises = 3600;
	g.seed = 2025;
	g.with_ids = 1;
	CHECK_EQ_INT(ksp_match_generate(&in, &g, NULL), KSP_OK);
	CHECK_EQ_INT(in.nregions, 20);
	CHECK_EQ_STR(in.region_id[0], "100000000");
	CHECK_EQ_STR(in.region_id[19], "790000000");
	CHECK_EQ_STR(in.student_id[0], "S0000001");
	CHECK_EQ_INT(in.nstudents, 20000);
	CHECK_EQ_INT(in.nenterprises, 3600);
	for (int32_t p = 0; p < in.nplaces; p++) {
		seats += in.capacity[p];
		college_places += in.place_rule[p] == KSP_RANK_COLLEGE;
	}
	CHECK(seats >= 21900 && seats <= 22100); /* capacity ratio 1.1 */
	CHECK(college_places > 0);
	for (int32_t s = 0; s < in.nstudents; s++) {
		int32_t n = in.pref_start[s + 1] - in.pref_start[s];

		if (!(in.score[s] >= 0 && in.score[s] <= 100) ||
		    fabs(in.score[s] * 10 - round(in.score[s] * 10)) > 1e-9)
			bad_scores++;
		if (n > 10 || in.student_region[s] != in.college_region[in.student_college[s]])
			bad_lists++;
		for (int32_t k = in.pref_start[s]; k < in.pref_start[s + 1]; k++) {
			own += in.place_region[in.pref[k]] == in.student_region[s];
			total++;
			if (in.place_specialty[in.pref[k]] != in.student_specialty[s])
				bad_lists++;
		}
	}
	CHECK_EQ_INT(bad_scores, 0);
	CHECK_EQ_INT(bad_lists, 0);
	CHECK(total > 9 * (long long)in.nstudents); /* nearly everyone ranks 10 places */
	CHECK((double)own / (double)total > 0.5);   /* mostly in their own region (1 in 20 by chance) */

	ksp_match_options_init(&opt);
	opt.seed = 5;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &so, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_verify(&in, &opt, &so, &v, NULL), KSP_OK);
	opt.proposing = KSP_MATCH_ENTERPRISES;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &eo, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_verify(&in, &opt, &eo, &v, NULL), KSP_OK);
	for (int32_t s = 0; s < in.nstudents; s++)
		if (student_rank(&in, s, so.place[s]) > student_rank(&in, s, eo.place[s]))
			worse++;
	for (int32_t p = 0; p < in.nplaces; p++)
		fill_differs += so.filled[p] != eo.filled[p];
	CHECK_EQ_INT(worse, 0);
	CHECK_EQ_INT(fill_differs, 0);

	/* A distance rule: stable under the rule, and it is enforced. */
	opt.proposing = KSP_MATCH_STUDENTS;
	opt.max_km = 300;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &geo, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_verify(&in, &opt, &geo, &v, NULL), KSP_OK);
	/* the plain result breaks the rule somewhere */
	CHECK_EQ_INT(ksp_match_verify(&in, &opt, &so, &v, NULL), KSP_EINVAL);
	CHECK_EQ_INT(v.kind, KSP_VIOLATION_GEOGRAPHY);
	ksp_match_result_release(&geo);
	opt.max_km = 0;
	opt.same_region = 1;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &geo, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_verify(&in, &opt, &geo, &v, NULL), KSP_OK);
	for (int32_t s = 0; s < in.nstudents; s++)
		if (geo.place[s] >= 0 && in.place_region[geo.place[s]] != in.student_region[s])
			worse++;
	CHECK_EQ_INT(worse, 0);

	/* Planted: unplace a student who got a place: they now have a blocking pair. */
	opt.same_region = 0;
	for (int32_t s = 0; s < in.nstudents; s++)
		if (so.place[s] >= 0) {
			int32_t p = so.place[s];

			so.place[s] = -1;
			CHECK_EQ_INT(ksp_match_verify(&in, &opt, &so, &v, NULL), KSP_EINVAL);
			/* s, or a student before s that p turned away, now blocks with p */
			CHECK_EQ_INT(v.kind, KSP_VIOLATION_BLOCKING_FREE);
			CHECK(v.student <= s);
			CHECK_EQ_INT(v.place, p);
			so.place[s] = p;
			break;
		}
	ksp_match_result_release(&geo);
	ksp_match_result_release(&so);
	ksp_match_result_release(&eo);
	ksp_match_instance_release(&in);
}

/* ---- the checker catches planted faults ----------------------------------- */

/*
 * Two regions 1 degree apart; place 0 "P" (capacity cap, ranks by score),
 * place 1 "L" (capacity 1, list of A only), place 2 "Far" in region 1.
 * Students A 80, B 60, C 70; all in region 0.
 */
static void small_instance(struct ksp_match_instance *in, int cap)
{
	int32_t prefs[3] = { 0, 1, 2 }, listA = 0;

	ksp_match_instance_init(in);
	CHECK_EQ_INT(ksp_match_add_region(in, "750000000", 43.17712, 76.97452, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_region(in, "710000000", 51.16579, 71.45760, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(in, "P", -1, -1, 0, cap, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(in, "L", -1, -1, 0, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(in, "Far", -1, -1, 1, 5, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(in, "A", -1, -1, 0, 80, prefs, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(in, "B", -1, -1, 0, 60, prefs, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(in, "C", -1, -1, 0, 70, prefs, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_rank_students(in, 1, &listA, NULL, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_instance_check(in, NULL), KSP_OK);
}

static int plant(struct ksp_match_instance *in, const struct ksp_match_options *opt, int32_t a,
		 int32_t b, int32_t c, struct ksp_match_violation *v, struct ksp_error *err)
{
	struct ksp_match_result r;
	int rc;

	ksp_match_result_init(&r, in);
	r.place[0] = a;
	r.place[1] = b;
	r.place[2] = c;
	for (int s = 0; s < 3; s++)
		r.lottery[s] = ksp_match_lottery(1, s);
	rc = ksp_match_verify(in, opt, &r, v, err);
	ksp_match_result_release(&r);
	return rc;
}

TEST(verify_planted)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_violation v;
	struct ksp_match_result r;
	struct ksp_error err;

	ksp_match_options_init(&opt);
	small_instance(&in, 1);
	/* the run: A gets P, C and B go on; L takes only A; C and B go to Far */
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, NULL), KSP_OK);
	CHECK_EQ_INT(r.place[0], 0);
	CHECK_EQ_INT(r.place[1], 2);
	CHECK_EQ_INT(r.place[2], 2);
	CHECK_EQ_INT(r.choice[2], 3);
	CHECK_EQ_INT(plant(&in, &opt, 0, 2, 2, &v, &err), KSP_OK);
	CHECK_EQ_INT(v.count, 0);
	ksp_match_result_release(&r);

	/* B (60) holds P while C (70) is at Far: blocking pair (C, P) */
	CHECK_EQ_INT(plant(&in, &opt, 2, 0, 2, &v, &err), KSP_EINVAL);
	CHECK_EQ_INT(v.kind, KSP_VIOLATION_BLOCKING);
	CHECK_EQ_INT(v.student, 0); /* A first: A also prefers P to Far */
	CHECK_EQ_INT(v.place, 0);
	CHECK_EQ_INT(v.other, 1);
	CHECK_EQ_STR(v.text, "blocking pair: student \"A\" prefers place \"P\" (choice 1 on "
			     "their list) to their choice 3, and the place ranks them above "
			     "student \"B\", whom it admitted");
	CHECK_EQ_STR(err.msg, v.text);
	/* the text in the error record's language */
	ksp_error_use_lang(&err, "kk");
	CHECK_EQ_INT(plant(&in, &opt, 2, 0, 2, &v, &err), KSP_EINVAL);
	CHECK_EQ_STR(v.text, "бұзушы жұп: \"A\" студенті \"P\" орнын (өз тізіміндегі "
			     "1-таңдауы) өзі алған 3-таңдауынан артық көреді, ал орын оны өзі "
			     "қабылдаған \"B\" студентінен жоғары саралайды");
	CHECK_EQ_STR(err.msg, v.text);
	ksp_error_use_lang(&err, "en");
	CHECK_EQ_INT(v.count, 3); /* (A, P), (A, L) with its free seat, and (C, P) */

	/* a free seat: B is unplaced while Far has room */
	CHECK_EQ_INT(plant(&in, &opt, 0, -1, 2, &v, NULL), KSP_EINVAL);
	CHECK_EQ_INT(v.kind, KSP_VIOLATION_BLOCKING_FREE);
	CHECK_EQ_INT(v.student, 1);
	CHECK_EQ_INT(v.place, 2);
	CHECK_EQ_STR(v.text, "blocking pair: student \"B\" prefers place \"Far\" (choice 3 on "
			     "their list) to being unplaced, and the place has a free seat (1 of 5 "
			     "taken)");

	/* over capacity */
	CHECK_EQ_INT(plant(&in, &opt, 0, 0, 2, &v, NULL), KSP_EINVAL);
	CHECK_EQ_INT(v.kind, KSP_VIOLATION_CAPACITY);
	CHECK_EQ_INT(v.place, 0);
	CHECK_EQ_STR(v.text, "place \"P\" got 2 students, more than its capacity of 1");

	/* L's list does not accept B */
	CHECK_EQ_INT(plant(&in, &opt, 0, 1, 2, &v, NULL), KSP_EINVAL);
	CHECK_EQ_INT(v.kind, KSP_VIOLATION_UNACCEPTABLE);
	CHECK_EQ_INT(v.student, 1);

	/* a place that does not exist */
	CHECK_EQ_INT(plant(&in, &opt, 7, 2, 2, &v, NULL), KSP_EINVAL);
	CHECK_EQ_INT(v.kind, KSP_VIOLATION_BAD_PLACE);

	/* the same-region rule: Far is in another region */
	opt.same_region = 1;
	CHECK_EQ_INT(plant(&in, &opt, 0, 2, 2, &v, NULL), KSP_EINVAL);
	CHECK_EQ_INT(v.kind, KSP_VIOLATION_GEOGRAPHY);
	CHECK_EQ_INT(v.student, 1);
	CHECK_EQ_INT(v.count, 2);
	CHECK_EQ_INT(plant(&in, &opt, 0, -1, -1, &v, NULL), KSP_OK);
	opt.same_region = 0;
	ksp_match_instance_release(&in);

	/* a place the student did not rank */
	{
		int32_t none[1] = { 0 };

		ksp_match_instance_init(&in);
		CHECK_EQ_INT(ksp_match_add_place(&in, "P", -1, -1, -1, 1, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_add_student(&in, "Z", -1, -1, -1, 50, none, 0, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_instance_check(&in, NULL), KSP_OK);
		ksp_match_result_init(&r, &in);
		r.place[0] = 0;
		CHECK_EQ_INT(ksp_match_verify(&in, &opt, &r, &v, NULL), KSP_EINVAL);
		CHECK_EQ_INT(v.kind, KSP_VIOLATION_NOT_RANKED);
		CHECK_EQ_STR(v.text, "student \"Z\" got place \"P\", which they did not rank");
		ksp_match_result_release(&r);
		ksp_match_instance_release(&in);
	}
}

/* ---- explanations, cutoffs, statistics ------------------------------------ */

/*
 * The number of texts with a Latin letter in the explanations of every
 * student in lang (-1 on an error): none in Kazakh and Russian, since the
 * texts name no ids; many in English, which shows the check can fail.
 */
static int latin_texts(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		       const struct ksp_match_result *r, const char *lang)
{
	int n = 0;

	for (int32_t s = 0; s < in->nstudents; s++) {
		struct ksp_match_explanation ex;

		if (ksp_match_explain(in, opt, r, s, lang, &ex, NULL) != KSP_OK)
			return -1;
		for (int32_t i = 0; i < ex.n; i++)
			for (const char *c = ex.items[i].text; *c; c++)
				if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) {
					if (lang && strcmp(lang, "en"))
						fprintf(stderr, "  %s: English left: %s\n", lang,
							ex.items[i].text);
					n++;
					break;
				}
		ksp_match_explanation_release(&ex);
	}
	return n;
}

TEST(explain_texts)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result r;
	struct ksp_match_explanation ex;
	struct ksp_match_cutoff cut[3];
	int32_t pref_full[2] = { 0, 1 }, pref_b[3] = { 0, 1, 2 };

	/* P (2 seats, by score) is taken by two students with 74.5 and 80; a
	 * third with 74.5 loses the tie; D at 60 is not on L's list, and F is
	 * 1000 km away under --max-km 500. */
	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_region(&in, "750000000", 43.17712, 76.97452, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_region(&in, "710000000", 51.16579, 71.45760, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "P", -1, -1, 0, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "L", -1, -1, 0, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "F", -1, -1, 1, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "S80", -1, -1, 0, 80, pref_full, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "T1", -1, -1, 0, 74.5, pref_full, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "T2", -1, -1, 0, 74.5, pref_full, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "D", -1, -1, 0, 60, pref_b, 3, NULL), KSP_OK);
	{
		int32_t l[2] = { 1, 2 };

		CHECK_EQ_INT(ksp_match_rank_students(&in, 1, l, NULL, 2, NULL), KSP_OK);
	}
	CHECK_EQ_INT(ksp_match_instance_check(&in, NULL), KSP_OK);
	ksp_match_options_init(&opt);
	opt.max_km = 500;
	/* find a seed where T2 loses the tie to T1 */
	for (opt.seed = 1; opt.seed < 100; opt.seed++)
		if (ksp_match_lottery(opt.seed, 1) < ksp_match_lottery(opt.seed, 2))
			break;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, NULL), KSP_OK);
	CHECK_EQ_INT(r.place[0], 0);
	CHECK_EQ_INT(r.place[1], 0);
	CHECK_EQ_INT(r.place[2], 1);
	CHECK_EQ_INT(r.place[3], -1);

	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 2, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.n, 1);
	CHECK_EQ_INT(ex.choice, 2);
	CHECK_EQ_STR(ex.summary, "got choice 2 on their list, place \"L\"");
	CHECK_EQ_INT(ex.items[0].reason, KSP_WHY_FULL);
	CHECK_EQ_INT(ex.items[0].above, 2);
	CHECK_NEAR(ex.items[0].cutoff, 74.5, 1e-12);
	CHECK_EQ_INT(ex.items[0].tie, 1);
	CHECK_EQ_STR(ex.items[0].text, "place full with 2 students ranked above you; its cutoff "
				       "was 74.5, your score too: the lottery broke the tie against "
				       "you");
	ksp_match_explanation_release(&ex);
	/* the same in Russian (a plural of 2, a decimal comma) and Kazakh */
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 2, "ru", &ex, NULL), KSP_OK);
	CHECK_EQ_STR(ex.summary, "получил место №2 из своего списка: \"L\"");
	CHECK_EQ_STR(ex.items[0].text, "мест нет: приняты 2 студента, которых место ставит выше "
				       "вас; проходной балл — 74,5, у вас такой же: жребий решил не "
				       "в вашу пользу");
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 2, "kk", &ex, NULL), KSP_OK);
	CHECK_EQ_STR(ex.summary, "өз тізіміндегі 2-таңдауын алды: \"L\" орны");
	CHECK(strstr(ex.items[0].text, "74,5") != NULL);
	ksp_match_explanation_release(&ex);

	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 3, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.n, 3);
	CHECK_EQ_STR(ex.summary, "not placed");
	CHECK_EQ_STR(ex.items[0].text,
		     "place full with 2 students ranked above you; its cutoff was 74.5");
	CHECK_EQ_INT(ex.items[1].reason, KSP_WHY_NOT_ACCEPTABLE);
	CHECK_EQ_STR(ex.items[1].text,
		     "you are not acceptable to this place: its list does not rank you");
	CHECK_EQ_INT(ex.items[2].reason, KSP_WHY_DISTANCE);
	CHECK(ex.items[2].km > 900 && ex.items[2].km < 1100);
	CHECK(strstr(ex.items[2].text, "outside the distance rule: ") == ex.items[2].text);
	CHECK(strstr(ex.items[2].text, "the limit is 500 km") != NULL);
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 3, "ru-RU", &ex, NULL), KSP_OK);
	CHECK_EQ_STR(ex.summary, "не распределён");
	CHECK_EQ_STR(ex.items[1].text, "это место вас не принимает: вас нет в его списке");
	CHECK(strstr(ex.items[2].text, "предел — 500 км") != NULL);
	ksp_match_explanation_release(&ex);

	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 0, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.n, 0);
	CHECK_EQ_STR(ex.summary, "got choice 1 on their list, place \"P\"");
	ksp_match_explanation_release(&ex);
	CHECK(latin_texts(&in, &opt, &r, "en") > 3);
	CHECK_EQ_INT(latin_texts(&in, &opt, &r, "kk"), 0);
	CHECK_EQ_INT(latin_texts(&in, &opt, &r, "ru"), 0);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 9, NULL, &ex, NULL), KSP_ENOTFOUND);
	ksp_match_explanation_release(&ex);

	/* an unstable result is called so */
	r.place[1] = -1;
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 3, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.items[0].reason, KSP_WHY_UNSTABLE);
	ksp_match_explanation_release(&ex);
	r.place[1] = 0;

	CHECK_EQ_INT(ksp_match_cutoffs(&in, &r, cut, NULL), KSP_OK);
	CHECK_EQ_INT(cut[0].full, 1);
	CHECK_EQ_INT(cut[0].last, 1);
	CHECK_NEAR(cut[0].score, 74.5, 1e-12);
	CHECK_EQ_INT(cut[1].full, 0);
	CHECK_EQ_INT(cut[1].filled, 1);
	CHECK(isnan(cut[1].score));
	CHECK_EQ_INT(cut[2].filled, 0);
	ksp_match_result_release(&r);
	ksp_match_instance_release(&in);
}

/*
 * The texts of a full place that ranks by its own list or by college, with
 * a lost tie and without, in the three languages.  K (1 seat) lists a and b
 * both first and c second; Q (1 seat) ranks colleges C1 and C2 equal, and
 * d (C1) and e (C2) have the same score, f (C1) less.
 */
TEST(explain_ties_in_languages)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result r;
	struct ksp_match_explanation ex;
	int32_t k = 0, q = 1, who[3] = { 0, 1, 2 }, ranks[3] = { 1, 1, 2 }, cols[2] = { 0, 1 },
		cranks[2] = { 1, 1 };
	int32_t lost_k, lost_q;

	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_college(&in, "C1", -1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_college(&in, "C2", -1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "K", -1, -1, -1, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "Q", -1, -1, -1, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "a", 0, -1, -1, 50, &k, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "b", 0, -1, -1, 50, &k, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "c", 0, -1, -1, 50, &k, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "d", 0, -1, -1, 70.5, &q, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "e", 1, -1, -1, 70.5, &q, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "f", 0, -1, -1, 60, &q, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_rank_students(&in, k, who, ranks, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_rank_colleges(&in, q, cols, cranks, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_instance_check(&in, NULL), KSP_OK);
	ksp_match_options_init(&opt);
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, NULL), KSP_OK);
	CHECK(r.place[0] == k || r.place[1] == k);
	CHECK(r.place[3] == q || r.place[4] == q);
	lost_k = r.place[0] == k ? 1 : 0;
	lost_q = r.place[3] == q ? 4 : 3;

	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, lost_k, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.items[0].tie, 1);
	CHECK_EQ_STR(ex.items[0].text, "place full with 1 student ranked above you on its own "
				       "list; you and its last admitted student are both number 1 "
				       "there, and the lottery broke the tie against you");
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, lost_k, "ru", &ex, NULL), KSP_OK);
	CHECK_EQ_STR(ex.items[0].text, "мест нет: принят 1 студент, стоящий в собственном списке "
				       "места выше вас; вы и последний принятый стоите там под "
				       "одним номером, №1, и жребий решил не в вашу пользу");
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 2, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.items[0].tie, 0);
	CHECK_EQ_STR(ex.items[0].text, "place full with 1 student ranked above you on its own "
				       "list; its last admitted student is number 1 there, you are "
				       "number 2");
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, lost_q, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.items[0].tie, 1);
	CHECK_EQ_STR(ex.items[0].text, "place full with 1 student ranked above you (it ranks by "
				       "college, then score); its last admitted student has your "
				       "score, 70.5, and a college it ranks as yours, number 1: the "
				       "lottery broke the tie against you");
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, lost_q, "kk", &ex, NULL), KSP_OK);
	CHECK(strstr(ex.items[0].text, "70,5") != NULL);
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 5, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_STR(ex.items[0].text, "place full with 1 student ranked above you (it ranks by "
				       "college, then score); its cutoff was 70.5, from its college "
				       "number 1; your college is its number 1");
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(latin_texts(&in, &opt, &r, NULL), 4);
	CHECK_EQ_INT(latin_texts(&in, &opt, &r, "kk"), 0);
	CHECK_EQ_INT(latin_texts(&in, &opt, &r, "ru"), 0);
	ksp_match_result_release(&r);
	ksp_match_instance_release(&in);
}

TEST(explain_college_and_capacity)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result r;
	struct ksp_match_explanation ex;
	int32_t pr[2] = { 0, 1 }, cols[2] = { 1, 0 };

	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_college(&in, "C1", -1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_college(&in, "C2", -1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_college(&in, "C3", -1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "K", -1, -1, -1, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "Z", -1, -1, -1, 0, NULL), KSP_OK);
	/* K ranks college C2 first, then C1; C3 is not acceptable */
	CHECK_EQ_INT(ksp_match_rank_colleges(&in, 0, cols, NULL, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "hi", 0, -1, -1, 95, pr, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "lo", 1, -1, -1, 55, pr, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "out", 2, -1, -1, 99, pr, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_instance_check(&in, NULL), KSP_OK);
	ksp_match_options_init(&opt);
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, NULL), KSP_OK);
	CHECK_EQ_INT(r.place[1], 0); /* C2 before C1, whatever the score */
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 0, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_INT(ex.n, 2);
	CHECK_EQ_STR(ex.items[0].text, "place full with 1 student ranked above you (it ranks by "
				       "college, then score); its cutoff was 55, from its college "
				       "number 1; your college is its number 2");
	CHECK_EQ_INT(ex.items[1].reason, KSP_WHY_NO_CAPACITY);
	CHECK_EQ_STR(ex.items[1].text, "the place has no seats (capacity 0)");
	ksp_match_explanation_release(&ex);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 2, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_STR(ex.items[0].text, "you are not acceptable to this place: its ranking does "
				       "not include your college");
	ksp_match_explanation_release(&ex);
	CHECK(latin_texts(&in, &opt, &r, NULL) > 1);
	CHECK_EQ_INT(latin_texts(&in, &opt, &r, "kk"), 0);
	CHECK_EQ_INT(latin_texts(&in, &opt, &r, "ru"), 0);
	ksp_match_result_release(&r);
	ksp_match_instance_release(&in);
}

/*
 * A place ranked "by list" accepts only the students on its list, also when
 * the list is empty: it never falls back to "by score".  N (empty list, 3
 * seats) is everybody's first choice; K lists only "lo"; S ranks by score.
 */
TEST(list_accepts_nobody)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result r;
	struct ksp_match_explanation ex;
	struct ksp_match_violation v;
	struct ksp_match_cutoff cut[3];
	struct ksp_error err;
	int32_t pr[3] = { 0, 1, 2 }, only_lo = 1;

	for (int side = 0; side < 2; side++) {
		ksp_match_instance_init(&in);
		CHECK_EQ_INT(ksp_match_add_place(&in, "N", -1, -1, -1, 3, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_add_place(&in, "K", -1, -1, -1, 1, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_add_place(&in, "S", -1, -1, -1, 1, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_add_student(&in, "hi", -1, -1, -1, 90, pr, 3, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_add_student(&in, "lo", -1, -1, -1, 50, pr, 3, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_add_student(&in, "x", -1, -1, -1, 70, pr, 2, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_set_rule(&in, 0, KSP_RANK_LIST, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_rank_students(&in, 1, &only_lo, NULL, 1, NULL), KSP_OK);
		/* an explicit rule that contradicts the entries is refused */
		CHECK_EQ_INT(ksp_match_set_rule(&in, 1, KSP_RANK_SCORE, &err), KSP_EINVAL);
		CHECK_EQ_STR(err.msg, "place \"K\" ranks by score but has its own ranking");
		CHECK_EQ_INT(ksp_match_set_rule(&in, 1, KSP_RANK_COLLEGE, NULL), KSP_EINVAL);
		CHECK_EQ_INT(ksp_match_set_rule(&in, 2, KSP_RANK_SCORE, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_set_rule(&in, 7, KSP_RANK_SCORE, NULL), KSP_EINVAL);
		CHECK_EQ_INT(in.place_rule[0], KSP_RANK_LIST);
		CHECK_EQ_INT(ksp_match_instance_check(&in, NULL), KSP_OK);
		ksp_match_options_init(&opt);
		opt.proposing = side ? KSP_MATCH_ENTERPRISES : KSP_MATCH_STUDENTS;
		CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, NULL), KSP_OK);
		CHECK_EQ_INT(r.place[0], 2); /* hi: not on N's or K's list, so S */
		CHECK_EQ_INT(r.place[1], 1); /* lo: on K's list */
		CHECK_EQ_INT(r.place[2], -1); /* x: N names nobody, K only lo */
		CHECK_EQ_INT(r.filled[0], 0);
		CHECK_EQ_INT(ksp_match_verify(&in, &opt, &r, &v, NULL), KSP_OK);

		CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 2, NULL, &ex, NULL), KSP_OK);
		CHECK_EQ_INT(ex.n, 2);
		CHECK_EQ_INT(ex.items[0].reason, KSP_WHY_NOT_ACCEPTABLE);
		CHECK_EQ_STR(ex.items[0].text, "you are not acceptable to this place: it ranks by "
					       "its own list, and the list names nobody");
		CHECK_EQ_STR(ex.items[1].text,
			     "you are not acceptable to this place: its list does not rank you");
		ksp_match_explanation_release(&ex);
		CHECK_EQ_INT(latin_texts(&in, &opt, &r, "kk"), 0);
		CHECK_EQ_INT(latin_texts(&in, &opt, &r, "ru"), 0);
		CHECK_EQ_INT(ksp_match_cutoffs(&in, &r, cut, NULL), KSP_OK);
		CHECK_EQ_INT(cut[0].filled, 0);
		CHECK(isnan(cut[0].score));

		/* verify checks both sides: a seat at N is unacceptable to N ... */
		r.place[2] = 0;
		ksp_match_result_tally(&r, &in);
		CHECK_EQ_INT(ksp_match_verify(&in, &opt, &r, &v, &err), KSP_EINVAL);
		CHECK_EQ_INT(v.kind, KSP_VIOLATION_UNACCEPTABLE);
		CHECK_EQ_INT(v.student, 2);
		CHECK_EQ_STR(v.text, "student \"x\" got place \"N\", whose ranking does not "
				     "accept them");
		/* ... a seat at S is unacceptable to x, who did not rank it ... */
		r.place[2] = 2;
		r.place[0] = -1;
		ksp_match_result_tally(&r, &in);
		CHECK_EQ_INT(ksp_match_verify(&in, &opt, &r, &v, NULL), KSP_EINVAL);
		CHECK_EQ_INT(v.kind, KSP_VIOLATION_NOT_RANKED);
		/* ... and with x unplaced and hi unplaced, (hi, S) blocks, while
		 * (hi, N), (hi, K), (x, N) and (x, K) are not pairs at all */
		r.place[2] = -1;
		ksp_match_result_tally(&r, &in);
		CHECK_EQ_INT(ksp_match_verify(&in, &opt, &r, &v, NULL), KSP_EINVAL);
		CHECK_EQ_INT(v.kind, KSP_VIOLATION_BLOCKING_FREE);
		CHECK_EQ_INT(v.student, 0);
		CHECK_EQ_INT(v.place, 2);
		CHECK_EQ_INT(v.count, 1);
		ksp_match_result_release(&r);
		ksp_match_instance_release(&in);
	}

	/* the same through ksp_match_rank_students() with no entries, and by college */
	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_college(&in, "C1", -1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "N", -1, -1, -1, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "Q", -1, -1, -1, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "a", 0, -1, -1, 90, pr, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_rank_students(&in, 0, NULL, NULL, 0, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_rank_colleges(&in, 1, NULL, NULL, 0, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_instance_check(&in, NULL), KSP_OK);
	ksp_match_options_init(&opt);
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, NULL), KSP_OK);
	CHECK_EQ_INT(r.place[0], -1);
	CHECK_EQ_INT(ksp_match_verify(&in, &opt, &r, NULL, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_explain(&in, &opt, &r, 0, NULL, &ex, NULL), KSP_OK);
	CHECK_EQ_STR(ex.items[1].text, "you are not acceptable to this place: it ranks by "
				       "college, and it lists no college");
	ksp_match_explanation_release(&ex);
	ksp_match_result_release(&r);
	ksp_match_instance_release(&in);
}

/*
 * One workspace and one result kept over runs of instances of different
 * sizes and both kinds of path (every place by score: the fast path; some
 * by college, or a distance rule: the general one), both sides, give what
 * fresh runs give; scores that are not whole thousandths take the other
 * sort key; ksp_match_instance_reserve() changes nothing but room.
 */
TEST(workspace_reuse)
{
	struct ksp_match_workspace *ws = ksp_match_workspace_new();
	struct ksp_match_result kept, fresh;
	int diffs = 0, unstable = 0;

	memset(&kept, 0, sizeof(kept));
	for (int round = 0; round < 6; round++) {
		struct ksp_match_gen_options g;
		struct ksp_match_instance in;
		struct ksp_match_options opt;

		ksp_match_gen_options_init(&g);
		g.students = round % 2 ? 3000 : 1200;
		g.enterprises = round % 2 ? 500 : 200;
		g.seed = 40 + (uint64_t)round;
		g.college_rule = round < 2 ? 0 : 0.3;
		CHECK_EQ_INT(ksp_match_generate(&in, &g, NULL), KSP_OK);
		if (round == 1) /* scores off the thousandths grid: the double sort key */
			for (int32_t s = 0; s < in.nstudents; s++)
				in.score[s] += (double)(s % 7) / 3.0;
		ksp_match_options_init(&opt);
		opt.seed = 7 + (uint64_t)round;
		opt.proposing = round % 3 == 2 ? KSP_MATCH_ENTERPRISES : KSP_MATCH_STUDENTS;
		opt.max_km = round == 5 ? 400 : 0;
		CHECK_EQ_INT(ksp_match_run_ws(&in, &opt, ws, &kept, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_run(&in, &opt, &fresh, NULL), KSP_OK);
		CHECK_EQ_INT(kept.nstudents, in.nstudents);
		CHECK(kept.proposals == fresh.proposals);
		for (int32_t s = 0; s < in.nstudents; s++)
			diffs += kept.place[s] != fresh.place[s] || kept.choice[s] != fresh.choice[s] ||
				 kept.lottery[s] != fresh.lottery[s];
		for (int32_t p = 0; p < in.nplaces; p++)
			diffs += kept.filled[p] != fresh.filled[p];
		unstable += ksp_match_verify(&in, &opt, &kept, NULL, NULL) != KSP_OK;
		/* the same run again on the kept arrays */
		CHECK_EQ_INT(ksp_match_run_ws(&in, &opt, ws, &kept, NULL), KSP_OK);
		for (int32_t s = 0; s < in.nstudents; s++)
			diffs += kept.place[s] != fresh.place[s];
		ksp_match_result_release(&fresh);
		ksp_match_instance_release(&in);
	}
	CHECK_EQ_INT(diffs, 0);
	CHECK_EQ_INT(unstable, 0);
	ksp_match_result_release(&kept);
	ksp_match_workspace_free(ws);
	ksp_match_workspace_free(NULL);

	{
		struct ksp_match_instance in;
		struct ksp_error err;
		int32_t pr[2] = { 0, 1 };

		ksp_match_instance_init(&in);
		CHECK_EQ_INT(ksp_match_instance_reserve(&in, 2, 3, 6, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_instance_reserve(&in, -1, 3, 6, &err), KSP_EINVAL);
		CHECK_EQ_INT(ksp_match_instance_reserve(&in, 2, 3, (int64_t)1 << 40, NULL),
			     KSP_ETOOBIG);
		CHECK_EQ_INT(in.nplaces, 0);
		CHECK_EQ_INT(ksp_match_add_place(&in, "P", -1, -1, -1, 1, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_add_place(&in, "Q", -1, -1, -1, 1, NULL), KSP_OK);
		for (int i = 0; i < 5; i++)
			CHECK_EQ_INT(ksp_match_add_student(&in, NULL, -1, -1, -1, 50 + i, pr, 2, NULL),
				     KSP_OK);
		CHECK_EQ_INT(in.pref_start[5], 10);
		CHECK_EQ_INT(ksp_match_instance_check(&in, NULL), KSP_OK);
		ksp_match_instance_release(&in);
	}
}

/*
 * The general path's list ranking against the fast path: every place given
 * an explicit list whose rank values follow the scores (equal scores, equal
 * values: ties that go to the lottery, as the score's ties do) must give the
 * matching and the proposals that ranking by score gives, on both sides.
 * The lists come in three forms: values 1, 2, 3, ... by distinct score
 * within the list (the counting sort), the same times 1000 (sparse: the
 * comparison sort), and every value distinct in the master order (no ties:
 * the students' keys are the values themselves); each list also names
 * students who do not apply there (no effect), in an order that is not the
 * students'.
 */
static int cmp_score_then_index(const struct ksp_match_instance *in, const uint64_t *lot,
				int32_t s, int32_t t)
{
	if (in->score[s] != in->score[t])
		return in->score[s] > in->score[t] ? -1 : 1;
	if (lot[s] != lot[t])
		return lot[s] < lot[t] ? -1 : 1;
	return (s > t) - (s < t);
}

TEST(lists_as_scores)
{
	struct ksp_match_workspace *ws = ksp_match_workspace_new();
	int diffs = 0, unstable = 0, runs = 0;

	for (int form = 0; form < 3; form++) {
		struct ksp_match_gen_options g;
		struct ksp_match_instance a, b;
		struct ksp_match_options opt;
		struct ksp_match_result ra, rb;
		int32_t *order, *dense, *who, *val, *app;

		ksp_match_gen_options_init(&g);
		g.students = 3000;
		g.enterprises = 400;
		g.seed = 77 + (uint64_t)form;
		g.college_rule = 0;
		CHECK_EQ_INT(ksp_match_generate(&a, &g, NULL), KSP_OK);
		CHECK_EQ_INT(ksp_match_generate(&b, &g, NULL), KSP_OK);
		ksp_match_options_init(&opt);
		opt.seed = 11 + (uint64_t)form;

		/* the master order of the run: (score desc, lottery asc, index asc) */
		memset(&ra, 0, sizeof(ra));
		CHECK_EQ_INT(ksp_match_run(&a, &opt, &ra, NULL), KSP_OK);
		order = malloc(sizeof(*order) * (size_t)a.nstudents);
		dense = malloc(sizeof(*dense) * (size_t)a.nstudents);
		for (int32_t s = 0; s < a.nstudents; s++)
			order[s] = s;
		for (int32_t i = 1; i < a.nstudents; i++) /* insertion: fine for 3000 */
			for (int32_t j = i; j > 0 && cmp_score_then_index(&a, ra.lottery, order[j],
									   order[j - 1]) < 0; j--) {
				int32_t t = order[j];

				order[j] = order[j - 1];
				order[j - 1] = t;
			}
		for (int32_t i = 0, v = 0; i < a.nstudents; i++) {
			if (form == 2 || i == 0 || a.score[order[i]] != a.score[order[i - 1]])
				v++;
			dense[order[i]] = v;
		}
		ksp_match_result_release(&ra);

		/* each place's list: its applicants, backwards, and one student
		 * in 40 who does not apply; the values are numbered within the
		 * list (1, 2, 3, ...: small, as lists are written) */
		who = malloc(sizeof(*who) * (size_t)(b.nstudents + 1));
		val = malloc(sizeof(*val) * (size_t)(b.nstudents + 1));
		app = malloc(sizeof(*app) * (size_t)(b.nstudents + 1));
		for (int32_t p = 0; p < b.nplaces; p++) {
			size_t n = 0;
			int32_t v = 0, prev = -1;

			memset(app, 0, sizeof(*app) * (size_t)b.nstudents);
			for (int32_t s = 0; s < b.nstudents; s++)
				for (int32_t k = b.pref_start[s]; k < b.pref_start[s + 1]; k++)
					if (b.pref[k] == p)
						app[s] = 1;
			for (int32_t i = 0; i < b.nstudents; i++) /* the values, in master order */
				if (app[order[i]] || (order[i] + p) % 40 == 0) {
					if (dense[order[i]] != prev)
						v++;
					prev = dense[order[i]];
					app[order[i]] = form == 1 ? 1000 * v : v;
				} else {
					app[order[i]] = 0;
				}
			for (int32_t s = b.nstudents; s-- > 0;)
				if (app[s]) {
					who[n] = s;
					val[n++] = app[s];
				}
			CHECK_EQ_INT(ksp_match_rank_students(&b, p, who, val, n, NULL), KSP_OK);
		}
		CHECK_EQ_INT(ksp_match_instance_check(&b, NULL), KSP_OK);

		for (int side = 0; side < 2; side++) {
			opt.proposing = side ? KSP_MATCH_ENTERPRISES : KSP_MATCH_STUDENTS;
			memset(&ra, 0, sizeof(ra));
			memset(&rb, 0, sizeof(rb));
			CHECK_EQ_INT(ksp_match_run(&a, &opt, &ra, NULL), KSP_OK);
			CHECK_EQ_INT(ksp_match_run_ws(&b, &opt, ws, &rb, NULL), KSP_OK);
			CHECK(ra.proposals == rb.proposals);
			for (int32_t s = 0; s < a.nstudents; s++)
				diffs += ra.place[s] != rb.place[s] || ra.choice[s] != rb.choice[s];
			for (int32_t p = 0; p < a.nplaces; p++)
				diffs += ra.filled[p] != rb.filled[p];
			unstable += ksp_match_verify(&b, &opt, &rb, NULL, NULL) != KSP_OK;
			runs++;
			ksp_match_result_release(&ra);
			ksp_match_result_release(&rb);
		}
		free(order);
		free(dense);
		free(who);
		free(val);
		free(app);
		ksp_match_instance_release(&a);
		ksp_match_instance_release(&b);
	}
	CHECK_EQ_INT(runs, 6);
	CHECK_EQ_INT(diffs, 0);
	CHECK_EQ_INT(unstable, 0);
	ksp_match_workspace_free(ws);
}

TEST(stats)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result r;
	struct ksp_match_stats st;

	small_instance(&in, 1);
	ksp_match_options_init(&opt);
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_stats(&in, &r, &st, NULL), KSP_OK);
	CHECK_EQ_INT(st.students, 3);
	CHECK_EQ_INT(st.matched, 3);
	CHECK_NEAR(st.share_matched, 1.0, 1e-12);
	CHECK_EQ_INT(st.max_choice, 3);
	CHECK_EQ_INT(st.rank_hist[0], 0);
	CHECK_EQ_INT(st.rank_hist[1], 1);
	CHECK_EQ_INT(st.rank_hist[2], 0);
	CHECK_EQ_INT(st.rank_hist[3], 2);
	CHECK_NEAR(st.mean_choice, 7.0 / 3.0, 1e-12);
	CHECK_EQ_INT(st.capacity, 7);
	CHECK_EQ_INT(st.filled, 3);
	CHECK_EQ_INT(st.by_region[0].capacity, 2); /* P and L */
	CHECK_EQ_INT(st.by_region[0].filled, 1);
	CHECK_EQ_INT(st.by_region[1].capacity, 5);
	CHECK_EQ_INT(st.by_region[1].filled, 2);
	CHECK_EQ_INT(st.by_region[2].places, 0); /* unknown region */
	CHECK_EQ_INT(st.by_specialty[0].capacity, 7); /* all in "unknown specialty" */
	CHECK_EQ_INT(st.ncells, 2);
	CHECK_EQ_INT(st.cells[0].places, 2);
	ksp_match_stats_release(&st);
	r.place[0] = -1;
	CHECK_EQ_INT(ksp_match_stats(&in, &r, &st, NULL), KSP_OK);
	CHECK_EQ_INT(st.rank_hist[0], 1);
	CHECK_NEAR(st.share_matched, 2.0 / 3.0, 1e-12);
	ksp_match_stats_release(&st);
	ksp_match_result_release(&r);
	ksp_match_instance_release(&in);
}

/* The cutoffs gathered by region: counts, seats, and the lowest and highest
 * cutoff of the full places (a place without a cutoff counts only in the sums). */
TEST(cutoffs_by_region)
{
	struct ksp_match_instance in;
	struct ksp_match_cutoff cut[4] = {
		{ 2, 2, 0, 1, 70.5 }, /* region 0, full */
		{ 3, 3, 1, 1, 61.0 }, /* region 0, full */
		{ 4, 1, 2, 0, NAN },  /* region 0, not full */
		{ 5, 5, 3, 1, 80.0 }, /* unknown region, full */
	};
	struct ksp_match_region_cutoff out[3];

	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_region(&in, "R0", 43.2, 76.9, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_region(&in, "R1", 51.1, 71.4, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "A", -1, -1, 0, 2, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "B", -1, -1, 0, 3, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "C", -1, -1, 0, 4, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "D", -1, -1, -1, 5, NULL), KSP_OK);
	ksp_match_cutoffs_by_region(&in, cut, out);
	CHECK_EQ_INT(out[0].region, 0);
	CHECK_EQ_INT(out[0].places, 3);
	CHECK_EQ_INT(out[0].full, 2);
	CHECK_EQ_INT(out[0].capacity, 9);
	CHECK_EQ_INT(out[0].filled, 6);
	CHECK_NEAR(out[0].lowest, 61.0, 0);
	CHECK_NEAR(out[0].highest, 70.5, 0);
	CHECK_EQ_INT(out[1].places, 0);
	CHECK(isnan(out[1].lowest) && isnan(out[1].highest));
	CHECK_EQ_INT(out[2].region, -1);
	CHECK_EQ_INT(out[2].places, 1);
	CHECK_NEAR(out[2].lowest, 80.0, 0);
	ksp_match_instance_release(&in);
}

/* ---- input errors ----------------------------------------------------------- */

TEST(input_errors)
{
	struct ksp_match_instance in;
	struct ksp_match_options opt;
	struct ksp_match_result r;
	struct ksp_error err;
	int32_t dup[3] = { 0, 1, 0 }, bad[1] = { 5 }, two[2] = { 0, 0 }, ok[1] = { 0 };
	char longid[300];

	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_place(&in, "P", -1, -1, -1, -1, &err), KSP_EINVAL);
	CHECK_EQ_STR(err.msg, "place \"P\": capacity must be >= 0, got -1");
	CHECK_EQ_INT(in.nplaces, 0);
	CHECK_EQ_INT(ksp_match_add_place(&in, "P", -1, -1, -1, 2, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "Q", -1, -1, -1, 2000000, &err), KSP_ETOOBIG);
	CHECK_EQ_INT(ksp_match_add_place(&in, "Q", -1, -1, 3, 1, &err), KSP_EINVAL);
	CHECK_EQ_INT(ksp_match_add_place(&in, "Q", -1, -1, -1, 1, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "S", -1, -1, -1, 50, dup, 3, &err), KSP_EINVAL);
	CHECK_EQ_STR(err.msg, "student \"S\" ranks place \"P\" twice");
	CHECK_EQ_INT(ksp_match_add_student(&in, "S", -1, -1, -1, 50, bad, 1, &err), KSP_EINVAL);
	CHECK_EQ_STR(err.msg, "student \"S\": choice 1 is place index 5, out of range");
	CHECK_EQ_INT(ksp_match_add_student(&in, "S", -1, -1, -1, NAN, ok, 1, &err), KSP_EINVAL);
	CHECK_EQ_INT(in.nstudents, 0);
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	CHECK_EQ_INT(ksp_match_add_student(&in, longid, -1, -1, -1, 50, ok, 1, &err), KSP_ETOOBIG);
	CHECK_EQ_INT(ksp_match_add_student(&in, "S", -1, -1, -1, 50, ok, 1, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "T", -1, -1, -1, 50, ok, 1, &err), KSP_OK);

	/* not checked yet */
	ksp_match_options_init(&opt);
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, &err), KSP_EUSAGE);
	/* a list naming one student twice */
	CHECK_EQ_INT(ksp_match_rank_students(&in, 0, two, NULL, 2, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_instance_check(&in, &err), KSP_EINVAL);
	CHECK_EQ_STR(err.msg, "place \"P\" ranks student \"S\" twice");
	/* colleges on a place that ranks students */
	CHECK_EQ_INT(ksp_match_add_college(&in, "C", -1, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_rank_colleges(&in, 0, ok, NULL, 1, &err), KSP_EINVAL);
	CHECK_EQ_INT(ksp_match_rank_students(&in, 1, ok, two, 1, &err), KSP_EINVAL); /* rank 0 */
	ksp_match_instance_release(&in);

	/* specialty mismatch */
	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_specialty(&in, "welding", &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_specialty(&in, "catering", &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "P", -1, 0, -1, 1, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, "S", -1, 1, -1, 50, ok, 1, &err), KSP_EINVAL);
	CHECK_EQ_STR(err.msg, "student \"S\": choice 1, place \"P\", is for specialty \"welding\", "
			      "not the student's \"catering\"");
	CHECK_EQ_INT(ksp_match_add_student(&in, "S", -1, 0, -1, 50, ok, 1, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_instance_check(&in, &err), KSP_OK);
	/* geographic rules need regions; not both rules */
	opt.max_km = 100;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, &err), KSP_EINVAL);
	CHECK_EQ_STR(err.msg, "student \"S\" has no region, which the distance rule needs");
	opt.same_region = 1;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, &err), KSP_EUSAGE);
	opt.max_km = -1;
	opt.same_region = 0;
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, &err), KSP_EUSAGE);
	ksp_match_instance_release(&in);

	/* an empty instance runs */
	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_instance_check(&in, &err), KSP_OK);
	ksp_match_options_init(&opt);
	CHECK_EQ_INT(ksp_match_run(&in, &opt, &r, &err), KSP_OK);
	CHECK_EQ_INT(ksp_match_verify(&in, &opt, &r, NULL, &err), KSP_OK);
	ksp_match_result_release(&r);
	ksp_match_instance_release(&in);
}

TEST(names)
{
	struct ksp_match_instance in;
	char buf[32];
	int32_t none[1] = { 0 };

	ksp_match_instance_init(&in);
	CHECK_EQ_INT(ksp_match_add_place(&in, NULL, -1, -1, -1, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_place(&in, "E7/welding", -1, -1, -1, 1, NULL), KSP_OK);
	CHECK_EQ_INT(ksp_match_add_student(&in, NULL, -1, -1, -1, 1, none, 0, NULL), KSP_OK);
	CHECK_EQ_STR(ksp_match_name(&in, KSP_MATCH_PLACE, 0, buf, sizeof(buf)), "place #0");
	CHECK_EQ_STR(ksp_match_name(&in, KSP_MATCH_PLACE, 1, buf, sizeof(buf)), "E7/welding");
	CHECK_EQ_STR(ksp_match_name(&in, KSP_MATCH_STUDENT, 0, buf, sizeof(buf)), "student #0");
	CHECK_EQ_STR(ksp_match_name(&in, KSP_MATCH_STUDENT, -1, buf, sizeof(buf)), "none");
	ksp_match_instance_release(&in);
}

int main(void)
{
	RUN(fixtures);
	RUN(brute_force_random);
	RUN(lottery_reference);
	RUN(determinism);
	RUN(generated_instance);
	RUN(verify_planted);
	RUN(explain_texts);
	RUN(explain_ties_in_languages);
	RUN(explain_college_and_capacity);
	RUN(list_accepts_nobody);
	RUN(workspace_reuse);
	RUN(lists_as_scores);
	RUN(stats);
	RUN(cutoffs_by_region);
	RUN(input_errors);
	RUN(names);
	return harness_done();
}

/*
 * store.c - placement data and runs in the database (kasip/match.h; the
 * tables are migration 2, lib/match/schema.c; docs/matching.md).
 *
 * Rows are read in any order and sorted here by the bytes of their ids,
 * so that index i (and so the i-th lottery number of a seed) names the
 * same student whatever the backend's collation.
 */
#include <jansson.h>

#include "kasip/match.h"

#include "match/internal.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

/* ---- id -> index ------------------------------------------------------------- */

struct idmap {
	const char **keys; /* borrowed */
	int32_t *vals;
	size_t cap;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

/* A map of n names (names[i] -> i); NULL names are left out. */
static void idmap_init(struct idmap *m, char *const *names, int32_t n)
{
	m->cap = 16;
	while (m->cap < (size_t)n * 2 + 2)
		m->cap *= 2;
	m->keys = ksp_xcalloc(m->cap, sizeof(*m->keys));
	m->vals = ksp_xmalloc(m->cap * sizeof(*m->vals));
	for (int32_t i = 0; names && i < n; i++) {
		size_t j;

		if (!names[i])
			continue;
		j = hash_str(names[i]) & (m->cap - 1);
		while (m->keys[j])
			j = (j + 1) & (m->cap - 1);
		m->keys[j] = names[i];
		m->vals[j] = i;
	}
}

static int32_t idmap_get(const struct idmap *m, const char *key)
{
	size_t j = hash_str(key) & (m->cap - 1);

	while (m->keys[j]) {
		if (!strcmp(m->keys[j], key))
			return m->vals[j];
		j = (j + 1) & (m->cap - 1);
	}
	return -1;
}

static void idmap_release(struct idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- rows of a query, sorted by their first column ----------------------- */

/* One row: up to 4 text columns (owned copies), then up to 2 numbers (NAN for NULL). */
struct row {
	char *t[4];
	int null[4];
	double num, num2;
};

struct rows {
	struct row *r;
	size_t n, alloc;
};

static void rows_release(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		for (int c = 0; c < 4; c++)
			free(rs->r[i].t[c]);
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

static double column_num(struct ksp_stmt *st, int col)
{
	return ksp_stmt_column_is_null(st, col) ? NAN : ksp_stmt_column_double(st, col);
}

/* Read every row of sql: ntext (<= 4) text columns, then nnum (<= 2) numbers. */
static int rows_read(struct ksp_store *s, const char *sql, int ntext, int nnum,
		     struct rows *rs, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	memset(rs, 0, sizeof(*rs));
	if ((rc = ksp_stmt_prepare(s, sql, &st, err)))
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct row *r;

		KSP_ALLOC_GROW(rs->r, rs->n + 1, rs->alloc);
		r = &rs->r[rs->n++];
		memset(r, 0, sizeof(*r));
		for (int c = 0; c < ntext; c++) {
			r->null[c] = ksp_stmt_column_is_null(st, c);
			r->t[c] = ksp_xstrdup(ksp_stmt_column_text(st, c));
		}
		r->num = nnum > 0 ? column_num(st, ntext) : NAN;
		r->num2 = nnum > 1 ? column_num(st, ntext + 1) : NAN;
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

static int cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->t[0], ((const struct row *)b)->t[0]);
}

static void rows_sort(struct rows *rs)
{
	if (rs->n > 1)
		qsort(rs->r, rs->n, sizeof(*rs->r), cmp_row);
}

/* ---- loading an instance ------------------------------------------------ */

struct choice_row {
	int32_t student, rank, place;
};

struct rank_row {
	int32_t place, who, rank, college; /* college: who is a college */
};

static int cmp_rank_row(const void *a, const void *b)
{
	const struct rank_row *x = a, *y = b;

	if (x->place != y->place)
		return x->place < y->place ? -1 : 1;
	return (x->who > y->who) - (x->who < y->who);
}

static int unknown(struct ksp_error *err, const char *table, const char *what, const char *id)
{
	return ksp_error_set(err, KSP_EINVAL, "%s names an unknown %s \"%s\"", table, what, id);
}

/* Students and their choices: choices by student (counting sort), then by rank. */
static int load_students(struct ksp_store *s, struct ksp_match_instance *in,
			 struct idmap *colleges, struct idmap *specs, struct idmap *regions,
			 struct idmap *places, struct ksp_error *err)
{
	struct rows st = { 0 }, ch = { 0 };
	struct idmap students = { 0 };
	struct choice_row *cr = NULL;
	int32_t *start = NULL, *prefs = NULL;
	char **ids = NULL;
	size_t n;
	int rc;

	rc = rows_read(s,
		       "SELECT s.id, s.college, s.specialty, coalesce(s.region, c.region), s.score "
		       "FROM student s JOIN college c ON c.id = s.college",
		       4, 1, &st, err);
	if (rc)
		goto out;
	rows_sort(&st);
	n = st.n;
	ids = ksp_xcalloc(n + 1, sizeof(*ids));
	for (size_t i = 0; i < n; i++)
		ids[i] = st.r[i].t[0];
	idmap_init(&students, ids, (int32_t)(n > (size_t)INT32_MAX ? INT32_MAX : n));
	if ((rc = rows_read(s, "SELECT student, place, rank FROM choice", 2, 1, &ch, err)))
		goto out;
	cr = ksp_xmalloc((ch.n + 1) * sizeof(*cr));
	start = ksp_xcalloc(n + 2, sizeof(*start));
	for (size_t i = 0; i < ch.n; i++) {
		int32_t si = idmap_get(&students, ch.r[i].t[0]);
		int32_t pi = idmap_get(places, ch.r[i].t[1]);

		if (si < 0) {
			rc = unknown(err, "choice", "student", ch.r[i].t[0]);
			goto out;
		}
		if (pi < 0) {
			rc = unknown(err, "choice", "place", ch.r[i].t[1]);
			goto out;
		}
		cr[i].student = si;
		cr[i].place = pi;
		cr[i].rank = (int32_t)ch.r[i].num;
		start[si + 2]++;
	}
	for (size_t i = 0; i < n; i++)
		start[i + 2] += start[i + 1];
	prefs = ksp_xmalloc((ch.n + 1) * sizeof(*prefs));
	{
		struct choice_row *sorted = ksp_xmalloc((ch.n + 1) * sizeof(*sorted));

		for (size_t i = 0; i < ch.n; i++)
			sorted[start[cr[i].student + 1]++] = cr[i];
		free(cr);
		cr = sorted;
	}
	for (size_t i = 0; i < n; i++) {
		int32_t lo = start[i], hi = start[i + 1], m = 0;
		int32_t coll = idmap_get(colleges, st.r[i].t[1]);
		int32_t spec = idmap_get(specs, st.r[i].t[2]);
		int32_t reg = st.r[i].null[3] ? -1 : idmap_get(regions, st.r[i].t[3]);

		/* insertion sort by rank: lists are short */
		for (int32_t a = lo + 1; a < hi; a++) {
			struct choice_row x = cr[a];
			int32_t b = a;

			for (; b > lo && cr[b - 1].rank > x.rank; b--)
				cr[b] = cr[b - 1];
			cr[b] = x;
		}
		for (int32_t a = lo; a < hi; a++)
			prefs[m++] = cr[a].place;
		rc = ksp_match_add_student(in, st.r[i].t[0], coll, spec, reg, st.r[i].num, prefs,
					   (size_t)m, err);
		if (rc)
			goto out;
	}
out:
	free(prefs);
	free(start);
	free(cr);
	free(ids);
	idmap_release(&students);
	rows_release(&st);
	rows_release(&ch);
	return rc;
}

/*
 * Rankings: a place's own entries, else its enterprise's entries for all its
 * places, except the places whose rule is 'score' outright (by_score[p]):
 * an enterprise's entries pass them by, and their own entries are an error.
 */
static int load_rankings(struct ksp_store *s, struct ksp_match_instance *in,
			 struct idmap *enterprises, struct idmap *places, const uint8_t *by_score,
			 struct ksp_error *err)
{
	struct rows rk = { 0 };
	struct idmap students = { 0 }, colleges = { 0 };
	struct rank_row *rr = NULL;
	int32_t *ent_start = NULL, *ent_places = NULL, *who = NULL, *ranks = NULL;
	uint8_t *own = NULL;
	size_t nrr = 0, alloc = 0;
	char buf[64];
	int rc;

	rc = rows_read(s,
		       "SELECT enterprise, place, student, college, rank FROM enterprise_ranking", 4,
		       1, &rk, err);
	if (rc || !rk.n)
		goto out;
	idmap_init(&students, in->student_id, in->nstudents);
	idmap_init(&colleges, in->college_id, in->ncolleges);
	/* the places of every enterprise */
	ent_start = ksp_xcalloc((size_t)in->nenterprises + 2, sizeof(*ent_start));
	for (int32_t p = 0; p < in->nplaces; p++)
		ent_start[in->place_enterprise[p] + 2]++;
	for (int32_t e = 0; e < in->nenterprises; e++)
		ent_start[e + 2] += ent_start[e + 1];
	ent_places = ksp_xmalloc(((size_t)in->nplaces + 1) * sizeof(*ent_places));
	for (int32_t p = 0; p < in->nplaces; p++)
		ent_places[ent_start[in->place_enterprise[p] + 1]++] = p;
	own = ksp_xcalloc((size_t)in->nplaces + 1, 1);

	for (int pass = 0; pass < 2; pass++) /* place entries first, then enterprise entries */
		for (size_t i = 0; i < rk.n; i++) {
			struct row *r = &rk.r[i];
			int32_t e = idmap_get(enterprises, r->t[0]), w, p;
			int is_college = !*r->t[2];

			if ((pass == 0) != (*r->t[1] != '\0'))
				continue;
			if (e < 0) {
				rc = unknown(err, "enterprise_ranking", "enterprise", r->t[0]);
				goto out;
			}
			w = is_college ? idmap_get(&colleges, r->t[3]) : idmap_get(&students, r->t[2]);
			if (w < 0) {
				rc = unknown(err, "enterprise_ranking", is_college ? "college" : "student",
					     is_college ? r->t[3] : r->t[2]);
				goto out;
			}
			if (pass == 0) {
				if ((p = idmap_get(places, r->t[1])) < 0 || in->place_enterprise[p] != e) {
					rc = ksp_error_set(
						err, KSP_EINVAL,
						"enterprise_ranking names place \"%s\", which is not a "
						"place of enterprise \"%s\"",
						r->t[1], r->t[0]);
					goto out;
				}
				if (by_score[p]) {
					rc = ksp_error_set(
						err, KSP_EINVAL,
						"enterprise_ranking ranks students or colleges for place "
						"\"%s\", whose rule is \"score\"",
						r->t[1]);
					goto out;
				}
				own[p] = 1;
				KSP_ALLOC_GROW(rr, nrr + 1, alloc);
				rr[nrr++] = (struct rank_row){ p, w, (int32_t)r->num, is_college };
				continue;
			}
			for (int32_t j = ent_start[e]; j < ent_start[e + 1]; j++) {
				p = ent_places[j];
				if (own[p] || by_score[p])
					continue;
				KSP_ALLOC_GROW(rr, nrr + 1, alloc);
				rr[nrr++] = (struct rank_row){ p, w, (int32_t)r->num, is_college };
			}
		}
	if (nrr > 1)
		qsort(rr, nrr, sizeof(*rr), cmp_rank_row);
	who = ksp_xmalloc((nrr + 1) * sizeof(*who));
	ranks = ksp_xmalloc((nrr + 1) * sizeof(*ranks));
	for (size_t i = 0; i < nrr;) {
		size_t j = i, m = 0;
		int college = rr[i].college;

		for (; j < nrr && rr[j].place == rr[i].place; j++) {
			if (rr[j].college != college) {
				rc = ksp_error_set(err, KSP_EINVAL,
						   "place \"%s\" is ranked by students and by colleges; "
						   "an enterprise ranks one or the other",
						   ksp_match_name(in, KSP_MATCH_PLACE, rr[i].place, buf,
								  sizeof(buf)));
				goto out;
			}
			who[m] = rr[j].who;
			ranks[m++] = rr[j].rank;
		}
		rc = college ? ksp_match_rank_colleges(in, rr[i].place, who, ranks, m, err)
			     : ksp_match_rank_students(in, rr[i].place, who, ranks, m, err);
		if (rc)
			goto out;
		i = j;
	}
out:
	free(who);
	free(ranks);
	free(rr);
	free(own);
	free(ent_places);
	free(ent_start);
	idmap_release(&students);
	idmap_release(&colleges);
	rows_release(&rk);
	return rc;
}

static int load_instance(struct ksp_store *s, struct ksp_match_instance *in,
			 struct ksp_error *err)
{
	struct rows r = { 0 };
	struct idmap regions = { 0 }, colleges = { 0 }, specs = { 0 }, enterprises = { 0 },
		     places = { 0 };
	uint8_t *by_score = NULL; /* [nplaces] 1: rule 'score' given outright */
	int rc;

	ksp_match_instance_init(in);
#define READ(sql, ntext, nnum)                                                         \
	do {                                                                           \
		rows_release(&r);                                                      \
		if ((rc = rows_read(s, sql, ntext, nnum, &r, err)))                    \
			goto out;                                                      \
		rows_sort(&r);                                                         \
	} while (0)

	/* regions with their centres (NAN when not known) */
	READ("SELECT kato, lat, lon FROM region WHERE type <> 'country'", 1, 2);
	for (size_t i = 0; i < r.n; i++)
		if ((rc = ksp_match_add_region(in, r.r[i].t[0], r.r[i].num, r.r[i].num2, err)))
			goto out;
	idmap_init(&regions, in->region_id, in->nregions);

	READ("SELECT id, region FROM college", 2, 0);
	for (size_t i = 0; i < r.n; i++)
		if ((rc = ksp_match_add_college(in, r.r[i].t[0], idmap_get(&regions, r.r[i].t[1]),
						err)))
			goto out;
	idmap_init(&colleges, in->college_id, in->ncolleges);

	READ("SELECT specialty FROM place UNION SELECT specialty FROM student", 1, 0);
	for (size_t i = 0; i < r.n; i++)
		if ((rc = ksp_match_add_specialty(in, r.r[i].t[0], err)))
			goto out;
	idmap_init(&specs, in->specialty_id, in->nspecialties);

	READ("SELECT id, region FROM enterprise", 2, 0);
	for (size_t i = 0; i < r.n; i++)
		if ((rc = ksp_match_add_enterprise(in, r.r[i].t[0],
						   idmap_get(&regions, r.r[i].t[1]), err)))
			goto out;
	idmap_init(&enterprises, in->enterprise_id, in->nenterprises);

	READ("SELECT id, enterprise, specialty, rule, capacity FROM place", 4, 1);
	by_score = ksp_xcalloc(r.n + 1, 1);
	for (size_t i = 0; i < r.n; i++) {
		int32_t e = idmap_get(&enterprises, r.r[i].t[1]);
		double cap = r.r[i].num;

		if (e < 0) {
			rc = unknown(err, "place", "enterprise", r.r[i].t[1]);
			goto out;
		}
		if (!(cap >= 0) || cap > KSP_MATCH_MAX_CAPACITY) {
			rc = ksp_error_set(err, cap > 0 ? KSP_ETOOBIG : KSP_EINVAL,
					   "place \"%s\": capacity %g out of range (0..%d)",
					   r.r[i].t[0], cap, KSP_MATCH_MAX_CAPACITY);
			goto out;
		}
		if ((rc = ksp_match_add_place(in, r.r[i].t[0], e, idmap_get(&specs, r.r[i].t[2]), -1,
					      (int32_t)cap, err)))
			goto out;
		/* an explicit rule now: a list or college place with no rows accepts nobody */
		if (!strcmp(r.r[i].t[3], "list") || !strcmp(r.r[i].t[3], "college")) {
			if ((rc = ksp_match_set_rule(in, in->nplaces - 1,
						     r.r[i].t[3][0] == 'l' ? KSP_RANK_LIST
									   : KSP_RANK_COLLEGE,
						     err)))
				goto out;
		} else if (!strcmp(r.r[i].t[3], "score")) {
			by_score[in->nplaces - 1] = 1;
		}
	}
	idmap_init(&places, in->place_id, in->nplaces);
#undef READ

	if ((rc = load_students(s, in, &colleges, &specs, &regions, &places, err)))
		goto out;
	if ((rc = load_rankings(s, in, &enterprises, &places, by_score, err)))
		goto out;
	rc = ksp_match_instance_check(in, err);
out:
	free(by_score);
	rows_release(&r);
	idmap_release(&regions);
	idmap_release(&colleges);
	idmap_release(&specs);
	idmap_release(&enterprises);
	idmap_release(&places);
	if (rc)
		ksp_match_instance_release(in);
	return rc;
}

int ksp_match_load(struct ksp_store *s, struct ksp_match_instance *in, struct ksp_error *err)
{
	int rc;

	/*
	 * One read transaction: the tables are read from one snapshot even
	 * while an import commits, and no lock is held that would stop it.
	 */
	if (ksp_store_in_transaction(s))
		return load_instance(s, in, err);
	ksp_match_instance_init(in);
	if ((rc = ksp_store_begin_read(s, err)))
		return rc;
	rc = load_instance(s, in, err);
	if (rc)
		ksp_store_rollback(s);
	else if ((rc = ksp_store_commit(s, err)))
		ksp_match_instance_release(in);
	return rc;
}

/* ---- runs ----------------------------------------------------------------- */

static char *options_json(const struct ksp_match_options *opt)
{
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "max_km", json_real(opt->max_km));
	json_object_set_new(o, "same_region", json_boolean(opt->same_region));
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static char *stats_json(const struct ksp_match_stats *st)
{
	json_t *o = json_object(), *h = json_array();
	char *s;

	json_object_set_new(o, "students", json_integer(st->students));
	json_object_set_new(o, "matched", json_integer(st->matched));
	json_object_set_new(o, "share_matched", json_real(st->share_matched));
	json_object_set_new(o, "mean_rank", json_real(st->mean_choice));
	json_object_set_new(o, "capacity", json_integer(st->capacity));
	json_object_set_new(o, "filled", json_integer(st->filled));
	for (int32_t r = 0; r <= st->max_choice; r++)
		json_array_append_new(h, json_integer(st->rank_hist[r]));
	json_object_set_new(o, "rank_hist", h);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

int ksp_match_save_run(struct ksp_store *s, const struct ksp_match_instance *in,
		       const struct ksp_match_options *opt, const struct ksp_match_result *res,
		       struct ksp_match_run_info *info, struct ksp_error *err)
{
	struct ksp_stmt *run = NULL, *as = NULL;
	struct ksp_match_stats st;
	char *ojs = NULL, *sjs = NULL, lot[24];
	int own_tx = !ksp_store_in_transaction(s), rc;
	long long id = 0;
	time_t now = time(NULL);
	struct tm tm;

	memset(info, 0, sizeof(*info));
	if ((rc = ksp_match_check_args(in, res, err)))
		return rc;
	if (opt->seed > (uint64_t)INT64_MAX)
		return ksp_error_set(err, KSP_EUSAGE, "a stored run's seed must be at most %lld",
				     (long long)INT64_MAX);
	if (in->nstudents && (!in->student_id || (in->nplaces && !in->place_id)))
		return ksp_error_set(err, KSP_EUSAGE, "only an instance with ids can be stored");
	if ((rc = ksp_match_stats(in, res, &st, err)))
		return rc;
	ojs = options_json(opt);
	sjs = stats_json(&st);
	ksp_match_stats_release(&st);
	gmtime_r(&now, &tm);
	strftime(info->created, sizeof(info->created), "%Y-%m-%dT%H:%M:%SZ", &tm);
	info->opt = *opt;

	if (own_tx && (rc = ksp_store_begin(s, err)))
		goto out;
	rc = ksp_store_query_int(s, "SELECT coalesce(max(id), 0) + 1 FROM match_run", &id, err,
				 (const char *)NULL);
	if (rc < 0)
		goto out;
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO match_run (id, created, direction, seed, options, stats) "
			      "VALUES (?, ?, ?, ?, ?, ?)",
			      &run, err);
	if (rc)
		goto out;
	ksp_stmt_bind_int64(run, 1, id);
	ksp_stmt_bind_text(run, 2, info->created, -1);
	ksp_stmt_bind_text(run, 3,
			   opt->proposing == KSP_MATCH_ENTERPRISES ? "enterprises" : "students", -1);
	ksp_stmt_bind_int64(run, 4, (long long)opt->seed);
	ksp_stmt_bind_text(run, 5, ojs, -1);
	ksp_stmt_bind_text(run, 6, sjs, -1);
	if ((rc = ksp_stmt_step(run, err)) != KSP_DONE)
		goto out;
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO match_assignment (run, student, place, rank, lottery) "
			      "VALUES (?, ?, ?, ?, ?)",
			      &as, err);
	if (rc)
		goto out;
	for (int32_t i = 0; i < in->nstudents; i++) {
		int32_t p = res->place[i];

		ksp_stmt_reset(as);
		ksp_stmt_bind_int64(as, 1, id);
		ksp_stmt_bind_text(as, 2, in->student_id[i], -1);
		if (p >= 0) {
			ksp_stmt_bind_text(as, 3, in->place_id[p], -1);
			ksp_stmt_bind_int64(as, 4, res->choice[i]);
		} else {
			ksp_stmt_bind_null(as, 3);
			ksp_stmt_bind_null(as, 4);
		}
		snprintf(lot, sizeof(lot), "%016" PRIx64, res->lottery[i]);
		ksp_stmt_bind_text(as, 5, lot, -1);
		if ((rc = ksp_stmt_step(as, err)) != KSP_DONE)
			goto out;
	}
	rc = KSP_OK;
	if (own_tx) {
		rc = ksp_store_commit(s, err);
		own_tx = 0;
	}
	info->id = id;
out:
	if (rc == KSP_DONE)
		rc = KSP_OK;
	ksp_stmt_finalize(run);
	ksp_stmt_finalize(as);
	if (rc && own_tx && ksp_store_in_transaction(s))
		ksp_store_rollback(s);
	free(ojs);
	free(sjs);
	return rc;
}

static int parse_hex64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = strlen(s);

	if (!n || n > 16)
		return -1;
	for (; *s; s++) {
		int d = isdigit((unsigned char)*s)		? *s - '0'
			: (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10
			: (*s >= 'A' && *s <= 'F') ? *s - 'A' + 10
						   : -1;

		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return 0;
}

int ksp_match_load_run(struct ksp_store *s, long long id, const struct ksp_match_instance *in,
		       struct ksp_match_run_info *info, struct ksp_match_result *res,
		       struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	struct idmap students = { 0 }, places = { 0 };
	uint8_t *seen = NULL;
	json_t *o = NULL;
	json_error_t jerr;
	char buf[64];
	int rc;

	memset(info, 0, sizeof(*info));
	memset(res, 0, sizeof(*res));
	if ((rc = ksp_match_check_args(in, NULL, err)))
		return rc;
	rc = ksp_stmt_prepare(s,
			      id > 0 ? "SELECT id, created, direction, seed, options FROM match_run "
				       "WHERE id = ?"
				     : "SELECT id, created, direction, seed, options FROM match_run "
				       "ORDER BY id DESC LIMIT 1",
			      &st, err);
	if (rc)
		return rc;
	if (id > 0)
		ksp_stmt_bind_int64(st, 1, id);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_DONE) {
		rc = id > 0 ? ksp_error_set(err, KSP_ENOTFOUND, "no run %lld; 'kasip match stats' "
							       "shows the latest", id)
			    : ksp_error_set(err, KSP_ENOTFOUND,
					    "no run yet; 'kasip match run' makes one");
		goto out;
	}
	if (rc != KSP_ROW)
		goto out;
	ksp_match_options_init(&info->opt);
	info->id = ksp_stmt_column_int64(st, 0);
	snprintf(info->created, sizeof(info->created), "%s", ksp_stmt_column_text(st, 1));
	info->opt.proposing = !strcmp(ksp_stmt_column_text(st, 2), "enterprises")
				      ? KSP_MATCH_ENTERPRISES
				      : KSP_MATCH_STUDENTS;
	info->opt.seed = (uint64_t)ksp_stmt_column_int64(st, 3);
	o = json_loads(ksp_stmt_column_text(st, 4), 0, &jerr);
	if (!json_is_object(o)) {
		rc = ksp_error_set(err, KSP_EINVAL, "run %lld: its options do not parse: %s",
				   info->id, jerr.text);
		goto out;
	}
	info->opt.max_km = json_number_value(json_object_get(o, "max_km"));
	info->opt.same_region = json_is_true(json_object_get(o, "same_region"));
	ksp_stmt_finalize(st);
	st = NULL;

	ksp_match_result_init(res, in);
	res->proposing = info->opt.proposing;
	res->seed = info->opt.seed;
	idmap_init(&students, in->student_id, in->nstudents);
	idmap_init(&places, in->place_id, in->nplaces);
	seen = ksp_xcalloc((size_t)in->nstudents + 1, 1);
	if ((rc = ksp_stmt_prepare(s,
				   "SELECT student, place, lottery FROM match_assignment WHERE run = ?",
				   &st, err)))
		goto out;
	ksp_stmt_bind_int64(st, 1, info->id);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *sid = ksp_stmt_column_text(st, 0);
		int32_t si = idmap_get(&students, sid), pi = -1;

		if (si < 0) {
			rc = ksp_error_set(err, KSP_ECONFLICT,
					   "run %lld placed student \"%s\", who is no longer in the "
					   "data; run the matching again",
					   info->id, sid);
			goto out;
		}
		if (!ksp_stmt_column_is_null(st, 1) &&
		    (pi = idmap_get(&places, ksp_stmt_column_text(st, 1))) < 0) {
			rc = ksp_error_set(err, KSP_ECONFLICT,
					   "run %lld used place \"%s\", which is no longer in the "
					   "data; run the matching again",
					   info->id, ksp_stmt_column_text(st, 1));
			goto out;
		}
		if (parse_hex64(ksp_stmt_column_text(st, 2), &res->lottery[si])) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "run %lld: the lottery number of student \"%s\" does not "
					   "parse",
					   info->id, sid);
			goto out;
		}
		res->place[si] = pi;
		seen[si] = 1;
	}
	if (rc != KSP_DONE)
		goto out;
	for (int32_t i = 0; i < in->nstudents; i++)
		if (!seen[i]) {
			rc = ksp_error_set(err, KSP_ECONFLICT,
					   "student \"%s\" is not in run %lld (added after it); run "
					   "the matching again",
					   ksp_match_name(in, KSP_MATCH_STUDENT, i, buf, sizeof(buf)),
					   info->id);
			goto out;
		}
	ksp_match_result_tally(res, in);
	rc = KSP_OK;
out:
	ksp_stmt_finalize(st);
	json_decref(o);
	free(seen);
	idmap_release(&students);
	idmap_release(&places);
	if (rc)
		ksp_match_result_release(res);
	return rc;
}

int ksp_match_run_list(struct ksp_store *s, size_t offset, size_t limit,
		       struct ksp_match_run_info **out, size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!limit)
		limit = 100;
	rc = ksp_stmt_prepare(s,
			      "SELECT id, created, direction, seed, options FROM match_run "
			      "ORDER BY id DESC LIMIT ? OFFSET ?",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, (long long)(limit > (size_t)INT32_MAX ? (size_t)INT32_MAX : limit));
	ksp_stmt_bind_int64(st, 2,
			    (long long)(offset > (size_t)INT64_MAX ? (size_t)INT64_MAX : offset));
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_match_run_info *info;
		json_error_t jerr;
		json_t *o;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		info = &(*out)[(*n)++];
		memset(info, 0, sizeof(*info));
		ksp_match_options_init(&info->opt);
		info->id = ksp_stmt_column_int64(st, 0);
		snprintf(info->created, sizeof(info->created), "%s", ksp_stmt_column_text(st, 1));
		info->opt.proposing = !strcmp(ksp_stmt_column_text(st, 2), "enterprises")
					      ? KSP_MATCH_ENTERPRISES
					      : KSP_MATCH_STUDENTS;
		info->opt.seed = (uint64_t)ksp_stmt_column_int64(st, 3);
		o = json_loads(ksp_stmt_column_text(st, 4), 0, &jerr);
		if (!json_is_object(o)) {
			json_decref(o);
			rc = ksp_error_set(err, KSP_EINVAL, "run %lld: its options do not parse: %s",
					   info->id, jerr.text);
			break;
		}
		info->opt.max_km = json_number_value(json_object_get(o, "max_km"));
		info->opt.same_region = json_is_true(json_object_get(o, "same_region"));
		json_decref(o);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

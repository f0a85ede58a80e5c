/*
 * instance.c - building and checking a placement instance (kasip/match.h).
 */
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

enum { A_REGION, A_COLLEGE, A_SPECIALTY, A_ENTERPRISE, A_PLACE, A_STUDENT, A_PREF, A_RANK };

void ksp_match_instance_init(struct ksp_match_instance *in)
{
	memset(in, 0, sizeof(*in));
}

static void free_names(char **names, int32_t n)
{
	if (!names)
		return;
	for (int32_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void ksp_match_instance_release(struct ksp_match_instance *in)
{
	free(in->region_lat);
	free(in->region_lon);
	free_names(in->region_id, in->nregions);
	free(in->college_region);
	free_names(in->college_id, in->ncolleges);
	free_names(in->specialty_id, in->nspecialties);
	free(in->enterprise_region);
	free_names(in->enterprise_id, in->nenterprises);
	free(in->capacity);
	free(in->place_enterprise);
	free(in->place_specialty);
	free(in->place_region);
	free(in->place_rule);
	free_names(in->place_id, in->nplaces);
	free(in->score);
	free(in->student_college);
	free(in->student_specialty);
	free(in->student_region);
	free(in->pref_start);
	free(in->pref);
	free_names(in->student_id, in->nstudents);
	free(in->rank_place);
	free(in->rank_who);
	free(in->rank_value);
	free(in->rank_start);
	ksp_match_instance_init(in);
}

/* ---- growth --------------------------------------------------------------- */

/* The capacity to grow to for need elements (as KSP_ALLOC_GROW), or 0 when enough. */
static size_t grow_to(size_t alloc, size_t need)
{
	size_t a;

	if (need <= alloc)
		return 0;
	a = alloc < 16 ? 16 : alloc;
	while (a < need)
		a = a / 2 * 3 + 16;
	return a;
}

#define RESIZE(ptr, n) ((ptr) = ksp_xreallocarray((ptr), (n), sizeof(*(ptr))))

static void resize_names(char ***names, size_t old, size_t cap)
{
	if (!*names)
		return;
	RESIZE(*names, cap);
	memset(*names + old, 0, (cap - old) * sizeof(**names));
}

/* Store a copy of id as entry idx of *names (allocated at first use). */
static void set_name(char ***names, size_t cap, int32_t idx, const char *id)
{
	if (!id)
		return;
	if (!*names)
		*names = ksp_xcalloc(cap, sizeof(**names));
	(*names)[idx] = ksp_xstrdup(id);
}

static int check_id(const char *what, const char *id, struct ksp_error *err)
{
	if (id && strlen(id) >= KSP_MATCH_ID_MAX)
		return ksp_error_set(err, KSP_ETOOBIG, "%s id longer than %d bytes", what,
				     KSP_MATCH_ID_MAX - 1);
	return KSP_OK;
}

static int check_index(const char *what, int32_t idx, int32_t n, const char *owner,
		       const char *id, struct ksp_error *err)
{
	if (idx < -1 || idx >= n)
		return ksp_error_set(err, KSP_EINVAL, "%s \"%s\": %s index %d"
				     " out of range (0..%d)",
				     owner, id ? id : "?", what, idx, n - 1);
	return KSP_OK;
}

static int too_many(const char *what, int32_t n, int32_t cap, struct ksp_error *err)
{
	if (n >= cap)
		return ksp_error_set(err, KSP_ETOOBIG, "more than %d %s", cap, what);
	return KSP_OK;
}

/* ---- adding objects ----------------------------------------------------- */

int ksp_match_instance_reserve(struct ksp_match_instance *in, int32_t places, int32_t students,
			       int64_t choices, struct ksp_error *err)
{
	size_t cap;

	if (places < 0 || students < 0 || choices < 0)
		return ksp_error_set(err, KSP_EINVAL, "cannot reserve a negative count");
	if (places > KSP_MATCH_MAX_PLACES || students > KSP_MATCH_MAX_STUDENTS ||
	    choices > KSP_MATCH_MAX_ENTRIES)
		return ksp_error_set(err, KSP_ETOOBIG, "cannot reserve more than the caps");
	if ((cap = (size_t)places) > in->alloc_[A_PLACE]) {
		RESIZE(in->capacity, cap);
		RESIZE(in->place_enterprise, cap);
		RESIZE(in->place_specialty, cap);
		RESIZE(in->place_region, cap);
		RESIZE(in->place_rule, cap);
		resize_names(&in->place_id, in->alloc_[A_PLACE], cap);
		in->alloc_[A_PLACE] = cap;
	}
	if ((cap = (size_t)students + 2) > in->alloc_[A_STUDENT]) {
		RESIZE(in->score, cap);
		RESIZE(in->student_college, cap);
		RESIZE(in->student_specialty, cap);
		RESIZE(in->student_region, cap);
		RESIZE(in->pref_start, cap);
		resize_names(&in->student_id, in->alloc_[A_STUDENT], cap);
		in->alloc_[A_STUDENT] = cap;
	}
	if ((cap = (size_t)choices) > in->alloc_[A_PREF]) {
		RESIZE(in->pref, cap);
		in->alloc_[A_PREF] = cap;
	}
	return KSP_OK;
}

int ksp_match_add_region(struct ksp_match_instance *in, const char *id, double lat, double lon,
			 struct ksp_error *err)
{
	size_t cap;
	int rc;

	if ((rc = check_id("region", id, err)) || (rc = too_many("regions", in->nregions,
								 KSP_MATCH_MAX_REGIONS, err)))
		return rc;
	if (!isnan(lat) && !(lat >= -90 && lat <= 90))
		return ksp_error_set(err, KSP_EINVAL, "region \"%s\": latitude %g out of range",
				     id ? id : "?", lat);
	if (!isnan(lon) && !(lon >= -180 && lon <= 180))
		return ksp_error_set(err, KSP_EINVAL, "region \"%s\": longitude %g out of range",
				     id ? id : "?", lon);
	if ((cap = grow_to(in->alloc_[A_REGION], (size_t)in->nregions + 1))) {
		RESIZE(in->region_lat, cap);
		RESIZE(in->region_lon, cap);
		resize_names(&in->region_id, in->alloc_[A_REGION], cap);
		in->alloc_[A_REGION] = cap;
	}
	in->region_lat[in->nregions] = lat;
	in->region_lon[in->nregions] = lon;
	set_name(&in->region_id, in->alloc_[A_REGION], in->nregions, id);
	in->nregions++;
	in->checked = 0;
	return KSP_OK;
}

int ksp_match_add_college(struct ksp_match_instance *in, const char *id, int32_t region,
			  struct ksp_error *err)
{
	size_t cap;
	int rc;

	if ((rc = check_id("college", id, err)) ||
	    (rc = too_many("colleges", in->ncolleges, KSP_MATCH_MAX_PLACES, err)) ||
	    (rc = check_index("region", region, in->nregions, "college", id, err)))
		return rc;
	if ((cap = grow_to(in->alloc_[A_COLLEGE], (size_t)in->ncolleges + 1))) {
		RESIZE(in->college_region, cap);
		resize_names(&in->college_id, in->alloc_[A_COLLEGE], cap);
		in->alloc_[A_COLLEGE] = cap;
	}
	in->college_region[in->ncolleges] = region;
	set_name(&in->college_id, in->alloc_[A_COLLEGE], in->ncolleges, id);
	in->ncolleges++;
	in->checked = 0;
	return KSP_OK;
}

int ksp_match_add_specialty(struct ksp_match_instance *in, const char *id, struct ksp_error *err)
{
	size_t cap;
	int rc;

	if ((rc = check_id("specialty", id, err)) ||
	    (rc = too_many("specialties", in->nspecialties, KSP_MATCH_MAX_SPECIALTIES, err)))
		return rc;
	if ((cap = grow_to(in->alloc_[A_SPECIALTY], (size_t)in->nspecialties + 1))) {
		resize_names(&in->specialty_id, in->alloc_[A_SPECIALTY], cap);
		in->alloc_[A_SPECIALTY] = cap;
	}
	set_name(&in->specialty_id, in->alloc_[A_SPECIALTY], in->nspecialties, id);
	in->nspecialties++;
	in->checked = 0;
	return KSP_OK;
}

int ksp_match_add_enterprise(struct ksp_match_instance *in, const char *id, int32_t region,
			     struct ksp_error *err)
{
	size_t cap;
	int rc;

	if ((rc = check_id("enterprise", id, err)) ||
	    (rc = too_many("enterprises", in->nenterprises, KSP_MATCH_MAX_PLACES, err)) ||
	    (rc = check_index("region", region, in->nregions, "enterprise", id, err)))
		return rc;
	if ((cap = grow_to(in->alloc_[A_ENTERPRISE], (size_t)in->nenterprises + 1))) {
		RESIZE(in->enterprise_region, cap);
		resize_names(&in->enterprise_id, in->alloc_[A_ENTERPRISE], cap);
		in->alloc_[A_ENTERPRISE] = cap;
	}
	in->enterprise_region[in->nenterprises] = region;
	set_name(&in->enterprise_id, in->alloc_[A_ENTERPRISE], in->nenterprises, id);
	in->nenterprises++;
	in->checked = 0;
	return KSP_OK;
}

int ksp_match_add_place(struct ksp_match_instance *in, const char *id, int32_t enterprise,
			int32_t specialty, int32_t region, int32_t capacity, struct ksp_error *err)
{
	size_t cap;
	int32_t n = in->nplaces;
	int rc;

	if ((rc = check_id("place", id, err)) ||
	    (rc = too_many("places", n, KSP_MATCH_MAX_PLACES, err)) ||
	    (rc = check_index("enterprise", enterprise, in->nenterprises, "place", id, err)) ||
	    (rc = check_index("specialty", specialty, in->nspecialties, "place", id, err)) ||
	    (rc = check_index("region", region, in->nregions, "place", id, err)))
		return rc;
	if (capacity < 0)
		return ksp_error_set(err, KSP_EINVAL,
				     "place \"%s\": capacity must be >= 0, got %d",
				     id ? id : "?", capacity);
	if (capacity > KSP_MATCH_MAX_CAPACITY)
		return ksp_error_set(err, KSP_ETOOBIG,
				     "place \"%s\": capacity %d above the cap of %d",
				     id ? id : "?", capacity, KSP_MATCH_MAX_CAPACITY);
	if (region < 0 && enterprise >= 0)
		region = in->enterprise_region[enterprise];
	if ((cap = grow_to(in->alloc_[A_PLACE], (size_t)n + 1))) {
		RESIZE(in->capacity, cap);
		RESIZE(in->place_enterprise, cap);
		RESIZE(in->place_specialty, cap);
		RESIZE(in->place_region, cap);
		RESIZE(in->place_rule, cap);
		resize_names(&in->place_id, in->alloc_[A_PLACE], cap);
		in->alloc_[A_PLACE] = cap;
	}
	in->capacity[n] = capacity;
	in->place_enterprise[n] = enterprise;
	in->place_specialty[n] = specialty;
	in->place_region[n] = region;
	in->place_rule[n] = KSP_RANK_SCORE;
	set_name(&in->place_id, in->alloc_[A_PLACE], n, id);
	in->nplaces++;
	in->checked = 0;
	return KSP_OK;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* Index of a place listed twice in prefs[0..n), or -1. */
static int32_t find_duplicate(const int32_t *prefs, size_t n)
{
	int32_t *tmp, dup = -1;

	if (n <= 24) {
		for (size_t i = 1; i < n; i++)
			for (size_t j = 0; j < i; j++)
				if (prefs[i] == prefs[j])
					return prefs[i];
		return -1;
	}
	tmp = ksp_xmalloc(n * sizeof(*tmp));
	memcpy(tmp, prefs, n * sizeof(*tmp));
	qsort(tmp, n, sizeof(*tmp), cmp_i32);
	for (size_t i = 1; i < n && dup < 0; i++)
		if (tmp[i] == tmp[i - 1])
			dup = tmp[i];
	free(tmp);
	return dup;
}

int ksp_match_add_student(struct ksp_match_instance *in, const char *id, int32_t college,
			  int32_t specialty, int32_t region, double score, const int32_t *prefs,
			  size_t nprefs, struct ksp_error *err)
{
	char b1[64], b2[64], b3[64];
	size_t cap, base;
	int32_t n = in->nstudents, dup;
	int rc;

	if ((rc = check_id("student", id, err)) ||
	    (rc = too_many("students", n, KSP_MATCH_MAX_STUDENTS, err)) ||
	    (rc = check_index("college", college, in->ncolleges, "student", id, err)) ||
	    (rc = check_index("specialty", specialty, in->nspecialties, "student", id, err)) ||
	    (rc = check_index("region", region, in->nregions, "student", id, err)))
		return rc;
	if (!isfinite(score))
		return ksp_error_set(err, KSP_EINVAL, "student \"%s\": score is not a finite number",
				     id ? id : "?");
	if (nprefs > KSP_MATCH_MAX_CHOICES)
		return ksp_error_set(err, KSP_ETOOBIG, "student \"%s\" ranks %zu places, more than %d",
				     id ? id : "?", nprefs, KSP_MATCH_MAX_CHOICES);
	base = n ? (size_t)in->pref_start[n] : 0;
	if (base + nprefs > KSP_MATCH_MAX_ENTRIES)
		return ksp_error_set(err, KSP_ETOOBIG, "more than %d choices in all",
				     KSP_MATCH_MAX_ENTRIES);
	for (size_t i = 0; i < nprefs; i++) {
		int32_t p = prefs[i];

		if (p < 0 || p >= in->nplaces)
			return ksp_error_set(err, KSP_EINVAL,
					     "student \"%s\": choice %zu is place index %d"
					     ", out of range",
					     id ? id : "?", i + 1, p);
		if (specialty >= 0 && in->place_specialty[p] >= 0 &&
		    in->place_specialty[p] != specialty)
			return ksp_error_set(
				err, KSP_EINVAL,
				"student \"%s\": choice %zu, place \"%s\", is for specialty \"%s\", "
				"not the student's \"%s\"",
				id ? id : "?", i + 1,
				ksp_match_name(in, KSP_MATCH_PLACE, p, b1, sizeof(b1)),
				ksp_match_name(in, KSP_MATCH_SPECIALTY, in->place_specialty[p], b2,
					       sizeof(b2)),
				ksp_match_name(in, KSP_MATCH_SPECIALTY, specialty, b3, sizeof(b3)));
	}
	if ((dup = find_duplicate(prefs, nprefs)) >= 0)
		return ksp_error_set(err, KSP_EINVAL, "student \"%s\" ranks place \"%s\" twice",
				     id ? id : "?",
				     ksp_match_name(in, KSP_MATCH_PLACE, dup, b1, sizeof(b1)));

	if ((cap = grow_to(in->alloc_[A_STUDENT], (size_t)n + 2))) {
		RESIZE(in->score, cap);
		RESIZE(in->student_college, cap);
		RESIZE(in->student_specialty, cap);
		RESIZE(in->student_region, cap);
		RESIZE(in->pref_start, cap);
		resize_names(&in->student_id, in->alloc_[A_STUDENT], cap);
		in->alloc_[A_STUDENT] = cap;
	}
	if ((cap = grow_to(in->alloc_[A_PREF], base + nprefs))) {
		RESIZE(in->pref, cap);
		in->alloc_[A_PREF] = cap;
	}
	if (nprefs)
		memcpy(in->pref + base, prefs, nprefs * sizeof(*prefs));
	in->pref_start[n] = (int32_t)base;
	in->pref_start[n + 1] = (int32_t)(base + nprefs);
	in->score[n] = score + 0.0; /* -0.0 becomes +0.0 */
	in->student_college[n] = college;
	in->student_specialty[n] = specialty;
	in->student_region[n] = region;
	set_name(&in->student_id, in->alloc_[A_STUDENT], n, id);
	in->nstudents++;
	in->checked = 0;
	return KSP_OK;
}

/* ---- explicit rankings -------------------------------------------------- */

static int add_ranking(struct ksp_match_instance *in, int32_t place, const int32_t *who,
		       const int32_t *ranks, size_t n, enum ksp_match_rule rule,
		       struct ksp_error *err)
{
	const char *what = rule == KSP_RANK_LIST ? "student" : "college";
	int32_t limit = rule == KSP_RANK_LIST ? in->nstudents : in->ncolleges;
	char buf[64];
	size_t cap;

	if (place < 0 || place >= in->nplaces)
		return ksp_error_set(err, KSP_EINVAL, "ranking of place index %d"
				     ": no such place", place);
	if (in->place_rule[place] != KSP_RANK_SCORE && in->place_rule[place] != rule)
		return rule == KSP_RANK_LIST
			       ? ksp_error_set(err, KSP_EINVAL,
					       "place \"%s\" already ranks colleges; it cannot rank "
					       "both students and colleges",
					       ksp_match_name(in, KSP_MATCH_PLACE, place, buf, sizeof(buf)))
			       : ksp_error_set(err, KSP_EINVAL,
					       "place \"%s\" already ranks students; it cannot rank "
					       "both students and colleges",
					       ksp_match_name(in, KSP_MATCH_PLACE, place, buf, sizeof(buf)));
	if ((size_t)in->nranks + n > KSP_MATCH_MAX_ENTRIES)
		return ksp_error_set(err, KSP_ETOOBIG, "more than %d ranking entries in all",
				     KSP_MATCH_MAX_ENTRIES);
	for (size_t i = 0; i < n; i++) {
		if (who[i] < 0 || who[i] >= limit)
			return ksp_error_set(err, KSP_EINVAL,
					     "ranking of place \"%s\": entry %zu is %s index %d"
					     ", out of range",
					     ksp_match_name(in, KSP_MATCH_PLACE, place, buf,
							    sizeof(buf)),
					     i + 1, what, who[i]);
		if (ranks && ranks[i] < 1)
			return ksp_error_set(err, KSP_EINVAL,
					     "ranking of place \"%s\": entry %zu has rank %d"
					     ", ranks start at 1",
					     ksp_match_name(in, KSP_MATCH_PLACE, place, buf,
							    sizeof(buf)),
					     i + 1, ranks[i]);
		if (!ranks && i >= (size_t)INT32_MAX)
			return ksp_error_set(err, KSP_ETOOBIG, "ranking list too long");
	}
	if ((cap = grow_to(in->alloc_[A_RANK], (size_t)in->nranks + n))) {
		RESIZE(in->rank_place, cap);
		RESIZE(in->rank_who, cap);
		RESIZE(in->rank_value, cap);
		in->alloc_[A_RANK] = cap;
	}
	for (size_t i = 0; i < n; i++) {
		in->rank_place[in->nranks] = place;
		in->rank_who[in->nranks] = who[i];
		in->rank_value[in->nranks] = ranks ? ranks[i] : (int32_t)(i + 1);
		in->nranks++;
	}
	in->place_rule[place] = (uint8_t)rule;
	in->checked = 0;
	return KSP_OK;
}

int ksp_match_rank_students(struct ksp_match_instance *in, int32_t place, const int32_t *who,
			    const int32_t *ranks, size_t n, struct ksp_error *err)
{
	return add_ranking(in, place, who, ranks, n, KSP_RANK_LIST, err);
}

int ksp_match_rank_colleges(struct ksp_match_instance *in, int32_t place, const int32_t *who,
			    const int32_t *ranks, size_t n, struct ksp_error *err)
{
	return add_ranking(in, place, who, ranks, n, KSP_RANK_COLLEGE, err);
}

int ksp_match_set_rule(struct ksp_match_instance *in, int32_t place, enum ksp_match_rule rule,
		       struct ksp_error *err)
{
	char buf[64];

	if (place < 0 || place >= in->nplaces)
		return ksp_error_set(err, KSP_EINVAL, "ranking of place index %d"
				     ": no such place", place);
	if (rule == KSP_RANK_LIST || rule == KSP_RANK_COLLEGE)
		return add_ranking(in, place, NULL, NULL, 0, rule, err);
	if (rule != KSP_RANK_SCORE)
		return ksp_error_set(err, KSP_EINVAL, "unknown ranking rule %d", (int)rule);
	for (int32_t i = 0; i < in->nranks; i++)
		if (in->rank_place[i] == place)
			return ksp_error_set(err, KSP_EINVAL,
					     "place \"%s\" ranks by score but has its own ranking",
					     ksp_match_name(in, KSP_MATCH_PLACE, place, buf,
							    sizeof(buf)));
	in->place_rule[place] = KSP_RANK_SCORE;
	in->checked = 0;
	return KSP_OK;
}

/* ---- check -------------------------------------------------------------- */

struct who_rank {
	int32_t who, value;
};

static int cmp_who(const void *a, const void *b)
{
	const struct who_rank *x = a, *y = b;

	return (x->who > y->who) - (x->who < y->who);
}

int ksp_match_instance_check(struct ksp_match_instance *in, struct ksp_error *err)
{
	struct who_rank *tmp = NULL;
	int32_t *pos = NULL;
	char b1[64], b2[64];
	int rc = KSP_OK;

	in->checked = 0;
	if (!in->nstudents) {
		/* pref_start must exist even for no students */
		if (!in->pref_start) {
			in->pref_start = ksp_xcalloc(1, sizeof(*in->pref_start));
			in->alloc_[A_STUDENT] = 1;
		}
		in->pref_start[0] = 0;
	}
	/* Sort the ranking entries by (place, who): counting sort by place, then per place. */
	free(in->rank_start);
	in->rank_start = ksp_xcalloc((size_t)in->nplaces + 1, sizeof(*in->rank_start));
	for (int32_t i = 0; i < in->nranks; i++)
		in->rank_start[in->rank_place[i] + 1]++;
	for (int32_t p = 0; p < in->nplaces; p++)
		in->rank_start[p + 1] += in->rank_start[p];
	tmp = ksp_xmalloc(((size_t)in->nranks + 1) * sizeof(*tmp));
	pos = ksp_xmalloc(((size_t)in->nplaces + 1) * sizeof(*pos));
	memcpy(pos, in->rank_start, ((size_t)in->nplaces + 1) * sizeof(*pos));
	for (int32_t i = 0; i < in->nranks; i++) {
		struct who_rank *w = &tmp[pos[in->rank_place[i]]++];

		w->who = in->rank_who[i];
		w->value = in->rank_value[i];
	}
	for (int32_t p = 0; p < in->nplaces; p++) {
		int32_t lo = in->rank_start[p], hi = in->rank_start[p + 1];

		qsort(tmp + lo, (size_t)(hi - lo), sizeof(*tmp), cmp_who);
		for (int32_t i = lo; i < hi; i++) {
			in->rank_place[i] = p;
			in->rank_who[i] = tmp[i].who;
			in->rank_value[i] = tmp[i].value;
			if (i > lo && tmp[i].who == tmp[i - 1].who && rc == KSP_OK) {
				int list = in->place_rule[p] == KSP_RANK_LIST;

				const char *pn = ksp_match_name(in, KSP_MATCH_PLACE, p, b1, sizeof(b1));
				const char *wn = ksp_match_name(
					in, list ? KSP_MATCH_STUDENT : KSP_MATCH_COLLEGE, tmp[i].who, b2,
					sizeof(b2));

				rc = list ? ksp_error_set(err, KSP_EINVAL,
							  "place \"%s\" ranks student \"%s\" twice", pn, wn)
					  : ksp_error_set(err, KSP_EINVAL,
							  "place \"%s\" ranks college \"%s\" twice", pn, wn);
			}
		}
	}
	free(tmp);
	free(pos);
	if (rc == KSP_OK)
		in->checked = 1;
	return rc;
}

/* ---- names -------------------------------------------------------------- */

const char *ksp_match_name(const struct ksp_match_instance *in, enum ksp_match_kind kind,
			   int32_t idx, char *buf, size_t size)
{
	static const char *const what[] = { "region", "college", "specialty",
					     "enterprise", "place", "student" };
	char **names = NULL;
	int32_t n = 0;

	switch (kind) {
	case KSP_MATCH_REGION: names = in->region_id; n = in->nregions; break;
	case KSP_MATCH_COLLEGE: names = in->college_id; n = in->ncolleges; break;
	case KSP_MATCH_SPECIALTY: names = in->specialty_id; n = in->nspecialties; break;
	case KSP_MATCH_ENTERPRISE: names = in->enterprise_id; n = in->nenterprises; break;
	case KSP_MATCH_PLACE: names = in->place_id; n = in->nplaces; break;
	case KSP_MATCH_STUDENT: names = in->student_id; n = in->nstudents; break;
	}
	if (idx < 0) {
		snprintf(buf, size, "none");
		return buf;
	}
	if (names && idx < n && names[idx])
		return names[idx];
	snprintf(buf, size, "%s #%d", what[kind], idx);
	return buf;
}

/*
 * verify.c - the stability checker and the cutoffs (kasip/match.h).
 *
 * The checker evaluates the rankings directly through ksp_match_prefers()
 * (prefs.c), not through da.c's rank tables, so that it is an independent
 * proof of the run: individual rationality, capacities, no blocking pair.
 */
#include "kasip/i18n.h"
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

struct verify {
	const struct ksp_match_instance *in;
	struct ksp_match_violation *v;
	long long count;
};

static void record(struct verify *vf, int kind, int32_t s, int32_t p, int32_t other,
		   const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

static void record(struct verify *vf, int kind, int32_t s, int32_t p, int32_t other,
		   const char *fmt, ...)
{
	va_list ap;

	if (vf->count++ || !vf->v)
		return;
	vf->v->kind = kind;
	vf->v->student = s;
	vf->v->place = p;
	vf->v->other = other;
	va_start(ap, fmt);
	vsnprintf(vf->v->text, sizeof(vf->v->text), fmt, ap);
	va_end(ap);
}

int ksp_match_verify(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		     const struct ksp_match_result *res, struct ksp_match_violation *v,
		     struct ksp_error *err)
{
	struct match_cmp cmp = { in, NULL };
	struct verify vf = { in, v, 0 };
	struct match_geo geo;
	int32_t *count = NULL, *worst = NULL, *got = NULL;
	char sn[64], pn[64], on[64];
	const char *sname = NULL, *pname = NULL;
	const char *lang = ksp_error_lang(err); /* the texts in err's language */
	int rc;

	if (v) {
		memset(v, 0, sizeof(*v));
		v->student = v->place = v->other = -1;
	}
	if ((rc = ksp_match_check_args(in, res, err)))
		return rc;
	if ((rc = ksp_match_geo_init(&geo, in, opt, err)))
		return rc;
	cmp.lottery = res->lottery;
	count = ksp_xcalloc((size_t)in->nplaces + 1, sizeof(*count));
	worst = ksp_xmalloc(((size_t)in->nplaces + 1) * sizeof(*worst));
	got = ksp_xmalloc(((size_t)in->nstudents + 1) * sizeof(*got));
	for (int32_t p = 0; p < in->nplaces; p++)
		worst[p] = -1;

		/* 1. Every assignment: a real place, ranked by the student, acceptable.
		 * Names are made only for a record: this loop runs over every student. */
#define SNAME ksp_match_name(in, KSP_MATCH_STUDENT, s, sn, sizeof(sn))
#define PNAME ksp_match_name(in, KSP_MATCH_PLACE, p, pn, sizeof(pn))
	for (int32_t s = 0; s < in->nstudents; s++) {
		int32_t p = res->place[s], c;
		int why;

		got[s] = in->pref_start[s + 1]; /* places above this are better */
		if (p == -1)
			continue;
		if (p < -1 || p >= in->nplaces) {
			record(&vf, KSP_VIOLATION_BAD_PLACE, s, -1, -1,
			       ksp_tr(lang, KSP_FMT_("student \"%s\" is assigned to place index %d"
						     ", which does not exist")),
			       SNAME, p);
			continue;
		}
		count[p]++;
		if (worst[p] < 0 || ksp_match_prefers(&cmp, p, worst[p], s))
			worst[p] = s;
		if ((c = ksp_match_choice_of(in, s, p)) < 0) {
			record(&vf, KSP_VIOLATION_NOT_RANKED, s, p, -1,
			       ksp_tr(lang, KSP_FMT_("student \"%s\" got place \"%s\", which they "
						     "did not rank")),
			       SNAME, PNAME);
			continue;
		}
		got[s] = in->pref_start[s] + c;
		if ((why = match_geo_check(&geo, in->student_region[s], in->place_region[p])))
			record(&vf, KSP_VIOLATION_GEOGRAPHY, s, p, -1,
			       why == KSP_WHY_DISTANCE
				       ? ksp_tr(lang,
						KSP_FMT_("student \"%s\" got place \"%s\", which "
							 "is outside the distance rule"))
				       : ksp_tr(lang,
						KSP_FMT_("student \"%s\" got place \"%s\", which "
							 "is outside the same-region rule")),
			       SNAME, PNAME);
		else if (!ksp_match_acceptable(&cmp, p, s))
			record(&vf, KSP_VIOLATION_UNACCEPTABLE, s, p, -1,
			       ksp_tr(lang, KSP_FMT_("student \"%s\" got place \"%s\", whose "
						     "ranking does not accept them")),
			       SNAME, PNAME);
	}
#undef SNAME
#undef PNAME

	/* 2. Capacities. */
	for (int32_t p = 0; p < in->nplaces; p++)
		if (count[p] > in->capacity[p])
			record(&vf, KSP_VIOLATION_CAPACITY, -1, p, -1,
			       ksp_trn(lang,
				       "place \"%s\" got %d student, more than its capacity of %d",
				       "place \"%s\" got %d students, more than its capacity of %d",
				       (unsigned long)count[p]),
			       ksp_match_name(in, KSP_MATCH_PLACE, p, pn, sizeof(pn)), count[p],
			       in->capacity[p]);

	/* 3. Blocking pairs: every place a student ranks above what they got. */
	for (int32_t s = 0; s < in->nstudents; s++) {
		int32_t start = in->pref_start[s];

		for (int32_t k = start; k < got[s]; k++) {
			int32_t p = in->pref[k];

			if (match_geo_check(&geo, in->student_region[s], in->place_region[p]) ||
			    !ksp_match_acceptable(&cmp, p, s) || in->capacity[p] == 0)
				continue;
			if (count[p] >= in->capacity[p] && !ksp_match_prefers(&cmp, p, s, worst[p]))
				continue;
			sname = ksp_match_name(in, KSP_MATCH_STUDENT, s, sn, sizeof(sn));
			pname = ksp_match_name(in, KSP_MATCH_PLACE, p, pn, sizeof(pn));
			/* one message for each case: what they got, why the place would take them */
			if (count[p] < in->capacity[p]) {
				if (res->place[s] == -1)
					record(&vf, KSP_VIOLATION_BLOCKING_FREE, s, p, -1,
					       ksp_tr(lang,
						      KSP_FMT_(
							      "blocking pair: student \"%s\" "
							      "prefers place \"%s\" (choice %d on "
							      "their list) to being unplaced, and the "
							      "place has a free seat (%d of %d taken)")),
					       sname, pname, (int)(k - start + 1), count[p],
					       in->capacity[p]);
				else if (got[s] == in->pref_start[s + 1])
					record(&vf, KSP_VIOLATION_BLOCKING_FREE, s, p, -1,
					       ksp_tr(lang,
						      KSP_FMT_(
							      "blocking pair: student \"%s\" "
							      "prefers place \"%s\" (choice %d on "
							      "their list) to the place they got, and "
							      "the place has a free seat (%d of %d "
							      "taken)")),
					       sname, pname, (int)(k - start + 1), count[p],
					       in->capacity[p]);
				else
					record(&vf, KSP_VIOLATION_BLOCKING_FREE, s, p, -1,
					       ksp_tr(lang,
						      KSP_FMT_(
							      "blocking pair: student \"%s\" "
							      "prefers place \"%s\" (choice %d on "
							      "their list) to their choice %d, and the "
							      "place has a free seat (%d of %d taken)")),
					       sname, pname, (int)(k - start + 1),
					       (int)(got[s] - start + 1), count[p],
					       in->capacity[p]);
			} else {
				const char *oname = ksp_match_name(in, KSP_MATCH_STUDENT, worst[p],
								   on, sizeof(on));

				if (res->place[s] == -1)
					record(&vf, KSP_VIOLATION_BLOCKING, s, p, worst[p],
					       ksp_tr(lang,
						      KSP_FMT_(
							      "blocking pair: student \"%s\" "
							      "prefers place \"%s\" (choice %d on "
							      "their list) to being unplaced, and the "
							      "place ranks them above student \"%s\", "
							      "whom it admitted")),
					       sname, pname, (int)(k - start + 1), oname);
				else if (got[s] == in->pref_start[s + 1])
					record(&vf, KSP_VIOLATION_BLOCKING, s, p, worst[p],
					       ksp_tr(lang,
						      KSP_FMT_(
							      "blocking pair: student \"%s\" "
							      "prefers place \"%s\" (choice %d on "
							      "their list) to the place they got, and "
							      "the place ranks them above student "
							      "\"%s\", whom it admitted")),
					       sname, pname, (int)(k - start + 1), oname);
				else
					record(&vf, KSP_VIOLATION_BLOCKING, s, p, worst[p],
					       ksp_tr(lang,
						      KSP_FMT_(
							      "blocking pair: student \"%s\" "
							      "prefers place \"%s\" (choice %d on "
							      "their list) to their choice %d, and the "
							      "place ranks them above student \"%s\", "
							      "whom it admitted")),
					       sname, pname, (int)(k - start + 1),
					       (int)(got[s] - start + 1), oname);
			}
		}
	}

	if (v)
		v->count = vf.count;
	rc = KSP_OK;
	if (vf.count) {
		if (v)
			rc = ksp_error_set(err, KSP_EINVAL, "%s", v->text);
		else
			rc = ksp_error_set(err, KSP_EINVAL,
					   "the matching is not stable (%lld faults)", vf.count);
	}
	free(got);
	free(worst);
	free(count);
	ksp_match_geo_release(&geo);
	return rc;
}

int ksp_match_cutoffs(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		      struct ksp_match_cutoff *out, struct ksp_error *err)
{
	struct match_cmp cmp = { in, NULL };
	char sn[64];
	int rc;

	if ((rc = ksp_match_check_args(in, res, err)))
		return rc;
	cmp.lottery = res->lottery;
	for (int32_t p = 0; p < in->nplaces; p++) {
		out[p].capacity = in->capacity[p];
		out[p].filled = 0;
		out[p].last = -1;
	}
	for (int32_t s = 0; s < in->nstudents; s++) {
		int32_t p = res->place[s];

		if (p == -1)
			continue;
		if (p < -1 || p >= in->nplaces)
			return ksp_error_set(err, KSP_EINVAL,
					     "student \"%s\" is assigned to place index %d"
					     ", which does not exist",
					     ksp_match_name(in, KSP_MATCH_STUDENT, s, sn,
							    sizeof(sn)),
					     p);
		out[p].filled++;
		if (out[p].last < 0 || ksp_match_prefers(&cmp, p, out[p].last, s))
			out[p].last = s;
	}
	for (int32_t p = 0; p < in->nplaces; p++) {
		out[p].full = out[p].filled >= out[p].capacity;
		out[p].score = out[p].full && out[p].last >= 0 ? in->score[out[p].last] : NAN;
	}
	return KSP_OK;
}

void ksp_match_cutoffs_by_region(const struct ksp_match_instance *in,
				 const struct ksp_match_cutoff *cut,
				 struct ksp_match_region_cutoff *out)
{
	for (int32_t g = 0; g <= in->nregions; g++) {
		out[g].region = g < in->nregions ? g : -1;
		out[g].places = out[g].full = 0;
		out[g].capacity = out[g].filled = 0;
		out[g].lowest = out[g].highest = NAN;
	}
	for (int32_t p = 0; p < in->nplaces; p++) {
		int32_t r = in->place_region[p];
		struct ksp_match_region_cutoff *o =
			&out[r >= 0 && r < in->nregions ? r : in->nregions];

		o->places++;
		o->full += cut[p].full != 0;
		o->capacity += cut[p].capacity;
		o->filled += cut[p].filled;
		if (isnan(cut[p].score))
			continue;
		if (isnan(o->lowest) || cut[p].score < o->lowest)
			o->lowest = cut[p].score;
		if (isnan(o->highest) || cut[p].score > o->highest)
			o->highest = cut[p].score;
	}
}

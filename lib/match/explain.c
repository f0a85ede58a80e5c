/*
 * explain.c - why a student did not get the places they ranked higher
 * (kasip/match.h; the texts are listed in docs/matching.md).
 *
 * In a stable matching every place a student ranks above their own is
 * either closed to them (a geographic rule, the place's ranking, no seats)
 * or full with students it ranks above them: that is what the texts say.
 * Anything else means the result is not stable, and the text says that.
 */
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

void match_ordinal(char *buf, size_t size, int32_t n)
{
	const char *suf = "th";

	if (n % 100 < 11 || n % 100 > 13) {
		if (n % 10 == 1)
			suf = "st";
		else if (n % 10 == 2)
			suf = "nd";
		else if (n % 10 == 3)
			suf = "rd";
	}
	snprintf(buf, size, "%d%s", n, suf);
}

/* Per item: the admitted students of its place. */
struct tally {
	int32_t filled, above, last;
};

/* 1 when place p ranks s and t equally before the lottery. */
static int tied(const struct ksp_match_instance *in, int32_t p, int32_t s, int32_t t)
{
	switch (in->place_rule[p]) {
	case KSP_RANK_LIST:
		return ksp_match_listed_rank(in, p, s) == ksp_match_listed_rank(in, p, t);
	case KSP_RANK_COLLEGE:
		return ksp_match_listed_rank(in, p, in->student_college[s]) ==
			       ksp_match_listed_rank(in, p, in->student_college[t]) &&
		       in->score[s] == in->score[t];
	default: return in->score[s] == in->score[t];
	}
}

static void explain_full(const struct ksp_match_instance *in, struct ksp_match_why *w,
			 int32_t s, int32_t last)
{
	int32_t p = w->place;
	char sc[32], o1[16], o2[16];
	const char *students = w->above == 1 ? "student" : "students";
	size_t len;

	ksp_match_format_score(sc, sizeof(sc), w->cutoff);
	switch (in->place_rule[p]) {
	case KSP_RANK_LIST:
		match_ordinal(o1, sizeof(o1), ksp_match_listed_rank(in, p, last));
		match_ordinal(o2, sizeof(o2), ksp_match_listed_rank(in, p, s));
		snprintf(w->text, sizeof(w->text),
			 "place full with %d %s ranked above you on its own list; its "
			 "last admitted student is ranked %s there, you are ranked %s",
			 w->above, students, o1, o2);
		break;
	case KSP_RANK_COLLEGE:
		match_ordinal(o1, sizeof(o1), ksp_match_listed_rank(in, p, in->student_college[last]));
		match_ordinal(o2, sizeof(o2), ksp_match_listed_rank(in, p, in->student_college[s]));
		snprintf(w->text, sizeof(w->text),
			 "place full with %d %s ranked above you (it ranks by college, "
			 "then score); its cutoff was %s from its %s college, yours is its %s",
			 w->above, students, sc, o1, o2);
		break;
	default:
		snprintf(w->text, sizeof(w->text),
			 "place full with %d %s ranked above you; its cutoff was %s",
			 w->above, students, sc);
		break;
	}
	if (w->tie) {
		len = strlen(w->text);
		snprintf(w->text + len, sizeof(w->text) - len,
			 in->place_rule[p] == KSP_RANK_LIST
				 ? "; you were tied with its last admitted student and lost the lottery"
				 : ", your score too: the tie was broken by the lottery");
	}
}

int ksp_match_explain(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		      const struct ksp_match_result *res, int32_t student,
		      struct ksp_match_explanation *out, struct ksp_error *err)
{
	struct match_cmp cmp = { in, NULL };
	struct match_geo geo;
	struct tally *tl = NULL;
	int32_t *item_of = NULL;
	int32_t s = student, start, limit, p0, c0 = -1;
	char pn[64], o1[16];
	int rc;

	memset(out, 0, sizeof(*out));
	out->student = student;
	out->place = -1;
	if ((rc = ksp_match_check_args(in, res, err)))
		return rc;
	if (s < 0 || s >= in->nstudents)
		return ksp_error_set(err, KSP_ENOTFOUND, "no student with index %d", s);
	p0 = res->place[s];
	if (p0 < -1 || p0 >= in->nplaces)
		return ksp_error_set(err, KSP_EINVAL,
				     "student \"%s\" is assigned to place index %d"
				     ", which does not exist",
				     ksp_match_name(in, KSP_MATCH_STUDENT, s, pn, sizeof(pn)), p0);
	if ((rc = ksp_match_geo_init(&geo, in, opt, err)))
		return rc;
	cmp.lottery = res->lottery;

	start = in->pref_start[s];
	limit = in->pref_start[s + 1];
	if (p0 >= 0 && (c0 = ksp_match_choice_of(in, s, p0)) >= 0)
		limit = start + c0;
	out->place = p0;
	out->choice = c0 + 1;
	out->n = limit - start;
	out->items = ksp_xcalloc((size_t)out->n + 1, sizeof(*out->items));
	if (p0 < 0)
		snprintf(out->summary, sizeof(out->summary),
			 start == in->pref_start[s + 1] ? "not placed: ranked no place"
							: "not placed");
	else if (c0 < 0)
		snprintf(out->summary, sizeof(out->summary),
			 "got place \"%s\", which they did not rank",
			 ksp_match_name(in, KSP_MATCH_PLACE, p0, pn, sizeof(pn)));
	else {
		match_ordinal(o1, sizeof(o1), c0 + 1);
		snprintf(out->summary, sizeof(out->summary), "got their %s choice, place \"%s\"", o1,
			 ksp_match_name(in, KSP_MATCH_PLACE, p0, pn, sizeof(pn)));
	}

	/* The admitted students of every place above: one pass over all students. */
	item_of = ksp_xmalloc(((size_t)in->nplaces + 1) * sizeof(*item_of));
	for (int32_t p = 0; p < in->nplaces; p++)
		item_of[p] = -1;
	tl = ksp_xcalloc((size_t)out->n + 1, sizeof(*tl));
	for (int32_t i = 0; i < out->n; i++) {
		item_of[in->pref[start + i]] = i;
		tl[i].last = -1;
	}
	for (int32_t t = 0; t < in->nstudents; t++) {
		int32_t p = res->place[t], i;
		struct tally *x;

		if (p < 0 || p >= in->nplaces || t == s)
			continue;
		if ((i = item_of[p]) < 0)
			continue;
		x = &tl[i];
		x->filled++;
		if (ksp_match_acceptable(&cmp, p, s) && ksp_match_prefers(&cmp, p, t, s))
			x->above++;
		if (x->last < 0 || ksp_match_prefers(&cmp, p, x->last, t))
			x->last = t;
	}

	for (int32_t i = 0; i < out->n; i++) {
		struct ksp_match_why *w = &out->items[i];
		int32_t p = in->pref[start + i];
		int why = match_geo_check(&geo, in->student_region[s], in->place_region[p]);

		w->place = p;
		w->choice = i + 1;
		w->cutoff = NAN;
		w->km = NAN;
		if (why == KSP_WHY_DISTANCE) {
			w->reason = why;
			w->km = geo.km[(size_t)in->student_region[s] * (size_t)geo.nregions +
				       (size_t)in->place_region[p]];
			snprintf(w->text, sizeof(w->text),
				 "outside the distance rule: %.0f km between the region centres, the "
				 "limit is %.0f km",
				 w->km, geo.max_km);
		} else if (why == KSP_WHY_REGION) {
			w->reason = why;
			snprintf(w->text, sizeof(w->text),
				 "outside the same-region rule: the place is in another region");
		} else if (!ksp_match_acceptable(&cmp, p, s)) {
			int list = in->place_rule[p] == KSP_RANK_LIST;

			w->reason = KSP_WHY_NOT_ACCEPTABLE;
			if (in->rank_start[p] == in->rank_start[p + 1])
				snprintf(w->text, sizeof(w->text), "%s",
					 list ? "you are not acceptable to this place: it ranks by "
						"its own list, and the list names nobody"
					      : "you are not acceptable to this place: it ranks by "
						"college, and it lists no college");
			else
				snprintf(w->text, sizeof(w->text), "%s",
					 list ? "you are not acceptable to this place: its list does "
						"not rank you"
					      : "you are not acceptable to this place: its ranking "
						"does not include your college");
		} else if (in->capacity[p] == 0) {
			w->reason = KSP_WHY_NO_CAPACITY;
			snprintf(w->text, sizeof(w->text), "the place has no seats (capacity 0)");
		} else if (tl[i].filled >= in->capacity[p] && tl[i].above == tl[i].filled) {
			w->reason = KSP_WHY_FULL;
			w->above = tl[i].above;
			w->cutoff = in->score[tl[i].last];
			w->tie = tied(in, p, s, tl[i].last);
			explain_full(in, w, s, tl[i].last);
		} else {
			w->reason = KSP_WHY_UNSTABLE;
			w->above = tl[i].above;
			snprintf(w->text, sizeof(w->text),
				 tl[i].filled < in->capacity[p]
					 ? "the place has a free seat and would take you: the result "
					   "is not stable"
					 : "the place ranks you above a student it admitted: the "
					   "result is not stable");
		}
	}
	free(tl);
	free(item_of);
	ksp_match_geo_release(&geo);
	return KSP_OK;
}

void ksp_match_explanation_release(struct ksp_match_explanation *ex)
{
	free(ex->items);
	memset(ex, 0, sizeof(*ex));
}

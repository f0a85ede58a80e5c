/*
 * explain.c - why a student did not get the places they ranked higher
 * (kasip/match.h; the texts are listed in docs/matching.md).
 *
 * In a stable matching every place a student ranks above their own is
 * either closed to them (a geographic rule, the place's ranking, no seats)
 * or full with students it ranks above them: that is what the texts say.
 * Anything else means the result is not stable, and the text says that.
 *
 * Every text is one message of the catalogue (kasip/i18n.h), in the
 * language asked for.  Positions in a list are numbers ("choice 2 on their
 * list", "number 1 there"), not ordinals: Kazakh and Russian write an
 * ordinal after a digit with a suffix that depends on the word around it,
 * and a whole sentence per case lets each language choose its own.
 */
#include "kasip/i18n.h"
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

void match_format_score(const char *lang, char *buf, size_t size, double score)
{
	char raw[64];
	int prec;

	/* the decimals of ksp_match_format_score ("74.5", "80"), lang's separators */
	for (prec = 0; prec < 3; prec++) {
		snprintf(raw, sizeof(raw), "%.*f", prec, score);
		if (fabs(strtod(raw, NULL) - score) <= 1e-9 * (fabs(score) > 1 ? fabs(score) : 1))
			break;
	}
	ksp_fmt_number(lang, score, prec, buf, size);
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

static void explain_full(const char *lang, const struct ksp_match_instance *in,
			 struct ksp_match_why *w, int32_t s, int32_t last)
{
	int32_t p = w->place, r1, r2;
	unsigned long n = (unsigned long)w->above;
	char sc[48];

	match_format_score(lang, sc, sizeof(sc), w->cutoff);
	switch (in->place_rule[p]) {
	case KSP_RANK_LIST:
		r1 = ksp_match_listed_rank(in, p, last);
		r2 = ksp_match_listed_rank(in, p, s);
		if (w->tie) /* then r1 == r2 */
			snprintf(w->text, sizeof(w->text),
				 ksp_trn(lang,
					 "place full with %d student ranked above you on its own "
					 "list; you and its last admitted student are both number %d "
					 "there, and the lottery broke the tie against you",
					 "place full with %d students ranked above you on its own "
					 "list; you and its last admitted student are both number %d "
					 "there, and the lottery broke the tie against you",
					 n),
				 w->above, r1);
		else
			snprintf(w->text, sizeof(w->text),
				 ksp_trn(lang,
					 "place full with %d student ranked above you on its own "
					 "list; its last admitted student is number %d there, you are "
					 "number %d",
					 "place full with %d students ranked above you on its own "
					 "list; its last admitted student is number %d there, you are "
					 "number %d",
					 n),
				 w->above, r1, r2);
		break;
	case KSP_RANK_COLLEGE:
		r1 = ksp_match_listed_rank(in, p, in->student_college[last]);
		r2 = ksp_match_listed_rank(in, p, in->student_college[s]);
		if (w->tie) /* then r1 == r2 and the scores are equal */
			snprintf(
				w->text, sizeof(w->text),
				ksp_trn(lang,
					"place full with %d student ranked above you (it ranks by "
					"college, then score); its last admitted student has your "
					"score, %s, and a college it ranks as yours, number %d: the "
					"lottery broke the tie against you",
					"place full with %d students ranked above you (it ranks by "
					"college, then score); its last admitted student has your "
					"score, %s, and a college it ranks as yours, number %d: the "
					"lottery broke the tie against you",
					n),
				w->above, sc, r1);
		else
			snprintf(
				w->text, sizeof(w->text),
				ksp_trn(lang,
					"place full with %d student ranked above you (it ranks by "
					"college, then score); its cutoff was %s, from its college "
					"number %d; your college is its number %d",
					"place full with %d students ranked above you (it ranks by "
					"college, then score); its cutoff was %s, from its college "
					"number %d; your college is its number %d",
					n),
				w->above, sc, r1, r2);
		break;
	default:
		if (w->tie)
			snprintf(
				w->text, sizeof(w->text),
				ksp_trn(lang,
					"place full with %d student ranked above you; its cutoff was "
					"%s, your score too: the lottery broke the tie against you",
					"place full with %d students ranked above you; its cutoff was "
					"%s, your score too: the lottery broke the tie against you",
					n),
				w->above, sc);
		else
			snprintf(
				w->text, sizeof(w->text),
				ksp_trn(lang,
					"place full with %d student ranked above you; its cutoff was %s",
					"place full with %d students ranked above you; its cutoff was %s",
					n),
				w->above, sc);
		break;
	}
}

int ksp_match_explain(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		      const struct ksp_match_result *res, int32_t student, const char *lang,
		      struct ksp_match_explanation *out, struct ksp_error *err)
{
	struct match_cmp cmp = { in, NULL };
	struct match_geo geo;
	struct tally *tl = NULL;
	int32_t *item_of = NULL;
	int32_t s = student, start, limit, p0, c0 = -1;
	char pn[64], k1[48], k2[48];
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
		snprintf(out->summary, sizeof(out->summary), "%s",
			 start == in->pref_start[s + 1]
				 ? ksp_tr(lang, "not placed: ranked no place")
				 : ksp_tr(lang, "not placed"));
	else if (c0 < 0)
		snprintf(out->summary, sizeof(out->summary),
			 ksp_tr(lang, KSP_FMT_("got place \"%s\", which they did not rank")),
			 ksp_match_name(in, KSP_MATCH_PLACE, p0, pn, sizeof(pn)));
	else
		snprintf(out->summary, sizeof(out->summary),
			 ksp_tr(lang, KSP_FMT_("got choice %d on their list, place \"%s\"")),
			 c0 + 1, ksp_match_name(in, KSP_MATCH_PLACE, p0, pn, sizeof(pn)));

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
				 ksp_tr(lang,
					KSP_FMT_("outside the distance rule: %s km between the "
						 "region centres, the limit is %s km")),
				 ksp_fmt_number(lang, w->km, 0, k1, sizeof(k1)),
				 ksp_fmt_number(lang, geo.max_km, 0, k2, sizeof(k2)));
		} else if (why == KSP_WHY_REGION) {
			w->reason = why;
			snprintf(w->text, sizeof(w->text), "%s",
				 ksp_tr(lang,
					"outside the same-region rule: the place is in another "
					"region"));
		} else if (!ksp_match_acceptable(&cmp, p, s)) {
			int list = in->place_rule[p] == KSP_RANK_LIST;
			const char *t;

			w->reason = KSP_WHY_NOT_ACCEPTABLE;
			if (in->rank_start[p] == in->rank_start[p + 1])
				t = list ? ksp_tr(lang,
						  "you are not acceptable to this place: it ranks "
						  "by its own list, and the list names nobody")
					 : ksp_tr(lang,
						  "you are not acceptable to this place: it ranks "
						  "by college, and it lists no college");
			else
				t = list ? ksp_tr(lang,
						  "you are not acceptable to this place: its list "
						  "does not rank you")
					 : ksp_tr(lang, "you are not acceptable to this place: its "
							"ranking does not include your college");
			snprintf(w->text, sizeof(w->text), "%s", t);
		} else if (in->capacity[p] == 0) {
			w->reason = KSP_WHY_NO_CAPACITY;
			snprintf(w->text, sizeof(w->text), "%s",
				 ksp_tr(lang, "the place has no seats (capacity 0)"));
		} else if (tl[i].filled >= in->capacity[p] && tl[i].above == tl[i].filled) {
			w->reason = KSP_WHY_FULL;
			w->above = tl[i].above;
			w->cutoff = in->score[tl[i].last];
			w->tie = tied(in, p, s, tl[i].last);
			explain_full(lang, in, w, s, tl[i].last);
		} else {
			w->reason = KSP_WHY_UNSTABLE;
			w->above = tl[i].above;
			snprintf(w->text, sizeof(w->text), "%s",
				 tl[i].filled < in->capacity[p]
					 ? ksp_tr(lang,
						  "the place has a free seat and would take you: "
						  "the result is not stable")
					 : ksp_tr(lang,
						  "the place ranks you above a student it admitted: "
						  "the result is not stable"));
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

/*
 * stats.c - summary statistics of a placement (kasip/match.h).
 */
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

void ksp_match_stats_release(struct ksp_match_stats *st)
{
	free(st->rank_hist);
	free(st->by_region);
	free(st->by_specialty);
	free(st->cells);
	memset(st, 0, sizeof(*st));
}

struct rs {
	int32_t region, specialty, place;
};

static int cmp_rs(const void *a, const void *b)
{
	const struct rs *x = a, *y = b;

	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	if (x->specialty != y->specialty)
		return x->specialty < y->specialty ? -1 : 1;
	return (x->place > y->place) - (x->place < y->place);
}

static void add_cell(struct ksp_match_stats_cell *c, int32_t capacity, int32_t filled)
{
	c->places++;
	c->capacity += capacity;
	c->filled += filled;
}

int ksp_match_stats(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		    struct ksp_match_stats *st, struct ksp_error *err)
{
	int32_t *filled = NULL, maxlen = 0;
	struct rs *rs = NULL;
	long long sum_choice = 0;
	char sn[64], pn[64];
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = ksp_match_check_args(in, res, err)))
		return rc;
	for (int32_t s = 0; s < in->nstudents; s++)
		if (in->pref_start[s + 1] - in->pref_start[s] > maxlen)
			maxlen = in->pref_start[s + 1] - in->pref_start[s];
	st->students = in->nstudents;
	st->max_choice = maxlen;
	st->rank_hist = ksp_xcalloc((size_t)maxlen + 1, sizeof(*st->rank_hist));
	filled = ksp_xcalloc((size_t)in->nplaces + 1, sizeof(*filled));
	for (int32_t s = 0; s < in->nstudents; s++) {
		int32_t p = res->place[s], c;

		if (in->pref_start[s + 1] == in->pref_start[s])
			st->empty_lists++;
		if (p == -1) {
			st->rank_hist[0]++;
			continue;
		}
		if (p < -1 || p >= in->nplaces || (c = ksp_match_choice_of(in, s, p)) < 0) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "student \"%s\" got place %s%s%s, which they did not rank",
					   ksp_match_name(in, KSP_MATCH_STUDENT, s, sn, sizeof(sn)),
					   p >= 0 && p < in->nplaces ? "\"" : "index ",
					   p >= 0 && p < in->nplaces
						   ? ksp_match_name(in, KSP_MATCH_PLACE, p, pn, sizeof(pn))
						   : "?",
					   p >= 0 && p < in->nplaces ? "\"" : "");
			goto out;
		}
		st->matched++;
		st->rank_hist[c + 1]++;
		sum_choice += c + 1;
		filled[p]++;
	}
	st->share_matched = st->students ? (double)st->matched / st->students : 0;
	st->mean_choice = st->matched ? (double)sum_choice / st->matched : 0;

	st->nregions = in->nregions;
	st->nspecialties = in->nspecialties;
	st->by_region = ksp_xcalloc((size_t)in->nregions + 1, sizeof(*st->by_region));
	st->by_specialty = ksp_xcalloc((size_t)in->nspecialties + 1, sizeof(*st->by_specialty));
	for (int32_t r = 0; r <= in->nregions; r++) {
		st->by_region[r].region = r < in->nregions ? r : -1;
		st->by_region[r].specialty = -1;
	}
	for (int32_t sp = 0; sp <= in->nspecialties; sp++) {
		st->by_specialty[sp].region = -1;
		st->by_specialty[sp].specialty = sp < in->nspecialties ? sp : -1;
	}
	rs = ksp_xmalloc(((size_t)in->nplaces + 1) * sizeof(*rs));
	for (int32_t p = 0; p < in->nplaces; p++) {
		int32_t r = in->place_region[p], sp = in->place_specialty[p];

		st->capacity += in->capacity[p];
		st->filled += filled[p];
		add_cell(&st->by_region[r >= 0 ? r : in->nregions], in->capacity[p], filled[p]);
		add_cell(&st->by_specialty[sp >= 0 ? sp : in->nspecialties], in->capacity[p],
			 filled[p]);
		rs[p].region = r;
		rs[p].specialty = sp;
		rs[p].place = p;
	}
	qsort(rs, (size_t)in->nplaces, sizeof(*rs), cmp_rs);
	st->cells = ksp_xcalloc((size_t)in->nplaces + 1, sizeof(*st->cells));
	for (int32_t i = 0; i < in->nplaces; i++) {
		struct ksp_match_stats_cell *c;
		int32_t p = rs[i].place;

		if (!st->ncells || st->cells[st->ncells - 1].region != rs[i].region ||
		    st->cells[st->ncells - 1].specialty != rs[i].specialty) {
			c = &st->cells[st->ncells++];
			c->region = rs[i].region;
			c->specialty = rs[i].specialty;
		}
		add_cell(&st->cells[st->ncells - 1], in->capacity[p], filled[p]);
	}
	rc = KSP_OK;
out:
	free(rs);
	free(filled);
	if (rc)
		ksp_match_stats_release(st);
	return rc;
}

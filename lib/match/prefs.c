/*
 * prefs.c - the places' rankings evaluated directly, and the geographic
 * rule (see match/internal.h for why this is kept apart from da.c).
 */
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

/* ---- geography ------------------------------------------------------------ */

double ksp_match_km(double lat1, double lon1, double lat2, double lon2)
{
	/* Haversine on a sphere of the mean Earth radius (IUGG), the same
	 * formula and radius as shared/data/kz-centre-distances-gc.csv. */
	const double r = 6371.0088, rad = 3.14159265358979323846 / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	if (a > 1)
		a = 1;
	return 2 * r * asin(sqrt(a));
}

void ksp_match_geo_release(struct match_geo *g)
{
	free(g->km);
	free(g->ok);
	memset(g, 0, sizeof(*g));
}

int ksp_match_geo_init(struct match_geo *g, const struct ksp_match_instance *in,
		   const struct ksp_match_options *opt, struct ksp_error *err)
{
	const char *rule_name;
	uint8_t *used = NULL;
	char buf[64];
	size_t nr;
	int rc = KSP_OK;

	memset(g, 0, sizeof(*g));
	if (isnan(opt->max_km) || opt->max_km < 0)
		return ksp_error_set(err, KSP_EUSAGE, "the maximum distance must be >= 0 km");
	if (opt->max_km > 0 && opt->same_region)
		return ksp_error_set(err, KSP_EUSAGE,
				     "choose either a maximum distance or the same-region rule");
	if (!(opt->max_km > 0) && !opt->same_region)
		return KSP_OK;
	g->rule = opt->max_km > 0 ? KSP_WHY_DISTANCE : KSP_WHY_REGION;
	rule_name = g->rule == KSP_WHY_DISTANCE ? "distance" : "same-region";
	g->max_km = opt->max_km;
	g->nregions = in->nregions;
	nr = (size_t)in->nregions;

	used = ksp_xcalloc(nr + 1, 1);
	for (int32_t s = 0; s < in->nstudents; s++) {
		if (in->pref_start[s] == in->pref_start[s + 1])
			continue;
		if (in->student_region[s] < 0) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "student \"%s\" has no region, which the %s rule needs",
					   ksp_match_name(in, KSP_MATCH_STUDENT, s, buf, sizeof(buf)),
					   rule_name);
			goto out;
		}
		used[in->student_region[s]] = 1;
		for (int32_t k = in->pref_start[s]; k < in->pref_start[s + 1]; k++) {
			int32_t p = in->pref[k];

			if (in->place_region[p] < 0) {
				rc = ksp_error_set(
					err, KSP_EINVAL,
					"place \"%s\" has no region, which the %s rule needs",
					ksp_match_name(in, KSP_MATCH_PLACE, p, buf, sizeof(buf)),
					rule_name);
				goto out;
			}
			used[in->place_region[p]] = 1;
		}
	}
	g->ok = ksp_xcalloc(nr * nr + 1, 1);
	if (g->rule == KSP_WHY_REGION) {
		for (size_t i = 0; i < nr; i++)
			g->ok[i * nr + i] = 1;
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		if (used[i] && (isnan(in->region_lat[i]) || isnan(in->region_lon[i]))) {
			rc = ksp_error_set(
				err, KSP_EINVAL,
				"region \"%s\" has no centre coordinates, which the distance rule needs",
				ksp_match_name(in, KSP_MATCH_REGION, (int32_t)i, buf, sizeof(buf)));
			goto out;
		}
	g->km = ksp_xcalloc(nr * nr + 1, sizeof(*g->km));
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nr; j++) {
			double d = 0;

			if (i != j && used[i] && used[j])
				d = ksp_match_km(in->region_lat[i], in->region_lon[i], in->region_lat[j],
					     in->region_lon[j]);
			g->km[i * nr + j] = d;
			g->ok[i * nr + j] = d <= g->max_km;
		}
out:
	free(used);
	if (rc)
		ksp_match_geo_release(g);
	return rc;
}

/* ---- rankings ------------------------------------------------------------- */

int32_t ksp_match_listed_rank(const struct ksp_match_instance *in, int32_t p, int32_t who)
{
	int32_t lo = in->rank_start[p], hi = in->rank_start[p + 1];

	if (who < 0)
		return 0;
	while (lo < hi) {
		int32_t mid = lo + (hi - lo) / 2;

		if (in->rank_who[mid] < who)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < in->rank_start[p + 1] && in->rank_who[lo] == who ? in->rank_value[lo] : 0;
}

int ksp_match_acceptable(const struct match_cmp *c, int32_t p, int32_t s)
{
	const struct ksp_match_instance *in = c->in;

	switch (in->place_rule[p]) {
	case KSP_RANK_LIST: return ksp_match_listed_rank(in, p, s) > 0;
	case KSP_RANK_COLLEGE: return ksp_match_listed_rank(in, p, in->student_college[s]) > 0;
	default: return 1;
	}
}

/* Lower rank value first; an unlisted one (0) comes last. */
static int cmp_value(int32_t a, int32_t b)
{
	uint32_t x = (uint32_t)(a - 1), y = (uint32_t)(b - 1); /* 0 wraps to the largest */

	return (x > y) - (x < y);
}

int ksp_match_prefers(const struct match_cmp *c, int32_t p, int32_t s, int32_t t)
{
	const struct ksp_match_instance *in = c->in;
	int d = 0;

	switch (in->place_rule[p]) {
	case KSP_RANK_LIST:
		d = cmp_value(ksp_match_listed_rank(in, p, s), ksp_match_listed_rank(in, p, t));
		break;
	case KSP_RANK_COLLEGE:
		d = cmp_value(ksp_match_listed_rank(in, p, in->student_college[s]),
			      ksp_match_listed_rank(in, p, in->student_college[t]));
		if (!d)
			d = (in->score[s] < in->score[t]) - (in->score[s] > in->score[t]);
		break;
	default:
		d = (in->score[s] < in->score[t]) - (in->score[s] > in->score[t]);
		break;
	}
	if (d)
		return d < 0;
	if (c->lottery[s] != c->lottery[t])
		return c->lottery[s] < c->lottery[t];
	return s < t;
}

int32_t ksp_match_choice_of(const struct ksp_match_instance *in, int32_t s, int32_t p)
{
	for (int32_t k = in->pref_start[s]; k < in->pref_start[s + 1]; k++)
		if (in->pref[k] == p)
			return k - in->pref_start[s];
	return -1;
}

int ksp_match_check_args(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		     struct ksp_error *err)
{
	if (!in->checked)
		return ksp_error_set(err, KSP_EUSAGE,
				     "the instance is not checked: call ksp_match_instance_check()");
	if (res && (res->nstudents != in->nstudents || res->nplaces != in->nplaces ||
		    (in->nstudents && (!res->place || !res->lottery))))
		return ksp_error_set(err, KSP_EUSAGE,
				     "the result (%d students, %d"
				     " places) does not belong to this instance (%d"
				     " students, %d places)",
				     res->nstudents, res->nplaces, in->nstudents, in->nplaces);
	return KSP_OK;
}

void ksp_match_format_score(char *buf, size_t size, double score)
{
	for (int prec = 0; prec <= 3; prec++) {
		char *end;
		double v;

		snprintf(buf, size, "%.*f", prec, score);
		v = strtod(buf, &end);
		if (fabs(v - score) <= 1e-9 * (fabs(score) > 1 ? fabs(score) : 1))
			return;
	}
	snprintf(buf, size, "%.6g", score);
}

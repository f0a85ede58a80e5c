/*
 * gen.c - realistic synthetic placement instances for tests and benchmarks
 * (kasip/match.h, ksp_match_generate; the model is in docs/matching.md).
 *
 * Only integer and IEEE arithmetic (+ - * / sqrt, which IEEE 754 rounds
 * exactly) is used, no exp/log/pow, so that one seed gives one instance on
 * every machine.
 */
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

/*
 * Kazakhstan's 20 first-level units: KATO code and the centre's lat/lon,
 * from shared/data/kz-region-centres.csv (geokz, CC BY 4.0).  dual: dual-
 * training students in 2024-25 where published (shared/docs/kz-facts.md
 * section 6, rus.baq.kz; "Almaty 16.8 k" read as the city), else 0.  pop:
 * average population 2025 (shared/data/kz-population-avg-by-region.csv,
 * BNS table 6576), which spreads the other 50.6 k of the 108 k dual-training
 * students over the regions without a published figure.
 */
static const struct gen_region {
	const char *kato;
	double lat, lon;
	double dual, pop;
} gen_regions[20] = {
	{ "100000000", 50.41716, 80.23234, 0, 599276 },     /* Abay (Semey) */
	{ "110000000", 53.28521, 69.38147, 0, 788435.5 },   /* Akmola (Kokshetau) */
	{ "150000000", 50.27964, 57.21246, 0, 952747 },     /* Aktobe */
	{ "190000000", 43.84405, 77.04006, 0, 1578328 },    /* Almaty region (Konaev) */
	{ "230000000", 47.10534, 51.92445, 0, 713426 },     /* Atyrau */
	{ "270000000", 51.22238, 51.37342, 0, 695818.5 },   /* West Kazakhstan (Uralsk) */
	{ "310000000", 42.90159, 71.37693, 6800, 1219023.5 }, /* Zhambyl (Taraz) */
	{ "330000000", 45.01641, 78.37918, 0, 691013 },     /* Zhetysu (Taldykorgan) */
	{ "350000000", 49.81613, 73.10266, 6900, 1132643 }, /* Karagandy */
	{ "390000000", 53.21466, 63.63261, 0, 823521 },     /* Kostanay */
	{ "430000000", 44.84268, 65.50362, 0, 846208 },     /* Kyzylorda */
	{ "470000000", 43.65206, 51.15800, 0, 812490 },     /* Mangystau (Aktau) */
	{ "550000000", 52.28398, 76.96464, 0, 748130.5 },   /* Pavlodar */
	{ "590000000", 54.86681, 69.13350, 0, 518151.5 },   /* North Kazakhstan (Petropavl) */
	{ "610000000", 43.29869, 68.26296, 9800, 2151623 }, /* Turkestan (Turkistan) */
	{ "620000000", 47.80088, 67.70603, 0, 220169.5 },   /* Ulytau (Zhezkazgan) */
	{ "630000000", 49.95649, 82.61192, 0, 721481 },     /* East Kazakhstan (Oskemen) */
	{ "710000000", 51.16579, 71.45760, 8100, 1583939.5 }, /* Astana */
	{ "750000000", 43.17712, 76.97452, 16800, 2320079 }, /* Almaty (city) */
	{ "790000000", 42.33532, 69.60278, 9000, 1275107 }, /* Shymkent */
};
#define NREG 20
#define DUAL_TOTAL 108000.0

void ksp_match_gen_options_init(struct ksp_match_gen_options *g)
{
	memset(g, 0, sizeof(*g));
	g->choices = 10;
	g->capacity_ratio = 1.1;
	g->own_region = 0.8;
	g->college_rule = 0.05;
}

/* Index i with cum[i] <= x < cum[i + 1], searching [lo, hi). */
static int32_t pick_cum(const double *cum, int32_t lo, int32_t hi, double x)
{
	while (hi - lo > 1) {
		int32_t mid = lo + (hi - lo) / 2;

		if (cum[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Draw from weights given as a cumulative array cum[lo..hi] (hi - lo entries). */
static int32_t draw(struct match_rng *r, const double *cum, int32_t lo, int32_t hi)
{
	double x = cum[lo] + match_rng_unit(r) * (cum[hi] - cum[lo]);

	return pick_cum(cum, lo, hi, x);
}

/* Pareto(2) weight: 1/sqrt(u) for u in (0, 1], capped. */
static double pareto2(struct match_rng *r, double cap)
{
	double w = 1.0 / sqrt(1.0 - match_rng_unit(r));

	return w < cap ? w : cap;
}

/* Normal-ish score: 70 + 12 x (sum of 12 uniforms - 6), in 0..100, one decimal. */
static double gen_score(struct match_rng *r)
{
	double x = 0;

	for (int i = 0; i < 12; i++)
		x += match_rng_unit(r);
	x = 70.0 + 12.0 * (x - 6.0);
	if (x < 0)
		x = 0;
	if (x > 100)
		x = 100;
	return floor(x * 10.0 + 0.5) / 10.0;
}

static int check_gen(const struct ksp_match_gen_options *g, struct ksp_error *err)
{
	if (g->students < 1 || g->students > KSP_MATCH_MAX_STUDENTS)
		return ksp_error_set(err, KSP_EUSAGE, "students must be 1..%d, got %d",
				     KSP_MATCH_MAX_STUDENTS, g->students);
	if (g->enterprises < 1 || g->enterprises > KSP_MATCH_MAX_PLACES / 8)
		return ksp_error_set(err, KSP_EUSAGE, "enterprises must be 1..%d, got %d",
				     KSP_MATCH_MAX_PLACES / 8, g->enterprises);
	if (g->choices < 1 || g->choices > KSP_MATCH_MAX_CHOICES)
		return ksp_error_set(err, KSP_EUSAGE, "choices must be 1..%d, got %d",
				     KSP_MATCH_MAX_CHOICES, g->choices);
	if (g->specialties < 0 || g->specialties > KSP_MATCH_MAX_SPECIALTIES)
		return ksp_error_set(err, KSP_EUSAGE,
				     "specialties must be 0 (automatic) or 1..%d, got %d",
				     KSP_MATCH_MAX_SPECIALTIES, g->specialties);
	if (g->colleges < 0 || g->colleges > KSP_MATCH_MAX_PLACES)
		return ksp_error_set(err, KSP_EUSAGE, "colleges must be 0 (automatic) or 1..%d",
				     KSP_MATCH_MAX_PLACES);
	if (!(g->capacity_ratio > 0 && g->capacity_ratio <= 100))
		return ksp_error_set(err, KSP_EUSAGE, "the capacity ratio must be in (0, 100]");
	if ((double)g->students * g->capacity_ratio > (double)INT32_MAX / 2)
		return ksp_error_set(err, KSP_ETOOBIG, "too many seats in all");
	if (!(g->own_region >= 0 && g->own_region <= 1) ||
	    !(g->college_rule >= 0 && g->college_rule <= 1))
		return ksp_error_set(err, KSP_EUSAGE, "shares must be in [0, 1]");
	return KSP_OK;
}

int ksp_match_generate(struct ksp_match_instance *in, const struct ksp_match_gen_options *g,
		       struct ksp_error *err)
{
	int32_t N = g->students, M = g->enterprises, R = NREG;
	int32_t S = g->specialties ? g->specialties : (M / 4 < 1 ? 1 : M / 4 > 100 ? 100 : M / 4);
	int32_t C = g->colleges ? g->colleges : (N / 190 > 20 ? N / 190 : 20);
	double reg_cum[NREG + 1], other_pop = 0;
	double *dem_cum = NULL, *sup_cum = NULL, *ent_w = NULL, *appeal = NULL, *cum = NULL;
	int32_t *col_start = NULL, *col_list = NULL, *ent_cap = NULL, *bstart = NULL;
	int32_t *sorted = NULL, *prefs = NULL, *tmp = NULL;
	long long seats, assigned = 0;
	struct match_rng rng;
	char id[64], id2[64];
	int rc;

	ksp_match_instance_init(in);
	if ((rc = check_gen(g, err)))
		return rc;
	match_rng_seed(&rng, g->seed);

	/* Regions and their weights. */
	for (int r = 0; r < R; r++)
		if (!gen_regions[r].dual)
			other_pop += gen_regions[r].pop;
	reg_cum[0] = 0;
	for (int r = 0; r < R; r++) {
		double known = 0, w;

		for (int q = 0; q < R; q++)
			known += gen_regions[q].dual;
		w = gen_regions[r].dual ? gen_regions[r].dual
					: (DUAL_TOTAL - known) * gen_regions[r].pop / other_pop;
		reg_cum[r + 1] = reg_cum[r] + w;
		if ((rc = ksp_match_add_region(in, gen_regions[r].kato, gen_regions[r].lat,
					       gen_regions[r].lon, err)))
			goto out;
	}

	/* Specialties: demand Zipf 1/(i+1), supply flatter 1/(i+3). */
	dem_cum = ksp_xmalloc(((size_t)S + 1) * sizeof(*dem_cum));
	sup_cum = ksp_xmalloc(((size_t)S + 1) * sizeof(*sup_cum));
	dem_cum[0] = sup_cum[0] = 0;
	for (int32_t i = 0; i < S; i++) {
		dem_cum[i + 1] = dem_cum[i] + 1.0 / (i + 1);
		sup_cum[i + 1] = sup_cum[i] + 1.0 / (i + 3);
		if (g->with_ids)
			snprintf(id, sizeof(id), "SP%03" PRId32, i + 1);
		if ((rc = ksp_match_add_specialty(in, g->with_ids ? id : NULL, err)))
			goto out;
	}

	/* Colleges: one in every region first, the rest by weight. */
	for (int32_t c = 0; c < C; c++) {
		int32_t r = c < R ? c : draw(&rng, reg_cum, 0, R);

		if (g->with_ids)
			snprintf(id, sizeof(id), "C%04" PRId32, c + 1);
		if ((rc = ksp_match_add_college(in, g->with_ids ? id : NULL, r, err)))
			goto out;
	}
	col_start = ksp_xcalloc(R + 1, sizeof(*col_start));
	col_list = ksp_xmalloc(((size_t)C + 1) * sizeof(*col_list));
	for (int32_t c = 0; c < C; c++)
		col_start[in->college_region[c] + 1]++;
	for (int r = 0; r < R; r++)
		col_start[r + 1] += col_start[r];
	tmp = ksp_xmalloc((R + 1) * sizeof(*tmp));
	memcpy(tmp, col_start, (R + 1) * sizeof(*tmp));
	for (int32_t c = 0; c < C; c++)
		col_list[tmp[in->college_region[c]]++] = c;

	/* Enterprises: region by weight, size Pareto(2), appeal Pareto(2). */
	seats = (long long)((double)N * g->capacity_ratio + 0.5);
	if (seats < M)
		seats = M;
	ent_w = ksp_xmalloc(((size_t)M + 1) * sizeof(*ent_w));
	ent_cap = ksp_xmalloc(((size_t)M + 1) * sizeof(*ent_cap));
	appeal = ksp_xmalloc(((size_t)M + 1) * sizeof(*appeal));
	{
		double wsum = 0;

		for (int32_t e = 0; e < M; e++) {
			int32_t r = draw(&rng, reg_cum, 0, R);

			if (g->with_ids)
				snprintf(id, sizeof(id), "E%06" PRId32, e + 1);
			if ((rc = ksp_match_add_enterprise(in, g->with_ids ? id : NULL, r, err)))
				goto out;
			ent_w[e] = pareto2(&rng, 60);
			appeal[e] = pareto2(&rng, 20);
			wsum += ent_w[e];
		}
		for (int32_t e = 0; e < M; e++) {
			ent_cap[e] = 1 + (int32_t)((double)(seats - M) * ent_w[e] / wsum);
			assigned += ent_cap[e];
		}
		for (int32_t e = 0; assigned < seats; e = (e + 1) % M, assigned++)
			ent_cap[e]++;
	}

	/* Places: 1-4 specialties per enterprise by supply weight, seats split. */
	for (int32_t e = 0; e < M; e++) {
		int32_t c = ent_cap[e], k = 1 + (c >= 4) + (c >= 12) + (c >= 40), got = 0;
		int32_t spec[4], cap[4];

		if (k > S)
			k = S;
		for (int tries = 0; got < k && tries < 64; tries++) {
			int32_t sp = draw(&rng, sup_cum, 0, S), dup = 0;

			for (int32_t i = 0; i < got; i++)
				dup |= spec[i] == sp;
			if (!dup)
				spec[got++] = sp;
		}
		for (int32_t i = 0; i < got; i++)
			cap[i] = 1;
		for (int32_t extra = c - got; extra > 0; extra--)
			cap[match_rng_below(&rng, (uint32_t)got)]++;
		for (int32_t i = 0; i < got; i++) {
			int32_t p = in->nplaces;

			if (g->with_ids)
				snprintf(id, sizeof(id), "E%06" PRId32 "-SP%03" PRId32, e + 1,
					 spec[i] + 1);
			if ((rc = ksp_match_add_place(in, g->with_ids ? id : NULL, e, spec[i], -1,
						      cap[i], err)))
				goto out;
			if (match_rng_unit(&rng) < g->college_rule) {
				int32_t r = in->enterprise_region[e], partners[3], np = 0;
				int32_t lo = col_start[r], n = col_start[r + 1] - lo;
				int32_t want = 1 + (int32_t)match_rng_below(&rng, 3);

				for (int tries = 0; np < want && np < n && tries < 16; tries++) {
					int32_t col = col_list[lo + (int32_t)match_rng_below(
									    &rng, (uint32_t)n)],
						dup = 0;

					for (int32_t j = 0; j < np; j++)
						dup |= partners[j] == col;
					if (!dup)
						partners[np++] = col;
				}
				if (np && (rc = ksp_match_rank_colleges(in, p, partners, NULL,
									(size_t)np, err)))
					goto out;
			}
		}
	}

	/* Places by (specialty, region), with cumulative appeal for sampling. */
	{
		int32_t P = in->nplaces;
		size_t nb = (size_t)S * R;

		bstart = ksp_xcalloc(nb + 1, sizeof(*bstart));
		sorted = ksp_xmalloc(((size_t)P + 1) * sizeof(*sorted));
		cum = ksp_xmalloc(((size_t)P + 1) * sizeof(*cum));
		for (int32_t p = 0; p < P; p++)
			bstart[(size_t)in->place_specialty[p] * R + in->place_region[p] + 1]++;
		for (size_t b = 0; b < nb; b++)
			bstart[b + 1] += bstart[b];
		free(tmp);
		tmp = ksp_xmalloc((nb + 1) * sizeof(*tmp));
		memcpy(tmp, bstart, (nb + 1) * sizeof(*tmp));
		for (int32_t p = 0; p < P; p++)
			sorted[tmp[(size_t)in->place_specialty[p] * R + in->place_region[p]]++] = p;
		cum[0] = 0;
		for (int32_t i = 0; i < P; i++) {
			int32_t p = sorted[i];

			cum[i + 1] = cum[i] + in->capacity[p] * appeal[in->place_enterprise[p]];
		}
	}

	/* Students: region by weight, a college there, specialty by demand, choices. */
	prefs = ksp_xmalloc(((size_t)g->choices + 1) * sizeof(*prefs));
	for (int32_t s = 0; s < N; s++) {
		int32_t r = draw(&rng, reg_cum, 0, R), col, sp, n = 0, nat_lo, nat_hi, loc_lo,
			loc_hi, want = g->choices;
		double score;

		if (col_start[r + 1] > col_start[r]) {
			col = col_list[col_start[r] +
				       (int32_t)match_rng_below(
					       &rng, (uint32_t)(col_start[r + 1] - col_start[r]))];
		} else {
			col = (int32_t)match_rng_below(&rng, (uint32_t)C);
			r = in->college_region[col];
		}
		sp = draw(&rng, dem_cum, 0, S);
		score = gen_score(&rng);
		nat_lo = bstart[(size_t)sp * R];
		nat_hi = bstart[(size_t)sp * R + R];
		loc_lo = bstart[(size_t)sp * R + r];
		loc_hi = bstart[(size_t)sp * R + r + 1];
		if (want > nat_hi - nat_lo)
			want = nat_hi - nat_lo;
		for (int tries = 0; n < want && tries < 8 * want + 32; tries++) {
			int local = loc_hi > loc_lo && match_rng_unit(&rng) < g->own_region;
			int32_t i = local ? draw(&rng, cum, loc_lo, loc_hi)
					  : draw(&rng, cum, nat_lo, nat_hi);
			int32_t p = sorted[i], dup = 0;

			for (int32_t j = 0; j < n; j++)
				dup |= prefs[j] == p;
			if (!dup)
				prefs[n++] = p;
		}
		if (g->with_ids)
			snprintf(id2, sizeof(id2), "S%07" PRId32, s + 1);
		if ((rc = ksp_match_add_student(in, g->with_ids ? id2 : NULL, col, sp, r, score,
						prefs, (size_t)n, err)))
			goto out;
	}
	rc = ksp_match_instance_check(in, err);
out:
	free(prefs);
	free(cum);
	free(sorted);
	free(bstart);
	free(tmp);
	free(appeal);
	free(ent_cap);
	free(ent_w);
	free(col_list);
	free(col_start);
	free(sup_cum);
	free(dem_cum);
	if (rc)
		ksp_match_instance_release(in);
	return rc;
}

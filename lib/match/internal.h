/*
 * match/internal.h - pieces shared by the files of lib/match/.
 *
 * Two independent views of a place's ranking live here on purpose:
 * da.c turns every ranking into dense integer ranks before a run (fast),
 * while the comparator below (used by verify.c, explain.c and the cutoffs)
 * evaluates the rules directly from the instance.  A bug in one is caught
 * by the other in ksp_match_verify().
 */
#ifndef KSP_MATCH_INTERNAL_H
#define KSP_MATCH_INTERNAL_H

#include <stdint.h>

#include "kasip/match.h"

/* ---- pseudo-random numbers (portable, documented in docs/matching.md) ---- */

/* SplitMix64 (Steele, Lea and Flood 2014): one step of the state. */
static inline uint64_t match_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* xoshiro256** 1.0 (Blackman and Vigna 2018), seeded by SplitMix64. */
struct match_rng {
	uint64_t s[4];
};

static inline uint64_t match_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline void match_rng_seed(struct match_rng *r, uint64_t seed)
{
	uint64_t st = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = match_splitmix64(&st);
}

static inline uint64_t match_rng_next(struct match_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = match_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = match_rotl(s[3], 45);
	return result;
}

/* Uniform double in [0, 1) with 53 random bits (exact, portable). */
static inline double match_rng_unit(struct match_rng *r)
{
	return (double)(match_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n >= 1, without bias (Lemire's method). */
static inline uint32_t match_rng_below(struct match_rng *r, uint32_t n)
{
	uint64_t m = (uint64_t)(uint32_t)(match_rng_next(r) >> 32) * n;
	uint32_t l = (uint32_t)m;

	if (l < n) {
		uint32_t t = (uint32_t)(-n) % n;

		while (l < t) {
			m = (uint64_t)(uint32_t)(match_rng_next(r) >> 32) * n;
			l = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

/* ---- geography ------------------------------------------------------------ */

/*
 * The geographic rule of a run, precomputed for every pair of regions.
 * rule 0: none (the arrays are NULL).
 */
struct match_geo {
	int rule;          /* 0, KSP_WHY_DISTANCE or KSP_WHY_REGION */
	int32_t nregions;
	double max_km;
	double *km;        /* [nregions * nregions] centre distances (DISTANCE only) */
	uint8_t *ok;       /* [nregions * nregions] 1 when the pair is allowed */
};

/*
 * Check the options and build the rule.  Every student and every ranked
 * place needs a region (and centre coordinates for max_km), else
 * KSP_EINVAL naming the first one.  Options wrong in themselves:
 * KSP_EUSAGE.
 */
int ksp_match_geo_init(struct match_geo *g, const struct ksp_match_instance *in,
		   const struct ksp_match_options *opt, struct ksp_error *err);
void ksp_match_geo_release(struct match_geo *g);

/* 0 when student region rs and place region rp pass the rule, else the reason. */
static inline int match_geo_check(const struct match_geo *g, int32_t rs, int32_t rp)
{
	if (!g->rule)
		return 0;
	if (rs < 0 || rp < 0)
		return g->rule;
	return g->ok[(size_t)rs * (size_t)g->nregions + (size_t)rp] ? 0 : g->rule;
}

/* Great-circle distance in km (haversine, mean Earth radius 6371.0088 km). */
double ksp_match_km(double lat1, double lon1, double lat2, double lon2);

/* ---- the direct comparator ---------------------------------------------- */

struct match_cmp {
	const struct ksp_match_instance *in;
	const uint64_t *lottery;
};

/*
 * Rank value (1 = best) that place p's explicit list gives to who (a
 * student for LIST, a college for COLLEGE), or 0 when who is not listed.
 * Binary search in the checked instance's sorted entries.
 */
int32_t ksp_match_listed_rank(const struct ksp_match_instance *in, int32_t p, int32_t who);

/* 1 when place p's ranking accepts student s (ignoring geography). */
int ksp_match_acceptable(const struct match_cmp *c, int32_t p, int32_t s);

/*
 * 1 when place p ranks student s strictly above student t (both acceptable
 * to p).  Strict: different students always compare unequal.
 */
int ksp_match_prefers(const struct match_cmp *c, int32_t p, int32_t s, int32_t t);

/* Position (0-based) of place p in student s's list, or -1. */
int32_t ksp_match_choice_of(const struct ksp_match_instance *in, int32_t s, int32_t p);

/* KSP_EUSAGE unless the instance is checked and res fits it. */
int ksp_match_check_args(const struct ksp_match_instance *in, const struct ksp_match_result *res,
		     struct ksp_error *err);

/* Score as people write it: "74.5", "80", "66.25". */
void ksp_match_format_score(char *buf, size_t size, double score);

/* A score for people in lang: the decimals of ksp_match_format_score(), lang's
 * separators ("74.5"; kk, ru "74,5") (lib/match/explain.c). */
void match_format_score(const char *lang, char *buf, size_t size, double score);

#endif

/*
 * da.c - deferred acceptance with capacities (the hospitals/residents
 * problem): Gale and Shapley (1962), "College admissions and the stability
 * of marriage"; the many-to-one form and the optimality of each side's
 * proposals in Roth and Sotomayor (1990), Two-Sided Matching, ch. 5.
 * Method, tie-breaking and options: docs/matching.md.
 *
 * A run has two steps.
 *
 * 1. Ranks.  Every choice k (an index into the instance's CSR pref array)
 *    gets prank[k], the rank of the student at that place, lower is
 *    better, or UNACC.  Ties are broken once by the lottery (single
 *    tie-breaking), so ranks are strict.  Score places need no per-place
 *    work: all students are sorted once by (score desc, lottery asc,
 *    index), an LSD radix sort, and a student's rank anywhere is their
 *    position in that order.  List and college places rank only their own
 *    applicants (dense ranks 0, 1, ...).
 *
 * 2. Proposals.  Students propose down their lists; each place keeps the
 *    best min(capacity, applicants) proposals seen so far in a max-heap of
 *    (rank << 32 | student) and rejects the worst when a better one comes:
 *    O(L log c).  Or places propose down their ranked applicant lists and
 *    each student keeps the best offer: O(L).
 */
#include "kasip/match.h"

#include "match/internal.h"
#include "util/xmalloc.h"

#define UNACC INT32_MAX

uint64_t ksp_match_lottery(uint64_t seed, int32_t student)
{
	uint64_t st = seed + (uint64_t)(uint32_t)student * UINT64_C(0x9E3779B97F4A7C15);

	return match_splitmix64(&st);
}

uint64_t ksp_match_lottery_id(uint64_t seed, const char *student_id)
{
	uint64_t h = UINT64_C(1469598103934665603), st;

	for (const unsigned char *p = (const unsigned char *)student_id; *p; p++) {
		h ^= *p;
		h *= UINT64_C(1099511628211);
	}
	st = seed ^ h;
	return match_splitmix64(&st);
}

void ksp_match_options_init(struct ksp_match_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->proposing = KSP_MATCH_STUDENTS;
	opt->seed = 1;
}

/* ---- results ------------------------------------------------------------- */

void ksp_match_result_init(struct ksp_match_result *res, const struct ksp_match_instance *in)
{
	size_t n = (size_t)in->nstudents;

	memset(res, 0, sizeof(*res));
	res->nstudents = in->nstudents;
	res->nplaces = in->nplaces;
	res->place = ksp_xmalloc((n + 1) * sizeof(*res->place));
	res->choice = ksp_xcalloc(n + 1, sizeof(*res->choice));
	res->lottery = ksp_xcalloc(n + 1, sizeof(*res->lottery));
	res->filled = ksp_xcalloc((size_t)in->nplaces + 1, sizeof(*res->filled));
	for (size_t s = 0; s < n; s++)
		res->place[s] = -1;
}

void ksp_match_result_tally(struct ksp_match_result *res, const struct ksp_match_instance *in)
{
	memset(res->filled, 0, ((size_t)res->nplaces + 1) * sizeof(*res->filled));
	for (int32_t s = 0; s < res->nstudents; s++) {
		int32_t p = res->place[s], c = -1;

		if (p >= 0 && p < res->nplaces) {
			res->filled[p]++;
			if (s < in->nstudents)
				c = ksp_match_choice_of(in, s, p);
		}
		res->choice[s] = c + 1;
	}
}

void ksp_match_result_release(struct ksp_match_result *res)
{
	free(res->place);
	free(res->choice);
	free(res->lottery);
	free(res->filled);
	memset(res, 0, sizeof(*res));
}

/* ---- the order of students by (score desc, lottery asc, index) ----------- */

struct kv {
	uint64_t key;
	int32_t idx;
};

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES 6 /* 6 x 11 >= 64 */

/*
 * Stable LSD radix sort of a[0..n) by key, 11 bits a pass, skipping the
 * passes where every key has the same digit.  The passes ping-pong between
 * a and b (n entries each); returns the one holding the result.
 */
static struct kv *sort_kv(struct kv *a, struct kv *b, size_t n)
{
	size_t *count = ksp_xcalloc((size_t)RADIX_PASSES * RADIX_SIZE, sizeof(*count));

	for (size_t i = 0; i < n; i++)
		for (int d = 0; d < RADIX_PASSES; d++)
			count[(size_t)d * RADIX_SIZE +
			      ((a[i].key >> (d * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
	for (int d = 0; d < RADIX_PASSES; d++) {
		size_t *c = count + (size_t)d * RADIX_SIZE, sum = 0;
		int shift = d * RADIX_BITS;
		struct kv *t;

		if (!n || c[(a[0].key >> shift) & (RADIX_SIZE - 1)] == n)
			continue;
		for (size_t x = 0; x < RADIX_SIZE; x++) {
			size_t v = c[x];

			c[x] = sum;
			sum += v;
		}
		for (size_t i = 0; i < n; i++)
			b[c[(a[i].key >> shift) & (RADIX_SIZE - 1)]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	free(count);
	return a;
}

/* An unsigned key that sorts doubles in descending order. */
static uint64_t score_key_desc(double score)
{
	uint64_t u;

	memcpy(&u, &score, sizeof(u));
	u = (u & (UINT64_C(1) << 63)) ? ~u : u ^ (UINT64_C(1) << 63); /* ascending */
	return ~u;
}

/*
 * The usual scores (whole thousandths, 0 .. 2147483.647; one decimal in
 * 0..100 is the common case) fit 31 bits exactly, so that one 64-bit key
 * (score descending, then the top 32 bits of the lottery) needs one sort
 * instead of two.  q[s] = score * 1000; returns 0 when a score does not fit.
 */
static int thousandths(const struct ksp_match_instance *in, uint32_t *q)
{
	for (int32_t s = 0; s < in->nstudents; s++) {
		double x = in->score[s] * 1000.0;

		if (!(x >= 0 && x < 2147483647.0))
			return 0;
		q[s] = (uint32_t)(x + 0.5); /* a wrong rounding only fails the test below */
		if ((double)q[s] / 1000.0 != in->score[s]) /* not exactly v/1000 */
			return 0;
	}
	return 1;
}

static int cmp_lottery_idx(const struct kv *x, const struct kv *y, const uint64_t *lottery)
{
	if (lottery[x->idx] != lottery[y->idx])
		return lottery[x->idx] < lottery[y->idx] ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* gpos[s] = position of s in the order (score desc, lottery asc, index asc). */
static void order_students(const struct ksp_match_instance *in, const uint64_t *lottery,
			   int32_t *gpos)
{
	size_t n = (size_t)in->nstudents;
	struct kv *a = ksp_xmalloc((n + 1) * sizeof(*a)), *b = ksp_xmalloc((n + 1) * sizeof(*b));
	uint32_t *q = ksp_xmalloc((n + 1) * sizeof(*q));
	struct kv *r;

	if (thousandths(in, q)) {
		for (size_t i = 0; i < n; i++) {
			a[i].key = (uint64_t)(INT32_MAX - q[i]) << 32 | lottery[i] >> 32;
			a[i].idx = (int32_t)i;
		}
		r = sort_kv(a, b, n);
		/* equal keys (same score, same top lottery bits: rare) by the whole lottery */
		for (size_t i = 1; i < n; i++) {
			size_t j = i;
			struct kv x = r[i];

			while (j > 0 && r[j - 1].key == x.key && cmp_lottery_idx(&r[j - 1], &x, lottery) > 0) {
				r[j] = r[j - 1];
				j--;
			}
			r[j] = x;
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			a[i].key = lottery[i];
			a[i].idx = (int32_t)i;
		}
		r = sort_kv(a, b, n); /* by lottery, ties by index */
		for (size_t i = 0; i < n; i++)
			r[i].key = score_key_desc(in->score[r[i].idx]);
		r = sort_kv(r, r == a ? b : a, n); /* stable: by score, then lottery, then index */
	}
	for (size_t i = 0; i < n; i++)
		gpos[r[i].idx] = (int32_t)i;
	free(q);
	free(a);
	free(b);
}

/* ---- step 1: ranks -------------------------------------------------------- */

struct prep {
	int32_t *gpos;  /* [nstudents] */
	int32_t *prank; /* [L] */
	int32_t *napp;  /* [nplaces] acceptable applicants */
};

struct app {
	uint64_t k1, k2;
	int32_t s, k;
};

static int cmp_app(const void *a, const void *b)
{
	const struct app *x = a, *y = b;

	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 < y->k2 ? -1 : 1;
	return (x->s > y->s) - (x->s < y->s);
}

static void prep_release(struct prep *pp)
{
	free(pp->gpos);
	free(pp->prank);
	free(pp->napp);
	memset(pp, 0, sizeof(*pp));
}

static void prepare(struct prep *pp, const struct ksp_match_instance *in,
		    const struct match_geo *geo, const uint64_t *lottery)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	size_t L = (size_t)in->pref_start[n];
	int32_t *pstart = NULL, *pend = NULL;
	struct app *apps = NULL;
	size_t npending = 0, alloc = 0;

	memset(pp, 0, sizeof(*pp));
	pp->gpos = ksp_xmalloc((n + 1) * sizeof(*pp->gpos));
	pp->prank = ksp_xmalloc((L + 1) * sizeof(*pp->prank));
	pp->napp = ksp_xcalloc(np + 1, sizeof(*pp->napp));
	order_students(in, lottery, pp->gpos);

	/* One pass: score places get the global position; the choices of list
	 * and college places are set aside as (k, s) pairs. */
	for (size_t s = 0; s < n; s++) {
		const int32_t *pref = in->pref, g = pp->gpos[s], rs = in->student_region[s];
		const uint8_t *rule = in->place_rule;
		int32_t *prank = pp->prank, *napp = pp->napp;

		for (int32_t k = in->pref_start[s]; k < in->pref_start[s + 1]; k++) {
			int32_t p = pref[k];

			if (geo->rule && match_geo_check(geo, rs, in->place_region[p])) {
				prank[k] = UNACC;
			} else if (rule[p] == KSP_RANK_SCORE) {
				prank[k] = g;
				napp[p]++;
			} else {
				prank[k] = UNACC;
				KSP_ALLOC_GROW(pend, npending + 2, alloc);
				pend[npending++] = k;
				pend[npending++] = (int32_t)s;
			}
		}
	}
	if (!npending)
		return;
	npending /= 2;

	/* List and college places: their applicants by place, then ranked. */
	pstart = ksp_xcalloc(np + 2, sizeof(*pstart));
	for (size_t i = 0; i < npending; i++)
		pstart[in->pref[pend[2 * i]] + 2]++;
	for (size_t p = 0; p < np; p++)
		pstart[p + 2] += pstart[p + 1];
	apps = ksp_xmalloc((npending + 1) * sizeof(*apps));
	for (size_t i = 0; i < npending; i++) {
		struct app *a = &apps[pstart[in->pref[pend[2 * i]] + 1]++];

		a->k = pend[2 * i];
		a->s = pend[2 * i + 1];
	}
	free(pend);
	for (size_t p = 0; p < np; p++) {
		struct app *a = apps + pstart[p];
		size_t m = (size_t)(pstart[p + 1] - pstart[p]), acc = 0;
		int list = in->place_rule[p] == KSP_RANK_LIST;

		if (in->place_rule[p] == KSP_RANK_SCORE)
			continue; /* napp counted above */
		for (size_t i = 0; i < m; i++) {
			int32_t s = a[i].s;
			int32_t v = ksp_match_listed_rank(in, (int32_t)p,
						      list ? s : in->student_college[s]);

			if (!v)
				continue; /* not acceptable: stays UNACC */
			/* list: rank, then lottery; college: college rank, then (score, lottery) */
			a[acc].k1 = (uint64_t)v;
			a[acc].k2 = list ? lottery[s] : (uint64_t)pp->gpos[s];
			a[acc].s = s;
			a[acc].k = a[i].k;
			acc++;
		}
		qsort(a, acc, sizeof(*a), cmp_app);
		for (size_t i = 0; i < acc; i++)
			pp->prank[a[i].k] = (int32_t)i;
		pp->napp[p] = (int32_t)acc;
	}
	free(apps);
	free(pstart);
}

/* ---- step 2a: students propose ------------------------------------------ */

struct seat {
	uint64_t worst; /* the heap's root when full: a refusal reads only this */
	int32_t base;   /* first heap slot */
	int32_t size;   /* proposals held */
	int32_t cap;    /* min(capacity, acceptable applicants) */
};

static void heap_push(uint64_t *h, int32_t n, uint64_t key)
{
	int32_t i = n;

	while (i > 0) {
		int32_t parent = (i - 1) / 2;

		if (h[parent] >= key)
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = key;
}

/* Replace the largest key h[0] of a max-heap of n keys by key. */
static void heap_replace_top(uint64_t *h, int32_t n, uint64_t key)
{
	int32_t i = 0;

	for (;;) {
		int32_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && h[c + 1] > h[c])
			c++;
		if (h[c] <= key)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = key;
}

static void students_propose(const struct ksp_match_instance *in, const struct prep *pp,
			     struct ksp_match_result *res)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	struct seat *seat = ksp_xmalloc((np + 1) * sizeof(*seat));
	int32_t *next = ksp_xmalloc((n + 1) * sizeof(*next));
	int32_t *stack = ksp_xmalloc((n + 1) * sizeof(*stack));
	const int32_t *pref = in->pref, *prank = pp->prank, *start = in->pref_start;
	long long proposals = 0;
	size_t top = 0, slots = 0;
	uint64_t *heap;

	for (size_t p = 0; p < np; p++) {
		int32_t c = in->capacity[p] < pp->napp[p] ? in->capacity[p] : pp->napp[p];

		seat[p].worst = 0; /* below every key: never compared before full */
		seat[p].base = (int32_t)slots;
		seat[p].size = 0;
		seat[p].cap = c;
		slots += (size_t)c;
	}
	heap = ksp_xmalloc((slots + 1) * sizeof(*heap));
	for (size_t s = n; s-- > 0;) {
		next[s] = start[s];
		stack[top++] = (int32_t)s;
	}

	while (top) {
		int32_t s = stack[--top], k = next[s], end = start[s + 1];

		for (; k < end; k++) {
			int32_t r = prank[k];
			struct seat *st;
			uint64_t key, *h;

			if (r == UNACC)
				continue;
			proposals++;
			st = &seat[pref[k]];
			key = (uint64_t)(uint32_t)r << 32 | (uint32_t)s;
			if (st->size < st->cap) {
				h = heap + st->base;
				heap_push(h, st->size++, key);
				if (st->size == st->cap)
					st->worst = h[0];
				break;
			}
			if (key < st->worst) { /* full (cap 0: worst 0, nothing is below) */
				h = heap + st->base;
				stack[top++] = (int32_t)(uint32_t)h[0]; /* rejected: proposes again */
				heap_replace_top(h, st->cap, key);
				st->worst = h[0];
				break;
			}
		}
		next[s] = k < end ? k + 1 : end;
	}

	for (size_t p = 0; p < np; p++) {
		const uint64_t *h = heap + seat[p].base;

		res->filled[p] = seat[p].size;
		for (int32_t i = 0; i < seat[p].size; i++) {
			int32_t s = (int32_t)(uint32_t)h[i];

			res->place[s] = (int32_t)p;
			res->choice[s] = next[s] - start[s];
		}
	}
	res->proposals = proposals;
	free(heap);
	free(stack);
	free(next);
	free(seat);
}

/* ---- step 2b: places propose -------------------------------------------- */

static void places_propose(const struct ksp_match_instance *in, const struct prep *pp,
			   struct ksp_match_result *res)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	size_t L = (size_t)in->pref_start[n];
	int32_t *app_start = ksp_xmalloc((np + 1) * sizeof(*app_start));
	int32_t *cursor = ksp_xmalloc((np + 1) * sizeof(*cursor));
	int32_t *app_k = ksp_xmalloc((L + 1) * sizeof(*app_k));
	int32_t *app_s = ksp_xmalloc((L + 1) * sizeof(*app_s));
	int32_t *held = ksp_xcalloc(np + 1, sizeof(*held));
	struct held {
		int32_t k, p; /* the choice held and its place, side by side: one cache line */
	} *hs = ksp_xmalloc((n + 1) * sizeof(*hs));
	int32_t *order = ksp_xmalloc((n + 1) * sizeof(*order));
	int32_t *stack = ksp_xmalloc((np + 1) * sizeof(*stack));
	uint8_t *queued = ksp_xcalloc(np + 1, 1);
	const int32_t *pref = in->pref, *start = in->pref_start;
	long long proposals = 0;
	size_t top = 0;

	/* Each place's acceptable applicants, best first. */
	app_start[0] = 0;
	for (size_t p = 0; p < np; p++)
		app_start[p + 1] = app_start[p] + pp->napp[p];
	memcpy(cursor, app_start, np * sizeof(*cursor));
	for (size_t s = 0; s < n; s++)
		order[pp->gpos[s]] = (int32_t)s;
	for (size_t i = 0; i < n; i++) { /* score places: in the global order */
		int32_t s = order[i];

#if defined(__GNUC__)
		/* the order jumps around the students: fetch ahead */
		if (i + 16 < n)
			__builtin_prefetch(&start[order[i + 16]]);
		if (i + 8 < n) {
			__builtin_prefetch(&pp->prank[start[order[i + 8]]]);
			__builtin_prefetch(&pref[start[order[i + 8]]]);
		}
#endif
		for (int32_t k = start[s]; k < start[s + 1]; k++) {
			int32_t p = pref[k];

			if (pp->prank[k] != UNACC && in->place_rule[p] == KSP_RANK_SCORE) {
				app_k[cursor[p]] = k;
				app_s[cursor[p]++] = s;
			}
		}
	}
	for (size_t s = 0; s < n; s++) /* the others: a dense rank is the position */
		for (int32_t k = start[s]; k < start[s + 1]; k++) {
			int32_t p = pref[k], r = pp->prank[k];

			if (r != UNACC && in->place_rule[p] != KSP_RANK_SCORE) {
				app_k[app_start[p] + r] = k;
				app_s[app_start[p] + r] = (int32_t)s;
			}
		}

	memcpy(cursor, app_start, np * sizeof(*cursor));
	for (size_t s = 0; s < n; s++)
		hs[s].k = hs[s].p = -1;
	for (size_t p = np; p-- > 0;)
		if (in->capacity[p] > 0 && pp->napp[p] > 0) {
			stack[top++] = (int32_t)p;
			queued[p] = 1;
		}
	while (top) {
		int32_t p = stack[--top], cap = in->capacity[p], end = app_start[p + 1];

		queued[p] = 0;
		while (held[p] < cap && cursor[p] < end) {
			int32_t i = cursor[p]++, k = app_k[i], s = app_s[i], hk = hs[s].k;

			proposals++;
			if (hk < 0) {
				hs[s].k = k;
				hs[s].p = p;
				held[p]++;
			} else if (k < hk) { /* s likes p better than the offer held */
				int32_t q = hs[s].p;

				held[q]--;
				hs[s].k = k;
				hs[s].p = p;
				held[p]++;
				if (!queued[q] && cursor[q] < app_start[q + 1]) {
					stack[top++] = q;
					queued[q] = 1;
				}
			}
		}
	}

	for (size_t s = 0; s < n; s++)
		if (hs[s].k >= 0) {
			res->place[s] = hs[s].p;
			res->choice[s] = hs[s].k - start[s] + 1;
		}
	for (size_t p = 0; p < np; p++)
		res->filled[p] = held[p];
	res->proposals = proposals;
	free(queued);
	free(stack);
	free(order);
	free(hs);
	free(held);
	free(app_s);
	free(app_k);
	free(cursor);
	free(app_start);
}

/* ---- the run ---------------------------------------------------------------- */

int ksp_match_run(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		  struct ksp_match_result *res, struct ksp_error *err)
{
	struct match_geo geo;
	struct prep pp;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = ksp_match_check_args(in, NULL, err)))
		return rc;
	if (opt->proposing != KSP_MATCH_STUDENTS && opt->proposing != KSP_MATCH_ENTERPRISES)
		return ksp_error_set(err, KSP_EUSAGE, "unknown proposing side %d",
				     (int)opt->proposing);
	if ((rc = ksp_match_geo_init(&geo, in, opt, err)))
		return rc;

	ksp_match_result_init(res, in);
	res->proposing = opt->proposing;
	res->seed = opt->seed;
	/* By id when there are ids: a student's number does not move when others come or go. */
	for (int32_t s = 0; s < in->nstudents; s++)
		res->lottery[s] = in->student_id && in->student_id[s]
					  ? ksp_match_lottery_id(opt->seed, in->student_id[s])
					  : ksp_match_lottery(opt->seed, s);

	prepare(&pp, in, &geo, res->lottery);
	if (opt->proposing == KSP_MATCH_STUDENTS)
		students_propose(in, &pp, res);
	else
		places_propose(in, &pp, res);
	prep_release(&pp);
	ksp_match_geo_release(&geo);
	return KSP_OK;
}

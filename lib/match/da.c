/*
 * da.c - deferred acceptance with capacities (the hospitals/residents
 * problem): Gale and Shapley (1962), "College admissions and the stability
 * of marriage"; the many-to-one form and the optimality of each side's
 * proposals in Roth and Sotomayor (1990), Two-Sided Matching, ch. 5.
 * Method, tie-breaking and options: docs/matching.md.
 *
 * A run has two steps.
 *
 * 1. Ranks.  All students are sorted once by (score desc, lottery asc,
 *    index), an LSD radix sort of 8-byte items, and a student's rank at a
 *    score place is their position in that order, the same at every such
 *    place: when every place ranks by score and no geographic rule is on
 *    (the fast path) nothing per choice is computed at all.  Otherwise
 *    (the general path) every choice k gets prank[k], the rank of the
 *    student at that place, lower is better, or UNACC: score places take
 *    the global position, list and college places rank only their own
 *    applicants (dense ranks 0, 1, ...).  Ties are broken once by the
 *    lottery (single tie-breaking), so ranks are strict.
 *
 * 2. Proposals.  Students propose down their lists; each place keeps the
 *    best min(capacity, applicants) proposals seen so far in a max-heap of
 *    (rank << 32 | choice) and rejects the worst when a better one comes:
 *    O(L log c).  On the fast path the students propose best first, so
 *    that no one held is ever turned out and no heap is needed (a serial
 *    dictatorship, the same matching): O(L).  Or places propose down their
 *    ranked applicant lists and each student keeps the best offer: O(L).
 *
 * The working arrays live in a workspace (struct ksp_match_workspace) that
 * a caller may keep between runs, so that repeated runs neither allocate
 * nor first-touch their memory again; ksp_match_run() makes one for the
 * run and frees it.  Profile and figures: docs/performance.md.
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
	res->place = ksp_xmalloc_big((n + 1) * sizeof(*res->place));
	res->choice = ksp_xmalloc_big((n + 1) * sizeof(*res->choice));
	res->lottery = ksp_xmalloc_big((n + 1) * sizeof(*res->lottery));
	memset(res->choice, 0, (n + 1) * sizeof(*res->choice));
	memset(res->lottery, 0, (n + 1) * sizeof(*res->lottery));
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

/* ---- the workspace -------------------------------------------------------- */

/* A place's seats in a run where students propose: 16 bytes, 4 to a cache line. */
struct seat {
	uint32_t base;  /* first heap slot */
	uint32_t cap;   /* seats that can be filled: min(capacity, applicants) or capacity */
	uint32_t size;  /* proposals held */
	uint32_t worst; /* key of the worst one held, valid when full: a refusal reads only this */
};

struct ksp_match_workspace {
	uint64_t *ka, *kb;    /* [n] the sort's items, ping and pong */
	int32_t *order;       /* [n] the students by (score desc, lottery asc, index) */
	int32_t *gpos;        /* [n] position of each student in that order */
	uint8_t *last;        /* [L / 8] bit k: choice k is the last of its student's list */
	int32_t *prank;       /* [L] rank of the student at the place of choice k (general path) */
	int32_t *napp;        /* [nplaces] acceptable applicants */
	uint64_t *heap;       /* [seats] */
	struct seat *seat;    /* [nplaces] */
	size_t nka, nkb, norder, ngpos, nlast, nprank, nnapp, nheap, nseat;
};

struct ksp_match_workspace *ksp_match_workspace_new(void)
{
	return ksp_xcalloc(1, sizeof(struct ksp_match_workspace));
}

void ksp_match_workspace_free(struct ksp_match_workspace *ws)
{
	if (!ws)
		return;
	free(ws->ka);
	free(ws->kb);
	free(ws->order);
	free(ws->gpos);
	free(ws->last);
	free(ws->prank);
	free(ws->napp);
	free(ws->heap);
	free(ws->seat);
	free(ws);
}

/* Room for need elements of size elt at *p (contents not kept). */
static void *ws_room(void *p, size_t *have, size_t need, size_t elt)
{
	if (need <= *have && p)
		return p;
	free(p);
	*have = need;
	return ksp_xmalloc_big((need + 1) * elt);
}

#define ROOM(ws, field, need) \
	((ws)->field = ws_room((ws)->field, &(ws)->n##field, (need), sizeof(*(ws)->field)))

/* ---- the order of students by (score desc, lottery asc, index) ----------- */

/*
 * One LSD radix sort of 64-bit items: the top 38 bits of a primary key
 * above the student's index (26 bits: KSP_MATCH_MAX_STUDENTS), so that an
 * item is 8 bytes and equal keys keep index order.  The primary key is the
 * score (whole thousandths, the usual case) followed by the top bits of the
 * lottery, or else the order-preserving bits of the score as a double.
 * Items whose 38 bits tie are put right afterwards by the full comparison
 * (score, lottery, index): a handful with the thousandths key, the students
 * of equal score with the double key.
 */
#define IDX_BITS 26
#define IDX_MASK ((UINT64_C(1) << IDX_BITS) - 1)
#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)
#define RADIX_PASSES 4 /* bits 26..36, 37..47, 48..58, 59..63 */

static uint64_t *sort_items(uint64_t *a, uint64_t *b, size_t n)
{
	uint32_t count[RADIX_PASSES][RADIX_SIZE];

	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++) {
		uint64_t x = a[i] >> IDX_BITS;

		count[0][x & (RADIX_SIZE - 1)]++;
		count[1][(x >> RADIX_BITS) & (RADIX_SIZE - 1)]++;
		count[2][(x >> 2 * RADIX_BITS) & (RADIX_SIZE - 1)]++;
		count[3][x >> 3 * RADIX_BITS]++;
	}
	for (int d = 0; d < RADIX_PASSES; d++) {
		uint32_t *c = count[d], sum = 0;
		int shift = IDX_BITS + d * RADIX_BITS;
		uint64_t *t;

		if (!n || c[(a[0] >> shift) & (RADIX_SIZE - 1)] == n)
			continue; /* every item has the same digit here */
		for (size_t x = 0; x < RADIX_SIZE; x++) {
			uint32_t v = c[x];

			c[x] = sum;
			sum += v;
		}
		for (size_t i = 0; i < n; i++)
			b[c[(a[i] >> shift) & (RADIX_SIZE - 1)]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
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
 * 0..100 is the common case) fit 31 bits exactly, and the key can carry
 * lottery bits too.  Returns 0 when a score does not fit.
 */
static int thousandths(const struct ksp_match_instance *in)
{
	for (int32_t s = 0; s < in->nstudents; s++) {
		double x = in->score[s] * 1000.0;
		uint32_t q;

		if (!(x >= 0 && x < 2147483647.0))
			return 0;
		q = (uint32_t)(x + 0.5); /* a wrong rounding only fails the test below */
		if ((double)q / 1000.0 != in->score[s]) /* not exactly q/1000 */
			return 0;
	}
	return 1;
}

/* 1 when student x comes before student y: score desc, lottery asc, index asc. */
static int before(const struct ksp_match_instance *in, const uint64_t *lottery, uint64_t x,
		  uint64_t y)
{
	int32_t i = (int32_t)(x & IDX_MASK), j = (int32_t)(y & IDX_MASK);

	if (in->score[i] != in->score[j])
		return in->score[i] > in->score[j];
	if (lottery[i] != lottery[j])
		return lottery[i] < lottery[j];
	return i < j;
}

static void sift_down(const struct ksp_match_instance *in, const uint64_t *lottery,
		      uint64_t *h, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		uint64_t t;

		if (c >= n)
			return;
		if (c + 1 < n && before(in, lottery, h[c], h[c + 1]))
			c++;
		if (!before(in, lottery, h[i], h[c]))
			return;
		t = h[i];
		h[i] = h[c];
		h[c] = t;
		i = c;
	}
}

/* Sort a[0..n) by before(): insertion for a few, heapsort (O(n log n)) for more. */
static void sort_run(const struct ksp_match_instance *in, const uint64_t *lottery, uint64_t *a,
		     size_t n)
{
	if (n <= 24) {
		for (size_t i = 1; i < n; i++) {
			uint64_t x = a[i];
			size_t j = i;

			for (; j > 0 && before(in, lottery, x, a[j - 1]); j--)
				a[j] = a[j - 1];
			a[j] = x;
		}
		return;
	}
	for (size_t i = n / 2; i-- > 0;)
		sift_down(in, lottery, a, i, n);
	for (size_t e = n; e-- > 1;) {
		uint64_t t = a[0];

		a[0] = a[e];
		a[e] = t;
		sift_down(in, lottery, a, 0, e);
	}
}

/* ws->order and ws->gpos for the students of in under these lottery numbers. */
static void order_students(const struct ksp_match_instance *in, const uint64_t *lottery,
			   struct ksp_match_workspace *ws)
{
	size_t n = (size_t)in->nstudents;
	uint64_t *a, *r;
	int32_t *order, *gpos;

	ROOM(ws, ka, n);
	ROOM(ws, kb, n);
	ROOM(ws, order, n);
	ROOM(ws, gpos, n);
	a = ws->ka;
	order = ws->order;
	gpos = ws->gpos;
	if (thousandths(in)) {
		for (size_t i = 0; i < n; i++) {
			uint32_t q = (uint32_t)(in->score[i] * 1000.0 + 0.5);
			uint64_t key = (uint64_t)(INT32_MAX - q) << 32 | lottery[i] >> 32;

			a[i] = (key >> IDX_BITS) << IDX_BITS | i;
		}
	} else {
		for (size_t i = 0; i < n; i++)
			a[i] = (score_key_desc(in->score[i]) >> IDX_BITS) << IDX_BITS | i;
	}
	r = sort_items(a, ws->kb, n);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && (r[j] >> IDX_BITS) == (r[i] >> IDX_BITS))
			j++;
		if (j - i > 1)
			sort_run(in, lottery, r + i, j - i);
		for (; i < j; i++) {
			int32_t s = (int32_t)(r[i] & IDX_MASK);

			order[i] = s;
			gpos[s] = (int32_t)i;
		}
	}
}

/* ---- step 1: ranks -------------------------------------------------------- */

/*
 * The general path (a list or college place, or a geographic rule):
 * ws->prank[k] for every choice k, and ws->napp.  Without them (every
 * place by score, no geographic rule) a student's rank is the same at every
 * place, ws->gpos[s], and nothing per choice is needed: the fast path.
 */
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

static void prepare(struct ksp_match_workspace *ws, const struct ksp_match_instance *in,
		    const struct match_geo *geo, const uint64_t *lottery)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	size_t L = (size_t)in->pref_start[n];
	int32_t *pstart = NULL, *pend = NULL, *prank, *napp;
	const int32_t *gpos = ws->gpos;
	struct app *apps = NULL;
	size_t npending = 0, alloc = 0;

	ROOM(ws, prank, L);
	ROOM(ws, napp, np);
	prank = ws->prank;
	napp = ws->napp;
	memset(napp, 0, (np + 1) * sizeof(*napp));

	/* One pass: score places get the global position; the choices of list
	 * and college places are set aside as (k, s) pairs. */
	for (size_t s = 0; s < n; s++) {
		const int32_t *pref = in->pref, g = gpos[s], rs = in->student_region[s];
		const uint8_t *rule = in->place_rule;

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
		struct app *x = &apps[pstart[in->pref[pend[2 * i]] + 1]++];

		x->k = pend[2 * i];
		x->s = pend[2 * i + 1];
	}
	free(pend);
	for (size_t p = 0; p < np; p++) {
		struct app *x = apps + pstart[p];
		size_t m = (size_t)(pstart[p + 1] - pstart[p]), acc = 0;
		int list = in->place_rule[p] == KSP_RANK_LIST;

		if (in->place_rule[p] == KSP_RANK_SCORE)
			continue; /* napp counted above */
		for (size_t i = 0; i < m; i++) {
			int32_t s = x[i].s;
			int32_t v = ksp_match_listed_rank(in, (int32_t)p,
						      list ? s : in->student_college[s]);

			if (!v)
				continue; /* not acceptable (an empty list: nobody): stays UNACC */
			/* list: rank, then lottery; college: college rank, then (score, lottery) */
			x[acc].k1 = (uint64_t)v;
			x[acc].k2 = list ? lottery[s] : (uint64_t)gpos[s];
			x[acc].s = s;
			x[acc].k = x[i].k;
			acc++;
		}
		qsort(x, acc, sizeof(*x), cmp_app);
		for (size_t i = 0; i < acc; i++)
			prank[x[i].k] = (int32_t)i;
		napp[p] = (int32_t)acc;
	}
	free(apps);
	free(pstart);
}

/* ---- step 2a: students propose ------------------------------------------ */

/*
 * Each place holds its students in a binary max-heap of items
 * key << 32 | k (key: the student's rank there, distinct at one place; k:
 * the choice that made the proposal, so that a student turned out goes on
 * at k + 1 with no other lookup).  The worst key of a full place is kept
 * in its 16-byte record, so that a refusal reads that record only.
 *
 * Free students come from 0, 1, ..., n - 1 in turn; one turned out goes to
 * the tail of a small FIFO ring and proposes again RING_HOLD turns later,
 * by which time the prefetch of their next choice has arrived; the records
 * of the places the student AHEAD turns on will propose to are prefetched
 * too.  Whatever the order of turns, deferred acceptance ends in the same
 * student-optimal matching with the same number of proposals.  (The layout
 * and the ring follow the reference program of issue 14, bench/ref-match.)
 */
#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif
enum { RING = 64, RING_HOLD = 24, AHEAD = 4 };

static void heap_push(uint64_t *h, uint32_t n, uint64_t key)
{
	uint32_t i = n;

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (h[parent] >= key)
			break;
		h[i] = h[parent];
		i = parent;
	}
	h[i] = key;
}

/* Replace the largest key h[0] of a max-heap of n keys by key. */
static void heap_replace_top(uint64_t *h, uint32_t n, uint64_t key)
{
	uint32_t i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

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

#define LAST(last, k) ((last)[(uint32_t)(k) >> 3] >> ((k) & 7) & 1)

/* The student whose list holds choice k: the last s with pref_start[s] <= k. */
static int32_t student_of(const struct ksp_match_instance *in, uint32_t k)
{
	int32_t lo = 0, hi = in->nstudents; /* pref_start[lo] <= k < pref_start[hi] */

	while (hi - lo > 1) {
		int32_t mid = lo + (hi - lo) / 2;

		if ((uint32_t)in->pref_start[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* Written for both paths (general 0 is correct too), used for the general
 * one: the fast path takes serial_dictatorship() below. */
static ALWAYS_INLINE void propose(const struct ksp_match_instance *in,
				  struct ksp_match_workspace *ws, const int general,
				  struct ksp_match_result *res)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	size_t L = (size_t)in->pref_start[n], slots = 0, total = 0;
	const int32_t *pref = in->pref, *start = in->pref_start, *gpos = ws->gpos;
	const int32_t *prank = general ? ws->prank : NULL;
	struct seat *seat;
	uint64_t *heap, ring[RING];
	uint8_t *last;
	uint32_t head = 0, tail = 0, t = 0;
	long long proposals = 0;

	/* Heap slots: the capacities, or at most the applicants of each place
	 * when the capacities add up to more than there are choices. */
	for (size_t p = 0; p < np; p++)
		total += (size_t)in->capacity[p];
	if (total > L && !general) {
		ROOM(ws, napp, np);
		memset(ws->napp, 0, (np + 1) * sizeof(*ws->napp));
		for (size_t k = 0; k < L; k++)
			ws->napp[pref[k]]++;
	}
	ROOM(ws, seat, np);
	seat = ws->seat;
	for (size_t p = 0; p < np; p++) {
		int32_t c = in->capacity[p];

		if ((general || total > L) && ws->napp[p] < c)
			c = ws->napp[p];
		seat[p].base = (uint32_t)slots;
		seat[p].cap = (uint32_t)c;
		seat[p].size = 0;
		seat[p].worst = 0; /* with no seats, "key >= worst" refuses everyone */
		slots += (size_t)c;
	}
	ROOM(ws, heap, slots);
	heap = ws->heap;
	ROOM(ws, last, L / 8 + 1);
	last = ws->last;
	memset(last, 0, L / 8 + 1);
	for (size_t s = 0; s < n; s++)
		if (start[s + 1] > start[s]) {
			uint32_t k = (uint32_t)start[s + 1] - 1;

			last[k >> 3] |= (uint8_t)(1u << (k & 7));
		}

	for (;;) {
		uint32_t key, k;

		/* a student turned out RING_HOLD / 2 turns ago: their next choice
		 * has arrived by now, so fetch the record of its place */
		if (tail - head > RING_HOLD / 2)
			PREFETCH(&seat[pref[(uint32_t)ring[(tail - RING_HOLD / 2) % RING]]]);
		if (tail - head >= RING_HOLD || (t == n && tail != head)) {
			uint64_t it = ring[head++ % RING];

			key = (uint32_t)(it >> 32);
			k = (uint32_t)it;
		} else if (t < n) {
			if (t + AHEAD < n)
				for (int32_t y = start[t + AHEAD]; y < start[t + AHEAD + 1]; y++)
					PREFETCH(&seat[pref[y]]);
			/* and the heap of the first choice of the student two turns on,
			 * whose record was fetched two turns ago */
			if (t + 2 < n && start[t + 2] < start[t + 3])
				PREFETCH(&heap[seat[pref[start[t + 2]]].base]);
			if (start[t] == start[t + 1]) {
				t++;
				continue; /* ranked nothing */
			}
			key = (uint32_t)gpos[t];
			k = (uint32_t)start[t];
			t++;
		} else {
			break;
		}
		for (;;) {
			struct seat *q = &seat[pref[k]];
			uint64_t *h, out;

			if (general && (key = (uint32_t)prank[k]) == UNACC)
				goto refused;
			proposals++;
			if (q->size < q->cap) {
				h = heap + q->base;
				heap_push(h, q->size, (uint64_t)key << 32 | k);
				if (++q->size == q->cap)
					q->worst = (uint32_t)(h[0] >> 32);
				break;
			}
			if (key >= q->worst)
				goto refused;
			h = heap + q->base;
			out = h[0];
			heap_replace_top(h, q->cap, (uint64_t)key << 32 | k);
			q->worst = (uint32_t)(h[0] >> 32);
			/* the student turned out goes on at their next choice, if any */
			if (!LAST(last, (uint32_t)out)) {
				out++;
				PREFETCH(&pref[(uint32_t)out]);
				if (general)
					PREFETCH(&prank[(uint32_t)out]);
				ring[tail++ % RING] = out;
			}
			break;
		refused:
			if (LAST(last, k))
				break; /* out of places: unplaced */
			k++;
		}
	}

	/* The result, read from the heaps. */
	for (size_t s = 0; s < n; s++) {
		res->place[s] = -1;
		res->choice[s] = 0;
	}
	for (size_t p = 0; p < np; p++) {
		const uint64_t *h = heap + seat[p].base;

		res->filled[p] = (int32_t)seat[p].size;
		for (uint32_t i = 0; i < seat[p].size; i++) {
			uint32_t k = (uint32_t)h[i];
			int32_t s = general ? student_of(in, k) : ws->order[h[i] >> 32];

			res->place[s] = (int32_t)p;
			res->choice[s] = (int32_t)k - start[s] + 1;
		}
	}
	res->proposals = proposals;
}

/*
 * The fast path: every place ranks by score and no geographic rule is on,
 * so that every place ranks the students in one order, ws->order.  Then
 * deferred acceptance with the students proposing in that order, best
 * first, never turns out a student it holds: each new proposer ranks below
 * everyone already held, so a full place refuses and a place with a free
 * seat accepts for good.  That is a serial dictatorship (each student in
 * turn takes the first place on their list with a seat left), and it ends
 * in the same student-optimal stable matching with the same proposals as
 * any other order of deferred acceptance (Gale and Shapley 1962; Roth and
 * Sotomayor 1990, ch. 5; the reference's "-f rank" path).  No heaps: one
 * count of seats left per place, prefetched ahead of the students.
 */
static void serial_dictatorship(const struct ksp_match_instance *in,
				struct ksp_match_workspace *ws, struct ksp_match_result *res)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	const int32_t *pref = in->pref, *start = in->pref_start, *order = ws->order;
	int32_t *left, *place = res->place, *choice = res->choice;
	long long proposals = 0;

	ROOM(ws, napp, np);
	left = ws->napp;
	if (np) /* no places: capacity may be NULL */
		memcpy(left, in->capacity, np * sizeof(*left));
	for (size_t i = 0; i < n; i++) {
		int32_t s = order[i], k, end, got = -1;

		/* the order jumps around the students: fetch their lists ahead */
		if (i + 3 * AHEAD < n)
			PREFETCH(&start[order[i + 3 * AHEAD]]);
		if (i + 2 * AHEAD < n)
			PREFETCH(&pref[start[order[i + 2 * AHEAD]]]);
		if (i + AHEAD < n) {
			int32_t f = order[i + AHEAD];

			for (int32_t y = start[f]; y < start[f + 1]; y++)
				PREFETCH(&left[pref[y]]);
		}
		for (k = start[s], end = start[s + 1]; k < end; k++) {
			int32_t p = pref[k];

			proposals++;
			if (left[p] > 0) {
				left[p]--;
				got = p;
				break;
			}
		}
		place[s] = got;
		choice[s] = got < 0 ? 0 : k - start[s] + 1;
	}
	for (size_t p = 0; p < np; p++)
		res->filled[p] = in->capacity[p] - left[p];
	res->proposals = proposals;
}

static void students_propose(const struct ksp_match_instance *in, struct ksp_match_workspace *ws,
			     int general, struct ksp_match_result *res)
{
	if (general)
		propose(in, ws, 1, res);
	else
		serial_dictatorship(in, ws, res);
}

/* ---- step 2b: places propose -------------------------------------------- */

static void places_propose(const struct ksp_match_instance *in, struct ksp_match_workspace *ws,
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
	const int32_t *order = ws->order;
	int32_t *stack = ksp_xmalloc((np + 1) * sizeof(*stack));
	uint8_t *queued = ksp_xcalloc(np + 1, 1);
	const int32_t *pref = in->pref, *start = in->pref_start;
	long long proposals = 0;
	size_t top = 0;

	/* Each place's acceptable applicants, best first. */
	app_start[0] = 0;
	for (size_t p = 0; p < np; p++)
		app_start[p + 1] = app_start[p] + ws->napp[p];
	memcpy(cursor, app_start, np * sizeof(*cursor));
	for (size_t i = 0; i < n; i++) { /* score places: in the global order */
		int32_t s = order[i];

#if defined(__GNUC__)
		/* the order jumps around the students: fetch ahead */
		if (i + 16 < n)
			__builtin_prefetch(&start[order[i + 16]]);
		if (i + 8 < n) {
			__builtin_prefetch(&ws->prank[start[order[i + 8]]]);
			__builtin_prefetch(&pref[start[order[i + 8]]]);
		}
#endif
		for (int32_t k = start[s]; k < start[s + 1]; k++) {
			int32_t p = pref[k];

			if (ws->prank[k] != UNACC && in->place_rule[p] == KSP_RANK_SCORE) {
				app_k[cursor[p]] = k;
				app_s[cursor[p]++] = s;
			}
		}
	}
	for (size_t s = 0; s < n; s++) /* the others: a dense rank is the position */
		for (int32_t k = start[s]; k < start[s + 1]; k++) {
			int32_t p = pref[k], r = ws->prank[k];

			if (r != UNACC && in->place_rule[p] != KSP_RANK_SCORE) {
				app_k[app_start[p] + r] = k;
				app_s[app_start[p] + r] = (int32_t)s;
			}
		}

	memcpy(cursor, app_start, np * sizeof(*cursor));
	for (size_t s = 0; s < n; s++)
		hs[s].k = hs[s].p = -1;
	for (size_t p = np; p-- > 0;)
		if (in->capacity[p] > 0 && ws->napp[p] > 0) {
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

	for (size_t s = 0; s < n; s++) {
		res->place[s] = -1;
		res->choice[s] = 0;
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
	free(hs);
	free(held);
	free(app_s);
	free(app_k);
	free(cursor);
	free(app_start);
}

/* ---- the run ---------------------------------------------------------------- */

int ksp_match_run_ws(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		     struct ksp_match_workspace *ws, struct ksp_match_result *res,
		     struct ksp_error *err)
{
	struct match_geo geo;
	int general = 0, rc;

	if ((rc = ksp_match_check_args(in, NULL, err)))
		goto fail;
	if (opt->proposing != KSP_MATCH_STUDENTS && opt->proposing != KSP_MATCH_ENTERPRISES) {
		rc = ksp_error_set(err, KSP_EUSAGE, "unknown proposing side %d",
				   (int)opt->proposing);
		goto fail;
	}
	if ((rc = ksp_match_geo_init(&geo, in, opt, err)))
		goto fail;
	if (in->pref_start[in->nstudents] >= INT32_MAX - 1) {
		ksp_match_geo_release(&geo);
		rc = ksp_error_set(err, KSP_ETOOBIG, "more than %d choices in all", INT32_MAX - 2);
		goto fail;
	}

	/* the result's arrays: kept when they fit the instance */
	if (!res->place || res->nstudents != in->nstudents || res->nplaces != in->nplaces) {
		ksp_match_result_release(res);
		ksp_match_result_init(res, in);
	}
	res->proposing = opt->proposing;
	res->seed = opt->seed;
	/* By id when there are ids: a student's number does not move when others come or go. */
	for (int32_t s = 0; s < in->nstudents; s++)
		res->lottery[s] = in->student_id && in->student_id[s]
					  ? ksp_match_lottery_id(opt->seed, in->student_id[s])
					  : ksp_match_lottery(opt->seed, s);

	order_students(in, res->lottery, ws);
	for (int32_t p = 0; p < in->nplaces && !general; p++)
		general = in->place_rule[p] != KSP_RANK_SCORE;
	if (geo.rule)
		general = 1;
	if (general || opt->proposing == KSP_MATCH_ENTERPRISES)
		prepare(ws, in, &geo, res->lottery);
	if (opt->proposing == KSP_MATCH_STUDENTS)
		students_propose(in, ws, general, res);
	else
		places_propose(in, ws, res);
	ksp_match_geo_release(&geo);
	return KSP_OK;
fail:
	ksp_match_result_release(res);
	return rc;
}

int ksp_match_run(const struct ksp_match_instance *in, const struct ksp_match_options *opt,
		  struct ksp_match_result *res, struct ksp_error *err)
{
	struct ksp_match_workspace ws;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&ws, 0, sizeof(ws));
	rc = ksp_match_run_ws(in, opt, &ws, res, err);
	free(ws.ka);
	free(ws.kb);
	free(ws.order);
	free(ws.gpos);
	free(ws.last);
	free(ws.prank);
	free(ws.napp);
	free(ws.heap);
	free(ws.seat);
	return rc;
}

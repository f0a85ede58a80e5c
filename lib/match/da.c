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
 *    applicants (dense ranks 0, 1, ..., or, for a list without ties when
 *    students propose, the list's rank value itself).  The choices of
 *    list places are gathered by place (a counting sort) and merged with
 *    the lists, both in student order: no search, no hashing, no
 *    per-student allocation.  Ties are broken once by the lottery (single
 *    tie-breaking), so ranks are strict.  When no place ranks by score or
 *    college, the order by score is not needed and not computed.
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

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p)
#define PREFETCH_W(p) __builtin_prefetch((p), 1)
#else
#define PREFETCH(p) ((void)(p))
#define PREFETCH_W(p) ((void)(p))
#endif

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

/*
 * One allocation: lottery [n + 1], place and choice [n + 1] each, side by
 * side (a run uses the two as 8-byte scratch for its sort before it writes
 * them), filled [nplaces + 1].  Fewer, larger first touches than four.
 */
void ksp_match_result_init(struct ksp_match_result *res, const struct ksp_match_instance *in)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	char *b = ksp_xmalloc_big((n + 1) * 16 + (np + 1) * sizeof(*res->filled));

	memset(res, 0, sizeof(*res));
	res->nstudents = in->nstudents;
	res->nplaces = in->nplaces;
	res->lottery = (uint64_t *)(void *)b;
	res->place = (int32_t *)(void *)(b + (n + 1) * 8);
	res->choice = res->place + n + 1;
	res->filled = res->choice + n + 1;
	memset(res->lottery, 0, (n + 1) * sizeof(*res->lottery));
	memset(res->choice, 0, (n + 1) * sizeof(*res->choice) + (np + 1) * sizeof(*res->filled));
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
	free(res->lottery); /* the one allocation of ksp_match_result_init() */
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

/* One applicant of a list or college place while the place's ranking is built. */
struct rk {
	uint64_t a; /* the sort key: the rank value, then the lottery (list); value << 32 | gpos (college) */
	uint32_t s; /* the student, the last tie-break */
	uint32_t k; /* the choice */
};

struct ksp_match_workspace {
	uint64_t *ka;           /* [n] the sort's items (the result's place and choice are the pong) */
	const uint64_t *sorted; /* ka: the students by (score desc, lottery asc, index),
				 * the index in the low IDX_BITS bits; NULL when not needed */
	int32_t *gpos;          /* [n] position of each student in that order (when needed) */
	uint64_t *held;         /* [L / 64] bit k: choice k is held at the end (general path) */
	uint32_t *prank;        /* [L] rank of the student at the place of choice k (general path) */
	int32_t *napp;          /* [nplaces] acceptable applicants */
	uint64_t *heap;         /* [seats] */
	struct seat *seat;      /* [nplaces] */
	struct rk *ra, *rb;     /* [longest list] one list place's applicants, ping and pong */
	uint32_t *cnt;          /* [2 * longest list + 18] counting sort of rank values */
	uint32_t *stamp;        /* [2 * longest list + 18] the last list place that gave each rank value */
	int32_t *tstart;        /* [nplaces + 2] choices of list places, by place */
	uint32_t *tk;           /* [choices of list places] */
	int32_t *cstart;        /* [nplaces + 2] applications to college places, by place */
	struct rk *capp;        /* [applications to college places] */
	int32_t *crank;         /* [ncolleges] one college place's ranks by college */
	size_t nka, ngpos, nheld, nprank, nnapp, nheap, nseat, nra, nrb, ncnt, nstamp, ntstart,
		ntk, ncstart, ncapp, ncrank;
};

struct ksp_match_workspace *ksp_match_workspace_new(void)
{
	return ksp_xcalloc(1, sizeof(struct ksp_match_workspace));
}

static void ws_release(struct ksp_match_workspace *ws)
{
	free(ws->ka);
	free(ws->gpos);
	free(ws->held);
	free(ws->prank);
	free(ws->napp);
	free(ws->heap);
	free(ws->seat);
	free(ws->ra);
	free(ws->rb);
	free(ws->cnt);
	free(ws->stamp);
	free(ws->tstart);
	free(ws->tk);
	free(ws->cstart);
	free(ws->capp);
	free(ws->crank);
}

void ksp_match_workspace_free(struct ksp_match_workspace *ws)
{
	if (!ws)
		return;
	ws_release(ws);
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

/*
 * ws->sorted: the students of in by (score desc, lottery asc, index) under
 * these lottery numbers; ws->gpos too when gpos is set.  scratch: room for
 * n 8-byte items, the sort's pong (the result's place and choice).
 */
static void order_students(const struct ksp_match_instance *in, const uint64_t *lottery,
			   struct ksp_match_workspace *ws, int gpos, uint64_t *scratch)
{
	size_t n = (size_t)in->nstudents;
	uint64_t *a, *r;

	ROOM(ws, ka, n);
	a = ws->ka;
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
	r = sort_items(a, scratch, n);
	if (r != a) { /* the scratch is about to become the result */
		memcpy(a, r, n * sizeof(*a));
		r = a;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && (r[j] >> IDX_BITS) == (r[i] >> IDX_BITS))
			j++;
		if (j - i > 1)
			sort_run(in, lottery, r + i, j - i);
		i = j;
	}
	ws->sorted = r;
	if (gpos) {
		ROOM(ws, gpos, n);
		for (size_t i = 0; i < n; i++)
			ws->gpos[r[i] & IDX_MASK] = (int32_t)i;
	}
}

/* The i-th student in that order. */
#define ORDER(ws, i) ((int32_t)((ws)->sorted[i] & IDX_MASK))

/* ---- step 1: ranks -------------------------------------------------------- */

/*
 * The general path (a list or college place, or a geographic rule):
 * ws->prank[k] for every choice k, and ws->napp.  Without them (every
 * place by score, no geographic rule) a student's rank is the same at every
 * place, its position in ws->sorted, and nothing per choice is needed: the
 * fast path.
 *
 * Score places take the student's position in the global order.  A list
 * place walks its own list (sorted by student) and looks each listed
 * student up in their short list of choices: no transposition of the
 * choices by place, no search in the place's list.  Its applicants are then
 * put in order by rank value (a counting sort when the values are at most
 * about twice the applicants, the usual 1, 2, 3, ...; else a comparison
 * sort), and each run of equal values, a tie, by (lottery, student).  A
 * college place's applications are gathered by place in one counting pass
 * and ordered by (the college's rank, position in the global order).
 */
#define UNACC UINT32_C(0x7fffffff) /* not acceptable: a rank below every other */
#define LASTBIT UINT32_C(0x80000000) /* propose(): set on a student's last choice */
#ifndef LOOK
#define LOOK 16 /* list entries (and choices) fetched ahead */
#endif

static int rk_before(const struct rk *x, const struct rk *y)
{
	return x->a != y->a ? x->a < y->a : x->s < y->s;
}

static int cmp_rk(const void *p, const void *q)
{
	const struct rk *x = p, *y = q;

	return rk_before(x, y) ? -1 : rk_before(y, x);
}

/* Sort by (a, s): insertion for a few, qsort for more. */
static void sort_rk(struct rk *x, size_t m)
{
	if (m > 16) {
		qsort(x, m, sizeof(*x), cmp_rk);
		return;
	}
	for (size_t i = 1; i < m; i++) {
		struct rk t = x[i];
		size_t j = i;

		for (; j > 0 && rk_before(&t, &x[j - 1]); j--)
			x[j] = x[j - 1];
		x[j] = t;
	}
}

/*
 * Rank the acceptable applicants x[0..m) of a list place (a: the rank
 * value; in student order): by (value, lottery, student), dense ranks
 * 0, 1, ... written to prank.
 */
static void rank_list(struct ksp_match_workspace *ws, struct rk *x, size_t m,
		      const uint64_t *lottery)
{
	uint32_t *prank = ws->prank;
	uint64_t vmax = 0;
	struct rk *y = x;

	for (size_t i = 0; i < m; i++)
		if (x[i].a > vmax)
			vmax = x[i].a;
	if (vmax <= 2 * (uint64_t)m + 16) { /* ws->cnt has room for 2 * (list length) + 18 */
		uint32_t *cnt = ws->cnt, tie = 0;

		memset(cnt, 0, ((size_t)vmax + 2) * sizeof(*cnt));
		for (size_t i = 0; i < m; i++)
			tie |= cnt[x[i].a + 1]++;
		for (size_t v = 1; v <= vmax; v++)
			cnt[v] += cnt[v - 1];
		if (!tie) { /* no two equal values (the usual case): the rank is the count below */
			for (size_t i = 0; i < m; i++)
				prank[x[i].k] = cnt[x[i].a];
			return;
		}
		y = ws->rb;
		for (size_t i = 0; i < m; i++) /* stable: students in order within a value */
			y[cnt[x[i].a]++] = x[i];
	} else {
		sort_rk(x, m);
	}
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;

		while (j < m && y[j].a == y[i].a)
			j++;
		if (j - i > 1) { /* a tie: the lottery, then the student */
			for (size_t t = i; t < j; t++)
				y[t].a = lottery[y[t].s];
			sort_rk(y + i, j - i);
		}
		i = j;
	}
	for (size_t i = 0; i < m; i++)
		prank[y[i].k] = (uint32_t)i;
}

static void rank_lists(struct ksp_match_workspace *ws, const struct ksp_match_instance *in,
		       const struct match_geo *geo, const uint64_t *lottery, int all, int dense)
{
	const int32_t *who = in->rank_who, *val = in->rank_value;
	const int32_t *start = in->pref_start, *pref = in->pref;
	const uint8_t *rule = in->place_rule;
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces, L = (size_t)start[n];
	size_t longest = 0;
	int32_t nr = in->nranks, n32 = in->nstudents, *tstart;
	uint32_t *tk;

	/* The choices of list places, by place (in choice order, so in
	 * student order): a counting sort. */
	ROOM(ws, tstart, np + 1);
	tstart = ws->tstart;
	memset(tstart, 0, (np + 2) * sizeof(*tstart));
	if (all && !geo->rule) { /* prepare() left the unacceptable marks to this pass */
		for (size_t k = 0; k < L; k++) {
			tstart[pref[k] + 2]++;
			ws->prank[k] = UNACC;
		}
	} else if (all) {
		for (size_t k = 0; k < L; k++)
			tstart[pref[k] + 2]++;
	} else {
		for (size_t k = 0; k < L; k++)
			tstart[pref[k] + 2] += rule[pref[k]] == KSP_RANK_LIST;
	}
	for (size_t p = 0; p < np; p++)
		tstart[p + 2] += tstart[p + 1];
	ROOM(ws, tk, (size_t)tstart[np + 1]);
	tk = ws->tk;
	if (all) {
		for (size_t k = 0; k < L; k++) {
			/* many places: their write positions are far apart */
			if (k + 2 * LOOK < L)
				PREFETCH(&tstart[pref[k + 2 * LOOK] + 1]);
			if (k + LOOK < L)
				PREFETCH_W(&tk[tstart[pref[k + LOOK] + 1]]);
			tk[tstart[pref[k] + 1]++] = (uint32_t)k;
		}
	} else {
		for (size_t k = 0; k < L; k++)
			if (rule[pref[k]] == KSP_RANK_LIST)
				tk[tstart[pref[k] + 1]++] = (uint32_t)k;
	}
	/* now place p's choices are tk[tstart[p] .. tstart[p + 1]) */

	for (size_t p = 0; p < np; p++)
		if (rule[p] == KSP_RANK_LIST &&
		    (size_t)(in->rank_start[p + 1] - in->rank_start[p]) > longest)
			longest = (size_t)(in->rank_start[p + 1] - in->rank_start[p]);
	ROOM(ws, ra, longest);
	ROOM(ws, rb, longest);
	ROOM(ws, cnt, 2 * longest + 18);
	ROOM(ws, stamp, 2 * longest + 18);
	memset(ws->stamp, 0, (2 * longest + 19) * sizeof(*ws->stamp));
	for (size_t p = 0; p < np; p++) {
		int32_t i = in->rank_start[p], hi = in->rank_start[p + 1];
		int32_t j = tstart[p], je = tstart[p + 1];
		uint32_t *stamp = ws->stamp, smax = (uint32_t)(2 * (hi - i) + 18), mark = (uint32_t)p + 1;
		struct rk *x = ws->ra;
		size_t m = 0;
		int direct = !dense;

		if (rule[p] != KSP_RANK_LIST)
			continue;
		/* Both the list and the choices are in student order: merge them.
		 * Choice k is student s's when start[s] <= k < start[s + 1]. */
		for (; i < hi && j < je; i++) {
			int32_t s = who[i];
			uint32_t a, b;

			/* the listed students are far apart: fetch their list bounds
			 * ahead, across places (a college place's entries are
			 * colleges: an index below n is a harmless guess) */
			if (i + LOOK < nr && who[i + LOOK] < n32)
				PREFETCH(&start[who[i + LOOK]]);
			a = (uint32_t)start[s];
			b = (uint32_t)start[s + 1];
			while (j < je && tk[j] < a)
				j++;
			if (j == je || tk[j] >= b)
				continue; /* listed but not applying: no effect */
			if (geo->rule && match_geo_check(geo, in->student_region[s], in->place_region[p])) {
				j++;
				continue;
			}
			x[m].a = (uint64_t)val[i];
			x[m].s = (uint32_t)s;
			x[m].k = tk[j++];
			ws->prank[x[m].k] = (uint32_t)val[i] - 1; /* rewritten below unless direct */
			m++;
			/* a value seen twice here is a tie (the list's own order
			 * is no tie-break): mark each value with the place */
			if ((uint32_t)val[i] < smax && stamp[val[i]] != mark)
				stamp[val[i]] = mark;
			else
				direct = 0;
		}
		ws->napp[p] = (int32_t)m;
		/* no ties, students propose: the rank value itself, written above,
		 * orders the place's applicants; dense ranks are not needed */
		if (!direct)
			rank_list(ws, x, m, lottery);
	}
}

static void rank_colleges(struct ksp_match_workspace *ws, const struct ksp_match_instance *in,
			  const struct match_geo *geo, size_t napps)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	const int32_t *start = in->pref_start, *pref = in->pref, *gpos = ws->gpos;
	int32_t *cstart = ws->cstart, *crank;
	struct rk *capp;

	/* cstart[p + 2] holds the count of place p: gather the applications by place */
	for (size_t p = 0; p < np; p++)
		cstart[p + 2] += cstart[p + 1];
	ROOM(ws, capp, napps);
	capp = ws->capp;
	for (size_t s = 0; s < n; s++)
		for (int32_t k = start[s]; k < start[s + 1]; k++) {
			int32_t p = pref[k];
			struct rk *x;

			if (in->place_rule[p] != KSP_RANK_COLLEGE ||
			    (geo->rule && match_geo_check(geo, in->student_region[s], in->place_region[p])))
				continue;
			x = &capp[cstart[p + 1]++];
			x->s = (uint32_t)s;
			x->k = (uint32_t)k;
		}
	ROOM(ws, crank, (size_t)in->ncolleges);
	crank = ws->crank;
	memset(crank, 0, ((size_t)in->ncolleges + 1) * sizeof(*crank));
	for (size_t p = 0; p < np; p++) {
		struct rk *x = capp + cstart[p];
		size_t m = (size_t)(cstart[p + 1] - cstart[p]), acc = 0;

		if (in->place_rule[p] != KSP_RANK_COLLEGE)
			continue;
		for (int32_t i = in->rank_start[p]; i < in->rank_start[p + 1]; i++)
			crank[in->rank_who[i]] = in->rank_value[i];
		for (size_t i = 0; i < m; i++) {
			int32_t c = in->student_college[x[i].s], v = c >= 0 ? crank[c] : 0;

			if (!v)
				continue; /* a college the place does not list, or none */
			x[acc].a = (uint64_t)(uint32_t)v << 32 | (uint32_t)gpos[x[i].s];
			x[acc].s = x[i].s;
			x[acc].k = x[i].k;
			acc++;
		}
		sort_rk(x, acc);
		for (size_t i = 0; i < acc; i++)
			ws->prank[x[i].k] = (uint32_t)i;
		ws->napp[p] = (int32_t)acc;
		for (int32_t i = in->rank_start[p]; i < in->rank_start[p + 1]; i++)
			crank[in->rank_who[i]] = 0;
	}
}

/* nrule[r]: the number of places of rule r. */
static void prepare(struct ksp_match_workspace *ws, const struct ksp_match_instance *in,
		    const struct match_geo *geo, const uint64_t *lottery, const int32_t *nrule,
		    int dense)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	size_t L = (size_t)in->pref_start[n], ncollege = 0;
	const int32_t *start = in->pref_start, *pref = in->pref;
	const uint8_t *rule = in->place_rule;
	uint32_t *prank;
	int32_t *napp, *cstart = NULL;

	ROOM(ws, prank, L);
	ROOM(ws, napp, np);
	prank = ws->prank;
	napp = ws->napp;
	memset(napp, 0, (np + 1) * sizeof(*napp));
	if (nrule[KSP_RANK_COLLEGE]) {
		ROOM(ws, cstart, np + 1);
		cstart = ws->cstart;
		memset(cstart, 0, (np + 2) * sizeof(*cstart));
	}

	/* Score places: the global position; the others stay unacceptable
	 * until their own rankings say otherwise. */
	if (nrule[KSP_RANK_SCORE] || nrule[KSP_RANK_COLLEGE] || geo->rule) {
		const int32_t *gpos = ws->gpos;

		for (size_t s = 0; s < n; s++) {
			int32_t rs = in->student_region[s];

			for (int32_t k = start[s]; k < start[s + 1]; k++) {
				int32_t p = pref[k];

				prank[k] = UNACC;
				if (geo->rule && match_geo_check(geo, rs, in->place_region[p]))
					continue;
				if (rule[p] == KSP_RANK_SCORE) {
					prank[k] = (uint32_t)gpos[s];
					napp[p]++;
				} else if (rule[p] == KSP_RANK_COLLEGE) {
					cstart[p + 2]++;
					ncollege++;
				}
			}
		}
	} else if (nrule[KSP_RANK_LIST] != in->nplaces) { /* else rank_lists() marks them */
		for (size_t k = 0; k < L; k++)
			prank[k] = UNACC;
	}
	if (nrule[KSP_RANK_LIST])
		rank_lists(ws, in, geo, lottery, nrule[KSP_RANK_LIST] == in->nplaces, dense);
	if (ncollege)
		rank_colleges(ws, in, geo, ncollege);
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

/* The lowest set bit of a non-zero word. */
static inline int lowest_bit(uint64_t w)
{
#if defined(__GNUC__)
	return __builtin_ctzll(w);
#else
	int b = 0;

	while (!(w & 1)) {
		w >>= 1;
		b++;
	}
	return b;
#endif
}

/* The general path: keys from ws->prank. */
static void propose(const struct ksp_match_instance *in, struct ksp_match_workspace *ws,
		    struct ksp_match_result *res)
{
	size_t n = (size_t)in->nstudents, np = (size_t)in->nplaces;
	size_t L = (size_t)in->pref_start[n], slots = 0;
	const int32_t *pref = in->pref, *start = in->pref_start;
	const uint32_t *prank = ws->prank;
	struct seat *seat;
	uint64_t *heap, *held;
	uint32_t ring[RING]; /* turned-out students: the choice to go on from */
	uint32_t head = 0, tail = 0, t = 0;
	long long proposals = 0;

	/* Heap slots: at most the acceptable applicants of each place. */
	ROOM(ws, seat, np);
	seat = ws->seat;
	for (size_t p = 0; p < np; p++) {
		int32_t c = in->capacity[p];

		if (ws->napp[p] < c)
			c = ws->napp[p];
		seat[p].base = (uint32_t)slots;
		seat[p].cap = (uint32_t)c;
		seat[p].size = 0;
		seat[p].worst = 0; /* with no seats, "key >= worst" refuses everyone */
		slots += (size_t)c;
	}
	ROOM(ws, heap, slots);
	heap = ws->heap;
	/* the top bit of a student's last choice: no choice after this one
	 * (rewritten by the next run's prepare()) */
	for (size_t s = 0; s < n; s++)
		if (start[s + 1] > start[s])
			ws->prank[start[s + 1] - 1] |= LASTBIT;

	for (;;) {
		uint32_t key, k;

		/* a student turned out RING_HOLD / 2 turns ago: their next choice
		 * has arrived by now, so fetch the record of its place */
		if (tail - head > RING_HOLD / 2)
			PREFETCH(&seat[pref[ring[(tail - RING_HOLD / 2) % RING]]]);
		if (tail - head >= RING_HOLD || (t == n && tail != head)) {
			k = ring[head++ % RING];
		} else if (t < n) {
			if (t + AHEAD < n)
				for (int32_t y = start[t + AHEAD]; y < start[t + AHEAD + 1]; y++)
					PREFETCH(&seat[pref[y]]);
			if (start[t] == start[t + 1]) {
				t++;
				continue; /* ranked nothing */
			}
			k = (uint32_t)start[t];
			t++;
		} else {
			break;
		}
		for (;;) {
			struct seat *q = &seat[pref[k]];
			uint32_t r = prank[k];
			uint64_t *h, out, item;

			/* an item: key << 32, the last-choice bit, the choice */
			key = r & ~LASTBIT;
			if (key == UNACC)
				goto refused;
			item = (uint64_t)key << 32 | (r & LASTBIT) | k;
			proposals++;
			if (q->size < q->cap) {
				h = heap + q->base;
				heap_push(h, q->size, item);
				if (++q->size == q->cap)
					q->worst = (uint32_t)(h[0] >> 32);
				break;
			}
			if (key >= q->worst)
				goto refused;
			h = heap + q->base;
			out = h[0];
			heap_replace_top(h, q->cap, item);
			q->worst = (uint32_t)(h[0] >> 32);
			/* the student turned out goes on at their next choice, if any */
			if (!(out & LASTBIT)) {
				k = ((uint32_t)out & ~LASTBIT) + 1;
				PREFETCH(&pref[k]);
				PREFETCH(&prank[k]);
				ring[tail++ % RING] = k;
			}
			break;
		refused:
			if (r & LASTBIT)
				break; /* out of places: unplaced */
			k++;
		}
	}

	/* The result: mark the choices held, then read each student's. */
	ROOM(ws, held, L / 64 + 1);
	held = ws->held;
	memset(held, 0, (L / 64 + 1) * sizeof(*held));
	for (size_t p = 0; p < np; p++) {
		const uint64_t *h = heap + seat[p].base;

		res->filled[p] = (int32_t)seat[p].size;
		for (uint32_t i = 0; i < seat[p].size; i++) {
			uint32_t k = (uint32_t)h[i] & ~LASTBIT;

			held[k >> 6] |= UINT64_C(1) << (k & 63);
		}
	}
	for (size_t s = 0; s < n; s++) {
		uint32_t a = (uint32_t)start[s], b = (uint32_t)start[s + 1], k = a;

		while (k < b) {
			uint64_t w = held[k >> 6] >> (k & 63);

			if (w) {
				k += (uint32_t)lowest_bit(w);
				break;
			}
			k = (k | 63) + 1;
		}
		res->place[s] = k < b ? pref[k] : -1;
		res->choice[s] = k < b ? (int32_t)(k - a + 1) : 0;
	}
	res->proposals = proposals;
}

/*
 * The fast path: every place ranks by score and no geographic rule is on,
 * so that every place ranks the students in one order, ws->sorted.  Then
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
	const int32_t *pref = in->pref, *start = in->pref_start;
	int32_t *left, *place = res->place, *choice = res->choice;
	long long proposals = 0;

	ROOM(ws, napp, np);
	left = ws->napp;
	if (np) /* no places: capacity may be NULL */
		memcpy(left, in->capacity, np * sizeof(*left));
	for (size_t i = 0; i < n; i++) {
		int32_t s = ORDER(ws, i), k, end, got = -1;

		/* the order jumps around the students: fetch their lists ahead */
		if (i + 3 * AHEAD < n)
			PREFETCH(&start[ORDER(ws, i + 3 * AHEAD)]);
		if (i + 2 * AHEAD < n)
			PREFETCH(&pref[start[ORDER(ws, i + 2 * AHEAD)]]);
		if (i + AHEAD < n) {
			int32_t f = ORDER(ws, i + AHEAD);

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
	for (size_t i = 0; ws->sorted && i < n; i++) { /* score places: in the global order */
		int32_t s = ORDER(ws, i);

		/* the order jumps around the students: fetch ahead */
		if (i + 16 < n)
			PREFETCH(&start[ORDER(ws, i + 16)]);
		if (i + 8 < n) {
			PREFETCH(&ws->prank[start[ORDER(ws, i + 8)]]);
			PREFETCH(&pref[start[ORDER(ws, i + 8)]]);
		}
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
			int32_t p = pref[k];
			uint32_t r = ws->prank[k];

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
	int32_t nrule[3] = { 0, 0, 0 };
	int general, rc;

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

	for (int32_t p = 0; p < in->nplaces; p++)
		nrule[in->place_rule[p]]++;
	general = nrule[KSP_RANK_LIST] || nrule[KSP_RANK_COLLEGE] || geo.rule;
	/* the order of the students by score: for the fast path, score places
	 * and college places (the score breaks their ties) */
	ws->sorted = NULL;
	if (!general || nrule[KSP_RANK_SCORE] || nrule[KSP_RANK_COLLEGE])
		order_students(in, res->lottery, ws,
			       (general || opt->proposing == KSP_MATCH_ENTERPRISES) &&
				       (nrule[KSP_RANK_SCORE] || nrule[KSP_RANK_COLLEGE]),
			       (uint64_t *)(void *)res->place);
	if (general || opt->proposing == KSP_MATCH_ENTERPRISES)
		prepare(ws, in, &geo, res->lottery, nrule, opt->proposing == KSP_MATCH_ENTERPRISES);
	if (opt->proposing == KSP_MATCH_ENTERPRISES)
		places_propose(in, ws, res);
	else if (general)
		propose(in, ws, res);
	else
		serial_dictatorship(in, ws, res);
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
	ws_release(&ws);
	return rc;
}

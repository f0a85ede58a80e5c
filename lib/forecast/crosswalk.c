/*
 * crosswalk.c - forecast results in a national classifier of occupations.
 *
 * The engine runs on ISCO-08 unit groups.  A national classifier (such as
 * Kazakhstan's НК РК 01-2017) is data: its codes and hierarchy are rows of
 * the occupation table, and a crosswalk FROM ISCO-08 TO it gives, for each
 * unit group, the shares of its workers in the national codes (weights
 * summing to 1).  Every step of the model is linear in the occupations, so
 * the results of a national group are the weighted sums of the unit groups'
 * results: N[r,g,t] = sum_o W[o,g] X[r,o,t], W[o,g] the weights of o's rows
 * to the finest codes under g (docs/methodology.md, "National
 * classifiers").  Because each unit group's weights sum to 1, the national
 * groups of any level add up to the ISCO-08 totals (to rounding), and the
 * levels add up to each other.
 *
 * A crosswalk given only in the other direction (national -> ISCO-08, the
 * shares of a national code's workers in ISCO groups) cannot be used: to
 * turn it round one needs the employment of every national code, which no
 * source has.  It is refused with a message saying which direction is needed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forecast/load.h"
#include "store/store.h"
#include "util/xmalloc.h"

#define ISCO       "ISCO-08"
#define WEIGHT_TOL 1e-9

/* ---- the map -------------------------------------------------------------------- */

void ksp_fc_xmap_release(struct ksp_fc_xmap *x)
{
	free(x->start);
	free(x->src);
	free(x->w);
	memset(x, 0, sizeof(*x));
}

void ksp_fc_xmap_apply(const struct ksp_fc_xmap *x, const double *in, double *out)
{
	for (int g = 0; g < x->nout; g++) {
		double v = 0;

		for (int e = x->start[g]; e < x->start[g + 1]; e++)
			v += x->w[e] * in[x->src[e]];
		out[g] = v;
	}
}

void ksp_fc_result_map(const struct ksp_fc_xmap *x, const struct ksp_fc_result *in,
		       struct ksp_fc_result *out)
{
	const size_t rows = (size_t)in->nyear * in->nreg;
	const size_t ni = (size_t)x->nin, no = (size_t)x->nout;
	const double *src[] = { in->demand,     in->expansion,      in->exits,    in->transfers,
				in->openings,   in->graduates,      in->migrants, in->transfers_in,
				in->new_supply, in->other_entrants, in->balance,  in->reserve };
	double *dst[] = { out->demand,     out->expansion,      out->exits,    out->transfers,
			  out->openings,   out->graduates,      out->migrants, out->transfers_in,
			  out->new_supply, out->other_entrants, out->balance,  out->reserve };

	for (size_t k = 0; k < sizeof(src) / sizeof(src[0]); k++) {
		if (!src[k] || !dst[k])
			continue;
		for (size_t c = 0; c < rows; c++)
			ksp_fc_xmap_apply(x, src[k] + c * ni, dst[k] + c * no);
	}
	/* step 6 on the mapped cells: shortage ratio = (JO - NS) / E */
	if (out->shortage)
		for (size_t c = 0; c < rows * no; c++)
			out->shortage[c] =
				out->demand[c] > 0 ? -out->balance[c] / out->demand[c] : 0;
	memcpy(out->demand_tot, in->demand_tot, rows * sizeof(double));
}

/* ---- the hierarchy ----------------------------------------------------------------- */

struct code_row {
	char code[KSP_FC_NCODE];
	char parent[KSP_FC_NCODE];
	int level;
};

static int cmp_code_row(const void *a, const void *b)
{
	return strcmp(((const struct code_row *)a)->code, ((const struct code_row *)b)->code);
}

void ksp_fc_hierarchy_release(struct ksp_fc_hierarchy *h)
{
	free(h->code);
	free(h->level);
	free(h->parent);
	free(h->nchild);
	memset(h, 0, sizeof(*h));
}

/* The index of code in n sorted codes of stride bytes each, or -1. */
static int find_sorted(const char *codes, size_t stride, int n, const char *code)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(codes + (size_t)mid * stride, code);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

int ksp_fc_hierarchy_find(const struct ksp_fc_hierarchy *h, const char *code)
{
	return find_sorted((const char *)h->code, sizeof(*h->code), h->n, code);
}

int ksp_fc_hierarchy_group(const struct ksp_fc_hierarchy *h, int i, int level)
{
	while (i >= 0 && h->level[i] > level)
		i = h->parent[i];
	return i;
}

int ksp_fc_hierarchy_load(struct ksp_fc_hierarchy *h, struct ksp_store *s,
			  const char *classification, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	struct code_row *rows = NULL;
	size_t alloc = 0;
	long long exists = 0;
	int n = 0, rc;

	memset(h, 0, sizeof(*h));
	rc = ksp_store_query_int(s,
				 "SELECT count(*) FROM classification WHERE id = ? AND domain = "
				 "'occupation'",
				 &exists, err, classification, (const char *)NULL);
	if (rc < 0)
		return rc;
	if (!exists)
		return ksp_error_set(err, KSP_ENOTFOUND,
				     "no occupation classification \"%s\"; import it with 'kasip "
				     "import classifications FILE'",
				     classification);
	rc = ksp_stmt_prepare(s,
			      "SELECT code, level, coalesce(parent_code, '') FROM occupation "
			      "WHERE classification = ?",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, classification, -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *code = ksp_stmt_column_text(st, 0);
		const char *parent = ksp_stmt_column_text(st, 2);
		long long level = ksp_stmt_column_int64(st, 1);

		if (n >= KSP_FC_MAX_NCODE) {
			rc = ksp_error_set(err, KSP_ETOOBIG, "classification \"%s\": over %d codes",
					   classification, KSP_FC_MAX_NCODE);
			goto out;
		}
		if (strlen(code) >= KSP_FC_NCODE || strlen(parent) >= KSP_FC_NCODE) {
			rc = ksp_error_set(
				err, KSP_ETOOBIG,
				"classification \"%s\": code \"%s\" is over %d characters",
				classification, strlen(code) >= KSP_FC_NCODE ? code : parent,
				KSP_FC_NCODE - 1);
			goto out;
		}
		if (level < 1 || level > 5) {
			rc = ksp_error_set(
				err, KSP_EINVAL,
				"classification \"%s\": code \"%s\" has level %lld, not 1 to 5",
				classification, code, level);
			goto out;
		}
		KSP_ALLOC_GROW(rows, (size_t)n + 1, alloc);
		snprintf(rows[n].code, KSP_FC_NCODE, "%s", code);
		snprintf(rows[n].parent, KSP_FC_NCODE, "%s", parent);
		rows[n].level = (int)level;
		n++;
	}
	if (rc != KSP_DONE)
		goto out;
	rc = KSP_OK;
	if (!n) {
		rc = ksp_error_set(err, KSP_ENOTFOUND,
				   "classification \"%s\" has no occupations; import them with "
				   "'kasip import occupations FILE'",
				   classification);
		goto out;
	}
	/* strcmp order, whatever the database's collation */
	qsort(rows, (size_t)n, sizeof(*rows), cmp_code_row);
	h->n = n;
	h->code = ksp_xcalloc((size_t)n, sizeof(*h->code));
	h->level = ksp_xcalloc((size_t)n, sizeof(int));
	h->parent = ksp_xcalloc((size_t)n, sizeof(int));
	h->nchild = ksp_xcalloc((size_t)n, sizeof(int));
	for (int i = 0; i < n; i++) {
		memcpy(h->code[i], rows[i].code, KSP_FC_NCODE);
		h->level[i] = rows[i].level;
		if (rows[i].level > h->maxlevel)
			h->maxlevel = rows[i].level;
	}
	for (int i = 0; i < n; i++) {
		int p = rows[i].parent[0] ? ksp_fc_hierarchy_find(h, rows[i].parent) : -1;

		if (rows[i].parent[0] && p < 0) {
			rc = ksp_error_set(
				err, KSP_EINVAL,
				"classification \"%s\": the parent \"%s\" of \"%s\" is not "
				"one of its codes",
				classification, rows[i].parent, rows[i].code);
			goto out;
		}
		if (p < 0 && h->level[i] != 1) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "classification \"%s\": code \"%s\" of level %d has no "
					   "parent",
					   classification, rows[i].code, h->level[i]);
			goto out;
		}
		if (p >= 0 && h->level[p] != h->level[i] - 1) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "classification \"%s\": code \"%s\" of level %d has the "
					   "parent \"%s\" of level %d; expected level %d",
					   classification, rows[i].code, h->level[i], h->code[p],
					   h->level[p], h->level[i] - 1);
			goto out;
		}
		h->parent[i] = p;
		if (p >= 0)
			h->nchild[p]++;
	}
out:
	ksp_stmt_finalize(st);
	free(rows);
	if (rc)
		ksp_fc_hierarchy_release(h);
	return rc;
}

/* ---- the crosswalk --------------------------------------------------------------- */

struct xrow {
	char from[KSP_FC_NCODE], to[KSP_FC_NCODE];
	double w;
};

static int cmp_xrow(const void *a, const void *b)
{
	const struct xrow *x = a, *y = b;
	int c = strcmp(x->from, y->from);

	return c ? c : strcmp(x->to, y->to);
}

/* An entry of the map before it is stored by output group. */
struct xentry {
	int g, o, seq;
	double w;
};

static int cmp_xentry(const void *a, const void *b)
{
	const struct xentry *x = a, *y = b;

	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	if (x->o != y->o)
		return x->o < y->o ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int unit_index(const struct ksp_fc_labels *lb, const char *code)
{
	return find_sorted((const char *)lb->occ, sizeof(*lb->occ), lb->nocc, code);
}

void ksp_fc_national_release(struct ksp_fc_national *nc)
{
	free(nc->code);
	ksp_fc_xmap_release(&nc->map);
	memset(nc, 0, sizeof(*nc));
}

/* Read the rows of the crosswalk from ISCO-08 to classification, sorted. */
static int read_crosswalk(struct ksp_store *s, const char *classification, struct xrow **out,
			  int *nout, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	struct xrow *rows = NULL;
	size_t alloc = 0;
	int n = 0, rc;

	*out = NULL;
	*nout = 0;
	rc = ksp_stmt_prepare(s,
			      "SELECT from_code, to_code, weight FROM occupation_crosswalk WHERE "
			      "from_classification = '" ISCO "' AND to_classification = ?",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, classification, -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		const char *from = ksp_stmt_column_text(st, 0), *to = ksp_stmt_column_text(st, 1);

		if (n >= KSP_FC_MAX_XROW) {
			rc = ksp_error_set(err, KSP_ETOOBIG,
					   "crosswalk " ISCO " -> \"%s\": over %d rows",
					   classification, KSP_FC_MAX_XROW);
			break;
		}
		if (strlen(from) >= KSP_FC_NCODE || strlen(to) >= KSP_FC_NCODE) {
			rc = ksp_error_set(err, KSP_ETOOBIG,
					   "crosswalk " ISCO
					   " -> \"%s\": code \"%s\" is over %d characters",
					   classification, strlen(from) >= KSP_FC_NCODE ? from : to,
					   KSP_FC_NCODE - 1);
			break;
		}
		KSP_ALLOC_GROW(rows, (size_t)n + 1, alloc);
		snprintf(rows[n].from, KSP_FC_NCODE, "%s", from);
		snprintf(rows[n].to, KSP_FC_NCODE, "%s", to);
		rows[n].w = ksp_stmt_column_double(st, 2);
		n++;
	}
	ksp_stmt_finalize(st);
	if (rc != KSP_DONE) {
		free(rows);
		return rc;
	}
	if (n)
		qsort(rows, (size_t)n, sizeof(*rows), cmp_xrow);
	*out = rows;
	*nout = n;
	return KSP_OK;
}

int ksp_fc_national_load(struct ksp_fc_national *nc, struct ksp_store *s,
			 const char *classification, int level, const struct ksp_fc_labels *lb,
			 struct ksp_error *err)
{
	struct ksp_fc_hierarchy h;
	struct xrow *rows = NULL;
	struct xentry *ent = NULL;
	int *gidx = NULL, nrows = 0, ngroup = 0, nent = 0, rc;
	double *sum = NULL;
	unsigned char *seen = NULL;

	memset(nc, 0, sizeof(*nc));
	if ((rc = ksp_fc_hierarchy_load(&h, s, classification, err)))
		return rc;
	snprintf(nc->classification, sizeof(nc->classification), "%s", classification);
	if (level == 0)
		level = h.maxlevel < 4 ? h.maxlevel : 4;
	nc->level = level;

	/* the groups of the level: its codes, and leaves above it (they stand for themselves) */
	gidx = ksp_xcalloc((size_t)h.n, sizeof(int));
	for (int i = 0; i < h.n; i++) {
		gidx[i] = -1;
		if (h.level[i] == level || (h.level[i] < level && h.nchild[i] == 0))
			gidx[i] = ngroup++;
	}
	{
		int at_level = 0;

		for (int i = 0; i < h.n; i++)
			at_level += h.level[i] == level;
		if (!at_level) {
			rc = ksp_error_set(
				err, KSP_EINVAL,
				"classification \"%s\" has no groups of level %d (its levels "
				"are 1 to %d)",
				classification, level, h.maxlevel);
			goto out;
		}
	}
	nc->ngroup = ngroup;
	nc->code = ksp_xcalloc((size_t)ngroup, sizeof(*nc->code));
	for (int i = 0; i < h.n; i++)
		if (gidx[i] >= 0)
			memcpy(nc->code[gidx[i]], h.code[i], KSP_FC_NCODE);

	if ((rc = read_crosswalk(s, classification, &rows, &nrows, err)))
		goto out;
	if (!nrows) {
		long long back = 0;

		rc = ksp_store_query_int(s,
					 "SELECT count(*) FROM occupation_crosswalk WHERE "
					 "from_classification = ? AND to_classification = '" ISCO
					 "'",
					 &back, err, classification, (const char *)NULL);
		if (rc < 0)
			goto out;
		rc = back ? ksp_error_set(
				    err, KSP_EINVAL,
				    "the crosswalk between \"%s\" and " ISCO " goes from \"%s\" "
				    "to " ISCO "; the forecast needs one from " ISCO " to \"%s\" "
				    "(for each ISCO-08 unit group, the shares of its workers in "
				    "the national codes, summing to 1)",
				    classification, classification, classification)
			  : ksp_error_set(err, KSP_ENOTFOUND,
					  "no crosswalk from " ISCO " to \"%s\"; import one with "
					  "'kasip import occupation-crosswalk FILE'",
					  classification);
		goto out;
	}

	/* every row: from a unit group, to a finest code; each unit's weights sum to 1 */
	sum = ksp_xcalloc((size_t)lb->nocc, sizeof(double));
	seen = ksp_xcalloc((size_t)lb->nocc, 1);
	ent = ksp_xcalloc((size_t)nrows, sizeof(*ent));
	for (int k = 0; k < nrows; k++) {
		int o = unit_index(lb, rows[k].from), n = ksp_fc_hierarchy_find(&h, rows[k].to);

		if (o < 0) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "crosswalk " ISCO " -> \"%s\": \"%s\" is not an " ISCO
					   " unit group (the crosswalk goes from unit groups)",
					   classification, rows[k].from);
			goto out;
		}
		if (n < 0) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "crosswalk " ISCO
					   " -> \"%s\": \"%s\" is not a code of \"%s\"",
					   classification, rows[k].to, classification);
			goto out;
		}
		if (h.nchild[n]) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "crosswalk " ISCO " -> \"%s\": \"%s\" has sub-groups; a "
					   "crosswalk maps to the finest codes",
					   classification, rows[k].to);
			goto out;
		}
		if (!(rows[k].w > 0 && rows[k].w <= 1)) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "crosswalk " ISCO
					   " -> \"%s\": the weight of \"%s\" -> \"%s\" "
					   "is %g, not in (0, 1]",
					   classification, rows[k].from, rows[k].to, rows[k].w);
			goto out;
		}
		sum[o] += rows[k].w;
		seen[o] = 1;
		ent[nent].g = gidx[ksp_fc_hierarchy_group(&h, n, level)];
		ent[nent].o = o;
		ent[nent].seq = k;
		ent[nent].w = rows[k].w;
		nent++;
	}
	for (int o = 0; o < lb->nocc; o++) {
		if (!seen[o]) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "crosswalk " ISCO " -> \"%s\": " ISCO
					   " unit group \"%s\" has "
					   "no row",
					   classification, lb->occ[o]);
			goto out;
		}
		if (fabs(sum[o] - 1.0) > WEIGHT_TOL) {
			rc = ksp_error_set(err, KSP_EINVAL,
					   "crosswalk " ISCO " -> \"%s\": the weights of " ISCO
					   " unit group \"%s\" sum to %.12g, not 1 (within 1e-9)",
					   classification, lb->occ[o], sum[o]);
			goto out;
		}
	}

	/* W[o,g]: the weights of o's rows to the finest codes under g, in code order */
	qsort(ent, (size_t)nent, sizeof(*ent), cmp_xentry);
	nc->map.nin = lb->nocc;
	nc->map.nout = ngroup;
	nc->map.start = ksp_xcalloc((size_t)ngroup + 1, sizeof(int));
	nc->map.src = ksp_xcalloc((size_t)nent, sizeof(int));
	nc->map.w = ksp_xcalloc((size_t)nent, sizeof(double));
	{
		int m = 0;

		for (int k = 0; k < nent; k++) {
			if (m > 0 && ent[k].g == ent[k - 1].g && ent[k].o == ent[k - 1].o) {
				nc->map.w[m - 1] += ent[k].w;
				continue;
			}
			nc->map.src[m] = ent[k].o;
			nc->map.w[m] = ent[k].w;
			nc->map.start[ent[k].g + 1]++;
			m++;
		}
		for (int g = 0; g < ngroup; g++)
			nc->map.start[g + 1] += nc->map.start[g];
	}
out:
	free(rows);
	free(ent);
	free(gidx);
	free(sum);
	free(seen);
	ksp_fc_hierarchy_release(&h);
	if (rc)
		ksp_fc_national_release(nc);
	return rc;
}

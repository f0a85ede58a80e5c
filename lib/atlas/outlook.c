/*
 * outlook.c - the class probabilities of a Monte Carlo run (docs/atlas.md,
 * "How sure": why they are computed at forecast time).
 *
 * The forecast's draws pass through ksp_atlas_outlook_draw() (a
 * ksp_fc_sink): for each draw, each region and the country, each group is
 * classified by the rules of the table atlas_rule with the draw's
 * target-year employment and cumulative balance (the base year's employment
 * and the project jobs are the same in every draw), and the class counted;
 * the cumulative balance of every cell is kept as a float for its P10, P50
 * and P90.  At the end the shares and quantiles go to forecast_outlook and
 * the rules' version to forecast_run.class_rules, so an atlas can say
 * which rules the probabilities were computed under.
 *
 * Size: counts are 4 ints a cell; the balances ndraws floats a cell (level
 * 4, 20 regions and the country, 1,000 draws: 21 x 436 x 1000 x 4 B = 37 MB
 * while the run lasts; nothing of it is stored but 7 numbers a cell).  Over
 * the cap given, the quantiles are left out (NULL) and the shares kept.
 */
#include <math.h>
#include <string.h>

#include "atlas/internal.h"
#include "store/store.h"
#include "util/xmalloc.h"

struct ksp_atlas_outlook {
	int R, ng, nl, ndraws;
	double v[KSP_AR_NRULE];
	char version[17];
	const struct ksp_fc_xmap *xm; /* maps e_last from nl to ng (NULL: nl == ng) */
	double *e0;       /* [R+1][ng] base-year employment (the country last) */
	double *proj;     /* [R+1][ng] project jobs by the target year */
	double *re0;      /* [R+1] the region's base-year employment */
	int *count;       /* [R+1][ng+1][NCLASS] (group ng: unused, kept for symmetry) */
	float *bal;       /* [R+1][ng+1][ndraws] cumulative balance (group ng: the region's), or NULL */
	double *et, *cb;  /* scratch: [R+1][ng] the draw's target-year employment and balance */
	double *mapped;   /* scratch: [ng] */
};

struct ksp_atlas_outlook *ksp_atlas_outlook_new(struct ksp_store *s, int nreg, int ng, int nl,
						int ndraws, const double *e0, const double *proj,
						const struct ksp_fc_xmap *xm, size_t max_bytes)
{
	struct ksp_atlas_outlook *o;
	struct ksp_atlas_rule *rules = NULL;
	size_t nrules = 0, cells = (size_t)(nreg + 1) * (ng + 1);
	char version[17];

	/* no rules table (an old database): no probabilities, the run goes on */
	if (ksp_atlas_rules_list(s, &rules, &nrules, version, NULL))
		return NULL;
	o = ksp_xcalloc(1, sizeof(*o));
	o->R = nreg;
	o->ng = ng;
	o->nl = nl;
	o->ndraws = ndraws;
	o->xm = xm;
	ksp_atlas_rule_values(rules, nrules, o->v);
	ksp_atlas_rules_free(rules);
	memcpy(o->version, version, sizeof(version));
	o->e0 = ksp_xcalloc((size_t)(nreg + 1) * ng, sizeof(double));
	o->proj = ksp_xcalloc((size_t)(nreg + 1) * ng, sizeof(double));
	o->re0 = ksp_xcalloc((size_t)nreg + 1, sizeof(double));
	for (int r = 0; r < nreg; r++)
		for (int g = 0; g < ng; g++) {
			size_t c = (size_t)r * ng + g, n = (size_t)nreg * ng + g;
			double p = proj ? proj[c] : 0;

			o->e0[c] = e0[c];
			o->proj[c] = p;
			o->e0[n] += e0[c];
			o->proj[n] += p;
			o->re0[r] += e0[c];
		}
	for (int r = 0; r < nreg; r++)
		o->re0[nreg] += o->re0[r];
	o->count = ksp_xcalloc(cells * KSP_ATLAS_NCLASS, sizeof(int));
	if (max_bytes / sizeof(float) / (size_t)ndraws > cells)
		o->bal = ksp_xcalloc(cells * (size_t)ndraws, sizeof(float));
	o->et = ksp_xcalloc((size_t)(nreg + 1) * ng, sizeof(double));
	o->cb = ksp_xcalloc((size_t)(nreg + 1) * ng, sizeof(double));
	o->mapped = ksp_xcalloc((size_t)ng, sizeof(double));
	return o;
}

void ksp_atlas_outlook_free(struct ksp_atlas_outlook *o)
{
	if (!o)
		return;
	free(o->e0);
	free(o->proj);
	free(o->re0);
	free(o->count);
	free(o->bal);
	free(o->et);
	free(o->cb);
	free(o->mapped);
	free(o);
}

const char *ksp_atlas_outlook_version(const struct ksp_atlas_outlook *o)
{
	return o->version;
}

void ksp_atlas_outlook_draw(void *ctx, int d, const double *e_last, const double *cum)
{
	struct ksp_atlas_outlook *o = ctx;
	const int R = o->R, ng = o->ng;
	double *net = o->et + (size_t)R * ng, *ncb = o->cb + (size_t)R * ng;

	memset(net, 0, (size_t)ng * sizeof(double));
	memset(ncb, 0, (size_t)ng * sizeof(double));
	/* the regions' cells, and the country's as their sums within the draw */
	for (int r = 0; r < R; r++) {
		const double *e = e_last + (size_t)r * o->nl;

		if (o->xm) {
			ksp_fc_xmap_apply(o->xm, e, o->mapped);
			e = o->mapped;
		}
		for (int g = 0; g < ng; g++) {
			size_t c = (size_t)r * ng + g;

			o->et[c] = e[g];
			o->cb[c] = -cum[c];
			net[g] += e[g];
			ncb[g] += -cum[c];
		}
	}
	for (int r = 0; r <= R; r++) {
		double ret = 0, rbal = 0;

		for (int g = 0; g < ng; g++) {
			ret += o->et[(size_t)r * ng + g];
			rbal += o->cb[(size_t)r * ng + g];
		}
		for (int g = 0; g < ng; g++) {
			size_t c = (size_t)r * ng + g, k = (size_t)r * (ng + 1) + g;
			int cls = ksp_atlas_classify_v(o->v, o->e0[c], o->et[c], o->cb[c], o->proj[c],
						       o->re0[r], ret, rbal, NULL);

			o->count[k * KSP_ATLAS_NCLASS + cls]++;
			if (o->bal)
				o->bal[k * o->ndraws + d] = (float)o->cb[c];
		}
		if (o->bal)
			o->bal[((size_t)r * (ng + 1) + ng) * o->ndraws + d] = (float)rbal;
	}
}

static void bind_opt(struct ksp_stmt *st, int idx, double v)
{
	if (isnan(v))
		ksp_stmt_bind_null(st, idx);
	else
		ksp_stmt_bind_double(st, idx, v);
}

int ksp_atlas_outlook_store(struct ksp_atlas_outlook *o, struct ksp_store *s, long long run_id,
			    const char *const *kato, const char *const *code, int only_region,
			    struct ksp_error *err)
{
	static const double qp[3] = { 0.1, 0.5, 0.9 };
	struct ksp_stmt *st = NULL;
	int rc;

	rc = ksp_stmt_prepare(s,
			      "INSERT INTO forecast_outlook (run_id, region, occupation, draws, "
			      "p_in_demand, p_emerging, p_stable, p_declining, balance_p10, "
			      "balance_p50, balance_p90) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		return rc;
	for (int r = 0; r <= o->R && !rc; r++) {
		if (r < o->R && only_region >= 0 && r != only_region)
			continue;
		for (int g = 0; g <= o->ng && !rc; g++) {
			size_t k = (size_t)r * (o->ng + 1) + g;
			double q[3] = { NAN, NAN, NAN };

			if (o->bal)
				for (int i = 0; i < 3; i++) /* (ksp_fc_quantile reorders: the same result) */
					q[i] = ksp_fc_quantile(o->bal + k * o->ndraws, o->ndraws, qp[i]);
			ksp_stmt_reset(st);
			ksp_stmt_bind_int64(st, 1, run_id);
			ksp_stmt_bind_text(st, 2, r < o->R ? kato[r] : "000000000", -1);
			ksp_stmt_bind_text(st, 3, g < o->ng ? code[g] : "", -1);
			ksp_stmt_bind_int64(st, 4, o->ndraws);
			for (int c = 0; c < KSP_ATLAS_NCLASS; c++)
				bind_opt(st, 5 + c,
					 g < o->ng ? (double)o->count[k * KSP_ATLAS_NCLASS + c] / o->ndraws
						   : NAN);
			for (int i = 0; i < 3; i++)
				bind_opt(st, 9 + i, q[i]);
			rc = ksp_stmt_step(st, err);
			rc = rc == KSP_DONE ? KSP_OK : rc;
		}
	}
	ksp_stmt_finalize(st);
	if (rc)
		return rc;
	rc = ksp_stmt_prepare(s, "UPDATE forecast_run SET class_rules = ? WHERE id = ?", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_text(st, 1, o->version, -1);
	ksp_stmt_bind_int64(st, 2, run_id);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

/*
 * run.c - kasip/forecast.h: a forecast run from the store to the store.
 *
 * Loads the model (forecast/load.c), runs the engine at the ISCO-08 level
 * asked for (the unit groups are mapped to their level-L ancestors by code
 * prefix, so results add up across levels), optionally the Monte Carlo, and
 * stores the run, its cells and its totals in one transaction.
 */
#include <math.h>
#include <string.h>

#include "atlas/internal.h"
#include "forecast/load.h"
#include "kasip/forecast.h"
#include "store/store.h"
#include "util/strbuf.h"
#include "util/xmalloc.h"

#define ENGINE_VERSION "kasip-forecast 1"
#define WDC_YEAR 2030 /* the year of the Workforce Development Center's published 12 % */

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ksp_forecast_free(void *list)
{
	free(list);
}

/* Level L of the unit groups: groups are the distinct L-character prefixes. */
struct level_map {
	int nl;
	int *map;               /* [nocc] */
	int *major;             /* [nl] */
	char (*code)[KSP_FC_NCODE]; /* [nl] */
};

static void level_map_build(struct level_map *lm, const struct ksp_fc_labels *lb, int level)
{
	memset(lm, 0, sizeof(*lm));
	lm->map = ksp_xcalloc((size_t)lb->nocc, sizeof(int));
	lm->major = ksp_xcalloc((size_t)lb->nocc, sizeof(int));
	lm->code = ksp_xcalloc((size_t)lb->nocc, sizeof(*lm->code));
	/* unit codes are sorted, so equal prefixes are consecutive */
	for (int o = 0; o < lb->nocc; o++) {
		if (lm->nl == 0 || strncmp(lm->code[lm->nl - 1], lb->occ[o], (size_t)level)) {
			memcpy(lm->code[lm->nl], lb->occ[o], (size_t)level);
			lm->code[lm->nl][level] = 0;
			lm->major[lm->nl] = lb->occ[o][0] - '0';
			lm->nl++;
		}
		lm->map[o] = lm->nl - 1;
	}
}

static void level_map_release(struct level_map *lm)
{
	free(lm->map);
	free(lm->major);
	free(lm->code);
	memset(lm, 0, sizeof(*lm));
}

static void now_iso(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int step_done(struct ksp_stmt *st, struct ksp_error *err)
{
	int rc = ksp_stmt_step(st, err);

	return rc == KSP_DONE ? KSP_OK : rc;
}

static void bind_opt(struct ksp_stmt *st, int idx, double v)
{
	if (isnan(v))
		ksp_stmt_bind_null(st, idx);
	else
		ksp_stmt_bind_double(st, idx, v);
}

/* ---- storing a run ---------------------------------------------------------------- */

struct stored {
	const struct ksp_fc_model *m;
	const struct ksp_fc_base *b;
	const struct ksp_fc_result *res;  /* the cells stored (in the run's classification) */
	const struct ksp_fc_result *unit; /* the engine's result the totals are sums of */
	const struct ksp_fc_level *lv;    /* unit's level (its groups' major groups) */
	const struct ksp_fc_bands *bd;    /* NULL without draws */
	const char (*code)[KSP_FC_NCODE]; /* [res->nl] the groups' codes */
	int only_region;                  /* -1: all */
	const struct ksp_forecast_options *opt; /* its progress: from p0 to 0.99 over the regions */
	double p0;
};

/* The caller's progress, and the Monte Carlo's share of it (from .. to). */
struct progress {
	const struct ksp_forecast_options *opt;
	double from, to;
};

static void progress(const struct ksp_forecast_options *opt, double done)
{
	if (opt->progress)
		opt->progress(opt->progress_ctx, done);
}

static void progress_draws(void *ctx, double done)
{
	const struct progress *p = ctx;

	progress(p->opt, p->from + (p->to - p->from) * done);
}

/* The 13 stored figures of cell (t, r, l) of res. */
static void cell_values(const struct ksp_fc_result *res, int t, int r, int l, double v[13])
{
	size_t c = ((size_t)t * res->nreg + r) * res->nl + l;

	v[0] = res->demand[c];
	v[1] = res->expansion[c];
	v[2] = res->exits[c];
	v[3] = res->transfers[c];
	v[4] = res->openings[c];
	v[5] = res->graduates[c];
	v[6] = res->migrants[c];
	v[7] = res->transfers_in[c];
	v[8] = res->new_supply[c];
	v[9] = res->balance[c];
	v[10] = res->shortage[c];
	v[11] = res->other_entrants[c];
	v[12] = res->reserve[c];
}

/*
 * The cells are inserted in the primary key's order (the country, then the
 * regions by KATO; groups by code; years), so that one region's rows sit
 * together in the table and reading a region (the atlas, --region) touches
 * its pages only, not every page of the run.
 */
static int store_cells(struct ksp_store *s, long long id, const struct stored *x,
		       struct ksp_error *err)
{
	const struct ksp_fc_result *res = x->res;
	const int R = res->nreg, nl = res->nl, T = res->nyear, base = x->b->d.base_year;
	struct ksp_stmt *st = NULL;
	double *nat = ksp_xcalloc((size_t)T * nl * 13, sizeof(double));
	int rc;

	/* the country's cells: the regions summed in their order */
	for (int t = 0; t < T; t++)
		for (int l = 0; l < nl; l++) {
			double *n = nat + ((size_t)t * nl + l) * 13;

			for (int r = 0; r < R; r++) {
				double v[13];

				cell_values(res, t, r, l, v);
				for (int k = 0; k < 13; k++)
					n[k] += v[k];
			}
			n[10] = n[0] > 0 ? -n[9] / n[0] : 0;
		}
	rc = ksp_stmt_prepare(
		s,
		"INSERT INTO forecast_result (run_id, region, occupation, year, demand, expansion, "
		"exits, transfers, openings, graduates, migrants, transfers_in, new_supply, balance, "
		"shortage_ratio, other_entrants, demand_p10, demand_p50, demand_p90, openings_p10, "
		"openings_p50, openings_p90, new_supply_p10, new_supply_p50, new_supply_p90, "
		"balance_p10, balance_p50, balance_p90, reserve) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		&st, err);
	if (rc)
		goto out;
	for (int i = 0; i <= R && !rc; i++) {
		const int r = i == 0 ? R : i - 1; /* the country's code sorts first */

		if (r < R && x->only_region >= 0 && r != x->only_region)
			continue;
		for (int l = 0; l < nl && !rc; l++)
			for (int t = 0; t < T && !rc; t++) {
				double v[13];

				if (r < R)
					cell_values(res, t, r, l, v);
				else
					memcpy(v, nat + ((size_t)t * nl + l) * 13, sizeof(v));
				ksp_stmt_reset(st);
				ksp_stmt_bind_int64(st, 1, id);
				ksp_stmt_bind_text(st, 2, r < R ? x->m->lb.kato[r] : KSP_FORECAST_NATIONAL,
						   -1);
				ksp_stmt_bind_text(st, 3, x->code[l], -1);
				ksp_stmt_bind_int64(st, 4, base + t);
				for (int k = 0; k < 12; k++)
					ksp_stmt_bind_double(st, 5 + k, v[k]);
				for (int k = 0; k < KSP_FC_NBAND; k++)
					for (int q = 0; q < 3; q++) {
						double bv = NAN;

						if (x->bd)
							bv = ksp_fc_band_cell(x->bd, q, k, t, r, l);
						bind_opt(st, 17 + k * 3 + q, bv);
					}
				ksp_stmt_bind_double(st, 29, v[12]);
				rc = step_done(st, err);
			}
		progress(x->opt, x->p0 + (0.99 - x->p0) * (i + 1) / (R + 1));
	}
out:
	ksp_stmt_finalize(st);
	free(nat);
	return rc;
}

static int store_totals(struct ksp_store *s, long long id, const struct stored *x,
			struct ksp_error *err)
{
	const struct ksp_fc_base *b = x->b;
	const struct ksp_fc_result *res = x->unit; /* sums: the same in every classification */
	const int R = res->nreg, nl = res->nl, T = res->nyear;
	struct ksp_stmt *st = NULL;
	struct ksp_fc_draw dr;
	int rc;

	ksp_fc_draw_central(&dr);
	rc = ksp_stmt_prepare(
		s,
		"INSERT INTO forecast_total (run_id, region, year, population, births, deaths, "
		"net_migration_internal, net_migration_external, labour_force, employed, demand, "
		"openings, new_supply, balance, shortfall, other_entrants, shortfall_all, "
		"population_p10, population_p50, "
		"population_p90, labour_force_p10, labour_force_p50, labour_force_p90, demand_p10, "
		"demand_p50, demand_p90, openings_p10, openings_p50, openings_p90, new_supply_p10, "
		"new_supply_p50, new_supply_p90, balance_p10, balance_p50, balance_p90, reserve, "
		"expansion, exits, retirements, worker_deaths) VALUES "
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		&st, err);
	if (rc)
		return rc;
	for (int t = 0; t < T && !rc; t++) {
		double nat[17] = { 0 };

		for (int r = 0; r <= R && !rc; r++) {
			double v[17] = { 0 }, sf, sfa;

			if (r < R) {
				size_t c = (size_t)t * R + r;

				v[0] = b->pop_tot[c];
				v[1] = b->births[c];
				v[2] = b->deaths[c];
				v[3] = b->netmig_int[c];
				v[4] = b->netmig_ext[c];
				v[5] = b->lf_tot[c];
				v[6] = b->emp_tot[c];
				v[7] = res->demand_tot[c];
				for (int l = 0; l < nl; l++) {
					v[8] += res->openings[c * nl + l];
					v[9] += res->new_supply[c * nl + l];
					v[10] += res->balance[c * nl + l];
					v[11] += res->other_entrants[c * nl + l];
					v[12] += res->reserve[c * nl + l];
					v[13] += res->expansion[c * nl + l];
					v[14] += res->exits[c * nl + l];
				}
				/* the exits by cause (the central run's: the results are its) */
				if (t > 0)
					ksp_fc_exits_by_cause(b, x->lv, &dr, res, t, r, &v[15], &v[16]);
				for (int k = 0; k < 17; k++)
					nat[k] += v[k];
				sf = ksp_fc_shortfall(x->res, t, r, NULL);
				sfa = ksp_fc_shortfall_all(x->res, t, r, NULL);
				if (x->only_region >= 0 && r != x->only_region)
					continue;
			} else {
				memcpy(v, nat, sizeof(v));
				sf = ksp_fc_shortfall(x->res, t, -1, NULL);
				sfa = ksp_fc_shortfall_all(x->res, t, -1, NULL);
			}
			ksp_stmt_reset(st);
			ksp_stmt_bind_int64(st, 1, id);
			ksp_stmt_bind_text(st, 2, r < R ? x->m->lb.kato[r] : KSP_FORECAST_NATIONAL, -1);
			ksp_stmt_bind_int64(st, 3, b->d.base_year + t);
			for (int k = 0; k < 11; k++)
				ksp_stmt_bind_double(st, 4 + k, v[k]);
			ksp_stmt_bind_double(st, 15, sf);
			ksp_stmt_bind_double(st, 16, v[11]);
			ksp_stmt_bind_double(st, 17, sfa);
			for (int k = 0; k < KSP_FC_NTOT; k++)
				for (int q = 0; q < 3; q++) {
					double bv = NAN;

					if (x->bd)
						bv = x->bd->total[(((size_t)q * KSP_FC_NTOT + k) * T + t) *
									  (R + 1) + r];
					bind_opt(st, 18 + k * 3 + q, bv);
				}
			ksp_stmt_bind_double(st, 36, v[12]);
			for (int k = 13; k < 17; k++)
				ksp_stmt_bind_double(st, 37 + k - 13, v[k]);
			rc = step_done(st, err);
		}
	}
	ksp_stmt_finalize(st);
	return rc;
}

/* The scenario's parameters as a JSON object (what the run was made with). */
static void params_json(const struct ksp_fc_model *m, struct ksp_strbuf *sb)
{
	ksp_strbuf_addch(sb, '{');
	for (int i = 0; i < m->nparam; i++)
		ksp_strbuf_addf(sb, "%s\"%s\": {\"value\": %.17g, \"dist\": \"%s\", \"spread\": %.17g}",
				i ? ", " : "", m->param[i].name, m->param[i].value,
				ksp_fc_dist_name(m->param[i].dist), m->param[i].spread);
	ksp_strbuf_addch(sb, '}');
}

int ksp_forecast_run(struct ksp_store *s, const struct ksp_forecast_options *opt,
		     struct ksp_forecast_run *run, struct ksp_error *err)
{
	const char *scenario = opt->scenario ? opt->scenario : "baseline";
	const char *classification = opt->classification && *opt->classification
					     ? opt->classification
					     : "ISCO-08";
	const int national = strcmp(classification, "ISCO-08") != 0;
	int level = opt->level ? opt->level : national ? 0 : 4;
	struct ksp_fc_model m;
	struct ksp_fc_base b;
	struct ksp_fc_level lv;
	struct ksp_fc_national nc;
	struct ksp_fc_result res, mres;
	const struct ksp_fc_result *cells = &res;
	struct ksp_fc_bands bd;
	struct ksp_fc_draw dr;
	struct level_map lm;
	struct ksp_strbuf pj = KSP_STRBUF_INIT;
	struct ksp_forecast_run info;
	struct stored x;
	unsigned char band_year[KSP_FC_MAX_YEAR];
	int rc, have_model = 0, have_base = 0, have_level = 0, have_res = 0, have_bd = 0, tx = 0;
	int have_nc = 0, have_mres = 0;
	struct ksp_atlas_outlook *outlook = NULL; /* the atlas's class probabilities */
	int only_region = -1, sf_t;
	long long id = 0;
	double t0 = wall_now(), sf, sf_net;

	memset(&info, 0, sizeof(info));
	memset(&bd, 0, sizeof(bd));
	memset(&lm, 0, sizeof(lm));
	if (level < (national ? 0 : 1) || level > 4)
		return ksp_error_set(err, KSP_EUSAGE, "level %d: expected 1 to 4", level);
	if (strlen(classification) >= sizeof(info.classification))
		return ksp_error_set(err, KSP_EUSAGE, "classification \"%s\": over %zu characters",
				     classification, sizeof(info.classification) - 1);
	if (opt->draws && (opt->draws < 2 || opt->draws > 100000))
		return ksp_error_set(err, KSP_EUSAGE, "draws %d: expected 2 to 100000", opt->draws);
	/*
	 * Compute, then write: the inputs are read in one read transaction (one
	 * consistent snapshot, no lock that stops a writer), the engine runs
	 * holding nothing, and the results go in at the end in one short write
	 * transaction that waits its turn behind other writers.
	 */
	if (!ksp_store_in_transaction(s)) {
		if ((rc = ksp_store_begin_read(s, err)))
			return rc;
		tx = 1;
	}
	if ((rc = ksp_fc_model_load(&m, s, scenario, opt->target_year, err)))
		goto out;
	have_model = 1;
	if (opt->region) {
		for (int r = 0; r < m.lb.nreg; r++)
			if (!strcasecmp(m.lb.kato[r], opt->region) || !strcasecmp(m.lb.iso[r], opt->region))
				only_region = r;
		if (only_region < 0) {
			rc = ksp_error_set(err, KSP_ENOTFOUND, "no region \"%s\"; see 'kasip regions'",
					   opt->region);
			goto out;
		}
	}

	/* a national classifier: the ISCO-08 unit groups' results through the crosswalk */
	if (national) {
		if ((rc = ksp_fc_national_load(&nc, s, classification, level, &m.lb, err)))
			goto out;
		have_nc = 1;
		if ((rc = ksp_fc_model_record_input(&m, s, "occupation-crosswalk", err)))
			goto out;
		level = nc.level;
	}
	if (tx) {
		tx = 0;
		if ((rc = ksp_store_commit(s, err)))
			goto out;
	}
	progress(opt, 0.05);

	/* the engine: steps 1-2 and 4a, then 3-6 at the level (unit groups for a
	   national classifier) */
	ksp_fc_base_init(&b, &m.in);
	have_base = 1;
	ksp_fc_prepare(&b);
	level_map_build(&lm, &m.lb, national ? 4 : level);
	if ((rc = ksp_fc_level_init(&lv, &m.in, lm.map, lm.nl, lm.major, err)))
		goto out;
	have_level = 1;
	ksp_fc_result_init(&res, b.d.nyear, b.d.nreg, lm.nl);
	have_res = 1;
	ksp_fc_draw_central(&dr);
	ksp_fc_evaluate(&b, &lv, &dr, &res);
	if (national) {
		ksp_fc_result_init(&mres, b.d.nyear, b.d.nreg, nc.ngroup);
		have_mres = 1;
		ksp_fc_result_map(&nc.map, &res, &mres);
		cells = &mres;
	}
	progress(opt, opt->draws ? 0.1 : 0.5);
	if (opt->draws) {
		for (int t = 0; t < b.d.nyear; t++)
			band_year[t] = opt->band_years == KSP_BANDS_TARGET ? t == b.d.nyear - 1 : 1;
		const size_t cap = opt->max_bytes ? opt->max_bytes : (size_t)512 << 20;
		struct progress pd = { opt, 0.1, 0.9 };
		struct ksp_fc_sink sink = { 0 };

		/* the atlas's classes in every draw (docs/atlas.md, "How sure") */
		outlook = ksp_atlas_outlook_new(s, b.d.nreg, cells->nl, lv.nl, opt->draws,
						cells->demand,
						national ? NULL : lv.proj + (size_t)(b.d.nyear - 1) *
										b.d.nreg * lv.nl,
						national ? &nc.map : NULL, cap / 4);
		sink.draw = outlook ? ksp_atlas_outlook_draw : NULL;
		sink.ctx = outlook;
		sink.progress = opt->progress ? progress_draws : NULL;
		sink.progress_ctx = &pd;
		rc = ksp_fc_montecarlo_sink(&b, &lv, national ? &nc.map : NULL, m.unc, m.nunc,
					    opt->draws, opt->seed, band_year, cap, opt->threads, &sink,
					    &bd, err);
		if (rc)
			goto out;
		have_bd = 1;
	}

	/* the shortfall beside the WDC's 2030 figure, or in the target year */
	sf_t = WDC_YEAR - b.d.base_year;
	if (sf_t < 1 || sf_t >= b.d.nyear)
		sf_t = b.d.nyear - 1;
	sf = ksp_fc_shortfall(cells, sf_t, -1, &sf_net);
	info.shortfall_all = ksp_fc_shortfall_all(cells, sf_t, -1, &info.shortfall_all_net);

	info.base_year = b.d.base_year;
	info.target_year = b.d.base_year + b.d.nyear - 1;
	info.level = level;
	info.draws = opt->draws;
	info.seed = opt->seed;
	snprintf(info.scenario, sizeof(info.scenario), "%s", scenario);
	snprintf(info.classification, sizeof(info.classification), "%s", classification);
	snprintf(info.region, sizeof(info.region), "%s",
		 only_region >= 0 ? m.lb.kato[only_region] : "");
	now_iso(info.created, sizeof(info.created));
	info.shortfall_year = b.d.base_year + sf_t;
	info.shortfall = sf;
	info.shortfall_net = sf_net;
	info.shortfall_p10 = have_bd ? bd.shortfall[0 * b.d.nyear + sf_t] : NAN;
	info.shortfall_p50 = have_bd ? bd.shortfall[1 * b.d.nyear + sf_t] : NAN;
	info.shortfall_p90 = have_bd ? bd.shortfall[2 * b.d.nyear + sf_t] : NAN;
	info.seconds = wall_now() - t0;

	/* store it all or nothing */
	progress(opt, opt->draws ? 0.9 : 0.6);
	if ((rc = ksp_store_begin(s, err)))
		goto out;
	tx = 1;
	rc = ksp_store_query_int(s, "SELECT coalesce(max(id), 0) + 1 FROM forecast_run", &id, err,
				 (const char *)NULL);
	if (rc < 0)
		goto out;
	info.id = id;
	params_json(&m, &pj);
	{
		struct ksp_stmt *st = NULL;

		rc = ksp_stmt_prepare(
			s,
			"INSERT INTO forecast_run (id, scenario, created, base_year, target_year, level, "
			"classification, region, draws, seed, band_years, parameters, assumptions, "
			"calibration, shortfall_year, shortfall, shortfall_net, shortfall_p10, "
			"shortfall_p50, shortfall_p90, engine, seconds, shortfall_all, shortfall_all_net) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&st, err);
		if (rc)
			goto out;
		ksp_stmt_bind_int64(st, 1, id);
		ksp_stmt_bind_text(st, 2, info.scenario, -1);
		ksp_stmt_bind_text(st, 3, info.created, -1);
		ksp_stmt_bind_int64(st, 4, info.base_year);
		ksp_stmt_bind_int64(st, 5, info.target_year);
		ksp_stmt_bind_int64(st, 6, level);
		ksp_stmt_bind_text(st, 7, info.classification, -1);
		ksp_stmt_bind_text(st, 8, info.region, -1);
		ksp_stmt_bind_int64(st, 9, opt->draws);
		ksp_stmt_bind_int64(st, 10, (long long)opt->seed);
		ksp_stmt_bind_text(st, 11,
				   !opt->draws ? "" : opt->band_years == KSP_BANDS_TARGET ? "target" : "all",
				   -1);
		ksp_stmt_bind_text(st, 12, pj.buf, -1);
		ksp_stmt_bind_text(st, 13, m.assumptions.buf, -1);
		ksp_stmt_bind_text(st, 14, m.calibration.buf, -1);
		ksp_stmt_bind_int64(st, 15, info.shortfall_year);
		ksp_stmt_bind_double(st, 16, info.shortfall);
		ksp_stmt_bind_double(st, 17, info.shortfall_net);
		bind_opt(st, 18, info.shortfall_p10);
		bind_opt(st, 19, info.shortfall_p50);
		bind_opt(st, 20, info.shortfall_p90);
		ksp_stmt_bind_text(st, 21, ENGINE_VERSION, -1);
		ksp_stmt_bind_double(st, 22, info.seconds);
		ksp_stmt_bind_double(st, 23, info.shortfall_all);
		ksp_stmt_bind_double(st, 24, info.shortfall_all_net);
		rc = step_done(st, err);
		ksp_stmt_finalize(st);
		if (rc)
			goto out;
	}
	x.m = &m;
	x.b = &b;
	x.res = cells;
	x.unit = &res;
	x.lv = &lv;
	x.bd = have_bd ? &bd : NULL;
	x.code = national ? (const char(*)[KSP_FC_NCODE])nc.code
			  : (const char(*)[KSP_FC_NCODE])lm.code;
	x.only_region = only_region;
	x.opt = opt;
	x.p0 = opt->draws ? 0.9 : 0.6;
	if ((rc = store_cells(s, id, &x, err)) || (rc = store_totals(s, id, &x, err)))
		goto out;
	if (outlook) {
		const char *kato[KSP_FC_MAX_REG];
		const char **code = ksp_xcalloc((size_t)cells->nl, sizeof(*code));

		for (int r = 0; r < b.d.nreg; r++)
			kato[r] = m.lb.kato[r];
		for (int l = 0; l < cells->nl; l++)
			code[l] = x.code[l];
		rc = ksp_atlas_outlook_store(outlook, s, id, kato, code, only_region, err);
		free(code);
		if (rc)
			goto out;
	}
	rc = ksp_store_commit(s, err);
	tx = 0;
	if (!rc)
		progress(opt, 1);
	if (!rc && run)
		*run = info;
out:
	if (tx)
		ksp_store_rollback(s);
	ksp_atlas_outlook_free(outlook);
	ksp_strbuf_release(&pj);
	if (have_bd)
		ksp_fc_bands_release(&bd);
	if (have_res)
		ksp_fc_result_release(&res);
	if (have_mres)
		ksp_fc_result_release(&mres);
	if (have_nc)
		ksp_fc_national_release(&nc);
	if (have_level)
		ksp_fc_level_release(&lv);
	level_map_release(&lm);
	if (have_base)
		ksp_fc_base_release(&b);
	if (have_model)
		ksp_fc_model_release(&m);
	return rc;
}

/* ---- reading runs ------------------------------------------------------------------- */

static double col_opt(struct ksp_stmt *st, int c)
{
	return ksp_stmt_column_is_null(st, c) ? NAN : ksp_stmt_column_double(st, c);
}

#define RUN_COLUMNS                                                                          \
	"SELECT id, scenario, created, base_year, target_year, level, draws, seed, "           \
	"classification, region, shortfall_year, shortfall, shortfall_net, "                  \
	"shortfall_p10, shortfall_p50, shortfall_p90, seconds, shortfall_all, "               \
	"shortfall_all_net FROM forecast_run "

static void run_read(struct ksp_stmt *st, struct ksp_forecast_run *out)
{
	memset(out, 0, sizeof(*out));
	out->id = ksp_stmt_column_int64(st, 0);
	snprintf(out->scenario, sizeof(out->scenario), "%s", ksp_stmt_column_text(st, 1));
	snprintf(out->created, sizeof(out->created), "%s", ksp_stmt_column_text(st, 2));
	out->base_year = (int)ksp_stmt_column_int64(st, 3);
	out->target_year = (int)ksp_stmt_column_int64(st, 4);
	out->level = (int)ksp_stmt_column_int64(st, 5);
	out->draws = (int)ksp_stmt_column_int64(st, 6);
	out->seed = (unsigned long long)ksp_stmt_column_int64(st, 7);
	snprintf(out->classification, sizeof(out->classification), "%s",
		 ksp_stmt_column_text(st, 8));
	snprintf(out->region, sizeof(out->region), "%s", ksp_stmt_column_text(st, 9));
	out->shortfall_year = (int)ksp_stmt_column_int64(st, 10);
	out->shortfall = col_opt(st, 11);
	out->shortfall_net = col_opt(st, 12);
	out->shortfall_p10 = col_opt(st, 13);
	out->shortfall_p50 = col_opt(st, 14);
	out->shortfall_p90 = col_opt(st, 15);
	out->seconds = col_opt(st, 16);
	out->shortfall_all = col_opt(st, 17);
	out->shortfall_all_net = col_opt(st, 18);
}

int ksp_forecast_run_get(struct ksp_store *s, long long id, const char *scenario,
			 struct ksp_forecast_run *out, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	int rc;

	rc = ksp_stmt_prepare(s,
			      RUN_COLUMNS "WHERE (? = 0 OR id = ?) AND (? = '' OR scenario = ?) "
					  "ORDER BY id DESC LIMIT 1",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, id);
	ksp_stmt_bind_int64(st, 2, id);
	ksp_stmt_bind_text(st, 3, scenario ? scenario : "", -1);
	ksp_stmt_bind_text(st, 4, scenario ? scenario : "", -1);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		run_read(st, out);
		rc = KSP_OK;
	} else if (rc == KSP_DONE) {
		rc = id ? ksp_error_set(err, KSP_ENOTFOUND, "no forecast run %lld", id)
		   : scenario ? ksp_error_set(err, KSP_ENOTFOUND,
					      "no forecast run of scenario \"%s\"; run 'kasip forecast' first",
					      scenario)
			      : ksp_error_set(err, KSP_ENOTFOUND,
					      "no forecast run; run 'kasip forecast' first");
	}
	ksp_stmt_finalize(st);
	return rc;
}

int ksp_forecast_run_list(struct ksp_store *s, size_t offset, size_t limit,
			  struct ksp_forecast_run **out, size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!limit)
		limit = 100;
	rc = ksp_stmt_prepare(s, RUN_COLUMNS "ORDER BY id DESC LIMIT ? OFFSET ?", &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, (long long)(limit > (size_t)INT32_MAX ? (size_t)INT32_MAX : limit));
	ksp_stmt_bind_int64(st, 2, (long long)(offset > (size_t)INT64_MAX ? (size_t)INT64_MAX : offset));
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		run_read(st, &(*out)[(*n)++]);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

int ksp_forecast_totals(struct ksp_store *s, long long run_id, const char *region,
			struct ksp_forecast_total **out, size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(
		s,
		"SELECT t.region, t.year, population, births, deaths, net_migration_internal, "
		"net_migration_external, labour_force, employed, demand, openings, new_supply, "
		"balance, shortfall, other_entrants, shortfall_all, population_p10, population_p50, "
		"population_p90, "
		"labour_force_p10, labour_force_p50, labour_force_p90, demand_p10, demand_p50, "
		"demand_p90, openings_p10, openings_p50, openings_p90, new_supply_p10, "
		"new_supply_p50, new_supply_p90, balance_p10, balance_p50, balance_p90, reserve, "
		"expansion, exits, retirements, worker_deaths "
		"FROM forecast_total t LEFT JOIN region g ON g.kato = t.region "
		"WHERE run_id = ? AND (? = '' OR t.region = ? OR upper(g.iso) = upper(?)) "
		"ORDER BY t.region, t.year",
		&st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, run_id);
	for (int i = 2; i <= 4; i++)
		ksp_stmt_bind_text(st, i, region ? region : "", -1);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_forecast_total *ft;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		ft = &(*out)[(*n)++];
		snprintf(ft->region, sizeof(ft->region), "%s", ksp_stmt_column_text(st, 0));
		ft->year = (int)ksp_stmt_column_int64(st, 1);
		ft->population = ksp_stmt_column_double(st, 2);
		ft->births = ksp_stmt_column_double(st, 3);
		ft->deaths = ksp_stmt_column_double(st, 4);
		ft->net_migration_internal = ksp_stmt_column_double(st, 5);
		ft->net_migration_external = ksp_stmt_column_double(st, 6);
		ft->labour_force = ksp_stmt_column_double(st, 7);
		ft->employed = ksp_stmt_column_double(st, 8);
		ft->demand = ksp_stmt_column_double(st, 9);
		ft->openings = ksp_stmt_column_double(st, 10);
		ft->new_supply = ksp_stmt_column_double(st, 11);
		ft->balance = ksp_stmt_column_double(st, 12);
		ft->shortfall = ksp_stmt_column_double(st, 13);
		ft->other_entrants = ksp_stmt_column_double(st, 14);
		ft->shortfall_all = ksp_stmt_column_double(st, 15);
		for (int k = 0; k < KSP_FT_NBAND; k++)
			for (int q = 0; q < 3; q++)
				ft->band[k][q] = col_opt(st, 16 + k * 3 + q);
		ft->reserve = ksp_stmt_column_double(st, 34);
		ft->expansion = col_opt(st, 35);
		ft->exits = col_opt(st, 36);
		ft->retirements = col_opt(st, 37);
		ft->worker_deaths = col_opt(st, 38);
		ft->need = ft->expansion + ft->retirements; /* NAN for runs before them */
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

int ksp_forecast_cells(struct ksp_store *s, const struct ksp_forecast_cell_query *q,
		       struct ksp_forecast_cell **out, size_t *n, struct ksp_error *err)
{
	char kato[16];
	struct ksp_strbuf sql = KSP_STRBUF_INIT;
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc, nb = 0;

	*out = NULL;
	*n = 0;
	/*
	 * An ISO code becomes its KATO code first, and only the filters given
	 * go into the WHERE clause, so that a region is an equality on the
	 * primary key's prefix (run_id, region, occupation, year), not a scan.
	 */
	if (q->region && *q->region) {
		struct ksp_stmt *rs = NULL;

		snprintf(kato, sizeof(kato), "%s", q->region);
		if ((rc = ksp_stmt_prepare(s, "SELECT kato FROM region WHERE upper(iso) = upper(?)",
					   &rs, err)))
			return rc;
		ksp_stmt_bind_text(rs, 1, q->region, -1);
		rc = ksp_stmt_step(rs, err);
		if (rc == KSP_ROW)
			snprintf(kato, sizeof(kato), "%s", ksp_stmt_column_text(rs, 0));
		ksp_stmt_finalize(rs);
		if (rc != KSP_ROW && rc != KSP_DONE)
			return rc;
	}
	ksp_strbuf_addstr(
		&sql,
		"SELECT c.region, occupation, year, demand, expansion, exits, transfers, openings, "
		"graduates, migrants, transfers_in, new_supply, balance, shortage_ratio, other_entrants, "
		"demand_p10, "
		"demand_p50, demand_p90, openings_p10, openings_p50, openings_p90, new_supply_p10, "
		"new_supply_p50, new_supply_p90, balance_p10, balance_p50, balance_p90, reserve "
		"FROM forecast_result c WHERE run_id = ?");
	if (q->region && *q->region)
		ksp_strbuf_addstr(&sql, " AND c.region = ?");
	if (q->occupation && *q->occupation)
		ksp_strbuf_addstr(&sql, " AND occupation = ?");
	if (q->year)
		ksp_strbuf_addstr(&sql, " AND year = ?");
	if (q->year_from)
		ksp_strbuf_addstr(&sql, " AND year >= ?");
	if (q->year_to)
		ksp_strbuf_addstr(&sql, " AND year <= ?");
	if (q->under && *q->under)
		ksp_strbuf_addstr(&sql, " AND substr(occupation, 1, ?) = ?");
	ksp_strbuf_addstr(&sql, " ORDER BY c.region, occupation, year LIMIT ? OFFSET ?");
	rc = ksp_stmt_prepare(s, sql.buf, &st, err);
	ksp_strbuf_release(&sql);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, ++nb, q->run_id);
	if (q->region && *q->region)
		ksp_stmt_bind_text(st, ++nb, kato, -1);
	if (q->occupation && *q->occupation)
		ksp_stmt_bind_text(st, ++nb, q->occupation, -1);
	if (q->year)
		ksp_stmt_bind_int64(st, ++nb, q->year);
	if (q->year_from)
		ksp_stmt_bind_int64(st, ++nb, q->year_from);
	if (q->year_to)
		ksp_stmt_bind_int64(st, ++nb, q->year_to);
	if (q->under && *q->under) {
		ksp_stmt_bind_int64(st, ++nb, (long long)strlen(q->under));
		ksp_stmt_bind_text(st, ++nb, q->under, -1);
	}
	ksp_stmt_bind_int64(st, ++nb, q->limit && q->limit < (size_t)INT64_MAX ? (long long)q->limit
									: INT64_MAX);
	ksp_stmt_bind_int64(st, ++nb, q->offset < (size_t)INT64_MAX ? (long long)q->offset : INT64_MAX);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_forecast_cell *c;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		c = &(*out)[(*n)++];
		snprintf(c->region, sizeof(c->region), "%s", ksp_stmt_column_text(st, 0));
		snprintf(c->occupation, sizeof(c->occupation), "%s", ksp_stmt_column_text(st, 1));
		c->year = (int)ksp_stmt_column_int64(st, 2);
		c->demand = ksp_stmt_column_double(st, 3);
		c->expansion = ksp_stmt_column_double(st, 4);
		c->exits = ksp_stmt_column_double(st, 5);
		c->transfers = ksp_stmt_column_double(st, 6);
		c->openings = ksp_stmt_column_double(st, 7);
		c->graduates = ksp_stmt_column_double(st, 8);
		c->migrants = ksp_stmt_column_double(st, 9);
		c->transfers_in = ksp_stmt_column_double(st, 10);
		c->new_supply = ksp_stmt_column_double(st, 11);
		c->balance = ksp_stmt_column_double(st, 12);
		c->shortage_ratio = ksp_stmt_column_double(st, 13);
		c->other_entrants = ksp_stmt_column_double(st, 14);
		for (int k = 0; k < KSP_FC_CELL_NBAND; k++)
			for (int j = 0; j < 3; j++)
				c->band[k][j] = col_opt(st, 15 + k * 3 + j);
		c->reserve = ksp_stmt_column_double(st, 27);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

static int cmp_gap_code(const void *a, const void *b)
{
	return strcmp(((const struct ksp_forecast_gap *)a)->code,
		      ((const struct ksp_forecast_gap *)b)->code);
}

static int cmp_gap_desc(const void *a, const void *b)
{
	const struct ksp_forecast_gap *x = a, *y = b;

	if (x->gap != y->gap)
		return x->gap > y->gap ? -1 : 1;
	return strcmp(x->code, y->code);
}

/*
 * ksp_forecast_gaps by occupation for a run in a national classifier: the
 * country's groups summed up the classifier's hierarchy to level.
 */
static int national_gaps(struct ksp_store *s, long long run_id, const char *classification,
			 int level, int year_to, size_t limit, struct ksp_forecast_gap **out,
			 size_t *n, struct ksp_error *err)
{
	struct ksp_fc_hierarchy h;
	struct ksp_stmt *st = NULL;
	struct ksp_forecast_gap *rows = NULL, *sum = NULL;
	size_t alloc = 0, nrows = 0, nsum = 0;
	int *slot = NULL, rc;

	if ((rc = ksp_fc_hierarchy_load(&h, s, classification, err)))
		return rc;
	rc = ksp_stmt_prepare(
		s,
		"SELECT occupation, -sum(CASE WHEN year > r.base_year THEN balance ELSE 0 END), "
		"sum(CASE WHEN year = ? THEN demand ELSE 0 END), "
		"sum(CASE WHEN year > r.base_year THEN other_entrants ELSE 0 END) FROM forecast_result c "
		"JOIN forecast_run r ON r.id = c.run_id WHERE run_id = ? AND c.region = '" KSP_FORECAST_NATIONAL
		"' AND year <= ? GROUP BY occupation",
		&st, err);
	if (rc)
		goto out;
	ksp_stmt_bind_int64(st, 1, year_to);
	ksp_stmt_bind_int64(st, 2, run_id);
	ksp_stmt_bind_int64(st, 3, year_to);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_forecast_gap *g;

		KSP_ALLOC_GROW(rows, nrows + 1, alloc);
		g = &rows[nrows++];
		snprintf(g->code, sizeof(g->code), "%s", ksp_stmt_column_text(st, 0));
		g->gap = ksp_stmt_column_double(st, 1);
		g->demand = ksp_stmt_column_double(st, 2);
		g->other_entrants = ksp_stmt_column_double(st, 3);
	}
	if (rc != KSP_DONE)
		goto out;
	rc = KSP_OK;
	/* sum in code order (strcmp), whatever the database's collation */
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), cmp_gap_code);
	sum = ksp_xcalloc(nrows ? nrows : 1, sizeof(*sum));
	slot = ksp_xcalloc((size_t)h.n, sizeof(int));
	for (int i = 0; i < h.n; i++)
		slot[i] = -1;
	for (size_t i = 0; i < nrows; i++) {
		int c = ksp_fc_hierarchy_find(&h, rows[i].code), g, j;

		/* a code the classifier no longer has stays a group of its own */
		g = c < 0 ? -1 : ksp_fc_hierarchy_group(&h, c, level);
		j = g < 0 ? -1 : slot[g];
		if (j < 0) {
			j = (int)nsum++;
			snprintf(sum[j].code, sizeof(sum[j].code), "%s", g < 0 ? rows[i].code : h.code[g]);
			if (g >= 0)
				slot[g] = j;
		}
		sum[j].gap += rows[i].gap;
		sum[j].demand += rows[i].demand;
		sum[j].other_entrants += rows[i].other_entrants;
	}
	if (nsum)
		qsort(sum, nsum, sizeof(*sum), cmp_gap_desc);
	if (limit && nsum > limit)
		nsum = limit;
	*out = sum;
	*n = nsum;
	sum = NULL;
out:
	ksp_stmt_finalize(st);
	free(rows);
	free(sum);
	free(slot);
	ksp_fc_hierarchy_release(&h);
	return rc;
}

int ksp_forecast_gaps(struct ksp_store *s, long long run_id, int by_occupation, int level,
		      int year_to, size_t limit, struct ksp_forecast_gap **out, size_t *n,
		      struct ksp_error *err)
{
	struct ksp_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (by_occupation) {
		struct ksp_forecast_run run;

		if ((rc = ksp_forecast_run_get(s, run_id, NULL, &run, err)))
			return rc;
		if (strcmp(run.classification, "ISCO-08"))
			return national_gaps(s, run_id, run.classification,
					     level < 1 || level > run.level ? run.level : level, year_to,
					     limit, out, n, err);
	}
	if (level < 1 || level > 4)
		level = 4;
	/* cumulative gap = - sum of balances over the years after the base year; the
	   groups of a coarser level are the codes' prefixes (results add up across levels) */
	rc = ksp_stmt_prepare(
		s,
		by_occupation
			? "SELECT substr(occupation, 1, ?), "
			  "-sum(CASE WHEN year > r.base_year THEN balance ELSE 0 END), "
			  "sum(CASE WHEN year = ? THEN demand ELSE 0 END), "
			  "sum(CASE WHEN year > r.base_year THEN other_entrants ELSE 0 END) "
			  "FROM forecast_result c "
			  "JOIN forecast_run r ON r.id = c.run_id WHERE run_id = ? AND c.region = '" KSP_FORECAST_NATIONAL
			  "' AND year <= ? GROUP BY substr(occupation, 1, ?) ORDER BY 2 DESC, 1"
			: "SELECT c.region, -sum(CASE WHEN year > r.base_year THEN balance ELSE 0 END), "
			  "sum(CASE WHEN year = ? THEN demand ELSE 0 END), "
			  "sum(CASE WHEN year > r.base_year THEN other_entrants ELSE 0 END) "
			  "FROM forecast_total c "
			  "JOIN forecast_run r ON r.id = c.run_id WHERE run_id = ? AND c.region <> '" KSP_FORECAST_NATIONAL
			  "' AND year <= ? AND ? > 0 GROUP BY c.region ORDER BY 2 DESC, 1",
		&st, err);
	if (rc)
		return rc;
	if (by_occupation) {
		ksp_stmt_bind_int64(st, 1, level);
		ksp_stmt_bind_int64(st, 2, year_to);
		ksp_stmt_bind_int64(st, 3, run_id);
		ksp_stmt_bind_int64(st, 4, year_to);
		ksp_stmt_bind_int64(st, 5, level);
	} else {
		ksp_stmt_bind_int64(st, 1, year_to);
		ksp_stmt_bind_int64(st, 2, run_id);
		ksp_stmt_bind_int64(st, 3, year_to);
		ksp_stmt_bind_int64(st, 4, level);
	}
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_forecast_gap *g;

		if (limit && *n >= limit)
			continue;
		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		g = &(*out)[(*n)++];
		snprintf(g->code, sizeof(g->code), "%s", ksp_stmt_column_text(st, 0));
		g->gap = ksp_stmt_column_double(st, 1);
		g->demand = ksp_stmt_column_double(st, 2);
		g->other_entrants = ksp_stmt_column_double(st, 3);
	}
	ksp_stmt_finalize(st);
	if (rc == KSP_DONE)
		return KSP_OK;
	free(*out);
	*out = NULL;
	*n = 0;
	return rc;
}

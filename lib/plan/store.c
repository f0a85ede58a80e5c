/*
 * store.c - running a planner, storing its plan, reading and exporting
 * stored plans (kasip/plan.h).
 */
#include "plan/internal.h"

#include <jansson.h>
#include <xlsxwriter.h>

#include "kasip/csv.h"
#include "kasip/table.h"
#include "data/tables.h"
#include "util/sha256.h"
#include "util/xmalloc.h"

/* ---- results ---------------------------------------------------------------- */

void plan_result_release(struct plan_result *r)
{
	ksp_plan_info_release(&r->info);
	free(r->flows);
	free(r->gaps);
	free(r->cons);
	free(r->places);
	ksp_strbuf_release(&r->inputs);
	memset(r, 0, sizeof(*r));
}

struct ksp_plan_constraint *plan_add_constraint(struct plan_result *r, const char *kind,
						const char *key, double bound, double used,
						double dual, double value)
{
	struct ksp_plan_constraint *c;

	KSP_ALLOC_GROW(r->cons, r->ncons + 1, r->acons);
	c = &r->cons[r->ncons++];
	memset(c, 0, sizeof(*c));
	snprintf(c->kind, sizeof(c->kind), "%s", kind);
	snprintf(c->key, sizeof(c->key), "%s", key ? key : "");
	c->bound = bound;
	c->used = used;
	c->dual = dual;
	c->value = value;
	c->binding = fabs(dual) > 1e-9 || fabs(bound - used) <= 1e-6 * (1 + fabs(bound));
	return c;
}

struct ksp_plan_gap *plan_add_gap(struct plan_result *r, const char *region,
				  const char *occupation, double before, double after)
{
	struct ksp_plan_gap *g;

	KSP_ALLOC_GROW(r->gaps, r->ngaps + 1, r->agaps);
	g = &r->gaps[r->ngaps++];
	memset(g, 0, sizeof(*g));
	snprintf(g->region, sizeof(g->region), "%s", region);
	snprintf(g->occupation, sizeof(g->occupation), "%s", occupation ? occupation : "");
	g->before = before;
	g->after = after;
	return g;
}

int plan_record_input(struct plan_result *r, struct ksp_store *s, const char *table,
		      struct ksp_error *err)
{
	const struct ksp_table *t = ksp_table_find(table);
	struct ksp_sha256 h;
	char *buf = NULL, hex[65], sql[128];
	size_t len = 0;
	long long rows = 0;
	FILE *f;
	int rc;

	if (!t)
		return ksp_error_set(err, KSP_EINTERNAL, "no table \"%s\"", table);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t->sql_table);
	if ((rc = ksp_store_query_int(s, sql, &rows, err, (const char *)NULL)) < 0)
		return rc;
	f = open_memstream(&buf, &len);
	if (!f)
		return ksp_error_set(err, KSP_EIO, "%s: cannot hash its export", table);
	rc = ksp_export_table(s, table, KSP_EXPORT_CSV, f, err);
	if (fclose(f) && !rc)
		rc = ksp_error_set(err, KSP_EIO, "%s: cannot hash its export", table);
	if (!rc) {
		ksp_sha256_init(&h);
		ksp_sha256_update(&h, buf, len);
		ksp_sha256_final_hex(&h, hex);
		ksp_strbuf_addf(&r->inputs, "%s: %lld rows, sha256 %s\n", table, rows, hex);
	}
	free(buf);
	return rc;
}

static void now_iso(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void bind_num(struct ksp_stmt *st, int i, double v)
{
	if (isfinite(v))
		ksp_stmt_bind_double(st, i, v);
	else
		ksp_stmt_bind_null(st, i);
}

int plan_store(struct ksp_store *s, struct plan_result *r, const struct plan_params *p,
	       struct ksp_error *err)
{
	struct ksp_plan_info *in = &r->info;
	struct ksp_strbuf pb = KSP_STRBUF_INIT;
	struct ksp_stmt *st = NULL;
	long long id = 0;
	int rc;

	plan_params_write(p, &pb);
	now_iso(in->created, sizeof(in->created));
	if ((rc = ksp_store_begin(s, err)))
		goto out;
	rc = ksp_store_query_int(s, "SELECT coalesce(max(id), 0) + 1 FROM plan", &id, err,
				 (const char *)NULL);
	if (rc < 0)
		goto out;
	in->id = id;
	rc = ksp_stmt_prepare(s,
			      "INSERT INTO plan (id, kind, run_id, year, region, created, status, objective, "
			      "cost, support, total, gap_before, gap_after, mip_gap, seconds, ncols, nrows, nnz, "
			      "params, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		goto out;
	ksp_stmt_bind_int64(st, 1, id);
	ksp_stmt_bind_textz(st, 2, in->kind);
	ksp_stmt_bind_int64(st, 3, in->run_id);
	ksp_stmt_bind_int64(st, 4, in->year);
	ksp_stmt_bind_textz(st, 5, in->region);
	ksp_stmt_bind_textz(st, 6, in->created);
	ksp_stmt_bind_textz(st, 7, in->status);
	bind_num(st, 8, in->objective);
	bind_num(st, 9, in->cost);
	bind_num(st, 10, in->support);
	bind_num(st, 11, in->total);
	bind_num(st, 12, in->gap_before);
	bind_num(st, 13, in->gap_after);
	bind_num(st, 14, in->mip_gap);
	bind_num(st, 15, in->seconds);
	ksp_stmt_bind_int64(st, 16, in->ncols);
	ksp_stmt_bind_int64(st, 17, in->nrows);
	ksp_stmt_bind_int64(st, 18, in->nnz);
	ksp_stmt_bind_text(st, 19, pb.buf, (long)pb.len);
	ksp_stmt_bind_text(st, 20, r->inputs.buf, (long)r->inputs.len);
	rc = ksp_stmt_step(st, err);
	ksp_stmt_finalize(st);
	st = NULL;
	if (rc < 0)
		goto out;

	rc = ksp_stmt_prepare(s,
			      "INSERT INTO plan_flow (plan_id, from_region, to_region, occupation, movers, "
			      "persons, cost_per_mover, support_per_mover, km) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < r->nflows; i++) {
		const struct ksp_plan_flow *f = &r->flows[i];

		ksp_stmt_reset(st);
		ksp_stmt_bind_int64(st, 1, id);
		ksp_stmt_bind_textz(st, 2, f->from);
		ksp_stmt_bind_textz(st, 3, f->to);
		ksp_stmt_bind_textz(st, 4, f->occupation);
		ksp_stmt_bind_double(st, 5, f->movers);
		ksp_stmt_bind_double(st, 6, f->persons);
		ksp_stmt_bind_double(st, 7, f->cost_per_mover);
		ksp_stmt_bind_double(st, 8, f->support_per_mover);
		ksp_stmt_bind_double(st, 9, f->km);
		if ((rc = ksp_stmt_step(st, err)) < 0)
			goto out;
	}
	ksp_stmt_finalize(st);
	st = NULL;

	rc = ksp_stmt_prepare(s,
			      "INSERT INTO plan_place (plan_id, region, college, specialty, places, last_year, "
			      "cost_per_place, marginal_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < r->nplaces; i++) {
		const struct ksp_plan_place *pl = &r->places[i];

		ksp_stmt_reset(st);
		ksp_stmt_bind_int64(st, 1, id);
		ksp_stmt_bind_textz(st, 2, pl->region);
		ksp_stmt_bind_textz(st, 3, pl->college);
		ksp_stmt_bind_textz(st, 4, pl->specialty);
		ksp_stmt_bind_double(st, 5, pl->places);
		ksp_stmt_bind_double(st, 6, pl->last_year);
		ksp_stmt_bind_double(st, 7, pl->cost_per_place);
		bind_num(st, 8, pl->marginal_value);
		if ((rc = ksp_stmt_step(st, err)) < 0)
			goto out;
	}
	ksp_stmt_finalize(st);
	st = NULL;

	rc = ksp_stmt_prepare(s,
			      "INSERT INTO plan_gap (plan_id, region, occupation, gap_before, gap_after) "
			      "VALUES (?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < r->ngaps; i++) {
		ksp_stmt_reset(st);
		ksp_stmt_bind_int64(st, 1, id);
		ksp_stmt_bind_textz(st, 2, r->gaps[i].region);
		ksp_stmt_bind_textz(st, 3, r->gaps[i].occupation);
		ksp_stmt_bind_double(st, 4, r->gaps[i].before);
		ksp_stmt_bind_double(st, 5, r->gaps[i].after);
		if ((rc = ksp_stmt_step(st, err)) < 0)
			goto out;
	}
	ksp_stmt_finalize(st);
	st = NULL;

	rc = ksp_stmt_prepare(s,
			      "INSERT INTO plan_constraint (plan_id, kind, key, bound, used, dual, value, "
			      "binding) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			      &st, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < r->ncons; i++) {
		const struct ksp_plan_constraint *c = &r->cons[i];

		ksp_stmt_reset(st);
		ksp_stmt_bind_int64(st, 1, id);
		ksp_stmt_bind_textz(st, 2, c->kind);
		ksp_stmt_bind_textz(st, 3, c->key);
		bind_num(st, 4, c->bound);
		bind_num(st, 5, c->used);
		bind_num(st, 6, c->dual);
		bind_num(st, 7, c->value);
		ksp_stmt_bind_int64(st, 8, c->binding);
		if ((rc = ksp_stmt_step(st, err)) < 0)
			goto out;
	}
	ksp_stmt_finalize(st);
	st = NULL;
	rc = ksp_store_commit(s, err);
out:
	if (st)
		ksp_stmt_finalize(st);
	if (rc < 0)
		ksp_store_rollback(s);
	ksp_strbuf_release(&pb);
	return rc < 0 ? rc : KSP_OK;
}

/* ---- running ------------------------------------------------------------------ */

static int read_file(const char *path, char **out, struct ksp_error *err)
{
	FILE *f = fopen(path, "rb");
	struct ksp_strbuf sb = KSP_STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (!f)
		return ksp_error_set(err, errno == ENOENT ? KSP_ENOTFOUND : KSP_EIO,
				     "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		ksp_strbuf_add(&sb, buf, n);
		if (sb.len > (1u << 20)) {
			fclose(f);
			ksp_strbuf_release(&sb);
			return ksp_error_set(err, KSP_ETOOBIG, "'%s' is larger than 1 MiB", path);
		}
	}
	fclose(f);
	*out = ksp_strbuf_detach(&sb, NULL);
	return KSP_OK;
}

int ksp_plan_run(struct ksp_store *s, const struct ksp_plan_options *opt, long long *plan_id,
		 struct ksp_error *err)
{
	struct plan_params *p = ksp_xmalloc(sizeof(*p));
	struct plan_result r;
	int rc;

	memset(&r, 0, sizeof(r));
	if (opt->kind != KSP_PLAN_MIGRATION && opt->kind != KSP_PLAN_ORDERS) {
		rc = ksp_error_set(err, KSP_EUSAGE, "unknown kind of plan %d", opt->kind);
		goto out;
	}
	plan_params_init(p, opt->kind);
	if (opt->params_file) {
		char *text = NULL;

		if ((rc = read_file(opt->params_file, &text, err)))
			goto out;
		rc = plan_params_read(p, text, opt->params_file, err);
		free(text);
		if (rc)
			goto out;
	}
	if (opt->params_text && (rc = plan_params_read(p, opt->params_text, "params", err)))
		goto out;
	for (size_t i = 0; i < opt->nsets; i++)
		if ((rc = plan_params_set(p, opt->sets[i].key, opt->sets[i].value, err)))
			goto out;
	if (opt->kind == KSP_PLAN_MIGRATION)
		rc = plan_migration(s, opt, p, &r, err);
	else
		rc = plan_orders(s, opt, p, &r, err);
	if (rc)
		goto out;
	rc = plan_store(s, &r, p, err);
	if (!rc && plan_id)
		*plan_id = r.info.id;
out:
	plan_result_release(&r);
	free(p);
	return rc;
}

/* ---- reading -------------------------------------------------------------------- */

void ksp_plan_info_release(struct ksp_plan_info *p)
{
	if (!p)
		return;
	free(p->params);
	free(p->inputs);
	p->params = p->inputs = NULL;
}

void ksp_plan_free(void *list)
{
	free(list);
}

static double col_num(struct ksp_stmt *st, int c)
{
	return ksp_stmt_column_is_null(st, c) ? NAN : ksp_stmt_column_double(st, c);
}

#define INFO_COLS "id, kind, run_id, year, region, created, status, objective, cost, support, " \
		  "total, gap_before, gap_after, mip_gap, seconds, ncols, nrows, nnz, params, inputs"

static void read_info(struct ksp_stmt *st, struct ksp_plan_info *p, int full)
{
	memset(p, 0, sizeof(*p));
	p->id = ksp_stmt_column_int64(st, 0);
	snprintf(p->kind, sizeof(p->kind), "%s", ksp_stmt_column_text(st, 1));
	p->run_id = ksp_stmt_column_int64(st, 2);
	p->year = (int)ksp_stmt_column_int64(st, 3);
	snprintf(p->region, sizeof(p->region), "%s", ksp_stmt_column_text(st, 4));
	snprintf(p->created, sizeof(p->created), "%s", ksp_stmt_column_text(st, 5));
	snprintf(p->status, sizeof(p->status), "%s", ksp_stmt_column_text(st, 6));
	p->objective = col_num(st, 7);
	p->cost = col_num(st, 8);
	p->support = col_num(st, 9);
	p->total = col_num(st, 10);
	p->gap_before = col_num(st, 11);
	p->gap_after = col_num(st, 12);
	p->mip_gap = col_num(st, 13);
	p->seconds = col_num(st, 14);
	p->ncols = (int)ksp_stmt_column_int64(st, 15);
	p->nrows = (int)ksp_stmt_column_int64(st, 16);
	p->nnz = (long)ksp_stmt_column_int64(st, 17);
	if (full) {
		p->params = ksp_xstrdup(ksp_stmt_column_text(st, 18));
		p->inputs = ksp_xstrdup(ksp_stmt_column_text(st, 19));
	}
}

int ksp_plan_get(struct ksp_store *s, long long id, struct ksp_plan_info *out,
		 struct ksp_error *err)
{
	struct ksp_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = ksp_stmt_prepare(s,
			      id ? "SELECT " INFO_COLS " FROM plan WHERE id = ?"
				 : "SELECT " INFO_COLS " FROM plan ORDER BY id DESC LIMIT 1",
			      &st, err);
	if (rc)
		return rc;
	if (id)
		ksp_stmt_bind_int64(st, 1, id);
	rc = ksp_stmt_step(st, err);
	if (rc == KSP_ROW) {
		read_info(st, out, 1);
		rc = KSP_OK;
	} else if (rc == KSP_DONE) {
		rc = id ? ksp_error_set(err, KSP_ENOTFOUND, "no plan %lld: 'kasip plan list' lists them", id)
			: ksp_error_set(err, KSP_ENOTFOUND, "no plan yet: make one with 'kasip plan migration' or 'kasip plan orders'");
	}
	ksp_stmt_finalize(st);
	return rc;
}

int ksp_plan_list(struct ksp_store *s, struct ksp_plan_info **out, size_t *n,
		  struct ksp_error *err)
{
	struct ksp_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ksp_stmt_prepare(s, "SELECT " INFO_COLS " FROM plan ORDER BY id DESC", &st, err);
	if (rc)
		return rc;
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		read_info(st, &(*out)[(*n)++], 0);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

static int plan_exists(struct ksp_store *s, long long id, struct ksp_error *err)
{
	long long one = 0;
	char b[32];
	int rc;

	snprintf(b, sizeof(b), "%lld", id);
	rc = ksp_store_query_int(s, "SELECT 1 FROM plan WHERE id = ?", &one, err, b, (const char *)NULL);
	if (rc == KSP_DONE)
		return ksp_error_set(err, KSP_ENOTFOUND, "no plan %lld: 'kasip plan list' lists them", id);
	return rc < 0 ? rc : KSP_OK;
}

int ksp_plan_flows(struct ksp_store *s, long long plan_id, struct ksp_plan_flow **out, size_t *n,
		   struct ksp_error *err)
{
	struct ksp_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = plan_exists(s, plan_id, err)))
		return rc;
	rc = ksp_stmt_prepare(s,
			      "SELECT from_region, to_region, occupation, movers, persons, cost_per_mover, "
			      "support_per_mover, km FROM plan_flow WHERE plan_id = ? "
			      "ORDER BY movers DESC, from_region, to_region, occupation",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, plan_id);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_plan_flow *f;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		f = &(*out)[(*n)++];
		memset(f, 0, sizeof(*f));
		snprintf(f->from, sizeof(f->from), "%s", ksp_stmt_column_text(st, 0));
		snprintf(f->to, sizeof(f->to), "%s", ksp_stmt_column_text(st, 1));
		snprintf(f->occupation, sizeof(f->occupation), "%s", ksp_stmt_column_text(st, 2));
		f->movers = ksp_stmt_column_double(st, 3);
		f->persons = ksp_stmt_column_double(st, 4);
		f->cost_per_mover = ksp_stmt_column_double(st, 5);
		f->support_per_mover = ksp_stmt_column_double(st, 6);
		f->km = ksp_stmt_column_double(st, 7);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

int ksp_plan_gaps(struct ksp_store *s, long long plan_id, struct ksp_plan_gap **out, size_t *n,
		  struct ksp_error *err)
{
	struct ksp_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = plan_exists(s, plan_id, err)))
		return rc;
	rc = ksp_stmt_prepare(s,
			      "SELECT region, occupation, gap_before, gap_after FROM plan_gap "
			      "WHERE plan_id = ? ORDER BY region, occupation",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, plan_id);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_plan_gap *g;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		g = &(*out)[(*n)++];
		memset(g, 0, sizeof(*g));
		snprintf(g->region, sizeof(g->region), "%s", ksp_stmt_column_text(st, 0));
		snprintf(g->occupation, sizeof(g->occupation), "%s", ksp_stmt_column_text(st, 1));
		g->before = ksp_stmt_column_double(st, 2);
		g->after = ksp_stmt_column_double(st, 3);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

int ksp_plan_constraints(struct ksp_store *s, long long plan_id, struct ksp_plan_constraint **out,
			 size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = plan_exists(s, plan_id, err)))
		return rc;
	rc = ksp_stmt_prepare(s,
			      "SELECT kind, key, bound, used, dual, value, binding FROM plan_constraint "
			      "WHERE plan_id = ? ORDER BY binding DESC, kind, key",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, plan_id);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_plan_constraint *c;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		c = &(*out)[(*n)++];
		memset(c, 0, sizeof(*c));
		snprintf(c->kind, sizeof(c->kind), "%s", ksp_stmt_column_text(st, 0));
		snprintf(c->key, sizeof(c->key), "%s", ksp_stmt_column_text(st, 1));
		c->bound = col_num(st, 2);
		c->used = col_num(st, 3);
		c->dual = col_num(st, 4);
		c->value = col_num(st, 5);
		c->binding = (int)ksp_stmt_column_int64(st, 6);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

int ksp_plan_places(struct ksp_store *s, long long plan_id, struct ksp_plan_place **out,
		    size_t *n, struct ksp_error *err)
{
	struct ksp_stmt *st;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = plan_exists(s, plan_id, err)))
		return rc;
	rc = ksp_stmt_prepare(s,
			      "SELECT region, college, specialty, places, last_year, cost_per_place, "
			      "marginal_value FROM plan_place WHERE plan_id = ? ORDER BY region, college, specialty",
			      &st, err);
	if (rc)
		return rc;
	ksp_stmt_bind_int64(st, 1, plan_id);
	while ((rc = ksp_stmt_step(st, err)) == KSP_ROW) {
		struct ksp_plan_place *p;

		KSP_ALLOC_GROW(*out, *n + 1, alloc);
		p = &(*out)[(*n)++];
		memset(p, 0, sizeof(*p));
		snprintf(p->region, sizeof(p->region), "%s", ksp_stmt_column_text(st, 0));
		snprintf(p->college, sizeof(p->college), "%s", ksp_stmt_column_text(st, 1));
		snprintf(p->specialty, sizeof(p->specialty), "%s", ksp_stmt_column_text(st, 2));
		p->places = ksp_stmt_column_double(st, 3);
		p->last_year = ksp_stmt_column_double(st, 4);
		p->cost_per_place = ksp_stmt_column_double(st, 5);
		p->marginal_value = col_num(st, 6);
	}
	ksp_stmt_finalize(st);
	return rc == KSP_DONE ? KSP_OK : rc;
}

/* ---- export ----------------------------------------------------------------------- */

struct plan_all {
	struct ksp_plan_info info;
	struct ksp_plan_flow *flows;
	size_t nflows;
	struct ksp_plan_gap *gaps;
	size_t ngaps;
	struct ksp_plan_constraint *cons;
	size_t ncons;
	struct ksp_plan_place *places;
	size_t nplaces;
	/* the OD matrix: regions in order, movers summed over occupations */
	char (*reg)[16];
	size_t nreg;
	double *od;
};

static void plan_all_release(struct plan_all *a)
{
	ksp_plan_info_release(&a->info);
	free(a->flows);
	free(a->gaps);
	free(a->cons);
	free(a->places);
	free(a->reg);
	free(a->od);
	memset(a, 0, sizeof(*a));
}

static int cmp_reg(const void *x, const void *y)
{
	return strcmp((const char *)x, (const char *)y);
}

static size_t od_index(const struct ksp_plan_od *od, const char *code)
{
	for (size_t i = 0; i < od->n; i++)
		if (!strcmp(od->region[i], code))
			return i;
	return (size_t)-1;
}

static void od_build(const struct ksp_plan_flow *flows, size_t nflows, struct ksp_plan_od *od)
{
	od->n = 0;
	od->region = ksp_xcalloc(2 * nflows + 1, sizeof(*od->region));
	for (size_t i = 0; i < nflows; i++)
		for (int k = 0; k < 2; k++) {
			const char *c = k ? flows[i].to : flows[i].from;

			if (od_index(od, c) == (size_t)-1)
				snprintf(od->region[od->n++], sizeof(od->region[0]), "%s", c);
		}
	qsort(od->region, od->n, sizeof(od->region[0]), cmp_reg);
	od->movers = ksp_xcalloc(od->n * od->n + 1, sizeof(double));
	for (size_t i = 0; i < nflows; i++)
		od->movers[od_index(od, flows[i].from) * od->n + od_index(od, flows[i].to)] +=
			flows[i].movers;
}

void ksp_plan_od_release(struct ksp_plan_od *od)
{
	if (!od)
		return;
	free(od->region);
	free(od->movers);
	memset(od, 0, sizeof(*od));
}

int ksp_plan_od(struct ksp_store *s, long long plan_id, struct ksp_plan_od *out,
		struct ksp_error *err)
{
	struct ksp_plan_flow *f = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ksp_plan_flows(s, plan_id, &f, &n, err)))
		return rc;
	od_build(f, n, out);
	free(f);
	return KSP_OK;
}

static int plan_all_load(struct ksp_store *s, long long id, struct plan_all *a, struct ksp_error *err)
{
	struct ksp_plan_od od;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = ksp_plan_get(s, id, &a->info, err)) ||
	    (rc = ksp_plan_flows(s, a->info.id, &a->flows, &a->nflows, err)) ||
	    (rc = ksp_plan_gaps(s, a->info.id, &a->gaps, &a->ngaps, err)) ||
	    (rc = ksp_plan_constraints(s, a->info.id, &a->cons, &a->ncons, err)) ||
	    (rc = ksp_plan_places(s, a->info.id, &a->places, &a->nplaces, err)))
		return rc;
	od_build(a->flows, a->nflows, &od);
	a->reg = od.region;
	a->nreg = od.n;
	a->od = od.movers;
	return KSP_OK;
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *plan_all_json(const struct plan_all *a)
{
	const struct ksp_plan_info *p = &a->info;
	json_t *o = json_object(), *arr;

	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "kind", json_string(p->kind));
	json_object_set_new(o, "run", json_integer(p->run_id));
	json_object_set_new(o, "year", json_integer(p->year));
	json_object_set_new(o, "region", json_string(p->region));
	json_object_set_new(o, "created", json_string(p->created));
	json_object_set_new(o, "status", json_string(p->status));
	json_object_set_new(o, "objective", jnum(p->objective));
	json_object_set_new(o, "cost", jnum(p->cost));
	json_object_set_new(o, "support", jnum(p->support));
	json_object_set_new(o, "total", jnum(p->total));
	json_object_set_new(o, "gap_before", jnum(p->gap_before));
	json_object_set_new(o, "gap_after", jnum(p->gap_after));
	json_object_set_new(o, "mip_gap", jnum(p->mip_gap));
	json_object_set_new(o, "seconds", jnum(p->seconds));
	json_object_set_new(o, "columns", json_integer(p->ncols));
	json_object_set_new(o, "rows", json_integer(p->nrows));
	json_object_set_new(o, "nonzeros", json_integer(p->nnz));
	json_object_set_new(o, "params", json_string(p->params ? p->params : ""));
	json_object_set_new(o, "inputs", json_string(p->inputs ? p->inputs : ""));
	arr = json_array();
	for (size_t i = 0; i < a->nflows; i++) {
		const struct ksp_plan_flow *f = &a->flows[i];
		json_t *e = json_object();

		json_object_set_new(e, "from", json_string(f->from));
		json_object_set_new(e, "to", json_string(f->to));
		json_object_set_new(e, "occupation", json_string(f->occupation));
		json_object_set_new(e, "movers", jnum(f->movers));
		json_object_set_new(e, "persons", jnum(f->persons));
		json_object_set_new(e, "cost_per_mover", jnum(f->cost_per_mover));
		json_object_set_new(e, "support_per_mover", jnum(f->support_per_mover));
		json_object_set_new(e, "km", jnum(f->km));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "flows", arr);
	{
		json_t *od = json_object(), *regs = json_array(), *m = json_array();

		for (size_t i = 0; i < a->nreg; i++) {
			json_t *r = json_array();

			json_array_append_new(regs, json_string(a->reg[i]));
			for (size_t j = 0; j < a->nreg; j++)
				json_array_append_new(r, json_real(a->od[i * a->nreg + j]));
			json_array_append_new(m, r);
		}
		json_object_set_new(od, "regions", regs);
		json_object_set_new(od, "movers", m);
		json_object_set_new(o, "od_matrix", od);
	}
	arr = json_array();
	for (size_t i = 0; i < a->nplaces; i++) {
		const struct ksp_plan_place *pl = &a->places[i];
		json_t *e = json_object();

		json_object_set_new(e, "region", json_string(pl->region));
		json_object_set_new(e, "college", json_string(pl->college));
		json_object_set_new(e, "specialty", json_string(pl->specialty));
		json_object_set_new(e, "places", jnum(pl->places));
		json_object_set_new(e, "last_year", jnum(pl->last_year));
		json_object_set_new(e, "cost_per_place", jnum(pl->cost_per_place));
		json_object_set_new(e, "marginal_value", jnum(pl->marginal_value));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "places", arr);
	arr = json_array();
	for (size_t i = 0; i < a->ngaps; i++) {
		json_t *e = json_object();

		json_object_set_new(e, "region", json_string(a->gaps[i].region));
		json_object_set_new(e, "occupation", json_string(a->gaps[i].occupation));
		json_object_set_new(e, "before", jnum(a->gaps[i].before));
		json_object_set_new(e, "after", jnum(a->gaps[i].after));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "gaps", arr);
	arr = json_array();
	for (size_t i = 0; i < a->ncons; i++) {
		const struct ksp_plan_constraint *c = &a->cons[i];
		json_t *e = json_object();

		json_object_set_new(e, "kind", json_string(c->kind));
		json_object_set_new(e, "key", json_string(c->key));
		json_object_set_new(e, "bound", jnum(c->bound));
		json_object_set_new(e, "used", jnum(c->used));
		json_object_set_new(e, "dual", jnum(c->dual));
		json_object_set_new(e, "value", jnum(c->value));
		json_object_set_new(e, "binding", json_boolean(c->binding));
		json_array_append_new(arr, e);
	}
	json_object_set_new(o, "constraints", arr);
	return o;
}

int ksp_plan_json(struct ksp_store *s, long long plan_id, char **out, struct ksp_error *err)
{
	struct plan_all a;
	json_t *o;
	int rc;

	*out = NULL;
	if ((rc = plan_all_load(s, plan_id, &a, err)))
		goto out;
	o = plan_all_json(&a);
	*out = json_dumps(o, JSON_INDENT(1) | JSON_REAL_PRECISION(12));
	json_decref(o);
	if (!*out)
		rc = ksp_error_set(err, KSP_EINTERNAL, "cannot encode plan %lld as JSON", plan_id);
out:
	plan_all_release(&a);
	return rc;
}

static void csv_num(FILE *f, double v)
{
	char b[64];

	if (isfinite(v)) {
		ksp_format_double(v, b, sizeof(b));
		fputs(b, f);
	}
}

static int export_csv(const struct plan_all *a, FILE *f)
{
	if (!strcmp(a->info.kind, "migration")) {
		fputs("from_region,to_region,occupation,movers,persons,cost_per_mover,support_per_mover,km\n", f);
		for (size_t i = 0; i < a->nflows; i++) {
			const struct ksp_plan_flow *x = &a->flows[i];

			fprintf(f, "%s,%s,%s,", x->from, x->to, x->occupation);
			csv_num(f, x->movers);
			fputc(',', f);
			csv_num(f, x->persons);
			fputc(',', f);
			csv_num(f, x->cost_per_mover);
			fputc(',', f);
			csv_num(f, x->support_per_mover);
			fputc(',', f);
			csv_num(f, x->km);
			fputc('\n', f);
		}
	} else {
		fputs("region,college,specialty,places,last_year,cost_per_place,marginal_value\n", f);
		for (size_t i = 0; i < a->nplaces; i++) {
			const struct ksp_plan_place *x = &a->places[i];

			fprintf(f, "%s,%s,%s,", x->region, x->college, x->specialty);
			csv_num(f, x->places);
			fputc(',', f);
			csv_num(f, x->last_year);
			fputc(',', f);
			csv_num(f, x->cost_per_place);
			fputc(',', f);
			csv_num(f, x->marginal_value);
			fputc('\n', f);
		}
	}
	return ferror(f) ? KSP_EIO : KSP_OK;
}

static void xl_num(lxw_worksheet *ws, uint32_t r, uint16_t c, double v)
{
	if (isfinite(v))
		worksheet_write_number(ws, r, c, v, NULL);
}

static int export_xlsx(const struct plan_all *a, const char *path, struct ksp_error *err)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_error xe;
	uint32_t r;

	if (!wb)
		return ksp_error_set(err, KSP_EIO, "cannot create '%s'", path);
	bold = workbook_add_format(wb);
	format_set_bold(bold);

	ws = workbook_add_worksheet(wb, "plan");
	{
		static const char *const k[] = { "id", "kind", "run", "year", "region", "created",
						 "status", "objective", "cost", "support", "total",
						 "gap_before", "gap_after", "mip_gap", "seconds" };
		const struct ksp_plan_info *p = &a->info;
		double v[] = { (double)p->id, 0, (double)p->run_id, p->year, 0, 0, 0, p->objective,
			       p->cost, p->support, p->total, p->gap_before, p->gap_after, p->mip_gap,
			       p->seconds };

		for (r = 0; r < sizeof(k) / sizeof(k[0]); r++) {
			worksheet_write_string(ws, r, 0, k[r], bold);
			if (r == 1)
				worksheet_write_string(ws, r, 1, p->kind, NULL);
			else if (r == 4)
				worksheet_write_string(ws, r, 1, p->region, NULL);
			else if (r == 5)
				worksheet_write_string(ws, r, 1, p->created, NULL);
			else if (r == 6)
				worksheet_write_string(ws, r, 1, p->status, NULL);
			else
				xl_num(ws, r, 1, v[r]);
		}
		worksheet_write_string(ws, r, 0, "params", bold);
		worksheet_write_string(ws, r++, 1, p->params ? p->params : "", NULL);
		worksheet_write_string(ws, r, 0, "inputs", bold);
		worksheet_write_string(ws, r, 1, p->inputs ? p->inputs : "", NULL);
	}
	if (!strcmp(a->info.kind, "migration")) {
		static const char *const h[] = { "from_region", "to_region", "occupation", "movers",
						 "persons", "cost_per_mover", "support_per_mover", "km" };

		ws = workbook_add_worksheet(wb, "flows");
		for (uint16_t c = 0; c < 8; c++)
			worksheet_write_string(ws, 0, c, h[c], bold);
		for (size_t i = 0; i < a->nflows && i < 1000000; i++) {
			const struct ksp_plan_flow *x = &a->flows[i];

			r = (uint32_t)i + 1;
			worksheet_write_string(ws, r, 0, x->from, NULL);
			worksheet_write_string(ws, r, 1, x->to, NULL);
			worksheet_write_string(ws, r, 2, x->occupation, NULL);
			xl_num(ws, r, 3, x->movers);
			xl_num(ws, r, 4, x->persons);
			xl_num(ws, r, 5, x->cost_per_mover);
			xl_num(ws, r, 6, x->support_per_mover);
			xl_num(ws, r, 7, x->km);
		}
		ws = workbook_add_worksheet(wb, "od-matrix");
		worksheet_write_string(ws, 0, 0, "from \\ to", bold);
		for (size_t j = 0; j < a->nreg; j++) {
			worksheet_write_string(ws, 0, (uint16_t)(j + 1), a->reg[j], bold);
			worksheet_write_string(ws, (uint32_t)(j + 1), 0, a->reg[j], bold);
			for (size_t k = 0; k < a->nreg; k++)
				worksheet_write_number(ws, (uint32_t)(j + 1), (uint16_t)(k + 1),
						       a->od[j * a->nreg + k], NULL);
		}
	} else {
		static const char *const h[] = { "region", "college", "specialty", "places",
						 "last_year", "cost_per_place", "marginal_value" };

		ws = workbook_add_worksheet(wb, "places");
		for (uint16_t c = 0; c < 7; c++)
			worksheet_write_string(ws, 0, c, h[c], bold);
		for (size_t i = 0; i < a->nplaces && i < 1000000; i++) {
			const struct ksp_plan_place *x = &a->places[i];

			r = (uint32_t)i + 1;
			worksheet_write_string(ws, r, 0, x->region, NULL);
			worksheet_write_string(ws, r, 1, x->college, NULL);
			worksheet_write_string(ws, r, 2, x->specialty, NULL);
			xl_num(ws, r, 3, x->places);
			xl_num(ws, r, 4, x->last_year);
			xl_num(ws, r, 5, x->cost_per_place);
			xl_num(ws, r, 6, x->marginal_value);
		}
	}
	ws = workbook_add_worksheet(wb, "gaps");
	worksheet_write_string(ws, 0, 0, "region", bold);
	worksheet_write_string(ws, 0, 1, "occupation", bold);
	worksheet_write_string(ws, 0, 2, "gap_before", bold);
	worksheet_write_string(ws, 0, 3, "gap_after", bold);
	for (size_t i = 0; i < a->ngaps && i < 1000000; i++) {
		r = (uint32_t)i + 1;
		worksheet_write_string(ws, r, 0, a->gaps[i].region, NULL);
		worksheet_write_string(ws, r, 1, a->gaps[i].occupation, NULL);
		xl_num(ws, r, 2, a->gaps[i].before);
		xl_num(ws, r, 3, a->gaps[i].after);
	}
	ws = workbook_add_worksheet(wb, "constraints");
	{
		static const char *const h[] = { "kind", "key", "bound", "used", "dual", "value", "binding" };

		for (uint16_t c = 0; c < 7; c++)
			worksheet_write_string(ws, 0, c, h[c], bold);
		for (size_t i = 0; i < a->ncons; i++) {
			const struct ksp_plan_constraint *c = &a->cons[i];

			r = (uint32_t)i + 1;
			worksheet_write_string(ws, r, 0, c->kind, NULL);
			worksheet_write_string(ws, r, 1, c->key, NULL);
			xl_num(ws, r, 2, c->bound);
			xl_num(ws, r, 3, c->used);
			xl_num(ws, r, 4, c->dual);
			xl_num(ws, r, 5, c->value);
			worksheet_write_number(ws, r, 6, c->binding, NULL);
		}
	}
	xe = workbook_close(wb);
	if (xe != LXW_NO_ERROR)
		return ksp_error_set(err, KSP_EIO, "cannot write '%s': %s", path, lxw_strerror(xe));
	return KSP_OK;
}

int ksp_plan_export(struct ksp_store *s, long long plan_id, const char *format, FILE *f,
		    const char *path, struct ksp_error *err)
{
	struct plan_all a;
	int rc;

	if (!format || (strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "xlsx")))
		return ksp_error_set(err, KSP_EUSAGE, "unknown format \"%s\": csv, json or xlsx",
				     format ? format : "");
	if (!strcmp(format, "xlsx") && !path)
		return ksp_error_set(err, KSP_EUSAGE, "an Excel workbook needs a file: give --output FILE");
	if (strcmp(format, "xlsx") && !f)
		return ksp_error_set(err, KSP_EUSAGE, "no output");
	if ((rc = plan_all_load(s, plan_id, &a, err)))
		goto out;
	if (!strcmp(format, "csv")) {
		rc = export_csv(&a, f);
	} else if (!strcmp(format, "json")) {
		json_t *o = plan_all_json(&a);

		rc = json_dumpf(o, f, JSON_INDENT(1) | JSON_REAL_PRECISION(12)) ? KSP_EIO : KSP_OK;
		fputc('\n', f);
		json_decref(o);
	} else {
		rc = export_xlsx(&a, path, err);
	}
	if (rc == KSP_EIO && strcmp(format, "xlsx"))
		rc = ksp_error_set(err, KSP_EIO, "cannot write the plan");
out:
	plan_all_release(&a);
	return rc;
}

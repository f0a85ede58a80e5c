/*
 * cmd-plan.c - kasip plan migration|orders|list|show|export: the planners
 * (kasip/plan.h, docs/planning.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A plan's kind and status, for people; CSV and JSON keep the codes. */
static const char *plan_word(const char *code)
{
	static const char *const words[] = {
		KSP_NC_("plan", "migration"), KSP_NC_("plan", "orders"),
		KSP_NC_("plan", "optimal"), KSP_NC_("plan", "feasible"),
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(code, words[i]))
			return cli_trc("plan", words[i]);
	return code;
}

/* The kind of a limit that binds (lib/plan/migration.c, orders.c), for people. */
static const char *limit_word(const char *kind)
{
	static const char *const words[] = {
		KSP_NC_("limit", "quota"),	   KSP_NC_("limit", "willing"),
		KSP_NC_("limit", "budget"),	   KSP_NC_("limit", "places"),
		KSP_NC_("limit", "min-movers"),	   KSP_NC_("limit", "working-share"),
		KSP_NC_("limit", "capacity"),	   KSP_NC_("limit", "change"),
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(kind, words[i]))
			return cli_trc("limit", words[i]);
	return kind;
}
#include "kasip/plan.h"

#define MAX_SETS 16

static int cmp_change(const void *a, const void *b)
{
	const struct ksp_plan_place *x = a, *y = b;
	double dx = fabs(x->places - x->last_year), dy = fabs(y->places - y->last_year);

	return (dx < dy) - (dx > dy);
}

static int print_plan(struct cli *cli, long long id, enum cli_format fmt)
{
	struct ksp_plan_info p;
	struct out_table *t;
	char a[64], b[64], c[64];
	int rc, mig;
	size_t shown = 0;

	if ((rc = ksp_plan_get(cli->store, id, &p, &cli->err)))
		return cli_fail(cli, rc);
	mig = !strcmp(p.kind, "migration");
	if (fmt == FMT_JSON) {
		char *js = NULL;

		rc = ksp_plan_json(cli->store, p.id, &js, &cli->err);
		ksp_plan_info_release(&p);
		if (rc)
			return cli_fail(cli, rc);
		fputs(js, stdout);
		fputc('\n', stdout);
		ksp_plan_free(js);
		return EXIT_OK;
	}
	if (fmt == FMT_CSV) {
		ksp_plan_info_release(&p);
		rc = ksp_plan_export(cli->store, id, "csv", stdout, NULL, &cli->err);
		return rc ? cli_fail(cli, rc) : EXIT_OK;
	}
	/* the status in words, the figures in the number format of --lang */
	if (mig)
		cli_printf("plan %lld: migration in %d from forecast run %lld (%s, %s s, %d columns, "
			   "%d rows)\n",
			   p.id, p.year, p.run_id, plan_word(p.status),
			   cli_num(p.seconds, 2, FMT_TABLE, cli->lang, a, sizeof(a)), p.ncols, p.nrows);
	else
		cli_printf("plan %lld: state order for %d from forecast run %lld (%s, gap %s %%, %s s, "
			   "%d columns, %d rows)\n",
			   p.id, p.year, p.run_id, plan_word(p.status),
			   cli_num(p.mip_gap * 100, 2, FMT_TABLE, cli->lang, b, sizeof(b)),
			   cli_num(p.seconds, 2, FMT_TABLE, cli->lang, a, sizeof(a)), p.ncols, p.nrows);
	if (mig) {
		cli_printf("movers: %s; cost: %s KZT, of which the programme's support %s KZT\n",
			   cli_num(p.total, 0, FMT_TABLE, cli->lang, a, sizeof(a)),
			   cli_num(p.cost, 0, FMT_TABLE, cli->lang, b, sizeof(b)),
			   cli_num(p.support, 0, FMT_TABLE, cli->lang, c, sizeof(c)));
		cli_printf("shortage in the year: %s before, %s after\n\n",
			   cli_num(p.gap_before, 0, FMT_TABLE, cli->lang, a, sizeof(a)),
			   cli_num(p.gap_after, 0, FMT_TABLE, cli->lang, b, sizeof(b)));
	} else {
		cli_printf("places: %s; funding: %s KZT a year\n",
			   cli_num(p.total, 0, FMT_TABLE, cli->lang, a, sizeof(a)),
			   cli_num(p.cost, 0, FMT_TABLE, cli->lang, b, sizeof(b)));
		cli_printf("shortage the places address: %s before, %s after\n\n",
			   cli_num(p.gap_before, 0, FMT_TABLE, cli->lang, a, sizeof(a)),
			   cli_num(p.gap_after, 0, FMT_TABLE, cli->lang, b, sizeof(b)));
	}
	t = out_table_new();
	if (mig) {
		struct ksp_plan_flow *f;
		size_t n;

		if ((rc = ksp_plan_flows(cli->store, p.id, &f, &n, &cli->err))) {
			out_table_free(t);
			ksp_plan_info_release(&p);
			return cli_fail(cli, rc);
		}
		out_table_col(t, "from", 0);
		out_table_col(t, "to", 0);
		out_table_col(t, "occupation", 0);
		out_table_col(t, "movers", OUT_NUM);
		out_table_col(t, "persons", OUT_NUM);
		out_table_col(t, "KZT per mover", OUT_NUM);
		for (size_t i = 0; i < n && shown < 20; i++, shown++) {
			out_table_cell(t, f[i].from);
			out_table_cell(t, f[i].to);
			out_table_cell(t, f[i].occupation);
			out_table_cell(t, cli_num(f[i].movers, 1, FMT_TABLE, cli->lang, a, sizeof(a)));
			out_table_cell(t, cli_num(f[i].persons, 1, FMT_TABLE, cli->lang, a, sizeof(a)));
			out_table_cell(t, cli_num(f[i].cost_per_mover, 0, FMT_TABLE, cli->lang, a, sizeof(a)));
			out_table_end_row(t);
		}
		if (n > shown)
			cli_printf("the %zu largest of %zu flows ('kasip plan export %lld' gives them all):\n",
				   shown, n, p.id);
		ksp_plan_free(f);
	} else {
		struct ksp_plan_place *pl;
		size_t n;

		if ((rc = ksp_plan_places(cli->store, p.id, &pl, &n, &cli->err))) {
			out_table_free(t);
			ksp_plan_info_release(&p);
			return cli_fail(cli, rc);
		}
		out_table_col(t, "region", 0);
		out_table_col(t, "college", 0);
		out_table_col(t, "specialty", 0);
		out_table_col(t, "places", OUT_NUM);
		out_table_col(t, "last year", OUT_NUM);
		out_table_col(t, "value of a place", OUT_NUM);
		qsort(pl, n, sizeof(*pl), cmp_change);
		for (size_t i = 0; i < n && shown < 30; i++, shown++) {
			out_table_cell(t, pl[i].region);
			out_table_cell(t, pl[i].college);
			out_table_cell(t, pl[i].specialty);
			out_table_cell(t, cli_num(pl[i].places, 0, FMT_TABLE, cli->lang, a, sizeof(a)));
			out_table_cell(t, cli_num(pl[i].last_year, 0, FMT_TABLE, cli->lang, a, sizeof(a)));
			out_table_cell(t, cli_num(pl[i].marginal_value, 4, FMT_TABLE, cli->lang, a, sizeof(a)));
			out_table_end_row(t);
		}
		if (n > shown)
			cli_printf("the places that change most (%zu cells in all; 'kasip plan export %lld' gives them all):\n",
				   n, p.id);
		ksp_plan_free(pl);
	}
	out_table_print(t, FMT_TABLE, stdout);
	out_table_free(t);
	{
		struct ksp_plan_constraint *k;
		size_t n, nb = 0;

		if ((rc = ksp_plan_constraints(cli->store, p.id, &k, &n, &cli->err))) {
			ksp_plan_info_release(&p);
			return cli_fail(cli, rc);
		}
		for (size_t i = 0; i < n; i++)
			nb += k[i].binding != 0;
		if (nb) {
			cli_printf("\nwhy it stops there: the limits that bind\n");
			t = out_table_new();
			out_table_col(t, "limit", 0);
			out_table_col(t, "key", 0);
			out_table_col(t, "bound", OUT_NUM);
			out_table_col(t, "used", OUT_NUM);
			out_table_col(t, "value of one more", OUT_NUM);
			for (size_t i = 0, m = 0; i < n && m < 30; i++) {
				if (!k[i].binding)
					continue;
				m++;
				out_table_cell(t, limit_word(k[i].kind));
				out_table_cell(t, k[i].key);
				out_table_cell(t, cli_num(k[i].bound, fabs(k[i].bound) < 10 ? 2 : 0, FMT_TABLE, cli->lang, a, sizeof(a)));
				out_table_cell(t, cli_num(k[i].used, fabs(k[i].used) < 10 ? 2 : 0, FMT_TABLE, cli->lang, a, sizeof(a)));
				out_table_cell(t, isfinite(k[i].value)
							  ? cli_num(k[i].value, 2, FMT_TABLE, cli->lang, a, sizeof(a))
							  : "");
				out_table_end_row(t);
			}
			out_table_print(t, FMT_TABLE, stdout);
			out_table_free(t);
		} else {
			cli_printf("\nno limit binds: the plan closes every gap it can reach\n");
		}
		ksp_plan_free(k);
	}
	ksp_plan_info_release(&p);
	return EXIT_OK;
}

static int plan_list(struct cli *cli, enum cli_format fmt)
{
	struct ksp_plan_info *p;
	struct out_table *t;
	size_t n;
	char a[64];
	int rc = ksp_plan_list(cli->store, &p, &n, &cli->err);

	if (rc)
		return cli_fail(cli, rc);
	t = out_table_new();
	out_table_col(t, "plan", OUT_NUM);
	out_table_col(t, "kind", 0);
	out_table_col(t, "run", OUT_NUM);
	out_table_col(t, "year", OUT_NUM);
	out_table_col(t, "region", 0);
	out_table_col(t, "status", 0);
	out_table_col(t, "total", OUT_NUM);
	out_table_col(t, "cost", OUT_NUM);
	out_table_col(t, "created", 0);
	for (size_t i = 0; i < n; i++) {
		out_table_cellf(t, "%lld", p[i].id);
		out_table_cell(t, fmt == FMT_TABLE ? plan_word(p[i].kind) : p[i].kind);
		out_table_cellf(t, "%lld", p[i].run_id);
		out_table_cellf(t, "%d", p[i].year);
		out_table_cell(t, p[i].region);
		out_table_cell(t, fmt == FMT_TABLE ? plan_word(p[i].status) : p[i].status);
		out_table_cell(t, cli_num(p[i].total, 0, fmt, cli->lang, a, sizeof(a)));
		out_table_cell(t, cli_num(p[i].cost, 0, fmt, cli->lang, a, sizeof(a)));
		out_table_cell(t, p[i].created);
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_plan_free(p);
	return EXIT_OK;
}

static int parse_num(const struct cli_command *cmd, const char *opt, const char *v, double *out)
{
	if (ksp_parse_double(v, out) || !isfinite(*out))
		return cli_usage_error(cmd, "--%s takes a number, not '%s'", opt, v);
	return 0;
}

static int parse_id(const struct cli_command *cmd, const char *opt, const char *v, long long *out)
{
	if (ksp_parse_int64(v, out) || *out <= 0)
		return cli_usage_error(cmd, "--%s takes a positive whole number, not '%s'", opt, v);
	return 0;
}

int cmd_plan(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("plan");
	enum cli_format fmt = FMT_TABLE;
	struct ksp_plan_options o;
	struct ksp_plan_set sets[MAX_SETS];
	const char *action, *v, *format = NULL, *output = NULL, *pos = NULL;
	long long id = 0;
	int r, rc;

	memset(&o, 0, sizeof(o));
	if (argc < 2)
		return cli_usage_error(cmd, "which action: migration, orders, list, show or export?");
	action = argv[1];
	if (!strcmp(action, "migration"))
		o.kind = KSP_PLAN_MIGRATION;
	else if (!strcmp(action, "orders"))
		o.kind = KSP_PLAN_ORDERS;
	else if (strcmp(action, "list") && strcmp(action, "show") && strcmp(action, "export"))
		return cli_usage_error(cmd, "unknown action '%s': migration, orders, list, show or export",
				       action);
	for (int i = 2; i < argc; i++) {
		static const char *const num_opts[] = { "budget", "willing", "places", "working-share",
							"min-movers", NULL };
		int done = 0;

		if (!strcmp(argv[i], "--format") || !strncmp(argv[i], "--format=", 9)) {
			if ((r = cli_opt(cmd, argc, argv, &i, "format", &v)) < 0)
				return EXIT_USAGE;
			format = v;
			if (!strcmp(v, "xlsx"))
				continue;
			if (cli_parse_format(v, &fmt))
				return cli_usage_error(cmd, "unknown format '%s'", v);
			continue;
		}
		if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		}
		for (const char *const *n = num_opts; *n && !done; n++) {
			if ((r = cli_opt(cmd, argc, argv, &i, *n, &v)) == 0)
				continue;
			if (r < 0)
				return EXIT_USAGE;
			if (o.kind == 0 || o.nsets >= MAX_SETS)
				return cli_usage_error(cmd, "--%s goes with 'migration' or 'orders'", *n);
			if (parse_num(cmd, *n, v, &sets[o.nsets].value))
				return EXIT_USAGE;
			sets[o.nsets].key = !strcmp(*n, "working-share") ? "working_share"
					    : !strcmp(*n, "min-movers")  ? "min_movers"
									 : *n;
			o.nsets++;
			done = 1;
		}
		if (done)
			continue;
		if ((r = cli_opt(cmd, argc, argv, &i, "run", &v)) != 0) {
			if (r < 0 || parse_id(cmd, "run", v, &o.run_id))
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "year", &v)) != 0) {
			long long y;

			if (r < 0 || parse_id(cmd, "year", v, &y))
				return EXIT_USAGE;
			o.year = (int)y;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "region", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			o.region = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "params", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			o.params_file = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "output", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			output = v;
		} else if (argv[i][0] != '-' && !pos) {
			pos = argv[i];
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	o.sets = sets;
	if (o.kind) {
		if (pos)
			return cli_usage_error(cmd, "unexpected argument '%s'", pos);
		if (o.region && o.kind != KSP_PLAN_ORDERS)
			return cli_usage_error(cmd, "--region goes with 'orders'");
		if (o.year && o.kind != KSP_PLAN_MIGRATION)
			return cli_usage_error(cmd, "--year goes with 'migration'");
		if (!cli_store(cli))
			return EXIT_BAD_INPUT;
		rc = ksp_plan_run(cli->store, &o, &id, &cli->err);
		if (rc)
			return cli_fail(cli, rc);
		rc = print_plan(cli, id, fmt);
		if (rc == EXIT_OK && fmt == FMT_TABLE)
			cli_printf("\nStored as plan %lld: 'kasip plan export %lld --format xlsx --output plan.xlsx' writes it out.\n",
				   id, id);
		return rc;
	}
	if (!strcmp(action, "list")) {
		if (pos)
			return cli_usage_error(cmd, "unexpected argument '%s'", pos);
		if (!cli_store_read(cli))
			return EXIT_BAD_INPUT;
		return plan_list(cli, fmt);
	}
	if (!pos)
		return cli_usage_error(cmd, "'plan %s' needs a plan ID", action);
	if (ksp_parse_int64(pos, &id) || id <= 0)
		return cli_usage_error(cmd, "a plan ID is a positive whole number, not '%s'", pos);
	if (!cli_store_read(cli))
		return EXIT_BAD_INPUT;
	if (!strcmp(action, "show"))
		return print_plan(cli, id, fmt);
	{
		FILE *f = stdout;

		if (!format)
			format = "csv";
		if (strcmp(format, "xlsx") && output) {
			f = fopen(output, "wb");
			if (!f) {
				cli_error("cannot write '%s'", output);
				return EXIT_BAD_INPUT;
			}
		}
		rc = ksp_plan_export(cli->store, id, format, f, output, &cli->err);
		if (f != stdout && fclose(f) && !rc) {
			cli_error("cannot write '%s'", output);
			return EXIT_BAD_INPUT;
		}
		return rc ? cli_fail(cli, rc) : EXIT_OK;
	}
}

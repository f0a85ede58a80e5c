/*
 * cmd-scenario.c - kasip scenario list|show|new: the forecast's scenarios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kasip/forecast.h"

#define MAX_SETS 256

/* Where a scenario comes from, for people; CSV and JSON keep the code. */
static const char *origin_word(const char *origin)
{
	if (!strcmp(origin, "shipped"))
		return cli_trc("scenario origin", "shipped");
	if (!strcmp(origin, "user"))
		return cli_trc("scenario origin", "user");
	return origin;
}

/* A parameter's distribution, for people. */
static const char *dist_word(const char *dist)
{
	static const char *const words[] = {
		KSP_NC_("distribution", "fixed"), KSP_NC_("distribution", "normal"),
		KSP_NC_("distribution", "lognormal"), KSP_NC_("distribution", "uniform"),
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(dist, words[i]))
			return cli_trc("distribution", words[i]);
	return dist;
}

/* The units the shipped scenarios use, for people; another unit is shown as it is. */
static const char *unit_word(const char *unit)
{
	static const char *const words[] = {
		KSP_NC_("unit", "rate per year"), KSP_NC_("unit", "share"),
		KSP_NC_("unit", "share per year"), KSP_NC_("unit", "multiplier"),
		KSP_NC_("unit", "persons per year"),
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(unit, words[i]))
			return cli_trc("unit", words[i]);
	return unit;
}

static int scenario_list(struct cli *cli, enum cli_format fmt)
{
	struct ksp_scenario *sc;
	struct out_table *t;
	size_t n;
	int rc = ksp_scenario_list(cli->store, &sc, &n, &cli->err);

	if (rc)
		return cli_fail(cli, rc);
	t = out_table_new();
	out_table_col(t, "name", 0);
	out_table_col(t, "origin", 0);
	out_table_col(t, "based_on", 0);
	out_table_col(t, "parameters", OUT_NUM);
	out_table_col(t, "created", 0);
	out_table_col(t, "title", 0);
	for (size_t i = 0; i < n; i++) {
		out_table_cell(t, sc[i].name);
		out_table_cell(t, fmt == FMT_TABLE ? origin_word(sc[i].origin) : sc[i].origin);
		out_table_cell(t, sc[i].based_on);
		out_table_cellf(t, "%d", sc[i].nparams);
		out_table_cell(t, sc[i].created);
		out_table_cell(t, ksp_scenario_title(&sc[i], cli->lang));
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_forecast_free(sc);
	return EXIT_OK;
}

static int scenario_show(struct cli *cli, const char *name, enum cli_format fmt)
{
	struct ksp_scenario sc;
	struct ksp_scenario_param *p;
	struct out_table *t;
	size_t n;
	int rc = ksp_scenario_get(cli->store, name, &sc, &p, &n, &cli->err);

	if (rc)
		return cli_fail(cli, rc);
	if (fmt == FMT_TABLE && *sc.based_on)
		cli_printf("scenario '%s' (%s, based on %s): %s\n\n", sc.name, origin_word(sc.origin),
			   sc.based_on, ksp_scenario_title(&sc, cli->lang));
	else if (fmt == FMT_TABLE)
		cli_printf("scenario '%s' (%s): %s\n\n", sc.name, origin_word(sc.origin),
			   ksp_scenario_title(&sc, cli->lang));
	t = out_table_new();
	out_table_col(t, "parameter", 0);
	out_table_col(t, "value", OUT_NUM);
	out_table_col(t, "dist", 0);
	out_table_col(t, "spread", OUT_NUM);
	out_table_col(t, "unit", 0);
	out_table_col(t, "note", 0);
	for (size_t i = 0; i < n; i++) {
		out_table_cell(t, p[i].name);
		out_table_cellf(t, "%.6g", p[i].value);
		out_table_cell(t, fmt == FMT_TABLE ? dist_word(p[i].dist) : p[i].dist);
		out_table_cellf(t, "%.6g", p[i].spread);
		out_table_cell(t, fmt == FMT_TABLE ? unit_word(p[i].unit) : p[i].unit);
		/* notes can be long: the table shows their start */
		if (fmt == FMT_TABLE && strlen(p[i].note) > 60)
			out_table_cellf(t, "%.57s...", p[i].note);
		else
			out_table_cell(t, p[i].note);
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_forecast_free(p);
	return EXIT_OK;
}

int cmd_scenario(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("scenario");
	enum cli_format fmt = FMT_TABLE;
	const char *action, *name = NULL, *from = NULL, *title = NULL, *file = NULL;
	const char *sets[MAX_SETS], *v;
	size_t nsets = 0;
	int r, rc;

	if (argc < 2)
		return cli_usage_error(cmd, "which action: list, show or new?");
	action = argv[1];
	if (strcmp(action, "list") && strcmp(action, "show") && strcmp(action, "new"))
		return cli_usage_error(cmd, "unknown action '%s': list, show or new", action);
	for (int i = 2; i < argc; i++) {
		if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "from", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			from = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "title", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			title = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "file", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			file = v;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "set", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (nsets >= MAX_SETS)
				return cli_usage_error(cmd, "at most %d --set options", MAX_SETS);
			sets[nsets++] = v;
		} else if (argv[i][0] != '-' && !name) {
			name = argv[i];
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (strcmp(action, "list") && !name)
		return cli_usage_error(cmd, "'scenario %s' needs a NAME", action);
	if (!strcmp(action, "list") && name)
		return cli_usage_error(cmd, "unexpected argument '%s'", name);
	if (strcmp(action, "new") && (from || title || file || nsets))
		return cli_usage_error(cmd, "--from, --title, --file and --set go with 'new'");
	if (!cli_store(cli))
		return EXIT_BAD_INPUT;
	if (!strcmp(action, "list"))
		return scenario_list(cli, fmt);
	if (!strcmp(action, "show"))
		return scenario_show(cli, name, fmt);
	rc = ksp_scenario_new(cli->store, name, from, title, sets, nsets, file, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	if (fmt == FMT_TABLE && nsets)
		cli_printf("kasip: created scenario '%s' from '%s' with your changes; run it with "
			   "'kasip forecast --scenario %s'\n",
			   name, from ? from : "baseline", name);
	else if (fmt == FMT_TABLE)
		cli_printf("kasip: created scenario '%s' from '%s'; run it with 'kasip forecast "
			   "--scenario %s'\n",
			   name, from ? from : "baseline", name);
	return EXIT_OK;
}

/*
 * cmd-show.c - kasip show region CODE: one region's profile, every figure
 * with its year, unit and source.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int show_region(const struct cli_command *cmd, struct cli *cli, const char *code,
		       enum cli_format fmt)
{
	struct ksp_region r;
	struct ksp_fact *facts;
	struct out_table *t;
	size_t n;
	int rc;

	(void)cmd;
	rc = ksp_region_find(cli->store, code, &r, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	rc = ksp_region_facts(cli->store, r.kato, cli->lang, &facts, &n, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	if (fmt == FMT_TABLE) {
		cli_printf("%s (%s, KATO %s, %s)\n", ksp_region_name(&r, cli->lang), r.iso, r.kato,
			   cli_region_type(r.type));
		printf("  en: %s\n  ru: %s\n  kk: %s\n", r.name_en, r.name_ru, r.name_kk);
		if (r.has_centre)
			cli_printf("  centre: %s (%.5f, %.5f)\n", ksp_region_centre(&r, cli->lang), r.lat,
			       r.lon);
		printf("\n");
	}
	t = out_table_new();
	if (fmt != FMT_TABLE)
		out_table_col(t, "region", 0);
	out_table_col(t, "topic", 0);
	out_table_col(t, "indicator", 0);
	out_table_col(t, "year", OUT_NUM);
	out_table_col(t, "value", OUT_NUM);
	out_table_col(t, "unit", 0);
	out_table_col(t, "source", 0);
	out_table_col(t, "kind", 0);
	for (size_t i = 0; i < n; i++) {
		char num[64];
		double v = facts[i].value;
		int dec = v != (double)(long long)v ? 1 : 0;

		if (!strcmp(facts[i].unit, "thousand persons") || !strcmp(facts[i].unit, "percent"))
			dec = 1;
		if (fmt != FMT_TABLE) {
			out_table_cell(t, r.kato);
			dec = v != (double)(long long)v ? 3 : 0;
		}
		out_table_cell(t, fmt == FMT_TABLE ? cli_data_word(facts[i].topic) : facts[i].topic);
		out_table_cell(t, facts[i].indicator);
		out_table_cellf(t, "%d", facts[i].year);
		out_table_cell(t, cli_num(v, dec, fmt, cli->lang, num, sizeof(num)));
		out_table_cell(t, fmt == FMT_TABLE ? cli_data_word(facts[i].unit) : facts[i].unit);
		out_table_cell(t, facts[i].source);
		out_table_cell(t, fmt == FMT_TABLE ? cli_data_word(facts[i].kind) : facts[i].kind);
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_fact_list_free(facts);
	return EXIT_OK;
}

int cmd_show(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("show");
	enum cli_format fmt = FMT_TABLE;
	const char *args[2] = { NULL, NULL };
	int nargs = 0;

	for (int i = 1; i < argc; i++) {
		int r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt);

		if (r < 0)
			return EXIT_USAGE;
		if (r)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
		if (nargs == 2)
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		args[nargs++] = argv[i];
	}
	if (nargs != 2 || strcmp(args[0], "region"))
		return cli_usage_error(cmd, "show needs 'region' and a region code");
	if (!cli_store_read(cli))
		return EXIT_BAD_INPUT;
	return show_region(cmd, cli, args[1], fmt);
}

/*
 * cmd-summary.c - kasip summary: what the database holds, the national
 * totals with their sources, and whether the regions add up to them.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_summary(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("summary");
	enum cli_format fmt = FMT_TABLE;
	struct ksp_fact *facts;
	struct out_table *t;
	size_t n;
	int rc;

	for (int i = 1; i < argc; i++) {
		int r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt);

		if (r < 0)
			return EXIT_USAGE;
		if (!r)
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	}
	if (!cli_store_read(cli))
		return EXIT_BAD_INPUT;
	rc = ksp_dataset_summary(cli->store, cli->lang, &facts, &n, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	if (fmt == FMT_TABLE)
		cli_printf("kasip %s, database '%s' (%s)\n\n", ksp_version(), cli->db_path,
		       ksp_store_backend(cli->store));
	t = out_table_new();
	out_table_col(t, "topic", 0);
	out_table_col(t, "figure", 0);
	out_table_col(t, "year", OUT_NUM);
	out_table_col(t, "value", OUT_NUM);
	out_table_col(t, "unit", 0);
	out_table_col(t, "source", 0);
	for (size_t i = 0; i < n; i++) {
		char num[64];
		double v = facts[i].value;
		int dec = v != (double)(long long)v ? (fmt == FMT_TABLE ? 1 : 3) : 0;

		out_table_cell(t, fmt == FMT_TABLE ? cli_data_word(facts[i].topic) : facts[i].topic);
		out_table_cell(t, facts[i].indicator);
		if (facts[i].year)
			out_table_cellf(t, "%d", facts[i].year);
		else
			out_table_cell(t, "");
		out_table_cell(t, cli_num(v, dec, fmt, cli->lang, num, sizeof(num)));
		out_table_cell(t, fmt == FMT_TABLE ? cli_data_word(facts[i].unit) : facts[i].unit);
		out_table_cell(t, fmt == FMT_TABLE ? cli_data_word(facts[i].source) : facts[i].source);
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_fact_list_free(facts);
	return EXIT_OK;
}

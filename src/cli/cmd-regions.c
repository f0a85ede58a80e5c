/*
 * cmd-regions.c - kasip regions: the 20 regions with codes, names, centres
 * and the latest population.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_regions(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("regions");
	enum cli_format fmt = FMT_TABLE;
	struct ksp_region *list;
	struct out_table *t;
	size_t n;
	int rc, year = 0;

	for (int i = 1; i < argc; i++) {
		int r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt);

		if (r < 0)
			return EXIT_USAGE;
		if (!r)
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	}
	if (!cli_store_read(cli))
		return EXIT_BAD_INPUT;
	rc = ksp_region_list(cli->store, 0, &list, &n, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	for (size_t i = 0; i < n; i++)
		if (list[i].population_year > year)
			year = list[i].population_year;
	t = out_table_new();
	out_table_col(t, "kato", 0);
	out_table_col(t, "iso", 0);
	out_table_col(t, "type", 0);
	out_table_col(t, "name", 0);
	out_table_col(t, "centre", 0);
	{
		char col[48], label[96];

		snprintf(col, sizeof(col), year ? "population_%d" : "population", year);
		if (year)
			cli_fmt(label, sizeof(label), "population %d", year);
		out_table_col_label(t, col, year ? label : cli_trc("column", "population"), OUT_NUM);
	}
	for (size_t i = 0; i < n; i++) {
		char num[64];

		out_table_cell(t, list[i].kato);
		out_table_cell(t, list[i].iso);
		out_table_cell(t, fmt == FMT_TABLE ? cli_region_type(list[i].type) : list[i].type);
		out_table_cell(t, ksp_region_name(&list[i], cli->lang));
		out_table_cell(t, ksp_region_centre(&list[i], cli->lang));
		out_table_cell(t, list[i].population < 0 || list[i].population_year != year
					  ? ""
					  : cli_num(list[i].population, 0, fmt, cli->lang, num,
						    sizeof(num)));
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	ksp_region_list_free(list);
	return EXIT_OK;
}

/*
 * cmd-tables.c - kasip tables [TABLE]: what import and export know.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_tables(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("tables");
	const char *table = NULL, *format = "table";
	enum cli_format fmt;
	struct out_table *t;

	(void)cli; /* the language is cli_tr's */

	for (int i = 1; i < argc; i++) {
		int r;

		if ((r = cli_opt(cmd, argc, argv, &i, "format", &format)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
		} else if (!table) {
			table = argv[i];
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (cli_parse_format(format, &fmt))
		return cli_usage_error(cmd, "--format takes table, csv or json, not '%s'", format);
	t = out_table_new();
	if (!table) {
		struct ksp_table_info buf;
		const struct ksp_table_info *ti;

		out_table_col(t, "table", 0);
		out_table_col(t, "columns", OUT_NUM);
		out_table_col(t, "what", 0);
		for (size_t i = 0; (ti = ksp_table_info_at(i, &buf)) != NULL; i++) {
			out_table_cell(t, ti->name);
			out_table_cellf(t, "%d", ti->ncolumns);
			out_table_cell(t, cli_tr(ti->summary));
			out_table_end_row(t);
		}
	} else {
		struct ksp_column_info ci;
		int rc = ksp_table_column_info(table, 0, &ci);

		if (rc == KSP_ENOTFOUND) {
			out_table_free(t);
			cli_error("unknown table '%s'; 'kasip tables' lists them", table);
			return EXIT_USAGE;
		}
		out_table_col(t, "column", 0);
		out_table_col(t, "type", 0);
		out_table_col(t, "range", 0);
		out_table_col(t, "required", 0);
		out_table_col(t, "what", 0);
		for (int i = 0; ksp_table_column_info(table, i, &ci) == KSP_OK; i++) {
			out_table_cell(t, ci.name);
			out_table_cell(t, cli_trc("column type", ci.type));
			out_table_cell(t, ci.range ? ci.range : "");
			if (ci.optional && ci.def && *ci.def)
				out_table_cellf(t, cli_tr(KSP_FMT_("no (default %s)")), ci.def);
			else if (ci.optional)
				out_table_cell(t, cli_trc("required", "no"));
			else
				out_table_cell(t, ci.key ? cli_trc("required", "yes (key)")
							 : cli_trc("required", "yes"));
			out_table_cell(t, cli_tr(ci.what));
			out_table_end_row(t);
		}
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	return EXIT_OK;
}

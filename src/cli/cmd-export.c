/*
 * cmd-export.c - kasip export TABLE: write a table as CSV or JSON.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_export(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("export");
	const char *table = NULL, *format = "csv", *output = NULL;
	enum ksp_export_format fmt;
	FILE *out = stdout;
	int rc;

	for (int i = 1; i < argc; i++) {
		int r;

		if ((r = cli_opt(cmd, argc, argv, &i, "format", &format)) != 0 ||
		    (r = cli_opt(cmd, argc, argv, &i, "output", &output)) != 0) {
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
	if (!table)
		return cli_usage_error(cmd, "export needs a table; 'kasip tables' lists them");
	if (!strcmp(format, "csv"))
		fmt = KSP_EXPORT_CSV;
	else if (!strcmp(format, "json"))
		fmt = KSP_EXPORT_JSON;
	else
		return cli_usage_error(cmd, "--format takes csv or json, not '%s'", format);
	if (!cli_store_read(cli))
		return EXIT_BAD_INPUT;
	if (output && strcmp(output, "-")) {
		out = fopen(output, "w");
		if (!out) {
			cli_error("cannot write '%s': %s", output, strerror(errno));
			return EXIT_BAD_INPUT;
		}
	}
	rc = ksp_export_table(cli->store, table, fmt, out, &cli->err);
	if (out != stdout && fclose(out) != 0 && !rc)
		rc = ksp_error_set(&cli->err, KSP_EIO, "writing '%s' failed: %s", output,
				   strerror(errno));
	if (rc)
		return cli_fail(cli, rc);
	return EXIT_OK;
}

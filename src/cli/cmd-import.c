/*
 * cmd-import.c - kasip import TABLE FILE: load a CSV file, all rows or none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_import(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("import");
	struct ksp_import_options opt = { 0 };
	struct ksp_import_result res = { 0 };
	const char *args[2] = { NULL, NULL }, *v;
	int nargs = 0, rc;

	for (int i = 1; i < argc; i++) {
		int r;

		if ((r = cli_opt(cmd, argc, argv, &i, "encoding", &opt.encoding)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "source", &opt.source_id)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else if ((r = cli_opt(cmd, argc, argv, &i, "delimiter", &v)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			if (!strcmp(v, "tab") || !strcmp(v, "\\t") || !strcmp(v, "\t"))
				opt.delimiter = '\t';
			else if (!strcmp(v, ",") || !strcmp(v, ";"))
				opt.delimiter = v[0];
			else
				return cli_usage_error(cmd, "--delimiter takes ',', ';' or tab, not '%s'", v);
		} else if ((r = cli_opt(cmd, argc, argv, &i, "cache", &v)) != 0) {
			char *end;
			long mb;

			if (r < 0)
				return EXIT_USAGE;
			errno = 0;
			mb = strtol(v, &end, 10);
			if (errno || end == v || *end || mb < 1 || mb > 4096)
				return cli_usage_error(cmd, "--cache takes a whole number of MiB (1 to 4096), not '%s'", v);
			opt.cache_kib = mb * 1024;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
		} else if (nargs < 2) {
			args[nargs++] = argv[i];
		} else {
			return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
		}
	}
	if (nargs != 2)
		return cli_usage_error(cmd, "import needs a table and a file");
	if (!cli_store(cli))
		return EXIT_BAD_INPUT;
	rc = ksp_import_csv(cli->store, args[0], args[1], &opt, &res, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	cli_printf("kasip: imported %ld rows into %s from '%s' (%ld new, %ld replaced)\n", res.rows,
	       args[0], args[1], res.inserted, res.replaced);
	return EXIT_OK;
}

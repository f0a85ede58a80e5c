/*
 * cmd-key.c - kasip key new|list|revoke: the API keys that may write
 * through the server.  A new key is printed once; the database keeps only
 * its hash.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int key_new(const struct cli_command *cmd, int argc, char **argv, struct cli *cli)
{
	const char *role = NULL, *region = NULL, *name = NULL;
	char key[KSP_APIKEY_SIZE];
	struct ksp_apikey info;
	int r, rc;

	for (int i = 2; i < argc; i++) {
		if ((r = cli_opt(cmd, argc, argv, &i, "role", &role)) ||
		    (r = cli_opt(cmd, argc, argv, &i, "region", &region)) ||
		    (r = cli_opt(cmd, argc, argv, &i, "name", &name))) {
			if (r < 0)
				return EXIT_USAGE;
		} else {
			return cli_usage_error(cmd, "key new: unknown argument '%s'", argv[i]);
		}
	}
	if (!role || !name)
		return cli_usage_error(cmd, "key new needs --role and --name");
	if (ksp_role_parse(role) == KSP_ROLE_NONE)
		return cli_usage_error(cmd, "--role is viewer, analyst or admin, not '%s'", role);
	if (!cli_store(cli))
		return EXIT_BAD_INPUT;
	rc = ksp_apikey_new(cli->store, name, ksp_role_parse(role), region, key, &info, &cli->err);
	if (rc)
		return cli_fail(cli, rc);
	printf("%s\n", key);
	fprintf(stderr,
		"kasip: made the %s key \"%s\"%s%s (prefix %s); it is shown only now: keep it "
		"safe\n",
		ksp_role_name(info.role), info.name, info.region[0] ? " for region " : "",
		info.region, info.prefix);
	return EXIT_OK;
}

static int key_list(const struct cli_command *cmd, int argc, char **argv, struct cli *cli)
{
	enum cli_format fmt = FMT_TABLE;
	struct ksp_apikey *list = NULL;
	struct out_table *t;
	size_t n = 0;
	int r, rc;

	for (int i = 2; i < argc; i++) {
		if ((r = cli_common_opt(cmd, argc, argv, &i, cli, &fmt)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
		} else {
			return cli_usage_error(cmd, "key list: unknown argument '%s'", argv[i]);
		}
	}
	if (!cli_store(cli))
		return EXIT_BAD_INPUT;
	if ((rc = ksp_apikey_list(cli->store, &list, &n, &cli->err)))
		return cli_fail(cli, rc);
	t = out_table_new();
	out_table_col(t, "name", 0);
	out_table_col(t, "prefix", 0);
	out_table_col(t, "role", 0);
	out_table_col(t, "region", 0);
	out_table_col(t, "created", 0);
	out_table_col(t, "revoked", 0);
	for (size_t i = 0; i < n; i++) {
		out_table_cell(t, list[i].name);
		out_table_cell(t, list[i].prefix);
		out_table_cell(t, ksp_role_name(list[i].role));
		out_table_cell(t, list[i].region);
		out_table_cell(t, list[i].created);
		out_table_cell(t, list[i].revoked);
		out_table_end_row(t);
	}
	out_table_print(t, fmt, stdout);
	out_table_free(t);
	free(list);
	return EXIT_OK;
}

static int key_revoke(const struct cli_command *cmd, int argc, char **argv, struct cli *cli)
{
	int rc;

	if (argc != 3)
		return cli_usage_error(cmd, "key revoke needs the key's name (or prefix)");
	if (!cli_store(cli))
		return EXIT_BAD_INPUT;
	if ((rc = ksp_apikey_revoke(cli->store, argv[2], &cli->err)))
		return cli_fail(cli, rc);
	cli_error("revoked the key \"%s\"", argv[2]);
	return EXIT_OK;
}

int cmd_key(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("key");

	if (argc < 2)
		return cli_usage_error(cmd, "key needs new, list or revoke");
	if (!strcmp(argv[1], "new"))
		return key_new(cmd, argc, argv, cli);
	if (!strcmp(argv[1], "list"))
		return key_list(cmd, argc, argv, cli);
	if (!strcmp(argv[1], "revoke"))
		return key_revoke(cmd, argc, argv, cli);
	return cli_usage_error(cmd, "key: '%s' is not new, list or revoke", argv[1]);
}

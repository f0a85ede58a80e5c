/*
 * cmd-init.c - kasip init: build the database from the built-in data set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef KSP_DATA_DIR
#define KSP_DATA_DIR "data/kz"
#endif

static void remove_db(const char *path)
{
	char buf[4096];

	unlink(path);
	snprintf(buf, sizeof(buf), "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s-shm", path);
	unlink(buf);
}

int cmd_init(int argc, char **argv, struct cli *cli)
{
	const struct cli_command *cmd = cli_find("init");
	const char *dir = getenv("KASIP_DATA");
	struct ksp_store *s = NULL;
	struct stat sb;
	int force = 0, rc;

	if (!dir || !*dir)
		dir = KSP_DATA_DIR;
	for (int i = 1; i < argc; i++) {
		int r;

		if (!strcmp(argv[i], "--force")) {
			force = 1;
			continue;
		}
		if ((r = cli_opt(cmd, argc, argv, &i, "data", &dir)) != 0) {
			if (r < 0)
				return EXIT_USAGE;
			continue;
		}
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	}
	if (stat(cli->db_path, &sb) == 0) {
		int version = 0;

		/*
		 * Only a kasip database is rebuilt (with --force), only an empty
		 * file is initialised in place: a file of another program's is
		 * never taken over, --force or not.
		 */
		rc = ksp_store_open(&s, cli->db_path, KSP_STORE_CREATE, &cli->err);
		if (!rc)
			rc = ksp_store_schema_version(s, &version, &cli->err);
		ksp_store_close(s);
		s = NULL;
		if (rc)
			return cli_fail(cli, rc);
		if (version > 0 && !force) {
			cli_error("database '%s' exists already; 'kasip init --force' rebuilds it from "
				  "the data set",
				  cli->db_path);
			return EXIT_BAD_INPUT;
		}
		if (version > 0)
			remove_db(cli->db_path);
	}
	rc = ksp_store_open(&s, cli->db_path, KSP_STORE_CREATE, &cli->err);
	if (!rc)
		ksp_store_set_busy_timeout(s, cli->busy_ms);
	if (!rc)
		rc = ksp_store_migrate(s, &cli->err);
	if (!rc)
		rc = ksp_store_begin(s, &cli->err);
	if (!rc)
		rc = ksp_dataset_load(s, dir, &cli->err);
	if (!rc)
		rc = ksp_dataset_derive(s, &cli->err);
	if (!rc)
		rc = ksp_store_commit(s, &cli->err);
	if (rc) {
		/* All or nothing: a failed init leaves no half-built database behind. */
		ksp_store_close(s);
		remove_db(cli->db_path);
		return cli_fail(cli, rc);
	}
	ksp_store_close(s);
	cli_printf("kasip: created '%s' from the data set in '%s' (schema version %d)\n",
	       cli->db_path, dir, ksp_store_schema_latest());
	return EXIT_OK;
}
